"""The entity linker (``ikrar_entity_linker``): coreference within an article, NER spans, id conventions.

Spans "found by the model" are set by hand with ``_.source == "model"`` to stand for the trained NER that runs
between the rules and the linker.
"""

from __future__ import annotations

import pytest
import spacy

from pipelines.nlp import entities, linker  # noqa: F401  (registers the factories)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("ikrar_entity_rules")
    nlp.add_pipe("ikrar_entity_linker")
    return nlp


@pytest.fixture(scope="module")
def link(nlp):
    """Run the linker alone on a doc whose entities a model found: ``link(text, [(substring, label), …])``."""
    component = nlp.get_pipe("ikrar_entity_linker")

    def run(text, spans):
        doc = nlp.make_doc(text)
        ents, offset = [], 0
        for substring, label in spans:  # in text order
            start = text.index(substring, offset)
            offset = start + len(substring)
            ents.append(doc.char_span(start, offset, label=label))
        doc.ents = ents
        for span in doc.ents:
            span._.source = "model"
        return component(doc)

    return run


def ents_by_text(doc, text):
    return [e for e in doc.ents if e.text == text]


def test_surname_alone_later_links_to_the_full_name(nlp):
    doc = nlp("Presiden Kenya William Ruto tiba. Ruto lalu berpidato.")
    later = ents_by_text(doc, "Ruto")[0]
    assert (later._.entity_id, later._.canonical_name, later._.source) == (
        "person:william-ruto", "William Ruto", "coref")


def test_bare_mention_inherits_role_and_country(nlp):
    doc = nlp("Presiden Kenya William Ruto tiba. Ruto lalu berpidato.")
    later = ents_by_text(doc, "Ruto")[0]
    assert (later._.role, later._.country_iso3) == ("Presiden", "KEN")


def test_family_name_first_short_form_links_to_the_full_name(nlp):
    doc = nlp("Perdana Menteri China Li Qiang hadir. Menurut Li, ekonomi tumbuh.")
    assert ents_by_text(doc, "Li")[0]._.entity_id == "person:li-qiang"


def test_title_plus_short_name_links_to_the_full_name(nlp):
    doc = nlp("Presiden Kenya William Ruto tiba. Kemudian Presiden Ruto berpidato.")
    spans = ents_by_text(doc, "Ruto")
    assert [s._.entity_id for s in spans] == ["person:william-ruto"]
    assert spans[0]._.source == "title"


def test_one_word_name_is_found_again_without_its_title(nlp):
    doc = nlp("Menlu RI Sugiono tiba. Sugiono lalu berpidato.")
    assert [(e._.entity_id, e._.role) for e in ents_by_text(doc, "Sugiono")] == [
        ("person:sugiono", "Menteri Luar Negeri")] * 2


def test_mention_before_the_full_name_is_linked_too(nlp):
    doc = nlp("Ruto tiba lebih awal. Presiden Kenya William Ruto lalu berpidato.")
    assert ents_by_text(doc, "Ruto")[0]._.entity_id == "person:william-ruto"


def test_name_part_shared_by_two_people_is_left_unlinked(nlp):
    doc = nlp("Menlu Kenya Ali Mohamed dan Menhan Mesir Ali Fahmi bertemu. Ali tersenyum.")
    assert ents_by_text(doc, "Ali") == []


def test_full_name_repeated_without_title_is_one_mention(nlp):
    doc = nlp("Presiden Kenya William Ruto tiba. William Ruto lalu berpidato.")
    assert [e._.entity_id for e in ents_by_text(doc, "William Ruto")] == ["person:william-ruto"] * 2


def test_model_place_that_is_a_country_becomes_country(link):
    doc = link("Delegasi Myanmar datang.", [("Myanmar", "PLACE")])
    span = doc.ents[0]
    assert (span.label_, span._.entity_id, span._.country_iso3, span._.source) == (
        "COUNTRY", "country:MMR", "MMR", "model")


def test_model_org_that_is_known_gets_the_gazetteer_id(link):
    doc = link("Laporan IMF terbit.", [("IMF", "ORG")])
    assert doc.ents[0]._.entity_id == "org:imf"


def test_model_org_naming_an_agreement_is_dropped(link):
    doc = link("Mereka meneken Perjanjian Dagang Bebas Samudra kemarin.", [("Perjanjian Dagang Bebas Samudra", "ORG")])
    assert list(doc.ents) == []


def test_model_org_naming_a_body_is_kept(link):
    doc = link("Mereka mendatangi Dewan Dagang Samudra kemarin.", [("Dewan Dagang Samudra", "ORG")])
    assert [e.text for e in doc.ents] == ["Dewan Dagang Samudra"]


def test_city_naming_an_agreement_is_no_place_mention(link):
    doc = link("Kedua negara mematuhi Perjanjian Paris tentang iklim.", [("Paris", "PLACE")])
    assert list(doc.ents) == []


def test_city_before_an_english_document_word_is_no_place_mention(link):
    doc = link("Both sides back the Kyoto Protocol on emissions.", [("Kyoto", "PLACE")])
    assert list(doc.ents) == []


def test_model_place_opening_with_a_document_word_is_dropped(link):
    doc = link("Kedua negara mematuhi Deklarasi Bogor tentang dagang.", [("Deklarasi Bogor", "PLACE")])
    assert list(doc.ents) == []


def test_city_after_a_lowercase_document_word_stays_a_place(link):
    doc = link("Mereka menandatangani perjanjian Paris kemarin.", [("Paris", "PLACE")])
    assert [e.text for e in doc.ents] == ["Paris"]


def test_model_person_without_id_gets_the_slug_id(link):
    doc = link("Kemarin Budi Santoso datang.", [("Budi Santoso", "PERSON")])
    assert (doc.ents[0]._.entity_id, doc.ents[0]._.canonical_name) == ("person:budi-santoso", "Budi Santoso")


def test_model_person_span_including_a_title_is_trimmed_to_the_name(link):
    doc = link("Kemarin Menlu Budi Santoso datang.", [("Menlu Budi Santoso", "PERSON")])
    span = doc.ents[0]
    assert (span.text, span._.entity_id, span._.role) == ("Budi Santoso", "person:budi-santoso",
                                                         "Menteri Luar Negeri")


def test_model_person_after_title_and_country_takes_role_and_country(link):
    doc = link("Kemarin Menlu Filipina Budi Santoso datang.",
               [("Filipina", "PLACE"), ("Budi Santoso", "PERSON")])
    person = next(e for e in doc.ents if e.label_ == "PERSON")
    assert (person._.role, person._.country_iso3) == ("Menteri Luar Negeri", "PHL")


def test_model_short_name_links_to_a_model_full_name(link):
    doc = link("Budi Santoso datang. Lalu Santoso pulang.",
               [("Budi Santoso", "PERSON"), ("Santoso", "PERSON")])
    assert [e._.entity_id for e in doc.ents] == ["person:budi-santoso"] * 2


def test_unknown_model_place_and_org_get_slug_ids(link):
    doc = link("Dari Kampung Melayu ke Gedung Sate.", [("Kampung Melayu", "PLACE"), ("Gedung Sate", "ORG")])
    assert [e._.entity_id for e in doc.ents] == ["place:kampung-melayu", "org:gedung-sate"]


def test_acronym_introduced_in_parentheses_links_to_its_organization(nlp):
    doc = nlp("Badan Pusat Statistik (BPS) merilis data. Menurut BPS, ekspor naik.")
    ids = {e._.entity_id for e in doc.ents if e.text == "BPS"}
    assert ids == {"org:bps"}


def test_model_guess_at_an_introduced_acronym_takes_what_the_acronym_names(nlp):
    doc = nlp.make_doc("Badan Riset Nasional (BRN) dibentuk. Kepala BRN dilantik.")
    doc = nlp.get_pipe("ikrar_entity_rules")(doc)
    later = doc.char_span(doc.text.rindex("BRN"), doc.text.rindex("BRN") + 3, label="PLACE")
    doc.ents = [*doc.ents, later]
    doc.ents[-1]._.source = "model"
    doc = nlp.get_pipe("ikrar_entity_linker")(doc)
    assert [(e.label_, e._.entity_id) for e in doc.ents if e.text == "BRN"] == [("ORG", "org:brn")] * 2


def test_running_the_linker_twice_changes_nothing(nlp):
    doc = nlp("Presiden Kenya William Ruto tiba. Ruto berpidato di Nairobi.")
    before = [(e.text, e.label_, e._.entity_id, e._.role, e._.country_iso3) for e in doc.ents]
    doc = nlp.get_pipe("ikrar_entity_linker")(doc)
    assert [(e.text, e.label_, e._.entity_id, e._.role, e._.country_iso3) for e in doc.ents] == before


# -- home country, name parts, capitals, acronyms (made-up sentences) -------------------------------------------

def test_office_without_a_country_is_the_home_countrys(nlp):
    doc = nlp("Presiden Hendra Wiratama membuka pameran itu.")
    assert [e._.country_iso3 for e in doc.ents if e.text == "Hendra Wiratama"] == ["IDN"]


def test_office_indonesia_does_not_have_gets_no_home_country(nlp):
    doc = nlp("Perdana Menteri Lars Holm tiba di bandara.")
    assert [e._.country_iso3 for e in doc.ents if e.text == "Lars Holm"] == [None]


def test_official_of_an_organization_gets_no_home_country(nlp):
    doc = nlp("Sekjen ASEAN Karim Shah berbicara.")
    assert [e._.country_iso3 for e in doc.ents if e.text == "Karim Shah"] == [None]


def test_model_place_that_is_a_known_persons_name_becomes_that_person(link):
    doc = link("Menlu Kenji Tanaka tiba . Tanaka lalu berbicara .", [("Kenji Tanaka", "PERSON"), ("Tanaka", "PLACE")])
    assert [(e.label_, e._.entity_id) for e in ents_by_text(doc, "Tanaka")] == [("PERSON", "person:kenji-tanaka")]


def test_capital_acting_as_a_government_is_its_country(nlp):
    doc = nlp("Canberra siap membantu. Pejabat tiba di Canberra kemarin.")
    assert {(e.label_, e._.entity_id) for e in ents_by_text(doc, "Canberra")} == {("COUNTRY", "country:AUS")}


def test_capital_used_only_as_a_place_stays_a_place(nlp):
    doc = nlp("Delegasi tiba di Canberra pada Senin.")
    assert [e.label_ for e in ents_by_text(doc, "Canberra")] == ["PLACE"]


def test_organization_pieced_together_takes_its_acronym_as_id(nlp):
    doc = nlp("Lembaga Riset Kelautan Nasional (LRKN) menerbitkan data.")
    assert {e._.entity_id for e in doc.ents if e.label_ == "ORG"} == {"org:lrkn"}


@pytest.fixture(scope="module")
def nlp_en():
    nlp = spacy.blank("en")
    nlp.add_pipe("ikrar_entity_rules")
    nlp.add_pipe("ikrar_entity_linker")
    return nlp


def person_named(doc, text):
    return next(e for e in doc.ents if e.text == text and e.label_ == "PERSON")


def test_part_of_a_hyphenated_surname_links_to_the_full_name(link):
    doc = link("Menteri Energi Oman Salim Al-Rawahi hadir. Rawahi lalu berpidato.",
               [("Salim Al-Rawahi", "PERSON"), ("Rawahi", "PERSON")])
    assert person_named(doc, "Rawahi")._.entity_id == "person:salim-al-rawahi"


def test_given_name_used_before_the_full_name_links_to_it(link):
    doc = link("Tran menolak usul itu. Kemudian Tran Van Minh menjelaskan alasannya.",
               [("Tran", "PERSON"), ("Tran Van Minh", "PERSON")])
    assert person_named(doc, "Tran")._.entity_id == "person:tran-van-minh"


def test_office_of_an_organization_named_before_the_title_has_no_country(nlp_en):
    doc = nlp_en("ASEAN Secretary-General Lim Boon Heng opened the forum.")
    assert person_named(doc, "Lim Boon Heng")._.country_iso3 is None


def test_visitor_with_an_unqualified_title_is_from_the_partner_country(nlp_en):
    doc = nlp_en("Chile and Indonesia agreed on a plan. Chile will send experts, and Chile will fund it. "
                 "Visiting Foreign Minister Ana Rojas said here the plan starts soon.")
    assert person_named(doc, "Ana Rojas")._.country_iso3 == "CHL"


def test_unqualified_office_abroad_is_from_the_partner_country(nlp):
    doc = nlp("Indonesia dan Peru bertemu. Peru siap membantu dan Peru akan berinvestasi. "
              "Perdana Menteri Carlos Ramos hadir.")
    assert person_named(doc, "Carlos Ramos")._.country_iso3 == "PER"


def test_unqualified_office_abroad_without_a_dominant_partner_has_no_country(nlp):
    doc = nlp("Indonesia, Peru dan Chile bertemu. Perdana Menteri Carlos Ramos hadir.")
    assert person_named(doc, "Carlos Ramos")._.country_iso3 is None


def test_possessive_pronoun_before_a_title_takes_the_country_named_last(nlp_en):
    doc = nlp_en("Peru attended as an observer. Its Foreign Minister Carlos Ramos said the talks went well.")
    assert person_named(doc, "Carlos Ramos")._.country_iso3 == "PER"


def test_counterpart_holds_the_office_of_the_person_named_before(nlp_en):
    doc = nlp_en("Indonesian Defense Minister Budi Hartono and his Chilean counterpart Ana Rojas met.")
    assert person_named(doc, "Ana Rojas")._.role == "Menteri Pertahanan"


def test_event_cue_word_alone_from_the_model_is_not_an_entity(link):
    doc = link("Para pemimpin tiba untuk KTT di ibu kota.", [("KTT", "ORG")])
    assert not doc.ents


def test_model_guess_inside_an_office_keeps_only_the_known_name_at_its_end(link):
    doc = link("Menteri Pertanian, Pangan dan Kelautan Chile Ana Rojas tiba.",
               [("Pangan", "PLACE"), ("Kelautan Chile", "PLACE"), ("Ana Rojas", "PERSON")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Chile", "COUNTRY"), ("Ana Rojas", "PERSON")]


def test_office_in_a_relative_clause_after_the_name_is_the_role(link):
    doc = link("Kesepakatan diteken Budi Hartono, yang saat itu menjabat Menteri Pertahanan, di Bogor.",
               [("Budi Hartono", "PERSON")])
    assert person_named(doc, "Budi Hartono")._.role == "Menteri Pertahanan"


def test_known_person_under_an_unqualified_office_takes_the_table_country(nlp):
    doc = nlp("Presiden Vladimir Putin membuka forum energi itu kemarin.")
    assert ents_by_text(doc, "Vladimir Putin")[0]._.country_iso3 == "RUS"


def test_country_stated_in_the_text_wins_over_the_table(nlp):
    doc = nlp("Perdana Menteri Portugal Antonio Guterres menandatangani perjanjian itu.")
    assert ents_by_text(doc, "Antonio Guterres")[0]._.country_iso3 == "PRT"


def test_known_short_form_alone_names_the_known_person(nlp):
    doc = nlp("Presiden Putin membuka forum energi itu kemarin.")
    assert ents_by_text(doc, "Putin")[0]._.entity_id == "person:vladimir-putin"


def test_multilateral_head_in_the_table_gets_no_home_country(nlp):
    doc = nlp("Sekjen Antonio Guterres berbicara di depan para menteri.")
    assert ents_by_text(doc, "Antonio Guterres")[0]._.country_iso3 is None


def test_model_org_inside_an_office_keeps_the_known_names_in_it(link):
    doc = link("Ketua Umum Partai Persatuan Pembangunan (PPP) , Sutarjo Wirabumi , menolak usul itu .",
               [("Partai Persatuan Pembangunan (PPP)", "ORG"), ("Sutarjo Wirabumi", "PERSON")])
    assert [(e.text, e._.entity_id) for e in doc.ents if e.label_ == "ORG"] == [
        ("Partai Persatuan Pembangunan", "org:ppp"), ("PPP", "org:ppp")]


def test_a_body_the_model_found_after_an_occupation_is_kept(link):
    doc = link("Pengamat hukum Universitas Nusa Jaya ( UNJ ) , Rosa Lumban , menilai putusan itu .",
               [("Universitas Nusa Jaya ( UNJ", "ORG"), ("Rosa Lumban", "PER")])
    assert [e.text for e in doc.ents if e.label_ == "ORG"] == ["Universitas Nusa Jaya ( UNJ"]
