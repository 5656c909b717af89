"""A worker process that dies on one file costs that file alone: it is quarantined, every other file loads.

The run happens in a fresh interpreter whose fork server preloads ``tests.robustness.dying_worker`` (workers die
on files named ``*poison*``); 24 good files (more than are extracted in-process) are extracted by two workers.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.robustness.support import PYTHON, connect_read_only, inconsistencies, make_corpus, subprocess_env

RUN = """
import sys
from pathlib import Path
from pipelines import ingest
from pipelines.config import Limits
from pipelines.warehouse import Warehouse
ingest.WORKER_PRELOAD = "tests.robustness.dying_worker"
summary = ingest.run_pipeline(Path(sys.argv[1]), Warehouse(Path(sys.argv[2])), Limits(), workers=2, batch_size=5)
print(summary.loaded, summary.quarantined)
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dying_worker")
    inbox = make_corpus(folder / "inbox", copies=12, bad_files=False)
    poison = sorted(inbox.glob("*.txt"))[7]
    poison.rename(inbox / "poison.txt")
    warehouse = folder / "ikrar.duckdb"
    result = subprocess.run([PYTHON, "-c", RUN, str(inbox), str(warehouse)], env=subprocess_env(),
                            capture_output=True, text=True, timeout=600)
    return result, warehouse


def test_the_run_completes(run):
    result, _ = run
    assert result.returncode == 0, result.stderr[-2000:]


def test_only_the_file_that_kills_its_worker_is_quarantined(run):
    _, warehouse = run
    with connect_read_only(warehouse) as con:
        rows = con.execute("SELECT source_path, code FROM ingest_issues WHERE severity = 'error'").fetchall()
    assert rows == [("poison.txt", "extraction_crashed")]


def test_every_other_file_loads(run):
    _, warehouse = run
    with connect_read_only(warehouse) as con:
        statuses = dict(con.execute("SELECT status, count(*) FROM raw_articles GROUP BY status").fetchall())
    assert statuses == {"loaded": 23, "quarantined": 1}


def test_the_warehouse_is_consistent_after_the_crash(run):
    _, warehouse = run
    with connect_read_only(warehouse) as con:
        assert inconsistencies(con) == []
