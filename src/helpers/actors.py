"""Bilingual actor gazetteer: actors, aliases and CSTO membership, mention tagging, networks."""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from helpers.article import Article, split_sentences
from helpers.paths import DATA
from helpers.tables import (
    DataError,
    check_allowed,
    check_required,
    check_unique,
    parse_date_cell,
    read_table,
)
from helpers.textview import TextView, text_view

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
    "find_mentions",
    "fold",
    "load_actors",
    "load_aliases",
    "load_membership",
    "members_on",
    "mention_counts",
    "tag_corpus",
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
# The same table as one regex character class: substituting the few folded characters is
# several times faster than str.translate, which looks up every character of a non-ASCII text.
_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")
_FOLD_STR = {chr(code): value for code, value in _FOLD.items()}


def _fold_char(match: re.Match[str]) -> str:
    return _FOLD_STR[match.group()]


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Latin accents, keeping its length (offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. "İ") lower-case to two
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _FOLD_CHARS.sub(_fold_char, lowered)


_KEY_SEP = re.compile(r"[\s\-]+")


def _alias_key(alias: str) -> str:
    """The lookup key of an alias: in NFC without invisible format characters (the text view
    the tagger searches), folded, with runs of spaces and hyphens made one space."""
    return _KEY_SEP.sub(" ", fold(text_view(alias).text)).strip()


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


_SAME_ALIAS = (
    "aliases are compared in Unicode NFC (composed and decomposed accents are the same), "
    "ignoring case, Latin accents and invisible format characters"
)


def _shown(text: str) -> str:
    """``text`` quoted for a message; escaped (``ascii``) when it is not in NFC or holds
    invisible characters, so that two spellings that look the same can be told apart."""
    return repr(text) if text_view(text).text == text else ascii(text)


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
    seen: dict[str, tuple[str, int, str]] = {}
    keys = []
    for _, record in frame.iterrows():
        if record["actor_id"] not in known:
            _fail(path, record, "actor_id", f"unknown actor_id {record['actor_id']!r}")
        alias = record["alias"]
        key = _alias_key(alias)
        if not re.search(r"\w", key) or alias != alias.strip() or alias[0] == "-":
            _fail(path, record, "alias", f"{alias!r} is not a usable alias")
        if key in seen:
            other, row, first = seen[key]
            where = f"row {row}" if first == alias else f"row {row} ({_shown(first)})"
            if other != record["actor_id"]:
                problem = (
                    f"alias {_shown(alias)} maps to {record['actor_id']} here and to {other} "
                    f"in {where}"
                )
            else:
                problem = f"alias {_shown(alias)} repeats {where}"
            _fail(path, record, "alias", f"{problem}; {_SAME_ALIAS}")
        seen[key] = (record["actor_id"], int(record["_row"]), alias)
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
        dates.append(pd.Timestamp(parse_date_cell(record["date"], path, record["_row"], "date")))
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
    until: str | pd.Timestamp | None = None, membership: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each state's status as consecutive spans (``signed``, ``member``, ``frozen``, ``out``):
    one row per span with ``start`` and ``end`` (the next change, or ``until``, a fixed date so
    that figures stay reproducible: by default the end of the calendar year of the latest
    change in the table). Uses the same status rules as :func:`members_on`."""
    membership = load_membership() if membership is None else membership
    if until is None:
        until = membership["date"].max() + pd.offsets.YearEnd(0)
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


def _trie_regex(keys: Iterable[str]) -> tuple[str, int]:
    """One regex for many keys, factored as a trie; greedy, so the longest key wins. Returns
    the regex and how deeply its groups nest.

    Built without recursion and in time linear in the keys' total length (an alias may be
    thousands of characters long)."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True
    out: list[str] = []
    nesting = depth = 0
    todo: list[dict | str] = [trie]  # nodes to write out, and the text between them
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            if item == "(?:":
                depth += 1
                nesting = max(nesting, depth)
            elif item in (")", ")?"):
                depth -= 1
            continue
        children = sorted((ch, child) for ch, child in item.items() if ch != "")
        if not children:
            continue
        parts: list[dict | str] = []
        for number, (ch, child) in enumerate(children):
            if number:
                parts.append("|")
            parts += [_SEP if ch == " " else re.escape(ch), child]
        if len(children) > 1:
            parts = ["(?:", *parts, ")"]
        if "" in item:
            parts = ["(?:", *parts, ")?"]
        todo.extend(reversed(parts))
    return "".join(out), nesting + 1  # + 1: the group inside _SEP


def _compile_nested(pattern: str, nesting: int) -> re.Pattern[str]:
    """``re.compile(pattern)`` for a pattern whose groups nest ``nesting`` deep.

    Python's regex parser recurses about twice per level of nested groups, so aliases that
    are prefixes of one another by the hundred ("x", "x x", "x x x", ...) raise RecursionError
    under the default limit. Since Python 3.11 this Python-to-Python recursion does not use
    the C stack, so the limit is raised for the call (by 3 frames a level) and restored."""
    limit = sys.getrecursionlimit()
    if nesting <= 100:
        return re.compile(pattern)
    sys.setrecursionlimit(limit + 3 * nesting)
    try:
        return re.compile(pattern)
    finally:
        sys.setrecursionlimit(limit)


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
    # The alias as the tagger sees text (NFC, no invisible characters), for exact-case aliases
    entries = {
        _alias_key(alias): (actor_id, kind, text_view(alias).text)
        for alias, actor_id, kind in aliases
    }
    body, nesting = _trie_regex(entries)
    pattern = _compile_nested(rf"(?<!\w)(?P<alias>{body})(?P<poss>'s|s)?(?!\w)", nesting + 2)
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


_HYPHENS = "-\u2010\u2011"


def _token(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole hyphenated word around ``text[start:end]`` ("CSTO-verdrag" for
    "CSTO")."""
    hyphens = _HYPHENS
    while start > 0 and (
        text[start - 1].isalnum()
        or (text[start - 1] in hyphens and start > 1 and text[start - 2].isalnum())
    ):
        start -= 1
    while end < len(text) and (
        text[end].isalnum()
        or (text[end] in hyphens and end + 1 < len(text) and text[end + 1].isalnum())
    ):
        end += 1
    return start, end


def _matches(view: TextView, gazetteer: Gazetteer) -> list[tuple[int, int, str, str]]:
    """The mentions of :func:`find_mentions` with offsets into ``view.text``."""
    entries = gazetteer.entries
    text = view.text
    found = []
    keys: dict[str, tuple[str, str, str]] = {}  # matched text -> entry, for repeats
    for match in gazetteer.pattern.finditer(fold(text)):
        key = match.group("alias")
        entry = keys.get(key)
        if entry is None:
            entry = keys[key] = entries[_KEY_SEP.sub(" ", key)]
        actor_id, alias_kind, alias = entry
        if len(alias) <= _EXACT_CASE_MAX:
            a_start, a_end = match.span("alias")
            if text[a_start:a_end] != alias:
                continue
        if match.group("poss"):
            alias_kind = "possessive"
        start, end = match.span()
        found.append((start, end, actor_id, alias_kind))
    return found


def find_mentions(raw: str, gazetteer: Gazetteer) -> list[tuple[int, int, str, str]]:
    """The matching step of :func:`tag_mentions`: ``(start, end, actor_id, alias_kind)`` of
    every mention in ``raw``, in text order, before sentences, tokens and the table. Matched
    in the normalised view of ``raw`` (:func:`helpers.textview.text_view`: NFC, no invisible
    format characters); offsets are ``raw``'s."""
    view = text_view(raw)
    found = _matches(view, gazetteer)
    if view.is_raw:
        return found
    return [(*view.raw_span(s, e), actor_id, kind) for s, e, actor_id, kind in found]


def _sentence_spans(article: Article | str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The raw text and its sentences as (start, end, sentence index, block index)."""
    if isinstance(article, Article):
        return article.raw, [(s.start, s.end, s.index, s.block) for s in article.sentences]
    raw = article
    return raw, [(s, e, i, 0) for i, (s, e) in enumerate(split_sentences(raw, 0, len(raw)))]


class _MentionColumns:
    """The columns of a mention table, filled article by article and turned into one
    DataFrame at the end (a list of row dicts, or one DataFrame per article, costs several
    times as much time and memory in pandas)."""

    _INTEGERS = ("start", "end", "sentence", "block")

    def __init__(self) -> None:
        # Integers go into machine arrays (no int object per cell); -1 stands for a missing
        # sentence or block.
        self.columns: dict[str, list | array] = {
            name: array("q") if name in self._INTEGERS else [] for name in MENTION_COLUMNS
        }
        self.shared: dict[str, str] = {}  # one str object per distinct surface or token

    def add(
        self,
        view: TextView,
        sentences: list[tuple[int, int, int, int]],
        found: list[tuple[int, int, str, str]],
        person_state: dict[str, str],
        person_counts_for_state: bool,
    ) -> int:
        """Append the rows of one text's matches (offsets into ``view.text``, mapped to the raw
        text here); return how many rows were added."""
        columns = self.columns
        c_actor, c_surface, c_start, c_end = (columns[n] for n in MENTION_COLUMNS[:4])
        c_sentence, c_block, c_kind, c_via, c_token = (columns[n] for n in MENTION_COLUMNS[4:])
        shared = self.shared
        starts = [s[0] for s in sentences]
        raw, text, mapped = view.raw, view.text, not view.is_raw
        size = len(text)
        bisect_right = bisect.bisect_right
        before_rows = len(c_actor)
        for v_start, v_end, actor_id, alias_kind in found:
            start, end = view.raw_span(v_start, v_end) if mapped else (v_start, v_end)
            sentence = block = -1
            at = bisect_right(starts, start) - 1
            if at >= 0 and start < sentences[at][1]:
                sentence, block = sentences[at][2], sentences[at][3]
            surface = raw[start:end]
            surface = shared.setdefault(surface, surface)
            # The token is the surface unless a letter, digit or joining hyphen touches it.
            before = text[v_start - 1] if v_start else " "
            after = text[v_end] if v_end < size else " "
            if before.isalnum() or before in _HYPHENS or after.isalnum() or after in _HYPHENS:
                t_start, t_end = _token(text, v_start, v_end)
                if mapped:
                    t_start, t_end = view.raw_span(t_start, t_end)
                token = raw[t_start:t_end]
                token = shared.setdefault(token, token)
            else:
                token = surface
            repeats = 2 if person_counts_for_state and actor_id in person_state else 1
            for repeat in range(repeats):
                c_actor.append(actor_id if repeat == 0 else person_state[actor_id])
                c_via.append("" if repeat == 0 else actor_id)
                c_surface.append(surface)
                c_start.append(start)
                c_end.append(end)
                c_sentence.append(sentence)
                c_block.append(block)
                c_kind.append(alias_kind)
                c_token.append(token)
        return len(c_actor) - before_rows

    def frame(self, extra: dict[str, list] | None = None) -> pd.DataFrame:
        """The table (``extra`` columns first), typed as :func:`tag_mentions` documents."""
        extra = extra or {}
        names = [*extra, *MENTION_COLUMNS]
        columns = self.columns
        if not columns["actor_id"]:
            frame = pd.DataFrame([], columns=names)
            for column in ("start", "end"):
                frame[column] = frame[column].astype("int64")
            for column in ("sentence", "block"):
                frame[column] = frame[column].astype("Int64")
            return frame
        data = {**extra, **columns}
        for name in ("start", "end"):
            data[name] = np.frombuffer(columns[name], dtype=np.int64).copy()
        for name in ("sentence", "block"):
            values = np.frombuffer(columns[name], dtype=np.int64).copy()
            missing = values < 0
            values[missing] = 0
            data[name] = pd.arrays.IntegerArray(values, missing)
        return pd.DataFrame(data, columns=names)


def _mention_table(
    view: TextView,
    sentences: list[tuple[int, int, int, int]],
    found: list[tuple[int, int, str, str]],
    person_state: dict[str, str],
    person_counts_for_state: bool,
) -> pd.DataFrame:
    """The table of :func:`tag_mentions` from the matches of :func:`_matches`."""
    columns = _MentionColumns()
    columns.add(view, sentences, found, person_state, person_counts_for_state)
    return columns.frame()


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
    raw, sentences = _sentence_spans(article)
    view = text_view(raw)
    found = _matches(view, gaz)
    return _mention_table(view, sentences, found, gaz.person_state, person_counts_for_state)


def tag_corpus(
    articles: Iterable[Article],
    actors: pd.DataFrame | None = None,
    aliases: pd.DataFrame | Gazetteer | None = None,
    person_counts_for_state: bool = False,
) -> pd.DataFrame:
    """The mentions of many articles in one table: the rows of :func:`tag_mentions` for each
    article in turn, with a first column ``article`` (the article's id). ``sentence`` and
    ``block`` stay article indexes; for one co-mention network over the corpus use
    ``comention_graph(mentions, within=["article", "sentence"])``. Builds a single DataFrame
    (not one per article) and shares repeated surface strings, for speed and memory."""
    gaz = _gazetteer(actors, aliases)
    columns = _MentionColumns()
    ids: list[str] = []
    for article in articles:
        raw, sentences = _sentence_spans(article)
        view = text_view(raw)
        found = _matches(view, gaz)
        added = columns.add(view, sentences, found, gaz.person_state, person_counts_for_state)
        ids.extend([article.id] * added)
    return columns.frame({"article": ids})


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


def comention_graph(
    mentions: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    within: str | list[str] = "sentence",
) -> nx.Graph:
    """Actors as nodes (with kind, names and mention count); an edge's ``weight`` is the number
    of sentences that mention both actors, ``sentences`` lists them. Rows without a sentence
    count as mentions but make no edges.

    ``within`` names the column(s) that identify a sentence: ``"sentence"`` for one article
    (``sentences`` then lists sentence indexes), ``["article", "sentence"]`` for the table of
    :func:`tag_corpus` (``sentences`` then lists ``(article, sentence)`` tuples, articles in
    the order they first appear in the table, then by sentence index)."""
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
    keys = [within] if isinstance(within, str) else list(within)
    with_sentence = mentions.dropna(subset=keys)
    actor_ids = with_sentence["actor_id"].tolist()
    sentence_keys = with_sentence[keys[-1]].tolist()
    if len(keys) == 1:
        labels = None
    else:
        # Leading columns (the article) numbered in order of first appearance.
        leading = list(zip(*(with_sentence[k].tolist() for k in keys[:-1]), strict=True))
        codes: dict[tuple, int] = {}
        numbers = [codes.setdefault(t, len(codes)) for t in leading]
        labels = list(codes)
        sentence_keys = list(zip(numbers, sentence_keys, strict=True))
    # Rows in sentence order (usually they already are), then one pass: each sentence's
    # actors, sorted, give its pairs; edges are created in order of first co-mention.
    order = range(len(sentence_keys))
    if any(a > b for a, b in pairwise(sentence_keys)):
        order = sorted(order, key=sentence_keys.__getitem__)
    edges: dict[tuple, dict] = {}

    def close(key, members: set) -> None:
        label = int(key) if labels is None else (*labels[key[0]], int(key[1]))
        for pair in combinations(sorted(members), 2):
            edge = edges.get(pair)
            if edge is None:
                edges[pair] = {"weight": 1, "sentences": [label]}
            else:
                edge["weight"] += 1
                edge["sentences"].append(label)

    current = None
    members: set = set()
    for i in order:
        key = sentence_keys[i]
        if key != current:
            if members:
                close(current, members)
            current, members = key, set()
        members.add(actor_ids[i])
    if members:
        close(current, members)
    graph.add_edges_from((a, b, attrs) for (a, b), attrs in edges.items())
    return graph
