"""The extraction step's asset checks: run on a thread of their own, reported as Dagster check results."""

from datetime import date, datetime

from assets.checks import CHECKS_ALONGSIDE_MAX_ARTICLES, check_results, checks_running
from pipelines.warehouse import Warehouse, count_rows, insert_rows


def article(article_id: str) -> dict:
    return {
        "article_id": article_id, "source_path": f"{article_id}.txt", "content_sha256": article_id * 4,
        "language": "id", "agency": "ANTARA", "dateline_place": "Kupang", "published_date": date(2025, 3, 4),
        "title": None, "reporter": "R", "editor": "E", "translator": None, "copyright_year": 2025,
        "body_text": "Harga beras naik.", "n_paragraphs": 1, "n_sentences": 0, "n_tokens": 3, "encoding": "utf-8",
        "pipeline_version": "v", "processed_at": datetime(2025, 3, 5),
    }


def test_checks_running_meanwhile_report_a_violation_as_a_failed_check(tmp_path):
    with Warehouse(tmp_path / "ikrar.duckdb").connect() as con:
        insert_rows(con, "articles", [article("a1"), article("a1")])  # the same article twice
        with checks_running(con, new_articles=2) as checked:
            read_meanwhile = count_rows(con, "articles")
        results = {r.check_name: r for r in check_results(checked.result())}
    failed = results["article_ids_unique"]
    assert (read_meanwhile, failed.passed, failed.metadata["violations"].value) == (2, False, 1)


def test_checks_after_a_large_load_are_done_before_the_block(tmp_path):
    with Warehouse(tmp_path / "ikrar.duckdb").connect() as con:
        insert_rows(con, "articles", [article("a1")])
        with checks_running(con, new_articles=CHECKS_ALONGSIDE_MAX_ARTICLES + 1) as checked:
            done_on_entry = checked.done()
        assert done_on_entry and all(outcome.passed for outcome in checked.result())
