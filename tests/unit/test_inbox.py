import hashlib
import socket

import pytest

from pipelines.inbox import article_id_for, read_limited, resolve_inbox, scan_inbox


def scan(root, limit=1_000_000):
    return {f.source_path: f for f in scan_inbox(resolve_inbox(root), limit)}


def test_regular_file_is_hashed(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"hello")
    found = scan(tmp_path)["a.txt"]
    assert found.sha256 == hashlib.sha256(b"hello").hexdigest()
    assert found.problem is None
    assert found.size_bytes == 5


def test_article_id_is_derived_from_content():
    assert article_id_for("ab" * 32) == "ab" * 8


def test_subdirectories_are_scanned_with_relative_posix_paths(tmp_path):
    (tmp_path / "2025" / "06").mkdir(parents=True)
    (tmp_path / "2025" / "06" / "x.txt").write_text("x")
    assert list(scan(tmp_path)) == ["2025/06/x.txt"]


def test_hidden_and_backup_files_are_skipped(tmp_path):
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "draft.txt~").write_text("x")
    assert scan(tmp_path) == {}


def test_symlink_outside_inbox_is_refused(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    (inbox / "link.txt").symlink_to(secret)
    found = scan(inbox)["link.txt"]
    assert found.problem.code == "outside_inbox"
    assert found.sha256 is None


def test_oversized_file_is_not_read(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    found = scan(tmp_path, limit=1000)["big.txt"]
    assert found.problem.code == "file_too_large"
    assert found.sha256 is None


def test_socket_is_not_a_regular_file(tmp_path):
    path = tmp_path / "feed.txt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert scan(tmp_path)["feed.txt"].problem.code == "not_a_regular_file"
    finally:
        server.close()


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    # CI runs as root, which reads any file whatever its mode: simulate the kernel's refusal instead.
    (tmp_path / "locked.txt").write_text("x")

    def refuse(path, limit):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pipelines.inbox.read_limited", refuse)
    found = scan(tmp_path)["locked.txt"]
    assert found.problem.code == "unreadable"
    assert "Permission denied" in found.problem.message


def test_read_limited_refuses_more_than_the_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"12345")
    assert read_limited(path, 5) == b"12345"
    assert read_limited(path, 4) is None


def test_missing_inbox_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        resolve_inbox(tmp_path / "nope")


def known_entry(path, **changes):
    from pipelines.inbox import KnownHash, modified_time

    info = path.stat()
    recorded = {"size_bytes": info.st_size, "modified_at": modified_time(info), "sha256": "f" * 64}
    return KnownHash(**{**recorded, **changes})


def scan_with(root, known):
    return {f.source_path: f for f in scan_inbox(resolve_inbox(root), 1_000_000, known)}


def test_unchanged_size_and_mtime_keep_the_recorded_hash_unread(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"hello")
    found = scan_with(tmp_path, {"a.txt": known_entry(tmp_path / "a.txt")})["a.txt"]
    assert found.sha256 == "f" * 64


def test_changed_mtime_is_read_and_hashed_again(tmp_path):
    from datetime import timedelta

    (tmp_path / "a.txt").write_bytes(b"hello")
    entry = known_entry(tmp_path / "a.txt")
    entry = known_entry(tmp_path / "a.txt", modified_at=entry.modified_at - timedelta(seconds=1))
    assert scan_with(tmp_path, {"a.txt": entry})["a.txt"].sha256 == hashlib.sha256(b"hello").hexdigest()


def test_changed_size_is_read_and_hashed_again(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"hello")
    entry = known_entry(tmp_path / "a.txt", size_bytes=4)
    assert scan_with(tmp_path, {"a.txt": entry})["a.txt"].sha256 == hashlib.sha256(b"hello").hexdigest()


def test_a_known_file_turned_into_an_outside_symlink_is_refused(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "secret.txt").write_bytes(b"hello")
    entry = known_entry(tmp_path / "secret.txt")
    (inbox / "a.txt").symlink_to(tmp_path / "secret.txt")
    found = scan_with(inbox, {"a.txt": entry})["a.txt"]
    assert found.sha256 is None and found.problem.code == "outside_inbox"


def test_without_known_hashes_every_file_is_hashed(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"hello")
    assert scan_with(tmp_path, None)["a.txt"].sha256 == hashlib.sha256(b"hello").hexdigest()


def _synced_manifest(tmp_path, now):
    from pipelines.ingest import known_hashes, sync_manifest
    from pipelines.warehouse import Warehouse

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(b"hello")
    with Warehouse(tmp_path / "wh.duckdb").connect() as con:
        sync_manifest(con, scan_inbox(resolve_inbox(inbox), 1_000_000), now)
        return known_hashes(con)


def test_a_file_modified_just_before_its_listing_is_not_trusted(tmp_path):
    from pipelines.ingest import utc_now

    assert _synced_manifest(tmp_path, utc_now()) == {}


def test_a_file_older_than_its_listing_is_trusted(tmp_path):
    from datetime import timedelta

    from pipelines.ingest import utc_now

    known = _synced_manifest(tmp_path, utc_now() + timedelta(seconds=10))
    assert known["a.txt"].sha256 == hashlib.sha256(b"hello").hexdigest()
