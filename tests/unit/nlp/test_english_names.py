"""ikrar_english_names: persons without a title in English copy, found by the words around them."""

import pytest

from pipelines.nlp.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp_en():
    return build_nlp("en")


def persons(nlp, text):
    return [(e.text, e._.entity_id) for e in nlp(text).ents if e.label_ == "PERSON"]


def test_name_before_a_speech_verb_is_a_person(nlp_en):
    assert persons(nlp_en, "The talks went well, Hendra Wiratmoko said.") == \
        [("Hendra Wiratmoko", "person:hendra-wiratmoko")]


def test_name_after_said_is_a_person(nlp_en):
    assert persons(nlp_en, "The deal will be signed next month, said Hendra Wiratmoko.") == \
        [("Hendra Wiratmoko", "person:hendra-wiratmoko")]


def test_name_after_according_to_is_a_person(nlp_en):
    assert persons(nlp_en, "According to Hendra Wiratmoko, the deal is ready.") == \
        [("Hendra Wiratmoko", "person:hendra-wiratmoko")]


def test_name_in_apposition_with_a_role_noun_is_a_person(nlp_en):
    assert persons(nlp_en, "The plan came from Sigrid Halvorsen, the director of a shipping fund.") == \
        [("Sigrid Halvorsen", "person:sigrid-halvorsen")]


def test_name_after_a_lowercase_role_noun_is_a_person(nlp_en):
    assert persons(nlp_en, "The company's spokesperson Sigrid Halvorsen confirmed the plan.") == \
        [("Sigrid Halvorsen", "person:sigrid-halvorsen")]


def test_name_split_at_its_hyphen_stays_one_person(nlp_en):
    assert persons(nlp_en, "Amara Okafor-Nwosu urged members to act.") == \
        [("Amara Okafor-Nwosu", "person:amara-okafor-nwosu")]


def test_capitalised_office_before_said_is_no_person(nlp_en):
    assert persons(nlp_en, "The Foreign Ministry said the visit was postponed.") == []


def test_nationality_before_a_name_is_not_part_of_it(nlp_en):
    assert persons(nlp_en, "Japanese Sigrid Halvorsen said the plan was ready.") == \
        [("Sigrid Halvorsen", "person:sigrid-halvorsen")]


def test_capitalised_words_without_a_person_context_are_left_alone(nlp_en):
    assert persons(nlp_en, "Hendra Wiratmoko Street was closed for the parade.") == []


def test_one_capitalised_word_is_not_enough(nlp_en):
    assert persons(nlp_en, "Later, Wiratmoko said the plan was ready.") == []


def test_a_later_surname_links_to_the_full_name(nlp_en):
    text = "Hendra Wiratmoko said the plan was ready. Wiratmoko added that talks continue."
    assert persons(nlp_en, text) == [("Hendra Wiratmoko", "person:hendra-wiratmoko"),
                                     ("Wiratmoko", "person:hendra-wiratmoko")]
