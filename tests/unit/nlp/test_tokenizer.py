"""customize_tokenizer: reduplications stay whole, names joined by hyphens are split."""

import pytest
import spacy

from pipelines.nlp.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def nlp_id():
    nlp = spacy.blank("id")
    customize_tokenizer(nlp)
    return nlp


@pytest.fixture(scope="module")
def nlp_en():
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    return nlp


def words(nlp, text):
    return [token.text for token in nlp.make_doc(text)]


@pytest.mark.parametrize("word", ["negara-negara", "sela-sela", "bidang-bidang", "proyek-proyek", "ibu-ibu"])
def test_full_reduplication_is_one_token(nlp_id, word):
    assert words(nlp_id, f"di {word} itu") == ["di", word, "itu"]


@pytest.mark.parametrize("word", ["sebaik-baiknya", "bersama-sama", "kemerah-merahan", "hasil-hasilnya"])
def test_affixed_reduplication_is_one_token(nlp_id, word):
    assert words(nlp_id, word) == [word]


@pytest.mark.parametrize("word", ["Negara-negara", "NEGARA-NEGARA", "Sela-Sela"])
def test_capitalised_reduplication_is_one_token(nlp_id, word):
    assert words(nlp_id, word) == [word]


def test_lowercase_compound_is_one_token(nlp_id):
    assert words(nlp_id, "saling tolong-menolong") == ["saling", "tolong-menolong"]


def test_reduplication_keeps_following_punctuation_separate(nlp_id):
    assert words(nlp_id, "proyek-proyek, dan") == ["proyek-proyek", ",", "dan"]


@pytest.mark.parametrize("text, expected", [("China-Tajikistan", ["China", "-", "Tajikistan"]),
                                            ("China-Asia", ["China", "-", "Asia"]),
                                            ("RI-Malaysia", ["RI", "-", "Malaysia"])])
def test_names_joined_by_a_hyphen_are_split(nlp_id, text, expected):
    assert words(nlp_id, text) == expected


def test_lowercase_prefix_before_a_name_is_split(nlp_id):
    assert words(nlp_id, "anti-Jepang") == ["anti", "-", "Jepang"]


def test_enclitic_after_a_hyphen_is_still_split_off(nlp_id):
    assert words(nlp_id, "KTT-nya") == ["KTT", "-nya"]


def test_parenthesised_relative_date_is_tokenised(nlp_id):
    assert words(nlp_id, "Selasa (17/6).") == ["Selasa", "(", "17", "/", "6", ")", "."]


def test_number_in_brackets_is_not_an_emoticon(nlp_id):
    assert words(nlp_id, "butir (8) dan") == ["butir", "(", "8", ")", "dan"]


def test_abbreviation_special_cases_are_kept(nlp_id):
    assert words(nlp_id, "Dr. Ahmad") == ["Dr.", "Ahmad"]


def test_reduplication_special_cases_are_removed(nlp_id):
    assert not [orth for orth in nlp_id.tokenizer.rules if "negara-negara" in orth.lower()]


def test_english_name_before_a_participle_is_split(nlp_en):
    assert words(nlp_en, "China-funded") == ["China", "-", "funded"]


def test_english_lowercase_compound_is_one_token(nlp_en):
    assert words(nlp_en, "long-term") == ["long-term"]


def test_hyphen_after_an_abbreviation_is_split(nlp_en):
    assert words(nlp_en, "U.S.-China talks") == ["U.S.", "-", "China", "talks"]


def test_customised_tokenizer_survives_serialisation(nlp_id):
    restored = spacy.blank("id")
    restored.tokenizer.from_bytes(nlp_id.tokenizer.to_bytes())
    assert words(restored, "negara-negara China-Asia") == ["negara-negara", "China", "-", "Asia"]
