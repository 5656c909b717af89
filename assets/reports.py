"""Reporting views and the published snapshot analysts query."""


import dagster as dg

from assets.resources import WarehouseResource
from pipelines.warehouse import TABLES, count_all_rows, create_reporting_views

REPORTED_TABLES = [t for t in TABLES if t != "warehouse_meta"]


@dg.asset(
    group_name="reporting",
    kinds={"duckdb", "sql"},
    deps=["entities", "commitments", "commitment_parties", "ingest_issues"],
    description="The reporting views from sql/reporting/ (commitment_facts, commitments_by_actor, "
                "country_relations, entity_summary, article_overview, ingest_issue_summary).",
)
def reporting_views(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.warehouse().connect() as con:
        views = create_reporting_views(con)
        counts = count_all_rows(con, views)
    context.log.info(f"views: {counts}")
    return dg.MaterializeResult(metadata={f"rows/{view}": n for view, n in counts.items()})


@dg.asset(
    group_name="reporting",
    kinds={"duckdb"},
    deps=[reporting_views],
    description="The published warehouse file (IKRAR_WAREHOUSE): an atomic copy of the pipeline's work "
                "database, so analysts with an open shell are never locked out and never see half a run.",
)
def warehouse_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    handle = warehouse.warehouse()
    path = handle.publish()
    with handle.connect() as con:
        counts = count_all_rows(con, REPORTED_TABLES)
    context.log.info(f"published {path}: {counts}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "size_bytes": path.stat().st_size,
        **{f"rows/{table}": n for table, n in counts.items()},
    })
