"""Resolve Dutch time expressions against a (possibly month-precise) publication date."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from helpers.regex_prefix import WORD_START, PrefixIndex
from helpers.textview import TextView, text_view

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


class _Ctx:
    """What a rule may read: one possible publication day, the reference, the phrase (for error
    messages) and ``past`` (the caller says the dated event lies on or before publication).

    A rule reads the day only as finely as it needs it (:attr:`day`, :attr:`monday`,
    :attr:`month_start`, :attr:`year`), and each read narrows :attr:`until`: the last day that
    reads the same, so the rule's reading (or error) holds for every day up to it.
    """

    __slots__ = ("_day", "moves", "past", "phrase", "reference", "until")

    def __init__(
        self, day: Date, reference: TimeInterval | None, phrase: str, past: bool = False
    ) -> None:
        self._day, self.reference, self.phrase, self.past = day, reference, phrase, past
        self.until = OPEN_END
        self.moves = False  # the reading moves with the day: :attr:`bound`

    def _same_until(self, last: Date) -> None:
        self.until = min(self.until, last)

    @property
    def day(self) -> Date:
        """The publication day itself."""
        self._same_until(self._day)
        return self._day

    @property
    def bound(self) -> Date:
        """The publication day as an end (start or end) of the reading and nowhere else, or only
        through ``max(date, day)``: a later day of the run moves only those ends, never back."""
        self.moves = True
        return self._day

    @property
    def monday(self) -> Date:
        """The Monday of the publication day's ISO week."""
        monday, sunday = _week_bounds(self._day)
        self._same_until(sunday)
        return monday

    @property
    def month_start(self) -> Date:
        """The first day of the publication day's month."""
        first, last = _month_bounds(self._day.year, self._day.month)
        self._same_until(last)
        return first

    @property
    def year(self) -> int:
        """The publication day's year."""
        self._same_until(Date(self._day.year, 12, 31))
        return self._day.year


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
        return ctx.year + {"vorig": -1, "dit": 0}.get(rel, 1), "publication"
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
        end = ctx.bound if m[0] in _PAST_CONTEXT or since else OPEN_END
        return _Reading("", OPEN_START, end, "unknown", "context")
    if since:
        return _Reading(
            ref.value, ref.start, max(ref.end, ctx.bound), ref.unit, "context", "ON_OR_AFTER"
        )
    return _Reading(ref.value, ref.start, ref.end, ref.unit, "context", ref.mod)


def _present(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """The publication day itself (TIMEX3 PRESENT_REF)."""
    day = ctx.bound
    return _Reading("PRESENT_REF", day, day, "unknown", "publication")


def _unresolved(ctx: _Ctx) -> _Reading:
    """A phrase that needs an anchor it was not given: any day (``past`` then cuts it at
    publication)."""
    return _Reading("", OPEN_START, OPEN_END, "unknown", "context")


# Sequence words. Deictic ones may be read against the publication day; anaphoric ones ("daarna",
# "nadien") only against a reference. The anchor's own days are included: an event "daarna" may
# fall later on the same day, or later in the same June, as the event it follows.
_DEICTIC_BEFORE = ("eerder", "vroeger")
_ANAPHORIC_BEFORE = ("daarvoor", "voordien", "kort daarvoor", "kort ervoor", "kort voordien")
_DEICTIC_AFTER = ("later", "binnenkort", "straks")
_ANAPHORIC_AFTER = (
    "daarna",
    "nadien",
    "naderhand",
    "vervolgens",
    "kort daarna",
    "kort daarop",
    "kort nadien",
    "even later",
    "korte tijd later",
    "enige tijd later",
    "niet veel later",
    "niet lang daarna",
)
_CONTEXT_FREE = ("vroeger", "binnenkort", "straks")  # never read against a reference


def _before(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Open interval up to the reference's end; without one, up to the publication day
    ("eerder") or unresolved (anaphoric "daarvoor")."""
    ref, word = ctx.reference, m[0]
    if ref is not None and word not in _CONTEXT_FREE:
        return _Reading("PAST_REF", OPEN_START, ref.end, "unknown", "context", "BEFORE")
    if word in _DEICTIC_BEFORE:
        return _Reading("PAST_REF", OPEN_START, ctx.bound, "unknown", "publication", "BEFORE")
    return _unresolved(ctx)


def _after(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """Open interval from the reference's start; without one, from the publication day ("later",
    "binnenkort", unless ``past``) or unresolved (anaphoric "daarna", "nadien")."""
    ref, word = ctx.reference, m[0]
    if ref is not None and word not in _CONTEXT_FREE:
        return _Reading("FUTURE_REF", ref.start, OPEN_END, "unknown", "context", "AFTER")
    if word in _DEICTIC_AFTER and not (ctx.past and word == "later"):
        return _Reading("FUTURE_REF", ctx.bound, OPEN_END, "unknown", "publication", "AFTER")
    return _unresolved(ctx)


_DAY_OFFSETS = {"eergisteren": -2, "gisteren": -1, "vandaag": 0, "morgen": 1, "overmorgen": 2}


def _relative_day(m: re.Match[str], ctx: _Ctx) -> _Reading:
    return _day(ctx.day + _DAY_OFFSETS[m[0]] * DAY)


def _relative_daypart(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """gisteravond = yesterday evening, vanochtend = this morning; vannacht = last night."""
    back = m["day"] == "gister" or m["part"] == "nacht"
    return _with_daypart(ctx.day - DAY if back else ctx.day, m["part"], late=m["late"])


_LATE = {"laat": "END", "vroeg": "START"}


def _with_daypart(
    day: Date, part: str | None, basis: str = "publication", late: str | None = None
) -> _Reading:
    """That day, or that day's part ("morgen" is the morning); a night runs into the next
    morning. ``late`` (laat/vroeg) sets the mod, never the interval: late on Sunday evening is
    still Sunday."""
    if not part:
        return _day(day, basis)
    part = "ochtend" if part == "morgen" else part
    end = day + DAY if part == "nacht" else None
    reading = _day(day, basis, "T" + DAYPARTS[part], end)
    return replace(reading, mod=_LATE[late]) if late else reading


def _relative_night(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ "afgelopen/vorige nacht": the night into the publication day; "komende nacht": the night
    after it."""
    first = ctx.day if m["rel"] == "komende" else ctx.day - DAY
    return _with_daypart(first, "nacht")


def _night_between(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ "de nacht van zaterdag op zondag" (the most recent such Saturday on or before publication)
    or "de nacht van 23 op 24 februari": both days, which must follow each other."""
    if m["wd"]:
        first_wd, second_wd = WEEKDAYS.index(m["wd"]), WEEKDAYS.index(m["wd2"])
        if second_wd != (first_wd + 1) % 7:
            raise TimexError(ctx.phrase, f"{m['wd2']} does not follow {m['wd']}")
        first, basis = ctx.day - ((ctx.day.weekday() - first_wd) % 7) * DAY, "publication"
    else:  # a stated year belongs to the date it follows: the second
        stated = bool(m["year"] or m["yrel"])
        number, month = (m["d2"], m["month"]) if stated else (m["d1"], m["month1"] or m["month"])
        day, basis = _calendar_day(int(number), month, m, ctx)
        first = day - DAY if stated else day
        second = first + DAY
        first_month = _month_number(m["month1"] or m["month"])
        if (first.day, first.month, second.day, second.month) != (
            int(m["d1"]),
            first_month if m["month1"] else first.month,
            int(m["d2"]),
            _month_number(m["month"]),
        ):
            raise TimexError(ctx.phrase, "the night's two dates do not follow each other")
    return _with_daypart(first, "nacht", basis)


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
    return _with_daypart(day, m["part"], late=m["late"] or m["late0"])


_WEEK_SHIFT = {"vorige": -1, "afgelopen": -1, "deze": 0, "volgende": 1, "komende": 1}


def _weekday_in_week(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A weekday in a named ISO week: "vorige week dinsdag" = Tuesday of the previous week."""
    shift = _WEEK_SHIFT[m["wrel"] or m["wrel2"]]
    monday = ctx.monday + 7 * shift * DAY
    return _day(monday + WEEKDAYS.index(m["wd"] or m["wd2"]) * DAY)


def _date(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A calendar date; "17 juni" without a year: the most recent 17 June on/before publication."""
    day, basis = _calendar_day(int(m["day"]), m["month"], m, ctx)
    if m["wd"] and WEEKDAYS[day.weekday()] != m["wd"]:
        raise TimexError(ctx.phrase, f"{day} is a {WEEKDAYS[day.weekday()]}, not a {m['wd']}")
    return _day(day, basis)


def _calendar_day(number: int, month_name: str, m: re.Match[str], ctx: _Ctx) -> tuple[Date, str]:
    """Day ``number`` of ``month_name`` in the year the match states, else the most recent one
    on or before the publication day; and the basis."""
    month = _month_number(month_name)
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
        return Date(year, month, number), basis
    except ValueError:
        raise TimexError(ctx.phrase, f"no such date: {number} {MONTHS[month - 1]} {year}") from None


def _week(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ISO weeks (Monday-Sunday); "afgelopen week" = the previous ISO week."""
    day = ctx.monday + 7 * _WEEK_SHIFT[m["rel"]] * DAY
    return _Reading(_week_value(day), *_week_bounds(day), "week", "publication")


def _relative_month(m: re.Match[str], ctx: _Ctx) -> _Reading:
    shift = -1 if m["rel"] in PAST else 1 if m["rel"] in FUTURE else 0
    month = ctx.month_start
    return _month_reading(*_add_months(month.year, month.month, shift), "publication")


def _relative_year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    shift = -1 if m["rel"] in PAST else 1 if m["rel"] in FUTURE else 0
    return _year_reading(ctx.year + shift, "publication")


def _month(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A month name. Bare ("juni"): the most recent June that began on or before publication;
    "afgelopen juni": the most recent that ended before it; "komende juni": the first that begins
    after it. Past is the default because news reports what happened."""
    month = _month_number(m["month"])
    year, basis = _year_of(m, ctx)
    if year is not None:
        return _month_reading(year, month, basis)
    published, rel = ctx.month_start, m["rel"]
    year = published.year
    if rel in FUTURE:
        year += month <= published.month
    elif rel in PAST:
        year -= month >= published.month
    else:
        year -= month > published.month
    return _month_reading(year, month, "publication")


def _the_unit(ctx: _Ctx, same: Callable[[Date, Date], bool]) -> tuple[Date, str]:
    """A day in the month or year that "de maand" / "het jaar" means: the reference's, when it lies
    within one (``same``), else the publication day's."""
    ref = ctx.reference
    if (
        ref is not None
        and ref.start > OPEN_START
        and ref.end < OPEN_END
        and same(ref.start, ref.end)
    ):
        return ref.start, "context"
    return ctx.month_start, "publication"


def _part_of_month(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """begin = days 1-10, medio/half = 11-20, eind = 21-last of the month."""
    if m["themonth"]:
        day, basis = _the_unit(ctx, lambda a, b: (a.year, a.month) == (b.year, b.month))
        month = _month_reading(day.year, day.month, basis)
    else:
        month = _month(m, ctx) if m["month"] else _relative_month(m, ctx)
    mod, (first, last), _ = PARTS[m["part"]]
    start = month.start.replace(day=first)
    end = month.end if last == 31 else month.start.replace(day=last)
    return _Reading(month.value, start, end, "month", month.basis, mod)


def _part_of_year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """begin = Jan-Apr, medio/half = May-Aug, eind = Sep-Dec."""
    if m["theyear"]:
        day, basis = _the_unit(ctx, lambda a, b: a.year == b.year)
        year: int | None = day.year
    else:
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
    # Seasons begin on the first and end on the last day of a month, so the first day of the
    # publication month compares with them as the publication day does.
    day, rel = ctx.month_start, m["rel"]
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


def _earlier_later_this(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ "eerder deze maand": from the start of the publication's week/month/year (or day) to the
    publication day; "later deze week": from the publication day to the end of that unit. The
    publication day itself is included: "eerder" may be this morning."""
    unit = m["unit"]
    if unit == "week":
        reading = _Reading(_week_value(ctx.day), *_week_bounds(ctx.day), "week", "publication")
    elif unit == "maand":
        reading = _month_reading(ctx.day.year, ctx.day.month, "publication")
    elif unit == "jaar":
        reading = _year_reading(ctx.day.year, "publication")
    else:  # vandaag, op de dag
        reading = _day(ctx.day)
    if m["dir"] == "eerder":
        return replace(reading, end=ctx.day)
    return replace(reading, start=ctx.day)


_TURN_DAYS = {  # (first, last) day of each phrase around the turn from year Y to Y+1
    "rond": ((12, 21, 0), (1, 10, 1)),  # eind december to begin januari (thirds, as PARTS)
    "jaarwisseling": ((12, 31, 0), (1, 1, 1)),
    "oud en nieuw": ((12, 31, 0), (1, 1, 1)),
    "oudejaarsnacht": ((12, 31, 0), (1, 1, 1)),
    "nieuwjaarsnacht": ((12, 31, 0), (1, 1, 1)),
    "oudejaarsdag": ((12, 31, 0), (12, 31, 0)),
    "oudejaarsavond": ((12, 31, 0), (12, 31, 0)),
    "nieuwjaarsdag": ((1, 1, 1), (1, 1, 1)),
}
_TURN_VALUE = {"oudejaarsdag": "", "oudejaarsavond": "TEV", "nieuwjaarsdag": ""}


def _turn_of_year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """The turn of the year: "de jaarwisseling" is the night of 31 Dec to 1 Jan; "rond de
    jaarwisseling" 21 Dec to 10 Jan. Which turn: as for months, the most recent that began on or
    before publication; "afgelopen": the most recent that ended before it; "komende": the
    first that begins after it."""
    what = " ".join(m["what"].split())
    first, last = _TURN_DAYS["rond" if m["around"] else what]

    def window(year: int) -> tuple[Date, Date]:
        return (Date(year + first[2], first[0], first[1]), Date(year + last[2], last[0], last[1]))

    day, rel, year = ctx.day, m["rel"], ctx.day.year + 1
    if rel in FUTURE:
        year = day.year - 1
        while window(year)[0] <= day:
            year += 1
    else:
        while (window(year)[1] >= day) if rel in PAST else (window(year)[0] > day):
            year -= 1
    start, end = window(year)
    if what == "nieuwjaarsdag":
        value = f"{year + 1:04d}-01-01"
    else:
        value = f"{year:04d}-12-31" + _TURN_VALUE.get(what, "TNI")
    return _Reading(value, start, end, "day", "publication", "APPROX" if m["around"] else "")


_CLOCK_TIME = re.compile(
    r"(?:(?P<hh>[0-9]{1,2})(?:[.:](?P<mm>[0-9]{2}))?|(?P<midnight>middernacht))"
    r"(?:\s+uur)?(?:\s+'s\s+(?P<part>ochtends|morgens|middags|avonds|nachts))?$"
)


def _clock(text: str, phrase: str) -> tuple[str, bool]:
    """("HH:MM", is midnight) of a clock phrase ("om 14.30 uur", "om 8 uur 's avonds")."""
    m = _CLOCK_TIME.search(text)
    assert m is not None  # the rule's pattern ends in a clock time
    if m["midnight"]:
        return "00:00", True
    hh, mm, part = int(m["hh"]), int(m["mm"] or 0), m["part"]
    if hh > 24 or mm > 59 or (hh == 24 and mm) or (part and hh > 12):
        raise TimexError(phrase, f"no such clock time: {m[0]!r}")
    if part in ("middags", "avonds") and hh < 12:
        hh += 12
    elif part == "nachts" and hh == 12:
        hh = 0
    return f"{hh % 24:02d}:{mm:02d}", hh in (0, 24) and mm == 0


def _at(reading: _Reading, clock: str, midnight: bool) -> _Reading:
    """``reading`` (a day, a daypart or a night) at a clock time: the same days, except that
    midnight may also be the end of the last day; the value names the time on the day it falls."""
    end = _plus(reading.end, 1) if midnight else reading.end
    base = reading.value.split("T")[0]
    if reading.value.endswith("TNI") and clock < "12:00" and reading.end > reading.start:
        base = reading.end.isoformat()  # 03:00 in the night of Saturday is on Sunday
    value = f"{base}T{clock}" if reading.value and reading.unit == "day" else reading.value
    return replace(reading, value=value, end=end)


def _clock_context(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A clock time with no day ("om 06.00 uur"): the reference's day(s) at that time; "middernacht"
    without one is the start of the publication day; anything else is unresolved."""
    clock, midnight = _clock(m[0], ctx.phrase)
    ref = ctx.reference
    if ref is not None:
        return _at(_from_reference(ref), clock, midnight)
    if midnight:
        return _day(ctx.day, suffix="T00:00")
    return _unresolved(ctx)


def _from_reference(ref: TimeInterval) -> _Reading:
    return _Reading(ref.value, ref.start, ref.end, ref.unit, "context", ref.mod)


_SPARTS = {
    "ochtends": "ochtend",
    "morgens": "ochtend",
    "middags": "middag",
    "avonds": "avond",
    "nachts": "nacht",
}


def _daypart_context(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ "'s avonds": the reference's day(s) in that part (a night runs into the next day);
    without a reference, unresolved."""
    ref = ctx.reference
    if ref is None:
        return _unresolved(ctx)
    part = _SPARTS[m["spart"]]
    end = _plus(ref.end, 1) if part == "nacht" else ref.end
    value = (
        ref.value.split("T")[0] + "T" + DAYPARTS[part]
        if ref.value and ref.unit == "day"
        else ref.value
    )
    mod = _LATE[m["late"]] if m["late"] else ref.mod
    return _Reading(value, ref.start, end, ref.unit, "context", mod)


def _year(m: re.Match[str], ctx: _Ctx) -> _Reading:
    return _year_reading(int(m["year"]), "stated")


def _decade(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """A decade; "jaren negentig": the most recent decade so named that ended before publication."""
    if m["four"]:
        first, basis = int(m["four"]), "stated"
    else:
        tens = DECADE_WORDS[m["word"]] if m["word"] else int(m["two"])
        year = ctx.year
        first, basis = year // 100 * 100 + tens, "publication"
        if first + 9 >= year:
            first -= 100
    return _Reading(
        f"{first // 10:03d}", Date(first, 1, 1), Date(first + 9, 12, 31), "decade", basis
    )


_UNIT_WORDS = r"dagen|dag|weken|week|maanden|maand|jaren|jaar"
_COUNT = rf"(?:{_alt(NUMBERS)}|[0-9]{{1,3}})"
# shortest and longest length in days of one unit: "a month" is 28 to 31 days
_UNIT_DAYS = {"day": (1, 1), "week": (7, 7), "month": (28, 31), "year": (365, 366)}


def _count(word: str) -> int:
    return NUMBERS[word] if word in NUMBERS else int(word)


def _unit(word: str) -> str:
    """day | week | month | year for a Dutch unit word ("weken" -> "week")."""
    stems = (("day", "dag"), ("week", "we"), ("month", "maand"), ("year", "ja"))
    return next(unit for unit, stem in stems if word.startswith(stem))


def _duration(n: int, unit: str) -> str:
    """TIMEX3 duration value: P3D, P2W, P1M, P1Y."""
    return f"P{n}{unit[0].upper()}"


def _plus(day: Date, days: int) -> Date:
    """``day`` moved by ``days``; open ends stay open, and the calendar's ends saturate."""
    if day in (OPEN_START, OPEN_END):
        return day
    try:
        return day + days * DAY
    except OverflowError:
        return OPEN_END if days > 0 else OPEN_START


def _calendar_shift(day: Date, n: int, unit: str) -> _Reading:
    """The day / ISO week / calendar month / year that holds ``day`` moved by ``n`` units."""
    if unit == "day":
        return _day(day + n * DAY)
    if unit == "week":
        moved = day + 7 * n * DAY
        return _Reading(_week_value(moved), *_week_bounds(moved), "week", "publication")
    if unit == "month":
        return _month_reading(*_add_months(day.year, day.month, n), "publication")
    return _year_reading(day.year + n, "publication")


def _ago(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """N units ago ("twee weken geleden"): that day / ISO week / month / year."""
    return _calendar_shift(ctx.day, -_count(m["n"]), _unit(m["unit"]))


def _ahead(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """N units from publication ("over twee weken"), the mirror of "N units geleden"."""
    return _calendar_shift(ctx.day, _count(m["n"]), _unit(m["unit"]))


def _within(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ "binnen een week": from the reference's start (or the publication day) to its end plus the
    longest such span. In a past-tense sentence without a reference the span it is counted from
    is unknown: unresolved."""
    n, unit = _count(m["n"]), _unit(m["unit"])
    longest = n * _UNIT_DAYS[unit][1]
    value, ref = _duration(n, unit), ctx.reference
    if ref is not None:
        return _Reading(value, ref.start, _plus(ref.end, longest), unit, "context", "EQUAL_OR_LESS")
    if ctx.past:
        return _unresolved(ctx)
    day = ctx.bound
    return _Reading(value, day, day + longest * DAY, unit, "publication", "EQUAL_OR_LESS")


def _shifted(m: re.Match[str], ctx: _Ctx) -> _Reading:
    """ "na een maand", "drie dagen later" (+) and "twee weken eerder" (-): the reference moved by N
    units, each between its shortest and longest length; without a reference, unresolved."""
    ref = ctx.reference
    if ref is None:
        return _unresolved(ctx)
    n, unit = _count(m["n"] or m["n2"]), _unit(m["unit"] or m["unit2"])
    shortest, longest = (n * k for k in _UNIT_DAYS[unit])
    if m["before"]:
        start, end = _plus(ref.start, -longest), _plus(ref.end, -shortest)
    else:
        start, end = _plus(ref.start, shortest), _plus(ref.end, longest)
    return _Reading(
        _duration(n, unit), start, end, unit, "context", "BEFORE" if m["before"] else "AFTER"
    )


# --- the table ----------------------------------------------------------------------------------

_DAYPART = _alt((*DAYPARTS, "morgen"))
_THE_PART = rf"(?:(?:aan\s+)?het\s+)?{_PART}"  # "aan het begin van", "het eind van"
_HHMM = r"[0-9]{1,2}[.:][0-9]{2}"
_SPART = r"['’]s\s+(?:ochtends|morgens|middags|avonds|nachts)"
# a clock time: "om 06.00 uur", "om 14.30", "om 8 uur 's avonds", "06.00 uur", "middernacht"
_CLOCK_PHRASE = (
    rf"(?:om|rond|omstreeks|tegen)\s+(?:{_HHMM}(?:\s+uur)?|[0-9]{{1,2}}\s+uur|middernacht)"
    rf"(?:\s+{_SPART})?|{_HHMM}\s+uur(?:\s+{_SPART})?|middernacht"
)


def _words(words: Iterable[str]) -> str:
    """An alternation of (multi-word) phrases, any run of spaces between words."""
    return _alt(words).replace(" ", r"\s+")


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
    Rule("past_ref", _words(_DEICTIC_BEFORE + _ANAPHORIC_BEFORE), _before),
    Rule("future_ref", _words(_DEICTIC_AFTER + _ANAPHORIC_AFTER), _after),
    Rule(
        "earlier_later_this",
        r"(?P<dir>eerder|later)\s+(?:(?:deze|dit)\s+(?P<unit>week|maand|jaar)|vandaag)",
        _earlier_later_this,
    ),
    Rule("ahead", rf"over\s+(?P<n>{_COUNT})\s+(?P<unit>{_UNIT_WORDS})", _ahead),
    Rule("within", rf"binnen\s+(?P<n>{_COUNT})\s+(?P<unit>{_UNIT_WORDS})", _within),
    Rule(
        "shifted",
        rf"na\s+(?P<n>{_COUNT})\s+(?P<unit>{_UNIT_WORDS})"
        rf"|(?P<n2>{_COUNT})\s+(?P<unit2>{_UNIT_WORDS})\s+"
        r"(?:(?P<before>eerder|daarvoor|ervoor|voordien)|later|daarna|nadien|erna)",
        _shifted,
    ),
    Rule(
        "night_between",
        rf"(?:de\s+)?nacht\s+van\s+(?:(?P<wd>{_WD})\s+op\s+(?P<wd2>{_WD})"
        rf"|(?P<d1>[0-9]{{1,2}})(?:\s+(?P<month1>{_MONTH}))?\s+op\s+(?P<d2>[0-9]{{1,2}})"
        rf"\s+(?P<month>{_MONTH})(?:\s+{_YEARSPEC})?)",
        _night_between,
    ),
    Rule("night_relative", r"(?:de\s+)?(?P<rel>afgelopen|vorige|komende)\s+nacht", _relative_night),
    Rule(
        "turn_of_year",
        r"(?:(?P<around>rond|omstreeks|rondom)\s+)?(?:(?:met|bij)\s+)?(?:de\s+)?"
        r"(?:(?P<rel>afgelopen|vorige|komende|volgende)\s+)?(?P<what>jaarwisseling|oud\s+en\s+nieuw"
        r"|oudejaarsnacht|nieuwjaarsnacht|oudejaarsdag|oudejaarsavond|nieuwjaarsdag)",
        _turn_of_year,
    ),
    Rule("clock", _CLOCK_PHRASE, _clock_context),
    Rule(
        "daypart_context",
        r"['’]s\s+(?P<spart>ochtends|morgens|middags|avonds|nachts)(?:\s+(?P<late>laat|vroeg))?",
        _daypart_context,
    ),
    Rule("day_relative", rf"{_alt(_DAY_OFFSETS)}(?<!de\smorgen)", _relative_day),
    Rule(
        "daypart_relative",
        rf"(?P<day>gister|van)(?P<part>{_DAYPART})(?:\s+(?P<late>laat|vroeg))?",
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
        rf"(?:(?P<late0>laat|vroeg)\s+op\s+)?(?:(?P<rel>{_alt(PAST + FUTURE)})\s+)?(?P<wd>{_WD})"
        rf"(?:(?P<part>{_DAYPART})(?:\s+(?P<late>laat|vroeg))?)?",
        _weekday,
    ),
    Rule("week_relative", r"(?P<rel>vorige|afgelopen|deze|volgende|komende)\s+week", _week),
    Rule("month_relative", rf"(?P<rel>{_alt(PAST + FUTURE + THIS)})\s+maand", _relative_month),
    Rule("year_relative", rf"(?P<rel>{_alt(PAST + FUTURE + THIS)})\s+jaar", _relative_year),
    Rule(
        "part_of_month",
        rf"{_THE_PART}\s+(?:van\s+)?(?:(?P<month>{_MONTH})(?:\s+{_YEARSPEC})?"
        rf"|(?P<rel>{_REL})\s+maand|(?P<themonth>de)\s+maand)",
        _part_of_month,
    ),
    Rule(
        "part_of_year",
        rf"{_THE_PART}\s+(?:van\s+)?(?:{_YEARSPEC}|(?P<theyear>het)\s+jaar)",
        _part_of_year,
    ),
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
        rf"(?P<n>{_COUNT})\s+(?P<unit>{_UNIT_WORDS})\s+geleden",
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


@lru_cache(maxsize=4096)
def _normalise(phrase: str) -> str:
    """The phrase as the rules read it: NFC (:func:`helpers.textview.text_view`), straight
    apostrophes, single spaces, case-folded; remembered (a corpus repeats its phrases)."""
    text = text_view(phrase).text
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()


def _match(text: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in RULES:
        m = rule.regex.fullmatch(text)
        if m is not None:
            return rule, m
    return None


_WITH_CLOCK = re.compile(rf"(?P<head>.+?)\s+(?P<clock>{_CLOCK_PHRASE})", re.IGNORECASE)


@dataclass(frozen=True)
class _Parse:
    rule: Rule
    match: re.Match[str]
    since: bool  # after "sinds"/"vanaf"
    clock: str  # a clock time after the day ("zondag om 06.00 uur"), or ""


@lru_cache(maxsize=4096)
def _parse(text: str) -> _Parse | None:
    """The rule for the normalised ``text``, also after a leading preposition and before a
    trailing clock time; remembered (a corpus repeats its phrases, against many dates)."""
    bodies = [(text, False)]
    prep = _PREPOSITION.match(text)
    if prep is not None:
        bodies.append((text[prep.end() :], prep["prep"] in _OPEN_PREPOSITIONS))
    for body, since in bodies:
        found = _match(body)
        if found is not None:
            return _Parse(*found, since, "")
        split = _WITH_CLOCK.fullmatch(body)
        found = _match(split["head"]) if split is not None else None
        if found is not None:
            return _Parse(*found, since, split["clock"])
    return None


# --- combining readings -------------------------------------------------------------------------


def _mask(values: list[str]) -> str:
    """One TIMEX3 value for several candidates: fields that differ become X ("2022-11-XX")."""
    if all(v == values[0] for v in values):
        return values[0]
    parts = [v.split("T", 1) for v in values]
    if all(len(p) == 2 for p in parts):  # the date and the time of day apart: "2022-XX-XXT06:00"
        return "T".join(_mask([p[i] for p in parts]) for i in (0, 1))
    columns = zip(*(v.split("-") for v in values), strict=True)
    return "-".join(c[0] if len(set(c)) == 1 else re.sub("[0-9]", "X", c[0]) for c in columns)


def _open_since(reading: _Reading, day: Date) -> _Reading:
    basis = "context" if reading.basis == "context" else "publication"
    end = max(reading.end, day)
    return _Reading(reading.value, reading.start, end, reading.unit, basis, "ON_OR_AFTER")


def _rule_reading(parse: _Parse, ctx: _Ctx) -> _Reading:
    """What the rule (with its clock time) reads for the publication day ``ctx`` stands for;
    TimexError if the phrase is impossible on it."""
    reading = parse.rule.func(parse.match, ctx)
    if parse.clock:
        if reading.unit != "day":
            raise TimexError(ctx.phrase, f"a clock time needs a day, not a {reading.unit}")
        reading = _at(reading, *_clock(parse.clock, ctx.phrase))
    return reading


def _on_day(parse: _Parse, reading: _Reading, day: Date, phrase: str, past: bool) -> _Reading:
    """``reading`` on the publication ``day``: opened up to it after "sinds"/"vanaf", cut at it
    if ``past``; TimexError if ``past`` and it means only days after it. Only the end moves, and
    it never moves back as ``day`` grows."""
    if parse.since:
        reading = _open_since(reading, day)
    if past:
        if reading.start > day:
            raise TimexError(phrase, f"means only days after publication ({day}), but past=True")
        if reading.end > day:
            reading = replace(reading, end=day)
    return reading


def _again(parse: _Parse, ctx: _Ctx, reading: _Reading, day: Date) -> _Reading:
    """The rule's reading on ``day``, a day of the run that ``ctx`` read ``reading`` for: the
    same, unless the reading moves with the day (:attr:`_Ctx.bound`)."""
    if not ctx.moves or day == ctx._day:
        return reading
    return _rule_reading(parse, _Ctx(day, ctx.reference, ctx.phrase, ctx.past))


def _readings(
    parse: _Parse, first: Date, last: Date, reference: TimeInterval | None, phrase: str, past: bool
) -> list[_Reading]:
    """Readings that stand for those of every possible publication day ``first``..``last``.

    The rule is read once for each run of days it reads alike (:attr:`_Ctx.until`); of a run
    only its first allowed day (``past`` drops the days before the reading's start) and its last
    day are kept: the days between read the same value, unit, basis and mod, and a start and an
    end between theirs. Raises the last day's TimexError if no day allows the phrase.
    """
    readings: list[_Reading] = []
    error: TimexError | None = None
    day = first
    while True:
        ctx = _Ctx(day, reference, phrase, past)
        try:
            reading: _Reading | None = _rule_reading(parse, ctx)
        except TimexError as err:  # impossible on every day of the run: drop them
            reading, error = None, err
        run_last = min(ctx.until, last)
        if reading is not None:
            opening = max(day, reading.start) if past else day
            try:
                closing = _on_day(
                    parse, _again(parse, ctx, reading, run_last), run_last, phrase, past
                )
            except TimexError as err:  # after even the run's last day: drop the run
                error = err
            else:
                readings.append(
                    _on_day(parse, _again(parse, ctx, reading, opening), opening, phrase, past)
                )
                if opening < run_last:
                    readings.append(closing)
        if run_last == last:
            break
        day = run_last + DAY
    if not readings:
        assert error is not None
        raise error
    return readings


def resolve(
    phrase: str,
    published: str | Date,
    reference: TimeInterval | None = None,
    *,
    past: bool = False,
) -> TimeInterval:
    """Resolve a Dutch time expression against the publication date.

    If the publication date is only known to the month (or year), the phrase is read against
    every possible publication day and the interval spans all readings; days on which the phrase
    is impossible ("dinsdag 22 november" before 22 Nov 2022) are dropped. ``reference`` is the
    interval of the event that "toen", "op dat moment", "daarna", "drie dagen later" ... point
    back to (the previous resolved time in the text). ``past=True`` is the caller's word that
    the dated event lies on or before publication (its verb is in a past tense: "viel",
    "heeft aangevallen", "had"; not "zal", "zou"): every reading is then cut at the publication
    day, and one that lies wholly after it is impossible. Raises :class:`TimexError` for text
    that is not a time expression.
    """
    return _resolve(phrase, published, reference, past)


@lru_cache(maxsize=65_536)
def _resolve(
    phrase: str, published: str | Date, reference: TimeInterval | None, past: bool
) -> TimeInterval:
    """:func:`resolve`, remembered: a corpus resolves the same phrase against the same
    publication date and reference again and again (every candidate event of a clause, every
    report of a day), and a month-precise date means up to 31 possible publication days (read
    once per run of days the rule reads alike: :func:`_readings`). The result is immutable;
    errors are not remembered."""
    text = _normalise(phrase)
    if not text:
        raise TimexError(phrase, "empty phrase")
    first, last = publication_interval(published)
    parse = _parse(text)
    if parse is None:
        raise TimexError(phrase, "not a Dutch time expression known to helpers.timex")
    readings = _readings(parse, first, last, reference, phrase, past)
    rule = parse.rule.name + ("+clock" if parse.clock else "")
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
        rule=f"since:{rule}" if parse.since else rule,
        unit=one.unit,
        mod=one.mod,
    )


# --- finding expressions in running text --------------------------------------------------------

_FIND_PREFIX = rf"(?:(?:{_alt(_NEUTRAL_PREPOSITIONS + _OPEN_PREPOSITIONS)})\s+)"


_WORD_START = WORD_START  # a time expression begins a word


def _finder(rule: Rule) -> re.Pattern[str]:
    prefix = _FIND_PREFIX + ("?" if rule.bare_in_text else "")
    clock = rf"(?:\s+(?:{_CLOCK_PHRASE}))?"  # "zondag om 06.00 uur" is one phrase
    return _compiled(rf"{_WORD_START}{prefix}(?:{rule.pattern}){clock}(?!\w)(?![.-][0-9])")


# The finders' beginnings are read six characters deep (PrefixIndex's default: five): a quarter
# fewer positions of a text are tried, for a build of ~0.2 s instead of ~0.05 s, once.
_FIND_DEPTH = 6


@lru_cache(maxsize=1)
def _finders() -> PrefixIndex:
    """Every rule's finder, each tried only where its first characters occur."""
    patterns = [_finder(rule).pattern for rule in RULES]
    return PrefixIndex(
        patterns, re.IGNORECASE, lead=_WORD_START, skip=_FIND_PREFIX, depth=_FIND_DEPTH
    )


def find_time_expressions(text: str | TextView) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of each time expression in ``text``, leftmost-longest, no overlaps.

    A leading preposition (in, op, sinds, ...) is part of the phrase; bare four-digit numbers
    count as years only after a preposition ("in 2014"), not on their own ("2000 soldaten").
    Searched in the normalised view of ``text`` (:func:`helpers.textview.text_view`: NFC, no
    invisible format characters; or ``text`` is that view, e.g. ``Article.view``); offsets
    and phrases are the raw text's own.
    """
    view = text if isinstance(text, TextView) else text_view(text)
    text = view.raw
    candidates = [m.span() for _, m in _finders().finditer(view.text)]
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if start >= last_end:
            last_end = end
            start, end = view.raw_span(start, end)
            chosen.append((start, end, text[start:end]))
    return chosen
