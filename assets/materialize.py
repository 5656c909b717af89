"""One end-to-end materialization of every asset in this process, for the benchmark to time.

    python -m assets.materialize --inbox DIR --warehouse FILE [--workers N] [--batch-size N]

Runs in its own process so that the benchmark measures a cold start (imports, model loading) and the peak
memory of this process and its extraction workers. Prints one JSON line of row counts.
"""

from __future__ import annotations

import argparse
import json
import sys

from assets.definitions import defs
from assets.resources import InboxResource, WarehouseResource
from pipelines.ingest import DEFAULT_BATCH_SIZE, default_workers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    args = parser.parse_args(argv)

    job = defs.resolve_job_def("ikrar_job")
    result = job.execute_in_process(
        run_config={"ops": {"extract_articles": {"config": {"workers": args.workers,
                                                             "batch_size": args.batch_size}}}},
        resources={
            "inbox": InboxResource(path=args.inbox),
            "warehouse": WarehouseResource(path=args.warehouse),
        },
    )
    facts = {}
    for event in result.asset_materializations_for_node("extract_articles"):
        if event.asset_key.to_user_string() == "articles":
            facts = {key: value.value for key, value in event.metadata.items()
                     if key in ("loaded", "quarantined", "unchanged", "duplicates", "files_seen")}
    print(json.dumps({"success": result.success, **facts}))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
