"""Shared by the commitment and speaker tests: a blank pipeline with entities labelled from a table.

The commitment extractor reads ``doc.ents``; these tests set them from a substring table instead of running the
entity components, so each test exercises one attribution rule and nothing else.
"""

from __future__ import annotations

import re

import spacy
from spacy.util import filter_spans

from pipelines.nlp import commitments  # noqa: F401  (registers the factory)

Parties = dict[str, tuple[str, str, str | None]]  # substring → (label, entity id, country ISO3)


def label_parties(doc, parties: Parties, roles: dict[str, str] | None = None):
    """Set doc.ents for every whole-word occurrence of the given substrings (longest wins); ``roles`` gives
    a PERSON's office by surface form ("Retno" → "Menteri Luar Negeri")."""
    spans = []
    for text, (label, _, _) in parties.items():
        for match in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", doc.text):
            span = doc.char_span(match.start(), match.end(), label=label)
            if span is not None:
                spans.append(span)
    spans = filter_spans(spans)
    for span in spans:
        _, span._.entity_id, span._.country_iso3 = parties[span.text]
        span._.role = (roles or {}).get(span.text)
    doc.ents = spans
    return doc


def make_pipeline(lang: str):
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ikrar_commitments")
    return nlp


def paragraph_offsets(text: str) -> list[tuple[int, int]]:
    offsets, start = [], 0
    for paragraph in text.split("\n\n"):
        offsets.append((start, start + len(paragraph)))
        start += len(paragraph) + 2
    return offsets


def run_with_parties(nlp, text: str, parties: Parties, paragraphs: list[tuple[int, int]] | None = None,
                     roles: dict[str, str] | None = None):
    """Run the pipeline, labelling entities right before the extractor (after sentence splitting)."""
    doc = nlp.make_doc(text)
    doc._.paragraphs = paragraphs if paragraphs is not None else paragraph_offsets(text)
    for name, component in nlp.pipeline:
        if name == "ikrar_commitments":
            label_parties(doc, parties, roles)
        doc = component(doc)
    return doc
