"""The commitment extractor: who says which party must / will / is ready to / supports / calls for / agreed
to / pledged to do what, toward whom, in which domains.

Registered as ``ikrar_commitments``; fills ``doc._.commitments`` with ``extensions.Commitment`` rows. It
needs sentence starts and ``doc.ents`` (PERSON / COUNTRY / PLACE / ORG / EVENT with ``_.entity_id``,
``_.country_iso3``) and works for Indonesian and English docs. There is no parser: the rules read token
order, which in both languages puts the subject before the modal and the action after it.

How a row is made, per sentence:
1. The sentence is cut into clauses at ";" and at clause-linking words after a comma ("sementara",
   "sedangkan", "seraya", "while" …). The evidence span of a commitment is its clause.
2. Modal cues (``data/com_modality_cues.jsonl``) are found; a cue inside the action of an earlier cue of the
   same clause joins it ("harus memperluas …, mempercepat … dan terus mendorong …" is one row) unless a new
   subject stands right before it ("China akan …, dan Indonesia siap …" is two rows).
3. Speaker (``speakers.py``): the quotation's frame, else the cue's own speech act ("Xi menyerukan"), else the
   nearest frame of the clause, else of the sentence, else None (the narrator states it). Pronouns carry
   the last named person.
4. Actors: for calls, the parties between the cue and "untuk" / "to"; otherwise the first party in subject
   position before the cue (after a preposed frame, skipping interjected frames and parties behind a
   preposition), with its coordinated parties. Countries act as themselves, capitals and persons for their
   country, organisations as themselves; "kedua negara" / "both sides" are the two most-mentioned countries;
   "para menteri" the organisation of the meeting; "kami" / "we" inside a quotation the speaker's country.
   With no subject, the speaker's country is the fallback; with neither, the row is dropped.
5. Targets: parties in the action behind a target preposition ("dengan", "kepada", "with", "to" …) and the
   object of a support verb; never an actor.

Confidence scale (0..1, summed then capped at 0.95):
- cue: strong modal 0.55, weak cue ("pentingnya", "ingin", "aims to", "mendorong … untuk") 0.35;
- actor: a named party as subject, the called-on party or the speech-act speaker +0.25; a party phrase
  ("kedua negara", "para menteri", "kami") +0.20; a pronoun subject resolved by carry-over +0.15;
  fallback to the speaker's country +0.00;
- speaker: named in the frame +0.15; a pronoun frame resolved by carry-over +0.10; no frame (the narrator
  states it) +0.10; a pronoun frame with nothing to carry +0.00.
A clear modal with a named actor and a named speaker scores 0.95; a weak cue with a fallback actor 0.35-0.50.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipelines.nlp.domains import DomainHit, DomainTagger
from pipelines.nlp.extensions import Commitment
from pipelines.nlp.speakers import DATA_DIR as SHARED_DATA_DIR
from pipelines.nlp.speakers import (
    MAX_SPEAKER_GAP,
    MODALITY_CUES,
    PARTY_PHRASES,
    EntityIndex,
    Quote,
    SpeakerFinder,
    SpeechFrame,
    entity_country,
    grammar_words,
    load_rows,
)

NEGATION = SHARED_DATA_DIR / "com_negation.jsonl"
PARTY_LABELS = ("COUNTRY", "PLACE", "ORG", "PERSON")
# Modalities where a perfect marker ("telah menandatangani", "has agreed") reports a completed act.
PERFECTIVE_MODALITIES = ("agreement", "support", "pledge")
CALL_WINDOW = 12  # tokens between a call verb and its "untuk" / "to"
MAX_CONFIDENCE = 0.95
CUE_SCORE = {"strong": 0.55, "weak": 0.35}
ACTOR_SCORE = {"direct": 0.25, "phrase": 0.20, "pronoun": 0.15, "fallback": 0.0}
SPEAKER_SCORE = {"named": 0.15, "carried": 0.10, "narrator": 0.10, "unresolved": 0.0}


@dataclass(frozen=True)
class Cue:
    modality: str
    strength: str
    negated: bool = False
    status: str | None = None
    speech_act: bool = False
    needs_connector: bool = False
    blocked_after: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Mention:
    """A party mentioned in the doc: an entity, or a phrase such as "kedua negara" or "kami"."""

    start: int
    end: int
    entity: Span | None = None
    resolves: str | None = None  # for phrases: principal_pair, meeting_org, speaker_country, carried_speaker


@dataclass
class DocContext:
    """What the rules look up while reading one doc (built once per doc)."""

    doc: Doc
    ents: EntityIndex
    frames: list[SpeechFrame]
    quotes: list[Quote]
    mentions: list[Mention]
    mention_at: list[int]  # token → index into mentions, or -1
    in_frame: list[bool]  # token lies inside a speech frame
    hits: list[DomainHit]  # in text order
    principal: list[str]  # the article's two principal countries
    cue_spans: list[Span]  # modal cues of the whole doc, longest match first, in text order
    # Sorted keys for bisect, so every lookup stays local and a long doc costs linear time.
    hit_starts: list[int] = field(default_factory=list)
    cue_starts: list[int] = field(default_factory=list)
    frame_starts: list[int] = field(default_factory=list)  # verb_start of each frame
    quote_starts: list[int] = field(default_factory=list)
    last_person: list[SpeechFrame | None] = field(default_factory=list)  # carried speaker after frame k

    def __post_init__(self):
        self.hit_starts = [hit.start_char for hit in self.hits]
        self.cue_starts = [span.start for span in self.cue_spans]
        self.frame_starts = [frame.verb_start for frame in self.frames]
        self.quote_starts = [quote.start_char for quote in self.quotes]
        last = None
        for frame in self.frames:
            if frame.speaker_id and frame.speaker_label == "PERSON":
                last = frame
            self.last_person.append(last)

    def frames_between(self, lo: int, hi: int) -> list[SpeechFrame]:
        """Frames whose verb lies in tokens [lo, hi)."""
        first = bisect.bisect_left(self.frame_starts, lo)
        return self.frames[first:bisect.bisect_left(self.frame_starts, hi)]

    def cues_between(self, lo: int, hi: int) -> list[Span]:
        return self.cue_spans[bisect.bisect_left(self.cue_starts, lo):bisect.bisect_left(self.cue_starts, hi)]

    def hits_between(self, start_char: int, end_char: int) -> list[DomainHit]:
        first = bisect.bisect_left(self.hit_starts, start_char)
        return self.hits[first:bisect.bisect_left(self.hit_starts, end_char)]

    def quote_around(self, char: int) -> Quote | None:
        index = bisect.bisect_left(self.quote_starts, char) - 1
        if index >= 0 and self.quotes[index].start_char < char < self.quotes[index].end_char:
            return self.quotes[index]
        return None

    def carried_speaker(self, token_i: int) -> SpeechFrame | None:
        """The last resolved PERSON frame before a token: who "Ia" / "he" refers to."""
        index = bisect.bisect_left(self.frame_starts, token_i) - 1
        return self.last_person[index] if index >= 0 else None


@dataclass
class Found:
    """Intermediate result of the actor / speaker rules for one cue."""

    actor_ids: list[str]
    actor_how: str


class CommitmentExtractor:
    def __init__(self, nlp: Language, name: str = "ikrar_commitments"):
        self.name = name
        lang = nlp.lang
        self.cues = {row["cue"].lower(): _cue_from_row(row) for row in load_rows(MODALITY_CUES, lang)}
        self.cue_matcher = _phrase_matcher(nlp, self.cues)
        self.party_phrases = {
            row["phrase"].lower(): row["resolves"] for row in load_rows(PARTY_PHRASES, lang)
        }
        self.party_matcher = _phrase_matcher(nlp, self.party_phrases)
        self.connectors = grammar_words(lang, "call_connector")
        self.complementizers = grammar_words(lang, "complementizer")
        self.target_preps = grammar_words(lang, "target_preposition")
        self.oblique_preps = grammar_words(lang, "oblique_preposition")
        self.relative_markers = grammar_words(lang, "relative_marker")
        self.perfect_markers = grammar_words(lang, "perfect_marker")
        self.coordinators = grammar_words(lang, "coordinator")
        self.adverbs = grammar_words(lang, "adverb")
        self.clause_breaks = grammar_words(lang, "clause_break")
        negation = load_rows(NEGATION, lang)
        self.neg_before = frozenset(r["form"] for r in negation if r["position"] in ("before", "both"))
        self.neg_after = frozenset(r["form"] for r in negation if r["position"] in ("after", "both"))
        self.neg_bridges = frozenset(r["form"] for r in negation if r["position"] == "bridge")
        # Words that may stand between a subject and its modal without making it someone else's subject.
        self.light_words = self.adverbs | self.neg_before | self.neg_bridges | self.perfect_markers | {","}
        self.bridge_words = self.light_words - {","}
        self.speakers = SpeakerFinder(nlp)
        self.domains = DomainTagger(nlp)

    # --- the component ------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not doc.ents:
            doc._.commitments = []  # no party, no commitment: every row needs an actor
            return doc
        if not doc.has_annotation("SENT_START"):
            raise ValueError(f"{self.name} needs sentence boundaries: add a sentence splitter before it")
        ctx = self._context(doc)
        found: list[Commitment] = []
        for sent in doc.sents:
            for start, end in self._clauses(sent):
                found.extend(self._clause_commitments(ctx, sent, start, end))
        doc._.commitments = found
        return doc

    def _context(self, doc: Doc) -> DocContext:
        ents = EntityIndex(doc)
        frames = self.speakers.frames(doc, ents)
        in_frame = [False] * len(doc)
        for frame in frames:
            for i in range(frame.start, frame.end):
                in_frame[i] = True
        mentions = self._mentions(doc, ents)
        mention_at = [-1] * len(doc)
        for index, mention in enumerate(mentions):
            for i in range(mention.start, mention.end):
                mention_at[i] = index
        return DocContext(
            doc=doc, ents=ents, frames=frames, quotes=self.speakers.quotes(doc, frames), mentions=mentions,
            mention_at=mention_at, in_frame=in_frame, hits=self.domains.hits(doc),
            principal=principal_countries(doc),
            cue_spans=sorted(filter_spans(self.cue_matcher(doc, as_spans=True)), key=lambda s: s.start),
        )

    def _mentions(self, doc: Doc, ents: EntityIndex) -> list[Mention]:
        mentions = [Mention(e.start, e.end, entity=e) for e in ents.ents if e.label_ in PARTY_LABELS]
        for span in filter_spans(self.party_matcher(doc, as_spans=True)):
            if all(ents.at(i) is None for i in range(span.start, span.end)):
                mentions.append(Mention(span.start, span.end, resolves=self.party_phrases[span.label_]))
        return sorted(mentions, key=lambda m: m.start)

    def _clauses(self, sent: Span) -> list[tuple[int, int]]:
        """Token ranges of the clauses of a sentence."""
        doc = sent.doc
        first = sent.start
        while first < sent.end and doc[first].is_space:
            first += 1  # the paragraph break the sentencizer leaves at a sentence start is no part of it
        cuts = [first]
        for i in range(first + 1, sent.end):
            after_comma = doc[i - 1].text in (",", ";")
            if doc[i - 1].text == ";" or (after_comma and doc[i].lower_ in self.clause_breaks):
                cuts.append(i)
        cuts.append(sent.end)
        return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]

    # --- cues ---------------------------------------------------------------------------------------------

    def _clause_cues(self, ctx: DocContext, start: int, end: int) -> list[tuple[Span, Cue]]:
        cues = []
        for span in ctx.cues_between(start, end):
            if span.end <= end:
                cue = self.cues[span.label_]
                if self._is_main_clause_cue(ctx.doc, span, cue, start):
                    cues.append((span, cue))
        return cues

    def _is_main_clause_cue(self, doc: Doc, span: Span, cue: Cue, clause_start: int) -> bool:
        before = span.start - 1
        if before >= clause_start and doc[before].lower_ in cue.blocked_after:
            return False  # "kebutuhan akan", "political will", "China's support"
        while before >= clause_start and doc[before].lower_ in self.bridge_words:
            before -= 1
        # A cue in a relative clause describes something ("proyek yang akan dibangun"), it commits no one.
        return not (before >= clause_start and doc[before].lower_ in self.relative_markers)

    def _clause_commitments(self, ctx: DocContext, sent: Span, start: int, end: int) -> list[Commitment]:
        heads: list[tuple[Span, Cue, int]] = []  # cue, its lexicon row, where its own subject starts
        for span, cue in self._clause_cues(ctx, start, end):
            subject_start = self._new_subject_before(ctx, span, heads[-1][0].end if heads else start)
            if heads and subject_start is None:
                continue  # same actor, same commitment: a coordinated or embedded action
            if heads and self._only_frame_between(ctx, heads[-1][0], subject_start):
                heads.pop()  # "Xi berjanji China akan …": the first verb only introduces the second
            heads.append((span, cue, subject_start if subject_start is not None else start))
        found = []
        for index, (span, cue, subject_start) in enumerate(heads):
            limit = heads[index + 1][2] if index + 1 < len(heads) else end
            commitment = self._commitment(ctx, sent, span, cue, (start, end), subject_start, limit)
            if commitment is not None:
                found.append(commitment)
        return found

    def _new_subject_before(self, ctx: DocContext, cue_span: Span, since: int) -> int | None:
        """Start of a party standing right before the cue (only light words between), after ``since``."""
        doc = ctx.doc
        i = cue_span.start - 1
        while i >= since and (doc[i].lower_ in self.light_words or ctx.in_frame[i]):
            i -= 1  # "China, kata dia, harus": the interjected frame is no subject
        if i < since or ctx.mention_at[i] < 0:
            return None
        mention = ctx.mentions[ctx.mention_at[i]]
        if mention.start < since or self._oblique(doc, mention.start):
            return None
        return self._coordination_start(ctx, mention, since)

    def _coordination_start(self, ctx: DocContext, mention: Mention, since: int) -> int:
        """'China dan Indonesia akan': the subject starts at the first of the coordinated parties."""
        start = mention.start
        while start - 2 >= since and ctx.doc[start - 1].lower_ in self.coordinators:
            previous = ctx.mention_at[start - 2]
            if previous < 0:
                break
            start = ctx.mentions[previous].start
        return start

    def _only_frame_between(self, ctx: DocContext, earlier: Span, subject_start: int | None) -> bool:
        if subject_start is None:
            return False
        between = [t for t in ctx.doc[earlier.end:subject_start] if not t.is_punct]
        return all(t.lower_ in self.complementizers for t in between)

    # --- one commitment -----------------------------------------------------------------------------------

    def _commitment(self, ctx: DocContext, sent: Span, span: Span, cue: Cue, clause: tuple[int, int],
                    subject_start: int, limit: int) -> Commitment | None:
        """One row for the cue at ``span``: subject from ``subject_start``, action ending by ``limit``."""
        doc = ctx.doc
        start, end = clause
        quote = ctx.quote_around(span.start_char)
        frame, speaker_how = self._speaker(ctx, sent, span, start, end, quote)
        action_start = self._skip_connectors(doc, span.end, limit)
        if cue.modality == "call":
            called = self._called_on(ctx, span, cue, limit, frame)
            if called is None:
                return None  # a call with nobody called on is an exhortation, not a commitment
            found, action_start = called
        else:
            found = self._subject(ctx, sent, span, subject_start, quote, frame)
        if found is None or not found.actor_ids:
            return None
        action_end = self._action_end(ctx, span, action_start, limit, quote)
        if action_end <= action_start:
            return None
        actors = list(dict.fromkeys(found.actor_ids))
        action = doc[action_start:action_end]
        evidence = doc[start:end]
        score = CUE_SCORE[cue.strength] + ACTOR_SCORE[found.actor_how] + SPEAKER_SCORE[speaker_how]
        return Commitment(
            start_char=evidence.start_char,
            end_char=_trimmed_end(evidence),
            trigger_start=span.start_char,
            trigger_end=span.end_char,
            modality=cue.modality,
            action_text=action.text,
            actor_ids=actors,
            target_ids=self._targets(ctx, sent, span, cue, action, actors, quote, frame),
            speaker_id=frame.speaker_id if frame is not None else None,
            negated=cue.negated or self._negated(doc, span, start, end),
            status=self._status(doc, span, cue, start),
            domains=self._domains(ctx, action, evidence),
            confidence=round(min(score, MAX_CONFIDENCE), 2),
        )

    def _skip_connectors(self, doc: Doc, i: int, limit: int) -> int:
        while i < limit and (doc[i].lower_ in self.connectors or doc[i].lower_ in self.complementizers):
            i += 1
        return i

    def _action_end(self, ctx: DocContext, span: Span, action_start: int, limit: int,
                    quote: Quote | None) -> int:
        """The action runs to the clause end, short of a postposed frame (", kata Xi") or a closing quote."""
        doc = ctx.doc
        end = limit
        # A preposed speaker may stand up to MAX_SPEAKER_GAP tokens before its verb ("…, Xi also said").
        for frame in ctx.frames_between(action_start, end + MAX_SPEAKER_GAP):
            if action_start <= frame.start < end and not frame.speech_act:
                end = frame.start
        if quote is not None:
            while end > action_start and doc[end - 1].idx >= quote.end_char:
                end -= 1
        while end > action_start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return end

    # --- speaker ------------------------------------------------------------------------------------------

    def _speaker(self, ctx: DocContext, sent: Span, span: Span, start: int, end: int,
                 quote: Quote | None) -> tuple[SpeechFrame | None, str]:
        frame = self._speaker_frame(ctx, sent, span, start, end, quote)
        if frame is None:
            return None, "narrator"
        if frame.speaker_id is None:
            return frame, "unresolved"
        return frame, "named" if frame.named else "carried"

    @staticmethod
    def _speaker_frame(ctx: DocContext, sent: Span, span: Span, start: int, end: int,
                       quote: Quote | None) -> SpeechFrame | None:
        if quote is not None and quote.frame is not None:
            return quote.frame
        own = [f for f in ctx.frames_between(span.start, span.start + 1) if f.speech_act]
        if own:
            return own[0]
        # Reported-speech frames first; another cue's speech act ("Xi menyerukan …") only after them.
        for lo, hi in ((start, end), (sent.start, sent.end)):
            for speech_acts in (False, True):
                nearby = [f for f in ctx.frames_between(lo, hi) if f.speech_act == speech_acts]
                if nearby:
                    return min(nearby, key=lambda f: abs(f.verb_start - span.start))
        return None

    # --- actors -------------------------------------------------------------------------------------------

    def _called_on(self, ctx: DocContext, span: Span, cue: Cue, limit: int,
                   frame: SpeechFrame | None) -> tuple[Found, int] | None:
        """'menyerukan China dan Tajikistan untuk …', 'urged both sides to …': the called-on act."""
        doc = ctx.doc
        window_end = min(limit, span.end + CALL_WINDOW)
        connector = next((i for i in range(span.end, window_end) if doc[i].lower_ in self.connectors), None)
        if connector is None:
            if cue.needs_connector:
                return None  # "meminta maaf", "mendorong kerja sama": not a call on anyone
            connector = self._end_of_called_parties(ctx, span.end, window_end)
            action_start = connector
        else:
            action_start = connector + 1
        ids: list[str] = []
        how = "direct"
        for mention in self._mentions_between(ctx, span.end, connector):
            resolved, mention_how = self._resolve(ctx, mention, frame, quote_speaker_ok=False)
            ids.extend(resolved)
            if resolved and mention_how != "direct":
                how = mention_how
        if not ids:
            return None
        return Found(ids, how), action_start

    def _end_of_called_parties(self, ctx: DocContext, i: int, window_end: int) -> int:
        """'menyerukan kedua pihak menahan diri': the parties right after the verb, then the action."""
        doc = ctx.doc
        while i < window_end and doc[i].lower_ in self.target_preps:
            i += 1  # "menyerukan kepada …"
        while i < window_end and (ctx.mention_at[i] >= 0 or doc[i].lower_ in self.coordinators):
            i = ctx.mentions[ctx.mention_at[i]].end if ctx.mention_at[i] >= 0 else i + 1
        return i

    def _subject(self, ctx: DocContext, sent: Span, span: Span, start: int, quote: Quote | None,
                 frame: SpeechFrame | None) -> Found | None:
        region_start = self._reported_clause_start(ctx, start, span.start)
        candidates = [
            m for m in self._mentions_between(ctx, region_start, span.start)
            if not ctx.in_frame[m.start] and not self._oblique(ctx.doc, m.start)
        ]
        in_quote = quote is not None
        for index, mention in enumerate(candidates):
            ids, how = self._resolve(ctx, mention, frame, quote_speaker_ok=in_quote, sent=sent)
            if ids:
                for other in self._coordinated(ctx, mention, candidates[index + 1:]):
                    ids = ids + self._resolve(ctx, other, frame, quote_speaker_ok=in_quote, sent=sent)[0]
                return Found(ids, how)
        return self._speaker_as_actor(frame, span)

    def _reported_clause_start(self, ctx: DocContext, start: int, cue_start: int) -> int:
        """After a preposed frame ("Xi mengatakan bahwa", "Menurut Xi,"); interjected frames stay inside."""
        doc = ctx.doc
        region_start = start
        for frame in ctx.frames_between(start, cue_start):
            if frame.speech_act or not (start <= frame.start and frame.end <= cue_start):
                continue
            interjected = (
                frame.start > start and doc[frame.start - 1].text == ","
                and frame.end < len(doc) and doc[frame.end].text == ","
            )
            if not interjected:
                region_start = max(region_start, frame.end)
        return region_start

    def _coordinated(self, ctx: DocContext, first: Mention, rest: list[Mention]) -> list[Mention]:
        joined = []
        end = first.end
        for mention in rest:
            gap = ctx.doc[end:mention.start]
            if not len(gap) or len(gap) > 2 or any(t.lower_ not in self.coordinators for t in gap):
                break
            joined.append(mention)
            end = mention.end
        return joined

    @staticmethod
    def _speaker_as_actor(frame: SpeechFrame | None, span: Span) -> Found | None:
        """No subject: the speaker acts for their country ("Xi berjanji …", a passive "perlu disiapkan")."""
        if frame is None or frame.speaker_id is None:
            return None
        if frame.speaker_label == "PERSON":
            ids = [f"country:{frame.speaker_iso3}"] if frame.speaker_iso3 else [frame.speaker_id]
        else:
            ids = [frame.speaker_id]
        own_act = frame.speech_act and frame.verb_start == span.start
        return Found(ids, "direct" if own_act else "fallback")

    def _resolve(self, ctx: DocContext, mention: Mention, frame: SpeechFrame | None, *,
                 quote_speaker_ok: bool, sent: Span | None = None) -> tuple[list[str], str]:
        """Entity ids a mention stands for, and how they were found."""
        if mention.entity is not None:
            return party_ids(mention.entity), "direct"
        if mention.resolves == "principal_pair":
            return list(ctx.principal), "phrase"
        if mention.resolves == "meeting_org":
            org = meeting_organisation(ctx, sent)
            return ([org], "phrase") if org else ([], "phrase")
        if mention.resolves == "speaker_country":
            # "kami" / "we" is the speaker's side only inside a quotation; in narration it is the reporter's.
            if quote_speaker_ok and frame is not None and frame.speaker_iso3:
                return [f"country:{frame.speaker_iso3}"], "phrase"
            return [], "phrase"
        if mention.resolves == "carried_speaker":
            carried = ctx.carried_speaker(mention.start)
            if carried is not None and carried.speaker_iso3:
                return [f"country:{carried.speaker_iso3}"], "pronoun"
        return [], "pronoun"

    def _mentions_between(self, ctx: DocContext, lo: int, hi: int) -> list[Mention]:
        seen: list[Mention] = []
        for i in range(lo, hi):
            index = ctx.mention_at[i]
            if index >= 0 and ctx.mentions[index].start == i:
                seen.append(ctx.mentions[index])
        return seen

    def _oblique(self, doc: Doc, i: int) -> bool:
        return self._behind_preposition(doc, i, self.oblique_preps)

    @staticmethod
    def _behind_preposition(doc: Doc, i: int, prepositions: frozenset[str]) -> bool:
        """'di Tajikistan', 'dengan Presiden Xi': look back over title words for a preposition."""
        j = i - 1
        steps = 0
        while j >= 0 and steps < 4 and doc[j].is_title and doc[j].lower_ not in prepositions:
            j -= 1
            steps += 1
        return j >= 0 and doc[j].lower_ in prepositions

    # --- targets, negation, status, domains ---------------------------------------------------------------

    def _targets(self, ctx: DocContext, sent: Span, span: Span, cue: Cue, action: Span, actors: list[str],
                 quote: Quote | None, frame: SpeechFrame | None) -> list[str]:
        doc = ctx.doc
        ids: list[str] = []
        mentions = self._mentions_between(ctx, action.start, action.end)
        for index, mention in enumerate(mentions):
            # The object of the support verb, or of the action's first verb ("membantu Fiji", "help Fiji").
            supported = cue.modality == "support" and self._right_after(doc, span.end, mention.start)
            direct_object = supported or self._right_after(doc, action.start + 1, mention.start)
            if direct_object or self._behind_preposition(doc, mention.start, self.target_preps):
                # "dengan China dan Rusia": the preposition governs the whole coordination
                in_quote = quote is not None
                for target in [mention, *self._coordinated(ctx, mention, mentions[index + 1:])]:
                    ids.extend(self._resolve(ctx, target, frame, quote_speaker_ok=in_quote, sent=sent)[0])
        return [i for i in dict.fromkeys(ids) if i not in actors]

    def _right_after(self, doc: Doc, i: int, mention_start: int) -> bool:
        while i < mention_start and (doc[i].lower_ in self.adverbs or doc[i].is_title):
            i += 1
        return i == mention_start

    def _negated(self, doc: Doc, span: Span, start: int, end: int) -> bool:
        before = span.start - 1
        if before >= start and doc[before].lower_ in self.neg_bridges:
            before -= 1
        if before >= start and doc[before].lower_ in self.neg_before:
            return True
        return span.end < end and doc[span.end].lower_ in self.neg_after

    def _status(self, doc: Doc, span: Span, cue: Cue, start: int) -> str:
        if cue.status:
            return cue.status
        if cue.modality not in PERFECTIVE_MODALITIES:
            return "future"
        i = span.start - 1
        while i >= start and i >= span.start - 3:
            if doc[i].lower_ in self.perfect_markers:
                return "past"  # "telah menandatangani", "has agreed"
            if doc[i].lower_ not in self.adverbs:
                break
            i -= 1
        return "future"

    def _domains(self, ctx: DocContext, action: Span, evidence: Span) -> list[str]:
        in_action = ctx.hits_between(action.start_char, action.end_char)
        domains = self.domains.domains_between(in_action, action.start_char, action.end_char)
        in_evidence = ctx.hits_between(evidence.start_char, evidence.end_char)
        return domains or self.domains.domains_between(in_evidence, evidence.start_char, evidence.end_char)


# --- doc-level helpers (pure functions: testable on their own) ----------------------------------------------


def party_ids(span: Span) -> list[str]:
    """The acting party an entity mention stands for: capitals and persons act for their country."""
    iso3 = entity_country(span)
    if span.label_ == "COUNTRY":
        return [span._.entity_id or f"country:{iso3}"] if (span._.entity_id or iso3) else []
    if span.label_ == "PLACE":
        return [f"country:{iso3}"] if iso3 else []
    if span.label_ == "PERSON":
        if iso3:
            return [f"country:{iso3}"]
        return [span._.entity_id] if span._.entity_id else []
    if span.label_ == "ORG" and span._.entity_id:
        return [span._.entity_id]
    return []


def principal_countries(doc: Doc) -> list[str]:
    """The two most frequent COUNTRY entities (ties by first mention): who "kedua negara" means."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for ent in doc.ents:
        if ent.label_ == "COUNTRY":
            ids = party_ids(ent)
            if ids:
                counts[ids[0]] += 1
                first.setdefault(ids[0], ent.start)
    ranked = sorted(counts, key=lambda entity_id: (-counts[entity_id], first[entity_id]))
    return ranked[:2]


def meeting_organisation(ctx: DocContext, sent: Span | None) -> str | None:
    """The organisation whose meeting "para menteri" attend: one named in the sentence, else the article's."""
    if sent is not None:
        for ent in sent.ents:
            if ent.label_ == "ORG" and ent._.entity_id:
                return ent._.entity_id
    counts = Counter(e._.entity_id for e in ctx.doc.ents if e.label_ == "ORG" and e._.entity_id)
    return counts.most_common(1)[0][0] if counts else None


def _trimmed_end(span: Span) -> int:
    """End of the evidence without trailing spaces or the comma / semicolon that separated the next clause."""
    end = span.end
    while end > span.start and (span.doc[end - 1].is_space or span.doc[end - 1].text in (",", ";")):
        end -= 1
    return span.doc[end - 1].idx + len(span.doc[end - 1].text) if end > span.start else span.start_char


def _cue_from_row(row: dict) -> Cue:
    return Cue(
        modality=row["modality"],
        strength=row.get("strength", "strong"),
        negated=bool(row.get("negated")),
        status=row.get("status"),
        speech_act=bool(row.get("speech_act")),
        needs_connector=bool(row.get("needs_connector")),
        blocked_after=frozenset(w.lower() for w in row.get("blocked_after", [])),
    )


def _phrase_matcher(nlp: Language, phrases: dict) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for phrase in phrases:
        matcher.add(phrase, [nlp.make_doc(phrase)])
    return matcher


@Language.factory("ikrar_commitments")
def make_commitment_extractor(nlp: Language, name: str) -> CommitmentExtractor:
    return CommitmentExtractor(nlp, name)
