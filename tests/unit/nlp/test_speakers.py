"""Speech frames, quotations and speaker carry-over, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span
from spacy.util import filter_spans

from pipelines.nlp.speakers import (
    EntityIndex,
    SpeakerFinder,
    TokenTable,
    longest_matches,
    quote_spans,
    span_extension_values,
)
from tests.unit.nlp.commitment_support import make_pipeline, run_with_parties

PARTIES = {
    "Retno Marsudi": ("PERSON", "person:retno-marsudi", "IDN"),
    "Retno": ("PERSON", "person:retno-marsudi", "IDN"),
    "Kishida": ("PERSON", "person:kishida", "JPN"),
    "Anwar": ("PERSON", "person:anwar-ibrahim", "MYS"),
    "Indonesia": ("COUNTRY", "country:IDN", "IDN"),
    "Jepang": ("COUNTRY", "country:JPN", "JPN"),
    "Japan": ("COUNTRY", "country:JPN", "JPN"),
    "Fiji": ("COUNTRY", "country:FJI", "FJI"),
    "Kemlu": ("ORG", "org:kemlu", "IDN"),
}


@pytest.fixture(scope="module")
def id_nlp():
    return make_pipeline("id")


@pytest.fixture(scope="module")
def en_nlp():
    return make_pipeline("en")


def run(nlp, text: str):
    return run_with_parties(nlp, text, PARTIES)


def speakers(nlp, text: str) -> list[str | None]:
    return [c.speaker_id for c in run(nlp, text)._.commitments]


def frames(nlp, text: str):
    doc = run(nlp, text)
    return SpeakerFinder(nlp).frames(doc, EntityIndex(doc))


@pytest.mark.parametrize(
    "sentence",
    [
        "Indonesia akan membantu Fiji, kata Retno.",
        "Indonesia akan membantu Fiji, ujar Retno.",
        "Indonesia akan membantu Fiji, tutur Menlu Retno.",
        "Indonesia akan membantu Fiji, jelas Retno.",
        "Menurut Retno, Indonesia akan membantu Fiji.",
        "Retno mengatakan Indonesia akan membantu Fiji.",
        "Retno menyatakan bahwa Indonesia akan membantu Fiji.",
        "Retno menegaskan Indonesia akan membantu Fiji.",
        "Retno menekankan Indonesia akan membantu Fiji.",
        "Retno menambahkan bahwa Indonesia akan membantu Fiji.",
        "Retno menyampaikan bahwa Indonesia akan membantu Fiji.",
        "Indonesia, dikatakan Retno, akan membantu Fiji.",
        "Hal itu disampaikan Retno: Indonesia akan membantu Fiji.",
    ],
)
def test_indonesian_frame_names_the_speaker(id_nlp, sentence):
    assert speakers(id_nlp, sentence) == ["person:retno-marsudi"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Japan will help Fiji, Kishida said.",
        "Japan will help Fiji, said Kishida.",
        "Japan will help Fiji, said Prime Minister Kishida.",
        "According to Kishida, Japan will help Fiji.",
        "Kishida told reporters that Japan will help Fiji.",
        "Kishida stressed that Japan will help Fiji.",
    ],
)
def test_english_frame_names_the_speaker(en_nlp, sentence):
    assert speakers(en_nlp, sentence) == ["person:kishida"]


def test_narrator_statement_has_no_speaker(id_nlp):
    assert speakers(id_nlp, "Indonesia akan membantu Fiji.") == [None]


def test_kata_dia_carries_the_last_named_speaker(id_nlp):
    text = "Retno tiba di Suva. Indonesia, kata dia, akan membantu Fiji."
    assert speakers(id_nlp, "Retno mengatakan hal itu. " + text) == ["person:retno-marsudi"]


def test_katanya_carries_the_speaker_across_paragraphs(id_nlp):
    text = (
        "Retno mengatakan kunjungan itu penting.\n\nJepang juga hadir.\n\n"
        "Indonesia, katanya, siap membantu Fiji."
    )
    assert speakers(id_nlp, text) == ["person:retno-marsudi"]


@pytest.mark.parametrize("pronoun", ["Ia", "Dia", "Beliau"])
def test_pronoun_frame_carries_the_speaker(id_nlp, pronoun):
    text = f"Retno mengatakan hal itu. {pronoun} menyatakan Indonesia siap membantu Fiji."
    assert speakers(id_nlp, text) == ["person:retno-marsudi"]


def test_english_he_added_carries_the_speaker(en_nlp):
    text = "Kishida said the talks went well. He added that Japan will help Fiji."
    assert speakers(en_nlp, text) == ["person:kishida"]


def test_carry_over_follows_the_most_recent_named_speaker(id_nlp):
    text = "Retno mengatakan hal itu. Anwar menyatakan hal lain. Ia menyatakan Indonesia siap membantu Fiji."
    assert speakers(id_nlp, text) == ["person:anwar-ibrahim"]


def test_pronoun_with_no_named_speaker_before_is_unresolved(id_nlp):
    assert speakers(id_nlp, "Indonesia, katanya, siap membantu Fiji.") == [None]


def test_quote_followed_by_katanya_takes_the_carried_speaker(id_nlp):
    text = 'Retno tiba di Suva, kata Kemlu. "Indonesia siap membantu Fiji," katanya.'
    assert speakers(id_nlp, "Retno mengatakan hal itu. " + text) == ["person:retno-marsudi"]


def test_multi_sentence_quote_takes_the_frame_after_it(id_nlp):
    text = '"Indonesia akan membantu Fiji. Jepang juga siap membantu," kata Retno.'
    assert speakers(id_nlp, text) == ["person:retno-marsudi", "person:retno-marsudi"]


def test_organisation_can_speak(id_nlp):
    assert speakers(id_nlp, "Kemlu menyatakan Indonesia siap membantu Fiji.") == ["org:kemlu"]


def test_person_subject_of_a_call_is_its_speaker(id_nlp):
    text = "Retno pada Senin (2/6) meminta Jepang untuk membantu Fiji."
    assert speakers(id_nlp, text) == ["person:retno-marsudi"]


def test_jelas_as_an_adjective_is_no_frame(id_nlp):
    assert frames(id_nlp, "Posisi Indonesia jelas dan tegas.") == []


def test_frames_are_found_in_text_order(id_nlp):
    found = frames(id_nlp, "Retno mengatakan hal itu. Kishida menyatakan hal lain.")
    assert [f.speaker_id for f in found] == ["person:retno-marsudi", "person:kishida"]


def test_quote_spans_pair_marks_within_a_paragraph():
    text = 'Ia berkata "satu" lalu “dua”.\n\n"tiga tanpa penutup'
    paragraphs = [(0, 29), (31, len(text))]
    assert [text[a:b] for a, b in quote_spans(text, paragraphs)] == ['"satu"', "“dua”", '"tiga tanpa penutup']


# --- who stands before the verb -------------------------------------------------------------------------


def test_apposition_between_speaker_and_verb_is_skipped(id_nlp):
    text = "Retno, yang mendampingi presiden, menegaskan bahwa Indonesia siap membantu Fiji."
    assert speakers(id_nlp, text) == ["person:retno-marsudi"]


def test_person_behind_a_preposition_is_not_the_caller(en_nlp):
    text = "Retno said she had spoken with Kishida and called on Japan to help Fiji."
    assert speakers(en_nlp, text) == ["person:retno-marsudi"]


def test_reported_speech_frame_outranks_the_calling_country(id_nlp):
    text = "Retno menyampaikan bahwa Indonesia menyerukan Jepang untuk membantu Fiji."
    assert speakers(id_nlp, text) == ["person:retno-marsudi"]


def test_menurut_frame_outranks_the_pledging_country(id_nlp):
    assert speakers(id_nlp, "Menurut Anwar, Jepang berkomitmen membantu Fiji.") == ["person:anwar-ibrahim"]


def test_two_people_credited_together_give_no_single_speaker(id_nlp):
    assert speakers(id_nlp, "Retno dan Anwar berjanji membantu Fiji.") == [None]


def test_name_after_a_plain_said_is_the_reported_subject(en_nlp):
    # "Ahn" is no known entity: the country after "said" is what is said about, not who says it.
    assert speakers(en_nlp, "Ahn said Japan is ready to help Fiji.") == [None]


# --- carry-over -----------------------------------------------------------------------------------------


def test_pronoun_refers_to_the_last_sentence_subject(id_nlp):
    text = "Retno mengatakan hal itu. Anwar menyambut usulan tersebut. Menurut dia, Jepang siap membantu Fiji."
    assert speakers(id_nlp, text) == ["person:anwar-ibrahim"]


def test_english_the_president_refers_back(en_nlp):
    text = "Kishida visited Fiji. The president said Japan will help Fiji."
    assert speakers(en_nlp, text) == ["person:kishida"]


def test_second_coordinated_verb_speaks_for_the_sentence_subject(en_nlp):
    text = "Kishida thanked Retno for the visit and said Japan will fund new ports."
    assert speakers(en_nlp, text) == ["person:kishida"]


def test_title_alone_refers_to_the_last_holder_of_that_office(en_nlp):
    text = ("Retno met Kishida in the morning. Kishida praised the plan. "
            "Japan will fund new ports, the foreign minister said.")
    doc = run_with_parties(en_nlp, text, PARTIES, roles={"Retno": "Menteri Luar Negeri", "Kishida": "Perdana Menteri"})
    assert [c.speaker_id for c in doc._.commitments] == ["person:retno-marsudi"]


def test_title_alone_without_a_holder_falls_back_to_the_salient_person(en_nlp):
    text = "Kishida praised the plan. Japan will fund new ports, the foreign minister said."
    assert speakers(en_nlp, text) == ["person:kishida"]


def test_quote_over_paragraphs_takes_the_speaker_named_at_its_end(id_nlp):
    text = '"Jepang akan mendanai pelabuhan baru.\n\n"Jepang juga siap melatih insinyur," kata Kishida.'
    assert speakers(id_nlp, text) == ["person:kishida", "person:kishida"]


def test_quote_over_paragraphs_keeps_the_speaker_named_at_its_start(id_nlp):
    text = 'Kishida berkata: "Jepang akan mendanai pelabuhan baru.\n\n"Jepang juga siap melatih insinyur.'
    assert speakers(id_nlp, text) == ["person:kishida", "person:kishida"]


def test_closed_quote_does_not_lend_its_speaker_to_the_next_paragraph(id_nlp):
    text = '"Jepang akan mendanai pelabuhan baru," kata Kishida.\n\n"Indonesia siap melatih insinyur."'
    assert speakers(id_nlp, text) == ["person:kishida", None]


def test_inverted_title_frame_refers_to_the_holder(en_nlp):
    text = ('Retno met Kishida in the morning. Kishida praised the plan. '
            '"Japan will fund new ports," said the foreign minister.')
    doc = run_with_parties(en_nlp, text, PARTIES, roles={"Retno": "Menteri Luar Negeri", "Kishida": "Perdana Menteri"})
    assert [c.speaker_id for c in doc._.commitments] == ["person:retno-marsudi"]


def test_indonesian_title_alone_after_kata_refers_to_the_holder(id_nlp):
    text = ('Retno bertemu Kishida di Tokyo. Kishida memuji rencana itu. '
            '"Indonesia akan membuka pasar kopi," kata Menlu.')
    doc = run_with_parties(id_nlp, text, PARTIES, roles={"Retno": "Menteri Luar Negeri", "Kishida": "Perdana Menteri"})
    assert [c.speaker_id for c in doc._.commitments] == ["person:retno-marsudi"]


def test_lower_case_office_is_no_referent(id_nlp):
    text = "Retno tiba di Tokyo. Calon presiden akan membuka pasar baru."
    assert run(id_nlp, text)._.commitments == []


# --- per-doc tables the rules read instead of Token / Span objects ----------------------------------------

TABLE_TEXT = 'Menlu RI Retno Marsudi, kata dia, "SIAP" membantu Fiji.\n\nJepang  juga 2024!'


def test_longest_matches_keep_what_filter_spans_keeps():
    doc = spacy.blank("id")("a b c d e f g h")
    hits = [(1, 0, 2), (2, 1, 4), (3, 1, 4), (4, 3, 5), (5, 5, 6), (6, 6, 8), (7, 7, 8)]
    spans = filter_spans([Span(doc, start, end, label=key) for key, start, end in hits])
    assert longest_matches(hits) == [(span.label, span.start, span.end) for span in spans]


def test_longest_matches_without_overlaps_keep_all_in_text_order():
    assert longest_matches([(9, 4, 6), (8, 0, 2), (7, 2, 3)]) == [(8, 0, 2), (7, 2, 3), (9, 4, 6)]


def test_token_table_columns_equal_token_attributes(id_nlp):
    doc = run(id_nlp, TABLE_TEXT)
    table = TokenTable(doc)
    columns = ("text", "lower", "idx", "is_title", "is_upper", "is_punct", "is_space", "ent_type")
    attributes = ("text", "lower_", "idx", "is_title", "is_upper", "is_punct", "is_space", "ent_type_")
    for column, attribute in zip(columns, attributes, strict=True):
        assert getattr(table, column) == [getattr(token, attribute) for token in doc], column


def test_token_table_rebuilds_the_doc_text(id_nlp):
    assert TokenTable(run(id_nlp, TABLE_TEXT)).doc_text == TABLE_TEXT


def test_span_extension_values_equal_underscore_reads(id_nlp):
    doc = run(id_nlp, TABLE_TEXT)
    spans = list(doc.ents)
    for name in ("entity_id", "country_iso3", "role", "source"):
        assert span_extension_values(doc, spans, name) == [getattr(span._, name) for span in spans], name

