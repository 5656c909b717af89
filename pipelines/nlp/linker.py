"""Entity linking within an article: the ``ikrar_entity_linker`` component (runs last).

It works on ``doc.ents`` whatever found them (the rules, the trained NER, an earlier run) and:

- trims a title the NER left inside a PERSON span and reads the role (and qualifying country) before it;
- maps a NER PLACE/ORG that is a known name to the gazetteer entry (a country name becomes COUNTRY);
- links short person mentions to the full name found in the same article ("Presiden Xi", "Xi", "Rahmon" →
  the person of "Xi Jinping" / "Emomali Rahmon"), sharing role and country across them, and tags bare later
  mentions of those name parts that nothing had tagged (source "coref");
- links an acronym introduced in parentheses ("Badan Pusat Statistik (BPS)") to its organization or event;
- fills missing ids by the conventions (``person:<slug>``, ``org:<slug>``, ``place:<slug>``, …).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp import extensions
from pipelines.nlp.entities import (
    HYPHENS,
    NAME_PARTICLES,
    QUALIFIER_LABELS,
    Mention,
    SentenceStarts,
    TitleFinder,
    chain_start,
    find_words,
    is_name_word,
    parenthesised_acronym,
    read_mentions,
    select_longest,
    write_ents,
)
from pipelines.nlp.gazetteer import Gazetteer, load_gazetteer, slugify

extensions.register()


# Words after which a capital names a location, not its country's government ("di Jakarta", "visited Jakarta").
PLACE_PREPOSITIONS = {"di", "ke", "dari", "in", "at", "to", "from", "near", "visited", "mengunjungi", "menuju"}
# Words after a capital that still describe the place: "Jakarta pada …", "Jakarta yang …", "Jakarta in 2018".
# Words that may stand between a title and the name it introduces besides names and acronyms: portfolio joiners
# ("Menteri Perdagangan, Industri dan Energi Korsel X") and an envoy's host ("Ambassador to Lebanon X").
OFFICE_FILLERS = {"dan", "and", "&", ",", "untuk", "for", "to", "of", "di", "in", "(", ")"}
# How far a name may stand from its title: a long portfolio and a country between them.
OFFICE_REACH = 8
# A country is the article's partner when it is named at least this often and this many times more than any
# other foreign country: a visitor or a foreign office named without a country is from there.
PARTNER_MIN_MENTIONS = 2
PARTNER_DOMINANCE = 2
# "X, yang saat itu menjabat Menteri Pertahanan", "X, who was then Defense Minister": the office in a relative
# clause right after the name, within this many lowercase words.
RELATIVE_PRONOUNS = {"yang", "who"}
APPOSITIVE_REACH = 4
# "Its Foreign Minister X": the pronoun stands for the country named last, within this many tokens.
POSSESSIVE_PRONOUNS = {"its", "their"}
ANTECEDENT_REACH = 40


@dataclass
class Office:
    """The title chain before a person's name: where it starts, what qualifies it from the left, and whether it
    marks the person as from abroad."""

    start: int
    left: Mention | None
    abroad: bool
    country: str | None = None  # from a possessive pronoun's antecedent: "Timor-Leste … Its Foreign Minister X"
    counterpart: bool = False  # "his counterpart X": X holds the office of the person named before


NAME_SPLIT = re.compile(r"[\s\-–‑]+")
PLACE_FOLLOWERS = {"pada", "yang", "in", "on", "at", "during", "sejak", "selama", "untuk", "for", "and", "dan",
                   "serta", "atau", "or", "hingga", "sampai", "ini", "itu"}


class EntityLinker:
    def __init__(self, nlp: Language, name: str = "ikrar_entity_linker", data_dir: str | None = None,
                 home_country: str | None = "IDN"):
        self.name = name
        self.home_country = home_country
        self.gaz: Gazetteer = load_gazetteer(data_dir)
        self.titles = TitleFinder(nlp, self.gaz)
        self.stop_words = {w.lower() for w in nlp.Defaults.stop_words}
        # The gazetteer derives this set on each access; the titles it reads do not change after loading.
        self.roles_abroad = self.gaz.roles_abroad
        # A cue word alone ("KTT", "Kementerian") is a common noun, not a name, whatever a statistical model says.
        self.bare_cues = {c.form.lower() for c in (*self.gaz.org_cues, *self.gaz.event_cues, *self.gaz.place_cues)
                          if not c.standalone}
        self.visitor_before = self.gaz.foreign_cues.get("before_title", set())
        self.visit_nouns = self.gaz.foreign_cues.get("visit_to_home", set())

    def __call__(self, doc: Doc) -> Doc:
        mentions = read_mentions(doc, "model")
        mentions = [m for m in mentions if not self.is_bare_cue(doc, m) and not self.names_a_document(doc, m)]
        titles = self.titles.find(doc)
        title_end = {end: title for _, end, title in titles}
        title_start = {start: (end, title) for start, end, title in titles}
        for mention in mentions:
            self.use_gazetteer(doc, mention)
        qualifier_by_end = {m.end: m for m in mentions if m.label in QUALIFIER_LABELS}
        for mention in mentions:
            if mention.label == "PERSON":
                self.trim_title(mention, title_start)
                self.read_title_before(mention, qualifier_by_end, title_end)
        for mention in mentions:
            if mention.label == "PERSON" and not mention.role:
                mention.role = office_after(doc, mention, title_start)
        offices = self.offices(doc, mentions, titles, qualifier_by_end)
        mentions = [kept for m in mentions for kept in self.outside_office(doc, m, offices)]
        for mention in mentions:
            if mention.label == "PERSON" and not mention.canonical_name:
                mention.canonical_name = doc[mention.start:mention.end].text
                mention.entity_id = f"person:{slugify(mention.canonical_name)}"
        link_persons(mentions)
        if self.resolve_known_short_names(mentions):
            link_persons(mentions)  # share role and country with the full name's other mentions
        share_counterpart_roles(mentions, offices)
        self.default_home_country(mentions, offices, qualifier_by_end)
        self.relabel_name_parts(mentions, doc)
        mentions += self.bare_person_mentions(doc, mentions)
        name_acronyms(doc, mentions)
        mentions += acronym_mentions(doc, mentions)
        mentions = select_longest(mentions, len(doc))
        self.capitals_for_governments(doc, mentions)
        for mention in mentions:
            fill_by_convention(doc, mention)
        write_ents(doc, mentions)
        return doc

    def names_a_document(self, doc: Doc, mention: Mention) -> bool:
        """A mention that is (part of) the name of an agreement or a treaty: no body, and none of our entity
        types; it is dropped.

        - an ORG guessed by the model or a pattern that opens with a document word ("Perjanjian Kemitraan
          Ekonomi …");
        - a city that names the document ("Perjanjian Paris", "Deklarasi Bogor", "the Paris Agreement", "Kyoto
          Protocol"), or a PLACE the model stretched over both: a name that contains a place is no mention of
          that place. Countries stay: in "Perjanjian Indonesia-Australia" they are the parties.
        """
        if mention.label == "ORG" and mention.source in ("model", "pattern"):
            first = mention.start + (doc[mention.start].lower_ == "the" and mention.length > 1)
            return self.gaz.is_stopword(doc[first].text, "document_head")
        if mention.label != "PLACE":
            return False
        before = doc[mention.start - 1] if mention.start else None
        after = doc[mention.end] if mention.end < len(doc) else None
        # The document word before or after the city, or inside a span the model stretched over both.
        return any(token is not None and token.is_title and self.gaz.is_stopword(token.text, "document_head")
                   for token in (before, after, doc[mention.start]))

    def use_gazetteer(self, doc: Doc, mention: Mention) -> None:
        """A span the NER found whose text is a known name takes the gazetteer's label and ids."""
        if mention.entity_id and mention.source != "model":
            return
        entry = self.gaz.lookup(doc[mention.start:mention.end].text)
        if entry is None or (mention.label == "PERSON" and entry.label != "COUNTRY"):
            return
        mention.label, mention.entity_id = entry.label, entry.entity_id
        mention.canonical_name, mention.country_iso3 = entry.canonical_name, entry.country_iso3

    def default_home_country(self, mentions: list[Mention], offices: dict[int, Office],
                             qualifier_by_end: dict[int, Mention]) -> None:
        """An office named with no country is the home country's in its own news ("Presiden Prabowo").

        Not for a person whose title names an organization ("Sekjen PBB X", "ASEAN Secretary-General X": a
        multilateral official has no country). An office Indonesia does not have ("Perdana Menteri", "Raja") or
        a visitor ("visiting Foreign Minister X", "kunjungan Menlu X ke Jakarta") is from abroad: from the
        article's partner country when one dominates it, else from no known country. Before any such guess, a
        well-known person (``gaz_persons.csv``) the text gives no country takes the table's.
        """
        by_person: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            if m.label == "PERSON" and m.entity_id:
                by_person[m.entity_id].append(m)
        partner: list[str | None] = []  # computed once, only if a foreigner needs it
        for group in by_person.values():
            role = group[0].role
            group_offices = [offices[m.start] for m in group if m.start in offices]
            if antecedent := next((o.country for o in group_offices if o.country), None):
                for m in group:
                    m.country_iso3 = m.country_iso3 or antecedent
            if any(m.country_iso3 for m in group):
                continue  # the text said it: "Presiden Rusia X", "Its Foreign Minister X"
            known = self.gaz.known_person(group[0].entity_id.removeprefix("person:"))
            if known is not None:
                for m in group:  # well known: a fact, surer than guessing from the office
                    m.country_iso3 = known.country_iso3
                continue
            if not role or not self.home_country:
                continue
            if any(qualifier_by_end.get(m.start) is not None for m in group):
                continue  # "Sekjen PBB X", "Direktur Pertamina X": the title belongs to an organization
            if any(o.left is not None and o.left.label == "ORG" for o in group_offices):
                continue
            if role in self.roles_abroad or any(o.abroad for o in group_offices):
                if not partner:
                    partner.append(self.partner_country(mentions))
                country = partner[0]
            else:
                country = self.home_country
            for m in group:
                m.country_iso3 = country

    def resolve_known_short_names(self, mentions: list[Mention]) -> bool:
        """A short form no full name in the article explains ("Presiden Putin" alone) names the well-known
        person it stands for; True if any did."""
        changed = False
        for m in mentions:
            if m.label != "PERSON" or not m.canonical_name:
                continue
            known = self.gaz.known_person(m.canonical_name)
            if known is not None and m.entity_id != known.entity_id:
                m.entity_id, m.canonical_name, changed = known.entity_id, known.name, True
        return changed

    def partner_country(self, mentions: list[Mention]) -> str | None:
        """The one foreign country an article is about, if one clearly dominates its country mentions."""
        counts = Counter(m.country_iso3 for m in mentions
                         if m.label == "COUNTRY" and m.country_iso3 and m.country_iso3 != self.home_country)
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < PARTNER_MIN_MENTIONS:
            return None
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        return ranked[0][0] if ranked[0][1] >= PARTNER_DOMINANCE * runner_up else None

    def offices(self, doc: Doc, mentions: list[Mention], titles: list, qualifier_by_end: dict[int, Mention]
                ) -> dict[int, Office]:
        """The office before each person mention a title introduces, by the mention's start. An occupation
        ("Pengamat", "Petenis") holds no office: the words after it are no office's ("Pengamat politik Universitas
        Indonesia (UI), X" keeps the university the model found)."""
        title_by_end = {end: (start, title) for start, end, title in titles if title.kind != "occupation"}
        found: dict[int, Office] = {}
        for m in mentions:
            if m.label != "PERSON":
                continue
            title_at = self._title_before(doc, m.start, title_by_end)
            if title_at is None:
                continue
            start = chain_start(doc, title_at, title_by_end)
            abroad = any(title.kind == "office_abroad" for s, e, title in titles if start <= s and e <= m.start)
            left_end = start - 1 if start and doc[start - 1].lower_ in ("'s", "’s") else start
            left = qualifier_by_end.get(left_end)
            abroad = abroad or self._visitor(doc, left.start if left else start, m, mentions)
            office = Office(start, left, abroad)
            office.counterpart = any(t.kind == "counterpart" for s, e, t in titles if start <= s and e <= m.start)
            if start and doc[start - 1].lower_ in POSSESSIVE_PRONOUNS:
                office.country = antecedent_country(mentions, start - 1)
            found[m.start] = office
        return found

    @staticmethod
    def _title_before(doc: Doc, name_start: int, title_by_end: dict) -> int | None:
        """Start of the title nearest before a name, across only office words (portfolio, country, host)."""
        for end in range(name_start, max(name_start - OFFICE_REACH, 0) - 1, -1):
            if end in title_by_end:
                return title_by_end[end][0]
            if end == name_start:
                continue
            token = doc[end]
            if not (token.text[:1].isupper() or token.lower_ in OFFICE_FILLERS or token.text in HYPHENS):
                return None
        return None

    def _visitor(self, doc: Doc, office_start: int, person: Mention, mentions: list[Mention]) -> bool:
        """ "visiting Foreign Minister X", "kunjungan Menlu X ke Jakarta": a guest of the home country."""
        if not office_start:
            return False
        before = doc[office_start - 1].lower_
        if before in self.visitor_before:
            return True
        if before not in self.visit_nouns or person.end + 1 >= len(doc) or doc[person.end].lower_ not in ("ke", "to"):
            return False
        destination = next((m for m in mentions if m.start == person.end + 1), None)
        return bool(destination and destination.country_iso3 == self.home_country)

    def outside_office(self, doc: Doc, mention: Mention, offices: dict[int, Office]) -> list[Mention]:
        """A mention, or the known names inside it when it is a statistical guess within an office's words:
        "Menteri Perdagangan, Industri dan Energi Korsel X" keeps "Korsel" of the model's "Energi Korsel", and
        "Ketua Umum Partai Persatuan Pembangunan (PPP) , X" the party and its acronym of the model's one span."""
        if mention.source != "model" or mention.label == "PERSON":
            return [mention]
        if not any(o.start <= mention.start < name_start for name_start, o in offices.items()):
            return [mention]
        return self.known_names_within(doc, mention)

    def known_names_within(self, doc: Doc, mention: Mention) -> list[Mention]:
        """The gazetteer's names inside a span, longest first from the left, each as a mention of its own."""
        found, start = [], mention.start
        while start < mention.end:
            for end in range(mention.end, start, -1):
                entry = self.gaz.lookup(doc[start:end].text)
                if entry is not None:
                    found.append(Mention(start, end, entry.label, entry.entity_id, entry.canonical_name,
                                         entry.country_iso3, source="gazetteer"))
                    start = end
                    break
            else:
                start += 1
        return found

    def is_bare_cue(self, doc: Doc, mention: Mention) -> bool:
        """ "KTT", "Kementerian" tagged alone by the model: the cue word of a name, not a name."""
        return mention.source == "model" and doc[mention.start:mention.end].text.lower() in self.bare_cues

    def relabel_name_parts(self, mentions: list[Mention], doc: Doc) -> None:
        """A name the NER took for a place ("Iwaya", "Lavrov") is the person a title named in the same article."""
        guesses = [m for m in mentions if m.source == "model" and m.label != "PERSON" and m.end - m.start == 1]
        if not guesses:
            return
        parts = self.name_parts(mentions)
        for m in guesses:
            person = parts.get(doc[m.start].text)
            if person is not None:
                m.label, m.entity_id, m.canonical_name = "PERSON", person.entity_id, person.canonical_name
                m.country_iso3, m.role, m.source = person.country_iso3, person.role, "coref"

    def capitals_for_governments(self, doc: Doc, mentions: list[Mention]) -> None:
        """ "Moskow menegaskan siap …", "Seoul dan Jakarta telah menyepakati": a capital as the subject of what a
        government does is that country. An article uses a capital one way, so one such use turns all its
        mentions into the country."""
        capitals = [m for m in mentions if m.label == "PLACE" and self._is_capital(m)]
        governing = {m.entity_id for m in capitals if self._acts(doc, m, mentions)}
        for m in capitals:
            if m.entity_id in governing:
                country = self.gaz.entries[f"country:{m.country_iso3}"]
                m.label, m.entity_id, m.canonical_name = "COUNTRY", country.entity_id, country.canonical_name

    def _is_capital(self, mention: Mention) -> bool:
        entry = self.gaz.entries.get(mention.entity_id or "")
        return bool(entry and entry.capital and f"country:{entry.country_iso3}" in self.gaz.entries)

    def _acts(self, doc: Doc, mention: Mention, mentions: list[Mention]) -> bool:
        if mention.start and doc[mention.start - 1].lower_ in PLACE_PREPOSITIONS:
            return False
        if mention.end >= len(doc):
            return False
        following = doc[mention.end]
        if following.lower_ in ("dan", "and") and mention.end + 1 < len(doc):
            partner = next((m for m in mentions if m.start == mention.end + 1), None)
            return bool(partner and partner.label in ("PLACE", "COUNTRY") and partner.end < len(doc)
                        and self._starts_predicate(doc[partner.end]))
        return self._starts_predicate(following)

    @staticmethod
    def _starts_predicate(token) -> bool:
        return token.is_alpha and token.is_lower and token.lower_ not in PLACE_FOLLOWERS

    @staticmethod
    def trim_title(mention: Mention, title_start: dict) -> None:
        """ "Presiden Xi Jinping" tagged whole by the NER: the name is the span, the title the role."""
        while mention.start in title_start:
            end, title = title_start[mention.start]
            if end >= mention.end:
                return
            mention.start = end
            mention.role = mention.role or (title.canonical if title.is_office else None)
            mention.entity_id = mention.canonical_name = None  # named after the name, not the title

    @staticmethod
    def read_title_before(mention: Mention, ends: dict[int, Mention], title_end: dict) -> None:
        """Role and country from "<title> [<country/org>] <name>" when the NER tagged the name alone."""
        if mention.role:
            return
        i, country = mention.start, None
        while i in ends:
            country = country or ends[i].country_iso3
            i = ends[i].start
        title = title_end.get(i)
        if title and title.is_office:
            mention.role = title.canonical
            mention.country_iso3 = mention.country_iso3 or country

    def bare_person_mentions(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """Bare uses of a known person's name parts that no one tagged: "Ruto mengatakan"."""
        parts = self.name_parts(mentions)
        if not parts:
            return []
        taken = bytearray(len(doc))
        for m in mentions:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        starts = SentenceStarts(doc)
        found: list[Mention] = []
        for i, text in find_words(doc, parts):
            if taken[i] or not is_name_word(text):
                continue
            if starts[i] and doc[i].lower_ in self.stop_words:
                continue
            person = parts[text]
            previous = found[-1] if found else None
            if previous and previous.end == i and previous.entity_id == person.entity_id:
                previous.end = i + 1  # "William Ruto" repeated without a title: one mention
                continue
            found.append(Mention(i, i + 1, "PERSON", person.entity_id, person.canonical_name,
                                 person.country_iso3, person.role, "coref"))
        return found

    def name_parts(self, mentions: list[Mention]) -> dict[str, Mention]:
        """Each word of a person's name -> that person, if no one else shares it ("Sugiono": a whole name)."""
        owners: dict[str, dict[str, Mention]] = defaultdict(dict)
        for m in mentions:
            if m.label != "PERSON" or not m.canonical_name or not m.entity_id:
                continue
            words = name_words(m.canonical_name)
            if len(words) == 1 and m.source != "title":
                continue  # a one-word name is trusted only after a title: a stray NER guess must not spread
            for word in words:
                owners[word].setdefault(m.entity_id, m)
        # Each distinct word is judged once: a person's words recur in every mention of the person.
        return {word: next(iter(by_id.values())) for word, by_id in owners.items()
                if len(by_id) == 1 and self._usable_part(word)}

    def _usable_part(self, word: str) -> bool:
        lowered = word.lower()
        return (len(word) > 1 and word[:1].isupper() and lowered not in NAME_PARTICLES
                and lowered not in self.stop_words and self.gaz.lookup(word) is None)


@lru_cache(maxsize=4096)  # each mention of a person asks again, in several steps of the linker
def name_words(name: str) -> frozenset[str]:
    """The words that identify a person, hyphenated parts apart and particles left out: "Khalid Al-Falih" ->
    {"Khalid", "Falih"}, so a later "Al-Falih" or "Falih" is found in it."""
    return frozenset(w for w in NAME_SPLIT.split(name) if w and w.lower() not in NAME_PARTICLES)


def link_persons(mentions: list[Mention]) -> None:
    """Give short person mentions the id of the one full name they are part of; share role and country.

    A short form may be any part of the full name (family name "Ishiba", given name "Nguyen" or "Faisal") and
    may come before the full name in the article."""
    persons = [m for m in mentions if m.label == "PERSON"]
    full: dict[str, frozenset[str]] = {}
    canonical: dict[str, str] = {}
    for m in persons:
        name = m.canonical_name or ""
        if m.entity_id and m.entity_id not in full and len(name_words(name)) >= 2:
            full[m.entity_id], canonical[m.entity_id] = name_words(name), name
    for m in persons:
        words = name_words(m.canonical_name or "")
        if not words or (m.entity_id in full and len(words) >= 2):
            continue
        matches = [pid for pid, full_words in full.items() if words <= full_words]
        if len(matches) == 1:
            m.entity_id, m.canonical_name = matches[0], canonical[matches[0]]
    by_person: dict[str, list[Mention]] = defaultdict(list)
    for m in persons:
        if m.entity_id:
            by_person[m.entity_id].append(m)
    for group in by_person.values():
        role = next((m.role for m in group if m.role), None)
        country = next((m.country_iso3 for m in group if m.country_iso3), None)
        for m in group:
            m.role, m.country_iso3 = role, country


def office_after(doc: Doc, person: Mention, title_start: dict) -> str | None:
    """The office a relative clause gives the person: "X, yang saat itu menjabat Menteri Pertahanan, …"."""
    i = person.end
    if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in RELATIVE_PRONOUNS:
        return None
    for j in range(i + 2, min(i + 3 + APPOSITIVE_REACH, len(doc))):
        if j in title_start:
            title = title_start[j][1]
            return title.canonical if title.is_office else None
        if not (doc[j].is_alpha and doc[j].is_lower):
            return None
    return None


def antecedent_country(mentions: list[Mention], pronoun: int) -> str | None:
    """The country a possessive pronoun at ``pronoun`` stands for: the last one named shortly before it."""
    before = [m for m in mentions if m.label == "COUNTRY" and m.country_iso3 and pronoun - ANTECEDENT_REACH <= m.end
              <= pronoun]
    return max(before, key=lambda m: m.end).country_iso3 if before else None


def share_counterpart_roles(mentions: list[Mention], offices: dict[int, Office]) -> None:
    """ "Defense Minister X and his counterpart Y": Y holds X's office (in Y's own country)."""
    persons = sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: m.start)
    for i, m in enumerate(persons):
        office = offices.get(m.start)
        if m.role or office is None or not office.counterpart:
            continue
        previous = next((p for p in reversed(persons[:i]) if p.role and p.entity_id != m.entity_id), None)
        if previous is None:
            continue
        for same in persons:
            if same.entity_id == m.entity_id:
                same.role = same.role or previous.role


def name_acronyms(doc: Doc, mentions: list[Mention]) -> None:
    """An organization a rule pieced together is named by the acronym it introduces: "Badan Keamanan Laut
    (Bakamla)" is org:bakamla, as Indonesian bodies and multilateral ones are known by their acronyms."""
    for m in mentions:
        if m.label == "ORG" and m.source == "pattern" and parenthesised_acronym(doc, m.end):
            m.entity_id = f"org:{slugify(doc[m.end + 1].text)}"


def acronym_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Badan Pusat Statistik (BPS) … BPS": the acronym, there and later, is that organization or event."""
    taken = bytearray(len(doc))
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    introduced: dict[str, Mention] = {}
    for m in mentions:
        i = m.end
        if m.label in ("ORG", "EVENT") and parenthesised_acronym(doc, i) and not taken[i + 1]:
            introduced.setdefault(doc[i + 1].text, m)
    for m in mentions:
        if m.source == "model" and m.end - m.start == 1 and (source := introduced.get(doc[m.start].text)):
            # The statistical model's guess at a later use of the acronym: the text said what it names.
            m.label, m.entity_id, m.canonical_name = source.label, source.entity_id, source.canonical_name
            m.country_iso3, m.role, m.source = source.country_iso3, None, "coref"
    found = []
    for i, text in find_words(doc, introduced):
        source = introduced[text]
        if not taken[i]:
            found.append(Mention(i, i + 1, source.label, source.entity_id, source.canonical_name,
                                 source.country_iso3, None, "coref"))
    return found


def fill_by_convention(doc: Doc, mention: Mention) -> None:
    """Ids and names for what no rule or gazetteer resolved: ``<type>:<slug of the name>``."""
    if not mention.canonical_name:
        mention.canonical_name = doc[mention.start:mention.end].text
    if mention.label == "COUNTRY" and mention.country_iso3:
        mention.entity_id = mention.entity_id or f"country:{mention.country_iso3}"
    mention.entity_id = mention.entity_id or f"{mention.label.lower()}:{slugify(mention.canonical_name)}"
    if mention.label != "PERSON":
        mention.role = None


@Language.factory(
    "ikrar_entity_linker",
    assigns=["doc.ents", "span._.entity_id", "span._.canonical_name", "span._.country_iso3", "span._.role",
             "span._.source"],
    default_config={"data_dir": None, "home_country": "IDN"},
)
def make_entity_linker(nlp: Language, name: str, data_dir: str | None, home_country: str | None) -> EntityLinker:
    return EntityLinker(nlp, name, data_dir, home_country)
