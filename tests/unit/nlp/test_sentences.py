"""ikrar_sentences: paragraph starts, sentence-final punctuation, abbreviations and parentheses."""

import pytest
import spacy

from pipelines.nlp.sentences import sentence_bounds  # importing registers the factory
from pipelines.nlp.tokenizer import customize_tokenizer


def build(lang):
    nlp = spacy.blank(lang)
    customize_tokenizer(nlp)
    nlp.add_pipe("ikrar_sentences")
    return nlp


@pytest.fixture(scope="module")
def nlp_id():
    return build("id")


@pytest.fixture(scope="module")
def nlp_en():
    return build("en")


def sentences(nlp, text, paragraphs=None):
    doc = nlp.make_doc(text)
    doc._.paragraphs = paragraphs
    return [sent.text.strip() for sent in nlp(doc).sents]


def test_split_after_period(nlp_id):
    assert sentences(nlp_id, "Menlu tiba di Hanoi. Ia disambut duta besar.") == [
        "Menlu tiba di Hanoi.", "Ia disambut duta besar."]


def test_split_after_exclamation_and_question_marks(nlp_id):
    assert len(sentences(nlp_id, "Kita siap! Apakah mereka siap? Tentu saja.")) == 3


def test_closing_quote_stays_with_its_sentence(nlp_id):
    assert sentences(nlp_id, '"Kami siap bekerja sama." Pertemuan itu berakhir.') == [
        '"Kami siap bekerja sama."', "Pertemuan itu berakhir."]


def test_no_split_before_a_lowercase_word(nlp_id):
    assert len(sentences(nlp_id, '"Siap!" katanya kepada wartawan.')) == 1


@pytest.mark.parametrize("text", [
    "Ia bertemu Dr. Ahmad di Jakarta.", "Ia bertemu Prof. Ahmad di Jakarta.",
    "Ia tinggal di Jl. Merdeka di Jakarta.", "Kantor di Jl. Merdeka No. 5 ditutup.",
    "Acara dihadiri H. Ahmad di Jakarta.", "Ia bertemu Ir. Budi di Jakarta.",
])
def test_no_split_after_an_abbreviated_title_or_address(nlp_id, text):
    assert len(sentences(nlp_id, text)) == 1


def test_no_split_after_dll_before_a_capitalised_name(nlp_id):
    assert len(sentences(nlp_id, "Ia membawa beras, gula, dll. Dari Jakarta kapal berangkat.")) == 1


def test_no_split_after_an_initial(nlp_en):
    assert len(sentences(nlp_en, "The envoy met J. Smith in Jakarta.")) == 1


def test_no_split_after_a_dotted_acronym(nlp_en):
    assert len(sentences(nlp_en, "The U.S. President arrived in Jakarta.")) == 1


def test_no_split_inside_a_decimal_number(nlp_en):
    assert len(sentences(nlp_en, "Trade grew 1.5 percent last year.")) == 1


def test_no_split_after_an_enumeration_number(nlp_en):
    expected = ["1. Trade will grow.", "Investment too."]
    assert sentences(nlp_en, "1. Trade will grow. Investment too.") == expected


def test_no_split_inside_parentheses(nlp_id):
    text = "Kedua negara (yang bertetangga. Menurut menteri) sepakat bekerja sama."
    assert len(sentences(nlp_id, text)) == 1


def test_split_after_a_closing_parenthesis_and_period(nlp_id):
    assert len(sentences(nlp_id, "Menlu tiba pada Selasa (17/6). Ia disambut.")) == 2


def test_blank_line_starts_a_sentence_without_paragraph_offsets(nlp_id):
    assert sentences(nlp_id, "Paragraf pertama tanpa titik\n\nparagraf kedua") == [
        "Paragraf pertama tanpa titik", "paragraf kedua"]


def test_paragraph_offsets_start_sentences(nlp_id):
    text = "Baris pertama tanpa titik baris kedua"
    assert sentences(nlp_id, text, paragraphs=[(0, 25), (26, len(text))]) == [
        "Baris pertama tanpa titik", "baris kedua"]


def test_every_token_has_a_sentence_start_value(nlp_id):
    doc = nlp_id("Satu dua. Tiga empat.\n\nLima.")
    assert all(token.is_sent_start is not None for token in doc)


def test_reference_body_sentences_start_at_each_paragraph(nlp_id, reference_article_path):
    from pipelines.parse.article import parse_file_text

    parsed = parse_file_text(reference_article_path.read_text(encoding="utf-8"))
    doc = nlp_id.make_doc(parsed.body_text)
    doc._.paragraphs = parsed.paragraphs
    starts = {sent.start_char for sent in nlp_id(doc).sents}
    assert {start for start, _ in parsed.paragraphs} <= starts


def test_stepping_over_plain_words_gives_the_starts_of_a_token_by_token_pass(nlp_id, reference_article_path):
    from pipelines.nlp.sentences import ParagraphSentencizer, TokenView, load_abbreviations
    from pipelines.parse.article import parse_file_text

    parsed = parse_file_text(reference_article_path.read_text(encoding="utf-8"))
    doc = nlp_id.make_doc(parsed.body_text)
    doc._.paragraphs = parsed.paragraphs
    fast = [1 if token.is_sent_start else -1 for token in nlp_id(doc)]
    # Every token pending: the loop visits each one, as a plain token-by-token pass would.
    words = TokenView(doc.vocab.strings, [t.orth for t in doc], [int(bool(t.whitespace_)) for t in doc],
                      [int(t.is_space) for t in doc], [int(t.like_num) for t in doc])
    paragraph_starts = {i for i, t in enumerate(doc) if any(t.idx == start for start, _ in parsed.paragraphs)}
    every_token = ParagraphSentencizer(load_abbreviations()).sentence_starts(
        words, paragraph_starts, list(range(len(doc))))
    assert fast == every_token


def test_sentence_after_a_run_of_spaces_following_a_period(nlp_id):
    expected = ["Dia sudah tiba.", "Mereka lalu berangkat."]
    assert sentences(nlp_id, "Dia sudah tiba.   Mereka lalu berangkat.") == expected


def test_sentence_bounds_equal_doc_sents(nlp_id):
    doc = nlp_id("Menlu tiba di Hanoi. Ia disambut duta besar. Keduanya lalu berunding.")
    assert sentence_bounds(doc) == [(sent.start, sent.end) for sent in doc.sents]


def test_sentence_bounds_without_a_splitter_are_the_whole_doc():
    doc = spacy.blank("id")("Menlu tiba di Hanoi. Ia disambut duta besar.")
    assert sentence_bounds(doc) == [(0, len(doc))]
