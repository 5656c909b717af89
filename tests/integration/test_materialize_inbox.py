"""Re-runs, edits, deletions, duplicates and bad files, materializing the whole graph in-process."""

import shutil
from pathlib import Path

import pytest

from pipelines import config
from tests.integration.harness import check_results, digests, materialize, query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_two_runs_over_the_same_inbox_give_identical_tables(inbox, warehouse_path):
    materialize(inbox, warehouse_path)
    first = digests(warehouse_path)
    materialize(inbox, warehouse_path)
    assert digests(warehouse_path) == first


def test_an_edited_file_replaces_exactly_its_rows(inbox, warehouse_path):
    materialize(inbox, warehouse_path)
    other_before = query(warehouse_path, "SELECT article_id, processed_at FROM articles WHERE source_path = ?",
                         ["en_japan_energy.txt"])
    path = inbox / "id_vietnam_perikanan.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Kamis (6/3)", "Jumat (7/3)"), encoding="utf-8")
    materialize(inbox, warehouse_path)
    rows = query(warehouse_path, "SELECT published_date FROM articles WHERE source_path = ?", [path.name])
    assert [str(r[0]) for r in rows] == ["2025-03-07"]
    assert query(warehouse_path, "SELECT count(*) FROM articles")[0][0] == 2
    assert query(warehouse_path, "SELECT article_id, processed_at FROM articles WHERE source_path = ?",
                 ["en_japan_energy.txt"]) == other_before
    orphans = query(warehouse_path, "SELECT count(*) FROM sentences WHERE article_id NOT IN "
                                    "(SELECT article_id FROM articles)")
    assert orphans == [(0,)]


def test_a_deleted_file_removes_its_article(inbox, warehouse_path):
    materialize(inbox, warehouse_path)
    (inbox / "en_japan_energy.txt").unlink()
    materialize(inbox, warehouse_path)
    assert query(warehouse_path, "SELECT source_path FROM articles") == [("id_vietnam_perikanan.txt",)]
    assert query(warehouse_path, "SELECT count(*) FROM commitments WHERE article_id NOT IN "
                                 "(SELECT article_id FROM articles)") == [(0,)]


def test_same_content_under_two_names_is_one_article(inbox, warehouse_path):
    shutil.copy(inbox / "en_japan_energy.txt", inbox / "zz_copy.txt")
    materialize(inbox, warehouse_path)
    assert query(warehouse_path, "SELECT count(*) FROM articles") == [(2,)]
    assert query(warehouse_path, "SELECT source_path, code, severity FROM ingest_issues") == [
        ("zz_copy.txt", "duplicate_content", "info")]


def test_a_pipeline_version_change_reextracts_without_duplicates(inbox, warehouse_path, monkeypatch):
    materialize(inbox, warehouse_path)
    before = query(warehouse_path, "SELECT count(*) FROM commitments")[0][0]
    monkeypatch.setattr(config, "pipeline_version", lambda: "next-version")
    monkeypatch.setattr("pipelines.ingest.pipeline_version", lambda: "next-version")
    monkeypatch.setattr("pipelines.extract.pipeline_version", lambda: "next-version")
    materialize(inbox, warehouse_path)
    assert query(warehouse_path, "SELECT DISTINCT pipeline_version FROM articles") == [("next-version",)]
    assert query(warehouse_path, "SELECT count(*) FROM commitments")[0][0] == before


def test_bad_files_are_quarantined_and_good_ones_load(inbox, warehouse_path):
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = materialize(inbox, warehouse_path)
    assert query(warehouse_path, "SELECT count(*) FROM articles") == [(2,)]
    codes = dict(query(warehouse_path, "SELECT source_path, code FROM ingest_issues WHERE severity = 'error'"))
    assert codes == {"empty.txt": "empty_file", "photo.txt": "binary_content"}
    statuses = dict(query(warehouse_path, "SELECT source_path, status FROM raw_articles"))
    assert statuses["photo.txt"] == "quarantined"
    assert all(check_results(result).values())
    metadata = result.asset_materializations_for_node("extract_articles")[0].metadata
    assert metadata["counts_reconcile"].value is True


def test_english_article_yields_commitments(inbox, warehouse_path):
    materialize(inbox, warehouse_path)
    rows = query(warehouse_path, """
        SELECT c.modality FROM commitments c JOIN articles a USING (article_id)
        WHERE a.language = 'en' ORDER BY c.start_char""")
    assert ("readiness",) in rows
