import argparse
import json

import pytest
import spacy

from pipelines.evaluate import main, run_ner
from pipelines.scoring.ner import bio_spans, read_conll, read_conll_file, score_ner

# Made-up sentences: token, UPOS, BIO tag.
CONLL = """Presiden PROPN O
Joko PROPN B-PER
Widodo PROPN I-PER
tiba VERB O
di ADP O
Surabaya PROPN B-LOC
. PUNCT O

Ketua NOUN O
KPU PROPN B-ORG
hadir VERB O
. PUNCT O
"""


@pytest.fixture(scope="module")
def ruler_nlp():
    """A real extractor whose output each test chooses: blank("id") + an entity ruler (built once: slow)."""
    nlp = spacy.blank("id")
    ruler = nlp.add_pipe("entity_ruler")

    def with_patterns(patterns: list[dict]):
        ruler.clear()
        ruler.add_patterns(patterns)
        return nlp

    return with_patterns


def test_crlf_and_lf_read_the_same():
    assert read_conll(CONLL.replace("\n", "\r\n")) == read_conll(CONLL)


def test_sentences_are_split_on_blank_lines():
    sentences = read_conll(CONLL)
    assert [s.tokens[1] for s in sentences] == ["Joko", "KPU"]


def test_bio_spans_joins_inside_tags():
    assert bio_spans(["O", "B-PER", "I-PER", "O", "B-LOC"]) == {(1, 3, "PER"), (4, 5, "LOC")}


def test_stray_inside_tag_starts_an_entity_as_in_conlleval():
    assert bio_spans(["O", "I-ORG", "I-ORG", "B-ORG"]) == {(1, 3, "ORG"), (3, 4, "ORG")}


def test_exact_matches_with_ikrar_labels_score_perfectly(ruler_nlp):
    nlp = ruler_nlp([
        {"label": "PERSON", "pattern": [{"TEXT": "Joko"}, {"TEXT": "Widodo"}]},
        {"label": "PLACE", "pattern": "Surabaya"},
        {"label": "ORG", "pattern": "KPU"},
    ])
    micro = score_ner(nlp, read_conll(CONLL)).micro
    assert (micro.tp, micro.fp, micro.fn) == (3, 0, 0)


def test_country_counts_as_loc(ruler_nlp):
    scores = score_ner(ruler_nlp([{"label": "COUNTRY", "pattern": "Surabaya"}]), read_conll(CONLL))
    assert scores.per_label["LOC"].tp == 1


def test_event_predictions_are_not_scored(ruler_nlp):
    scores = score_ner(ruler_nlp([{"label": "EVENT", "pattern": "KPU"}]), read_conll(CONLL))
    assert scores.micro.fp == 0


def test_partial_span_is_a_false_positive_and_a_miss(ruler_nlp):
    scores = score_ner(ruler_nlp([{"label": "PERSON", "pattern": "Joko"}]), read_conll(CONLL))
    assert (scores.per_label["PER"].tp, scores.per_label["PER"].fp, scores.per_label["PER"].fn) == (0, 1, 1)


def test_wrong_label_is_a_false_positive_and_a_miss(ruler_nlp):
    scores = score_ner(ruler_nlp([{"label": "ORG", "pattern": "Surabaya"}]), read_conll(CONLL))
    assert (scores.per_label["ORG"].fp, scores.per_label["LOC"].fn) == (1, 1)


def test_prediction_inside_a_gold_token_cannot_match(ruler_nlp):
    # The gold keeps "Jokowi-Kalla" as one PER token; the tokenizer splits it at the hyphen.
    gold = read_conll("Pasangan NOUN O\nJokowi-Kalla PROPN B-PER\nmenang VERB O\n")
    scores = score_ner(ruler_nlp([{"label": "PERSON", "pattern": "Jokowi"}]), gold)
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (0, 1, 1)


def test_brackets_glued_to_a_gold_token_are_ignored(ruler_nlp):
    gold = read_conll("Ketua NOUN O\n(KPU) PROPN B-ORG\nhadir VERB O\n")
    scores = score_ner(ruler_nlp([{"label": "ORG", "pattern": "KPU"}]), gold)
    assert scores.micro.tp == 1


def test_f1_is_harmonic_mean_of_precision_and_recall(ruler_nlp):
    nlp = ruler_nlp([{"label": "PERSON", "pattern": [{"TEXT": "Joko"}, {"TEXT": "Widodo"}]},
                     {"label": "PERSON", "pattern": "Ketua"}])
    micro = score_ner(nlp, read_conll(CONLL)).micro
    assert (micro.precision, micro.recall) == (0.5, pytest.approx(1 / 3))
    assert micro.f1 == pytest.approx(0.4)


def test_reads_a_crlf_file(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_bytes(CONLL.replace("\n", "\r\n").encode("utf-8"))
    assert read_conll_file(path)[0].tags[-1] == "O"


def test_cli_json_lists_every_label_and_micro(tmp_path, capsys, ruler_nlp):
    path = tmp_path / "gold.txt"
    path.write_text(CONLL, encoding="utf-8")
    args = argparse.Namespace(path=path, json=True, model_only=False, geo_convention="all")
    run_ner(args, nlp=ruler_nlp([{"label": "ORG", "pattern": "KPU"}]))
    report = json.loads(capsys.readouterr().out)
    assert set(report["labels"]) == {"PER", "ORG", "LOC"}
    assert report["micro"]["tp"] == 1


def test_cli_model_only_prints_a_table(tmp_path, capsys):
    path = tmp_path / "gold.txt"
    path.write_text(CONLL, encoding="utf-8")
    assert main(["ner", str(path), "--model-only"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("micro")


# -- the gold's conventions for geopolitical names and acronyms (made-up sentences) -------------------------------

GEO_CONLL = """Israel PROPN O
menyerang VERB O
kota NOUN O
di ADP O
Suriah PROPN B-LOC
. PUNCT O
"""

ACRONYM_CONLL = """Badan PROPN B-ORG
Pusat PROPN I-ORG
Data PROPN I-ORG
(BPD) PROPN I-ORG
merilis VERB O
. PUNCT O
"""


def test_country_as_an_actor_is_not_scored_but_as_a_location_is_loc(ruler_nlp):
    nlp = ruler_nlp([{"label": "COUNTRY", "pattern": "Israel"}, {"label": "COUNTRY", "pattern": "Suriah"}])
    scores = score_ner(nlp, read_conll(GEO_CONLL))
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (1, 0, 0)


def test_all_convention_scores_every_country_as_loc(ruler_nlp):
    nlp = ruler_nlp([{"label": "COUNTRY", "pattern": "Israel"}, {"label": "COUNTRY", "pattern": "Suriah"}])
    scores = score_ner(nlp, read_conll(GEO_CONLL), geo_convention="all")
    assert (scores.micro.tp, scores.micro.fp) == (1, 1)


def test_parenthesised_acronym_after_an_organization_is_scored_inside_it(ruler_nlp):
    nlp = ruler_nlp([{"label": "ORG", "pattern": "Badan Pusat Data"}, {"label": "ORG", "pattern": "BPD"}])
    scores = score_ner(nlp, read_conll(ACRONYM_CONLL))
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (1, 0, 0)
