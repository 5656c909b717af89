"""Listing the inbox: which files are there, how big, what their content hash is.

The inbox path is resolved once; nothing outside it is read. Every read goes through ``read_inbox_file``, which
resolves the path again at read time, refuses a target outside the inbox, never follows a last-moment symlink,
never blocks on a FIFO and never reads more than the size limit (a file may change between listing and reading).
Every entry ends as exactly one ``InboxFile``: readable (``sha256`` set) or with a ``problem`` that the
warehouse records in ``ingest_issues``.

Hashing every file on every run costs a read of the whole inbox (about half a second per 10,000 articles, and
growing with it), so a file whose size and modification time equal what the manifest recorded keeps its recorded
hash without being read (``KnownHash``). The trade-off is git's: an edit that keeps the size and restores the
modification time (``touch -d``, some sync tools) goes unnoticed until a full re-hash (``known=None``, the
``IKRAR_REHASH`` setting). Edits within the timestamp granularity of the last listing cannot hide this way: the
manifest only vouches for files that were already older than that listing (see ``pipelines.ingest``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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


@dataclass(frozen=True)
class KnownHash:
    """The manifest's record of a file: its hash holds as long as its size and modification time do."""

    size_bytes: int
    modified_at: datetime
    sha256: str


class InboxReadError(Exception):
    """A file that cannot be read from the inbox; ``issue`` says why (an ``error`` for ingest_issues)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.issue = Issue("error", code, message)


def article_id_for(sha256: str) -> str:
    """Articles are identified by content: the same bytes under two names are one article."""
    return sha256[:16]


def _is_hidden(name: str) -> bool:
    # Editors and sync tools leave dotfiles and temporary files next to real articles.
    return name.startswith(".") or name.endswith("~")


def _has_undecodable_name(relative: str) -> bool:
    # os.scandir maps bytes that are not UTF-8 to lone surrogates, which no database column can hold.
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable_path(relative: str) -> str:
    """A file name that can be stored and shown: undecodable bytes written as \\xNN."""
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def resolve_inbox(path: Path | str) -> Path:
    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"inbox {root} is not a directory")
    return root


def scan_inbox(root: Path, max_file_bytes: int,
               known: Mapping[str, KnownHash] | None = None) -> Iterator[InboxFile]:
    """Yield every candidate file below ``root`` (recursively, sorted, hidden entries skipped).

    A folder is never a candidate, whatever its name ("x.txt/"): its files are. Symlinks to folders are not
    followed (no loops, no escape); they are reported as ``not_a_regular_file``. A file listed in ``known`` with
    the same size and modification time keeps the known hash unread; ``known=None`` reads and hashes every file.
    """
    for relative, entry in _list_files(root):
        reused = _unchanged_file(entry, relative, known.get(relative), max_file_bytes) if known else None
        yield reused or inspect_file(root, relative, max_file_bytes)


def _list_files(root: Path) -> Iterator[tuple[str, os.DirEntry | None]]:
    """Relative paths of every non-folder entry, depth-first in name order (iterative: no recursion limit), each
    with its directory entry (None for a folder that cannot be listed)."""
    stack = [""]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(root / folder if folder else root) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            yield folder or ".", None  # reported as unreadable by inspect_file
            continue
        subfolders = []
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            relative = f"{folder}/{entry.name}" if folder else entry.name
            if _is_real_directory(entry):
                subfolders.append(relative)
            else:
                yield relative, entry
        stack.extend(reversed(subfolders))


def _is_real_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def inspect_file(root: Path, relative: str, max_file_bytes: int) -> InboxFile:
    """Size, modification time and SHA-256 of one listed entry, or the problem that keeps it out."""
    if _has_undecodable_name(relative):
        return InboxFile(printable_path(relative), 0, None, problem=Issue(
            "error", "bad_file_name", "the file name is not valid UTF-8: rename the file"))
    try:
        data = read_inbox_file(root, relative, max_file_bytes)
        info = os.stat(root / relative)
    except InboxReadError as error:
        return InboxFile(relative, _link_size(root / relative), None, problem=error.issue)
    except FileNotFoundError:
        return InboxFile(relative, 0, None, problem=Issue("error", "vanished", "file disappeared while listed"))
    except OSError as error:
        return InboxFile(relative, 0, None, problem=Issue("error", "unreadable", f"cannot stat: {error.strerror}"))
    return InboxFile(relative, len(data), modified_time(info), sha256=hashlib.sha256(data).hexdigest())


def modified_time(info: os.stat_result) -> datetime:
    """The modification time in UTC, truncated to the microsecond the manifest stores (integer arithmetic, so the
    same file always gives the same value and compares equal with the recorded one)."""
    return _EPOCH + timedelta(microseconds=info.st_mtime_ns // 1000)


_EPOCH = datetime(1970, 1, 1)


def _unchanged_file(entry: os.DirEntry | None, relative: str, known: KnownHash | None,
                    max_file_bytes: int) -> InboxFile | None:
    """``relative`` with its known hash when it is still the regular, readable file the manifest describes.

    One ``lstat`` of the listed entry: a regular file (not a symlink) found by walking real folders down from the
    resolved root is inside the inbox, so the path need not be resolved again. Anything else (a symlink, a size
    over the limit, a lost read permission) returns None, and ``inspect_file`` reads the file and reports any
    problem as it would for a new file.
    """
    if known is None or entry is None:
        return None
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    unchanged = (stat.S_ISREG(info.st_mode) and info.st_size == known.size_bytes <= max_file_bytes
                 and modified_time(info) == known.modified_at and os.access(entry.path, os.R_OK))
    return InboxFile(relative, info.st_size, known.modified_at, sha256=known.sha256) if unchanged else None


def _link_size(path: Path) -> int:
    """Size of the entry itself (a symlink's own size: its target may be outside the inbox)."""
    try:
        return os.stat(path, follow_symlinks=False).st_size
    except OSError:
        return 0


def read_inbox_file(root: Path, relative: str, max_bytes: int) -> bytes:
    """The bytes of ``root/relative``, checked at read time; raises ``InboxReadError`` with a stable code.

    Codes: outside_inbox, not_a_regular_file, vanished, unreadable, file_too_large.
    """
    target = _resolve_inside(root, relative)
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise InboxReadError("not_a_regular_file", _kind_of(info.st_mode))
        if info.st_size > max_bytes:
            raise InboxReadError("file_too_large", f"{info.st_size} bytes is over the limit of {max_bytes} "
                                                   "(IKRAR_MAX_FILE_BYTES); never read")
        data = read_limited(target, max_bytes)
    except FileNotFoundError:
        raise InboxReadError("vanished", "file disappeared before it was read") from None
    except OSError as error:
        raise _read_error(error) from None
    if data is None:
        raise InboxReadError("file_too_large", f"grew over the limit of {max_bytes} bytes while being read")
    return data


def read_limited(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it holds more than ``max_bytes`` (never reads more than that + 1).

    O_NOFOLLOW: a path checked a moment ago must not have become a symlink since; O_NONBLOCK: a FIFO put in
    its place must not hang the run (fstat refuses it before any read).
    """
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InboxReadError("not_a_regular_file", _kind_of(info.st_mode))
        if info.st_size > max_bytes:
            return None
        data = stream.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _resolve_inside(root: Path, relative: str) -> Path:
    path = root / relative
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise InboxReadError("not_a_regular_file", "a broken symlink (its target does not exist)") from None
        raise InboxReadError("vanished", "file disappeared before it was read") from None
    except RuntimeError:  # Python 3.11 reports a symlink loop this way
        raise InboxReadError("not_a_regular_file", "a symlink loop") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InboxReadError("not_a_regular_file", "a symlink loop") from None
        raise InboxReadError("unreadable", f"cannot resolve: {error.strerror}") from None
    if not target.is_relative_to(root):
        raise InboxReadError("outside_inbox", "a symlink leading outside the inbox (never followed)")
    return target


def _read_error(error: OSError) -> InboxReadError:
    if error.errno == errno.ELOOP:  # the path became a symlink between resolving and opening it
        return InboxReadError("not_a_regular_file", "replaced by a symlink while being read (not followed)")
    if error.errno == errno.EISDIR:
        return InboxReadError("not_a_regular_file", "a directory (via symlink)")
    return InboxReadError("unreadable", f"cannot read: {error.strerror}")


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a directory (via symlink)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISFIFO, "a pipe"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((text for test, text in kinds if test(mode)), "not a regular file")
