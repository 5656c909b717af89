import numpy
import pytest
import spacy
from spacy.tokens import Doc

from pipelines.nlp import model_ner
from pipelines.nlp.model_ner import MODEL_DIR, ModelEntityRecognizer, chunks_of_words, merge_overlapping
from pipelines.nlp.ner_decoder import BEGIN, IN, LAST, OUT, UNIT, GreedyNerDecoder, Moves, supports
from pipelines.scoring.ner import read_conll_file
from tests.conftest import SHARED_DIR

IDNER_DEV = SHARED_DIR / "eval" / "idner-news-2k" / "dev.txt"


@pytest.fixture(scope="module")
def recognizer():
    return ModelEntityRecognizer("ikrar_model_ner", MODEL_DIR)


@pytest.fixture(scope="module")
def moves(recognizer):
    return Moves.of(recognizer.trained.get_pipe("ner"))


def valid_moves(moves, open_label=-1, is_last=False, is_space=False):
    code = (open_label + 1) * 4 + is_last * 2 + is_space
    valid = moves.validity_table()[code]
    return {(int(kind), int(label)) for kind, label, ok in zip(moves.kinds, moves.label_ids, valid, strict=True) if ok}


def test_moves_are_read_from_the_trained_ner(moves):
    assert set(moves.labels) == {"PER", "ORG", "LOC"}
    assert sorted(moves.kinds.tolist()).count(BEGIN) == 3


def test_a_closed_state_may_begin_a_unit_or_stay_outside(moves):
    expected = {(OUT, -1)} | {(kind, label) for kind in (BEGIN, UNIT) for label in range(3)}
    assert valid_moves(moves) == expected


def test_an_entity_cannot_begin_on_the_last_word(moves):
    assert valid_moves(moves, is_last=True) == {(OUT, -1)} | {(UNIT, label) for label in range(3)}


def test_an_entity_never_starts_on_whitespace(moves):
    assert valid_moves(moves, is_space=True) == {(OUT, -1)}


def test_an_open_entity_continues_or_ends_with_its_own_label(moves):
    assert valid_moves(moves, open_label=1) == {(IN, 1), (LAST, 1)}
    assert valid_moves(moves, open_label=1, is_last=True) == {(LAST, 1)}


def test_shipped_model_is_decoded_in_numpy(recognizer):
    assert recognizer.decoder is not None


def test_decoder_finds_what_spacys_own_loop_finds_on_real_news(recognizer):
    # Whole sentences and the narrow windows the component reads: both kinds of region, ~1,000 of them.
    sentences = read_conll_file(IDNER_DEV)[:500]
    docs = [Doc(recognizer.trained.vocab, words=sentence.tokens) for sentence in sentences]
    doc_regions = [(doc, (0, len(doc))) for doc in docs]
    for doc in docs:
        windows = [(max(0, i - 4), min(len(doc), i + 6)) for i, token in enumerate(doc) if token.text[:1].isupper()]
        doc_regions.extend((doc, window) for window in merge_overlapping(windows))
    expected = recognizer.run_trained_pipeline(doc_regions, None)
    assert sum(map(len, expected)) > 500
    assert recognizer.decode(doc_regions) == expected


def test_decoder_reads_regions_of_any_length_in_one_batch(recognizer):
    vocab = recognizer.trained.vocab
    words = ["Kemarin", "Bambang", "Sutrisno", "bertemu", "Gubernur", "Riau", "di", "Pekanbaru"]
    doc = Doc(vocab, words=words)
    regions = [(doc, (0, 1)), (doc, (0, len(words))), (doc, (1, 3))]
    assert recognizer.decode(regions) == recognizer.run_trained_pipeline(regions, None)
    assert recognizer.decode([]) == []


def test_decoder_refuses_a_beam_search_ner():
    nlp = spacy.blank("id")
    ner = nlp.add_pipe("beam_ner")
    ner.add_label("PER")
    nlp.initialize()
    assert not supports(ner)
    with pytest.raises(ValueError):
        GreedyNerDecoder(ner)


def test_decoder_output_has_token_offsets_within_each_region(recognizer):
    doc = Doc(recognizer.trained.vocab, words=["Presiden", "Joko", "Widodo", "tiba", "di", "Kota", "Medan", "."])
    vectors = recognizer.trained.get_pipe("tok2vec").model.predict([doc])
    (entities,) = recognizer.decoder(vectors, [numpy.zeros(len(doc), dtype=numpy.uint64)])
    assert entities and all(0 <= start < end <= len(doc) for start, end, _ in entities)


def test_regions_are_decoded_in_chunks_of_bounded_words():
    regions = [numpy.zeros((n, 2)) for n in (3, 4, 2, 9, 1)]
    chunks = list(chunks_of_words(regions, 7))
    assert [[len(region) for region in chunk] for chunk in chunks] == [[3, 4], [2], [9], [1]]


def test_chunked_decoding_finds_the_same_entities(recognizer, monkeypatch):
    doc = Doc(recognizer.trained.vocab, words=["Kemarin", "Bambang", "Sutrisno", "bertemu", "Gubernur", "Riau"])
    regions = [(doc, (0, 3)), (doc, (0, 6)), (doc, (3, 6))]
    whole = recognizer.decode(regions)
    monkeypatch.setattr(model_ner, "MAX_DECODED_WORDS", 4)
    assert recognizer.decode(regions) == whole
