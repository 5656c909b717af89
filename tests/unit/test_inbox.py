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
