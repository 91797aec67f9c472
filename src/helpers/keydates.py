"""Key dates of the figures, read from the reference facts, not written into the code.

A reference fact (``data/reference/events_reference.csv``) with a ``figure_label`` is drawn in
figures as a dashed line at its first day; its ``figure_role`` says where:

* ``key``: on the timelines of the analysis window (notebook 05);
* ``turning_point``: there, and also on the long timeline of CSTO membership (notebook 02);
* ``occasion``: there, and its day is the day on which figures count CSTO members (the news
  event the reporting is about: the Yerevan summit of 23 November 2022 for the seed article).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.events import FIGURE_ROLES
from helpers.network import DateLike, Window

__all__ = ["format_day", "key_dates", "occasion_day"]


def format_day(day: DateLike) -> str:
    """``"23 Nov 2022"``: the day as figures, tables and the fact check write it."""
    day = pd.Timestamp(day)
    return f"{day.day} {day:%b %Y}"


def _drawn(reference: pd.DataFrame, roles: Iterable[str]) -> pd.DataFrame:
    roles = tuple(roles)
    unknown = sorted(set(roles) - set(FIGURE_ROLES))
    if unknown:
        raise ValueError(f"unknown figure role(s) {unknown}; choose from {list(FIGURE_ROLES)}")
    drawn = reference[reference["figure_role"].isin(roles)]
    return drawn.sort_values(["date_start", "fact_id"], kind="stable")


def key_dates(
    reference: pd.DataFrame, window: Window | None = None, roles: Iterable[str] = FIGURE_ROLES
) -> dict[str, str]:
    """The key dates to draw, ``{"CSTO summit in Yerevan (23 Nov)": "2022-11-23", ...}``: the
    reference facts (:func:`helpers.events.load_reference_events`) whose ``figure_role`` is one
    of ``roles`` and whose first day lies in ``window`` (all of them without a window), in date
    order. A label ends with the day and month, and with the year unless the window lies within
    one calendar year."""
    drawn = _drawn(reference, roles)
    if window is not None:
        inside = (drawn["date_start"] >= window.start) & (drawn["date_start"] <= window.end)
        drawn = drawn[inside]
    with_year = window is None or not window.within_one_year()
    out = {}
    for fact in drawn.itertuples():
        day = (
            format_day(fact.date_start)
            if with_year
            else f"{fact.date_start.day} {fact.date_start:%b}"
        )
        out[f"{fact.figure_label} ({day})"] = f"{fact.date_start:%Y-%m-%d}"
    return out


def occasion_day(reference: pd.DataFrame, until: DateLike) -> pd.Timestamp:
    """The day on which figures count CSTO members: the first day of the latest reference fact
    with ``figure_role`` ``occasion`` that starts on or before ``until`` (the last publication
    day of the articles); without such a fact, ``until`` itself."""
    until = pd.Timestamp(until).normalize()
    occasions = _drawn(reference, ["occasion"])
    occasions = occasions[occasions["date_start"] <= until]
    return occasions["date_start"].iloc[-1] if not occasions.empty else until
