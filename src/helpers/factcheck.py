"""Check the article's dated, counted and located claims against the reference facts.

The article's own reading is never overwritten: each claim keeps what the article says (from the
coded events, read against the publication date) beside what the reference says, and a verdict:

* ``agrees``: the reference says the same (or the article is the more precise of the two);
* ``reference_more_precise``: consistent, but the reference pins it down further;
* ``disagrees``: the reference contradicts the article's reading;
* ``not_in_reference``: no reference fact covers the claim.

Date, weekday, count, place and order claims are decided by comparing data; ``content`` claims
(wording, who did what) carry the coder's reading of the reference row, stated in the claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.actors import load_membership, members_on
from helpers.article import Article
from helpers.events import REFERENCE_EVENTS, load_reference_events
from helpers.tables import DataError
from helpers.timex import NUMBERS, WEEKDAYS

__all__ = [
    "CLAIMS",
    "FACTCHECK_COLUMNS",
    "REFERENCE_EVENTS",
    "VERDICTS",
    "Claim",
    "fact_check",
    "load_reference_events",
]

VERDICTS = ("agrees", "reference_more_precise", "disagrees", "not_in_reference")
FACTCHECK_COLUMNS = (
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
    """One checkable claim of the article.

    kind: date | weekday | count | place | order | content | absent. ``event_ids`` link to
    events.csv, whose interval is the article's reading of a date claim (unless ``article_interval``
    overrides it, for events dated from the reference). ``point``: compare the reference fact's
    whole interval or only its ``start`` (when the fact runs on after the claimed act).
    """

    claim_id: str
    kind: str
    quote_nl: str
    gloss_en: str
    fact_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    nth: int = 0  # which occurrence of quote_nl in the article
    point: str = "interval"
    article_interval: tuple[str | None, str | None] | None = None  # None = open end
    article_reading: str = ""  # for kinds whose reading is not a date
    places: tuple[str, ...] = ()  # place: the article's place in the reference's spelling
    count_on: str = ""  # count: the day to count members on (default: end of publication)
    order: tuple[tuple[str, str, str], ...] = ()  # order: (fact_id, before|after, YYYY-MM-DD)
    verdict: str = ""  # content: the coder's verdict from reading the reference row
    note: str = ""  # appended to the explanation


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "C01",
        "weekday",
        "Terwijl Poetin dinsdag in de Armeense hoofdstad Jerevan vergaderde",
        "While Putin met in Yerevan on Tuesday",
        fact_ids=("F01",),
        event_ids=("E08",),
    ),
    Claim(
        "C02",
        "place",
        "in de Armeense hoofdstad Jerevan vergaderde met zijn bondgenoten",
        "met his allies in the Armenian capital Yerevan",
        fact_ids=("F01",),
        event_ids=("E08",),
        places=("Yerevan",),
    ),
    Claim(
        "C03",
        "content",
        "De voorzitter, Armenië’s premier Nikol Pasjinjan, legde zijn pen op tafel, en weigerde "
        "zijn handtekening te zetten onder een slotverklaring",
        "The chair, Armenia's prime minister Pashinyan, put down his pen and refused to sign a "
        "final declaration",
        fact_ids=("F01", "F02"),
        event_ids=("E01",),
        article_reading="Pashinyan chaired the meeting and refused to sign the final declaration",
        verdict="agrees",
        note="F01 has Armenia chairing the summit and F02 has Pashinyan declining to sign the "
        "declaration (and the draft on joint CSTO assistance for Armenia)",
    ),
    Claim(
        "C04",
        "date",
        "dit najaar niet ingegrepen, toen Azerbeidzjan Armenië aanviel",
        "did not intervene this autumn, when Azerbaijan attacked Armenia",
        fact_ids=("F04",),
        event_ids=("E06",),
        note="13-14 September lies in meteorological autumn (from 1 September) but before "
        "astronomical autumn (equinox 23 September 2022), so 'dit najaar' holds in the broad "
        "sense only",
    ),
    Claim(
        "C05",
        "place",
        "in de betwiste regio Nagorno Karabach",
        "in the disputed region of Nagorno-Karabakh",
        fact_ids=("F04",),
        event_ids=("E06",),
        places=("Karabakh",),
        note="F04 has the attack on Armenia's internationally recognised territory (Jermuk, "
        "Goris, Sotk, Kapan, Vardenis), not on Nagorno-Karabakh",
    ),
    Claim(
        "C06",
        "count",
        "Artikel 4 van het CSTO-verdrag bepaalt dat de zeven CSTO-lidstaten",
        "Article 4 of the CSTO treaty provides that the seven CSTO member states",
        event_ids=("E09",),
    ),
    Claim(
        "C07",
        "absent",
        "Artikel 4 van het CSTO-verdrag bepaalt dat de zeven CSTO-lidstaten (zie kaart) elkaar "
        "militair bijstaan in geval van agressie",
        "Article 4 of the treaty provides for mutual military assistance in case of aggression",
        event_ids=("E09",),
        article_reading="Article 4 obliges the members to assist each other militarily",
        note="the reference tables hold no treaty text, so the article's account of Article 4 "
        "cannot be checked here",
    ),
    Claim(
        "C08",
        "date",
        "In de praktijk stuurde het bondgenootschap slechts waarnemers",
        "In practice the alliance only sent observers",
        fact_ids=("F06",),
        event_ids=("E10",),
        point="start",
        note="F05 and F06 describe a CSTO mission (a military team, then the Secretary General) "
        "rather than troops, which fits 'slechts waarnemers'",
    ),
    Claim(
        "C09",
        "date",
        "Waarnemers stuurde de Europese Unie ook",
        "The European Union sent observers too",
        fact_ids=("F08",),
        event_ids=("E11",),
        point="start",
        note="the EU mission was agreed on 6 October and worked until 19 December 2022",
    ),
    Claim(
        "C10",
        "absent",
        "en bemiddelaars bovendien",
        "and mediators as well",
        event_ids=("E12",),
        article_reading="the EU also sent mediators",
        note="no reference fact covers EU mediation between Armenia and Azerbaijan",
    ),
    Claim(
        "C11",
        "date",
        "suggereerde de bezoekende Nancy Pelosi, voorzitter van het Amerikaanse Huis van "
        "Afgevaardigden",
        "suggested the visiting Nancy Pelosi, Speaker of the US House of Representatives",
        fact_ids=("F07",),
        event_ids=("E14",),
        note="F07 also confirms her office, Speaker of the House",
    ),
    Claim(
        "C12",
        "date",
        "In september stond de CSTO ook goeddeels aan de zijlijn toen ‘bondgenoten’ Kirgizië en "
        "Tadzjikistan met elkaar in gevecht raakten",
        "In September the CSTO largely stood aside when 'allies' Kyrgyzstan and Tajikistan fought",
        fact_ids=("F09",),
        event_ids=("E16",),
    ),
    Claim(
        "C13",
        "date",
        "Een geplande oefening van CSTO-troepen in Kirgizië kon niet doorgaan",
        "A planned CSTO exercise in Kyrgyzstan could not go ahead",
        fact_ids=("F10",),
        event_ids=("E17",),
        note="F10 confirms that Kyrgyzstan cancelled it (the exercise was planned for 10-14 "
        "October) but gives no reason, so the Tajik troops are the article's account only",
    ),
    Claim(
        "C14",
        "date",
        "Tijdens een bezoek van president Poetin in oktober ging Rachmon los",
        "During a visit by President Putin in October, Rahmon let rip",
        fact_ids=("F11",),
        event_ids=("E20",),
    ),
    Claim(
        "C15",
        "place",
        "Tijdens een bezoek van president Poetin",
        "During a visit by President Putin",
        fact_ids=("F11",),
        event_ids=("E21",),
        article_reading="'a visit by President Putin', host and place not named",
        note="the article's 'visit' reads like a bilateral visit, while F11 places the outburst "
        "at a multilateral summit in Astana where Rahmon too was a guest",
    ),
    Claim(
        "C16",
        "date",
        "In juni ging president Kassim-Jomart Tokajev van Kazachstan hun voor",
        "In June, President Tokayev of Kazakhstan went before them",
        fact_ids=("F12",),
        event_ids=("E25",),
    ),
    Claim(
        "C17",
        "place",
        "Op een bijeenkomst in Sint Petersburg",
        "At a gathering in St Petersburg",
        fact_ids=("F12",),
        event_ids=("E24",),
        places=("St Petersburg", "Saint Petersburg"),
    ),
    Claim(
        "C18",
        "content",
        "Loegansk, Donetsk, en ook het Georgische Zuid-Ossetië en Abchazië, zijn "
        "‘quasi-territoriale staten’, die erkennen we niet",
        "Luhansk, Donetsk, South Ossetia and Abkhazia are 'quasi-territorial states'; we do not "
        "recognise them",
        fact_ids=("F12",),
        event_ids=("E28",),
        article_reading="Kazakhstan will not recognise Luhansk, Donetsk, South Ossetia, Abkhazia",
        verdict="agrees",
        note="F12 has the same four refusals (and Taiwan and Kosovo) and the words 'quasi-state "
        "entities', which the article renders as 'quasi-territoriale staten'",
    ),
    Claim(
        "C19",
        "order",
        "die Rusland op dat moment nog niet had geannexeerd, maar had erkend als ‘onafhankelijke "
        "staten’",
        "which Russia had not yet annexed at that time, but had recognised as 'independent states'",
        fact_ids=("F15", "F17"),
        event_ids=("E26", "E27"),
        article_reading="in June 2022 Russia had recognised Luhansk and Donetsk but not annexed "
        "them",
        order=(("F15", "before", "2022-06-30"), ("F17", "after", "2022-06-30")),
    ),
    Claim(
        "C20",
        "date",
        "Toen Poetin in 2014 Kazachstan een kunstmatige staat noemde",
        "When Putin called Kazakhstan an artificial state in 2014",
        fact_ids=("F13",),
        event_ids=("E29",),
    ),
    Claim(
        "C21",
        "content",
        "Kazachstan een kunstmatige staat noemde",
        "called Kazakhstan an artificial state",
        fact_ids=("F13",),
        event_ids=("E29",),
        article_reading="Putin called Kazakhstan 'an artificial state'",
        verdict="reference_more_precise",
        note="F13 reports Putin saying the Kazakhs never had statehood before Nazarbayev, so "
        "'kunstmatige staat' is the article's paraphrase, not his words",
    ),
    Claim(
        "C22",
        "date",
        "een scenario dat zich eerder in Georgië had voltrokken",
        "a scenario that had played out earlier in Georgia",
        fact_ids=("F18",),
        event_ids=("E30",),
        article_interval=(None, "2013-12-31"),
        note="the article only says 'eerder', before Putin's remark of 2014",
    ),
    Claim(
        "C23",
        "date",
        "CSTO-troepen onder Russische leiding hem in januari nog hielpen",
        "CSTO troops under Russian command helped him in January",
        fact_ids=("F14",),
        event_ids=("E32",),
        note="F14 adds that about 2,030 troops came at Tokayev's request",
    ),
    Claim(
        "C24",
        "order",
        "Maar dat was voor de inval in Oekraïne",
        "But that was before the invasion of Ukraine",
        fact_ids=("F14", "F16"),
        event_ids=("E32", "E35"),
        article_reading="the January help came before the invasion",
        order=(("F16", "after", "2022-01-31"),),
    ),
    Claim(
        "C25",
        "date",
        "Loekasjenko, legde deze week een rechtstreeks verband",
        "Lukashenko this week made a direct link",
        fact_ids=("F03",),
        event_ids=("E37",),
    ),
    Claim(
        "C26",
        "content",
        "legde deze week een rechtstreeks verband tussen het verloop van de oorlog in Oekraïne en "
        "de CSTO",
        "tied the course of the war in Ukraine directly to the CSTO",
        fact_ids=("F03",),
        event_ids=("E37",),
        article_reading="Lukashenko himself tied the CSTO's survival to Russia winning the war",
        verdict="reference_more_precise",
        note="F03 adds that he attributed the link to others and called for unity, which the "
        "article's quotation leaves out",
    ),
    Claim(
        "C27",
        "absent",
        "ook niet met de demonstraties buiten het gebouw in de Armeense hoofdstad Jerevan",
        "nor with the demonstrations outside the building in Yerevan",
        event_ids=("E03", "E04"),
        article_reading="Ukrainians and Armenians demonstrated outside the summit",
        note="no reference fact covers the demonstrations",
    ),
)


# --- checking -----------------------------------------------------------------------------------


def _fmt(day: pd.Timestamp | None) -> str:
    return "open" if day is None else f"{day.day} {day.strftime('%b %Y')}"


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
            raise ValueError(f"claim {claim.claim_id}: quote not found in the article")
    return position, position + len(claim.quote_nl)


def _event(events: pd.DataFrame, claim: Claim) -> pd.Series:
    if not claim.event_ids:
        raise ValueError(f"claim {claim.claim_id} needs an event")
    match = events[events["event_id"] == claim.event_ids[0]]
    if match.empty:
        path = events.attrs.get("path", "events")
        raise DataError(path, None, "event_id", f"claim {claim.claim_id}: no {claim.event_ids[0]}")
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
        raise ValueError(f"claim {claim.claim_id}: {event['event_id']} is dated by the reference")
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
        raise ValueError(f"claim {claim.claim_id}: no weekday in the quote")
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
        raise ValueError(f"claim {claim.claim_id}: no number word in the quote")
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


def fact_check(
    article: Article,
    events: pd.DataFrame,
    reference: pd.DataFrame,
    membership: pd.DataFrame | None = None,
    claims: tuple[Claim, ...] = CLAIMS,
) -> pd.DataFrame:
    """One row per claim (columns :data:`FACTCHECK_COLUMNS`). ``reference`` is
    :func:`load_reference_events`; ``membership`` defaults to :func:`load_membership`. Raises
    :class:`DataError` for a claim that cites a fact id the reference does not hold, or an
    event that the (non-empty) events table lacks. Claims are read through their coded events:
    with no events coded there is nothing to check, and the table has no rows."""
    if events.empty:
        return pd.DataFrame(columns=list(FACTCHECK_COLUMNS))
    membership = membership if membership is not None else load_membership()
    facts = reference.set_index("fact_id", drop=False)
    ref_path = reference.attrs.get("path", str(REFERENCE_EVENTS))
    rows = []
    for claim in claims:
        for fact_id in claim.fact_ids:
            if fact_id not in facts.index:
                raise DataError(
                    ref_path, None, "fact_id", f"claim {claim.claim_id} cites unknown {fact_id!r}"
                )
        start, end = _locate(article, claim)
        cited = claim.fact_ids
        if claim.kind == "date":
            says, ref_says, verdict, text = _check_date(claim, events, facts)
        elif claim.kind == "weekday":
            says, ref_says, verdict, text = _check_weekday(claim, events, facts, article)
        elif claim.kind == "count":
            says, ref_says, verdict, text, cited = _check_count(claim, article, membership)
        elif claim.kind == "place":
            says, ref_says, verdict, text = _check_place(claim, facts)
        elif claim.kind == "order":
            says, ref_says, verdict, text = _check_order(claim, facts)
        elif claim.kind == "content":
            if claim.verdict not in VERDICTS:
                raise ValueError(f"claim {claim.claim_id}: verdict {claim.verdict!r}")
            says, verdict = claim.article_reading, claim.verdict
            ref_says = "; ".join(f"{f}: {facts.loc[f, 'statement_en']}" for f in claim.fact_ids)
            text = claim.note[:1].upper() + claim.note[1:] + "."
        elif claim.kind == "absent":
            if claim.fact_ids:
                raise ValueError(f"claim {claim.claim_id}: 'absent' claims cite no facts")
            says, ref_says, verdict = claim.article_reading, "", "not_in_reference"
            text = claim.note[:1].upper() + claim.note[1:] + "."
        else:
            raise ValueError(f"claim {claim.claim_id}: unknown kind {claim.kind!r}")
        rows.append(
            {
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
