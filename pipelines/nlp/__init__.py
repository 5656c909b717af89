"""The spaCy side of ikrar: tokenizer, components (registered with @Language.factory) and their data."""
