"""A worker preload for tests: the real one, plus a worker that dies on any file named ``*poison*``.

``os._exit`` ends the process at once with no exception, no cleanup and no reply to its pool: what the kernel's
out-of-memory killer or a crash in native code leaves behind.
"""

import os

import pipelines.extract_server  # noqa: F401  (the real preload: builds the pipelines)
from pipelines import ingest

_extract_files = ingest.extract_files


def _dying_extract_files(inbox, items, limits, processed_at):
    if any("poison" in item.source_path for item in items):
        os._exit(137)
    return _extract_files(inbox, items, limits, processed_at)


ingest.extract_files = _dying_extract_files
