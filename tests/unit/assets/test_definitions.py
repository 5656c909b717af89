"""The asset graph as a snapshot, so that a change to the lineage shows in review."""

import dagster as dg

from assets.definitions import defs

EXPECTED_LINEAGE = {
    "raw_articles": [],
    "articles": ["raw_articles"],
    "sentences": ["articles"],
    "entity_mentions": ["sentences"],
    "entities": ["entity_mentions"],
    "commitments": ["entity_mentions", "sentences"],
    "commitment_parties": ["commitments", "entities"],
    "ingest_issues": ["raw_articles"],
    "reporting_views": ["commitment_parties", "commitments", "entities", "ingest_issues"],
    "warehouse_snapshot": ["reporting_views"],
}


def test_asset_graph_lineage():
    graph = defs.resolve_asset_graph()
    lineage = {
        key.to_user_string(): sorted(parent.to_user_string() for parent in graph.get(key).parent_keys)
        for key in graph.get_all_asset_keys()
    }
    assert lineage == EXPECTED_LINEAGE


def test_every_asset_has_a_description():
    graph = defs.resolve_asset_graph()
    missing = [k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).description]
    assert missing == []


def test_extraction_tables_carry_the_invariant_checks():
    graph = defs.resolve_asset_graph()
    checked = {key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert {"sentences", "entity_mentions", "entities", "commitments", "commitment_parties", "articles"} <= checked


def test_job_selects_every_asset():
    job = defs.resolve_job_def("ikrar_job")
    assert isinstance(job, dg.JobDefinition)
    assert len(job.asset_layer.selected_asset_keys) == len(EXPECTED_LINEAGE)
