"""Helpers (not fixtures) for the robustness tests: a varied corpus, consistency checks, content digests."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb

from pipelines.config import REPO_DIR
from pipelines.warehouse import ARTICLE_TABLES, TABLES, table_digest

FIXTURES = REPO_DIR / "tests" / "fixtures"
ARTICLES = FIXTURES / "articles"
TORTURE = FIXTURES / "torture"
PYTHON = sys.executable

# Columns that record *when* something happened: they differ between two runs by design.
RUN_TIMESTAMPS = ("processed_at", "seen_at", "first_seen_at", "last_seen_at")

# A sentence appended to each copy so that every copy is a distinct article (its own content hash).
_VARIATION = {
    "en": "Officials said it was the {n}th meeting of the working group this year.",
    "id": "Pejabat mengatakan pertemuan itu merupakan rapat kelompok kerja ke-{n} tahun ini.",
}


def make_corpus(folder: Path, copies: int = 30, *, bad_files: bool = True) -> Path:
    """``copies`` variants of each fixture article (2 × copies files), plus a few bad files when asked."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(ARTICLES.glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        language = "en" if source.name.startswith("en_") else "id"
        body, footer = text.split("\n\n", 1)[0], text.split("\n\n", 1)[1]
        for n in range(copies):
            variant = f"{body}\n\n{_VARIATION[language].format(n=n + 1)}\n\n{footer}"
            (folder / f"{source.stem}_{n:03d}.txt").write_text(variant, encoding="utf-8")
    if bad_files:
        (folder / "empty.txt").write_bytes(b"")
        (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
        shutil.copy(folder / "en_japan_energy_000.txt", folder / "zz_duplicate.txt")
    return folder


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def inconsistencies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Everything that would show a half-written article or a manifest out of step; empty when consistent."""
    problems = []
    for table in ARTICLE_TABLES[1:]:
        n = con.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN "
                        "(SELECT article_id FROM articles)").fetchone()[0]
        if n:
            problems.append(f"{n} orphan row(s) in {table}")
    checks = {
        "articles whose n_sentences disagrees with sentences": """
            SELECT count(*) FROM articles a WHERE n_sentences <> (
                SELECT count(*) FROM sentences s WHERE s.article_id = a.article_id) OR n_sentences = 0""",
        "parties without their commitment": """
            SELECT count(*) FROM commitment_parties WHERE commitment_id NOT IN
                (SELECT commitment_id FROM commitments)""",
        "files marked loaded without their article": """
            SELECT count(*) FROM raw_articles WHERE status = 'loaded' AND article_id NOT IN
                (SELECT article_id FROM articles)""",
        "articles with no file in the manifest": """
            SELECT count(*) FROM articles WHERE content_sha256 NOT IN
                (SELECT content_sha256 FROM raw_articles WHERE content_sha256 IS NOT NULL)""",
        "quarantined files without an error issue": """
            SELECT count(*) FROM raw_articles r WHERE status IN ('quarantined', 'unreadable') AND NOT EXISTS
                (SELECT 1 FROM ingest_issues i WHERE i.source_path = r.source_path AND i.severity = 'error')""",
    }
    for label, sql in checks.items():
        n = con.execute(sql).fetchone()[0]
        if n:
            problems.append(f"{n} {label}")
    return problems


def content_digests(path: Path) -> dict[str, str]:
    """A digest of every table but warehouse_meta, without the run timestamps."""
    con = connect_read_only(path)
    try:
        return {table: table_digest(con, table, exclude=RUN_TIMESTAMPS) for table in TABLES
                if table != "warehouse_meta"}
    finally:
        con.close()


def article_rows(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """For each article, a digest of its rows in every article table (to compare one article across runs)."""
    ids = [row[0] for row in con.execute("SELECT article_id FROM articles").fetchall()]
    found: dict[str, dict[str, str]] = {article_id: {} for article_id in ids}
    for table in ARTICLE_TABLES:
        rows = con.execute(f"SELECT * EXCLUDE (processed_at) FROM {table}" if table == "articles"
                           else f"SELECT * FROM {table}").fetchall()
        columns = [d[0] for d in con.description]
        position = columns.index("article_id")
        per_article: dict[str, list] = {}
        for row in rows:
            per_article.setdefault(row[position], []).append(repr(row))
        for article_id in ids:
            found[article_id][table] = "|".join(sorted(per_article.get(article_id, [])))
    return found


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_DIR)
    env.pop("IKRAR_MAX_FILE_BYTES", None)
    env.pop("IKRAR_MAX_CHARS", None)
    return env
