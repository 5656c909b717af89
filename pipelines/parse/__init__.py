"""Turning raw article files into clean text and metadata (Dagster-free, spaCy-free)."""
