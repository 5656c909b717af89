"""Data-quality invariants of the warehouse, as queries that list violations (none = pass).

Dagster-free so tests and the CLI can run them too; ``assets/checks.py`` turns them into asset checks.
DuckDB's ``substring`` counts characters (code points), the same unit as Python's string offsets.

An article's rows (sentences, mentions, observations, commitments, parties) are written once, in one transaction
with the article, and replaced only together with it (under a newer ``processed_at``); the pipeline never edits
them in place. So the invariants *within* an article (offsets, keys, a commitment's actor) hold for good once they
have passed, and they are checked only over the articles loaded since: ``warehouse_meta.content_checked_through``
records the ``processed_at`` up to which (inclusive) every article has passed them all. It advances only when they
all pass, so a failure keeps being reported until the article is re-extracted. A run stamps its articles with its
start time to the second, so a run could stamp the very second already recorded: ``warehouse.hold_mark_before``
moves the mark below that time before such a run loads anything. ``run_all(con, everything=True)`` checks every
article again (after a manual edit of the work database, say). An incremental run thus checks its own articles,
not the whole warehouse again (over a second of SQL for 10,000 articles, and growing with the warehouse).

The invariants that link an article's rows to ``entities`` (rebuilt from every article's observations) or that
compare keys across articles cover the whole warehouse on every run: joins and aggregates DuckDB runs in a
fraction of a second.

The costly test, that an offset span's text equals ``body_text[start:end]``, is done in Python (``SpanText``):
DuckDB finds the n-th character of UTF-8 text by walking the body up to it, once per row (8 s of SQL for the
first check of 10,000 articles), where a Python string is indexed in constant time (1.3 s).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipelines.warehouse import ARTICLE_TABLES, known_relation, registered, set_meta

CHECKED_THROUGH_KEY = "content_checked_through"

# The articles an article-scoped invariant looks at (see the module docstring), a temporary table of ``run_all``.
CHECK_SCOPE = "_ikrar_check_scope"


def _checked(table: str) -> str:
    """The rows of ``table`` that belong to the scope's articles: a temporary relation of ``check_scope``."""
    return f"_ikrar_checked_{table}"


_NOT_VERIFIED = f"""
    SELECT article_id FROM articles
    WHERE processed_at > coalesce((SELECT value::TIMESTAMP FROM warehouse_meta WHERE key = '{CHECKED_THROUGH_KEY}'),
                                   '-infinity'::TIMESTAMP)"""
# Body length in characters, computed once per article rather than once per joined row.
_BODY_LENGTHS = f"SELECT article_id, length(body_text) AS n_chars FROM {_checked('articles')}"


def _span_violations(table: str, key: str, start: str, end: str, text: str) -> str:
    """Rows of ``table`` whose span [start, end) leaves the body, is empty, or is not as long as ``text``."""
    return f"""
        WITH bodies AS ({_BODY_LENGTHS})
        SELECT {key} FROM {_checked(table)} t JOIN bodies b USING (article_id)
        WHERE (t.{start} < 0 OR t.{end} > b.n_chars OR t.{start} >= t.{end}
           OR length(t.{text}) <> t.{end} - t.{start})"""


@dataclass(frozen=True)
class SpanText:
    """Rows of ``table`` (in the checked articles) whose ``text`` must equal ``body_text[start:end]``.

    ``valid`` is the SQL condition of the rows the cheap half of the invariant passes: only those are compared,
    so that a row is never counted twice.
    """

    table: str
    key: str  # the columns that identify a violation, as the invariant's SQL lists them
    start: str
    end: str
    text: str
    valid: str = "TRUE"

    @property
    def rows_sql(self) -> str:
        return f"""
            SELECT t.article_id AS _article_id, t.{self.start} AS _start, t.{self.end} AS _end, t.{self.text} AS _text,
                   {self.key}
            FROM {_checked(self.table)} t
            WHERE t.{self.start} >= 0 AND t.{self.start} < t.{self.end}
              AND length(t.{self.text}) = t.{self.end} - t.{self.start} AND ({self.valid})"""


def span_text_mismatches(con: duckdb.DuckDBPyConnection, span: SpanText) -> list[tuple]:
    """Keys of the rows whose text differs from their body's characters [start, end).

    Rows stream in Arrow batches; each batch fetches the bodies of its own articles (rows are stored article by
    article, so a batch touches a few thousand of them), which keeps memory flat however large the backfill.
    """
    mismatches: list[tuple] = []
    reader = con.execute(span.rows_sql).to_arrow_reader(SPAN_BATCH_ROWS)
    lookup = con.cursor()  # the reader holds the connection's result; bodies are read beside it
    try:
        for batch in reader:
            columns = batch.to_pydict()
            bodies = _bodies(lookup, set(columns["_article_id"]))
            keys = list(zip(*(columns[name] for name in batch.schema.names[4:]), strict=True))
            for key, article_id, start, end, text in zip(keys, columns["_article_id"], columns["_start"],
                                                         columns["_end"], columns["_text"], strict=True):
                body = bodies.get(article_id)
                if body is not None and end <= len(body) and body[start:end] != text:
                    mismatches.append(key)
    finally:
        lookup.close()
    return mismatches


SPAN_BATCH_ROWS = 50_000


def _bodies(con: duckdb.DuckDBPyConnection, article_ids: set[str]) -> dict[str, str]:
    ids = pa.table({"article_id": pa.array(sorted(article_ids), pa.string())})
    with registered(con, "_ikrar_span_articles", ids):
        return dict(con.execute(_ROWS_BY_ID.format(columns="article_id, body_text", table="articles",
                                                   ids="_ikrar_span_articles")).fetchall())


# The rows of ``table`` whose article is listed in ``ids``, found by row id: the scan that finds them reads only
# ``article_id``. Filtered directly, DuckDB evaluates the other columns' expressions (and reads the bodies) of every
# row before the semi-join (10x the time for the articles of an incremental run).
_ROWS_BY_ID = """
    WITH found AS MATERIALIZED (SELECT rowid AS row_id FROM {table} WHERE article_id IN (SELECT article_id FROM {ids}))
    SELECT {columns} FROM {table} WHERE rowid IN (SELECT row_id FROM found)"""


@dataclass(frozen=True)
class Invariant:
    name: str
    table: str  # the table the check is attached to
    description: str
    violations_sql: str  # returns one row per violation (first columns identify it)
    span_text: SpanText | None = None  # span texts compared with the bodies of the checked articles, in Python
    # Whether it holds within each article, so that only the articles not verified yet need checking; written
    # over the rows of the scope's articles (``_checked``). Otherwise it covers the whole warehouse every time.
    per_article: bool = True

    @property
    def verifies_spans(self) -> bool:
        return self.span_text is not None

    @property
    def count_sql(self) -> str:
        return "SELECT count(*) FROM (" + self.violations_sql + ")"

    @property
    def examples_sql(self) -> str:
        return "SELECT * FROM (" + self.violations_sql + ") LIMIT ?"


INVARIANTS = (
    Invariant(
        "sentence_offsets_match_body", "sentences",
        "Every sentence's offsets lie inside its article body and body_text[start:end] equals its text.",
        _span_violations("sentences", "t.article_id, t.sentence_index", "start_char", "end_char", "text"),
        span_text=SpanText("sentences", "t.article_id, t.sentence_index", "start_char", "end_char", "text"),
    ),
    Invariant(
        "sentence_keys_unique", "sentences",
        "No (article_id, sentence_index) appears twice.",
        f"SELECT article_id, sentence_index FROM {_checked('sentences')} "
        "GROUP BY article_id, sentence_index HAVING count(*) > 1",
    ),
    Invariant(
        "mention_keys_unique", "entity_mentions",
        "No mention span (article_id, start_char, end_char) appears twice.",
        f"SELECT article_id, start_char, end_char FROM {_checked('entity_mentions')} "
        "GROUP BY article_id, start_char, end_char HAVING count(*) > 1",
    ),
    Invariant(
        "observation_keys_unique", "entities",
        "No (article_id, entity_id) appears twice in entity_observations, the per-article rows entities sums.",
        f"SELECT article_id, entity_id FROM {_checked('entity_observations')} "
        "GROUP BY article_id, entity_id HAVING count(*) > 1",
    ),
    Invariant(
        "mention_offsets_match_body", "entity_mentions",
        "Every mention's offsets lie inside its article body and body_text[start:end] equals mention_text.",
        _span_violations("entity_mentions", "t.article_id, t.start_char", "start_char", "end_char", "mention_text"),
        span_text=SpanText("entity_mentions", "t.article_id, t.start_char", "start_char", "end_char", "mention_text"),
    ),
    Invariant(
        "mentions_link_to_entities", "entity_mentions",
        "Every mention links to a row of entities with the same type.",
        """SELECT m.article_id, m.start_char FROM entity_mentions m LEFT JOIN entities e USING (entity_id)
           WHERE e.entity_id IS NULL OR e.entity_type <> m.entity_type""",
        per_article=False,  # entities is rebuilt from every article: an old mention can lose its entity
    ),
    Invariant(
        "entity_ids_unique", "entities",
        "No entity_id appears twice.",
        "SELECT entity_id FROM entities GROUP BY entity_id HAVING count(*) > 1",
        per_article=False,
    ),
    Invariant(
        "evidence_offsets_match_body", "commitments",
        "Every commitment's evidence lies inside its article body and equals body_text[start:end].",
        _span_violations("commitments", "t.commitment_id", "start_char", "end_char", "evidence_text")
        + f" UNION SELECT commitment_id FROM {_checked('commitments')} "
          "WHERE trigger_start < start_char OR trigger_end > end_char",
        span_text=SpanText("commitments", "t.commitment_id", "start_char", "end_char", "evidence_text",
                           valid="t.trigger_start >= t.start_char AND t.trigger_end <= t.end_char"),
    ),
    Invariant(
        "commitment_has_actor", "commitments",
        "Every commitment has at least one actor.",
        f"""SELECT c.commitment_id FROM {_checked('commitments')} c ANTI JOIN
               (SELECT DISTINCT commitment_id FROM {_checked('commitment_parties')} WHERE role = 'actor') p
               USING (commitment_id)""",
    ),
    Invariant(
        "commitment_ids_unique", "commitments",
        "No commitment_id appears twice.",
        # The ids of the checked articles' commitments, counted over every article's.
        f"""SELECT commitment_id FROM commitments
           WHERE commitment_id IN (SELECT commitment_id FROM {_checked('commitments')})
           GROUP BY commitment_id HAVING count(*) > 1""",
    ),
    Invariant(
        "parties_link_to_entities", "commitment_parties",
        "Every actor, target and speaker is a row of entities.",
        """SELECT p.commitment_id FROM commitment_parties p ANTI JOIN entities e USING (entity_id)
           UNION ALL
           SELECT c.commitment_id FROM commitments c ANTI JOIN entities e ON e.entity_id = c.speaker_entity_id
           WHERE c.speaker_entity_id IS NOT NULL""",
        per_article=False,
    ),
    Invariant(
        "party_keys_unique", "commitment_parties",
        "No (commitment_id, entity_id, role) appears twice.",
        f"SELECT commitment_id, entity_id, role FROM {_checked('commitment_parties')} "
        "GROUP BY commitment_id, entity_id, role HAVING count(*) > 1",
    ),
    Invariant(
        "article_ids_unique", "articles",
        "No article_id appears twice and every article's counts agree with its sentences.",
        f"""SELECT article_id FROM articles GROUP BY article_id HAVING count(*) > 1
           UNION ALL
           SELECT a.article_id FROM {_checked('articles')} a
           LEFT JOIN (SELECT article_id, count(*) AS n FROM {_checked('sentences')} GROUP BY article_id) s
                USING (article_id)
           WHERE a.n_sentences <> coalesce(s.n, 0)""",
    ),
)


@dataclass(frozen=True)
class CheckOutcome:
    invariant: Invariant
    n_violations: int
    examples: list[tuple]
    n_articles: int | None = None  # articles checked, for an invariant checked per article; None: the whole warehouse

    @property
    def passed(self) -> bool:
        return self.n_violations == 0


def run_invariant(con: duckdb.DuckDBPyConnection, invariant: Invariant, n_examples: int = 5) -> CheckOutcome:
    """Counts the violations in DuckDB; only the first few examples travel to Python. Inside ``check_scope``."""
    n_violations = con.execute(invariant.count_sql).fetchone()[0]
    examples = con.execute(invariant.examples_sql, [n_examples]).fetchall() if n_violations else []
    if invariant.span_text is not None:
        mismatches = span_text_mismatches(con, invariant.span_text)
        n_violations += len(mismatches)
        examples = (examples + mismatches)[:n_examples]
    return CheckOutcome(invariant, n_violations, examples)


@contextmanager
def check_scope(con: duckdb.DuckDBPyConnection, everything: bool = False) -> Iterator[int]:
    """The articles the per-article invariants look at, as ``CHECK_SCOPE``: those not verified yet, or all of
    them; and their rows in each article table (``_checked``). Yields their number.

    The rows of a few articles (an incremental run's) are copied out, found by row id (``_ROWS_BY_ID``); for
    more, the copies would hold a large part of the warehouse in memory, so they are read through views that
    filter the tables (the first run checks every article, and reads each table once anyway).
    """
    con.execute(_SCOPE_OF_ALL if everything else _SCOPE_OF_UNVERIFIED)
    n_articles = con.execute(_SCOPE_SIZE).fetchone()[0]
    copied = n_articles <= COPIED_SCOPE_MAX_ARTICLES
    try:
        for table in ARTICLE_TABLES:
            con.execute(_create_checked_rows(table, copied))
        yield n_articles
    finally:
        for table in ARTICLE_TABLES:
            con.execute(_drop_checked_rows(table, copied))
        con.execute(_DROP_SCOPE)


_SCOPE_OF_ALL = f"CREATE OR REPLACE TEMP TABLE {CHECK_SCOPE} AS SELECT article_id FROM articles"
_SCOPE_OF_UNVERIFIED = f"CREATE OR REPLACE TEMP TABLE {CHECK_SCOPE} AS {_NOT_VERIFIED}"
_SCOPE_SIZE = f"SELECT count(*) FROM {CHECK_SCOPE}"
_DROP_SCOPE = f"DROP TABLE IF EXISTS {CHECK_SCOPE}"


def _create_checked_rows(table: str, copied: bool) -> str:
    """The statement that makes ``_checked(table)``: a copy of the scope's rows, or a view that filters them."""
    table = known_relation(table)
    if copied:
        return f"CREATE OR REPLACE TEMP TABLE {_checked(table)} AS " + _ROWS_BY_ID.format(
            columns="*", table=table, ids=CHECK_SCOPE)
    return (f"CREATE OR REPLACE TEMP VIEW {_checked(table)} AS SELECT * FROM {table} "
            f"WHERE article_id IN (SELECT article_id FROM {CHECK_SCOPE})")


def _drop_checked_rows(table: str, copied: bool) -> str:
    return f"DROP {'TABLE' if copied else 'VIEW'} IF EXISTS {_checked(known_relation(table))}"


# Up to this many articles, ``check_scope`` copies their rows (about 2 MB per 100 articles).
COPIED_SCOPE_MAX_ARTICLES = 2_000


def run_all(con: duckdb.DuckDBPyConnection, everything: bool = False) -> list[CheckOutcome]:
    """Every invariant: the per-article ones over the articles not verified yet (all of them with
    ``everything``), the others over the whole warehouse. Records the articles verified when all pass."""
    with check_scope(con, everything) as n_articles:
        outcomes = [run_invariant(con, invariant) for invariant in INVARIANTS]
    outcomes = [CheckOutcome(o.invariant, o.n_violations, o.examples, n_articles) if o.invariant.per_article else o
                for o in outcomes]
    record_verified(con, outcomes)
    return outcomes


def record_verified(con: duckdb.DuckDBPyConnection, outcomes: Sequence[CheckOutcome]) -> None:
    """After every per-article invariant passed, the articles loaded so far need not be checked again."""
    per_article = [o for o in outcomes if o.invariant.per_article]
    if len(per_article) < sum(1 for i in INVARIANTS if i.per_article) or not all(o.passed for o in per_article):
        return
    latest = con.execute("SELECT max(processed_at) FROM articles").fetchone()[0]
    if latest is not None:
        set_meta(con, CHECKED_THROUGH_KEY, latest.isoformat(sep=" "))
