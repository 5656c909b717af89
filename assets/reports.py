"""Reporting views and the published snapshot analysts query."""


import dagster as dg

from assets.metadata import markdown_table
from assets.resources import WarehouseResource
from pipelines.warehouse import (
    TABLES,
    count_all_rows,
    create_reporting_views,
    existing_views,
    view_columns,
    view_summary,
)

PUBLISHED_TABLES = [t for t in TABLES if t != "warehouse_meta"]


@dg.asset(
    group_name="reporting",
    kinds={"duckdb", "sql"},
    deps=["entities", "commitments", "commitment_parties", "ingest_issues"],
    description="The reporting views from sql/reporting/ (commitment_facts, commitments_by_actor, "
                "country_relations, entity_summary, article_overview, ingest_issue_summary). Their row counts "
                "are in warehouse_snapshot's metadata, counted in the published data.",
)
def reporting_views(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.warehouse().connect() as con:
        views = create_reporting_views(con)
        columns = view_columns(con, views)
    context.log.info(f"views: {', '.join(views)}")
    rows = [(view, view_summary(view), ", ".join(columns[view])) for view in views]
    return dg.MaterializeResult(metadata={
        "views": dg.MetadataValue.md(markdown_table(["view", "what it is", "columns"], rows, max_chars=None)),
    })


@dg.asset(
    group_name="reporting",
    kinds={"duckdb"},
    deps=[reporting_views],
    description="The published warehouse file (IKRAR_WAREHOUSE): an atomic copy of the pipeline's work "
                "database, so analysts with an open shell are never locked out and never see half a run. "
                "Metadata: the rows of every published table and view.",
)
def warehouse_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    handle = warehouse.warehouse()
    # Counting the views runs them over the whole warehouse: done while the file is copied, it adds little.
    with handle.publishing() as path, handle.connect() as con:
        counts = count_all_rows(con, PUBLISHED_TABLES + existing_views(con))
    context.log.info(f"published {path}: {counts}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "size_bytes": path.stat().st_size,
        **{f"rows/{relation}": n for relation, n in counts.items()},
    })
