"""The whole graph over the embedded demo corpus (seeds/articles), checked against seeds/gold."""

import json
from datetime import date
from pathlib import Path

import pytest

from pipelines.config import REPO_DIR
from tests.integration.harness import check_results, materialize, query

SEEDS = REPO_DIR / "seeds"
GOLD = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (SEEDS / "gold").glob("*.json")
        if not path.stem.startswith("ref_")}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("wh") / "ikrar.duckdb"
    result = materialize(SEEDS / "articles", warehouse)
    return result, warehouse


def test_every_seed_article_loads_and_checks_pass(run):
    result, wh = run
    assert query(wh, "SELECT count(*) FROM articles")[0][0] == len(GOLD)
    assert query(wh, "SELECT count(*) FROM ingest_issues WHERE severity = 'error'") == [(0,)]
    assert all(check_results(result).values())


@pytest.mark.parametrize("stem", sorted(GOLD))
def test_metadata_matches_gold(run, stem):
    _, wh = run
    expected = GOLD[stem]["metadata"]
    row = query(wh, """SELECT published_date, dateline_place, agency, reporter, editor, translator, copyright_year,
                              n_paragraphs, language
                       FROM articles WHERE source_path = ?""", [Path(GOLD[stem]["article"]).name])
    published = date.fromisoformat(expected["published_date"]) if expected["published_date"] else None
    assert row == [(published, expected["dateline_place"], expected["agency"], expected["reporter"],
                    expected["editor"], expected["translator"], expected["copyright_year"],
                    expected["n_paragraphs"], GOLD[stem]["language"])]


def test_gold_entities_are_found_with_their_ids(run):
    _, wh = run
    found = set(query(wh, """SELECT a.source_path, m.entity_id, m.entity_type FROM entity_mentions m
                             JOIN articles a USING (article_id)"""))
    expected = {(Path(g["article"]).name, e["entity_id"], e["type"]) for g in GOLD.values() for e in g["entities"]}
    recall = len(expected & found) / len(expected)
    # A floor against regressions; the measured figure is reported by `make eval-seeds`.
    assert recall >= 0.6, f"gold entity recall {recall:.2f}"


def test_person_roles_and_affiliations_match_gold(run):
    _, wh = run
    entities = {row[0]: row[1:] for row in query(wh, "SELECT entity_id, role, country_iso3 FROM entities")}
    people = {(e["entity_id"], e["role"], e["country_iso3"]) for g in GOLD.values() for e in g["entities"]
              if e["type"] == "PERSON" and e["entity_id"] in entities}
    agree = sum(entities[pid] == (role, iso3) for pid, role, iso3 in people)
    assert people and agree / len(people) >= 0.6, f"{agree}/{len(people)} people with gold role and country"


def test_commitments_cover_every_modality(run):
    _, wh = run
    modalities = {row[0] for row in query(wh, "SELECT DISTINCT modality FROM commitments")}
    assert modalities == {"obligation", "intent", "readiness", "support", "call", "agreement", "pledge"}


def test_negated_and_past_commitments_are_found(run):
    _, wh = run
    assert query(wh, "SELECT count(*) FROM commitments WHERE negated")[0][0] >= 5
    assert query(wh, "SELECT count(*) FROM commitments WHERE status = 'past'")[0][0] >= 3


def test_english_and_indonesian_share_entity_ids(run):
    _, wh = run
    rows = query(wh, """SELECT m.entity_id FROM entity_mentions m JOIN articles a USING (article_id)
                        WHERE m.entity_type = 'COUNTRY'
                        GROUP BY m.entity_id HAVING count(DISTINCT a.language) = 2""")
    assert ("country:IDN",) in rows


def test_reporting_views_answer_the_readme_question(run):
    _, wh = run
    rows = query(wh, """SELECT actor, modality, n_commitments FROM commitments_by_actor
                        WHERE actor_id = 'country:IDN' ORDER BY n_commitments DESC""")
    assert rows and rows[0][2] >= 1


def test_snapshot_metadata_counts_the_published_tables_and_views(run):
    result, wh = run
    [snapshot] = result.asset_materializations_for_node("warehouse_snapshot")
    rows = {key.removeprefix("rows/"): value.value for key, value in snapshot.metadata.items()
            if key.startswith("rows/")}
    assert rows["commitment_facts"] == query(wh, "SELECT count(*) FROM commitment_facts")[0][0] > 0
    assert rows["articles"] == len(GOLD)
