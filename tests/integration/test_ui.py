"""The Dagster UI as a user drives it: `dagster dev` on 127.0.0.1, a run launched through its GraphQL API.

Ad-hoc materializations from the UI use Dagster's multiprocess executor, so every step runs in its own
process: this proves that the steps take turns on the warehouse (its file lock) instead of failing.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from pipelines.config import REPO_DIR

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
ALL_ASSETS = ["raw_articles", "articles", "sentences", "entity_mentions", "entities", "commitments",
              "commitment_parties", "ingest_issues", "reporting_views", "warehouse_snapshot"]
LAUNCH = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
STATUS = """query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(port: int, query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def wait_until(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}")


def server_up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("ui")
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES, inbox)
    warehouse = tmp_path / "wh" / "ikrar.duckdb"
    warehouse.parent.mkdir()
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    port = free_port()
    env = {**os.environ, "IKRAR_INBOX": str(inbox), "IKRAR_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home),
           "PYTHONPATH": str(REPO_DIR)}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster")), "dev", "-m", "assets.definitions", "-h", "127.0.0.1",
         "-p", str(port)],
        cwd=REPO_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: server_up(port), 120, "the Dagster UI")
        yield port, warehouse
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def listening_addresses(port: int) -> list[str]:
    """IPv4/IPv6 addresses listening on ``port``, from the kernel's socket tables (hex, little-endian IPv4)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else address)
    return found


def test_ui_listens_on_loopback_only(dagster_dev):
    port, _ = dagster_dev
    assert listening_addresses(port) == ["127.0.0.1"]


def test_materialize_all_from_the_ui_with_steps_in_separate_processes(dagster_dev):
    port, warehouse = dagster_dev
    params = {"selector": {"repositoryLocationName": "assets.definitions", "repositoryName": "__repository__",
                           "jobName": "__ASSET_JOB", "assetSelection": [{"path": [a]} for a in ALL_ASSETS]},
              "runConfigData": {}}
    launched = graphql(port, LAUNCH, {"p": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    def finished():
        status = graphql(port, STATUS, {"id": run_id})["runOrError"]["status"]
        return status if status in ("SUCCESS", "FAILURE", "CANCELED") else None

    assert wait_until(finished, 300, "the run") == "SUCCESS"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    finally:
        con.close()
