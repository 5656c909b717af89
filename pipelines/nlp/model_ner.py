"""``ikrar_model_ner``: the trained Indonesian NER, filling the gaps the rules and gazetteers leave.

It runs after ``ikrar_entity_rules`` and before ``ikrar_entity_linker``. Rule entities win: a model entity
is added to ``doc.ents`` only where it overlaps none, with ``span._.source = "model"`` and no entity id.

Why the trained layers run on sub-docs built from the host's words, not ``add_pipe(source=...)``: the host
tokenizer is customised by another component, and the trained tok2vec and ner only read hashed lexeme
attributes of the words, so a ``Doc`` of the host's own tokens (in the host's vocab, where those lexemes
already exist) keeps offsets one-to-one with no alignment step and costs almost nothing to build; and a
separate trained pipeline lets us feed it only the parts of the text that need it, which ``add_pipe`` can't.

Why selective: the NER is the slowest part of the pipeline by far. Names are capitalised in Indonesian,
so the model only reads windows around capitalised tokens that no rule entity explains, clipped to the
sentence: ``context`` tokens before the cue and ``context + 1`` after it (``context = 0`` reads the whole
sentence). By default ``context`` is the encoder's receptive field, read from the trained model's config
(depth × window_size of its MaxoutWindowEncoder): a token's vector never depends on words further away. The
extra token on the right is there because the NER decides that a name has ended at the word after it, whose
vector reaches one token further. With these windows the model finds what it finds on whole sentences (dev
F1 of the full extractor with the shipped encoder: 0.841 vs 0.840; its 64-wide predecessor scored 0.844 both
ways, but 0.840 when the windows lacked that extra token), and a model of shorter reach reads less.

Capitalised words that name no one are weak cues: titles from the rules' title list ("Menteri Luar Negeri") and
the stop list's never-in-a-name words (days, months). One opens a window only within reach of a real cue or
right after a rule entity, where it may belong to a name the rules cut short ("Badan Usaha Milik Negara"):
~9% fewer tokens read, dev F1 unchanged. Inflected or reduplicated common words ("Pasalnya", "Proyek-proyek")
are not cues at a sentence start. Feeding only capitalised common words far from names as weak cues, too,
lost names made of common words ("Koalisi Merah Putih"), so they stay real cues.

Three things make the trained layers cheaper without changing a prediction: each distinct word goes through the
embedding layer once per process (``EmbeddingCache``), the matrix products run on numpy's OpenBLAS rather than
blis (``use_numpy_products``), and the ner's moves are decoded for all regions of a batch at once in numpy
(``ner_decoder``), reading the words' hashes from the host doc with no ``Doc`` per region (the decoder alone took
this component from 0.85-1.1 s to 0.5-0.65 s on 200 benchmark stories). spaCy's own components remain the path
for a trained pipeline the decoder does not reproduce.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch, registry
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

from pipelines.nlp import extensions
from pipelines.nlp.gazetteer import load_gazetteer
from pipelines.nlp.ner_decoder import Entity, GreedyNerDecoder, supports
from pipelines.nlp.sentences import sentence_bounds
from pipelines.nlp.speakers import decode_strings

MODEL_DIR = Path(__file__).resolve().parent / "model"
LOWERCASE_WORDS_FILE = "lowercase_words.txt"
MODEL_TO_IKRAR = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}

Region = tuple[int, int]
# Flags of a token in ``regions``: part of a rule entity, or just after one.
EXPLAINED, FOLLOWS_ENTITY = 1, 2


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
    default_config={"model_path": None, "context": None, "batch_size": 128},
)
def make_model_ner(
    nlp: Language, name: str, model_path: str | None, context: int | None, batch_size: int
) -> ModelEntityRecognizer:
    recognizer = ModelEntityRecognizer(name, Path(model_path) if model_path else MODEL_DIR, context, batch_size)
    # The trained ner labels its spans by string id; a host of another language (the English pipeline) has
    # never seen those strings, and spaCy refuses to create a span whose label it cannot resolve.
    for label in recognizer.trained.get_pipe("ner").labels:
        nlp.vocab.strings.add(label)
    return recognizer


class ModelEntityRecognizer:
    def __init__(self, name: str, model_path: Path, context: int | None = None, batch_size: int = 128):
        extensions.register()
        self.name = name
        self.batch_size = batch_size
        self.trained = spacy.load(model_path)
        self.context = receptive_field(self.trained.config) if context is None else context
        words_file = model_path / LOWERCASE_WORDS_FILE
        self.lowercase_words = set(
            words_file.read_text(encoding="utf-8").split()
        ) if words_file.exists() else set()
        self.non_name_words = non_name_words()
        self.common_acronyms = common_acronyms()
        self.titles = title_forms()
        self.embedding_cache = install_embedding_cache(self.trained)
        use_numpy_products(self.trained)
        self.decoder = numpy_decoder(self.trained) if self.embedding_cache is not None else None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        # Regions of several docs go through the trained pipeline together: short docs batch better.
        for batch in minibatch(docs, size=batch_size):
            # Token texts are read once per doc: regions and sub-docs both need them.
            words = {id(doc): doc_words(doc) for doc in batch}
            doc_regions = [(doc, region) for doc in batch for region in self.regions(doc, words[id(doc)])]
            found = self.predict(doc_regions, words)
            for doc in batch:
                add_model_ents(doc, found.get(id(doc), []), self.non_name_words, self.common_acronyms)
                yield doc

    def regions(self, doc: Doc, words: list[str] | None = None) -> list[Region]:
        """Token ranges the model must read: windows around unexplained capitalised tokens.

        Reads token texts and sentence starts as arrays: a ``Token`` object per word cost more than the model.
        """
        if words is None:
            words = doc_words(doc)
        bounds = [(ent.start, ent.end) for ent in doc.ents]  # Doc.ents builds its spans anew on every read
        explained = bytearray(len(doc) + 2)
        for start, end in bounds:
            explained[start:end] = b"\x01" * (end - start)
        for _, end in bounds:
            # Right after a rule entity (a comma between at most), where the rules may have cut a name short.
            explained[end] |= FOLLOWS_ENTITY
            explained[end + 1] |= FOLLOWS_ENTITY
        regions: list[Region] = []
        initials = WordInitials(words)
        for start, end in sentence_bounds(doc):
            cues = self.cues(words, start, end, explained, initials)
            if not cues:
                continue
            if self.context <= 0:
                regions.append((start, end))
                continue
            # One more token after the cue: the word that closes a name is read with its own context.
            windows = [(max(start, i - self.context), min(end, i + self.context + 2)) for i in cues]
            regions.extend(merge_overlapping(windows))
        return regions

    def capitals(self, words: list[str], start: int, end: int,
                 initials: WordInitials | None = None) -> Iterator[tuple[int, bool]]:
        """Capitalised words of a sentence that may name something, each with whether it is a weak cue.

        A weak cue is capitalised but names no one: a title ("Menteri Luar Negeri") or a word the rules' stop
        list says is never part of a name (days, months). ``regions`` reads one only next to a real cue.
        ``initials`` (of ``words``) is passed by a caller that reads many sentences of one doc.
        """
        initials = initials or WordInitials(words)
        # The sentence's first word (its first token that starts with a letter) is capitalised anyway.
        sentence_start = initials.first_letter(start, end)
        after_title = start
        for i in initials.capitalised(start, end):
            text = words[i]
            # A sentence's first word is a cue only if it is not a common word.
            if i == sentence_start and self.is_common_word(text.lower()):
                continue
            if i < after_title or text.lower() in self.non_name_words or is_common_acronym(text, self.common_acronyms):
                yield i, True
                continue
            title_length = self.title_length(words, i, end)
            if title_length:
                after_title = i + title_length
            yield i, bool(title_length)

    def cues(self, words: list[str], start: int, end: int, explained: bytearray,
             initials: WordInitials | None = None) -> list[int]:
        """Unexplained capitalised words the model must read around.

        A weak cue counts only within reach of a real one, where it may be part of the same name ("Badan Usaha
        Milik Negara") and its window keeps that name's right context whole; a title or a weekday far from any
        unexplained name (the name after a title is usually the rules' already) would only cost a window.
        """
        found = [(i, weak) for i, weak in self.capitals(words, start, end, initials) if not explained[i] & EXPLAINED]
        strong = [i for i, weak in found if not weak or explained[i] & FOLLOWS_ENTITY]
        if not strong:
            return []
        reach = max(self.context, 1) + 1 if self.context > 0 else end - start
        return [i for i, weak in found if not weak or _distance_to(strong, i) <= reach]

    def is_common_word(self, lower: str) -> bool:
        """A common word, also when inflected: "-nya"/"-lah"/"-kah"/"-pun" added, or reduplicated ("negara-negara")."""
        if lower in self.lowercase_words:
            return True
        base = lower.partition("-")[0] if "-" in lower else lower.removesuffix("nya").removesuffix("lah")
        base = base.removesuffix("kah").removesuffix("pun") if base == lower else base
        return base != lower and base in self.lowercase_words

    def title_length(self, words: list[str], i: int, end: int) -> int:
        """Tokens of the longest title (from the rules' title list) starting at ``words[i]``; 0 if none does."""
        for form in self.titles.get(words[i], ()):
            if tuple(words[i:min(end, i + len(form))]) == form:
                return len(form)
        return 0

    def predict(
        self, doc_regions: list[tuple[Doc, Region]], words: dict[int, list[str]] | None = None
    ) -> dict[int, list[tuple[int, int, str]]]:
        """Run the trained layers on each region; entity token spans in their doc, keyed by ``id(doc)``.

        ``words`` maps ``id(doc)`` to the doc's token texts when the caller already read them.
        """
        found: dict[int, list[tuple[int, int, str]]] = {}
        if self.decoder is not None:
            entities = self.decode(doc_regions)
        else:
            entities = self.run_trained_pipeline(doc_regions, words)
        for (doc, (start, _)), spans in zip(doc_regions, entities, strict=True):
            found.setdefault(id(doc), []).extend((start + first, start + end, label) for first, end, label in spans)
        return found

    def decode(self, doc_regions: list[tuple[Doc, Region]]) -> list[list[Entity]]:
        """Entities of each region: its words' rows from the embedding cache, the window encoder, the decoder.

        No ``Doc`` is made for a region: the cache reads the words' hashes straight from the host doc.
        """
        if not doc_regions:
            return []
        columns: dict[int, numpy.ndarray] = {}  # per doc: (word hash, is whitespace)
        for doc, _ in doc_regions:
            if id(doc) not in columns:
                columns[id(doc)] = doc.to_array([ORTH, IS_SPACE])
        regions = [columns[id(doc)][start:end] for doc, (start, end) in doc_regions]
        vocab, encoder = doc_regions[0][0].vocab, self.trained.get_pipe("tok2vec").model.layers[1]
        found: list[list[Entity]] = []
        for chunk in chunks_of_words(regions, MAX_DECODED_WORDS):
            embedded = self.embedding_cache.rows([region[:, 0] for region in chunk], vocab)
            found.extend(self.decoder(encoder.predict(embedded), [region[:, 1] for region in chunk]))
        return found

    def run_trained_pipeline(
        self, doc_regions: list[tuple[Doc, Region]], words: dict[int, list[str]] | None
    ) -> list[list[Entity]]:
        """Entities of each region, by the trained pipeline's own components on a ``Doc`` of its words."""
        # Sub-docs share the host's vocab: its lexemes already exist (no new strings, no vocab growth), and
        # the trained layers only read hashed lexeme attributes, which are the same in any vocab.
        if words is None:
            words = {id(doc): doc_words(doc) for doc in {id(doc): doc for doc, _ in doc_regions}.values()}
        sub_docs: Iterable[Doc] = [Doc(doc.vocab, words=words[id(doc)][s:e]) for doc, (s, e) in doc_regions]
        for _, component in self.trained.pipeline:
            sub_docs = component.pipe(sub_docs, batch_size=self.batch_size)
        return [[(ent.start, ent.end, ent.label_) for ent in sub_doc.ents] for sub_doc in sub_docs]


def embeds_words_alone(embed_config: dict) -> bool:
    """Whether a tok2vec ``embed`` config reads nothing but attributes of the word itself."""
    attrs = embed_config.get("attrs") or ()
    return ("MultiHashEmbed" in str(embed_config.get("@architectures", "")) and bool(attrs)
            and set(attrs) <= LEXEME_ATTRS and not embed_config.get("include_static_vectors"))


def use_numpy_products(trained: Language) -> None:
    """Have the trained layers multiply their matrices with numpy (OpenBLAS) on one thread, not with blis.

    Why: thinc multiplies with the blis build spaCy installs, and on a CPU that build does not recognise (the
    2-core AMD EPYC we measure on) blis falls back to its generic reference kernels: 2.5 times slower than numpy's
    OpenBLAS on the tok2vec's products, which made the model's layers a third slower. The predictions are the
    same (dev: every sentence). One thread, for the whole process: extraction runs one worker process per core,
    and BLAS threads could only compete with the other workers for the same cores.
    """
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in trained.pipeline:
        for node in component.model.walk():
            node.ops = ops


# Words decoded together: the decoder's precomputed rows take ~1.6 kB a word, so a batch of very long articles
# would otherwise hold hundreds of MB at once; 20,000 words still make long steps for the numpy decoder.
MAX_DECODED_WORDS = 20_000


def chunks_of_words(regions: list[numpy.ndarray], max_words: int) -> Iterator[list[numpy.ndarray]]:
    """Consecutive runs of regions of at most ``max_words`` words each (a longer region alone)."""
    chunk: list[numpy.ndarray] = []
    words = 0
    for region in regions:
        if chunk and words + len(region) > max_words:
            yield chunk
            chunk, words = [], 0
        chunk.append(region)
        words += len(region)
    if chunk:
        yield chunk


# Word attributes the tok2vec may embed whose value is the word's alone, whatever its context.
LEXEME_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "PREFIX", "SUFFIX", "SHAPE"})
MAX_CACHED_WORDS = 50_000  # distinct words kept per process (10-20 MB at width 48); emptied past it


class EmbeddingCache:
    """The tok2vec's embedding layer, run once per distinct word: each word's row is kept and reused.

    Why: that layer (four hash embeddings and a maxout that mixes them) reads attributes of the word alone, so
    its row for a word is the same wherever the word stands, and news repeats its words: reading rows back cut
    the tok2vec's time by a quarter. Only the window encoder after it reads context. The rows are computed by
    the layer itself on a doc of the unseen words, so they are bit for bit those it computes in place.
    """

    def __init__(self, embed: Model, max_words: int = MAX_CACHED_WORDS):
        self.embed = embed
        self.max_words = max_words
        self.row_of: dict[int, int] = {}
        self.table = numpy.zeros((0, embed.get_dim("nO")), dtype="f")

    def __call__(self, docs: list[Doc]) -> list[numpy.ndarray]:
        return self.rows([doc.to_array(ORTH) for doc in docs], docs[0].vocab if docs else None)

    def rows(self, orths: list[numpy.ndarray], vocab) -> list[numpy.ndarray]:
        """The embedding rows of each sequence of word hashes (``ORTH``), whose strings are in ``vocab``."""
        flat = numpy.concatenate(orths).tolist() if orths else []
        unseen = [orth for orth in dict.fromkeys(flat) if orth not in self.row_of]
        if len(self.row_of) + len(unseen) > self.max_words:
            self.row_of.clear()
            unseen = list(dict.fromkeys(flat))
        if unseen:
            self._embed(vocab, unseen)
        rows = self.table[numpy.fromiter(map(self.row_of.__getitem__, flat), dtype=numpy.int64, count=len(flat))]
        bounds = numpy.cumsum([len(doc_orths) for doc_orths in orths])[:-1]
        return numpy.split(rows, bounds) if orths else []

    def _embed(self, vocab, unseen: list[int]) -> None:
        vectors = self.embed.predict([Doc(vocab, words=[vocab.strings[orth] for orth in unseen])])[0]
        first = len(self.row_of)
        if first + len(unseen) > len(self.table):
            grown = numpy.zeros((max(2 * len(self.table), first + len(unseen), 1024), vectors.shape[1]), dtype="f")
            grown[:first] = self.table[:first]
            self.table = grown
        self.table[first:first + len(unseen)] = vectors
        self.row_of.update(zip(unseen, range(first, first + len(unseen)), strict=True))


def install_embedding_cache(trained: Language) -> EmbeddingCache | None:
    """Put an ``EmbeddingCache`` in front of the trained tok2vec's embedding layer, for prediction only.

    Only where that layer embeds word attributes alone (spaCy's ``MultiHashEmbed`` over lexeme attributes); any
    other tok2vec is left as it is. Returns the cache, or None where none was installed.
    """
    if "tok2vec" not in trained.pipe_names:
        return None
    tok2vec = trained.get_pipe("tok2vec").model
    embed = tok2vec.layers[0] if tok2vec.layers else None
    embed_config = trained.config["components"]["tok2vec"]["model"].get("embed", {})
    if embed is None or not embed.name.startswith("extract_features") or not embeds_words_alone(embed_config):
        return None
    cache = EmbeddingCache(embed)

    def forward(model: Model, docs: list[Doc], is_train: bool):
        if is_train:
            raise RuntimeError("the embedding cache is for prediction: train the model without it")
        return cache(docs), lambda gradient: []

    tok2vec.layers[0] = Model("cached_embed", forward, layers=[embed])
    return cache


def numpy_decoder(trained: Language) -> GreedyNerDecoder | None:
    """A ``GreedyNerDecoder`` for the trained pipeline's ner, where it is one the decoder reproduces.

    The pipeline must be a tok2vec the ner listens to (as ``train_ner`` trains it), whose window encoder is its
    second layer, after the embedding.
    """
    if trained.pipe_names != ["tok2vec", "ner"] or len(trained.get_pipe("tok2vec").model.layers) != 2:
        return None
    ner = trained.get_pipe("ner")
    return GreedyNerDecoder(ner) if supports(ner) else None


def common_acronyms(data_dir: Path | None = None) -> frozenset[str]:
    """Lowercase acronyms for common nouns ("bbm", "phk"): never an entity on their own."""
    return frozenset(load_gazetteer(data_dir).stopwords.get("common_acronym", ()))


def is_common_acronym(text: str, acronyms: frozenset[str]) -> bool:
    """``text`` is one of ``acronyms`` (lower case: "bbm", "phk") written in capitals, as an acronym is."""
    return text[:2].isupper() and text.lower() in acronyms


def non_name_words(data_dir: Path | None = None) -> frozenset[str]:
    """Lowercase words the rules' stop list marks as never part of a name (days, months, "pemerintah")."""
    return frozenset(load_gazetteer(data_dir).stopwords.get("name_stop", ()))


def title_forms(data_dir: Path | None = None) -> dict[str, list[tuple[str, ...]]]:
    """The rules' titles and honorifics ("Menteri Luar Negeri") as word tuples, keyed by first word, longest first."""
    forms: dict[str, list[tuple[str, ...]]] = {}
    for title in load_gazetteer(data_dir).titles:
        words = tuple(title.form.split())
        if words[0][:1].isupper():
            forms.setdefault(words[0], []).append(words)
    return {first: sorted(set(found), key=len, reverse=True) for first, found in forms.items()}


def receptive_field(config: dict) -> int:
    """Tokens either side a token's vector depends on: depth × window_size of the tok2vec's window encoder.

    0 (read whole sentences) when the encoder is not a stack of fixed windows, whose reach we cannot bound.
    """
    encode = config["components"]["tok2vec"]["model"].get("encode", {})
    if "WindowEncoder" not in str(encode.get("@architectures", "")):
        return 0
    return int(encode["depth"]) * int(encode["window_size"])


# Kind of a word by its first character: no letter, a lowercase letter, a capital letter.
OTHER_INITIAL, LOWER_INITIAL, CAPITAL_INITIAL = 0, 1, 2
_INITIALS: dict[str, int] = {}
MAX_INITIALS = 50_000  # distinct words remembered (a few MB); the memo is emptied past it


def initial_kind(word: str) -> int:
    first = word[:1]
    if not first.isalpha():
        return OTHER_INITIAL
    return CAPITAL_INITIAL if first.isupper() else LOWER_INITIAL


class WordInitials:
    """Which words of a doc start with a letter, and which with a capital, as sorted token indices.

    Why: ``capitals`` cares about capitalised words and each sentence's first word only; testing every token's
    first character in Python, sentence by sentence, cost more than the rest of ``regions``. Each word's kind is
    memoised, so a doc is classified by dict reads in C.
    """

    def __init__(self, words: list[str]):
        if len(_INITIALS) > MAX_INITIALS:
            _INITIALS.clear()
        kinds = list(map(_INITIALS.get, words))
        if None in kinds:
            for index, kind in enumerate(kinds):
                if kind is None:
                    kinds[index] = _INITIALS[words[index]] = initial_kind(words[index])
        positions = range(len(words))
        self.letters = list(itertools.compress(positions, kinds))
        self.capitals = list(itertools.compress(positions, map(CAPITAL_INITIAL.__eq__, kinds)))

    def first_letter(self, start: int, end: int) -> int | None:
        """The first token in [start, end) that starts with a letter."""
        at = bisect.bisect_left(self.letters, start)
        return self.letters[at] if at < len(self.letters) and self.letters[at] < end else None

    def capitalised(self, start: int, end: int) -> list[int]:
        """Tokens in [start, end) that start with a capital letter, in order."""
        return self.capitals[bisect.bisect_left(self.capitals, start):bisect.bisect_left(self.capitals, end)]


def doc_words(doc: Doc) -> list[str]:
    # Through the shared hash → string cache: a StringStore read decodes a new str for every token.
    return decode_strings(doc, doc.to_array(ORTH).tolist())


def _distance_to(sorted_indices: list[int], i: int) -> int:
    """Distance from ``i`` to the nearest of ``sorted_indices`` (not empty)."""
    at = bisect.bisect_left(sorted_indices, i)
    return min(abs(sorted_indices[j] - i) for j in (at - 1, at) if 0 <= j < len(sorted_indices))


def merge_overlapping(windows: list[Region]) -> list[Region]:
    merged: list[Region] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# Rule entities a longer model entity may swallow: a known name inside a longer one the rules do not know
# ("Serikat Petani Indonesia", "Bursa Efek New York"). Persons found after a title are never replaced.
REPLACEABLE_SOURCES = ("gazetteer", "pattern")


def add_model_ents(doc: Doc, found: list[tuple[int, int, str]], stop_words: frozenset[str] = frozenset(),
                   common_acronyms: frozenset[str] = frozenset()) -> None:
    """Add model spans that overlap no rule entity, or that strictly contain the rule entities they overlap.

    Rule entities are otherwise never touched: the model fills gaps and extends a known name to the longer
    name it is part of. ``stop_words`` (lower case) end a name: a place loses them at its end ("Jalan Hayam
    Wuruk Nomor 30" is the street "Jalan Hayam Wuruk"). A span made only of ``common_acronyms`` (lower case;
    "BBM", "PHK" written in capitals) names nothing and is dropped.
    """
    if not found:
        return
    ents = list(doc.ents)
    owner = {i: ent for ent in ents for i in range(ent.start, ent.end)}
    added: list[Span] = []
    dropped: set[int] = set()
    for start, end, label in sorted(found):
        ikrar_label = MODEL_TO_IKRAR.get(label)
        if ikrar_label is None:
            continue
        if ikrar_label == "PLACE":
            while end > start + 1 and doc[end - 1].lower_ in stop_words:
                end -= 1
        if ikrar_label == "PERSON":
            start, end = _within_brackets(doc, start, end)
            start, end = _beside_rule_entities(owner, start, end)
        start, end = _without_stray_brackets(doc, start, end)
        if start >= end or not any(token.text[:1].isalnum() for token in doc[start:end]):
            continue  # a quote or a dash the model tagged alone: no name, and no id could be made of it
        if all(is_common_acronym(token.text, common_acronyms) for token in doc[start:end]):
            continue  # "harga BBM", "PHK massal": an acronym for a common noun names nothing
        overlapped = {id(owner[i]): owner[i] for i in range(start, end) if i in owner}.values()
        if overlapped and not all(_swallowable(ent, start, end) for ent in overlapped):
            continue
        dropped.update(id(ent) for ent in overlapped)
        span = Span(doc, start, end, label=ikrar_label)
        added.append(span)
        for i in range(start, end):
            owner[i] = span
    if not added:
        return
    doc.ents = [*(ent for ent in ents if id(ent) not in dropped), *added]
    for span in added:
        span._.source = "model"


def _without_stray_brackets(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The span without a closing bracket at its end that it does not open, or an opening one at its start that it
    does not close: "BEI )" in "Bursa Efek Indonesia ( BEI ) Medan" is the acronym "BEI"."""
    if end - start > 1 and doc[end - 1].text == ")" and "(" not in {t.text for t in doc[start:end - 1]}:
        end -= 1
    if end - start > 1 and doc[start].text == "(" and ")" not in {t.text for t in doc[start + 1:end]}:
        start += 1
    return start, end


def _within_brackets(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The part of a span before a bracket, or after a bracket it does not open: "Zainal Abidin (Indonesia)" is
    a person and his country, "(Persero) Yushan Sayuti" a company's suffix and a person. Organizations keep
    their bracketed acronym ("Himpunan Mahasiswa Islam (HMI)") and places their country ("Perth (Australia)"),
    so the caller asks this of persons only.
    """
    texts = [token.text for token in doc[start:end]]
    if texts[0] == "(" and ")" in texts:  # "(Jokowi)": the name in the brackets
        return start + 1, start + texts.index(")")
    if ")" in texts and "(" not in texts[: texts.index(")")]:
        start += texts.index(")") + 1
        texts = texts[texts.index(")") + 1:]
    if "(" in texts:
        end = start + texts.index("(")
    return start, end


def _beside_rule_entities(owner: dict[int, Span], start: int, end: int) -> tuple[int, int]:
    """The part of a person the model found after a country or an organization the rules found inside it:
    "Belanda Hugo de Vries" is a country and a person, "Partai Demokrat Ruhut Sitompul" a party and a person.
    A person with the rules' entity at its end ("Presiden Terpilih Joko Widodo") or holding the rules' person is
    the rules' alone. A one-word city at the start may be a given name ("Aden Hashi Ayro"): it stays swallowable.
    """
    inside = [owner[i] for i in range(start, end) if i in owner]
    breaking = [ent for ent in inside if ent.label_ in ("COUNTRY", "ORG", "PERSON") or len(ent) > 1]
    if not breaking:
        return start, end
    if any(ent.label_ == "PERSON" for ent in breaking):
        return start, start  # the rules' person, wherever the model would start or end it ("Mahfud" + "MD")
    after = max(ent.end for ent in breaking)
    return (after, end) if after < end else (start, start)


def _swallowable(ent: Span, start: int, end: int) -> bool:
    inside = start <= ent.start and ent.end <= end and end - start > len(ent)
    return inside and ent._.source in REPLACEABLE_SOURCES and ent.label_ != "PERSON"


def build_model_only_nlp(model_path: str | Path | None = None, context: int | None = None) -> Language:
    """``blank("id")`` with ikrar's tokenizer + sentencizer + this component: the NER without the rules."""
    from pipelines.nlp.tokenizer import customize_tokenizer

    nlp = spacy.blank("id")
    customize_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    config = {"model_path": str(model_path) if model_path else None, "context": context}
    nlp.add_pipe("ikrar_model_ner", config=config)
    return nlp
