"""looks_like_html / strip_html / extract_html."""

from pipelines.parse.html import extract_html, looks_like_html, strip_html

PAGE = """<!DOCTYPE html>
<html><head><title>Menlu hadiri forum ekonomi - ANTARA News</title>
<style>p { color: red; }</style><script>var tracking = "Jakarta";</script></head>
<body><h1>Menlu hadiri forum ekonomi</h1>
<div class="content">Surabaya (ANTARA) - Menteri Luar Negeri &amp; delegasi
tiba di Surabaya pada Senin (3/2).<br>Mereka membahas kerja sama &quot;hijau&quot;.
<p>Paragraf kedua.</p><ul><li>Butir satu</li><li>Butir dua</li></ul></div>
</body></html>"""


def test_a_full_page_looks_like_html():
    assert looks_like_html(PAGE)


def test_plain_wire_copy_does_not_look_like_html():
    assert not looks_like_html("Jakarta (ANTARA) - Harga <naik> 5 persen pada Senin (3/2).\n\nEditor: Ali")


def test_a_fragment_with_several_tags_looks_like_html():
    assert looks_like_html("<p>Satu</p><p>Dua<br>Tiga</p>")


def test_script_and_style_are_removed():
    text = strip_html(PAGE)
    assert "tracking" not in text and "color" not in text


def test_block_tags_become_paragraph_breaks():
    paragraphs = strip_html(PAGE).split("\n\n")
    assert paragraphs[-3:] == ["Paragraf kedua.", "Butir satu", "Butir dua"]


def test_br_starts_a_new_paragraph():
    assert strip_html("<div>Baris satu.<br>Baris dua.</div>") == "Baris satu.\n\nBaris dua."


def test_line_breaks_inside_a_block_become_spaces():
    assert strip_html("<p>kata\n   yang   terpisah</p>") == "kata yang terpisah"


def test_entities_are_unescaped():
    assert 'Menteri Luar Negeri & delegasi' in strip_html(PAGE) and '"hijau"' in strip_html(PAGE)


def test_h1_gives_the_title():
    assert extract_html(PAGE).title == "Menlu hadiri forum ekonomi"


def test_title_element_without_h1_gives_the_title_without_the_site_name():
    page = PAGE.replace("<h1>Menlu hadiri forum ekonomi</h1>", "")
    assert extract_html(page).title == "Menlu hadiri forum ekonomi"


def test_title_element_text_is_not_body_text():
    page = PAGE.replace("<h1>Menlu hadiri forum ekonomi</h1>", "")
    assert "ANTARA News" not in extract_html(page).text
