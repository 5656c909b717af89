"""From one file's bytes to the warehouse rows of one article (decode → parse → spaCy → rows).

Pure with respect to the warehouse: the result depends only on the bytes and the pipeline version, so a batch
of files can be extracted in any process (or machine) and loaded later by the single writer.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from pipelines.config import Limits, pipeline_version
from pipelines.inbox import article_id_for
from pipelines.nlp import extensions
from pipelines.nlp.extensions import span_extension_key
from pipelines.nlp.gazetteer import describe_entity
from pipelines.parse.article import parse_file_text
from pipelines.parse.decode import decode_bytes
from pipelines.parse.types import IngestError, Issue, ParsedArticle

NlpFactory = Callable[[str], Language]


@dataclass
class ArticleRows:
    """Everything one article contributes to the warehouse, keyed by table name."""

    article_id: str
    encoding: str
    tables: dict[str, list[dict]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


# Docs annotated together by one ``nlp.pipe`` call. The trained NER then reads the regions of many docs in one
# batch (fewer, larger matrix products: the spaCy pass took ~15% less time than one doc at a time), while only a
# chunk's docs are held in memory at once.
PIPE_BATCH_SIZE = 32
# ... and at most this many characters of body text (one longer body goes alone): a chunk of long articles (up to
# IKRAR_MAX_CHARS each) keeps a worker's memory near that of a chunk of ordinary ones (~5,000 characters each).
PIPE_BATCH_CHARS = 400_000


@dataclass
class _Prepared:
    """A file decoded and parsed, waiting for its doc."""

    sha256: str
    encoding: str
    issues: list[Issue]
    parsed: ParsedArticle


def extract_article(
    data: bytes, *, source_path: str, nlp_for: NlpFactory, limits: Limits, processed_at: datetime
) -> ArticleRows:
    """Raises ``IngestError`` when the file cannot be loaded as an article (it is then quarantined)."""
    [result] = extract_articles([(data, source_path)], nlp_for=nlp_for, limits=limits, processed_at=processed_at)
    if isinstance(result, Exception):
        raise result
    return result


def extract_articles(
    files: Iterable[tuple[bytes, str]], *, nlp_for: NlpFactory, limits: Limits, processed_at: datetime,
    batch_size: int = PIPE_BATCH_SIZE,
) -> Iterator[ArticleRows | Exception]:
    """``extract_article`` over many files (``(bytes, source_path)`` pairs), in order: for each, its rows or the
    exception that stopped it (``IngestError`` when the file is no article, anything else for a bug).

    The docs of ``batch_size`` files go through ``nlp.pipe`` together; one failing file never costs the others.
    """
    for chunk in minibatch(files, size=batch_size):
        prepared = [_prepare(data, limits) for data, _ in chunk]
        docs = _annotate_all([item for item in prepared if isinstance(item, _Prepared)], nlp_for)
        for (_, source_path), item in zip(chunk, prepared, strict=True):
            if isinstance(item, Exception):
                yield item
                continue
            doc = docs[id(item)]
            if isinstance(doc, Exception):
                yield doc
                continue
            try:
                yield _rows(item, doc, source_path, processed_at)
            except Exception as error:  # a bug in one article's rows must not stop the others
                yield error


def _prepare(data: bytes, limits: Limits) -> _Prepared | Exception:
    try:
        decoded = decode_bytes(data)
        parsed = parse_file_text(decoded.text)
        if len(parsed.body_text) > limits.max_chars:
            raise IngestError(
                "text_too_long",
                f"body has {len(parsed.body_text)} characters, over the limit of {limits.max_chars} (IKRAR_MAX_CHARS)",
            )
    except Exception as error:  # returned: the caller reports it for this file alone
        return error
    return _Prepared(hashlib.sha256(data).hexdigest(), decoded.encoding, decoded.issues + parsed.issues, parsed)


def _annotate_all(prepared: list[_Prepared], nlp_for: NlpFactory) -> dict[int, Doc | Exception]:
    """The annotated doc of each prepared file (keyed by ``id``), or the exception its pipeline raised.

    Each language's docs go through ``nlp.pipe`` together. When the pipeline raises, the docs it had already
    finished are kept and the rest are annotated again one at a time, each from a fresh doc (the failed pass may
    have annotated them halfway), so that the exception is charged to the one file that raised it.
    """
    docs: dict[int, Doc | Exception] = {}
    by_language: dict[str, list[_Prepared]] = defaultdict(list)
    for item in prepared:
        by_language[item.parsed.language].append(item)
    for language, all_items in by_language.items():
        for items in _within_char_budget(all_items):
            try:
                nlp = nlp_for(language)
                for item, doc in zip(items, nlp.pipe(_make_doc(item.parsed, nlp) for item in items), strict=True):
                    docs[id(item)] = doc
            except Exception:  # retried below, file by file
                for item in items:
                    if id(item) not in docs:
                        docs[id(item)] = _annotate_alone(item.parsed, nlp_for)
    return docs


def _within_char_budget(items: list[_Prepared]) -> Iterator[list[_Prepared]]:
    """``items`` in order, in groups of at most ``PIPE_BATCH_CHARS`` characters of body (or one longer body)."""
    group: list[_Prepared] = []
    size = 0
    for item in items:
        length = len(item.parsed.body_text)
        if group and size + length > PIPE_BATCH_CHARS:
            yield group
            group, size = [], 0
        group.append(item)
        size += length
    if group:
        yield group


def _annotate_alone(parsed: ParsedArticle, nlp_for: NlpFactory) -> Doc | Exception:
    try:
        return annotate(parsed, nlp_for(parsed.language))
    except Exception as error:  # returned: the caller reports it for this file alone
        return error


def _make_doc(parsed: ParsedArticle, nlp: Language) -> Doc:
    doc = nlp.make_doc(parsed.body_text)
    doc._.paragraphs = list(parsed.paragraphs)
    return doc


def _rows(item: _Prepared, doc: Doc, source_path: str, processed_at: datetime) -> ArticleRows:
    parsed = item.parsed
    article_id = article_id_for(item.sha256)
    rows = ArticleRows(article_id=article_id, encoding=item.encoding, issues=item.issues)
    sentence_of_token, sentences = _sentence_rows(doc, parsed, article_id)
    article = _article_row(parsed, doc, article_id, item.sha256, source_path, item.encoding, processed_at)
    article["n_sentences"] = len(sentences)
    mentions, observations = _entity_rows(doc, parsed.body_text, article_id, sentence_of_token)
    commitments, parties = _commitment_rows(doc, parsed.body_text, article_id, sentence_of_token, observations)
    rows.tables = {
        "articles": [article],
        "sentences": sentences,
        "entity_mentions": mentions,
        "entity_observations": list(observations.values()),
        "commitments": commitments,
        "commitment_parties": parties,
    }
    return rows


def annotate(parsed: ParsedArticle, nlp: Language) -> Doc:
    return nlp(_make_doc(parsed, nlp))


def _article_row(parsed: ParsedArticle, doc: Doc, article_id: str, sha256: str, source_path: str,
                 encoding: str, processed_at: datetime) -> dict:
    return {
        "article_id": article_id,
        "source_path": source_path,
        "content_sha256": sha256,
        "language": parsed.language,
        "agency": parsed.agency,
        "dateline_place": parsed.dateline_place,
        "published_date": parsed.published_date,
        "title": parsed.title,
        "reporter": parsed.reporter,
        "editor": parsed.editor,
        "translator": parsed.translator,
        "copyright_year": parsed.copyright_year,
        "body_text": parsed.body_text,
        "n_paragraphs": len(parsed.paragraphs),
        "n_tokens": int(len(doc) - doc.to_array(IS_SPACE).sum()),
        "encoding": encoding,
        "pipeline_version": pipeline_version(),
        "processed_at": processed_at,
    }


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_rows(doc: Doc, parsed: ParsedArticle, article_id: str) -> tuple[list[int], list[dict]]:
    """Sentence rows, and for each token the index of the sentence it belongs to.

    Works on the doc's token arrays rather than iterating ``doc.sents`` token by token: creating a Python
    ``Token`` per token cost as much as the whole spaCy pipeline. A whitespace-only "sentence" (between
    paragraphs) is not a row; its tokens belong to the sentence before it (or to 0 at the very start).
    """
    if not len(doc):
        return [], []
    starts = numpy.flatnonzero(doc.to_array(SENT_START).astype(numpy.int64) == 1)
    if not len(starts) or starts[0] != 0:
        starts = numpy.concatenate(([0], starts))
    text = parsed.body_text  # the doc's text: ``doc.text`` would join a Python Token per token
    token_chars = doc.to_array(IDX).astype(numpy.int64)
    start_chars = token_chars[starts].tolist()
    # Text between sentences is whitespace, so trimming [start of this, start of next) equals trimming the span.
    end_chars = [*start_chars[1:], len(text)]
    paragraph_starts = [start for start, _ in parsed.paragraphs]
    rows: list[dict] = []
    row_of_sentence: list[int] = []
    for sent_start, sent_end in zip(start_chars, end_chars, strict=True):
        start, end = _trimmed(text, sent_start, sent_end)
        if start == end:
            row_of_sentence.append(max(len(rows) - 1, 0))
            continue
        row_of_sentence.append(len(rows))
        rows.append({
            "article_id": article_id,
            "sentence_index": len(rows),
            "paragraph_index": max(bisect.bisect_right(paragraph_starts, start) - 1, 0),
            "start_char": start,
            "end_char": end,
            "text": text[start:end],
        })
    sentence_of_each_token = numpy.repeat(row_of_sentence, numpy.diff(numpy.append(starts, len(doc))))
    return sentence_of_each_token.tolist(), rows


class _Seen(NamedTuple):
    """What one mention says about its entity."""

    label: str
    text: str
    canonical_name: str | None
    country_iso3: str | None
    role: str | None


def _entity_rows(doc: Doc, text: str, article_id: str,
                 sentence_of_token: list[int]) -> tuple[list[dict], dict[str, dict]]:
    """Mention rows and one observation per entity. The ``Span._`` attributes are read straight from
    ``doc.user_data`` and the mention's text sliced from ``text`` (the doc's): ``span._`` and ``span.text``
    cost several times the dict read, once per attribute of every mention."""
    get = doc.user_data.get
    mentions: list[dict] = []
    by_entity: dict[str, list[_Seen]] = defaultdict(list)
    for ent in doc.ents:
        label, start_char, end_char = ent.label_, ent.start_char, ent.end_char
        entity_id = get(span_extension_key("entity_id", start_char, end_char))
        if label not in extensions.ENTITY_TYPES or not entity_id:
            continue
        mention_text = text[start_char:end_char]
        mentions.append({
            "article_id": article_id,
            "sentence_index": sentence_of_token[ent.start],
            "start_char": start_char,
            "end_char": end_char,
            "mention_text": mention_text,
            "entity_id": entity_id,
            "entity_type": label,
            "source": get(span_extension_key("source", start_char, end_char)),
        })
        by_entity[entity_id].append(_Seen(label, mention_text,
                                          get(span_extension_key("canonical_name", start_char, end_char)),
                                          get(span_extension_key("country_iso3", start_char, end_char)),
                                          get(span_extension_key("role", start_char, end_char))))
    observations = {entity_id: _observation(article_id, entity_id, seen) for entity_id, seen in by_entity.items()}
    return mentions, observations


def _most_common(values: list) -> object | None:
    """The most frequent non-empty value; ties go to the longest, then the alphabetically first."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -len(str(v)), str(v)))


def _observation(article_id: str, entity_id: str, seen: list[_Seen]) -> dict:
    if len(seen) == 1:  # most entities are named once: each attribute is that mention's (or None when empty)
        [only] = seen
        return {
            "article_id": article_id,
            "entity_id": entity_id,
            "entity_type": only.label or None,
            "canonical_name": only.canonical_name or only.text or None,
            "country_iso3": only.country_iso3 or None,
            "role": only.role or None,
            "aliases": [only.text],
            "n_mentions": 1,
        }
    return {
        "article_id": article_id,
        "entity_id": entity_id,
        "entity_type": _most_common([s.label for s in seen]),
        "canonical_name": _most_common([s.canonical_name or s.text for s in seen]),
        "country_iso3": _most_common([s.country_iso3 for s in seen]),
        "role": _most_common([s.role for s in seen]),
        "aliases": sorted({s.text for s in seen}),
        "n_mentions": len(seen),
    }


def _commitment_rows(doc: Doc, text: str, article_id: str, sentence_of_token: list[int],
                     observations: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """``text`` is the doc's text (the body it was made from), passed because ``doc.text`` builds every token."""
    commitments: list[dict] = []
    parties: list[dict] = []
    token_starts = doc.to_array(IDX).tolist()
    for found in doc._.commitments or []:
        if not found.actor_ids:
            continue  # the contract: every commitment has an actor
        key = f"{article_id}:{found.start_char}:{found.end_char}:{found.trigger_start}"
        commitment_id = hashlib.sha256(key.encode()).hexdigest()[:16]
        token_index = max(bisect.bisect_right(token_starts, found.trigger_start) - 1, 0)
        commitments.append({
            "commitment_id": commitment_id,
            "article_id": article_id,
            "sentence_index": sentence_of_token[token_index] if len(doc) else 0,
            "start_char": found.start_char,
            "end_char": found.end_char,
            "evidence_text": text[found.start_char:found.end_char],
            "speaker_entity_id": found.speaker_id,
            "modality": found.modality,
            "trigger_text": text[found.trigger_start:found.trigger_end],
            "trigger_start": found.trigger_start,
            "trigger_end": found.trigger_end,
            "action_text": found.action_text,
            "domains": list(found.domains),
            "negated": found.negated,
            "status": found.status,
            "confidence": round(float(found.confidence), 3),
        })
        actors = list(dict.fromkeys(found.actor_ids))
        targets = [t for t in dict.fromkeys(found.target_ids) if t not in actors]
        for role, ids in (("actor", actors), ("target", targets)):
            parties.extend(
                {"commitment_id": commitment_id, "article_id": article_id, "entity_id": entity_id, "role": role}
                for entity_id in ids
            )
        for entity_id in [*actors, *targets, found.speaker_id]:
            if entity_id and entity_id not in observations:
                observations[entity_id] = _implied_observation(article_id, entity_id)
    return commitments, parties


def _implied_observation(article_id: str, entity_id: str) -> dict:
    """An entity a commitment names without a mention of its own (a capital standing for its country)."""
    entity_type, canonical_name, country_iso3 = describe_entity(entity_id)
    return {
        "article_id": article_id,
        "entity_id": entity_id,
        "entity_type": entity_type,
        "canonical_name": canonical_name,
        "country_iso3": country_iso3,
        "role": None,
        "aliases": [],
        "n_mentions": 0,
    }
