from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from pipelines.config import Limits
from pipelines.extract import extract_article, extract_articles
from pipelines.nlp.pipeline import build_nlp
from pipelines.parse.types import IngestError

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
ARTICLE = (ARTICLES / "id_vietnam_perikanan.txt").read_bytes()
ENGLISH_ARTICLE = (ARTICLES / "en_japan_energy.txt").read_bytes()
NOW = datetime(2025, 3, 7)


@cache
def nlp_for(lang):
    return build_nlp(lang)


@pytest.fixture(scope="module")
def rows():
    return extract_article(ARTICLE, source_path="a.txt", nlp_for=nlp_for, limits=Limits(), processed_at=NOW)


def test_article_row_counts_agree_with_child_rows(rows):
    article = rows.tables["articles"][0]
    assert article["n_sentences"] == len(rows.tables["sentences"])
    assert article["n_paragraphs"] == 4


def test_sentence_offsets_slice_the_body(rows):
    body = rows.tables["articles"][0]["body_text"]
    assert all(body[s["start_char"]:s["end_char"]] == s["text"] for s in rows.tables["sentences"])


def test_sentences_are_trimmed_and_numbered_in_order(rows):
    sentences = rows.tables["sentences"]
    assert [s["sentence_index"] for s in sentences] == list(range(len(sentences)))
    assert all(s["text"] == s["text"].strip() for s in sentences)


def test_mention_offsets_slice_the_body(rows):
    body = rows.tables["articles"][0]["body_text"]
    assert all(body[m["start_char"]:m["end_char"]] == m["mention_text"] for m in rows.tables["entity_mentions"])


def test_observations_aggregate_mentions_per_entity(rows):
    sugiono = [o for o in rows.tables["entity_observations"] if o["entity_id"] == "person:sugiono"]
    assert len(sugiono) == 1
    assert sugiono[0]["n_mentions"] >= 2
    assert sugiono[0]["role"] == "Menteri Luar Negeri"


def test_every_commitment_has_an_actor_party(rows):
    actors = {p["commitment_id"] for p in rows.tables["commitment_parties"] if p["role"] == "actor"}
    assert rows.tables["commitments"]
    assert {c["commitment_id"] for c in rows.tables["commitments"]} <= actors


def test_every_party_is_an_observed_entity(rows):
    observed = {o["entity_id"] for o in rows.tables["entity_observations"]}
    assert {p["entity_id"] for p in rows.tables["commitment_parties"]} <= observed


def test_article_id_is_the_content_hash_prefix(rows):
    import hashlib

    assert rows.article_id == hashlib.sha256(ARTICLE).hexdigest()[:16]


def test_body_over_the_character_limit_is_refused():
    with pytest.raises(IngestError) as error:
        extract_article(ARTICLE, source_path="a.txt", nlp_for=nlp_for, limits=Limits(max_chars=100),
                        processed_at=NOW)
    assert error.value.code == "text_too_long"


def test_mentions_and_commitments_point_at_the_sentence_that_holds_them(rows):
    spans = {s["sentence_index"]: (s["start_char"], s["end_char"]) for s in rows.tables["sentences"]}
    located = rows.tables["entity_mentions"] + [
        {"sentence_index": c["sentence_index"], "start_char": c["trigger_start"]} for c in rows.tables["commitments"]]
    assert all(spans[m["sentence_index"]][0] <= m["start_char"] < spans[m["sentence_index"]][1] for m in located)


def test_token_count_leaves_out_whitespace_tokens(rows):
    body = rows.tables["articles"][0]["body_text"]
    assert rows.tables["articles"][0]["n_tokens"] == len(nlp_for("id").make_doc(body)) - body.count("\n\n")


def extract_each(files, **options):
    return list(extract_articles(files, nlp_for=nlp_for, limits=Limits(), processed_at=NOW, **options))


def test_articles_extracted_together_get_the_rows_they_get_alone(rows):
    together = extract_each([(ENGLISH_ARTICLE, "b.txt"), (ARTICLE, "a.txt")])
    alone = extract_article(ENGLISH_ARTICLE, source_path="b.txt", nlp_for=nlp_for, limits=Limits(), processed_at=NOW)
    assert [result.tables for result in together] == [alone.tables, rows.tables]


def test_a_file_that_is_no_article_gets_its_error_in_its_place():
    results = extract_each([(ARTICLE, "a.txt"), (b"", "empty.txt"), (ENGLISH_ARTICLE, "b.txt")])
    assert [type(result).__name__ for result in results] == ["ArticleRows", "IngestError", "ArticleRows"]


def test_a_component_failing_on_one_doc_costs_that_file_alone():
    from spacy.language import Language

    @Language.component("fails_on_fishing_news")
    def fails_on_fishing_news(doc):
        if "perikanan" in doc.text.lower():
            raise ZeroDivisionError("a bug in a component")
        return doc

    def failing_nlp(lang):
        nlp = build_nlp(lang)
        nlp.add_pipe("fails_on_fishing_news")
        return nlp

    maritime = ARTICLE.replace(b"perikanan", b"kelautan").replace(b"Perikanan", b"Kelautan")
    files = [(maritime, "m.txt"), (ARTICLE, "a.txt"), (ENGLISH_ARTICLE, "b.txt")]
    results = list(extract_articles(files, nlp_for=cache(failing_nlp), limits=Limits(), processed_at=NOW))
    assert [type(result).__name__ for result in results] == ["ArticleRows", "ZeroDivisionError", "ArticleRows"]
    alone = extract_article(maritime, source_path="m.txt", nlp_for=nlp_for, limits=Limits(), processed_at=NOW)
    assert results[0].tables == alone.tables


def test_long_bodies_are_annotated_in_groups_within_the_character_budget(monkeypatch):
    from pipelines import extract
    from pipelines.parse.types import ParsedArticle

    monkeypatch.setattr(extract, "PIPE_BATCH_CHARS", 10)
    bodies = ["aaaa", "bbbb", "cccccccccccc", "d"]
    items = [extract._Prepared("", "utf-8", [], ParsedArticle(body, [(0, len(body))], "id")) for body in bodies]
    groups = [[item.parsed.body_text for item in group] for group in extract._within_char_budget(items)]
    assert groups == [["aaaa", "bbbb"], ["cccccccccccc"], ["d"]]
