"""Custom attributes that ikrar's spaCy components read and write.

This is the contract between components: the entity components set the ``Span`` attributes on
``doc.ents``; the commitment component reads them and fills ``doc._.commitments``; ``pipelines.extract``
turns both into warehouse rows. Registration is idempotent so any module may call ``register()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

ENTITY_TYPES = ("PERSON", "COUNTRY", "PLACE", "ORG", "EVENT")

MODALITIES = ("obligation", "intent", "readiness", "support", "call", "agreement", "pledge")
STATUSES = ("future", "past")
DOMAINS = (
    "diplomacy", "trade", "investment", "finance", "infrastructure", "energy", "industry", "agriculture",
    "technology", "security", "defense", "maritime", "culture", "education", "health", "climate", "tourism",
)


@dataclass
class Commitment:
    """One commitment found in a doc. Character offsets are into ``doc.text``."""

    start_char: int  # evidence span: the clause (or sentence) that states the commitment
    end_char: int
    trigger_start: int  # the modal cue ("harus", "siap", "will", …)
    trigger_end: int
    modality: str  # one of MODALITIES
    action_text: str  # what is committed to, with coordinated actions kept together
    actor_ids: list[str]  # entity ids of who is committed (never empty in a kept row)
    target_ids: list[str] = field(default_factory=list)  # entity ids of whom the action is toward / with
    speaker_id: str | None = None  # entity id of who said it; None when the narrator states it
    negated: bool = False
    status: str = "future"  # one of STATUSES
    domains: list[str] = field(default_factory=list)  # subset of DOMAINS, in DOMAINS order
    confidence: float = 0.5  # 0..1: how the row was found (clear modal + resolved actor is high)


def register() -> None:
    """Register the extension attributes (safe to call many times)."""
    for name in ("entity_id", "canonical_name", "country_iso3", "role"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    # Why the entity was found: "gazetteer", "title", "pattern", "model", "coref" (for confidence, debugging).
    if not Span.has_extension("source"):
        Span.set_extension("source", default=None)
    if not Doc.has_extension("commitments"):
        Doc.set_extension("commitments", default=None)
    # Paragraph boundaries as (start_char, end_char) pairs into doc.text, set before the pipeline runs.
    if not Doc.has_extension("paragraphs"):
        Doc.set_extension("paragraphs", default=None)


register()


def span_extension_key(name: str, start_char: int, end_char: int) -> tuple:
    """Where ``span._.<name>`` keeps its value in ``doc.user_data``: spaCy's ``Underscore`` key for a span.

    The entity and commitment components read (and the entity components write) the attributes above through
    this key: ``span._`` builds an accessor object and dispatches per attribute, several times the cost of the
    dict operation, tens of thousands of times per hundred articles. It holds for attributes with a plain
    default (no getter, setter or method), as all of ours are; a unit test pins the key.
    """
    return ("._.", name, start_char, end_char)
