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
   With no subject, the speaker's country is the fallback; with neither, the row is dropped. "it" / "they" /
   "mereka" after a speech verb are the verb's subject ("Japan said it would …"); a call on the callers' own
   people ("called on their ministers to …") commits the callers.
5. Targets: parties in the action behind a target preposition ("dengan", "kepada", "with", "to" …) and the
   object of a support verb, and English nationality adjectives inside such a phrase ("for Indonesian
   students"); never an actor, and never a party of a subordinate clause with its own subject ("… sebelum
   Palestina merdeka", "… until X agrees").
6. Domains: the action's (short of a coordinated clause with its own subject: "…, dan perusahaan Jepang
   dipersilakan berinvestasi"), else the clause's (also when the action has only weak words); an action
   with no domain word that points back ("menjaganya", "keadaan ini", "withdraw them") takes the topic of the
   sentence before it in the paragraph (else of the paragraph before); a generic undertaking ("membentuk
   gugus tugas bersama", "menyediakan tim tambahan") takes the domains of the commitment just before it, else
   that topic; acting on an international body, or nothing before, is diplomacy. A noun with a demonstrative
   ("hubungan tersebut") adds the domain words of its earlier mention ("hubungan dagang").

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
import csv
import itertools
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipelines.nlp.domains import (
    DEFAULT_DOMAIN,
    DomainHit,
    DomainTagger,
    demonstrative_side,
    domain_phrases,
    order_domains,
)
from pipelines.nlp.extensions import Commitment
from pipelines.nlp.speakers import DATA_DIR as SHARED_DATA_DIR
from pipelines.nlp.speakers import (
    MAX_SPEAKER_GAP,
    MODALITY_CUES,
    PARTY_PHRASES,
    EntityIndex,
    Match,
    Quote,
    Referents,
    SpeakerFinder,
    SpeechFrame,
    TokenTable,
    bare_title,
    governing_preposition,
    grammar_words,
    load_rows,
    matches,
)

NEGATION = SHARED_DATA_DIR / "com_negation.jsonl"
DEMONYMS = SHARED_DATA_DIR / "gaz_demonyms.csv"
PARTY_LABELS = ("COUNTRY", "PLACE", "ORG", "PERSON")
# Modalities where a perfect marker ("telah menandatangani", "has agreed") reports a completed act.
PERFECTIVE_MODALITIES = ("agreement", "support", "pledge")
CALL_WINDOW = 12  # tokens between a call verb and its "untuk" / "to"
MAX_COORDINATION_GAP = 8  # "dan Menteri Luar Negeri Jepang" between two coordinated parties
TARGET_PHRASE_REACH = 4  # nouns between a target preposition and its party: "bagi produk pertanian Vietnam"
MAX_CONFIDENCE = 0.95
PRODUCT_REACH = 3  # words after a production word that may name what is produced ("produksi baterai")
PRODUCT_PARAGRAPHS = 3  # paragraphs back in which a designated programme is still the product under discussion
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
    blocked_before: frozenset[str] = frozenset()  # words right after the cue that make it an adjective
    passive: bool = False  # "ditandatangani": the parties are the agents after "oleh", not a subject


class Mention(NamedTuple):
    """A party mentioned in the doc: an entity, or a phrase such as "kedua negara" or "kami" (a NamedTuple:
    a doc has dozens, and a frozen dataclass is slow to build)."""

    start: int
    end: int
    entity: Span | None = None
    resolves: str | None = None  # for phrases: principal_pair, meeting_org, speaker_country, carried_speaker
    role: str | None = None  # a title phrase ("the minister", "Menlu"): the office its referent holds


# Words after (Indonesian) or before (English) a noun read as its modifiers when it names an antecedent.
ANTECEDENT_MODIFIERS = 3
# Punctuation that closes a clause inside a sentence.
CLAUSE_MARKS = frozenset({",", ";", ":"})


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
    cue_spans: list[Match]  # modal cues of the whole doc, longest match first, in text order
    # Sorted keys for bisect, so every lookup stays local and a long doc costs linear time.
    hit_starts: list[int] = field(default_factory=list)
    cue_starts: list[int] = field(default_factory=list)
    frame_starts: list[int] = field(default_factory=list)  # verb_start of each frame
    quote_starts: list[int] = field(default_factory=list)
    referents: Referents | None = None  # who "Ia" / "he" refers to
    tokens: TokenTable | None = None  # token attributes as lists (``ents.tokens``): doc[i] builds a Token
    lowers: list[str] = field(default_factory=list)  # token.lower_ by index (``tokens.lower``), read often
    text: str = ""  # doc.text (``tokens.doc_text``: Doc.text and Span.text build a Token per token)
    party_of: dict[int, list[str]] = field(default_factory=dict)  # entity start → the parties it stands for
    multilateral: bool = False  # an organisation is as present as the second country: a summit article
    found: list[Commitment] = field(default_factory=list)  # the rows found so far, in text order

    def __post_init__(self):
        self.hit_starts = [hit.start_char for hit in self.hits]
        self.cue_starts = [span.start for span in self.cue_spans]
        self.frame_starts = [frame.verb_start for frame in self.frames]
        self.quote_starts = [quote.start_char for quote in self.quotes]

    def frames_between(self, lo: int, hi: int) -> list[SpeechFrame]:
        """Frames whose verb lies in tokens [lo, hi)."""
        first = bisect.bisect_left(self.frame_starts, lo)
        return self.frames[first:bisect.bisect_left(self.frame_starts, hi)]

    def cues_between(self, lo: int, hi: int) -> list[Match]:
        return self.cue_spans[bisect.bisect_left(self.cue_starts, lo):bisect.bisect_left(self.cue_starts, hi)]

    def hits_between(self, start_char: int, end_char: int) -> list[DomainHit]:
        first = bisect.bisect_left(self.hit_starts, start_char)
        return self.hits[first:bisect.bisect_left(self.hit_starts, end_char)]

    def quote_around(self, char: int) -> Quote | None:
        index = bisect.bisect_left(self.quote_starts, char) - 1
        if index >= 0 and self.quotes[index].start_char < char < self.quotes[index].end_char:
            return self.quotes[index]
        return None

    def carried_person(self, token_i: int, role: str | None = None) -> Span | None:
        """The most salient person before a token: who "Ia" / "he" refers to (with ``role``, the last person
        named with that office: who "the minister" / "Menlu" refers to)."""
        return self.referents.before(token_i, role) if self.referents is not None else None


@dataclass
class Found:
    """Intermediate result of the actor / speaker rules for one cue."""

    actor_ids: list[str]
    actor_how: str
    target_ids: list[str] = field(default_factory=list)  # parties met on the way ("… dengan Israel untuk")


class CommitmentExtractor:
    def __init__(self, nlp: Language, name: str = "ikrar_commitments"):
        self.name = name
        lang = nlp.lang
        # "frame_only" rows (a wish, a prohibition) introduce a commitment without being one.
        self.cues = {
            row["cue"].lower(): _cue_from_row(row)
            for row in load_rows(MODALITY_CUES, lang)
            if not row.get("frame_only")
        }
        self.cue_matcher = _phrase_matcher(nlp, self.cues)
        self.party_phrases = {
            row["phrase"].lower(): row["resolves"] for row in load_rows(PARTY_PHRASES, lang)
        }
        self.party_matcher = _phrase_matcher(nlp, self.party_phrases)
        party_rows = load_rows(PARTY_PHRASES, lang)
        self.phrase_roles = {row["phrase"].lower(): row["role"] for row in party_rows if row.get("role")}
        self.capitalized_phrases = frozenset(row["phrase"].lower() for row in party_rows if row.get("capitalized"))
        self.connectors = grammar_words(lang, "call_connector")
        self.complementizers = grammar_words(lang, "complementizer")
        self.target_preps = grammar_words(lang, "target_preposition")
        self.oblique_preps = grammar_words(lang, "oblique_preposition")
        self.relative_markers = grammar_words(lang, "relative_marker")
        self.perfect_markers = grammar_words(lang, "perfect_marker")
        self.coordinators = grammar_words(lang, "coordinator")
        self.adverbs = grammar_words(lang, "adverb")
        self.clause_breaks = grammar_words(lang, "clause_break")
        self.agent_markers = grammar_words(lang, "agent_marker")
        self.passive_auxiliaries = grammar_words(lang, "passive_auxiliary")
        self.auxiliaries = grammar_words(lang, "auxiliary") | self.passive_auxiliaries
        self.passive_prefixes = tuple(grammar_words(lang, "passive_prefix"))
        self.not_passive = grammar_words(lang, "not_passive")
        self.participles = grammar_words(lang, "participle")
        self.schedule_verbs = grammar_words(lang, "schedule_verb")
        self.appositive_words = grammar_words(lang, "appositive_word")
        self.genitive_words = grammar_words(lang, "genitive")
        self.verb_prefixes = tuple(grammar_words(lang, "verb_prefix"))
        self.active_verb_prefixes = tuple(grammar_words(lang, "active_verb_prefix"))
        self.participle_suffixes = tuple(grammar_words(lang, "participle_suffix"))
        self.not_participle = grammar_words(lang, "not_participle")
        self.other_words = grammar_words(lang, "other_word")
        self.anaphors = grammar_words(lang, "anaphor")
        self.time_nouns = grammar_words(lang, "time_noun")
        self.anaphoric_enclitics = tuple(grammar_words(lang, "anaphoric_enclitic"))
        self.not_anaphors = grammar_words(lang, "not_anaphor")
        self.subordinators = grammar_words(lang, "subordinator")
        self.range_starts = grammar_words(lang, "range_start")
        self.range_ends = grammar_words(lang, "range_end")
        # "hubungan tersebut", "these ties": a noun with a demonstrative names something said before.
        self.demonstratives = frozenset(form for (form,) in domain_phrases(lang, "demonstrative"))
        self.modifiers_after = demonstrative_side(lang) == "after"
        self.comparison_words = frozenset(form for (form,) in domain_phrases(lang, "comparison"))
        self.elaborators = frozenset(form for (form,) in domain_phrases(lang, "elaboration"))
        self.production_words = frozenset(form for (form,) in domain_phrases(lang, "production"))
        # ", dan perusahaan Jepang dipersilakan …": a coordinated clause with its own subject and predicate.
        self.clause_coordinators = frozenset(form for (form,) in domain_phrases(lang, "clause_coordinator"))
        self.subject_determiners = frozenset(form for (form,) in domain_phrases(lang, "subject_determiner"))
        self.predicate_words = frozenset(form for (form,) in domain_phrases(lang, "predicate_word"))
        self.possessives = grammar_words(lang, "possessive")
        # Nationality adjectives ("Indonesian"): the gazetteer's table, read only for targets.
        self.demonyms = load_demonyms() if lang == "en" else {}
        negation = load_rows(NEGATION, lang)
        self.neg_before = frozenset(r["form"] for r in negation if r["position"] in ("before", "both"))
        self.neg_after = frozenset(r["form"] for r in negation if r["position"] in ("after", "both"))
        self.neg_bridges = frozenset(r["form"] for r in negation if r["position"] == "bridge")
        # Words that may stand between a subject and its modal without making it someone else's subject.
        self.light_words = self.adverbs | self.neg_before | self.neg_bridges | self.perfect_markers | {","}
        self.bridge_words = self.light_words - {","}
        # Words that may stand before a cue in subject position without being its subject (see
        # ``_other_subject_before``), and those among them that end the search: built once, not per cue.
        self.subject_skippable = (self.light_words | self.auxiliaries | self.coordinators | self.complementizers
                                  | self.connectors | self.relative_markers | self.clause_breaks)
        self.subject_stops = self.clause_breaks | self.complementizers
        # Words of closed classes: none of them opens a noun phrase that could be a new subject.
        self.closed_words = (self.subject_skippable | self.target_preps | self.oblique_preps | self.subordinators
                             | self.predicate_words | self.demonstratives)
        self.speakers = SpeakerFinder(nlp)
        self.domains = DomainTagger(nlp)

    # --- the component ------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        entities = doc.ents if len(doc) else ()
        if not entities:
            doc._.commitments = []  # no party, no commitment: every row needs an actor
            return doc
        if not doc.has_annotation("SENT_START"):
            raise ValueError(f"{self.name} needs sentence boundaries: add a sentence splitter before it")
        cues = matches(self.cue_matcher, doc)
        if not cues:
            doc._.commitments = []  # every row starts from a cue: the doc's frames and parties are not needed
            return doc
        ctx = self._context(doc, entities, cues)
        found = ctx.found
        for sent_start, sent_end in zip(ctx.ents.sent_starts, ctx.ents.sent_ends, strict=True):
            if not ctx.cues_between(sent_start, sent_end):
                continue  # every row starts from a cue: a sentence without one has none
            sent = doc[sent_start:sent_end]  # doc.sents was read once already, by the entity index
            for start, end in self._clauses(ctx, sent):
                found.extend(self._clause_commitments(ctx, sent, start, end))
        doc._.commitments = found
        return doc

    def _context(self, doc: Doc, entities: tuple[Span, ...], cues: list[Match]) -> DocContext:
        ents = EntityIndex(doc, entities)
        frames, referents = self.speakers.read(doc, ents)
        in_frame = [False] * len(doc)
        for frame in frames:
            for i in range(frame.start, frame.end):
                in_frame[i] = True
        tokens = ents.tokens  # token attributes read once per doc, shared with the speaker rules
        mentions = self._mentions(doc, ents)
        mention_at = [-1] * len(doc)
        for index, mention in enumerate(mentions):
            for i in range(mention.start, mention.end):
                mention_at[i] = index
        # Extension attributes are slow to read: each entity's parties once per doc (the index read them).
        parties = [
            (label, entity_id, party_ids(label, entity_id, iso3))
            for label, entity_id, iso3 in zip(ents.labels, ents.entity_ids, ents.countries, strict=True)
        ]
        return DocContext(
            doc=doc, ents=ents, frames=frames, quotes=self.speakers.quotes(doc, frames, tokens), mentions=mentions,
            mention_at=mention_at, in_frame=in_frame, hits=self.domains.hits(doc, tokens=tokens), tokens=tokens,
            lowers=tokens.lower, text=tokens.doc_text, principal=principal_countries(parties),
            cue_spans=cues,
            referents=referents, multilateral=is_multilateral(parties),
            party_of={ent.start: ids for ent, (_, _, ids) in zip(ents.ents, parties, strict=True)},
        )

    def _mentions(self, doc: Doc, ents: EntityIndex) -> list[Mention]:
        mentions = [Mention(e.start, e.end, entity=e)
                    for e, label in zip(ents.ents, ents.labels, strict=True) if label in PARTY_LABELS]
        for span in matches(self.party_matcher, doc):
            inside = any(ents.at(i) is not None for i in range(span.start, span.end))
            # "Pemerintah Indonesia", "negara-negara anggota SCO": the name that follows says who it is.
            if not inside and ents.at(span.end) is None:
                if span.label in self.capitalized_phrases and not bare_title(ents.tokens, span.start, span.end):
                    continue  # "presiden" as an office, or a title before a name the recogniser missed
                mentions.append(Mention(span.start, span.end, resolves=self.party_phrases[span.label],
                                        role=self.phrase_roles.get(span.label)))
        return sorted(mentions, key=lambda m: m.start)

    def _clauses(self, ctx: DocContext, sent: Span) -> list[tuple[int, int]]:
        """Token ranges of the clauses of a sentence."""
        tokens, lowers = ctx.tokens, ctx.lowers
        first = sent.start
        while first < sent.end and tokens.is_space[first]:
            first += 1  # the paragraph break the sentencizer leaves at a sentence start is no part of it
        cuts = [first]
        for i in range(first + 1, sent.end):
            before = lowers[i - 1]
            if before == ";" or (before == "," and self._opens_clause(tokens, i)):
                cuts.append(i)
        cuts.append(sent.end)
        return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]

    def _opens_clause(self, tokens: TokenTable, i: int) -> bool:
        """'sementara', 'while', or an English participle ('…, saying …'), after a comma."""
        lower = tokens.lower[i]
        if lower in self.clause_breaks:
            return True
        return (bool(self.participle_suffixes) and tokens.is_lower_at(i) and lower.endswith(self.participle_suffixes)
                and lower not in self.not_participle)

    # --- cues ---------------------------------------------------------------------------------------------

    def _clause_cues(self, ctx: DocContext, start: int, end: int) -> list[tuple[Match, Cue]]:
        cues = []
        for span in ctx.cues_between(start, end):
            if span.end <= end:
                cue = self.cues[span.label]
                if self._is_main_clause_cue(ctx.tokens, span, cue, start):
                    cues.append((span, cue))
        return cues

    def _is_main_clause_cue(self, tokens: TokenTable, span: Match, cue: Cue, clause_start: int) -> bool:
        lower = tokens.lower
        before = span.start - 1
        if before >= clause_start and lower[before] in cue.blocked_after:
            return False  # "kebutuhan akan", "political will", "China's support"
        if span.end < len(tokens) and lower[span.end] in cue.blocked_before:
            return False  # "makanan siap saji" (ready-to-eat): a compound adjective, nobody is ready
        if cue.modality == "intent" and self._schedules(tokens, span):
            return False  # "akan digelar", "akan berlangsung", "will be held": a schedule, no one's intent
        if self._is_passive(tokens, span, cue, clause_start):
            return True  # "perjanjian yang ditandatangani oleh X dan Y" reports a signing all the same
        while before >= clause_start and lower[before] in self.bridge_words:
            before -= 1
        # A cue in a relative clause describes something ("proyek yang akan dibangun"), it commits no one.
        return not (before >= clause_start and lower[before] in self.relative_markers)

    def _schedules(self, tokens: TokenTable, span: Match) -> bool:
        first = span.end
        after = min(len(tokens), first + 3) - first  # how many of the next three tokens exist
        if after <= 0:
            return False
        two_words = tokens.doc_text[tokens.idx[first]:tokens.end_char(min(len(tokens), first + 2) - 1)].lower()
        if tokens.lower[first] in self.schedule_verbs or two_words in self.schedule_verbs:
            return True
        if after >= 2 and tokens.lower[first] in self.passive_auxiliaries and self._participle(tokens, first + 1):
            return True  # "will be held"
        return self._prefixed_passive(tokens, first)  # "akan dipegang"

    def _prefixed_passive(self, tokens: TokenTable, i: int) -> bool:
        text = tokens.lower[i]
        return (bool(self.passive_prefixes) and tokens.is_lower_at(i) and tokens.is_alpha_at(i) and len(text) >= 6
                and text.startswith(self.passive_prefixes) and text not in self.not_passive)

    def _participle(self, tokens: TokenTable, i: int) -> bool:
        text = tokens.lower[i]
        return tokens.is_alpha_at(i) and (text in self.participles or (text.endswith("ed") and len(text) > 4))

    def _is_passive(self, tokens: TokenTable, span: Match, cue: Cue, clause_start: int) -> bool:
        """'ditandatangani', 'was signed': the parties are agents, or named in what was signed."""
        if cue.passive:
            return True
        before = span.start - 1
        return (cue.modality == "agreement" and before >= clause_start
                and tokens.lower[before] in self.passive_auxiliaries)

    def _clause_commitments(self, ctx: DocContext, sent: Span, start: int, end: int) -> list[Commitment]:
        heads: list[tuple[Match, Cue, int]] = []  # cue, its lexicon row, where its own subject starts
        for span, cue in self._clause_cues(ctx, start, end):
            if self._is_passive(ctx.tokens, span, cue, start):
                heads.append((span, cue, span.start))  # a signing reported in passing is its own row
                continue
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

    def _new_subject_before(self, ctx: DocContext, cue_span: Match, since: int) -> int | None:
        """Start of a party standing right before the cue (only light words between), after ``since``."""
        i = cue_span.start - 1
        while i >= since and (ctx.lowers[i] in self.light_words or ctx.in_frame[i]):
            i -= 1  # "China, kata dia, harus": the interjected frame is no subject
        if i < since or ctx.mention_at[i] < 0:
            return None
        mention = ctx.mentions[ctx.mention_at[i]]
        if mention.start < since or self._oblique(ctx.tokens, mention.start):
            return None
        return self._coordination_start(ctx, mention, since)

    def _coordination_start(self, ctx: DocContext, mention: Mention, since: int) -> int:
        """'China dan Indonesia akan': the subject starts at the first of the coordinated parties."""
        start = mention.start
        while True:
            i = start - 1
            while i >= since and start - i <= MAX_COORDINATION_GAP and ctx.mention_at[i] < 0:
                if not self._joins_parties(ctx.tokens, i):
                    return start
                i -= 1
            if i < since or ctx.mention_at[i] < 0:
                return start
            start = ctx.mentions[ctx.mention_at[i]].start  # "Menlu RI Sugiono dan Menlu Jepang Iwaya"

    def _only_frame_between(self, ctx: DocContext, earlier: Match, subject_start: int | None) -> bool:
        if subject_start is None:
            return False
        tokens = ctx.tokens
        return all(tokens.lower[i] in self.complementizers for i in range(earlier.end, subject_start)
                   if not tokens.is_punct[i])

    # --- one commitment -----------------------------------------------------------------------------------

    def _commitment(self, ctx: DocContext, sent: Span, span: Match, cue: Cue, clause: tuple[int, int],
                    subject_start: int, limit: int) -> Commitment | None:
        """One row for the cue at ``span``: subject from ``subject_start``, action ending by ``limit``."""
        tokens = ctx.tokens
        start, end = clause
        quote = ctx.quote_around(tokens.idx[span.start])
        frame, speaker_how = self._speaker(ctx, sent, span, start, end, quote)
        action_start = self._skip_connectors(ctx.lowers, span.end, limit)
        passive = self._is_passive(tokens, span, cue, start)
        if cue.modality == "call":
            called = self._called_on(ctx, span, cue, limit, frame) or self._call_on_own_side(
                ctx, sent, span, limit, subject_start, quote, frame)
            if called is None:
                return None  # a call with nobody called on is an exhortation, not a commitment
            found, action_start = called
        elif passive:
            found = self._signatories(ctx, span, start, limit)
        else:
            found = self._subject(ctx, sent, span, subject_start, quote, frame)
        if found is None or not found.actor_ids:
            return None
        action_end = self._action_end(ctx, span, action_start, limit, quote)
        if action_end <= action_start:
            if not passive:
                return None
            action_start, action_end = span.start, span.end  # "… yang ditandatangani." names no more
        action = (action_start, action_end)
        targets = self._targets(ctx, sent, span, cue, action, found.actor_ids, quote, frame)
        actors = list(dict.fromkeys(found.actor_ids))
        score = CUE_SCORE[cue.strength] + ACTOR_SCORE[found.actor_how] + SPEAKER_SCORE[speaker_how]
        return Commitment(
            start_char=tokens.idx[start],
            end_char=_trimmed_end(tokens, start, end),
            trigger_start=tokens.idx[span.start],
            trigger_end=tokens.end_char(span.end - 1),
            modality=cue.modality,
            action_text=ctx.text[tokens.idx[action_start]:tokens.end_char(action_end - 1)],
            actor_ids=actors,
            target_ids=[t for t in dict.fromkeys(found.target_ids + targets) if t not in actors],
            speaker_id=frame.speaker_id if frame is not None else None,
            negated=cue.negated or self._negated(ctx.lowers, span, start, end),
            status=self._status(ctx.lowers, span, cue, start),
            domains=self._domains(ctx, action, (start, end), span.start),
            confidence=round(min(score, MAX_CONFIDENCE), 2),
        )

    def _skip_connectors(self, lowers: list[str], i: int, limit: int) -> int:
        while i < limit and (lowers[i] in self.connectors or lowers[i] in self.complementizers):
            i += 1
        return i

    def _action_end(self, ctx: DocContext, span: Match, action_start: int, limit: int,
                    quote: Quote | None) -> int:
        """The action runs to the clause end, short of a postposed frame (", kata Xi") or a closing quote."""
        tokens = ctx.tokens
        end = limit
        # A preposed speaker may stand up to MAX_SPEAKER_GAP tokens before its verb ("…, Xi also said").
        for frame in ctx.frames_between(action_start, end + MAX_SPEAKER_GAP):
            if action_start <= frame.start < end and not frame.speech_act:
                end = frame.start
        if quote is not None:
            while end > action_start and tokens.idx[end - 1] >= quote.end_char:
                end -= 1
        while end > action_start and (tokens.is_punct[end - 1] or tokens.is_space[end - 1]):
            end -= 1
        return end

    # --- speaker ------------------------------------------------------------------------------------------

    def _speaker(self, ctx: DocContext, sent: Span, span: Match, start: int, end: int,
                 quote: Quote | None) -> tuple[SpeechFrame | None, str]:
        frame = self._speaker_frame(ctx, sent, span, start, end, quote)
        if frame is None:
            return None, "narrator"
        if frame.speaker_id is None:
            return frame, "unresolved"
        return frame, "named" if frame.named else "carried"

    @staticmethod
    def _speaker_frame(ctx: DocContext, sent: Span, span: Match, start: int, end: int,
                       quote: Quote | None) -> SpeechFrame | None:
        """Who says it: the quotation's frame, else the reported-speech frame of the clause ("Sugiono
        menyampaikan bahwa Indonesia menyerukan …" is said by Sugiono), else the cue's own speech act
        ("Xi menyerukan …"), else the nearest frame of the sentence."""
        if quote is not None and quote.frame is not None:
            return quote.frame
        said = [f for f in ctx.frames_between(start, end) if not f.speech_act]
        if said:
            return min(said, key=lambda f: abs(f.verb_start - span.start))
        own = [f for f in ctx.frames_between(span.start, span.start + 1) if f.speech_act]
        if own:
            return own[0]
        # Another cue's speech act speaks only for what it introduces ("Xi menyerukan agar kedua negara harus
        # …"), never for what came before it ("Gibran dan Kim sepakat mendorong …").
        for lo, hi, speech_acts in ((start, end, True), (sent.start, sent.end, False), (sent.start, sent.end, True)):
            nearby = [f for f in ctx.frames_between(lo, hi)
                      if f.speech_act == speech_acts and (not speech_acts or f.verb_start < span.start)]
            if nearby:
                return min(nearby, key=lambda f: abs(f.verb_start - span.start))
        return None

    # --- actors -------------------------------------------------------------------------------------------

    def _called_on(self, ctx: DocContext, span: Match, cue: Cue, limit: int,
                   frame: SpeechFrame | None) -> tuple[Found, int] | None:
        """'menyerukan China dan Tajikistan untuk …', 'urged both sides to …': the called-on act."""
        lowers = ctx.lowers
        window_end = min(limit, span.end + CALL_WINDOW)
        connector = next((i for i in range(span.end, window_end) if lowers[i] in self.connectors), None)
        if connector is None:
            connector = self._end_of_called_parties(ctx, span.end, window_end)
            if cue.needs_connector and not (connector > span.end and self._active_verb_at(ctx.tokens, connector)):
                return None  # "meminta maaf", "mendorong kerja sama": not a call on anyone
            action_start = connector  # "mendesak Israel menghentikan serangan": the verb says what is called for
        else:
            action_start = connector + 1
        ids: list[str] = []
        targets: list[str] = []
        how = "direct"
        relative_at = next((i for i in range(span.end, connector) if lowers[i] in self.relative_markers),
                           connector)
        for mention in self._mentions_between(ctx, span.end, connector):
            resolved, mention_how = self._resolve(ctx, mention, frame, quote_speaker_ok=False)
            preposition = governing_preposition(ctx.tokens, mention.start, self.oblique_preps)
            # Only the addressee is called on: not "warga Indonesia di Lebanon", nor a party inside a relative
            # clause ("negara anggota yang berdagang dengan Israel"), who becomes a target when a target
            # preposition governs it.
            if mention.start > relative_at or (preposition is not None and preposition > span.end):
                if preposition is not None and lowers[preposition] in self.target_preps:
                    targets.extend(resolved)
                continue
            ids.extend(resolved)
            if resolved and mention_how != "direct":
                how = mention_how
        if not ids:
            return None
        return Found(ids, how, targets), action_start

    def _call_on_own_side(self, ctx: DocContext, sent: Span, span: Match, limit: int, subject_start: int,
                          quote: Quote | None, frame: SpeechFrame | None) -> tuple[Found, int] | None:
        """'The two leaders called on their ministers to …', 'meminta jajarannya untuk …': a call on the
        callers' own people commits the callers' side, so the actors are the call's subject."""
        i = span.end
        while i < limit and ctx.lowers[i] in self.target_preps:
            i += 1
        if i >= limit:
            return None
        word = ctx.lowers[i]
        own = word in self.possessives or (
            bool(self.anaphoric_enclitics) and word.endswith(self.anaphoric_enclitics)
            and word not in self.not_anaphors and ctx.tokens.is_alpha_at(i) and len(word) > 6)
        if not own:
            return None
        connector = next((k for k in range(i + 1, min(limit, i + 1 + CALL_WINDOW)) if ctx.lowers[k] in self.connectors),
                         None)
        if connector is None:
            return None
        found = self._subject(ctx, sent, span, subject_start, quote, frame)
        return (found, connector + 1) if found is not None and found.actor_ids else None

    def _signatories(self, ctx: DocContext, span: Match, clause_start: int, limit: int) -> Found | None:
        """'ditandatangani oleh X dan Y': the agents; with none, the parties named in the signed document
        ('perjanjian Indonesia-Kanada yang ditandatangani')."""
        lowers = ctx.lowers
        i = span.end
        if i < limit and lowers[i] in self.agent_markers:
            agents = [m for m in self._mentions_between(ctx, i + 1, min(limit, i + 1 + CALL_WINDOW))]
            if agents and self._right_after(ctx.tokens, i + 1, agents[0].start):
                ids = []
                for agent in [agents[0], *self._coordinated(ctx, agents[0], agents[1:])]:
                    ids.extend(self._resolve(ctx, agent, None, quote_speaker_ok=False)[0])
                return Found(ids, "direct")
        j = span.start - 1
        while j >= clause_start and (lowers[j] in self.bridge_words or lowers[j] in self.relative_markers
                                     or lowers[j] in self.passive_auxiliaries):
            j -= 1
        named: list[str] = []
        while j >= clause_start and (ctx.mention_at[j] >= 0 or ctx.tokens.text[j] == "-"
                                     or lowers[j] in self.coordinators):
            if ctx.mention_at[j] >= 0:
                mention = ctx.mentions[ctx.mention_at[j]]
                named = self._resolve(ctx, mention, None, quote_speaker_ok=False)[0] + named
                j = mention.start
            j -= 1
        return Found(named, "phrase") if named else None

    def _active_verb_at(self, tokens: TokenTable, i: int) -> bool:
        """An active verb ("menghentikan", "bergabung"), which can open the action called for."""
        lower = tokens.lower[i] if i < len(tokens) else ""
        return (bool(self.active_verb_prefixes) and tokens.is_lower_at(i) and len(lower) >= 6
                and lower.startswith(self.active_verb_prefixes))

    def _end_of_called_parties(self, ctx: DocContext, i: int, window_end: int) -> int:
        """'menyerukan kedua pihak menahan diri': the parties right after the verb, then the action."""
        lowers = ctx.lowers
        while i < window_end and lowers[i] in self.target_preps:
            i += 1  # "menyerukan kepada …"
        while i < window_end and (ctx.mention_at[i] >= 0 or lowers[i] in self.coordinators):
            i = ctx.mentions[ctx.mention_at[i]].end if ctx.mention_at[i] >= 0 else i + 1
        return i

    def _subject(self, ctx: DocContext, sent: Span, span: Match, start: int, quote: Quote | None,
                 frame: SpeechFrame | None) -> Found | None:
        region_start = self._reported_clause_start(ctx, start, span.start)
        # The subject of a cue that is its own speech act ("Brazil and Indonesia pledged") sits in that act's
        # frame, yet it is who commits; other frames' speakers are not.
        own_subject = (frame.start, frame.verb_start) if frame is not None and frame.speech_act \
            and frame.verb_start == span.start else (0, 0)
        candidates = [
            m for m in self._mentions_between(ctx, region_start, span.start)
            if (not ctx.in_frame[m.start] or own_subject[0] <= m.start < own_subject[1])
            and not self._oblique(ctx.tokens, m.start)
        ]
        in_quote = quote is not None
        for index, mention in enumerate(candidates):
            ids, how = self._resolve(ctx, mention, frame, quote_speaker_ok=in_quote, sent=sent)
            if ids:
                for other in self._coordinated(ctx, mention, candidates[index + 1:]):
                    ids = ids + self._resolve(ctx, other, frame, quote_speaker_ok=in_quote, sent=sent)[0]
                return Found(ids, how)
        if candidates and candidates[-1].resolves in ("frame_subject", "frame_subject_thing"):
            return None  # "It will take years": a pronoun for no party is the subject, nobody commits
        if self._other_subject_before(ctx, span, region_start) and not self._passive_action(ctx.tokens, span):
            return None  # "the consensus cannot become …": a thing is the subject, no party commits
        return self._speaker_as_actor(frame, span)

    def _other_subject_before(self, ctx: DocContext, span: Match, region_start: int) -> bool:
        """A word that is no party stands in subject position right before the cue."""
        lowers, tokens = ctx.lowers, ctx.tokens
        i = span.start - 1
        while i >= region_start and (lowers[i] in self.subject_skippable or ctx.in_frame[i] or tokens.is_space[i]):
            if ctx.in_frame[i] or lowers[i] in self.subject_stops:
                return False  # "Moskow menegaskan siap": the frame's speaker is the subject
            i -= 1
        return i >= region_start and tokens.is_alpha_at(i) and ctx.mention_at[i] < 0

    def _passive_action(self, tokens: TokenTable, span: Match) -> bool:
        """'perlu dipersiapkan', 'must be prepared': the agent is left unsaid, and is the speaker's side."""
        first = span.end
        if first >= len(tokens):
            return False
        if tokens.lower[first] in self.passive_auxiliaries:
            return first + 1 < len(tokens) and self._participle(tokens, first + 1)
        return self._prefixed_passive(tokens, first)

    def _reported_clause_start(self, ctx: DocContext, start: int, cue_start: int) -> int:
        """After a preposed frame ("Xi mengatakan bahwa", "Menurut Xi,"); interjected frames stay inside."""
        texts = ctx.tokens.text
        region_start = start
        for frame in ctx.frames_between(start, cue_start):
            if frame.speech_act or not (start <= frame.start and frame.end <= cue_start):
                continue
            interjected = (
                frame.start > start and texts[frame.start - 1] == ","
                and frame.end < len(texts) and texts[frame.end] == ","
            )
            if not interjected:
                region_start = max(region_start, frame.end)
        return region_start

    def _coordinated(self, ctx: DocContext, first: Mention, rest: list[Mention]) -> list[Mention]:
        """Parties joined to ``first``: "China dan Rusia", "Menlu RI Sugiono dan Menlu Jepang Iwaya",
        "Sjafrie and his South Korean counterpart Ahn". Adjacent mentions are one party ("RI Sugiono")."""
        joined = []
        end = first.end
        for mention in rest:
            gap = range(end, mention.start)
            if len(gap) > MAX_COORDINATION_GAP or not all(self._joins_parties(ctx.tokens, i) for i in gap):
                break
            joined.append(mention)
            end = mention.end
        return joined

    def _joins_parties(self, tokens: TokenTable, i: int) -> bool:
        lower = tokens.lower[i]
        return (lower in self.coordinators or lower in self.appositive_words
                or (tokens.is_title[i] and lower not in self.oblique_preps))

    @staticmethod
    def _speaker_as_actor(frame: SpeechFrame | None, span: Match) -> Found | None:
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
            return ctx.party_of[mention.entity.start], "direct"
        if mention.resolves == "principal_pair":
            # At a summit "kedua pihak" are the pair just named; in a bilateral article, its two countries.
            pair = pair_just_named(ctx, mention.start) if ctx.multilateral else []
            return (pair if len(pair) == 2 else list(ctx.principal)), "phrase"
        if mention.resolves == "meeting_org":
            org = meeting_organisation(ctx, mention.end)
            return ([org], "phrase") if org else ([], "phrase")
        if mention.resolves in ("speaker_country", "speaker_government"):
            # "kami" / "we" is the speaker's side only inside a quotation; in narration it is the reporter's.
            # "pemerintah" / "the government" is the speaker's government wherever it stands.
            in_reach = quote_speaker_ok or mention.resolves == "speaker_government"
            if in_reach and frame is not None and frame.speaker_iso3:
                return [f"country:{frame.speaker_iso3}"], "phrase"
            return [], "phrase"
        if mention.resolves in ("frame_subject", "frame_subject_thing"):
            return self._frame_subject(ctx, frame, mention), "phrase"
        if mention.resolves == "carried_speaker":
            carried = ctx.carried_person(mention.start, mention.role)
            if carried is not None and ctx.ents.country(carried):
                return [f"country:{ctx.ents.country(carried)}"], "pronoun"
        return [], "pronoun"

    def _frame_subject(self, ctx: DocContext, frame: SpeechFrame | None, mention: Mention) -> list[str]:
        """'Japan said it would …', 'Indonesia and Fiji said they will …': the pronoun is the subject of the
        speech verb before it. "It" stands for a country or organisation, never a person."""
        if frame is None or frame.pronoun or frame.verb_end > mention.start:
            return self._plural_antecedent(ctx, mention)
        before = self._mentions_between(ctx, frame.start, frame.verb_start)
        if not before or before[-1].entity is None:
            return self._plural_antecedent(ctx, mention)
        first = self._coordination_start(ctx, before[-1], ctx.ents.sentence(frame.verb_start)[0])
        ids: list[str] = []
        for party in self._mentions_between(ctx, first, frame.verb_start):
            if party.entity is None or (mention.resolves == "frame_subject_thing"
                                        and ctx.ents.label(party.entity) == "PERSON"):
                continue
            ids.extend(ctx.party_of[party.entity.start])
        return ids

    def _plural_antecedent(self, ctx: DocContext, mention: Mention) -> list[str]:
        """'Kedua negara menyatakan mereka akan …': "they" / "mereka" is the group named before it in the
        sentence ("kedua negara", "the ministers")."""
        if mention.resolves != "frame_subject":
            return []
        sent_start = ctx.ents.sentence(mention.start)[0]
        for earlier in reversed(self._mentions_between(ctx, sent_start, mention.start)):
            if earlier.resolves in ("principal_pair", "meeting_org"):
                return self._resolve(ctx, earlier, None, quote_speaker_ok=False)[0]
        return []

    def _mentions_between(self, ctx: DocContext, lo: int, hi: int) -> list[Mention]:
        seen: list[Mention] = []
        for i in range(lo, hi):
            index = ctx.mention_at[i]
            if index >= 0 and ctx.mentions[index].start == i:
                seen.append(ctx.mentions[index])
        return seen

    def _oblique(self, tokens: TokenTable, i: int) -> bool:
        """'di Tajikistan', 'dengan Presiden Xi' (but not 'Duta Besar RI untuk Arab Saudi X')."""
        return governing_preposition(tokens, i, self.oblique_preps, reach=4) is not None

    def _in_target_phrase(self, tokens: TokenTable, i: int) -> bool:
        """A party inside a phrase governed by a target preposition: 'dengan Jepang', 'bagi investor Korsel',
        'kepada para peternak Indonesia', 'for the people of Myanmar'. A verb, another name, punctuation or
        another preposition closes the phrase first."""
        j = i - 1
        while j >= 0 and i - j <= TARGET_PHRASE_REACH:
            lower = tokens.lower[j]
            if lower in self.target_preps:
                return governing_preposition(tokens, j + 1, self.target_preps, reach=1) == j
            closes = (
                tokens.is_punct[j] or tokens.is_space[j] or tokens.ent_type[j] or tokens.is_digit_at(j)
                or (lower in self.oblique_preps and lower not in self.genitive_words)
                or lower in self.relative_markers or lower in self.coordinators
                or (self.verb_prefixes and tokens.is_lower_at(j) and len(tokens.text[j]) >= 6
                    and lower.startswith(self.verb_prefixes) and lower not in self.not_passive)
            )
            if closes:
                return False
            j -= 1
        return False

    # --- targets, negation, status, domains ---------------------------------------------------------------

    def _targets(self, ctx: DocContext, sent: Span, span: Match, cue: Cue, action: tuple[int, int],
                 actors: list[str], quote: Quote | None, frame: SpeechFrame | None) -> list[str]:
        tokens = ctx.tokens
        ids: list[str] = []
        action_start = action[0]
        end = self._main_action_end(ctx, action)
        mentions = self._mentions_between(ctx, action_start, end)
        for index, mention in enumerate(mentions):
            # The object of the support verb, or of the action's first verb ("membantu Fiji", "help Fiji").
            if self._unnamed_others(ctx.lowers, mention) or mention.resolves in ("frame_subject",
                                                                                "frame_subject_thing"):
                continue  # "negara anggota lainnya": the others, no party that can be named; "it" as an object
            supported = cue.modality == "support" and self._right_after(tokens, span.end, mention.start)
            direct_object = supported or self._right_after(tokens, action_start + 1, mention.start)
            if direct_object or self._in_target_phrase(tokens, mention.start):
                # "dengan China dan Rusia": the preposition governs the whole coordination
                in_quote = quote is not None
                for target in [mention, *self._coordinated(ctx, mention, mentions[index + 1:])]:
                    ids.extend(self._resolve(ctx, target, frame, quote_speaker_ok=in_quote, sent=sent)[0])
        ids.extend(self._demonym_targets(ctx, action_start, end))
        return [i for i in dict.fromkeys(ids) if i not in actors]

    def _main_action_end(self, ctx: DocContext, action: tuple[int, int]) -> int:
        """Where a subordinate clause with its own subject starts inside the action ("… sebelum Palestina
        merdeka dengan …", "… until Palestine is free"): parties there are conditions, not whom the action is
        toward. With no new subject the action goes on ("sebelum berkoordinasi dengan X": X is a target)."""
        action_start, action_end = action
        for i in range(action_start + 1, action_end - 1):
            if ctx.lowers[i] in self.subordinators and ctx.mention_at[i + 1] >= 0:
                return i
        return action_end

    def _demonym_targets(self, ctx: DocContext, start: int, end: int) -> list[str]:
        """'scholarships for Indonesian students', 'to Indonesian engineers': a nationality adjective inside a
        target phrase names the country the action is toward (English puts it before the noun)."""
        found = []
        for i in range(start, end):
            iso3 = self.demonyms.get(ctx.lowers[i])
            if iso3 and ctx.mention_at[i] < 0 and ctx.tokens.is_title[i] and self._in_target_phrase(ctx.tokens, i):
                found.append(f"country:{iso3}")
        return found

    def _unnamed_others(self, lowers: list[str], mention: Mention) -> bool:
        if mention.resolves != "meeting_org":
            return False
        return any(lowers[k] in self.other_words for k in (mention.start - 1, mention.end) if 0 <= k < len(lowers))

    def _right_after(self, tokens: TokenTable, i: int, mention_start: int) -> bool:
        while i < mention_start and (tokens.lower[i] in self.adverbs or tokens.is_title[i]):
            i += 1
        return i == mention_start

    def _negated(self, lowers: list[str], span: Match, start: int, end: int) -> bool:
        before = span.start - 1
        if before >= start and lowers[before] in self.neg_bridges:
            before -= 1
        if before >= start and lowers[before] in self.neg_before:
            return True
        return span.end < end and lowers[span.end] in self.neg_after

    def _status(self, lowers: list[str], span: Match, cue: Cue, start: int) -> str:
        if cue.status:
            return cue.status
        if cue.modality not in PERFECTIVE_MODALITIES:
            return "future"
        i = span.start - 1
        while i >= start and i >= span.start - 3:
            if lowers[i] in self.perfect_markers:
                return "past"  # "telah menandatangani", "has agreed"
            if lowers[i] not in self.adverbs:
                break
            i -= 1
        return "future"

    def _domains(self, ctx: DocContext, action: tuple[int, int], evidence: tuple[int, int],
                 cue_start: int) -> list[str]:
        """What the commitment is about, read in widening scopes: the action, else its clause, else the topic
        the text was on just before (a clause with no domain word refers back: "akan bekerja sama untuk
        menjaganya", "we won't withdraw them"; a generic undertaking is part of the matter at hand: "bersedia
        menyediakan tim tambahan"), else diplomacy: an undertaking between parties is at least diplomatic.
        Diplomatic stances have their own words ("memihak", "neutrality", "konsensus") in the lexicon."""
        if ctx.lowers[action[0]] in self.agent_markers:
            # "Kedua dokumen itu ditandatangani oleh …": the action names who signed; the subject names what.
            subject = (evidence[0], cue_start)
            domains = self._domains_in(ctx, subject)
            if domains:
                return domains
            if self._points_back(ctx, *subject):
                return self._topic_before(ctx, evidence[0]) or [DEFAULT_DOMAIN]
        found = self._scope_domains(ctx, action, evidence)
        antecedent = self._antecedent_domains(ctx, *action)
        if found is None:
            return antecedent or self._topic_before(ctx, evidence[0]) or [DEFAULT_DOMAIN]
        if not found:
            return antecedent or self._topic_of_discourse(ctx, evidence[0]) or [DEFAULT_DOMAIN]
        found = order_domains([*found, *antecedent]) if antecedent else found
        return self._with_elaboration(ctx, action[1], self._with_product(ctx, action, found))

    def _with_product(self, ctx: DocContext, action: tuple[int, int], found: list[str]) -> list[str]:
        """'melibatkan insinyur dalam tahap produksi', 'assemble part of the aircraft': production that names no
        product makes the product under discussion, the designated programme mentioned last ('KF-21')."""
        lowers, tokens = ctx.lowers, ctx.tokens
        bare = next((i for i in range(*action) if lowers[i] in self.production_words
                     and not self._names_a_product(ctx, i)), None)
        if bare is None:
            return found
        lexicon = self.domains.lexicon
        since = ctx.tokens.idx[self._paragraph_start_token(ctx, bare, back=PRODUCT_PARAGRAPHS)]
        designations = [hit for hit in ctx.hits_between(since, tokens.idx[bare]) if hit.term not in lexicon]
        return order_domains([*found, *designations[-1].domains]) if designations else found

    def _names_a_product(self, ctx: DocContext, i: int) -> bool:
        """A domain word next to production word ``i`` names what is produced ('produksi baterai', 'battery
        production', 'manufacture of vaccines')."""
        tokens = ctx.tokens
        after = i + 1
        while after < len(ctx.lowers) and after - i <= PRODUCT_REACH and tokens.is_alpha_at(after):
            after += 1
        before = i - 1 if not self.modifiers_after and i > 0 and tokens.is_alpha_at(i - 1) else i
        start, end, own = tokens.idx[before], tokens.end_char(after - 1), tokens.idx[i]
        return any(hit.end_char <= end and not hit.start_char <= own < hit.end_char
                   for hit in ctx.hits_between(start, end))

    def _with_elaboration(self, ctx: DocContext, after: int, found: list[str]) -> list[str]:
        """'… will not reduce its aid, she said, adding that the funds would go to climate adaptation': a clause
        later in the sentence that elaborates on the same matter (it names one of the commitment's domains) adds
        what it names."""
        sentence = bisect.bisect_right(ctx.ents.sent_starts, after - 1) - 1
        end = ctx.ents.sent_ends[sentence]
        opener = next((i for i in range(after, end) if ctx.lowers[i] in self.elaborators), None)
        if opener is None:
            return found
        more = self._specific_domains(ctx, ctx.tokens.idx[opener], ctx.tokens.end_char(end - 1))
        return order_domains([*found, *more]) if set(more) & set(found) else found

    def _topic_of_discourse(self, ctx: DocContext, token_i: int) -> list[str]:
        """What a generic undertaking ("menyediakan tim tambahan", "set up a task force") is about: the domains
        of the commitment just before it in this paragraph or the one before (the matter being negotiated), else
        the topic of the text before it."""
        if ctx.found:
            bound = ctx.tokens.idx[self._paragraph_start_token(ctx, token_i, back=1)]
            last = ctx.found[-1]
            if last.start_char >= bound:
                return list(last.domains)
        return self._topic_before(ctx, token_i)

    def _scope_domains(self, ctx: DocContext, action: tuple[int, int],
                       evidence: tuple[int, int]) -> list[str] | None:
        """The domains the action's own words name, widening to its clause; None when the action points back
        to the topic before it."""
        main = (action[0], self._main_clause_end(ctx, action))
        if main[1] < action[1]:
            domains = self._domains_in(ctx, main)
            if domains:
                return domains
            if self._points_back(ctx, *main):
                return None
        for scope in (action, evidence):
            domains = self._domains_in(ctx, scope)
            if domains:
                return self._clause_over_weak_words(ctx, scope, evidence, domains)
        if self._points_back(ctx, *action):
            return None
        if self._names_an_international_body(ctx, *action):
            return [DEFAULT_DOMAIN]  # "reformasi Dewan Keamanan PBB": acting on a multilateral body is diplomacy
        return []

    def _clause_over_weak_words(self, ctx: DocContext, scope: tuple[int, int], evidence: tuple[int, int],
                                domains: list[str]) -> list[str]:
        """An action whose only domain words are weak ("deploy personnel … as part of its commitment to peace")
        takes what its clause names specifically ("… took part in peacekeeping missions and pledged to deploy …"):
        weak words name a domain only when nothing more specific does, and the clause is the next scope."""
        if scope == evidence or not all(hit.weak for hit in ctx.hits_between(*_char_bounds(ctx, scope))):
            return domains
        return self._specific_domains(ctx, *_char_bounds(ctx, evidence)) or domains

    @staticmethod
    def _names_an_international_body(ctx: DocContext, start: int, end: int) -> bool:
        """Tokens [start, end) name an organisation of no one country ("PBB", "ASEAN", "the WTO")."""
        ents = ctx.ents
        found = {ents.by_token[i] for i in range(start, end)} - {-1}
        return any(ents.labels[k] == "ORG" and not ents.countries[k] for k in found)

    def _antecedent_domains(self, ctx: DocContext, start: int, end: int) -> list[str]:
        """'meninjau kembali hubungan tersebut' after '… hubungan dagang …': a noun with a demonstrative is the
        thing named before, and the words that named it then ("dagang", "trade ties") say what it is about. The
        antecedent is the nearest earlier use of the same noun in this paragraph or the one before."""
        lowers, tokens = ctx.lowers, ctx.tokens
        bound = self._paragraph_start_token(ctx, start, back=1)
        found: list[str] = []
        for i in range(start, end):
            if lowers[i] not in self.demonstratives:
                continue
            head = i - 1 if self.modifiers_after else i + 1
            if not start <= head < end or not tokens.is_alpha_at(head) or lowers[head] in self.time_nouns:
                continue
            earlier = next((k for k in range(start - 1, bound - 1, -1) if lowers[k] == lowers[head]), None)
            if earlier is not None:
                lo, hi = self._noun_phrase_around(tokens, earlier, bound, start)
                found.extend(self._specific_domains(ctx, tokens.idx[lo], tokens.end_char(hi - 1)))
            elif not self._names_a_domain(ctx, head):
                found.extend(self._topic_up_to(ctx, min(i, head)))  # "sektor tersebut", "these resources"
        return order_domains(found)

    def _topic_up_to(self, ctx: DocContext, token_i: int) -> list[str]:
        """What a vague noun with a demonstrative ("di sektor tersebut", "these resources") refers to: the domain
        words of the earlier clauses of its sentence, if it has any ("… panas bumi …, dan … di sektor tersebut"; its
        own clause names what is done with it, not what it is), else the topic before."""
        sentence_start = ctx.ents.sent_starts[bisect.bisect_right(ctx.ents.sent_starts, token_i) - 1]
        clause_start = next((k for k in range(token_i - 1, sentence_start, -1) if ctx.lowers[k] in CLAUSE_MARKS),
                            sentence_start)
        if sentence_start < clause_start:  # "Terkait program X, … pesawat tersebut": the referent is named there
            return self._specific_domains(ctx, ctx.tokens.idx[sentence_start], ctx.tokens.idx[clause_start])
        return self._topic_before(ctx, token_i)

    def _names_a_domain(self, ctx: DocContext, i: int) -> bool:
        """Token ``i`` is (part of) a domain term: "hubungan ini" names its domain itself."""
        start, end = ctx.tokens.idx[i], ctx.tokens.end_char(i)
        return any(hit.start_char <= start and end <= hit.end_char for hit in ctx.hits_between(start - 200, end))

    def _noun_phrase_around(self, tokens: TokenTable, head: int, lo: int, hi: int) -> tuple[int, int]:
        """The head noun with the words that modify it, up to punctuation: after it in Indonesian ("hubungan
        dagang dengan …"), before it in English ("bilateral trade ties")."""
        step = 1 if self.modifiers_after else -1
        edge = head
        for _ in range(ANTECEDENT_MODIFIERS):
            k = edge + step
            if not lo <= k < hi or not tokens.is_alpha_at(k):
                break
            edge = k
        return (head, edge + 1) if step > 0 else (edge, head + 1)

    def _paragraph_start_token(self, ctx: DocContext, token_i: int, back: int = 0) -> int:
        """First token of the paragraph holding ``token_i`` (``back`` paragraphs earlier)."""
        paragraphs = ctx.doc._.paragraphs or [(0, len(ctx.text))]
        char = ctx.tokens.idx[token_i]
        index = max((k for k, (start, _) in enumerate(paragraphs) if start <= char), default=0)
        start_char = paragraphs[max(index - back, 0)][0]
        return bisect.bisect_left(ctx.tokens.idx, start_char)

    def _domains_in(self, ctx: DocContext, scope: tuple[int, int]) -> list[str]:
        start_char, end_char = _char_bounds(ctx, scope)
        return self.domains.domains_between(ctx.hits_between(start_char, end_char), start_char, end_char)

    def _main_clause_end(self, ctx: DocContext, action: tuple[int, int]) -> int:
        """Where a subordinate clause starts inside the action ("… meskipun harga minyak melemah", "… as long
        as …"): what it names is a condition of the commitment, not what the commitment is about."""
        lowers = ctx.lowers
        for i in range(action[0] + 1, action[1] - 1):
            if lowers[i] in self.subordinators and not self._ends_a_range(lowers, action[0], i):
                return i
            if lowers[i] == "," and lowers[i + 1] in self.clause_coordinators and self._opens_a_clause(ctx, i + 2,
                                                                                                      action[1]):
                return i
        return action[1]

    def _opens_a_clause(self, ctx: DocContext, k: int, end: int) -> bool:
        """The conjunct after ", dan" / ", and" at token ``k`` has a subject of its own ("…, dan perusahaan Jepang
        dipersilakan berinvestasi", "…, and Japanese firms are welcome to invest"): it says what someone else does,
        not more of the action. Indonesian marks its verbs, so an unmarked word opening the conjunct is a noun;
        English does not, so only a name, a capitalised word or a determiner shows a subject there."""
        if k >= end - 1 or not self._opens_a_subject(ctx, k):
            return False
        lowers, tokens = ctx.lowers, ctx.tokens
        return any((lowers[j] in self.predicate_words or self._marked_verb(tokens, j))
                   and lowers[j - 1] not in self.relative_markers for j in range(k + 1, end))

    def _opens_a_subject(self, ctx: DocContext, k: int) -> bool:
        lower = ctx.lowers[k]
        if ctx.mention_at[k] >= 0 or lower in self.subject_determiners or ctx.tokens.is_title[k]:
            return True  # a capitalised word mid-sentence opens a name or a nationality ("Indonesian firms")
        # "perusahaan-perusahaan": a reduplicated plural is one word.
        return (bool(self.verb_prefixes) and lower.replace("-", "").isalpha() and lower not in self.closed_words
                and not self._marked_verb(ctx.tokens, k))

    def _marked_verb(self, tokens: TokenTable, j: int) -> bool:
        """A word with a verb prefix ("dipersilakan", "membangun"): Indonesian's visible mark of a predicate."""
        lower = tokens.lower[j]
        return (bool(self.verb_prefixes) and tokens.is_lower_at(j) and len(lower) >= 6
                and lower.startswith(self.verb_prefixes) and lower not in self.not_passive)

    def _ends_a_range(self, lowers: list[str], start: int, i: int) -> bool:
        """ "hingga" in "mulai dari latihan hingga industri pertahanan" or "hingga 4.000 personel" closes a range,
        it opens no clause."""
        if lowers[i] not in self.range_ends:
            return False
        return any(lowers[k] in self.range_starts for k in range(start, i)) or lowers[i + 1][:1].isdigit()

    def _points_back(self, ctx: DocContext, start: int, end: int) -> bool:
        """The action refers to something said before: 'keadaan ini', 'menjaganya', 'withdraw them' (but not
        'saat ini', 'this year': those point at the present)."""
        lowers = ctx.lowers
        for i in range(start, end):
            lower = lowers[i]
            if lower in self.anaphors:
                if not (lowers[i - 1] in self.time_nouns or (i + 1 < len(lowers) and lowers[i + 1] in self.time_nouns)):
                    return True
                continue
            if (self.anaphoric_enclitics and lower.endswith(self.anaphoric_enclitics) and lower not in self.not_anaphors
                    and len(lower) > 6 and lower.isalpha()):
                return True
        return False

    def _topic_before(self, ctx: DocContext, token_i: int) -> list[str]:
        """Specific domains of the nearest earlier sentence of the paragraph, else of the paragraph before."""
        tokens, ents = ctx.tokens, ctx.ents
        char = tokens.idx[token_i]
        paragraphs = ctx.doc._.paragraphs or [(0, len(ctx.text))]
        index = max((k for k, (start, _) in enumerate(paragraphs) if start <= char), default=0)
        para_start = paragraphs[index][0]
        sentence = bisect.bisect_right(ctx.ents.sent_starts, token_i) - 1
        while sentence > 0:
            sentence -= 1
            start_char = tokens.idx[ents.sent_starts[sentence]]
            if start_char < para_start:
                break
            end = self._comparison_start(ctx, ents.sent_starts[sentence], ents.sent_ends[sentence])
            domains = self._specific_domains(ctx, start_char, tokens.end_char(end - 1))
            if domains:
                return domains
        if index > 0:
            return self._specific_domains(ctx, *paragraphs[index - 1])
        return []

    def _comparison_start(self, ctx: DocContext, start: int, end: int) -> int:
        """Where the standard of a comparison starts in tokens [start, end) ("… lebih besar daripada anggaran
        kesehatan", "… more than on health"): the sentence is about what is compared, not the standard. A number
        after it is a quantity ("more than 1,000 personnel"), no standard."""
        lowers = ctx.lowers
        return next((i for i in range(start + 1, end - 1)
                     if lowers[i] in self.comparison_words and not lowers[i + 1][:1].isdigit()), end)

    def _specific_domains(self, ctx: DocContext, start_char: int, end_char: int) -> list[str]:
        hits = [hit for hit in ctx.hits_between(start_char, end_char) if not hit.weak]
        return self.domains.domains_between(hits, start_char, end_char)


def _char_bounds(ctx: DocContext, scope: tuple[int, int]) -> tuple[int, int]:
    """The characters tokens [start, end) cover."""
    return ctx.tokens.idx[scope[0]], ctx.tokens.end_char(scope[1] - 1)


# --- doc-level helpers (pure functions: testable on their own) ----------------------------------------------


def party_ids(label: str, entity_id: str | None, iso3: str | None) -> list[str]:
    """The acting party an entity mention stands for: capitals and persons act for their country.

    ``iso3`` is the entity's country (``speakers.entity_country``)."""
    if label == "COUNTRY":
        return [entity_id or f"country:{iso3}"] if (entity_id or iso3) else []
    if label == "PLACE":
        return [f"country:{iso3}"] if iso3 else []
    if label == "PERSON":
        if iso3:
            return [f"country:{iso3}"]
        return [entity_id] if entity_id else []
    if label == "ORG" and entity_id:
        return [entity_id]
    return []


def principal_countries(parties: list[tuple[str, str | None, list[str]]]) -> list[str]:
    """The two most frequent COUNTRY entities (ties by first mention): who "kedua negara" means.

    ``parties`` holds (label, entity id, party ids) per entity in text order."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for position, (label, _, ids) in enumerate(parties):
        if label == "COUNTRY" and ids:
            counts[ids[0]] += 1
            first.setdefault(ids[0], position)
    ranked = sorted(counts, key=lambda entity_id: (-counts[entity_id], first[entity_id]))
    return ranked[:2]


def is_multilateral(parties: list[tuple[str, str | None, list[str]]]) -> bool:
    """A summit article: some organisation is named at least as often as the second country."""
    countries = Counter(entity_id for label, entity_id, _ in parties if label == "COUNTRY" and entity_id)
    orgs = Counter(entity_id for label, entity_id, _ in parties if label == "ORG" and entity_id)
    if not orgs:
        return False
    second = sorted(countries.values(), reverse=True)[1] if len(countries) > 1 else 0
    return orgs.most_common(1)[0][1] >= max(second, 2)


def pair_just_named(ctx: DocContext, token_i: int) -> list[str]:
    """The last two countries named in the paragraph before a token ("Retno bertemu Menlu Arab Saudi …
    Keduanya sepakat …"), through their people and capitals too."""
    char = ctx.tokens.idx[token_i]
    para_start = max((start for start, _ in (ctx.doc._.paragraphs or []) if start <= char), default=0)
    pair: list[str] = []
    for ent in reversed(ctx.ents.ents):
        if ent.start >= token_i:
            continue
        if ctx.tokens.idx[ent.start] < para_start or len(pair) == 2:
            break
        for entity_id in ctx.party_of[ent.start]:
            if entity_id.startswith("country:") and entity_id not in pair:
                pair.append(entity_id)
    return sorted(pair[:2])


def meeting_organisation(ctx: DocContext, phrase_end: int) -> str | None:
    """The organisation whose meeting "para menteri" attend: the one named right after the phrase
    ("para menteri ASEAN"), else the one the article names most."""
    ents = ctx.ents
    ent = ents.at(phrase_end)
    if ent is not None and ents.label(ent) == "ORG" and ents.entity_id(ent):
        return ents.entity_id(ent)
    counts = Counter(entity_id for label, entity_id in zip(ents.labels, ents.entity_ids, strict=True)
                     if label == "ORG" and entity_id)
    return counts.most_common(1)[0][0] if counts else None


def _trimmed_end(tokens: TokenTable, start: int, end: int) -> int:
    """End of the evidence (tokens [start, end)) without trailing spaces or the comma / semicolon that
    separated the next clause."""
    while end > start and (tokens.is_space[end - 1] or tokens.text[end - 1] in (",", ";")):
        end -= 1
    return tokens.end_char(end - 1) if end > start else tokens.idx[start]


@cache
def load_demonyms() -> dict[str, str]:
    """Lower-case English demonym → ISO3, from the gazetteer's ``gaz_demonyms.csv`` (lines with "#" are notes)."""
    with DEMONYMS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["form"].strip().lower(): row["iso3"].strip() for row in rows if row.get("form")}


def _cue_from_row(row: dict) -> Cue:
    return Cue(
        modality=row["modality"],
        strength=row.get("strength", "strong"),
        negated=bool(row.get("negated")),
        status=row.get("status"),
        speech_act=bool(row.get("speech_act")),
        needs_connector=bool(row.get("needs_connector")),
        blocked_after=frozenset(w.lower() for w in row.get("blocked_after", [])),
        blocked_before=frozenset(w.lower() for w in row.get("blocked_before", [])),
        passive=bool(row.get("passive")),
    )


def _phrase_matcher(nlp: Language, phrases: dict) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for phrase in phrases:
        matcher.add(phrase, [nlp.make_doc(phrase)])
    return matcher


@Language.factory("ikrar_commitments")
def make_commitment_extractor(nlp: Language, name: str) -> CommitmentExtractor:
    return CommitmentExtractor(nlp, name)
