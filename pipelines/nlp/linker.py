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

from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp import extensions
from pipelines.nlp.entities import (
    NAME_PARTICLES,
    QUALIFIER_LABELS,
    Mention,
    SentenceStarts,
    TitleFinder,
    is_name_token,
    parenthesised_acronym,
    select_longest,
    token_indices,
    write_ents,
)
from pipelines.nlp.gazetteer import Gazetteer, load_gazetteer, slugify

extensions.register()


# Words after which a capital names a location, not its country's government ("di Jakarta", "visited Jakarta").
PLACE_PREPOSITIONS = {"di", "ke", "dari", "in", "at", "to", "from", "near", "visited", "mengunjungi", "menuju"}
# Words after a capital that still describe the place: "Jakarta pada …", "Jakarta yang …", "Jakarta in 2018".
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

    def __call__(self, doc: Doc) -> Doc:
        mentions = [read_mention(ent) for ent in doc.ents]
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
            if mention.label == "PERSON" and not mention.canonical_name:
                mention.canonical_name = doc[mention.start:mention.end].text
                mention.entity_id = f"person:{slugify(mention.canonical_name)}"
        link_persons(mentions)
        self.default_home_country(doc, mentions, qualifier_by_end)
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

    def use_gazetteer(self, doc: Doc, mention: Mention) -> None:
        """A span the NER found whose text is a known name takes the gazetteer's label and ids."""
        if mention.entity_id and mention.source != "model":
            return
        entry = self.gaz.lookup(doc[mention.start:mention.end].text)
        if entry is None or (mention.label == "PERSON" and entry.label != "COUNTRY"):
            return
        mention.label, mention.entity_id = entry.label, entry.entity_id
        mention.canonical_name, mention.country_iso3 = entry.canonical_name, entry.country_iso3

    def default_home_country(self, doc: Doc, mentions: list[Mention], qualifier_by_end: dict[int, Mention]) -> None:
        """An office named with no country is the home country's in its own news ("Presiden Prabowo").

        Not for a person whose title names an organization ("Sekjen PBB X": a multilateral official has no
        country) nor for offices Indonesia does not have ("Perdana Menteri", "Raja").
        """
        if not self.home_country:
            return
        abroad = self.roles_abroad
        by_person: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            if m.label == "PERSON" and m.entity_id:
                by_person[m.entity_id].append(m)
        for group in by_person.values():
            role = group[0].role
            if not role or role in abroad or any(m.country_iso3 for m in group):
                continue
            if any(qualifier_by_end.get(m.start) is not None for m in group):
                continue  # "Sekjen PBB X", "Direktur Pertamina X": the title belongs to an organization
            for m in group:
                m.country_iso3 = self.home_country

    def relabel_name_parts(self, mentions: list[Mention], doc: Doc) -> None:
        """A name the NER took for a place ("Iwaya", "Lavrov") is the person a title named in the same article."""
        parts = self.name_parts(mentions)
        for m in mentions:
            if m.source != "model" or m.label == "PERSON" or m.end - m.start != 1:
                continue
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
        for i in token_indices(doc, parts):
            token = doc[i]
            person = parts[token.text]
            if taken[i] or not is_name_token(token):
                continue
            if starts[i] and token.lower_ in self.stop_words:
                continue
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
            if len(m.canonical_name.split()) == 1 and m.source != "title":
                continue  # a one-word name is trusted only after a title: a stray NER guess must not spread
            for word in m.canonical_name.split():
                if self._usable_part(word):
                    owners[word].setdefault(m.entity_id, m)
        return {word: next(iter(by_id.values())) for word, by_id in owners.items() if len(by_id) == 1}

    def _usable_part(self, word: str) -> bool:
        lowered = word.lower()
        return (len(word) > 1 and word[:1].isupper() and lowered not in NAME_PARTICLES
                and lowered not in self.stop_words and self.gaz.lookup(word) is None)


def read_mention(ent) -> Mention:
    # ``ent._`` builds a new accessor object on each access: read all attributes through one.
    attrs = ent._
    return Mention(ent.start, ent.end, ent.label_, attrs.entity_id, attrs.canonical_name, attrs.country_iso3,
                   attrs.role, attrs.source or "model")


def link_persons(mentions: list[Mention]) -> None:
    """Give short person mentions the id of the one full name they are part of; share role and country."""
    persons = [m for m in mentions if m.label == "PERSON"]
    full: dict[str, Mention] = {}
    for m in persons:
        name = m.canonical_name or ""
        if len(name.split()) >= 2 and m.entity_id:
            full.setdefault(m.entity_id, m)
    for m in persons:
        words = (m.canonical_name or "").split()
        if not words or (m.entity_id in full and len(words) >= 2):
            continue
        matches = [pid for pid, f in full.items() if set(words) <= set((f.canonical_name or "").split())]
        if len(matches) == 1:
            m.entity_id, m.canonical_name = matches[0], full[matches[0]].canonical_name
    by_person: dict[str, list[Mention]] = defaultdict(list)
    for m in persons:
        if m.entity_id:
            by_person[m.entity_id].append(m)
    for group in by_person.values():
        role = next((m.role for m in group if m.role), None)
        country = next((m.country_iso3 for m in group if m.country_iso3), None)
        for m in group:
            m.role, m.country_iso3 = role, country


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
    found = []
    for i in token_indices(doc, introduced):
        source = introduced[doc[i].text]
        if not taken[i]:
            found.append(Mention(i, i + 1, source.label, source.entity_id, source.canonical_name,
                                 source.country_iso3, None, "coref"))
    return found


def fill_by_convention(doc: Doc, mention: Mention) -> None:
    """Ids and names for what no rule or gazetteer resolved: ``<type>:<slug of the name>``."""
    text = doc[mention.start:mention.end].text
    mention.canonical_name = mention.canonical_name or text
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
