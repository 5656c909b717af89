"""Structural checks of the demo corpus gold (seeds/gold/*.json) against the articles it annotates.

The extractor is scored on this gold, so a wrong paragraph index, a trigger that is not where the gold says,
or a weekday that disagrees with the date would silently skew every score. The paragraph splitter here is
deliberately small and independent of pipelines.parse: if the two ever disagree, one of them is wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from pathlib import Path

import pycountry
import pytest

from pipelines.nlp.extensions import DOMAINS, ENTITY_TYPES, MODALITIES, STATUSES

REPO_DIR = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_DIR / "seeds"
GOLD_FILES = sorted((SEEDS_DIR / "gold").glob("*.json"))
REFERENCE_PREFIX = "ref_"

DATELINE = re.compile(r"^[^\n]+? \(ANTARA\) - ", re.MULTILINE)
FOOTER_LINE = re.compile(
    r"^(pewarta|penerjemah|editor|reporter|translator)\s*:|^copyright\b|^dilarang keras", re.IGNORECASE
)
ASIDE_LINE = re.compile(r"^(baca juga|related news)\s*:", re.IGNORECASE)
ID_WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
EN_WEEKDAYS = tuple(calendar.day_name)  # the "C" locale: English names, Monday first like date.weekday()
EN_MONTHS = tuple(calendar.month_name)[1:]
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_PATTERN = {
    "PERSON": re.compile(rf"^person:{SLUG}$"),
    "ORG": re.compile(rf"^org:{SLUG}$"),
    "PLACE": re.compile(rf"^place:{SLUG}$"),
    "EVENT": re.compile(rf"^event:{SLUG}$"),
    "COUNTRY": re.compile(r"^country:[A-Z]{3}$"),
}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def article_text(gold: dict) -> str:
    return (REPO_DIR / gold["article"]).read_text(encoding="utf-8").replace("\r\n", "\n")


def body_paragraphs(text: str) -> list[str]:
    """Paragraphs after the dateline prefix, without asides, footer and legal notice."""
    dateline = DATELINE.search(text)
    assert dateline, "no 'Place (ANTARA) - ' dateline"
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text[dateline.end() :]):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and FOOTER_LINE.match(lines[0]):
            break  # everything from the footer on is boilerplate
        lines = [line for line in lines if not ASIDE_LINE.match(line)]
        if lines:
            paragraphs.append(" ".join(lines))
    return paragraphs


def count_word(needle: str, haystack: str) -> int:
    # Whole words only: "sepakat" must not be found inside "kesepakatan".
    return len(re.findall(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack))


def date_mentions(first_paragraph: str) -> list[tuple[int, int, int, int | None]]:
    """(weekday index, day, month, year or None) for every 'Weekday (d/m[/yyyy])' or 'Weekday (Month d)'."""
    found = []
    numeric = rf"({'|'.join(ID_WEEKDAYS + EN_WEEKDAYS)}) \((\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?\)"
    for name, day, month, year in re.findall(numeric, first_paragraph):
        weekday = ID_WEEKDAYS.index(name) if name in ID_WEEKDAYS else EN_WEEKDAYS.index(name)
        found.append((weekday, int(day), int(month), int(year) if year else None))
    spelled = rf"({'|'.join(EN_WEEKDAYS)}) \(({'|'.join(EN_MONTHS)}) (\d{{1,2}})\)"
    for name, month, day in re.findall(spelled, first_paragraph):
        found.append((EN_WEEKDAYS.index(name), int(day), EN_MONTHS.index(month) + 1, None))
    return found


def gold_param():
    return pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])


def test_every_seed_article_has_exactly_one_gold_file():
    articles = {p.stem for p in (SEEDS_DIR / "articles").glob("*.txt")}
    golds = {p.stem for p in GOLD_FILES if not p.stem.startswith(REFERENCE_PREFIX)}
    assert articles == golds


@gold_param()
def test_gold_points_at_an_existing_article(gold_path):
    gold = load(gold_path)
    path = (REPO_DIR / gold["article"]).resolve()
    assert path.is_file(), f"{gold['article']} is missing (../shared must sit beside the repo)"
    if not gold_path.stem.startswith(REFERENCE_PREFIX):
        assert path.stem == gold_path.stem


@gold_param()
def test_enum_values_are_valid(gold_path):
    gold = load(gold_path)
    assert gold["language"] in ("id", "en")
    assert {e["type"] for e in gold["entities"]} <= set(ENTITY_TYPES)
    for c in gold["commitments"]:
        assert c["modality"] in MODALITIES
        assert c["status"] in STATUSES
        assert isinstance(c["negated"], bool)
        assert c["domains"], "every commitment has at least one domain"
        in_order = [d for d in DOMAINS if d in c["domains"]]
        assert c["domains"] == in_order, "domains unknown, repeated or out of DOMAINS order"


@gold_param()
def test_entity_ids_follow_the_id_conventions(gold_path):
    entities = load(gold_path)["entities"]
    ids = [e["entity_id"] for e in entities]
    assert len(ids) == len(set(ids)), "an entity is listed twice"
    for e in entities:
        assert ID_PATTERN[e["type"]].match(e["entity_id"]), e["entity_id"]
        if e["country_iso3"] is not None:
            assert pycountry.countries.get(alpha_3=e["country_iso3"]), e["country_iso3"]
        if e["type"] == "COUNTRY":
            assert e["entity_id"] == f"country:{e['country_iso3']}"


@gold_param()
def test_entity_surface_forms_occur_in_the_body(gold_path):
    gold = load(gold_path)
    body = "\n".join(body_paragraphs(article_text(gold)))
    missing = [s for e in gold["entities"] for s in [e["text"], *e["aliases"]] if s not in body]
    assert not missing


@gold_param()
def test_commitment_parties_are_listed_entities(gold_path):
    gold = load(gold_path)
    known = {e["entity_id"] for e in gold["entities"]}
    for c in gold["commitments"]:
        assert c["actors"], "a commitment without an actor is not a commitment"
        assert set(c["actors"]) | set(c["targets"]) <= known
        assert c["speaker"] is None or c["speaker"] in known


@gold_param()
def test_paragraph_count_matches_the_article(gold_path):
    gold = load(gold_path)
    assert gold["metadata"]["n_paragraphs"] == len(body_paragraphs(article_text(gold)))


@gold_param()
def test_commitment_trigger_occurs_in_its_paragraph(gold_path):
    gold = load(gold_path)
    paragraphs = body_paragraphs(article_text(gold))
    for c in gold["commitments"]:
        paragraph = paragraphs[c["paragraph"]]
        assert count_word(c["trigger"], paragraph) >= c["occurrence"] + 1, (c["paragraph"], c["trigger"])


@gold_param()
def test_commitment_evidence_contains_its_trigger_within_its_paragraph(gold_path):
    gold = load(gold_path)
    paragraphs = body_paragraphs(article_text(gold))
    for c in gold["commitments"]:
        if gold_path.stem.startswith(REFERENCE_PREFIX):
            assert "evidence" not in c, "the reference article's text must not be copied into the repo"
            continue
        assert c["evidence"] in paragraphs[c["paragraph"]]
        assert count_word(c["trigger"], c["evidence"]) >= 1


@gold_param()
def test_each_trigger_occurrence_is_one_commitment(gold_path):
    keys = [(c["paragraph"], c["trigger"], c["occurrence"]) for c in load(gold_path)["commitments"]]
    assert len(keys) == len(set(keys))


@gold_param()
def test_non_commitment_paragraphs_exist(gold_path):
    gold = load(gold_path)
    n = len(body_paragraphs(article_text(gold)))
    assert all(0 <= row["paragraph"] < n and row["note"] for row in gold["non_commitments"])


@gold_param()
def test_weekday_in_first_paragraph_agrees_with_published_date(gold_path):
    gold = load(gold_path)
    published = dt.date.fromisoformat(gold["metadata"]["published_date"])
    mentions = date_mentions(body_paragraphs(article_text(gold))[0])
    assert len(mentions) == 1, mentions
    weekday, day, month, year = mentions[0]
    assert (weekday, day, month) == (published.weekday(), published.day, published.month)
    assert year in (None, published.year)
    if gold["metadata"]["copyright_year"] is not None:
        assert gold["metadata"]["copyright_year"] == published.year


def test_corpus_meets_its_size_targets():
    golds = [load(p) for p in GOLD_FILES]
    seeds = [g for g in golds if g["article"].startswith("seeds/")]
    english = [g for g in golds if g["language"] == "en"]
    assert len(seeds) >= 16
    assert len(english) >= 5
    assert sum(len(g["commitments"]) for g in golds) >= 80
    assert sum(len(g["commitments"]) for g in english) >= 20


@pytest.mark.parametrize("article", sorted((SEEDS_DIR / "articles").glob("*.txt")), ids=lambda p: p.stem)
def test_seed_article_length_is_realistic(article):
    words = len(" ".join(body_paragraphs(article.read_text(encoding="utf-8"))).split())
    assert 250 <= words <= 700
