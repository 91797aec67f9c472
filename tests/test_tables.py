"""helpers.tables: every CSV the project reads goes through read_table, and every bad file gives
a DataError that names it; spreadsheet_safe is the one rule for CSV exports (issue 10)."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import actors, events, factcheck, glosses
from helpers.events import COLUMNS, EVENTS, load_events
from helpers.tables import DataError, read_table, spreadsheet_safe

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"
HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, data: bytes, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def failure(path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        read_table(path, COLUMNS)
    assert caught.value.path == str(path)
    return caught.value


# --- issue 10 row 11: a BOM and a missing file ------------------------------------------------


def test_row11_a_bom_written_by_excel_is_skipped(tmp_path, article):
    """Issue 10 row 11: events.csv re-saved by Excel starts with a UTF-8 BOM."""
    path = write(tmp_path, b"\xef\xbb\xbf" + EVENTS.read_bytes())
    table = read_table(path, COLUMNS)
    assert table.columns[0] == "article_id"
    assert table.equals(read_table(EVENTS, COLUMNS))
    assert len(load_events(path, article=article)) == len(load_events(EVENTS, article=article))


def test_row11_a_missing_table_is_a_data_error_naming_the_file(tmp_path):
    """Issue 10 row 11: a missing table gave a bare FileNotFoundError."""
    missing = tmp_path / "gone" / "events.csv"
    error = failure(missing)
    assert str(error) == f"{missing}: file not found"
    loaders = (
        actors.load_actors,
        actors.load_membership,
        glosses.load_glosses,
        factcheck.load_reference_events,
        events.load_events,
    )
    for load in loaders:
        with pytest.raises(DataError, match=re.escape(f"{missing}: file not found")):
            load(missing)


def test_a_missing_reference_table_is_an_error_not_a_silent_skip(tmp_path, article):
    missing = tmp_path / "events_reference.csv"
    with pytest.raises(DataError, match="file not found"):
        load_events(article=article, reference=missing)


def test_a_folder_a_fifo_and_an_unreadable_file_are_named(tmp_path, monkeypatch):
    folder = tmp_path / "events.csv"
    folder.mkdir()
    assert str(failure(folder)) == f"{folder}: is a folder, not a file"
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # reading it would block for ever
    assert "not a regular file" in str(failure(fifo))
    locked = write(tmp_path, HEADER.encode(), "locked.csv")

    def refuse(*args, **kwargs):  # as open() does on a file without read permission
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("helpers.tables.open", refuse, raising=False)
    assert str(failure(locked)) == f"{locked}: cannot read: Permission denied"


def test_every_csv_reader_in_helpers_goes_through_read_table():
    """One home for reading CSV: no other module opens a table itself."""
    offenders = []
    for source in sorted(SRC.glob("*.py")):
        text = source.read_text(encoding="utf-8")
        if source.name != "tables.py" and re.search(r"read_csv|csv\.(reader|DictReader)", text):
            offenders.append(source.name)
    assert offenders == []


# --- more bad tables: each names the file, and the line where it can ---------------------------

BAD_TABLE_IDS = "empty bom-only duplicate-column header-space semicolons nul fields open-quote"
BAD_TABLE_IDS = [*BAD_TABLE_IDS.split(), "utf-16", "latin-1"]


@pytest.mark.parametrize(
    ("data", "row", "column", "problem"),
    [
        (b"", 1, None, "file is empty: no header row"),
        (b"\xef\xbb\xbf", 1, None, "file is empty: no header row"),
        (f"{HEADER},event_id\n".encode(), 1, "event_id", "appears more than once in the header"),
        (HEADER.replace("event_id", "event_id ").encode(), 1, None, "extra ['event_id ']"),
        (HEADER.replace(",", ";").encode(), 1, None, "separated by ';'"),
        (f"{HEADER}\n{'x,' * 24}x\x00\n".encode(), 2, "coder_note", "contains a NUL byte"),
        (f"{HEADER}\n{'x,' * 25}x\n".encode(), 2, None, "has 26 fields, the header has 25"),
        (f'{HEADER}\n{"x," * 24}"x\n\n'.encode(), 2, None, "not valid CSV: unexpected end"),
        (HEADER.encode("utf-16"), None, None, "it is UTF-16"),
        (f"{HEADER}\nRüsland\n".encode("latin-1"), None, None, "not valid UTF-8"),
    ],
    ids=BAD_TABLE_IDS,
)
def test_bad_tables_raise_data_error(tmp_path, data, row, column, problem):
    error = failure(write(tmp_path, data))
    assert (error.row, error.column) == (row, column), str(error)
    assert problem in error.problem


def test_rows_are_the_lines_records_start_on(tmp_path):
    """A quoted field may hold a line break (and CRLF, LF and CR endings may mix): the row of
    a record is the line it starts on, so errors point at the right place."""
    cells = ["x"] * 25
    note = [*cells[:-1], '"two\nlines"']
    data = f"{HEADER}\r\n{','.join(note)}\n{','.join(cells)}\r{','.join(cells[:3])}\n"
    with pytest.raises(DataError) as caught:
        read_table(write(tmp_path, data.encode()), COLUMNS)
    assert (caught.value.row, caught.value.problem) == (5, "has 3 fields, the header has 25")
    table = read_table(write(tmp_path, data.rsplit("\r", 1)[0].encode()), COLUMNS)
    assert list(table["_row"]) == [2, 4] and table.at[0, "coder_note"] == "two\nlines"


# --- issue 10 row 10: the one rule for CSV exports ---------------------------------------------


FORMULAS = ['=HYPERLINK("http://x.invalid","click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
NOT_FORMULAS = ["-5.0", "-10.0", "-1", "+1", "0.5", "-.5", "-1e3", "2022-11-23", "", "E01"]


@pytest.mark.parametrize("text", [*FORMULAS, "=", "-", "- a list", "-inf", "--5"])
def test_row10_formulas_get_an_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", [*NOT_FORMULAS, "RUS;ARM", "Poetin", " =x", "'=x", "a=b"])
def test_row10_numbers_dates_and_plain_text_stay(text):
    assert spreadsheet_safe(text) == text


def test_other_data_files_get_the_same_errors(tmp_path):
    """The map's GeoJSON is read with read_table's checks: missing, folder, not UTF-8."""
    from helpers.maps import load_outlines

    missing = tmp_path / "countries.geojson"
    with pytest.raises(DataError, match=re.escape(f"{missing}: file not found")):
        load_outlines(missing)
    missing.mkdir()
    with pytest.raises(DataError, match="is a folder, not a file"):
        load_outlines(missing)
    latin = write(tmp_path, '{"name": "Rüsland"}'.encode("latin-1"), "latin.geojson")
    with pytest.raises(DataError, match=r"latin\.geojson: not valid UTF-8"):
        load_outlines(latin)
    bom = write(tmp_path, b'\xef\xbb\xbf{"type": "FeatureCollection", "features": []}', "b.json")
    assert load_outlines(bom) == {}


def test_a_bad_gloss_table_names_file_row_and_column(tmp_path):
    header = b"article_id,text_nl,gloss_en,note\n"
    row = b"39a6002ab68b,Rusland,Russia,\n"
    path = write(tmp_path, header + row + row, "glosses.csv")
    with pytest.raises(DataError, match=re.escape(f"{path}, row 3, column 'text_nl': duplicate")):
        glosses.load_glosses(path)
    path = write(tmp_path, header + b"39a6002ab68,Rusland,Russia,\n", "glosses.csv")
    with pytest.raises(DataError, match=re.escape(f"{path}, row 2, column 'article_id'")):
        glosses.load_glosses(path)
    path = write(tmp_path, b"text_nl,gloss_en,note\nRusland,Russia,\n", "glosses.csv")
    with pytest.raises(DataError, match=re.escape("missing ['article_id']")):
        glosses.load_glosses(path)


# --- one way to read a date cell and an id list (issue 11) -------------------------------------


def test_date_cells_are_read_one_way_by_every_loader(tmp_path):
    """actors (membership), the reference facts and the events all use parse_date_cell."""
    from helpers.tables import parse_date_cell

    assert str(parse_date_cell("2022-11-23", "t.csv", 2, "date")) == "2022-11-23"
    for bad, problem in [
        ("2022-11-31", "is not a real date"),
        ("23-11-2022", "is not a date YYYY-MM-DD"),
        ("٢٠٢٢-١١-٢٣", "is not a date YYYY-MM-DD"),  # Arabic-Indic digits
        ("20221123", "is not a date YYYY-MM-DD"),
    ]:
        with pytest.raises(DataError, match=problem) as caught:
            parse_date_cell(bad, "t.csv", 7, "date")
        assert (caught.value.row, caught.value.column) == (7, "date")
    for name in ("actors", "events", "factcheck"):
        source = (SRC / f"{name}.py").read_text(encoding="utf-8")
        assert "fromisoformat" not in source, name


def test_id_lists_are_split_one_way():
    from helpers import network
    from helpers.tables import parse_ids, split_ids

    assert network.split_ids is split_ids
    assert split_ids("RUS; ARM;;RUS") == ["RUS", "ARM"] and split_ids(None) == []
    assert parse_ids("RUS;ARM", "t.csv", 2, "actor_ids", {"RUS", "ARM"}) == ["RUS", "ARM"]
    for bad, problem in [
        ("RUS;;ARM", "empty or padded actor id"),
        ("RUS; ARM", "empty or padded actor id"),
        ("RUS;RUS", "repeated actor id"),
        ("RUS;XYZ", "unknown actor id 'XYZ'"),
    ]:
        with pytest.raises(DataError, match=problem):
            parse_ids(bad, "t.csv", 2, "actor_ids", {"RUS", "ARM"}, "actor id")


def test_one_set_of_modality_constants():
    from helpers import network, stories
    from helpers.plots import QUAD_COLOURS

    assert network.MODALITIES is events.MODALITIES
    assert stories.MODALITY_GROUPS == {
        "asserted": "happened",
        "negated": "negated",
        "hypothetical": "hypothetical",
        "reported_speech": "happened",
    }
    assert list(QUAD_COLOURS) == list(events.QUAD_CLASSES)  # the legend's order
    assert factcheck.load_reference_events is events.load_reference_events


def test_unique_over_several_columns(tmp_path):
    from helpers.tables import check_unique

    frame = pd.DataFrame(
        {"article_id": ["a", "b", "a"], "event_id": ["E01", "E01", "E01"], "_row": [2, 3, 4]}
    )
    check_unique(frame.head(2), ["article_id", "event_id"], "t.csv")
    with pytest.raises(DataError, match=r"duplicate \(article_id, event_id\) \('a', 'E01'\)") as c:
        check_unique(frame, ["article_id", "event_id"], "t.csv")
    assert (c.value.row, c.value.column) == (4, "event_id")


def test_records_are_the_rows_in_order_as_plain_values():
    from helpers.tables import records

    frame = pd.DataFrame({"a": ["x", "y"], "_row": [2, 5], "n": [1.5, float("nan")]})
    rows = list(records(frame[::-1]))  # the frame's order, not the index's
    assert [r["_row"] for r in rows] == [5, 2]
    assert rows[1] == {"a": "x", "_row": 2, "n": 1.5}
    assert type(rows[1]["_row"]) is int  # a Python int, not a numpy scalar
    assert list(records(frame.iloc[:0])) == []
    # some columns: those asked for, and where each record comes from (_row, _file if there)
    assert next(records(frame, ["n", "a"])).keys() == {"n", "a", "_row"}
    located = frame.assign(_file="t.csv")
    assert list(records(located, ["a"])) == [
        {"a": "x", "_row": 2, "_file": "t.csv"},
        {"a": "y", "_row": 5, "_file": "t.csv"},
    ]


@pytest.mark.parametrize("given", [False, True])
def test_required_and_allowed_stop_at_the_first_bad_cell_in_row_then_column_order(given):
    """The same errors whether the checks take the columns' cells from the frame or are
    given their distinct cells (:class:`Distinct`, as the events checks give them)."""
    from helpers.tables import Distinct, check_allowed, check_required

    def lists(frame: pd.DataFrame) -> dict[str, Distinct] | None:
        return {c: Distinct.of(frame[c]) for c in frame} if given else None

    frame = pd.DataFrame(
        {"a": ["x", "", " "], "b": ["", "y", "z"], "kind": ["k", "k", "q"], "_row": [2, 3, 7]}
    )
    with pytest.raises(DataError) as caught:
        check_required(frame, iter(["a", "b"]), "t.csv", lists(frame))  # any iterable
    assert (caught.value.row, caught.value.column) == (2, "b")
    with pytest.raises(DataError) as caught:
        check_required(frame.iloc[1:], ["a", "b"], "t.csv", lists(frame.iloc[1:]))
    assert (caught.value.row, caught.value.column, caught.value.problem) == (
        3,
        "a",
        "must not be empty",
    )
    check_allowed(frame.iloc[:2], "kind", {"k"}, "t.csv", lists(frame.iloc[:2]))
    with pytest.raises(DataError, match=r"row 7, column 'kind': 'q' is not one of \['k'\]"):
        check_allowed(frame, "kind", {"k"}, "t.csv", lists(frame))
    frame = pd.DataFrame({"n": [1.5, float("nan"), 0], "s": ["a", "b", "  "], "_row": [2, 3, 4]})
    with pytest.raises(DataError) as caught:  # NaN reads "nan" and 0 "0": neither is empty
        check_required(frame, ["n", "s"], "t.csv", lists(frame))
    assert (caught.value.row, caught.value.column) == (4, "s")
    with pytest.raises(DataError, match=r"row 3, column 'n': nan is not one of \[1.5\]"):
        check_allowed(frame, "n", {1.5}, "t.csv", lists(frame))


def test_one_column_tables_nul_bytes_and_cells_that_are_not_text(tmp_path):
    from helpers.tables import check_required

    path = tmp_path / "one.csv"
    path.write_text("name\nab\n\n cd \n", encoding="utf-8")
    table = read_table(path, ["name"])
    assert table["name"].tolist() == ["ab", " cd "] and table["_row"].tolist() == [2, 4]
    path.write_text("name,other\nab,c\nd,e\x00f\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path, ["other", "name"])
    assert (caught.value.row, caught.value.column) == (3, "other")
    frame = pd.DataFrame({"n": [1.5, float("nan"), 0], "s": ["a", "b", "  "], "_row": [2, 3, 4]})
    with pytest.raises(DataError) as caught:  # NaN reads "nan" and 0 "0": neither is empty
        check_required(frame, ["n", "s"], "t.csv")
    assert (caught.value.row, caught.value.column) == (4, "s")


def test_own_csv_reads_what_csv_wrote_as_read_table_does(tmp_path):
    import csv

    from helpers.tables import read_own_csv

    cells = ["", " ", "a,b", 'say "no"', "two\nlines", "crlf\r\nend", "\u0160tr\u00e9", "=1+1", "0"]
    path = tmp_path / "own.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "n", "other"])
        writer.writerows([cell, i, cells[-1 - i]] for i, cell in enumerate(cells))
    own = read_own_csv(path, ["other", "text", "n"], integers=["n"])
    read = read_table(path, ["other", "text", "n"]).drop(columns="_row")
    read["n"] = read["n"].astype("int64")
    assert own.equals(read) and list(own.dtypes) == list(read.dtypes)
    assert own["text"].tolist() == cells
    path.write_text("text,n\nx,notanumber\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"own\.csv: cannot read"):
        read_own_csv(path, ["text", "n"], integers=["n"])


def test_stop18_required_cells_of_text_columns_with_and_without_gaps():
    """A text column (pandas ``str``) is checked as its cells read, a missing value ("nan")
    included, as an object column of the same cells is."""
    from helpers.tables import check_required

    for dtype in ("str", object):
        for cells, bad in (([" x", "y\u2003", "\u3000 "], 4), (["x", None, "\u2028"], 4)):
            frame = pd.DataFrame({"s": pd.Series(cells, dtype=dtype), "_row": [2, 3, 4]})
            with pytest.raises(DataError) as caught:
                check_required(frame, ["s"], "t.csv")
            assert (caught.value.row, caught.value.column) == (bad, "s")
            check_required(frame.iloc[:2], ["s"], "t.csv")


@pytest.mark.parametrize("dtype", ["str", object])
def test_distinct_cells_give_back_every_cell_in_order(dtype):
    """:class:`Distinct`: each distinct cell once, in the order it first appears (also over
    the chunks of an Arrow column, as a CSV read in blocks gives it), and per row its cell;
    the first row of a value is where it first appears. Text columns with a gap and columns
    that are not text take the plain way, with the same answers."""
    import pyarrow as pa

    from helpers.tables import Distinct

    rng = random.Random(5)
    for _ in range(50):
        choices = ["a", "b", "", " c", "a ", "\u00e9"]
        cells = [rng.choice(choices) for _ in range(rng.randint(0, 30))]
        column = pd.Series(cells, dtype=dtype)
        if dtype == "str" and len(cells) > 2:  # two chunks
            half = len(cells) // 2
            chunks = pa.chunked_array([pa.array(cells[:half]), pa.array(cells[half:])])
            column = pd.Series(pd.arrays.ArrowStringArray(chunks)).astype("str")
        found = Distinct.of(column)
        assert found.values == list(dict.fromkeys(cells))
        assert [found.values[code] for code in found.codes] == cells
        assert [found.first_row(v) for v in range(len(found.values))] == [
            cells.index(v) for v in found.values
        ]
    for column in (pd.Series(["x", None, "x"], dtype="str"), pd.Series([1.5, 2.0, 1.5])):
        found = Distinct.of(column)
        assert [found.values[code] for code in found.codes] == column.tolist()
