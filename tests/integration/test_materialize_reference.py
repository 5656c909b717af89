"""The whole graph over the reference ANTARA article (read from ../shared, never copied)."""

import shutil
from datetime import date

import pytest

from tests.integration.harness import check_results, materialize, query


@pytest.fixture(scope="module")
def run(tmp_path_factory, reference_article_path):
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(reference_article_path, inbox / reference_article_path.name)
    warehouse = tmp_path_factory.mktemp("wh") / "ikrar.duckdb"
    result = materialize(inbox, warehouse)
    return result, warehouse


def test_every_asset_check_passes(run):
    result, _ = run
    outcomes = check_results(result)
    assert outcomes, "no asset checks ran"
    assert all(outcomes.values()), outcomes


def test_article_metadata(run):
    _, wh = run
    row = query(wh, "SELECT published_date, dateline_place, agency, reporter, editor, n_paragraphs, language, "
                    "copyright_year FROM articles")
    assert row == [(date(2025, 6, 17), "Astana", "ANTARA", "Xinhua", "Benardy Ferdiansyah", 17, "id", 2025)]


def test_body_has_no_footer_or_legal_notice(run):
    _, wh = run
    body = query(wh, "SELECT body_text FROM articles")[0][0]
    assert "Pewarta" not in body
    assert "Dilarang" not in body
    assert "Copyright" not in body
    assert not body.startswith("Astana (ANTARA)")


@pytest.mark.parametrize(("entity_id", "entity_type", "role", "iso3"), [
    ("person:xi-jinping", "PERSON", "Presiden", "CHN"),
    ("person:emomali-rahmon", "PERSON", "Presiden", "TJK"),
    ("country:CHN", "COUNTRY", None, "CHN"),
    ("country:TJK", "COUNTRY", None, "TJK"),
    ("country:KAZ", "COUNTRY", None, "KAZ"),
    ("place:astana", "PLACE", None, "KAZ"),
])
def test_key_entities_are_typed_and_linked(run, entity_id, entity_type, role, iso3):
    _, wh = run
    rows = query(wh, "SELECT entity_type, role, country_iso3 FROM entities WHERE entity_id = ?", [entity_id])
    assert rows == [(entity_type, role, iso3)]


@pytest.mark.parametrize(("entity_type", "name_fragment"), [
    ("EVENT", "Asia Tengah"),
    ("EVENT", "Hari Budaya Tionghoa"),
    ("ORG", "Shanghai"),
    ("ORG", "Konfusius"),
    ("ORG", "Luban"),
])
def test_events_and_organizations_are_found(run, entity_type, name_fragment):
    _, wh = run
    rows = query(wh, "SELECT entity_id FROM entities WHERE entity_type = ? AND canonical_name LIKE ?",
                 [entity_type, f"%{name_fragment}%"])
    assert rows, f"no {entity_type} like {name_fragment}"


def test_short_forms_of_xi_link_to_one_person(run):
    _, wh = run
    forms = {r[0] for r in query(wh, "SELECT mention_text FROM entity_mentions WHERE entity_id = 'person:xi-jinping'")}
    assert {"Xi Jinping", "Xi"} <= forms


def test_reported_speech_resolves_the_speaker_and_both_countries(run):
    _, wh = run
    rows = query(wh, """
        SELECT c.modality, list_sort(list(p.entity_id)) FROM commitments c
        JOIN commitment_parties p ON p.commitment_id = c.commitment_id AND p.role = 'actor'
        WHERE c.speaker_entity_id = 'person:xi-jinping' AND c.modality = 'obligation'
        GROUP BY c.commitment_id, c.modality""")
    assert ("obligation", ["country:CHN", "country:TJK"]) in rows


def test_rahmon_commitments_are_tajikistan_readiness(run):
    _, wh = run
    rows = query(wh, """
        SELECT DISTINCT c.modality FROM commitments c
        JOIN commitment_parties p ON p.commitment_id = c.commitment_id AND p.role = 'actor'
        WHERE c.speaker_entity_id = 'person:emomali-rahmon' AND p.entity_id = 'country:TJK'""")
    assert ("readiness",) in rows


def test_praise_is_not_a_commitment(run):
    _, wh = run
    rows = query(wh, "SELECT evidence_text FROM commitments WHERE evidence_text LIKE '%pencapaian%'")
    assert rows == []


def test_every_commitment_has_domains_and_an_actor(run):
    _, wh = run
    assert query(wh, "SELECT count(*) FROM commitments")[0][0] >= 8
    missing = query(wh, """SELECT commitment_id FROM commitments c WHERE NOT EXISTS
        (SELECT 1 FROM commitment_parties p WHERE p.commitment_id = c.commitment_id AND p.role = 'actor')""")
    assert missing == []
