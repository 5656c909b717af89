"""Policy domains of a stretch of text, by meaning rather than by substring.

The lexicon (``data/com_domain_lexicon.csv``) maps words and multi-word terms to one or more of
``extensions.DOMAINS``. Terms are matched on lower-cased tokens, so "perdagangan" does not fire inside
"memperdagangkan", and overlapping matches keep the longest term: "perdagangan orang" (human trafficking)
is security and hides the "perdagangan" (trade) inside it; "iklim investasi" is investment, not climate.

Decisions worth writing down:
- "industri hijau" / "green industry" is industry: the reference annotation files it there, and a climate tag
  needs a climate word ("emisi", "perubahan iklim"). "Energi bersih" is energy for the same reason.
- Generic words ("kerja sama", "cooperation", "bilateral") carry no domain on their own; a commitment with
  no domain word takes the topic it is part of (``commitments.py``), and with none is diplomacy
  (``DEFAULT_DOMAIN``): an undertaking between parties is at least diplomatic. Diplomatic stances therefore
  need their own words ("memihak", "neutrality", "konsensus", "menjadi mitra").
- A designation ("KF-21") carries the domain words around its first mention to its later ones.
- An organisation's name says what the organisation is, not what a commitment is about: "melibatkan Badan
  Riset dan Inovasi Nasional" is no education, "reformasi Dewan Keamanan PBB" no security. Terms inside ORG
  entities are skipped.
- Indonesian enclitics and English plural endings are looked through: "ketahanan energinya" is energy,
  "reactors" is energy (``GRAMMAR`` roles "enclitic" and "inflection").
- Multi-word terms override their parts ("perdagangan karbon" is climate finance, "pertukaran budaya" culture).
- Negotiation words (``weight`` "weak": "perundingan", "negotiations") name diplomacy only when no other domain
  word says what is negotiated: "mempercepat perundingan perjanjian dagang" is trade. So does a diplomatic word in
  the phrase that names the occasion ("menyepakati peta jalan energi dalam sidang komisi bersama"): the meeting
  is where it was agreed, not what about. Other diplomatic words ("dialog", "hubungan") keep their weight: the
  seed gold files a meeting of ministers as diplomacy as well.
- The phrase naming the larger scheme an action is part of ("as part of its commitment to peace", "sebagai bagian
  dari …") is a framework: its words are weak. So is a bare market in a purpose phrase ("pabrik untuk pasar
  Afrika", "vaccines for the African market"): where goods go is the aim, not what is done; alone it is still trade.
"""

from __future__ import annotations

import bisect
import csv
import json
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipelines.nlp.extensions import DOMAINS
from pipelines.nlp.speakers import TokenTable, grammar_words, load_rows, longest_matches

DATA_DIR = Path(__file__).parent / "data"
DOMAIN_LEXICON = DATA_DIR / "com_domain_lexicon.csv"
GRAMMAR = DATA_DIR / "com_grammar.jsonl"
# Word classes the domain rules read (``role`` → forms, one language a row), kept apart from the shared grammar.
DOMAIN_GRAMMAR = DATA_DIR / "com_domain_grammar.jsonl"
DEFAULT_DOMAIN = "diplomacy"
# Words either side of a designation's first mention read as what it is ("program jet tempur KF-21").
DESIGNATION_CONTEXT = 3
# Words between a framework opener and a term it governs ("under the bilateral economic partnership").
FRAMEWORK_REACH = 4
# Words between a standard noun and a term that names its kind ("environmental and labor standards").
STANDARD_REACH = 3
# Words between "between" and a term naming one of the parties to talks ("talks between the government and …").
PARTIES_REACH = 6
# Words between a locative preposition and the facility it names ("at Indonesia's peacekeeping center").
PLACE_REACH = 4
# Entities whose name words are no domain evidence.
NAMED_ONLY_LABELS = ("ORG",)


class DomainHit(NamedTuple):
    """One domain term in the doc (a NamedTuple: a doc has dozens, and a frozen dataclass is slow to build)."""

    start_char: int
    end_char: int
    term: str
    domains: tuple[str, ...]
    weak: bool = False  # a process word: counts only when no specific domain word does


@cache
def load_domain_lexicon(lang: str) -> dict[str, tuple[str, ...]]:
    """term (lower case) → domains, for one language."""
    lexicon: dict[str, tuple[str, ...]] = {}
    with DOMAIN_LEXICON.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lang"] != lang:
                continue
            domains = tuple(d.strip() for d in row["domains"].split("|") if d.strip())
            unknown = set(domains) - set(DOMAINS)
            if unknown:
                term = row["term"]
                raise ValueError(f"{DOMAIN_LEXICON.name}: unknown domains {sorted(unknown)} for {term!r}")
            lexicon[row["term"].strip().lower()] = domains
    return lexicon


@cache
def load_weak_terms(lang: str) -> frozenset[str]:
    """Terms whose ``weight`` is "weak": they name a domain only when nothing more specific does."""
    with DOMAIN_LEXICON.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["term"].strip().lower() for row in csv.DictReader(handle)
                         if row["lang"] == lang and (row.get("weight") or "").strip() == "weak")


@cache
def load_enclitics(lang: str) -> tuple[str, ...]:
    """Endings written onto a word that the lexicon looks through: enclitics ("-nya"), inflections ("-s")."""
    forms: list[str] = []
    with GRAMMAR.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line) if line.strip() else {}
            if row.get("lang") == lang and row.get("role") in ("enclitic", "inflection"):
                forms.extend(row["forms"])
    return tuple(forms)


@cache
def domain_patterns(lang: str, role: str) -> tuple[re.Pattern, ...]:
    """The forms of one role of ``com_domain_grammar.jsonl`` as regular expressions (case kept)."""
    return tuple(re.compile(form) for row in load_rows(DOMAIN_GRAMMAR, lang) if row["role"] == role
                 for form in row["forms"])


@cache
def domain_phrases(lang: str, role: str) -> frozenset[tuple[str, ...]]:
    """The forms of one role of ``com_domain_grammar.jsonl``, each as a tuple of lower-case words."""
    return frozenset(tuple(form.lower().split()) for row in load_rows(DOMAIN_GRAMMAR, lang) if row["role"] == role
                     for form in row["forms"])


@cache
def demonstrative_side(lang: str) -> str:
    """Where a demonstrative and a noun's modifiers stand relative to the noun: "after" (id) or "before" (en)."""
    return next((row.get("side", "after") for row in load_rows(DOMAIN_GRAMMAR, lang) if row["role"] == "demonstrative"),
                "after")


def _inside_a_name(tokens: TokenTable, start: int, end: int) -> bool:
    ent_type = tokens.ent_type  # the first token settles most terms: no generator for them
    return ent_type[start] in NAMED_ONLY_LABELS and all(ent_type[i] in NAMED_ONLY_LABELS for i in range(start, end))


def order_domains(domains: set[str] | list[str]) -> list[str]:
    """Domains in the canonical ``DOMAINS`` order (stable output for the warehouse)."""
    wanted = set(domains)
    return [d for d in DOMAINS if d in wanted]


class DomainTagger:
    """Finds domain terms in a doc once; answers "which domains lie in this character range"."""

    def __init__(self, nlp: Language):
        self.lexicon = load_domain_lexicon(nlp.lang)
        self.weak = load_weak_terms(nlp.lang)
        self.enclitics = tuple(load_enclitics(nlp.lang))
        # The phrase naming a commitment's occasion: its prepositions ("dalam", "during") and meetings ("sidang").
        self.occasion_words = grammar_words(nlp.lang, "occasion")
        self.occasion_nouns = grammar_words(nlp.lang, "occasion_noun")
        # "KF-21", "A400M": a designation is what its first mention said it was, wherever it comes back.
        self.designations = domain_patterns(nlp.lang, "designation")
        self.framework = domain_phrases(nlp.lang, "framework")
        self.framework_by_end: dict[str, list[tuple[str, ...]]] = {}
        for opener in filter(None, self.framework):
            self.framework_by_end.setdefault(opener[-1], []).append(opener)
        self.framework_ends = frozenset(self.framework_by_end)
        # "meets the highest environmental standards": the kind of standard is a condition, not the subject.
        self.standard_nouns = frozenset(form for (form,) in domain_phrases(nlp.lang, "standard"))
        self.modifiers_after = demonstrative_side(nlp.lang) == "after"
        # "talks between the government and armed groups": who talks, not what about.
        self.party_openers = frozenset(form for (form,) in domain_phrases(nlp.lang, "parties"))
        self.talk_nouns = frozenset(form for (form,) in domain_phrases(nlp.lang, "talk_noun"))
        # "di bandara", "at the peacekeeping center": where something is done, not what it is about.
        self.locatives = frozenset(form for (form,) in domain_phrases(nlp.lang, "locative"))
        self.facilities = frozenset(form for (form,) in domain_phrases(nlp.lang, "facility"))
        self.place_fillers = frozenset(form for (form,) in domain_phrases(nlp.lang, "place_filler"))
        self.coordinators = frozenset(form for (form,) in domain_phrases(nlp.lang, "coordinator"))
        # "… pusat produksi untuk pasar Timur Tengah": the market goods are made for, not what is done.
        self.destinations = frozenset(form for (form,) in domain_phrases(nlp.lang, "destination"))
        self.market_nouns = frozenset(form for (form,) in domain_phrases(nlp.lang, "market_noun"))
        # Every lexicon term with an ending attached ("energinya" → "energi"), so a token needs one dict
        # lookup, not a test per ending. The first ending (in the grammar's order) that leaves a term wins, as it
        # would when trying them one by one.
        self.inflected: dict[str, str] = {}
        for enclitic in filter(None, self.enclitics):
            for term in self.lexicon:
                self.inflected.setdefault(term + enclitic, term)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # One pattern per term, keyed by the term itself, so a match tells which lexicon row fired.
        for term in self.lexicon:
            self.matcher.add(term, [nlp.make_doc(term)])

    def hits(self, doc: Doc, tokens: TokenTable | None = None) -> list[DomainHit]:
        """Domain terms of the doc in text order; ``tokens`` (the doc's TokenTable, if read already) spares a
        pass over the doc."""
        tokens = TokenTable(doc) if tokens is None else tokens
        terms = longest_matches(self.matcher(doc))  # (key, start, end); the longest term wins over its parts
        strings = doc.vocab.strings
        found = [
            self._hit(strings[key], tokens.idx[start], tokens.end_char(end - 1), self._names_an_occasion(tokens, start),
                      self._names_a_framework(tokens, start) or self._names_a_standard(tokens, start, end)
                      or self._names_a_place(tokens, start, end) or self._names_a_destination(tokens, start, end))
            for key, start, end in terms
            if not _inside_a_name(tokens, start, end) and not self._names_a_party_to_talks(tokens, start)
        ]
        if self.enclitics:
            covered = {i for _, start, end in terms for i in range(start, end)}
            found.extend(self._enclitic_hits(tokens, covered))
        if self.designations:
            found.extend(self._designation_hits(tokens, found))
        return sorted(found, key=lambda hit: hit.start_char)

    def _designation_hits(self, tokens: TokenTable, found: list[DomainHit]):
        """'pesawat tersebut' in a sentence on the 'KF-21', introduced as 'jet tempur KF-21': each mention of a
        designation carries the domain words around its first mention (not inside an entity: 'G20' is a name)."""
        known: dict[str, tuple[str, ...]] = {}
        for pattern in self.designations:
            for match in pattern.finditer(tokens.doc_text):
                first = bisect.bisect_right(tokens.idx, match.start()) - 1
                if tokens.ent_type[first]:
                    continue
                name = match.group()
                if name not in known:
                    start, end = self._context_around(tokens, first, bisect.bisect_left(tokens.idx, match.end()))
                    known[name] = tuple(order_domains({domain for hit in found if not hit.weak
                                                       and start <= hit.start_char and hit.end_char <= end
                                                       for domain in hit.domains}))
                if known[name]:
                    yield DomainHit(match.start(), match.end(), name, known[name])

    @staticmethod
    def _context_around(tokens: TokenTable, first: int, after: int) -> tuple[int, int]:
        """Characters of up to ``DESIGNATION_CONTEXT`` words either side of tokens [first, after), within the
        phrase (punctuation ends it)."""
        lo = first
        while lo > 0 and first - lo < DESIGNATION_CONTEXT and tokens.is_alpha_at(lo - 1):
            lo -= 1
        hi = after
        while hi < len(tokens.lower) and hi - after < DESIGNATION_CONTEXT and tokens.is_alpha_at(hi):
            hi += 1
        return tokens.idx[lo], tokens.end_char(hi - 1)

    def _hit(self, term: str, start_char: int, end_char: int, occasion: bool = False,
             framework: bool = False) -> DomainHit:
        domains = self.lexicon[term]
        weak = term in self.weak or framework or (occasion and domains == (DEFAULT_DOMAIN,))
        return DomainHit(start_char, end_char, term, domains, weak)

    def _names_an_occasion(self, tokens: TokenTable, start: int) -> bool:
        """The term names the meeting in the phrase after "dalam" / "at" that says where something was agreed ("…
        menyepakati peta jalan energi dalam sidang komisi bersama"): the meeting is the occasion, not the subject."""
        lower, opens, events = tokens.lower, self.occasion_words, self.occasion_nouns
        if start >= 1 and lower[start - 1] in opens:
            return lower[start] in events  # "dalam pertemuan bilateral"
        return start >= 2 and lower[start - 2] in opens and lower[start - 1] in events  # "dalam sidang komisi …"

    def _names_a_framework(self, tokens: TokenTable, start: int) -> bool:
        """The term is in the phrase naming the scheme the commitment runs under ("… accepted under the bilateral
        economic partnership scheme"): the vehicle, not what the commitment is about."""
        lower, alpha = tokens.lower, tokens.is_alpha
        # By the opener's last word first: most terms have none before them, and a set test rules that out.
        for lead in range(FRAMEWORK_REACH + 1):
            after = start - lead  # the opener ends right before this token
            if after < 1 or lower[after - 1] not in self.framework_ends:
                continue
            for opener in self.framework_by_end[lower[after - 1]]:
                at = after - len(opener)
                if at >= 0 and tuple(lower[at:after]) == opener and all(alpha[k] for k in range(after, start)):
                    return True
        return False

    def _names_a_standard(self, tokens: TokenTable, start: int, end: int) -> bool:
        """The term says what kind of standard something must meet ("… meets the highest environmental and labor
        standards", "memenuhi standar lingkungan"): a condition on the commitment, not what it is about."""
        if not self.standard_nouns:
            return False
        lower, alpha = tokens.lower, tokens.is_alpha
        step, k = (-1, start - 1) if self.modifiers_after else (1, end)
        for _ in range(STANDARD_REACH + 1):
            if not 0 <= k < len(lower) or not alpha[k]:
                return False
            if lower[k] in self.standard_nouns:
                return True
            k += step
        return False

    def _names_a_place(self, tokens: TokenTable, start: int, end: int) -> bool:
        """The term names the facility where something is done ("memperketat pengawasan di perbatasan dan bandara",
        "training … at the peacekeeping center"): the place, not what is done there."""
        if not self.facilities:
            return False
        lower = tokens.lower
        if self.modifiers_after:  # "di bandara", "di pusat pelatihan perdamaian": the facility opens the phrase
            facility = next((k for k in range(start, max(start - 3, -1), -1) if lower[k] in self.facilities), None)
        else:  # "at the airport", "at the peacekeeping center": the facility closes it
            facility = next((k for k in range(end - 1, min(end + 2, len(lower))) if lower[k] in self.facilities), None)
        if facility is None:
            return False
        return self._after_a_locative(tokens, min(start, facility))

    def _names_a_destination(self, tokens: TokenTable, start: int, end: int) -> bool:
        """The term is a bare market noun in a purpose phrase ("membangun pabrik makanan untuk pasar Timur Tengah",
        "produce vaccines for the African market"): where the goods go is the aim of the undertaking, not what it
        is about, so the market is weak (it still names trade when nothing else is named)."""
        lower = tokens.lower
        if end - start != 1 or lower[start] not in self.market_nouns:
            return False
        if self.modifiers_after:  # "untuk pasar …": the noun opens the phrase
            return start >= 1 and lower[start - 1] in self.destinations
        for k in range(start - 1, max(start - 1 - PLACE_REACH, -1), -1):  # "for the Middle East market"
            if lower[k] in self.destinations:
                return True
            if not (tokens.is_alpha_at(k) or lower[k] in self.place_fillers):
                return False
        return False

    def _after_a_locative(self, tokens: TokenTable, phrase_start: int) -> bool:
        """A locative preposition opens the phrase starting at ``phrase_start``: right before it, before a name or
        determiner ("at Indonesia's …", "at the …"), or before one conjunct ("di perbatasan dan bandara")."""
        lower, text = tokens.lower, tokens.text
        k = phrase_start - 1
        for _ in range(PLACE_REACH):
            if k < 0:
                return False
            if lower[k] in self.locatives:
                return True
            if lower[k] in self.place_fillers or text[k][:1].isupper():
                k -= 1
            elif lower[k] in self.coordinators and k >= 1 and tokens.is_alpha_at(k - 1):
                k -= 2
            else:
                return False
        return False

    def _names_a_party_to_talks(self, tokens: TokenTable, start: int) -> bool:
        """The term is in the phrase naming who holds talks ("host talks between the government and armed groups",
        "perundingan antara pemerintah dan kelompok bersenjata"): the parties, not what the talks are about."""
        if not self.party_openers:
            return False
        lower, alpha = tokens.lower, tokens.is_alpha
        for k in range(start - 1, max(start - PARTIES_REACH, 1) - 1, -1):
            if lower[k] in self.party_openers:
                return lower[k - 1] in self.talk_nouns
            if not alpha[k]:
                return False
        return False

    def _enclitic_hits(self, tokens: TokenTable, covered: set[int]):
        """'energinya' → 'energi': one-word terms with an enclitic the matcher cannot see through."""
        inflected = self.inflected
        if inflected.keys().isdisjoint(tokens.lower):
            return  # the usual case, found by a set operation instead of a dict lookup per token
        for i, text in enumerate(tokens.lower):
            stem = inflected.get(text)
            if stem is not None and i not in covered:
                yield DomainHit(tokens.idx[i], tokens.end_char(i), stem, self.lexicon[stem], stem in self.weak)

    @staticmethod
    def domains_between(hits: list[DomainHit], start_char: int, end_char: int) -> list[str]:
        inside = [hit for hit in hits if hit.start_char >= start_char and hit.end_char <= end_char]
        specific = [hit for hit in inside if not hit.weak]
        return order_domains({domain for hit in (specific or inside) for domain in hit.domains})

    def domains_of(self, doc: Doc, start_char: int = 0, end_char: int | None = None) -> list[str]:
        """Convenience for one-off use; the commitment component calls ``hits`` once per doc instead."""
        end = len(doc.text) if end_char is None else end_char
        return self.domains_between(self.hits(doc), start_char, end)
