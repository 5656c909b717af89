"""Runs killed with SIGKILL at chosen and at random moments leave a consistent warehouse; the next run finishes.

Each scenario starts a real process (``python -c`` running ``pipelines.ingest.run_pipeline``, or the Dagster
job) over a corpus of 60 distinct articles and 3 bad files, in batches of 5. The process is killed either while
it is held at an exact point (it prints ``PAUSED`` and sleeps there) or after a random delay. Then:

* the work database, opened as the next run opens it, has no half-written article: no orphan rows, every
  article's ``n_sentences`` matches its sentences, and every article present has exactly the rows a clean run
  gives it;
* the published snapshot, if any, is a complete earlier snapshot, never a partial copy;
* a normal run completes the work, and every table equals a clean run's (run timestamps aside).

The scenarios run two at a time, each in its own folder, so the suite stays within a minute or so.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipelines.config import REPO_DIR, Limits, pipeline_version
from pipelines.ingest import run_pipeline
from pipelines.warehouse import Warehouse
from tests.robustness.support import (
    PYTHON,
    article_rows,
    connect_read_only,
    content_digests,
    inconsistencies,
    make_corpus,
    subprocess_env,
)

pytestmark = pytest.mark.slow

BATCH_SIZE = 5
KILL_TIMEOUT_S = 240  # a scenario that never reaches its point fails instead of hanging the suite

# Runs the pipeline and, when asked, stops at one exact point: prints "PAUSED <point>" and sleeps there until
# the test kills it. argv: inbox, warehouse, point, batch size, workers.
DRIVER = r"""
import os, sys, time
from pathlib import Path
from pipelines import ingest
from pipelines.config import Limits
from pipelines.warehouse import Warehouse

inbox, warehouse, point, batch_size, workers = sys.argv[1:6]
kind, _, arg = point.partition(":")

def pause():
    print("PAUSED " + point, flush=True)
    time.sleep(3600)

def pausing_after(function):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        pause()
        return result
    return wrapper

def pausing_before(function):
    def wrapper(*args, **kwargs):
        pause()
        return function(*args, **kwargs)
    return wrapper

batches_started = [0]
if kind == "after_listing":  # manifest committed, nothing extracted: files wait as 'pending'
    ingest.sync_manifest = pausing_after(ingest.sync_manifest)
elif kind == "inside_batch":  # some of batch N's rows inserted, its transaction not committed
    real_load, real_insert = ingest.load_batch, ingest.insert_rows
    def load_batch(*args, **kwargs):
        batches_started[0] += 1
        return real_load(*args, **kwargs)
    def insert_rows(con, table, rows):
        inserted = real_insert(con, table, rows)
        if batches_started[0] == int(arg) and table == "entity_mentions":
            pause()
        return inserted
    ingest.load_batch, ingest.insert_rows = load_batch, insert_rows
elif kind == "before_entities":  # every batch committed, entities not rebuilt
    ingest.rebuild_entities = pausing_before(ingest.rebuild_entities)
elif kind == "before_replace":  # the new snapshot copied to its temporary file, not yet renamed
    os.replace = pausing_before(os.replace)

def progress(line):
    print(line, flush=True)
    if kind == "after_batch" and line.startswith(f"batch {arg}:"):
        pause()

ingest.run_pipeline(Path(inbox), Warehouse(Path(warehouse)), Limits(), workers=int(workers),
                    batch_size=int(batch_size), progress=progress)
print("DONE", flush=True)
"""

# The Dagster job in one process; its step logs ("batch N: …") go to stderr.
DAGSTER_DRIVER = r"""
import sys
from assets.definitions import defs
from assets.resources import InboxResource, WarehouseResource
inbox, warehouse, batch_size = sys.argv[1:4]
result = defs.resolve_job_def("ikrar_job").execute_in_process(
    run_config={"ops": {"extract_articles": {"config": {"workers": 1, "batch_size": int(batch_size)}}}},
    resources={"inbox": InboxResource(path=inbox), "warehouse": WarehouseResource(path=warehouse)})
print("DONE", flush=True)
"""

_random = random.Random(20250714)


@dataclass
class Scenario:
    point: str  # an exact point of DRIVER, or "random" / "dagster" (killed after a delay)
    delay_s: float = 0.0  # for "random" and "dagster": seconds after the trigger line
    workers: int = 1
    outcome: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        suffix = f"+{self.delay_s:.2f}s" if self.point in ("random", "dagster") else ""
        return f"{self.point}{suffix}" + (f"-workers{self.workers}" if self.workers > 1 else "")


SCENARIOS = [
    Scenario("after_listing"),
    Scenario("inside_batch:1"),
    Scenario("after_batch:3"),
    Scenario("inside_batch:7"),
    Scenario("before_entities"),
    Scenario("before_replace"),
    Scenario("after_batch:4", workers=2),
    *[Scenario("random", delay_s=round(_random.uniform(0.0, 1.0), 2)) for _ in range(2)],
    Scenario("dagster", delay_s=round(_random.uniform(0.0, 0.3), 2)),
]


def _command(scenario: Scenario, inbox: Path, warehouse: Path) -> list[str]:
    if scenario.point == "dagster":
        return [PYTHON, "-c", DAGSTER_DRIVER, str(inbox), str(warehouse), str(BATCH_SIZE)]
    point = "none" if scenario.point == "random" else scenario.point
    return [PYTHON, "-c", DRIVER, str(inbox), str(warehouse), point, str(BATCH_SIZE), str(scenario.workers)]


def _is_trigger(scenario: Scenario, line: str) -> bool:
    if scenario.point == "random":
        return line.startswith("listed ")
    if scenario.point == "dagster":
        return "batch 2:" in line
    return line.startswith("PAUSED ")


def kill_when_ready(scenario: Scenario, inbox: Path, warehouse: Path) -> dict:
    """Start the scenario's process, SIGKILL it at its point; returns what happened."""
    dagster = scenario.point == "dagster"
    process = subprocess.Popen(
        _command(scenario, inbox, warehouse), cwd=REPO_DIR, env=subprocess_env(), text=True,
        stdout=subprocess.DEVNULL if dagster else subprocess.PIPE,
        stderr=subprocess.PIPE if dagster else subprocess.STDOUT,
        start_new_session=True,  # its own process group: extraction workers die with it
    )
    kill = lambda: os.killpg(process.pid, signal.SIGKILL)  # noqa: E731
    watchdog = threading.Timer(KILL_TIMEOUT_S, kill)  # a scenario that never gets there must not hang
    watchdog.start()
    lines: list[str] = []
    try:
        for line in process.stderr if dagster else process.stdout:
            lines.append(line.rstrip())
            if _is_trigger(scenario, line):
                time.sleep(scenario.delay_s)
                break
            if line.startswith("DONE"):
                break
    finally:
        watchdog.cancel()
        kill()
        process.wait()
        (process.stderr if dagster else process.stdout).close()
    return {"returncode": process.returncode, "last_lines": lines[-3:],
            "triggered": any(_is_trigger(scenario, line) for line in lines)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "inbox")


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory):
    """A run that nobody kills: the reference contents."""
    warehouse = Warehouse(tmp_path_factory.mktemp("clean") / "ikrar.duckdb")
    summary = run_pipeline(corpus, warehouse, Limits(), batch_size=BATCH_SIZE)
    assert summary.reconciles
    con = connect_read_only(warehouse.published_path)
    try:
        rows = article_rows(con)
    finally:
        con.close()
    return content_digests(warehouse.published_path), rows


def _prepare(scenario: Scenario, corpus: Path, root: Path) -> tuple[Path, Warehouse]:
    inbox = root / "inbox"
    shutil.copytree(corpus, inbox, symlinks=True)
    warehouse = Warehouse(root / "wh" / "ikrar.duckdb")
    if scenario.point == "before_replace":
        # A complete earlier snapshot must survive a kill during the next publish: publish one without the
        # last ten files first, then put them back for the killed run.
        held_back = root / "held_back"
        held_back.mkdir()
        for path in sorted(inbox.glob("id_*.txt"))[-10:]:
            path.rename(held_back / path.name)
        run_pipeline(inbox, warehouse, Limits(), batch_size=BATCH_SIZE)
        scenario.outcome["earlier_snapshot"] = content_digests(warehouse.published_path)
        for path in held_back.iterdir():
            path.rename(inbox / path.name)
    return inbox, warehouse


@pytest.fixture(scope="module")
def crashed(corpus, clean, tmp_path_factory):
    """Every scenario, killed; then the state it left, and the state after a normal run completes the work."""
    prepared = {s.name: (s, *_prepare(s, corpus, tmp_path_factory.mktemp("crash"))) for s in SCENARIOS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        kills = {name: pool.submit(kill_when_ready, s, inbox, wh.published_path)
                 for name, (s, inbox, wh) in prepared.items()}
        for name, future in kills.items():
            prepared[name][0].outcome.update(future.result())
    for scenario, inbox, warehouse in prepared.values():
        scenario.outcome.update(_inspect_after_kill(warehouse))
        summary = run_pipeline(inbox, warehouse, Limits(), batch_size=BATCH_SIZE)
        scenario.outcome["recovered_reconciles"] = summary.reconciles
        scenario.outcome["recovered"] = content_digests(warehouse.published_path)
        scenario.outcome["temporary_files_after_recovery"] = _temporary_files(warehouse)
    return {name: scenario for name, (scenario, _, _) in prepared.items()}


def _temporary_files(warehouse: Warehouse) -> list[str]:
    return sorted(p.name for p in warehouse.published_path.parent.glob("*.tmp"))


def _inspect_after_kill(warehouse: Warehouse) -> dict:
    found: dict = {"temporary_files": _temporary_files(warehouse)}
    with warehouse.connect() as con:  # as the next run opens it (DuckDB replays or drops its log)
        found["work_problems"] = inconsistencies(con)
        found["work_rows"] = article_rows(con)
        found["versions"] = {row[0] for row in con.execute("SELECT DISTINCT pipeline_version FROM articles").fetchall()}
        found["statuses"] = dict(con.execute(
            "SELECT status, count(*) FROM raw_articles GROUP BY status").fetchall())
    if warehouse.published_path.exists():
        con = connect_read_only(warehouse.published_path)
        try:
            found["published_problems"] = inconsistencies(con)
        finally:
            con.close()
        found["published"] = content_digests(warehouse.published_path)
    return found


def test_the_consistency_check_sees_a_half_written_article(clean, corpus, tmp_path):
    warehouse = Warehouse(tmp_path / "ikrar.duckdb")
    run_pipeline(corpus, warehouse, Limits(), batch_size=BATCH_SIZE)
    with warehouse.connect() as con:
        con.execute("DELETE FROM sentences WHERE article_id = (SELECT min(article_id) FROM articles)")
        assert inconsistencies(con) == ["1 articles whose n_sentences disagrees with sentences"]


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_the_process_was_killed_where_intended(crashed, name):
    outcome = crashed[name].outcome
    assert (outcome["triggered"], outcome["returncode"]) == (True, -signal.SIGKILL), outcome["last_lines"]


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_no_half_written_article_after_the_kill(crashed, name):
    assert crashed[name].outcome["work_problems"] == []


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_every_article_left_by_the_kill_is_whole(crashed, clean, name):
    _, clean_rows = clean
    if crashed[name].outcome["versions"] - {pipeline_version()}:
        pytest.skip("the extraction code changed while the test ran (another process edited it)")
    left = crashed[name].outcome["work_rows"]
    differing = {article_id: sorted(table for table in rows if rows[table] != clean_rows[article_id][table])
                 for article_id, rows in left.items()}
    assert {article_id: tables for article_id, tables in differing.items() if tables} == {}


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_the_published_snapshot_is_never_partial(crashed, name):
    outcome = crashed[name].outcome
    if "published" in outcome:
        assert outcome["published_problems"] == []


def test_a_kill_during_publish_keeps_the_earlier_snapshot(crashed):
    outcome = crashed["before_replace"].outcome
    assert outcome["temporary_files"], "the kill should have left the temporary copy"
    assert outcome["published"] == outcome["earlier_snapshot"]


def test_a_kill_after_listing_leaves_pending_files_for_the_next_run(crashed):
    statuses = crashed["after_listing"].outcome["statuses"]
    assert statuses == {"pending": 63}  # 60 articles, 2 bad files, 1 duplicate: none extracted yet


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_the_next_run_completes_the_work(crashed, clean, name):
    digests, _ = clean
    outcome = crashed[name].outcome
    assert outcome["recovered_reconciles"] is True
    assert outcome["recovered"] == digests


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_the_next_publish_removes_temporary_files(crashed, name):
    assert crashed[name].outcome["temporary_files_after_recovery"] == []
