"""Gazetteers and cue lexicons for rule-based entity extraction, loaded from ``data/gaz_*`` files.

Generated files (``gaz_countries.jsonl``, ``gaz_places.jsonl``; see ``build_gazetteer``) give every ISO
country and the big cities; hand-written CSVs add the forms news actually uses (aliases, acronyms), regions
and seas, international organizations, titles, event and organization cues and the stoplist. One
``Gazetteer`` is shared by the entity components; ``load_gazetteer`` caches it per data directory.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

# When two tables claim the same form, the earlier table wins: a hand-written alias beats a generated name,
# a country beats an organization or a city of the same name ("Singapore", "Kuwait", "Djibouti").
LOAD_ORDER = ("country_aliases", "countries", "organizations", "regions", "place_aliases", "named_days",
              "places")


def slugify(text: str) -> str:
    """Lowercase ASCII slug: accents stripped, runs of non-alphanumerics become one "-"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normalize_form(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


@dataclass(frozen=True)
class Entry:
    """What a gazetteer form refers to."""

    entity_id: str
    label: str
    canonical_name: str
    country_iso3: str | None = None
    capital: bool = False  # a country's capital: news also uses it for that country's government


@dataclass(frozen=True)
class Form:
    text: str
    entity_id: str
    cased: bool  # match on ORTH (True) or LOWER (False)
    mid_sentence_only: bool = False  # a common word too: trust its capital only away from a sentence start


@dataclass(frozen=True)
class Title:
    """A title or honorific that may stand before a person's name."""

    form: str
    canonical: str
    kind: str  # "title", "office_abroad", "honorific", "occupation" or "counterpart"
    anchors: bool  # may introduce a name on its own (an honorific like "Ibu" may not: "Ibu Kota")
    # A national office ("Presiden", "Menteri"): a country qualifies it, never a city, so a city's name right
    # after it is the holder's given name ("Presiden Vladimir Putin"), unlike "Gubernur Bali Wayan Koster".
    national: bool = False

    @property
    def is_office(self) -> bool:
        return self.kind in ("title", "office_abroad")


@dataclass(frozen=True)
class Cue:
    """A word that opens (head) or closes (tail) the name of an organization or event."""

    form: str
    canonical: str
    position: str  # "head" or "tail"
    weak: bool  # also a common noun ("Pertemuan", "Badan"): needs a longer name at a sentence start
    standalone: bool = False  # an entity even with no name after it ("Kemenlu")
    english: str = ""  # how the id names it in English: "{} Palace" makes "Istana Merdeka" place:merdeka-palace
    dated: bool = False  # a series named by edition ("KTT G20"): the id ends in the ordinal, else the year
    of_party: bool = False  # names an event after a known body alone: "Sidang Majelis Umum PBB" is a session
    region: bool = False  # an administrative region ("Kota", "Kabupaten"): a regional body's name ends in one


@dataclass(frozen=True)
class EventWord:
    """An Indonesian word inside an event's name and its English form, for ids shared by both languages.

    Indonesian puts modifiers after the head ("Forum Ekonomi Internasional X"), English before it ("X
    International Economic Forum"); ``kind`` says where the English word goes: "head" (the noun the name is
    about), "adjective" (before noun modifiers: "Joint Trade Commission") or "noun" (a modifier next to the head).
    """

    form: str
    english: str
    kind: str


@dataclass(frozen=True)
class Direction:
    """A compass word that makes a region of a place: "Australia Selatan", "Eropa Timur", "West Java"."""

    form: str
    english: str  # as the id spells it: "south" -> place:south-australia
    position: str  # "after" (Indonesian: "Jawa Barat") or "before" (English: "West Java")


@dataclass(frozen=True)
class KnownPerson:
    """A well-known office holder (``gaz_persons.csv``): the country news need not state for them."""

    name: str  # the full name, as the id spells it
    country_iso3: str | None  # None: the head of an international organization
    office: str

    @property
    def entity_id(self) -> str:
        return f"person:{slugify(self.name)}"


class CommonWords(frozenset):
    """Lowercase words never part of a person's name: the listed ones, and any of a common word's shape
    (``gaz_common_word_shapes.csv``: "perikanan", "keadilan"), which ``in`` tests too."""

    shapes: re.Pattern | None = None
    exceptions: re.Pattern | None = None

    def __new__(cls, words=(), shapes: re.Pattern | None = None, exceptions: re.Pattern | None = None):
        self = super().__new__(cls, words)
        self.shapes, self.exceptions = shapes, exceptions
        return self

    def __contains__(self, word) -> bool:
        if frozenset.__contains__(self, word):
            return True
        return (self.shapes is not None and isinstance(word, str) and self.shapes.fullmatch(word) is not None
                and not (self.exceptions and self.exceptions.fullmatch(word)))

    def __or__(self, other) -> CommonWords:
        return CommonWords(frozenset.__or__(self, other), self.shapes, self.exceptions)


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)
    forms: dict[tuple[str, bool], Form] = field(default_factory=dict)  # (form or lowercased form, cased)
    demonyms: dict[str, str] = field(default_factory=dict)  # "Chinese" -> "CHN"
    titles: list[Title] = field(default_factory=list)
    org_cues: list[Cue] = field(default_factory=list)
    event_cues: list[Cue] = field(default_factory=list)
    place_cues: list[Cue] = field(default_factory=list)
    directions: list[Direction] = field(default_factory=list)
    event_words: dict[tuple[str, ...], EventWord] = field(default_factory=dict)  # lowercase words -> entry
    common_words: frozenset[str] = frozenset()  # lowercase words never part of a person's name (CommonWords)
    stopwords: dict[str, set[str]] = field(default_factory=dict)  # kind -> lowercase words
    foreign_cues: dict[str, set[str]] = field(default_factory=dict)  # kind -> lowercase words (visitors)
    persons: dict[str, KnownPerson] = field(default_factory=dict)  # slug of a full name or alias -> person
    person_forms: dict[str, str] = field(default_factory=dict)  # that slug -> the name as written in the table

    def add(self, entry: Entry, form: str, cased: bool, mid_sentence_only: bool = False) -> None:
        form = normalize_form(form)
        if not form:
            return
        key = (form if cased else form.lower(), cased)
        if key in self.forms:
            return
        self.entries.setdefault(entry.entity_id, entry)
        self.forms[key] = Form(form, entry.entity_id, cased, mid_sentence_only)

    def lookup(self, text: str) -> Entry | None:
        """The entry a surface form names, cased forms first; None when unknown."""
        text = normalize_form(text)
        form = self.forms.get((text, True)) or self.forms.get((text.lower(), False))
        return self.entries[form.entity_id] if form else None

    @cached_property
    def roles_abroad(self) -> frozenset[str]:
        """Roles of offices Indonesia does not have ("Perdana Menteri", "Raja"); read once the titles are loaded."""
        return frozenset(t.canonical for t in self.titles if t.kind == "office_abroad")

    def known_person(self, name: str) -> KnownPerson | None:
        """The well-known person a name (full or short form) stands for; spelling variants of accents and
        hyphens agree ("Lee Jae Myung", "Lee Jae-myung")."""
        return self.persons.get(slugify(name))

    def is_stopword(self, word: str, *kinds: str) -> bool:
        lowered = word.lower()
        return any(lowered in self.stopwords.get(kind, ()) for kind in kinds)


ID_PREFIX_TYPES = {"person": "PERSON", "country": "COUNTRY", "place": "PLACE", "org": "ORG", "event": "EVENT"}


def describe_entity(entity_id: str, data_dir: str | Path | None = None) -> tuple[str, str, str | None]:
    """(entity type, canonical name, country ISO3) of an id, for ids named without a mention of their own.

    Gazetteer ids get their table's name and country; others follow the id convention: the type from the
    prefix, a readable name from the slug ("person:budi-santoso" -> "Budi Santoso"), a country only for
    ``country:<ISO3>``.
    """
    entry = load_gazetteer(data_dir).entries.get(entity_id)
    if entry:
        return entry.label, entry.canonical_name, entry.country_iso3
    prefix, _, rest = entity_id.partition(":")
    entity_type = ID_PREFIX_TYPES.get(prefix)
    if entity_type is None or not rest:
        raise ValueError(f"not an entity id: {entity_id!r}")
    if entity_type == "COUNTRY":
        return entity_type, rest.upper(), rest.upper()
    return entity_type, " ".join(word.capitalize() for word in rest.split("-")), None


@lru_cache(maxsize=4)
def load_locative_words(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """``gaz_locative_words.csv``: lowercase word -> kind ("preposition", "place_noun", "conjunction")."""
    return {row["word"]: row["kind"] for row in read_csv(data_dir / "gaz_locative_words.csv")}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items()} for row in rows]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _flag(value: str) -> bool:
    return value.lower() in {"1", "yes", "true"}


def load_gazetteer(data_dir: str | Path | None = None) -> Gazetteer:
    """Every ``gaz_*`` table of ``data_dir`` (default: the package's data directory), loaded once per folder
    however the caller names it (``None``, a string or a path)."""
    return _load_gazetteer(Path(data_dir).resolve() if data_dir else DATA_DIR.resolve())


@lru_cache(maxsize=4)
def _load_gazetteer(data: Path) -> Gazetteer:
    gaz = Gazetteer(stopwords=_load_stopwords(data))
    countries = read_jsonl(data / "gaz_countries.jsonl")
    canonical_by_iso3 = {c["iso3"]: c["canonical"] for c in countries}
    loaders = {
        "country_aliases": lambda: _load_country_aliases(gaz, data, canonical_by_iso3),
        "countries": lambda: _load_countries(gaz, countries),
        "organizations": lambda: _load_named_table(gaz, data / "gaz_organizations.csv", "ORG"),
        "regions": lambda: _load_named_table(gaz, data / "gaz_regions.csv", "PLACE"),
        "place_aliases": lambda: _load_named_table(gaz, data / "gaz_place_aliases.csv", "PLACE"),
        "named_days": lambda: _load_named_table(gaz, data / "gaz_named_days.csv", "EVENT"),
        "places": lambda: _load_places(gaz, data / "gaz_places.jsonl"),
    }
    for name in LOAD_ORDER:
        loaders[name]()
    gaz.demonyms = {row["form"]: row["iso3"] for row in read_csv(data / "gaz_demonyms.csv")}
    gaz.titles = [
        Title(row["form"], row["canonical"] or row["form"], row["kind"], _flag(row["anchors"]),
              (row.get("scope") or "") == "national")
        for row in read_csv(data / "gaz_titles.csv")
    ]
    gaz.org_cues = _load_cues(data / "gaz_org_cues.csv")
    gaz.event_cues = _load_cues(data / "gaz_events.csv")
    gaz.place_cues = _load_cues(data / "gaz_place_cues.csv")
    gaz.event_words = {tuple(row["form"].lower().split()): EventWord(row["form"], row["english"], row["kind"])
                       for row in read_csv(data / "gaz_event_words.csv")}
    gaz.directions = [Direction(row["form"], row["english"], row["position"])
                      for row in read_csv(data / "gaz_directions.csv")]
    gaz.common_words = (_load_common_words(data / "gaz_common_words.txt", data / "gaz_common_word_shapes.csv")
                        | gaz.stopwords.get("not_name", set()))
    for row in read_csv(data / "gaz_foreign_cues.csv"):
        gaz.foreign_cues.setdefault(row["kind"], set()).add(row["word"].lower())
    gaz.persons, gaz.person_forms = read_persons(data / "gaz_persons.csv")
    return gaz


def read_persons(path: Path) -> tuple[dict[str, KnownPerson], dict[str, str]]:
    """Known persons by the slug of each name they go by, and each slug's written form; a short form two
    persons share names neither."""
    by_slug: dict[str, KnownPerson] = {}
    written: dict[str, str] = {}
    shared: set[str] = set()
    for row in read_csv(path) if path.exists() else []:
        person = KnownPerson(row["name"], row["iso3"] or None, row["office"])
        for form in (row["name"], *row["aliases"].split("|")):
            slug = slugify(form)
            if not slug:
                continue
            written.setdefault(slug, form.strip())
            if by_slug.setdefault(slug, person) != person:
                shared.add(slug)
    persons = {slug: person for slug, person in by_slug.items() if slug not in shared}
    return persons, {slug: written[slug] for slug in persons}


def _load_common_words(path: Path, shapes_path: Path) -> CommonWords:
    lines = path.read_text(encoding="utf-8").splitlines()
    words = frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    patterns: dict[str, list[str]] = {"common": [], "exception": []}
    for row in read_csv(shapes_path) if shapes_path.exists() else []:
        patterns[row["kind"]].append(row["pattern"])
    shapes, exceptions = (re.compile("|".join(f"(?:{p})" for p in patterns[kind])) if patterns[kind] else None
                          for kind in ("common", "exception"))
    return CommonWords(words, shapes, exceptions)


def _load_stopwords(data: Path) -> dict[str, set[str]]:
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
    from spacy.lang.id.stop_words import STOP_WORDS as INDONESIAN_STOP_WORDS

    stopwords: dict[str, set[str]] = {"never": set(), "common": set()}
    for row in read_csv(data / "gaz_stopwords.csv"):
        stopwords.setdefault(row["kind"], set()).add(row["word"].lower())
    # Function words are never place names, whatever a city happens to be called, unless the table lets one
    # through as "common" (the numeral "lima" is also Peru's capital).
    stop_words = {w.lower() for w in ENGLISH_STOP_WORDS | INDONESIAN_STOP_WORDS}
    stopwords["never"] |= stop_words - stopwords["common"]
    return stopwords


def _load_country_aliases(gaz: Gazetteer, data: Path, canonical_by_iso3: dict[str, str]) -> None:
    for row in read_csv(data / "gaz_country_aliases.csv"):
        iso3 = row["iso3"]
        entry = Entry(f"country:{iso3}", "COUNTRY", canonical_by_iso3.get(iso3, row["form"]), iso3)
        gaz.add(entry, row["form"], cased=row["case"] != "any")


def _load_countries(gaz: Gazetteer, countries: list[dict]) -> None:
    for country in countries:
        iso3 = country["iso3"]
        entry = Entry(f"country:{iso3}", "COUNTRY", country["canonical"], iso3)
        # Cased: several country names are also common words in lowercase ("chad", "turkey", "cuba").
        for form in country["names_en"] + country["names_id"]:
            gaz.add(entry, form, cased=True)


def _load_named_table(gaz: Gazetteer, path: Path, label: str) -> None:
    for row in read_csv(path):
        entry = Entry(row["id"], label, row["canonical"], row["country_iso3"] or None)
        gaz.add(entry, row["form"], cased=row["case"] != "any")


def _load_places(gaz: Gazetteer, path: Path) -> None:
    for place in read_jsonl(path):
        entry = Entry(place["id"], "PLACE", place["canonical"], place["iso3"], bool(place.get("capital")))
        for form in place["forms"]:
            if gaz.is_stopword(form, "never"):
                continue
            gaz.add(entry, form, cased=True, mid_sentence_only=gaz.is_stopword(form, "common"))


def _load_cues(path: Path) -> list[Cue]:
    return [
        Cue(row["form"], row["canonical"] or row["form"], row["position"], _flag(row["weak"]),
            _flag(row.get("standalone") or ""), row.get("english") or "", _flag(row.get("dated") or ""),
            _flag(row.get("of_party") or ""), _flag(row.get("region") or ""))
        for row in read_csv(path)
    ]
