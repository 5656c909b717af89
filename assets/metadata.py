"""Materialization metadata shared by the assets: row counts and small previews."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.warehouse import count_rows, preview


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, columns: str = "*") -> dict:
    frame = preview(con, table, columns)
    return {
        "dagster/row_count": dg.MetadataValue.int(count_rows(con, table)),
        "preview": dg.MetadataValue.md(_markdown(frame)),
    }


def _markdown(frame) -> str:
    if frame.height == 0:
        return "_(no rows)_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    lines = [header, rule]
    for row in frame.iter_rows():
        cells = [str(value).replace("|", "\\|").replace("\n", " ")[:80] for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
