"""From a file's bytes to clean Unicode text, or a clear reason why the file is not text.

Order of the checks, from the most certain evidence to the least:

1. zero bytes, then the magic number of a known binary format (image, PDF, archive, executable);
2. a byte-order mark (UTF-32, UTF-8, UTF-16);
3. UTF-16 without a BOM, only when NUL bytes sit on one parity of positions (ASCII text in UTF-16);
4. strict UTF-8; a multi-byte character cut off at the very end is dropped (``truncated_utf8``), and a few
   invalid bytes in otherwise valid UTF-8 are replaced (``invalid_bytes_replaced``);
5. cp1252, else latin-1 (``legacy_encoding``): every byte sequence decodes, so this is a guess.

Then the text is cleaned: line endings become "\\n", NUL bytes and other control characters are removed
(with a warning), and the text is put in Unicode NFC form.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from pipelines.parse.types import Decoded, IngestError, Issue

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE mark.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
)

# Share of NUL bytes on one parity of positions that marks BOM-less UTF-16 (ASCII letters are "x\0" in LE).
UTF16_NUL_SHARE = 0.3
# Above this share of control characters the "text" is really binary data.
MAX_CONTROL_SHARE = 0.05
# A few invalid bytes in UTF-8 are damage; more than this share means the file is in another encoding.
MAX_INVALID_UTF8_SHARE = 0.01

# Whitespace that str.strip() does not remove but that carries no text.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
ALLOWED_CONTROLS = frozenset("\n\t")
# Unicode's control characters (category Cc) are exactly U+0000–U+001F and U+007F–U+009F, a set the standard
# promises never to change; one regular expression removes them all at C speed (a per-character test took 5% of
# the whole extraction).
STRAY_CONTROL = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in range(0xA0)
                  if unicodedata.category(chr(code)) == "Cc" and chr(code) not in ALLOWED_CONTROLS) + "]"
)


def _warning(code: str, message: str) -> Issue:
    return Issue("warning", code, message)


def decode_bytes(data: bytes) -> Decoded:
    """Decode an article file; raises ``IngestError`` (empty_file, whitespace_only, binary_content)."""
    if not data:
        raise IngestError("empty_file", "the file has 0 bytes")
    _reject_known_binary(data)
    text, encoding, issues = _decode(data)
    text = normalise_text(text, issues)
    if not text.strip().strip(INVISIBLE).strip():
        raise IngestError("whitespace_only", "the file contains only whitespace")
    return Decoded(text=text, encoding=encoding, issues=issues)


def _reject_known_binary(data: bytes) -> None:
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise IngestError("binary_content", f"the file is a {kind}, not text")
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise IngestError("binary_content", "the file is a WebP image, not text")


def _decode(data: bytes) -> tuple[str, str, list[Issue]]:
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _decode_unicode(data[len(mark):], encoding.removesuffix("-sig"), encoding)
    utf16 = _bomless_utf16(data)
    if utf16:
        text, encoding, issues = _decode_unicode(data, utf16, utf16)
        issues.insert(0, _warning("utf16_without_bom", f"read as {utf16}: NUL bytes on alternate positions"))
        return text, encoding, issues
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as error:
        if _is_truncated_tail(data, error):
            cut = len(data) - error.start
            message = f"dropped an incomplete character in the last {cut} byte(s)"
            return data[:error.start].decode("utf-8"), "utf-8", [_warning("truncated_utf8", message)]
    return _decode_damaged_utf8(data) or _decode_legacy(data)


def _decode_unicode(payload: bytes, codec: str, encoding: str) -> tuple[str, str, list[Issue]]:
    """Decode with a known Unicode codec; a partial last code unit is dropped, other damage replaced."""
    issues: list[Issue] = []
    unit = 4 if codec.startswith("utf-32") else 2 if codec.startswith("utf-16") else 1
    if len(payload) % unit:
        payload = payload[: len(payload) - len(payload) % unit]
        issues.append(_warning("truncated_utf8" if unit == 1 else "truncated_text",
                               "dropped an incomplete character at the end"))
    try:
        return payload.decode(codec), encoding, issues
    except UnicodeDecodeError as error:
        if codec == "utf-8" and _is_truncated_tail(payload, error):
            issues.append(_warning("truncated_utf8", "dropped an incomplete character at the end"))
            return payload[:error.start].decode(codec), encoding, issues
    text = payload.decode(codec, errors="replace")
    issues.append(_warning("invalid_bytes_replaced", f"invalid {codec} sequences replaced by U+FFFD"))
    return text, encoding, issues


def _is_truncated_tail(data: bytes, error: UnicodeDecodeError) -> bool:
    # A UTF-8 character is at most 4 bytes: only a cut in the last 3 bytes is a truncation.
    return error.reason == "unexpected end of data" and len(data) - error.start <= 3


def _bomless_utf16(data: bytes) -> str | None:
    if len(data) < 4:
        return None
    even_nuls = data[0::2].count(0) / len(data[0::2])
    odd_nuls = data[1::2].count(0) / len(data[1::2])
    if odd_nuls >= UTF16_NUL_SHARE and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls >= UTF16_NUL_SHARE and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _decode_damaged_utf8(data: bytes) -> tuple[str, str, list[Issue]] | None:
    """UTF-8 with a few bad bytes (e.g. a corrupted sector): at least as many valid multi-byte characters as
    invalid bytes (text in cp1252 has almost none: its accented letters are invalid UTF-8)."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    valid_non_ascii = sum(1 for char in text if ord(char) > 127) - replaced
    if valid_non_ascii >= max(replaced, 1) and replaced <= max(2, MAX_INVALID_UTF8_SHARE * len(text)):
        message = f"{replaced} invalid UTF-8 byte(s) replaced"
        return text, "utf-8", [_warning("invalid_bytes_replaced", message)]
    return None


def _decode_legacy(data: bytes) -> tuple[str, str, list[Issue]]:
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 defines them all
        text, encoding = data.decode("latin-1"), "latin-1"
    return text, encoding, [_warning("legacy_encoding", f"not valid UTF-8; read as {encoding} (a guess)")]


def normalise_text(text: str, issues: list[Issue]) -> str:
    """Line endings to "\\n", NUL/control characters removed (with warnings, or refused as binary), NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x0c", "\n\n")
    text = text.removeprefix("\ufeff")
    cleaned, controls = STRAY_CONTROL.subn("", text)
    if controls > MAX_CONTROL_SHARE * max(len(text), 1):
        message = f"{controls} control characters in {len(text)}: binary data, not text"
        raise IngestError("binary_content", message)
    if controls:
        nuls = text.count("\x00")
        if nuls:
            issues.append(_warning("nul_bytes_removed", f"removed {nuls} NUL byte(s)"))
        if controls > nuls:
            message = f"removed {controls - nuls} control character(s)"
            issues.append(_warning("control_chars_removed", message))
        text = cleaned
    return unicodedata.normalize("NFC", text)
