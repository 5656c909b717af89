"""Domains by meaning: multi-word terms win over their parts."""

from __future__ import annotations

import pytest
import spacy

from pipelines.nlp.domains import DomainTagger, load_domain_lexicon, order_domains
from pipelines.nlp.extensions import DOMAINS


@pytest.fixture(scope="module")
def id_tagger():
    nlp = spacy.blank("id")
    return nlp, DomainTagger(nlp)


@pytest.fixture(scope="module")
def en_tagger():
    nlp = spacy.blank("en")
    return nlp, DomainTagger(nlp)


def domains(tagger, text: str) -> list[str]:
    nlp, domain_tagger = tagger
    return domain_tagger.domains_of(nlp.make_doc(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("memberantas perdagangan orang", ["security"]),
        ("menumpas perdagangan narkoba", ["security"]),
        ("memperkuat kerja sama penegakan hukum", ["security"]),
        ("mendorong pertukaran budaya", ["culture"]),
        ("memperkuat tata kelola iklim", ["climate"]),
        ("mengembangkan kecerdasan buatan", ["technology"]),
        ("membangun energi baru", ["energy"]),
        ("memperbaiki iklim investasi", ["investment"]),
        ("memperluas perdagangan", ["trade"]),
    ],
)
def test_indonesian_term_maps_to_its_domain(id_tagger, text, expected):
    assert domains(id_tagger, text) == expected


def test_green_industry_is_industry(id_tagger):
    assert domains(id_tagger, "mengembangkan industri hijau") == ["industry"]


def test_trafficking_next_to_trade_keeps_both(id_tagger):
    text = "memperluas perdagangan dan memberantas perdagangan orang"
    assert domains(id_tagger, text) == ["trade", "security"]


def test_term_inside_a_longer_word_does_not_match(id_tagger):
    assert domains(id_tagger, "memperdagangkan barang") == []


def test_english_human_trafficking_is_security_not_trade(en_tagger):
    assert domains(en_tagger, "fight human trafficking") == ["security"]


def test_english_terms_are_case_insensitive(en_tagger):
    assert domains(en_tagger, "Artificial Intelligence and Tourism") == ["technology", "tourism"]


def test_domains_between_limits_to_the_range(id_tagger):
    nlp, tagger = id_tagger
    doc = nlp.make_doc("pertanian lalu pariwisata")
    hits = tagger.hits(doc)
    assert tagger.domains_between(hits, 0, len("pertanian")) == ["agriculture"]


def test_output_follows_the_contract_order():
    assert order_domains({"tourism", "diplomacy", "trade"}) == ["diplomacy", "trade", "tourism"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_lexicon_uses_only_contract_domains(lang):
    lexicon = load_domain_lexicon(lang)
    assert lexicon and all(set(d) <= set(DOMAINS) for d in lexicon.values())


def test_enclitic_is_looked_through(id_tagger):
    assert domains(id_tagger, "memperkuat ketahanan energinya") == ["energy"]


def test_military_regime_is_security_not_defense(en_tagger):
    assert domains(en_tagger, "pressure on the military junta") == ["security"]


def test_indonesian_training_is_no_education(id_tagger):
    assert domains(id_tagger, "memberikan pelatihan penjaga pantai") == ["security", "maritime"]


def test_process_word_yields_to_a_specific_domain(id_tagger):
    assert domains(id_tagger, "mempercepat perundingan perjanjian dagang") == ["trade"]


def test_process_word_alone_is_diplomacy(id_tagger):
    assert domains(id_tagger, "melanjutkan dialog") == ["diplomacy"]


def test_english_plural_is_looked_through(en_tagger):
    assert domains(en_tagger, "build two reactors") == ["energy"]


def test_carbon_trading_is_climate_finance_not_trade(id_tagger):
    assert domains(id_tagger, "membuka perdagangan karbon") == ["finance", "climate"]


def test_cultural_exchange_is_culture_not_trade(id_tagger):
    assert domains(id_tagger, "memperluas pertukaran budaya") == ["culture"]


def test_english_forest_protection_is_climate(en_tagger):
    assert domains(en_tagger, "protect tropical forests") == ["climate"]


def test_indonesian_biofuel_is_energy(id_tagger):
    assert domains(id_tagger, "mengembangkan bioetanol") == ["energy"]


def test_keeping_the_peace_is_the_troops_task(en_tagger):
    assert domains(en_tagger, "soldiers sent to keep the peace") == ["security", "defense"]


def test_paying_for_something_is_finance(id_tagger):
    assert domains(id_tagger, "membiayai sekolah") == ["finance", "education"]


def test_designation_carries_the_domain_it_was_introduced_with(id_tagger):
    nlp, tagger = id_tagger
    doc = nlp.make_doc("Indonesia membeli jet tempur KF-21. Pembayaran KF-21 dicicil.")
    second = doc.text.index("Pembayaran")
    assert tagger.domains_of(doc, second) == ["defense"]


def test_english_designation_carries_the_domain_it_was_introduced_with(en_tagger):
    nlp, tagger = en_tagger
    doc = nlp.make_doc("Japan sold the XR-7 fighter jet to Fiji. Fiji will pay for the XR-7 soon.")
    second = doc.text.index("Fiji will")
    assert tagger.domains_of(doc, second) == ["defense"]


def test_being_a_go_between_is_diplomacy_not_a_bridge(id_tagger):
    assert domains(id_tagger, "menjadi jembatan antara kedua kelompok") == ["diplomacy"]


def test_a_partner_as_such_is_no_domain_word(en_tagger):
    assert domains(en_tagger, "a foreign partner for its submarines") == ["defense"]


def test_scheme_a_commitment_runs_under_yields_to_what_it_is_about(en_tagger):
    assert domains(en_tagger, "train more nurses under the economic partnership scheme") == ["health"]


def test_scheme_a_commitment_runs_under_counts_when_nothing_else_does(en_tagger):
    assert domains(en_tagger, "act under the free trade agreement") == ["trade"]


def test_cyber_defense_is_defense_not_cybersecurity(en_tagger):
    assert domains(en_tagger, "add a cyber defense course") == ["defense"]


def test_indonesian_cyber_defense_is_defense(id_tagger):
    assert domains(id_tagger, "membentuk satuan pertahanan siber") == ["defense"]


def test_kind_of_standard_yields_to_what_must_meet_it(en_tagger):
    assert domains(en_tagger, "every shipment of coffee meets strict environmental and safety standards") == [
        "agriculture"]


def test_indonesian_kind_of_standard_yields_to_what_must_meet_it(id_tagger):
    assert domains(id_tagger, "setiap ekspor kopi memenuhi standar lingkungan") == ["trade", "agriculture"]


def test_kind_of_standard_counts_when_nothing_else_does(en_tagger):
    assert domains(en_tagger, "adopt stricter environmental standards") == ["climate"]


def test_parties_to_talks_are_not_what_the_talks_are_about(en_tagger):
    assert domains(en_tagger, "host talks between the army and the farmers' union") == ["diplomacy"]


def test_indonesian_parties_to_talks_are_not_what_the_talks_are_about(id_tagger):
    assert domains(id_tagger, "memfasilitasi dialog antara militer dan kelompok nelayan") == ["diplomacy"]


def test_between_after_another_noun_keeps_its_terms(en_tagger):
    assert domains(en_tagger, "a pipeline between the two ports") == ["infrastructure", "maritime"]


def test_facility_named_as_the_place_yields_to_what_is_done_there(id_tagger):
    assert domains(id_tagger, "menambah petugas keamanan di gedung dan bandara") == ["security"]


def test_english_facility_named_as_the_place_yields_to_what_is_done_there(en_tagger):
    assert domains(en_tagger, "train nurses at Jakarta's energy center") == ["health"]


def test_facility_that_is_built_keeps_its_domain(id_tagger):
    assert domains(id_tagger, "membangun bandara baru") == ["infrastructure"]


def test_locative_does_not_reach_across_a_verb(id_tagger):
    assert domains(id_tagger, "berinvestasi di Jawa serta membangun pusat energi") == ["investment", "energy"]


def test_disaster_relief_is_the_armed_forces_task(id_tagger):
    assert domains(id_tagger, "melatih tim penanggulangan bencana") == ["defense"]


def test_english_disaster_relief_is_the_armed_forces_task(en_tagger):
    assert domains(en_tagger, "set up a disaster relief unit") == ["defense"]


def test_safety_of_navigation_is_maritime_security(id_tagger):
    assert domains(id_tagger, "meningkatkan keselamatan pelayaran di perairan kepulauan") == ["security", "maritime"]


def test_english_maritime_safety_is_maritime_security(en_tagger):
    assert domains(en_tagger, "improve maritime safety in the strait") == ["security", "maritime"]


def test_military_alliance_is_alignment_as_well_as_defence(id_tagger):
    assert domains(id_tagger, "tidak akan bergabung dengan aliansi militer mana pun") == ["diplomacy", "defense"]


def test_english_military_alliance_is_alignment_as_well_as_defence(en_tagger):
    assert domains(en_tagger, "will not join any military alliance") == ["diplomacy", "defense"]


def test_market_that_goods_are_made_for_yields_to_what_is_made(id_tagger):
    assert domains(id_tagger, "membangun pabrik semen untuk pasar Afrika") == ["industry"]


def test_english_market_that_goods_are_made_for_yields_to_what_is_made(en_tagger):
    assert domains(en_tagger, "produce vaccines for the African market") == ["health"]


def test_market_opened_as_the_action_stays_trade(id_tagger):
    assert domains(id_tagger, "membangun pabrik semen dan memperluas pasar") == ["trade", "industry"]


def test_market_after_a_purpose_word_still_names_trade_alone(id_tagger):
    assert domains(id_tagger, "menyiapkan produk untuk pasar Afrika") == ["trade"]


def test_larger_commitment_an_action_is_part_of_is_weak(id_tagger):
    text = "mengirim guru ke sekolah sebagai bagian dari komitmennya pada perdamaian dunia"
    assert domains(id_tagger, text) == ["education"]


def test_english_larger_commitment_an_action_is_part_of_is_weak(en_tagger):
    assert domains(en_tagger, "send teachers to schools as part of its pledge to world peace") == ["education"]
