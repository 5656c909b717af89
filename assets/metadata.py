"""Materialization metadata shared by the assets: row counts and small previews."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.warehouse import count_rows, preview


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, columns: str = "*") -> dict:
    names, rows = preview(con, table, columns)
    return {
        "dagster/row_count": dg.MetadataValue.int(count_rows(con, table)),
        "preview": dg.MetadataValue.md(_markdown(names, rows)),
    }


def _markdown(names: list[str], rows: list[tuple]) -> str:
    if not rows:
        return "_(no rows)_"
    header = "| " + " | ".join(names) + " |"
    rule = "| " + " | ".join("---" for _ in names) + " |"
    lines = [header, rule]
    for row in rows:
        cells = [str(value).replace("|", "\\|").replace("\n", " ")[:80] for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
