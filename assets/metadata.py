"""Materialization metadata shared by the assets: row counts and small previews."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.warehouse import count_rows, preview


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, columns: str = "*") -> dict:
    names, rows = preview(con, table, columns)
    return {
        "dagster/row_count": dg.MetadataValue.int(count_rows(con, table)),
        "preview": dg.MetadataValue.md(markdown_table(names, rows)),
    }


def markdown_table(names: list[str], rows: list[tuple], max_chars: int | None = 80) -> str:
    """A markdown table of ``rows``, each cell on one line and cut to ``max_chars`` (None: never cut)."""
    if not rows:
        return "_(no rows)_"
    header = "| " + " | ".join(names) + " |"
    rule = "| " + " | ".join("---" for _ in names) + " |"
    lines = [header, rule]
    for row in rows:
        cells = [str(value).replace("|", "\\|").replace("\n", " ")[:max_chars] for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
