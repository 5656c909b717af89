"""raw_articles: what is in the inbox now."""


import dagster as dg

from assets.metadata import table_metadata
from assets.resources import InboxResource, WarehouseResource
from pipelines.inbox import scan_inbox
from pipelines.ingest import sync_manifest, utc_now


@dg.asset(
    group_name="ingest",
    kinds={"duckdb", "python"},
    description=(
        "The inbox manifest: every file under the inbox folder with its size, modification time and SHA-256. "
        "Decides what the next extraction reads: only new or changed files (or all, after a pipeline-version "
        "change). Unreadable entries (permissions, symlinks leading outside the inbox, sockets, oversized "
        "files) are recorded in ingest_issues here."
    ),
)
def raw_articles(context: dg.AssetExecutionContext, inbox: InboxResource,
                 warehouse: WarehouseResource) -> dg.MaterializeResult:
    root = inbox.root()
    context.log.info(f"scanning inbox {root}")
    with warehouse.warehouse().connect() as con:
        summary = sync_manifest(con, scan_inbox(root, inbox.max_file_bytes), utc_now())
        metadata = table_metadata(
            con, "raw_articles", "source_path, size_bytes, status, left(content_sha256, 12) AS sha256")
    context.log.info(
        f"inbox: {summary.files_seen} files ({summary.new} new, {summary.changed} changed, "
        f"{summary.unchanged} unchanged, {summary.unreadable} unreadable, {summary.removed} removed; "
        f"{summary.removed_articles} article(s) removed)")
    return dg.MaterializeResult(metadata={
        **metadata,
        "inbox": dg.MetadataValue.path(str(root)),
        "files_seen": summary.files_seen,
        "new": summary.new,
        "changed": summary.changed,
        "unchanged": summary.unchanged,
        "unreadable": summary.unreadable,
        "removed": summary.removed,
        "removed_articles": summary.removed_articles,
    })
