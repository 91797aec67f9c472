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
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from helpers.actors import load_actors
from helpers.article import Article, load_article
from helpers.io import write_text
from helpers.paths import ARTICLE, DATA, PROCESSED
from helpers.tables import (
    DataError,
    check_allowed,
    check_required,
    check_unique,
    read_table,
    spreadsheet_safe,
)
from helpers.timex import TimeInterval, TimexError, fits, resolve

__all__ = [
    "BASES",
    "COLUMNS",
    "EVENTS",
    "GOLDSTEIN",
    "MODALITIES",
    "NO_EVENTS",
    "PLOVER_MODES",
    "PLOVER_QUAD",
    "PLOVER_TYPES",
    "PRECISIONS",
    "QUAD_CLASSES",
    "QUAD_CODES",
    "REFERENCE_EVENTS",
    "event_records",
    "export_events",
    "known_actor_ids",
    "load_events",
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
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


# --- dates --------------------------------------------------------------------------------------


def _resolve(phrase: str, published: str) -> TimeInterval | None:
    try:
        return resolve(phrase, published)
    except TimexError:
        return None


def _parse_date(value: str, path: Path, row: int, column: str) -> datetime.date:
    if not _ISO_DATE.fullmatch(value):
        raise DataError(path, row, column, f"{value!r} is not a date YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise DataError(path, row, column, f"{value!r} is not a real date") from None


def _leading_zero(code: str) -> str:
    """A hint when a spreadsheet may have turned CAMEO ``074`` into ``74``."""
    if f"0{code}" in GOLDSTEIN:
        return f" (did a spreadsheet drop the leading zero of '0{code}'?)"
    return ""


def _parse_int(value: str, path: Path, row: int, column: str) -> int:
    if not re.fullmatch(r"[0-9]+", value):
        raise DataError(path, row, column, f"{value!r} is not a non-negative integer offset")
    return int(value)


_REF_OTHER = ["statement_en", "place", "source", "url"]


def _reference_intervals(path: Path | None) -> dict[str, tuple[datetime.date, datetime.date]]:
    """fact_id -> (date_start, date_end) of the reference events (none when ``path`` is None;
    a missing file is an error, not a silent skip of the checks)."""
    if path is None:
        return {}
    table = read_table(path, ["fact_id", "date_start", "date_end", *_REF_OTHER])
    return {
        r["fact_id"]: (
            _parse_date(r["date_start"], path, r["_row"], "date_start"),
            _parse_date(r["date_end"], path, r["_row"], "date_end"),
        )
        for r in table.to_dict("records")
    }


def _split_ids(value: str, path: Path, row: int, column: str, known: frozenset[str]) -> list[str]:
    if not value:
        return []
    ids = value.split(";")
    for actor in ids:
        if not actor:
            raise DataError(path, row, column, f"empty actor id in {value!r}")
        if actor not in known:
            raise DataError(path, row, column, f"unknown actor id {actor!r}")
    if len(set(ids)) != len(ids):
        raise DataError(path, row, column, f"repeated actor id in {value!r}")
    return ids


# --- loading ------------------------------------------------------------------------------------


def load_events(
    path: str | Path | None = None,
    article: Article | None = None,
    actors: object = None,
    reference: str | Path | None = REFERENCE_EVENTS,
) -> pd.DataFrame:
    """Read and validate ``data/events.csv``; return it typed.

    Dates are ``datetime64``, offsets ``int`` (time offsets nullable ``Int64``), ``goldstein``
    ``float``, ``sign`` ``int``; every other column (``cameo_code`` too) is text. A table with
    only its header gives a frame without rows but with the same columns and dtypes.
    ``reference=None`` skips the checks against the reference facts.

    Raises :class:`DataError` naming the file, row and column for: a file that cannot be read
    (see :func:`helpers.tables.read_table`), unknown actor ids, offsets that do not hold the
    quoted text, an end before its start, a precision that does not fit the interval, duplicate
    ids, dates after the publication month or before 1900, CAMEO codes that do not match the
    PLOVER type, quad class, sign or Goldstein score, and values outside the allowed sets.
    """
    path = Path(path) if path is not None else EVENTS
    article = article if article is not None else load_article(ARTICLE)
    known = known_actor_ids(actors)
    facts = _reference_intervals(Path(reference) if reference is not None else None)
    raw = article.raw
    latest = article.date_end.date()

    table = read_table(path, COLUMNS)
    check_required(table, REQUIRED, path)
    check_unique(table, "event_id", path)
    check_allowed(table, "plover_event_type", PLOVER_TYPES, path)
    check_allowed(table, "quad_class", QUAD_CLASSES, path)
    check_allowed(table, "date_precision", PRECISIONS, path)
    check_allowed(table, "date_basis", BASES, path)
    check_allowed(table, "modality", MODALITIES, path)
    check_allowed(table, "sign", ("1", "-1", "+1"), path)

    records = []
    for cells in table.to_dict("records"):
        r = SimpleNamespace(**cells)
        row = int(cells["_row"])
        if not _EVENT_ID.fullmatch(r.event_id):
            raise DataError(path, row, "event_id", f"{r.event_id!r} is not like E01")
        if r.article_id != article.id:
            raise DataError(path, row, "article_id", f"{r.article_id!r} is not {article.id!r}")
        actors_ = _split_ids(r.actor_ids, path, row, "actor_ids", known)
        _split_ids(r.recipient_ids, path, row, "recipient_ids", known)
        if not actors_:
            raise DataError(path, row, "actor_ids", "must name at least one actor")

        # codes
        code = r.cameo_code
        if not _CAMEO_CODE.fullmatch(code) or code not in GOLDSTEIN:
            problem = f"{code!r} is not a CAMEO event code{_leading_zero(code)}"
            raise DataError(path, row, "cameo_code", problem)
        expected_type = plover_type_of(code)
        if r.plover_event_type != expected_type:
            raise DataError(
                path,
                row,
                "plover_event_type",
                f"{r.plover_event_type} does not match CAMEO {code} ({expected_type})"
                + _leading_zero(code),
            )
        allowed_modes = PLOVER_MODES.get(r.plover_event_type, frozenset())
        if r.plover_mode and r.plover_mode not in allowed_modes:
            raise DataError(
                path,
                row,
                "plover_mode",
                f"{r.plover_mode!r} is not a mode of {r.plover_event_type}: "
                f"{sorted(allowed_modes)}",
            )
        try:
            goldstein = float(r.goldstein)
        except ValueError:
            raise DataError(path, row, "goldstein", f"{r.goldstein!r} is not a number") from None
        if goldstein != GOLDSTEIN[code]:
            raise DataError(
                path,
                row,
                "goldstein",
                f"{goldstein} is not the Goldstein score of CAMEO {code} ({GOLDSTEIN[code]})",
            )
        if r.quad_class != quad_class_of(code):
            raise DataError(
                path,
                row,
                "quad_class",
                f"{r.quad_class} does not match CAMEO {code} ({quad_class_of(code)})",
            )
        sign = int(r.sign)
        if sign != sign_of(r.quad_class):
            raise DataError(path, row, "sign", f"{r.sign} does not match {r.quad_class}")

        # offsets
        start = _parse_int(r.quote_start, path, row, "quote_start")
        end = _parse_int(r.quote_end, path, row, "quote_end")
        if end <= start:
            raise DataError(path, row, "quote_end", f"end {end} is not after start {start}")
        if raw[start:end] != r.quote_nl:
            raise DataError(
                path,
                row,
                "quote_nl",
                f"raw[{start}:{end}] is {raw[start:end]!r}, not the quoted text",
            )
        time_cells = (r.time_phrase_nl, r.time_start, r.time_end)
        time_start = time_end = None
        if any(time_cells):
            if not all(time_cells):
                raise DataError(
                    path, row, "time_phrase_nl", "time phrase, time_start and time_end go together"
                )
            time_start = _parse_int(r.time_start, path, row, "time_start")
            time_end = _parse_int(r.time_end, path, row, "time_end")
            if time_end <= time_start:
                raise DataError(
                    path, row, "time_end", f"end {time_end} is not after start {time_start}"
                )
            if raw[time_start:time_end] != r.time_phrase_nl:
                raise DataError(
                    path,
                    row,
                    "time_phrase_nl",
                    f"raw[{time_start}:{time_end}] is {raw[time_start:time_end]!r}",
                )
        elif r.timex_value:
            raise DataError(path, row, "timex_value", "a TIMEX3 value needs a time phrase")

        # dates
        date_start = _parse_date(r.date_start, path, row, "date_start")
        date_end = _parse_date(r.date_end, path, row, "date_end")
        if date_end < date_start:
            raise DataError(path, row, "date_end", f"{date_end} is before {date_start}")
        if date_start < EARLIEST:
            raise DataError(path, row, "date_start", f"{date_start} is before {EARLIEST}")
        if date_end > latest:
            raise DataError(
                path,
                row,
                "date_end",
                f"{date_end} is after the end of the publication period ({latest})",
            )
        if not fits(r.date_precision, date_start, date_end):
            raise DataError(
                path,
                row,
                "date_precision",
                f"{r.date_precision!r} does not fit {date_start}..{date_end}",
            )
        fact = r.reference_fact_id
        if fact:
            if not _FACT_ID.fullmatch(fact):
                raise DataError(path, row, "reference_fact_id", f"{fact!r} is not like F01")
            if facts and fact not in facts:
                raise DataError(path, row, "reference_fact_id", f"unknown reference fact {fact!r}")
        if r.date_basis == "reference":
            if not fact:
                raise DataError(path, row, "reference_fact_id", "basis 'reference' needs a fact")
            if facts and facts[fact] != (date_start, date_end):
                ref_start, ref_end = facts[fact]
                raise DataError(
                    path,
                    row,
                    "date_start",
                    f"basis 'reference' but {fact} runs {ref_start}..{ref_end}",
                )
        if r.date_basis in ("stated", "publication") and r.time_phrase_nl:
            if not (start <= time_start and time_end <= end):
                raise DataError(
                    path,
                    row,
                    "date_basis",
                    f"basis {r.date_basis!r} needs the time phrase inside the quote "
                    "(use 'context' for a phrase elsewhere)",
                )
            resolved = _resolve(r.time_phrase_nl, article.date)
            if resolved is not None and not (
                resolved.start <= date_start and date_end <= resolved.end
            ):
                raise DataError(
                    path,
                    row,
                    "date_start",
                    f"{date_start}..{date_end} is outside what {r.time_phrase_nl!r} means "
                    f"({resolved.start}..{resolved.end})",
                )
        records.append(
            {
                **{c: getattr(r, c) for c in COLUMNS},
                "goldstein": goldstein,
                "sign": sign,
                "quote_start": start,
                "quote_end": end,
                "time_start": time_start,
                "time_end": time_end,
                "date_start": pd.Timestamp(date_start),
                "date_end": pd.Timestamp(date_end),
            }
        )
    # Every column typed explicitly: a table without rows gets the dtypes of a full one.
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    frame = frame.astype({c: DTYPES.get(c, "str") for c in COLUMNS})
    frame.attrs["path"] = str(path)
    return frame


# --- export -------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _ids(value: str) -> list[str]:
    return value.split(";") if value else []


def event_records(events: pd.DataFrame) -> list[dict]:
    """One PLOVER-style dictionary per event (the JSONL export), ordered by event id."""
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
                "event_date": _cell(r.date_start),
                "event_date_end": _cell(r.date_end),
                "date_precision": r.date_precision,
                "date_basis": r.date_basis,
                "timex_value": r.timex_value,
                "time_text": r.time_phrase_nl,
                "time_offsets": None if time_start is None else [time_start, time_end],
                "event_type": r.plover_event_type,
                "mode": r.plover_mode,
                "context": context.get(r.modality, []),
                "modality": r.modality,
                "actor": [{"code": a} for a in _ids(r.actor_ids)],
                "recipient": [{"code": a} for a in _ids(r.recipient_ids)],
                "cameo_code": r.cameo_code,
                "event_scale": float(r.goldstein),
                "quad_class": r.quad_class,
                "quad_code": QUAD_CODES[r.quad_class],
                "sign": int(r.sign),
                "event_text": r.quote_nl,
                "text_info": {"start": int(r.quote_start), "end": int(r.quote_end)},
                "gloss_en": r.gloss_en,
                "reference_fact_id": r.reference_fact_id,
                "comment": r.coder_note,
                "cite_info": {"language": "nl", "codebook": "plover (2021 draft) + CAMEO 1.1b3"},
            }
        )
    return records


def _csv_text(events: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in events.sort_values("event_id", kind="stable").itertuples(index=False):
        writer.writerow([spreadsheet_safe(_cell(getattr(record, c))) for c in COLUMNS])
    return buffer.getvalue()


def export_events(events: pd.DataFrame, folder: str | Path = PROCESSED) -> list[Path]:
    """Write ``events.csv`` and ``events.jsonl`` (one PLOVER-style JSON object a line, sorted
    keys, UTF-8) into ``folder``, atomically; the bytes depend only on ``events``. In the CSV
    only, a text cell that a spreadsheet would run as a formula gets a leading apostrophe
    (:func:`helpers.tables.spreadsheet_safe`); the JSONL keeps every value as it is."""
    folder = Path(folder)
    lines = [
        json.dumps(record, ensure_ascii=False, sort_keys=True) for record in event_records(events)
    ]
    return [
        write_text(folder / "events.csv", _csv_text(events)),
        write_text(folder / "events.jsonl", "".join(line + "\n" for line in lines)),
    ]


def readable_events(events: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The event table for reading: actor and recipient names in English, the date interval
    with its precision in one column, the English gloss next to the Dutch words."""
    names = actors.set_index("actor_id")["name_en"].to_dict()

    def named(ids: str) -> str:
        return ", ".join(names.get(i, i) for i in _ids(ids))

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
