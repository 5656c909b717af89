"""The extractor on the reference article (read from ../shared; its text never enters the repo)."""

from __future__ import annotations

import re

import pytest
import spacy

from tests.unit.nlp.commitment_support import label_parties

XI, RAHMON = "person:xi-jinping", "person:emomali-rahmon"
CHN, TJK = "country:CHN", "country:TJK"
BOTH = [CHN, TJK]
PARTIES = {
    "Xi Jinping": ("PERSON", XI, "CHN"),
    "Xi": ("PERSON", XI, "CHN"),
    "Emomali Rahmon": ("PERSON", RAHMON, "TJK"),
    "Rahmon": ("PERSON", RAHMON, "TJK"),
    "China": ("COUNTRY", CHN, "CHN"),
    "Tajikistan": ("COUNTRY", TJK, "TJK"),
    "Kazakhstan": ("COUNTRY", "country:KAZ", "KAZ"),
}
DATELINE = re.compile(r"^\S[^\n]*?\(ANTARA\) - ")


def article_body(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """Body text as the pipeline receives it: no dateline, no footer, paragraphs joined by a blank line."""
    body = DATELINE.sub("", raw.split("Pewarta:")[0].strip())
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    offsets, start = [], 0
    for paragraph in paragraphs:
        offsets.append((start, start + len(paragraph)))
        start += len(paragraph) + 2
    return "\n\n".join(paragraphs), offsets


@pytest.fixture(scope="module")
def doc(reference_article_path):
    text, paragraphs = article_body(reference_article_path.read_text(encoding="utf-8"))
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ikrar_commitments")
    doc = nlp.make_doc(text)
    doc._.paragraphs = paragraphs
    doc = nlp.get_pipe("sentencizer")(doc)
    label_parties(doc, PARTIES)
    return nlp.get_pipe("ikrar_commitments")(doc)


def evidence(doc, found) -> str:
    return doc.text[found.start_char:found.end_char]


def sentence_with(doc, words: str):
    return next(s for s in doc.sents if words in s.text)


def in_sentence(doc, words: str):
    sent = sentence_with(doc, words)
    return [c for c in doc._.commitments if sent.start_char <= c.trigger_start < sent.end_char]


def test_menurut_xi_obligation_of_both_countries(doc):
    (found,) = [c for c in doc._.commitments if evidence(doc, c).startswith("Menurut")]
    assert (found.speaker_id, sorted(found.actor_ids), found.modality) == (XI, BOTH, "obligation")
    assert found.domains == ["trade", "investment", "infrastructure"]


def test_katanya_readiness_of_tajikistan_toward_china(doc):
    (found,) = [c for c in doc._.commitments if ", katanya," in evidence(doc, c)]
    assert (found.speaker_id, found.actor_ids, found.modality, found.target_ids) == (
        RAHMON, [TJK], "readiness", [CHN])


def test_kata_dia_carries_xi(doc):
    (found,) = in_sentence(doc, ", kata dia,")
    assert (found.speaker_id, sorted(found.actor_ids)) == (XI, BOTH)


def test_opening_call_by_xi_on_both_countries(doc):
    found = doc._.commitments[0]
    assert (found.modality, found.speaker_id, sorted(found.actor_ids)) == ("call", XI, BOTH)


def test_ia_meminta_is_a_call_by_rahmon_on_both_sides(doc):
    found = doc._.commitments[-1]
    assert (found.modality, found.speaker_id, sorted(found.actor_ids)) == ("call", RAHMON, BOTH)


def test_law_enforcement_obligation_is_security(doc):
    (found,) = in_sentence(doc, "dikatakan Xi")
    assert (sorted(found.actor_ids), found.domains) == (BOTH, ["security"])


def test_china_supports_tajikistan_on_climate(doc):
    (found,) = in_sentence(doc, "ujar Xi")
    assert (found.modality, found.actor_ids, found.target_ids, found.domains) == (
        "support", [CHN], [TJK], ["climate"])


def test_praise_by_rahmon_is_not_a_commitment(doc):
    assert in_sentence(doc, "babak baru") == []


def test_recollection_of_the_past_visit_is_not_a_commitment(doc):
    assert in_sentence(doc, "mengenang") == []


def test_shared_interest_clause_is_not_a_commitment(doc):
    assert [c.modality for c in in_sentence(doc, "kepentingan yang sama")] == ["call"]


def test_speakers_switch_from_xi_to_rahmon(doc):
    switch = sentence_with(doc, "Sementara itu").start_char
    assert {c.speaker_id for c in doc._.commitments if c.trigger_start < switch} == {XI}
    assert {c.speaker_id for c in doc._.commitments if c.trigger_start > switch} == {RAHMON}


def test_every_row_has_actors_and_offsets_inside_the_body(doc):
    assert len(doc._.commitments) >= 12
    for found in doc._.commitments:
        assert found.actor_ids
        assert 0 <= found.start_char <= found.trigger_start < found.trigger_end <= found.end_char
        assert found.end_char <= len(doc.text)
