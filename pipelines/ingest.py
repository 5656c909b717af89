"""Keeping the warehouse in step with the inbox: what is new, changed, duplicated or gone, and loading it.

The warehouse mirrors the inbox: after a run, its tables hold exactly the articles of the files now in the
inbox, extracted by the current pipeline version. A re-run over an unchanged inbox changes nothing; an edited
file replaces its article's rows; a deleted file's article is removed (its content is still in the file's
history: the inbox is the source of truth, the warehouse a derived view of it).

Each batch of articles is written in one transaction, so a run killed at any moment leaves every article
either fully loaded or not at all, and the next run picks up what is left.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from multiprocessing import context as mp_context
from multiprocessing import popen_forkserver, spawn
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from pipelines import fork_server
from pipelines.config import Limits, default_inbox, default_warehouse, limits_from_env, pipeline_version
from pipelines.inbox import (
    InboxFile,
    InboxReadError,
    KnownHash,
    article_id_for,
    read_inbox_file,
    resolve_inbox,
    scan_inbox,
)
from pipelines.parse.types import IngestError, Issue
from pipelines.quality import CHECKED_THROUGH_KEY
from pipelines.warehouse import (
    ARTICLE_TABLES,
    ENTITIES_BUILT_THROUGH_KEY,
    Warehouse,
    create_reporting_views,
    ddl_schemas,
    delete_articles,
    hold_mark_before,
    insert_rows,
    rebuild_entities,
    registered,
    rows_to_arrow,
    set_meta,
)

if TYPE_CHECKING:
    from pipelines.extract import ArticleRows

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass
class ScanSummary:
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unreadable: int = 0
    removed: int = 0  # files gone from the inbox
    removed_articles: int = 0  # articles whose content is no longer in any file (deleted or edited files)


# A recorded hash is trusted only for files that were already this much older than the listing that recorded (or
# last confirmed) it: a file written in the same timestamp tick as that listing could be rewritten with the same
# size and modification time just after it (git's "racily clean" case), so it is read again next time. The
# margin also covers a file system whose clock runs a little ahead of this machine's (network shares).
RACY_MARGIN_S = 2


def known_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, KnownHash]:
    """The manifest's hashes that ``scan_inbox`` may reuse for files whose size and mtime are unchanged."""
    rows = con.execute(
        """
        SELECT source_path, size_bytes, modified_at, content_sha256 FROM raw_articles
        WHERE content_sha256 IS NOT NULL AND status <> 'unreadable'
          AND modified_at < last_seen_at - to_seconds(?::BIGINT)
        """,
        [RACY_MARGIN_S],
    ).fetchall()
    return {path: KnownHash(size, modified, sha) for path, size, modified, sha in rows}


def sync_manifest(con: duckdb.DuckDBPyConnection, files: Iterable[InboxFile], now: datetime) -> ScanSummary:
    """Record the inbox as it is now in ``raw_articles`` (one transaction, one bulk upsert).

    The listing goes to DuckDB as one Arrow table (a few primitive columns per file, no per-file objects kept)
    and is compared with the manifest in SQL: the upsert costs the same whether the inbox holds 100 or 40,000
    files, and stays within a small DuckDB memory limit.
    """
    listing, problems = _listing_table(files)
    con.register("_ikrar_listing", listing)
    try:
        summary = _compare_with_manifest(con)
        con.execute("BEGIN TRANSACTION")
        try:
            _upsert_listing(con, now)
            _restate_listing_problems(con, problems, now)
            # In the same transaction, so that the manifest and the articles agree even if no extraction
            # follows (a run killed after listing, or only this step materialized).
            summary.removed_articles = _delete_orphans(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.unregister("_ikrar_listing")
    return summary


def _listing_table(files: Iterable[InboxFile]) -> tuple[pa.Table, list[InboxFile]]:
    columns: dict[str, list] = {name: [] for name in ("source_path", "size_bytes", "modified_at", "sha256")}
    readable: list[bool] = []
    problems: list[InboxFile] = []
    for item in files:
        columns["source_path"].append(item.source_path)
        columns["size_bytes"].append(item.size_bytes)
        columns["modified_at"].append(item.modified_at)
        columns["sha256"].append(item.sha256)
        readable.append(item.problem is None)
        if item.problem:
            problems.append(item)
    table = pa.table({
        "source_path": pa.array(columns["source_path"], pa.string()),
        "size_bytes": pa.array(columns["size_bytes"], pa.int64()),
        "modified_at": pa.array(columns["modified_at"], pa.timestamp("us")),
        "sha256": pa.array(columns["sha256"], pa.string()),
        "readable": pa.array(readable, pa.bool_()),
    })
    return table, problems


def _compare_with_manifest(con: duckdb.DuckDBPyConnection) -> ScanSummary:
    """New, changed, unchanged, unreadable and removed files: the listing against the manifest."""
    files_seen, unreadable, new, changed, unchanged = con.execute(
        """
        SELECT count(*), count(*) FILTER (WHERE NOT l.readable),
               count(*) FILTER (WHERE l.readable AND r.source_path IS NULL),
               count(*) FILTER (WHERE l.readable AND r.source_path IS NOT NULL
                                AND r.content_sha256 IS DISTINCT FROM l.sha256),
               count(*) FILTER (WHERE l.readable AND r.content_sha256 = l.sha256)
        FROM _ikrar_listing AS l LEFT JOIN raw_articles AS r USING (source_path)
        """
    ).fetchone()
    removed = con.execute(
        "SELECT count(*) FROM raw_articles WHERE source_path NOT IN (SELECT source_path FROM _ikrar_listing)"
    ).fetchone()[0]
    return ScanSummary(files_seen=files_seen, new=new, changed=changed, unchanged=unchanged,
                       unreadable=unreadable, removed=removed)


def _upsert_listing(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Inside a transaction: files gone from the inbox leave the manifest; the others are inserted or updated."""
    con.execute("DELETE FROM ingest_issues WHERE source_path IN (SELECT source_path FROM raw_articles "
                "WHERE source_path NOT IN (SELECT source_path FROM _ikrar_listing))")
    con.execute("DELETE FROM raw_articles WHERE source_path NOT IN (SELECT source_path FROM _ikrar_listing)")
    con.execute(
        """
        INSERT INTO raw_articles AS r (source_path, size_bytes, modified_at, content_sha256, status,
                                      first_seen_at, last_seen_at)
        SELECT source_path, size_bytes, modified_at, sha256,
               CASE WHEN readable THEN 'pending' ELSE 'unreadable' END, ?::TIMESTAMP, ?::TIMESTAMP
        FROM _ikrar_listing
        ON CONFLICT (source_path) DO UPDATE SET
            size_bytes = excluded.size_bytes,
            modified_at = excluded.modified_at,
            content_sha256 = excluded.content_sha256,
            status = CASE WHEN r.content_sha256 IS NOT DISTINCT FROM excluded.content_sha256
                          AND excluded.status <> 'unreadable' THEN r.status ELSE excluded.status END,
            last_seen_at = excluded.last_seen_at
        """,
        [now, now],
    )


def _restate_listing_problems(con: duckdb.DuckDBPyConnection, problems: Sequence[InboxFile],
                              now: datetime) -> None:
    """Problems found while listing are re-checked each run (the file may have been fixed meanwhile).

    A problem that is still the same keeps its row (and its first ``seen_at``), so that re-running over an
    unchanged inbox leaves ``ingest_issues`` identical.
    """
    recorded: dict[str, set[tuple[str, str]]] = defaultdict(set)
    if not problems:
        return
    with registered(con, "_ikrar_paths", _paths_table(f.source_path for f in problems)):
        for path, code, message in con.execute(
            "SELECT source_path, code, message FROM ingest_issues WHERE source_path IN "
            "(SELECT source_path FROM _ikrar_paths)"
        ).fetchall():
            recorded[path].add((code, message))
    changed = [f for f in problems if recorded.get(f.source_path) != {(f.problem.code, f.problem.message)}]
    with registered(con, "_ikrar_paths", _paths_table(f.source_path for f in changed)):
        con.execute("DELETE FROM ingest_issues WHERE source_path IN (SELECT source_path FROM _ikrar_paths)")
    _record_issues(con, [(f.source_path, None, f.problem) for f in changed], now)


def _paths_table(paths: Iterable[str]) -> pa.Table:
    return pa.table({"source_path": pa.array(list(paths), pa.string())})


def _record_issues(con: duckdb.DuckDBPyConnection, issues: Sequence[tuple[str, str | None, Issue]],
                   now: datetime) -> None:
    insert_rows(con, "ingest_issues", [
        {"source_path": path, "content_sha256": sha, "severity": issue.severity, "code": issue.code,
         "message": issue.message, "seen_at": now}
        for path, sha, issue in issues
    ])


@dataclass(frozen=True)
class WorkItem:
    source_path: str
    sha256: str


@dataclass
class LoadSummary:
    files_seen: int = 0
    loaded: int = 0
    quarantined: int = 0
    duplicates: int = 0
    unchanged: int = 0
    unreadable: int = 0
    removed_articles: int = 0
    warnings: int = 0
    batches: int = 0
    pending: int = 0  # files left unprocessed (should be 0 after a run)

    @property
    def reconciles(self) -> bool:
        """Files seen = loaded + quarantined + unreadable + duplicates + unchanged, and nothing left pending."""
        accounted = self.loaded + self.quarantined + self.unreadable + self.duplicates + self.unchanged
        return self.pending == 0 and self.files_seen == accounted


def remove_orphans(con: duckdb.DuckDBPyConnection) -> int:
    """Delete articles whose content is no longer in the inbox (file deleted or edited)."""
    con.execute("BEGIN TRANSACTION")
    try:
        removed = _delete_orphans(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return removed


def _delete_orphans(con: duckdb.DuckDBPyConnection) -> int:
    """Inside a transaction: articles, and issues, of content no file in the manifest holds any more."""
    orphans = [row[0] for row in con.execute(
        "SELECT article_id FROM articles WHERE content_sha256 NOT IN "
        "(SELECT content_sha256 FROM raw_articles WHERE content_sha256 IS NOT NULL)"
    ).fetchall()]
    delete_articles(con, orphans)
    con.execute("DELETE FROM ingest_issues WHERE source_path NOT IN (SELECT source_path FROM raw_articles)")
    return len(orphans)


def plan_work(con: duckdb.DuckDBPyConnection, version: str, now: datetime) -> tuple[list[WorkItem], int]:
    """Decide which files to extract; settle duplicates and renames without extraction.

    Returns the files to extract (one per distinct content: the first path in sort order) and the number of
    files recorded as duplicates of another file's content.
    """
    rows = con.execute(
        """
        SELECT source_path, content_sha256, processed_sha256, processed_version, status
        FROM raw_articles WHERE content_sha256 IS NOT NULL ORDER BY source_path
        """
    ).fetchall()
    loaded = dict(con.execute("SELECT article_id, pipeline_version FROM articles").fetchall())
    primary_of: dict[str, str] = {}
    todo: list[WorkItem] = []
    duplicates: list[tuple[str, str, str]] = []
    settled: list[tuple[str, str]] = []
    n_duplicates = 0
    for path, sha, done_sha, done_version, status in rows:
        settled_before = done_sha == sha and done_version == version
        if sha in primary_of:
            n_duplicates += 1
            if not (settled_before and status == "duplicate"):
                duplicates.append((path, sha, primary_of[sha]))
            continue
        primary_of[sha] = path
        if settled_before and status in ("loaded", "quarantined"):
            continue
        if loaded.get(article_id_for(sha)) == version:
            settled.append((path, sha))  # same content already extracted under another name: a rename
        else:
            todo.append(WorkItem(path, sha))
    _settle(con, duplicates, settled, version, now)
    return todo, n_duplicates


def _settle(con: duckdb.DuckDBPyConnection, duplicates: list[tuple[str, str, str]],
            renamed: list[tuple[str, str]], version: str, now: datetime) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        for path, sha, primary in duplicates:
            con.execute(
                "UPDATE raw_articles SET status = 'duplicate', article_id = ?, processed_sha256 = ?, "
                "processed_version = ? WHERE source_path = ?",
                [article_id_for(sha), sha, version, path],
            )
            con.execute("DELETE FROM ingest_issues WHERE source_path = ?", [path])
            _record_issues(con, [(path, sha, Issue("info", "duplicate_content",
                                                   f"same content as {primary}; loaded once from there"))], now)
        for path, sha in renamed:
            article_id = article_id_for(sha)
            con.execute("UPDATE articles SET source_path = ? WHERE article_id = ?", [path, article_id])
            con.execute(
                "UPDATE raw_articles SET status = 'loaded', article_id = ?, processed_sha256 = ?, "
                "processed_version = ? WHERE source_path = ?",
                [article_id, sha, version, path],
            )
            con.execute("DELETE FROM ingest_issues WHERE source_path = ?", [path])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


# --- extraction (runs in worker processes) ---------------------------------------------------------------

# A worker process is replaced after about this many articles: spaCy's StringStore keeps every string it has seen,
# so a long-lived worker grows with the corpus. Workers are forked from a server that has loaded the pipelines, so
# a replacement starts in milliseconds and shares the loaded models' pages with its siblings.
ARTICLES_PER_WORKER = 600
# Articles per batch (one worker task, one transaction) by default. Each batch costs the single writer a fixed
# couple of dozen DuckDB statements and a commit, run on the cores the workers extract on; at 50 articles that
# writer time was about a sixth of the workers' extraction time.
DEFAULT_BATCH_SIZE = 100
# Up to this many files are extracted in the writer itself: it builds only the languages it meets (the Indonesian
# pipeline alone takes ~2.4 s, English ~1 s), where the workers' fork server starts an interpreter and builds both
# (~5 s) before the first file; two workers only win that back from a few dozen files on. A server already started
# (at the very start of a run, see ``fork_server``) has had that head start, so it takes the few files too.
IN_PROCESS_MAX_FILES = 20
# The module the workers' fork server imports before it forks anyone: it builds the spaCy pipelines.
WORKER_PRELOAD = fork_server.WORKER_PRELOAD


@dataclass
class FileOutcome:
    """What happened to one file; its rows travel separately, in the batch's Arrow tables."""

    source_path: str
    sha256: str  # of the bytes actually read (the file may have changed since the listing)
    article_id: str | None = None  # set when the file was extracted
    encoding: str | None = None
    issues: list[Issue] = field(default_factory=list)  # warnings and notes of an extracted file
    error: Issue | None = None  # why the file is quarantined
    rows: ArticleRows | None = None  # inside the worker only: moved into the batch's tables before it returns

    @property
    def extracted(self) -> bool:
        return self.article_id is not None


@dataclass
class ExtractedBatch:
    """One batch's result: a function of its files' bytes and the pipeline version only.

    ``tables`` holds one Arrow table per article table (columns built once per batch, typed by the DDL), so a
    batch pickles compactly between processes and loads with one ``INSERT … BY NAME`` per table.
    """

    outcomes: list[FileOutcome]
    tables: dict[str, pa.Table]


@cache
def _nlp(lang: str):
    from pipelines.nlp.pipeline import build_nlp

    return build_nlp(lang)


def load_pipelines() -> None:
    """Load every language's pipeline now (in the workers' fork server, so that every worker inherits it)."""
    from pipelines.nlp.pipeline import SUPPORTED_LANGUAGES

    for lang in SUPPORTED_LANGUAGES:
        _nlp(lang)


def extract_articles(files: Sequence[tuple[bytes, str]], **options) -> Iterator[ArticleRows | Exception]:
    """``pipelines.extract.extract_articles``, imported on first use: spaCy (about a second of imports and tens of
    megabytes) stays out of the writer process unless it extracts in-process itself."""
    from pipelines.extract import extract_articles as extract

    return extract(files, **options)


def extract_file(inbox: Path, item: WorkItem, limits: Limits, processed_at: datetime) -> FileOutcome:
    """One file to one outcome: its rows, or the issue that quarantines it. Never raises for a bad file."""
    [outcome] = extract_files(inbox, [item], limits, processed_at)
    return outcome


def extract_files(inbox: Path, items: Sequence[WorkItem], limits: Limits,
                  processed_at: datetime) -> list[FileOutcome]:
    """Files to outcomes, in order, their docs annotated together (``nlp.pipe``). Never raises for a bad file."""
    outcomes: list[FileOutcome | None] = []
    readable: list[tuple[bytes, str]] = []
    for item in items:
        try:
            readable.append((read_inbox_file(inbox, item.source_path, limits.max_file_bytes), item.source_path))
            outcomes.append(None)  # filled in below, once the readable files are extracted
        except InboxReadError as error:  # changed since the listing: gone, replaced, grown, locked
            outcomes.append(FileOutcome(item.source_path, item.sha256, error=error.issue))
    results = extract_articles(readable, nlp_for=_nlp, limits=limits, processed_at=processed_at)
    extracted = (_outcome(data, source_path, result)
                 for (data, source_path), result in zip(readable, results, strict=True))
    return [outcome if outcome is not None else next(extracted) for outcome in outcomes]


def _outcome(data: bytes, source_path: str, result: ArticleRows | Exception) -> FileOutcome:
    sha = hashlib.sha256(data).hexdigest()
    if isinstance(result, IngestError):
        return FileOutcome(source_path, sha, error=Issue("error", result.code, result.message))
    if isinstance(result, Exception):  # a bug must not take the other articles down: quarantine and say so
        log.error("extraction failed for %s", source_path, exc_info=result)
        return FileOutcome(source_path, sha, error=Issue(
            "error", "extraction_failed", f"{type(result).__name__}: {result}"))
    return FileOutcome(source_path, sha, result.article_id, result.encoding, list(result.issues), rows=result)


def extract_batch(inbox: Path, items: Sequence[WorkItem], limits: Limits,
                  processed_at: datetime) -> ExtractedBatch:
    from pipelines.extract import PIPE_BATCH_SIZE

    outcomes: list[FileOutcome] = []
    rows_by_table: dict[str, list[dict]] = {table: [] for table in ARTICLE_TABLES}
    for chunk in batched(items, PIPE_BATCH_SIZE):  # a chunk's files (bytes and docs) are in memory together
        for outcome in extract_files(inbox, chunk, limits, processed_at):
            outcomes.append(outcome)
            if outcome.rows is not None:
                for table, table_rows in outcome.rows.tables.items():
                    rows_by_table[table].extend(table_rows)
                outcome.rows = None
    schemas = ddl_schemas()
    tables = {table: rows_to_arrow(rows, schemas[table]) for table, rows in rows_by_table.items() if rows}
    return ExtractedBatch(outcomes, tables)


def batched(items: Sequence[WorkItem], size: int) -> Iterator[Sequence[WorkItem]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def extract_all(inbox: Path, todo: Sequence[WorkItem], limits: Limits, processed_at: datetime,
                workers: int, batch_size: int) -> Iterator[ExtractedBatch]:
    """Yield extracted batches as they complete; in worker processes when ``workers`` > 1.

    Batches are independent (one per distinct content, each loaded in its own transaction), so they are yielded
    in completion order: a long batch never leaves a worker idle behind it. At most two batches per worker are in
    flight, so memory does not grow with the corpus, and each worker exits after about ``ARTICLES_PER_WORKER``
    articles (its replacement starts fresh), which bounds spaCy's string stores. A small run is cut into one batch
    per worker, so that every worker takes part; a handful of files is extracted in this process, which builds
    only the languages it meets (see ``IN_PROCESS_MAX_FILES``).
    """
    if not todo:
        return
    if workers <= 1 or (len(todo) <= IN_PROCESS_MAX_FILES and not fork_server.running()):
        ddl_schemas()
        for batch in batched(todo, batch_size):
            yield extract_batch(inbox, batch, limits, processed_at)
        return
    size = min(batch_size, -(-len(todo) // workers))
    batches = list(batched(todo, size))
    while batches:
        crashed: list[WorkItem] = []
        yield from _extract_in_pool(inbox, batches, limits, processed_at, workers, size, crashed)
        # A worker died (killed, out of memory, a crash in native code): the pool is broken and every batch it
        # held is lost. Their files are extracted again one process each, so the file that kills its process
        # is quarantined alone; then the batches never submitted go on in a new pool.
        for item in crashed:
            yield extract_isolated(inbox, item, limits, processed_at)


def _extract_in_pool(inbox: Path, batches: list[Sequence[WorkItem]], limits: Limits, processed_at: datetime,
                     workers: int, size: int, crashed: list[WorkItem]) -> Iterator[ExtractedBatch]:
    """Submit ``batches`` (consumed from the front) and yield their results; on a worker's death, stop, leave the
    unsubmitted batches in ``batches`` and put the files of the lost ones in ``crashed``."""
    pending: dict[Future, Sequence[WorkItem]] = {}
    with extraction_pool(workers, max(1, ARTICLES_PER_WORKER // size)) as pool:
        while batches or pending:
            while batches and len(pending) < 2 * workers:
                batch = batches.pop(0)
                pending[pool.submit(extract_batch, inbox, batch, limits, processed_at)] = batch
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                items = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    crashed.extend(items)
                    continue
                yield result
            if crashed:
                for items in pending.values():
                    crashed.extend(items)
                return


def extract_isolated(inbox: Path, item: WorkItem, limits: Limits, processed_at: datetime) -> ExtractedBatch:
    """One file in a process of its own: its batch, or its quarantine if the process dies on it."""
    with extraction_pool(1, 1) as pool:
        try:
            return pool.submit(extract_batch, inbox, [item], limits, processed_at).result()
        except BrokenProcessPool:
            log.error("the extraction process died on %s", item.source_path)
            issue = Issue("error", "extraction_crashed", "the extraction process died on this file (killed, out of "
                          "memory or a crash in native code); the other files load")
            return ExtractedBatch([FileOutcome(item.source_path, item.sha256, error=issue)], {})


def start_extraction_server(*, speculative: bool = False) -> None:
    """Start the workers' fork server now (see ``fork_server.start``); it preloads ``WORKER_PRELOAD``."""
    fork_server.start(WORKER_PRELOAD, speculative=speculative)


def drop_speculative_extraction_server() -> None:
    """Stop the fork server if it was started on the chance of work and the listing found none for it."""
    fork_server.drop_speculative()


@contextmanager
def extraction_pool(workers: int, tasks_per_worker: int) -> Iterator[ProcessPoolExecutor]:
    """Workers forked by a "forkserver", never by this process.

    This process is the warehouse writer: its DuckDB cache, Arrow tables and Dagster state grow during a run, and
    a worker forked from it would carry a copy-on-write image of all that. The fork server is a fresh interpreter
    that only imports ``WORKER_PRELOAD`` (which builds the spaCy pipelines), so every worker, first or
    replacement, starts from the same small image whatever this process holds. The server outlives the pool
    (one per interpreter), so a second run in the same process does not load the models again.
    """
    context = _WorkerContext()
    fork_server.start(WORKER_PRELOAD)  # confirms a server started early; starts one otherwise
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=tasks_per_worker)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _WorkerPopen(popen_forkserver.Popen):
    """Starts a worker through the fork server without re-importing this process's ``__main__`` in it.

    The standard launcher asks every child to import the parent's main module (``assets.materialize``, the Dagster
    CLI, …) before it runs its task: a second or more of Dagster imports and ~50 MB per worker, for nothing, as the
    task (``extract_batch``) lives in an ordinary module. The launch itself stays the standard one; only the
    preparation data it sends loses its main-module entries, for the duration of this launch.
    """

    def _launch(self, process_obj) -> None:
        # The executor's manager thread also starts workers (it replaces retired ones): one launch at a time, so
        # the standard function is always the one put back.
        with _LAUNCH_LOCK:
            standard = spawn.get_preparation_data

            def without_main_module(name: str) -> dict:
                data = standard(name)
                data.pop("init_main_from_name", None)
                data.pop("init_main_from_path", None)
                return data

            spawn.get_preparation_data = without_main_module
            try:
                super()._launch(process_obj)
            finally:
                spawn.get_preparation_data = standard


_LAUNCH_LOCK = threading.Lock()


class _WorkerProcess(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _WorkerPopen(process_obj)


class _WorkerContext(mp_context.ForkServerContext):
    Process = _WorkerProcess


# --- loading (the single writer) --------------------------------------------------------------------------


def load_batch(con: duckdb.DuckDBPyConnection, batch: ExtractedBatch, version: str,
               now: datetime) -> tuple[int, int, int]:
    """Write one batch in one transaction: one statement per table. Returns (loaded, quarantined, warnings)."""
    outcomes = batch.outcomes
    issues = [(o.source_path, o.sha256, issue) for o in outcomes for issue in o.issues]
    issues += [(o.source_path, o.sha256, o.error) for o in outcomes if o.error is not None]
    warnings = sum(1 for o in outcomes for issue in o.issues if issue.severity == "warning")
    loaded = sum(1 for o in outcomes if o.extracted)
    con.execute("BEGIN TRANSACTION")
    try:
        with registered(con, "_ikrar_marks", _marks_table(outcomes)):
            # Extracting an article again replaces its rows (same content, new pipeline version). An article's rows
            # are written and deleted together with its ``articles`` row, so when none of the batch's articles is
            # there, no table holds rows of theirs: the usual case, spared six scans of tables that grow with the run.
            if _any_loaded(con):
                for table in ARTICLE_TABLES:
                    con.execute(f"DELETE FROM {table} WHERE article_id IN "  # table: one of ARTICLE_TABLES
                                "(SELECT article_id FROM _ikrar_marks WHERE article_id IS NOT NULL)")
            con.execute("DELETE FROM ingest_issues WHERE source_path IN (SELECT source_path FROM _ikrar_marks)")
            for table, rows in batch.tables.items():
                insert_rows(con, table, rows)
            _record_issues(con, issues, now)
            # content_sha256 too: the file may have changed since the listing, and the manifest must describe
            # the bytes that were actually loaded (or the orphan sweep would remove them again).
            con.execute(
                """
                UPDATE raw_articles SET status = m.status, article_id = m.article_id, encoding = m.encoding,
                       content_sha256 = m.sha256, processed_sha256 = m.sha256, processed_version = ?
                FROM _ikrar_marks AS m WHERE raw_articles.source_path = m.source_path
                """,
                [version],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return loaded, len(outcomes) - loaded, warnings


# While batches are loaded, the writer shares the cores with the extraction workers. DuckDB's parallel operators on
# these small per-batch statements cost about twice the CPU of one thread, and its default checkpoint every 16 MB
# of log rewrites the tables' last row groups over and over: the writer's CPU for 10,000 articles fell from 19 s to
# 8 s with both settings (measured by replaying extracted batches), time the workers get back. Commits stay
# durable (the log is written and synced as before); a crash only leaves a longer log to replay on the next open.
BULK_LOAD_THREADS = 1
BULK_LOAD_CHECKPOINT = "128MB"


@contextmanager
def bulk_loading(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The bulk-load settings above for the duration of the block; the connection's own values afterwards."""
    threads, checkpoint = con.execute(
        "SELECT current_setting('threads'), current_setting('wal_autocheckpoint')").fetchone()
    try:
        con.execute("SET threads = ?", [BULK_LOAD_THREADS])
        con.execute("SET wal_autocheckpoint = ?", [BULK_LOAD_CHECKPOINT])
        yield
    finally:
        con.execute("SET threads = ?", [threads])
        con.execute("SET wal_autocheckpoint = ?", [checkpoint])


def _any_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any article of ``_ikrar_marks`` already has rows (a re-extraction)."""
    return con.execute("SELECT EXISTS (SELECT 1 FROM articles WHERE article_id IN "
                       "(SELECT article_id FROM _ikrar_marks WHERE article_id IS NOT NULL))").fetchone()[0]


def _marks_table(outcomes: Sequence[FileOutcome]) -> pa.Table:
    """What the manifest records for each file of a batch."""
    return pa.table({
        "source_path": pa.array([o.source_path for o in outcomes], pa.string()),
        "status": pa.array(["loaded" if o.extracted else "quarantined" for o in outcomes], pa.string()),
        "article_id": pa.array([o.article_id for o in outcomes], pa.string()),
        "encoding": pa.array([o.encoding for o in outcomes], pa.string()),
        "sha256": pa.array([o.sha256 for o in outcomes], pa.string()),
    })


def run_extraction(con: duckdb.DuckDBPyConnection, inbox: Path, limits: Limits, *, workers: int = 1,
                   batch_size: int = DEFAULT_BATCH_SIZE, progress: Progress | None = None) -> LoadSummary:
    """Bring the article tables in step with the manifest written by ``sync_manifest``."""
    version = pipeline_version()
    now = utc_now()
    for mark in (CHECKED_THROUGH_KEY, ENTITIES_BUILT_THROUGH_KEY):
        hold_mark_before(con, mark, now)  # this run's articles are stamped ``now``: no derived work covers them yet
    summary = LoadSummary()
    summary.removed_articles = remove_orphans(con)
    todo, summary.duplicates = plan_work(con, version, now)
    if not todo:
        drop_speculative_extraction_server()  # the new files were renames or duplicates: nothing for it to do
    total = len(todo)
    if progress:
        progress(f"{total} file(s) to extract in batches of {batch_size} with {workers} worker(s)")
    done = 0
    with bulk_loading(con):
        for batch in extract_all(inbox, todo, limits, now, workers, batch_size):
            loaded, quarantined, warnings = load_batch(con, batch, version, now)
            summary.loaded += loaded
            summary.quarantined += quarantined
            summary.warnings += warnings
            summary.batches += 1
            done += len(batch.outcomes)
            if progress:
                progress(f"batch {summary.batches}: {done}/{total} files extracted "
                         f"({summary.loaded} loaded, {summary.quarantined} quarantined)")
    counts = dict(con.execute("SELECT status, count(*) FROM raw_articles GROUP BY status").fetchall())
    summary.files_seen = sum(counts.values())
    summary.unreadable = counts.get("unreadable", 0)
    summary.pending = counts.get("pending", 0)
    summary.unchanged = counts.get("loaded", 0) + counts.get("quarantined", 0) - summary.loaded \
        - summary.quarantined
    set_meta(con, "pipeline_version", version)
    set_meta(con, "last_extraction_at", now.isoformat())
    return summary


def rehash_from_env() -> bool:
    """``IKRAR_REHASH=1``: hash every inbox file again (catches edits that kept both size and mtime)."""
    return os.environ.get("IKRAR_REHASH", "").strip().lower() in ("1", "true", "yes")


# --- one whole run without Dagster (`python -m pipelines.ingest`) ------------------------------------------


def run_pipeline(inbox: Path, warehouse: Warehouse, limits: Limits, *, workers: int = 1,
                 batch_size: int = DEFAULT_BATCH_SIZE, progress: Progress | None = None,
                 rehash: bool = False) -> LoadSummary:
    """What ``ikrar_job`` does, step by step in one process: list, extract, entities, views, publish.

    Each step takes the warehouse lock on its own, as the Dagster steps do, so a run killed between steps
    leaves the same states a killed Dagster run leaves.
    """
    root = resolve_inbox(inbox)
    if workers > 1:
        start_extraction_server(speculative=True)  # builds the pipelines while this process lists the inbox
    with warehouse.connect() as con:
        now = utc_now()  # before the listing: the racy-file margin is measured from it
        known = None if rehash else known_hashes(con)
        scanned = sync_manifest(con, scan_inbox(root, limits.max_file_bytes, known), now)
    if workers > 1 and scanned.new + scanned.changed > IN_PROCESS_MAX_FILES:
        start_extraction_server()  # there is work for it
    elif scanned.new + scanned.changed == 0:
        drop_speculative_extraction_server()
    if progress:
        progress(f"listed {scanned.files_seen} file(s): {scanned.new} new, {scanned.changed} changed")
    with warehouse.connect() as con:
        summary = run_extraction(con, root, limits, workers=workers, batch_size=batch_size, progress=progress)
        rebuild_entities(con)
    with warehouse.connect() as con:
        create_reporting_views(con)
    warehouse.publish()
    if progress:
        progress(f"published {warehouse.published_path}")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.ingest", description=run_pipeline.__doc__)
    parser.add_argument("--inbox", type=Path, default=default_inbox())
    parser.add_argument("--warehouse", type=Path, default=default_warehouse())
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--rehash", action="store_true", default=rehash_from_env(),
                        help="read and hash every inbox file, even those whose size and mtime are unchanged")
    args = parser.parse_args(argv)
    summary = run_pipeline(args.inbox, Warehouse(args.warehouse.expanduser().resolve()), limits_from_env(),
                           workers=args.workers, batch_size=args.batch_size,
                           progress=lambda line: print(line, flush=True), rehash=args.rehash)
    print(f"files_seen={summary.files_seen} loaded={summary.loaded} quarantined={summary.quarantined} "
          f"unreadable={summary.unreadable} duplicates={summary.duplicates} unchanged={summary.unchanged} "
          f"reconciles={summary.reconciles}", flush=True)
    return 0 if summary.reconciles else 1


if __name__ == "__main__":
    sys.exit(main())
