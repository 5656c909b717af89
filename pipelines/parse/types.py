"""Data passed from parsing to extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Issue:
    """Something a reader of the warehouse should know about one input file.

    ``severity`` is "warning" (the article was loaded, something was repaired or guessed), "error" (the file was
    quarantined) or "info" (nothing wrong, e.g. a duplicate of another file). ``code`` is a stable snake_case
    identifier documented in the README.
    """

    severity: str
    code: str
    message: str


class IngestError(Exception):
    """A file that cannot be loaded as an article; it is quarantined with this code and message."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class Decoded:
    text: str  # Unicode text, line endings normalised to "\n"
    encoding: str  # what the bytes were read as ("utf-8", "utf-8-sig", "utf-16-le", "cp1252", …)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class ParsedArticle:
    body_text: str  # content paragraphs joined by "\n\n"; no dateline prefix, footer, legal notice, "Baca juga"
    paragraphs: list[tuple[int, int]]  # (start_char, end_char) of each paragraph in body_text
    language: str  # "id" or "en"
    agency: str | None = None  # "ANTARA"
    dateline_place: str | None = None  # "Astana"
    published_date: date | None = None
    title: str | None = None
    reporter: str | None = None
    editor: str | None = None
    translator: str | None = None
    copyright_year: int | None = None
    issues: list[Issue] = field(default_factory=list)
