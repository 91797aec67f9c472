"""Tests of helpers.factcheck and data/reference/: verdicts come from the data, not the code,
and so do the claims (data/reference/claims.csv, keyed by article; issue 11 item 8)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from csv_rows import read_rows, write_rows
from helpers.actors import MEMBERSHIP_PATH, load_membership
from helpers.events import REFERENCE_EVENTS, load_reference_events
from helpers.factcheck import (
    CLAIM_COLUMNS,
    CLAIMS_PATH,
    FACTCHECK_COLUMNS,
    VERDICTS,
    Claim,
    fact_check,
    load_claims,
)
from helpers.paths import DATA
from helpers.tables import DataError

SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="module")
def reference():
    return load_reference_events()


@pytest.fixture(scope="module")
def checked(article, events, reference):
    return fact_check(article, events, reference).set_index("claim_id", drop=False)


def edited_copy(source: Path, target: Path, key: str, value: str, **changes: str) -> Path:
    """Copy a reference CSV, changing the row whose ``key`` column is ``value``."""
    fields, records = read_rows(source)
    for record in records:
        if record[key] == value:
            record.update(changes)
    return write_rows(target, fields, records)


# --- reference files ----------------------------------------------------------------------------


@pytest.mark.skipif(not SHARED_REFERENCE.is_dir(), reason="shared reference folder not present")
@pytest.mark.parametrize(
    "name", ["README.md", "events_reference.csv", "csto_membership_reference.csv"]
)
def test_reference_copies_hold_the_shared_tables(name):
    """The copies equal shared/reference/, byte for byte, except for the columns the project
    adds to events_reference.csv (figure_label, figure_role: the key dates of figures)."""
    ours, shared = DATA / "reference" / name, SHARED_REFERENCE / name
    if name != "events_reference.csv":
        assert ours.read_bytes() == shared.read_bytes()
        return
    with (
        open(ours, encoding="utf-8", newline="") as a,
        open(shared, encoding="utf-8", newline="") as b,
    ):
        mine, theirs = list(csv.DictReader(a)), list(csv.DictReader(b))
    added = {"figure_label", "figure_role"}
    assert set(mine[0]) - set(theirs[0]) == added
    assert [{k: v for k, v in r.items() if k not in added} for r in mine] == theirs


def test_reference_tables_load(reference):
    assert reference["fact_id"].is_unique
    assert reference["date_start"].dtype.kind == "M"
    assert (reference["date_start"] <= reference["date_end"]).all()
    assert reference["source"].str.len().gt(0).all()


def test_bad_reference_rows_raise(tmp_path):
    path = edited_copy(REFERENCE_EVENTS, tmp_path / "ref.csv", "fact_id", "F02", fact_id="F01")
    with pytest.raises(DataError) as caught:
        load_reference_events(path)
    assert caught.value.column == "fact_id"
    path = edited_copy(REFERENCE_EVENTS, tmp_path / "ref.csv", "fact_id", "F03", date_end="2022")
    with pytest.raises(DataError) as caught:
        load_reference_events(path)
    assert (caught.value.row, caught.value.column) == (4, "date_end")


def test_count_claim_cites_the_membership_rows(checked):
    """The member count comes from data/csto_membership.csv (helpers.actors)."""
    assert checked.loc["C06", "reference_says"] == (
        "6 members on 30 Nov 2022: ARM, BLR, KAZ, KGZ, RUS, TJK"
    )
    assert "csto_membership.csv row" in checked.loc["C06", "reference_fact_ids"]


# --- the fact check -----------------------------------------------------------------------------


def test_table_shape(checked):
    assert list(checked.columns) == list(FACTCHECK_COLUMNS)
    assert checked["claim_id"].is_unique
    assert set(checked["verdict"]) <= set(VERDICTS)
    assert len(checked) == len(load_claims()) >= 20
    assert set(checked["article_id"]) == {"39a6002ab68b"}
    for text in checked["explanation"]:
        assert text.endswith(".") and text[0].isupper()


def test_every_claim_quote_sits_at_its_offsets(article, checked):
    for claim in checked.itertuples():
        assert article.raw[claim.quote_start : claim.quote_end] == claim.quote_nl, claim.claim_id


def test_claims_cite_known_facts_and_events(checked, reference, events):
    facts = set(reference["fact_id"])
    rows = {f"csto_membership.csv row {r}" for r in load_membership()["_row"]}
    for value in checked["reference_fact_ids"]:
        for fact in filter(None, value.split(";")):
            assert fact in facts or fact in rows, fact
    for value in checked["event_ids"]:
        assert set(value.split(";")) <= set(events["event_id"])


def test_expected_verdicts(checked):
    assert checked.loc["C01", "verdict"] == "disagrees"  # dinsdag vs Wed 23 Nov
    assert "22 Nov 2022" in checked.loc["C01", "explanation"]
    assert checked.loc["C06", "verdict"] == "disagrees"  # zeven vs six members
    assert checked.loc["C05", "verdict"] == "disagrees"  # Karabakh vs Armenia proper
    assert checked.loc["C16", "verdict"] == "reference_more_precise"  # In juni vs 17 Jun
    assert checked.loc["C04", "verdict"] == "reference_more_precise"
    assert "astronomical" in checked.loc["C04", "explanation"]
    assert checked.loc["C07", "verdict"] == "not_in_reference"
    assert checked.loc["C19", "verdict"] == "agrees"
    assert checked.loc["C21", "verdict"] == "reference_more_precise"


def test_article_reading_is_kept(checked):
    """The article's side shows its own interval, not the reference's day."""
    assert "1 Jun 2022 to 30 Jun 2022" in checked.loc["C16", "article_says"]
    assert "17 Jun 2022" in checked.loc["C16", "reference_says"]


def test_weekday_verdict_comes_from_the_data(tmp_path, article, events):
    path = edited_copy(
        REFERENCE_EVENTS, tmp_path / "ref.csv", "fact_id", "F01", date_start="2022-11-22"
    )
    path = edited_copy(path, path, "fact_id", "F01", date_end="2022-11-22")
    result = fact_check(article, events, load_reference_events(path)).set_index("claim_id")
    assert result.loc["C01", "verdict"] == "agrees"


def test_member_count_verdict_comes_from_the_data(tmp_path, article, events, reference):
    path = edited_copy(
        MEMBERSHIP_PATH, tmp_path / "members.csv", "event", "suspended", date="2023-01-01"
    )
    result = fact_check(article, events, reference, load_membership(path)).set_index("claim_id")
    assert result.loc["C06", "verdict"] == "agrees"
    assert "7 members" in result.loc["C06", "reference_says"]


def test_june_verdict_comes_from_the_data(tmp_path, article, events, reference):
    path = edited_copy(
        REFERENCE_EVENTS,
        tmp_path / "ref.csv",
        "fact_id",
        "F12",
        date_start="2022-07-17",
        date_end="2022-07-17",
    )
    moved = fact_check(article, events, load_reference_events(path)).set_index("claim_id")
    assert moved.loc["C16", "verdict"] == "disagrees"
    exact = events.copy()
    row = exact["event_id"] == "E25"
    exact.loc[row, "date_start"] = pd.Timestamp("2022-06-17")
    exact.loc[row, "date_end"] = pd.Timestamp("2022-06-17")
    same_day = fact_check(article, exact, reference).set_index("claim_id")
    assert same_day.loc["C16", "verdict"] == "agrees"


def test_unknown_fact_ids_raise(article, events, reference):
    bogus = Claim("X1", "date", "In juni", "In June", fact_ids=("F99",), event_ids=("E25",))
    with pytest.raises(DataError, match="F99"):
        fact_check(article, events, reference, claims=(bogus,))
    without_f01 = reference[reference["fact_id"] != "F01"]
    with pytest.raises(DataError, match="F01"):
        fact_check(article, events, without_f01)


# --- the claims table ---------------------------------------------------------------------------


def claims_file(tmp_path: Path, *rows: dict[str, str]) -> Path:
    """A claims table of the given rows (other cells empty)."""
    records = ({c: row.get(c, "") for c in CLAIM_COLUMNS} for row in rows)
    return write_rows(tmp_path / "claims.csv", CLAIM_COLUMNS, records)


GOOD = {
    "article_id": "39a6002ab68b",
    "claim_id": "C01",
    "kind": "date",
    "quote_nl": "In juni",
    "gloss_en": "In June",
    "fact_ids": "F12",
    "event_ids": "E25",
}


def test_the_claims_are_data_keyed_by_article(article):
    claims = load_claims()
    assert CLAIMS_PATH.name == "claims.csv" and len(claims) == 27
    assert {c.article_id for c in claims} == {article.id}
    assert [c.claim_id for c in claims] == [f"C{i:02d}" for i in range(1, 28)]
    first = claims[0]
    assert (first.source, first.row) == (str(CLAIMS_PATH), 2)
    assert load_claims(articles=["074cb49838e6"]) == ()
    c22 = next(c for c in claims if c.claim_id == "C22")
    assert c22.article_interval == (None, "2013-12-31")  # "../2013-12-31"
    c19 = next(c for c in claims if c.claim_id == "C19")
    assert c19.order == (("F15", "before", "2022-06-30"), ("F17", "after", "2022-06-30"))


def test_a_good_claims_row_loads(tmp_path):
    (claim,) = load_claims(claims_file(tmp_path, GOOD))
    assert claim.fact_ids == ("F12",) and claim.point == "interval" and claim.nth == 0


@pytest.mark.parametrize(
    ("changes", "row", "column", "problem"),
    [
        ({"article_id": "39A6002AB68B"}, 2, "article_id", "is not like"),
        ({"claim_id": "X1"}, 2, "claim_id", "is not like"),
        ({"kind": "guess"}, 2, "kind", "is not one of"),
        ({"gloss_en": ""}, 2, "gloss_en", "must not be empty"),
        ({"fact_ids": "F12;F12"}, 2, "fact_ids", "repeated"),
        ({"fact_ids": "12"}, 2, "fact_ids", "is not like"),
        ({"event_ids": "E25; E26"}, 2, "event_ids", "padded"),
        ({"fact_ids": ""}, 2, "fact_ids", "needs a reference fact"),
        ({"event_ids": ""}, 2, "event_ids", "needs the event it dates"),
        ({"point": "end"}, 2, "point", "is not one of"),
        ({"occurrence": "0"}, 2, "occurrence", "is not 1, 2, 3"),
        ({"article_interval": "2013-12-31"}, 2, "article_interval", "is not START/END"),
        ({"article_interval": "../2013-13-01"}, 2, "article_interval", "not a real date"),
        ({"article_interval": "2014-01-01/2013-01-01"}, 2, "article_interval", "ends before"),
        ({"verdict": "agrees"}, 2, "verdict", "computed, not given"),
        ({"kind": "content", "article_reading": "x", "note": "y"}, 2, "verdict", "needs"),
        ({"kind": "absent", "article_reading": "x", "note": "y"}, 2, "fact_ids", "no facts"),
        ({"kind": "order", "article_reading": "x"}, 2, "order", "need an order"),
        (
            {"kind": "order", "article_reading": "x", "order": "F12 during 2022-06-30"},
            2,
            "order",
            "is not 'F01 before|after",
        ),
        (
            {"kind": "order", "article_reading": "x", "order": "F15 before 2022-06-30"},
            2,
            "order",
            "not among the claim's fact_ids",
        ),
        ({"count_on": "2022-11"}, 2, "count_on", "is not a date"),
        ({"count_on": "2022-11-30"}, 2, "count_on", "only count claims"),
    ],
)
def test_bad_claims_rows_name_file_row_and_column(tmp_path, changes, row, column, problem):
    path = claims_file(tmp_path, {**GOOD, "claim_id": "C00"}, {**GOOD, **changes})
    with pytest.raises(DataError, match=problem) as caught:
        load_claims(path)
    error = caught.value
    assert (error.path, error.row, error.column) == (str(path), row + 1, column)


def test_a_claim_key_repeated_within_an_article_is_an_error(tmp_path):
    other_article = {**GOOD, "article_id": "074cb49838e6"}
    assert len(load_claims(claims_file(tmp_path, GOOD, other_article))) == 2
    with pytest.raises(DataError, match="duplicate") as caught:
        load_claims(claims_file(tmp_path, GOOD, other_article, GOOD))
    assert (caught.value.row, caught.value.column) == (4, "claim_id")


def test_claims_that_do_not_fit_the_article_name_their_row(tmp_path, article, events, reference):
    """Quote, facts and events are checked against what fact_check is given."""
    cases = [
        ({"quote_nl": "In juli"}, "quote_nl", "is not in article 39a6002ab68b"),
        ({"fact_ids": "F99"}, "fact_ids", "'F99' is not in"),
        ({"event_ids": "E99"}, "event_ids", "E99 is not in"),
        ({"event_ids": "E35"}, "event_ids", "dated by the reference: give article_interval"),
        ({"kind": "weekday"}, "quote_nl", "no weekday in the quote"),
    ]
    for changes, column, problem in cases:
        path = claims_file(tmp_path, {**GOOD, **changes})
        with pytest.raises(DataError, match=problem) as caught:
            fact_check(article, events, reference, claims=load_claims(path))
        assert (caught.value.path, caught.value.row, caught.value.column) == (str(path), 2, column)


def test_fact_check_reads_the_claims_of_its_article_only(tmp_path, article, events, reference):
    """Claims and events of another article are left out, not checked against this text."""
    foreign = {**GOOD, "article_id": "074cb49838e6", "quote_nl": "not in this article"}
    path = claims_file(tmp_path, GOOD, foreign)
    claims = load_claims(path, articles=[article.id])
    result = fact_check(article, events, reference, claims=claims)
    assert (
        list(result["claim_id"]) == ["C01"] and result.loc[0, "verdict"] == "reference_more_precise"
    )
    others = events.assign(article_id="074cb49838e6")
    assert fact_check(article, others, reference, claims=claims).empty
