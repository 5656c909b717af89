"""Entity-level NER scoring against CoNLL BIO gold (conlleval-style exact span + label matches).

The gold tokens of each sentence are joined with single spaces into a text; the extractor under test runs
on that text with its own tokenizer, and each predicted entity is mapped back to gold tokens through the
character offsets. A prediction whose edges do not fall on gold token edges cannot match anything: it is a
false positive (and the gold entity it overlaps stays a false negative), as a partial match is in conlleval.
One tolerance: brackets and quotes at an entity's edges are ignored on both sides (see ``trim_edges``).

Label mapping (``gold_label``): PERSON is PER, ORG is ORG, EVENT has no gold label. A COUNTRY or PLACE is LOC
where the text uses it as a location. The Indonesian gold (idner) tags "di Suriah", "ke Indonesia", "wilayah
Gaza" LOC but leaves a geopolitical name O where it is an actor ("Israel menyatakan …") or modifies a noun
("warga Palestina", "Gubernur Jakarta"); ikrar tags both uses, since both matter to the warehouse. So a
COUNTRY is LOC after a locative word (``data/gaz_locative_words.csv``) or as a list item after one, and a
PLACE is LOC unless a word it modifies stands right before it ("Gubernur Jawa Barat", "DPD Bali").
``geo_convention="all"`` scores every COUNTRY and PLACE as LOC instead, for gold that tags all of them.

Acronyms: ikrar makes "Mahkamah Konstitusi" and "MK" in "Mahkamah Konstitusi (MK)" two mentions of one entity;
the gold glues "(MK)" into one token and tags it inside the organization's (or place's) span, so an ORG or
LOC prediction followed by a parenthesised acronym is scored with the acronym in it. A person's nickname in
brackets ("Joko Widodo (Jokowi)") is a separate PER in the gold too, and stays one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.nlp.gazetteer import load_locative_words

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

GEO_LABELS = ("COUNTRY", "PLACE")

GOLD_LABELS = ("PER", "ORG", "LOC")

# ikrar's entity types seen through the gold scheme; EVENT (and anything unknown) has no gold label, so
# those predictions are left out of the score rather than counted as errors.
LABEL_TO_GOLD = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "COUNTRY": "LOC",
    "PLACE": "LOC",
    "LOC": "LOC",
}


@dataclass(frozen=True)
class GoldSentence:
    tokens: list[str]
    tags: list[str]

    def spans(self) -> set[tuple[int, int, str]]:
        return bio_spans(self.tags)


def read_conll(text: str) -> list[GoldSentence]:
    """Parse CoNLL columns (token first, BIO tag last; LF or CRLF; blank line between sentences)."""
    sentences: list[GoldSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in text.splitlines():
        columns = line.split()
        if not columns:
            if tokens:
                sentences.append(GoldSentence(tokens, tags))
                tokens, tags = [], []
            continue
        if len(columns) < 2:
            raise ValueError(f"CoNLL line needs a token and a tag: {line!r}")
        tokens.append(columns[0])
        tags.append(columns[-1])
    if tokens:
        sentences.append(GoldSentence(tokens, tags))
    return sentences


def read_conll_file(path: str | Path) -> list[GoldSentence]:
    return read_conll(Path(path).read_text(encoding="utf-8"))


def bio_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Token spans (start, end exclusive, label) from BIO tags, as conlleval reads them.

    An I- tag that does not continue an entity of the same label starts a new one, so malformed gold is
    scored the way the reference script scores it.
    """
    spans: set[tuple[int, int, str]] = set()
    start: int | None = None
    label: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, tag_label = tag.partition("-")
        continues = prefix == "I" and tag_label == label
        if start is not None and not continues:
            spans.add((start, i, label))
            start, label = None, None
        if prefix in ("B", "I") and not continues:
            start, label = i, tag_label
    return spans


def join_tokens(tokens: list[str]) -> tuple[str, list[int], list[int]]:
    """The text the extractor sees, with each gold token's start and end character offsets."""
    starts, ends = [], []
    offset = 0
    for token in tokens:
        starts.append(offset)
        offset += len(token)
        ends.append(offset)
        offset += 1
    return " ".join(tokens), starts, ends


# Brackets and quotes at an entity's edge are tokenisation, not the entity: the gold glues "(MK)" into one
# token where a tokenizer splits it, so both sides are compared without them.
EDGE_PUNCTUATION = "()[]{}\"'“”‘’«»"

CharSpan = tuple[int, int, str]


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    return start, end


def gold_char_spans(sentence: GoldSentence, text: str, starts: list[int], ends: list[int]) -> set[CharSpan]:
    spans = set()
    for first, last, label in sentence.spans():
        start, end = trim_edges(text, starts[first], ends[last - 1])
        spans.add((start, end, label))
    return spans


def gold_labels(doc: Doc, geo_convention: str = "locative") -> list[str | None]:
    """The gold label of each of ``doc.ents`` (None: not scored), per the mapping in the module docstring."""
    labels: list[str | None] = []
    location_ends: dict[int, bool] = {}  # token end of each COUNTRY/PLACE -> used as a location
    for ent in doc.ents:
        label = LABEL_TO_GOLD.get(ent.label_)
        if ent.label_ in GEO_LABELS and geo_convention != "all":
            used_as_location = _used_as_location(ent, location_ends)
            location_ends[ent.end] = used_as_location
            label = label if used_as_location else None
        labels.append(label)
    return labels


def _used_as_location(ent: Span, location_ends: dict[int, bool]) -> bool:
    if ent.has_extension("source") and ent._.source == "model":
        return True  # the trained NER learnt the gold's convention: it tags a name LOC only as a location
    if ent.start == 0:
        return ent.label_ == "PLACE"
    before = ent.doc[ent.start - 1]
    kind = load_locative_words().get(before.lower_)
    if kind in ("preposition", "place_noun"):
        return True
    if kind == "conjunction" and ent.start - 1 in location_ends:
        return location_ends[ent.start - 1]  # "di Jakarta dan Bandung": an item of a list of locations
    if ent.label_ == "COUNTRY":
        return False
    return not before.is_alpha  # "Gubernur Jakarta" and "DPD Bali" are O, "Jakarta , Rabu" is LOC


def predicted_char_spans(doc: Doc, starts: list[int], ends: list[int], geo_convention: str = "locative"
                         ) -> set[CharSpan]:
    """``doc.ents`` in the gold label scheme, kept only as predictions when they align to gold tokens.

    A span whose edges fall inside a gold token (after trimming edge brackets) stays a prediction but is
    marked with negative offsets, so it counts as a false positive and can never equal a gold span.
    """
    token_edges = set(starts) | set(ends)
    spans: set[CharSpan] = set()
    labels = gold_labels(doc, geo_convention)
    labelled = [(ent.start, ent.end, label) for ent, label in zip(doc.ents, labels, strict=True) if label]
    for ent_start, ent_end, label in with_acronyms_inside(doc, labelled):
        ent = doc[ent_start:ent_end]
        start, end = trim_edges(doc.text, ent.start_char, ent.end_char)
        aligned = _snap(doc.text, start, token_edges, -1) and _snap(doc.text, end, token_edges, +1)
        spans.add((start, end, label) if aligned else (-1 - start, -1 - end, label))
    return spans


def with_acronyms_inside(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ORG/LOC token spans extended over a parenthesised acronym right after them; the acronym's own span goes."""
    by_start = {start: (end, label) for start, end, label in spans}
    merged, absorbed = [], set()
    for start, end, label in spans:
        if start in absorbed:
            continue
        acronym = end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and \
            doc[end + 1].text[:1].isupper()
        inner = by_start.get(end + 1)
        if label in ("ORG", "LOC") and acronym and (inner is None or inner == (end + 2, label)):
            absorbed.add(end + 1)
            end += 3
        merged.append((start, end, label))
    return merged


def _snap(text: str, offset: int, token_edges: set[int], step: int) -> bool:
    """True when ``offset`` is a gold token edge, possibly behind edge punctuation (walking by ``step``)."""
    while offset not in token_edges:
        char_index = offset if step > 0 else offset - 1
        if not 0 <= char_index < len(text) or text[char_index] not in EDGE_PUNCTUATION:
            return False
        offset += step
    return True


@dataclass
class LabelCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.tp + self.fn,
        }


@dataclass
class NerScores:
    per_label: dict[str, LabelCounts] = field(
        default_factory=lambda: {label: LabelCounts() for label in GOLD_LABELS}
    )
    sentences: int = 0

    def add(self, gold: set[CharSpan], predicted: set[CharSpan]) -> None:
        self.sentences += 1
        for span in predicted:
            counts = self.per_label.setdefault(span[2], LabelCounts())
            if span in gold:
                counts.tp += 1
            else:
                counts.fp += 1
        for span in gold - predicted:
            self.per_label.setdefault(span[2], LabelCounts()).fn += 1

    @property
    def micro(self) -> LabelCounts:
        total = LabelCounts()
        for counts in self.per_label.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    def as_dict(self) -> dict:
        return {
            "sentences": self.sentences,
            "labels": {label: counts.as_dict() for label, counts in self.per_label.items()},
            "micro": self.micro.as_dict(),
        }

    def table(self) -> str:
        header = f"{'label':<6} {'P':>7} {'R':>7} {'F1':>7} {'tp':>6} {'fp':>6} {'fn':>6}"
        rows = [header, "-" * len(header)]
        for label, counts in [*self.per_label.items(), ("micro", self.micro)]:
            rows.append(
                f"{label:<6} {counts.precision:7.4f} {counts.recall:7.4f} {counts.f1:7.4f} "
                f"{counts.tp:6d} {counts.fp:6d} {counts.fn:6d}"
            )
        return "\n".join(rows)


def iter_predictions(
    nlp: Language, sentences: Iterable[GoldSentence], batch_size: int = 64, geo_convention: str = "locative"
) -> Iterator[tuple[GoldSentence, set[CharSpan], set[CharSpan]]]:
    """Run ``nlp`` on each gold sentence's text; yield the sentence with its gold and predicted char spans."""
    sentences = list(sentences)
    joined = [join_tokens(sentence.tokens) for sentence in sentences]
    docs = nlp.pipe((_doc_for(nlp, text) for text, _, _ in joined), batch_size=batch_size)
    for sentence, (text, starts, ends), doc in zip(sentences, joined, docs, strict=True):
        predicted = predicted_char_spans(doc, starts, ends, geo_convention)
        yield sentence, gold_char_spans(sentence, text, starts, ends), predicted


def _doc_for(nlp: Language, text: str) -> Doc:
    # Components downstream may read paragraph bounds, which the pipeline's caller normally sets.
    doc = nlp.make_doc(text)
    if doc.has_extension("paragraphs"):
        doc._.paragraphs = [(0, len(text))]
    return doc


def score_ner(nlp: Language, sentences: Iterable[GoldSentence], batch_size: int = 64,
              geo_convention: str = "locative") -> NerScores:
    """Entity-level P/R/F1 of ``nlp`` on gold sentences (``geo_convention``: see ``gold_labels``)."""
    scores = NerScores()
    for _, gold, predicted in iter_predictions(nlp, sentences, batch_size, geo_convention):
        scores.add(gold, predicted)
    return scores
