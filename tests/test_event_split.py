"""helpers.event_split: the events table cut by partition; the plain reader equals the csv one."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import event_split
from helpers.article import file_article_id
from helpers.event_split import LINE_COLUMN, split_events
from helpers.events import COLUMNS
from helpers.tables import DataError, read_own_csv, read_table


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> list[list[Path]]:
    """Three partitions of two files each (contents only matter for their ids)."""
    folder = tmp_path_factory.mktemp("files")
    files = []
    for i in range(6):
        path = folder / f"{i:02d}.txt"
        path.write_text(f"date 2022-11-0{i + 1}\ninvented text {i}\n", encoding="utf-8")
        files.append(path)
    return [files[0:2], files[2:4], files[4:6]]


def _ids(parts) -> list[str]:
    return [file_article_id(p) for part in parts for p in part]


def _outcome(events: Path, parts, folder: Path, others=(), plain: bool = True, ranges: int = 1):
    """What split_events gives: each partition's rows (cells by column, and the line), the
    rows passed over and the error; or the error it raised. ``plain=False``: the csv module's
    reader only; ``ranges``: the plain reader's stretches."""
    original = event_split._split_plain
    if not plain:
        event_split._split_plain = lambda *args, **kwargs: None
    try:
        split = split_events(events, parts, folder, others, ranges=ranges)
    except DataError as err:
        return ("error", str(err)), None
    finally:
        event_split._split_plain = original
    rows = []
    for file in split.files:
        if file is None:
            rows.append(None)
            continue
        table = read_table(file, [*COLUMNS, LINE_COLUMN]).drop(columns="_row")
        rows.append(table.to_dict("records"))
        fast = read_own_csv(file, [*COLUMNS, LINE_COLUMN])  # as the checks stage reads it
        assert fast.to_dict("records") == rows[-1]
    outside = None if split.outside is None else str(split.outside)
    assert sorted(p.name for p in folder.glob("*")) == sorted(
        Path(f).name for f in split.files if f
    )  # no pieces left
    event_split.remove_rows(folder)
    return (rows, split.passed_over, outside), split.plain


def _both(events: Path, parts, tmp_path: Path, others=()):
    fast, plain = _outcome(events, parts, tmp_path / "a", others)
    slow, _ = _outcome(events, parts, tmp_path / "b", others, plain=False)
    assert fast == slow
    for ranges in (2, 3, 7):
        assert _outcome(events, parts, tmp_path / f"r{ranges}", others, ranges=ranges) == (
            fast,
            plain,
        )
    return fast, plain


def _table(records: list[list[str]], order=None, crlf=False, bom=False) -> bytes:
    order = list(order or COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(order)
    for record in records:
        writer.writerow(record if len(record) != len(COLUMNS) else _ordered(record, order))
    data = out.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data


def _ordered(record: list[str], order: list[str]) -> list[str]:
    cells = dict(zip(COLUMNS, record, strict=True))
    return [cells[c] for c in order]


def _record(article_id: str, fill: str = "x") -> list[str]:
    return [article_id, *[fill] * (len(COLUMNS) - 1)]


def test_rows_go_to_their_partition_with_their_line_plainly(parts, tmp_path):
    ids = _ids(parts)
    records = [_record(ids[i % 6], f'cell "{i}", with a comma') for i in range(20)]
    path = tmp_path / "events.csv"
    path.write_bytes(_table(records))
    (rows, passed_over, outside), plain = _both(path, parts, tmp_path)
    assert plain and passed_over == 0 and outside is None
    assert [len(r) for r in rows] == [8, 6, 6]
    first = rows[0][0]
    assert first["article_id"] == ids[0] and first[LINE_COLUMN] == "2"
    assert first["coder_note"] == 'cell "0", with a comma'
    assert [r[LINE_COLUMN] for r in rows[1]] == ["4", "5", "10", "11", "16", "17"]


def test_others_are_passed_over_and_outside_rows_named(parts, tmp_path):
    ids = _ids(parts)
    records = [_record(ids[0]), _record("aaaaaaaaaaaa"), _record("bbbbbbbbbbbb")]
    records += [_record("bbbbbbbbbbbb"), _record(ids[5])]
    path = tmp_path / "events.csv"
    path.write_bytes(_table(records))
    (rows, passed_over, outside), plain = _both(path, parts, tmp_path, others=["aaaaaaaaaaaa"])
    assert plain and passed_over == 1
    assert "line 4" in outside or "row 4" in outside
    assert "'bbbbbbbbbbbb' is not an article of the corpus" in outside
    assert "(1 more rows" in outside
    assert rows[1] is None and len(rows[2]) == 1


def test_blank_rows_are_skipped_and_an_empty_id_is_named(parts, tmp_path):
    ids = _ids(parts)
    blank = [" "] * len(COLUMNS)
    empty_id = _record("")
    path = tmp_path / "events.csv"
    path.write_bytes(_table([_record(ids[0]), blank, [], _record(ids[1]), empty_id]))
    (rows, passed_over, outside), plain = _both(path, parts, tmp_path)
    assert plain and passed_over == 0
    assert [r[LINE_COLUMN] for r in rows[0]] == ["2", "5"]
    assert "must not be empty" in outside


@pytest.mark.parametrize(
    "tweak",
    ["newline in a cell", "quote inside a bare cell", "crlf and bom", "columns reordered"],
)
def test_tables_the_plain_reader_leaves_to_the_csv_module_give_the_same_files(
    parts, tmp_path, tweak
):
    ids = _ids(parts)
    records = [_record(ids[i % 6], "plain") for i in range(9)]
    order, crlf, bom = None, False, False
    if tweak == "newline in a cell":
        records[4][3] = "two\nlines"
    elif tweak == "quote inside a bare cell":
        records[4][3] = 'a"b'  # csv writes it quoted; made bare below
    elif tweak == "crlf and bom":
        crlf = bom = True
    else:
        order = list(reversed(COLUMNS))
    data = _table(records, order, crlf, bom)
    if tweak == "quote inside a bare cell":
        data = data.replace(b'"a""b"', b'a"b')
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    (rows, _, _), plain = _both(path, parts, tmp_path)
    assert plain == (tweak in ("crlf and bom", "columns reordered"))
    assert sum(len(r) for r in rows if r) == 9
    assert [r[LINE_COLUMN] for r in rows[2]][-1] == ("8" if tweak == "newline in a cell" else "7")


@pytest.mark.parametrize(
    "bad",
    [b"a NUL \x00 byte", b"\xff\xfe not UTF-8", b'"quote" then text', b"short,row"],
)
def test_a_bad_table_raises_the_error_read_table_raises(parts, tmp_path, bad):
    ids = _ids(parts)
    data = _table([_record(ids[0]), _record(ids[1], "CELL")])
    path = tmp_path / "events.csv"
    if bad == b"short,row":
        path.write_bytes(data + bad + b"\n")
    else:
        path.write_bytes(data.replace(b"CELL", bad, 1))
    with pytest.raises(DataError) as expected:
        read_table(path, COLUMNS)
    assert _outcome(path, parts, tmp_path / "out")[0] == ("error", str(expected.value))


_SAFE = ["", " ", "x", "a,b", 'say "no"', '"', "é", "\t", "=1"]  # one line each, as csv writes them
_CELLS = st.sampled_from([*_SAFE, "two\nlines", "crlf\r\n"])


@st.composite
def _tables(draw, ids: list[str], cells=_CELLS):
    pool = [*ids, "", " ", "ffffffffffff", f'"{ids[0]}"', "aaaaaaaaaaaa"]
    records = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["row", "row", "row", "blank", "short"]))
        if kind == "blank":
            records.append([draw(st.sampled_from(["", " "]))] * len(COLUMNS))
        elif kind == "short":
            records.append([draw(st.sampled_from(pool)), draw(cells)])
        else:
            row = draw(st.lists(cells, min_size=len(COLUMNS) - 1, max_size=len(COLUMNS) - 1))
            records.append([draw(st.sampled_from(pool)), *row])
    order = draw(st.permutations(COLUMNS))
    return _table(records, order, crlf=draw(st.booleans()), bom=draw(st.booleans()))


def _same_both_ways(parts, tmp_path_factory, table: bytes):
    tmp_path = tmp_path_factory.mktemp("any")
    path = tmp_path / "events.csv"
    path.write_bytes(table)
    fast = _outcome(path, parts, tmp_path / "a", others=["aaaaaaaaaaaa"])
    slow = _outcome(path, parts, tmp_path / "b", others=["aaaaaaaaaaaa"], plain=False)
    assert fast[0] == slow[0]
    ranged = _outcome(path, parts, tmp_path / "c", others=["aaaaaaaaaaaa"], ranges=3)
    assert ranged == fast
    return fast[1]


_ANY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_ANY
@given(data=st.data())
def test_the_plain_reader_equals_the_csv_module_on_any_table(parts, tmp_path_factory, data):
    _same_both_ways(parts, tmp_path_factory, data.draw(_tables(_ids(parts))))


@_ANY
@given(data=st.data())
def test_tables_of_one_line_records_are_read_plainly(parts, tmp_path_factory, data):
    table = data.draw(_tables(_ids(parts), st.sampled_from(_SAFE)))
    plain = _same_both_ways(parts, tmp_path_factory, table)
    assert plain is not False  # read plainly, or a bad table (None: the same error both ways)


@_ANY
@given(data=st.data())
def test_the_plain_reader_equals_the_csv_module_block_by_small_block(
    parts, tmp_path_factory, monkeypatch, data
):
    monkeypatch.setattr(event_split, "BLOCK_BYTES", 200)  # a few lines a block
    _same_both_ways(parts, tmp_path_factory, data.draw(_tables(_ids(parts))))


# Pieces of cells: quotes, commas, line ends and text; a quoted cell is written by csv with
# its quotes doubled, and some lines are then changed by a character put in or taken out.
_PIECES = st.sampled_from(["a", " ", ",", '"', "é", "‘", "\n", "\r\n"])


@st.composite
def _lines(draw, width: int) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        cells = ["".join(draw(st.lists(_PIECES, max_size=3))) for _ in range(width)]
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        out = io.StringIO()
        csv.writer(out, quoting=quoting, lineterminator="").writerow(cells)
        line = out.getvalue()
        if draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(0, len(line)))
            change = draw(st.sampled_from(['"', ",", "a", " ", ""]))
            line = line[:at] + change + line[at + (change == "") :]
        lines.append(line)
    return lines


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_a_block_read_at_once_equals_its_lines_read_alone_and_the_csv_module(data):
    width = data.draw(st.integers(2, 4))  # (one cell: csv reads an empty line as no cells)
    at = data.draw(st.integers(0, width - 1))
    end = data.draw(st.sampled_from(["\n", "\r\n"]))
    lines = data.draw(_lines(width))
    block = (end.join(lines) + data.draw(st.sampled_from([end, ""]))).encode("utf-8")
    try:
        plain = event_split._plain_lines(block)
    except event_split._NotPlain:
        return  # the table goes to the csv module
    fast = event_split._cells_at_once(block, plain, at, width)
    simple = True  # every line a record of width cells, its article cell not quoted
    for number, line in enumerate(plain):
        try:
            alone = event_split._article_cell(line, at, width)
        except event_split._NotPlain:
            assert fast is None
            simple = False
            continue
        cells = next(csv.reader([line.decode("utf-8")], strict=True), [])
        raw = re.match(rb"(?:%b,){%d}(%b)" % (event_split._CELL, at, event_split._CELL), line)
        simple &= raw is not None and len(cells) == width and not raw.group(1).startswith(b'"')
        if fast is not None:
            assert fast[number] == alone
            assert fast[number] == (cells[at].encode("utf-8") if cells else b"")
    assert (fast is not None) == simple


_HEADER = ",".join(COLUMNS)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        codecs.BOM_UTF8,
        f"{_HEADER},event_id\n".encode(),
        _HEADER.replace(",", ";").encode(),
        _HEADER.encode("utf-16"),
        f'{_HEADER}\n{"x," * 24}"x\n\n'.encode(),
        _HEADER.encode(),  # a header without a line end, and nothing else
    ],
    ids=["empty", "bom-only", "duplicate-column", "semicolons", "utf-16", "open-quote", "bare"],
)
def test_a_bad_or_bare_header_gives_what_read_table_gives(parts, tmp_path, data):
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    try:
        expected = ("rows", len(read_table(path, COLUMNS)))
    except DataError as err:
        expected = ("error", str(err))
    outcome, _ = _outcome(path, parts, tmp_path / "out")
    if expected[0] == "error":
        assert outcome == expected
    else:
        assert outcome == ([None, None, None], 0, None)


def test_a_partition_waits_for_a_split_alongside_and_takes_its_file(tmp_path):
    import threading

    folder = tmp_path / "rows"
    got: list = []
    waiting = threading.Thread(target=lambda: got.append(event_split.rows_when_split(folder, 1)))
    waiting.start()

    def split() -> event_split.SplitEvents:
        waiting.join(0.1)
        assert waiting.is_alive() and not got  # still waiting: the split has not ended
        folder.mkdir()
        event_split.rows_file(folder, 1).write_text("rows", encoding="utf-8")
        return event_split.SplitEvents([None, str(event_split.rows_file(folder, 1))])

    done = event_split.split_alongside(split, folder)
    waiting.join(5)
    assert got == [(True, done.files[1])]
    assert event_split.rows_when_split(folder, 0) == (True, None)  # no rows of its articles
    assert not event_split.split_failed(folder)
    event_split.remove_rows(folder)
    assert not folder.exists()


def test_a_split_alongside_that_fails_tells_the_partitions(tmp_path):
    folder = tmp_path / "rows"

    def split() -> event_split.SplitEvents:
        raise DataError(tmp_path / "events.csv", 3, "article_id", "bad")

    with pytest.raises(DataError):
        event_split.split_alongside(split, folder)
    assert event_split.split_failed(folder)
    assert event_split.rows_when_split(folder, 0) == (False, None)
