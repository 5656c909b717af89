"""Pipeline processes contending for the work database queue on its file lock instead of failing.

`make ui` runs each step in its own process, and two runs may overlap: DuckDB lets only one process open a
database file for writing, so without the lock the second would fail with "Could not set lock on file".
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from pipelines.config import REPO_DIR, Limits
from pipelines.ingest import run_pipeline
from pipelines.warehouse import Warehouse
from tests.robustness.support import PYTHON, connect_read_only, inconsistencies, make_corpus, subprocess_env

pytestmark = pytest.mark.slow

HOLD_S = 4.0

# Opens the work database (taking the lock), says so, writes a row, holds it for HOLD_S, then exits.
HOLDER = r"""
import sys, time
from pathlib import Path
from pipelines.warehouse import Warehouse, set_meta
with Warehouse(Path(sys.argv[1])).connect() as con:
    print("HOLDING", flush=True)
    set_meta(con, "held_by", "another step")
    time.sleep(float(sys.argv[2]))
print("RELEASED", flush=True)
"""


def _run_cli(inbox: Path, warehouse: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "pipelines.ingest", "--inbox", str(inbox), "--warehouse", str(warehouse), "--batch-size", "5"],
        cwd=REPO_DIR, env=subprocess_env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_step_waits_for_the_process_holding_the_work_database(tmp_path):
    inbox = make_corpus(tmp_path / "inbox", copies=2, bad_files=False)
    warehouse = tmp_path / "wh" / "ikrar.duckdb"
    holder = subprocess.Popen([PYTHON, "-c", HOLDER, str(warehouse), str(HOLD_S)], cwd=REPO_DIR,
                              env=subprocess_env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert holder.stdout.readline().strip() == "HOLDING"
    started = time.monotonic()
    summary = run_pipeline(inbox, Warehouse(warehouse), Limits())  # must wait, not fail
    waited = time.monotonic() - started
    holder.communicate(timeout=60)
    assert (holder.returncode, summary.loaded, summary.reconciles) == (0, 4, True)
    assert waited >= HOLD_S * 0.5  # it really queued behind the holder


def test_two_runs_at_once_both_succeed_and_do_the_work_once(tmp_path):
    inbox = make_corpus(tmp_path / "inbox", copies=5)  # 10 articles, 2 bad files, 1 duplicate
    warehouse = tmp_path / "wh" / "ikrar.duckdb"
    runs = [_run_cli(inbox, warehouse) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    loaded = [int(re.search(r"\bloaded=(\d+)", out).group(1)) for out, _ in outputs]
    assert sum(loaded) == 10  # extraction is serialised: what one run did, the other found done
    con = connect_read_only(warehouse)
    try:
        statuses = dict(con.execute("SELECT status, count(*) FROM raw_articles GROUP BY status").fetchall())
        assert (inconsistencies(con), statuses) == ([], {"loaded": 10, "quarantined": 2, "duplicate": 1})
    finally:
        con.close()
