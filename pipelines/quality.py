"""Data-quality invariants of the warehouse, as queries that count violations (0 = pass).

Dagster-free so tests and the CLI can run them too; ``assets/checks.py`` turns them into asset checks.
DuckDB's ``substring`` counts characters (code points), the same unit as Python's string offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Invariant:
    name: str
    table: str  # the table the check is attached to
    description: str
    violations_sql: str  # returns one row per violation (first columns identify it)


INVARIANTS = (
    Invariant(
        "sentence_offsets_match_body", "sentences",
        "Every sentence's offsets lie inside its article body and body_text[start:end] equals its text.",
        """SELECT s.article_id, s.sentence_index FROM sentences s JOIN articles a USING (article_id)
           WHERE s.start_char < 0 OR s.end_char > length(a.body_text) OR s.start_char >= s.end_char
              OR substring(a.body_text, s.start_char + 1, s.end_char - s.start_char) <> s.text""",
    ),
    Invariant(
        "mention_offsets_match_body", "entity_mentions",
        "Every mention's offsets lie inside its article body and body_text[start:end] equals mention_text.",
        """SELECT m.article_id, m.start_char FROM entity_mentions m JOIN articles a USING (article_id)
           WHERE m.start_char < 0 OR m.end_char > length(a.body_text) OR m.start_char >= m.end_char
              OR substring(a.body_text, m.start_char + 1, m.end_char - m.start_char) <> m.mention_text""",
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
        """SELECT c.commitment_id FROM commitments c JOIN articles a USING (article_id)
           WHERE c.start_char < 0 OR c.end_char > length(a.body_text) OR c.start_char >= c.end_char
              OR substring(a.body_text, c.start_char + 1, c.end_char - c.start_char) <> c.evidence_text
              OR c.trigger_start < c.start_char OR c.trigger_end > c.end_char""",
    ),
    Invariant(
        "commitment_has_actor", "commitments",
        "Every commitment has at least one actor.",
        """SELECT c.commitment_id FROM commitments c WHERE NOT EXISTS (
               SELECT 1 FROM commitment_parties p WHERE p.commitment_id = c.commitment_id AND p.role = 'actor')""",
    ),
    Invariant(
        "commitment_ids_unique", "commitments",
        "No commitment_id appears twice.",
        "SELECT commitment_id FROM commitments GROUP BY commitment_id HAVING count(*) > 1",
    ),
    Invariant(
        "parties_link_to_entities", "commitment_parties",
        "Every actor, target and speaker is a row of entities.",
        """SELECT p.commitment_id FROM commitment_parties p LEFT JOIN entities e USING (entity_id)
           WHERE e.entity_id IS NULL
           UNION ALL
           SELECT c.commitment_id FROM commitments c LEFT JOIN entities e ON e.entity_id = c.speaker_entity_id
           WHERE c.speaker_entity_id IS NOT NULL AND e.entity_id IS NULL""",
    ),
    Invariant(
        "article_ids_unique", "articles",
        "No article_id appears twice and every article's counts agree with its sentences.",
        """SELECT article_id FROM articles GROUP BY article_id HAVING count(*) > 1
           UNION ALL
           SELECT a.article_id FROM articles a
           WHERE a.n_sentences <> (SELECT count(*) FROM sentences s WHERE s.article_id = a.article_id)""",
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
    rows = con.execute(invariant.violations_sql).fetchall()
    return CheckOutcome(invariant, len(rows), rows[:n_examples])


def run_all(con: duckdb.DuckDBPyConnection) -> list[CheckOutcome]:
    return [run_invariant(con, invariant) for invariant in INVARIANTS]
