import threading
import time
from datetime import date, datetime

import duckdb
import pytest

from pipelines import warehouse as wh
from pipelines.warehouse import Warehouse, WarehouseLockTimeout


@pytest.fixture
def store(tmp_path):
    return Warehouse(tmp_path / "ikrar.duckdb")


def article(article_id="a1", body="China dan Tajikistan harus bekerja sama."):
    return {
        "article_id": article_id, "source_path": f"{article_id}.txt", "content_sha256": article_id * 4,
        "language": "id", "agency": "ANTARA", "dateline_place": "Astana", "published_date": date(2025, 6, 17),
        "title": None, "reporter": "Xinhua", "editor": "E", "translator": None, "copyright_year": 2025,
        "body_text": body, "n_paragraphs": 1, "n_sentences": 0, "n_tokens": 6, "encoding": "utf-8",
        "pipeline_version": "v", "processed_at": datetime(2025, 6, 18),
    }


def test_connect_creates_every_table(store):
    with store.connect() as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(wh.TABLES) <= tables


def test_insert_rows_types_values_by_the_table_schema(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article()])
        published, year = con.execute("SELECT published_date, copyright_year FROM articles").fetchone()
    assert published == date(2025, 6, 17)
    assert year == 2025


def test_delete_articles_removes_rows_in_every_article_table(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1"), article("a2")])
        wh.insert_rows(con, "sentences", [
            {"article_id": a, "sentence_index": 0, "paragraph_index": 0, "start_char": 0, "end_char": 5,
             "text": "China"} for a in ("a1", "a2")])
        wh.delete_articles(con, ["a1"])
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("a2",)]
        assert con.execute("SELECT article_id FROM sentences").fetchall() == [("a2",)]


def observation(article_id, entity_id, name, role=None, n=1, aliases=None):
    return {"article_id": article_id, "entity_id": entity_id, "entity_type": "PERSON", "canonical_name": name,
            "country_iso3": "CHN", "role": role, "aliases": aliases or [name], "n_mentions": n}


def test_rebuild_entities_merges_observations_across_articles(store):
    with store.connect() as con:
        wh.insert_rows(con, "entity_observations", [
            observation("a1", "person:xi-jinping", "Xi Jinping", "Presiden", 3, ["Xi", "Xi Jinping"]),
            observation("a2", "person:xi-jinping", "Xi Jinping", None, 2, ["Presiden Xi"]),
        ])
        wh.rebuild_entities(con)
        row = con.execute(
            "SELECT canonical_name, role, aliases, n_articles, n_mentions FROM entities").fetchone()
    assert row == ("Xi Jinping", "Presiden", ["Presiden Xi", "Xi", "Xi Jinping"], 2, 5)


def test_rebuild_entities_prefers_the_most_mentioned_name(store):
    with store.connect() as con:
        wh.insert_rows(con, "entity_observations", [
            observation("a1", "person:x", "X Short", n=1),
            observation("a2", "person:x", "X Longer Name", n=4),
        ])
        wh.rebuild_entities(con)
        assert con.execute("SELECT canonical_name FROM entities").fetchone()[0] == "X Longer Name"


def test_publish_replaces_snapshot_while_a_reader_holds_the_old_one(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1")])
    store.publish()
    reader = duckdb.connect(str(store.published_path), read_only=True)
    try:
        with store.connect() as con:
            wh.insert_rows(con, "articles", [article("a2")])
        store.publish()  # must not fail although a reader has the snapshot open
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        reader.close()
    fresh = duckdb.connect(str(store.published_path), read_only=True)
    assert fresh.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    fresh.close()


def published_article_ids(store):
    snapshot = duckdb.connect(str(store.published_path), read_only=True)
    try:
        return [row[0] for row in snapshot.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()]
    finally:
        snapshot.close()


def test_publishing_reads_the_work_database_while_it_is_copied(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1"), article("a2")])
    with store.publishing() as path, store.connect() as con:
        counted = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert (counted, path, published_article_ids(store)) == (2, store.published_path, ["a1", "a2"])


def test_publishing_publishes_nothing_when_its_block_fails(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1")])
    store.publish()
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a2")])
    with pytest.raises(RuntimeError), store.publishing():
        raise RuntimeError("counting failed")
    leftovers = [p.name for p in store.published_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert (published_article_ids(store), leftovers) == (["a1"], [])


def test_existing_views_are_those_created(store):
    with store.connect() as con:
        before = wh.existing_views(con)
        wh.create_reporting_views(con)
        assert (before, wh.existing_views(con)) == ([], list(wh.REPORTING_VIEWS))


def test_view_columns_come_from_the_catalog(store):
    with store.connect() as con:
        wh.create_reporting_views(con)
        columns = wh.view_columns(con, ["ingest_issue_summary"])
    assert columns == {"ingest_issue_summary": ["severity", "code", "n_files", "example_path", "example_message"]}


def test_a_view_is_summarised_by_the_first_paragraph_of_its_header_comment():
    # commitments_by_actor.sql has a note on its SQL after an empty comment line: it is left out.
    summary = wh.view_summary("commitments_by_actor")
    assert summary.startswith("per committed party") and summary.endswith("calls on it by others.")


def test_lock_waits_for_the_other_holder(store):
    released = []

    def hold():
        with store.lock():
            time.sleep(0.5)
            released.append(time.monotonic())

    worker = threading.Thread(target=hold)
    worker.start()
    time.sleep(0.1)
    with store.lock():
        acquired = time.monotonic()
    worker.join()
    assert acquired >= released[0]


def test_lock_times_out(store):
    done = threading.Event()

    def hold():
        with store.lock():
            done.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    time.sleep(0.1)
    try:
        with pytest.raises(WarehouseLockTimeout), store.lock(timeout_s=0.3):
            pass
    finally:
        done.set()
        worker.join()


def test_changed_schema_rebuilds_tables(store, monkeypatch):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article()])
    monkeypatch.setattr(wh, "schema_version", lambda: "something-else")
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        assert con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema_version'").fetchone()[0] \
            == "something-else"


def test_table_digest_ignores_row_order(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1"), article("a2")])
        first = wh.table_digest(con, "articles")
        con.execute("DELETE FROM articles")
        wh.insert_rows(con, "articles", [article("a2"), article("a1")])
        assert wh.table_digest(con, "articles") == first


def test_arrow_table_from_the_ddl_schema_inserts_as_built(store):
    table = wh.rows_to_arrow([article("a1"), article("a2")], wh.ddl_schemas()["articles"])
    with store.connect() as con:
        assert wh.insert_rows(con, "articles", table) == 2
        assert con.execute("SELECT count(*) FROM articles WHERE published_date = DATE '2025-06-17'").fetchone() == (2,)


def test_missing_keys_become_nulls(store):
    row = {key: value for key, value in article().items() if key != "title"}
    with store.connect() as con:
        wh.insert_rows(con, "articles", [row])
        assert con.execute("SELECT title FROM articles").fetchone() == (None,)


def test_writer_memory_is_capped_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("IKRAR_DUCKDB_MEMORY", "300MB")
    with store.connect() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "286.1 MiB"  # 300 MB as DuckDB reports it


def sentence(article_id, text, start=0):
    return {"article_id": article_id, "sentence_index": 0, "paragraph_index": 0, "start_char": start,
            "end_char": start + len(text), "text": text}


def span_check(con):
    from pipelines.quality import INVARIANTS, run_all

    outcomes = {o.invariant.name: o for o in run_all(con)}
    assert {i.name for i in INVARIANTS} == set(outcomes)
    return outcomes["sentence_offsets_match_body"]


def test_span_check_flags_a_sentence_whose_text_differs_from_the_body(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "Chinx")])  # right length, wrong characters
        assert span_check(con).examples == [("a1", 0)]


def test_passing_span_checks_record_the_newest_verified_article(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "China")])
        assert span_check(con).passed
        assert wh.meta_value(con, "content_checked_through") == "2025-06-18 00:00:00"


def test_a_failing_span_check_is_reported_again_on_the_next_run(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "Chinx")])
        span_check(con)
        assert span_check(con).n_violations == 1


def test_articles_loaded_after_the_last_check_are_compared_with_their_body(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "China")])
        span_check(con)
        wh.insert_rows(con, "articles", [{**article("a2"), "n_sentences": 1, "processed_at": datetime(2025, 6, 19)}])
        wh.insert_rows(con, "sentences", [sentence("a2", "Chinx")])
        assert span_check(con).examples == [("a2", 0)]


def test_a_span_outside_the_body_fails(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "China", start=100)])
        assert span_check(con).n_violations == 1


def test_a_verified_article_is_checked_again_only_when_everything_is_asked_for(store):
    from pipelines.quality import run_all

    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "China")])
        span_check(con)
        con.execute("UPDATE sentences SET start_char = 100, end_char = 105")  # an edit outside the pipeline
        assert span_check(con).passed
        outcomes = {o.invariant.name: o for o in run_all(con, everything=True)}
        assert outcomes["sentence_offsets_match_body"].n_violations == 1


def test_a_repeated_sentence_key_fails_the_uniqueness_check(store):
    from pipelines.quality import run_all

    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "China")])
        wh.insert_rows(con, "sentences", [sentence("a1", "China")])  # no index refuses it: the check must
        outcomes = {o.invariant.name: o for o in run_all(con)}
        assert outcomes["sentence_keys_unique"].examples == [("a1", 0)]


def test_span_offsets_count_characters_not_bytes(store):
    body = "Menteri “Luar” Negeri bertemu di Astana."
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1", body=body), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [sentence("a1", "Astana", start=body.index("Astana"))])
        assert span_check(con).passed


def test_a_span_both_too_long_and_wrong_is_one_violation(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [{**article("a1"), "n_sentences": 1}])
        wh.insert_rows(con, "sentences", [{**sentence("a1", "Chinx"), "end_char": 6}])
        assert span_check(con).n_violations == 1


def test_a_session_holds_the_lock_until_it_ends(store):
    with store.session(), pytest.raises(wh.WarehouseLockTimeout), store.lock(timeout_s=0.3):
        pass
    with store.lock(timeout_s=0.3):
        pass


def test_steps_inside_a_session_share_one_database(store):
    with store.session():
        with store.connect() as con:
            wh.set_meta(con, "step", "one")
        with store.connect() as con:
            assert wh.meta_value(con, "step") == "one"


def test_a_publish_inside_a_session_holds_what_was_committed(store):
    with store.session():
        with store.connect() as con:
            wh.insert_rows(con, "articles", [article("a1")])
        store.publish()
    snapshot = duckdb.connect(str(store.published_path), read_only=True)
    try:
        assert snapshot.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
    finally:
        snapshot.close()


def test_counts_of_several_relations_are_taken_per_relation(store):
    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1"), article("a2")])
        wh.create_reporting_views(con)
        counts = wh.count_all_rows(con, ["articles", "article_overview", "entities"])
    assert counts == {"articles": 2, "article_overview": 2, "entities": 0}


def test_an_article_loaded_twice_fails_the_uniqueness_check(store):
    from pipelines.quality import run_all

    with store.connect() as con:
        wh.insert_rows(con, "articles", [article("a1"), article("a1")])  # no key refuses it: the check must
        outcomes = {o.invariant.name: o for o in run_all(con)}
    assert outcomes["article_ids_unique"].examples == [("a1",)]


def test_an_entity_built_twice_fails_the_uniqueness_check(store):
    from pipelines.quality import run_all

    entity = {"entity_id": "country:CHN", "entity_type": "COUNTRY", "canonical_name": "China",
              "country_iso3": "CHN", "role": None, "aliases": ["China"], "n_articles": 1, "n_mentions": 1}
    with store.connect() as con:
        wh.insert_rows(con, "entities", [entity, entity])
        outcomes = {o.invariant.name: o for o in run_all(con)}
    assert outcomes["entity_ids_unique"].examples == [("country:CHN",)]
