"""The commitment extractor, one attribution rule per test, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy

from pipelines.nlp.extensions import DOMAINS, MODALITIES
from tests.unit.nlp.commitment_support import label_parties, make_pipeline, run_with_parties

# Who is who in these tests: substring → (label, entity id, country ISO3).
PARTIES = {
    "Indonesia": ("COUNTRY", "country:IDN", "IDN"),
    "Jepang": ("COUNTRY", "country:JPN", "JPN"),
    "Japan": ("COUNTRY", "country:JPN", "JPN"),
    "Vietnam": ("COUNTRY", "country:VNM", "VNM"),
    "Australia": ("COUNTRY", "country:AUS", "AUS"),
    "Selandia Baru": ("COUNTRY", "country:NZL", "NZL"),
    "Fiji": ("COUNTRY", "country:FJI", "FJI"),
    "Malaysia": ("COUNTRY", "country:MYS", "MYS"),
    "Brazil": ("COUNTRY", "country:BRA", "BRA"),
    "Canberra": ("PLACE", "place:canberra", "AUS"),
    "Wellington": ("PLACE", "place:wellington", "NZL"),
    "Tokyo": ("PLACE", "place:tokyo", "JPN"),
    "Retno Marsudi": ("PERSON", "person:retno-marsudi", "IDN"),
    "Retno": ("PERSON", "person:retno-marsudi", "IDN"),
    "Anwar Ibrahim": ("PERSON", "person:anwar-ibrahim", "MYS"),
    "Anwar": ("PERSON", "person:anwar-ibrahim", "MYS"),
    "Lula": ("PERSON", "person:lula", "BRA"),
    "Kishida": ("PERSON", "person:kishida", "JPN"),
    "ASEAN": ("ORG", "org:asean", None),
    "Bank Dunia": ("ORG", "org:world-bank", None),
    "Badan Riset Nasional": ("ORG", "org:brin", "IDN"),
    "United States": ("COUNTRY", "country:USA", "USA"),
}


@pytest.fixture(scope="module")
def id_nlp():
    return make_pipeline("id")


@pytest.fixture(scope="module")
def en_nlp():
    return make_pipeline("en")


def extract(nlp, text: str):
    """Run the pipeline with entities labelled between sentence splitting and the extractor."""
    return run_with_parties(nlp, text, PARTIES)


def only(doc):
    assert len(doc._.commitments) == 1, [c.action_text for c in doc._.commitments]
    return doc._.commitments[0]


# --- modality cues --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Indonesia harus meningkatkan produksi beras.", "obligation"),
        ("Indonesia akan membangun pelabuhan baru.", "intent"),
        ("Indonesia siap mengirim bantuan ke Fiji.", "readiness"),
        ("Indonesia mendukung Fiji dalam forum itu.", "support"),
        ("Indonesia dan Fiji sepakat untuk membuka penerbangan langsung.", "agreement"),
        ("Indonesia berjanji membantu pemulihan Fiji.", "pledge"),
    ],
)
def test_indonesian_cue_sets_modality(id_nlp, sentence, modality):
    assert only(extract(id_nlp, sentence)).modality == modality


def test_modalities_come_from_the_contract(id_nlp):
    found = only(extract(id_nlp, "Indonesia wajib melindungi warganya."))
    assert found.modality in MODALITIES


def test_trigger_and_evidence_offsets_point_into_the_text(id_nlp):
    text = "Sebelumnya hujan turun. Indonesia perlu memperkuat kerja sama maritim dengan Vietnam."
    doc = extract(id_nlp, text)
    found = only(doc)
    assert doc.text[found.trigger_start:found.trigger_end] == "perlu"
    assert doc.text[found.start_char:found.end_char].startswith("Indonesia perlu")
    assert found.start_char <= found.trigger_start < found.trigger_end <= found.end_char


def test_narration_without_a_cue_is_not_a_commitment(id_nlp):
    text = "Indonesia dan Jepang memiliki kepentingan yang sama di kawasan."
    assert extract(id_nlp, text)._.commitments == []


def test_description_of_a_past_visit_is_not_a_commitment(id_nlp):
    text = (
        "Retno mengatakan kunjungan Kishida ke Indonesia tahun lalu telah membuka babak baru "
        "hubungan kedua negara."
    )
    assert extract(id_nlp, text)._.commitments == []


def test_cue_inside_a_relative_clause_commits_no_one(id_nlp):
    text = "Jepang meresmikan proyek yang akan dibangun di Indonesia."
    assert extract(id_nlp, text)._.commitments == []


def test_akan_as_a_preposition_is_not_intent(id_nlp):
    text = "Indonesia menjelaskan kebutuhan akan energi murah."
    assert extract(id_nlp, text)._.commitments == []


def test_sentence_without_entities_gives_no_commitment(id_nlp):
    assert extract(id_nlp, "Pemerintah harus bekerja lebih keras.")._.commitments == []


# --- actors ---------------------------------------------------------------------------------------------


def test_kedua_negara_resolves_to_the_two_most_mentioned_countries(id_nlp):
    text = (
        "Indonesia dan Jepang bertemu di Tokyo. Jepang memuji Indonesia. Vietnam tidak hadir.\n\n"
        "Kedua negara harus memperluas perdagangan."
    )
    found = extract(id_nlp, text)._.commitments[-1]
    assert sorted(found.actor_ids) == ["country:IDN", "country:JPN"]


def test_kedua_belah_pihak_after_a_call_are_the_called_on_actors(id_nlp):
    text = "Indonesia dan Jepang bertemu. Retno meminta kedua belah pihak untuk menjaga stabilitas kawasan."
    found = extract(id_nlp, text)._.commitments[-1]
    assert (found.modality, sorted(found.actor_ids)) == ("call", ["country:IDN", "country:JPN"])


def test_capital_stands_for_its_country(id_nlp):
    found = only(extract(id_nlp, "Canberra akan menambah bantuan untuk Fiji."))
    assert found.actor_ids == ["country:AUS"]


def test_person_subject_of_a_call_acts_through_the_called_on_parties(id_nlp):
    found = only(extract(id_nlp, "Anwar mendesak Jepang dan Vietnam untuk menurunkan tarif."))
    assert (found.speaker_id, found.actor_ids) == ("person:anwar-ibrahim", ["country:JPN", "country:VNM"])


def test_coordinated_subject_of_a_pledge_are_all_actors(id_nlp):
    found = only(extract(id_nlp, "Malaysia dan Indonesia berjanji menggandakan perdagangan bilateral."))
    assert found.actor_ids == ["country:MYS", "country:IDN"]


def test_english_coordinated_subject_of_a_pledge_are_all_actors(en_nlp):
    found = only(extract(en_nlp, "Brazil and Indonesia pledged to double bilateral trade."))
    assert found.actor_ids == ["country:BRA", "country:IDN"]


def test_call_on_a_party_followed_by_a_verb_needs_no_connector(id_nlp):
    found = only(extract(id_nlp, "Malaysia mendesak Vietnam menghentikan penangkapan ikan ilegal."))
    assert (found.modality, found.actor_ids) == ("call", ["country:VNM"])
    assert found.action_text == "menghentikan penangkapan ikan ilegal"


def test_call_verb_before_a_noun_is_no_call(id_nlp):
    assert extract(id_nlp, "Menlu Malaysia meminta maaf kepada Vietnam.")._.commitments == []


def test_person_making_a_pledge_acts_for_their_country(id_nlp):
    found = only(extract(id_nlp, "Lula berjanji melindungi hutan Amazon."))
    assert (found.speaker_id, found.actor_ids) == ("person:lula", ["country:BRA"])


def test_kami_inside_a_quote_is_the_speakers_country(id_nlp):
    found = only(extract(id_nlp, '"Kami siap membantu Fiji," kata Anwar.'))
    assert (found.actor_ids, found.speaker_id) == (["country:MYS"], "person:anwar-ibrahim")


def test_kami_in_narration_is_not_resolved_to_anyone(id_nlp):
    assert extract(id_nlp, "Kami akan membuka kantor baru di Fiji.")._.commitments == []


def test_para_menteri_are_the_organisation_of_the_meeting(id_nlp):
    text = "Dalam pertemuan ASEAN di Jakarta, para menteri sepakat memperkuat ketahanan pangan."
    assert only(extract(id_nlp, text)).actor_ids == ["org:asean"]


def test_coordinated_subjects_are_all_actors(id_nlp):
    found = only(extract(id_nlp, "Indonesia dan Malaysia akan meluncurkan patroli bersama."))
    assert found.actor_ids == ["country:IDN", "country:MYS"]


def test_party_behind_a_preposition_is_not_the_subject(id_nlp):
    found = only(extract(id_nlp, "Dalam pertemuan dengan Jepang, Indonesia siap membuka pasar."))
    assert found.actor_ids == ["country:IDN"]


def test_passive_obligation_falls_back_to_the_speakers_country_with_low_confidence(id_nlp):
    found = only(extract(id_nlp, "Retno menambahkan bahwa acara budaya itu perlu disiapkan dengan baik."))
    assert found.actor_ids == ["country:IDN"]
    assert found.confidence < 0.8


# --- targets --------------------------------------------------------------------------------------------


def test_party_after_dengan_is_a_target(id_nlp):
    found = only(extract(id_nlp, "Indonesia siap memperkuat kerja sama dengan Jepang."))
    assert found.target_ids == ["country:JPN"]


def test_object_of_mendukung_is_a_target(id_nlp):
    found = only(extract(id_nlp, "Indonesia mendukung Fiji untuk menjadi tuan rumah."))
    assert found.target_ids == ["country:FJI"]


def test_actor_is_never_its_own_target(id_nlp):
    found = only(extract(id_nlp, "Indonesia akan bekerja sama dengan Indonesia dan Jepang."))
    assert found.target_ids == ["country:JPN"]


# --- negation and status --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Indonesia tidak akan mengirim pasukan ke Fiji.",
        "Indonesia tak akan mengirim pasukan ke Fiji.",
        "Indonesia belum siap membuka pasar beras.",
        "Indonesia tidak juga akan menutup pasar.",
    ],
)
def test_negated_cue_is_negated(id_nlp, sentence):
    assert only(extract(id_nlp, sentence)).negated is True


def test_plain_cue_is_not_negated(id_nlp):
    assert only(extract(id_nlp, "Indonesia akan mengirim bantuan ke Fiji.")).negated is False


def test_tidak_hanya_does_not_negate(id_nlp):
    found = only(extract(id_nlp, "Indonesia tidak hanya akan membangun jalan."))
    assert found.negated is False


def test_telah_menandatangani_is_past(id_nlp):
    found = only(extract(id_nlp, "Indonesia dan Jepang telah menandatangani nota kesepahaman energi."))
    assert (found.modality, found.status) == ("agreement", "past")


def test_akan_menandatangani_is_future(id_nlp):
    found = only(extract(id_nlp, "Indonesia dan Jepang akan menandatangani nota kesepahaman energi."))
    assert found.status == "future"


# --- one row per commitment -----------------------------------------------------------------------------


def test_two_speakers_in_one_sentence_give_two_commitments(id_nlp):
    text = (
        "Menlu Australia menyatakan Canberra akan menambah bantuan kepada Fiji, sementara Menlu Selandia "
        "Baru mengatakan Wellington siap mengirim tim medis."
    )
    first, second = extract(id_nlp, text)._.commitments
    assert (first.speaker_id, first.actor_ids, first.modality) == ("country:AUS", ["country:AUS"], "intent")
    assert (second.speaker_id, second.actor_ids) == ("country:NZL", ["country:NZL"])
    assert second.modality == "readiness"


def test_second_subject_in_the_same_clause_starts_a_new_commitment(id_nlp):
    text = "Jepang akan membiayai jalan tol dan Indonesia siap menyediakan lahan."
    found = extract(id_nlp, text)._.commitments
    assert [c.actor_ids for c in found] == [["country:JPN"], ["country:IDN"]]


def test_coordinated_actions_stay_one_commitment(id_nlp):
    text = "Indonesia harus memperluas ekspor, mempercepat hilirisasi dan terus mendorong investasi."
    found = only(extract(id_nlp, text))
    assert found.action_text == "memperluas ekspor, mempercepat hilirisasi dan terus mendorong investasi"


def test_second_cue_inside_the_action_joins_the_first(id_nlp):
    found = only(extract(id_nlp, "Indonesia siap dan akan mendukung Fiji."))
    assert found.modality == "readiness"


def test_action_stops_before_a_postposed_frame(id_nlp):
    found = only(extract(id_nlp, "Indonesia akan membuka pasar, kata Retno."))
    assert found.action_text == "membuka pasar"


def test_domains_come_from_the_action(id_nlp):
    found = only(extract(id_nlp, "Indonesia akan memperkuat kerja sama pertahanan dan pariwisata."))
    assert found.domains == ["defense", "tourism"]
    assert set(found.domains) <= set(DOMAINS)


def test_confidence_is_higher_with_named_actor_and_speaker(id_nlp):
    clear = only(extract(id_nlp, "Retno mengatakan Indonesia akan membuka pasar."))
    fallback = only(extract(id_nlp, "Retno mengatakan bahwa acara itu perlu disiapkan dengan baik."))
    assert clear.confidence > fallback.confidence


# --- English --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Japan must open its market.", "obligation"),
        ("Japan will build a new port.", "intent"),
        ("Japan plans to build a new port.", "intent"),
        ("Japan is ready to send aid to Fiji.", "readiness"),
        ("Japan is willing to share its technology.", "readiness"),
        ("Japan supports Fiji in the forum.", "support"),
        ("Japan and Indonesia agreed to expand trade.", "agreement"),
        ("Japan pledged to fund the project.", "pledge"),
    ],
)
def test_english_cue_sets_modality(en_nlp, sentence, modality):
    assert only(extract(en_nlp, sentence)).modality == modality


def test_english_call_on_both_sides(en_nlp):
    text = "Japan and Indonesia met in Tokyo. Anwar urged both sides to lower tariffs."
    found = extract(en_nlp, text)._.commitments[-1]
    assert (found.modality, sorted(found.actor_ids)) == ("call", ["country:IDN", "country:JPN"])


def test_english_will_not_is_negated(en_nlp):
    assert only(extract(en_nlp, "Japan will not send troops.")).negated is True


def test_english_does_not_support_is_negated(en_nlp):
    found = only(extract(en_nlp, "Japan does not support the proposal."))
    assert (found.modality, found.negated) == ("support", True)


def test_english_political_will_is_not_intent(en_nlp):
    assert extract(en_nlp, "Japan showed political will in the talks.")._.commitments == []


def test_english_signed_is_past(en_nlp):
    found = only(extract(en_nlp, "Japan and Indonesia signed an energy agreement."))
    assert found.status == "past"


def test_english_we_in_quote_is_the_speakers_country(en_nlp):
    found = only(extract(en_nlp, '"We will help Fiji," Kishida said.'))
    assert (found.actor_ids, found.speaker_id, found.target_ids) == (
        ["country:JPN"], "person:kishida", ["country:FJI"])


def test_english_passive_call_is_not_a_call_by_the_subject(en_nlp):
    assert extract(en_nlp, "Japan was asked about plans to help Fiji.")._.commitments == []


def test_english_said_with_pronoun_and_would(en_nlp):
    text = "Kishida visited Fiji. He said Japan would build a new hospital."
    found = only(extract(en_nlp, text))
    assert (found.speaker_id, found.modality, found.domains) == ("person:kishida", "intent", ["health"])


# --- component contract ---------------------------------------------------------------------------------


def test_doc_without_entities_gets_an_empty_list(id_nlp):
    assert id_nlp("Pemerintah akan membangun jalan.")._.commitments == []


def test_doc_without_sentence_boundaries_is_refused():
    nlp = spacy.blank("id")
    extractor = nlp.add_pipe("ikrar_commitments")
    doc = label_parties(nlp.make_doc("Indonesia akan membangun jalan."), PARTIES)
    with pytest.raises(ValueError, match="sentence"):
        extractor(doc)


def test_verb_introducing_a_modal_clause_lends_its_speaker(id_nlp):
    found = only(extract(id_nlp, "Anwar berjanji Malaysia akan membuka pasar."))
    assert (found.modality, found.speaker_id, found.actor_ids) == ("intent", "person:anwar-ibrahim", ["country:MYS"])


# --- coordination and phrases ---------------------------------------------------------------------------


def test_titled_people_coordinate_as_actors(id_nlp):
    text = "Menteri Luar Negeri Retno Marsudi dan Perdana Menteri Malaysia Anwar Ibrahim sepakat membuka pasar."
    assert only(extract(id_nlp, text)).actor_ids == ["country:IDN", "country:MYS"]


def test_english_counterpart_coordinates_as_actor(en_nlp):
    found = only(extract(en_nlp, "Retno and her Japanese counterpart Kishida agreed to expand trade."))
    assert found.actor_ids == ["country:IDN", "country:JPN"]


def test_english_article_inside_a_coordination(en_nlp):
    found = only(extract(en_nlp, "Japan and the United States will build a new port."))
    assert found.actor_ids == ["country:JPN", "country:USA"]


def test_pemerintah_is_the_speakers_government(id_nlp):
    found = only(extract(id_nlp, "Anwar menambahkan, pemerintah tidak akan menaikkan tarif."))
    assert found.actor_ids == ["country:MYS"]


def test_phrase_before_a_name_yields_to_the_name(id_nlp):
    found = only(extract(id_nlp, "Pemerintah Malaysia akan menaikkan tarif, kata Retno."))
    assert found.actor_ids == ["country:MYS"]


def test_meeting_organisation_is_the_one_the_article_names_most(id_nlp):
    text = "KTT ASEAN dibuka. ASEAN menyambut Fiji. Para pemimpin sepakat memperkuat permodalan Bank Dunia."
    assert extract(id_nlp, text)._.commitments[-1].actor_ids == ["org:asean"]


def test_pair_just_named_at_a_summit(id_nlp):
    text = ("KTT ASEAN dibuka. Para menteri ASEAN hadir. Di sela KTT, Retno bertemu Perdana Menteri Jepang "
            "Kishida. Keduanya sepakat memperkuat kerja sama maritim.")
    found = extract(id_nlp, text)._.commitments[-1]
    assert sorted(found.actor_ids) == ["country:IDN", "country:JPN"]


def test_thing_as_subject_commits_no_one(en_nlp):
    assert extract(en_nlp, '"The agreement cannot become a dead letter," Kishida said.')._.commitments == []


# --- cues that commit no one ----------------------------------------------------------------------------


def test_wish_is_not_a_commitment(id_nlp):
    assert extract(id_nlp, "Indonesia ingin memperluas ekspor.")._.commitments == []


def test_prohibition_frames_without_committing(id_nlp):
    assert extract(id_nlp, "Indonesia tidak boleh menutup pasar.")._.commitments == []


def test_promising_as_an_adjective_is_no_pledge(id_nlp):
    assert extract(id_nlp, "Indonesia melihat Fiji sebagai pasar yang paling menjanjikan.")._.commitments == []


def test_akan_with_a_schedule_verb_is_no_intent(id_nlp):
    assert extract(id_nlp, "KTT ASEAN berikutnya akan berlangsung di Malaysia.")._.commitments == []


def test_akan_with_a_passive_verb_is_no_intent(id_nlp):
    assert extract(id_nlp, "Keketuaan ASEAN akan dipegang Malaysia.")._.commitments == []


def test_english_will_be_held_is_no_intent(en_nlp):
    assert extract(en_nlp, "The next ASEAN summit will be held in Japan.")._.commitments == []


# --- signings -------------------------------------------------------------------------------------------


def test_menandatangani_is_past_without_telah(id_nlp):
    found = only(extract(id_nlp, "Indonesia dan Jepang menandatangani nota kesepahaman energi."))
    assert found.status == "past"


def test_english_agreed_to_is_future(en_nlp):
    found = only(extract(en_nlp, "Japan and Indonesia agreed to expand trade."))
    assert found.status == "future"


def test_passive_signing_takes_the_agents_as_actors(id_nlp):
    found = only(extract(id_nlp, "Nota kesepahaman itu ditandatangani oleh Retno dan Anwar."))
    assert (found.actor_ids, found.status) == (["country:IDN", "country:MYS"], "past")


def test_passive_signing_without_agents_takes_the_parties_of_the_document(id_nlp):
    text = "Retno membahas perjanjian antara Indonesia dan Malaysia yang ditandatangani tahun lalu."
    assert only(extract(id_nlp, text)).actor_ids == ["country:IDN", "country:MYS"]


def test_english_passive_signed_by(en_nlp):
    found = only(extract(en_nlp, "The energy agreement was signed by Retno and Kishida in Tokyo."))
    assert found.actor_ids == ["country:IDN", "country:JPN"]


# --- calls ----------------------------------------------------------------------------------------------


def test_party_behind_a_preposition_is_not_called_on(en_nlp):
    assert extract(en_nlp, "Retno urged Indonesian citizens in Japan to register.")._.commitments == []


def test_party_in_the_addressees_relative_clause_is_a_target(id_nlp):
    text = "Dalam pertemuan ASEAN, Retno meminta negara anggota yang berdagang dengan Jepang untuk meninjau hubungan."
    found = only(extract(id_nlp, text))
    assert (found.actor_ids, found.target_ids) == (["org:asean"], ["country:JPN"])


# --- targets --------------------------------------------------------------------------------------------


def test_target_inside_the_governed_noun_phrase(id_nlp):
    found = only(extract(id_nlp, "Indonesia siap membuka akses pasar bagi produk pertanian Vietnam."))
    assert found.target_ids == ["country:VNM"]


def test_english_target_behind_of(en_nlp):
    found = only(extract(en_nlp, "Japan will deliver results for the people of Fiji."))
    assert found.target_ids == ["country:FJI"]


def test_ke_names_a_target(id_nlp):
    assert only(extract(id_nlp, "Indonesia siap memasok beras ke Fiji.")).target_ids == ["country:FJI"]


def test_bersama_names_a_target(id_nlp):
    found = only(extract(id_nlp, "Vietnam berkomitmen membangun jaringan listrik bersama Malaysia."))
    assert found.target_ids == ["country:MYS"]


def test_untuk_names_no_target(id_nlp):
    assert only(extract(id_nlp, "Canberra akan menambah bantuan untuk Fiji.")).target_ids == []


def test_preposition_inside_a_title_governs_nothing(id_nlp):
    text = "Duta Besar Jepang untuk Malaysia Kishida siap membuka kantor baru."
    assert only(extract(id_nlp, text)).actor_ids == ["country:JPN"]


def test_other_members_are_no_target(id_nlp):
    text = "Dalam KTT ASEAN, Malaysia siap berbagi teknologi dengan negara anggota lainnya."
    assert only(extract(id_nlp, text)).target_ids == []


def test_english_participle_clause_ends_the_action(en_nlp):
    found = only(extract(en_nlp, "Japan will cut tariffs, adding that talks with Fiji continue."))
    assert found.target_ids == []


# --- domains --------------------------------------------------------------------------------------------


def test_commitment_without_a_domain_word_is_diplomacy(id_nlp):
    found = only(extract(id_nlp, "Indonesia tidak akan memihak dalam persaingan itu."))
    assert found.domains == ["diplomacy"]


def test_organisation_name_gives_no_domain(id_nlp):
    found = only(extract(id_nlp, "Indonesia akan melibatkan Badan Riset Nasional."))
    assert found.domains == ["diplomacy"]


def test_subordinate_clause_names_no_domain_of_the_commitment(id_nlp):
    text = "Indonesia dan Jepang membahas investasi. Jepang tidak akan menariknya meskipun harga minyak turun."
    assert only(extract(id_nlp, text)).domains == ["investment"]


def test_range_closed_by_hingga_stays_in_the_action(id_nlp):
    found = only(extract(id_nlp, "Indonesia akan bekerja sama dengan Jepang mulai dari perdagangan hingga industri."))
    assert found.domains == ["trade", "industry"]


def test_meeting_where_it_was_agreed_is_no_domain(id_nlp):
    text = "Indonesia dan Rusia telah menyepakati kerja sama energi dalam sidang komisi bersama di Jakarta."
    assert only(extract(id_nlp, text)).domains == ["energy"]


def test_meeting_is_diplomacy_when_nothing_else_is_named(id_nlp):
    text = "Indonesia dan Rusia telah menyepakati langkah baru dalam sidang komisi bersama di Jakarta."
    assert only(extract(id_nlp, text)).domains == ["diplomacy"]


def test_restraint_between_armed_parties_is_security(en_nlp):
    found = only(extract(en_nlp, "Indonesia called on both sides to exercise maximum restraint."))
    assert found.domains == ["security"]


def test_clause_pointing_back_takes_the_topic_before_it(id_nlp):
    text = "Indonesia dan Jepang membahas keamanan maritim. Indonesia akan terus menjaganya bersama Jepang."
    assert only(extract(id_nlp, text)).domains == ["security", "maritime"]


def test_clause_not_pointing_back_stays_diplomacy(id_nlp):
    text = "Indonesia dan Jepang membahas keamanan maritim. Indonesia akan tetap netral."
    assert only(extract(id_nlp, text)).domains == ["diplomacy"]


def test_english_generic_undertaking_takes_the_topic_before_it(en_nlp):
    text = "Cyber attacks hit hospitals last year. Japan and Indonesia will act together."
    assert only(extract(en_nlp, text)).domains == ["technology", "security", "health"]


def test_generic_undertaking_takes_the_domains_of_the_commitment_before_it(id_nlp):
    text = "Indonesia akan memperluas ekspor kopi ke Jepang. Harga minyak naik. Jepang siap membentuk tim tambahan."
    assert extract(id_nlp, text)._.commitments[-1].domains == ["trade", "agriculture"]


def test_generic_undertaking_takes_the_topic_before_it_when_no_commitment_precedes(id_nlp):
    text = "Ekspor kopi turun tajam. Indonesia akan membentuk satuan tugas."
    assert only(extract(id_nlp, text)).domains == ["trade", "agriculture"]


def test_generic_undertaking_with_nothing_before_it_is_diplomacy(id_nlp):
    assert only(extract(id_nlp, "Indonesia akan membentuk satuan tugas.")).domains == ["diplomacy"]


def test_acting_on_an_international_body_is_diplomacy(id_nlp):
    text = "Ekspor kopi turun tajam. Indonesia akan mendukung reformasi ASEAN."
    assert only(extract(id_nlp, text)).domains == ["diplomacy"]


def test_signed_by_takes_the_domain_of_what_was_signed_not_the_signers_titles(id_nlp):
    text = ("Indonesia dan Jepang menyiapkan nota kesepahaman tentang pendidikan. "
            "Nota itu ditandatangani oleh Menteri Perdagangan Retno dan Kishida.")
    assert only(extract(id_nlp, text)).domains == ["education"]


def test_noun_with_a_demonstrative_adds_the_domain_it_was_named_with_before(id_nlp):
    text = "Indonesia memiliki hubungan dagang yang erat dengan Jepang. Indonesia akan meninjau hubungan tersebut."
    assert only(extract(id_nlp, text)).domains == ["diplomacy", "trade"]


def test_english_noun_with_a_demonstrative_takes_the_domain_it_was_named_with_before(en_nlp):
    text = "Japan has long energy ties with Fiji. Japan will review these ties, Kishida said."
    assert only(extract(en_nlp, text)).domains == ["diplomacy", "energy"]


def test_vague_noun_with_a_demonstrative_takes_the_domain_named_before_it_in_the_sentence(id_nlp):
    text = "Selain pariwisata, Indonesia akan membuka peluang bagi Jepang untuk menanamkan modal di sektor tersebut."
    assert only(extract(id_nlp, text)).domains == ["investment", "tourism"]


def test_english_vague_noun_with_a_demonstrative_takes_the_topic_before_it(en_nlp):
    text = "Fiji exports much coffee. Japan will invest in these products."
    assert only(extract(en_nlp, text)).domains == ["trade", "investment", "agriculture"]


def test_noun_with_a_demonstrative_that_names_a_domain_needs_no_antecedent(id_nlp):
    text = "Keamanan kawasan terus memburuk. Indonesia akan menjaga hubungan ini."
    assert only(extract(id_nlp, text)).domains == ["diplomacy"]


def test_demonstrative_after_a_time_noun_names_no_antecedent(id_nlp):
    text = "Tahun lalu ekspor kopi naik. Indonesia akan membuka kedutaan tahun ini."
    assert only(extract(id_nlp, text)).domains == ["diplomacy"]


def test_standard_of_a_comparison_is_no_topic_to_point_back_to(id_nlp):
    text = "Fiji membayar utang lebih besar daripada anggaran sekolah. Indonesia akan mengubah keadaan ini."
    assert only(extract(id_nlp, text)).domains == ["finance"]


def test_more_than_a_number_is_a_quantity_not_a_comparison(en_nlp):
    text = "Fiji sent more than 900 troops abroad. Japan will not withdraw them."
    assert only(extract(en_nlp, text)).domains == ["defense"]


def test_english_pronoun_object_takes_the_topic_before_it(en_nlp):
    text = "Indonesia sent peacekeepers to the region. Indonesia will not withdraw them soon."
    assert only(extract(en_nlp, text)).domains == ["security"]


def test_elaborating_clause_on_the_same_matter_adds_its_domains(en_nlp):
    text = "Japan will keep its loans to Indonesia, Kishida said, adding that the money would fund new schools."
    assert only(extract(en_nlp, text)).domains == ["finance", "education"]


def test_production_naming_no_product_makes_the_designated_programme(id_nlp):
    text = "Jepang membeli kapal perang XK-9 dari Fiji. Fiji akan melibatkan teknisi Jepang dalam tahap produksi."
    assert only(extract(id_nlp, text)).domains == ["industry", "defense"]


def test_english_production_naming_no_product_makes_the_designated_programme(en_nlp):
    text = "Japan bought the XK-9 warship from Fiji. Fiji will hire Japanese welders for the production line."
    assert only(extract(en_nlp, text)).domains == ["industry", "defense"]


def test_production_naming_its_product_ignores_the_programme(id_nlp):
    text = "Jepang membeli kapal perang XK-9 dari Fiji. Fiji akan memperluas produksi vaksin di Jepang."
    assert only(extract(id_nlp, text)).domains == ["industry", "health"]


def test_elaborating_clause_on_another_matter_adds_nothing(en_nlp):
    text = "Japan will keep its loans to Indonesia, Kishida said, adding that tourism had recovered."
    assert only(extract(en_nlp, text)).domains == ["finance"]


def test_indonesian_elaborating_clause_on_the_same_matter_adds_its_domains(id_nlp):
    text = ("Jepang akan melanjutkan pinjaman bagi Indonesia, kata Kishida, seraya menambahkan bahwa dana itu"
            " untuk sekolah.")
    assert only(extract(id_nlp, text)).domains == ["finance", "education"]


def test_coordinated_clause_with_its_own_subject_adds_no_domain(id_nlp):
    text = "Indonesia akan memperluas ekspor kopi, dan perusahaan-perusahaan Jepang dipersilakan berinvestasi."
    assert only(extract(id_nlp, text)).domains == ["trade", "agriculture"]


def test_coordinated_verb_phrase_of_the_same_subject_adds_its_domain(id_nlp):
    text = "Indonesia akan memperluas ekspor kopi, dan mendorong investasi Jepang."
    assert only(extract(id_nlp, text)).domains == ["trade", "investment", "agriculture"]


def test_english_coordinated_clause_with_its_own_subject_adds_no_domain(en_nlp):
    text = "Japan will expand coffee imports, and Indonesian firms are welcome to invest."
    assert only(extract(en_nlp, text)).domains == ["trade", "agriculture"]


def test_english_coordinated_verb_phrase_of_the_same_subject_adds_its_domain(en_nlp):
    text = "Japan will expand coffee imports, and promote new investment."
    assert only(extract(en_nlp, text)).domains == ["trade", "investment", "agriculture"]


def test_action_with_only_weak_words_takes_what_its_clause_names(en_nlp):
    text = ("Fiji has joined peacekeeping missions since 1990 and will send 500 personnel to new missions"
            " as part of its commitment to world peace.")
    assert only(extract(en_nlp, text)).domains == ["security", "defense"]


# --- new cues -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Japan reaffirmed its commitment to fund new ports in Fiji.", "pledge"),
        ("Japan committed itself to training nurses.", "pledge"),
        ("Japan and Indonesia pledge to expand rice trade.", "pledge"),
        ("Japan supported the proposal from Fiji.", "support"),
        ("Japan is going to open a consulate in Fiji.", "intent"),
    ],
)
def test_more_english_cues_set_modality(en_nlp, sentence, modality):
    assert only(extract(en_nlp, sentence)).modality == modality


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Indonesia dan Jepang menyetujui peta jalan energi.", "agreement"),
        ("Indonesia berniat membuka kantor dagang di Fiji.", "intent"),
        ("Indonesia sanggup memasok beras ke Fiji.", "readiness"),
    ],
)
def test_more_indonesian_cues_set_modality(id_nlp, sentence, modality):
    assert only(extract(id_nlp, sentence)).modality == modality


def test_noun_pledge_is_no_cue(en_nlp):
    assert extract(en_nlp, "Fiji welcomed the pledge to fund ports made by Japan.")._.commitments == []


def test_called_for_needs_a_party_to_act(en_nlp):
    assert extract(en_nlp, "Japan called for calm in the region.")._.commitments == []


def test_not_yet_ready_is_negated(en_nlp):
    found = only(extract(en_nlp, "Japan is not yet ready to lower its tariffs on rice."))
    assert (found.modality, found.negated) == ("readiness", True)


def test_call_on_own_ministers_commits_the_callers(en_nlp):
    text = "Indonesia and Japan held talks in Tokyo. The two leaders called on their ministers to finish the review."
    found = only(extract(en_nlp, text))
    assert (found.modality, sorted(found.actor_ids)) == ("call", ["country:IDN", "country:JPN"])


# --- targets --------------------------------------------------------------------------------------------


def test_nationality_adjective_in_a_target_phrase_is_a_target(en_nlp):
    found = only(extract(en_nlp, "Japan will fund scholarships for Indonesian students."))
    assert found.target_ids == ["country:IDN"]


def test_nationality_adjective_outside_a_target_phrase_is_no_target(en_nlp):
    found = only(extract(en_nlp, "Japan will train the next generation of Indonesian engineers."))
    assert found.target_ids == []


def test_party_of_a_subordinate_clause_is_no_target(id_nlp):
    text = "Indonesia tidak akan mencabut larangan itu sebelum Malaysia berunding dengan Vietnam."
    assert only(extract(id_nlp, text)).target_ids == []


def test_subordinate_clause_without_new_subject_keeps_its_target(id_nlp):
    text = "Malaysia tidak akan memulangkan para pekerja sebelum berkoordinasi dengan Indonesia."
    assert only(extract(id_nlp, text)).target_ids == ["country:IDN"]


# --- gold trigger lookup (pipelines.scoring.commitments) ------------------------------------------------


def test_gold_trigger_is_found_as_a_whole_word():
    from pipelines.scoring.commitments import _find_trigger

    body = "Mereka merasakan dampaknya. Kami akan membantu."
    assert _find_trigger(body, (0, len(body)), "akan", 0) == body.index(" akan ") + 1


# --- pronoun subjects of reported speech ----------------------------------------------------------------


def test_it_after_a_country_said_is_that_country(en_nlp):
    found = only(extract(en_nlp, "Japan said it would fund new ports in Fiji."))
    assert found.actor_ids == ["country:JPN"]


def test_they_after_coordinated_speakers_is_both(en_nlp):
    found = only(extract(en_nlp, "Indonesia and Japan said they would expand rice trade."))
    assert sorted(found.actor_ids) == ["country:IDN", "country:JPN"]


def test_it_for_no_party_commits_no_one(en_nlp):
    assert extract(en_nlp, "It will take years, Kishida said.")._.commitments == []


def test_his_country_is_the_speakers_country(en_nlp):
    found = only(extract(en_nlp, "Kishida said his country is willing to help Fiji rebuild roads."))
    assert (found.actor_ids, found.speaker_id) == (["country:JPN"], "person:kishida")


def test_mereka_takes_the_group_named_before_it(id_nlp):
    text = "Indonesia dan Jepang bertemu di Tokyo. Kedua negara menyatakan mereka akan memperluas perdagangan beras."
    assert sorted(only(extract(id_nlp, text)).actor_ids) == ["country:IDN", "country:JPN"]


def test_siap_in_a_compound_adjective_is_no_readiness(id_nlp):
    assert extract(id_nlp, "Indonesia menjual makanan siap saji ke Jepang.")._.commitments == []


def test_more_speech_verbs_name_the_speaker(en_nlp):
    found = only(extract(en_nlp, "Kishida announced that Japan will build a port in Fiji."))
    assert found.speaker_id == "person:kishida"


def test_demonstrative_of_time_does_not_point_back(id_nlp):
    text = "Indonesia dan Jepang membahas keamanan maritim. Indonesia akan tetap netral saat ini."
    assert only(extract(id_nlp, text)).domains == ["diplomacy"]
