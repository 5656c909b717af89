"""A short terminal summary of a warehouse: `python -m pipelines.report [PATH]` (used by `make demo`)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from pipelines.config import default_warehouse
from pipelines.warehouse import TABLES

TOP_COMMITMENTS_SQL = """
SELECT coalesce(speaker, '—') AS speaker, array_to_string(actors, ', ') AS actors, modality,
       CASE WHEN negated THEN 'negated' ELSE '' END AS negated, status,
       array_to_string(domains, ', ') AS domains, evidence_text
FROM commitment_facts
ORDER BY confidence DESC, published_date DESC NULLS LAST, commitment_id
LIMIT ?
"""


def summarize(path: Path, top: int = 8) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        lines = [f"warehouse: {path}"]
        counts = [f"{t}={con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}"  # our own table names
                  for t in TABLES if t != "warehouse_meta"]
        lines.append("rows: " + ", ".join(counts))
        issues = con.execute(
            "SELECT severity, code, n_files FROM ingest_issue_summary ORDER BY severity, code").fetchall()
        if issues:
            lines.append("ingest issues: " + ", ".join(f"{code} ({sev}) x{n}" for sev, code, n in issues))
        lines.append(f"top {top} commitments:")
        for speaker, actors, modality, negated, status, domains, evidence in con.execute(
                TOP_COMMITMENTS_SQL, [top]).fetchall():
            flags = " ".join(x for x in (negated, status) if x)
            lines.append(f"  - [{modality} {flags}] actors: {actors}; speaker: {speaker}; domains: {domains or '—'}")
            lines.append(f"      “{_shorten(evidence, 150)}”")
        return "\n".join(lines)
    finally:
        con.close()


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else default_warehouse()
    if not path.exists():
        print(f"no warehouse at {path}: run `make demo` first", file=sys.stderr)
        return 1
    print(summarize(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
