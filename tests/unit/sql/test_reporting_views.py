"""Each reporting view in sql/reporting/ over a small hand-made warehouse."""

from datetime import date, datetime

import pytest

from pipelines import warehouse as wh
from pipelines.warehouse import Warehouse

BODY = "Canberra siap bekerja sama dengan Wellington. Jepang harus membantu."


def _article(article_id, day):
    return {
        "article_id": article_id, "source_path": f"{article_id}.txt", "content_sha256": article_id * 4,
        "language": "id", "agency": "ANTARA", "dateline_place": "Jakarta", "published_date": day, "title": None,
        "reporter": "R", "editor": "E", "translator": None, "copyright_year": day.year, "body_text": BODY,
        "n_paragraphs": 1, "n_sentences": 2, "n_tokens": 10, "encoding": "utf-8", "pipeline_version": "v",
        "processed_at": datetime(2025, 1, 1),
    }


def _commitment(cid, article_id, modality, domains, negated=False, status="future", speaker=None):
    return {
        "commitment_id": cid, "article_id": article_id, "sentence_index": 0, "start_char": 0, "end_char": 44,
        "evidence_text": BODY[:44], "speaker_entity_id": speaker, "modality": modality, "trigger_text": "siap",
        "trigger_start": 9, "trigger_end": 13, "action_text": "bekerja sama", "domains": domains,
        "negated": negated, "status": status, "confidence": 0.9,
    }


def _observation(article_id, entity_id, entity_type, name, iso3=None, n=1):
    return {"article_id": article_id, "entity_id": entity_id, "entity_type": entity_type, "canonical_name": name,
            "country_iso3": iso3, "role": None, "aliases": [name], "n_mentions": n}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    store = Warehouse(tmp_path_factory.mktemp("views") / "ikrar.duckdb")
    with store.connect() as con:
        wh.insert_rows(con, "articles", [_article("a1", date(2025, 6, 17)), _article("a2", date(2025, 7, 1))])
        wh.insert_rows(con, "entity_observations", [
            _observation("a1", "country:AUS", "COUNTRY", "Australia", "AUS", 2),
            _observation("a1", "country:NZL", "COUNTRY", "New Zealand", "NZL"),
            _observation("a2", "country:AUS", "COUNTRY", "Australia", "AUS"),
            _observation("a2", "person:penny-wong", "PERSON", "Penny Wong", "AUS"),
        ])
        wh.insert_rows(con, "entity_mentions", [
            {"article_id": "a1", "sentence_index": 0, "start_char": 0, "end_char": 8, "mention_text": "Canberra",
             "entity_id": "country:AUS", "entity_type": "COUNTRY", "source": "gazetteer"},
            {"article_id": "a2", "sentence_index": 0, "start_char": 0, "end_char": 8, "mention_text": "Canberra",
             "entity_id": "country:AUS", "entity_type": "COUNTRY", "source": "gazetteer"},
        ])
        wh.rebuild_entities(con)
        wh.insert_rows(con, "commitments", [
            _commitment("c1", "a1", "readiness", ["diplomacy"], speaker="person:penny-wong"),
            _commitment("c2", "a2", "readiness", ["diplomacy", "trade"], negated=True),
            _commitment("c3", "a2", "agreement", [], status="past"),
        ])
        wh.insert_rows(con, "commitment_parties", [
            {"commitment_id": "c1", "article_id": "a1", "entity_id": "country:AUS", "role": "actor"},
            {"commitment_id": "c1", "article_id": "a1", "entity_id": "country:NZL", "role": "target"},
            {"commitment_id": "c2", "article_id": "a2", "entity_id": "country:AUS", "role": "actor"},
            {"commitment_id": "c3", "article_id": "a2", "entity_id": "country:AUS", "role": "actor"},
            {"commitment_id": "c3", "article_id": "a2", "entity_id": "country:NZL", "role": "actor"},
        ])
        wh.insert_rows(con, "ingest_issues", [
            {"source_path": "x.bin", "content_sha256": None, "severity": "error", "code": "binary_content",
             "message": "an image", "seen_at": datetime(2025, 1, 1)},
            {"source_path": "a1.txt", "content_sha256": "a1" * 4, "severity": "warning", "code": "no_footer",
             "message": "no footer", "seen_at": datetime(2025, 1, 1)},
        ])
        wh.create_reporting_views(con)
        yield con


def test_every_reporting_view_is_created(con):
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert set(wh.REPORTING_VIEWS) <= views


def test_commitment_facts_names_speaker_actors_and_targets(con):
    row = con.execute(
        "SELECT speaker, actors, targets, published_date FROM commitment_facts WHERE commitment_id = 'c1'"
    ).fetchone()
    assert row == ("Penny Wong", ["Australia"], ["New Zealand"], date(2025, 6, 17))


def test_commitment_facts_has_empty_lists_without_targets(con):
    assert con.execute("SELECT targets FROM commitment_facts WHERE commitment_id = 'c2'").fetchone()[0] == []


def test_commitments_by_actor_counts_per_domain_and_flags(con):
    rows = con.execute(
        "SELECT domain, n_commitments, n_negated FROM commitments_by_actor "
        "WHERE actor_id = 'country:AUS' AND modality = 'readiness' ORDER BY domain").fetchall()
    assert rows == [("diplomacy", 2, 1), ("trade", 1, 1)]


def test_commitments_by_actor_marks_missing_domains_unspecified(con):
    rows = con.execute(
        "SELECT actor_id, n_past FROM commitments_by_actor WHERE domain = 'unspecified' ORDER BY actor_id"
    ).fetchall()
    assert rows == [("country:AUS", 1), ("country:NZL", 1)]


def test_country_relations_links_actor_to_target_countries(con):
    rows = con.execute("SELECT actor, target, modality, n_commitments FROM country_relations").fetchall()
    assert rows == [("Australia", "New Zealand", "readiness", 1)]


def test_entity_summary_counts_roles(con):
    row = con.execute(
        "SELECT n_mentions, n_articles, n_as_actor, n_as_target, first_date, last_date "
        "FROM entity_summary WHERE entity_id = 'country:AUS'").fetchone()
    assert row == (2, 2, 3, 0, date(2025, 6, 17), date(2025, 7, 1))
    speaker = con.execute(
        "SELECT n_as_speaker FROM entity_summary WHERE entity_id = 'person:penny-wong'").fetchone()[0]
    assert speaker == 1


def test_article_overview_counts_extractions_and_warnings(con):
    rows = con.execute(
        "SELECT article_id, n_mentions, n_commitments, n_warnings FROM article_overview ORDER BY 1").fetchall()
    assert rows == [("a1", 1, 1, 1), ("a2", 1, 2, 0)]


def test_ingest_issue_summary_groups_by_code(con):
    rows = con.execute("SELECT severity, code, n_files FROM ingest_issue_summary ORDER BY 1, 2").fetchall()
    assert rows == [("error", "binary_content", 1), ("warning", "no_footer", 1)]
