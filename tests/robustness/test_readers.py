"""Analysts reading the published warehouse while runs publish: nobody fails, nobody sees half a run.

The readers are real second processes with their own DuckDB connections, as `make sql` or a notebook would be.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipelines.config import REPO_DIR, Limits
from pipelines.ingest import run_pipeline
from pipelines.warehouse import Warehouse
from tests.robustness.support import PYTHON, make_corpus, subprocess_env

pytestmark = pytest.mark.slow

# Keeps one connection open, as an analyst's shell or notebook does; answers "count" on it from stdin.
# (Within one process DuckDB hands a new connect() the database already open there, so the analyst sees a
# new snapshot after closing the old connection; another process sees it at once.)
DESCRIBE = """
def describe(con):
    articles, sentences, claimed = con.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sentences), "
        "(SELECT coalesce(sum(n_sentences), 0) FROM articles)").fetchone()
    return f"{articles} {int(sentences == claimed)}"
"""
HOLDER = DESCRIBE + r"""
import sys, duckdb
held = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read_only")
print("OPEN " + describe(held), flush=True)
for command in sys.stdin:
    print("HELD " + describe(held), flush=True)
held.close()
"""
FRESH = DESCRIBE + r"""
import sys, duckdb
print("FRESH " + describe(duckdb.connect(sys.argv[1], read_only=True)), flush=True)
"""

# Opens a new read-only connection again and again until stdin closes; prints each new article count it sees,
# then every problem it met.
POLLER = r"""
import sys, threading, duckdb
path = sys.argv[1]
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
seen, bad = {}, []
while not stop.is_set():
    try:
        con = duckdb.connect(path, read_only=True)
        try:
            articles, orphans, disagree = con.execute(
                "SELECT (SELECT count(*) FROM articles), "
                "(SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT article_id FROM articles)), "
                "(SELECT count(*) FROM articles a WHERE n_sentences <> "
                "   (SELECT count(*) FROM sentences s WHERE s.article_id = a.article_id))").fetchone()
        finally:
            con.close()
        if articles not in seen:
            print("SAW", articles, flush=True)
        seen[articles] = seen.get(articles, 0) + 1
        if orphans or disagree:
            bad.append(f"{articles} articles: {orphans} orphans, {disagree} disagreeing")
    except Exception as error:
        bad.append(f"{type(error).__name__}: {error}")
print("BAD", bad, flush=True)
"""


def _start(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "-c", script, *args], cwd=REPO_DIR, env=subprocess_env(), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _ask(process: subprocess.Popen, command: str) -> str:
    process.stdin.write(command + "\n")
    process.stdin.flush()
    return process.stdout.readline().strip()


@pytest.fixture
def published(tmp_path) -> tuple[Path, Warehouse]:
    inbox = make_corpus(tmp_path / "inbox", copies=2, bad_files=False)
    warehouse = Warehouse(tmp_path / "wh" / "ikrar.duckdb")
    run_pipeline(inbox, warehouse, Limits())
    return inbox, warehouse


def _grow(inbox: Path, copies: int) -> None:
    make_corpus(inbox, copies=copies, bad_files=False)


@pytest.mark.parametrize("mode", ["read_only", "read_write"])
def test_an_open_connection_neither_blocks_a_run_nor_breaks(published, mode):
    inbox, warehouse = published
    holder = _start(HOLDER, str(warehouse.published_path), mode)
    try:
        assert holder.stdout.readline().strip() == "OPEN 4 1"
        _grow(inbox, copies=4)
        summary = run_pipeline(inbox, warehouse, Limits())  # must not fail while the holder has the file open
        held = _ask(holder, "count")
        fresh = subprocess.run([PYTHON, "-c", FRESH, str(warehouse.published_path)], env=subprocess_env(),
                               capture_output=True, text=True, check=True).stdout.strip()
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert summary.loaded == 4
    assert (held, fresh) == ("HELD 4 1", "FRESH 8 1")  # the open connection keeps its snapshot; a new one sees the run
    assert holder.returncode == 0, holder.stderr.read()


def test_readers_only_ever_see_complete_snapshots(published):
    inbox, warehouse = published
    poller = _start(POLLER, str(warehouse.published_path))
    seen = [poller.stdout.readline().strip()]
    try:
        for copies in (4, 6, 8):
            _grow(inbox, copies=copies)
            run_pipeline(inbox, warehouse, Limits())
        (inbox / "en_japan_energy_000.txt").unlink()
        run_pipeline(inbox, warehouse, Limits())
        while seen[-1] not in ("SAW 15", ""):  # until it has read the last snapshot (or died)
            seen.append(poller.stdout.readline().strip())
    finally:
        rest, errors = poller.communicate(input="", timeout=120)
    assert rest.strip() == "BAD []", errors
    assert seen[0] == "SAW 4" and seen[-1] == "SAW 15"
    assert set(seen) <= {"SAW 4", "SAW 8", "SAW 12", "SAW 16", "SAW 15"}  # complete snapshots only
