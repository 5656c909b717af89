"""Who says what: reported-speech frames, quotations and the speaker carried across an article.

A *speech frame* is the part of a sentence that attributes it: "kata Xi", "ujarnya", "Menurut Xi,",
"Rahmon mengatakan bahwa", "Xi said", "according to Xi", "he added". Speech-act cues of the commitment
lexicon ("Xi menyerukan …", "Ia meminta …", "Jokowi berjanji …") are frames too: the one who calls or
pledges is the one speaking. Frames are found from lexicons (``data/com_speech_verbs.jsonl``,
``data/com_party_phrases.jsonl``, ``data/com_modality_cues.jsonl``), never from names.

Pronoun frames ("kata dia", "katanya", "Ia menyatakan", "he said") carry the most recent *named* PERSON
speaker of the article, across sentences and paragraphs: news copy names a speaker once and then refers back.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

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
QUOTE_CHARS = {'"': None, "“": "open", "”": "close"}
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


class EntityIndex:
    """doc.ents by token, so rules can ask "which entity is here" in O(1)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.ents = list(doc.ents)
        self.by_token = [-1] * len(doc)
        for index, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.by_token[i] = index

    def at(self, i: int) -> Span | None:
        if 0 <= i < len(self.by_token) and self.by_token[i] >= 0:
            return self.ents[self.by_token[i]]
        return None


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
        self.pronouns = frozenset(
            row["phrase"].lower()
            for row in load_rows(PARTY_PHRASES, lang)
            if row["resolves"] == "carried_speaker"
        )
        self.complementizers = grammar_words(lang, "complementizer")
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
        found: list[SpeechFrame] = []
        for match in filter_spans(self.matcher(doc, as_spans=True)):
            frame = self._frame(match, ents)
            if frame is not None:
                found.append(frame)
        found.sort(key=lambda f: f.verb_start)
        resolve_carry_over(found, ents)
        return found

    def _frame(self, match: Span, ents: EntityIndex) -> SpeechFrame | None:
        kind, _, form = match.label_.partition(":")
        if kind == "act":
            blocked = match.start > 0 and match.doc[match.start - 1].lower_ in self.act_verbs[form]
            return None if blocked else self._act_frame(match, ents)
        return self._say_frame(match, self.verbs[form], ents)

    def _say_frame(self, verb: Span, row: dict, ents: EntityIndex) -> SpeechFrame | None:
        where = row["speaker"]
        if where == "carried":
            return SpeechFrame(verb.start, verb.end, verb.start, verb.end, None, pronoun=True)
        if where in ("precedes", "either"):
            frame = self._speaker_before(verb, ents)
            if frame is not None or where == "precedes":
                return frame
        return self._speaker_after(verb, ents, needs_name=bool(row.get("needs_name")))

    def _act_frame(self, verb: Span, ents: EntityIndex) -> SpeechFrame | None:
        frame = self._speaker_before(verb, ents, extend=False, barriers=self.act_barriers)
        if frame is not None:
            frame.speech_act = True
        return frame

    def _speaker_before(
        self, verb: Span, ents: EntityIndex, extend: bool = True, barriers: frozenset[str] | None = None
    ) -> SpeechFrame | None:
        """'X mengatakan' / 'Ia menyatakan' / 'Xi said': the nearest person (or pronoun) to the left."""
        doc = verb.doc
        barriers = self.barriers if barriers is None else barriers
        sent_start = verb.sent.start
        fallback: Span | None = None
        i = verb.start - 1
        while i >= max(sent_start, verb.start - MAX_SPEAKER_GAP):
            token = doc[i]
            if token.lower_ in barriers or (fallback is not None and not token.is_title):
                break  # past a country or organisation only its title words may follow ("Menlu Australia")
            ent = ents.at(i)
            if ent is not None and ent.label_ in SPEAKER_LABELS:
                if ent.label_ == "PERSON":
                    return self._frame_from_left(verb, ent, extend)
                fallback = fallback or ent
                i = ent.start - 1
                continue
            if token.lower_ in self.pronouns:
                if fallback is not None:
                    break
                end = self._frame_end(verb) if extend else verb.start
                return SpeechFrame(i, end, verb.start, verb.end, None, pronoun=True)
            i -= 1
        return self._frame_from_left(verb, fallback, extend) if fallback is not None else None

    def _frame_from_left(self, verb: Span, speaker: Span, extend: bool) -> SpeechFrame:
        # A speech-act frame stops before its verb: the verb is also the commitment's trigger.
        end = self._frame_end(verb) if extend else verb.start
        return SpeechFrame(speaker.start, end, verb.start, verb.end, speaker, pronoun=False)

    def _frame_end(self, verb: Span) -> int:
        doc = verb.doc
        end = verb.end
        if end < len(doc) and doc[end].lower_ in self.complementizers:
            end += 1  # "mengatakan bahwa" / "said that": the reported clause starts after it
        return end

    def _speaker_after(self, verb: Span, ents: EntityIndex, needs_name: bool) -> SpeechFrame | None:
        """'kata Xi' / 'Menurut Xi' / 'said Xi' / 'kata dia': a name or pronoun right after the verb."""
        doc = verb.doc
        sent_end = verb.sent.end
        if verb.end < sent_end and doc[verb.end].lower_ in self.pronouns and not needs_name:
            return SpeechFrame(verb.start, verb.end + 1, verb.start, verb.end, None, pronoun=True)
        fallback: Span | None = None
        i = verb.end
        while i < min(sent_end, verb.end + MAX_TITLE_WORDS + 1):
            ent = ents.at(i)
            if ent is not None and ent.label_ in SPEAKER_LABELS:
                if ent.label_ == "PERSON":
                    return SpeechFrame(verb.start, ent.end, verb.start, verb.end, ent, pronoun=False)
                fallback = fallback or ent
                i = ent.end
                continue
            if not doc[i].is_title and not doc[i].is_upper:
                break  # only title words ("Presiden", "Menlu") may stand between the verb and the name
            i += 1
        if fallback is None:
            return None
        return SpeechFrame(verb.start, fallback.end, verb.start, verb.end, fallback, pronoun=False)

    # --- quotations ---------------------------------------------------------------------------------------

    def quotes(self, doc: Doc, frames: list[SpeechFrame]) -> list[Quote]:
        """Quoted stretches, each with the frame standing right after (or right before) it."""
        text = doc.text  # Doc.text joins every token: read it once per doc, never in a loop
        by_start = sorted(frames, key=lambda f: f.start)
        starts = [doc[f.start].idx for f in by_start]
        return [
            Quote(start, end, _frame_beside(doc, text, by_start, starts, start, end))
            for start, end in quote_spans(text, doc._.paragraphs)
        ]


def resolve_carry_over(frames: list[SpeechFrame], ents: EntityIndex | None = None) -> None:
    """Fill speaker ids in text order; pronoun frames take the most recent named PERSON speaker.

    Before anyone has spoken, a pronoun refers to the last person mentioned ("X tiba di Y. Ia mengatakan …").
    """
    people = [e for e in ents.ents if e.label_ == "PERSON" and e._.entity_id] if ents is not None else []
    people_ends = [e.end for e in people]
    carried: Span | None = None
    for frame in frames:
        if frame.named:
            _set_speaker(frame, frame.speaker)
            if frame.speaker.label_ == "PERSON" and frame.speaker_id:
                carried = frame.speaker
        elif frame.pronoun:
            mentioned = bisect.bisect_right(people_ends, frame.start)
            referent = carried or (people[mentioned - 1] if mentioned else None)
            if referent is not None:
                _set_speaker(frame, referent)


def _set_speaker(frame: SpeechFrame, speaker: Span) -> None:
    frame.speaker_id = speaker._.entity_id
    frame.speaker_iso3 = entity_country(speaker)
    frame.speaker_label = speaker.label_



def quote_spans(text: str, paragraphs: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """(start, end) of each quotation, paired within a paragraph (an unclosed quote ends with it)."""
    spans = []
    for para_start, para_end in paragraphs or [(0, len(text))]:
        open_at: int | None = None
        for offset in range(para_start, para_end):
            char = text[offset]
            if char not in QUOTE_CHARS:
                continue
            direction = QUOTE_CHARS[char]
            if open_at is None and direction != "close":
                open_at = offset
            elif open_at is not None and direction != "open":
                spans.append((open_at, offset + 1))
                open_at = None
        if open_at is not None:
            spans.append((open_at, para_end))
    return spans


def _frame_beside(doc: Doc, text: str, frames: list[SpeechFrame], frame_starts: list[int], start: int,
                  end: int) -> SpeechFrame | None:
    """The frame right after the closing mark ('"…," katanya'), else one introducing it ('Xi said: "…"').

    ``frames`` are sorted by their first character, ``frame_starts``; only neighbours can qualify.
    """
    after = bisect.bisect_left(frame_starts, end)
    if after < len(frames) and _ONLY_PUNCTUATION.match(text[end:frame_starts[after]]):
        return frames[after]
    before = bisect.bisect_right(frame_starts, start)
    for frame in reversed(frames[max(0, before - 3):before]):
        frame_end = doc[frame.end - 1].idx + len(doc[frame.end - 1])
        if frame_end <= start and _INTRODUCES_QUOTE.match(text[frame_end:start]):
            return frame
    return None
