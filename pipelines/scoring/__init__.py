"""Scoring of ikrar's extractors against gold data (used by ``python -m pipelines.evaluate``).

One module per task: ``ner`` scores entity spans against CoNLL BIO gold. Each module exposes a reader for
its gold format, a ``score_*`` function that takes an injectable ``nlp`` and a result object that renders
as a table or as JSON, so the CLI stays a thin dispatcher.
"""
