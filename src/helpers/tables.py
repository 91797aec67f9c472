"""Reading the project's CSV tables with errors that name the file, row and column, and the
one rule that makes cells of a CSV export safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.arrays import ArrowStringArray


class DataError(ValueError):
    """A malformed table: names the file, the row (the 1-based line in the file) and column."""

    def __init__(self, path: str | Path, row: int | None, column: str | None, problem: str):
        self.path = str(path)
        self.row = row
        self.column = column
        self.problem = problem
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple:  # pickled whole (a Dask worker's error reaches the client)
        return type(self), (self.path, self.row, self.column, self.problem)


_TEXT = pd.api.types.pandas_dtype("str")  # pandas' text dtype: Arrow strings, NaN if missing


def text_column(cells: Sequence[str]) -> ArrowStringArray:
    """Text cells as a column of pandas' ``str`` dtype, straight from Arrow (what
    ``pd.array(cells, dtype="str")`` makes of cells that are all ``str``, without its check of
    each cell)."""
    return ArrowStringArray(pa.array(cells, type=pa.large_string()), dtype=_TEXT)


def _open_error(path: Path, err: OSError) -> DataError:
    if isinstance(err, FileNotFoundError):
        return DataError(path, None, None, "file not found")
    if isinstance(err, IsADirectoryError):
        return DataError(path, None, None, "is a folder, not a file")
    return DataError(path, None, None, f"cannot read: {err.strerror or err}")


def _check_regular(path: Path) -> None:
    """Refuse what is not a regular file before opening it: a FIFO or device would block or
    never end, a folder cannot be read."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        raise _open_error(path, err) from None
    if stat.S_ISDIR(mode):
        raise DataError(path, None, None, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise DataError(path, None, None, "not a regular file (a FIFO, socket or device?)")


def read_text_file(path: str | Path) -> str:
    """The text of a UTF-8 data file that is not a CSV table (e.g. GeoJSON), with the checks and
    errors of :func:`read_table`: missing, a folder, not a regular file, unreadable, not UTF-8
    all raise :class:`DataError` naming the file. A leading BOM is skipped."""
    path = Path(path)
    _check_regular(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise _open_error(path, err) from None
    except UnicodeDecodeError as err:
        raise DataError(path, None, None, f"not valid UTF-8 ({err.reason})") from None


def _check_header(path: Path, header: list[str], expected: list[str]) -> None:
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise DataError(path, 1, repeated[0], "column name appears more than once in the header")
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing or extra:
        hint = ""
        if len(header) == 1 and ";" in header[0]:
            hint = " (the file looks separated by ';': save it as comma-separated CSV)"
        raise DataError(
            path, 1, None, f"header must be {expected}; missing {missing}, extra {extra}{hint}"
        )


def read_table(path: str | Path, columns: Iterable[str]) -> pd.DataFrame:
    """Read a UTF-8 CSV as strings (empty cells stay ""), check it has ``columns`` (extra
    columns are an error too) and add a ``_row`` column holding each record's line number
    (the line it starts on).

    A UTF-8 byte order mark (as Excel writes one) is skipped. Every problem raises
    :class:`DataError` naming the file: a missing file, a folder, a FIFO or device, a file that
    cannot be read, bytes that are not UTF-8, a NUL byte, broken CSV quoting, a header that
    names a column twice, lacks one or adds one, a record with the wrong number of fields.
    """
    expected = list(columns)
    return pd.DataFrame(list(iter_records(path, expected)), columns=[*expected, "_row"])


def iter_records(path: str | Path, columns: Iterable[str]) -> Iterator[list]:
    """The records of :func:`read_table` one at a time, for a table too large to hold: each
    a list of its cells in the order of ``columns``, then its line number. Same checks, same
    errors (raised when the reading reaches them)."""
    path = Path(path)
    expected = list(columns)
    _check_regular(path)
    line = 1  # where the record being read starts
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = _header(reader, path, expected)
            order = [header.index(column) for column in expected]
            cells = itemgetter(*order) if len(order) > 1 else lambda r: [r[i] for i in order]
            line = reader.line_num + 1
            for record in reader:
                first, line = line, reader.line_num + 1
                _check_nul(path, first, record, header)
                if not any(map(str.strip, record)):
                    continue
                if len(record) != len(header):
                    raise DataError(
                        path, first, None, f"has {len(record)} fields, the header has {len(header)}"
                    )
                yield [*cells(record), first]
    except OSError as err:
        raise _open_error(path, err) from None
    except UnicodeDecodeError as err:
        raise DataError(path, None, None, f"not valid UTF-8 ({err.reason}){_utf16(path)}") from None
    except csv.Error as err:
        raise DataError(path, line, None, f"not valid CSV: {err}") from None


def _header(reader, path: Path, expected: list[str]) -> list[str]:
    """The header row read by ``reader``, checked as :func:`read_table` checks it."""
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(path, 1, None, "file is empty: no header row") from None
    _check_nul(path, 1, header, header)
    _check_header(path, header, expected)
    return header


def record_cells(line: str) -> list[str]:
    """The cells of one record given as its text (one line, no line end), as
    :func:`read_table` reads them; ``[]`` for an empty line."""
    return next(csv.reader([line], strict=True), [])


def table_header(path: str | Path, columns: Iterable[str]) -> list[str]:
    """The header of a table (its column names in the file's order), with the checks and
    errors of :func:`read_table` for the file and its header; the rest is not read."""
    path = Path(path)
    _check_regular(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return _header(csv.reader(handle, strict=True), path, list(columns))
    except OSError as err:
        raise _open_error(path, err) from None
    except UnicodeDecodeError as err:
        raise DataError(path, None, None, f"not valid UTF-8 ({err.reason}){_utf16(path)}") from None
    except csv.Error as err:
        raise DataError(path, 1, None, f"not valid CSV: {err}") from None


def read_own_csv(
    path: str | Path, columns: Iterable[str], integers: Iterable[str] = ()
) -> pd.DataFrame:
    """A CSV file this project wrote itself (e.g. the rows of a partition of the events table
    that :mod:`helpers.event_split` wrote: records checked by :func:`iter_records` and
    written by :mod:`csv`, or lines of the table copied as they are, each one whole,
    well-formed record), read fast with
    Arrow's CSV reader: the ``columns`` in that order, cells as text as :func:`read_table`
    reads them (an empty cell is ``""``), ``integers`` as int64. A file that cannot be read
    raises :class:`DataError` naming it; the records are not checked again."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    integers = set(integers)
    types = {c: pa.int64() if c in integers else pa.string() for c in columns}
    options = pa_csv.ConvertOptions(
        column_types=types,
        include_columns=list(types),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=options,
        )
    except (OSError, pa.ArrowInvalid) as err:
        raise DataError(path, None, None, f"cannot read: {err}") from None
    return table.to_pandas()


def _utf16(path: Path) -> str:
    with open(path, "rb") as handle:
        start = handle.read(2)
    if start in (b"\xff\xfe", b"\xfe\xff"):
        return ": it is UTF-16 (Excel's 'Unicode text'); save it as 'CSV UTF-8'"
    return ""


def _check_nul(path: Path, line: int, record: list[str], header: list[str]) -> None:
    if "\x00" not in "".join(record):
        return
    for number, cell in enumerate(record):
        if "\x00" in cell:
            column = header[number] if number < len(header) else None
            raise DataError(path, line, column, "contains a NUL byte: not a text table")


# Cells a spreadsheet would read as a formula (OWASP, "CSV Injection"): they start with one of
# these. A plain decimal number ("-5.0", "+1") is a value, not a formula, and is left alone.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a CSV export should hold it: a text that a spreadsheet would run as a formula
    (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
    apostrophe, which spreadsheets show as text; numbers such as ``-5.0`` stay as they are.

    >>> spreadsheet_safe('=HYPERLINK("http://x.invalid")')
    '\'=HYPERLINK("http://x.invalid")'
    >>> spreadsheet_safe("-5.0"), spreadsheet_safe("2022-11-23")
    ('-5.0', '2022-11-23')
    """
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def check_unique(frame: pd.DataFrame, column: str | Sequence[str], path: str | Path) -> None:
    """Raise :class:`DataError` at the first repeated value of ``column``, or, for a sequence
    of columns (a table keyed by ``("article_id", "event_id")``), at the first repeated
    combination; the error names the last of those columns."""
    columns = [column] if isinstance(column, str) else list(column)
    duplicated = frame.duplicated(subset=columns)
    if not duplicated.any():
        return
    repeated = frame[duplicated]
    first = repeated.iloc[0]
    if len(columns) == 1:
        problem = f"duplicate value {first[columns[0]]!r}"
    else:
        values = tuple(str(first[c]) for c in columns)
        problem = f"duplicate ({', '.join(columns)}) {values!r}"
    raise DataError(path, int(first["_row"]), columns[-1], problem)


# Where a record comes from, kept by records() whatever columns are asked for.
_WHERE = ("_row", "_file")


def records(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``frame`` in order, each a dict from column name to value: what
    ``frame.iterrows()`` gives the checks, without building a Series per row (a table of
    thousands of rows is checked in milliseconds instead of tenths of a second). With
    ``columns``, only those and the ``_row`` and ``_file`` columns the frame has."""
    if columns is None:
        columns = list(frame.columns)
    else:
        columns = list(dict.fromkeys([*columns, *(c for c in _WHERE if c in frame.columns)]))
    for values in zip(*(frame[column].tolist() for column in columns), strict=True):
        yield dict(zip(columns, values, strict=True))


@dataclass(frozen=True)
class Distinct:
    """A column as its distinct cells, ``values`` (in the order they first appear), and per
    row the position of its cell among them, ``codes``: a check of the cells then runs once
    per distinct cell, and the first row of the first failing value is the first failing row."""

    values: list
    codes: np.ndarray  # intp, one per row

    @classmethod
    def of(cls, column: pd.Series) -> Distinct:
        """The distinct cells of ``column`` (its ``tolist()`` values)."""
        if isinstance(column.dtype, pd.StringDtype) and not column.hasnans:
            codes, uniques = pd.factorize(column)  # Arrow's dictionary encoding: no str per row
            return cls(uniques.tolist(), codes)
        index: dict = {}
        codes = [index.setdefault(cell, len(index)) for cell in column.tolist()]
        return cls(list(index), np.array(codes, dtype=np.intp))

    def first_row(self, value: int) -> int:
        """The first row (position) whose cell is ``values[value]``."""
        return int(np.argmax(self.codes == value))


def check_required(
    frame: pd.DataFrame,
    columns: Iterable[str],
    path: str | Path,
    distinct: Mapping[str, Distinct] | None = None,
) -> None:
    """Raise :class:`DataError` at the first empty cell of any of ``columns``. ``distinct``:
    the columns' :class:`Distinct` cells when the caller has made them already (each distinct
    cell is then looked at once)."""
    columns = list(columns)
    empty = []  # (position of the first empty cell, column) of each column that has one
    for order, column in enumerate(columns):
        values = frame[column]
        cells = values.tolist() if distinct is None else distinct[column].values
        if not isinstance(values.dtype, pd.StringDtype) or values.hasnans:
            cells = list(map(str, cells))  # a text column without gaps holds str already
        if not all(map(str.strip, cells)):
            at = next(i for i, cell in enumerate(cells) if not cell.strip())
            empty.append((at if distinct is None else distinct[column].first_row(at), order))
    if empty:  # the first row, then its first column
        at, order = min(empty)
        raise DataError(path, int(frame["_row"].iloc[at]), columns[order], "must not be empty")


def check_allowed(
    frame: pd.DataFrame,
    column: str,
    allowed: Iterable[str],
    path: str | Path,
    distinct: Mapping[str, Distinct] | None = None,
) -> None:
    """Raise :class:`DataError` at the first value of ``column`` that is not in ``allowed``.
    ``distinct``: the columns' :class:`Distinct` cells when the caller has made them already."""
    allowed = set(allowed)
    values = frame[column].tolist() if distinct is None else distinct[column].values
    if allowed.issuperset(values):
        return
    at, value = next((at, value) for at, value in enumerate(values) if value not in allowed)
    raise DataError(
        path,
        int(frame["_row"].iloc[at if distinct is None else distinct[column].first_row(at)]),
        column,
        f"{value!r} is not one of {sorted(allowed)}",
    )


# --- cells -----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID_SEPARATOR = ";"


def parse_date_cell(value: str, path: str | Path, row: int, column: str) -> datetime.date:
    """The date in a cell written ``YYYY-MM-DD`` (ASCII digits only), else :class:`DataError`
    naming the file, row and column: the one way every loader reads a date cell.

    >>> parse_date_cell("2022-11-23", "t.csv", 2, "date")
    datetime.date(2022, 11, 23)
    """
    if _ISO_DATE.fullmatch(value) is None:
        raise DataError(path, row, column, f"{value!r} is not a date YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as err:
        raise DataError(path, row, column, f"{value!r} is not a real date ({err})") from None


def split_ids(value: object) -> list[str]:
    """An id list cell as a list, leniently: ``"RUS; ARM;;RUS"`` -> ``["RUS", "ARM"]`` (parts
    stripped, empty parts and repeats dropped; a missing value gives ``[]``). For cells that
    must be written exactly, :func:`parse_ids` checks them first."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    out: list[str] = []
    for part in str(value).split(ID_SEPARATOR):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def parse_ids(
    value: str,
    path: str | Path,
    row: int,
    column: str,
    known: Iterable[str] | None = None,
    what: str = "id",
) -> list[str]:
    """The ids of a ``;``-separated cell written exactly (no empty part, no spaces, no repeat,
    each in ``known`` when given), else :class:`DataError` naming the file, row and column and
    calling an id ``what`` ("actor id"). An empty cell is an empty list."""
    if not value:
        return []
    known = None if known is None else frozenset(known)
    parts = value.split(ID_SEPARATOR)
    for part in parts:
        if not part or part != part.strip():
            raise DataError(path, row, column, f"empty or padded {what} in {value!r}")
        if known is not None and part not in known:
            raise DataError(path, row, column, f"unknown {what} {part!r}")
    if split_ids(value) != parts:
        raise DataError(path, row, column, f"repeated {what} in {value!r}")
    return parts
