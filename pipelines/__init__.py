"""ikrar's Dagster-free core: article parsing, the spaCy pipeline and warehouse I/O."""
