"""ikrar's Dagster code location: thin assets over ``pipelines``."""
