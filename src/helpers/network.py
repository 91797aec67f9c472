"""The alliance-tension network: coded events as a multigraph, signed snapshots, exports."""

from __future__ import annotations

import datetime
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from helpers.balance import (
    MAX_EXACT_NODES,
    frustration_index,
    sorted_nodes,
    triangle_balance,
)
from helpers.events import MODALITIES
from helpers.io import write_bytes
from helpers.tables import records, split_ids

__all__ = [
    "COLLAPSE_COLUMNS",
    "MODALITIES",
    "RULES",
    "TENSION_MODALITIES",
    "EventEdges",
    "Window",
    "actor_strength",
    "analysis_window",
    "balance_over_time",
    "collapse",
    "criticisms",
    "edge_table",
    "ego_network",
    "event_edges",
    "event_graph",
    "event_keys",
    "event_tension_sums",
    "export_graphs",
    "membership_layer",
    "month_window",
    "monthly_snapshots",
    "monthly_totals",
    "most_frustrated",
    "split_ids",
    "state_mapper",
    "tension_from_sums",
    "tension_sums",
    "to_states",
]

REQUIRED_COLUMNS = (
    "actor_ids",
    "recipient_ids",
    "goldstein",
    "date_start",
    "date_end",
    "modality",
)
# Modalities that count in the tension graph by default: what happened, or what someone is
# reported to have said happened. A denied ("negated") or merely possible ("hypothetical") act
# is not an act of cooperation or conflict.
TENSION_MODALITIES = ("asserted", "reported_speech")
# Score of one event on one pair, by collapse rule.
RULES: dict[str, Callable[[Mapping[str, Any]], float]] = {
    "goldstein_sum": lambda data: float(data["goldstein"]),
    "sign_sum": lambda data: float(data["sign"]),
}
WEIGHT_DECIMALS = 6  # pair sums are rounded so that e.g. +1.9 +1.5 -3.4 is exactly 0

DateLike = str | datetime.date | pd.Timestamp | None


# --- values ------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value)) if pd.api.types.is_scalar(value) else False
    except (TypeError, ValueError):
        return False


def _python(value: Any) -> Any:
    """A pandas/numpy cell as a plain Python value (missing -> None; timestamps kept)."""
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _day(value: DateLike) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return None if stamp is pd.NaT else stamp.normalize()


def _iso(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()


# --- the event multigraph ----------------------------------------------------------------


def _actor_attributes(actors: pd.DataFrame) -> dict[str, dict[str, Any]]:
    table = actors.set_index("actor_id") if "actor_id" in actors.columns else actors
    out = {}
    for actor_id, row in zip(table.index, records(table), strict=True):
        attrs = {k: _python(v) for k, v in row.items()}
        out[str(actor_id)] = {k: v for k, v in attrs.items() if v is not None}
    return out


def event_keys(events: pd.DataFrame, key: str | None = None) -> pd.Series:
    """The edge key of each event: the column ``key`` when given (``"story_id"`` for story
    events), else ``event_id``, written ``article_id:event_id`` when the events come from more
    than one article (an event id is unique only within its article)."""
    if key is not None:
        if key not in events.columns:
            raise ValueError(f"events: missing column(s) {[key]}")
        return events[key]
    if "event_id" not in events.columns:
        raise ValueError("events: missing column(s) ['event_id']")
    ids = events["event_id"]
    if "article_id" in events.columns and events["article_id"].nunique() > 1:
        return events["article_id"].astype(str) + ":" + ids.astype(str)
    return ids


def _each_distinct(column: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """``column.map(function)``, with ``function`` called once per distinct value."""
    cells = column.tolist()
    try:
        values = {cell: function(cell) for cell in set(cells)}
    except TypeError:  # unhashable cells: one call each
        return column.map(function)
    return pd.Series([values[cell] for cell in cells], index=column.index)


def _check_events(events: pd.DataFrame, ids: pd.Series) -> None:
    """Column-wise checks (fast on large tables); the first bad event is named by its key."""
    missing = [c for c in REQUIRED_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events: missing column(s) {missing}")
    if ids.isna().any() or (ids.astype(str).str.strip() == "").any():
        raise ValueError("events: empty event_id")
    duplicated = sorted(set(ids[ids.duplicated()].astype(str)))
    if duplicated:
        raise ValueError(f"events: duplicate event_id {duplicated}")

    def first(mask: pd.Series) -> str | None:
        return str(ids[mask].iloc[0]) if mask.any() else None

    goldstein = events["goldstein"]
    numeric = pd.Series(
        [isinstance(_python(v), (int, float)) and not isinstance(v, bool) for v in goldstein]
        if not pd.api.types.is_numeric_dtype(goldstein)
        else goldstein.notna(),
        index=events.index,
    )
    in_range = pd.to_numeric(goldstein.where(numeric), errors="coerce").abs() <= 10
    if (bad := first(~(numeric & in_range))) is not None:
        raise ValueError(f"event {bad}: goldstein must be a number in -10..10")
    if (bad := first(~events["modality"].isin(MODALITIES))) is not None:
        modality = events.loc[ids == bad, "modality"].iloc[0]
        raise ValueError(f"event {bad}: modality {modality!r} not in {MODALITIES}")
    start = pd.to_datetime(events["date_start"])
    end = pd.to_datetime(events["date_end"])
    if (bad := first((start > end).fillna(False))) is not None:
        raise ValueError(f"event {bad}: date_start is after date_end")
    no_actor = _each_distinct(events["actor_ids"], lambda v: not split_ids(v))
    if (bad := first(no_actor)) is not None:
        raise ValueError(f"event {bad}: no actor_ids")


COLLAPSE_COLUMNS = ("event_id", "actor_ids", "recipient_ids", "goldstein", "sign", "modality",
                    "date_start", "date_end")  # fmt: skip


@dataclass(frozen=True)
class EventEdges:
    """Which events become edges of :func:`event_graph`: ``edges`` lists one
    ``(actor, recipient, event key, row)`` per edge (``row``: the event's position in the
    table), events in the order of their keys; ``nodes``, every actor and recipient id;
    ``no_recipient`` and ``self_pairs``, the keys of the events without recipient (no edge)
    and of those naming an actor among their recipients (that pair skipped)."""

    edges: list[tuple[str, str, str, int]]
    nodes: set[str]
    no_recipient: list[str]
    self_pairs: list[str]


@dataclass(frozen=True)
class _Edges:
    """The edges of :func:`event_edges` as arrays, one entry per edge in the same order: the
    event's ``rows`` and the ``sources`` and ``targets`` as positions in ``nodes`` (every
    actor and recipient id, sorted); ``keys``, each row's event key."""

    keys: list[str]
    nodes: list[str]
    rows: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    no_recipient: list[str]
    self_pairs: list[str]


def _edges(events: pd.DataFrame, key: str | None = None) -> _Edges:
    """The edges of :func:`event_edges`, after its checks, as arrays: the (actor, recipient)
    pairs are made once per distinct pair of cells, and laid out per event with numpy."""
    keys = event_keys(events, key).astype(str)
    _check_events(events, keys)
    keys = keys.tolist()
    actors, recipients = events["actor_ids"].tolist(), events["recipient_ids"].tolist()
    ids = {cell: split_ids(cell) for cell in {*actors, *recipients}}  # each distinct cell once
    nodes = sorted({node for found in ids.values() for node in found})
    at = {node: i for i, node in enumerate(nodes)}
    cells: dict[tuple, int] = {}  # (actor cell, recipient cell) -> its number
    of_row = [cells.setdefault(pair, len(cells)) for pair in zip(actors, recipients, strict=True)]
    sources, targets, first, count, no_recipient, self_pair = [], [], [], [], [], []
    for actor_cell, recipient_cell in cells:
        found, to = ids[actor_cell], ids[recipient_cell]
        pairs = [(at[a], at[r]) for a in found for r in to if a != r]
        first.append(len(sources))
        count.append(len(pairs))
        sources.extend(a for a, _ in pairs)
        targets.extend(r for _, r in pairs)
        no_recipient.append(not to)
        self_pair.append(bool(to) and not set(found).isdisjoint(to))
    by_key = sorted(range(len(keys)), key=keys.__getitem__)
    combination = np.array(of_row, dtype=np.intp)[by_key]
    edges = np.array(count, dtype=np.intp)[combination]  # each event's number of edges
    rows = np.repeat(np.array(by_key, dtype=np.intp), edges)
    # each edge's position among the pairs of all cells: its event's first pair, then the next
    starts = np.array(first, dtype=np.intp)[combination] - (edges.cumsum() - edges)
    pick = np.repeat(starts, edges) + np.arange(len(rows), dtype=np.intp)
    return _Edges(
        keys,
        nodes,
        rows,
        np.array(sources, dtype=np.intp)[pick],
        np.array(targets, dtype=np.intp)[pick],
        [keys[row] for row in by_key if no_recipient[of_row[row]]],
        [keys[row] for row in by_key if self_pair[of_row[row]]],
    )


def event_edges(events: pd.DataFrame, key: str | None = None) -> EventEdges:
    """The edges of the events (see :func:`event_graph`), after its checks of the table: one
    per (actor, recipient) pair of each event with a recipient, actor != recipient."""
    found = _edges(events, key)
    keys, nodes = found.keys, found.nodes
    edges = [
        (nodes[a], nodes[r], keys[row], row)
        for a, r, row in zip(
            found.sources.tolist(), found.targets.tolist(), found.rows.tolist(), strict=True
        )
    ]
    return EventEdges(edges, set(nodes), found.no_recipient, found.self_pairs)


def _edge_record(row: dict[str, Any]) -> dict[str, Any]:
    """An event's row as edge attributes: missing cells omitted, dates as ``pd.Timestamp``."""
    record = {k: v for k, v in ((k, _python(v)) for k, v in row.items()) if v is not None}
    if "event_id" in record:
        record["event_id"] = str(record["event_id"])
    for column in ("date_start", "date_end"):
        if column in record:
            record[column] = pd.Timestamp(record[column])
    return record


def event_graph(
    events: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    columns: Iterable[str] | None = None,
    key: str | None = None,
) -> nx.MultiDiGraph:
    """One directed edge per (actor, recipient) pair of each event, keyed by the event (see
    :func:`event_keys`: ``event_id``, ``article_id:event_id`` for the events of several
    articles, or the column ``key``, e.g. ``"story_id"``), with every event column as an edge
    attribute (missing cells omitted; dates as ``pd.Timestamp``), or only ``columns`` (e.g.
    ``COLLAPSE_COLUMNS``, what :func:`collapse` needs: less memory on large corpora).

    Nodes are all actor and recipient ids of the events; with ``actors`` (indexed by actor id or
    with an ``actor_id`` column) they carry its columns, and an id missing from it is an error.
    Events without recipient give no edge and are listed in ``G.graph["no_recipient"]``; pairs
    with actor == recipient are skipped and their events listed in ``G.graph["self_pairs"]``
    (the edges: :func:`event_edges`).
    """
    found = event_edges(events, key)
    if columns is not None:
        kept = [*REQUIRED_COLUMNS, *columns, *([key] if key is not None else [])]
        events = events[[c for c in dict.fromkeys(kept) if c in events.columns]]
    attributes = _actor_attributes(actors) if actors is not None else None
    if attributes is not None:
        unknown = sorted(found.nodes - set(attributes))
        if unknown:
            raise ValueError(f"events: actor id(s) not in the actors table: {unknown}")
    G = nx.MultiDiGraph(no_recipient=found.no_recipient, self_pairs=found.self_pairs)
    for node in sorted(found.nodes):
        G.add_node(node, **(attributes[node] if attributes is not None else {}))
    rows = list(records(events))
    edge_records: dict[int, dict[str, Any]] = {}
    for source, target, event, row in found.edges:
        if row not in edge_records:
            edge_records[row] = _edge_record(rows[row])
        G.add_edge(source, target, key=event, **edge_records[row])
    return G


def membership_layer(
    G: nx.Graph,
    date: DateLike,
    members: Callable[[datetime.date], Iterable[str]] | Iterable[str],
    via_state: bool = False,
) -> nx.Graph:
    """A copy of G whose nodes carry ``csto_member`` (bool) as of ``date``.

    ``members`` is a list of member ids or a callable ``date -> ids`` (called with a
    ``datetime.date``, e.g. ``helpers.actors.members_on``). A node is a member when its id is in
    the list, or, with ``via_state=True``, when its ``state_id`` attribute is (persons, cities).
    """
    day = pd.Timestamp(date).date()
    ids = {str(m) for m in (members(day) if callable(members) else members)}
    H = G.copy()
    for node, data in H.nodes(data=True):
        data["csto_member"] = node in ids or (via_state and data.get("state_id") in ids)
    H.graph["csto_member_date"] = day.isoformat()
    return H


# --- signed snapshots --------------------------------------------------------------------


def _overlaps(
    data: Mapping[str, Any], start: pd.Timestamp | None, end: pd.Timestamp | None
) -> bool:
    first, last = _day(data.get("date_start")), _day(data.get("date_end"))
    if first is None and last is None:  # undated: only in a window open on both sides
        return start is None and end is None
    return (end is None or first is None or first <= end) and (
        start is None or last is None or last >= start
    )


def _report_counts(stories: Mapping[str, tuple[int, list[str]]] | None) -> dict[str, int]:
    """``n_reports`` and ``n_outlets`` of the story events of one tie (none for plain events)."""
    if not stories:
        return {}
    outlets = {outlet for _, names in stories.values() for outlet in names}
    return {"n_reports": sum(n for n, _ in stories.values()), "n_outlets": len(outlets)}


def _scores(
    edges: Iterable[tuple[Hashable, Hashable, Hashable, Mapping[str, Any]]],
    first: pd.Timestamp | None,
    last: pd.Timestamp | None,
    score: Callable[[Mapping[str, Any]], float],
    modalities: tuple[str, ...],
    order: Mapping[Hashable, int],
) -> tuple[dict, dict, dict]:
    """The events that count in a window, by tie: each pair's (in ``order``) and each node's
    own (``internal``) scores by event key, and the story events' report counts. ``edges``:
    ``(u, v, key, data)`` as ``G.edges(keys=True, data=True)`` gives them."""
    pairs: dict[tuple[Hashable, Hashable], dict[str, float]] = {}
    internal: dict[Hashable, dict[str, Any]] = {}
    reports: dict[Hashable, dict[str, tuple[int, list[str]]]] = {}  # pair or node -> key -> ...
    windowed = first is not None or last is not None  # without a window, every event overlaps
    for u, v, key, data in edges:
        if data.get("modality") not in modalities:
            continue
        if windowed and not _overlaps(data, first, last):
            continue
        if u == v:  # e.g. Tokayev against Kazakh protesters, once both are Kazakhstan
            inside = internal.setdefault(u, {"scores": {}, "pairs": set()})
            inside["scores"][str(key)] = score(data)
            inside["pairs"].add(data.get("original_pair", f"{u}-{v}"))
            where: Hashable = u
        else:
            where = (u, v) if order[u] < order[v] else (v, u)
            pairs.setdefault(where, {})[str(key)] = score(data)
        if "n_reports" in data:
            counts = (int(data["n_reports"]), split_ids(data.get("outlets")))
            reports.setdefault(where, {})[str(key)] = counts
    return pairs, internal, reports


def collapse(
    G: nx.MultiDiGraph,
    start: DateLike = None,
    end: DateLike = None,
    rule: str = "goldstein_sum",
    modalities: Iterable[str] = TENSION_MODALITIES,
) -> nx.Graph:
    """The signed, weighted, undirected tension graph of the events in a time window.

    Window: ``[start, end]``, whole days, inclusive; ``None`` leaves that side open. An event
    counts when its interval ``[date_start, date_end]`` overlaps the window (a missing date
    is an open side; an event with neither date counts only when the window is open on both
    sides). Only events whose ``modality`` is in ``modalities`` count (default: asserted and
    reported speech; negated and hypothetical events are left out).

    Rule ``"goldstein_sum"`` (default): per unordered pair {a, b}, ``weight`` = sum of the
    Goldstein scores of the events with an edge a->b or b->a (each event once per pair, however
    many of its actor/recipient pairs map to it), rounded to 6 decimals; ``sign`` = +1 or -1 by
    the sign of the sum; pairs whose sum is 0 are dropped (listed in
    ``H.graph["zero_sum_pairs"]``). Rule ``"sign_sum"`` sums the events' ``sign`` (+1/-1)
    instead. Edge attributes: weight, sign, n_events, event_ids (sorted, ";"-joined), conflict
    (sum of |negative scores|), cooperation (sum of positive scores). Nodes: the endpoints of the
    kept edges, with their attributes from G.

    On a graph of story events (:func:`helpers.stories.story_graph`, edges with ``n_reports``),
    each story event counts once, however many reports tell it: ``n_events`` and
    ``event_ids`` count and name story events, and each tie (and each ``internal`` entry) also
    carries ``n_reports`` (the sum of its story events' reports) and ``n_outlets`` (distinct
    outlets among them), as GDELT's NumArticles and NumSources.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose from {sorted(RULES)}")
    score = RULES[rule]
    modalities = tuple(modalities)
    unknown = sorted(set(modalities) - set(MODALITIES))
    if unknown:
        raise ValueError(f"unknown modality {unknown}; choose from {MODALITIES}")
    first, last = _day(start), _day(end)
    order = {n: i for i, n in enumerate(sorted_nodes(G))}
    edges = G.edges(keys=True, data=True)
    pairs, internal, reports = _scores(edges, first, last, score, modalities, order)
    H = nx.Graph(
        window_start=None if first is None else _iso(first),
        window_end=None if last is None else _iso(last),
        rule=rule,
        modalities=";".join(modalities),
        zero_sum_pairs=[],
        internal={
            node: {
                "weight": round(math.fsum(inside["scores"].values()), WEIGHT_DECIMALS) + 0.0,
                "n_events": len(inside["scores"]),
                "event_ids": ";".join(sorted(inside["scores"])),
                "pairs": ";".join(sorted(inside["pairs"])),
                **_report_counts(reports.get(node)),
            }
            for node, inside in sorted(internal.items(), key=lambda item: order[item[0]])
        },
    )
    kept = []
    for pair in sorted(pairs, key=lambda p: (order[p[0]], order[p[1]])):
        scores = pairs[pair]
        ids = sorted(scores)
        values = [scores[i] for i in ids]
        weight = round(math.fsum(values), WEIGHT_DECIMALS) + 0.0
        if weight == 0:
            H.graph["zero_sum_pairs"].append(f"{pair[0]};{pair[1]}")
            continue
        attrs = {
            "weight": weight,
            "sign": 1 if weight > 0 else -1,
            "n_events": len(ids),
            "event_ids": ";".join(ids),
            "conflict": round(math.fsum(-x for x in values if x < 0), WEIGHT_DECIMALS) + 0.0,
            "cooperation": round(math.fsum(x for x in values if x > 0), WEIGHT_DECIMALS) + 0.0,
            **_report_counts(reports.get(pair)),
        }
        kept.append((pair, attrs))
    for node in sorted({n for pair, _ in kept for n in pair}, key=order.__getitem__):
        H.add_node(node, **G.nodes[node])
    for (u, v), attrs in kept:
        H.add_edge(u, v, **attrs)
    return H


TENSION_SUM_COLUMNS = ["a", "b", "n_events", "total", "conflict", "cooperation"]


def tension_sums(G: nx.MultiDiGraph, rule: str = "goldstein_sum") -> pd.DataFrame:
    """What :func:`collapse` adds up over all time, per tie, exactly, so that the event graphs
    of parts of a corpus (partitions of :mod:`helpers.pipeline`) can be summed into the tension
    graph of the whole (:func:`tension_from_sums`).

    One row per pair ``a`` < ``b`` (``a == b``: an actor's events against itself, collapse's
    ``internal``): ``n_events`` and the sums of the scores (``total``), of the negative scores
    negated (``conflict``) and of the positive ones (``cooperation``) as exact fractions
    (:class:`fractions.Fraction`: sums of floats in any grouping give the same total, which
    then rounds as collapse's ``math.fsum`` does). Default modalities, no window.
    """
    order = {n: i for i, n in enumerate(sorted_nodes(G))}
    edges = G.edges(keys=True, data=True)
    pairs, internal, _ = _scores(edges, None, None, RULES[rule], TENSION_MODALITIES, order)
    ties = [*pairs.items(), *(((n, n), inside["scores"]) for n, inside in internal.items())]
    return _sum_table((tie, len(scores), Counter(scores.values())) for tie, scores in ties)


def event_tension_sums(events: pd.DataFrame, rule: str = "goldstein_sum") -> pd.DataFrame:
    """``tension_sums(event_graph(events))`` without building the graph: the same table,
    row for row, from the edges of :func:`event_edges`, put in the graph's order and added up
    per tie with numpy."""
    found = _edges(events)
    data, of_row = _scoring_cells(events)
    counts = np.array([d.get("modality") in TENSION_MODALITIES for d in data], dtype=bool)
    scoring = np.array(of_row, dtype=np.intp)  # per event, its scoring cells
    # The edges in the order G.edges gives them: by source, then by target in the order the
    # source's first edge to it comes, then by key; only those of events that count.
    size = len(found.nodes)
    pair = pd.factorize(found.sources * size + found.targets)[0]  # numbered as first met
    met = np.lexsort((pair, found.sources))
    met = met[counts[scoring[found.rows[met]]]]
    rows = found.rows[met]
    # A tie (a, b), a < b (the nodes are sorted); the table's rows: the ties as first met.
    low = np.minimum(found.sources[met], found.targets[met])
    tie, first = pd.factorize(low * size + np.maximum(found.sources[met], found.targets[met]))
    # Each event once per tie (it may give the tie edges both ways), then per tie its events
    # by scoring cells, and their scores (each distinct cells scored once).
    width = max(len(found.keys), 1)
    tie_of, row_of = np.divmod(np.unique(tie.astype(np.int64) * width + rows), width)
    kinds = max(len(data), 1)
    groups, many = np.unique(tie_of * kinds + scoring[row_of], return_counts=True)
    score, scores = RULES[rule], {}
    by_tie: list[Counter] = [Counter() for _ in first]
    for group, n in zip(groups.tolist(), many.tolist(), strict=True):
        at, cells = divmod(group, kinds)
        if cells not in scores:
            scores[cells] = score(data[cells])
        by_tie[at][scores[cells]] += n
    nodes, ties = found.nodes, (divmod(number, size) for number in first.tolist())
    return _sum_table(
        ((nodes[a], nodes[b]), n.total(), n) for (a, b), n in zip(ties, by_tie, strict=True)
    )


def _scoring_cells(events: pd.DataFrame) -> tuple[list[dict[str, Any]], list[int]]:
    """The cells that score an event's edges (``goldstein``, ``sign``, ``modality``; a
    missing cell omitted, as on the edges of :func:`event_graph`): one dict per distinct
    combination, and per event the position of its combination."""
    columns = [c for c in ("goldstein", "sign", "modality") if c in events.columns]
    cells = [
        [None if missing else value for value, missing in zip(values, isna, strict=True)]
        for values, isna in ((events[c].tolist(), events[c].isna().tolist()) for c in columns)
    ]
    combinations: dict[tuple, int] = {}
    of_row = [combinations.setdefault(key, len(combinations)) for key in zip(*cells, strict=True)]
    data = [
        {c: value for c, value in zip(columns, key, strict=True) if value is not None}
        for key in combinations
    ]
    return data, of_row


def _sum_table(ties: Iterable[tuple[tuple[Hashable, Hashable], int, Mapping[float, int]]]):
    """The rows of :func:`tension_sums` from each tie's number of events and its scores
    (score -> number of events with it)."""
    rows = [(a, b, n_events, *_exact_sums(scores)) for (a, b), n_events, scores in ties]
    frame = pd.DataFrame(rows, columns=TENSION_SUM_COLUMNS)
    return frame.astype({"n_events": "int64"})


@lru_cache(maxsize=4096)
def _ratio(score: float) -> tuple[int, int]:
    return Fraction(score).as_integer_ratio()


def _exact_sums(scores: Mapping[float, int]) -> tuple[Fraction, Fraction, Fraction]:
    """The sum of the scores (each as often as ``scores`` says), of the negative ones negated
    and of the positive ones, as exact fractions: added up as integers over one common
    denominator (many times faster than adding :class:`~fractions.Fraction` objects)."""
    ratios = [(*_ratio(x), n) for x, n in scores.items()]
    common = math.lcm(*(q for _, q, _ in ratios))

    def exact(terms: Iterable[tuple[int, int, int]], sign: int = 1) -> Fraction:
        return Fraction(sign * sum(p * (common // q) * n for p, q, n in terms), common)

    return (
        exact(ratios),
        exact((r for r in ratios if r[0] < 0), -1),
        exact(r for r in ratios if r[0] > 0),
    )


def _rounded(value: Fraction) -> float:
    return round(float(value), WEIGHT_DECIMALS) + 0.0


def tension_from_sums(sums: Iterable[pd.DataFrame], actors: pd.DataFrame | None = None) -> nx.Graph:
    """The all-time tension graph of a corpus from its parts' :func:`tension_sums`: the edges,
    ``weight``, ``sign``, ``n_events``, ``conflict``, ``cooperation``, ``zero_sum_pairs`` and
    ``internal`` weights and counts of :func:`collapse` on the event graph of the whole corpus
    (nodes with the columns of ``actors``), without the per-tie lists of event ids (they grow
    with the corpus)."""
    frames = [f for f in sums if len(f)]
    H = nx.Graph(rule="goldstein_sum", modalities=";".join(TENSION_MODALITIES))
    H.graph.update(window_start=None, window_end=None, zero_sum_pairs=[], internal={})
    if not frames:
        return H
    columns = ["n_events", "total", "conflict", "cooperation"]
    ties = pd.concat(frames).groupby(["a", "b"], sort=True)[columns].sum()
    kept = []
    for (a, b), tie in ties.iterrows():
        weight = _rounded(tie["total"])
        if a == b:
            H.graph["internal"][a] = {"weight": weight, "n_events": int(tie["n_events"])}
        elif weight == 0:
            H.graph["zero_sum_pairs"].append(f"{a};{b}")
        else:
            attrs = {"weight": weight, "sign": 1 if weight > 0 else -1}
            attrs["n_events"] = int(tie["n_events"])
            attrs["conflict"] = _rounded(tie["conflict"])
            attrs["cooperation"] = _rounded(tie["cooperation"])
            kept.append((a, b, attrs))
    attributes = _actor_attributes(actors) if actors is not None else {}
    for node in sorted_nodes({n for a, b, _ in kept for n in (a, b)}):
        H.add_node(node, **attributes.get(node, {}))
    H.add_edges_from(kept)
    return H


def monthly_snapshots(
    G: nx.MultiDiGraph, window: Window | int | None = None, **options: Any
) -> dict[str, nx.Graph]:
    """One collapsed graph per calendar month of ``window`` (a :class:`Window`, e.g. from
    :func:`analysis_window`, or one year; by default the analysis window of the graph's own
    events): ``{"2022-01": collapse(G, 2022-01-01, 2022-01-31), ..., "2022-12": ...}``;
    ``options`` go to ``collapse`` (rule, modalities)."""
    if window is None:
        ends = [data.get("date_end") for _, _, data in G.edges(data=True)]
        window = analysis_window(pd.DataFrame({"date_end": pd.to_datetime(pd.Series(ends))}))
    elif not isinstance(window, Window):
        window = Window(window, window)
    return {month: collapse(G, *month_window(month, month), **options) for month in window.months}


def actor_strength(H: nx.Graph) -> pd.DataFrame:
    """Per actor (sorted index ``actor_id``): tension (sum of |weight| over negative edges),
    cooperation (sum of weight over positive edges), net, degree, negative_ties, positive_ties."""
    rows = []
    for node in sorted_nodes(H):
        weights = [(d["sign"], abs(d["weight"])) for _, _, d in H.edges(node, data=True)]
        tension = math.fsum(w for s, w in weights if s < 0)
        cooperation = math.fsum(w for s, w in weights if s > 0)
        rows.append(
            {
                "actor_id": node,
                "tension": tension,
                "cooperation": cooperation,
                "net": cooperation - tension,
                "degree": H.degree(node),
                "negative_ties": sum(s < 0 for s, _ in weights),
                "positive_ties": sum(s > 0 for s, _ in weights),
            }
        )
    columns = ["tension", "cooperation", "net", "degree", "negative_ties", "positive_ties"]
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="actor_id"))
    return pd.DataFrame(rows).set_index("actor_id")[columns]


def ego_network(H: nx.Graph, node: Hashable, radius: int = 1) -> nx.Graph:
    """The subgraph of ``node`` and its neighbours within ``radius`` hops (edges in any
    direction for directed graphs), with all attributes. A node that is not in ``H`` has no
    ties there (a collapsed snapshot holds only actors with a tie in its window; with no events
    coded it holds none): its ego network is empty, a graph of the same type without nodes."""
    if node not in H:
        empty = H.__class__()
        empty.graph.update(H.graph)
        return empty
    return nx.ego_graph(H, node, radius=radius, undirected=H.is_directed()).copy()


def balance_over_time(
    snapshots: Mapping[str, nx.Graph], max_nodes: int = MAX_EXACT_NODES
) -> pd.DataFrame:
    """Per snapshot (index ``period``): nodes, components, edges, negative_edges, triangles,
    balanced_triangles, fraction_balanced (NaN without triangles), frustration_index, balanced,
    camp_0 and camp_1 (";"-joined sorted ids of the optimal split; see
    ``helpers.balance.frustration_index`` for how camps are labelled)."""
    rows = []
    for period, H in snapshots.items():
        triangles = triangle_balance(H)
        index, camps = frustration_index(H, max_nodes=max_nodes)
        rows.append(
            {
                "period": period,
                "nodes": H.number_of_nodes(),
                "components": nx.number_connected_components(H),
                "edges": H.number_of_edges(),
                "negative_edges": sum(d["sign"] < 0 for _, _, d in H.edges(data=True)),
                "triangles": triangles["triangles"],
                "balanced_triangles": triangles["balanced"],
                "fraction_balanced": triangles["fraction_balanced"],
                "frustration_index": index,
                "balanced": index == 0,
                "camp_0": ";".join(str(n) for n, c in camps.items() if c == 0),
                "camp_1": ";".join(str(n) for n, c in camps.items() if c == 1),
            }
        )
    columns = [
        "nodes",
        "components",
        "edges",
        "negative_edges",
        "triangles",
        "balanced_triangles",
        "fraction_balanced",
        "frustration_index",
        "balanced",
        "camp_0",
        "camp_1",
    ]
    return pd.DataFrame(rows, columns=["period", *columns]).set_index("period")


# --- exports -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """An attribute value as str/int/float/bool for GEXF, GraphML and JSON; None = omit."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted_nodes(value) if isinstance(value, (set, frozenset)) else value
        return ";".join(str(v) for v in items)
    if _is_missing(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime.date)):
        return _iso(value)
    value = _python(value)
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _plain_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {str(k): _plain(v) for k, v in data.items()}
    return {k: out[k] for k in sorted(out) if out[k] is not None}


def _unify_types(records: list[dict[str, Any]]) -> None:
    """One type per attribute: int and float mixed -> float; anything mixed with str -> str."""
    kinds: dict[str, set[type]] = {}
    for record in records:
        for k, v in record.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, types in kinds.items():
        if len(types) < 2:
            continue
        cast = float if types <= {int, float} else str
        for record in records:
            if k in record:
                record[k] = cast(record[k])


def _export_copy(G: nx.Graph, gexf: bool = False) -> nx.Graph:
    """A copy with plain attribute values, nodes and edges (and attribute keys) in sorted
    order; for GEXF, edges with dates get a spell ``(date_start, date_end)`` and a unique id."""
    nodes = sorted_nodes(G)
    position = {n: i for i, n in enumerate(nodes)}
    node_attrs = [_plain_attrs(G.nodes[n]) for n in nodes]
    if G.is_multigraph():
        raw = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        raw = [(u, v, None, d) for u, v, d in G.edges(data=True)]
    if not G.is_directed():
        raw = [(v, u, k, d) if position[v] < position[u] else (u, v, k, d) for u, v, k, d in raw]
    raw.sort(key=lambda e: (position[e[0]], position[e[1]], str(e[2])))
    edge_attrs = []
    for u, v, key, data in raw:
        attrs = _plain_attrs(data)
        if G.is_multigraph():
            attrs["edge_id"] = f"{key}:{u}:{v}"
        edge_attrs.append(attrs)
    _unify_types(node_attrs)
    _unify_types(edge_attrs)
    H = G.__class__()
    H.graph.update(_plain_attrs(G.graph))
    for node, attrs in zip(nodes, node_attrs, strict=True):
        if gexf and "name_en" in attrs:
            attrs = {"label": attrs["name_en"], **attrs}
        H.add_node(node, **attrs)
    for (u, v, key, _), attrs in zip(raw, edge_attrs, strict=True):
        if gexf:
            attrs = dict(attrs)
            if "edge_id" in attrs:
                attrs["id"] = attrs.pop("edge_id")
            if "date_start" in attrs or "date_end" in attrs:
                attrs["spells"] = [(attrs.get("date_start"), attrs.get("date_end"))]
                H.graph["mode"] = "dynamic"
        if G.is_multigraph():
            H.add_edge(u, v, key=key, **attrs)
        else:
            H.add_edge(u, v, **attrs)
    return H


def gexf_bytes(G: nx.Graph) -> bytes:
    """GEXF 1.2 (dynamic when edges carry dates), without the writer's lastmodifieddate."""
    buffer = io.BytesIO()
    nx.write_gexf(_export_copy(G, gexf=True), buffer, encoding="utf-8", prettyprint=True)
    return re.sub(rb'\s+lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)


def graphml_bytes(G: nx.Graph) -> bytes:
    """GraphML (dates as ISO strings; multigraph edge ids ``event_id:source:target``)."""
    buffer = io.BytesIO()
    edge_id = "edge_id" if G.is_multigraph() else None
    nx.write_graphml_xml(
        _export_copy(G), buffer, encoding="utf-8", prettyprint=True, edge_id_from_attribute=edge_id
    )
    return buffer.getvalue()


def node_link_bytes(G: nx.Graph) -> bytes:
    """Node-link JSON (keys sorted, UTF-8, indent 2, trailing newline)."""
    data = nx.node_link_data(_export_copy(G), edges="edges")
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_graphs(G: nx.Graph, folder: str | Path, stem: str = "events") -> dict[str, Path]:
    """Write ``stem.gexf``, ``stem.graphml`` and ``stem.json`` (node-link) into ``folder``,
    atomically; the same graph gives byte-identical files. Returns ``{format: path}``."""
    folder = Path(folder)
    rendered = {
        "gexf": gexf_bytes(G),
        "graphml": graphml_bytes(G),
        "json": node_link_bytes(G),
    }
    return {fmt: write_bytes(folder / f"{stem}.{fmt}", data) for fmt, data in rendered.items()}


# --- who criticised Russia ---------------------------------------------------------------

RUSSIA_TARGETS = ("RUS", "PUTIN", "CSTO")
CRITICISM_COLUMNS = [
    "actor_id",
    "state_id",
    "target",
    "event_id",
    "plover_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "modality",
    "gloss_en",
    "quote_nl",
]


def criticisms(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    members: Callable[[Any], Iterable[str]],
    targets: Iterable[str] = RUSSIA_TARGETS,
    modalities: Iterable[str] = TENSION_MODALITIES,
) -> pd.DataFrame:
    """Acts in which Russia's allies criticised Russia, one row per (event, actor).

    An act counts when (1) its sign is negative (verbal or material conflict); (2) a recipient
    is one of ``targets``: Russia, its president, or the Russia-led CSTO itself; (3) its
    modality is in ``modalities`` (asserted or reported speech: a denied or hypothetical act is
    not an act); and (4) the actor is, or belongs to (``state_id``), a state that was a CSTO
    member on the event's first day, according to ``members(date)`` (e.g.
    :func:`helpers.actors.members_on`). Russia criticising itself is not counted.
    """
    targets, modalities = tuple(targets), tuple(modalities)
    state_of = actors.set_index("actor_id")["state_id"].to_dict()
    rows = []
    for event in events.sort_values(["date_start", "event_id"]).itertuples(index=False):
        if int(event.sign) >= 0 or event.modality not in modalities:
            continue
        hit = [r for r in split_ids(event.recipient_ids) if r in targets]
        if not hit:
            continue
        allies = set(members(_day(event.date_start).date()))
        for actor in split_ids(event.actor_ids):
            state = state_of.get(actor) or actor
            if state not in allies or state == "RUS":
                continue
            rows.append(
                [actor, state, ";".join(hit), event.event_id, event.plover_event_type,
                 event.date_start, event.date_end, event.date_precision, event.modality,
                 event.gloss_en, event.quote_nl]
            )  # fmt: skip
    acts = pd.DataFrame(rows, columns=CRITICISM_COLUMNS)
    for column in ("date_start", "date_end"):  # typed even when there are no acts
        acts[column] = acts[column].astype(events[column].dtype)
    return acts


def monthly_totals(snapshots: Mapping[str, nx.Graph]) -> pd.DataFrame:
    """Per snapshot: total tension (sum of the edges' ``conflict``) and cooperation."""
    rows = {
        period: {
            "tension": sum(d.get("conflict", 0.0) for _, _, d in H.edges(data=True)),
            "cooperation": sum(d.get("cooperation", 0.0) for _, _, d in H.edges(data=True)),
            "events": len({e for _, _, d in H.edges(data=True) for e in d["event_ids"].split(";")}),
        }
        for period, H in snapshots.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("period")


def state_mapper(
    actors: pd.DataFrame, merge_kinds: Iterable[str] = ("person", "city")
) -> Callable[[Hashable], Hashable]:
    """The function that :func:`to_states` applies to every actor: an actor of ``merge_kinds``
    (people, cities) -> its state (``state_id``), any other id (states, organisations,
    regions, groups, ids not in ``actors``) -> itself."""
    table = actors.set_index("actor_id") if "actor_id" in actors.columns else actors
    merge_kinds = set(merge_kinds)

    def state_of(node: Hashable) -> Hashable:
        if node in table.index and table.at[node, "kind"] in merge_kinds:
            return table.at[node, "state_id"] or node
        return node

    return state_of


def to_states(
    G: nx.MultiDiGraph, actors: pd.DataFrame, merge_kinds: Iterable[str] = ("person", "city")
) -> nx.MultiDiGraph:
    """The event graph with actors of ``merge_kinds`` (people, cities) replaced by their state
    (``state_id``): Putin's acts become Russia's. States, organisations, regions and groups stay
    (recognising Luhansk is not an act towards Ukraine's government). Merging happens before
    :func:`collapse`, so an event still counts once per pair. Each edge keeps its event key and
    gains ``original_pair`` ("PUTIN-ARM"); an edge that falls inside one state (Tokayev against
    Kazakh protesters) becomes a self-loop, which ``collapse`` leaves out and lists in
    ``graph["internal"]``. Node attribute ``merged``: the sorted ids merged into the node."""
    table = actors.set_index("actor_id") if "actor_id" in actors.columns else actors
    state_of = state_mapper(table, merge_kinds)
    known = _actor_attributes(table)
    merged = nx.MultiDiGraph(**G.graph)
    for node in sorted_nodes(G.nodes):
        target = state_of(node)
        if target not in merged:
            attrs = dict(G.nodes[target]) if target in G else known.get(str(target), {})
            merged.add_node(target, **attrs, merged=[])
        merged.nodes[target]["merged"].append(node)
    for node in merged:
        merged.nodes[node]["merged"] = sorted(merged.nodes[node]["merged"])
    for u, v, key, data in G.edges(keys=True, data=True):
        merged.add_edge(state_of(u), state_of(v), key=key, **data, original_pair=f"{u}-{v}")
    return merged


def edge_table(H: nx.Graph, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The ties of a collapsed graph as a table, strongest tension first: both actors (by
    English name when ``names`` is given), weight, sign, number of events and their ids; on a
    graph of story events (ties with ``n_reports``) also the reports and outlets that tell
    them."""
    names = names or {}
    stories = any("n_reports" in d for _, _, d in H.edges(data=True))
    rows = [
        {
            "actor": names.get(u, u),
            "other actor": names.get(v, v),
            "weight": d["weight"],
            "sign": d["sign"],
            "events": d["n_events"],
            **({"reports": d["n_reports"], "outlets": d["n_outlets"]} if stories else {}),
            "event_ids": d["event_ids"],
        }
        for u, v, d in H.edges(data=True)
    ]
    columns = ["actor", "other actor", "weight", "sign", "events"]
    columns += [*(["reports", "outlets"] if stories else []), "event_ids"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["weight", "actor", "other actor"], ignore_index=True)


def month_window(first: str, last: str) -> tuple[str, str]:
    """The days from the start of month ``first`` to the end of month ``last`` ("2022-09")."""
    end = pd.Period(last, freq="M").end_time
    return f"{pd.Period(first, freq='M').start_time:%Y-%m-%d}", f"{end:%Y-%m-%d}"


# --- the window of the analysis -----------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Whole calendar years: from 1 January of ``first_year`` to 31 December of ``last_year``."""

    first_year: int
    last_year: int

    def __post_init__(self) -> None:
        if self.last_year < self.first_year:
            raise ValueError(f"window ends ({self.last_year}) before it starts ({self.first_year})")

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(year=self.first_year, month=1, day=1)

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(year=self.last_year, month=12, day=31)

    @property
    def months(self) -> list[str]:
        """Its months in order, ``"2022-01"`` to ``"2022-12"``."""
        return [f"{p.year}-{p.month:02d}" for p in pd.period_range(self.start, self.end, freq="M")]

    @property
    def label(self) -> str:
        """For titles: ``"2022"``, or ``"2022–2023"`` for several years."""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}\u2013{self.last_year}"

    @property
    def slug(self) -> str:
        """For file names: ``"2022"`` or ``"2022-2023"``."""
        return self.label.replace("\u2013", "-")

    def within_one_year(self) -> bool:
        return self.first_year == self.last_year


def analysis_window(events: pd.DataFrame, published: Iterable[DateLike] = ()) -> Window:
    """The calendar years an analysis covers, from the data, not from the code: the unbroken run
    of years, ending with the latest, among the years in which coded events end (``date_end``)
    and the years of the days in ``published`` (the publication days of the articles, so that
    an article without coded events still has a window). Background events that a year
    without events separates from that run stay out: in the seed article (events of 2022, the
    Georgian war of 2008, Putin's remark of 2014) the window is 2022.

    Raises ``ValueError`` when there is neither an event nor a publication day.
    """
    years = {int(year) for year in events["date_end"].dropna().dt.year}
    years |= {pd.Timestamp(day).year for day in published if not _is_missing(day)}
    if not years:
        raise ValueError("no coded event and no publication day: nothing to set the window by")
    last = first = max(years)
    while first - 1 in years:
        first -= 1
    return Window(first, last)


def most_frustrated(balance: pd.DataFrame) -> str:
    """The period of :func:`balance_over_time` furthest from balance: the highest frustration
    index, the latest such period when several share it (the last period when all are 0)."""
    if balance.empty:
        raise ValueError("no periods")
    index = balance["frustration_index"]
    return str(index[index == index.max()].index[-1])
