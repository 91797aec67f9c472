"""Reading and writing small CSV tables in the tests (copies of the project's tables, edited)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the records of a UTF-8 CSV file."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(
    path: Path, fields: Sequence[str], records: Iterable[dict], extrasaction: str = "raise"
) -> Path:
    """Write ``records`` under the header ``fields`` with LF line endings, as the project does."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=fields, lineterminator="\n", extrasaction=extrasaction
        )
        writer.writeheader()
        writer.writerows(records)
    return path
