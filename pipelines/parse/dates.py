"""Dates as wire copy writes them in its first paragraph: "Selasa (17/6)", "(17/6/2025)", "Tuesday (June 17)".

ANTARA copy usually gives only weekday, day and month; the year comes from elsewhere (the copyright line), and
the weekday then serves as a check on the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipelines.parse.types import Issue

# Weekday names (Monday = 0) and month names (January = 1) in Indonesian and English, with common variants.
WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11, "desember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "ags": 8, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12,
}
# Years a news article can plausibly carry; anything else is a typo or not a year.
YEAR_RANGE = range(1990, 2101)


def _alternatives(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_MONTH = _alternatives(MONTHS)
_PARENTHESISED = re.compile(
    rf"(?:\b(?P<weekday>{_alternatives(WEEKDAYS)})\s*)?\(\s*(?P<inside>[^()]{{1,30}}?)\s*\)", re.IGNORECASE
)
_NUMERIC = re.compile(r"(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?:\s*/\s*(?P<year>\d{4}|\d{2}))?")
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_DAY_MONTH = re.compile(rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\.?{_YEAR}", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}}){_YEAR}", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date as written: day and month always, year and weekday when the text gives them."""

    day: int
    month: int
    year: int | None
    weekday: int | None  # Monday = 0
    text: str


def find_date(text: str) -> DateMention | None:
    """The first parenthesised date after a weekday, else the first parenthesised date at all."""
    mentions = [mention for match in _PARENTHESISED.finditer(text) if (mention := _mention(match))]
    with_weekday = [mention for mention in mentions if mention.weekday is not None]
    return (with_weekday or mentions or [None])[0]


def _mention(match: re.Match[str]) -> DateMention | None:
    inside = match.group("inside")
    for pattern in (_NUMERIC, _DAY_MONTH, _MONTH_DAY):
        parts = pattern.fullmatch(inside)
        if parts:
            break
    else:
        return None
    month = parts.group("month")
    year = parts.group("year")
    weekday = match.group("weekday")
    return DateMention(
        day=int(parts.group("day")),
        month=int(month) if month.isdigit() else MONTHS[month.lower()],
        year=(int(year) + 2000 if len(year) == 2 else int(year)) if year else None,
        weekday=WEEKDAYS[weekday.lower()] if weekday else None,
        text=match.group(0),
    )


def resolve_date(mention: DateMention, fallback_year: int | None, issues: list[Issue]) -> date | None:
    """The calendar date of a mention, taking the year from ``fallback_year`` when the text has none.

    Returns None, with a warning, when there is no year to use (``date_without_year``: today's date is
    never assumed, since files are often loaded long after publication) or the date does not exist
    (``invalid_date``).
    A weekday that disagrees with the date keeps the date and adds ``weekday_mismatch``.
    """
    year = mention.year or fallback_year
    if year is None:
        issues.append(Issue("warning", "date_without_year",
                            f"{mention.text!r} has no year and the article gives none; date left empty"))
        return None
    if mention.year is None:
        year = _year_by_weekday(mention, year)
    try:
        if year not in YEAR_RANGE:
            raise ValueError(f"year {year} outside {YEAR_RANGE.start}..{YEAR_RANGE.stop - 1}")
        resolved = date(year, mention.month, mention.day)
    except ValueError as error:
        issues.append(Issue("warning", "invalid_date", f"{mention.text!r} is not a valid date ({error})"))
        return None
    if mention.weekday is not None and resolved.weekday() != mention.weekday:
        issues.append(Issue("warning", "weekday_mismatch",
                            f"{mention.text!r}: {resolved.isoformat()} is a {resolved.strftime('%A')}"))
    return resolved


def _year_by_weekday(mention: DateMention, year: int) -> int:
    """A December date in copy copyrighted the next January: the weekday says which year was meant."""
    if mention.month != 12 or mention.weekday is None:
        return year
    try:
        this_year, last_year = date(year, 12, mention.day), date(year - 1, 12, mention.day)
        if this_year.weekday() != mention.weekday == last_year.weekday():
            return year - 1
    except ValueError:
        pass
    return year
