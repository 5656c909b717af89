"""The ikrar code location: one Definitions object, nothing else happens at import time."""

import dagster as dg

from assets.extract import extract_articles
from assets.ingest import raw_articles
from assets.reports import reporting_views, warehouse_snapshot
from assets.resources import InboxResource, WarehouseResource
from pipelines.config import default_inbox, default_warehouse, limits_from_env
from pipelines.ingest import rehash_from_env

# The graph is a chain, so separate step processes would buy no parallelism, only a few seconds of imports per
# step; extraction parallelises itself over a process pool. Ad-hoc UI materializations keep Dagster's default
# multiprocess executor, where the warehouse's file lock serialises the writers.
ikrar_job = dg.define_asset_job(
    "ikrar_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Scan the inbox, extract new or changed articles, rebuild views, publish the warehouse.",
)

limits = limits_from_env()

defs = dg.Definitions(
    assets=[raw_articles, extract_articles, reporting_views, warehouse_snapshot],
    jobs=[ikrar_job],
    resources={
        "inbox": InboxResource(path=str(default_inbox()), max_file_bytes=limits.max_file_bytes,
                               max_chars=limits.max_chars, rehash=rehash_from_env()),
        "warehouse": WarehouseResource(path=str(default_warehouse())),
    },
)
