"""One end-to-end materialization of every asset in this process, for the benchmark to time.

    python -m assets.materialize --inbox DIR --warehouse FILE [--workers N] [--batch-size N]

Runs in its own process so that the benchmark measures a cold start (imports, model loading) and the peak
memory of this process and its extraction workers. Prints one JSON line of row counts.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys

from pipelines import fork_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--workers", type=int, default=fork_server.default_workers())
    parser.add_argument("--batch-size", type=int, default=None, help="articles per batch (default: the step's)")
    args = parser.parse_args(argv)
    if args.workers > 1:
        # Most runs of this command have files to extract: the workers' fork server builds the pipelines while
        # DuckDB and Dagster are imported and the inbox listed (seconds), so it comes first, before any import
        # of them; the listing step stops it if there is nothing for it.
        fork_server.start(speculative=True)

    # Importing Dagster builds a large graph of long-lived objects, and the garbage collector would traverse all of
    # it again at each full collection: during the imports (nothing there is garbage), during the run, and several
    # times while the interpreter shuts down (a second or more of an incremental run in all). It is collected
    # neither during the imports nor afterwards: frozen, it stays out of every later collection.
    gc.disable()
    from assets.definitions import defs
    from assets.resources import InboxResource, WarehouseResource

    config = {"workers": args.workers}
    if args.batch_size is not None:
        config["batch_size"] = args.batch_size
    job = defs.resolve_job_def("ikrar_job")
    gc.freeze()
    gc.enable()
    result = job.execute_in_process(
        run_config={"ops": {"extract_articles": {"config": config}}},
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
    gc.freeze()  # what the run built is no garbage either: the shutdown's collections need not traverse it
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
