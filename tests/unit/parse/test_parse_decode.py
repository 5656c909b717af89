"""decode_bytes: encodings, repairs (with warnings) and files refused as not text."""

import sys
import unicodedata

import pytest

from pipelines.parse.decode import ALLOWED_CONTROLS, STRAY_CONTROL, decode_bytes
from pipelines.parse.types import IngestError

TEXT = "Bandung (ANTARA) - Delegasi “Asia–Afrika” tiba di Gedung Merdeka, kata Menlu.\nParagraf kedua."


def codes(decoded):
    return [issue.code for issue in decoded.issues]


def error_code(data: bytes) -> str:
    with pytest.raises(IngestError) as caught:
        decode_bytes(data)
    return caught.value.code


def test_plain_utf8_decodes_without_issues():
    decoded = decode_bytes(TEXT.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.issues) == (TEXT, "utf-8", [])


def test_utf8_bom_is_detected_and_stripped():
    decoded = decode_bytes(TEXT.encode("utf-8-sig"))
    assert (decoded.text, decoded.encoding) == (TEXT, "utf-8-sig")


@pytest.mark.parametrize("codec, expected", [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_bom_is_decoded(codec, expected):
    bom = "\ufeff".encode(codec)
    decoded = decode_bytes(bom + TEXT.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.issues) == (TEXT, expected, [])


def test_utf32_with_bom_is_decoded():
    decoded = decode_bytes(TEXT.encode("utf-32"))
    assert decoded.text == TEXT and decoded.encoding.startswith("utf-32")


def test_utf16_without_bom_is_recognised_by_its_nul_bytes():
    decoded = decode_bytes(TEXT.encode("utf-16-le"))
    assert (decoded.text, decoded.encoding, codes(decoded)) == (TEXT, "utf-16-le", ["utf16_without_bom"])


def test_cp1252_is_a_legacy_encoding_guess():
    decoded = decode_bytes(TEXT.encode("cp1252"))
    assert (decoded.text, decoded.encoding, codes(decoded)) == (TEXT, "cp1252", ["legacy_encoding"])


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    decoded = decode_bytes("Kota Bogor menyambut tamu. ".encode("ascii") + b"\x81\xe9")
    assert decoded.encoding == "latin-1" and "legacy_encoding" in codes(decoded)


def test_crlf_and_lone_cr_become_newlines():
    decoded = decode_bytes(b"Baris satu\r\nBaris dua\rBaris tiga")
    assert decoded.text == "Baris satu\nBaris dua\nBaris tiga"


def test_text_is_normalised_to_nfc():
    decoded = decode_bytes("Prese\u0301n".encode("utf-8"))  # e + combining acute accent
    assert decoded.text == "Presén"


def test_empty_file_is_refused():
    assert error_code(b"") == "empty_file"


def test_whitespace_only_file_is_refused():
    assert error_code(b" \r\n\t\n  ") == "whitespace_only"


def test_bom_and_zero_width_spaces_only_count_as_whitespace():
    assert error_code("\ufeff \u200b\n".encode("utf-8")) == "whitespace_only"


MAGIC_NUMBERS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"%PDF-1.7", b"PK\x03\x04"]


@pytest.mark.parametrize("magic", MAGIC_NUMBERS)
def test_known_binary_formats_are_refused(magic):
    assert error_code(magic + b"Jakarta (ANTARA) - teks setelah header" * 3) == "binary_content"


def test_data_full_of_control_characters_is_refused():
    assert error_code(bytes(range(256)) * 8) == "binary_content"


def test_a_few_nul_bytes_are_removed_with_a_warning():
    data = TEXT.encode("utf-8")
    decoded = decode_bytes(data[:20] + b"\x00\x00" + data[20:])
    assert (decoded.text, codes(decoded)) == (TEXT, ["nul_bytes_removed"])


def test_stray_control_pattern_matches_exactly_the_unicode_controls_not_allowed_in_text():
    controls = {chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cc"}
    matched = {char for char in map(chr, range(sys.maxunicode + 1)) if STRAY_CONTROL.match(char)}
    assert matched == controls - ALLOWED_CONTROLS


def test_other_control_characters_are_removed_with_a_warning():
    data = TEXT.encode("utf-8")
    decoded = decode_bytes(data[:20] + "\x07\x85".encode() + data[20:])
    assert (decoded.text, codes(decoded)) == (TEXT, ["control_chars_removed"])


def test_utf8_cut_inside_the_last_character_drops_it_with_a_warning():
    data = (TEXT + " café").encode("utf-8")[:-1]
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, codes(decoded)) == (TEXT + " caf", "utf-8", ["truncated_utf8"])


def test_a_stray_invalid_byte_in_utf8_is_replaced_not_read_as_cp1252():
    data = TEXT.encode("utf-8").replace(b"Gedung", b"Ged\xffung")
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8" and "“Asia–Afrika”" in decoded.text
    assert codes(decoded) == ["invalid_bytes_replaced"]
