"""Assembling ikrar's spaCy pipeline from spacy.blank plus the project's own components.

Order matters: sentences first (the entity rules and the commitment extractor read sentence boundaries),
then rules and gazetteers, then the trained model only where rules left capitalised names unexplained, then
the linker (coreference and ids over all entities, whatever found them), then commitments.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

# Importing the component modules registers their factories with spaCy.
from pipelines.config import DEFAULT_MAX_CHARS
from pipelines.nlp import (  # noqa: F401
    commitments,
    english_names,
    entities,
    extensions,
    indonesian_names,
    linker,
    model_ner,
    sentences,
    tokenizer,
)

SUPPORTED_LANGUAGES = ("id", "en")


def build_nlp(lang: str, *, use_model: bool | None = None, max_length: int = DEFAULT_MAX_CHARS) -> Language:
    """The full extraction pipeline for ``lang``.

    The trained NER learnt Indonesian news only; on English copy it mistakes capitalised dates and titles for
    names, so by default it runs for Indonesian alone (English relies on titles and gazetteers).
    """
    if use_model is None:
        use_model = lang == "id"
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "ikrar.news_tokenizer.v1"}}})
    nlp.max_length = max_length
    nlp.add_pipe("ikrar_sentences")
    nlp.add_pipe("ikrar_entity_rules")
    if lang == "en":
        nlp.add_pipe("ikrar_english_names")  # English has no trained NER: persons by context words
    if use_model:
        nlp.add_pipe("ikrar_model_ner")
    if lang == "id":
        nlp.add_pipe("ikrar_indonesian_names")  # after the model: it corrects the model's persons by context
    nlp.add_pipe("ikrar_entity_linker")
    nlp.add_pipe("ikrar_commitments")
    return nlp
