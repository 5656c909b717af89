"""ANTARA wire copy (Indonesian and English services) to body text and metadata.

The layout of a story, top to bottom (every part but the body may be missing):

* title line(s);
* the first body line opens with a dateline, ``Place (ANTARA) - `` (also "(ANTARA News)", "(Antara)", en or em
  dash); the first paragraph usually dates the story, "Selasa (17/6)" or "Tuesday (June 17)";
* body paragraphs separated by blank lines, with "Baca juga: …" / "Related news: …" links between them;
* a footer: ``Pewarta:`` / ``Reporter:``, ``Penerjemah:`` / ``Translator:``, ``Editor:``, and the copyright
  line ``Copyright © ANTARA 2025`` (whose year completes a date written without one);
* a legal notice after the footer ("Dilarang keras …"), which is not content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.parse.dates import YEAR_RANGE, find_date, resolve_date
from pipelines.parse.html import extract_html, looks_like_html
from pipelines.parse.language import detect_language
from pipelines.parse.types import IngestError, Issue, ParsedArticle

# Fewer words of prose than this is a stub, an index page or a photo caption, not an article.
MIN_BODY_WORDS = 20
# Prose is made of sentences: fewer sentence ends than one per this many words is a list, a table, a log or
# source code (news sentences average 15-30 words; the longest run to about 60).
MAX_WORDS_PER_SENTENCE = 80
# The dateline is looked for in the first lines only: further down, "(ANTARA)" is a credit, not a dateline.
MAX_LINES_BEFORE_DATELINE = 12
MAX_TITLE_LINES = 3
MAX_TITLE_WORDS = 30

DATELINE = re.compile(
    r"^\s*(?P<place>[^\W\d_][\w.'’-]*(?:,?[ \t]+[\w.'’-]+){0,4}?)\s*"
    r"\(\s*(?P<agency>(?i:antara)(?:\s+(?i:news))?)(?:\s*/\s*[^()]{1,40})?\s*\)\s*(?:[-–—]+\s*)?"
)
# Footer labels and the ParsedArticle field each fills (None: a footer line whose value is not kept).
FOOTER_FIELDS = {
    "pewarta": "reporter", "reporter": "reporter", "penulis": "reporter", "writer": "reporter",
    "penerjemah": "translator", "translator": "translator",
    "editor": "editor", "redaktur": "editor",
    "uploader": None, "fotografer": None, "photographer": None,
}
_FOOTER_LABEL = re.compile(
    r"(?i)(?:^|(?<=[\s,;|]))(?P<label>" + "|".join(FOOTER_FIELDS) + r")\s*:\s*"
)
_COPYRIGHT = re.compile(
    r"(?i)^\s*(?:copyright|hak\s+cipta|©)\s*(?:©|\(c\))?\s*(?:(?P<year_before>\d{4})\s+)?"
    r"antara(?:\s+news)?(?:\s+agency)?\s*(?P<year_after>\d{4})?"
)
_RELATED_LINK = re.compile(
    r"(?i)^\s*(?:baca\s+juga|baca\s+pula|berita\s+terkait|related\s+news|related|also\s+read|read\s+also"
    r"|see\s+also)\s*:"
)
# A legal notice opens with a prohibition and is about the agency's content or permission to use it.
_LEGAL_OPENING = re.compile(
    r"(?i)^\s*(?:dilarang|hak\s+cipta|all\s+rights\s+reserved|it\s+is\s+(?:strictly\s+)?(?:prohibited|forbidden)"
    r"|any\s+(?:use|reproduction)|reproduction|republication)\b"
)
_LEGAL_SUBJECT = re.compile(r"(?i)antara|izin|permission|konten|content")
_SENTENCE_END = re.compile(r"[.!?…\"”’]\s*$")
_SENTENCE_STOP = re.compile(r"[.!?…][\"”’')\]]*(?=\s|$)")


def _warning(code: str, message: str) -> Issue:
    return Issue("warning", code, message)


@dataclass
class _Layout:
    """Where the parts of a story are, as line indices into the text."""

    lines: list[str]
    body_start: int = 0
    body_end: int = 0
    title_lines: list[str] = field(default_factory=list)
    footer_lines: list[str] = field(default_factory=list)
    dateline: re.Match[str] | None = None


def parse_file_text(text: str) -> ParsedArticle:
    """The one entry point for decoded file text: plain wire copy, or a saved HTML page (stripped first)."""
    if not looks_like_html(text):
        return parse_article(text)
    page = extract_html(text)
    parsed = parse_article(page.text)
    if page.title:
        parsed.title = page.title
    parsed.issues.insert(0, _warning("html_stripped", "the file is HTML; markup was removed"))
    return parsed


def parse_article(text: str) -> ParsedArticle:
    """Split wire copy into body paragraphs and metadata.

    Raises ``IngestError`` ``not_an_article`` (under ``MIN_BODY_WORDS`` words of prose) or
    ``unsupported_language`` (neither Indonesian nor English). Anything else odd is a warning in
    ``issues``: ``no_dateline``, ``no_footer``, ``no_date``, ``date_without_year``, ``invalid_date``,
    ``weekday_mismatch``, ``implausible_year``.
    """
    issues: list[Issue] = []
    layout = _find_layout(text.split("\n"), issues)
    paragraphs = _body_paragraphs(layout)
    body_text = "\n\n".join(paragraphs)
    _require_prose(body_text)
    language, confidence = detect_language(body_text)
    if language is None:
        raise IngestError("unsupported_language",
                          f"neither Indonesian nor English (function-word share {confidence})")
    article = ParsedArticle(body_text=body_text, paragraphs=_offsets(paragraphs), language=language,
                            issues=issues)
    if layout.dateline:
        article.agency = "ANTARA"
        article.dateline_place = _place_name(layout.dateline.group("place"))
    article.title = " ".join(layout.title_lines) or None
    _read_footer(layout.footer_lines, article, issues)
    _date_article(paragraphs[0], article, issues)
    return article


def _require_prose(body_text: str) -> None:
    """Raise ``not_an_article`` for too few words, or words that do not form sentences."""
    n_words = len(body_text.split())
    if n_words < MIN_BODY_WORDS:
        raise IngestError("not_an_article", f"only {n_words} words of body text")
    n_stops = len(_SENTENCE_STOP.findall(body_text))
    if n_stops * MAX_WORDS_PER_SENTENCE < n_words:
        raise IngestError("not_an_article", f"{n_words} words but {n_stops} sentence ends: a list, a table or "
                                            "code, not prose")


def _find_layout(lines: list[str], issues: list[Issue]) -> _Layout:
    layout = _Layout(lines=[line.rstrip() for line in lines])
    dateline_index = _dateline_index(layout.lines)
    if dateline_index is None:
        issues.append(_warning("no_dateline", "no 'Place (ANTARA) - ' dateline at the start of the body"))
        layout.body_start = _start_after_title(layout)
    else:
        layout.dateline = DATELINE.match(layout.lines[dateline_index])
        layout.title_lines = _title_before(layout.lines, dateline_index)
        layout.body_start = dateline_index
        layout.lines[dateline_index] = layout.lines[dateline_index][layout.dateline.end():]
    layout.body_end = _footer_start(layout, issues)
    return layout


def _dateline_index(lines: list[str]) -> int | None:
    for index, line in enumerate(lines[:MAX_LINES_BEFORE_DATELINE]):
        match = DATELINE.match(line)
        if match and match.group("place")[0].isupper():
            return index
    return None


def _title_before(lines: list[str], end: int) -> list[str]:
    """The block of non-blank lines right above the dateline, when it is short enough to be a title."""
    block: list[str] = []
    for line in reversed(lines[:end]):
        if not line.strip():
            if block:
                break
            continue
        block.insert(0, " ".join(line.split()))
    if len(block) > MAX_TITLE_LINES or len(" ".join(block).split()) > MAX_TITLE_WORDS:
        return []
    return block


def _start_after_title(layout: _Layout) -> int:
    """Without a dateline, a first block of one short unpunctuated line followed by more text is the title."""
    lines = layout.lines
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    after = first + 1
    if after < len(lines) and not lines[after].strip():
        candidate = " ".join(lines[first].split())
        has_more = any(line.strip() for line in lines[after:])
        if has_more and len(candidate.split()) <= MAX_TITLE_WORDS and not _SENTENCE_END.search(candidate):
            layout.title_lines = [candidate]
            return after
    return first


def _is_footer_line(line: str) -> bool:
    return bool(_FOOTER_LABEL.match(line.strip()) or _COPYRIGHT.match(line))


def _is_blank_or_footer(line: str) -> bool:
    return not line.strip() or _is_footer_line(line)


def _is_legal_notice(line: str) -> bool:
    return bool(_LEGAL_OPENING.match(line) and _LEGAL_SUBJECT.search(line))


def _footer_start(layout: _Layout, issues: list[Issue]) -> int:
    """First line after the body; footer lines are kept in ``layout``, anything after them is dropped.

    The footer is the run of footer lines (blank lines allowed between them) that ends with the last one.
    """
    lines = layout.lines
    candidates = range(len(lines) - 1, layout.body_start - 1, -1)
    last = next((index for index in candidates if _is_footer_line(lines[index])), None)
    if last is None:
        issues.append(_warning("no_footer", "no reporter/editor/copyright footer"))
        return _legal_notice_start(layout)
    start = last
    while start - 1 > layout.body_start and _is_blank_or_footer(lines[start - 1]):
        start -= 1
    layout.footer_lines = [line.strip() for line in lines[start:last + 1] if line.strip()]
    return start


def _legal_notice_start(layout: _Layout) -> int:
    """Without a footer, trailing legal-notice lines (and blank lines) still end the body."""
    end = len(layout.lines)
    while end - 1 > layout.body_start and (
        not layout.lines[end - 1].strip() or _is_legal_notice(layout.lines[end - 1])
    ):
        end -= 1
    return end


def _body_paragraphs(layout: _Layout) -> list[str]:
    """Blank-line separated blocks of the body, each on one line, without related-news links and notices."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*layout.lines[layout.body_start:layout.body_end], ""]:
        if not line.strip():
            if current:
                paragraphs.append(" ".join(" ".join(current).split()))
            current = []
        elif not (_RELATED_LINK.match(line) or _is_legal_notice(line)):
            current.append(line)
    return paragraphs


def _offsets(paragraphs: list[str]) -> list[tuple[int, int]]:
    offsets, start = [], 0
    for paragraph in paragraphs:
        offsets.append((start, start + len(paragraph)))
        start += len(paragraph) + 2  # the "\n\n" between paragraphs
    return offsets


def _place_name(place: str) -> str:
    place = " ".join(place.strip(" ,").split())
    # "KUALA LUMPUR (ANTARA)": some desks capitalise the dateline; the place is stored as a name.
    return place.title() if place.isupper() else place


def _read_footer(lines: list[str], article: ParsedArticle, issues: list[Issue]) -> None:
    for line in lines:
        copyright_line = _COPYRIGHT.match(line)
        if copyright_line:
            _set_copyright_year(copyright_line, article, issues)
            continue
        labels = list(_FOOTER_LABEL.finditer(line))
        for label, following in zip(labels, [*labels[1:], None], strict=True):
            value = line[label.end():following.start() if following else len(line)].strip(" ,;|")
            attribute = FOOTER_FIELDS[label.group("label").lower()]
            if attribute and value:
                known = getattr(article, attribute)
                setattr(article, attribute, f"{known}, {value}" if known else value)


def _set_copyright_year(match: re.Match[str], article: ParsedArticle, issues: list[Issue]) -> None:
    year_text = match.group("year_after") or match.group("year_before")
    if not year_text:
        return
    if int(year_text) in YEAR_RANGE:
        article.copyright_year = int(year_text)
    else:
        issues.append(_warning("implausible_year", f"copyright year {year_text} ignored"))


def _date_article(first_paragraph: str, article: ParsedArticle, issues: list[Issue]) -> None:
    """``published_date`` from the first paragraph's date, its year from the copyright line if not written."""
    mention = find_date(first_paragraph)
    if mention is None:
        issues.append(_warning("no_date", "no date such as 'Selasa (17/6)' in the first paragraph"))
        return
    article.published_date = resolve_date(mention, article.copyright_year, issues)
