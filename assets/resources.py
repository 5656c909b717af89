"""The external systems ikrar touches: the inbox folder and the DuckDB warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipelines.config import DEFAULT_MAX_CHARS, DEFAULT_MAX_FILE_BYTES, Limits
from pipelines.inbox import resolve_inbox
from pipelines.warehouse import Warehouse


class InboxResource(dg.ConfigurableResource):
    """The folder analysts drop article files into (read-only for ikrar)."""

    path: str
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_chars: int = DEFAULT_MAX_CHARS
    # Read and hash every file, even one whose size and mtime match the manifest (an edit that kept both).
    rehash: bool = False

    def root(self) -> Path:
        return resolve_inbox(self.path)

    def limits(self) -> Limits:
        return Limits(max_file_bytes=self.max_file_bytes, max_chars=self.max_chars)


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse: ``path`` is the published snapshot analysts query.

    The resource holds the work database for as long as it is initialised (``Warehouse.session``): for the whole
    run when the steps share a process (``ikrar_job``), so that they share one open database; for one step in a
    step-per-process run. Other processes wait for the lock meanwhile, as they wait for a step.
    """

    path: str

    def warehouse(self) -> Warehouse:
        return Warehouse(Path(self.path).expanduser().resolve())

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        with self.warehouse().session():
            yield self
