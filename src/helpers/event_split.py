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
for a bad one. The plain reader checks a block's lines all at once, with a few passes in C
(:func:`_cells_at_once`), and one by one only in a block that fails that check (a blank row,
a quoted article id, a line that is not plain). It is about seven times faster than the csv
module; it is an optimisation only.

The split may run while the partitions run their first stages (:func:`split_alongside`): a
partition's checks stage then waits for it (:func:`rows_when_split`), and a partition that
starts after the split failed does nothing.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse, groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from helpers.article import file_article_id
from helpers.events import COLUMNS as EVENT_COLUMNS
from helpers.io import write_text
from helpers.tables import DataError, iter_records, record_cells, table_header

FLUSH_ROWS = 20_000  # event rows the parent holds before appending them to the partitions' files
# Bytes of the table the plain reader holds at a time: its several passes over a block then
# stay in the CPU's cache (with 8 MiB the split took a fifth longer).
BLOCK_BYTES = 2 * 2**20
LINE_COLUMN = "line"
READY = "ready"  # in the folder of rows: "ok" or "failed" when a split alongside ends
POLL_SECONDS = 0.02  # how often a partition waiting for a split alongside looks for its end

# A quoted cell (its inner quotes doubled; written unrolled, which re runs several times
# faster than an alternation per character), or a cell without quotes.
_CELL = rb'(?:"[^"]*(?:""[^"]*)*"|[^",\r\n]*)'


# A quoted cell that is a whole cell (after a comma or a line start, before a comma or a line
# end), its inner quotes doubled. Its text is [^"], not [^"\n] (re scans a single excluded
# byte several times faster): a cell that runs over a line end shows in the count of line ends.
_QUOTED = re.compile(rb'"(?<![^,\n]")[^"]*+(?:""[^"]*+)*+"(?![^,\r\n])')
_NOT_MARKS = bytes(sorted(set(range(256)) - set(b'",\n')))  # deleted to leave a block's marks


@lru_cache(maxsize=8)
def _record(width: int) -> re.Pattern[bytes]:
    """A record of ``width`` cells, each quoted whole or without quotes (one regex: it checks
    the quotes and counts the cells in one pass)."""
    return re.compile(_CELL + rb"(?:," + _CELL + rb"){%d}" % (width - 1))


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


Calls = Callable[[Callable[..., Any], list[tuple]], list]  # run f(*args) for each args, in order


def in_process(function: Callable[..., Any], calls: list[tuple]) -> list:
    """Run ``function(*args)`` for each ``args`` of ``calls`` here, one after another."""
    return [function(*args) for args in calls]


def file_ids(files: Sequence[str | Path]) -> list[str]:
    """The article id of each file (:func:`helpers.article.file_article_id`)."""
    return [file_article_id(path) for path in files]


def partition_ids(parts: Sequence[Sequence[Path]], run: Calls = in_process) -> dict[str, int]:
    """Article id -> index of the first partition holding a file with that content; each
    partition's files are hashed by one call of :func:`file_ids` (``run`` makes the calls:
    e.g. on the workers of a Dask cluster)."""
    partition_of: dict[str, int] = {}
    # the paths as they are (a str would be made a Path again for each file: 2.5 us)
    for index, ids in enumerate(run(file_ids, [(list(part),) for part in parts])):
        for article_id in ids:
            partition_of.setdefault(article_id, index)
    return partition_of


def split_events(
    events: str | Path,
    parts: Sequence[Sequence[Path]],
    folder: Path,
    others: Iterable[str] = (),
    run: Calls = in_process,
    ranges: int = 1,
) -> SplitEvents:
    """Read the events table as a stream and append each row to the file of the partition
    that holds its article (``folder/part-NNNNN.csv``: the row's cells and its line in
    ``events``), by the ids of the partitions' files. Rows of ``others`` (article ids) are
    passed over; the first row naming any other article is kept as an error, with a count.
    Errors in the table raise :class:`DataError` as :func:`helpers.tables.read_table` does.

    ``run`` makes the calls that hash the files and read the table (in this process by
    default; e.g. on a Dask cluster's workers), the plain reader reading ``ranges`` stretches
    of the table's lines at once."""
    events = Path(events)
    partition_of = partition_ids(parts, run)
    skip = frozenset(others) - partition_of.keys()
    tally = _split_plain(events, partition_of, skip, folder, run, ranges)
    plain = tally is not None
    if tally is None:
        remove_rows(folder)
        tally = _Tally(skip)
        _split_records(events, partition_of, tally, folder)
    files = [rows_file(folder, i) for i in range(len(parts))]
    existing = [str(f) if f.exists() else None for f in files]
    split = SplitEvents(existing, tally.passed_over, plain=plain)
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
        path = rows_file(folder, index)
        new = not path.exists()
        with open(path, "a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            if new:
                writer.writerow(header)
            writer.writerows(rows)
    buffers.clear()


# --- the plain reader: whole, well-formed lines ---------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """What the plain reader needs to know of a table: its header line (without its line
    end, plus the line column), where the article cell is and how many cells a row has."""

    head: bytes
    at: int
    width: int


def _split_plain(
    events: Path,
    partition_of: dict[str, int],
    skip: frozenset[str],
    folder: Path,
    run: Calls,
    ranges: int,
) -> _Tally | None:
    """The plain reader over ``ranges`` stretches of the table (each one call of
    :func:`split_range`), the stretches' files then joined per partition in order; None when
    some line is not plain (its files are left for :func:`remove_rows`)."""
    header = table_header(events, EVENT_COLUMNS)  # the header's own errors, as read_table's
    cut = _cut(events, ranges)
    if cut is None:
        return None
    head, stretches = cut
    layout = _Layout(head, header.index("article_id"), len(header))
    keys = {article_id.encode(): index for article_id, index in partition_of.items()}
    calls = [
        (str(events), start, end, line, keys, skip, layout, str(folder), number)
        for number, (start, end, line) in enumerate(stretches)
    ]
    done = run(split_range, calls)
    if any(one is None for one in done):
        return None
    _join(folder, head, [written for _, written in done])
    return _merge([tally for tally, _ in done], skip)


def _cut(events: Path, ranges: int) -> tuple[bytes, list[tuple[int, int, int]]] | None:
    """The header line (for the partitions' files) and ``ranges`` stretches of whole lines
    after it: (first byte, end byte, line number of the first line); None when the header
    is not one plain line."""
    with open(events, "rb") as handle:
        head = handle.readline()
        if head.count(b'"') % 2 or not head.endswith(b"\n"):
            return None
        size = os.fstat(handle.fileno()).st_size
        start = len(head)
        head = head.removeprefix(codecs.BOM_UTF8).rstrip(b"\r\n") + b"," + LINE_COLUMN.encode()
        stretches, line = [], 2
        for k in range(1, max(ranges, 1)):
            end, lines = _line_end_after(handle, start, start + (size - start) * k // ranges)
            if end > start:
                stretches.append((start, end, line))
            start, line = end, line + lines
        stretches.append((start, size, line))
    return head, stretches


def _line_end_after(handle, start: int, target: int) -> tuple[int, int]:
    """The offset just after the first line end at or after ``target`` (or the file's end),
    and the number of line ends from ``start`` to there."""
    handle.seek(start)
    position, lines = start, 0
    while True:
        data = handle.read(BLOCK_BYTES)
        if not data:
            return position, lines
        if position + len(data) > target:
            found = data.find(b"\n", max(target - position, 0))
            if found >= 0:
                return position + found + 1, lines + data.count(b"\n", 0, found + 1)
        lines += data.count(b"\n")
        position += len(data)


def split_range(
    events: str,
    start: int,
    end: int,
    line: int,
    keys: dict[bytes, int],
    skip: frozenset[str],
    layout: _Layout,
    folder: str,
    number: int,
) -> tuple[_Tally, list[int]] | None:
    """The plain reader on the lines of ``events`` from byte ``start`` to ``end`` (the first
    being line ``line``): each row appended to its partition's file (stretch 0) or piece
    (``part-NNNNN.rK`` for stretch K, joined by the caller); returns what was not handed to
    a partition and the partitions written, or None at a line that is not plain."""
    tally, written = _Tally(skip), set()
    buffers: dict[int, list[bytes]] = defaultdict(list)
    buffered = 0
    try:
        with open(events, "rb") as handle:
            handle.seek(start)
            for block in _blocks(handle, end - start):
                lines = _plain_lines(block)
                cells = _article_cells(block, lines, layout.at, layout.width)
                buffered += _hand_out(lines, cells, line, keys, tally, buffers)
                line += len(lines)
                if buffered >= FLUSH_ROWS:
                    written |= _append_lines(buffers, Path(folder), layout.head, number)
                    buffered = 0
    except _NotPlain:
        return None
    written |= _append_lines(buffers, Path(folder), layout.head, number)
    return tally, sorted(written)


def _hand_out(
    lines: list[bytes],
    cells: list[bytes],
    line: int,
    keys: dict[bytes, int],
    tally: _Tally,
    buffers: dict[int, list[bytes]],
) -> int:
    """Hold each of ``lines`` (the first being line ``line``), with its line number, for the
    partition of its article cell; tally the others. Consecutive lines of one partition
    (rows come in runs: an article's, or articles' in corpus order) are made one piece by
    one ``%``. Returns the number of rows held."""
    values = [b""] * (2 * len(lines))  # each line, then its line number
    values[::2] = lines
    values[1::2] = range(line, line + len(lines))
    held = start = 0
    for index, run in groupby(map(keys.get, cells)):
        end = start + len(list(run))
        if index is not None:
            rows = b"%b,%d\n" * (end - start) % tuple(values[2 * start : 2 * end])
            buffers[index].append(rows)
            held += end - start
        else:
            for row in range(start, end):
                if not _blank(lines[row], cells[row]):
                    tally.other(cells[row].decode("utf-8"), line + row)
        start = end
    return held


def _merge(tallies: list[_Tally], skip: frozenset[str]) -> _Tally:
    """The stretches' tallies as one, in the order of the table."""
    merged = _Tally(skip)
    for tally in tallies:
        merged.passed_over += tally.passed_over
        merged.outside += tally.outside
        merged.first = merged.first or tally.first
    return merged


def _join(folder: Path, head: bytes, written: list[list[int]]) -> None:
    """Each partition's pieces of stretches after the first appended to its file, in order."""
    for number, partitions in enumerate(written):
        if number == 0:
            continue
        for index in partitions:
            piece = _piece(folder, index, number)
            target = rows_file(folder, index)
            new = not target.exists()
            with open(target, "ab") as out, open(piece, "rb") as source:
                if new:
                    out.write(head + b"\n")
                shutil.copyfileobj(source, out, BLOCK_BYTES)
            piece.unlink()


def _blocks(handle, size: int) -> Iterable[bytes]:
    """The next ``size`` bytes (ending at a line end or the file's end), a block of whole
    lines at a time: each read as one piece, once its end is found."""
    while size > 0:
        start = handle.tell()
        if size > BLOCK_BYTES:
            handle.seek(start + BLOCK_BYTES - 1)
            length = BLOCK_BYTES - 1 + len(handle.readline(size - BLOCK_BYTES + 1))
            handle.seek(start)
        else:
            length = size
        block = handle.read(length)
        if not block:
            return
        size -= len(block)
        yield block


def _plain_lines(block: bytes) -> list[bytes]:
    """The lines of a block, each without its line end; raises :class:`_NotPlain` at a
    block that is not UTF-8 text without NUL whose every CR ends a line."""
    if b"\x00" in block or (b"\r" in block and block.count(b"\r") != block.count(b"\r\n")):
        raise _NotPlain
    lines = block.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    try:  # the lines that are not ASCII (a character never holds a line end's byte)
        b"\n".join(filterfalse(bytes.isascii, lines)).decode("utf-8")
    except UnicodeDecodeError:
        raise _NotPlain from None
    if b"\r" in block:
        lines = [line.removesuffix(b"\r") for line in lines]
    return lines


def _article_cells(block: bytes, lines: list[bytes], at: int, width: int) -> list[bytes]:
    """Cell ``at`` of each of the block's ``lines``, as :func:`_article_cell` gives it: for
    the whole block at once (:func:`_cells_at_once`) or else line by line."""
    cells = _cells_at_once(block, lines, at, width)
    if cells is None:
        cells = [_article_cell(line, at, width) for line in lines]
    return cells


def _cells_at_once(block: bytes, lines: list[bytes], at: int, width: int) -> list[bytes] | None:
    """Cell ``at`` of each of the block's ``lines`` when every line is a record of ``width``
    cells, each cell quoted whole on the line (:data:`_QUOTED`) or without quotes, and cell
    ``at`` is not quoted; None when some line is not (to be read alone).

    The block's quoted cells are emptied; then, what is left of its commas, quotes and line
    ends must be the commas of its lines as records: no quote outside a quoted cell, no
    quoted cell over a line end, ``width - 1`` commas a line. A few passes over the block in
    C: a regex per line would cost a Python call per line and re's work per cell."""
    bare, quoted = _QUOTED.subn(b'""', block)
    marks = bare.translate(None, _NOT_MARKS)
    expected = (b"," * (width - 1) + b"\n") * len(lines)
    if not block.endswith(b"\n"):
        expected = expected[:-1]  # the table's last line, without a line end
    if marks.count(b'"') != 2 * quoted or marks.replace(b'"', b"") != expected:
        return None
    if at == 0:  # the table's own order: each line's first cell as it stands
        records = lines
    else:  # the cells before it may be quoted, with commas: counted in the emptied block
        records = bare.split(b"\n", len(lines))[: len(lines)]
        if b"\r" in bare:
            records = [record.removesuffix(b"\r") for record in records]
    cells = list(map(itemgetter(at), map(bytes.split, records, repeat(b","), repeat(at + 1))))
    return None if b'"' in b"".join(cells) else cells  # a quoted article cell: read alone


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
    if record.count(b'"') % 2 or _record(width).fullmatch(record) is None:
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


def _append_lines(
    buffers: dict[int, list[bytes]], folder: Path, head: bytes, number: int
) -> set[int]:
    """Append the rows held (pieces of whole rows) to their partitions' files (stretch 0,
    with the header when new) or pieces (stretch ``number``); return the partitions written."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, rows in buffers.items():
        path = rows_file(folder, index) if number == 0 else _piece(folder, index, number)
        new = not path.exists()
        with open(path, "ab") as handle:
            if new and number == 0:
                handle.write(head + b"\n")
            handle.write(b"".join(rows))
    written = set(buffers)
    buffers.clear()
    return written


def remove_rows(folder: Path) -> None:
    """The partitions' files of event rows (written by this run only), then their folder."""
    if folder.is_dir():
        for path in folder.glob("part-*"):
            path.unlink()
        (folder / READY).unlink(missing_ok=True)
        folder.rmdir()


def rows_file(folder: str | Path, index: int) -> Path:
    """The file of partition ``index``'s rows in ``folder``."""
    return Path(folder) / f"part-{index:05d}.csv"


def _piece(folder: Path, index: int, number: int) -> Path:
    """The file of partition ``index``'s rows from stretch ``number`` (joined after)."""
    return folder / f"part-{index:05d}.r{number}"


def split_alongside(split: Callable[[], SplitEvents], folder: Path) -> SplitEvents:
    """Run ``split`` (a :func:`split_events` into ``folder``) while partitions wait for it,
    then mark its end for them: ``ok``, or ``failed`` when it raised (raised again here)."""
    try:
        done = split()
    except BaseException:
        _mark(folder, "failed")
        raise
    _mark(folder, "ok")
    return done


def _mark(folder: Path, state: str) -> None:
    write_text(folder / READY, state)  # atomic: a partition never reads half of it


def split_ended(folder: str | Path) -> bool:
    """Whether the split alongside into ``folder`` has ended (succeeded or failed)."""
    return _state(folder) is not None


def split_failed(folder: str | Path) -> bool:
    """Whether the split alongside into ``folder`` has failed (:func:`split_alongside`)."""
    return _state(folder) == "failed"


def rows_when_split(folder: str | Path, index: int) -> tuple[bool, str | None]:
    """Wait until the split alongside into ``folder`` ends; whether it succeeded, and
    partition ``index``'s file of rows (None: its articles have none)."""
    while (state := _state(folder)) is None:
        time.sleep(POLL_SECONDS)
    path = rows_file(folder, index)
    return state == "ok", str(path) if state == "ok" and path.exists() else None


def _state(folder: str | Path) -> str | None:
    try:
        return (Path(folder) / READY).read_text(encoding="ascii")
    except FileNotFoundError:
        return None


def _outside_error(events: str | Path, article_id: str, row: int, count: int) -> DataError:
    more = f" ({count - 1} more rows name articles outside the corpus)" if count > 1 else ""
    if not article_id.strip():
        return DataError(events, row, "article_id", f"must not be empty{more}")
    problem = f"{article_id!r} is not an article of the corpus (no file has that content){more}"
    return DataError(events, row, "article_id", problem)
