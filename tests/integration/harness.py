"""Helpers (not fixtures) to materialize the whole asset graph in-process into a temporary warehouse."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from assets.definitions import defs
from assets.resources import InboxResource, WarehouseResource
from pipelines.warehouse import TABLES, table_digest


def materialize(inbox: Path, warehouse: Path, **config) -> dg.ExecuteInProcessResult:
    """Run every asset (and its checks) once, in this process, like `make demo` does across processes."""
    job = defs.resolve_job_def("ikrar_job")
    result = job.execute_in_process(
        run_config={"ops": {"extract_articles": {"config": {"workers": 1, **config}}}},
        resources={
            "inbox": InboxResource(path=str(inbox)),
            "warehouse": WarehouseResource(path=str(warehouse)),
        },
        raise_on_error=True,
    )
    assert result.success
    return result


def digests(warehouse: Path) -> dict[str, str]:
    """A digest of every table (run timestamps excluded), read from the published snapshot."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: table_digest(con, t, exclude=("last_seen_at",)) for t in TABLES if t != "warehouse_meta"}
    finally:
        con.close()


def query(warehouse: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def check_results(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {
        evaluation.check_name: evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }

