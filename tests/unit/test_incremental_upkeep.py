"""Work a run does only for what changed: span checks, entities, and the early-started extraction server.

Each shortcut must give what the full computation gives: entities equal a full rebuild, and a violation in a
new article is reported whatever second it was stamped with.
"""

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from pipelines import warehouse as wh
from pipelines.quality import CHECKED_THROUGH_KEY, run_all
from pipelines.warehouse import ENTITIES_BUILT_THROUGH_KEY, Warehouse

REPO = Path(__file__).resolve().parents[2]
STAMP = datetime(2025, 6, 18, 9, 30)


@pytest.fixture
def con(tmp_path):
    with Warehouse(tmp_path / "ikrar.duckdb").connect() as connection:
        yield connection


def add_article(con, article_id, body="China dan Tajikistan harus bekerja sama.", sentence="China",
                processed_at=STAMP):
    wh.insert_rows(con, "articles", [{
        "article_id": article_id, "source_path": f"{article_id}.txt", "content_sha256": article_id * 4,
        "language": "id", "agency": "ANTARA", "dateline_place": "Astana", "published_date": date(2025, 6, 17),
        "title": None, "reporter": "R", "editor": "E", "translator": None, "copyright_year": 2025,
        "body_text": body, "n_paragraphs": 1, "n_sentences": 1, "n_tokens": 6, "encoding": "utf-8",
        "pipeline_version": "v", "processed_at": processed_at,
    }])
    wh.insert_rows(con, "sentences", [{"article_id": article_id, "sentence_index": 0, "paragraph_index": 0,
                                       "start_char": 0, "end_char": len(sentence), "text": sentence}])


def sentence_check(con):
    return {o.invariant.name: o for o in run_all(con)}["sentence_offsets_match_body"]


def test_an_article_verified_at_the_recorded_point_is_not_compared_again(con):
    add_article(con, "a1")
    assert sentence_check(con).passed
    con.execute("UPDATE sentences SET text = 'Chinx'")  # same length: only the text comparison could see it
    assert sentence_check(con).passed


def test_an_article_stamped_with_the_recorded_second_is_compared_once_the_mark_is_held(con):
    add_article(con, "a1")
    sentence_check(con)
    wh.hold_mark_before(con, CHECKED_THROUGH_KEY, STAMP)  # what a run starting in that same second does first
    add_article(con, "a2", sentence="Chinx")
    assert sentence_check(con).examples == [("a2", 0)]


def test_holding_a_mark_at_a_later_time_leaves_it_unchanged(con):
    add_article(con, "a1")
    sentence_check(con)
    wh.hold_mark_before(con, CHECKED_THROUGH_KEY, STAMP + timedelta(seconds=1))
    assert wh.meta_value(con, CHECKED_THROUGH_KEY) == "2025-06-18 09:30:00"


def outcomes_by_name(con):
    return {o.invariant.name: o for o in run_all(con)}


def test_per_article_checks_look_only_at_the_articles_loaded_since_they_passed(con):
    add_article(con, "a1")
    run_all(con)
    add_article(con, "a2", processed_at=STAMP + timedelta(hours=1))
    add_article(con, "a3", processed_at=STAMP + timedelta(hours=1))
    assert outcomes_by_name(con)["sentence_keys_unique"].n_articles == 2


def test_a_failing_key_check_keeps_its_articles_unverified(con):
    add_article(con, "a1")
    wh.insert_rows(con, "sentences", [{"article_id": "a1", "sentence_index": 0, "paragraph_index": 0,
                                       "start_char": 0, "end_char": 5, "text": "China"}])  # the key twice
    run_all(con)
    assert wh.meta_value(con, CHECKED_THROUGH_KEY) is None
    assert outcomes_by_name(con)["sentence_keys_unique"].examples == [("a1", 0)]


def test_a_large_scope_read_through_views_finds_what_copies_find(con, monkeypatch):
    from pipelines import quality

    add_article(con, "a1", sentence="Chinx")  # the text differs from the body's characters
    wh.insert_rows(con, "sentences", [{"article_id": "a1", "sentence_index": 0, "paragraph_index": 0,
                                       "start_char": 0, "end_char": 5, "text": "China"}])  # the key twice
    copied = {o.invariant.name: (o.n_violations, o.examples) for o in run_all(con)}
    monkeypatch.setattr(quality, "COPIED_SCOPE_MAX_ARTICLES", 0)
    viewed = {o.invariant.name: (o.n_violations, o.examples) for o in run_all(con)}
    assert viewed == copied
    assert copied["sentence_keys_unique"][0] == copied["sentence_offsets_match_body"][0] == 1


def test_a_verified_article_whose_entity_is_gone_is_reported(con):
    add_article(con, "a1")
    wh.insert_rows(con, "entity_mentions", [{"article_id": "a1", "sentence_index": 0, "start_char": 0,
                                             "end_char": 5, "mention_text": "China", "entity_id": "country:CHN",
                                             "entity_type": "COUNTRY", "source": "gazetteer"}])
    wh.insert_rows(con, "entities", [{"entity_id": "country:CHN", "entity_type": "COUNTRY",
                                      "canonical_name": "China", "country_iso3": "CHN", "role": None,
                                      "aliases": ["China"], "n_articles": 1, "n_mentions": 1}])
    assert outcomes_by_name(con)["mentions_link_to_entities"].passed
    con.execute("DELETE FROM entities")
    outcome = outcomes_by_name(con)["mentions_link_to_entities"]
    assert (outcome.examples, outcome.n_articles) == ([("a1", 0)], None)


def observation(article_id, entity_id, name, n=1, role=None):
    return {"article_id": article_id, "entity_id": entity_id, "entity_type": "PERSON", "canonical_name": name,
            "country_iso3": "CHN", "role": role, "aliases": [name], "n_mentions": n}


def add_observed_article(con, article_id, observations, processed_at=STAMP):
    add_article(con, article_id, processed_at=processed_at)
    wh.insert_rows(con, "entity_observations", observations)


def full_rebuild_digest(con):
    """The digest of ``entities`` as a rebuild from nothing gives it (the connection's state is rolled back)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM warehouse_meta WHERE key = ?", [ENTITIES_BUILT_THROUGH_KEY])
        con.execute("DELETE FROM entities")
        con.execute("CREATE TEMP TABLE _ikrar_entity_scope AS SELECT DISTINCT entity_id FROM entity_observations")
        con.execute(wh.read_sql("marts/entities.sql"))
        con.execute("DROP TABLE _ikrar_entity_scope")
        return wh.table_digest(con, "entities")
    finally:
        con.execute("ROLLBACK")


@pytest.fixture
def built(con):
    """Two articles observing a shared person, entities built (so the next rebuild is incremental)."""
    add_observed_article(con, "a1", [observation("a1", "person:x", "X Short", 3, "Presiden"),
                                     observation("a1", "person:y", "Y", 1)])
    add_observed_article(con, "a2", [observation("a2", "person:x", "X Longer Name", 1)])
    wh.rebuild_entities(con)
    assert wh.meta_value(con, ENTITIES_BUILT_THROUGH_KEY) == "2025-06-18 09:30:00"
    return con


def delete_articles(con, article_ids):
    """What a run does when files leave the inbox: their articles' rows go, in one committed transaction."""
    con.execute("BEGIN TRANSACTION")
    wh.delete_articles(con, article_ids)
    con.execute("COMMIT")


def test_entities_after_a_new_article_equal_a_full_rebuild(built):
    later = STAMP + timedelta(hours=1)
    add_observed_article(built, "a3", [observation("a3", "person:x", "X Longer Name", 5),
                                       observation("a3", "person:z", "Z", 1)], processed_at=later)
    wh.rebuild_entities(built)
    assert wh.table_digest(built, "entities") == full_rebuild_digest(built)


def test_entities_after_a_removed_article_equal_a_full_rebuild(built):
    delete_articles(built, ["a1"])  # person:y loses its only article, person:x one of two
    wh.rebuild_entities(built)
    assert wh.table_digest(built, "entities") == full_rebuild_digest(built)
    assert built.execute("SELECT count(*) FROM entities WHERE entity_id = 'person:y'").fetchone()[0] == 0


def test_entities_after_an_article_removed_and_another_added_equal_a_full_rebuild(built):
    delete_articles(built, ["a2"])  # person:x keeps a1 and gains a3: only its counts tell a2 is gone
    add_observed_article(built, "a3", [observation("a3", "person:x", "X Short", 1)],
                         processed_at=STAMP + timedelta(hours=1))
    wh.rebuild_entities(built)
    assert wh.table_digest(built, "entities") == full_rebuild_digest(built)


def test_entities_after_a_re_extracted_article_equal_a_full_rebuild(built):
    delete_articles(built, ["a2"])
    # Same article, same entities and counts, another name: only its newer stamp tells it changed.
    add_observed_article(built, "a2", [observation("a2", "person:x", "X Other", 1)],
                         processed_at=STAMP + timedelta(days=1))
    wh.rebuild_entities(built)
    assert wh.table_digest(built, "entities") == full_rebuild_digest(built)


def test_entities_of_an_article_stamped_with_the_built_second_are_rebuilt_once_the_mark_is_held(built):
    delete_articles(built, ["a2"])
    wh.hold_mark_before(built, ENTITIES_BUILT_THROUGH_KEY, STAMP)  # a run starting in the same second
    add_observed_article(built, "a2", [observation("a2", "person:x", "X Other", 1)], processed_at=STAMP)
    wh.rebuild_entities(built)
    assert wh.table_digest(built, "entities") == full_rebuild_digest(built)


# The fork server is one per process: these run in a child interpreter, with a preload that loads nothing heavy.
SERVER = """
import os, sys
from multiprocessing import forkserver
from pipelines import fork_server
fork_server.start("json", speculative=True)
pid = forkserver._forkserver._forkserver_pid
if sys.argv[1] == "confirm":
    fork_server.start("json")
fork_server.drop_speculative()
try:
    os.kill(pid, 0)
    print("alive")
except ProcessLookupError:
    print("gone")
"""


def server_state_after_drop(action: str) -> str:
    result = subprocess.run([sys.executable, "-c", SERVER, action], cwd=REPO, capture_output=True, text=True,
                            timeout=60, check=True)
    return result.stdout.strip()


def test_a_speculative_server_with_no_work_is_stopped():
    assert server_state_after_drop("none") == "gone"


def test_a_confirmed_server_is_kept():
    assert server_state_after_drop("confirm") == "alive"


def test_an_extraction_run_holds_the_marks_below_its_own_stamp(con, tmp_path):
    from pipelines.config import Limits
    from pipelines.ingest import run_extraction, utc_now

    for key in (CHECKED_THROUGH_KEY, ENTITIES_BUILT_THROUGH_KEY):
        wh.set_meta(con, key, "2999-01-01 00:00:00")  # a clock set back since the marks were recorded
    (tmp_path / "inbox").mkdir()
    run_extraction(con, tmp_path / "inbox", Limits())
    assert all(datetime.fromisoformat(wh.meta_value(con, key)) < utc_now()
               for key in (CHECKED_THROUGH_KEY, ENTITIES_BUILT_THROUGH_KEY))


FEW_FILES = """
import sys
from datetime import datetime
from pathlib import Path
from pipelines import fork_server
from pipelines.config import Limits
from pipelines.ingest import WorkItem, extract_all
inbox = Path(sys.argv[1])
if sys.argv[2] == "server":
    fork_server.start("json", speculative=True)
batches = list(extract_all(inbox, [WorkItem("a.txt", "0" * 64)], Limits(), datetime(2025, 1, 1), 2, 10))
print(len(batches), "spacy" in sys.modules)
"""


def writer_loads_spacy_for_one_file(tmp_path, server: str) -> bool:
    (tmp_path / "a.txt").write_text("not an article\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", FEW_FILES, str(tmp_path), server], cwd=REPO, capture_output=True,
                            text=True, timeout=300, check=True)
    n_batches, loaded_spacy = result.stdout.split()
    assert n_batches == "1"
    return loaded_spacy == "True"


def test_a_running_server_extracts_even_a_single_file(tmp_path):
    assert not writer_loads_spacy_for_one_file(tmp_path, "server")


def test_without_a_server_a_single_file_is_extracted_in_the_writer(tmp_path):
    assert writer_loads_spacy_for_one_file(tmp_path, "none")


def test_entities_built_in_chunks_equal_a_single_pass(con, monkeypatch):
    for k in range(6):
        add_observed_article(con, f"c{k}", [observation(f"c{k}", f"person:p{j}", f"P{j} {k}", 1 + (j + k) % 3)
                                            for j in range(k, k + 4)])
    monkeypatch.setattr(wh, "ENTITY_CHUNK", 2)  # 9 entities in 5 chunks
    wh.rebuild_entities(con)
    assert con.execute("SELECT count(*) FROM entities").fetchone()[0] == 9
    assert wh.table_digest(con, "entities") == full_rebuild_digest(con)
