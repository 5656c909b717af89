"""The torture corpus: every kind of bad input in one inbox, materialized together; one outcome per file.

One row per case: how the inbox entry is made → its ``raw_articles.status`` and the codes ``ingest_issues``
holds for it. The README table "What happens to bad input" lists the same codes (a test below keeps them
in step). Three faults that need timing are injected around the real listing and reading functions: a file
the kernel refuses to read (CI runs as root, which reads anything), a file deleted after the listing, and a
file swapped for a symlink leading outside the inbox after the listing.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assets.resources import InboxResource, WarehouseResource
from pipelines import inbox as inbox_module
from pipelines.config import DEFAULT_MAX_CHARS, DEFAULT_MAX_FILE_BYTES, REPO_DIR
from tests.integration.harness import digests
from tests.robustness.support import TORTURE, connect_read_only, inconsistencies

pytestmark = pytest.mark.slow

BASE = (TORTURE / "id_base.txt").read_text(encoding="utf-8")
NAMES = (TORTURE / "en_accented_names.txt").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
SECRET = "secret words that live outside the inbox and must never be read"


def _variant(n: int) -> str:
    """The base article with one extra sentence: distinct content, same layout."""
    extra = f"Program itu akan diikuti oleh {n} politeknik di kedua negara."
    return BASE.replace("\n\nPewarta:", f"\n\n{extra}\n\nPewarta:")


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _fixture(name: str) -> Callable[[Path], None]:
    return lambda path: shutil.copy(TORTURE / name, path)


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(path.parent / target)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays in the folder


def _folder_with_article(path: Path) -> None:
    path.mkdir()
    (path / "inner.txt").write_text(_variant(7), encoding="utf-8")


def _million_char_line() -> bytes:
    sentence = "Kerja sama ini penting bagi kedua negara dan kawasan. "
    line = "Jakarta (ANTARA) - " + sentence * (max(DEFAULT_MAX_CHARS, 1_000_000) // len(sentence) + 1)
    assert len(line) > 1_000_000 and "\n" not in line
    return line.encode("utf-8")


@dataclass(frozen=True)
class Case:
    name: str  # the entry's name in the inbox
    make: Callable[[Path], None]
    status: str | None  # raw_articles.status; None: not a file, never listed
    codes: frozenset[str] = frozenset()  # every ingest_issues code for this path


def case(name, make, status, *codes):
    return pytest.param(Case(name, make, status, frozenset(codes)), id=name)


CASES = [
    case("base.txt", _bytes(BASE.encode()), "loaded"),
    # --- quarantined: not text, or not an article --------------------------------------------------------
    case("empty.txt", _bytes(b""), "quarantined", "empty_file"),
    case("whitespace.txt", _bytes(b"  \r\n\t\n \n"), "quarantined", "whitespace_only"),
    case("image.txt", _bytes(PNG), "quarantined", "binary_content"),
    case("noise.txt", _bytes(bytes((i * 7919 + 13) % 256 for i in range(4096))), "quarantined", "binary_content"),
    case("shopping_list.txt", _fixture("not_news.txt"), "quarantined", "not_an_article"),
    case("script.txt", _bytes("\n".join(f"def f{i}(x):\n    return x is not None and x in data_{i}"
                                        for i in range(30)).encode()), "quarantined", "not_an_article"),
    case("index_page.html", _fixture("html_index_page.html"), "quarantined", "not_an_article"),
    case("french.txt", _fixture("french.txt"), "quarantined", "unsupported_language"),
    case("one_line.txt", _bytes(_million_char_line()), "quarantined", "text_too_long"),
    # --- refused at listing: never read, or not readable ---------------------------------------------------
    case("huge.txt", _bytes(b"a" * (DEFAULT_MAX_FILE_BYTES + 1)), "unreadable", "file_too_large"),
    case("socket.txt", _socket, "unreadable", "not_a_regular_file"),
    case("pipe.txt", os.mkfifo, "unreadable", "not_a_regular_file"),
    case("link_outside.txt", lambda path: path.symlink_to(path.parent.parent / "secret.txt"),
         "unreadable", "outside_inbox"),
    case("link_folder.txt", _symlink("folder.txt"), "unreadable", "not_a_regular_file"),
    case("link_broken.txt", _symlink("missing.txt"), "unreadable", "not_a_regular_file"),
    case("link_loop.txt", _symlink("link_loop.txt"), "unreadable", "not_a_regular_file"),
    case("locked.txt", _bytes(_variant(1).encode()), "unreadable", "unreadable"),
    case("\udcffname.txt", _bytes(_variant(2).encode()), "unreadable", "bad_file_name"),
    # --- changed between listing and reading -----------------------------------------------------------
    case("vanishing.txt", _bytes(_variant(3).encode()), "quarantined", "vanished"),
    case("swapped.txt", _bytes(_variant(4).encode()), "quarantined", "outside_inbox"),
    # --- loaded, nothing to say ---------------------------------------------------------------------------
    case("utf8_bom.txt", _bytes(BASE.encode("utf-8-sig")), "loaded"),
    case("utf16le_bom.txt", _bytes(b"\xff\xfe" + BASE.encode("utf-16-le")), "loaded"),
    case("utf16be_bom.txt", _bytes(b"\xfe\xff" + BASE.encode("utf-16-be")), "loaded"),
    case("crlf.txt", _bytes(BASE.replace("\n", "\r\n").encode()), "loaded"),
    case("lone_cr.txt", _bytes(BASE.replace("\n", "\r").encode()), "loaded"),
    case("it's; DROP TABLE articles; --.txt", _bytes(_variant(5).encode()), "loaded"),
    case("folder.txt", _folder_with_article, None),
    case("folder.txt/inner.txt", lambda path: None, "loaded"),
    # --- loaded with a warning: something was repaired or guessed -------------------------------------------
    case("utf16_no_bom.txt", _bytes(BASE.encode("utf-16-le")), "loaded", "utf16_without_bom"),
    case("utf16_odd_length.txt", _bytes(b"\xff\xfe" + BASE.encode("utf-16-le") + b"\x00"), "loaded",
         "truncated_text"),
    case("cp1252.txt", _bytes(NAMES.encode("cp1252")), "loaded", "legacy_encoding"),
    case("latin1.txt", _bytes(NAMES.replace("Anaïs Peña", "Inês Müller").encode("latin-1")), "loaded",
         "legacy_encoding"),
    case("nul_bytes.txt", _bytes(BASE.replace("sepakat", "sepa\x00kat").encode()), "loaded", "nul_bytes_removed"),
    case("control_chars.txt", _bytes(BASE.replace("sepakat", "sepa\x1bkat").encode()), "loaded",
         "control_chars_removed"),
    case("truncated.txt", _bytes((BASE + "Catatan —").encode()[:-1]), "loaded", "truncated_utf8"),
    case("damaged.txt", _bytes(BASE.encode().replace(b"sepakat", b"sepa\xffkat")), "loaded",
         "invalid_bytes_replaced"),
    case("page.html", _fixture("html_article.html"), "loaded", "html_stripped"),
    case("no_dateline.txt", _fixture("no_dateline.txt"), "loaded", "no_dateline"),
    case("no_footer.txt", _fixture("no_footer.txt"), "loaded", "no_footer"),
    case("no_date.txt", _fixture("no_date.txt"), "loaded", "no_date"),
    case("date_31_2.txt", _fixture("invalid_date.txt"), "loaded", "invalid_date"),
    case("wrong_weekday.txt", _fixture("weekday_mismatch.txt"), "loaded", "weekday_mismatch"),
    case("no_year.txt", _fixture("date_without_year.txt"), "loaded", "date_without_year"),
    case("year_2250.txt", _fixture("implausible_year.txt"), "loaded", "implausible_year"),
    # --- the same content twice --------------------------------------------------------------------------
    case("zz_copy_of_base.txt", _bytes(BASE.encode()), "duplicate", "duplicate_content"),
    case("zz_link_to_base.txt", _symlink("base.txt"), "duplicate", "duplicate_content"),
    # --- not listed at all ---------------------------------------------------------------------------------
    case(".hidden.txt", _bytes(BASE.encode()), None),
    case("draft.txt~", _bytes(BASE.encode()), None),
]
ALL_CASES: list[Case] = [param.values[0] for param in CASES]
# Codes that need a fault inside extraction itself; tested by their own test below (extraction_failed) and in
# test_dying_worker.py (extraction_crashed).
CODES_TESTED_ELSEWHERE = {"extraction_failed", "extraction_crashed"}


def build_inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    for entry in ALL_CASES:
        entry.make(inbox / entry.name)  # \udcff… becomes the byte 0xff
    return inbox


def inject_faults(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Timing faults around the real listing and reading code (see the module docstring)."""
    import assets.ingest

    real_read, real_sync = inbox_module.read_limited, assets.ingest.sync_manifest

    def refuse_locked(path, limit):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path, limit)

    def sync_then_change_the_inbox(con, files, now):
        summary = real_sync(con, files, now)
        (inbox / "vanishing.txt").unlink()
        (inbox / "swapped.txt").unlink()
        (inbox / "swapped.txt").symlink_to(inbox.parent / "secret.txt")
        return summary

    monkeypatch.setattr(inbox_module, "read_limited", refuse_locked)
    monkeypatch.setattr(assets.ingest, "sync_manifest", sync_then_change_the_inbox)
    if os.geteuid() != 0:  # a real refusal as well, where the kernel enforces modes
        (inbox / "locked.txt").chmod(0)


def materialize(inbox: Path, warehouse: Path):
    from assets.definitions import defs

    result = defs.resolve_job_def("ikrar_job").execute_in_process(
        run_config={"ops": {"extract_articles": {"config": {"workers": 1, "batch_size": 10}}}},
        resources={"inbox": InboxResource(path=str(inbox)), "warehouse": WarehouseResource(path=str(warehouse))},
        raise_on_error=True,
    )
    assert result.success
    return result


@pytest.fixture(scope="module")
def torture_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("torture")
    inbox = build_inbox(root)
    warehouse = root / "wh" / "ikrar.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        inject_faults(inbox, monkeypatch)
        result = materialize(inbox, warehouse)
    (inbox / "locked.txt").chmod(0o644)
    first = root / "first_run.duckdb"
    shutil.copy(warehouse, first)
    metadata = result.asset_materializations_for_node("extract_articles")[0].metadata
    return inbox, warehouse, first, {key: value.value for key, value in metadata.items()}


def _query(path: Path, sql: str, params=()):
    con = connect_read_only(path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _stored_name(name: str) -> str:
    return inbox_module.printable_path(name)


@pytest.mark.parametrize("entry", CASES)
def test_each_entry_ends_in_its_documented_outcome(torture_run, entry):
    _, _, first, _ = torture_run
    name = _stored_name(entry.name)
    statuses = [row[0] for row in _query(first, "SELECT status FROM raw_articles WHERE source_path = ?", [name])]
    codes = {row[0] for row in _query(first, "SELECT code FROM ingest_issues WHERE source_path = ?", [name])}
    assert (statuses, codes) == ([entry.status] if entry.status else [], set(entry.codes))


@pytest.mark.parametrize("entry", CASES)
def test_only_loaded_files_have_an_article(torture_run, entry):
    _, _, first, _ = torture_run
    rows = _query(first, "SELECT count(*) FROM articles a JOIN raw_articles r USING (article_id) "
                         "WHERE r.source_path = ? AND r.status IN ('loaded', 'duplicate')", [_stored_name(entry.name)])
    assert rows[0][0] == (1 if entry.status in ("loaded", "duplicate") else 0)


def test_severity_follows_the_outcome(torture_run):
    _, _, first, _ = torture_run
    rows = _query(first, "SELECT DISTINCT r.status, i.severity FROM ingest_issues i JOIN raw_articles r "
                         "USING (source_path)")
    expected = {("loaded", "warning"), ("quarantined", "error"), ("unreadable", "error"), ("duplicate", "info")}
    assert set(rows) == expected


def test_run_metadata_reconciles_the_counts(torture_run):
    _, _, _, metadata = torture_run
    listed = [c for c in ALL_CASES if c.status]
    by_status = {status: sum(1 for c in listed if c.status == status) for status in {c.status for c in listed}}
    observed = {key: metadata[key] for key in ("files_seen", "loaded", "quarantined", "unreadable", "duplicates")}
    assert observed == {"files_seen": len(listed), "loaded": by_status["loaded"],
                        "quarantined": by_status["quarantined"], "unreadable": by_status["unreadable"],
                        "duplicates": by_status["duplicate"]}
    assert metadata["counts_reconcile"] is True


def test_the_warehouse_is_consistent(torture_run):
    _, _, first, _ = torture_run
    con = connect_read_only(first)
    try:
        assert inconsistencies(con) == []
    finally:
        con.close()


def test_nothing_from_outside_the_inbox_is_read(torture_run):
    _, _, first, _ = torture_run
    hits = _query(first, "SELECT count(*) FROM articles WHERE contains(body_text, ?)", [SECRET[:20]])
    assert hits == [(0,)]


def test_html_is_never_indexed_as_markup(torture_run):
    _, _, first, _ = torture_run
    body, title = _query(first, "SELECT body_text, title FROM articles WHERE source_path = 'page.html'")[0]
    assert "<" not in body and "dataLayer" not in body and "Beranda" not in body
    assert title == "Indonesia dan Brunei tingkatkan kerja sama energi"


@pytest.mark.parametrize("name", ["cp1252.txt", "latin1.txt"])
def test_legacy_encodings_keep_accented_names(torture_run, name):
    _, _, first, _ = torture_run
    body, encoding = _query(first, "SELECT body_text, encoding FROM articles WHERE source_path = ?", [name])[0]
    assert "José Ramos-Horta" in body and "François Müller" in body
    assert encoding == "cp1252"


@pytest.mark.parametrize(("name", "encoding"), [
    ("base.txt", "utf-8"), ("utf8_bom.txt", "utf-8-sig"), ("utf16le_bom.txt", "utf-16-le"),
    ("utf16be_bom.txt", "utf-16-be"), ("crlf.txt", "utf-8"), ("lone_cr.txt", "utf-8"),
])
def test_unicode_variants_give_the_same_body(torture_run, name, encoding):
    _, _, first, _ = torture_run
    rows = _query(first, "SELECT encoding, body_text = (SELECT body_text FROM articles WHERE source_path = "
                         "'base.txt'), published_date::VARCHAR FROM articles WHERE source_path = ?", [name])
    assert rows == [(encoding, True, "2025-07-14")]


def test_date_without_a_year_is_never_guessed(torture_run):
    _, _, first, _ = torture_run
    assert _query(first, "SELECT published_date FROM articles WHERE source_path = 'no_year.txt'") == [(None,)]


def test_the_weekday_mismatch_keeps_the_written_date(torture_run):
    _, _, first, _ = torture_run
    rows = _query(first, "SELECT published_date::VARCHAR FROM articles WHERE source_path = 'wrong_weekday.txt'")
    assert rows == [("2025-07-14",)]


# --- later runs over the same inbox, faults gone ---------------------------------------------------------------


@pytest.fixture(scope="module")
def later_runs(torture_run):
    """Run 2: faults gone, one file edited, one deleted. Run 3: nothing changed."""
    inbox, warehouse, _, _ = torture_run
    edited = inbox / "no_date.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "Filipina sepakat", "Filipina pada Senin (14/7) sepakat"), encoding="utf-8")
    (inbox / "no_footer.txt").unlink()
    materialize(inbox, warehouse)
    second = digests(warehouse)  # every table, only last_seen_at excluded
    materialize(inbox, warehouse)
    return warehouse, second, digests(warehouse)


def test_rerunning_over_the_torture_inbox_changes_nothing(later_runs):
    _, second, third = later_runs
    assert third == second


def test_an_edited_file_replaces_its_rows(later_runs):
    warehouse, _, _ = later_runs
    rows = _query(warehouse, "SELECT published_date::VARCHAR FROM articles WHERE source_path = 'no_date.txt'")
    codes = _query(warehouse, "SELECT code FROM ingest_issues WHERE source_path = 'no_date.txt'")
    assert (rows, codes) == ([("2025-07-14",)], [])


def test_a_deleted_file_takes_its_article_and_issues_away(later_runs):
    warehouse, _, _ = later_runs
    left = _query(warehouse, "SELECT (SELECT count(*) FROM articles WHERE source_path = 'no_footer.txt'), "
                             "(SELECT count(*) FROM ingest_issues WHERE source_path = 'no_footer.txt'), "
                             "(SELECT count(*) FROM raw_articles WHERE source_path = 'no_footer.txt')")
    assert left == [(0, 0, 0)]


def test_a_file_readable_again_is_loaded(later_runs):
    warehouse, _, _ = later_runs
    rows = _query(warehouse, "SELECT status FROM raw_articles WHERE source_path = 'locked.txt'")
    assert rows == [("loaded",)]


def test_a_vanished_file_is_forgotten_on_the_next_run(later_runs):
    warehouse, _, _ = later_runs
    assert _query(warehouse, "SELECT count(*) FROM raw_articles WHERE source_path = 'vanishing.txt'") == [(0,)]


def test_later_runs_stay_consistent(later_runs):
    warehouse, _, _ = later_runs
    con = connect_read_only(warehouse)
    try:
        assert inconsistencies(con) == []
    finally:
        con.close()


# --- the README table -----------------------------------------------------------------------------------------


def readme_codes() -> set[str]:
    """The codes in the "code" column of the README's bad-input table."""
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What happens to bad input", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.split("|")] for line in section.splitlines() if line.startswith("|")]
    column = rows[0].index("code")
    return {code for row in rows[2:] for code in re.findall(r"`([a-z0-9_]+)`", row[column])}


def test_every_code_in_the_readme_is_produced_by_a_case():
    produced = {code for entry in ALL_CASES for code in entry.codes} | CODES_TESTED_ELSEWHERE
    assert readme_codes() == produced


def test_an_unexpected_extraction_error_quarantines_only_that_file(tmp_path, monkeypatch):
    from pipelines import ingest
    from pipelines.nlp.commitments import CommitmentExtractor
    from pipelines.warehouse import Warehouse

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(BASE, encoding="utf-8")
    (inbox / "trips_a_bug.txt").write_text(_variant(9), encoding="utf-8")
    real_call = CommitmentExtractor.__call__

    def fail_on_one_article(self, doc):  # both files go through the pipeline together: only one may fail
        if "9 politeknik" in doc.text:
            raise ZeroDivisionError("a bug in a component")
        return real_call(self, doc)

    monkeypatch.setattr(CommitmentExtractor, "__call__", fail_on_one_article)
    warehouse = Warehouse(tmp_path / "wh" / "ikrar.duckdb")
    summary = ingest.run_pipeline(inbox, warehouse, ingest.Limits())
    rows = _query(warehouse.published_path, "SELECT source_path, code, message FROM ingest_issues")
    assert (summary.loaded, summary.quarantined, summary.reconciles) == (1, 1, True)
    assert rows == [("trips_a_bug.txt", "extraction_failed", "ZeroDivisionError: a bug in a component")]
