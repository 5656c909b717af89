"""ikrar_indonesian_names: persons in Indonesian copy recognised by the words around them.

The sentences and names are made up. Most tests run the pipeline without the trained model, so that only the
context rules can find the person; the model's output is stood in for by entities marked ``source="model"``.
"""

import pytest
from spacy.tokens import Span

from pipelines.nlp.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp_rules():
    return build_nlp("id", use_model=False)


@pytest.fixture(scope="module")
def names(nlp_rules):
    return nlp_rules.get_pipe("ikrar_indonesian_names")


def persons(nlp, text):
    return [e.text for e in nlp(text).ents if e.label_ == "PERSON"]


def model_run(names, nlp, text, spans):
    """``ikrar_indonesian_names`` on the doc as the trained model would leave it (see ``with_model_ents``)."""
    return names(with_model_ents(nlp, text, spans))


def with_model_ents(nlp, text, spans):
    """The doc as the trained model would leave it: ``spans`` are (start, end, ikrar label) marked as the model's."""
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in spans]
    for ent in doc.ents:
        ent._.source = "model"
    return doc


def entities(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_name_after_kata_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Pasokan beras aman hingga akhir tahun , kata Sutarjo Wirabumi .") == ["Sutarjo Wirabumi"]


def test_name_after_sentence_initial_menurut_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Menurut Rahmatullah , harga beras akan turun .") == ["Rahmatullah"]


def test_name_before_a_speech_verb_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Sutarjo Wirabumi mengatakan pasokan beras aman .") == ["Sutarjo Wirabumi"]


def test_adverb_may_stand_between_the_name_and_its_verb(nlp_rules):
    assert persons(nlp_rules, "Rahmatullah juga membantah tuduhan itu .") == ["Rahmatullah"]


def test_name_with_a_role_in_apposition_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Harga naik , ujar warga , sementara Lestiani Hapsari , kepala pasar , diam .") == \
        ["Lestiani Hapsari"]


def test_name_with_an_age_in_brackets_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Polisi menangkap Darsono Wiryo ( 45 ) di rumahnya .") == ["Darsono Wiryo"]


def test_name_after_a_lowercase_role_noun_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Rapat itu dihadiri politikus Darsono Wiryo .") == ["Darsono Wiryo"]


def test_capitalised_common_word_before_a_speech_verb_is_no_person(nlp_rules):
    assert persons(nlp_rules, "Pemerintah mengatakan harga beras aman .") == []


def test_name_after_a_place_word_is_no_person(nlp_rules):
    assert persons(nlp_rules, "Pasukan dari kota Tarabulan mengatakan bandara sudah direbut .") == []


def test_capitalised_words_without_a_person_context_are_left_alone(nlp_rules):
    assert persons(nlp_rules, "Festival Lembah Ranau dibuka pekan ini .") == []


def test_model_place_in_a_speech_context_becomes_a_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Uang itu diserahkan , ujar Sjahrul .", [(5, 6, "PLACE")])
    assert entities(doc) == [("Sjahrul", "PERSON")]


def test_one_word_model_organization_that_speaks_stays_an_organization(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Harga naik , kata Medcora .", [(4, 5, "ORG")])
    assert entities(doc) == [("Medcora", "ORG")]


def test_model_organization_before_a_verb_of_persons_stays_an_organization(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Prajurit Garda Samudra tewas di sana .", [(1, 3, "ORG")])
    assert entities(doc) == [("Garda Samudra", "ORG")]


def test_person_at_the_end_of_a_model_organization_is_split_off(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Politikus Partai Bintang Ruhiat Sinaga mengatakan hal itu .", [(1, 5, "ORG")])
    assert entities(doc) == [("Partai Bintang", "ORG"), ("Ruhiat Sinaga", "PERSON")]


def test_model_pair_of_persons_is_split_at_a_spaced_dash(names, nlp_rules):
    doc = model_run(names, nlp_rules, "pasangan Darsono Wiryo - Lestiani Hapsari menang .", [(1, 6, "PERSON")])
    assert entities(doc) == [("Darsono Wiryo", "PERSON"), ("Lestiani Hapsari", "PERSON")]


def test_lowercase_word_is_kept_out_of_a_model_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Hendra Wijaya alias Hendro datang .", [(0, 2, "PERSON"), (2, 4, "PERSON")])
    assert entities(doc) == [("Hendra Wijaya", "PERSON"), ("Hendro", "PERSON")]


def test_name_particle_stays_at_the_front_of_a_model_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Pernyataan itu dibacakan al-Jaziri kemarin .", [(3, 6, "PERSON")])
    assert entities(doc) == [("al-Jaziri", "PERSON")]


def test_form_of_address_is_kept_out_of_a_model_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Pesawat Ny Lestiani Hapsari mendarat .", [(1, 4, "PERSON")])
    assert entities(doc) == [("Lestiani Hapsari", "PERSON")]


def test_name_prefix_stays_in_a_model_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Karisma Gus Darsono diakui banyak orang .", [(1, 3, "PERSON")])
    assert entities(doc) == [("Gus Darsono", "PERSON")]


def test_model_place_listed_after_a_person_is_a_person(names, nlp_rules):
    listed = [(1, 3, "PERSON"), (5, 7, "PLACE")]
    doc = model_run(names, nlp_rules, "Hadir Darsono Wiryo , dan Lestiani Hapsari .", listed)
    assert entities(doc) == [("Darsono Wiryo", "PERSON"), ("Lestiani Hapsari", "PERSON")]


def test_name_word_right_after_a_model_person_extends_it(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Ketua partai , Marwan Ja'fari menegaskan sikapnya .", [(3, 4, "PERSON")])
    assert entities(doc) == [("Marwan Ja'fari", "PERSON")]


def test_name_listed_with_a_person_by_a_conjunction_is_a_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Hadir pula Darsono Wiryo dan Lestiani Hapsari di sana .", [(2, 4, "PERSON")])
    assert entities(doc) == [("Darsono Wiryo", "PERSON"), ("Lestiani Hapsari", "PERSON")]


def test_name_after_a_bare_comma_and_before_a_person_is_not_listed(names, nlp_rules):
    text = "Seminar Million Rupiah Round , Lestiani Hapsari mengatakan hal itu ."
    doc = model_run(names, nlp_rules, text, [(5, 7, "PERSON")])
    assert entities(doc) == [("Lestiani Hapsari", "PERSON")]


def test_name_paired_with_a_person_by_a_spaced_dash_is_a_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Koalisi mengusung pasangan Darsono - Hapsari kali ini .", [(3, 4, "PERSON")])
    assert entities(doc) == [("Darsono", "PERSON"), ("Hapsari", "PERSON")]


def test_name_after_a_verb_of_killing_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Serangan udara itu menewaskan Rahmatullah di dalam mobil .") == ["Rahmatullah"]


def test_model_person_made_of_a_nationality_passes_nothing_down_a_list(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Mitranya PT Pindad , Turkish Aerospace dan Roketsan .", [(4, 6, "PERSON")])
    assert entities(doc) == [("Turkish Aerospace", "PERSON")]


def test_abbreviated_office_is_cut_off_a_model_organization(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Elektabilitas Capres Gerbang naik .", [(1, 3, "ORG")])
    assert entities(doc) == [("Gerbang", "ORG")]


def test_name_after_an_abbreviated_office_is_a_person(nlp_rules):
    assert persons(nlp_rules, "Hal itu disampaikan Ketum Darsono Wiryo di Jakarta .") == ["Darsono Wiryo"]


def test_name_words_before_a_model_person_are_its_first_names(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Hasan Rodiman Sitorus (41) mengaku bersalah .", [(2, 3, "PERSON")])
    assert entities(doc) == [("Hasan Rodiman Sitorus", "PERSON")]


def test_town_after_a_locative_word_does_not_join_the_person_after_it(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Ia bertemu pedagang asal Lembayung Araa Sujatmi kemarin .", [(5, 7, "PERSON")])
    assert entities(doc) == [("Araa Sujatmi", "PERSON")]


def test_model_person_that_is_a_sentence_opening_common_word_is_dropped(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Apa yang membuat harga naik ?", [(0, 1, "PERSON")])
    assert entities(doc) == []


def test_model_person_that_is_a_sentence_opening_loan_noun_in_si_is_dropped(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Eskalasi konflik itu membuat harga minyak naik .", [(0, 1, "PERSON")])
    assert entities(doc) == []


def test_model_place_of_name_words_ending_in_a_degree_is_a_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Gugatan itu diajukan oleh Rudi Hartawan SH pekan lalu .", [(4, 7, "PLACE")])
    assert entities(doc) == [("Rudi Hartawan SH", "PERSON")]


def test_model_entity_in_the_title_of_a_law_is_dropped(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Nelayan menolak UU Perlindungan Pesisir Lembayung itu .", [(3, 6, "PLACE")])
    assert entities(doc) == []


def test_model_place_that_is_the_capitalised_noun_for_homeland_is_dropped(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Harga kedelai di Tanah Air naik lagi .", [(3, 5, "PLACE")])
    assert entities(doc) == []


def test_model_person_joined_by_an_english_connector_is_dropped(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Rasio Cost of Fund COF bank itu turun .", [(1, 5, "PERSON")])
    assert entities(doc) == []


def test_model_person_with_a_digit_in_it_is_dropped(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Virus H7N9 ditemukan di peternakan itu .", [(1, 2, "PERSON")])
    assert entities(doc) == []


def test_model_place_after_a_newspaper_noun_is_an_organization(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Hal itu dilaporkan surat kabar Suara Lembayung kemarin .", [(5, 7, "PLACE")])
    assert entities(doc) == [("Suara Lembayung", "ORG")]


def test_unexplained_acronym_after_a_news_agency_noun_is_an_organization(nlp_rules):
    doc = nlp_rules("Pasokan beras aman , kata kantor berita LKBM .")
    assert entities(doc) == [("LKBM", "ORG")]


def test_capitalised_body_noun_in_a_title_names_no_organization(nlp_rules):
    doc = nlp_rules("Pelaksana Harian Ketua Sutarjo Wirabumi hadir .")
    assert ("Ketua", "ORG") not in entities(doc)


def test_name_after_a_body_noun_is_the_bodys_even_before_a_speech_verb(nlp_rules):
    doc = nlp_rules("Kemarin perusahaan Lembayung Raya mengatakan harga naik .")
    assert entities(doc) == [("Lembayung Raya", "ORG")]


def test_a_religion_after_a_body_noun_names_no_body(nlp_rules):
    assert entities(nlp_rules("Ia menyebut partai Islam itu terbuka .")) == []


def test_particle_joined_by_a_hyphen_continues_a_model_person(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Pasukan itu setia kepada Rashid al-Fadhil .", [(4, 5, "PERSON")])
    assert entities(doc) == [("Rashid al-Fadhil", "PERSON")]


def test_person_at_the_end_of_a_model_organization_after_an_office(names, nlp_rules):
    doc = model_run(names, nlp_rules, "Ketua DPP PKL Sutarjo Wirabumi di Jakarta , Jumat .", [(2, 5, "ORG")])
    assert ("Sutarjo Wirabumi", "PERSON") in entities(doc)


def test_rupiah_sign_after_kata_is_no_person(nlp_rules):
    assert persons(nlp_rules, "Harga naik , kata Rp 5.000 lebih mahal dari pekan lalu .") == []


def test_common_noun_acronym_after_a_body_noun_is_no_organization(nlp_rules):
    doc = nlp_rules("Antrean terjadi karena kuota harian BBM dipangkas pekan lalu .")
    assert entities(doc) == []
