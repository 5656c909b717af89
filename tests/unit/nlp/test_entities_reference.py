"""Entities of the reference article (read from ../shared, never copied), through the rules and the linker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from pipelines.nlp import entities, linker  # noqa: F401  (registers the factories)

REFERENCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds" / "000_26906fedaeeecc1d.txt"


def article_body(raw: str) -> str:
    """Paragraphs between the "<City> (ANTARA) - " dateline and the footer that starts at "Pewarta:"."""
    body = raw.split("\nPewarta:", 1)[0]
    body = re.sub(r"^\s*[^\n(]+\(ANTARA\)\s*-\s*", "", body, count=1)
    return "\n\n".join(p.strip() for p in body.split("\n\n") if p.strip())


@pytest.fixture(scope="module")
def doc():
    if not REFERENCE.exists():
        pytest.fail(f"reference article missing at {REFERENCE}")
    nlp = spacy.blank("id")
    nlp.add_pipe("ikrar_entity_rules")
    nlp.add_pipe("ikrar_entity_linker")
    return nlp(article_body(REFERENCE.read_text(encoding="utf-8")))


def spans(doc, text):
    return [e for e in doc.ents if e.text == text]


def facts(span):
    return span.label_, span._.entity_id, span._.country_iso3, span._.role


def test_xi_jinping_is_the_chinese_president(doc):
    assert [facts(s) for s in spans(doc, "Xi Jinping")] == [
        ("PERSON", "person:xi-jinping", "CHN", "Presiden")]


def test_every_later_xi_is_the_same_person(doc):
    later = spans(doc, "Xi")
    assert len(later) >= 10
    assert {facts(s) for s in later} == {("PERSON", "person:xi-jinping", "CHN", "Presiden")}


def test_emomali_rahmon_is_the_tajik_president_and_rahmon_is_him(doc):
    assert facts(spans(doc, "Emomali Rahmon")[0]) == ("PERSON", "person:emomali-rahmon", "TJK", "Presiden")
    assert {facts(s) for s in spans(doc, "Rahmon")} == {
        ("PERSON", "person:emomali-rahmon", "TJK", "Presiden")}


def test_countries_carry_their_iso_codes(doc):
    for name, iso3 in (("China", "CHN"), ("Tajikistan", "TJK"), ("Kazakhstan", "KAZ")):
        assert {facts(s) for s in spans(doc, name)} == {("COUNTRY", f"country:{iso3}", iso3, None)}


def test_countries_joined_by_a_hyphen_are_each_mentioned(doc):
    joined = [e for e in doc.ents if e.text == "Tajikistan" and doc[e.start - 1].text == "-"]
    assert joined


def test_astana_is_a_kazakh_place(doc):
    assert {facts(s) for s in spans(doc, "Astana")} == {("PLACE", "place:astana", "KAZ", None)}


def test_summit_is_one_event(doc):
    summit = [e for e in doc.ents if e.label_ == "EVENT" and e._.entity_id == "event:china-central-asia-summit-2"]
    assert [s.text for s in summit] == ["Konferensi Tingkat Tinggi (KTT) China-Asia Tengah"]


def test_culture_day_is_an_event_and_the_ethnonym_is_no_country(doc):
    assert {facts(s) for s in spans(doc, "Hari Budaya Tionghoa")} == {
        ("EVENT", "event:chinese-culture-day", None, None)}
    assert not [e for e in doc.ents if e.text == "Tionghoa"]


def test_organizations(doc):
    assert facts(spans(doc, "Organisasi Kerja Sama Shanghai")[0])[:2] == ("ORG", "org:sco")
    for name in ("Institut Konfusius", "Sanggar Kerja Luban", "Pusat Pengobatan Tradisional"):
        assert [s.label_ for s in spans(doc, name)] == ["ORG"], name


def test_nothing_else_is_an_entity(doc):
    expected = {
        "person:xi-jinping", "person:emomali-rahmon", "country:CHN", "country:TJK", "country:KAZ",
        "place:astana", "place:central-asia", "event:china-central-asia-summit-2", "event:chinese-culture-day",
        "org:sco", "org:institut-konfusius", "org:sanggar-kerja-luban", "org:pusat-pengobatan-tradisional",
    }
    assert {e._.entity_id for e in doc.ents} == expected
