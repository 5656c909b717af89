"""Who says what: reported-speech frames, quotations and the speaker carried across an article.

A *speech frame* is the part of a sentence that attributes it: "kata Xi", "ujarnya", "Menurut Xi,",
"Rahmon mengatakan bahwa", "Xi said", "according to Xi", "he added". Speech-act cues of the commitment
lexicon ("Xi menyerukan …", "Ia meminta …", "Jokowi berjanji …") are frames too: the one who calls or
pledges is the one speaking. Frames are found from lexicons (``data/com_speech_verbs.jsonl``,
``data/com_party_phrases.jsonl``, ``data/com_modality_cues.jsonl``), never from names.

Pronoun frames ("kata dia", "katanya", "Ia menyatakan", "he said", "the president said") refer back to the
most salient person before them, across sentences and paragraphs: the later of the last *named* PERSON speaker
and the last PERSON standing as a sentence's subject ("Faisal menyambut pernyataan itu. Menurut dia, …").
News copy names a speaker once and then refers back.

Who stands before a speech verb is its speaker only in subject position: a party behind a preposition
("bertemu dengan Xi dan menyerukan …") is an object, and a comma-enclosed apposition may stand between the
speaker and the verb ("Peters, yang mendampingi Luxon, menegaskan …"). Two parties credited together
("Sjafrie dan Ahn berjanji …") give a frame with no single speaker.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from spacy.attrs import (
    ENT_TYPE,
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LOWER,
    ORTH,
    SPACY,
)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.tokens.underscore import Underscore

from pipelines.nlp.extensions import span_extension_key
from pipelines.nlp.sentences import sentence_bounds

DATA_DIR = Path(__file__).parent / "data"
SPEECH_VERBS = DATA_DIR / "com_speech_verbs.jsonl"
PARTY_PHRASES = DATA_DIR / "com_party_phrases.jsonl"
MODALITY_CUES = DATA_DIR / "com_modality_cues.jsonl"
GRAMMAR = DATA_DIR / "com_grammar.jsonl"

SPEAKER_LABELS = ("PERSON", "ORG", "COUNTRY")
# How far a preposed speaker may stand from its verb: "Presiden X pada Selasa (17/6) mengatakan".
MAX_SPEAKER_GAP = 10
# Title words between a postposed verb and the name: "kata Menteri Luar Negeri X".
MAX_TITLE_WORDS = 5
# Longest apposition between a speaker and its verb: "X, yang mendampingi Presiden Y, menegaskan".
MAX_APPOSITION = 8
# Title words and a preposed adjunct before a sentence's subject: "Di sela KTT, Menlu RI Sugiono …".
MAX_SUBJECT_LEAD = 10
QUOTE_CHARS = {'"': None, "“": "open", "”": "close"}
_QUOTE_MARK = re.compile("[" + "".join(QUOTE_CHARS) + "]")
_ONLY_PUNCTUATION = re.compile(r"^[\s,.:;]*$")
_INTRODUCES_QUOTE = re.compile(r"^\s*[:,]?\s*$")


@cache
def load_rows(path: Path, lang: str) -> tuple[dict, ...]:
    """The rows of a JSONL lexicon for one language (cached: read once per process)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if row.get("lang") == lang:
                    rows.append(row)
    return tuple(rows)


def grammar_words(lang: str, role: str) -> frozenset[str]:
    return frozenset(form for row in load_rows(GRAMMAR, lang) if row["role"] == role for form in row["forms"])


@dataclass
class SpeechFrame:
    """One attribution, in token offsets: ``start``..``end`` covers verb, speaker and a trailing "bahwa"."""

    start: int
    end: int
    verb_start: int
    verb_end: int
    speaker: Span | None  # the named entity, when the frame names one
    pronoun: bool  # the frame refers back ("katanya", "kata dia", "Ia menyatakan")
    speech_act: bool = False  # the verb is a commitment cue ("menyerukan", "berjanji")
    role: str | None = None  # a title-only frame ("the minister said"): the office its referent holds
    speaker_id: str | None = None  # filled by ``resolve_carry_over``
    speaker_iso3: str | None = None
    speaker_label: str | None = None

    @property
    def named(self) -> bool:
        return self.speaker is not None


@dataclass(frozen=True)
class Quote:
    start_char: int  # the opening quotation mark
    end_char: int  # just after the closing quotation mark
    frame: SpeechFrame | None  # the frame that attributes it, if one stands right beside it


class Match(NamedTuple):
    """A phrase-matcher hit as plain values: a Span per hit costs more than the rules spend on it."""

    label: str
    start: int
    end: int


def matches(matcher: PhraseMatcher, doc: Doc) -> list[Match]:
    """The matcher's hits without overlaps, in text order (``filter_spans`` on plain tuples, then labelled)."""
    strings = doc.vocab.strings
    return [Match(strings[key], start, end) for key, start, end in longest_matches(matcher(doc))]


def longest_matches(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping (key, start, end) hits in text order, the (first) longest kept where they overlap: the
    rule of ``spacy.util.filter_spans``, without building a Span per hit."""
    by_start = sorted(found, key=lambda hit: hit[1])
    if all(earlier[2] <= later[1] for earlier, later in itertools.pairwise(by_start)):
        return by_start  # nothing overlaps (the common case): all are kept
    kept = []
    seen: set[int] = set()
    for hit in sorted(found, key=lambda hit: (hit[2] - hit[1], -hit[1]), reverse=True):
        _, start, end = hit
        if start not in seen and end - 1 not in seen:
            kept.append(hit)
            seen.update(range(start, end))
    return sorted(kept, key=lambda hit: hit[1])


# Hash → string, shared by all docs: a StringStore read decodes a new str every time. A hash names one string
# whatever the vocab, so entries never go stale; the cache is emptied when it grows past its bound.
_DECODED: dict[int, str] = {}
MAX_DECODED = 50_000  # a few MB at most; a news vocabulary mostly fits


def decode_strings(doc: Doc, hashes: list[int]) -> list[str]:
    """``doc.vocab.strings[h]`` for each hash."""
    if len(_DECODED) > MAX_DECODED:
        _DECODED.clear()
    found = list(map(_DECODED.get, hashes))  # in C: a comprehension costs twice as much
    if None in found:
        strings = doc.vocab.strings
        for index, value in enumerate(found):
            if value is None:
                found[index] = _DECODED[hashes[index]] = strings[hashes[index]]
    return found


class TokenTable:
    """Token attributes of one doc as plain lists, read once per doc.

    Why: spaCy builds a new Python Token on every ``doc[i]`` or ``for token in doc`` (~0.5-1 µs), and the
    rules read the same few attributes of the same tokens over and over; a list index costs ~30 ns. The
    lexical flags and entity types are columns of ``Doc.to_array``, read on first use."""

    def __init__(self, doc: Doc):
        self.doc = doc
        orths, lowers, spaces, self.idx = doc.to_array([ORTH, LOWER, SPACY, IDX]).T.tolist()
        self.text = decode_strings(doc, orths)  # Token.text
        self.lower = decode_strings(doc, lowers)  # Token.lower_
        # Doc.text, rebuilt from the same columns (Doc.text itself is a loop over Token objects).
        # (SPACY is 0 or 1, so " " * space is the token's trailing whitespace; map keeps the loop in C.)
        self.doc_text = "".join(map(operator.add, self.text, map(" ".__mul__, spaces)))

    def __len__(self) -> int:
        return len(self.text)

    def end_char(self, i: int) -> int:
        """Where token ``i`` ends: Token.idx + len(Token)."""
        return self.idx[i] + len(self.text[i])

    def _flags(self, attr: int) -> list[bool]:
        return self.doc.to_array(attr).astype(bool).tolist()

    @cached_property
    def is_title(self) -> list[bool]:
        return self._flags(IS_TITLE)

    @cached_property
    def is_upper(self) -> list[bool]:
        return self._flags(IS_UPPER)

    # Flags read a few times a doc: one Token each costs less than a column.

    def is_lower_at(self, i: int) -> bool:
        return self.doc[i].is_lower

    def is_alpha_at(self, i: int) -> bool:
        return self.is_alpha[i]

    @cached_property
    def is_alpha(self) -> list[bool]:
        # A column, not a Token per read: the domain rules test the words before each of a doc's terms.
        return self._flags(IS_ALPHA)

    def is_digit_at(self, i: int) -> bool:
        return self.doc[i].is_digit

    @cached_property
    def is_punct(self) -> list[bool]:
        return self._flags(IS_PUNCT)

    @cached_property
    def is_space(self) -> list[bool]:
        return self._flags(IS_SPACE)

    @cached_property
    def ent_type(self) -> list[str]:
        """Token.ent_type_ ("" outside an entity)."""
        return decode_strings(self.doc, self.doc.to_array(ENT_TYPE).tolist())


class EntityIndex:
    """doc.ents by token, so rules can ask "which entity is here" in O(1); with the doc's ``TokenTable`` and
    each entity's extension attributes, read once (``span._.x`` costs ~1.5 µs a read)."""

    def __init__(self, doc: Doc, ents: tuple[Span, ...] | None = None):
        self.doc = doc
        self.tokens = TokenTable(doc)
        self.ents = list(doc.ents if ents is None else ents)  # Doc.ents builds its spans anew on every read
        self.starts = [ent.start for ent in self.ents]
        self.labels = [ent.label_ for ent in self.ents]
        self.by_token = [-1] * len(doc)
        for index, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.by_token[i] = index
        self.entity_ids = span_extension_values(doc, self.ents, "entity_id")
        self.roles = span_extension_values(doc, self.ents, "role")
        self.countries = [  # entity_country() of each entity
            iso3 or (entity_id.split(":", 1)[1] if entity_id and entity_id.startswith("country:") else None)
            for iso3, entity_id in zip(span_extension_values(doc, self.ents, "country_iso3"), self.entity_ids,
                                       strict=True)
        ]
        # Sentence bounds by token, read once: Span.sent rescans the doc on every call.
        bounds = sentence_bounds(doc)
        self.sent_starts, self.sent_ends = [start for start, _ in bounds], [end for _, end in bounds]

    def at(self, i: int) -> Span | None:
        if 0 <= i < len(self.by_token) and self.by_token[i] >= 0:
            return self.ents[self.by_token[i]]
        return None

    def entity_id(self, ent: Span) -> str | None:
        """``ent._.entity_id`` of one of ``self.ents``."""
        return self.entity_ids[self.by_token[ent.start]]

    def country(self, ent: Span) -> str | None:
        """``entity_country(ent)`` of one of ``self.ents``."""
        return self.countries[self.by_token[ent.start]]

    def label(self, ent: Span) -> str:
        return self.labels[self.by_token[ent.start]]

    def sentence(self, i: int) -> tuple[int, int]:
        """(start, end) of the sentence holding token ``i``."""
        index = bisect.bisect_right(self.sent_starts, i) - 1
        if index < 0:
            return 0, len(self.doc)
        return self.sent_starts[index], self.sent_ends[index]


def span_extension_values(doc: Doc, spans: list[Span], name: str) -> list:
    """``span._.<name>`` of each span of ``doc``.

    Why not ``span._``: it builds an Underscore object per read (~1.5 µs). A plain extension (a default, no
    getter or method) keeps its values in ``doc.user_data`` under ``span_extension_key``, so a dict read gives
    the same value. Other extensions are read through
    ``span._``; a mutable default is too (a read stores a copy of it)."""
    default, method, getter, _ = Span.get_extension(name)
    if method is not None or getter is not None or isinstance(default, Underscore.mutable_types):
        return [getattr(span._, name) for span in spans]
    user_data = doc.user_data
    return [user_data.get(span_extension_key(name, span.start_char, span.end_char), default) for span in spans]


def entity_country(span: Span) -> str | None:
    """The ISO3 a span stands for or belongs to (a PERSON's nationality, a capital's country)."""
    iso3 = span._.country_iso3
    if iso3:
        return iso3
    entity_id = span._.entity_id or ""
    return entity_id.split(":", 1)[1] if entity_id.startswith("country:") else None


class SpeakerFinder:
    """Finds speech frames and quotations in a doc; built once per pipeline."""

    def __init__(self, nlp: Language):
        lang = nlp.lang
        self.verbs: dict[str, dict] = {row["form"].lower(): row for row in load_rows(SPEECH_VERBS, lang)}
        # Speech-act cues and the words before them that make them no act ("was asked", a passive).
        self.act_verbs = {
            row["cue"].lower(): frozenset(w.lower() for w in row.get("blocked_after", []))
            for row in load_rows(MODALITY_CUES, lang)
            if row.get("speech_act")
        }
        # Referring phrases, as lower-case token tuples: "ia", "he", "the president".
        self.pronouns = frozenset(
            tuple(row["phrase"].lower().split())
            for row in load_rows(PARTY_PHRASES, lang)
            if row["resolves"] == "carried_speaker"
        )
        self.pronoun_lengths = sorted({len(p) for p in self.pronouns}, reverse=True)
        self.pronoun_ends = frozenset(p[-1] for p in self.pronouns)  # most tokens end none: one set test
        # Title-only phrases ("the foreign minister") refer to the last person named with that office.
        self.pronoun_roles = {
            tuple(row["phrase"].lower().split()): row["role"]
            for row in load_rows(PARTY_PHRASES, lang)
            if row["resolves"] == "carried_speaker" and row.get("role")
        }
        self.capitalized = frozenset(
            tuple(row["phrase"].lower().split()) for row in load_rows(PARTY_PHRASES, lang) if row.get("capitalized"))
        self.complementizers = grammar_words(lang, "complementizer")
        self.coordinators = grammar_words(lang, "coordinator") - {","}
        self.obliques = grammar_words(lang, "oblique_preposition")
        self.adverbs = grammar_words(lang, "adverb")
        self.barriers = grammar_words(lang, "clause_break") | {";", ",", '"', "“", "”"}
        # A caller stands right before its verb: "Xi (pada Selasa) menyerukan". A party behind "untuk",
        # "dengan" or "yang" is an object or a relative clause, not the one calling.
        self.act_barriers = (
            self.barriers
            | grammar_words(lang, "call_connector")
            | grammar_words(lang, "target_preposition")
            | grammar_words(lang, "relative_marker")
            | self.complementizers
        )
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for form in self.verbs:
            self.matcher.add(f"say:{form}", [nlp.make_doc(form)])
        for form in self.act_verbs:
            self.matcher.add(f"act:{form}", [nlp.make_doc(form)])

    # --- frames -------------------------------------------------------------------------------------------

    def frames(self, doc: Doc, ents: EntityIndex) -> list[SpeechFrame]:
        """All frames of the doc in text order, pronouns resolved to the carried speaker."""
        return self.read(doc, ents)[0]

    def read(self, doc: Doc, ents: EntityIndex) -> tuple[list[SpeechFrame], Referents]:
        """The frames, and who a later pronoun refers to (the commitment rules resolve "Ia akan …" with it)."""
        found: list[SpeechFrame] = []
        for match in matches(self.matcher, doc):
            frame = self._frame(match, ents)
            if frame is not None:
                found.append(frame)
        found.sort(key=lambda f: f.verb_start)
        return found, resolve_carry_over(found, ents)

    def _frame(self, match: Match, ents: EntityIndex) -> SpeechFrame | None:
        kind, _, form = match.label.partition(":")
        if kind == "act":
            blocked = match.start > 0 and ents.tokens.lower[match.start - 1] in self.act_verbs[form]
            return None if blocked else self._act_frame(match, ents)
        return self._say_frame(match, self.verbs[form], ents)

    def _say_frame(self, verb: Match, row: dict, ents: EntityIndex) -> SpeechFrame | None:
        where = row["speaker"]
        if where == "carried":
            return SpeechFrame(verb.start, verb.end, verb.start, verb.end, None, pronoun=True)
        if where in ("precedes", "either"):
            frame = self._speaker_before(verb, ents)
            if frame is not None or where == "precedes" or not self._inverted(
                    ents.tokens, verb, ents.sentence(verb.start)[0]):
                return frame
        return self._speaker_after(verb, ents, needs_name=bool(row.get("needs_name")))

    @staticmethod
    def _inverted(tokens: TokenTable, verb: Match, sent_start: int) -> bool:
        """'…," said Xi' / '…, said Xi': the speaker follows only an inverted verb. In "Greer said Washington
        is ready" the name after the verb is the reported clause's subject."""
        before = verb.start - 1
        return before < sent_start or tokens.is_punct[before] or tokens.is_space[before]

    def _act_frame(self, verb: Match, ents: EntityIndex) -> SpeechFrame | None:
        frame = self._speaker_before(verb, ents, extend=False, barriers=self.act_barriers)
        if frame is not None:
            frame.speech_act = True
        return frame

    def _speaker_before(
        self, verb: Match, ents: EntityIndex, extend: bool = True, barriers: frozenset[str] | None = None
    ) -> SpeechFrame | None:
        """'X mengatakan' / 'Ia menyatakan' / 'Xi said': the nearest person (or pronoun) to the left."""
        tokens = ents.tokens
        barriers = self.barriers if barriers is None else barriers
        is_act = barriers is self.act_barriers
        sent_start = ents.sentence(verb.start)[0]
        if not is_act and self._second_verb(tokens, verb, sent_start):
            return self._coordinated_verb_frame(verb, ents, extend)
        fallback: Span | None = None
        i = verb.start - 1
        while i >= max(sent_start, verb.start - MAX_SPEAKER_GAP):
            if tokens.text[i] == "," and fallback is None and self._only_adverbs(tokens, i + 1, verb.start):
                apposed = self._apposed_speaker(ents, i, sent_start)
                if apposed is not None:
                    i = apposed
                    continue
            if tokens.lower[i] in barriers or (fallback is not None and not tokens.is_title[i]):
                break  # past a country or organisation only its title words may follow ("Menlu Australia")
            ent = ents.at(i)
            if ent is not None and ents.label(ent) in SPEAKER_LABELS:
                preposition = governing_preposition(tokens, ent.start, self.obliques)
                if preposition is not None:
                    if is_act or fallback is not None:
                        break  # "bertemu dengan Xi dan menyerukan": the one met is no caller
                    i = preposition - 1  # "X dalam pertemuan dengan Y mengatakan": look past the object
                    continue
                if ents.label(ent) == "PERSON":
                    return self._frame_from_left(tokens, verb, ent, extend)
                fallback = fallback or ent
                i = ent.start - 1
                continue
            pronoun = self._pronoun_ending_at(tokens, i, sent_start)
            if pronoun is not None:
                if fallback is not None:
                    break
                end = self._frame_end(tokens, verb) if extend else verb.start
                role = self.pronoun_roles.get(tuple(tokens.lower[pronoun:i + 1]))
                return SpeechFrame(pronoun, end, verb.start, verb.end, None, pronoun=True, role=role)
            i -= 1
        return self._frame_from_left(tokens, verb, fallback, extend) if fallback is not None else None

    def _second_verb(self, tokens: TokenTable, verb: Match, sent_start: int) -> bool:
        """'X thanked Y … and said': the verb is the second of a coordination, so its speaker is the subject
        of the first, not the party right before the "and"."""
        i = verb.start - 1
        while i > sent_start and tokens.lower[i] in self.adverbs:
            i -= 1
        return i > sent_start and tokens.lower[i] in self.coordinators and tokens.text[i - 1] != ","

    def _coordinated_verb_frame(self, verb: Match, ents: EntityIndex, extend: bool) -> SpeechFrame | None:
        """The frame of a second coordinated verb: the sentence's subject speaks, if it is a party."""
        tokens = ents.tokens
        sent_start = ents.sentence(verb.start)[0]
        for ent in ents.ents[bisect.bisect_left(ents.starts, sent_start):]:
            if ent.start >= verb.start:
                break
            if ents.label(ent) in SPEAKER_LABELS and is_sentence_subject(ent, ents):
                # The frame covers "and said" only: the first verb's clause keeps its own parties.
                frame = self._frame_from_left(tokens, verb, ent, extend)
                frame.start = verb.start - 1
                while frame.start > sent_start and tokens.lower[frame.start] not in self.coordinators:
                    frame.start -= 1
                return frame
        return None

    def _only_adverbs(self, tokens: TokenTable, start: int, end: int) -> bool:
        return all(tokens.lower[k] in self.adverbs for k in range(start, end))

    def _apposed_speaker(self, ents: EntityIndex, comma: int, sent_start: int) -> int | None:
        """'X, yang mendampingi Y, menegaskan': the token index to continue from (X's last token), if any."""
        tokens = ents.tokens
        for j in range(comma - 1, max(sent_start, comma - MAX_APPOSITION - 1), -1):
            if tokens.text[j] in ('"', "“", "”", ";") or tokens.lower[j] in self.complementizers:
                return None
            if tokens.text[j] == ",":
                ent = ents.at(j - 1)
                return j - 1 if ent is not None and ents.label(ent) in SPEAKER_LABELS else None
        return None

    def _pronoun_ending_at(self, tokens: TokenTable, i: int, sent_start: int) -> int | None:
        """Start of a referring phrase ("ia", "the president") whose last token is ``i``."""
        if tokens.lower[i] not in self.pronoun_ends:
            return None
        for length in self.pronoun_lengths:
            start = i - length + 1
            if start < sent_start:
                continue
            phrase = tuple(tokens.lower[start:i + 1])
            if phrase in self.pronouns and (phrase not in self.capitalized or bare_title(tokens, start, i + 1)):
                return start
        return None

    def _frame_from_left(self, tokens: TokenTable, verb: Match, speaker: Span, extend: bool) -> SpeechFrame:
        # A speech-act frame stops before its verb: the verb is also the commitment's trigger.
        end = self._frame_end(tokens, verb) if extend else verb.start
        if self._credited_jointly(tokens, speaker, verb):
            return SpeechFrame(speaker.start, end, verb.start, verb.end, None, pronoun=False)
        return SpeechFrame(speaker.start, end, verb.start, verb.end, speaker, pronoun=False)

    def _credited_jointly(self, tokens: TokenTable, speaker: Span, verb: Match) -> bool:
        """'Sjafrie dan Ahn berjanji', 'Xi and Putin said': two speakers together are no single speaker."""
        if (verb.start - speaker.end >= 2 and tokens.lower[speaker.end] in self.coordinators
                and all(tokens.is_title[speaker.end + 1:verb.start])):
            return True
        j = speaker.start - 1
        while j >= 0 and tokens.is_title[j] and speaker.start - j <= MAX_TITLE_WORDS:
            j -= 1  # "Menlu RI Sugiono dan Menlu Jepang Iwaya": the title of the second name
        return j >= 1 and tokens.lower[j] in self.coordinators and tokens.ent_type[j - 1] in SPEAKER_LABELS

    def _frame_end(self, tokens: TokenTable, verb: Match) -> int:
        end = verb.end
        if end < len(tokens) and tokens.lower[end] in self.complementizers:
            end += 1  # "mengatakan bahwa" / "said that": the reported clause starts after it
        return end

    def _speaker_after(self, verb: Match, ents: EntityIndex, needs_name: bool) -> SpeechFrame | None:
        """'kata Xi' / 'Menurut Xi' / 'said Xi' / 'kata dia': a name or pronoun right after the verb."""
        tokens = ents.tokens
        sent_end = ents.sentence(verb.start)[1]
        if not needs_name:
            for length in self.pronoun_lengths:  # "kata dia", "said the foreign minister", "kata Menlu"
                phrase = tuple(tokens.lower[verb.end:min(sent_end, verb.end + length)])
                if (len(phrase) == length and phrase in self.pronouns and ents.at(verb.end + length) is None
                        and (phrase not in self.capitalized or bare_title(tokens, verb.end, verb.end + length))):
                    end = verb.end + length
                    return SpeechFrame(verb.start, end, verb.start, verb.end, None, pronoun=True,
                                       role=self.pronoun_roles.get(phrase))
        fallback: Span | None = None
        i = verb.end
        while i < min(sent_end, verb.end + MAX_TITLE_WORDS + 1):
            ent = ents.at(i)
            if ent is not None and ents.label(ent) in SPEAKER_LABELS:
                if ents.label(ent) == "PERSON":
                    return SpeechFrame(verb.start, ent.end, verb.start, verb.end, ent, pronoun=False)
                fallback = fallback or ent
                i = ent.end
                continue
            if not tokens.is_title[i] and not tokens.is_upper[i]:
                break  # only title words ("Presiden", "Menlu") may stand between the verb and the name
            i += 1
        if fallback is None:
            return None
        return SpeechFrame(verb.start, fallback.end, verb.start, verb.end, fallback, pronoun=False)

    # --- quotations ---------------------------------------------------------------------------------------

    def quotes(self, doc: Doc, frames: list[SpeechFrame], tokens: TokenTable | None = None) -> list[Quote]:
        """Quoted stretches, each with the frame standing right after (or right before) it."""
        tokens = TokenTable(doc) if tokens is None else tokens
        text = tokens.doc_text
        by_start = sorted(frames, key=lambda f: f.start)
        starts = [tokens.idx[f.start] for f in by_start]
        found = [
            Quote(start, end, _frame_beside(tokens, by_start, starts, start, end))
            for start, end in quote_spans(text, doc._.paragraphs)
        ]
        return carry_across_paragraphs(found, text, doc._.paragraphs)


class Referents:
    """Who "ia" / "he" / "the president" at a token refers to: the most salient PERSON before it.

    Salient are named PERSON speakers and PERSONs standing as a sentence's subject, whichever came last;
    before either, the last person mentioned at all ("X tiba di Y. Ia mengatakan …").
    """

    def __init__(self, frames: list[SpeechFrame], ents: EntityIndex):
        people = [e for e, label, entity_id in zip(ents.ents, ents.labels, ents.entity_ids, strict=True)
                  if label == "PERSON" and entity_id]
        self.mentioned = people
        self.mentioned_ends = [e.end for e in people]
        self.roles = [(ents.roles[ents.by_token[e.start]] or "").lower() for e in people]
        salient = [(f.start, f.speaker) for f in frames
                   if f.named and ents.label(f.speaker) == "PERSON" and ents.entity_id(f.speaker)]
        salient += [(e.start, e) for e in people if is_sentence_subject(e, ents)]
        salient.sort(key=lambda pair: pair[0])
        self.positions = [position for position, _ in salient]
        self.spans = [span for _, span in salient]

    def holding(self, role: str, i: int) -> Span | None:
        """The last person before token ``i`` named with an office that starts with ``role``."""
        wanted = role.lower()
        for index in range(bisect.bisect_right(self.mentioned_ends, i) - 1, -1, -1):
            held = self.roles[index]
            if held == wanted or held.startswith(wanted + " "):
                return self.mentioned[index]
        return None

    def before(self, i: int, role: str | None = None) -> Span | None:
        if role:
            holder = self.holding(role, i)
            if holder is not None:
                return holder
        index = bisect.bisect_left(self.positions, i) - 1
        if index >= 0:
            return self.spans[index]
        mentioned = bisect.bisect_right(self.mentioned_ends, i)
        return self.mentioned[mentioned - 1] if mentioned else None


def is_sentence_subject(ent: Span, ents: EntityIndex) -> bool:
    """A name opening its sentence, after title words or a preposed adjunct ("Di sela KTT, Xi bertemu")."""
    tokens = ents.tokens
    sent_start = ents.sentence(ent.start)[0]
    i = ent.start - 1
    while i >= sent_start and ent.start - i <= MAX_SUBJECT_LEAD:
        if tokens.text[i] == ",":
            return True
        if not (tokens.is_title[i] or tokens.is_upper[i] or tokens.is_space[i] or tokens.ent_type[i]
                or tokens.text[i] in "()"):
            return False
        i -= 1
    return i < sent_start


def resolve_carry_over(frames: list[SpeechFrame], ents: EntityIndex) -> Referents:
    """Fill speaker ids in text order; pronoun frames take the most salient person before them."""
    referents = Referents(frames, ents)
    for frame in frames:
        if frame.named:
            _set_speaker(frame, frame.speaker, ents)
        elif frame.pronoun:
            referent = referents.before(frame.start, frame.role)
            if referent is not None:
                _set_speaker(frame, referent, ents)
    return referents


def bare_title(tokens: TokenTable, start: int, end: int) -> bool:
    """A capitalised title with no name after it ("kata Menlu.", "Presiden menegaskan"), so it refers back;
    "Presiden Prabowo" names its holder, and "presiden" in lower case is the office, not a person."""
    if not (tokens.is_title[start] or tokens.is_upper[start]):
        return False
    return end >= len(tokens) or not (tokens.is_title[end] or tokens.is_upper[end] or tokens.ent_type[end])


def governing_preposition(tokens: TokenTable, i: int, prepositions: frozenset[str], reach: int = 6) -> int | None:
    """Index of the preposition governing the name at ``i`` ("dengan Presiden Xi"), over title words.

    A preposition inside a title stands right after a title word ("Duta Besar RI untuk Arab Saudi X",
    "Minister for Economic Affairs X"): it governs the place right after it, never the person who holds it.
    """
    lower, ent_type = tokens.lower, tokens.ent_type
    j = i - 1
    while j >= 0 and i - j <= reach and _name_like(tokens, j) and lower[j] not in prepositions:
        j -= 1
    if j < 0 or lower[j] not in prepositions:
        return None
    k = j - 1
    while k >= 0 and ent_type[k]:
        k -= 1  # "Duta Besar RI untuk": look past the country to the title word
    if not (k >= 0 and tokens.is_title[k]):
        return j
    holder = ent_type[i] == "PERSON" or any(ent_type[m] for m in range(j + 1, i))
    return None if holder else j


def _name_like(tokens: TokenTable, i: int) -> bool:
    """Title words and names: "Presiden", "Secretary-General", "UN", "Antonio"."""
    return tokens.is_title[i] or tokens.is_upper[i] or bool(tokens.ent_type[i])


def _set_speaker(frame: SpeechFrame, speaker: Span, ents: EntityIndex) -> None:
    frame.speaker_id = ents.entity_id(speaker)
    frame.speaker_iso3 = ents.country(speaker)
    frame.speaker_label = ents.label(speaker)



def carry_across_paragraphs(quotes: list[Quote], text: str,
                            paragraphs: list[tuple[int, int]] | None) -> list[Quote]:
    """A quotation running over paragraphs is one speaker's: news copy leaves a quoted paragraph unclosed and
    opens the next with a quotation mark, naming the speaker once, in the first or the last paragraph."""
    if not paragraphs or len(quotes) < 2:
        return quotes
    para_starts = {start for start, _ in paragraphs}
    para_end_of = {start: end for start, end in paragraphs}
    quotes = list(quotes)

    def continues(earlier: Quote, later: Quote) -> bool:
        unclosed = text[earlier.end_char - 1] not in QUOTE_CHARS
        next_start = min((s for s in para_starts if s >= earlier.end_char), default=None)
        return (unclosed and next_start is not None and later.start_char == _first_visible(text, next_start)
                and earlier.end_char >= para_end_of.get(_para_start(paragraphs, earlier.start_char), 0))

    for k in range(len(quotes) - 2, -1, -1):  # the speaker named at the end carries back
        if quotes[k].frame is None and quotes[k + 1].frame is not None and continues(quotes[k], quotes[k + 1]):
            quotes[k] = Quote(quotes[k].start_char, quotes[k].end_char, quotes[k + 1].frame)
    for k in range(1, len(quotes)):  # the speaker named at the start carries forward
        if quotes[k].frame is None and quotes[k - 1].frame is not None and continues(quotes[k - 1], quotes[k]):
            quotes[k] = Quote(quotes[k].start_char, quotes[k].end_char, quotes[k - 1].frame)
    return quotes


def _first_visible(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def _para_start(paragraphs: list[tuple[int, int]], char: int) -> int:
    return max((start for start, _ in paragraphs if start <= char), default=0)


def quote_spans(text: str, paragraphs: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """(start, end) of each quotation, paired within a paragraph (an unclosed quote ends with it)."""
    spans = []
    for para_start, para_end in paragraphs or [(0, len(text))]:
        open_at: int | None = None
        for mark in _QUOTE_MARK.finditer(text, para_start, para_end):  # the marks only, not every character
            offset = mark.start()
            direction = QUOTE_CHARS[mark.group()]
            if open_at is None and direction != "close":
                open_at = offset
            elif open_at is not None and direction != "open":
                spans.append((open_at, offset + 1))
                open_at = None
        if open_at is not None:
            spans.append((open_at, para_end))
    return spans


def _frame_beside(tokens: TokenTable, frames: list[SpeechFrame], frame_starts: list[int], start: int,
                  end: int) -> SpeechFrame | None:
    """The frame right after the closing mark ('"…," katanya'), else one introducing it ('Xi said: "…"').

    ``frames`` are sorted by their first character, ``frame_starts``; only neighbours can qualify.
    """
    text = tokens.doc_text
    after = bisect.bisect_left(frame_starts, end)
    if after < len(frames) and _ONLY_PUNCTUATION.match(text[end:frame_starts[after]]):
        return frames[after]
    before = bisect.bisect_right(frame_starts, start)
    for frame in reversed(frames[max(0, before - 3):before]):
        frame_end = tokens.end_char(frame.end - 1)
        if frame_end <= start and _INTRODUCES_QUOTE.match(text[frame_end:start]):
            return frame
    return None
