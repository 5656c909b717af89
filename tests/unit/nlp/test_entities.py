"""The rule-based entity component (``ikrar_entity_rules``, followed by the linker as in the pipeline).

One behaviour per test, on sentences written for these tests, on spacy.blank("id") / ("en").
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokenizer import Tokenizer
from spacy.tokens import Span

from pipelines.nlp import entities, linker  # noqa: F401  (registers the factories)
from pipelines.nlp.extensions import span_extension_key


def build(lang: str, tokenizer_whitespace_only: bool = False):
    nlp = spacy.blank(lang)
    if tokenizer_whitespace_only:
        nlp.tokenizer = Tokenizer(nlp.vocab)
    nlp.add_pipe("ikrar_entity_rules")
    nlp.add_pipe("ikrar_entity_linker")
    return nlp


@pytest.fixture(scope="module")
def nlp_id():
    return build("id")


@pytest.fixture(scope="module")
def nlp_en():
    return build("en")


def ent(doc, text):
    """The one entity whose text is ``text``."""
    found = [e for e in doc.ents if e.text == text]
    assert len(found) == 1, [(e.text, e.label_) for e in doc.ents]
    return found[0]


def described(span):
    return span.label_, span._.entity_id, span._.country_iso3


def test_indonesian_country_alias_is_a_country(nlp_id):
    doc = nlp_id("Delegasi Tiongkok tiba di Jakarta.")
    assert described(ent(doc, "Tiongkok")) == ("COUNTRY", "country:CHN", "CHN")


def test_uppercase_acronym_alias_is_a_country(nlp_id):
    doc = nlp_id("Menurut pejabat AS, kesepakatan itu sudah final.")
    assert described(ent(doc, "AS")) == ("COUNTRY", "country:USA", "USA")


def test_lowercase_word_spelled_like_an_alias_is_not_a_country(nlp_en):
    doc = nlp_en("Let us go as far as we can.")
    assert list(doc.ents) == []


def test_every_entity_has_ids_and_a_source(nlp_id):
    doc = nlp_id("Menlu Jepang Taro Kono bertemu pejabat Korsel di Seoul.")
    assert doc.ents
    for span in doc.ents:
        assert span._.entity_id and span._.canonical_name and span._.source


def test_country_name_after_bahasa_is_a_language_not_a_country(nlp_id):
    doc = nlp_id("Ia fasih berbahasa Inggris.")
    assert list(doc.ents) == []


def test_capital_used_for_its_government_is_a_place_of_that_country(nlp_id):
    doc = nlp_id("Moskow menegaskan tidak akan mundur.")
    assert described(ent(doc, "Moskow")) == ("PLACE", "place:moscow", "RUS")


def test_region_is_a_place_without_country(nlp_id):
    doc = nlp_id("Stabilitas kawasan Asia Tenggara harus dijaga.")
    assert described(ent(doc, "Asia Tenggara")) == ("PLACE", "place:southeast-asia", None)


def test_sea_containing_a_country_name_is_one_place(nlp_id):
    doc = nlp_id("Kapal itu berlayar di Laut China Selatan.")
    assert [described(e) for e in doc.ents] == [("PLACE", "place:south-china-sea", None)]


def test_organization_containing_a_place_name_is_one_org(nlp_id):
    doc = nlp_id("Pertemuan Organisasi Kerja Sama Shanghai dibuka kemarin.")
    assert [e.text for e in doc.ents] == ["Organisasi Kerja Sama Shanghai"]
    assert ent(doc, "Organisasi Kerja Sama Shanghai")._.entity_id == "org:sco"


def test_common_word_city_name_is_not_a_place_at_a_sentence_start(nlp_id):
    doc = nlp_id("Lima orang terluka dalam insiden itu.")
    assert list(doc.ents) == []


def test_common_word_city_name_is_a_place_mid_sentence(nlp_id):
    doc = nlp_id("Para menteri bertemu di Lima pekan lalu.")
    assert described(ent(doc, "Lima")) == ("PLACE", "place:lima", "PER")


def test_title_country_and_name_give_person_with_role_and_country(nlp_id):
    doc = nlp_id("Presiden Brasil Luiz Inacio Lula da Silva tiba kemarin.")
    person = ent(doc, "Luiz Inacio Lula da Silva")
    assert described(person) == ("PERSON", "person:luiz-inacio-lula-da-silva", "BRA")
    assert person._.role == "Presiden"


def test_title_abbreviation_is_expanded_in_the_role(nlp_id):
    doc = nlp_id("Menlu RI Sugiono menerima tamu.")
    assert ent(doc, "Sugiono")._.role == "Menteri Luar Negeri"
    assert ent(doc, "Sugiono")._.country_iso3 == "IDN"


def test_longest_title_wins(nlp_id):
    doc = nlp_id("Wakil Presiden Kamala Harris berpidato.")
    assert ent(doc, "Kamala Harris")._.role == "Wakil Presiden"


def test_person_span_excludes_the_title(nlp_id):
    doc = nlp_id("Sekjen PBB Antonio Guterres berbicara.")
    assert [e.text for e in doc.ents] == ["PBB", "Antonio Guterres"]


def test_organization_qualifier_gives_no_country(nlp_id):
    doc = nlp_id("Sekjen PBB Antonio Guterres berbicara.")
    assert ent(doc, "Antonio Guterres")._.country_iso3 is None


def test_envoy_country_is_the_sending_not_the_host_country(nlp_id):
    doc = nlp_id("Dubes RI untuk Jepang Heri Akhmadi hadir.")
    assert ent(doc, "Heri Akhmadi")._.country_iso3 == "IDN"


def test_parenthesised_title_abbreviation_is_skipped(nlp_id):
    doc = nlp_id("Perdana Menteri (PM) Jepang Shigeru Ishiba tiba.")
    assert described(ent(doc, "Shigeru Ishiba")) == ("PERSON", "person:shigeru-ishiba", "JPN")


def test_weekday_after_a_name_is_not_part_of_it(nlp_id):
    doc = nlp_id("Presiden Prabowo Subianto Senin menerima tamu.")
    assert ent(doc, "Prabowo Subianto")._.entity_id == "person:prabowo-subianto"


def test_honorific_introduces_a_person_without_role(nlp_en):
    doc = nlp_en("Later Mr. Tanaka left the room.")
    person = ent(doc, "Tanaka")
    assert (person.label_, person._.role) == ("PERSON", None)


def test_honorific_that_is_a_common_noun_does_not_introduce_a_name(nlp_id):
    doc = nlp_id("Warga Ibu Kota mengeluhkan banjir.")
    assert [e.label_ for e in doc.ents if e.label_ == "PERSON"] == []


def test_english_demonym_before_title_gives_the_country(nlp_en):
    doc = nlp_en("Chinese President Xi Jinping arrived.")
    person = ent(doc, "Xi Jinping")
    assert (person._.country_iso3, person._.role) == ("CHN", "Presiden")


def test_english_possessive_country_before_title_gives_the_country(nlp_en):
    doc = nlp_en("Indonesia's Foreign Minister Sugiono spoke.")
    assert ent(doc, "Sugiono")._.country_iso3 == "IDN"


def test_same_person_has_the_same_id_in_different_articles(nlp_id, nlp_en):
    first = nlp_id("Presiden China Xi Jinping berpidato.")
    second = nlp_en("President Xi Jinping spoke.")
    ids = {ent(first, "Xi Jinping")._.entity_id, ent(second, "Xi Jinping")._.entity_id}
    assert ids == {"person:xi-jinping"}


def test_cue_and_capitalized_run_make_an_organization_located_by_its_city(nlp_id):
    doc = nlp_id("Mahasiswa belajar di Institut Teknologi Bandung.")
    institute = ent(doc, "Institut Teknologi Bandung")
    assert described(institute) == ("ORG", "org:institut-teknologi-bandung", "IDN")


def test_organization_ending_in_a_country_takes_its_country_whatever_the_alias(nlp_id):
    doc = nlp_id("Kementerian Ekonomi Kreatif RI dan Kementerian Ekonomi Kreatif Indonesia sama.")
    ids = {e._.entity_id for e in doc.ents if e.label_ == "ORG"}
    assert ids == {"org:kementerian-ekonomi-kreatif-idn"}


def test_known_body_named_with_its_own_country_keeps_its_acronym_id(nlp_id):
    doc = nlp_id("Kementerian Luar Negeri RI dan Kemlu sama.")
    assert {e._.entity_id for e in doc.ents if e.label_ == "ORG"} == {"org:kemlu"}


def test_same_ministry_of_another_country_gets_that_country_in_its_id(nlp_id):
    doc = nlp_id("Juru bicara Kementerian Luar Negeri China berbicara.")
    assert ent(doc, "Kementerian Luar Negeri China")._.entity_id == "org:kementerian-luar-negeri-chn"


def test_regional_agency_is_an_organization(nlp_id):
    doc = nlp_id("Dinas Perikanan Maluku mencatat tangkapan naik.")
    assert described(ent(doc, "Dinas Perikanan Maluku")) == ("ORG", "org:dinas-perikanan-maluku", "IDN")


def test_regional_body_name_runs_on_through_its_region(nlp_id):
    doc = nlp_id("Kepala Dinas Perhubungan Kabupaten Sleman menutup jalan itu.")
    assert ent(doc, "Dinas Perhubungan Kabupaten Sleman").label_ == "ORG"


def test_regional_body_name_ends_with_its_region(nlp_id):
    doc = nlp_id("Badan Riset Jawa Tengah Sutarno Wibisono mengatakan panen naik.")
    assert [e.text for e in doc.ents if e.label_ == "ORG"] == ["Badan Riset Jawa Tengah"]


def test_organization_run_stops_before_and_plus_a_known_name(nlp_id):
    doc = nlp_id("Bank Dunia dan Indonesia meneken perjanjian.")
    assert [e.text for e in doc.ents] == ["Bank Dunia", "Indonesia"]


def test_english_tail_cue_makes_an_organization(nlp_en):
    doc = nlp_en("She studied at the Confucius Institute last year.")
    assert ent(doc, "Confucius Institute").label_ == "ORG"


def test_weak_cue_followed_by_one_known_party_is_not_an_event(nlp_id):
    doc = nlp_id("Hasil Pertemuan ASEAN diumumkan.")
    assert [e.text for e in doc.ents] == ["ASEAN"]


def test_weak_cue_at_sentence_start_with_one_word_is_not_an_entity(nlp_id):
    doc = nlp_id("Pertemuan Jokowi berlangsung singkat.")
    assert [e for e in doc.ents if e.label_ == "EVENT"] == []


def test_summit_long_form_with_acronym_is_one_event_named_by_its_short_form(nlp_id):
    doc = nlp_id("Para pemimpin hadir di Konferensi Tingkat Tinggi (KTT) ASEAN-Jepang tahun ini.")
    event = ent(doc, "Konferensi Tingkat Tinggi (KTT) ASEAN-Jepang")
    assert (event.label_, event._.entity_id, event._.canonical_name) == (
        "EVENT", "event:asean-japan-summit", "KTT ASEAN-Jepang")


def test_summit_short_form_gets_the_same_event_id(nlp_id):
    doc = nlp_id("Di KTT ASEAN-Jepang itu mereka bertemu.")
    assert ent(doc, "KTT ASEAN-Jepang")._.entity_id == "event:asean-japan-summit"


def test_named_day_in_quotes_is_an_event_with_an_english_id(nlp_id):
    doc = nlp_id('Panitia menyiapkan acara "Hari Batik Nasional" bulan depan.')
    assert described(ent(doc, "Hari Batik Nasional")) == ("EVENT", "event:national-batik-day", None)


def test_weekday_after_hari_is_not_an_event(nlp_id):
    doc = nlp_id("Rapat digelar pada Hari Senin pagi.")
    assert [e for e in doc.ents if e.label_ == "EVENT"] == []


def test_english_summit_tail_makes_an_event(nlp_en):
    doc = nlp_en("Leaders met at the G20 Summit in Rio de Janeiro.")
    assert described(ent(doc, "G20 Summit")) == ("EVENT", "event:g20-summit", None)


def test_forum_known_as_an_organization_keeps_its_gazetteer_id(nlp_id):
    doc = nlp_id("Mereka menghadiri Forum Kerja Sama China-Afrika di Beijing.")
    assert ent(doc, "Forum Kerja Sama China-Afrika")._.entity_id == "org:focac"


def test_country_parts_of_a_hyphenated_pair_are_countries(nlp_id):
    doc = nlp_id("Hubungan Vietnam-Laos makin erat.")
    assert [described(e) for e in doc.ents] == [
        ("COUNTRY", "country:VNM", "VNM"), ("COUNTRY", "country:LAO", "LAO")]


def test_hyphenated_pair_is_split_when_the_tokenizer_keeps_it_whole():
    nlp = build("id", tokenizer_whitespace_only=True)
    doc = nlp("Hubungan Vietnam-Laos makin erat.")
    assert [e.text for e in doc.ents] == ["Vietnam", "Laos"]


def test_sentence_initial_capitalized_common_words_are_not_entities(nlp_id):
    doc = nlp_id("Hal itu wajar. Keduanya sepakat. Menurut dia, Sementara itu belum jelas.")
    assert list(doc.ents) == []


def test_entities_never_nest_or_overlap(nlp_id):
    doc = nlp_id("Menhan Malaysia bertemu Dubes AS untuk ASEAN di Kuala Lumpur saat KTT ASEAN-AS.")
    covered = [i for e in doc.ents for i in range(e.start, e.end)]
    assert len(covered) == len(set(covered))


def test_portfolio_words_after_a_title_are_not_taken_for_a_name(nlp_id):
    doc = nlp_id("Menteri Koordinator Bidang Perekonomian hadir.")
    assert [e for e in doc.ents if e.label_ == "PERSON"] == []


def test_pipeline_with_the_components_survives_a_disk_round_trip(nlp_id, tmp_path):
    nlp_id.to_disk(tmp_path / "pipeline")
    reloaded = spacy.load(tmp_path / "pipeline")
    doc = reloaded("Presiden Kenya William Ruto tiba di Nairobi.")
    assert [(e.text, e._.entity_id) for e in doc.ents] == [
        ("Kenya", "country:KEN"), ("William Ruto", "person:william-ruto"), ("Nairobi", "place:nairobi")]


def test_indonesian_variant_of_a_country_name_is_the_country(nlp_id):
    doc = nlp_id("Wabah itu menyebar cepat di Libanon bagian selatan.")
    assert ent(doc, "Libanon")._.entity_id == "country:LBN"


# -- titles, portfolios and qualifiers (made-up sentences) ----------------------------------------------------

def test_portfolio_after_a_title_is_no_person(nlp_id):
    doc = nlp_id("Ia pernah menjabat Menteri Agama dan Menteri Perumahan sebelum pensiun.")
    assert not [e for e in doc.ents if e.label_ == "PERSON"]


def test_name_after_a_portfolio_is_the_person(nlp_id):
    doc = nlp_id("Menko Perekonomian Hendra Wiratama membuka rapat itu.")
    assert ent(doc, "Hendra Wiratama")._.role == "Menteri Koordinator Perekonomian"


def test_party_between_title_and_name_is_an_organization(nlp_id):
    doc = nlp_id("Ketua Umum Partai Golkar Rudi Hartono hadir di sana.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Partai Golkar", "ORG"), ("Rudi Hartono", "PERSON")]


def test_body_name_with_an_unlisted_word_between_title_and_name_is_an_organization(nlp_id):
    doc = nlp_id("Kepala Badan Siber Nasional Rina Kusuma meninjau pusat data itu.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Badan Siber Nasional", "ORG"), ("Rina Kusuma", "PERSON")]


def test_derived_noun_after_a_title_is_a_portfolio_not_the_name(nlp_id):
    doc = nlp_id("Direktur Penyelidikan Hartono Wibisono meninjau lokasi itu.")
    assert [(e.text, e._.role) for e in doc.ents] == [("Hartono Wibisono", "Direktur Penyelidikan")]


def test_professor_written_without_a_period_is_kept_out_of_the_name(nlp_id):
    doc = nlp_id("Hasil riset itu dipaparkan Prof Hendra Kusnadi di kampus.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Hendra Kusnadi", "PERSON")]


def test_abbreviated_ministers_title_gives_the_role(nlp_id):
    doc = nlp_id("Mensos Ratna Wulandari meninjau panti itu.")
    assert [(e.text, e._.role) for e in doc.ents] == [("Ratna Wulandari", "Menteri Sosial")]


def test_city_named_first_name_right_after_a_national_title_stays_in_the_name(nlp_id):
    doc = nlp_id("Dalam sambutannya, Presiden Vladimir Putin memuji kerja sama kedua negara.")
    assert [(e.text, e._.entity_id) for e in doc.ents] == [("Vladimir Putin", "person:vladimir-putin")]


def test_city_after_a_local_title_still_qualifies_it(nlp_id):
    doc = nlp_id("Gubernur Bali Wayan Koster membuka pameran itu.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Bali", "PLACE"), ("Wayan Koster", "PERSON")]


def test_city_named_first_name_after_a_country_stays_in_the_name(nlp_id):
    doc = nlp_id("Presiden Rusia Vladimir Ivanov tiba kemarin.")
    assert ent(doc, "Vladimir Ivanov")._.country_iso3 == "RUS"


def test_hyphenated_given_name_with_lowercase_part_is_kept_whole(nlp_id):
    doc = nlp_id("Menteri Korea Selatan Choi Min-ho berbicara.")
    assert ent(doc, "Choi Min-ho")._.entity_id == "person:choi-min-ho"


def test_organization_cue_after_a_title_starts_no_person(nlp_id):
    doc = nlp_id("Ia menjadi Kepala Kejaksaan Tinggi Riau tahun lalu.")
    assert not [e for e in doc.ents if e.label_ == "PERSON"]


# -- organizations, places and events ---------------------------------------------------------------------

def test_indonesian_airline_is_a_known_organization(nlp_id):
    doc = nlp_id("Penerbangan Batik Air ke Kupang ditunda dua jam.")
    assert ent(doc, "Batik Air")._.entity_id == "org:batik-air"


def test_competition_word_opens_an_events_name(nlp_id):
    doc = nlp_id("Regu itu menang di Lomba Robotika Pelajar tahun ini.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Lomba Robotika Pelajar", "EVENT")]


def test_organization_for_opens_an_english_organizations_name(nlp_id):
    doc = nlp_id("Laporan itu disusun Organization for Maritime Research bersama kampus.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Organization for Maritime Research", "ORG")]


def test_word_hyphenated_to_a_lowercase_part_stays_in_an_organizations_name(nlp_id):
    doc = nlp_id("Dana itu dikelola Institut Ekonomi Co-operation Nusantara sejak lama.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Institut Ekonomi Co-operation Nusantara", "ORG")]


def test_particle_joined_to_a_name_stays_in_an_organizations_name(nlp_id):
    doc = nlp_id("Bantuan itu dibagikan Yayasan Nur al-Hikmah kemarin.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Yayasan Nur al-Hikmah", "ORG")]


def test_military_unit_word_opens_an_organization(nlp_id):
    doc = nlp_id("Serangan itu diklaim Brigade Elang Hitam kemarin.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Brigade Elang Hitam", "ORG")]


def test_body_inside_a_known_organization_is_not_a_separate_organization(nlp_id):
    doc = nlp_id("Rapat Dewan Pimpinan Pusat Partai Gerindra berlangsung lama.")
    assert [e.text for e in doc.ents if e.label_ == "ORG"] == ["Partai Gerindra"]


def test_compass_word_after_a_country_makes_a_region(nlp_id):
    doc = nlp_id("Banjir melanda Brasil Selatan pekan ini.")
    assert ent(doc, "Brasil Selatan")._.entity_id == "place:south-brazil"


def test_building_cue_makes_a_place_with_an_english_id(nlp_id):
    doc = nlp_id("Pertemuan digelar di Istana Cipanas kemarin.")
    assert (ent(doc, "Istana Cipanas").label_, ent(doc, "Istana Cipanas")._.entity_id) == (
        "PLACE", "place:cipanas-palace")


def test_building_name_stops_before_its_city(nlp_id):
    doc = nlp_id("Acara itu di Gedung Sate Bandung pada Senin.")
    assert [e.text for e in doc.ents] == ["Gedung Sate", "Bandung"]


def test_summit_with_ordinal_gets_an_english_numbered_id(nlp_id):
    doc = nlp_id("Para menteri hadir di KTT ASEAN ke-50 di Manila.")
    assert ent(doc, "KTT ASEAN ke-50")._.entity_id == "event:asean-summit-50"


def test_summit_ordinal_word_after_yang_numbers_the_id(nlp_id):
    doc = nlp_id("Ia datang ke KTT China-Afrika yang ketiga di Dakar.")
    assert ent(doc, "KTT China-Afrika")._.entity_id == "event:china-africa-summit-3"


def test_english_meeting_with_leading_ordinal_is_numbered(nlp_en):
    doc = nlp_en("Delegates attended the 12th Pacific Energy Meeting in Suva.")
    assert ent(doc, "12th Pacific Energy Meeting")._.entity_id == "event:pacific-energy-meeting-12"


def ents_of(nlp, text: str) -> list[tuple[str, str]]:
    return [(ent.text, ent.label_) for ent in nlp(text).ents]


def test_place_cue_before_a_known_city_makes_one_place(nlp_id):
    assert ("Kabupaten Bandung", "PLACE") in ents_of(nlp_id, "Banjir melanda Kabupaten Bandung pagi ini.")


def test_lowercase_compass_word_after_a_country_is_its_region(nlp_id):
    assert ("Suriah utara", "PLACE") in ents_of(nlp_id, "Bentrokan terjadi di Suriah utara kemarin.")


def test_province_abbreviation_is_the_province(nlp_id):
    doc = nlp_id("Harga beras di Jateng naik.")
    assert [(e.text, e._.entity_id) for e in doc.ents] == [("Jateng", "place:central-java")]


def test_occupational_title_anchors_a_person(nlp_id):
    assert ("Sutrisno Halim", "PERSON") in ents_of(nlp_id, "Kata jaksa itu, Jaksa Sutrisno Halim menolak.")


def test_title_that_is_an_office_is_not_read_as_a_name(nlp_id):
    names = [text for text, label in ents_of(nlp_id, "Ia menjabat Jaksa Agung Muda sejak 2020.") if label == "PERSON"]
    assert names == []


def test_place_cue_names_a_beach(nlp_id):
    assert ("Pantai Sanur", "PLACE") in ents_of(nlp_id, "Wisatawan memadati Pantai Sanur saat libur.")


def person(doc, text):
    return next(e for e in doc.ents if e.text == text and e.label_ == "PERSON")


def test_portfolio_joined_by_dan_after_a_two_word_title_reaches_the_name(nlp_id):
    doc = nlp_id("Menteri Pertanian dan Kelautan Peru Carlos Ramos Diaz membuka pameran.")
    assert person(doc, "Carlos Ramos Diaz")._.country_iso3 == "PER"


def test_portfolio_listed_with_commas_becomes_part_of_the_role(nlp_id):
    doc = nlp_id("Rombongan dipimpin Menteri Pertanian, Pangan dan Kelautan Chile Ana Rojas kemarin.")
    assert person(doc, "Ana Rojas")._.role == "Menteri Pertanian, Pangan dan Kelautan"


def test_host_country_after_an_envoy_title_is_not_the_envoys(nlp_en):
    doc = nlp_en("Meanwhile, Kenya's Ambassador to Peru Joseph Otieno said the embassy was open.")
    assert person(doc, "Joseph Otieno")._.country_iso3 == "KEN"


def test_country_before_a_chain_of_titles_qualifies_the_last_title(nlp_en):
    doc = nlp_en("Chile's Deputy Prime Minister and Foreign Minister Ana Rojas spoke first.")
    assert person(doc, "Ana Rojas")._.country_iso3 == "CHL"


def test_span_extension_key_is_where_span_underscore_keeps_a_value(nlp_id):
    doc = nlp_id.make_doc("Presiden Joko Widodo tiba di Bali.")
    span = doc[1:3]
    span._.role = "Presiden"
    assert doc.user_data[span_extension_key("role", span.start_char, span.end_char)] == "Presiden"


def test_read_mentions_sees_attributes_set_through_span_underscore(nlp_id):
    doc = nlp_id.make_doc("Presiden Joko Widodo tiba di Bali.")
    doc.ents = [Span(doc, 1, 3, label="PERSON")]
    doc.ents[0]._.entity_id = "person:joko-widodo"
    [mention] = entities.read_mentions(doc, "model")
    assert (mention.entity_id, mention.role, mention.source) == ("person:joko-widodo", None, "model")


def test_write_ents_tags_tokens_as_set_ents_does(nlp_id):
    text = "Menlu Retno Marsudi Wang Yi bertemu di Bali."  # two adjacent entities of one type, then a third
    mentions = [entities.Mention(1, 3, "PERSON", None, "Retno Marsudi"),
                entities.Mention(3, 5, "PERSON", None, "Wang Yi"), entities.Mention(7, 8, "PLACE", None, "Bali")]
    written, expected = nlp_id.make_doc(text), nlp_id.make_doc(text)
    entities.write_ents(written, mentions)
    expected.set_ents([Span(expected, m.start, m.end, label=m.label) for m in mentions], default="outside")
    assert [(t.ent_iob_, t.ent_type_) for t in written] == [(t.ent_iob_, t.ent_type_) for t in expected]


def test_write_ents_values_are_read_through_span_underscore(nlp_id):
    doc = nlp_id.make_doc("Menlu Retno Marsudi tiba.")
    entities.write_ents(doc, [entities.Mention(1, 3, "PERSON", "person:retno-marsudi", "Retno Marsudi", "IDN")])
    span = doc.ents[0]
    assert (span._.entity_id, span._.country_iso3, span._.role, span._.source) == (
        "person:retno-marsudi", "IDN", None, "gazetteer")


# -- event names and their ids -----------------------------------------------------------------------------

def test_indonesian_and_english_names_of_one_forum_share_an_id(nlp_id, nlp_en):
    indonesian = nlp_id("Ia berbicara di Forum Bisnis Internasional Osaka pekan lalu.")
    english = nlp_en("He spoke at the Osaka International Business Forum last week.")
    assert ent(indonesian, "Forum Bisnis Internasional Osaka")._.entity_id == \
        ent(english, "Osaka International Business Forum")._.entity_id == "event:osaka-international-business-forum"


def test_ministers_meeting_with_a_title_inside_gets_one_id_in_both_languages(nlp_id, nlp_en):
    indonesian = nlp_id("Hasilnya dibahas dalam Pertemuan Menteri Luar Negeri ASEAN ke-50 di Manila.")
    english = nlp_en("It was discussed at the 50th ASEAN Foreign Ministers' Meeting in Manila.")
    assert ent(indonesian, "Pertemuan Menteri Luar Negeri ASEAN ke-50")._.entity_id == \
        ent(english, "50th ASEAN Foreign Ministers' Meeting")._.entity_id == "event:asean-foreign-ministers-meeting-50"


def test_joint_commission_with_an_ordinal_is_an_event(nlp_id):
    doc = nlp_id("Kedua menteri memimpin Komisi Bersama Indonesia-Peru ke-3 di Lima.")
    assert described(ent(doc, "Komisi Bersama Indonesia-Peru ke-3")) == (
        "EVENT", "event:indonesia-peru-joint-commission-3", None)


def test_english_order_puts_adjectives_before_noun_modifiers(nlp_id):
    doc = nlp_id("Kesepakatan dicapai dalam Sidang Komisi Bersama Perdagangan Indonesia-Peru ke-3.")
    assert ent(doc, "Sidang Komisi Bersama Perdagangan Indonesia-Peru ke-3")._.entity_id == \
        "event:indonesia-peru-joint-trade-commission-3"


def test_session_of_a_known_body_is_an_event_named_after_the_body(nlp_id):
    doc = nlp_id("Isu itu dibawa ke Sidang Dewan Keamanan PBB pekan depan.")
    assert described(ent(doc, "Sidang Dewan Keamanan PBB")) == ("EVENT", "event:un-security-council", None)


def test_name_with_an_untranslated_common_word_keeps_its_indonesian_id(nlp_id):
    doc = nlp_id("Presiden memimpin Sidang Kabinet Paripurna di Jakarta.")
    assert ent(doc, "Sidang Kabinet Paripurna")._.entity_id == "event:sidang-kabinet-paripurna"


def test_summit_without_an_ordinal_takes_the_year_its_sentence_names(nlp_id):
    doc = nlp_id("Pada Oktober 2023, ia menghadiri KTT APEC di San Francisco.")
    assert ent(doc, "KTT APEC")._.entity_id == "event:apec-summit-2023"


def test_ordinal_word_before_a_relative_clause_is_not_the_edition(nlp_id):
    doc = nlp_id("Itu adalah KTT APEC pertama yang dihadirinya sebagai menteri.")
    assert ent(doc, "KTT APEC")._.entity_id == "event:apec-summit"


def test_summit_without_an_edition_is_the_one_edition_the_article_names(nlp_id):
    doc = nlp_id("Ia senang hadir di KTT APEC itu. KTT APEC ke-31 berlangsung di Lima.")
    assert {e._.entity_id for e in doc.ents if e.label_ == "EVENT"} == {"event:apec-summit-31"}


def test_exercise_name_after_its_common_noun_is_an_event(nlp_id):
    doc = nlp_id("Prajurit TNI mengikuti latihan bersama Cope Thunder di Filipina.")
    assert described(ent(doc, "Cope Thunder")) == ("EVENT", "event:cope-thunder", None)


def test_english_event_name_runs_over_a_connector_and_its_acronym(nlp_en):
    doc = nlp_en("Officials met at the APEC Ministers Responsible for Trade (MRT) Meeting in Jeju.")
    event = ent(doc, "APEC Ministers Responsible for Trade (MRT) Meeting")
    assert event._.entity_id == "event:apec-ministers-responsible-for-trade-meeting"


def test_ordinal_after_an_acronym_numbers_the_event_and_the_acronym_names_it(nlp_id):
    doc = nlp_id("Pertemuan Menteri Ekonomi ASEAN (AEM) ke-57 dibuka. AEM membahas tarif.")
    assert {(e.text, e._.entity_id) for e in doc.ents if e.label_ == "EVENT"} == {
        ("Pertemuan Menteri Ekonomi ASEAN", "event:asean-economic-ministers-meeting-57"),
        ("AEM", "event:asean-economic-ministers-meeting-57")}



def test_known_full_name_without_a_title_is_a_gazetteer_person(nlp_id):
    span = ent(nlp_id("Kemarin Xi Jinping menerima para tamu negara."), "Xi Jinping")
    assert (span.label_, span._.entity_id, span._.source) == ("PERSON", "person:xi-jinping", "gazetteer")


def test_known_person_without_a_title_takes_the_table_country(nlp_id):
    span = ent(nlp_id("Kemarin Xi Jinping menerima para tamu negara."), "Xi Jinping")
    assert span._.country_iso3 == "CHN"


def test_known_short_form_without_a_title_is_the_known_person(nlp_en):
    span = ent(nlp_en("Talks ended late, and Putin left without a statement."), "Putin")
    assert span._.entity_id == "person:vladimir-putin"


def test_company_suffix_closes_an_organization_name(nlp_id):
    doc = nlp_id("Saham Qualtronic Inc naik tajam pekan ini .")
    assert [(e.text, e.label_) for e in doc.ents] == [("Qualtronic Inc", "ORG")]


def test_indonesian_association_head_word_makes_an_organization(nlp_id):
    doc = nlp_id("Himpunan Nelayan Lembayung menolak aturan itu.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Himpunan Nelayan Lembayung", "ORG")]


def test_newspaper_tail_word_makes_an_organization(nlp_en):
    doc = nlp_en("The Lembayung Times reported the talks.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Lembayung Times", "ORG")]


def test_title_name_continues_over_a_hyphenated_particle(nlp_id):
    doc = nlp_id("Ia bertemu Presiden Rashid al-Fadhil di Kairo.")
    assert ent(doc, "Rashid al-Fadhil").label_ == "PERSON"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_phrase_patterns_split_as_the_tokenizer_does(lang):
    from pipelines.nlp.entities import phrase_patterns
    from pipelines.nlp.gazetteer import load_gazetteer
    from pipelines.nlp.pipeline import build_nlp

    nlp = build_nlp(lang, use_model=False)
    texts = [form.text for form in load_gazetteer().forms.values()]
    plain = [(text, words) for text, words in zip(texts, phrase_patterns(nlp, texts), strict=True)
             if isinstance(words, list)]
    assert plain  # the fast path is taken
    assert [(text, [t.text for t in nlp.tokenizer(text)]) for text, _ in plain] == plain


def test_uncased_gazetteer_name_matches_in_any_case(nlp_id):
    doc = nlp_id("Ia bekerja di BANK DUNIA sejak lama.")
    assert ent(doc, "BANK DUNIA")._.entity_id == "org:world-bank"


def test_a_city_after_a_title_that_ends_in_kota_is_the_mayors_city(nlp_id):
    # "Kota" belongs to the title "Wali Kota": the place is the city alone and the name after it is the mayor's.
    found = ents_of(nlp_id, "Wali Kota Bandung Rahmat Sudrajat meresmikan taman baru.")
    assert found == [("Bandung", "PLACE"), ("Rahmat Sudrajat", "PERSON")]


def test_a_church_office_is_a_title(nlp_id):
    doc = nlp_id("Uskup Agung Yohanes Liku memimpin ibadah di katedral.")
    assert ent(doc, "Yohanes Liku")._.role == "Uskup Agung"


def test_a_named_day_wins_over_a_town_of_the_same_name(nlp_id):
    doc = nlp_id("Umat Kristiani di Kupang merayakan Natal dengan sederhana.")
    assert (ent(doc, "Natal").label_, ent(doc, "Natal")._.entity_id) == ("EVENT", "event:christmas")


def test_an_indonesian_open_tournament_shares_the_english_id(nlp_id, nlp_en):
    indonesian = ent(nlp_id("Pebulu tangkis muda itu lolos ke final Jepang Terbuka 2024."), "Jepang Terbuka")
    english = ent(nlp_en("The young shuttler reached the final of the Japan Open 2024."), "Japan Open")
    assert (indonesian.label_, indonesian._.entity_id) == ("EVENT", english._.entity_id)


def test_two_known_indonesian_bodies_joined_by_dan_stay_two(nlp_id):
    doc = nlp_id("PBNU dan PP Muhammadiyah menyerukan pemilu yang damai.")
    assert [(e.text, e._.entity_id) for e in doc.ents] == [("PBNU", "org:nu"), ("PP Muhammadiyah", "org:muhammadiyah")]


def test_a_rural_bank_acronym_opens_a_bodys_name(nlp_id):
    assert ("BPR Mitra Usaha", "ORG") in ents_of(nlp_id, "Nasabah BPR Mitra Usaha di Garut menarik dananya.")


def test_a_foreign_spelling_that_is_an_indonesian_word_names_no_city(nlp_id):
    # "vena" (a vein) is one of Vienna's names in other languages; Indonesian writes Wina.
    doc = nlp_id("Dokter itu memeriksa pembuluh Vena pasien , lalu terbang ke Wina .")
    assert [(e.text, e._.entity_id) for e in doc.ents] == [("Wina", "place:vienna")]


def test_a_numbered_commission_alone_names_no_body(nlp_id):
    assert ents_of(nlp_id, "Rapat anggota Komisi IV berlangsung tertutup.") == []


def test_a_regional_police_abbreviation_and_its_full_name_are_one_body(nlp_id):
    short = ent(nlp_id("Petugas Polres Wonogiri menangkap dua pencuri."), "Polres Wonogiri")
    full = ent(nlp_id("Kepolisian Resor Wonogiri menangkap dua pencuri."), "Kepolisian Resor Wonogiri")
    assert (short.label_, short._.entity_id) == ("ORG", full._.entity_id)


def test_a_title_holder_named_after_a_comma_is_the_title_holder(nlp_id):
    doc = nlp_id("Hal itu disampaikan Duta Besar Norwegia untuk Indonesia , Rut Krüger Giverin , di Jakarta.")
    person = ent(doc, "Rut Krüger Giverin")
    assert (person.label_, person._.role) == ("PERSON", "Duta Besar")


def test_a_place_after_a_title_and_a_comma_stays_a_place(nlp_id):
    found = ents_of(nlp_id, "Gubernur Jawa Timur , Surabaya , dan Malang menolak kebijakan itu.")
    assert ("Surabaya", "PLACE") in found and not any(label == "PERSON" for _, label in found)


def test_a_member_of_a_regional_council_is_titled(nlp_id):
    doc = nlp_id("Anggota DPRD Kalimantan Selatan Rudi Hartono menolak usulan itu.")
    assert ent(doc, "Rudi Hartono")._.role == "Anggota"


def test_a_commission_numbered_one_belongs_to_the_office(nlp_id):
    doc = nlp_id("Wakil Ketua Komisi I DPR Hasan Basri menilai hal itu wajar.")
    assert ent(doc, "Hasan Basri")._.role == "Wakil Ketua Komisi I"


def test_a_capitalised_occupation_introduces_a_name_with_no_role(nlp_id):
    person = ent(nlp_id("Petenis Rina Wulandari melaju ke babak final."), "Rina Wulandari")
    assert (person.label_, person._.role) == ("PERSON", None)


def test_a_lowercase_occupation_introduces_no_name(nlp_id):
    found = ents_of(nlp_id, "Hal itu disampaikan pengamat Lembaga Studi Pembangunan Sandi Wirawan .")
    assert not any(text.startswith("Studi") for text, _ in found)


def test_a_un_body_named_in_indonesian_is_the_un_body(nlp_id):
    doc = nlp_id("Laporan Badan Pengungsi PBB dibahas di sidang Dewan Hak Asasi Manusia PBB.")
    assert [e._.entity_id for e in doc.ents] == ["org:unhcr", "org:unhrc"]


def test_a_football_club_named_after_its_city_is_the_club(nlp_id):
    doc = nlp_id("Persija Jakarta menang 2-0 atas PSM Makassar di Jakarta.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Persija Jakarta", "ORG"), ("PSM Makassar", "ORG"), ("Jakarta", "PLACE")]


def test_a_titled_name_stops_at_a_spaced_dash(nlp_id):
    found = ents_of(nlp_id, "Kampanye calon presiden Budi Santoso - Rina Kartika berlangsung damai.")
    assert ("Budi Santoso", "PERSON") in found


def test_an_acronym_spelling_out_the_office_closes_the_portfolio(nlp_id):
    doc = nlp_id("Hal itu dikatakan Menteri Pemberdayaan Aparatur Negara (PAN) Yuddy Chrisnandi di Jakarta.")
    assert [(e.text, e._.role) for e in doc.ents if e.label_ == "PERSON"] == [
        ("Yuddy Chrisnandi", "Menteri Pemberdayaan Aparatur Negara")]


def test_a_known_place_that_opens_with_a_title_is_the_place(nlp_id):
    # "Raja" (king) is a title, but "Raja Ampat" is a regency of Southwest Papua.
    place = ent(nlp_id("Wisatawan asing memadati Raja Ampat pada musim liburan."), "Raja Ampat")
    assert (place.label_, place._.country_iso3) == ("PLACE", "IDN")
