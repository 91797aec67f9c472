"""Check the article's dated, counted and located claims against the reference facts.

The claims are data: ``data/reference/claims.csv``, keyed by ``(article_id, claim_id)``, read by
:func:`load_claims`. The article's own reading is never overwritten: each claim keeps what the
article says (from the coded events, read against the publication date) beside what the
reference says, and a verdict:

* ``agrees``: the reference says the same (or the article is the more precise of the two);
* ``reference_more_precise``: consistent, but the reference pins it down further;
* ``disagrees``: the reference contradicts the article's reading;
* ``not_in_reference``: no reference fact covers the claim.

Date, weekday, count, place and order claims are decided by comparing data; ``content`` claims
(wording, who did what) carry the coder's reading of the reference row, stated in the claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.actors import load_membership, members_on
from helpers.article import Article
from helpers.events import REFERENCE_EVENTS, load_reference_events
from helpers.keydates import format_day
from helpers.paths import DATA
from helpers.tables import (
    DataError,
    check_allowed,
    check_required,
    check_unique,
    parse_date_cell,
    parse_ids,
    read_table,
)
from helpers.timex import NUMBERS, WEEKDAYS

__all__ = [
    "CLAIMS_PATH",
    "CLAIM_COLUMNS",
    "FACTCHECK_COLUMNS",
    "KINDS",
    "REFERENCE_EVENTS",
    "VERDICTS",
    "Claim",
    "check_claim",
    "fact_check",
    "load_claims",
    "load_reference_events",
]

CLAIMS_PATH = DATA / "reference" / "claims.csv"
CLAIM_COLUMNS = (
    "article_id",
    "claim_id",
    "kind",
    "quote_nl",
    "occurrence",
    "gloss_en",
    "fact_ids",
    "event_ids",
    "point",
    "article_interval",
    "article_reading",
    "places",
    "count_on",
    "order",
    "verdict",
    "note",
)
KINDS = ("date", "weekday", "count", "place", "order", "content", "absent")
POINTS = ("interval", "start")
VERDICTS = ("agrees", "reference_more_precise", "disagrees", "not_in_reference")
FACTCHECK_COLUMNS = (
    "article_id",
    "claim_id",
    "kind",
    "event_ids",
    "quote_nl",
    "quote_start",
    "quote_end",
    "gloss_en",
    "article_says",
    "reference_says",
    "reference_fact_ids",
    "verdict",
    "explanation",
)
# membership events that start or end membership (froze_participation is not a withdrawal)
_CHANGES = {"in_force", "rejoined", "left", "suspended"}
_LEAVES = {"left", "suspended"}
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ARTICLE_ID = re.compile(r"[0-9a-f]{12}")
_CLAIM_ID = re.compile(r"C[0-9]+")
_FACT_ID = re.compile(r"F[0-9]+")
_EVENT_ID = re.compile(r"E[0-9]+")
_ORDER = re.compile(r"(F[0-9]+) (before|after) (.+)")
_OPEN = ".."  # an open side of article_interval, as in ISO 8601-2 ("../2013-12-31")


def _count_periods(membership: pd.DataFrame, count: int) -> list[tuple[str, str]]:
    """(from, until) periods in which the membership count was ``count``."""
    dates = sorted(set(membership["date"]))
    periods: list[tuple[str, str]] = []
    for i, day in enumerate(dates):
        if len(members_on(day, membership)) == count:
            until = dates[i + 1].date().isoformat() if i + 1 < len(dates) else "today"
            periods.append((day.date().isoformat(), until))
    return periods


# --- claims -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One checkable claim of an article (one row of ``data/reference/claims.csv``).

    kind: one of :data:`KINDS`. ``event_ids`` link to the coded events of the article, whose
    interval is the article's reading of a date claim (unless ``article_interval`` overrides
    it, for events dated from the reference). ``point``: compare the reference fact's whole
    interval or only its ``start`` (when the fact runs on after the claimed act). ``source``
    and ``row`` say where the claim was read, for errors.
    """

    claim_id: str
    kind: str
    quote_nl: str
    gloss_en: str
    fact_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    nth: int = 0  # which occurrence of quote_nl in the article (0: the first)
    point: str = "interval"
    article_interval: tuple[str | None, str | None] | None = None  # None = open end
    article_reading: str = ""  # for kinds whose reading is not a date
    places: tuple[str, ...] = ()  # place: the article's place in the reference's spelling
    count_on: str = ""  # count: the day to count members on (default: end of publication)
    order: tuple[tuple[str, str, str], ...] = ()  # order: (fact_id, before|after, YYYY-MM-DD)
    verdict: str = ""  # content: the coder's verdict from reading the reference row
    note: str = ""  # appended to the explanation
    article_id: str = ""
    source: str = "claims"
    row: int | None = None


def _error(claim: Claim, column: str, problem: str) -> DataError:
    return DataError(claim.source, claim.row, column, f"claim {claim.claim_id}: {problem}")


def check_claim(claim: Claim) -> None:
    """Raise :class:`DataError` (naming the claim's file, row and column) when a claim lacks
    what its kind needs: facts for date, weekday, place, order and content claims (none for
    ``absent``), an event for date and weekday claims (unless a date claim gives its
    ``article_interval``), the article's reading for order, content and absent claims, the
    coder's verdict for content claims only, an order for order claims only, whose facts it
    cites."""
    kind = claim.kind
    if kind not in KINDS:
        raise _error(claim, "kind", f"{kind!r} is not one of {list(KINDS)}")
    if kind == "absent" and claim.fact_ids:
        raise _error(claim, "fact_ids", "an 'absent' claim cites no facts")
    if kind not in ("absent", "count") and not claim.fact_ids:
        raise _error(claim, "fact_ids", f"a {kind!r} claim needs a reference fact")
    needs_event = kind == "weekday" or (kind == "date" and claim.article_interval is None)
    if needs_event and not claim.event_ids:
        raise _error(claim, "event_ids", f"a {kind!r} claim needs the event it dates")
    if kind in ("order", "content", "absent") and not claim.article_reading:
        raise _error(claim, "article_reading", f"a {kind!r} claim needs the article's reading")
    if kind in ("content", "absent") and not claim.note:
        raise _error(claim, "note", f"a {kind!r} claim is explained by its note")
    if (kind == "content") != bool(claim.verdict):
        problem = "needs the coder's verdict" if kind == "content" else "is computed, not given"
        raise _error(claim, "verdict", f"the verdict of a {kind!r} claim {problem}")
    if claim.verdict and claim.verdict not in VERDICTS:
        raise _error(claim, "verdict", f"{claim.verdict!r} is not one of {list(VERDICTS)}")
    if (kind == "order") != bool(claim.order):
        raise _error(claim, "order", "order claims, and only they, need an order")
    for fact_id, _, _ in claim.order:
        if fact_id not in claim.fact_ids:
            raise _error(claim, "order", f"{fact_id} is not among the claim's fact_ids")
    if claim.article_interval is not None and kind != "date":
        raise _error(claim, "article_interval", "only date claims give an interval")
    if claim.count_on and kind != "count":
        raise _error(claim, "count_on", "only count claims give a day to count on")


def _interval(value: str, path: Path, row: int) -> tuple[str | None, str | None] | None:
    """``"2022-01-01/2022-12-31"``, ``"../2013-12-31"`` (open start) or empty (no override)."""
    if not value:
        return None
    parts = value.split("/")
    if len(parts) != 2 or parts == [_OPEN, _OPEN]:
        raise DataError(path, row, "article_interval", f"{value!r} is not START/END")
    days = [
        None if part == _OPEN else parse_date_cell(part, path, row, "article_interval")
        for part in parts
    ]
    if days[0] is not None and days[1] is not None and days[1] < days[0]:
        raise DataError(path, row, "article_interval", f"{value!r} ends before it starts")
    return (None if days[0] is None else parts[0], None if days[1] is None else parts[1])


def _order(value: str, path: Path, row: int) -> tuple[tuple[str, str, str], ...]:
    """``"F15 before 2022-06-30;F17 after 2022-06-30"``."""
    out = []
    for part in parse_ids(value, path, row, "order", what="order item"):
        match = _ORDER.fullmatch(part)
        if match is None:
            raise DataError(path, row, "order", f"{part!r} is not 'F01 before|after YYYY-MM-DD'")
        parse_date_cell(match[3], path, row, "order")
        out.append((match[1], match[2], match[3]))
    return tuple(out)


def _ids(value: str, path: Path, row: int, column: str, pattern: re.Pattern) -> tuple[str, ...]:
    ids = parse_ids(value, path, row, column)
    for part in ids:
        if pattern.fullmatch(part) is None:
            raise DataError(path, row, column, f"{part!r} is not like {pattern.pattern}")
    return tuple(ids)


def _claim(record: dict, path: Path) -> Claim:
    """One row of the claims table as a :class:`Claim`, every cell checked."""
    row = int(record["_row"])
    for column, pattern in (("article_id", _ARTICLE_ID), ("claim_id", _CLAIM_ID)):
        if pattern.fullmatch(record[column]) is None:
            raise DataError(path, row, column, f"{record[column]!r} is not like {pattern.pattern}")
    occurrence = record["occurrence"] or "1"
    if not occurrence.isascii() or not occurrence.isdigit() or int(occurrence) < 1:
        raise DataError(path, row, "occurrence", f"{occurrence!r} is not 1, 2, 3, ...")
    if record["count_on"]:
        parse_date_cell(record["count_on"], path, row, "count_on")
    claim = Claim(
        claim_id=record["claim_id"],
        kind=record["kind"],
        quote_nl=record["quote_nl"],
        gloss_en=record["gloss_en"],
        fact_ids=_ids(record["fact_ids"], path, row, "fact_ids", _FACT_ID),
        event_ids=_ids(record["event_ids"], path, row, "event_ids", _EVENT_ID),
        nth=int(occurrence) - 1,
        point=record["point"] or "interval",
        article_interval=_interval(record["article_interval"], path, row),
        article_reading=record["article_reading"],
        places=tuple(parse_ids(record["places"], path, row, "places", what="place")),
        count_on=record["count_on"],
        order=_order(record["order"], path, row),
        verdict=record["verdict"],
        note=record["note"],
        article_id=record["article_id"],
        source=str(path),
        row=row,
    )
    check_claim(claim)
    return claim


def load_claims(
    path: str | Path | None = None, articles: Iterable[str] | None = None
) -> tuple[Claim, ...]:
    """The claims of ``data/reference/claims.csv`` (or ``path``), in file order; only those of
    the article ids in ``articles`` when given. Every problem raises :class:`DataError` naming
    the file, row and column: a missing or empty required cell (article_id, claim_id, kind,
    quote_nl, gloss_en), a repeated ``(article_id, claim_id)``, a kind, point or verdict
    outside its values, a malformed id, id list, date, interval or order, and what a kind
    needs (:func:`check_claim`). Whether the quotes, facts and events exist is checked by
    :func:`fact_check`, against the article, reference and events it is given."""
    path = Path(path) if path is not None else CLAIMS_PATH
    table = read_table(path, CLAIM_COLUMNS)
    check_required(table, ["article_id", "claim_id", "kind", "quote_nl", "gloss_en"], path)
    check_unique(table, ["article_id", "claim_id"], path)
    check_allowed(table, "kind", KINDS, path)
    check_allowed(table, "point", ("", *POINTS), path)
    check_allowed(table, "verdict", ("", *VERDICTS), path)
    claims = tuple(_claim(record, path) for record in table.to_dict("records"))
    if articles is not None:
        wanted = set(articles)
        claims = tuple(c for c in claims if c.article_id in wanted)
    return claims


# --- checking -----------------------------------------------------------------------------------


def _fmt(day: pd.Timestamp | None) -> str:
    return "open" if day is None else format_day(day)


def _span(start: pd.Timestamp | None, end: pd.Timestamp | None) -> str:
    if start is not None and end is not None and start == end:
        return _fmt(start)
    if start is None:
        return f"before {_fmt(end + pd.Timedelta(days=1))}" if end is not None else "any time"
    return f"{_fmt(start)} to {_fmt(end)}"


def _locate(article: Article, claim: Claim) -> tuple[int, int]:
    position = -1
    for _ in range(claim.nth + 1):
        position = article.raw.find(claim.quote_nl, position + 1)
        if position < 0:
            where = f"occurrence {claim.nth + 1} of the quote" if claim.nth else "the quote"
            raise _error(claim, "quote_nl", f"{where} is not in article {article.id}")
    return position, position + len(claim.quote_nl)


def _event(events: pd.DataFrame, claim: Claim) -> pd.Series:
    if not claim.event_ids:
        raise _error(claim, "event_ids", "needs an event")
    match = events[events["event_id"] == claim.event_ids[0]]
    if match.empty:
        where = events.attrs.get("path", "the events")
        raise _error(claim, "event_ids", f"{claim.event_ids[0]} is not in {where}")
    return match.iloc[0]


def _article_interval(events: pd.DataFrame, claim: Claim):
    """The article's own reading: the linked event's interval (never the reference's)."""
    if claim.article_interval is not None:
        start, end = claim.article_interval
        return (
            pd.Timestamp(start) if start else None,
            pd.Timestamp(end) if end else None,
            "",
        )
    event = _event(events, claim)
    if event["date_basis"] == "reference":
        problem = f"{event['event_id']} is dated by the reference: give article_interval"
        raise _error(claim, "event_ids", problem)
    phrase = event["time_phrase_nl"]
    how = f"'{phrase}', " if phrase else ""
    return event["date_start"], event["date_end"], f"{how}read as"


def _with_note(text: str, claim: Claim) -> str:
    text = f"{text}; {claim.note}." if claim.note else f"{text}."
    return text[:1].upper() + text[1:]


def _check_date(claim: Claim, events: pd.DataFrame, facts: pd.DataFrame):
    a_start, a_end, how = _article_interval(events, claim)
    fact = facts.loc[claim.fact_ids[0]]
    r_start = fact["date_start"]
    r_end = fact["date_start"] if claim.point == "start" else fact["date_end"]
    article_says = f"{how} {_span(a_start, a_end)}".strip()
    what = "starts" if claim.point == "start" else "is dated"
    reference_says = f"{_span(r_start, r_end)} ({claim.fact_ids[0]})"
    inside_start = a_start is None or a_start <= r_start
    inside_end = a_end is None or r_end <= a_end
    if inside_start and inside_end:
        if (a_start, a_end) == (r_start, r_end):
            verdict = "agrees"
            text = f"{claim.fact_ids[0]} {what} {_span(r_start, r_end)}, as the article says"
        else:
            verdict = "reference_more_precise"
            text = (
                f"{claim.fact_ids[0]} {what} {_span(r_start, r_end)}, inside the article's "
                f"interval ({_span(a_start, a_end)})"
            )
    elif a_start is not None and a_end is not None and r_start <= a_start and a_end <= r_end:
        verdict = "agrees"
        text = f"the article's {_span(a_start, a_end)} lies within {claim.fact_ids[0]}'s dates"
    else:
        verdict = "disagrees"
        text = (
            f"{claim.fact_ids[0]} {what} {_span(r_start, r_end)}, outside the article's "
            f"interval ({_span(a_start, a_end)})"
        )
    return article_says, reference_says, verdict, _with_note(text, claim)


def _check_weekday(claim: Claim, events: pd.DataFrame, facts: pd.DataFrame, article: Article):
    event = _event(events, claim)
    phrase = next((w for w in WEEKDAYS if w in claim.quote_nl.lower()), None)
    if phrase is None:
        raise _error(claim, "quote_nl", "no weekday in the quote")
    weekday = WEEKDAYS.index(phrase)
    days = pd.date_range(event["date_start"], event["date_end"], freq="D")
    candidates = [d for d in days if d.weekday() == weekday]
    article_says = (
        f"a {_WEEKDAYS_EN[weekday]} ('{phrase}'); against publication {article.date}: "
        + ", ".join(_fmt(d) for d in candidates)
    )
    fact = facts.loc[claim.fact_ids[0]]
    ref_days = pd.date_range(fact["date_start"], fact["date_end"], freq="D")
    names = sorted({_WEEKDAYS_EN[d.weekday()] for d in ref_days}, key=_WEEKDAYS_EN.index)
    reference_says = f"{_span(fact['date_start'], fact['date_end'])}, a {'/'.join(names)} " + (
        f"({claim.fact_ids[0]})"
    )
    if any(d.weekday() == weekday for d in ref_days):
        verdict = "agrees" if len(ref_days) == 1 else "reference_more_precise"
        text = f"{claim.fact_ids[0]} falls on a {_WEEKDAYS_EN[weekday]}, as the article says"
    else:
        first = ref_days[0]
        same_week = first + pd.Timedelta(days=weekday - first.weekday())
        verdict = "disagrees"
        text = (
            f"{claim.fact_ids[0]} dates it to {_WEEKDAYS_EN[first.weekday()]} {_fmt(first)}; "
            f"the {_WEEKDAYS_EN[weekday]} of that week was {_fmt(same_week)}, so "
            f"'{phrase}' does not match the reference"
        )
    return article_says, reference_says, verdict, _with_note(text, claim)


def _check_count(claim: Claim, article: Article, membership: pd.DataFrame):
    words = [w.strip(".,()") for w in claim.quote_nl.lower().split()]
    number_word = next((w for w in words if w in NUMBERS), None)
    if number_word is None:
        raise _error(claim, "quote_nl", "no number word in the quote")
    stated = NUMBERS[number_word]
    day = pd.Timestamp(claim.count_on) if claim.count_on else article.date_end
    members = members_on(day, membership)
    rows = membership[(membership["date"] <= day) & membership["event"].isin(_CHANGES)]
    last = rows.sort_values("date", kind="stable").groupby("state_id").tail(1)
    cited = tuple(f"csto_membership.csv row {row}" for row in sorted(last["_row"]))
    article_says = f"{stated} member states ('{number_word}'), as of publication {article.date}"
    reference_says = f"{len(members)} members on {_fmt(day)}: {', '.join(members)}"
    if len(members) == stated:
        verdict = "agrees"
        text = f"the membership table gives {len(members)} members on {_fmt(day)}, as stated"
    else:
        verdict = "disagrees"
        gone = sorted(
            set(membership.loc[membership["event"].isin(_LEAVES), "state_id"]) - set(members)
        )
        periods = _count_periods(membership, stated)
        when = (
            "; there were " + str(stated) + " only " + ", ".join(f"{a} to {b}" for a, b in periods)
            if periods
            else ""
        )
        text = (
            f"the membership table gives {len(members)} members on {_fmt(day)} "
            f"({', '.join(members)}; not {', '.join(gone)}), not {stated}{when}"
        )
    return article_says, reference_says, verdict, _with_note(text, claim), cited


def _check_place(claim: Claim, facts: pd.DataFrame):
    fact = facts.loc[claim.fact_ids[0]]
    place = str(fact["place"])
    reference_says = f"{place} ({claim.fact_ids[0]})"
    if not claim.places:
        article_says = claim.article_reading or "no place named"
        verdict = "reference_more_precise"
        text = f"the article names no place; {claim.fact_ids[0]} gives {place}"
    else:
        article_says = " / ".join(claim.places)
        hit = [p for p in claim.places if p.lower() in place.lower()]
        verdict = "agrees" if hit else "disagrees"
        text = (
            f"{claim.fact_ids[0]} gives {place}, which includes {hit[0]}"
            if hit
            else f"{claim.fact_ids[0]} gives {place}, not {claim.places[0]}"
        )
    return article_says, reference_says, verdict, _with_note(text, claim)


def _check_order(claim: Claim, facts: pd.DataFrame):
    parts, ok = [], True
    for fact_id, relation, anchor in claim.order:
        fact = facts.loc[fact_id]
        day = pd.Timestamp(anchor)
        holds = fact["date_end"] <= day if relation == "before" else fact["date_start"] > day
        ok = ok and holds
        parts.append(
            f"{fact_id} {_span(fact['date_start'], fact['date_end'])} is "
            f"{'' if holds else 'not '}{relation} {_fmt(day)}"
        )
    reference_says = "; ".join(
        f"{f}: {_span(facts.loc[f, 'date_start'], facts.loc[f, 'date_end'])}"
        for f in claim.fact_ids
    )
    verdict = "agrees" if ok else "disagrees"
    return claim.article_reading, reference_says, verdict, _with_note(", ".join(parts), claim)


def _verdict(
    claim: Claim, article: Article, events: pd.DataFrame, facts: pd.DataFrame, membership
) -> tuple[str, str, str, str, tuple[str, ...]]:
    """(article says, reference says, verdict, explanation, cited ids) of one claim."""
    cited = claim.fact_ids
    if claim.kind == "date":
        return (*_check_date(claim, events, facts), cited)
    if claim.kind == "weekday":
        return (*_check_weekday(claim, events, facts, article), cited)
    if claim.kind == "count":
        return _check_count(claim, article, membership)
    if claim.kind == "place":
        return (*_check_place(claim, facts), cited)
    if claim.kind == "order":
        return (*_check_order(claim, facts), cited)
    text = claim.note[:1].upper() + claim.note[1:] + "."
    if claim.kind == "content":
        ref_says = "; ".join(f"{f}: {facts.loc[f, 'statement_en']}" for f in claim.fact_ids)
        return claim.article_reading, ref_says, claim.verdict, text, cited
    return claim.article_reading, "", "not_in_reference", text, cited  # absent


def fact_check(
    article: Article,
    events: pd.DataFrame,
    reference: pd.DataFrame,
    membership: pd.DataFrame | None = None,
    claims: Iterable[Claim] | None = None,
) -> pd.DataFrame:
    """One row per claim of ``article`` (columns :data:`FACTCHECK_COLUMNS`), in the claims'
    order. ``claims`` default to the article's rows of ``data/reference/claims.csv``
    (:func:`load_claims`); ``events`` are the coded events (those of other articles are
    ignored); ``reference`` is :func:`load_reference_events`; ``membership`` defaults to
    :func:`load_membership`. Raises :class:`DataError` naming the claim's file, row and column
    for a claim whose quote is not in the article, that cites a fact id the reference does not
    hold, or an event that the (non-empty) events lack. Claims are read through their coded
    events: with no events coded there is nothing to check, and the table has no rows."""
    if "article_id" in events.columns:
        events = events[events["article_id"] == article.id]
    if events.empty:
        return pd.DataFrame(columns=list(FACTCHECK_COLUMNS))
    claims = load_claims(articles=[article.id]) if claims is None else tuple(claims)
    membership = membership if membership is not None else load_membership()
    facts = reference.set_index("fact_id", drop=False)
    ref_path = reference.attrs.get("path", str(REFERENCE_EVENTS))
    rows = []
    for claim in claims:
        check_claim(claim)
        for fact_id in claim.fact_ids:
            if fact_id not in facts.index:
                raise _error(claim, "fact_ids", f"{fact_id!r} is not in {ref_path}")
        start, end = _locate(article, claim)
        says, ref_says, verdict, text, cited = _verdict(claim, article, events, facts, membership)
        rows.append(
            {
                "article_id": article.id,
                "claim_id": claim.claim_id,
                "kind": claim.kind,
                "event_ids": ";".join(claim.event_ids),
                "quote_nl": claim.quote_nl,
                "quote_start": start,
                "quote_end": end,
                "gloss_en": claim.gloss_en,
                "article_says": says,
                "reference_says": ref_says,
                "reference_fact_ids": ";".join(cited),
                "verdict": verdict,
                "explanation": text,
            }
        )
    return pd.DataFrame(rows, columns=list(FACTCHECK_COLUMNS))
