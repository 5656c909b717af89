"""parse_article / parse_file_text: one rule of the ANTARA layout per test."""

from datetime import date

import pytest

from pipelines.parse.article import parse_article, parse_file_text
from pipelines.parse.decode import decode_bytes
from pipelines.parse.types import IngestError

P1 = ("Menteri Luar Negeri Indonesia pada Rabu (5/3) menyatakan bahwa Indonesia dan Vietnam akan "
      "memperkuat kerja sama di bidang perikanan dan keamanan laut.")
P2 = ("Pernyataan itu disampaikan setelah pertemuan bilateral dengan mitranya dari Vietnam di sela-sela "
      "pertemuan para menteri ASEAN di Kuala Lumpur.")
P3 = ("Kedua negara juga sepakat untuk mempercepat perundingan batas zona ekonomi eksklusif yang telah "
      "berjalan selama bertahun-tahun.")
FOOTER = "Pewarta: Rina Kusuma\nEditor: Agus Salim\nCopyright © ANTARA 2025"
NOTICE = ("Dilarang keras menyalin konten di situs web ini untuk keperluan apa pun tanpa izin tertulis dari "
          "Kantor Berita ANTARA.")

EN_P1 = ("Indonesia and Japan on Wednesday (March 12) agreed to expand their cooperation on clean energy, "
         "port infrastructure and maritime security in the region.")
EN_P2 = ("The two foreign ministers said a joint working group will meet in Tokyo later this year to prepare "
         "the projects that both governments have selected.")


def article(*paragraphs: str, dateline: str = "Hanoi (ANTARA) - ", footer: str = FOOTER, notice: str = NOTICE,
            title: str | None = None) -> str:
    parts = [title] if title else []
    body = [dateline + paragraphs[0], *paragraphs[1:]]
    parts += body + [part for part in (footer, notice) if part]
    return "\n\n".join(parts)


def codes(parsed):
    return [issue.code for issue in parsed.issues]


def error_code(text: str) -> str:
    with pytest.raises(IngestError) as caught:
        parse_article(text)
    return caught.value.code


# --- body ---------------------------------------------------------------------------------------------------


def test_complete_article_parses_without_issues():
    assert codes(parse_article(article(P1, P2, P3))) == []


def test_dateline_prefix_is_removed_from_the_body():
    assert parse_article(article(P1, P2)).body_text.startswith("Menteri Luar Negeri")


def test_body_paragraphs_are_joined_by_blank_lines():
    assert parse_article(article(P1, P2, P3)).body_text == "\n\n".join([P1, P2, P3])


def test_paragraph_offsets_point_into_the_body():
    parsed = parse_article(article(P1, P2, P3))
    assert [parsed.body_text[start:end] for start, end in parsed.paragraphs] == [P1, P2, P3]


def test_line_breaks_inside_a_paragraph_become_single_spaces():
    wrapped = P2.replace(" setelah ", "\nsetelah  ").replace(" ASEAN ", "   \n ASEAN ")
    assert parse_article(article(P1, wrapped)).body_text.split("\n\n")[1] == P2


def test_baca_juga_lines_are_not_content():
    related = "Baca juga: Menlu RI dan Vietnam bahas kerja sama perikanan"
    assert parse_article(article(P1, related, P2)).body_text == f"{P1}\n\n{P2}"


def test_related_news_lines_are_not_content():
    related = "Related news: Indonesia, Japan discuss energy transition"
    parsed = parse_article(article(EN_P1, related, EN_P2, footer="Editor: Maria Rosari"))
    assert parsed.body_text == f"{EN_P1}\n\n{EN_P2}"


def test_legal_notice_after_the_footer_is_not_content():
    assert "Dilarang" not in parse_article(article(P1, P2)).body_text


def test_legal_notice_without_footer_is_not_content():
    parsed = parse_article(article(P1, P2, footer=""))
    assert parsed.body_text == f"{P1}\n\n{P2}"


def test_footer_directly_under_the_last_paragraph_is_not_content():
    text = f"Hanoi (ANTARA) - {P1}\n\n{P2}\n{FOOTER}"
    assert parse_article(text).body_text == f"{P1}\n\n{P2}"


def test_too_short_body_is_not_an_article():
    assert error_code(article("Foto: suasana pertemuan di Hanoi, Rabu (5/3).")) == "not_an_article"


def test_only_footer_is_not_an_article():
    assert error_code(FOOTER + "\n\n" + NOTICE) == "not_an_article"


def test_text_in_another_language_is_unsupported():
    german = ("Die Außenminister beider Länder vereinbarten am Mittwoch, die Zusammenarbeit in der Fischerei "
              "und bei der Sicherheit auf See zu verstärken, hieß es aus dem Ministerium nach dem Treffen.")
    assert error_code(article(german)) == "unsupported_language"


# --- dateline and title -------------------------------------------------------------------------------------


def test_dateline_gives_place_and_agency():
    parsed = parse_article(article(P1, P2))
    assert (parsed.dateline_place, parsed.agency) == ("Hanoi", "ANTARA")


def test_multiword_place_in_dateline():
    parsed = parse_article(article(P1, P2, dateline="Kuala Lumpur (ANTARA) - "))
    assert parsed.dateline_place == "Kuala Lumpur"


@pytest.mark.parametrize("dateline", [
    "New York (ANTARA) – ", "New York (ANTARA) — ", "New York (ANTARA News) - ", "New York (Antara) - ",
    "NEW YORK (ANTARA) - ",
])
def test_dateline_variants(dateline):
    parsed = parse_article(article(P1, P2, dateline=dateline))
    assert (parsed.dateline_place, parsed.agency, parsed.body_text[:7]) == ("New York", "ANTARA", "Menteri")


def test_missing_dateline_is_a_warning_and_the_body_is_kept():
    parsed = parse_article(article(P1, P2, dateline=""))
    assert "no_dateline" in codes(parsed) and parsed.body_text.startswith("Menteri")
    assert parsed.dateline_place is None


def test_line_above_the_dateline_is_the_title():
    title = "Indonesia dan Vietnam perkuat kerja sama perikanan"
    parsed = parse_article(article(P1, P2, title=title))
    assert (parsed.title, parsed.body_text.split("\n\n")[0]) == (title, P1)


def test_two_title_lines_are_joined():
    parsed = parse_article(article(P1, P2, title="Indonesia dan Vietnam\nperkuat kerja sama perikanan"))
    assert parsed.title == "Indonesia dan Vietnam perkuat kerja sama perikanan"


def test_article_without_title_has_none():
    assert parse_article(article(P1, P2)).title is None


# --- footer -------------------------------------------------------------------------------------------------


def test_footer_gives_reporter_and_editor():
    parsed = parse_article(article(P1, P2))
    assert (parsed.reporter, parsed.editor) == ("Rina Kusuma", "Agus Salim")


def test_footer_label_with_space_before_colon():
    footer = "Pewarta : Rina Kusuma\nEditor : Agus Salim\nCopyright © ANTARA 2025"
    assert parse_article(article(P1, P2, footer=footer)).reporter == "Rina Kusuma"


def test_footer_translator():
    footer = "Penerjemah: Bayu Pratama\nEditor: Agus Salim\nCOPYRIGHT © ANTARA 2025"
    assert parse_article(article(P1, P2, footer=footer)).translator == "Bayu Pratama"


def test_english_footer_labels():
    footer = "Reporter: Bayu Pratama\nTranslator: Dewi Lestari\nEditor: Maria Rosari\nCopyright © ANTARA 2025"
    parsed = parse_article(article(EN_P1, EN_P2, footer=footer))
    people = (parsed.reporter, parsed.translator, parsed.editor)
    assert people == ("Bayu Pratama", "Dewi Lestari", "Maria Rosari")


@pytest.mark.parametrize("line", [
    "Copyright © ANTARA 2024", "COPYRIGHT © ANTARA 2024", "Copyright ANTARA 2024", "Copyright © 2024 ANTARA",
])
def test_copyright_year_variants(line):
    assert parse_article(article(P1, P2, footer=f"Editor: Agus Salim\n{line}")).copyright_year == 2024


def test_missing_footer_is_a_warning():
    parsed = parse_article(article(P1, P2, footer="", notice=""))
    assert "no_footer" in codes(parsed) and parsed.reporter is None


def test_copyright_year_outside_plausible_range_is_ignored():
    parsed = parse_article(article(P1, P2, footer="Editor: Agus Salim\nCopyright © ANTARA 1890"))
    assert parsed.copyright_year is None and "implausible_year" in codes(parsed)


# --- dates --------------------------------------------------------------------------------------------------


def test_relative_date_takes_the_copyright_year():
    assert parse_article(article(P1, P2)).published_date == date(2025, 3, 5)


def test_date_with_its_own_year():
    first = P1.replace("Rabu (5/3)", "Rabu (5/3/2025)")
    parsed = parse_article(article(first, P2, footer="Editor: Agus Salim"))
    assert parsed.published_date == date(2025, 3, 5)


def test_english_weekday_and_month_name():
    parsed = parse_article(article(EN_P1, EN_P2, footer="Editor: Maria Rosari\nCopyright © ANTARA 2025"))
    assert (parsed.published_date, parsed.language) == (date(2025, 3, 12), "en")


def test_english_weekday_with_numeric_date():
    first = EN_P1.replace("on Wednesday (March 12)", "on Wednesday (12/3)")
    assert parse_article(article(first, EN_P2)).published_date == date(2025, 3, 12)


def test_weekday_that_disagrees_with_the_date_is_a_warning():
    parsed = parse_article(article(P1.replace("Rabu (5/3)", "Jumat (5/3)"), P2))
    assert parsed.published_date == date(2025, 3, 5) and "weekday_mismatch" in codes(parsed)


def test_impossible_date_is_left_empty_with_a_warning():
    parsed = parse_article(article(P1.replace("Rabu (5/3)", "Rabu (31/2)"), P2))
    assert parsed.published_date is None and "invalid_date" in codes(parsed)


def test_date_without_any_year_is_left_empty_with_a_warning():
    parsed = parse_article(article(P1, P2, footer="Pewarta: Rina Kusuma\nEditor: Agus Salim"))
    assert parsed.published_date is None and "date_without_year" in codes(parsed)


def test_december_date_in_january_copy_takes_the_previous_year():
    # 31 December 2024 was a Tuesday; the copyright line already says 2025.
    first = P1.replace("Rabu (5/3)", "Selasa (31/12)")
    assert parse_article(article(first, P2)).published_date == date(2024, 12, 31)


def test_no_date_in_first_paragraph_is_a_warning():
    parsed = parse_article(article(P1.replace(" pada Rabu (5/3)", ""), P2))
    assert parsed.published_date is None and "no_date" in codes(parsed)


# --- entry point for files ----------------------------------------------------------------------------------


def test_html_input_is_stripped_then_parsed():
    page = "<html><body><h1>Kerja sama perikanan</h1>" + "".join(
        f"<p>{paragraph}</p>" for paragraph in ["Hanoi (ANTARA) - " + P1, P2, *FOOTER.split("\n")]
    ) + "</body></html>"
    parsed = parse_file_text(page)
    expected = ("Kerja sama perikanan", f"{P1}\n\n{P2}", "Agus Salim")
    assert (parsed.title, parsed.body_text, parsed.editor) == expected
    assert codes(parsed)[0] == "html_stripped"


def test_plain_text_input_has_no_html_warning():
    assert "html_stripped" not in codes(parse_file_text(article(P1, P2)))


# --- the reference article ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(reference_article_path):
    return parse_file_text(decode_bytes(reference_article_path.read_bytes()).text)


def test_reference_metadata(reference):
    assert (reference.reporter, reference.editor, reference.agency, reference.dateline_place) == (
        "Xinhua", "Benardy Ferdiansyah", "ANTARA", "Astana")


def test_reference_date_language_and_paragraphs(reference):
    found = (reference.published_date, reference.language, len(reference.paragraphs))
    assert found == (date(2025, 6, 17), "id", 17)


def test_reference_body_has_no_dateline_footer_or_notice(reference):
    text = reference.body_text
    assert not text.startswith("Astana") and "Pewarta" not in text and "Dilarang" not in text
    assert reference.issues == []
