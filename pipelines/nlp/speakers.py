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


class EntityIndex:
    """doc.ents by token, so rules can ask "which entity is here" in O(1)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.ents = list(doc.ents)
        self.starts = [ent.start for ent in self.ents]
        self.by_token = [-1] * len(doc)
        for index, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.by_token[i] = index
        # Sentence bounds by token, read once: Span.sent rescans the doc on every call.
        sentences = [(sent.start, sent.end) for sent in doc.sents] if doc.has_annotation("SENT_START") else []
        self.sent_starts = [start for start, _ in sentences]
        self.sent_ends = [end for _, end in sentences]

    def at(self, i: int) -> Span | None:
        if 0 <= i < len(self.by_token) and self.by_token[i] >= 0:
            return self.ents[self.by_token[i]]
        return None

    def sentence(self, i: int) -> tuple[int, int]:
        """(start, end) of the sentence holding token ``i``."""
        index = bisect.bisect_right(self.sent_starts, i) - 1
        if index < 0:
            return 0, len(self.doc)
        return self.sent_starts[index], self.sent_ends[index]


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
        for match in filter_spans(self.matcher(doc, as_spans=True)):
            frame = self._frame(match, ents)
            if frame is not None:
                found.append(frame)
        found.sort(key=lambda f: f.verb_start)
        return found, resolve_carry_over(found, ents)

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
            if frame is not None or where == "precedes" or not self._inverted(verb, ents.sentence(verb.start)[0]):
                return frame
        return self._speaker_after(verb, ents, needs_name=bool(row.get("needs_name")))

    @staticmethod
    def _inverted(verb: Span, sent_start: int) -> bool:
        """'…," said Xi' / '…, said Xi': the speaker follows only an inverted verb. In "Greer said Washington
        is ready" the name after the verb is the reported clause's subject."""
        before = verb.start - 1
        return before < sent_start or verb.doc[before].is_punct or verb.doc[before].is_space

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
        is_act = barriers is self.act_barriers
        sent_start = ents.sentence(verb.start)[0]
        if not is_act and self._second_verb(verb, sent_start):
            return self._coordinated_verb_frame(verb, ents, extend)
        fallback: Span | None = None
        i = verb.start - 1
        while i >= max(sent_start, verb.start - MAX_SPEAKER_GAP):
            token = doc[i]
            if token.text == "," and fallback is None and self._only_adverbs(doc, i + 1, verb.start):
                apposed = self._apposed_speaker(doc, ents, i, sent_start)
                if apposed is not None:
                    i = apposed
                    continue
            if token.lower_ in barriers or (fallback is not None and not token.is_title):
                break  # past a country or organisation only its title words may follow ("Menlu Australia")
            ent = ents.at(i)
            if ent is not None and ent.label_ in SPEAKER_LABELS:
                preposition = self._preposition_before(doc, ent.start)
                if preposition is not None:
                    if is_act or fallback is not None:
                        break  # "bertemu dengan Xi dan menyerukan": the one met is no caller
                    i = preposition - 1  # "X dalam pertemuan dengan Y mengatakan": look past the object
                    continue
                if ent.label_ == "PERSON":
                    return self._frame_from_left(verb, ent, extend)
                fallback = fallback or ent
                i = ent.start - 1
                continue
            pronoun = self._pronoun_ending_at(doc, i, sent_start)
            if pronoun is not None:
                if fallback is not None:
                    break
                end = self._frame_end(verb) if extend else verb.start
                role = self.pronoun_roles.get(tuple(t.lower_ for t in doc[pronoun:i + 1]))
                return SpeechFrame(pronoun, end, verb.start, verb.end, None, pronoun=True, role=role)
            i -= 1
        return self._frame_from_left(verb, fallback, extend) if fallback is not None else None

    def _second_verb(self, verb: Span, sent_start: int) -> bool:
        """'X thanked Y … and said': the verb is the second of a coordination, so its speaker is the subject
        of the first, not the party right before the "and"."""
        doc = verb.doc
        i = verb.start - 1
        while i > sent_start and doc[i].lower_ in self.adverbs:
            i -= 1
        return i > sent_start and doc[i].lower_ in self.coordinators and doc[i - 1].text != ","

    def _coordinated_verb_frame(self, verb: Span, ents: EntityIndex, extend: bool) -> SpeechFrame | None:
        """The frame of a second coordinated verb: the sentence's subject speaks, if it is a party."""
        sent_start = ents.sentence(verb.start)[0]
        for ent in ents.ents[bisect.bisect_left(ents.starts, sent_start):]:
            if ent.start >= verb.start:
                break
            if ent.label_ in SPEAKER_LABELS and is_sentence_subject(ent, ents):
                # The frame covers "and said" only: the first verb's clause keeps its own parties.
                frame = self._frame_from_left(verb, ent, extend)
                frame.start = verb.start - 1
                while frame.start > sent_start and verb.doc[frame.start].lower_ not in self.coordinators:
                    frame.start -= 1
                return frame
        return None

    def _only_adverbs(self, doc: Doc, start: int, end: int) -> bool:
        return all(doc[k].lower_ in self.adverbs for k in range(start, end))

    def _apposed_speaker(self, doc: Doc, ents: EntityIndex, comma: int, sent_start: int) -> int | None:
        """'X, yang mendampingi Y, menegaskan': the token index to continue from (X's last token), if any."""
        for j in range(comma - 1, max(sent_start, comma - MAX_APPOSITION - 1), -1):
            if doc[j].text in ('"', "“", "”", ";") or doc[j].lower_ in self.complementizers:
                return None
            if doc[j].text == ",":
                ent = ents.at(j - 1)
                return j - 1 if ent is not None and ent.label_ in SPEAKER_LABELS else None
        return None

    def _preposition_before(self, doc: Doc, i: int) -> int | None:
        return governing_preposition(doc, i, self.obliques)

    def _pronoun_ending_at(self, doc: Doc, i: int, sent_start: int) -> int | None:
        """Start of a referring phrase ("ia", "the president") whose last token is ``i``."""
        for length in self.pronoun_lengths:
            start = i - length + 1
            if start < sent_start:
                continue
            phrase = tuple(t.lower_ for t in doc[start:i + 1])
            if phrase in self.pronouns and (phrase not in self.capitalized or bare_title(doc, start, i + 1)):
                return start
        return None

    def _frame_from_left(self, verb: Span, speaker: Span, extend: bool) -> SpeechFrame:
        # A speech-act frame stops before its verb: the verb is also the commitment's trigger.
        end = self._frame_end(verb) if extend else verb.start
        if self._credited_jointly(speaker, verb):
            return SpeechFrame(speaker.start, end, verb.start, verb.end, None, pronoun=False)
        return SpeechFrame(speaker.start, end, verb.start, verb.end, speaker, pronoun=False)

    def _credited_jointly(self, speaker: Span, verb: Span) -> bool:
        """'Sjafrie dan Ahn berjanji', 'Xi and Putin said': two speakers together are no single speaker."""
        doc = speaker.doc
        after = doc[speaker.end:verb.start]
        if len(after) >= 2 and after[0].lower_ in self.coordinators and all(t.is_title for t in after[1:]):
            return True
        j = speaker.start - 1
        while j >= 0 and doc[j].is_title and speaker.start - j <= MAX_TITLE_WORDS:
            j -= 1  # "Menlu RI Sugiono dan Menlu Jepang Iwaya": the title of the second name
        return j >= 1 and doc[j].lower_ in self.coordinators and doc[j - 1].ent_type_ in SPEAKER_LABELS

    def _frame_end(self, verb: Span) -> int:
        doc = verb.doc
        end = verb.end
        if end < len(doc) and doc[end].lower_ in self.complementizers:
            end += 1  # "mengatakan bahwa" / "said that": the reported clause starts after it
        return end

    def _speaker_after(self, verb: Span, ents: EntityIndex, needs_name: bool) -> SpeechFrame | None:
        """'kata Xi' / 'Menurut Xi' / 'said Xi' / 'kata dia': a name or pronoun right after the verb."""
        doc = verb.doc
        sent_end = ents.sentence(verb.start)[1]
        if not needs_name:
            for length in self.pronoun_lengths:  # "kata dia", "said the foreign minister", "kata Menlu"
                phrase = tuple(t.lower_ for t in doc[verb.end:min(sent_end, verb.end + length)])
                if (len(phrase) == length and phrase in self.pronouns and ents.at(verb.end + length) is None
                        and (phrase not in self.capitalized or bare_title(doc, verb.end, verb.end + length))):
                    end = verb.end + length
                    return SpeechFrame(verb.start, end, verb.start, verb.end, None, pronoun=True,
                                       role=self.pronoun_roles.get(phrase))
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

    def quotes(self, doc: Doc, frames: list[SpeechFrame], text: str | None = None) -> list[Quote]:
        """Quoted stretches, each with the frame standing right after (or right before) it."""
        text = doc.text if text is None else text  # Doc.text joins every token: read it once per doc
        by_start = sorted(frames, key=lambda f: f.start)
        starts = [doc[f.start].idx for f in by_start]
        found = [
            Quote(start, end, _frame_beside(doc, text, by_start, starts, start, end))
            for start, end in quote_spans(text, doc._.paragraphs)
        ]
        return carry_across_paragraphs(found, text, doc._.paragraphs)


class Referents:
    """Who "ia" / "he" / "the president" at a token refers to: the most salient PERSON before it.

    Salient are named PERSON speakers and PERSONs standing as a sentence's subject, whichever came last;
    before either, the last person mentioned at all ("X tiba di Y. Ia mengatakan …").
    """

    def __init__(self, frames: list[SpeechFrame], ents: EntityIndex | None):
        people = [e for e in ents.ents if e.label_ == "PERSON" and e._.entity_id] if ents is not None else []
        self.mentioned = people
        self.mentioned_ends = [e.end for e in people]
        self.roles = [(e._.role or "").lower() for e in people]
        salient = [(f.start, f.speaker) for f in frames
                   if f.named and f.speaker.label_ == "PERSON" and f.speaker._.entity_id]
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
    doc = ent.doc
    sent_start = ents.sentence(ent.start)[0]
    i = ent.start - 1
    while i >= sent_start and ent.start - i <= MAX_SUBJECT_LEAD:
        token = doc[i]
        if token.text == ",":
            return True
        if not (token.is_title or token.is_upper or token.is_space or token.ent_type_ or token.text in "()"):
            return False
        i -= 1
    return i < sent_start


def resolve_carry_over(frames: list[SpeechFrame], ents: EntityIndex | None = None) -> Referents:
    """Fill speaker ids in text order; pronoun frames take the most salient person before them."""
    referents = Referents(frames, ents)
    for frame in frames:
        if frame.named:
            _set_speaker(frame, frame.speaker)
        elif frame.pronoun:
            referent = referents.before(frame.start, frame.role)
            if referent is not None:
                _set_speaker(frame, referent)
    return referents


def bare_title(doc: Doc, start: int, end: int) -> bool:
    """A capitalised title with no name after it ("kata Menlu.", "Presiden menegaskan"), so it refers back;
    "Presiden Prabowo" names its holder, and "presiden" in lower case is the office, not a person."""
    if not (doc[start].is_title or doc[start].is_upper):
        return False
    return end >= len(doc) or not (doc[end].is_title or doc[end].is_upper or doc[end].ent_type_)


def governing_preposition(doc: Doc, i: int, prepositions: frozenset[str], reach: int = 6) -> int | None:
    """Index of the preposition governing the name at ``i`` ("dengan Presiden Xi"), over title words.

    A preposition inside a title stands right after a title word ("Duta Besar RI untuk Arab Saudi X",
    "Minister for Economic Affairs X"): it governs the place right after it, never the person who holds it.
    """
    j = i - 1
    while j >= 0 and i - j <= reach and _name_like(doc[j]) and doc[j].lower_ not in prepositions:
        j -= 1
    if j < 0 or doc[j].lower_ not in prepositions:
        return None
    k = j - 1
    while k >= 0 and doc[k].ent_type_:
        k -= 1  # "Duta Besar RI untuk": look past the country to the title word
    if not (k >= 0 and doc[k].is_title):
        return j
    holder = doc[i].ent_type_ == "PERSON" or any(doc[m].ent_type_ for m in range(j + 1, i))
    return None if holder else j


def _name_like(token) -> bool:
    """Title words and names: "Presiden", "Secretary-General", "UN", "Antonio"."""
    return token.is_title or token.is_upper or bool(token.ent_type_)


def _set_speaker(frame: SpeechFrame, speaker: Span) -> None:
    frame.speaker_id = speaker._.entity_id
    frame.speaker_iso3 = entity_country(speaker)
    frame.speaker_label = speaker.label_



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
