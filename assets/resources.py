"""The external systems ikrar touches: the inbox folder and the DuckDB warehouse."""

from __future__ import annotations

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
    """The DuckDB warehouse: ``path`` is the published snapshot analysts query."""

    path: str

    def warehouse(self) -> Warehouse:
        return Warehouse(Path(self.path).expanduser().resolve())
