"""Asset checks for the extraction tables, evaluated inside the extraction step.

They run in the step that wrote the data (not as separate steps) so that no second process opens the work
database while it is being written. The invariants within an article check the articles loaded since they last
passed (``articles_checked``); those across articles check the whole warehouse (``all``).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager

import dagster as dg
import duckdb

from pipelines.quality import INVARIANTS, CheckOutcome, run_all

EXTRACTION_CHECK_SPECS = [
    dg.AssetCheckSpec(name=invariant.name, asset=invariant.table, description=invariant.description)
    for invariant in INVARIANTS
]


# Up to this many newly loaded articles the checks run beside the metadata reads; a larger check (a backfill's,
# over every article) runs first and alone, so that its memory and theirs do not add up.
CHECKS_ALONGSIDE_MAX_ARTICLES = 2_000


@contextmanager
def checks_running(con: duckdb.DuckDBPyConnection, new_articles: int) -> Iterator[Future[list[CheckOutcome]]]:
    """The checks, run on a cursor of their own by another thread while this one goes on (it reads the tables'
    metadata meanwhile): DuckDB does the work outside Python's lock, on the core the step leaves idle. After a
    large load they are run here, before the block."""
    if new_articles > CHECKS_ALONGSIDE_MAX_ARTICLES:
        done: Future[list[CheckOutcome]] = Future()
        done.set_result(run_all(con))
        yield done
        return
    with closing(con.cursor()) as cursor, ThreadPoolExecutor(max_workers=1, thread_name_prefix="ikrar-checks") as pool:
        yield pool.submit(run_all, cursor)


def check_results(outcomes: list[CheckOutcome]) -> Iterator[dg.AssetCheckResult]:
    for outcome in outcomes:
        metadata = {"violations": outcome.n_violations, "examples": str(outcome.examples)}
        # Per-article invariants look at the articles loaded since they last all passed (pipelines.quality).
        metadata["articles_checked"] = "all" if outcome.n_articles is None else outcome.n_articles
        yield dg.AssetCheckResult(
            asset_key=outcome.invariant.table,
            check_name=outcome.invariant.name,
            passed=outcome.passed,
            metadata=metadata,
        )
