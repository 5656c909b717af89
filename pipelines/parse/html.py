"""Saved web pages: recognise HTML and reduce it to plain text with paragraph breaks (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Content of these elements is never article text.
SKIPPED_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "button",
                              "nav", "footer", "form", "select"})
# Elements whose edges are paragraph breaks.
BLOCK_ELEMENTS = frozenset({"p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                            "blockquote", "section", "article", "header", "table", "tr", "hr", "figure",
                            "figcaption", "pre"})
VOID_ELEMENTS = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr"})

_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_HTML_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_INLINE_TAGS = {"a", "span", "b", "i", "em", "strong", "img", "title", "body"}
_KNOWN_TAGS = BLOCK_ELEMENTS | SKIPPED_ELEMENTS | _INLINE_TAGS
# A few tags could be a quoted example in plain text; this many known tags make a page.
MIN_TAGS_FOR_HTML = 3


def looks_like_html(text: str) -> bool:
    """True for a document (<!DOCTYPE html>, <html>, <body>) or text with several known HTML tags."""
    if _HTML_MARKERS.search(text[:5000]):
        return True
    known = sum(1 for match in _TAG.finditer(text) if match.group(1).lower() in _KNOWN_TAGS)
    return known >= MIN_TAGS_FOR_HTML


@dataclass
class HtmlText:
    text: str  # paragraphs separated by blank lines
    title: str | None  # from the first <h1>, else from <title>


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.capture: str | None = None  # "title" or "h1" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.capture = "title"
        elif tag in SKIPPED_ELEMENTS and tag not in VOID_ELEMENTS:
            self.skip_depth += 1
        elif tag == "h1" and not self.h1_parts:
            self.capture = "h1"
        if tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "h1"):
            self.capture = None
        elif tag in SKIPPED_ELEMENTS and self.skip_depth:
            self.skip_depth -= 1
        if tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.capture == "title":
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        if self.capture == "h1":
            self.h1_parts.append(data)
        self.parts.append(data)


def _clean_inline(text: str) -> str:
    return " ".join(text.split())


def extract_html(text: str) -> HtmlText:
    """Plain text of a page (scripts and styles removed, entities unescaped by the parser) and its title."""
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    joined = "".join(collector.parts)
    # Inside a block, source line breaks are only layout: each block becomes one paragraph.
    blocks = (_clean_inline(block) for block in re.split(r"\n\s*\n", joined))
    plain = "\n\n".join(block for block in blocks if block)
    title = _clean_inline("".join(collector.h1_parts)) or _page_title("".join(collector.title_parts))
    return HtmlText(text=plain, title=title or None)


def _page_title(raw: str) -> str:
    # "<headline> - ANTARA News": drop the site name that pages append to the headline.
    parts = [part.strip() for part in re.split(r"\s+[-|–—]\s+", _clean_inline(raw))]
    kept = [part for part in parts if part and "antara" not in part.lower()]
    return " - ".join(kept)


def strip_html(text: str) -> str:
    """Plain text of an HTML page, paragraphs separated by blank lines."""
    return extract_html(text).text
