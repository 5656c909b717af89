"""Settings shared by the pipeline, read from the environment with documented defaults.

Everything a user may tune lives here so the Dagster resources, the CLI scripts and the tests agree.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
SQL_DIR = REPO_DIR / "sql"

# Files whose content decides what extraction produces: a change to any of them is a new pipeline version,
# and every article is re-extracted on the next run.
_EXTRACTION_SOURCES = ("parse", "nlp", "extract.py")

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024  # larger files are quarantined (code file_too_large)
# spaCy's max_length for one article body. Wire stories are a few thousand characters; the cap keeps one hostile
# file from holding a worker for minutes (extraction time grows faster than linearly with a single doc's length).
DEFAULT_MAX_CHARS = 200_000
# DuckDB's buffer pool for the single writer; past it, large queries (the entities mart, the checks) spill to
# disk instead of letting the pipeline's memory grow with the warehouse.
DEFAULT_DUCKDB_MEMORY = "256MB"


@dataclass(frozen=True)
class Limits:
    """Guards against pathological input; both are documented in the README."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_chars: int = DEFAULT_MAX_CHARS


def default_inbox() -> Path:
    return Path(os.environ.get("IKRAR_INBOX", REPO_DIR / "seeds" / "articles"))


def default_warehouse() -> Path:
    return Path(os.environ.get("IKRAR_WAREHOUSE", REPO_DIR / "data" / "ikrar.duckdb"))


def limits_from_env() -> Limits:
    return Limits(
        max_file_bytes=int(os.environ.get("IKRAR_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)),
        max_chars=int(os.environ.get("IKRAR_MAX_CHARS", DEFAULT_MAX_CHARS)),
    )


def duckdb_memory_limit() -> str:
    return os.environ.get("IKRAR_DUCKDB_MEMORY", DEFAULT_DUCKDB_MEMORY)


def _digest_tree(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def pipeline_version() -> str:
    """A digest of the extraction code, rules, lexicons and model: stored on every article row."""
    files: list[Path] = []
    for name in _EXTRACTION_SOURCES:
        target = PACKAGE_DIR / name
        files.extend(target.rglob("*") if target.is_dir() else [target])
    return _digest_tree(files)


@cache
def schema_version() -> str:
    """A digest of the warehouse DDL: a change rebuilds the warehouse from the inbox."""
    return _digest_tree(list((SQL_DIR / "schema").glob("*.sql")))
