"""Data-quality invariants of the warehouse, as queries that list violations (none = pass).

Dagster-free so tests and the CLI can run them too; ``assets/checks.py`` turns them into asset checks.
DuckDB's ``substring`` counts characters (code points), the same unit as Python's string offsets.

Every invariant covers the whole warehouse. Most are joins and aggregates that DuckDB runs in milliseconds. The
one costly test, that an offset span's text equals ``body_text[start:end]``, is done in Python (``SpanText``):
DuckDB finds the n-th character of UTF-8 text by walking the body up to it, once per row (8 s of SQL for the
first check of 10,000 articles), where a Python string is indexed in constant time (1.3 s). It still runs only
over articles not yet verified: an article's rows are written once, in one transaction, and replaced only
together with the article (a newer ``processed_at``). ``warehouse_meta.content_checked_through`` records the
``processed_at`` up to which (inclusive) every article has passed; it advances only when the span checks pass, so a
failure keeps being reported until the article is re-extracted. A run stamps its articles with its start time to the
second, so a run could stamp the very second already recorded: ``warehouse.hold_mark_before`` moves the point
below that time before such a run loads anything. The cheap half of the span test (bounds inside the body,
span length equal to the text's length) still runs, in SQL, over every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipelines.warehouse import registered, set_meta

CHECKED_THROUGH_KEY = "content_checked_through"

# Articles whose span texts have not been compared with their body yet (see the module docstring).
_UNVERIFIED = f"""
    SELECT article_id, body_text FROM articles
    WHERE processed_at > coalesce((SELECT value::TIMESTAMP FROM warehouse_meta WHERE key = '{CHECKED_THROUGH_KEY}'),
                                   '-infinity'::TIMESTAMP)"""
# Body length in characters, computed once per article rather than once per joined row.
_BODY_LENGTHS = "SELECT article_id, length(body_text) AS n_chars FROM articles"


def _span_violations(table: str, key: str, start: str, end: str, text: str) -> str:
    """Rows of ``table`` whose span [start, end) leaves the body, is empty, or is not as long as ``text``."""
    return f"""
        WITH bodies AS ({_BODY_LENGTHS})
        SELECT {key} FROM {table} t JOIN bodies b USING (article_id)
        WHERE t.{start} < 0 OR t.{end} > b.n_chars OR t.{start} >= t.{end}
           OR length(t.{text}) <> t.{end} - t.{start}"""


@dataclass(frozen=True)
class SpanText:
    """Rows of ``table`` (in articles not yet verified) whose ``text`` must equal ``body_text[start:end]``.

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
            FROM {self.table} t
            WHERE t.article_id IN (SELECT article_id FROM ({_UNVERIFIED}))
              AND t.{self.start} >= 0 AND t.{self.start} < t.{self.end}
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
        return dict(con.execute("SELECT article_id, body_text FROM articles WHERE article_id IN "
                                "(SELECT article_id FROM _ikrar_span_articles)").fetchall())


@dataclass(frozen=True)
class Invariant:
    name: str
    table: str  # the table the check is attached to
    description: str
    violations_sql: str  # returns one row per violation (first columns identify it)
    span_text: SpanText | None = None  # span texts compared with the bodies of unverified articles, in Python

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
        "SELECT article_id, sentence_index FROM sentences GROUP BY article_id, sentence_index HAVING count(*) > 1",
    ),
    Invariant(
        "mention_keys_unique", "entity_mentions",
        "No mention span (article_id, start_char, end_char) appears twice.",
        "SELECT article_id, start_char, end_char FROM entity_mentions "
        "GROUP BY article_id, start_char, end_char HAVING count(*) > 1",
    ),
    Invariant(
        "observation_keys_unique", "entities",
        "No (article_id, entity_id) appears twice in entity_observations, the per-article rows entities sums.",
        "SELECT article_id, entity_id FROM entity_observations GROUP BY article_id, entity_id HAVING count(*) > 1",
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
    ),
    Invariant(
        "entity_ids_unique", "entities",
        "No entity_id appears twice.",
        "SELECT entity_id FROM entities GROUP BY entity_id HAVING count(*) > 1",
    ),
    Invariant(
        "evidence_offsets_match_body", "commitments",
        "Every commitment's evidence lies inside its article body and equals body_text[start:end].",
        _span_violations("commitments", "t.commitment_id", "start_char", "end_char", "evidence_text")
        + " UNION SELECT commitment_id FROM commitments "
          "WHERE trigger_start < start_char OR trigger_end > end_char",
        span_text=SpanText("commitments", "t.commitment_id", "start_char", "end_char", "evidence_text",
                           valid="t.trigger_start >= t.start_char AND t.trigger_end <= t.end_char"),
    ),
    Invariant(
        "commitment_has_actor", "commitments",
        "Every commitment has at least one actor.",
        """SELECT c.commitment_id FROM commitments c ANTI JOIN
               (SELECT DISTINCT commitment_id FROM commitment_parties WHERE role = 'actor') p USING (commitment_id)""",
    ),
    Invariant(
        "commitment_ids_unique", "commitments",
        "No commitment_id appears twice.",
        "SELECT commitment_id FROM commitments GROUP BY commitment_id HAVING count(*) > 1",
    ),
    Invariant(
        "parties_link_to_entities", "commitment_parties",
        "Every actor, target and speaker is a row of entities.",
        """SELECT p.commitment_id FROM commitment_parties p ANTI JOIN entities e USING (entity_id)
           UNION ALL
           SELECT c.commitment_id FROM commitments c ANTI JOIN entities e ON e.entity_id = c.speaker_entity_id
           WHERE c.speaker_entity_id IS NOT NULL""",
    ),
    Invariant(
        "party_keys_unique", "commitment_parties",
        "No (commitment_id, entity_id, role) appears twice.",
        "SELECT commitment_id, entity_id, role FROM commitment_parties "
        "GROUP BY commitment_id, entity_id, role HAVING count(*) > 1",
    ),
    Invariant(
        "article_ids_unique", "articles",
        "No article_id appears twice and every article's counts agree with its sentences.",
        """SELECT article_id FROM articles GROUP BY article_id HAVING count(*) > 1
           UNION ALL
           SELECT a.article_id FROM articles a
           LEFT JOIN (SELECT article_id, count(*) AS n FROM sentences GROUP BY article_id) s USING (article_id)
           WHERE a.n_sentences <> coalesce(s.n, 0)""",
    ),
)


@dataclass(frozen=True)
class CheckOutcome:
    invariant: Invariant
    n_violations: int
    examples: list[tuple]

    @property
    def passed(self) -> bool:
        return self.n_violations == 0


def run_invariant(con: duckdb.DuckDBPyConnection, invariant: Invariant, n_examples: int = 5) -> CheckOutcome:
    """Counts the violations in DuckDB; only the first few examples travel to Python."""
    n_violations = con.execute(invariant.count_sql).fetchone()[0]
    examples = con.execute(invariant.examples_sql, [n_examples]).fetchall() if n_violations else []
    if invariant.span_text is not None:
        mismatches = span_text_mismatches(con, invariant.span_text)
        n_violations += len(mismatches)
        examples = (examples + mismatches)[:n_examples]
    return CheckOutcome(invariant, n_violations, examples)


def run_all(con: duckdb.DuckDBPyConnection) -> list[CheckOutcome]:
    outcomes = [run_invariant(con, invariant) for invariant in INVARIANTS]
    record_verified_spans(con, outcomes)
    return outcomes


def record_verified_spans(con: duckdb.DuckDBPyConnection, outcomes: Sequence[CheckOutcome]) -> None:
    """After the span checks all passed, the articles loaded so far need not be compared with their bodies again."""
    span_checks = [o for o in outcomes if o.invariant.verifies_spans]
    if len(span_checks) < sum(1 for i in INVARIANTS if i.verifies_spans) or not all(o.passed for o in span_checks):
        return
    latest = con.execute("SELECT max(processed_at) FROM articles").fetchone()[0]
    if latest is not None:
        set_meta(con, CHECKED_THROUGH_KEY, latest.isoformat(sep=" "))
