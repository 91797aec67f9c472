"""An events table cut into one file of rows per partition of a corpus (the checks stage's input).

The parent of a pipeline run (:mod:`helpers.pipeline`) reads the events table once, as a
stream, and appends each row to the file of the partition that holds its article, so that no
process holds the whole table. Each partition's file is a CSV with the table's header, its rows
as they are in the table, and a last column ``line``: the row's line in the table, for errors.

Two readers give the same files. The plain one reads the table's bytes in blocks and cuts them
at line ends: it is used while every line is one whole, well-formed record (UTF-8, no NUL, no
line break inside a quoted cell, quotes only around whole cells, the header's number of
cells). At anything else it stops, and the whole table is read again by the csv module
(:func:`helpers.tables.iter_records`), which reads any valid table and raises the exact error
for a bad one. The plain reader is about ten times faster; it is an optimisation only.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from helpers.article import file_article_id
from helpers.events import COLUMNS as EVENT_COLUMNS
from helpers.tables import DataError, iter_records, record_cells, table_header

FLUSH_ROWS = 20_000  # event rows the parent holds before appending them to the partitions' files
BLOCK_BYTES = 8 * 2**20  # bytes of the table the plain reader holds at a time
LINE_COLUMN = "line"

# A quoted cell (its inner quotes doubled; written unrolled, which re runs several times
# faster than an alternation per character), or a cell without quotes.
_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')
_CELL = rb'(?:"[^"]*(?:""[^"]*)*"|[^",\r\n]*)'
_RECORD = re.compile(_CELL + rb"(?:," + _CELL + rb")*")


@dataclass
class SplitEvents:
    """What :func:`split_events` did: each partition's file of rows (None: no rows), the rows
    of ``others`` passed over, and the first row naming an article outside the corpus."""

    files: list[str | None]
    passed_over: int = 0
    outside: DataError | None = None
    seconds: float = 0.0
    plain: bool = True  # read by the plain reader (False: by the csv module)


class _NotPlain(Exception):
    """The plain reader met a line that only the csv module reads right."""


@dataclass
class _Tally:
    """Rows not handed to a partition: passed over (``skip``), or outside the corpus."""

    skip: frozenset[str]
    passed_over: int = 0
    outside: int = 0
    first: tuple[str, int] | None = None  # (article id, line) of the first row outside

    def other(self, article_id: str, line: int) -> None:
        if article_id in self.skip:
            self.passed_over += 1
            return
        self.outside += 1
        if self.first is None:
            self.first = (article_id, line)


def partition_ids(parts: Sequence[Sequence[Path]], threads: int = 4) -> dict[str, int]:
    """Article id -> index of the first partition holding a file with that content; the files
    are hashed (:func:`helpers.article.file_article_id`) by a few threads."""
    files = [(index, path) for index, part in enumerate(parts) for path in part]
    with ThreadPoolExecutor(max_workers=max(1, min(threads, os.cpu_count() or 1))) as pool:
        ids = list(pool.map(file_article_id, [path for _, path in files]))
    partition_of: dict[str, int] = {}
    for (index, _), article_id in zip(files, ids, strict=True):
        partition_of.setdefault(article_id, index)
    return partition_of


def split_events(
    events: str | Path, parts: Sequence[Sequence[Path]], folder: Path, others: Iterable[str] = ()
) -> SplitEvents:
    """Read the events table as a stream and append each row to the file of the partition
    that holds its article (``folder/part-NNNNN.csv``: the row's cells and its line in
    ``events``), by the ids of the partitions' files. Rows of ``others`` (article ids) are
    passed over; the first row naming any other article is kept as an error, with a count.
    Errors in the table raise :class:`DataError` as :func:`helpers.tables.read_table` does."""
    partition_of = partition_ids(parts)
    tally = _Tally(frozenset(others) - partition_of.keys())
    plain = True
    try:
        _split_plain(Path(events), partition_of, tally, folder)
    except _NotPlain:
        remove_rows(folder)
        tally = _Tally(tally.skip)
        plain = False
        _split_records(Path(events), partition_of, tally, folder)
    files = [folder / f"part-{i:05d}.csv" for i in range(len(parts))]
    split = SplitEvents([str(f) if f.exists() else None for f in files], tally.passed_over)
    split.plain = plain
    if tally.first is not None:
        split.outside = _outside_error(events, *tally.first, tally.outside)
    return split


# --- the csv module's reader: any valid table -----------------------------------------------------


def _split_records(events: Path, partition_of: dict[str, int], tally: _Tally, folder: Path) -> None:
    at = EVENT_COLUMNS.index("article_id")
    header = [*EVENT_COLUMNS, LINE_COLUMN]
    buffers: dict[int, list[list]] = defaultdict(list)
    buffered = 0
    for record in iter_records(events, EVENT_COLUMNS):
        index = partition_of.get(record[at])
        if index is None:
            tally.other(record[at], record[-1])
            continue
        buffers[index].append(record)
        buffered += 1
        if buffered >= FLUSH_ROWS:
            _append_records(buffers, folder, header)
            buffered = 0
    _append_records(buffers, folder, header)


def _append_records(buffers: dict[int, list[list]], folder: Path, header: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index, rows in buffers.items():
        path = folder / f"part-{index:05d}.csv"
        new = not path.exists()
        with open(path, "a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            if new:
                writer.writerow(header)
            writer.writerows(rows)
    buffers.clear()


# --- the plain reader: whole, well-formed lines ---------------------------------------------------


def _split_plain(events: Path, partition_of: dict[str, int], tally: _Tally, folder: Path) -> None:
    header = table_header(events, EVENT_COLUMNS)  # the header's own errors, as read_table's
    at, width = header.index("article_id"), len(header)
    keys = {article_id.encode(): index for article_id, index in partition_of.items()}
    with open(events, "rb") as handle:
        head = handle.readline()
        if head.count(b'"') % 2 or not head.endswith(b"\n"):
            raise _NotPlain
        head = head.removeprefix(codecs.BOM_UTF8).rstrip(b"\r\n") + b"," + LINE_COLUMN.encode()
        buffers: dict[int, list[bytes]] = defaultdict(list)
        line, buffered = 2, 0
        for lines in _blocks(handle):
            for record in lines:
                cell = _article_cell(record, at, width)
                index = keys.get(cell)
                if index is not None:
                    buffers[index].append(b"%b,%d" % (record, line))
                    buffered += 1
                elif not _blank(record, cell):
                    tally.other(cell.decode("utf-8"), line)
                line += 1
            if buffered >= FLUSH_ROWS:
                _append_lines(buffers, folder, head)
                buffered = 0
        _append_lines(buffers, folder, head)


def _blocks(handle) -> Iterable[list[bytes]]:
    """The lines after the header, a block at a time, each without its line end; raises
    :class:`_NotPlain` at a block that is not plain UTF-8 text of whole lines."""
    rest = b""
    while True:
        data = handle.read(BLOCK_BYTES)
        block = rest + data
        end = block.rfind(b"\n") + 1 if data else len(block)
        block, rest = block[:end], block[end:]
        if block:
            yield _plain_lines(block)
        if not data:
            return


def _plain_lines(block: bytes) -> list[bytes]:
    if b"\x00" in block or block.count(b"\r") != block.count(b"\r\n"):
        raise _NotPlain
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        raise _NotPlain from None
    lines = block.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    if b"\r" in block:
        lines = [line.removesuffix(b"\r") for line in lines]
    return lines


def _article_cell(record: bytes, at: int, width: int) -> bytes:
    """Cell ``at`` of a record, unquoted, when the record is one the csv module would read
    as ``width`` cells, or a blank one (cells of spaces only: the cell is then b"");
    raises :class:`_NotPlain` for any other record."""
    if b'"' not in record:
        if record.count(b",") == width - 1:
            return record.split(b",", at + 1)[at]
        if not record.strip(b", \t"):
            return b""
        raise _NotPlain
    if record.count(b'"') % 2 or _RECORD.fullmatch(record) is None:
        raise _NotPlain
    if _QUOTED.sub(b"", record).count(b",") != width - 1:
        raise _NotPlain
    cells = record.split(b",", at + 1)[: at + 1]
    if not any(b'"' in cell for cell in cells):  # no quote up to the article's cell
        return cells[at]
    return record_cells(record.decode("utf-8"))[at].encode("utf-8")


def _blank(record: bytes, cell: bytes) -> bool:
    """Whether a record whose article cell is not a corpus article's is a blank row (every
    cell empty or spaces, as the csv module reads it): passed over, like read_table does."""
    if cell.decode("utf-8").strip():
        return False
    return not any(cell.strip() for cell in record_cells(record.decode("utf-8")))


def _append_lines(buffers: dict[int, list[bytes]], folder: Path, head: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index, rows in buffers.items():
        path = folder / f"part-{index:05d}.csv"
        new = not path.exists()
        with open(path, "ab") as handle:
            if new:
                handle.write(head + b"\n")
            handle.write(b"\n".join(rows) + b"\n")
    buffers.clear()


def remove_rows(folder: Path) -> None:
    """The partitions' files of event rows (written by this run only), then their folder."""
    if folder.is_dir():
        for path in folder.glob("part-*.csv"):
            path.unlink()
        folder.rmdir()


def _outside_error(events: str | Path, article_id: str, row: int, count: int) -> DataError:
    more = f" ({count - 1} more rows name articles outside the corpus)" if count > 1 else ""
    if not article_id.strip():
        return DataError(events, row, "article_id", f"must not be empty{more}")
    problem = f"{article_id!r} is not an article of the corpus (no file has that content){more}"
    return DataError(events, row, "article_id", problem)
