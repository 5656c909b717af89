"""DuckDB I/O: the only module that talks to the warehouse files.

Two files, so that analysts are never locked out and never see half-written data:
- the *work* database (``<name>.work.duckdb``), written by one pipeline process at a time under a file lock;
- the *published* snapshot (the ``IKRAR_WAREHOUSE`` path, e.g. ``data/ikrar.duckdb``), a copy of the work
  database that replaces the previous snapshot atomically (``os.replace``). A reader that has the old snapshot
  open keeps reading it; the next connection sees the new one. The pipeline never opens the snapshot for writing.

All DDL and reporting SQL lives in ``sql/`` (one file per relation); values travel as ``?`` parameters or as
registered Arrow tables, never by string formatting.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.config import SQL_DIR, duckdb_memory_limit, schema_version

# Tables in dependency order; every one has a file sql/schema/<name>.sql.
TABLES = (
    "warehouse_meta",
    "raw_articles",
    "articles",
    "sentences",
    "entity_mentions",
    "entity_observations",
    "entities",
    "commitments",
    "commitment_parties",
    "ingest_issues",
)
# Tables whose rows belong to one article and are replaced together when the article is (re-)extracted.
ARTICLE_TABLES = (
    "articles", "sentences", "entity_mentions", "entity_observations", "commitments", "commitment_parties",
)
REPORTING_VIEWS = tuple(sorted(p.stem for p in (SQL_DIR / "reporting").glob("*.sql")))

# A pipeline step waits for the lock as long as its holder lives (flock is released when a process dies, even
# by SIGKILL), so steps of concurrent runs queue up instead of failing; pass a timeout to give up earlier.
LOCK_TIMEOUT_S: float | None = None
LOCK_POLL_S = 0.2

class WarehouseLockTimeout(RuntimeError):
    """Another pipeline process held the work database for longer than the timeout."""


def read_sql(relative_path: str) -> str:
    return (SQL_DIR / relative_path).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Warehouse:
    """Paths of one warehouse: the published snapshot and the pipeline's private work files."""

    published_path: Path

    @property
    def work_path(self) -> Path:
        return self.published_path.with_name(self.published_path.stem + ".work.duckdb")

    @property
    def lock_path(self) -> Path:
        return self.published_path.with_name(self.published_path.stem + ".work.lock")

    @contextmanager
    def lock(self, timeout_s: float | None = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Serialise pipeline processes (``dagster dev`` runs steps in separate processes)."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            deadline = None if timeout_s is None else time.monotonic() + timeout_s
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        raise WarehouseLockTimeout(f"{self.lock_path} held for over {timeout_s:.1f}s") from None
                    time.sleep(LOCK_POLL_S)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def session(self) -> Iterator[None]:
        """Hold the work database (its lock and one open DuckDB database) until the block ends, so that every
        ``connect`` and ``publish`` of this process inside it shares them (re-entrant).

        A run's steps in one process (Dagster's in-process executor) then share a warm database: without it each
        step opens the file again, reads back what the previous step had in memory, and checkpoints its changes
        when it closes (DuckDB does on close; a changed table's key index is rewritten whole each time). Inside a
        session the checkpoint happens once, at ``publish``; commits stay durable in DuckDB's log as before. Other
        processes wait for the lock until the session ends, as they would for a step.
        """
        if self.work_path in _SESSIONS:
            yield
            return
        with self.lock():
            con = open_database(self.work_path)
            try:
                # Through a connection of its own: a query's result left open on the held connection would keep
                # its transaction open, and DuckDB refuses to checkpoint while an older transaction is.
                with closing(con.cursor()) as setup:
                    ensure_schema(setup)
                _SESSIONS[self.work_path] = con
                yield
            finally:
                _SESSIONS.pop(self.work_path, None)
                con.close()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The work database, locked, with the current schema (a connection of the session, if one is held)."""
        held = _SESSIONS.get(self.work_path)
        if held is not None:
            con = held.cursor()  # a connection of its own (temporary tables, settings) to the open database
            try:
                ensure_schema(con)
                yield con
            finally:
                con.close()
            return
        with self.lock():
            con = open_database(self.work_path)
            try:
                ensure_schema(con)
                yield con
            finally:
                con.close()

    def publish(self) -> Path:
        """Copy the work database over the published snapshot atomically; returns the snapshot path."""
        with self.publishing() as path:
            return path

    @contextmanager
    def publishing(self) -> Iterator[Path]:
        """Publish the work database as it is on entry: the snapshot is copied while the block runs, and replaces
        the published one when the block ends. Yields the snapshot path.

        The copy is written to a temporary file, flushed to disk, then renamed over the snapshot: a reader (or
        a crash) sees the old snapshot or the new one, never a partial file. If the block raises, nothing is
        published. Temporary files left by a killed run are removed first (under the lock, so none of them can
        belong to a running publish).

        The copy and its flush are a file system's work (a copy in the kernel, then waiting for the disk), and
        grow with the warehouse: a block that reads the database (row counts of the published relations) runs
        meanwhile on the other core. It must not write to it: the copy is of the file as checkpointed on entry.
        """
        with self.session():
            with self.connect() as con:
                con.execute("CHECKPOINT")  # everything in the database file, the log empty: the file is whole
            for stale in self.published_path.parent.glob(f".{self.published_path.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            tmp = self.published_path.with_name(f".{self.published_path.name}.{os.getpid()}.tmp")
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ikrar-publish") as copier:
                copied = copier.submit(_durable_copy, self.work_path, tmp)
                try:
                    yield self.published_path
                    copied.result()
                except BaseException:  # the block or the copy failed: no snapshot, no temporary file left
                    wait([copied])
                    tmp.unlink(missing_ok=True)
                    raise
            os.replace(tmp, self.published_path)
            _fsync_directory(self.published_path.parent)


# The work databases this process holds open in a ``Warehouse.session``, by path.
_SESSIONS: dict[Path, duckdb.DuckDBPyConnection] = {}


def open_database(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose buffer pool is capped (``IKRAR_DUCKDB_MEMORY``): DuckDB's default, 80% of the
    machine's memory, lets the writer's cache grow with the warehouse; past the cap it spills to disk."""
    return duckdb.connect(str(path), config={"memory_limit": duckdb_memory_limit()})


def _durable_copy(source: Path, target: Path) -> None:
    """``source`` copied to ``target`` and flushed to disk."""
    shutil.copyfile(source, target)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    """Make a rename durable: the directory entry must reach the disk too."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables; a changed DDL drops and recreates everything (the next run reloads the inbox)."""
    current = meta_value(con, "schema_version")
    if current == schema_version():
        return
    con.execute("BEGIN TRANSACTION")  # a run killed half-way through a rebuild leaves the old schema
    try:
        if current is not None:
            for view in REPORTING_VIEWS:
                con.execute(f"DROP VIEW IF EXISTS {view}")  # names come from our own sql/ files
            for table in reversed(TABLES):
                con.execute(f"DROP TABLE IF EXISTS {table}")
        for table in TABLES:
            con.execute(read_sql(f"schema/{table}.sql"))
        set_meta(con, "schema_version", schema_version())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def meta_value(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'warehouse_meta'"
    ).fetchone()[0]
    if not exists:
        return None
    row = con.execute("SELECT value FROM warehouse_meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES (?, ?)", [key, value])


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """A table's column names in order, read from DuckDB so the DDL in sql/ stays the single source of truth."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows]


def known_relation(name: str) -> str:
    """``name`` if it is one of our tables or views; identifiers cannot be parameters, so they are checked."""
    if name not in TABLES and name not in REPORTING_VIEWS:
        raise ValueError(f"unknown relation {name!r}")
    return name


Rows = Sequence[Mapping] | pa.Table


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> int:
    """Bulk insert through Arrow (``INSERT … BY NAME``): row dicts are typed by the table's own schema; an Arrow
    table (built by ``rows_to_arrow`` in an extraction worker) goes in as it is."""
    known_relation(table)
    if not isinstance(rows, pa.Table):
        rows = rows_to_arrow(rows, arrow_schema(con, table)) if rows else None
    if rows is None or rows.num_rows == 0:
        return 0
    con.register("_ikrar_batch", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _ikrar_batch")  # table: one of TABLES
    finally:
        con.unregister("_ikrar_batch")
    return rows.num_rows


def rows_to_arrow(rows: Sequence[Mapping], schema: pa.Schema) -> pa.Table:
    """One Arrow table from row dicts, built column by column: one table per batch, never a frame per row.

    Plain pyarrow on purpose: extraction workers are forked, and polars' thread pool does not survive a fork
    (a child that touches polars after the parent has used it can wait forever on a lock the parent held).
    """
    return pa.Table.from_pydict({name: [row.get(name) for row in rows] for name in schema.names}, schema=schema)


def arrow_schema(con: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    """The Arrow types DuckDB gives a table's columns (the DDL in sql/ stays the single source of truth)."""
    return con.execute(f"SELECT * FROM {known_relation(table)} LIMIT 0").arrow().schema


@cache
def ddl_schemas() -> dict[str, pa.Schema]:
    """Arrow schemas of every table, read from the DDL in an in-memory database (for processes that build
    Arrow tables without a connection to the warehouse, such as the extraction workers)."""
    con = duckdb.connect(":memory:")
    try:
        for table in TABLES:
            con.execute(read_sql(f"schema/{table}.sql"))
        return {table: arrow_schema(con, table) for table in TABLES}
    finally:
        con.close()


def delete_articles(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Remove every row that belongs to these articles (call inside a transaction)."""
    if not article_ids:
        return
    with registered(con, "_ikrar_ids", pa.table({"article_id": pa.array(list(article_ids), pa.string())})):
        for table in ARTICLE_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _ikrar_ids)")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    """``table`` visible to SQL as ``name`` for the duration of the block.

    Lists of keys travel this way rather than as ``?`` list parameters: converting a Python list makes DuckDB
    probe for optional modules (pandas, …) on every call, which cost more than the deletes themselves.
    """
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


# ``processed_at`` of the newest article whose observations ``entities`` already aggregates (inclusive).
ENTITIES_BUILT_THROUGH_KEY = "entities_built_through"

# The entities an incremental rebuild recomputes. An entity's row changes only if its set of observations did:
# observations are written only with their article, stamped with a ``processed_at`` later than the mark (see
# ``hold_mark_before``), or missing an article row altogether; and they are deleted only with their whole article,
# which removes that article from the entity's distinct articles, so ``n_articles`` no longer matches. Entities
# whose count is off include those with no observation left (their rows are deleted) and those not built yet.
_NEW_OBSERVATIONS_SCOPE = """
    CREATE OR REPLACE TEMP TABLE _ikrar_entity_scope AS
    SELECT DISTINCT o.entity_id FROM entity_observations o LEFT JOIN articles a USING (article_id)
    WHERE a.processed_at IS NULL
       OR a.processed_at > (SELECT value::TIMESTAMP FROM warehouse_meta WHERE key = ?)"""
_CHANGED_ENTITIES_SCOPE = _NEW_OBSERVATIONS_SCOPE + """
    UNION
    SELECT coalesce(o.entity_id, e.entity_id) AS entity_id
    FROM (SELECT entity_id, count(DISTINCT article_id) AS n_articles FROM entity_observations GROUP BY entity_id) o
    FULL JOIN entities e USING (entity_id)
    WHERE o.n_articles IS DISTINCT FROM e.n_articles"""
_ALL_ENTITIES_SCOPE = """
    CREATE OR REPLACE TEMP TABLE _ikrar_entity_scope AS SELECT DISTINCT entity_id FROM entity_observations"""
# Whether observations built into ``entities`` are gone since (their article deleted or re-extracted), without the
# per-entity comparison above (a third of a second per 10,000 articles): ``entities`` sums the distinct articles of
# every observation up to the mark, one observation per (article, entity); observations up to the mark are only
# ever deleted, never added (``hold_mark_before``), so their count equals that sum unless some were deleted. Any
# other cause of a difference (a repeated observation key, an observation without its article) also takes the
# per-entity comparison: the shortcut is only taken when it is exact.
_OBSERVATIONS_REMOVED = """
    SELECT (SELECT count(*) FROM entity_observations o JOIN articles a USING (article_id)
            WHERE a.processed_at <= (SELECT value::TIMESTAMP FROM warehouse_meta WHERE key = ?))
           IS DISTINCT FROM (SELECT coalesce(sum(n_articles), 0) FROM entities)"""


def rebuild_entities(con: duckdb.DuckDBPyConnection) -> int:
    """Bring ``entities`` in step with ``entity_observations``: the entities whose observations changed since the
    last rebuild are aggregated again (all of them the first time), with the same SQL and so the same rows as a
    full rebuild. Returns the number of entities."""
    incremental = meta_value(con, ENTITIES_BUILT_THROUGH_KEY) is not None
    con.execute("BEGIN TRANSACTION")
    try:
        if incremental:
            removed = con.execute(_OBSERVATIONS_REMOVED, [ENTITIES_BUILT_THROUGH_KEY]).fetchone()[0]
            scope = _CHANGED_ENTITIES_SCOPE if removed else _NEW_OBSERVATIONS_SCOPE
            con.execute(scope, [ENTITIES_BUILT_THROUGH_KEY])
            con.execute("DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM _ikrar_entity_scope)")
        else:
            con.execute(_ALL_ENTITIES_SCOPE)
            con.execute("DELETE FROM entities")
        _aggregate_in_chunks(con)
        con.execute("DROP TABLE _ikrar_entity_scope")
        latest = con.execute("SELECT max(processed_at) FROM articles").fetchone()[0]
        if latest is not None:
            set_meta(con, ENTITIES_BUILT_THROUGH_KEY, latest.isoformat(sep=" "))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return count_rows(con, "entities")


# Entities aggregated per statement: the aggregation's window functions hold their input in memory, and a backfill
# of 40,000 articles has over a million observations of some 370,000 entities, more than DuckDB's memory limit.
ENTITY_CHUNK = 50_000


def _aggregate_in_chunks(con: duckdb.DuckDBPyConnection) -> None:
    """Run ``marts/entities.sql`` over the entities of ``_ikrar_entity_scope`` a chunk at a time (by a hash of the
    id, so that every chunk is a fixed share of them), keeping memory flat however large the warehouse."""
    n_scope = con.execute("SELECT count(*) FROM _ikrar_entity_scope").fetchone()[0]
    n_chunks = max(1, -(-n_scope // ENTITY_CHUNK))
    if n_chunks == 1:
        con.execute(read_sql("marts/entities.sql"))
        return
    con.execute("ALTER TABLE _ikrar_entity_scope RENAME TO _ikrar_entity_scope_all")
    for chunk in range(n_chunks):
        con.execute("CREATE OR REPLACE TEMP TABLE _ikrar_entity_scope AS SELECT entity_id FROM "
                    "_ikrar_entity_scope_all WHERE hash(entity_id) % ? = ?", [n_chunks, chunk])
        con.execute(read_sql("marts/entities.sql"))
    con.execute("DROP TABLE _ikrar_entity_scope")
    con.execute("ALTER TABLE _ikrar_entity_scope_all RENAME TO _ikrar_entity_scope")


def hold_mark_before(con: duckdb.DuckDBPyConnection, key: str, processed_at: datetime) -> None:
    """Before articles stamped ``processed_at`` are loaded: keep the mark ``key`` (a ``processed_at`` up to which
    derived work is done) strictly earlier, so that none of them counts as done. A run stamps its articles with its
    start time to the second, so two runs within a second (or a clock set back) could stamp a recorded mark."""
    recorded = meta_value(con, key)
    if recorded is not None and datetime.fromisoformat(recorded) >= processed_at:
        set_meta(con, key, (processed_at - timedelta(microseconds=1)).isoformat(sep=" "))


def create_reporting_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    for view in REPORTING_VIEWS:
        con.execute(read_sql(f"reporting/{view}.sql"))
    return list(REPORTING_VIEWS)


def existing_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reporting views the database has (none before the views step first ran, or after a schema change)."""
    names = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return [view for view in REPORTING_VIEWS if view in names]


def view_columns(con: duckdb.DuckDBPyConnection, views: Sequence[str]) -> dict[str, list[str]]:
    """The column names of each view, from the catalog: nothing is computed."""
    rows = con.execute("SELECT view_name, column_name FROM duckdb_columns() c JOIN duckdb_views() v "
                       "ON c.table_name = v.view_name AND c.schema_name = v.schema_name "
                       "WHERE v.view_name IN (SELECT unnest(?)) ORDER BY view_name, column_index",
                       [list(views)]).fetchall()
    columns: dict[str, list[str]] = {view: [] for view in views}
    for view, column in rows:
        columns[view].append(column)
    return columns


def view_summary(view: str) -> str:
    """What a reporting view is: the first paragraph of its SQL file's header comment, without the view's name
    (notes on how the SQL works follow an empty comment line)."""
    header = []
    for line in read_sql(f"reporting/{known_relation(view)}.sql").splitlines():
        text = line.removeprefix("--").strip()
        if not line.startswith("--") or not text:
            break
        header.append(text)
    return " ".join(header).removeprefix(f"{view}:").strip()


def count_rows(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"SELECT count(*) FROM {known_relation(relation)}").fetchone()[0]


def count_all_rows(con: duckdb.DuckDBPyConnection, relations: Sequence[str]) -> dict[str, int]:
    """The row counts of several relations in one query: DuckDB plans and schedules the counts of aggregate views
    together (a third less time than one query each for the reporting views)."""
    if not relations:
        return {}
    columns = ", ".join(f"(SELECT count(*) FROM {known_relation(name)})" for name in relations)
    return dict(zip(relations, con.execute(f"SELECT {columns}").fetchone(), strict=True))


def preview(con: duckdb.DuckDBPyConnection, relation: str, columns: str = "*",
            limit: int = 5) -> tuple[list[str], list[tuple]]:
    """The column names and first rows of a relation (plain tuples: no data-frame library is imported for them)."""
    cursor = con.execute(f"SELECT {columns} FROM {known_relation(relation)} LIMIT ?", [limit])
    return [column[0] for column in cursor.description], cursor.fetchall()


def table_digest(con: duckdb.DuckDBPyConnection, relation: str, exclude: Sequence[str] = ()) -> str:
    """Order-independent digest of a relation's contents (for re-run tests and run metadata)."""
    columns = [c for c in table_columns(con, known_relation(relation)) if c not in exclude]
    cols = ", ".join(columns)
    rows = con.execute(f"SELECT {cols} FROM {relation} ORDER BY ALL").fetchall()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]
