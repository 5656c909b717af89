"""Safe by default: local-only UI, parameterised SQL, configurable limits, and an inbox that cannot be escaped
or used to hang or crash a run."""

from __future__ import annotations

import ast
import hashlib
import os
import re
from pathlib import Path

import duckdb
import pytest

from pipelines import ingest
from pipelines.config import REPO_DIR, Limits
from pipelines.inbox import read_inbox_file, resolve_inbox, scan_inbox
from pipelines.warehouse import Warehouse, insert_rows
from tests.robustness.support import TORTURE, inconsistencies, make_corpus

BASE = (TORTURE / "id_base.txt").read_text(encoding="utf-8")

# Names that hold SQL identifiers or column lists written in our own code, never values from data.
IDENTIFIER_NAMES = {"table", "view", "relation", "columns", "cols", "t"}
SQL_METHODS = {"execute", "executemany", "sql", "query"}


def test_the_dagster_ui_binds_to_localhost_only():
    makefile = (REPO_DIR / "Makefile").read_text(encoding="utf-8")
    ui_lines = [line for line in makefile.splitlines() if "dagster dev" in line]
    assert ui_lines and all(re.search(r"(-h|--host) 127\.0\.0\.1\b", line) for line in ui_lines)
    assert "0.0.0.0" not in makefile


def _interpolations(path: Path) -> list[str]:
    """Every expression formatted into an f-string passed to a DuckDB call, unless it is an identifier name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_METHODS and node.args and isinstance(node.args[0], ast.JoinedStr)):
            continue
        for part in node.args[0].values:
            if not isinstance(part, ast.FormattedValue):
                continue
            value = part.value
            is_name = isinstance(value, ast.Name) and value.id in IDENTIFIER_NAMES
            is_checked = isinstance(value, ast.Call) and getattr(value.func, "id", "") == "known_relation"
            if not (is_name or is_checked):
                found.append(f"{path.relative_to(REPO_DIR)}:{node.lineno}: {ast.unparse(value)}")
    return found


def test_sql_carries_values_only_as_parameters():
    sources = [*(REPO_DIR / "pipelines").rglob("*.py"), *(REPO_DIR / "assets").rglob("*.py")]
    assert [hit for path in sorted(sources) for hit in _interpolations(path)] == []


def test_identifiers_are_checked_before_they_reach_sql(tmp_path):
    with Warehouse(tmp_path / "ikrar.duckdb").connect() as con, pytest.raises(ValueError, match="unknown relation"):
        insert_rows(con, "articles; DROP TABLE articles", [{"article_id": "x"}])


@pytest.mark.parametrize(("variable", "value", "code"), [
    ("IKRAR_MAX_FILE_BYTES", "300", "file_too_large"),
    ("IKRAR_MAX_CHARS", "100", "text_too_long"),
])
def test_limits_are_configured_from_the_environment(tmp_path, monkeypatch, variable, value, code):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "article.txt").write_text(BASE, encoding="utf-8")
    monkeypatch.setenv(variable, value)
    warehouse = tmp_path / "ikrar.duckdb"
    assert ingest.main(["--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT code FROM ingest_issues").fetchall() == [(code,)]
    finally:
        con.close()


def test_a_file_edited_between_listing_and_reading_is_loaded_as_read(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "article.txt"
    path.write_text(BASE, encoding="utf-8")
    edited = BASE.replace("Senin (14/7)", "Selasa (15/7)")
    real_sync = ingest.sync_manifest

    def sync_then_edit(con, files, now):
        summary = real_sync(con, files, now)
        path.write_text(edited, encoding="utf-8")
        return summary

    monkeypatch.setattr(ingest, "sync_manifest", sync_then_edit)
    warehouse = Warehouse(tmp_path / "wh" / "ikrar.duckdb")
    ingest.run_pipeline(inbox, warehouse, Limits())
    monkeypatch.setattr(ingest, "sync_manifest", real_sync)
    second = ingest.run_pipeline(inbox, warehouse, Limits())  # nothing left to do: the manifest matched
    con = duckdb.connect(str(warehouse.published_path), read_only=True)
    try:
        rows = con.execute("SELECT a.content_sha256, r.content_sha256, a.published_date::VARCHAR "
                           "FROM articles a JOIN raw_articles r USING (article_id)").fetchall()
    finally:
        con.close()
    sha = hashlib.sha256(edited.encode()).hexdigest()
    assert rows == [(sha, sha, "2025-07-15")]
    assert (second.loaded, second.unchanged) == (0, 1)


def test_a_file_replaced_by_a_pipe_after_listing_does_not_hang(tmp_path):
    root = resolve_inbox(tmp_path)
    (root / "feed.txt").write_text(BASE, encoding="utf-8")
    listed = list(scan_inbox(root, 10_000))
    (root / "feed.txt").unlink()
    os.mkfifo(root / "feed.txt")  # no writer: a blocking open would wait forever
    outcome = ingest.extract_file(root, ingest.WorkItem("feed.txt", listed[0].sha256), Limits(), ingest.utc_now())
    assert outcome.error.code == "not_a_regular_file"


def test_a_deep_folder_tree_is_scanned_without_recursion_limits(tmp_path):
    folders = [tmp_path / "d"]
    for _ in range(1099):  # deeper than Python's default recursion limit (and than mkdir(parents=True) goes)
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()
    (folders[-1] / "deep.txt").write_text("x", encoding="utf-8")
    try:
        found = list(scan_inbox(resolve_inbox(tmp_path), 100))
    finally:  # pytest's own clean-up of old temporary folders is recursive: leave nothing that deep
        (folders[-1] / "deep.txt").unlink()
        for folder in reversed(folders):
            folder.rmdir()
    assert [f.source_path.count("/") for f in found] == [1100]


def test_a_file_over_the_limit_is_refused_at_read_time(tmp_path):
    (tmp_path / "growing.txt").write_bytes(b"x" * 50)
    assert read_inbox_file(resolve_inbox(tmp_path), "growing.txt", 50) == b"x" * 50
    with open(tmp_path / "growing.txt", "ab") as handle:
        handle.write(b"y")
    with pytest.raises(Exception, match="file_too_large"):
        read_inbox_file(resolve_inbox(tmp_path), "growing.txt", 50)


def test_listing_alone_keeps_the_manifest_and_the_articles_in_step(tmp_path):
    """A run killed right after listing (or the listing step materialized alone) after an edit and a delete."""
    inbox = make_corpus(tmp_path / "inbox", copies=2, bad_files=False)
    warehouse = Warehouse(tmp_path / "wh" / "ikrar.duckdb")
    ingest.run_pipeline(inbox, warehouse, Limits())
    (inbox / "en_japan_energy_000.txt").unlink()
    edited = inbox / "id_vietnam_perikanan_000.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Kamis (6/3)", "Jumat (7/3)"), encoding="utf-8")
    with warehouse.connect() as con:
        scanned = ingest.sync_manifest(con, scan_inbox(resolve_inbox(inbox), 10_000), ingest.utc_now())
        assert (scanned.removed_articles, inconsistencies(con)) == (2, [])
