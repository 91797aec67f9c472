"""Reading the project's CSV tables with errors that name the file, row and column."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd


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


def read_table(path: str | Path, columns: Iterable[str]) -> pd.DataFrame:
    """Read a UTF-8 CSV as strings (empty cells stay ""), check it has ``columns`` (extra
    columns are an error too) and add a ``_row`` column holding each record's line number."""
    path = Path(path)
    expected = list(columns)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise DataError(path, 1, None, "file is empty: no header row") from None
            missing = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected]
            if missing or extra:
                raise DataError(
                    path,
                    1,
                    None,
                    f"header must be {expected}; missing {missing}, extra {extra}",
                )
            records = []
            for record in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    raise DataError(
                        path, line, None, f"has {len(record)} fields, the header has {len(header)}"
                    )
                records.append([*record, line])
    except UnicodeDecodeError as err:
        raise DataError(path, None, None, f"not valid UTF-8 ({err.reason})") from None
    except csv.Error as err:
        raise DataError(path, None, None, f"not valid CSV: {err}") from None
    frame = pd.DataFrame(records, columns=[*header, "_row"])
    return frame[[*expected, "_row"]]


def check_unique(frame: pd.DataFrame, column: str, path: str | Path) -> None:
    """Raise :class:`DataError` at the first repeated value of ``column``."""
    repeated = frame[frame[column].duplicated()]
    if not repeated.empty:
        first = repeated.iloc[0]
        raise DataError(path, int(first["_row"]), column, f"duplicate value {first[column]!r}")


def check_required(frame: pd.DataFrame, columns: Iterable[str], path: str | Path) -> None:
    """Raise :class:`DataError` at the first empty cell of any of ``columns``."""
    for _, record in frame.iterrows():
        for column in columns:
            if not str(record[column]).strip():
                raise DataError(path, int(record["_row"]), column, "must not be empty")


def check_allowed(
    frame: pd.DataFrame, column: str, allowed: Iterable[str], path: str | Path
) -> None:
    """Raise :class:`DataError` at the first value of ``column`` that is not in ``allowed``."""
    allowed = set(allowed)
    for _, record in frame.iterrows():
        if record[column] not in allowed:
            raise DataError(
                path,
                int(record["_row"]),
                column,
                f"{record[column]!r} is not one of {sorted(allowed)}",
            )
