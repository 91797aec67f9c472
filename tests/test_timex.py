"""Tests for helpers.timex: every expected interval below was worked out by hand.

Calendar facts used: 1 Nov 2022 is a Tuesday (Tuesdays of Nov 2022: 1, 8, 15, 22, 29; last
Tuesday of Oct: 25); 24 Nov 2022 is a Thursday in ISO week 47 (21-27 Nov); 30 Nov 2022 is a
Wednesday in week 48 (28 Nov - 4 Dec); 20 Nov 2022 and 15 Jan 2023 are Sundays; 2024 is a leap year.
"""

# The CASES table keeps one expression per line, which is easier to check by eye:
# ruff: noqa: E501

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from datetime import date as d

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.paths import ARTICLE, ROOT
from helpers.textview import text_view
from helpers.timex import (
    BASES,
    OPEN_END,
    OPEN_START,
    PRECISIONS,
    RULES,
    TimeInterval,
    TimexError,
    _finder,
    find_time_expressions,
    fits,
    precision_of,
    publication_interval,
    resolve,
)

INVENTED_CORPUS = ROOT / "tests" / "invented_corpus"

P = "2022-11"  # the article's date: month precision
D = "2022-11-24"  # a day-precise date (Thursday)
MIN, MAX = OPEN_START, OPEN_END

# phrase, published, value, start, end, precision, basis, rule, unit, mod
CASES = [
    # --- every time expression in the article, read against "2022-11" ---
    ("dinsdag", P, "2022-11-XX", d(2022, 11, 1), d(2022, 11, 29), "month", "publication", "weekday", "day", ""),
    ("dit najaar", P, "2022-FA", d(2022, 9, 1), d(2022, 11, 30), "season", "publication", "season", "season", ""),
    ("In september", P, "2022-09", d(2022, 9, 1), d(2022, 9, 30), "month", "publication", "month", "month", ""),
    ("in oktober", P, "2022-10", d(2022, 10, 1), d(2022, 10, 31), "month", "publication", "month", "month", ""),
    ("In juni", P, "2022-06", d(2022, 6, 1), d(2022, 6, 30), "month", "publication", "month", "month", ""),
    ("in januari", P, "2022-01", d(2022, 1, 1), d(2022, 1, 31), "month", "publication", "month", "month", ""),
    ("in 2014", P, "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "stated", "year", "year", ""),
    ("deze week", P, "2022-WXX", d(2022, 10, 31), d(2022, 12, 4), "year", "publication", "week_relative", "week", ""),
    ("nu", P, "PRESENT_REF", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "present", "unknown", ""),
    ("eerder", P, "PAST_REF", MIN, d(2022, 11, 30), "unknown", "publication", "past_ref", "unknown", "BEFORE"),
    ("op dat moment", P, "", MIN, MAX, "unknown", "context", "context", "unknown", ""),
    ("toen", P, "", MIN, d(2022, 11, 30), "unknown", "context", "context", "unknown", ""),
    ("Toen", P, "", MIN, d(2022, 11, 30), "unknown", "context", "context", "unknown", ""),
    # --- the same with a day-precise publication date ---
    ("dinsdag", D, "2022-11-22", d(2022, 11, 22), d(2022, 11, 22), "day", "publication", "weekday", "day", ""),
    ("deze week", D, "2022-W47", d(2022, 11, 21), d(2022, 11, 27), "week", "publication", "week_relative", "week", ""),
    ("nu", D, "PRESENT_REF", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "present", "unknown", ""),
    ("eerder", D, "PAST_REF", MIN, d(2022, 11, 24), "unknown", "publication", "past_ref", "unknown", "BEFORE"),
    # --- weekdays: most recent on/before publication ---
    ("maandag", D, "2022-11-21", d(2022, 11, 21), d(2022, 11, 21), "day", "publication", "weekday", "day", ""),
    ("woensdag", D, "2022-11-23", d(2022, 11, 23), d(2022, 11, 23), "day", "publication", "weekday", "day", ""),
    ("donderdag", D, "2022-11-24", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "weekday", "day", ""),
    ("vrijdag", D, "2022-11-18", d(2022, 11, 18), d(2022, 11, 18), "day", "publication", "weekday", "day", ""),
    ("zaterdag", D, "2022-11-19", d(2022, 11, 19), d(2022, 11, 19), "day", "publication", "weekday", "day", ""),
    ("zondag", D, "2022-11-20", d(2022, 11, 20), d(2022, 11, 20), "day", "publication", "weekday", "day", ""),
    # month-precise: from the candidate on/before 1 Nov (Tue) to the one on/before 30 Nov (Wed)
    ("maandag", P, "2022-XX-XX", d(2022, 10, 31), d(2022, 11, 28), "season", "publication", "weekday", "day", ""),
    ("woensdag", P, "2022-XX-XX", d(2022, 10, 26), d(2022, 11, 30), "season", "publication", "weekday", "day", ""),
    ("zondag", P, "2022-XX-XX", d(2022, 10, 30), d(2022, 11, 27), "season", "publication", "weekday", "day", ""),
    ("op dinsdag", D, "2022-11-22", d(2022, 11, 22), d(2022, 11, 22), "day", "publication", "weekday", "day", ""),
    ("dinsdagavond", D, "2022-11-22TEV", d(2022, 11, 22), d(2022, 11, 22), "day", "publication", "weekday", "day", ""),
    ("dinsdagnacht", D, "2022-11-22TNI", d(2022, 11, 22), d(2022, 11, 23), "week", "publication", "weekday", "day", ""),
    ("afgelopen zondag", D, "2022-11-20", d(2022, 11, 20), d(2022, 11, 20), "day", "publication", "weekday", "day", ""),
    ("afgelopen zondag", "2022-11-20", "2022-11-13", d(2022, 11, 13), d(2022, 11, 13), "day", "publication", "weekday", "day", ""),
    ("vorige donderdag", D, "2022-11-17", d(2022, 11, 17), d(2022, 11, 17), "day", "publication", "weekday", "day", ""),
    ("komende zondag", D, "2022-11-27", d(2022, 11, 27), d(2022, 11, 27), "day", "publication", "weekday", "day", ""),
    ("aanstaande donderdag", D, "2022-12-01", d(2022, 12, 1), d(2022, 12, 1), "day", "publication", "weekday", "day", ""),
    ("volgende dinsdag", D, "2022-11-29", d(2022, 11, 29), d(2022, 11, 29), "day", "publication", "weekday", "day", ""),
    ("vorige week dinsdag", D, "2022-11-15", d(2022, 11, 15), d(2022, 11, 15), "day", "publication", "weekday_in_week", "day", ""),
    ("dinsdag vorige week", D, "2022-11-15", d(2022, 11, 15), d(2022, 11, 15), "day", "publication", "weekday_in_week", "day", ""),
    ("volgende week dinsdag", D, "2022-11-29", d(2022, 11, 29), d(2022, 11, 29), "day", "publication", "weekday_in_week", "day", ""),
    # --- days relative to publication ---
    ("vandaag", D, "2022-11-24", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "day_relative", "day", ""),
    ("gisteren", D, "2022-11-23", d(2022, 11, 23), d(2022, 11, 23), "day", "publication", "day_relative", "day", ""),
    ("eergisteren", D, "2022-11-22", d(2022, 11, 22), d(2022, 11, 22), "day", "publication", "day_relative", "day", ""),
    ("morgen", D, "2022-11-25", d(2022, 11, 25), d(2022, 11, 25), "day", "publication", "day_relative", "day", ""),
    ("overmorgen", D, "2022-11-26", d(2022, 11, 26), d(2022, 11, 26), "day", "publication", "day_relative", "day", ""),
    ("gisteravond", D, "2022-11-23TEV", d(2022, 11, 23), d(2022, 11, 23), "day", "publication", "daypart_relative", "day", ""),
    ("vanochtend", D, "2022-11-24TMO", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "daypart_relative", "day", ""),
    ("vanmorgen", D, "2022-11-24TMO", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "daypart_relative", "day", ""),
    ("vannacht", D, "2022-11-23TNI", d(2022, 11, 23), d(2022, 11, 24), "week", "publication", "daypart_relative", "day", ""),
    ("gisteren", P, "2022-XX-XX", d(2022, 10, 31), d(2022, 11, 29), "season", "publication", "day_relative", "day", ""),
    ("vandaag", P, "2022-11-XX", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "day_relative", "day", ""),
    # --- weeks (ISO, Monday-Sunday) ---
    ("vorige week", D, "2022-W46", d(2022, 11, 14), d(2022, 11, 20), "week", "publication", "week_relative", "week", ""),
    ("afgelopen week", D, "2022-W46", d(2022, 11, 14), d(2022, 11, 20), "week", "publication", "week_relative", "week", ""),
    ("volgende week", D, "2022-W48", d(2022, 11, 28), d(2022, 12, 4), "week", "publication", "week_relative", "week", ""),
    ("twee weken geleden", D, "2022-W45", d(2022, 11, 7), d(2022, 11, 13), "week", "publication", "ago", "week", ""),
    ("drie dagen geleden", D, "2022-11-21", d(2022, 11, 21), d(2022, 11, 21), "day", "publication", "ago", "day", ""),
    ("2 maanden geleden", D, "2022-09", d(2022, 9, 1), d(2022, 9, 30), "month", "publication", "ago", "month", ""),
    ("een jaar geleden", D, "2021", d(2021, 1, 1), d(2021, 12, 31), "year", "publication", "ago", "year", ""),
    # --- months ---
    ("vorige maand", D, "2022-10", d(2022, 10, 1), d(2022, 10, 31), "month", "publication", "month_relative", "month", ""),
    ("afgelopen maand", P, "2022-10", d(2022, 10, 1), d(2022, 10, 31), "month", "publication", "month_relative", "month", ""),
    ("deze maand", P, "2022-11", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "month_relative", "month", ""),
    ("volgende maand", D, "2022-12", d(2022, 12, 1), d(2022, 12, 31), "month", "publication", "month_relative", "month", ""),
    ("juni", P, "2022-06", d(2022, 6, 1), d(2022, 6, 30), "month", "publication", "month", "month", ""),
    ("in juni 2021", P, "2021-06", d(2021, 6, 1), d(2021, 6, 30), "month", "stated", "month", "month", ""),
    ("juni 2021", P, "2021-06", d(2021, 6, 1), d(2021, 6, 30), "month", "stated", "month", "month", ""),
    ("in juni vorig jaar", P, "2021-06", d(2021, 6, 1), d(2021, 6, 30), "month", "publication", "month", "month", ""),
    ("in december", P, "2021-12", d(2021, 12, 1), d(2021, 12, 31), "month", "publication", "month", "month", ""),
    ("in november", P, "2022-11", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "month", "month", ""),
    ("afgelopen november", P, "2021-11", d(2021, 11, 1), d(2021, 11, 30), "month", "publication", "month", "month", ""),
    ("afgelopen juni", P, "2022-06", d(2022, 6, 1), d(2022, 6, 30), "month", "publication", "month", "month", ""),
    ("komende december", P, "2022-12", d(2022, 12, 1), d(2022, 12, 31), "month", "publication", "month", "month", ""),
    ("in juni", "2022", "XXXX-06", d(2021, 6, 1), d(2022, 6, 30), "decade", "publication", "month", "month", ""),
    # --- parts of months and years ---
    ("begin juni", P, "2022-06", d(2022, 6, 1), d(2022, 6, 10), "month", "publication", "part_of_month", "month", "START"),
    ("medio juni", P, "2022-06", d(2022, 6, 11), d(2022, 6, 20), "month", "publication", "part_of_month", "month", "MID"),
    ("half juni", P, "2022-06", d(2022, 6, 11), d(2022, 6, 20), "month", "publication", "part_of_month", "month", "MID"),
    ("eind oktober", P, "2022-10", d(2022, 10, 21), d(2022, 10, 31), "month", "publication", "part_of_month", "month", "END"),
    ("eind februari", P, "2022-02", d(2022, 2, 21), d(2022, 2, 28), "month", "publication", "part_of_month", "month", "END"),
    ("eind februari 2024", P, "2024-02", d(2024, 2, 21), d(2024, 2, 29), "month", "stated", "part_of_month", "month", "END"),
    ("begin deze maand", D, "2022-11", d(2022, 11, 1), d(2022, 11, 10), "month", "publication", "part_of_month", "month", "START"),
    ("eind 2021", P, "2021", d(2021, 9, 1), d(2021, 12, 31), "year", "stated", "part_of_year", "year", "END"),
    ("begin dit jaar", D, "2022", d(2022, 1, 1), d(2022, 4, 30), "year", "publication", "part_of_year", "year", "START"),
    # --- seasons (meteorological) ---
    ("deze herfst", P, "2022-FA", d(2022, 9, 1), d(2022, 11, 30), "season", "publication", "season", "season", ""),
    ("afgelopen zomer", P, "2022-SU", d(2022, 6, 1), d(2022, 8, 31), "season", "publication", "season", "season", ""),
    ("vorige winter", P, "2021-WI", d(2021, 12, 1), d(2022, 2, 28), "season", "publication", "season", "season", ""),
    ("dit voorjaar", P, "2022-SP", d(2022, 3, 1), d(2022, 5, 31), "season", "publication", "season", "season", ""),
    ("deze lente", P, "2022-SP", d(2022, 3, 1), d(2022, 5, 31), "season", "publication", "season", "season", ""),
    ("deze winter", P, "2022-WI", d(2022, 12, 1), d(2023, 2, 28), "season", "publication", "season", "season", ""),
    ("volgend voorjaar", P, "2023-SP", d(2023, 3, 1), d(2023, 5, 31), "season", "publication", "season", "season", ""),
    ("in de zomer", P, "2022-SU", d(2022, 6, 1), d(2022, 8, 31), "season", "publication", "season", "season", ""),
    ("in de winter", P, "2021-WI", d(2021, 12, 1), d(2022, 2, 28), "season", "publication", "season", "season", ""),
    ("de zomer van 2021", P, "2021-SU", d(2021, 6, 1), d(2021, 8, 31), "season", "stated", "season", "season", ""),
    ("winter 2023", P, "2023-WI", d(2023, 12, 1), d(2024, 2, 29), "season", "stated", "season", "season", ""),
    ("deze winter", "2023-01-15", "2022-WI", d(2022, 12, 1), d(2023, 2, 28), "season", "publication", "season", "season", ""),
    ("vorige winter", "2023-01-15", "2021-WI", d(2021, 12, 1), d(2022, 2, 28), "season", "publication", "season", "season", ""),
    # --- years and decades ---
    ("2014", P, "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "stated", "year", "year", ""),
    ("vorig jaar", P, "2021", d(2021, 1, 1), d(2021, 12, 31), "year", "publication", "year_relative", "year", ""),
    ("afgelopen jaar", P, "2021", d(2021, 1, 1), d(2021, 12, 31), "year", "publication", "year_relative", "year", ""),
    ("dit jaar", P, "2022", d(2022, 1, 1), d(2022, 12, 31), "year", "publication", "year_relative", "year", ""),
    ("volgend jaar", P, "2023", d(2023, 1, 1), d(2023, 12, 31), "year", "publication", "year_relative", "year", ""),
    ("in de jaren negentig", P, "199", d(1990, 1, 1), d(1999, 12, 31), "decade", "publication", "decade", "decade", ""),
    ("de jaren ’90", P, "199", d(1990, 1, 1), d(1999, 12, 31), "decade", "publication", "decade", "decade", ""),
    ("de jaren twintig", P, "192", d(1920, 1, 1), d(1929, 12, 31), "decade", "publication", "decade", "decade", ""),
    ("jaren tien", P, "201", d(2010, 1, 1), d(2019, 12, 31), "decade", "publication", "decade", "decade", ""),
    ("de jaren 1980", P, "198", d(1980, 1, 1), d(1989, 12, 31), "decade", "stated", "decade", "decade", ""),
    # --- exact dates ---
    ("17 juni", P, "2022-06-17", d(2022, 6, 17), d(2022, 6, 17), "day", "publication", "date", "day", ""),
    ("17 juni 2022", P, "2022-06-17", d(2022, 6, 17), d(2022, 6, 17), "day", "stated", "date", "day", ""),
    ("op 24 februari", P, "2022-02-24", d(2022, 2, 24), d(2022, 2, 24), "day", "publication", "date", "day", ""),
    ("17 dec.", P, "2021-12-17", d(2021, 12, 17), d(2021, 12, 17), "day", "publication", "date", "day", ""),
    ("dinsdag 22 november", D, "2022-11-22", d(2022, 11, 22), d(2022, 11, 22), "day", "publication", "date", "day", ""),
    ("29 februari", D, "2020-02-29", d(2020, 2, 29), d(2020, 2, 29), "day", "publication", "date", "day", ""),
    # 30 Nov: 2021 for publication on 1-29 Nov, 2022 for 30 Nov -> spans two years, one decade
    ("30 november", P, "XXXX-11-30", d(2021, 11, 30), d(2022, 11, 30), "decade", "publication", "date", "day", ""),
    # --- present, open intervals ---
    ("op dit moment", D, "PRESENT_REF", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "present", "unknown", ""),
    ("momenteel", P, "PRESENT_REF", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "present", "unknown", ""),
    ("later", D, "FUTURE_REF", d(2022, 11, 24), MAX, "unknown", "publication", "future_ref", "unknown", "AFTER"),
    ("sinds 2014", P, "2014", d(2014, 1, 1), d(2022, 11, 30), "unknown", "publication", "since:year", "year", "ON_OR_AFTER"),
    ("sinds dinsdag", D, "2022-11-22", d(2022, 11, 22), d(2022, 11, 24), "week", "publication", "since:weekday", "day", "ON_OR_AFTER"),
    ("vanaf juni", D, "2022-06", d(2022, 6, 1), d(2022, 11, 24), "year", "publication", "since:month", "month", "ON_OR_AFTER"),
    ("destijds", P, "", MIN, d(2022, 11, 30), "unknown", "context", "context", "unknown", ""),
    # --- case and whitespace ---
    ("  In \u00a0 JUNI \n", P, "2022-06", d(2022, 6, 1), d(2022, 6, 30), "month", "publication", "month", "month", ""),
    ("DINSDAG", D, "2022-11-22", d(2022, 11, 22), d(2022, 11, 22), "day", "publication", "weekday", "day", ""),
]  # fmt: skip


TUESDAY = d(2022, 11, 22)


def _summary(got: TimeInterval) -> tuple[str, d, d, str]:
    return got.value, got.start, got.end, got.precision


@pytest.mark.parametrize(
    ("phrase", "published", "value", "start", "end", "precision", "basis", "rule", "unit", "mod"),
    CASES,
)
def test_resolve(phrase, published, value, start, end, precision, basis, rule, unit, mod):
    got = resolve(phrase, published)
    expected = TimeInterval(phrase, value, start, end, precision, basis, rule, unit, mod)
    assert got == expected
    assert fits(got.precision, got.start, got.end)


def test_weekday_with_date_narrows_a_month_precise_publication():
    # 22 Nov 2021 was a Monday: publication days 1-21 Nov (which would read 2021) are dropped
    got = resolve("dinsdag 22 november", P)
    assert _summary(got) == ("2022-11-22", TUESDAY, TUESDAY, "day")


def test_published_as_date_object():
    assert resolve("dinsdag", d(2022, 11, 24)) == resolve("dinsdag", D)
    assert resolve("dinsdag", datetime.datetime(2022, 11, 24, 9, 30)).start == d(2022, 11, 22)


# --- context: "toen", "op dat moment" ... copy the reference ---

IN_2014 = resolve("in 2014", P)
IN_JUNE = resolve("In juni", P)


@pytest.mark.parametrize(
    ("phrase", "reference", "value", "start", "end", "precision", "unit", "mod"),
    [
        ("toen", IN_2014, "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "year", ""),
        ("op dat moment", IN_JUNE, "2022-06", d(2022, 6, 1), d(2022, 6, 30), "month", "month", ""),
        ("destijds", IN_2014, "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "year", ""),
        ("in die tijd", IN_JUNE, "2022-06", d(2022, 6, 1), d(2022, 6, 30), "month", "month", ""),
        (
            "sindsdien",
            IN_2014,
            "2014",
            d(2014, 1, 1),
            d(2022, 11, 30),
            "unknown",
            "year",
            "ON_OR_AFTER",
        ),
        ("eerder", IN_2014, "PAST_REF", MIN, d(2014, 12, 31), "unknown", "unknown", "BEFORE"),
        ("daarna", IN_JUNE, "FUTURE_REF", d(2022, 6, 1), MAX, "unknown", "unknown", "AFTER"),
    ],
)
def test_context(phrase, reference, value, start, end, precision, unit, mod):
    got = resolve(phrase, P, reference=reference)
    assert _summary(got) == (value, start, end, precision)
    assert (got.basis, got.unit, got.mod) == ("context", unit, mod)


def test_context_with_a_day_precise_reference():
    tuesday = resolve("dinsdag", D)
    got = resolve("toen", D, reference=tuesday)
    assert _summary(got) == ("2022-11-22", TUESDAY, TUESDAY, "day")


def test_reference_is_ignored_by_rules_that_do_not_need_it():
    assert resolve("in oktober", P, reference=IN_2014) == resolve("in oktober", P)


# --- errors ---


@pytest.mark.parametrize(
    ("phrase", "published", "problem"),
    [
        ("de vergadering", P, "not a Dutch time expression"),
        ("", P, "empty phrase"),
        ("   ", P, "empty phrase"),
        ("nu eenmaal", P, "not a Dutch time expression"),
        ("in de praktijk", P, "not a Dutch time expression"),
        ("31 juni", P, "no such date"),
        ("29 februari 2022", P, "no such date"),
        ("woensdag 22 november", D, "is a dinsdag, not a woensdag"),
        ("dinsdag", "2022-13", "impossible publication date"),
        ("dinsdag", "november 2022", "publication date must be"),
    ],
)
def test_errors(phrase, published, problem):
    with pytest.raises(TimexError, match=problem) as info:
        resolve(phrase, published)
    assert isinstance(info.value, ValueError)
    assert info.value.phrase == phrase or info.value.phrase == published


def test_time_interval_rejects_inverted_interval():
    with pytest.raises(ValueError, match="after end"):
        TimeInterval("x", "", d(2022, 2, 2), d(2022, 2, 1), "unknown", "stated", "manual")


# --- fits / precision_of ---


@pytest.mark.parametrize(
    ("precision", "start", "end", "expected"),
    [
        ("day", d(2022, 11, 22), d(2022, 11, 22), True),
        ("day", d(2022, 11, 22), d(2022, 11, 23), False),
        ("week", d(2022, 11, 28), d(2022, 12, 4), True),  # 7 days across a month boundary
        ("week", d(2022, 11, 28), d(2022, 12, 5), False),
        ("month", d(2022, 11, 1), d(2022, 11, 30), True),
        ("month", d(2022, 10, 31), d(2022, 11, 1), False),
        ("season", d(2022, 9, 1), d(2022, 11, 30), True),
        ("season", d(2022, 12, 1), d(2023, 2, 28), True),  # winter crosses the year
        ("season", d(2022, 11, 30), d(2022, 12, 1), False),
        ("season", d(2022, 9, 22), d(2022, 12, 20), False),  # astronomical autumn
        ("year", d(2022, 1, 1), d(2022, 12, 31), True),
        ("year", d(2021, 12, 31), d(2022, 1, 1), False),
        ("decade", d(1990, 1, 1), d(1999, 12, 31), True),
        ("decade", d(1999, 12, 31), d(2000, 1, 1), False),
        ("unknown", MIN, MAX, True),
        ("day", d(2022, 11, 23), d(2022, 11, 22), False),  # inverted
        ("unknown", d(2022, 11, 23), d(2022, 11, 22), False),
    ],
)
def test_fits(precision, start, end, expected):
    assert fits(precision, start, end) is expected


def test_fits_rejects_unknown_precision_names():
    with pytest.raises(ValueError, match="unknown precision"):
        fits("fortnight", d(2022, 1, 1), d(2022, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (d(2022, 11, 22), d(2022, 11, 22), "day"),
        (d(2022, 11, 1), d(2022, 11, 29), "month"),
        (d(2022, 10, 25), d(2022, 11, 29), "season"),
        (d(2022, 10, 31), d(2022, 12, 4), "year"),
        (d(2014, 1, 1), d(2022, 11, 30), "unknown"),
    ],
)
def test_precision_of(start, end, expected):
    assert precision_of(start, end) == expected


@pytest.mark.parametrize(
    ("published", "start", "end"),
    [
        ("2022-11", d(2022, 11, 1), d(2022, 11, 30)),
        ("2022-11-24", d(2022, 11, 24), d(2022, 11, 24)),
        ("2022", d(2022, 1, 1), d(2022, 12, 31)),
        ("2024-02", d(2024, 2, 1), d(2024, 2, 29)),
        (d(2022, 11, 24), d(2022, 11, 24), d(2022, 11, 24)),
    ],
)
def test_publication_interval(published, start, end):
    assert publication_interval(published) == (start, end)


# --- finding expressions in the article ---

# Read by hand, in order. Not here: "nu eenmaal" (= "simply"), "Sovjet-tijden" (a named era),
# "voor de inval" and "aan het eind van de vergadering" (anchored to events), the date line.
ARTICLE_EXPRESSIONS = [
    "dit najaar",  # ... dit najaar niet ingegrepen,
    "toen",  # toen Azerbeidzjan Armenië aanviel
    "dinsdag",  # (caption) Terwijl Poetin dinsdag in ... Jerevan vergaderde
    "In september",
    "toen",  # toen 'bondgenoten' Kirgizië en Tadzjikistan ...
    "in oktober",  # Tijdens een bezoek van president Poetin in oktober
    "In juni",
    "op dat moment",
    "Toen",  # Toen Poetin in 2014 ...
    "in 2014",
    "eerder",  # een scenario dat zich eerder in Georgië had voltrokken,
    "nu",  # en nu in Oekraïne
    "in januari",
    "deze week",
]


def test_find_time_expressions_in_the_article():
    raw = ARTICLE.read_text(encoding="utf-8")
    found = find_time_expressions(raw)
    assert [text for _, _, text in found] == ARTICLE_EXPRESSIONS
    assert all(raw[start:end] == text for start, end, text in found)
    assert [start for start, _, _ in found] == sorted({start for start, _, _ in found})
    now = next(start for start, _, text in found if text == "nu")
    assert raw[now:].startswith("nu in Oekraïne")
    assert "nu eenmaal" in raw  # the non-temporal "nu" is there, and skipped


def test_every_expression_in_the_article_resolves():
    raw = ARTICLE.read_text(encoding="utf-8")
    for _, _, text in find_time_expressions(raw):
        got = resolve(text, P)
        assert got.basis in BASES and fits(got.precision, got.start, got.end)


@pytest.mark.parametrize(
    "text",
    [
        "Dat is nu eenmaal zo.",
        "De Morgen meldde het.",
        "Er stonden 2000 soldaten.",
        "date 2022-11 Met zijn oorlog",
        "aan het eind van de vergadering",
        "Jan kwam per week langs.",
    ],
)
def test_find_skips_non_temporal_text(text):
    assert find_time_expressions(text) == []


def test_find_takes_leftmost_longest():
    text = "Vorige week dinsdag, sinds 2014 en in de jaren negentig; eind februari 2024 of 17 juni."
    assert [t for _, _, t in find_time_expressions(text)] == [
        "Vorige week dinsdag",
        "sinds 2014",
        "in de jaren negentig",
        "eind februari 2024",
        "17 juni",
    ]


FINDABLE = sorted({c[0].strip() for c in CASES if c[0].strip() != "2014"} - {"In \u00a0 JUNI"})


def test_find_round_trip():
    text = " en de kat, ".join(FINDABLE)
    assert [t for _, _, t in find_time_expressions(text)] == FINDABLE


# --- properties ---

days = st.dates(min_value=d(2000, 1, 1), max_value=d(2030, 12, 31))
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


@given(day=days, weekday=st.sampled_from(range(7)), upper=st.booleans())
def test_weekday_is_that_weekday_within_the_week_before_publication(day, weekday, upper):
    name = WEEKDAYS[weekday].upper() if upper else WEEKDAYS[weekday]
    got = resolve(name, day.isoformat())
    assert got.start == got.end and got.precision == "day"
    assert got.start.weekday() == weekday
    assert 0 <= (day - got.start).days <= 6
    assert got.value == got.start.isoformat()


# weekday + date may be impossible for some publication dates (tested above)
PHRASES = sorted({c[0] for c in CASES if c[0] != "dinsdag 22 november"})


def publications():
    return st.one_of(
        days,
        days.map(lambda x: x.isoformat()),
        days.map(lambda x: x.isoformat()[:7]),
        days.map(lambda x: x.isoformat()[:4]),
    )


@settings(max_examples=300, deadline=None)
@given(phrase=st.sampled_from(PHRASES), published=publications())
def test_outputs_are_honest(phrase, published):
    got = resolve(phrase, published)
    assert got.start <= got.end
    assert got.precision in PRECISIONS and got.basis in BASES
    assert fits(got.precision, got.start, got.end)
    finer = PRECISIONS[: PRECISIONS.index(got.precision)]
    assert not any(fits(p, got.start, got.end) for p in finer)  # the finest that fits


@settings(max_examples=60, deadline=None)
@given(phrase=st.sampled_from(PHRASES), day=days)
def test_month_precise_interval_spans_every_day_precise_reading(phrase, day):
    month = day.isoformat()[:7]
    first, last = publication_interval(month)
    readings = [resolve(phrase, first + datetime.timedelta(days=i)) for i in range(last.day)]
    got = resolve(phrase, month)
    assert got.start == min(r.start for r in readings)
    assert got.end == max(r.end for r in readings)
    if len({r.value for r in readings}) == 1:
        assert got.value == readings[0].value


# --- issue 10 row 6: decomposed Unicode and invisible characters ---


def test_row06_time_phrases_in_nfd_text_are_found_and_resolved():
    """Issue 10 row 6: the article's phrases and accented ones ("één", "’90") are found in
    NFD text as in NFC, with offsets and phrases of the NFD text, and resolve the same."""
    raw = ARTICLE.read_text(encoding="utf-8") + "\n\nDat was één week geleden, in de jaren ’90."
    nfd = unicodedata.normalize("NFD", raw)
    found, found_nfd = find_time_expressions(raw), find_time_expressions(nfd)
    assert [t for *_, t in found_nfd] == [unicodedata.normalize("NFD", t) for *_, t in found]
    assert all(nfd[start:end] == text for start, end, text in found_nfd)
    assert [t for *_, t in found][-2:] == ["één week geleden", "in de jaren ’90"]
    for (*_, text), (*_, text_nfd) in zip(found, found_nfd, strict=True):
        assert resolve(text_nfd, P) == dataclasses.replace(resolve(text, P), phrase=text_nfd)


def test_row06_invisible_characters_inside_a_time_phrase():
    text = "Het gebeurde in no\u00advember\u200e, niet eerder."
    month, before = text.index("in no"), text.index("eerder")
    assert find_time_expressions(text) == [
        (month, month + 12, "in no\u00advember"),  # not the mark after it
        (before, before + 6, "eerder"),
    ]
    assert resolve("in no\u00advember", P).value == "2022-11"


# --- issue 12 item 2: the categories Dutch news uses -------------------------------------------

# Anchors ("the previous resolved time in the text"): Sunday 20 Nov 2022 (one day), June 2022
# (one month), a Tuesday of Nov 2022 read against the month (1-29 Nov), the year 2014.
SUNDAY = resolve("zondag", D)
REFS = {"sun": SUNDAY, "june": IN_JUNE, "tue_p": resolve("dinsdag", P), "2014": IN_2014}
PAST = True  # the caller's word that the dated event lies on or before publication

# phrase, published, reference, past, value, start, end, precision, basis, rule, unit, mod
NEW_CASES = [
    # --- forward offsets: "over N" mirrors "N geleden"; "binnen N" runs to the longest such span;
    #     "na N" / "N later" move the reference by N units of 28-31 (month) or 365-366 (year) days ---
    ("over drie dagen", D, None, False, "2022-11-27", d(2022, 11, 27), d(2022, 11, 27), "day", "publication", "ahead", "day", ""),
    ("over drie dagen", P, None, False, "2022-XX-XX", d(2022, 11, 4), d(2022, 12, 3), "year", "publication", "ahead", "day", ""),
    ("over 10 dagen", D, None, False, "2022-12-04", d(2022, 12, 4), d(2022, 12, 4), "day", "publication", "ahead", "day", ""),
    ("over een week", D, None, False, "2022-W48", d(2022, 11, 28), d(2022, 12, 4), "week", "publication", "ahead", "week", ""),
    ("over twee weken", D, None, False, "2022-W49", d(2022, 12, 5), d(2022, 12, 11), "week", "publication", "ahead", "week", ""),
    ("over twee weken", P, None, False, "2022-WXX", d(2022, 11, 14), d(2022, 12, 18), "year", "publication", "ahead", "week", ""),
    ("over een maand", D, None, False, "2022-12", d(2022, 12, 1), d(2022, 12, 31), "month", "publication", "ahead", "month", ""),
    ("over een maand", P, None, False, "2022-12", d(2022, 12, 1), d(2022, 12, 31), "month", "publication", "ahead", "month", ""),
    ("over een jaar", P, None, False, "2023", d(2023, 1, 1), d(2023, 12, 31), "year", "publication", "ahead", "year", ""),
    ("binnen een week", D, None, False, "P1W", d(2022, 11, 24), d(2022, 12, 1), "year", "publication", "within", "week", "EQUAL_OR_LESS"),
    ("binnen drie dagen", D, None, False, "P3D", d(2022, 11, 24), d(2022, 11, 27), "week", "publication", "within", "day", "EQUAL_OR_LESS"),
    ("binnen twee maanden", P, "june", False, "P2M", d(2022, 6, 1), d(2022, 8, 31), "season", "context", "within", "month", "EQUAL_OR_LESS"),
    ("binnen een week", D, None, PAST, "", MIN, d(2022, 11, 24), "unknown", "context", "within", "unknown", ""),
    ("na een maand", P, "june", False, "P1M", d(2022, 6, 29), d(2022, 7, 31), "season", "context", "shifted", "month", "AFTER"),
    ("na drie dagen", D, "sun", False, "P3D", d(2022, 11, 23), d(2022, 11, 23), "day", "context", "shifted", "day", "AFTER"),
    ("na een maand", D, None, False, "", MIN, MAX, "unknown", "context", "shifted", "unknown", ""),
    ("volgende week", P, None, False, "2022-WXX", d(2022, 11, 7), d(2022, 12, 11), "year", "publication", "week_relative", "week", ""),
    # --- nights across two days ---
    ("in de nacht van zaterdag op zondag", D, None, False, "2022-11-19TNI", d(2022, 11, 19), d(2022, 11, 20), "week", "publication", "night_between", "day", ""),
    ("in de nacht van zaterdag op zondag", P, None, False, "2022-XX-XXTNI", d(2022, 10, 29), d(2022, 11, 27), "season", "publication", "night_between", "day", ""),
    ("de nacht van vrijdag op zaterdag", "2022-11-19", None, False, "2022-11-18TNI", d(2022, 11, 18), d(2022, 11, 19), "week", "publication", "night_between", "day", ""),
    ("in de nacht van zaterdag op zondag", "2022-11-19", None, PAST, "2022-11-19TNI", d(2022, 11, 19), d(2022, 11, 19), "day", "publication", "night_between", "day", ""),
    ("in de nacht van 23 op 24 februari", P, None, False, "2022-02-23TNI", d(2022, 2, 23), d(2022, 2, 24), "week", "publication", "night_between", "day", ""),
    ("in de nacht van 31 december op 1 januari 2022", P, None, False, "2021-12-31TNI", d(2021, 12, 31), d(2022, 1, 1), "week", "stated", "night_between", "day", ""),
    ("vannacht", P, None, False, "2022-XX-XXTNI", d(2022, 10, 31), d(2022, 11, 30), "season", "publication", "daypart_relative", "day", ""),
    ("vannacht", D, None, PAST, "2022-11-23TNI", d(2022, 11, 23), d(2022, 11, 24), "week", "publication", "daypart_relative", "day", ""),
    ("afgelopen nacht", D, None, False, "2022-11-23TNI", d(2022, 11, 23), d(2022, 11, 24), "week", "publication", "night_relative", "day", ""),
    ("de afgelopen nacht", P, None, False, "2022-XX-XXTNI", d(2022, 10, 31), d(2022, 11, 30), "season", "publication", "night_relative", "day", ""),
    ("komende nacht", D, None, False, "2022-11-24TNI", d(2022, 11, 24), d(2022, 11, 25), "week", "publication", "night_relative", "day", ""),
    # --- clock times and dayparts: the day at that time (precision day at best) ---
    ("om 06.00 uur", D, "sun", False, "2022-11-20T06:00", d(2022, 11, 20), d(2022, 11, 20), "day", "context", "clock", "day", ""),
    ("om 14.30 uur", D, "sun", False, "2022-11-20T14:30", d(2022, 11, 20), d(2022, 11, 20), "day", "context", "clock", "day", ""),
    ("om 14.30 uur", D, None, False, "", MIN, MAX, "unknown", "context", "clock", "unknown", ""),
    ("om 06.00 uur", P, "tue_p", False, "2022-11-XXT06:00", d(2022, 11, 1), d(2022, 11, 29), "month", "context", "clock", "day", ""),
    ("om 8 uur 's avonds", D, "sun", False, "2022-11-20T20:00", d(2022, 11, 20), d(2022, 11, 20), "day", "context", "clock", "day", ""),
    ("zondag om 06.00 uur", D, None, False, "2022-11-20T06:00", d(2022, 11, 20), d(2022, 11, 20), "day", "publication", "weekday+clock", "day", ""),
    ("zondag om 06.00 uur", P, None, False, "2022-XX-XXT06:00", d(2022, 10, 30), d(2022, 11, 27), "season", "publication", "weekday+clock", "day", ""),
    ("op 24 februari om 05.00 uur", P, None, False, "2022-02-24T05:00", d(2022, 2, 24), d(2022, 2, 24), "day", "publication", "date+clock", "day", ""),
    ("zondagnacht om 03.00 uur", D, None, False, "2022-11-21T03:00", d(2022, 11, 20), d(2022, 11, 21), "week", "publication", "weekday+clock", "day", ""),
    ("zondag om middernacht", D, None, False, "2022-11-20T00:00", d(2022, 11, 20), d(2022, 11, 21), "week", "publication", "weekday+clock", "day", ""),
    ("sinds middernacht", D, None, False, "2022-11-24T00:00", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "since:clock", "day", "ON_OR_AFTER"),
    ("sinds middernacht", P, None, False, "2022-11-XXT00:00", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "since:clock", "day", "ON_OR_AFTER"),
    ("zondagavond laat", D, None, False, "2022-11-20TEV", d(2022, 11, 20), d(2022, 11, 20), "day", "publication", "weekday", "day", "END"),
    ("zaterdagochtend", D, None, False, "2022-11-19TMO", d(2022, 11, 19), d(2022, 11, 19), "day", "publication", "weekday", "day", ""),
    ("zaterdagmorgen vroeg", D, None, False, "2022-11-19TMO", d(2022, 11, 19), d(2022, 11, 19), "day", "publication", "weekday", "day", "START"),
    ("'s ochtends", D, "sun", False, "2022-11-20TMO", d(2022, 11, 20), d(2022, 11, 20), "day", "context", "daypart_context", "day", ""),
    ("’s nachts", D, "sun", False, "2022-11-20TNI", d(2022, 11, 20), d(2022, 11, 21), "week", "context", "daypart_context", "day", ""),
    ("'s avonds laat", D, "sun", False, "2022-11-20TEV", d(2022, 11, 20), d(2022, 11, 20), "day", "context", "daypart_context", "day", "END"),
    ("'s ochtends", D, None, False, "", MIN, MAX, "unknown", "context", "daypart_context", "unknown", ""),
    ("vanmiddag", D, None, False, "2022-11-24TAF", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "daypart_relative", "day", ""),
    ("vanavond laat", D, None, False, "2022-11-24TEV", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "daypart_relative", "day", "END"),
    ("gisteravond laat", D, None, False, "2022-11-23TEV", d(2022, 11, 23), d(2022, 11, 23), "day", "publication", "daypart_relative", "day", "END"),
    # --- earlier/later this week/month/year, and parts of next month ---
    ("eerder deze maand", D, None, False, "2022-11", d(2022, 11, 1), d(2022, 11, 24), "month", "publication", "earlier_later_this", "month", ""),
    ("eerder deze maand", P, None, False, "2022-11", d(2022, 11, 1), d(2022, 11, 30), "month", "publication", "earlier_later_this", "month", ""),
    ("eerder deze week", D, None, False, "2022-W47", d(2022, 11, 21), d(2022, 11, 24), "week", "publication", "earlier_later_this", "week", ""),
    ("later deze week", D, None, False, "2022-W47", d(2022, 11, 24), d(2022, 11, 27), "week", "publication", "earlier_later_this", "week", ""),
    ("later deze week", D, None, PAST, "2022-W47", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "earlier_later_this", "week", ""),
    ("later deze maand", D, None, False, "2022-11", d(2022, 11, 24), d(2022, 11, 30), "week", "publication", "earlier_later_this", "month", ""),
    ("eerder dit jaar", P, None, False, "2022", d(2022, 1, 1), d(2022, 11, 30), "year", "publication", "earlier_later_this", "year", ""),
    ("eerder vandaag", D, None, False, "2022-11-24", d(2022, 11, 24), d(2022, 11, 24), "day", "publication", "earlier_later_this", "day", ""),
    ("begin volgende maand", D, None, False, "2022-12", d(2022, 12, 1), d(2022, 12, 10), "month", "publication", "part_of_month", "month", "START"),
    ("begin volgende maand", P, None, False, "2022-12", d(2022, 12, 1), d(2022, 12, 10), "month", "publication", "part_of_month", "month", "START"),
    ("eind van de maand", D, None, False, "2022-11", d(2022, 11, 21), d(2022, 11, 30), "month", "publication", "part_of_month", "month", "END"),
    ("aan het eind van de maand", P, "june", False, "2022-06", d(2022, 6, 21), d(2022, 6, 30), "month", "context", "part_of_month", "month", "END"),
    # --- the turn of the year, and parts of "het jaar" ---
    ("rond de jaarwisseling", P, None, False, "2021-12-31TNI", d(2021, 12, 21), d(2022, 1, 10), "season", "publication", "turn_of_year", "day", "APPROX"),
    ("rond de jaarwisseling", "2023-01-05", None, False, "2022-12-31TNI", d(2022, 12, 21), d(2023, 1, 10), "season", "publication", "turn_of_year", "day", "APPROX"),
    ("rond de jaarwisseling", "2022-12", None, False, "XXXX-12-31TNI", d(2021, 12, 21), d(2023, 1, 10), "decade", "publication", "turn_of_year", "day", "APPROX"),
    ("tijdens de jaarwisseling", P, None, False, "2021-12-31TNI", d(2021, 12, 31), d(2022, 1, 1), "week", "publication", "turn_of_year", "day", ""),
    ("komende jaarwisseling", P, None, False, "2022-12-31TNI", d(2022, 12, 31), d(2023, 1, 1), "week", "publication", "turn_of_year", "day", ""),
    ("oud en nieuw", "2023-01-01", None, False, "2022-12-31TNI", d(2022, 12, 31), d(2023, 1, 1), "week", "publication", "turn_of_year", "day", ""),
    ("nieuwjaarsdag", P, None, False, "2022-01-01", d(2022, 1, 1), d(2022, 1, 1), "day", "publication", "turn_of_year", "day", ""),
    ("oudejaarsavond", P, None, False, "2021-12-31TEV", d(2021, 12, 31), d(2021, 12, 31), "day", "publication", "turn_of_year", "day", ""),
    ("aan het begin van het jaar", P, None, False, "2022", d(2022, 1, 1), d(2022, 4, 30), "year", "publication", "part_of_year", "year", "START"),
    ("aan het begin van het jaar", P, "2014", False, "2014", d(2014, 1, 1), d(2014, 4, 30), "year", "context", "part_of_year", "year", "START"),
    ("eind vorig jaar", P, None, False, "2021", d(2021, 9, 1), d(2021, 12, 31), "year", "publication", "part_of_year", "year", "END"),
    ("halverwege het jaar", P, None, False, "2022", d(2022, 5, 1), d(2022, 8, 31), "year", "publication", "part_of_year", "year", "MID"),
    ("begin van 2014", P, None, False, "2014", d(2014, 1, 1), d(2014, 4, 30), "year", "stated", "part_of_year", "year", "START"),
    # --- sequence words, from the reference; never after publication when past=True ---
    ("nadien", D, "sun", False, "FUTURE_REF", d(2022, 11, 20), MAX, "unknown", "context", "future_ref", "unknown", "AFTER"),
    ("daarna", D, "sun", PAST, "FUTURE_REF", d(2022, 11, 20), d(2022, 11, 24), "week", "context", "future_ref", "unknown", "AFTER"),
    ("vervolgens", P, "june", PAST, "FUTURE_REF", d(2022, 6, 1), d(2022, 11, 30), "year", "context", "future_ref", "unknown", "AFTER"),
    ("kort daarna", D, "sun", False, "FUTURE_REF", d(2022, 11, 20), MAX, "unknown", "context", "future_ref", "unknown", "AFTER"),
    ("vervolgens", D, None, PAST, "", MIN, d(2022, 11, 24), "unknown", "context", "future_ref", "unknown", ""),
    ("daarna", D, None, False, "", MIN, MAX, "unknown", "context", "future_ref", "unknown", ""),
    ("later", D, None, PAST, "", MIN, d(2022, 11, 24), "unknown", "context", "future_ref", "unknown", ""),
    ("later", P, "june", PAST, "FUTURE_REF", d(2022, 6, 1), d(2022, 11, 30), "year", "context", "future_ref", "unknown", "AFTER"),
    ("eerder", D, "sun", PAST, "PAST_REF", MIN, d(2022, 11, 20), "unknown", "context", "past_ref", "unknown", "BEFORE"),
    ("daarvoor", D, "sun", False, "PAST_REF", MIN, d(2022, 11, 20), "unknown", "context", "past_ref", "unknown", "BEFORE"),
    ("toen", D, "sun", PAST, "2022-11-20", d(2022, 11, 20), d(2022, 11, 20), "day", "context", "context", "day", ""),
    ("drie dagen later", D, "sun", False, "P3D", d(2022, 11, 23), d(2022, 11, 23), "day", "context", "shifted", "day", "AFTER"),
    ("een week later", P, "june", False, "P1W", d(2022, 6, 8), d(2022, 7, 7), "season", "context", "shifted", "week", "AFTER"),
    ("twee weken eerder", D, "sun", False, "P2W", d(2022, 11, 6), d(2022, 11, 6), "day", "context", "shifted", "week", "BEFORE"),
    ("een jaar eerder", P, "2014", False, "P1Y", d(2012, 12, 31), d(2013, 12, 31), "decade", "context", "shifted", "year", "BEFORE"),
]  # fmt: skip


@pytest.mark.parametrize(
    (
        "phrase",
        "published",
        "ref",
        "past",
        "value",
        "start",
        "end",
        "precision",
        "basis",
        "rule",
        "unit",
        "mod",
    ),
    NEW_CASES,
)
def test_resolve_news_categories(
    phrase, published, ref, past, value, start, end, precision, basis, rule, unit, mod
):
    """Issue 12 item 2: each phrase with its interval, worked out by hand."""
    got = resolve(phrase, published, REFS.get(ref), past=past)
    expected = TimeInterval(phrase, value, start, end, precision, basis, rule, unit, mod)
    assert got == expected
    assert fits(got.precision, got.start, got.end)


@pytest.mark.parametrize(
    ("phrase", "published", "ref", "past", "problem"),
    [
        ("volgende week", D, None, PAST, "only days after publication"),
        ("over drie dagen", D, None, PAST, "only days after publication"),
        ("morgen", P, None, PAST, "only days after publication"),
        ("drie dagen later", "2022-11-21", "sun", PAST, "only days after publication"),
        ("in de nacht van zaterdag op maandag", D, None, False, "maandag does not follow zaterdag"),
        ("de nacht van 23 op 25 februari", P, None, False, "do not follow each other"),
        ("de nacht van 28 op 1 maart", P, None, False, "do not follow each other"),  # 28 or 29 Feb?
        ("om 25.00 uur", D, "sun", False, "no such clock time"),
        ("om 14.75 uur", D, "sun", False, "no such clock time"),
        ("om 15 uur 's ochtends", D, "sun", False, "no such clock time"),
        ("in juni om 6 uur", P, None, False, "a clock time needs a day, not a month"),
        ("binnen enkele dagen", D, None, False, "not a Dutch time expression"),  # how many?
        ("over een paar weken", D, None, False, "not a Dutch time expression"),
    ],
)
def test_refused_news_phrases(phrase, published, ref, past, problem):
    """Refused rather than given an interval narrower than the text allows."""
    with pytest.raises(TimexError, match=problem):
        resolve(phrase, published, REFS.get(ref), past=past)


NEWS_SENTENCES = [
    (
        "Rusland viel in de nacht van zaterdag op zondag aan. Om 06.00 uur sloegen de eerste "
        "raketten in; zondagavond laat volgde een tweede golf.",
        ["in de nacht van zaterdag op zondag", "Om 06.00 uur", "zondagavond laat"],
    ),
    (
        "De top begint over drie dagen en het akkoord moet binnen een week rond zijn; eerder "
        "deze maand zei Poetin dat, en rond de jaarwisseling volgt een besluit.",
        ["over drie dagen", "binnen een week", "eerder deze maand", "rond de jaarwisseling"],
    ),
    (
        "Sinds middernacht geldt een bestand. Drie dagen later, op zondag om 14.30 uur, werd "
        "het geschonden; nadien bleef het onrustig.",
        ["Sinds middernacht", "Drie dagen later", "op zondag om 14.30 uur", "nadien"],
    ),
    (
        "Aan het begin van het jaar was het rustig, eind vorig jaar niet; ’s nachts en "
        "vanmiddag evenmin. Vervolgens kwam de Navo bijeen.",
        ["Aan het begin van het jaar", "eind vorig jaar", "’s nachts", "vanmiddag", "Vervolgens"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NEWS_SENTENCES)
def test_find_news_phrases_in_running_text(text, expected):
    found = find_time_expressions(text)
    assert [t for *_, t in found] == expected
    assert all(text[start:end] == t for start, end, t in found)
    past = "begint" not in text  # the second sentence is in the present/future tense
    for *_, t in found:  # each resolves, given an anchor for the phrases that need one
        got = resolve(t, D, SUNDAY, past=past)
        assert got.start <= got.end and (got.end <= d(2022, 11, 24) or not past)


@pytest.mark.parametrize(
    "text",
    ["Hij sprak over drie dagen van gevechten.", "Het ging ervoor zorgen.", "Daarop wees hij."],
)
def test_find_news_phrases_known_limits(text):
    """ "over drie dagen" is found even where it means "about three days" (the coder decides);
    bare "ervoor" and "daarop" are not taken as time words (mostly they are not)."""
    found = [t for *_, t in find_time_expressions(text)]
    assert found == (["over drie dagen"] if "over" in text else [])


NEW_FINDABLE = sorted({c[0] for c in NEW_CASES})


def test_find_round_trip_news_categories():
    text = " en de kat, ".join(NEW_FINDABLE)
    assert [t for _, _, t in find_time_expressions(text)] == NEW_FINDABLE


# --- properties of the new categories ---

# (phrase, reference name, past) as in NEW_CASES; a few refused ones on some days are fine
NEW_READINGS = sorted({(c[0], c[2] or "", c[3]) for c in NEW_CASES})
ANCHORS = st.dates(min_value=d(2000, 1, 1), max_value=d(2030, 12, 31)).map(
    lambda day: resolve("vandaag", day)
)


def _resolve_or_none(phrase, published, reference=None, past=False):
    try:
        return resolve(phrase, published, reference, past=past)
    except TimexError as err:
        assert "after publication" in err.problem or "does not follow" in err.problem
        return None


@settings(max_examples=300, deadline=None)
@given(
    phrase=st.sampled_from(sorted(set(PHRASES) | {p for p, *_ in NEW_READINGS})),
    published=publications(),
    anchor=ANCHORS,
)
def test_past_never_ends_after_publication(phrase, published, anchor):
    """past=True: every interval ends on or before the last possible publication day (or the
    phrase is refused as wholly after it); and it is honest: start <= end, finest precision."""
    got = _resolve_or_none(phrase, published, anchor, past=True)
    if got is not None:
        assert got.start <= got.end <= publication_interval(published)[1]
        assert fits(got.precision, got.start, got.end)
        assert got.precision == precision_of(got.start, got.end)


@settings(max_examples=60, deadline=None)
@given(reading=st.sampled_from(NEW_READINGS), day=days)
def test_month_precise_interval_spans_every_day_of_the_month(reading, day):
    """Read against "YYYY-MM", a phrase's interval is exactly the hull of its readings against
    each day of that month (days on which it is impossible dropped)."""
    phrase, ref, past = reading
    month = day.isoformat()[:7]
    first, last = publication_interval(month)
    each = [
        _resolve_or_none(phrase, first + datetime.timedelta(days=i), REFS.get(ref), past)
        for i in range(last.day)
    ]
    each = [r for r in each if r is not None]
    got = _resolve_or_none(phrase, month, REFS.get(ref), past)
    if not each:
        assert got is None
        return
    assert (got.start, got.end) == (min(r.start for r in each), max(r.end for r in each))


@given(day=days, n=st.integers(1, 400), unit=st.sampled_from(["dagen", "weken", "maanden", "jaar"]))
def test_over_mirrors_geleden(day, n, unit):
    """ "over N" is "N geleden" the other way: the same kind of unit, N units after."""
    ahead, ago = resolve(f"over {n} {unit}", day), resolve(f"{n} {unit} geleden", day)
    assert ahead.unit == ago.unit and ahead.precision == ago.precision
    if unit == "dagen":
        assert (ahead.start - day).days == (day - ago.start).days == n
    elif unit == "weken":
        assert (ahead.start - ago.start).days == 14 * n
    elif unit == "maanden":
        months = (ahead.start.year - ago.start.year) * 12 + ahead.start.month - ago.start.month
        assert months == 2 * n
    else:
        assert ahead.start.year - day.year == day.year - ago.start.year == n


@given(anchor=days, gap=st.integers(0, 400), n=st.integers(1, 30))
def test_sequence_words_follow_the_anchor_and_stop_at_publication(anchor, gap, n):
    """With an anchor on or before publication and past=True: "daarna"/"nadien" run from the
    anchor to publication, "daarvoor" up to the anchor, "toen" is the anchor, and "N dagen later"
    is N days on (refused when that is after publication)."""
    published = anchor + datetime.timedelta(days=gap)
    ref = resolve("vandaag", anchor)
    for word in ("daarna", "nadien", "vervolgens", "later"):
        got = resolve(word, published, ref, past=True)
        assert (got.start, got.end) == (anchor, published)
    assert resolve("daarvoor", published, ref, past=True).end == anchor
    assert (
        resolve("toen", published, ref, past=True).start,
        resolve("toen", published, ref).end,
    ) == (anchor, anchor)
    later = _resolve_or_none(f"{n} dagen later", published, ref, past=True)
    if n > gap:
        assert later is None
    else:
        assert later.start == later.end == anchor + datetime.timedelta(days=n)


@given(day=days, weekday=st.sampled_from(range(7)))
def test_night_between_two_weekdays(day, weekday):
    first, second = WEEKDAYS[weekday], WEEKDAYS[(weekday + 1) % 7]
    got = resolve(f"in de nacht van {first} op {second}", day)
    assert got.start.weekday() == weekday and got.end == got.start + datetime.timedelta(days=1)
    assert 0 <= (day - got.start).days <= 6


# --- the finder's scan: each rule only where it can begin, the same phrases as trying all -------


def _every_rule_everywhere(text: str) -> list[tuple[int, int, str]]:
    """The finder as it was before helpers.regex_prefix: every rule's own finditer, in turn."""
    view = text_view(text)
    candidates = sorted(
        (
            (m.start(), m.end())
            for rule in RULES
            for m in _finder(rule).finditer(view.text)
            if m.group()
        ),
        key=lambda c: (c[0], -c[1]),
    )
    chosen, last_end = [], -1
    for start, end in candidates:
        if start >= last_end:
            last_end = end
            start, end = view.raw_span(start, end)
            chosen.append((start, end, text[start:end]))
    return chosen


RULE_WORDS = sorted({w for rule in RULES for w in re.findall(r"[^\W\d_]{2,}", rule.pattern)})
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\u00a0", ".", ",", "-", "'s ", "’s ", ": "]
ODD = [
    "\u212a",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u200d",
    "\u0301",
    "e\u0301",
    "1",
    "24",
    "2022",
    "06.00",
    "14:30",
    "1.5",
    "'90",
]
TOKENS = st.one_of(st.sampled_from(RULE_WORDS), st.sampled_from(ODD))
PHRASES = st.lists(st.tuples(TOKENS, st.sampled_from(SEPARATORS)), min_size=1, max_size=4).map(
    lambda pairs: "".join(token + separator for token, separator in pairs)
)
RULE_TEXTS = st.lists(
    st.one_of(
        PHRASES,
        st.sampled_from(RULE_WORDS).map(str.lower),
        st.sampled_from(RULE_WORDS).map(str.upper),
        st.sampled_from(RULE_WORDS).map(str.title),
        st.sampled_from(SEPARATORS),
        st.sampled_from(ODD),
        st.text(max_size=2),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(RULE_TEXTS)
def test_find_equals_every_rule_tried_everywhere(text):
    assert find_time_expressions(text) == _every_rule_everywhere(text)


def test_find_equals_every_rule_tried_everywhere_on_the_article_and_the_invented_corpus():
    texts = [ARTICLE.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(INVENTED_CORPUS.glob("*.txt"))]
    texts.append(unicodedata.normalize("NFD", texts[0]))
    for text in texts:
        assert find_time_expressions(text) == _every_rule_everywhere(text)


def test_resolve_remembers_results_and_not_errors():
    from helpers import timex

    timex._resolve.cache_clear()
    first, again = resolve("vorige week", P), resolve("vorige week", P)
    assert first is again
    assert first == timex._resolve.__wrapped__("vorige week", P, None, False)  # as computed
    assert resolve("vorige week", P, past=True) is not first  # another tense: another entry
    with pytest.raises(TimexError):
        resolve("geen tijd", P)
    assert timex._resolve.cache_info().currsize == 2  # the two readings, not the error


@pytest.mark.parametrize(
    "text",
    [
        "Op 17 juni 2022 viel Rusland aan; sinds dinsdag is het stil.",
        "Op 17 juni 2022 viel Rusland\u00ad aan; sinds dinsdag is het stil.",
        unicodedata.normalize("NFD", "Sinds februari één week later, in de zomer van 2021."),
    ],
)
def test_find_time_expressions_takes_the_text_or_its_view(text):
    found = find_time_expressions(text)
    assert found and find_time_expressions(text_view(text)) == found


# --- resolving once per run of publication days that the rule reads alike ---


def _per_day(phrase, published, reference, past):
    """The readings of every possible publication day, one day at a time (the old _resolve loop,
    kept as the reference): days on which the phrase is impossible dropped, the last day's error
    raised if none is left."""
    from helpers import timex

    parse = timex._parse(timex._normalise(phrase))
    first, last = publication_interval(published)
    readings, error = [], None
    for offset in range((last - first).days + 1):
        day = first + datetime.timedelta(days=offset)
        ctx = timex._Ctx(day, reference, phrase, past)
        try:
            reading = timex._rule_reading(parse, ctx)
            readings.append(timex._on_day(parse, reading, day, phrase, past))
        except TimexError as err:
            error = err
    if not readings:
        raise error
    return readings


def _hull(readings):
    """What _resolve keeps of the readings: the masked value, the hull, the first's labels."""
    from helpers import timex

    first = readings[0]
    return (
        timex._mask([r.value for r in readings]),
        min(r.start for r in readings),
        max(r.end for r in readings),
        first.basis,
        first.unit,
        first.mod,
    )


def _outcome(read, phrase, published, reference, past):
    try:
        return _hull(read(phrase, published, reference, past))
    except TimexError as err:
        return ("error", err.phrase, err.problem)


def _by_runs(phrase, published, reference, past):
    from helpers import timex

    parse = timex._parse(timex._normalise(phrase))
    first, last = publication_interval(published)
    return timex._readings(parse, first, last, reference, phrase, past)


EVERY_PHRASE = sorted(
    {c[0] for c in CASES}
    | {c[0] for c in NEW_CASES}
    | {
        t
        for path in [ARTICLE, *sorted(INVENTED_CORPUS.glob("*.txt"))]
        for _, _, t in find_time_expressions(path.read_text(encoding="utf-8"))
    }
)


def test_every_phrase_pool_covers_every_rule():
    from helpers import timex

    fired = {timex._parse(timex._normalise(p)).rule.name for p in EVERY_PHRASE}
    assert fired == {rule.name for rule in RULES}


@settings(max_examples=600, deadline=None)
@given(
    phrase=st.sampled_from(EVERY_PHRASE),
    published=publications(),
    reference=st.one_of(st.none(), st.sampled_from(sorted(REFS.values(), key=repr)), ANCHORS),
    past=st.booleans(),
)
def test_reading_runs_of_days_equals_reading_every_day(phrase, published, reference, past):
    """_resolve reads a rule once per run of days it reads alike (a month for "juni", a week for
    "vorige week", every day for "dinsdag"); the result (or the error) is the one of reading
    every possible publication day."""
    expected = _outcome(_per_day, phrase, published, reference, past)
    assert _outcome(_by_runs, phrase, published, reference, past) == expected


@pytest.mark.parametrize("published", ["2022-11", "2024-02", "2024", "2022-11-24"])
@pytest.mark.parametrize("past", [False, True])
def test_reading_runs_of_days_equals_reading_every_day_for_every_phrase(published, past):
    references = [None] if len(published) == 4 else [None, *REFS.values()]  # a year: 366 days
    for phrase in EVERY_PHRASE:
        for reference in references:
            expected = _outcome(_per_day, phrase, published, reference, past)
            assert _outcome(_by_runs, phrase, published, reference, past) == expected, phrase


def test_a_month_name_is_read_once_per_month():
    from helpers import timex

    ctx = timex._Ctx(d(2022, 11, 9), None, "juni")
    parse = timex._parse("juni")
    assert timex._rule_reading(parse, ctx).value == "2022-06"
    assert ctx.until == d(2022, 11, 30)  # the reading holds to the end of the publication month
    assert len(_by_runs("juni", "2022", None, False)) == 24  # 12 runs: first and last day of each
    assert len(_by_runs("dinsdag", "2022-11", None, False)) == 30  # read every day


def test_a_reading_that_moves_with_the_day_is_read_at_the_ends_of_its_run():
    from helpers import timex

    ctx = timex._Ctx(d(2022, 11, 9), None, "nu")
    assert timex._rule_reading(timex._parse("nu"), ctx).end == d(2022, 11, 9)
    assert ctx.moves and ctx.until == OPEN_END  # "nu" is the day itself, whatever the day
    runs = _by_runs("nu", "2022", None, False)
    assert [(r.start, r.end) for r in runs] == [(d(2022, 1, 1),) * 2, (d(2022, 12, 31),) * 2]
    assert resolve("nu", "2022").start == d(2022, 1, 1)
    assert resolve("nu", "2022").end == d(2022, 12, 31)
