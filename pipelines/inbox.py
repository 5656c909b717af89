"""Listing the inbox: which files are there, how big, what their content hash is.

The inbox path is resolved once; nothing outside it is read, and a symlink that leads outside is refused.
Every entry ends as exactly one ``InboxFile``: readable (``sha256`` set) or with a ``problem`` that the
warehouse records in ``ingest_issues``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.parse.types import Issue


@dataclass(frozen=True)
class InboxFile:
    source_path: str  # relative to the inbox, "/"-separated
    size_bytes: int
    modified_at: datetime | None
    sha256: str | None = None
    problem: Issue | None = None  # set when the file cannot be read as a candidate article

    @property
    def article_id(self) -> str | None:
        return article_id_for(self.sha256) if self.sha256 else None


def article_id_for(sha256: str) -> str:
    """Articles are identified by content: the same bytes under two names are one article."""
    return sha256[:16]


def _error(code: str, message: str) -> Issue:
    return Issue("error", code, message)


def _is_hidden(name: str) -> bool:
    # Editors and sync tools leave dotfiles and temporary files next to real articles.
    return name.startswith(".") or name.endswith("~")


def resolve_inbox(path: Path | str) -> Path:
    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"inbox {root} is not a directory")
    return root


def scan_inbox(root: Path, max_file_bytes: int) -> Iterator[InboxFile]:
    """Yield every candidate file below ``root`` (recursively, sorted, hidden entries skipped)."""
    yield from _scan_dir(root, root, max_file_bytes)


def _scan_dir(root: Path, directory: Path, max_file_bytes: int) -> Iterator[InboxFile]:
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        rel = directory.relative_to(root).as_posix()
        yield InboxFile(rel, 0, None, problem=_error("unreadable", f"cannot list directory: {exc.strerror}"))
        return
    for entry in entries:
        if _is_hidden(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _scan_dir(root, path, max_file_bytes)
        else:
            yield _inspect(root, path, max_file_bytes)


def _inspect(root: Path, path: Path, max_file_bytes: int) -> InboxFile:
    rel = path.relative_to(root).as_posix()
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                return InboxFile(rel, 0, None, problem=_error("outside_inbox", "symlink points outside the inbox"))
        info = path.stat()
    except FileNotFoundError:
        return InboxFile(rel, 0, None, problem=_error("vanished", "file disappeared while the inbox was listed"))
    except OSError as exc:
        return InboxFile(rel, 0, None, problem=_error("unreadable", f"cannot stat: {exc.strerror}"))
    modified = datetime.fromtimestamp(info.st_mtime, UTC).replace(tzinfo=None)
    if stat.S_ISDIR(info.st_mode):
        return InboxFile(rel, 0, modified, problem=_error("not_a_regular_file", "a directory (via symlink)"))
    if not stat.S_ISREG(info.st_mode):
        return InboxFile(rel, 0, modified, problem=_error("not_a_regular_file", "not a regular file"))
    if info.st_size > max_file_bytes:
        return InboxFile(rel, info.st_size, modified, problem=_error(
            "file_too_large", f"{info.st_size} bytes is over the limit of {max_file_bytes} (IKRAR_MAX_FILE_BYTES)"))
    try:
        data = read_limited(path, max_file_bytes)
    except FileNotFoundError:
        return InboxFile(rel, info.st_size, modified, problem=_error("vanished", "file disappeared before reading"))
    except OSError as exc:
        return InboxFile(rel, info.st_size, modified, problem=_error("unreadable", f"cannot read: {exc.strerror}"))
    if data is None:
        return InboxFile(rel, info.st_size, modified, problem=_error(
            "file_too_large", f"grew over the limit of {max_file_bytes} bytes while being read"))
    return InboxFile(rel, len(data), modified, sha256=hashlib.sha256(data).hexdigest())


def read_limited(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it holds more than ``max_bytes`` (never reads more than that + 1)."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    return None if len(data) > max_bytes else data
