"""Dates: the date expressions of news copy and of ACLED-style summaries, as day ranges.

News rarely gives a full date for what happened; it says "yesterday", "on Sunday", "late
on Monday", "over the weekend", "earlier this month", all relative to the day it was
published. This module recognises those and the absolute forms ("11 March 2022",
"March 11", "Around 9 May 2022 (week of)", "between 3 and 10 June") with one grammar of
regular expressions, and resolves each into a start/end range with ACLED's time
precision: 1 a day, 2 a week or weekend (or a day given only as "around"), 3 a month.

Relative expressions need the publication date; without one they are kept, unresolved
(`resolved` false), never filled in from today. An absolute day without a year takes the
publication year (the year before when that would put it weeks after publication).

dateparser is not used here: its search finds spans poorly and slowly in running text,
returns nothing for several of the forms above and fills missing parts from today; a
small grammar over month and weekday names is faster and says exactly what it matched.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

DAY, WEEK, MONTH = 1, 2, 3
YEAR = None  # a year alone has no ACLED time precision

MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[n].casefold(): n for n in range(7)}
_WORD_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

_MONTH = (
    r"(?P<{0}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"


def _group(pattern: str, name: str) -> str:
    return pattern.format(name)


_DMY = rf"{_group(_DAY, 'd')}(?:\s+of)?\s+{_group(_MONTH, 'm')}(?:,?\s+{_group(_YEAR, 'y')})?"
_MDY = rf"{_group(_MONTH, 'm2')}\s+{_group(_DAY, 'd2')}(?!\d)(?:,?\s+{_group(_YEAR, 'y2')})?"
_QUALIFIER = (
    r"(?:\s*\((?P<qualifier>week of|weekend of|month of|as reported|between [^)]{3,40})\))?"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            rf"\b(?:between|from)\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+{_group(_MONTH, 'm1')})?"
            rf"\s*(?:-|–|and|to|until)\s*{_DMY}",
            re.IGNORECASE,
        ),
    ),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "day",
        re.compile(
            rf"(?:\b(?P<around>around|about|circa|approximately)\s+)?"
            rf"(?:(?:on\s+)?{_WEEKDAY},?\s+(?:the\s+)?)?\b(?:{_DMY}|{_MDY})\b{_QUALIFIER}",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?P<early>early|mid|late|earlier)[\s-]+)?(?:in\s+)?{_group(_MONTH, 'm')}"
            rf"(?:\s+{_group(_YEAR, 'y')})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month_alone",  # full names only, not followed by a name: not "in Mar de Cobo"
        re.compile(
            r"\bin\s+(?P<early>early|mid|late\s+)?(?P<m>January|February|March|April|May|June|"
            r"July|August|September|October|November|December)\b(?!\s+[A-Z\d])"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:in|since|during|of|the|early|late)\s+(?P<y>(?:19|20)\d\d)\b(?!-\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "relative_day",
        re.compile(
            r"\b(?P<word>the day before yesterday|yesterday|today|tonight|last night|"
            r"this (?:morning|afternoon|evening)|earlier today)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<count>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<unit>days?|weeks?)\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?P<lead>(?:late|early|earlier)\s+(?:on\s+)?|on\s+|last\s+|this\s+past\s+)?"
            rf"{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "period",
        re.compile(
            r"\b(?P<word>(?:over|at|during)\s+the\s+weekend|(?:this|last)\s+weekend|"
            r"(?:earlier|late|later)\s+(?:this|last)\s+(?:week|month)|"
            r"(?:this|last)\s+(?:week|month))\b",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression: its words, offsets and the days it covers."""

    text: str
    start: int
    end: int
    date_start: date | None
    date_end: date | None
    precision: int | None  # ACLED: 1 day, 2 week, 3 month; None for a year alone
    relative: bool
    anchor: date | None = None  # the day the text names inside a wider range

    @property
    def resolved(self) -> bool:
        return self.date_start is not None

    @property
    def day(self) -> date | None:
        """The one day ACLED codes: the day itself, the middle of a week, the 15th of a
        month."""
        if self.anchor is not None:
            return self.anchor
        if self.date_start is None or self.date_end is None:
            return None
        whole_month = _month_range(self.date_start.year, self.date_start.month)
        if self.precision == MONTH and (self.date_start, self.date_end) == whole_month:
            return self.date_start.replace(day=15)
        return self.date_start + (self.date_end - self.date_start) // 2


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, published: date | None) -> int | None:
    """The year of a day given without one: the publication's, or the year before when
    the day would fall weeks after publication."""
    if published is None:
        return None
    candidate = _safe_date(published.year, month, min(day, 28))
    if candidate is not None and candidate > published + timedelta(days=14):
        return published.year - 1
    return published.year


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _last_weekday(weekday: int, published: date, strictly_before: bool) -> date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


class Days(NamedTuple):
    start: date | None
    end: date | None
    precision: int | None
    relative: bool
    anchor: date | None = None  # the day the text names, when it names one


class _Resolver:
    def __init__(self, published: date | None) -> None:
        self.published = published

    def range(self, m: re.Match[str]) -> Days:
        month = MONTHS[m["m"].casefold().rstrip(".")]
        year = int(m["y"]) if m["y"] else _year_for(month, int(m["d"]), self.published)
        if year is None:
            return Days(None, None, WEEK, False)
        first_month = MONTHS[m["m1"].casefold().rstrip(".")] if m["m1"] else month
        first_year = year - 1 if first_month > month else year
        start = _safe_date(first_year, first_month, int(m["d1"]))
        end = _safe_date(year, month, int(m["d"]))
        if start is None or end is None or start > end:
            return Days(None, None, WEEK, False)
        return Days(start, end, DAY if start == end else WEEK, False)

    def iso(self, m: re.Match[str]) -> Days:
        day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return Days(day, day, DAY, False)

    def day(self, m: re.Match[str]) -> Days:
        month_word, day_word, year_word = (
            (m["m"], m["d"], m["y"]) if m["m"] else (m["m2"], m["d2"], m["y2"])
        )
        month = MONTHS[month_word.casefold().rstrip(".")]
        year = int(year_word) if year_word else _year_for(month, int(day_word), self.published)
        day = _safe_date(year, month, int(day_word)) if year is not None else None
        qualifier = (m["qualifier"] or "").casefold()
        if day is None:
            return Days(None, None, DAY, False)
        if qualifier == "month of":
            return Days(*_month_range(day.year, day.month), MONTH, False, day)
        if qualifier == "week of":
            return Days(*_week_of(day), WEEK, False, day)
        if qualifier == "weekend of":
            saturday = day - timedelta(days=(day.weekday() - 5) % 7)
            return Days(saturday, saturday + timedelta(days=1), WEEK, False, day)
        around = m["around"] or qualifier == "as reported" or qualifier.startswith("between")
        return Days(day, day, WEEK if around else DAY, False)

    def month(self, m: re.Match[str]) -> Days:
        month = MONTHS[m["m"].casefold().rstrip(".")]
        year = int(m["y"]) if m.groupdict().get("y") else _year_for(month, 1, self.published)
        if year is None:
            return Days(None, None, MONTH, False)
        return Days(*_month_range(year, month), MONTH, False)

    month_alone = month

    def year(self, m: re.Match[str]) -> Days:
        """A year alone ("the 2001 bombing"): coarser than any ACLED precision."""
        year = int(m["y"])
        return Days(date(year, 1, 1), date(year, 12, 31), YEAR, False)

    def relative_day(self, m: re.Match[str]) -> Days:
        word = " ".join(m["word"].casefold().split())
        back = {"the day before yesterday": 2, "yesterday": 1, "last night": 1}.get(word, 0)
        return self._days_back(back, back, DAY)

    def ago(self, m: re.Match[str]) -> Days:
        word = m["count"].casefold()
        count = int(word) if word.isdigit() else _WORD_NUMBERS[word]
        if m["unit"].casefold().startswith("week"):
            if self.published is None:
                return Days(None, None, WEEK, True)
            monday, sunday = _week_of(self.published - timedelta(weeks=count))
            return Days(monday, sunday, WEEK, True)
        return self._days_back(count, count, DAY)

    def weekday(self, m: re.Match[str]) -> Days:
        if self.published is None:
            return Days(None, None, DAY, True)
        lead = " ".join((m["lead"] or "").casefold().split())
        day = _last_weekday(
            WEEKDAYS[m["weekday"].casefold()], self.published, strictly_before=lead == "last"
        )
        return Days(day, day, DAY, True)

    def period(self, m: re.Match[str]) -> Days:
        word = " ".join(m["word"].casefold().split())
        published = self.published
        if published is None:
            return Days(None, None, MONTH if "month" in word else WEEK, True)
        if "weekend" in word:
            saturday = _last_weekday(5, published, strictly_before=False)
            if word.startswith("last") and published.weekday() >= 5:
                saturday -= timedelta(days=7)
            return Days(saturday, min(saturday + timedelta(days=1), published), WEEK, True)
        if "week" in word:
            monday, sunday = _week_of(published)
            if "last" in word:
                return Days(monday - timedelta(days=7), monday - timedelta(days=1), WEEK, True)
            return Days(monday, min(sunday, published), WEEK, True)
        first, last = _month_range(published.year, published.month)
        if "last" in word:
            previous = first - timedelta(days=1)
            return Days(*_month_range(previous.year, previous.month), MONTH, True)
        return Days(first, min(last, published), MONTH, True)

    def _days_back(self, first: int, last: int, precision: int | None) -> Days:
        if self.published is None:
            return Days(None, None, precision, True)
        return Days(
            self.published - timedelta(days=first),
            self.published - timedelta(days=last),
            precision,
            True,
        )


def find_dates(text: str, published: date | str | None) -> list[DateMention]:
    """Every date expression in `text`, in order. Where expressions overlap the longest
    wins ("Around 2 April 2022 (between 28 March - 2 April)" is one), then the grammar's
    earlier rule."""
    if isinstance(published, str):
        published = parse_iso(published)
    resolver = _Resolver(published)
    matches = [
        (m, rank, kind)
        for rank, (kind, pattern) in enumerate(_PATTERNS)
        for m in pattern.finditer(text)
        if kind != "month_alone" or m["m"][0].isupper()  # "in may", "in march" are verbs
    ]
    matches.sort(key=lambda item: (item[0].start() - item[0].end(), item[1]))
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for m, _, kind in matches:
        start, end = m.span()
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        days: Days = getattr(resolver, kind)(m)
        found.append(DateMention(text[start:end], start, end, *days))
    return sorted(found, key=lambda d: d.start)


def parse_iso(value: str | None) -> date | None:
    """The day of an ISO 8601 date or timestamp, None when there is none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
