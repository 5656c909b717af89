"""raw_articles: what is in the inbox now."""


import dagster as dg

from assets.metadata import table_metadata
from assets.resources import InboxResource, WarehouseResource
from pipelines.fork_server import default_workers
from pipelines.inbox import scan_inbox
from pipelines.ingest import (
    IN_PROCESS_MAX_FILES,
    drop_speculative_extraction_server,
    known_hashes,
    start_extraction_server,
    sync_manifest,
    utc_now,
)


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
        now = utc_now()  # before the listing: the racy-file margin of known_hashes is measured from it
        known = None if inbox.rehash else known_hashes(con)  # unchanged size and mtime: the recorded hash holds
        summary = sync_manifest(con, scan_inbox(root, inbox.max_file_bytes, known), now)
        if summary.new + summary.changed > IN_PROCESS_MAX_FILES:
            _prepare_extraction()
        elif summary.new + summary.changed == 0:
            drop_speculative_extraction_server()  # a run's launcher may have started it on the chance of work
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


def _prepare_extraction() -> None:
    """The extraction step's workers come from this process's fork server: started as soon as there is work for
    it, it imports spaCy and builds the pipelines (seconds) on another core while this step finishes. Never when
    nothing changed, so an idle run does not pay for it (in a step-per-process run it simply goes unused)."""
    if default_workers() > 1:
        start_extraction_server()
