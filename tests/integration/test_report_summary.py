from pipelines.report import summarize
from tests.integration.harness import materialize


def test_summary_lists_counts_and_top_commitments(tmp_path):
    from pathlib import Path

    inbox = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
    warehouse = tmp_path / "ikrar.duckdb"
    materialize(inbox, warehouse)
    text = summarize(warehouse, top=3)
    assert "articles=2" in text
    assert text.count("actors:") == 3
