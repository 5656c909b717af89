"""``ikrar_model_ner``: the trained Indonesian NER, filling the gaps the rules and gazetteers leave.

It runs after ``ikrar_entity_rules`` and before ``ikrar_entity_linker``. Rule entities win: a model entity
is added to ``doc.ents`` only where it overlaps none, with ``span._.source = "model"`` and no entity id.

Why the trained layers run on sub-docs built from the host's words, not ``add_pipe(source=...)``: the host
tokenizer is customised by another component, and the trained tok2vec and ner only read hashed lexeme
attributes of the words, so a ``Doc`` of the host's own tokens (in the host's vocab, where those lexemes
already exist) keeps offsets one-to-one with no alignment step and costs almost nothing to build; and a
separate trained pipeline lets us feed it only the parts of the text that need it, which ``add_pipe`` can't.

Why selective: the NER is the slowest part of the pipeline by far. Names are capitalised in Indonesian,
so the model only reads windows of ``context`` tokens either side of capitalised tokens that no rule
entity explains, clipped to the sentence (``context = 0`` reads the whole sentence). The encoder sees four
tokens either side, so 4-token windows give the same entities as whole sentences (dev F1 0.807 vs 0.805).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch, registry

from pipelines.nlp import extensions

MODEL_DIR = Path(__file__).resolve().parent / "model"
LOWERCASE_WORDS_FILE = "lowercase_words.txt"
MODEL_TO_IKRAR = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}

Region = tuple[int, int]


class WordsTokenizer:
    """The trained pipeline's tokenizer: its input is the host's tokens, so text is split on whitespace only.

    The stock Indonesian tokenizer compiles ~15,000 special cases, which made loading the model take seconds;
    the trained layers never see its output, so the shipped config names this one instead.
    """

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=text.split())

    # Nothing to save: spaCy still calls these when it saves or loads a pipeline.
    def to_disk(self, path, **kwargs) -> None:
        Path(path).write_text("whitespace\n", encoding="utf-8")

    def from_disk(self, path, **kwargs) -> WordsTokenizer:
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> WordsTokenizer:
        return self


@registry.tokenizers("ikrar.words_tokenizer.v1")
def create_words_tokenizer():
    def create(nlp: Language) -> WordsTokenizer:
        return WordsTokenizer(nlp.vocab)

    return create


@Language.factory(
    "ikrar_model_ner",
    assigns=["doc.ents", "span._.source"],
    default_config={"model_path": None, "context": 4, "batch_size": 128},
)
def make_model_ner(
    nlp: Language, name: str, model_path: str | None, context: int, batch_size: int
) -> ModelEntityRecognizer:
    recognizer = ModelEntityRecognizer(name, Path(model_path) if model_path else MODEL_DIR, context, batch_size)
    # The trained ner labels its spans by string id; a host of another language (the English pipeline) has
    # never seen those strings, and spaCy refuses to create a span whose label it cannot resolve.
    for label in recognizer.trained.get_pipe("ner").labels:
        nlp.vocab.strings.add(label)
    return recognizer


class ModelEntityRecognizer:
    def __init__(self, name: str, model_path: Path, context: int = 4, batch_size: int = 128):
        extensions.register()
        self.name = name
        self.context = context
        self.batch_size = batch_size
        self.trained = spacy.load(model_path)
        words_file = model_path / LOWERCASE_WORDS_FILE
        self.lowercase_words = set(
            words_file.read_text(encoding="utf-8").split()
        ) if words_file.exists() else set()

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        # Regions of several docs go through the trained pipeline together: short docs batch better.
        for batch in minibatch(docs, size=batch_size):
            doc_regions = [(doc, region) for doc in batch for region in self.regions(doc)]
            found = self.predict(doc_regions)
            for doc in batch:
                add_model_ents(doc, found.get(id(doc), []))
                yield doc

    def regions(self, doc: Doc) -> list[Region]:
        """Token ranges the model must read: windows around unexplained capitalised tokens."""
        explained = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        regions: list[Region] = []
        for sentence in sentences:
            cues = [i for i in self.unexplained_capitals(sentence) if i not in explained]
            if not cues:
                continue
            if self.context <= 0:
                regions.append((sentence.start, sentence.end))
                continue
            windows = [
                (max(sentence.start, i - self.context), min(sentence.end, i + self.context + 1)) for i in cues
            ]
            regions.extend(merge_overlapping(windows))
        return regions

    def unexplained_capitals(self, sentence: Span) -> Iterator[int]:
        first_word = True
        for token in sentence:
            if not token.text[:1].isalpha():
                continue
            # A sentence's first word is capitalised anyway; it is a cue only if it is not a common word.
            if token.text[:1].isupper() and not (first_word and token.lower_ in self.lowercase_words):
                yield token.i
            first_word = False

    def predict(self, doc_regions: list[tuple[Doc, Region]]) -> dict[int, list[tuple[int, int, str]]]:
        """Run the trained layers on each region; entity token spans in their doc, keyed by ``id(doc)``."""
        found: dict[int, list[tuple[int, int, str]]] = {}
        # Sub-docs share the host's vocab: its lexemes already exist (no new strings, no vocab growth), and
        # the trained layers only read hashed lexeme attributes, which are the same in any vocab.
        sub_docs: Iterable[Doc] = [Doc(doc.vocab, words=[t.text for t in doc[s:e]]) for doc, (s, e) in doc_regions]
        for _, component in self.trained.pipeline:
            sub_docs = component.pipe(sub_docs, batch_size=self.batch_size)
        for (doc, (start, _)), sub_doc in zip(doc_regions, sub_docs, strict=True):
            spans = ((start + ent.start, start + ent.end, ent.label_) for ent in sub_doc.ents)
            found.setdefault(id(doc), []).extend(spans)
        return found


def merge_overlapping(windows: list[Region]) -> list[Region]:
    merged: list[Region] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def add_model_ents(doc: Doc, found: list[tuple[int, int, str]]) -> None:
    """Add model spans that overlap no existing entity; existing (rule) entities are never touched."""
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    added: list[Span] = []
    for start, end, label in sorted(found):
        ikrar_label = MODEL_TO_IKRAR.get(label)
        if ikrar_label is None or taken.intersection(range(start, end)):
            continue
        added.append(Span(doc, start, end, label=ikrar_label))
        taken.update(range(start, end))
    if not added:
        return
    doc.ents = [*doc.ents, *added]
    for span in added:
        span._.source = "model"


def build_model_only_nlp(model_path: str | Path | None = None, context: int = 4) -> Language:
    """``blank("id")`` with ikrar's tokenizer + sentencizer + this component: the NER without the rules."""
    from pipelines.nlp.tokenizer import customize_tokenizer

    nlp = spacy.blank("id")
    customize_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    config = {"model_path": str(model_path) if model_path else None, "context": context}
    nlp.add_pipe("ikrar_model_ner", config=config)
    return nlp
