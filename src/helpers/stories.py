"""Story events: one real-world act told by several reports becomes one event.

Coded events are *reports*: what one article says happened. When several articles tell the same
act (Pashinyan refusing to sign in Yerevan), counting each report would weigh the act by how
often it was told. The grouping rule (the codebook states it, ``data/README.md``):

Two reports, of **different articles**, tell the same act when they have

1. the same actor states and the same recipient states (people and cities merged into their
   state, as :func:`helpers.network.to_states` does: Pashinyan's refusal and Armenia's are one);
2. the same PLOVER event type;
3. compatible modality: ``asserted`` and ``reported_speech`` go together; ``negated`` only with
   ``negated``; ``hypothetical`` only with ``hypothetical``;
4. overlapping date intervals.

Reports are taken in date order (``date_start``, ``date_end``, then ``article_id:event_id``);
each joins the first story of its group (1-3) whose dates so far (the union of its reports'
intervals) overlap its own and that holds no report of its article yet, else it starts a new
story. Two events of one article are never one story: the coder already decided they are two
acts. A story's interval is the intersection of its reports' intervals, the narrowest that all
reports allow; because reports join by overlap with the story so far, a chain A~B~C can join A
and C that do not overlap (A says 23 November, C the 22nd, B "in November"): the intersection is
then empty, and the story carries the union instead, with ``conflict=True``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from helpers.actors import load_actors
from helpers.corpus import registry_of
from helpers.events import MODALITIES
from helpers.network import TENSION_MODALITIES, WEIGHT_DECIMALS, event_graph, state_mapper
from helpers.tables import ID_SEPARATOR, split_ids
from helpers.timex import PRECISIONS, fits

__all__ = [
    "MODALITY_GROUPS",
    "STORY_COLUMNS",
    "report_key",
    "story_events",
    "story_graph",
]

# Modalities that may tell the same act: those the network counts as acts (a report in its own
# voice, a reported claim) agree; an act said not to have happened, or only feared, is a story
# of its own kind.
MODALITY_GROUPS = {m: "happened" if m in TENSION_MODALITIES else m for m in MODALITIES}
STORY_COLUMNS = (
    "story_id",
    "actor_ids",
    "recipient_ids",
    "actor_states",
    "recipient_states",
    "plover_event_type",
    "quad_class",
    "sign",
    "goldstein",
    "modality",
    "date_start",
    "date_end",
    "date_precision",
    "conflict",
    "n_reports",
    "n_outlets",
    "outlets",
    "article_ids",
    "event_ids",
    "gloss_en",
    "quote_nl",
)
# The typed columns of story_events(); every other column is text.
_DTYPES = {
    "sign": "int64",
    "goldstein": "float64",
    "conflict": "bool",
    "n_reports": "int64",
    "n_outlets": "int64",
    "date_start": "datetime64[s]",
    "date_end": "datetime64[s]",
}
UNKNOWN_OUTLET = "unknown:"  # + article id: an article whose outlet is not recorded


def report_key(article_id: str, event_id: str) -> str:
    """The id of one report of an event across the corpus: ``article_id:event_id``."""
    return f"{article_id}:{event_id}"


def report_article(key: str) -> str:
    """The article id of a :func:`report_key`: ``report_article("39a6002ab68b:E05")`` is
    ``"39a6002ab68b"``."""
    return key.partition(":")[0]


@dataclass
class _Story:
    reports: list[dict] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    first: pd.Timestamp | None = None  # the union of the reports' intervals so far
    last: pd.Timestamp | None = None

    def accepts(self, report: dict) -> bool:
        overlaps = report["date_start"] <= self.last and report["date_end"] >= self.first
        return overlaps and report["article_id"] not in self.articles

    def add(self, report: dict) -> None:
        self.reports.append(report)
        self.articles.add(report["article_id"])
        starts = [report["date_start"], *([self.first] if self.first is not None else [])]
        ends = [report["date_end"], *([self.last] if self.last is not None else [])]
        self.first, self.last = min(starts), max(ends)


def _reports(events: pd.DataFrame, state_of: Callable[[Hashable], Hashable]) -> list[dict]:
    """The events as report records, with their states and grouping key, in date order."""
    records = []
    for event in events.to_dict("records"):
        if pd.isna(event["date_start"]) or pd.isna(event["date_end"]):
            raise ValueError(f"event {event['event_id']}: a story needs both dates")
        actors = tuple(sorted({str(state_of(a)) for a in split_ids(event["actor_ids"])}))
        targets = tuple(sorted({str(state_of(a)) for a in split_ids(event["recipient_ids"])}))
        modality = MODALITY_GROUPS[event["modality"]]
        event["key"] = report_key(event["article_id"], event["event_id"])
        event["group"] = (actors, targets, event["plover_event_type"], modality)
        records.append(event)
    return sorted(records, key=lambda r: (r["date_start"], r["date_end"], r["key"]))


def _group(reports: Iterable[dict]) -> list[_Story]:
    """Stories by the module's rule: per group, each report joins the first story that
    accepts it (overlapping dates so far, no report of its article yet). Reports come in order
    of their first day, so a story that ends before a report starts can take no later report:
    it is closed, and the search stays short however many acts a group holds."""
    stories: list[_Story] = []
    open_: dict[tuple, list[_Story]] = {}
    for report in reports:
        candidates = [s for s in open_.get(report["group"], []) if s.last >= report["date_start"]]
        story = next((s for s in candidates if s.accepts(report)), None)
        if story is None:
            story = _Story()
            stories.append(story)
            candidates.append(story)
        story.add(report)
        open_[report["group"]] = candidates
    return stories


def _joined(values: Iterable[str]) -> str:
    return ID_SEPARATOR.join(dict.fromkeys(v for value in values for v in split_ids(value)))


def _precision(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return next(p for p in PRECISIONS if fits(p, start.date(), end.date()))


def _story_row(story: _Story, outlet_of: Callable[[str], str]) -> dict:
    reports = story.reports
    lead = reports[0]
    first = max(r["date_start"] for r in reports)
    last = min(r["date_end"] for r in reports)
    conflict = first > last
    if conflict:
        first, last = story.first, story.last
    modalities = {r["modality"] for r in reports}
    modality = lead["modality"]
    if MODALITY_GROUPS[modality] == "happened":
        modality = "asserted" if "asserted" in modalities else "reported_speech"
    articles = list(dict.fromkeys(r["article_id"] for r in reports))
    outlets = sorted({outlet_of(a) for a in articles})
    goldstein = math.fsum(float(r["goldstein"]) for r in reports) / len(reports)
    return {
        "actor_ids": _joined(r["actor_ids"] for r in reports),
        "recipient_ids": _joined(r["recipient_ids"] for r in reports),
        "actor_states": ID_SEPARATOR.join(lead["group"][0]),
        "recipient_states": ID_SEPARATOR.join(lead["group"][1]),
        "plover_event_type": lead["plover_event_type"],
        "quad_class": lead["quad_class"],
        "sign": int(lead["sign"]),
        "goldstein": round(goldstein, WEIGHT_DECIMALS) + 0.0,
        "modality": modality,
        "date_start": first,
        "date_end": last,
        "date_precision": _precision(first, last),
        "conflict": conflict,
        "n_reports": len(reports),
        "n_outlets": len(outlets),
        "outlets": ID_SEPARATOR.join(outlets),
        "article_ids": ID_SEPARATOR.join(articles),
        "event_ids": ID_SEPARATOR.join(r["key"] for r in reports),
        "gloss_en": lead["gloss_en"],
        "quote_nl": lead["quote_nl"],
    }


def _outlets(registry: pd.DataFrame) -> Callable[[str], str]:
    named = dict(zip(registry["article_id"], registry["outlet"], strict=True))
    return lambda article_id: named.get(article_id) or f"{UNKNOWN_OUTLET}{article_id}"


def story_events(
    events: pd.DataFrame,
    registry: pd.DataFrame | str | Path | None = None,
    actors: pd.DataFrame | None = None,
    merge_kinds: Iterable[str] = ("person", "city"),
) -> pd.DataFrame:
    """Group the events (reports, as :func:`helpers.events.load_events` gives them) into story
    events by the rule of this module; one row per story, columns :data:`STORY_COLUMNS`.

    ``story_id``: ``S01``, ``S02``, ... in order of (date_start, date_end, first report); the
    ids are not stable when the corpus changes: ``event_ids`` (``article_id:event_id`` of each
    report, in date order) are. ``actor_ids``/``recipient_ids``: every id the reports name (so
    :func:`helpers.network.to_states` merges them as it merges events);
    ``actor_states``/``recipient_states``: the states they were grouped by. ``goldstein``: the
    mean of the reports' scores (one PLOVER type, so one quad class and sign). ``modality``:
    ``asserted`` when any report asserts the act, else that of the reports. ``date_start``,
    ``date_end``: the intersection of the reports' intervals, or their union when the
    intersection is empty (``conflict`` True); ``date_precision``: the finest that fits it.
    ``n_outlets``: distinct outlets of the registry (``registry``: the table or its path,
    default ``data/articles.csv``); an article without a recorded outlet counts as an outlet of
    its own, ``unknown:<article_id>`` in ``outlets``. ``gloss_en``, ``quote_nl``: of the first
    report. An event of one article is one story with ``n_reports`` 1.
    """
    state_of = state_mapper(load_actors() if actors is None else actors, merge_kinds)
    outlet_of = _outlets(registry_of(registry))
    stories = [_story_row(s, outlet_of) for s in _group(_reports(events, state_of))]
    stories.sort(key=lambda row: (row["date_start"], row["date_end"], row["event_ids"]))
    width = max(2, len(str(len(stories))))
    for number, row in enumerate(stories, start=1):
        row["story_id"] = f"S{number:0{width}d}"
    frame = pd.DataFrame(stories, columns=list(STORY_COLUMNS))
    return frame.astype({c: _DTYPES.get(c, "str") for c in STORY_COLUMNS})


def story_graph(
    stories: pd.DataFrame, actors: pd.DataFrame | None = None, columns: Iterable[str] | None = None
) -> nx.MultiDiGraph:
    """The event graph of story events (:func:`helpers.network.event_graph` keyed by
    ``story_id``): merge people into states with :func:`helpers.network.to_states`, then
    :func:`helpers.network.collapse` sums story events, not reports, and gives each tie
    ``n_reports`` and ``n_outlets``."""
    return event_graph(stories, actors, columns, key="story_id")
