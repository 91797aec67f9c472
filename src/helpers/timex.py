"""Resolve Dutch time expressions against a (possibly month-precise) publication date."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from helpers.textview import text_view

__all__ = [
    "BASES",
    "OPEN_END",
    "OPEN_START",
    "PRECISIONS",
    "RULES",
    "Rule",
    "TimeInterval",
    "TimexError",
    "find_time_expressions",
    "fits",
    "precision_of",
    "publication_interval",
    "resolve",
]

Date = datetime.date
DAY = datetime.timedelta(days=1)
OPEN_START = (
    datetime.date.min
)  # start of an interval open to the past ("eerder", "toen" unresolved)
OPEN_END = datetime.date.max  # end of an interval open to the future ("later")

# Finest first: precision_of() returns the first one that fits.
PRECISIONS = ("day", "week", "month", "season", "year", "decade", "unknown")
BASES = ("stated", "publication", "context")


class TimexError(ValueError):
    """Text that is not a time expression this module knows (or an impossible date)."""

    def __init__(self, phrase: str, problem: str) -> None:
        self.phrase = phrase
        self.problem = problem
        super().__init__(f"{phrase!r}: {problem}")


@dataclass(frozen=True)
class TimeInterval:
    """A resolved time expression; ``start``..``end`` (inclusive) holds every day it may mean."""

    phrase: str  # as written
    value: str  # TIMEX3-style; X marks what the publication date leaves open; "" if unresolvable
    start: Date  # inclusive; OPEN_START if open to the past
    end: Date  # inclusive; OPEN_END if open to the future
    precision: str  # what start..end really pins down: precision_of(start, end)
    basis: str  # stated | publication | context
    rule: str  # name of the table rule that fired
    unit: str = "unknown"  # the unit the phrase names: "day" for "dinsdag"
    mod: str = ""  # TIMEX3 mod: START | MID | END | ON_OR_AFTER | BEFORE | AFTER

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"{self.phrase!r}: start {self.start} is after end {self.end}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"{self.phrase!r}: precision {self.precision!r} not in {PRECISIONS}")
        if self.basis not in BASES:
            raise ValueError(f"{self.phrase!r}: basis {self.basis!r} not in {BASES}")


# --- calendar units -----------------------------------------------------------------------------

_SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # first month (meteorological seasons)


def _month_bounds(year: int, month: int) -> tuple[Date, Date]:
    return Date(year, month, 1), Date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def _season_bounds(label: int, code: str) -> tuple[Date, Date]:
    """Meteorological season; winter ``Y-WI`` runs from 1 Dec Y to the end of Feb Y+1."""
    first = Date(label, _SEASON_MONTHS[code], 1)
    last_year, last_month = _add_months(label, _SEASON_MONTHS[code], 2)
    return first, _month_bounds(last_year, last_month)[1]


def _season_of(day: Date) -> tuple[int, str]:
    """(label year, code) of the meteorological season holding ``day``."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    code = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}[day.month - (day.month % 3)]
    return day.year, code


def _week_bounds(day: Date) -> tuple[Date, Date]:
    monday = day - day.weekday() * DAY
    return monday, monday + 6 * DAY


def _week_value(day: Date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def fits(precision: str, start: Date, end: Date) -> bool:
    """Whether ``precision`` honestly describes ``start``..``end`` (inclusive).

    day: one day; week: at most 7 days; month: one calendar month; season: one meteorological
    season; year: one calendar year; decade: one calendar decade (1990-1999); unknown: anything.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; expected one of {PRECISIONS}")
    if start > end:
        return False
    if precision == "day":
        return start == end
    if precision == "week":
        return (end - start).days <= 6
    if precision == "month":
        return (start.year, start.month) == (end.year, end.month)
    if precision == "season":
        return _season_of(start) == _season_of(end)
    if precision == "year":
        return start.year == end.year
    if precision == "decade":
        return start.year // 10 == end.year // 10
    return True


def precision_of(start: Date, end: Date) -> str:
    """The finest precision that fits ``start``..``end``."""
    return next(p for p in PRECISIONS if fits(p, start, end))


# --- publication date ---------------------------------------------------------------------------

_PUBLISHED = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?")


def publication_interval(published: str | Date) -> tuple[Date, Date]:
    """First and last day the publication date allows ("2022-11" -> 1 Nov .. 30 Nov 2022)."""
    if isinstance(published, datetime.datetime):
        published = published.date()
    if isinstance(published, Date):
        return published, published
    match = _PUBLISHED.fullmatch(str(published).strip())
    if match is None:
        raise TimexError(str(published), "publication date must be YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        year = int(match["y"])
        if match["d"]:
            day = Date(year, int(match["m"]), int(match["d"]))
            return day, day
        if match["m"]:
            return _month_bounds(year, int(match["m"]))
        return Date(year, 1, 1), Date(year, 12, 31)
    except ValueError as err:
        raise TimexError(str(published), f"impossible publication date ({err})") from None


# --- vocabulary ---------------------------------------------------------------------------------

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mrt": 3,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
SEASONS = {
    "voorjaar": "SP",
    "lente": "SP",
    "zomer": "SU",
    "najaar": "FA",
    "herfst": "FA",
    "winter": "WI",
}
DAYPARTS = {"ochtend": "MO", "middag": "AF", "avond": "EV", "nacht": "NI"}
NUMBERS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
}
DECADE_WORDS = {
    "nul": 0,
    "tien": 10,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
PARTS = {  # part of a month (days) and of a year (months), both in thirds
    "begin": ("START", (1, 10), (1, 4)),
    "medio": ("MID", (11, 20), (5, 8)),
    "half": ("MID", (11, 20), (5, 8)),
    "halverwege": ("MID", (11, 20), (5, 8)),
    "midden": ("MID", (11, 20), (5, 8)),
    "eind": ("END", (21, 31), (9, 12)),
    "einde": ("END", (21, 31), (9, 12)),
}
PAST = ("afgelopen", "vorige", "vorig")
FUTURE = ("komende", "komend", "volgende", "volgend", "aanstaande")
THIS = ("deze", "dit")


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest word first."""
    return "|".join(sorted(words, key=len, reverse=True))


_WD = rf"(?:{_alt(WEEKDAYS)})"
_MONTH = rf"(?:{_alt(MONTHS)})"
_MONTH_OR_ABBR = rf"(?:{_alt(MONTHS)}|(?:{_alt(_MONTH_ABBR)})\.?)"
_REL = rf"(?:{_alt(PAST + FUTURE + THIS)})"
_YEAR_REL = ("vorig", "dit", "volgend", "komend")
_YEARSPEC = rf"(?:(?P<year>[0-9]{{4}})|(?:van\s+)?(?P<yrel>{_alt(_YEAR_REL)})\s+jaar)"
_PART = rf"(?P<part>{_alt(PARTS)})"


# --- one reading per possible publication day ---------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    value: str
    start: Date
    end: Date
    unit: str
    basis: str
    mod: str = ""


@dataclass(frozen=True)
class _Ctx:
    day: Date  # one possible publication day
    reference: TimeInterval | None
    phrase: str  # as given to resolve(), for error messages


def _day(
    day: Date, basis: str = "publication", suffix: str = "", end: Date | None = None
) -> _Reading:
    return _Reading(day.isoformat() + suffix, day, end or day, "day", basis)


def _month_reading(year: int, month: int, basis: str) -> _Reading:
    return _Reading(f"{year:04d}-{month:02d}", *_month_bounds(year, month), "month", basis)


def _season_reading(label: int, code: str, basis: str) -> _Reading:
    return _Reading(f"{label:04d}-{code}", *_season_bounds(label, code), "season", basis)


def _year_reading(year: int, basis: str) -> _Reading:
    return _Reading(f"{year:04d}", Date(year, 1, 1), Date(year, 12, 31), "year", basis)


def _year_of(m: re.Match[str], ctx: _Ctx) -> tuple[int | None, str]:
    """The year a YEARSPEC group names (None if absent) and the basis it gives."""
    if m.groupdict().get("year"):
        return int(m["year"]), "stated"
    rel = m.groupdict().get("yrel")
    if rel:
        return ctx.day.year + {"vorig": -1, "dit": 0}.get(rel, 1), "publication"
    return None, "publication"


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    return MONTHS.index(name) + 1 if name in MONTHS else _MONTH_ABBR[name]


# --- rule functions -----------------------------------------------------------------------------

_PAST_CONTEXT = ("toen", "destijds", "toentertijd", "in die tijd")
_CONTEXT_WORDS = (*_PAST_CONTEXT, "sindsdien", "op dat moment", "dat moment", "op die dag")
_CONTEXT = _alt(_CONTEXT_WORDS).replace(" ", r"\s+")


def _context(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Copy the reference interval; without one, unresolvable ("toen" at least lies in the past)."""
    ref = ctx.reference
    since = m[0].startswith("sindsdien")
    if ref is None:
        end = ctx.day if m[0] in _PAST_CONTEXT or since else OPEN_END
        return _Reading("", OPEN_START, end, "unknown", "context")
    if since:
        return _Reading(
            ref.value, ref.start, max(ref.end, ctx.day), ref.unit, "context", "ON_OR_AFTER"
        )
    return _Reading(ref.value, ref.start, ref.end, ref.unit, "context", ref.mod)


def _present(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """The publication day itself (TIMEX3 PRESENT_REF)."""
    return _Reading("PRESENT_REF", ctx.day, ctx.day, "unknown", "publication")


def _before(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Open interval before the reference (or, without one, before the publication day)."""
    if ctx.reference is not None and m[0] != "vroeger":
        end = ctx.reference.start
        end = end - DAY if end > OPEN_START else end
        return _Reading("PAST_REF", OPEN_START, end, "unknown", "context", "BEFORE")
    return _Reading("PAST_REF", OPEN_START, ctx.day - DAY, "unknown", "publication", "BEFORE")


def _after(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Open interval after the reference (or, without one, after the publication day)."""
    if ctx.reference is not None and m[0] in ("later", "daarna"):
        start = ctx.reference.end
        start = start + DAY if start < OPEN_END else start
        return _Reading("FUTURE_REF", start, OPEN_END, "unknown", "context", "AFTER")
    return _Reading("FUTURE_REF", ctx.day + DAY, OPEN_END, "unknown", "publication", "AFTER")


_DAY_OFFSETS = {"eergisteren": -2, "gisteren": -1, "vandaag": 0, "morgen": 1, "overmorgen": 2}


def _relative_day(m: re.Match[str], ctx: _Ctx) -> _Reading:
    return _day(ctx.day + _DAY_OFFSETS[m[0]] * DAY)


def _relative_daypart(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """gisteravond = yesterday evening, vanochtend = this morning; vannacht = last night."""
    part = "ochtend" if m["part"] == "morgen" else m["part"]
    back = m["day"] == "gister" or part == "nacht"
    return _with_daypart(ctx.day - DAY if back else ctx.day, part)


def _with_daypart(day: Date, part: str | None, basis: str = "publication") -> _Reading:
    if not part:
        return _day(day, basis)
    # a night runs into the next morning
    return _day(day, basis, "T" + DAYPARTS[part], day + DAY if part == "nacht" else None)


def _weekday(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Bare: most recent such day on or before publication; afgelopen/vorige: strictly before;
    komende/volgende/aanstaande: strictly after."""
    target = WEEKDAYS.index(m["wd"])
    back = (ctx.day.weekday() - target) % 7
    rel = m["rel"]
    if rel in FUTURE:
        day = ctx.day + ((target - ctx.day.weekday()) % 7 or 7) * DAY
    elif rel in PAST:
        day = ctx.day - (back or 7) * DAY
    else:
        day = ctx.day - back * DAY
    return _with_daypart(day, m["part"])


_WEEK_SHIFT = {"vorige": -1, "afgelopen": -1, "deze": 0, "volgende": 1, "komende": 1}


def _weekday_in_week(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A weekday in a named ISO week: "vorige week dinsdag" = Tuesday of the previous week."""
    shift = _WEEK_SHIFT[m["wrel"] or m["wrel2"]]
    monday = _week_bounds(ctx.day)[0] + 7 * shift * DAY
    return _day(monday + WEEKDAYS.index(m["wd"] or m["wd2"]) * DAY)


def _date(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A calendar date; "17 juni" without a year: the most recent 17 June on/before publication."""
    month, number = _month_number(m["month"]), int(m["day"])
    if not 1 <= number <= calendar.monthrange(2000, month)[1]:
        raise TimexError(ctx.phrase, f"no such date: {number} {MONTHS[month - 1]}")
    year, basis = _year_of(m, ctx)
    if year is None:  # 29 Feb: back to the most recent leap year
        year = ctx.day.year
        while not (
            number <= calendar.monthrange(year, month)[1] and Date(year, month, number) <= ctx.day
        ):
            year -= 1
    try:
        day = Date(year, month, number)
    except ValueError:
        raise TimexError(ctx.phrase, f"no such date: {number} {MONTHS[month - 1]} {year}") from None
    if m["wd"] and WEEKDAYS[day.weekday()] != m["wd"]:
        raise TimexError(ctx.phrase, f"{day} is a {WEEKDAYS[day.weekday()]}, not a {m['wd']}")
    return _day(day, basis)


def _week(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ISO weeks (Monday-Sunday); "afgelopen week" = the previous ISO week."""
    day = ctx.day + 7 * _WEEK_SHIFT[m["rel"]] * DAY
    return _Reading(_week_value(day), *_week_bounds(day), "week", "publication")


def _relative_month(m: re.Match[str], ctx: _Ctx) -> _Reading:
    shift = -1 if m["rel"] in PAST else 1 if m["rel"] in FUTURE else 0
    return _month_reading(*_add_months(ctx.day.year, ctx.day.month, shift), "publication")


def _relative_year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    shift = -1 if m["rel"] in PAST else 1 if m["rel"] in FUTURE else 0
    return _year_reading(ctx.day.year + shift, "publication")


def _month(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A month name. Bare ("juni"): the most recent June that began on or before publication;
    "afgelopen juni": the most recent that ended before it; "komende juni": the first that begins
    after it. Past is the default because news reports what happened."""
    month = _month_number(m["month"])
    year, basis = _year_of(m, ctx)
    if year is not None:
        return _month_reading(year, month, basis)
    year, rel = ctx.day.year, m["rel"]
    if rel in FUTURE:
        year += month <= ctx.day.month
    elif rel in PAST:
        year -= month >= ctx.day.month
    else:
        year -= month > ctx.day.month
    return _month_reading(year, month, "publication")


def _part_of_month(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """begin = days 1-10, medio/half = 11-20, eind = 21-last of the month."""
    month = _month(m, ctx) if m["month"] else _relative_month(m, ctx)
    mod, (first, last), _ = PARTS[m["part"]]
    start = month.start.replace(day=first)
    end = month.end if last == 31 else month.start.replace(day=last)
    return _Reading(month.value, start, end, "month", month.basis, mod)


def _part_of_year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """begin = Jan-Apr, medio/half = May-Aug, eind = Sep-Dec."""
    year, basis = _year_of(m, ctx)
    assert year is not None
    mod, _, (first, last) = PARTS[m["part"]]
    return _Reading(
        f"{year:04d}", Date(year, first, 1), _month_bounds(year, last)[1], "year", basis, mod
    )


def _season(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Meteorological seasons. Bare/"de"/"het": the most recent that began on or before
    publication; "dit/deze": the current one if publication falls in it, else the one labelled
    with the publication year; "afgelopen/vorige": the most recent that ended before publication;
    "komende/volgende": the first that begins after it."""
    code = SEASONS[m["season"]]
    year, basis = _year_of(m, ctx)
    if year is not None:
        return _season_reading(year, code, basis)
    day, rel = ctx.day, m["rel"]
    current = _season_of(day)
    if rel in THIS:
        label = current[0] if current[1] == code else day.year
    elif rel in PAST:
        label = day.year
        while _season_bounds(label, code)[1] >= day:
            label -= 1
    elif rel in FUTURE:
        label = day.year - 1
        while _season_bounds(label, code)[0] <= day:
            label += 1
    else:
        label = day.year
        while _season_bounds(label, code)[0] > day:
            label -= 1
    return _season_reading(label, code, "publication")


def _year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    return _year_reading(int(m["year"]), "stated")


def _decade(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A decade; "jaren negentig": the most recent decade so named that ended before publication."""
    if m["four"]:
        first, basis = int(m["four"]), "stated"
    else:
        tens = DECADE_WORDS[m["word"]] if m["word"] else int(m["two"])
        first, basis = ctx.day.year // 100 * 100 + tens, "publication"
        if first + 9 >= ctx.day.year:
            first -= 100
    return _Reading(
        f"{first // 10:03d}", Date(first, 1, 1), Date(first + 9, 12, 31), "decade", basis
    )


def _ago(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """N units ago ("twee weken geleden"): that day / ISO week / month / year."""
    n = NUMBERS[m["n"]] if m["n"] in NUMBERS else int(m["n"])
    unit = m["unit"]
    if unit.startswith("dag"):
        return _day(ctx.day - n * DAY)
    if unit.startswith("we"):
        day = ctx.day - 7 * n * DAY
        return _Reading(_week_value(day), *_week_bounds(day), "week", "publication")
    if unit.startswith("maand"):
        return _month_reading(*_add_months(ctx.day.year, ctx.day.month, -n), "publication")
    return _year_reading(ctx.day.year - n, "publication")


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A pattern (matched against the whole normalised phrase) and the function it calls."""

    name: str
    pattern: str
    func: Callable[[re.Match[str], _Ctx], _Reading]
    bare_in_text: bool = True  # False: find_time_expressions wants a preposition before it

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


RULES: tuple[Rule, ...] = (
    Rule("context", _CONTEXT, _context),
    Rule("present", r"nu(?!\s+eenmaal)|op\s+dit\s+moment|momenteel|thans", _present),
    Rule("past_ref", r"eerder|daarvoor|vroeger", _before),
    Rule("future_ref", r"later|daarna|binnenkort|straks", _after),
    Rule("day_relative", rf"{_alt(_DAY_OFFSETS)}(?<!de\smorgen)", _relative_day),
    Rule(
        "daypart_relative",
        rf"(?P<day>gister|van)(?P<part>{_alt((*DAYPARTS, 'morgen'))})",
        _relative_daypart,
    ),
    Rule(
        "weekday_in_week",
        rf"(?P<wrel>vorige|afgelopen|deze|volgende|komende)\s+week\s+(?P<wd>{_WD})"
        rf"|(?P<wd2>{_WD})\s+(?P<wrel2>vorige|volgende|komende)\s+week",
        _weekday_in_week,
    ),
    Rule(
        "date",
        rf"(?:(?P<wd>{_WD})\s+)?(?P<day>[0-9]{{1,2}})\s+(?P<month>{_MONTH_OR_ABBR})(?:\s+{_YEARSPEC})?",
        _date,
    ),
    Rule(
        "weekday",
        rf"(?:(?P<rel>{_alt(PAST + FUTURE)})\s+)?(?P<wd>{_WD})(?P<part>{_alt(DAYPARTS)})?",
        _weekday,
    ),
    Rule("week_relative", r"(?P<rel>vorige|afgelopen|deze|volgende|komende)\s+week", _week),
    Rule("month_relative", rf"(?P<rel>{_alt(PAST + FUTURE + THIS)})\s+maand", _relative_month),
    Rule("year_relative", rf"(?P<rel>{_alt(PAST + FUTURE + THIS)})\s+jaar", _relative_year),
    Rule(
        "part_of_month",
        rf"{_PART}\s+(?:van\s+)?(?:(?P<month>{_MONTH})(?:\s+{_YEARSPEC})?|(?P<rel>{_REL})\s+maand)",
        _part_of_month,
    ),
    Rule("part_of_year", rf"{_PART}\s+{_YEARSPEC}", _part_of_year),
    Rule(
        "month",
        rf"(?:(?P<rel>{_alt(PAST + FUTURE)})\s+)?(?P<month>{_MONTH})(?:\s+{_YEARSPEC})?",
        _month,
    ),
    Rule(
        "season",
        rf"(?:(?P<rel>{_alt((*PAST, *FUTURE, *THIS, 'de', 'het'))})\s+)?(?P<season>{_alt(SEASONS)})"
        rf"(?:\s+(?:van\s+)?{_YEARSPEC})?",
        _season,
    ),
    Rule(
        "decade",
        rf"(?:de\s+)?jaren\s+(?:(?P<word>{_alt(DECADE_WORDS)})|['’]?(?P<two>[0-9]0)|(?P<four>[0-9]{{3}}0))",
        _decade,
    ),
    Rule("year", r"(?P<year>[0-9]{4})", _year, bare_in_text=False),
    Rule(
        "ago",
        rf"(?P<n>{_alt(NUMBERS)}|[0-9]{{1,3}})\s+(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\s+geleden",
        _ago,
    ),
)

_NEUTRAL_PREPOSITIONS = ("in", "op", "tijdens", "gedurende")
_OPEN_PREPOSITIONS = ("sinds", "vanaf")
_PREPOSITION = re.compile(rf"(?P<prep>{_alt(_NEUTRAL_PREPOSITIONS + _OPEN_PREPOSITIONS)})\s+")
_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern not in _CACHE:
        _CACHE[pattern] = re.compile(pattern, re.IGNORECASE)
    return _CACHE[pattern]


def _normalise(phrase: str) -> str:
    """The phrase as the rules read it: NFC (:func:`helpers.textview.text_view`), straight
    apostrophes, single spaces, case-folded."""
    text = text_view(phrase).text
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()


def _match(text: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in RULES:
        m = rule.regex.fullmatch(text)
        if m is not None:
            return rule, m
    return None


# --- combining readings -------------------------------------------------------------------------


def _mask(values: list[str]) -> str:
    """One TIMEX3 value for several candidates: fields that differ become X ("2022-11-XX")."""
    if all(v == values[0] for v in values):
        return values[0]
    columns = zip(*(v.split("-") for v in values), strict=True)
    return "-".join(c[0] if len(set(c)) == 1 else re.sub("[0-9]", "X", c[0]) for c in columns)


def _open_since(reading: _Reading, day: Date) -> _Reading:
    basis = "context" if reading.basis == "context" else "publication"
    end = max(reading.end, day)
    return _Reading(reading.value, reading.start, end, reading.unit, basis, "ON_OR_AFTER")


def resolve(
    phrase: str, published: str | Date, reference: TimeInterval | None = None
) -> TimeInterval:
    """Resolve a Dutch time expression against the publication date.

    If the publication date is only known to the month (or year), the phrase is read against
    every possible publication day and the interval spans all readings; days on which the phrase
    is impossible ("dinsdag 22 november" before 22 Nov 2022) are dropped. ``reference`` is the
    interval of the event that "toen", "op dat moment", "eerder" ... point back to. Raises
    :class:`TimexError` for text that is not a time expression.
    """
    text = _normalise(phrase)
    if not text:
        raise TimexError(phrase, "empty phrase")
    first, last = publication_interval(published)
    found, since = _match(text), False
    if found is None:
        prep = _PREPOSITION.match(text)
        if prep is not None:
            found, since = _match(text[prep.end() :]), prep["prep"] in _OPEN_PREPOSITIONS
    if found is None:
        raise TimexError(phrase, "not a Dutch time expression known to helpers.timex")
    rule, m = found
    readings, error = [], None
    for offset in range((last - first).days + 1):
        day = first + offset * DAY
        try:
            reading = rule.func(m, _Ctx(day, reference, phrase))
        except TimexError as err:  # impossible for this publication day: drop the day
            error = err
            continue
        readings.append(_open_since(reading, day) if since else reading)
    if not readings:
        assert error is not None
        raise error
    start = min(r.start for r in readings)
    end = max(r.end for r in readings)
    one = readings[0]
    return TimeInterval(
        phrase=phrase,
        value=_mask([r.value for r in readings]),
        start=start,
        end=end,
        precision=precision_of(start, end),
        basis=one.basis,
        rule=f"since:{rule.name}" if since else rule.name,
        unit=one.unit,
        mod=one.mod,
    )


# --- finding expressions in running text --------------------------------------------------------

_FIND_PREFIX = rf"(?:(?:{_alt(_NEUTRAL_PREPOSITIONS + _OPEN_PREPOSITIONS)})\s+)"


def _finder(rule: Rule) -> re.Pattern[str]:
    prefix = _FIND_PREFIX + ("?" if rule.bare_in_text else "")
    return _compiled(rf"(?<!\w){prefix}(?:{rule.pattern})(?!\w)(?![.-][0-9])")


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of each time expression in ``text``, leftmost-longest, no overlaps.

    A leading preposition (in, op, sinds, ...) is part of the phrase; bare four-digit numbers
    count as years only after a preposition ("in 2014"), not on their own ("2000 soldaten").
    Searched in the normalised view of ``text`` (:func:`helpers.textview.text_view`: NFC, no
    invisible format characters); offsets and phrases are ``text``'s own.
    """
    view = text_view(text)
    candidates = [
        (m.start(), m.end())
        for rule in RULES
        for m in _finder(rule).finditer(view.text)
        if m.group()
    ]
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if start >= last_end:
            last_end = end
            start, end = view.raw_span(start, end)
            chosen.append((start, end, text[start:end]))
    return chosen
