"""Materialization metadata: row counts and the markdown preview of a table."""

from datetime import datetime

from assets.metadata import table_metadata
from pipelines import warehouse as wh


def issue(path):
    return {"source_path": path, "content_sha256": None, "severity": "error", "code": "vanished",
            "message": "a | b", "seen_at": datetime(2025, 6, 18)}


def test_metadata_counts_every_row_and_previews_the_first(tmp_path):
    with wh.Warehouse(tmp_path / "ikrar.duckdb").connect() as con:
        wh.insert_rows(con, "ingest_issues", [issue(f"f{k}.txt") for k in range(7)])
        metadata = table_metadata(con, "ingest_issues", "source_path, message")
    lines = metadata["preview"].value.splitlines()
    assert (metadata["dagster/row_count"].value, lines[0], len(lines)) == (7, "| source_path | message |", 2 + 5)


def test_a_preview_escapes_the_table_separator(tmp_path):
    with wh.Warehouse(tmp_path / "ikrar.duckdb").connect() as con:
        wh.insert_rows(con, "ingest_issues", [issue("f.txt")])
        metadata = table_metadata(con, "ingest_issues", "source_path, message")
    assert metadata["preview"].value.splitlines()[2] == "| f.txt | a \\| b |"


def test_an_empty_table_previews_as_no_rows(tmp_path):
    with wh.Warehouse(tmp_path / "ikrar.duckdb").connect() as con:
        metadata = table_metadata(con, "entities")
    assert metadata["preview"].value == "_(no rows)_"
