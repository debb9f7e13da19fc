"""Dates: the grammar of news and ACLED date expressions, resolved against publication."""

from __future__ import annotations

from datetime import date

import pytest

from fogmap.extract.dates import DAY, MONTH, WEEK, find_dates

PUBLISHED = "2021-09-08"  # a Wednesday


def only(text: str, published: str | None = PUBLISHED):
    found = find_dates(text, published)
    assert len(found) == 1, [(d.text, d.date_start) for d in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "words", "start", "end", "precision"),
    [
        ("Fighting resumed yesterday.", "yesterday", "2021-09-07", "2021-09-07", DAY),
        ("They attacked on Sunday.", "on Sunday", "2021-09-05", "2021-09-05", DAY),
        ("They attacked late on Monday.", "late on Monday", "2021-09-06", "2021-09-06", DAY),
        ("Shelling began Tuesday night.", "Tuesday night", "2021-09-07", "2021-09-07", DAY),
        ("Talks stalled last week.", "last week", "2021-08-30", "2021-09-05", WEEK),
        ("Bazarak fell over the weekend.", "over the weekend", "2021-09-04", "2021-09-05", WEEK),
        ("It fell earlier this month.", "earlier this month", "2021-09-01", "2021-09-08", MONTH),
        ("Drones struck this morning.", "this morning", "2021-09-08", "2021-09-08", DAY),
        ("A raid two days ago.", "two days ago", "2021-09-06", "2021-09-06", DAY),
        ("the day before yesterday", "the day before yesterday", "2021-09-06", "2021-09-06", DAY),
        ("They met this week.", "this week", "2021-09-06", "2021-09-08", WEEK),
        ("They met last month.", "last month", "2021-08-01", "2021-08-31", MONTH),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(
    text: str, words: str, start: str, end: str, precision: int
) -> None:
    found = only(text)
    assert found.text == words
    assert (found.date_start, found.date_end) == (
        date.fromisoformat(start),
        date.fromisoformat(end),
    )
    assert (found.precision, found.relative) == (precision, True)


def test_last_weekday_named_on_its_own_day_is_a_week_back() -> None:
    assert only("It happened last Wednesday.").date_start == date(2021, 9, 1)
    assert only("It happened on Wednesday.").date_start == date(2021, 9, 8)


def test_without_a_publication_date_relative_dates_stay_unresolved() -> None:
    for text in ("yesterday", "on Sunday", "last week", "over the weekend", "earlier this month"):
        found = only(text, None)
        assert not found.resolved and found.relative and found.day is None, text


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "day"),
    [
        ("On 11 March 2022, students protested.", "2022-03-11", "2022-03-11", DAY, "2022-03-11"),
        ("on March 11, 2022 and", "2022-03-11", "2022-03-11", DAY, "2022-03-11"),
        ("on Sunday, 5 September 2021,", "2021-09-05", "2021-09-05", DAY, "2021-09-05"),
        ("the 2022-03-11 raid", "2022-03-11", "2022-03-11", DAY, "2022-03-11"),
        (
            "Around 9 May 2022 (as reported), workers",
            "2022-05-09",
            "2022-05-09",
            WEEK,
            "2022-05-09",
        ),
        ("Around 1 February 2022 (week of), X", "2022-01-31", "2022-02-06", WEEK, "2022-02-01"),
        ("Around 25 June 2022 (weekend of), X", "2022-06-25", "2022-06-26", WEEK, "2022-06-25"),
        ("Around 15 May 2022 (month of), X", "2022-05-01", "2022-05-31", MONTH, "2022-05-15"),
        (
            "Around 2 April 2022 (between 28 March - 2 April), X",
            "2022-04-02",
            "2022-04-02",
            WEEK,
            "2022-04-02",
        ),
        ("between 3 and 10 June 2022", "2022-06-03", "2022-06-10", WEEK, "2022-06-06"),
        ("in March 2022", "2022-03-01", "2022-03-31", MONTH, "2022-03-15"),
    ],
)
def test_absolute_dates_and_acled_qualifiers(
    text: str, start: str, end: str, precision: int, day: str
) -> None:
    found = only(text, None)
    assert (found.date_start, found.date_end) == (
        date.fromisoformat(start),
        date.fromisoformat(end),
    )
    assert found.precision == precision
    assert found.day == date.fromisoformat(day)
    assert not found.relative


def test_a_day_without_a_year_takes_the_publication_year_or_the_one_before() -> None:
    assert only("on 5 September").date_start == date(2021, 9, 5)
    assert only("on 20 December").date_start == date(2020, 12, 20)
    assert not only("on 5 September", None).resolved


def test_a_year_alone_is_kept_without_acled_precision() -> None:
    found = only("He survived the 2001 suicide bombing.")
    assert (found.date_start, found.date_end, found.precision) == (
        date(2001, 1, 1),
        date(2001, 12, 31),
        None,
    )


def test_words_that_only_look_like_dates_are_not_dates() -> None:
    assert find_dates("Protesters may march to the palace.", PUBLISHED) == []
    assert find_dates("The unit lost 2,000 men.", PUBLISHED) == []
