"""Bilingual actor gazetteer: actors, aliases and CSTO membership, mention tagging, networks."""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from helpers.article import Article, split_sentences
from helpers.paths import DATA
from helpers.tables import DataError, check_allowed, check_required, check_unique, read_table

__all__ = [
    "ACTORS_PATH",
    "ALIASES_PATH",
    "ALIAS_KINDS",
    "KINDS",
    "MEMBERSHIP_EVENTS",
    "MEMBERSHIP_PATH",
    "MENTION_COLUMNS",
    "Gazetteer",
    "build_gazetteer",
    "comention_graph",
    "fold",
    "load_actors",
    "load_aliases",
    "load_membership",
    "members_on",
    "mention_counts",
    "tag_mentions",
]

ACTORS_PATH = DATA / "actors.csv"
ALIASES_PATH = DATA / "aliases.csv"
MEMBERSHIP_PATH = DATA / "csto_membership.csv"

ACTOR_COLUMNS = [
    "actor_id",
    "kind",
    "name_en",
    "name_nl",
    "state_id",
    "role",
    "wikidata_qid",
    "capital_en",
    "capital_lat",
    "capital_lon",
    "note",
]
ALIAS_COLUMNS = ["alias", "actor_id", "alias_kind", "language", "note"]
MEMBERSHIP_COLUMNS = ["state_id", "event", "date", "note", "source"]
MENTION_COLUMNS = [
    "actor_id",
    "surface",
    "start",
    "end",
    "sentence",
    "block",
    "alias_kind",
    "via",
    "token",
]

KINDS = ("state", "organisation", "person", "region", "city", "group")
ALIAS_KINDS = (
    "name",
    "spelling_variant",
    "adjective",
    "demonym",
    "capital_metonym",
    "possessive",
    "abbreviation",
    "compound",
)
LANGUAGES = ("nl", "en")
MEMBERSHIP_EVENTS = (
    "signed",
    "in_force",
    "left",
    "rejoined",
    "suspended",
    "froze_participation",
    "organisation_founded",
)
# What each event does to a state's status; None leaves the status as it is.
_STATUS_AFTER = {
    "signed": "signed",
    "in_force": "member",
    "rejoined": "member",
    "left": "out",
    "suspended": "out",
    "froze_participation": "frozen",
    "organisation_founded": None,
}

_ID = re.compile(r"[A-Z][A-Z0-9_]*")
_QID = re.compile(r"Q[1-9][0-9]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Aliases this short (VS, EU, VN, GOS, Xi, Zas, Rus) match only exactly as written.
_EXACT_CASE_MAX = 3


# --- folding -------------------------------------------------------------------------------


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):  # Latin-1 Supplement and Latin Extended-A/B
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[code] = base.lower()
    for ch in "\u2018\u2019\u201b\u02bc\u00b4`":  # apostrophes
        table[ord(ch)] = "'"
    for ch in "\u2010\u2011":  # hyphen, non-breaking hyphen
        table[ord(ch)] = "-"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Latin accents, keeping its length (offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. "İ") lower-case to two
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_FOLD)


def _alias_key(alias: str) -> str:
    """The lookup key of an alias: folded, with runs of spaces and hyphens made one space."""
    return re.sub(r"[\s\-]+", " ", fold(alias)).strip()


# --- extra table checks --------------------------------------------------------------------


def _fail(path: Path, record: pd.Series, column: str, problem: str) -> None:
    raise DataError(path, int(record["_row"]), column, problem)


def _check_pattern(frame: pd.DataFrame, column: str, pattern: re.Pattern[str], path: Path) -> None:
    for _, record in frame.iterrows():
        value = record[column]
        if value and pattern.fullmatch(value) is None:
            _fail(path, record, column, f"{value!r} does not match {pattern.pattern}")


def _check_number(
    frame: pd.DataFrame, column: str, low: float, high: float, path: Path
) -> pd.Series:
    """Parse a column of decimal numbers (empty cells give NaN) and check their range."""
    values = []
    for _, record in frame.iterrows():
        text = record[column].strip()
        if not text:
            values.append(float("nan"))
            continue
        try:
            value = float(text)
        except ValueError:
            _fail(path, record, column, f"{text!r} is not a number")
        if not low <= value <= high:  # also rejects nan
            _fail(path, record, column, f"{text} is outside [{low}, {high}]")
        values.append(value)
    return pd.Series(values, index=frame.index, dtype="float64")


def _parse_date(text: str, path: Path, record: pd.Series, column: str) -> pd.Timestamp:
    if _ISO_DATE.fullmatch(text) is None:
        _fail(path, record, column, f"{text!r} is not a date YYYY-MM-DD")
    try:
        return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError as err:
        _fail(path, record, column, f"{text!r} is not a real date ({err})")
    raise AssertionError  # unreachable


# --- loading -------------------------------------------------------------------------------


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/actors.csv``; capital coordinates become floats (NaN if empty)."""
    path = Path(path) if path is not None else ACTORS_PATH
    frame = read_table(path, ACTOR_COLUMNS)
    check_required(frame, ["actor_id", "kind", "name_en", "name_nl"], path)
    _check_pattern(frame, "actor_id", _ID, path)
    check_unique(frame, "actor_id", path)
    check_allowed(frame, "kind", KINDS, path)
    _check_pattern(frame, "wikidata_qid", _QID, path)
    states = frame[frame["kind"] == "state"]
    check_required(states, ["capital_en", "capital_lat", "capital_lon"], path)
    lat = _check_number(frame, "capital_lat", -90.0, 90.0, path)
    lon = _check_number(frame, "capital_lon", -180.0, 180.0, path)
    state_ids = set(states["actor_id"])
    for _, record in frame.iterrows():
        state = record["state_id"]
        if record["kind"] in ("state", "organisation"):
            if state:
                _fail(path, record, "state_id", f"must be empty for a {record['kind']}")
        elif state and state not in state_ids:
            _fail(path, record, "state_id", f"{state!r} is not the id of a state")
        elif not state and record["kind"] in ("person", "city", "group"):
            _fail(path, record, "state_id", f"must name the state of this {record['kind']}")
    frame = frame.copy()
    frame["capital_lat"] = lat
    frame["capital_lon"] = lon
    return frame.reset_index(drop=True)


def load_aliases(
    path: str | Path | None = None, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read and validate ``data/aliases.csv`` against the actors; adds the lookup ``key``."""
    path = Path(path) if path is not None else ALIASES_PATH
    actors = load_actors() if actors is None else actors
    frame = read_table(path, ALIAS_COLUMNS)
    check_required(frame, ["alias", "actor_id", "alias_kind", "language"], path)
    check_allowed(frame, "alias_kind", ALIAS_KINDS, path)
    check_allowed(frame, "language", LANGUAGES, path)
    known = set(actors["actor_id"])
    seen: dict[str, tuple[str, int]] = {}
    keys = []
    for _, record in frame.iterrows():
        if record["actor_id"] not in known:
            _fail(path, record, "actor_id", f"unknown actor_id {record['actor_id']!r}")
        alias = record["alias"]
        key = _alias_key(alias)
        if not re.search(r"\w", key) or alias != alias.strip() or alias[0] == "-":
            _fail(path, record, "alias", f"{alias!r} is not a usable alias")
        if key in seen:
            other, row = seen[key]
            if other != record["actor_id"]:
                problem = (
                    f"alias {alias!r} maps to {record['actor_id']} here and to {other} "
                    f"in row {row} (aliases are case- and accent-insensitive)"
                )
            else:
                problem = f"alias {alias!r} repeats row {row}"
            _fail(path, record, "alias", problem)
        seen[key] = (record["actor_id"], int(record["_row"]))
        keys.append(key)
    frame = frame.copy()
    frame["key"] = keys
    return frame.reset_index(drop=True)


def load_membership(
    path: str | Path | None = None, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read and validate ``data/csto_membership.csv``; ``date`` becomes a Timestamp column."""
    path = Path(path) if path is not None else MEMBERSHIP_PATH
    actors = load_actors() if actors is None else actors
    frame = read_table(path, MEMBERSHIP_COLUMNS)
    check_required(frame, ["state_id", "event", "date", "source"], path)
    check_allowed(frame, "event", MEMBERSHIP_EVENTS, path)
    states = set(actors.loc[actors["kind"] == "state", "actor_id"])
    dates = []
    for _, record in frame.iterrows():
        if record["state_id"] not in states:
            _fail(path, record, "state_id", f"unknown state {record['state_id']!r}")
        dates.append(_parse_date(record["date"], path, record, "date"))
    frame = frame.copy()
    frame["date"] = pd.to_datetime(pd.Series(dates, index=frame.index, dtype="object"))
    return frame.sort_values(["date", "_row"], kind="stable").reset_index(drop=True)


def members_on(
    date: str | dt.date | pd.Timestamp,
    membership: pd.DataFrame | None = None,
    count_frozen: bool = True,
) -> list[str]:
    """States that were parties to the Collective Security Treaty / CSTO on ``date``.

    Events take effect on their own date. A state is a member once the treaty is in force for
    it (``in_force`` or ``rejoined``) until it ``left`` or was ``suspended``; a signatory is
    not yet a member. ``froze_participation`` (Armenia, 2024) is not a withdrawal: a frozen
    state counts as a member unless ``count_frozen`` is False.
    """
    membership = load_membership() if membership is None else membership
    when = pd.Timestamp(date)
    status: dict[str, str] = {}
    for record in membership[membership["date"] <= when].itertuples():
        after = _STATUS_AFTER[record.event]
        if after is not None:
            status[record.state_id] = after
    wanted = {"member", "frozen"} if count_frozen else {"member"}
    return sorted(state for state, value in status.items() if value in wanted)


def membership_spans(
    until: str | pd.Timestamp, membership: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each state's status as consecutive spans (``signed``, ``member``, ``frozen``, ``out``):
    one row per span with ``start`` and ``end`` (the next change, or ``until``, a fixed date so
    that figures stay reproducible). Uses the same status rules as :func:`members_on`."""
    membership = load_membership() if membership is None else membership
    end_of_record = pd.Timestamp(until).normalize()
    rows = []
    for state_id, changes in membership.groupby("state_id", sort=True):
        current: tuple[str, pd.Timestamp] | None = None
        for record in changes.itertuples():
            after = _STATUS_AFTER[record.event]
            if after is None or (current is not None and current[0] == after):
                continue
            if current is not None:
                rows.append((state_id, current[0], current[1], record.date))
            current = (after, record.date)
        if current is not None:
            rows.append((state_id, current[0], current[1], max(end_of_record, current[1])))
    return pd.DataFrame(rows, columns=["state_id", "status", "start", "end"])


# --- matching ------------------------------------------------------------------------------

# Between the words of a multi-word alias: a hyphen, spaces, or a single line break.
_SEP = r"(?:-|[^\S\r\n]*\r?\n[^\S\r\n]*|[^\S\r\n]+)"


def _trie_regex(keys: Iterable[str]) -> str:
    """One regex for many keys, factored as a trie; greedy, so the longest key wins."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        terminal = "" in node
        branches = [
            (_SEP if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch != ""
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if terminal else body

    return emit(trie)


@dataclass(frozen=True)
class Gazetteer:
    """A compiled alias matcher plus what is needed to describe each match."""

    pattern: re.Pattern[str]
    entries: dict[str, tuple[str, str, str]]  # key -> (actor_id, alias_kind, alias)
    person_state: dict[str, str]  # person id -> state id


@lru_cache(maxsize=8)
def _compile(
    aliases: tuple[tuple[str, str, str], ...], person_state: tuple[tuple[str, str], ...]
) -> Gazetteer:
    entries = {_alias_key(alias): (actor_id, kind, alias) for alias, actor_id, kind in aliases}
    body = _trie_regex(entries)
    pattern = re.compile(rf"(?<!\w)(?P<alias>{body})(?P<poss>'s|s)?(?!\w)")
    return Gazetteer(pattern, entries, dict(person_state))


def build_gazetteer(
    actors: pd.DataFrame | None = None, aliases: pd.DataFrame | None = None
) -> Gazetteer:
    """Compile the aliases into one trie-shaped regex (cached: build once, tag many articles)."""
    actors = load_actors() if actors is None else actors
    aliases = load_aliases(actors=actors) if aliases is None else aliases
    rows = tuple(zip(aliases["alias"], aliases["actor_id"], aliases["alias_kind"], strict=True))
    people = actors[(actors["kind"] == "person") & (actors["state_id"] != "")]
    person_state = tuple(zip(people["actor_id"], people["state_id"], strict=True))
    return _compile(rows, person_state)


@lru_cache(maxsize=4)
def _default_gazetteer(stamp: tuple) -> Gazetteer:
    return build_gazetteer()


def _file_stamp(*paths: Path) -> tuple:
    return tuple((str(p), os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in paths)


def _gazetteer(actors: pd.DataFrame | None, aliases: pd.DataFrame | Gazetteer | None) -> Gazetteer:
    if isinstance(aliases, Gazetteer):
        return aliases
    if actors is None and aliases is None:
        return _default_gazetteer(_file_stamp(ACTORS_PATH, ALIASES_PATH))
    actors = load_actors() if actors is None else actors
    return build_gazetteer(actors, aliases)


def _token(raw: str, start: int, end: int) -> str:
    """The whole hyphenated word around ``raw[start:end]`` ("CSTO-verdrag" for "CSTO")."""
    hyphens = "-\u2010\u2011"
    while start > 0 and (
        raw[start - 1].isalnum()
        or (raw[start - 1] in hyphens and start > 1 and raw[start - 2].isalnum())
    ):
        start -= 1
    while end < len(raw) and (
        raw[end].isalnum()
        or (raw[end] in hyphens and end + 1 < len(raw) and raw[end + 1].isalnum())
    ):
        end += 1
    return raw[start:end]


def tag_mentions(
    article: Article | str,
    actors: pd.DataFrame | None = None,
    aliases: pd.DataFrame | Gazetteer | None = None,
    person_counts_for_state: bool = False,
) -> pd.DataFrame:
    """Every actor mention in an article (or a bare text), one row per mention.

    Longest alias wins; matching ignores case and Latin accents but respects word boundaries
    (a hyphen is a boundary, so "Oekraïne-Georgië-scenario" gives UKR and GEO, and
    "CSTO-troepen" gives CSTO with surface "CSTO"). A possessive "’s"/"s" is part of the
    surface ("Armenië’s", "Tokajevs") and sets ``alias_kind`` to "possessive". With
    ``person_counts_for_state`` each person mention adds a row for the person's state whose
    ``via`` names the person. ``sentence`` and ``block`` are article indexes (a bare text is
    one block); ``token`` is the whole hyphenated word.
    """
    gaz = _gazetteer(actors, aliases)
    if isinstance(article, Article):
        raw = article.raw
        sentences = [(s.start, s.end, s.index, s.block) for s in article.sentences]
    else:
        raw = article
        sentences = [(s, e, i, 0) for i, (s, e) in enumerate(split_sentences(raw, 0, len(raw)))]
    starts = [s[0] for s in sentences]
    rows = []
    for match in gaz.pattern.finditer(fold(raw)):
        a_start, a_end = match.span("alias")
        key = re.sub(r"[\s\-]+", " ", match.group("alias"))
        actor_id, alias_kind, alias = gaz.entries[key]
        if len(alias) <= _EXACT_CASE_MAX and raw[a_start:a_end] != alias:
            continue
        if match.group("poss"):
            alias_kind = "possessive"
        start, end = match.span()
        sentence = block = pd.NA
        at = bisect.bisect_right(starts, start) - 1
        if at >= 0 and start < sentences[at][1]:
            sentence, block = sentences[at][2], sentences[at][3]
        row = {
            "actor_id": actor_id,
            "surface": raw[start:end],
            "start": start,
            "end": end,
            "sentence": sentence,
            "block": block,
            "alias_kind": alias_kind,
            "via": "",
            "token": _token(raw, start, end),
        }
        rows.append(row)
        if person_counts_for_state and actor_id in gaz.person_state:
            rows.append({**row, "actor_id": gaz.person_state[actor_id], "via": actor_id})
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    for column in ("start", "end"):
        frame[column] = frame[column].astype("int64")
    for column in ("sentence", "block"):
        frame[column] = frame[column].astype("Int64")
    return frame


# --- summaries -----------------------------------------------------------------------------


def mention_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor (rows) by block (columns), with a ``total`` column, most first."""
    blocks = mentions.dropna(subset=["block"])
    table = pd.crosstab(blocks["actor_id"], blocks["block"].astype("int64"))
    table.columns = [int(c) for c in table.columns]
    totals = mentions["actor_id"].value_counts()
    table = table.reindex(totals.index, fill_value=0)
    table["total"] = totals
    table.index.name = "actor_id"
    table = table.reset_index().sort_values(["total", "actor_id"], ascending=[False, True])
    return table.set_index("actor_id")


def comention_graph(mentions: pd.DataFrame, actors: pd.DataFrame | None = None) -> nx.Graph:
    """Actors as nodes (with kind, names and mention count); an edge's ``weight`` is the number
    of sentences that mention both actors, ``sentences`` lists them. Rows without a sentence
    count as mentions but make no edges."""
    graph = nx.Graph()
    counts = mentions["actor_id"].value_counts()
    table = load_actors() if actors is None else actors
    info = table.set_index("actor_id").to_dict("index")
    for actor_id, count in sorted(counts.items()):
        attrs = info.get(actor_id, {})
        graph.add_node(
            actor_id,
            kind=attrs.get("kind", ""),
            name_en=attrs.get("name_en", ""),
            name_nl=attrs.get("name_nl", ""),
            state_id=attrs.get("state_id", ""),
            mentions=int(count),
        )
    with_sentence = mentions.dropna(subset=["sentence"])
    for sentence, group in with_sentence.groupby("sentence", sort=True):
        for a, b in combinations(sorted(set(group["actor_id"])), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["sentences"].append(int(sentence))
            else:
                graph.add_edge(a, b, weight=1, sentences=[int(sentence)])
    return graph
