"""The coded event table (``data/events.csv``): loading with validation, and PLOVER-style export.

One row per event the article reports, including the non-events it stresses (modality
``negated``) and feared or conditional ones (``hypothetical``). Every row cites the Dutch words it
was coded from by character offsets into the raw article. Codes follow PLOVER (event type and
mode) and CAMEO (event code, Goldstein score, quad class); see ``data/README.md``.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import starmap
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.actors import file_stamp, load_actors
from helpers.article import Article
from helpers.corpus import load_corpus_articles, registry_of
from helpers.io import write_text
from helpers.paths import DATA, PROCESSED
from helpers.registry import published_period
from helpers.tables import (
    DataError,
    Distinct,
    check_allowed,
    check_required,
    check_unique,
    parse_date_cell,
    parse_ids,
    read_table,
    split_ids,
    spreadsheet_safe,
)
from helpers.timex import TimeInterval, TimexError, fits, resolve

__all__ = [
    "BASES",
    "COLUMNS",
    "EVENTS",
    "FIGURE_ROLES",
    "GOLDSTEIN",
    "JSONL_EXTENSIONS",
    "MODALITIES",
    "NO_EVENTS",
    "OFFSETS_NOT_CHECKED",
    "PLOVER_MODES",
    "PLOVER_QUAD",
    "PLOVER_TYPES",
    "PRECISIONS",
    "QUAD_CLASSES",
    "QUAD_CODES",
    "REFERENCE_COLUMNS",
    "REFERENCE_EVENTS",
    "check_event_rows",
    "event_records",
    "events_csv_text",
    "export_events",
    "known_actor_ids",
    "load_events",
    "load_reference_events",
    "offsets_not_checked",
    "or_no_events",
    "plover_type_of",
    "quad_class_of",
    "readable_events",
    "sign_of",
]

EVENTS = DATA / "events.csv"
REFERENCE_EVENTS = DATA / "reference" / "events_reference.csv"

COLUMNS = (
    "article_id",
    "event_id",
    "actor_ids",
    "recipient_ids",
    "plover_event_type",
    "plover_mode",
    "cameo_code",
    "goldstein",
    "quad_class",
    "sign",
    "quote_nl",
    "quote_start",
    "quote_end",
    "gloss_en",
    "time_phrase_nl",
    "time_start",
    "time_end",
    "timex_value",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "reference_fact_id",
    "modality",
    "coder_note",
)
REQUIRED = (
    "article_id",
    "event_id",
    "actor_ids",
    "plover_event_type",
    "cameo_code",
    "goldstein",
    "quad_class",
    "sign",
    "quote_nl",
    "quote_start",
    "quote_end",
    "gloss_en",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "modality",
)

PRECISIONS = ("day", "week", "month", "season", "year")
BASES = ("stated", "publication", "reference", "context")
MODALITIES = ("asserted", "negated", "hypothetical", "reported_speech")
QUAD_CLASSES = (
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
)
QUAD_CODES = {quad: number for number, quad in enumerate(QUAD_CLASSES, start=1)}
EARLIEST = datetime.date(1900, 1, 1)
# The typed columns of load_events(); every other column is text ("str").
DTYPES = {
    "goldstein": "float64",
    "sign": "int64",
    "quote_start": "int64",
    "quote_end": "int64",
    "time_start": "Int64",
    "time_end": "Int64",
    "date_start": "datetime64[s]",
    "date_end": "datetime64[s]",
}

# The actor ids fixed for this project; used only while data/actors.csv does not exist.

# --- PLOVER -------------------------------------------------------------------------------------
# PLOVER event types and their quad class (PLOVER manual, OEDA 2021). OTHER is our extension for
# CAMEO 01 (public statements) and 02 (appeals), which PLOVER drops.
PLOVER_QUAD = {
    "AGREE": "verbal_cooperation",
    "CONSULT": "verbal_cooperation",
    "SUPPORT": "verbal_cooperation",
    "CONCEDE": "verbal_cooperation",
    "COOPERATE": "material_cooperation",
    "AID": "material_cooperation",
    "RETREAT": "material_cooperation",
    "REQUEST": "verbal_conflict",
    "ACCUSE": "verbal_conflict",
    "REJECT": "verbal_conflict",
    "THREATEN": "verbal_conflict",
    "PROTEST": "material_conflict",
    "SANCTION": "material_conflict",
    "MOBILIZE": "material_conflict",
    "COERCE": "material_conflict",
    "ASSAULT": "material_conflict",
    "OTHER": "verbal_cooperation",
}
PLOVER_TYPES = tuple(PLOVER_QUAD)

# Allowed modes per type (PLOVER manual tables; CAMEO2PLOVER-2021 for host, ease, discontinue,
# investigate, disapprove, aerial, cleansing, unconventional). Types not listed take no mode.
PLOVER_MODES: dict[str, frozenset[str]] = {
    "CONSULT": frozenset({"visit", "host", "third-party", "multilateral", "phone"}),
    "AID": frozenset({"economic", "military", "humanitarian", "asylum"}),
    "RETREAT": frozenset(
        {"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign", "ease"}
    ),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset(
        {"restrict", "ban", "arrest", "relations", "expel", "territory", "violence"}
    ),
    "PROTEST": frozenset(
        {"demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct"}
    ),
    "SANCTION": frozenset({"convict", "cancel", "expel", "withdraw", "sever", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police"}),
    "COERCE": frozenset(
        {
            "confiscate",
            "restrict",
            "ban",
            "censor",
            "curfew",
            "martial-law",
            "arrest",
            "deport",
            "withhold",
        }
    ),
    "ASSAULT": frozenset(
        {
            "abduct",
            "beat",
            "torture",
            "execute",
            "sexual",
            "assassinate",
            "destroy",
            "primitive",
            "firearms",
            "explosives",
            "suicide-attack",
            "heavy-weapons",
            "aerial",
            "cleansing",
            "unconventional",
        }
    ),
}

# CAMEO cue category (2 digits) -> PLOVER type, then the code-level exceptions of the
# CAMEO2PLOVER-2021 table (openeventdata/PLOVER). PLOVER's DEMAND is named REQUEST here.
_CAMEO_ROOT_TO_PLOVER = {
    "01": "OTHER",
    "02": "OTHER",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}
_CAMEO_EXCEPTIONS = {
    "084": "RETREAT",
    "085": "RETREAT",
    "086": "RETREAT",
    "087": "RETREAT",
    "0813": "RETREAT",
    "0814": "RETREAT",
    "163": "COERCE",
    "1712": "ASSAULT",
    "175": "ASSAULT",
    "191": "COERCE",
    "192": "COERCE",
}

# Goldstein (1992) conflict-cooperation weights for every CAMEO code, as distributed with CAMEO
# and GDELT ("CAMEO.goldsteinscale.txt"). Pairs of code and score.
_GOLDSTEIN_TABLE = """
01 0.0 010 0.0 011 -0.1 012 -0.4 013 0.4 014 0.0 015 0.0 016 -2.0 017 0.0 018 3.4 019 3.4
02 3.0 020 3.0 021 3.4 0211 3.4 0212 3.4 0213 3.4 0214 3.4 022 3.2 023 3.4 0231 3.4 0232 3.4
0233 3.4 0234 3.4 024 -0.3 0241 -0.3 0242 -0.3 0243 -0.3 0244 -0.3 025 -0.3 0251 -0.3
0252 -0.3 0253 -0.3 0254 -0.3 0255 -0.3 0256 -0.3 026 4.0 027 4.0 028 4.0
03 4.0 030 4.0 031 5.2 0311 5.2 0312 5.2 0313 5.2 0314 5.2 032 4.5 033 5.2 0331 5.2 0332 5.2
0333 5.2 0334 6.0 034 7.0 0341 7.0 0342 7.0 0343 7.0 0344 7.0 035 7.0 0351 7.0 0352 7.0
0353 7.0 0354 7.0 0355 7.0 0356 7.0 036 4.0 037 5.0 038 7.0 039 5.0
04 1.0 040 1.0 041 1.0 042 1.9 043 2.8 044 2.5 045 5.0 046 7.0
05 3.5 050 3.5 051 3.4 052 3.5 053 3.8 054 6.0 055 7.0 056 7.0 057 8.0
06 6.0 060 6.0 061 6.4 062 7.4 063 7.4 064 7.0
07 7.0 070 7.0 071 7.4 072 8.3 073 7.4 074 8.5 075 7.0
08 5.0 080 5.0 081 5.0 0811 5.0 0812 5.0 0813 5.0 0814 5.0 082 5.0 083 5.0 0831 5.0 0832 5.0
0833 5.0 0834 5.0 084 7.0 0841 7.0 0842 7.0 085 7.0 086 9.0 0861 9.0 0862 9.0 0863 9.0 087 9.0
0871 9.0 0872 9.0 0873 9.0 0874 10.0
09 -2.0 090 -2.0 091 -2.0 092 -2.0 093 -2.0 094 -2.0
10 -5.0 100 -5.0 101 -5.0 1011 -5.0 1012 -5.0 1013 -5.0 1014 -5.0 102 -5.0 103 -5.0 1031 -5.0
1032 -5.0 1033 -5.0 1034 -5.0 104 -5.0 1041 -5.0 1042 -5.0 1043 -5.0 1044 -5.0 105 -5.0
1051 -5.0 1052 -5.0 1053 -5.0 1054 -5.0 1055 -5.0 1056 -5.0 106 -5.0 107 -5.0 108 -5.0
11 -2.0 110 -2.0 111 -2.0 112 -2.0 1121 -2.0 1122 -2.0 1123 -2.0 1124 -2.0 1125 -2.0 113 -2.0
114 -2.0 115 -2.0 116 -2.0
12 -4.0 120 -4.0 121 -4.0 1211 -4.0 1212 -4.0 122 -4.0 1221 -4.0 1222 -4.0 1223 -4.0 1224 -4.0
123 -4.0 1231 -4.0 1232 -4.0 1233 -4.0 1234 -4.0 124 -4.0 1241 -4.0 1242 -4.0 1243 -4.0
1244 -4.0 1245 -4.0 1246 -4.0 125 -5.0 126 -5.0 127 -5.0 128 -5.0 129 -5.0
13 -6.0 130 -4.4 131 -5.8 1311 -5.8 1312 -5.8 1313 -5.8 132 -5.8 1321 -5.8 1322 -5.8 1323 -5.8
1324 -5.8 133 -5.8 134 -5.8 135 -5.8 136 -7.0 137 -7.0 138 -7.0 1381 -7.0 1382 -7.0 1383 -7.0
1384 -7.0 1385 -7.0 139 -7.0
14 -6.5 140 -6.5 141 -6.5 1411 -6.5 1412 -6.5 1413 -6.5 1414 -6.5 142 -6.5 1421 -6.5 1422 -6.5
1423 -6.5 1424 -6.5 143 -6.5 1431 -6.5 1432 -6.5 1433 -6.5 1434 -6.5 144 -7.5 1441 -7.5
1442 -7.5 1443 -7.5 1444 -7.5 145 -7.5 1451 -7.5 1452 -7.5 1453 -7.5 1454 -7.5
15 -7.2 150 -7.2 151 -7.2 152 -7.2 153 -7.2 154 -7.2
16 -4.0 160 -4.0 161 -4.0 162 -5.6 1621 -5.6 1622 -5.6 1623 -5.6 163 -8.0 164 -7.0 165 -6.5
166 -7.0 1661 -7.0 1662 -7.0 1663 -7.0
17 -7.0 170 -7.0 171 -9.2 1711 -9.2 1712 -9.2 172 -5.0 1721 -5.0 1722 -5.0 1723 -5.0 1724 -5.0
173 -5.0 174 -5.0 175 -9.0
18 -9.0 180 -9.0 181 -9.0 182 -9.5 1821 -9.0 1822 -9.0 1823 -10.0 183 -10.0 1831 -10.0
1832 -10.0 1833 -10.0 184 -8.0 185 -8.0 186 -10.0
19 -10.0 190 -10.0 191 -9.5 192 -9.5 193 -10.0 194 -10.0 195 -10.0 196 -9.5
20 -10.0 200 -10.0 201 -9.5 202 -10.0 203 -10.0 204 -10.0 2041 -10.0 2042 -10.0
"""
_PAIRS = _GOLDSTEIN_TABLE.split()
GOLDSTEIN: dict[str, float] = {
    code: float(score) for code, score in zip(_PAIRS[::2], _PAIRS[1::2], strict=True)
}
_CAMEO_CODE = re.compile(r"[0-9]{2,4}")
_EVENT_ID = re.compile(r"E[0-9]{2,}")
_FACT_ID = re.compile(r"F[0-9]{2,}")


def plover_type_of(cameo_code: str) -> str:
    """The PLOVER event type of a CAMEO code (CAMEO2PLOVER-2021; 01 and 02 -> OTHER)."""
    if cameo_code not in GOLDSTEIN:
        raise KeyError(f"unknown CAMEO code {cameo_code!r}")
    for length in (4, 3):
        if cameo_code[:length] in _CAMEO_EXCEPTIONS and len(cameo_code) >= length:
            return _CAMEO_EXCEPTIONS[cameo_code[:length]]
    return _CAMEO_ROOT_TO_PLOVER[cameo_code[:2]]


def quad_class_of(cameo_code: str) -> str:
    """The quad class of a CAMEO code, through its PLOVER type (CAMEO 08 split into verbal
    CONCEDE and material RETREAT; 01/02 are verbal cooperation as in GDELT)."""
    return PLOVER_QUAD[plover_type_of(cameo_code)]


def sign_of(quad_class: str) -> int:
    """+1 for cooperation, -1 for conflict."""
    return 1 if quad_class.endswith("cooperation") else -1


# --- actors -------------------------------------------------------------------------------------


def known_actor_ids(actors: object = None) -> frozenset[str]:
    """The actor ids events may use: from ``actors`` (a DataFrame with an ``actor_id`` column or
    index, or any iterable of ids), else from the gazetteer (``helpers.actors.load_actors()``)."""
    if actors is None:
        actors = load_actors()
    if isinstance(actors, pd.DataFrame):
        if "actor_id" in actors.columns:
            return frozenset(str(a) for a in actors["actor_id"])
        return frozenset(str(a) for a in actors.index)
    if isinstance(actors, Mapping):
        return frozenset(str(a) for a in actors)
    return frozenset(str(a) for a in actors)  # type: ignore[union-attr]


# --- reference facts ----------------------------------------------------------------------------

REFERENCE_COLUMNS = (
    "fact_id",
    "statement_en",
    "date_start",
    "date_end",
    "place",
    "source",
    "url",
    "figure_label",
    "figure_role",
)
# How figures use a reference fact (empty: not drawn); see helpers.keydates.
FIGURE_ROLES = ("key", "turning_point", "occasion")


def load_reference_events(path: str | Path | None = None) -> pd.DataFrame:
    """The reference facts (``data/reference/events_reference.csv``), dates typed, one row per
    ``fact_id`` (the index is a plain range; ``fact_id`` is a column): the one reader of the
    reference table, for the event checks, the fact check and the key dates of figures alike.
    A ``figure_label`` needs a ``figure_role`` (one of :data:`FIGURE_ROLES`) and the reverse."""
    path = Path(path) if path is not None else REFERENCE_EVENTS
    table = read_table(path, REFERENCE_COLUMNS)
    check_required(table, ["fact_id", "statement_en", "date_start", "date_end", "source"], path)
    check_unique(table, "fact_id", path)
    check_allowed(table, "figure_role", ("", *FIGURE_ROLES), path)
    starts, ends = [], []
    for record in table.to_dict("records"):
        start = parse_date_cell(record["date_start"], path, record["_row"], "date_start")
        end = parse_date_cell(record["date_end"], path, record["_row"], "date_end")
        if end < start:
            raise DataError(path, record["_row"], "date_end", f"{end} is before {start}")
        if bool(record["figure_label"].strip()) != bool(record["figure_role"]):
            column = "figure_role" if record["figure_label"].strip() else "figure_label"
            problem = "figure_label and figure_role go together"
            raise DataError(path, record["_row"], column, problem)
        starts.append(pd.Timestamp(start))
        ends.append(pd.Timestamp(end))
    table["date_start"] = pd.to_datetime(pd.Series(starts, index=table.index, dtype="object"))
    table["date_end"] = pd.to_datetime(pd.Series(ends, index=table.index, dtype="object"))
    table = table.drop(columns="_row")
    table.attrs["path"] = str(path)
    return table


def _reference_intervals(path: Path | None) -> dict[str, tuple[datetime.date, datetime.date]]:
    """fact_id -> (date_start, date_end) of the reference events (none when ``path`` is None;
    a missing file is an error, not a silent skip of the checks). Read once while the file
    stays unchanged (every partition of a corpus checks its rows against it); not to be
    changed by the caller."""
    if path is None:
        return {}
    try:
        stamp = file_stamp(path)
    except OSError:
        stamp = None  # not cached: the reader raises its error
    return _intervals_of(path, stamp)


@lru_cache(maxsize=4)
def _intervals_of(path: Path, stamp: tuple | None) -> dict:
    table = load_reference_events(path)
    return {
        fact: (start.date(), end.date())
        for fact, start, end in zip(
            table["fact_id"], table["date_start"], table["date_end"], strict=True
        )
    }


# --- the articles rows are checked against -------------------------------------------------------

# What load_events() says about the rows of an article whose text is not available here.
OFFSETS_NOT_CHECKED = "offsets not checked: text not available"


@dataclass(frozen=True)
class _Source:
    """What the rows of one article are checked against: its text when it is available here
    (else ``None``: offsets cannot be checked) and its publication date as stated."""

    raw: str | None
    published: str
    latest: datetime.date  # the last day of the publication period


def _source_of(article: Article) -> _Source:
    return _Source(article.raw, article.date, article.date_end.date())


def article_sources(articles: Iterable[Article]) -> dict[str, _Source]:
    """Article id -> what :func:`check_event_rows` reads of it (its text and publication
    date): for rows checked later, without holding the articles' sentences and blocks."""
    return {one.id: _source_of(one) for one in articles}


def _sources(
    article: Article | None,
    articles: Iterable[Article] | None,
    table: pd.DataFrame,
    corpus_dirs: Iterable[str | Path] | None,
) -> dict[str, _Source]:
    """article_id -> its :class:`_Source`: every registered article (by its registry date),
    with the text of each article given (``article``, ``articles``) or, when none is given,
    of each registered article whose text :func:`helpers.corpus.load_corpus_articles` finds."""
    sources = {}
    for article_id, published in zip(table["article_id"], table["published"], strict=True):
        sources[article_id] = _Source(None, published, published_period(published)[2].date())
    if article is None and articles is None:
        articles = load_corpus_articles(corpus_dirs, registry=table).articles
    given = [article] if article is not None else []
    for one in [*given, *(articles or [])]:
        sources[one.id] = _source_of(one)
    return sources


@dataclass
class _Checks:
    """The file being checked, what its rows are checked against, and the rows whose offsets
    could not be checked (article_id -> count)."""

    path: Path
    known: frozenset[str]
    facts: dict[str, tuple[datetime.date, datetime.date]]
    sources: dict[str, _Source]
    registry: str  # the registry's file, for messages
    unchecked: Counter = field(default_factory=Counter)


# --- the checks of the rows ---------------------------------------------------------------------
#
# Every check of a row is a rule: the column an error names, the cells (or values derived from
# cells) it reads, and a function of those that returns the problem, or None. A rule is called
# once per distinct combination of what it reads, not once per row (see _first_failure). The
# error raised is the one a row-by-row reading meets first:
# the first failing row, and in it the first failing rule in the order below. A rule need not
# hold where a rule before it fails in the same row, so each rule returns None for values that
# an earlier rule rejects (the ``None`` of a derived value).

Problem = str | None


@dataclass(frozen=True)
class _Rule:
    """One check: ``problem(*values)`` of the ``reads`` of a row; an error names ``column``."""

    column: str
    reads: tuple[str, ...]
    problem: Callable[..., Problem]


def _cells(table: pd.DataFrame) -> dict[str, Distinct]:
    """The distinct cells of the table's columns: made once for all the checks."""
    return {c: Distinct.of(table[c]) for c in COLUMNS}


def _check_table(table: pd.DataFrame, path: Path, cells: dict[str, Distinct]) -> None:
    """Column-wise checks: required cells, one row per (article, event), allowed values
    (``cells``: :func:`_cells` of ``table``)."""
    check_required(table, REQUIRED, path, cells)
    check_unique(table, ["article_id", "event_id"], path)
    check_allowed(table, "plover_event_type", PLOVER_TYPES, path, cells)
    check_allowed(table, "quad_class", QUAD_CLASSES, path, cells)
    check_allowed(table, "date_precision", PRECISIONS, path, cells)
    check_allowed(table, "date_basis", BASES, path, cells)
    check_allowed(table, "modality", MODALITIES, path, cells)
    check_allowed(table, "sign", ("1", "-1", "+1"), path, cells)


def _ids_problem(value: str, known: frozenset[str]) -> Problem:
    """What :func:`helpers.tables.parse_ids` says of an id cell (None: its ids are fine)."""
    try:
        parse_ids(value, "", 0, "", known, "actor id")
    except DataError as err:
        return err.problem
    return None


def _id_rules(checks: _Checks) -> list[_Rule]:
    """The event id's form, the article (registered or given), the actor and recipient ids."""

    def article(article_id: str) -> Problem:
        if article_id in checks.sources:
            return None
        return (
            f"{article_id!r} is not a registered article ({checks.registry}): "
            "register its text with `python3 tasks.py add FILE`"
        )

    return [
        _Rule(
            "event_id",
            ("event_id",),
            lambda e: None if _EVENT_ID.fullmatch(e) else f"{e!r} is not like E01",
        ),
        _Rule("article_id", ("article_id",), article),
        _Rule("actor_ids", ("actor_ids",), lambda v: _ids_problem(v, checks.known)),
        _Rule("recipient_ids", ("recipient_ids",), lambda v: _ids_problem(v, checks.known)),
        _Rule("actor_ids", ("actor_ids",), lambda v: None if v else "must name at least one actor"),
    ]


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _code_problem(code: str) -> Problem:
    if _CAMEO_CODE.fullmatch(code) and code in GOLDSTEIN:
        return None
    return f"{code!r} is not a CAMEO event code{_leading_zero(code)}"


def _type_problem(event_type: str, code: str) -> Problem:
    if code not in GOLDSTEIN or event_type == (expected := plover_type_of(code)):
        return None
    return f"{event_type} does not match CAMEO {code} ({expected}){_leading_zero(code)}"


def _mode_problem(event_type: str, mode: str) -> Problem:
    allowed = PLOVER_MODES.get(event_type, frozenset())
    if not mode or mode in allowed:
        return None
    return f"{mode!r} is not a mode of {event_type}: {sorted(allowed)}"


def _score_problem(goldstein: float | None, code: str) -> Problem:
    if goldstein is None or code not in GOLDSTEIN or goldstein == GOLDSTEIN[code]:
        return None
    return f"{goldstein} is not the Goldstein score of CAMEO {code} ({GOLDSTEIN[code]})"


def _quad_problem(quad_class: str, code: str) -> Problem:
    if code not in GOLDSTEIN or quad_class == (expected := quad_class_of(code)):
        return None
    return f"{quad_class} does not match CAMEO {code} ({expected})"


# CAMEO code, PLOVER type and mode, Goldstein score, quad class and sign agree.
_CODE_RULES = [
    _Rule("cameo_code", ("cameo_code",), _code_problem),
    _Rule("plover_event_type", ("plover_event_type", "cameo_code"), _type_problem),
    _Rule("plover_mode", ("plover_event_type", "plover_mode"), _mode_problem),
    _Rule(
        "goldstein",
        ("goldstein",),
        lambda g: None if _number(g) is not None else f"{g!r} is not a number",
    ),
    _Rule("goldstein", ("goldstein:value", "cameo_code"), _score_problem),
    _Rule("quad_class", ("quad_class", "cameo_code"), _quad_problem),
    _Rule(
        "sign",
        ("sign", "quad_class"),
        lambda s, q: None if int(s) == sign_of(q) else f"{s} does not match {q}",
    ),
]


def _offset(cell: str) -> int | None:
    """The offset in a cell of ASCII digits, else None."""
    return int(cell) if cell.isascii() and cell.isdigit() else None


def _offset_problem(cell: str) -> Problem:
    if _offset(cell) is not None:
        return None
    return f"{cell!r} is not a non-negative integer offset"


def _order_problem(start: int | None, end: int | None) -> Problem:
    if start is None or end is None or end > start:
        return None
    return f"end {end} is not after start {start}"


def _span_rules(text: str, columns: tuple[str, str], optional: bool = False) -> list[_Rule]:
    """Offsets ``columns`` (start, end) of ``text`` (a column name): integers, end after start,
    and, when the article's text is here, ``raw[start:end] == text``. ``optional``: empty
    offset cells are not checked (the time phrase's; :func:`_time_cells` says when they may be
    empty)."""
    start, end = columns

    def integer(cell: str, value: int | None) -> Problem:  # value: the cell's _offset
        return None if value is not None or (optional and not cell) else _offset_problem(cell)

    def at(raw: str | None, first: int | None, last: int | None, cell: str) -> Problem:
        if raw is None or first is None or last is None or raw[first:last] == cell:
            return None
        return f"raw[{first}:{last}] is {raw[first:last]!r}, not the {text} cell"

    return [
        _Rule(start, (start, f"{start}:value"), integer),
        _Rule(end, (end, f"{end}:value"), integer),
        _Rule(end, (f"{start}:value", f"{end}:value"), _order_problem),
        _Rule(text, ("raw", f"{start}:value", f"{end}:value", text), at),
    ]


def _time_cells(phrase: str, start: str, end: str) -> Problem:
    if all((phrase, start, end)) or not any((phrase, start, end)):
        return None
    return "time phrase, time_start and time_end go together"


# The quote's and the time phrase's offsets.
_TIME_CELLS = ("time_phrase_nl", "time_start", "time_end")
_OFFSET_RULES = [
    *_span_rules("quote_nl", ("quote_start", "quote_end")),
    _Rule(
        "timex_value",
        (*_TIME_CELLS, "timex_value"),
        lambda p, s, e, v: (
            "a TIMEX3 value needs a time phrase" if v and not any((p, s, e)) else None
        ),
    ),
    _Rule("time_phrase_nl", _TIME_CELLS, _time_cells),
    *_span_rules("time_phrase_nl", ("time_start", "time_end"), optional=True),
]


def _date(cell: str) -> datetime.date | None:
    try:
        return parse_date_cell(cell, "", 0, "")
    except DataError:
        return None


def _date_problem(cell: str) -> Problem:
    """What :func:`helpers.tables.parse_date_cell` says of a date cell (None: a date)."""
    try:
        parse_date_cell(cell, "", 0, "")
    except DataError as err:
        return err.problem
    return None


def _before_problem(start: datetime.date | None, end: datetime.date | None) -> Problem:
    if start is None or end is None or not end < start:
        return None
    return f"{end} is before {start}"


def _earliest_problem(start: datetime.date | None) -> Problem:
    return f"{start} is before {EARLIEST}" if start is not None and start < EARLIEST else None


def _latest_problem(end: datetime.date | None, latest: datetime.date | None) -> Problem:
    if end is None or latest is None or not end > latest:
        return None
    return f"{end} is after the end of the publication period ({latest})"


def _fits_problem(
    precision: str, start: datetime.date | None, end: datetime.date | None
) -> Problem:
    if start is None or end is None or fits(precision, start, end):
        return None
    return f"{precision!r} does not fit {start}..{end}"


_DATES = ("date_start:value", "date_end:value")
# The interval: real dates, in order, from 1900 to the end of the article's publication
# period, honestly described by its precision.
_DATE_RULES = [
    _Rule("date_start", ("date_start",), _date_problem),
    _Rule("date_end", ("date_end",), _date_problem),
    _Rule("date_end", _DATES, _before_problem),
    _Rule("date_start", ("date_start:value",), _earliest_problem),
    _Rule("date_end", ("date_end:value", "latest"), _latest_problem),
    _Rule("date_precision", ("date_precision", *_DATES), _fits_problem),
]


def _reference_rules(checks: _Checks) -> list[_Rule]:
    """The reference fact exists, and basis ``reference`` copies its interval."""
    facts = checks.facts

    def known(fact: str) -> Problem:
        return f"unknown reference fact {fact!r}" if fact and facts and fact not in facts else None

    def copied(
        basis: str, fact: str, start: datetime.date | None, end: datetime.date | None
    ) -> Problem:
        if basis != "reference" or fact not in facts or start is None or end is None:
            return None
        if facts[fact] == (start, end):
            return None
        ref_start, ref_end = facts[fact]
        return f"basis 'reference' but {fact} runs {ref_start}..{ref_end}"

    return [
        _Rule(
            "reference_fact_id",
            ("reference_fact_id",),
            lambda f: f"{f!r} is not like F01" if f and not _FACT_ID.fullmatch(f) else None,
        ),
        _Rule("reference_fact_id", ("reference_fact_id",), known),
        _Rule(
            "reference_fact_id",
            ("date_basis", "reference_fact_id"),
            lambda b, f: "basis 'reference' needs a fact" if b == "reference" and not f else None,
        ),
        _Rule("date_start", ("date_basis", "reference_fact_id", *_DATES), copied),
    ]


def _inside_problem(basis: str, phrase: str, *offsets: int | None) -> Problem:
    start, end, time_start, time_end = offsets
    if basis not in ("stated", "publication") or not phrase or None in offsets:
        return None
    if start <= time_start and time_end <= end:
        return None
    return (
        f"basis {basis!r} needs the time phrase inside the quote "
        "(use 'context' for a phrase elsewhere)"
    )


def _meaning_problem(
    basis: str,
    phrase: str,
    published: str | None,
    start: datetime.date | None,
    end: datetime.date | None,
) -> Problem:
    if basis not in ("stated", "publication") or not phrase or None in (published, start, end):
        return None
    resolved = _resolve(phrase, published)
    if resolved is None or (resolved.start <= start and end <= resolved.end):
        return None
    return f"{start}..{end} is outside what {phrase!r} means ({resolved.start}..{resolved.end})"


# Basis ``stated`` or ``publication`` with a time phrase: the phrase lies inside the quote and
# the interval within what it means against the article's publication date.
_OFFSETS = ("quote_start:value", "quote_end:value", "time_start:value", "time_end:value")
_PHRASE_RULES = [
    _Rule("date_basis", ("date_basis", "time_phrase_nl", *_OFFSETS), _inside_problem),
    _Rule("date_start", ("date_basis", "time_phrase_nl", "published", *_DATES), _meaning_problem),
]


def _resolve(phrase: str, published: str) -> TimeInterval | None:
    try:
        return resolve(phrase, published)
    except TimexError:
        return None


def _leading_zero(code: str) -> str:
    """A hint when a spreadsheet may have turned CAMEO ``074`` into ``74``."""
    if f"0{code}" in GOLDSTEIN:
        return f" (did a spreadsheet drop the leading zero of '0{code}'?)"
    return ""


def _rules(checks: _Checks) -> list[_Rule]:
    """Every check of a row, in the order a row is checked."""
    return [
        *_id_rules(checks),
        *_CODE_RULES,
        *_OFFSET_RULES,
        *_DATE_RULES,
        *_reference_rules(checks),
        *_PHRASE_RULES,
    ]


def _derived(convert: Callable[[str], object], cells: Distinct) -> Distinct:
    """``convert`` of each cell of a column, called once per distinct cell."""
    return Distinct(list(map(convert, cells.values)), cells.codes)


def _columns(cells: dict[str, Distinct], checks: _Checks) -> dict[str, Distinct]:
    """The cells of a table by column (its :func:`_cells`), and what the rules read that is
    derived from them:
    ``C:value`` (the number, offset or date in column ``C``; None where it holds none) and
    the row's article's ``raw`` text, ``published`` date and ``latest`` day (None for an
    article that is not known; ``raw`` also for one whose text is not here)."""
    columns = dict(cells)
    columns["goldstein:value"] = _derived(_number, columns["goldstein"])
    for column in ("quote_start", "quote_end", "time_start", "time_end"):
        columns[f"{column}:value"] = _derived(_offset, columns[column])
    for column in ("date_start", "date_end"):
        columns[f"{column}:value"] = _derived(_date, columns[column])
    articles = columns["article_id"]
    sources = [checks.sources.get(a) for a in articles.values]
    for name in ("raw", "published", "latest"):
        values = [None if s is None else getattr(s, name) for s in sources]
        columns[name] = Distinct(values, articles.codes)
    return columns


def _first_rows(columns: list[Distinct]) -> np.ndarray:
    """The first row of each distinct combination of the columns' cells, in row order."""
    key = np.zeros(len(columns[0].codes), dtype=np.int64)  # the combination's number
    size, seen = 1, []
    for column in columns:
        if any(column.codes is codes for codes in seen):  # a value derived from a cell read too
            continue
        seen.append(column.codes)
        count = max(len(column.values), 1)
        if size * count >= 2**62:  # numbered afresh before the numbers overflow
            key = np.unique(key, return_inverse=True)[1].reshape(-1)
            size = int(key.max()) + 1
        key = key * count + column.codes
        size *= count
    return np.flatnonzero(~pd.Index(key).duplicated())  # by hashing: no sort


def _first_failure(rule: _Rule, columns: dict[str, Distinct]) -> tuple[int, str] | None:
    """The first row (position) where ``rule`` fails and its problem; ``rule.problem`` is
    called once per distinct combination of what it reads (in the order of their first rows,
    up to the first that fails)."""
    reads = [columns[c] for c in rule.reads]
    if len(reads) == 1:
        found = enumerate(map(rule.problem, reads[0].values))
        bad = next(((value, problem) for value, problem in found if problem is not None), None)
        return None if bad is None else (reads[0].first_row(bad[0]), bad[1])
    rows = _first_rows(reads)
    values = [list(map(c.values.__getitem__, c.codes[rows].tolist())) for c in reads]
    found = starmap(rule.problem, zip(*values, strict=True))
    for row, problem in zip(rows.tolist(), found, strict=True):
        if problem is not None:
            return row, problem
    return None


def _check_rows(table: pd.DataFrame, checks: _Checks, columns: dict[str, Distinct]) -> None:
    """Raise the :class:`DataError` of the first failing row and, in it, its first failing
    rule (the error a row-by-row reading raises)."""
    failures = []
    for order, rule in enumerate(_rules(checks)):
        found = _first_failure(rule, columns)
        if found is not None:
            failures.append((found[0], order, rule.column, found[1]))
    if failures:
        at, _, column, problem = min(failures)
        raise DataError(checks.path, int(table["_row"].iloc[at]), column, problem)


def _each_row(column: Distinct, dtype: str) -> pd.api.extensions.ExtensionArray:
    """``pd.array`` of a column's values, one per row, typed once per distinct value."""
    return pd.array(column.values, dtype=dtype).take(column.codes)


def _typed(table: pd.DataFrame, columns: dict[str, Distinct]) -> pd.DataFrame:
    """The rows typed (see :func:`load_events`), built column by column from their cells and
    the values :func:`_columns` derived from them (the dates from their cells, which the
    checks found to be real dates ``YYYY-MM-DD``)."""
    dates = {
        c: np.array(columns[c].values, dtype="datetime64[s]")[columns[c].codes]
        for c in ("date_start", "date_end")
    }
    typed = {
        "goldstein": _each_row(columns["goldstein:value"], "float64"),
        "sign": _each_row(_derived(int, columns["sign"]), "int64"),
        "quote_start": _each_row(columns["quote_start:value"], "int64"),
        "quote_end": _each_row(columns["quote_end:value"], "int64"),
        "time_start": _each_row(columns["time_start:value"], "Int64"),
        "time_end": _each_row(columns["time_end:value"], "Int64"),
        **dates,
    }
    text = {c: table[c].astype("str").array for c in COLUMNS if c not in typed}
    return pd.DataFrame(
        {c: typed.get(c, text.get(c)) for c in COLUMNS}, index=pd.RangeIndex(len(table))
    )


# --- loading ------------------------------------------------------------------------------------


def load_events(
    path: str | Path | None = None,
    article: Article | None = None,
    actors: object = None,
    reference: str | Path | None = REFERENCE_EVENTS,
    *,
    articles: Iterable[Article] | None = None,
    registry: pd.DataFrame | str | Path | None = None,
    corpus_dirs: Iterable[str | Path] | None = None,
) -> pd.DataFrame:
    """Read and validate ``data/events.csv`` (the events of every article); return it typed.

    Each row is checked against its own article, named by ``article_id``: an article of the
    registry (``registry``: the table or its path, default ``data/articles.csv``) or one given
    as ``article`` / ``articles``. The texts used are those given; when none is given, those
    that :func:`helpers.corpus.load_corpus_articles` finds in ``data/raw/`` and ``corpus_dirs``
    (default ``data/private/``). The rows of a registered article whose text is not among them
    are kept, and all their checks are made except that the quote and time phrase are at their
    offsets; ``frame.attrs["offsets_not_checked"]`` counts them per article
    (:data:`OFFSETS_NOT_CHECKED`; see :func:`offsets_not_checked`).

    Dates are ``datetime64``, offsets ``int`` (time offsets nullable ``Int64``), ``goldstein``
    ``float``, ``sign`` ``int``; every other column (``cameo_code`` too) is text. A table with
    only its header gives a frame without rows but with the same columns and dtypes.
    ``reference=None`` skips the checks against the reference facts.

    Raises :class:`DataError` naming the file, row and column for: a file that cannot be read
    (see :func:`helpers.tables.read_table`), an article that is neither registered nor given,
    a repeated (article_id, event_id) pair, unknown actor ids, offsets that do not hold the
    quoted text, an end before its start, a precision that does not fit the interval, dates
    after the end of the article's publication period or before 1900, CAMEO codes that do not
    match the PLOVER type, quad class, sign or Goldstein score, and values outside the allowed
    sets.
    """
    path = Path(path) if path is not None else EVENTS
    table = read_table(path, COLUMNS)
    cells = _cells(table)
    _check_table(table, path, cells)
    registry = registry_of(registry)
    checks = _Checks(
        path,
        known_actor_ids(actors),
        _reference_intervals(Path(reference) if reference is not None else None),
        _sources(article, articles, registry, corpus_dirs),
        registry.attrs.get("path", "the registry given"),
    )
    return _checked(table, checks, cells)


def check_event_rows(
    table: pd.DataFrame,
    path: str | Path,
    articles: Iterable[Article] | Mapping[str, _Source],
    actors: object = None,
    reference: str | Path | None = REFERENCE_EVENTS,
) -> pd.DataFrame:
    """Rows of an events table checked against ``articles`` alone (or their
    :func:`article_sources`), with every check of :func:`load_events`; returned typed as it
    returns them.

    ``table``: the rows as :func:`helpers.tables.read_table` reads them (text cells and
    ``_row``, the line in ``path``), e.g. the rows of the articles of one partition of a
    corpus (:mod:`helpers.pipeline`). A row naming an article that is not among ``articles``
    is an error. Raises :class:`DataError` naming ``path``, the row and the column, as
    :func:`load_events` does."""
    path = Path(path)
    cells = _cells(table)
    _check_table(table, path, cells)
    checks = _Checks(
        path,
        known_actor_ids(actors),
        _reference_intervals(Path(reference) if reference is not None else None),
        articles if isinstance(articles, Mapping) else article_sources(articles),
        "the articles given",
    )
    return _checked(table, checks, cells)


def _checked(table: pd.DataFrame, checks: _Checks, cells: dict[str, Distinct]) -> pd.DataFrame:
    """Each row's checks against ``checks`` (after :func:`_check_table`; ``cells``: the
    table's :func:`_cells`); the rows typed."""
    columns = _columns(cells, checks)
    _check_rows(table, checks, columns)
    articles, texts = columns["article_id"], columns["raw"]
    rows = np.bincount(articles.codes, minlength=len(articles.values)).tolist()
    checks.unchecked.update(
        {a: n for a, raw, n in zip(articles.values, texts.values, rows, strict=True) if raw is None}
    )
    # Every column typed explicitly: a table without rows gets the dtypes of a full one.
    frame = _typed(table, columns)
    frame.attrs["path"] = str(checks.path)
    frame.attrs["offsets_not_checked"] = dict(sorted(checks.unchecked.items()))
    return frame


def offsets_not_checked(events: pd.DataFrame) -> pd.DataFrame:
    """Per article whose text was not available when ``events`` were loaded: the number of its
    rows (``rows``) and the note :data:`OFFSETS_NOT_CHECKED`. No rows when every text was here."""
    counts = events.attrs.get("offsets_not_checked", {})
    return pd.DataFrame(
        {"rows": list(counts.values()), "note": [OFFSETS_NOT_CHECKED] * len(counts)},
        index=pd.Index(list(counts), name="article_id", dtype="str"),
    )


# --- export -------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# Keys of the JSONL export that PLOVER's JSON fields do not have: the project's extensions
# (codebook, ``processed/events.jsonl``). Every other key is a PLOVER field name.
JSONL_EXTENSIONS = (
    "article_id",
    "event_id",
    "date_precision",
    "date_basis",
    "timex_value",
    "time_text",
    "time_offsets",
    "modality",
    "cameo_code",
    "quad_class",
    "sign",
    "gloss_en",
    "reference_fact_id",
)
PLOVER_CODEBOOK = "plover (2021 draft) + CAMEO 1.1b3"


def event_records(events: pd.DataFrame) -> list[dict]:
    """One PLOVER JSON record per event (the JSONL export), ordered by event id.

    Keys are PLOVER's field names (``id``, ``date``, ``enddate``, ``source``, ``recipient``,
    ``event``, ``mode``, ``context``, ``quad_code``, ``event_scale``, ``event_text``,
    ``text_info``, ``cite_info``, ``comment``) plus the project's :data:`JSONL_EXTENSIONS`."""
    context = {"negated": ["negation"], "hypothetical": ["hypothetical"]}
    records = []
    for r in events.sort_values("event_id", kind="stable").itertuples(index=False):
        time_start = None if pd.isna(r.time_start) else int(r.time_start)
        time_end = None if pd.isna(r.time_end) else int(r.time_end)
        records.append(
            {
                "id": f"{r.article_id}-{r.event_id}",
                "event_id": r.event_id,
                "article_id": r.article_id,
                "date": _cell(r.date_start),
                "enddate": _cell(r.date_end),
                "date_precision": r.date_precision,
                "date_basis": r.date_basis,
                "timex_value": r.timex_value,
                "time_text": r.time_phrase_nl,
                "time_offsets": None if time_start is None else [time_start, time_end],
                "event": [r.plover_event_type],
                "mode": r.plover_mode,
                "context": context.get(r.modality, []),
                "modality": r.modality,
                "source": [{"code": a} for a in split_ids(r.actor_ids)],
                "recipient": [{"code": a} for a in split_ids(r.recipient_ids)],
                "cameo_code": r.cameo_code,
                "event_scale": float(r.goldstein),
                "quad_class": r.quad_class,
                "quad_code": QUAD_CODES[r.quad_class],
                "sign": int(r.sign),
                "event_text": [r.quote_nl],
                "text_info": {"start": int(r.quote_start), "end": int(r.quote_end)},
                "gloss_en": r.gloss_en,
                "reference_fact_id": r.reference_fact_id,
                "comment": r.coder_note,
                "cite_info": {"language": "nl", "codebook": PLOVER_CODEBOOK},
            }
        )
    return records


def events_csv_text(events: pd.DataFrame, header: bool = True) -> str:
    """The CSV of the events table as :func:`export_events` writes it (sorted by event id,
    spreadsheet-safe cells); ``header=False`` for rows to append to such a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    for record in events.sort_values("event_id", kind="stable").itertuples(index=False):
        writer.writerow([spreadsheet_safe(_cell(getattr(record, c))) for c in COLUMNS])
    return buffer.getvalue()


def export_events(events: pd.DataFrame, folder: str | Path = PROCESSED) -> list[Path]:
    """Write ``events.csv`` and ``events.jsonl`` (one PLOVER JSON record a line, sorted
    keys, UTF-8) into ``folder``, atomically; the bytes depend only on ``events``. In the CSV
    only, a text cell that a spreadsheet would run as a formula gets a leading apostrophe
    (:func:`helpers.tables.spreadsheet_safe`); the JSONL keeps every value as it is."""
    folder = Path(folder)
    lines = [
        json.dumps(record, ensure_ascii=False, sort_keys=True) for record in event_records(events)
    ]
    return [
        write_text(folder / "events.csv", events_csv_text(events)),
        write_text(folder / "events.jsonl", "".join(line + "\n" for line in lines)),
    ]


def readable_events(events: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The event table for reading: actor and recipient names in English, the date interval
    with its precision in one column, the English gloss next to the Dutch words."""
    names = actors.set_index("actor_id")["name_en"].to_dict()

    def named(ids: str) -> str:
        return ", ".join(names.get(i, i) for i in split_ids(ids))

    def interval(r) -> str:
        first, last = f"{r.date_start:%Y-%m-%d}", f"{r.date_end:%Y-%m-%d}"
        span = first if first == last else f"{first} to {last}"
        return f"{span} ({r.date_precision})"

    return pd.DataFrame(
        {
            "who": [named(v) for v in events["actor_ids"]],
            "did": [
                f"{t} ({q.replace('_', ' ')})"
                for t, q in zip(events["plover_event_type"], events["quad_class"], strict=True)
            ],
            "to whom": [named(v) for v in events["recipient_ids"]],
            "when": [interval(r) for r in events.itertuples()],
            "modality": events["modality"],
            "gloss_en": events["gloss_en"],
            "quote_nl": events["quote_nl"],
        },
        index=pd.Index(events["event_id"], name="event"),
    )


# What notebooks, tables and figures say where the events would be, when none are coded.
NO_EVENTS = "no events coded"


class Note:
    """One line of text that a notebook shows in place of an empty table."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<p><em>{html.escape(self.text)}</em></p>"


def or_no_events(table: pd.DataFrame | pd.Series, note: str = NO_EVENTS) -> object:
    """``table`` itself, or, when it has no rows, a :class:`Note` saying ``note`` ("no events
    coded"): for the last line of a notebook cell, so that an empty events table is said in
    words rather than shown as a bare header."""
    return table if len(table) else Note(note)
