"""The extraction step: articles, sentences, entities and commitments from the new or changed files.

One op materializes the whole chain because every table comes out of the same spaCy pass over an article, and
an article's rows are written together in one transaction (all-or-nothing); the specs' deps keep the lineage
visible in the UI.
"""


import dagster as dg

from assets.checks import EXTRACTION_CHECK_SPECS, check_results, checks_running
from assets.metadata import table_metadata
from assets.resources import InboxResource, WarehouseResource
from pipelines.config import pipeline_version
from pipelines.fork_server import default_workers
from pipelines.ingest import DEFAULT_BATCH_SIZE, run_extraction
from pipelines.warehouse import rebuild_entities

EXTRACTION_SPECS = [
    dg.AssetSpec("articles", deps=["raw_articles"], kinds={"duckdb", "spacy"},
                 description="One row per distinct article: metadata parsed from the dateline and footer, and "
                             "the clean body text that every offset points into."),
    dg.AssetSpec("sentences", deps=["articles"], kinds={"duckdb", "spacy"},
                 description="Sentences of each body with paragraph index and character offsets."),
    dg.AssetSpec("entity_mentions", deps=["sentences"], kinds={"duckdb", "spacy"},
                 description="Every person, country, place, organization and event mention, linked to an "
                             "entity_id, with offsets into body_text."),
    dg.AssetSpec("entities", deps=["entity_mentions"], kinds={"duckdb"},
                 description="One row per entity across all articles (stable ids such as country:CHN, "
                             "person:xi-jinping) with type, canonical name, affiliation, role and aliases."),
    dg.AssetSpec("commitments", deps=["sentences", "entity_mentions"], kinds={"duckdb", "spacy"},
                 description="Who said that which party must / will / is ready to / supports / calls for / "
                             "agreed to / pledged what: modality, negation, status, domains, evidence span."),
    dg.AssetSpec("commitment_parties", deps=["commitments", "entities"], kinds={"duckdb"},
                 description="Actors (who is committed) and targets (toward whom) of each commitment."),
    dg.AssetSpec("ingest_issues", deps=["raw_articles"], kinds={"duckdb"},
                 description="Why a file was quarantined, repaired or guessed at: one row per problem, with a "
                             "stable code (see the README)."),
]

PREVIEW_COLUMNS = {
    "articles": "article_id, source_path, language, published_date, dateline_place, n_sentences",
    "sentences": "article_id, sentence_index, paragraph_index, left(text, 80) AS text",
    "entity_mentions": "article_id, mention_text, entity_id, entity_type",
    "entities": "entity_id, entity_type, canonical_name, country_iso3, role",
    "commitments": "modality, trigger_text, left(action_text, 60) AS action, domains, negated, status",
    "commitment_parties": "commitment_id, entity_id, role",
    "ingest_issues": "source_path, severity, code, message",
}


class ExtractionConfig(dg.Config):
    workers: int = default_workers()  # extraction processes; 1 runs in the step's own process
    batch_size: int = DEFAULT_BATCH_SIZE  # articles per transaction (and per worker task)


@dg.multi_asset(specs=EXTRACTION_SPECS, check_specs=EXTRACTION_CHECK_SPECS, group_name="extract")
def extract_articles(context: dg.AssetExecutionContext, config: ExtractionConfig, inbox: InboxResource,
                     warehouse: WarehouseResource):
    with warehouse.warehouse().connect() as con:
        summary = run_extraction(con, inbox.root(), inbox.limits(), workers=config.workers,
                                 batch_size=config.batch_size, progress=context.log.info)
        n_entities = rebuild_entities(con)
        context.log.info(
            f"extracted {summary.loaded} article(s), quarantined {summary.quarantined}, "
            f"{summary.duplicates} duplicate(s), {summary.unchanged} unchanged; {n_entities} entities")
        run_facts = {
            "pipeline_version": pipeline_version(),
            "files_seen": summary.files_seen,
            "loaded": summary.loaded,
            "quarantined": summary.quarantined,
            "unreadable": summary.unreadable,
            "duplicates": summary.duplicates,
            "unchanged": summary.unchanged,
            "removed_articles": summary.removed_articles,  # normally 0: the listing step removes them
            "pending": summary.pending,
            "warnings": summary.warnings,
            # files_seen = loaded + quarantined + unreadable + duplicates + unchanged, and nothing pending
            "counts_reconcile": summary.reconciles,
        }
        with checks_running(con, summary.loaded) as checked:
            for spec in EXTRACTION_SPECS:
                name = spec.key.path[-1]
                metadata = table_metadata(con, name, PREVIEW_COLUMNS[name])
                if name == "articles":
                    metadata.update(run_facts)
                yield dg.MaterializeResult(asset_key=name, metadata=metadata)
            outcomes = checked.result()
        yield from check_results(outcomes)
