"""The gazetteer tables: generated country and place data, hand-written aliases, the stoplist, slugs."""

from __future__ import annotations

import pytest

from pipelines.nlp.build_gazetteer import is_spelling_of, is_usable_name, split_display_name
from pipelines.nlp.gazetteer import (
    DATA_DIR,
    describe_entity,
    load_gazetteer,
    read_csv,
    read_jsonl,
    read_persons,
    slugify,
)


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_slug_strips_accents_and_joins_words_with_hyphens():
    assert slugify("António Guterres") == "antonio-guterres"
    assert slugify("  KTT China-Asia Tengah ") == "ktt-china-asia-tengah"


def test_every_iso_country_is_loaded_with_its_iso3_id(gaz):
    import pycountry

    country_ids = {e.entity_id for e in gaz.entries.values() if e.label == "COUNTRY"}
    assert country_ids == {f"country:{c.alpha_3}" for c in pycountry.countries}


def test_indonesian_cldr_name_resolves_to_the_country(gaz):
    entry = gaz.lookup("Tiongkok")
    assert (entry.entity_id, entry.country_iso3, entry.canonical_name) == ("country:CHN", "CHN", "China")


def test_hand_written_alias_resolves_to_the_country(gaz):
    assert gaz.lookup("Korsel").entity_id == "country:KOR"


def test_cased_alias_does_not_match_the_lowercase_word(gaz):
    assert gaz.lookup("AS").entity_id == "country:USA"
    assert gaz.lookup("as") is None


def test_multi_word_alias_matches_in_any_case(gaz):
    assert gaz.lookup("AMERIKA SERIKAT").entity_id == "country:USA"


def test_country_wins_over_a_city_of_the_same_name(gaz):
    assert gaz.lookup("Singapore").label == "COUNTRY"


def test_capital_carries_its_country(gaz):
    entry = gaz.lookup("Astana")
    assert (entry.label, entry.entity_id, entry.country_iso3) == ("PLACE", "place:astana", "KAZ")


def test_geonames_exonym_resolves_to_the_city(gaz):
    assert gaz.lookup("Moskow").entity_id == "place:moscow"


def test_never_stopword_removes_a_place_form(gaz):
    assert "kota" in gaz.stopwords["never"]
    assert gaz.lookup("Kota") is None


def test_common_stopword_keeps_the_place_but_only_mid_sentence(gaz):
    form = gaz.forms[("Lima", True)]
    assert form.entity_id == "place:lima" and form.mid_sentence_only


def test_region_has_no_country(gaz):
    entry = gaz.lookup("Asia Tengah")
    assert (entry.label, entry.entity_id, entry.country_iso3) == ("PLACE", "place:central-asia", None)


def test_organization_acronym_and_names_share_one_id(gaz):
    ids = {gaz.lookup(form).entity_id for form in ("SCO", "Organisasi Kerja Sama Shanghai",
                                                    "Shanghai Cooperation Organisation")}
    assert ids == {"org:sco"}


def test_place_aliases_point_at_generated_cities():
    generated = {p["id"]: p["iso3"] for p in read_jsonl(DATA_DIR / "gaz_places.jsonl")}
    for row in read_csv(DATA_DIR / "gaz_place_aliases.csv"):
        assert generated.get(row["id"]) == row["country_iso3"], row


def test_every_table_row_has_a_valid_case_policy():
    tables = ("gaz_country_aliases.csv", "gaz_organizations.csv", "gaz_regions.csv", "gaz_place_aliases.csv")
    for name in tables:
        for row in read_csv(DATA_DIR / name):
            assert row["case"] in {"cased", "any"}, (name, row)


def test_titles_have_a_canonical_role_unless_honorific(gaz):
    for title in gaz.titles:
        assert title.kind in {"title", "office_abroad", "honorific", "occupation", "counterpart"}
        assert title.kind in ("honorific", "occupation", "counterpart") or title.canonical


def test_place_form_filter_rejects_codes_and_lowercase_romanizations():
    assert is_usable_name("Astana")
    assert not is_usable_name("NQZ")
    assert not is_usable_name("a si ta na")
    assert not is_usable_name("Астана")


def test_alternate_name_kept_only_when_it_spells_the_city_name():
    assert is_spelling_of("Kairo", "Cairo")
    assert not is_spelling_of("Tselinograd", "Astana")


def test_cldr_display_name_qualifiers_are_split_off():
    assert split_display_name("Myanmar (Burma)") == ["Myanmar", "Burma"]
    assert split_display_name("Congo - Kinshasa") == []


def test_describe_entity_reads_a_gazetteer_id():
    assert describe_entity("place:canberra") == ("PLACE", "Canberra", "AUS")


def test_describe_entity_follows_the_convention_for_other_ids():
    assert describe_entity("person:budi-santoso") == ("PERSON", "Budi Santoso", None)


def test_describe_entity_rejects_a_malformed_id():
    with pytest.raises(ValueError):
        describe_entity("budi-santoso")


def test_visitor_cues_are_loaded_by_kind(gaz):
    assert "visiting" in gaz.foreign_cues["before_title"]


def test_known_person_is_found_by_a_spelling_variant_of_the_name(gaz):
    assert gaz.known_person("Lee Jae Myung").name == "Lee Jae-myung"


def test_known_person_is_found_by_a_short_form(gaz):
    assert gaz.known_person("Lavrov").country_iso3 == "RUS"


def test_short_form_two_known_persons_share_names_neither(tmp_path):
    table = tmp_path / "gaz_persons.csv"
    table.write_text("name,iso3,office,aliases\nAna Lima,BRA,Presiden,Lima\nRui Lima,PRT,Presiden,Lima\n",
                     encoding="utf-8")
    persons, _ = read_persons(table)
    assert "lima" not in persons


def test_multilateral_head_has_no_country_in_the_person_table(gaz):
    assert gaz.known_person("Antonio Guterres").country_iso3 is None


def test_gazetteer_is_loaded_once_however_its_folder_is_named():
    assert load_gazetteer() is load_gazetteer(DATA_DIR) is load_gazetteer(str(DATA_DIR))


def test_word_of_a_derived_nouns_shape_is_a_common_word(gaz):
    assert "penyelidikan" in gaz.common_words and "kepelabuhanan" in gaz.common_words


def test_foreign_surname_of_a_derived_nouns_shape_is_no_common_word(gaz):
    assert "pezeshkian" not in gaz.common_words and "kerrigan" not in gaz.common_words
