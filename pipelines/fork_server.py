"""The extraction workers' fork server: started as early as a run may need it, dropped if it turns out not to.

Standard library only, so that a launcher can start the server before it imports anything heavy (DuckDB, Arrow,
Dagster): the server's build of the spaCy pipelines (seconds, in a fresh interpreter) then overlaps the launcher's
whole start-up. ``pipelines.ingest`` forks its workers from this server (see ``extraction_pool`` there).
"""

from __future__ import annotations

import os
import signal
from contextlib import suppress
from multiprocessing import forkserver

# The module the fork server imports before it forks anyone: it builds the spaCy pipelines.
WORKER_PRELOAD = "pipelines.extract_server"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def start(preload: str = WORKER_PRELOAD, *, speculative: bool = False) -> None:
    """Start the fork server now, without waiting for it: it imports spaCy and builds the pipelines (seconds) on
    another core while this process gets on with the run, and the extraction finds it ready.

    Idempotent, and harmless when nothing is extracted in the end (the server exits with this process).
    ``speculative``: started before anyone knows whether there is work for the workers; ``drop_speculative``
    stops it if there is none. A later call without it confirms the server, whoever started it.
    """
    global _speculative
    _speculative = speculative and (_speculative or not running())
    forkserver.set_forkserver_preload([preload])  # no effect once the server runs; it has its preload then
    forkserver.ensure_running()


def drop_speculative() -> None:
    """Stop a speculatively started server that has no work: it would build the pipelines for nothing on a core
    the run needs. It is killed rather than asked to exit, which it would notice only once its build is done; it
    has no children yet (an extraction confirms the server before it forks any)."""
    global _speculative
    if not _speculative:
        return
    _speculative = False
    server = forkserver._forkserver  # the standard module's one server per process: it has no public stop
    if server._forkserver_pid is not None:
        with suppress(ProcessLookupError):
            os.kill(server._forkserver_pid, signal.SIGKILL)
        server._stop()  # reaps it and forgets it, so that a later start launches a new one


def running() -> bool:
    """Whether this process has started the server (it may still be building the pipelines)."""
    return forkserver._forkserver._forkserver_pid is not None


_speculative = False  # whether the running server was started speculatively and not confirmed since
