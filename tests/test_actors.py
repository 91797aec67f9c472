"""Tests for the actor gazetteer, the mention tagger and the CSTO membership table."""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import Counter
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.actors import (
    _FOLD,
    ACTOR_COLUMNS,
    ALIAS_COLUMNS,
    MEMBERSHIP_COLUMNS,
    build_gazetteer,
    comention_graph,
    fold,
    load_actors,
    load_aliases,
    load_membership,
    members_on,
    mention_counts,
    sentence_pairs,
    tag_corpus,
    tag_mentions,
)
from helpers.article import load_article, parse_article
from helpers.paths import ARTICLE
from helpers.tables import DataError
from helpers.textview import text_view

TESTS = Path(__file__).resolve().parent
RECURSION_LIMIT = sys.getrecursionlimit()
GOLD = TESTS / "gold_mentions.csv"

FIXED_IDS = {
    "state": "RUS ARM BLR KAZ KGZ TJK UZB AZE GEO UKR USA SUN",
    "organisation": "CSTO NATO EU USHOUSE",
    "person": "PUTIN PASHINYAN LUKASHENKO RAHMON TOKAYEV PELOSI",
    "region": "KARABAKH LUHANSK DONETSK SOUTH_OSSETIA ABKHAZIA CENTRAL_ASIA",
    "city": "YEREVAN SAINT_PETERSBURG",
    "group": "RUS_MINORITY_KAZ",
}


@pytest.fixture(scope="module")
def actors() -> pd.DataFrame:
    return load_actors()


@pytest.fixture(scope="module")
def aliases(actors: pd.DataFrame) -> pd.DataFrame:
    return load_aliases(actors=actors)


@pytest.fixture(scope="module")
def gazetteer(actors: pd.DataFrame, aliases: pd.DataFrame):
    return build_gazetteer(actors, aliases)


def tag(text: str, gazetteer, **kwargs) -> list[tuple[str, str]]:
    """(actor_id, surface) pairs that ``text`` yields, in order."""
    found = tag_mentions(text, aliases=gazetteer, **kwargs)
    return list(zip(found["actor_id"], found["surface"], strict=True))


# --- the tables as shipped -----------------------------------------------------------------


def test_fixed_ids_exist_with_their_kinds(actors: pd.DataFrame) -> None:
    kinds = dict(zip(actors["actor_id"], actors["kind"], strict=True))
    for kind, ids in FIXED_IDS.items():
        for actor_id in ids.split():
            assert kinds.get(actor_id) == kind, actor_id


def test_states_have_capitals_and_sun_is_moscow(actors: pd.DataFrame) -> None:
    states = actors[actors["kind"] == "state"]
    assert states["capital_lat"].notna().all() and states["capital_lon"].notna().all()
    sun = actors.set_index("actor_id").loc["SUN"]
    rus = actors.set_index("actor_id").loc["RUS"]
    assert sun["capital_en"] == "Moscow"
    assert (sun["capital_lat"], sun["capital_lon"]) == (rus["capital_lat"], rus["capital_lon"])


def test_people_groups_and_cities_belong_to_a_state(actors: pd.DataFrame) -> None:
    table = actors.set_index("actor_id")
    assert table.loc["PUTIN", "state_id"] == "RUS"
    assert table.loc["RUS_MINORITY_KAZ", "state_id"] == "KAZ"
    assert table.loc["YEREVAN", "state_id"] == "ARM"
    assert table.loc["KARABAKH", "state_id"] == "AZE"


def test_qids_are_unique_and_unverified_ones_say_so(actors: pd.DataFrame) -> None:
    qids = actors.loc[actors["wikidata_qid"] != "", "wikidata_qid"]
    assert not qids.duplicated().any()
    empty = actors[actors["wikidata_qid"] == ""]
    assert empty["note"].str.contains("QID not verified").all(), list(empty["actor_id"])


def test_every_actor_has_an_alias(actors: pd.DataFrame, aliases: pd.DataFrame) -> None:
    assert set(actors["actor_id"]) <= set(aliases["actor_id"])


def test_alias_keys_are_unique(aliases: pd.DataFrame) -> None:
    assert not aliases["key"].duplicated().any()


# --- the gold standard ---------------------------------------------------------------------


def read_gold() -> list[dict[str, str]]:
    with open(GOLD, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_gold_surfaces_are_the_raw_text(article) -> None:
    rows = read_gold()
    assert rows
    for number, row in enumerate(rows, start=2):
        start, end = int(row["start"]), int(row["end"])
        assert article.raw[start:end] == row["surface"], f"gold row {number}: {row}"


def test_gold_is_sorted_without_overlaps(actors: pd.DataFrame) -> None:
    rows = read_gold()
    known = set(actors["actor_id"])
    previous_end = -1
    for row in rows:
        assert row["actor_id"] in known, row
        assert int(row["start"]) >= previous_end, row
        previous_end = int(row["end"])


def test_tagger_matches_gold_exactly(article, gazetteer) -> None:
    gold = {(int(r["start"]), int(r["end"]), r["actor_id"]): r["surface"] for r in read_gold()}
    found = tag_mentions(article, aliases=gazetteer)
    hits = {
        (s, e, a): surface
        for s, e, a, surface in zip(
            found["start"], found["end"], found["actor_id"], found["surface"], strict=True
        )
    }
    true = set(gold) & set(hits)
    precision = len(true) / len(hits) if hits else 0.0
    recall = len(true) / len(gold)
    misses = [f"{gold[k]!r}@{k[0]}-{k[1]} {k[2]}" for k in sorted(set(gold) - set(hits))]
    false = [f"{hits[k]!r}@{k[0]}-{k[1]} {k[2]}" for k in sorted(set(hits) - set(gold))]
    assert (precision, recall) == (1.0, 1.0), (
        f"precision {precision:.3f}, recall {recall:.3f}\n"
        f"missed ({len(misses)}): {misses}\nfalse hits ({len(false)}): {false}"
    )


def test_article_mentions_point_at_their_sentences(article, gazetteer) -> None:
    found = tag_mentions(article, aliases=gazetteer)
    for row in found.itertuples():
        sentence = article.sentences[row.sentence]
        assert sentence.start <= row.start < row.end <= sentence.end
        assert sentence.block == row.block
    assert (found["via"] == "").all()


# --- matching rules ------------------------------------------------------------------------


def test_spelling_variants_not_in_the_article_resolve(gazetteer) -> None:
    text = (
        "Premier Pashinyan belde met Loekashenko en Tokayev; Kazakstan, Kirgizstan en "
        "Wit-Rusland willen met de NAVO en de EU praten, Azerbaidzjan en Belarus niet. "
        "Ook Rahmon, Zelensky, Alijev en Mirzijojev kwamen naar Doesjanbe."
    )
    assert [a for a, _ in tag(text, gazetteer)] == [
        "PASHINYAN",
        "LUKASHENKO",
        "TOKAYEV",
        "KAZ",
        "KGZ",
        "BLR",
        "NATO",
        "EU",
        "AZE",
        "BLR",
        "RAHMON",
        "ZELENSKY",
        "ALIYEV",
        "MIRZIYOYEV",
        "TJK",
    ]


def test_matching_ignores_case_and_accents(gazetteer) -> None:
    assert tag("navo NAVO Navo", gazetteer) == [("NATO", w) for w in ("navo", "NAVO", "Navo")]
    assert tag("RUSLAND en rusland", gazetteer) == [("RUS", "RUSLAND"), ("RUS", "rusland")]
    assert tag("POETIN in Oekraine", gazetteer) == [("PUTIN", "POETIN"), ("UKR", "Oekraine")]
    assert tag("Erdoğan en Erdogan", gazetteer) == [("ERDOGAN", "Erdoğan"), ("ERDOGAN", "Erdogan")]


def test_short_aliases_match_only_as_written(gazetteer) -> None:
    assert tag("de VS en de EU", gazetteer) == [("USA", "VS"), ("EU", "EU")]
    assert tag("Ajax vs. Feyenoord; paus Pius XI; eu", gazetteer) == []
    assert tag("Xi ontmoette Poetin", gazetteer) == [("XI", "Xi"), ("PUTIN", "Poetin")]


def test_word_boundaries(gazetteer) -> None:
    assert tag("Krimpen aan den IJssel, Irangate, Ruslandkenner, Turksch", gazetteer) == []
    assert tag("de Krim, Irans olie", gazetteer) == [("CRIMEA", "Krim"), ("IRN", "Irans")]


def test_longest_match_and_compounds(gazetteer) -> None:
    found = tag_mentions(
        "Het Oekraïne-Georgië-scenario, de Wit-Russische leider, Sovjet-tijden, het "
        "CSTO-verdrag en de Russische minderheid van pro-Russische Kazachen.",
        aliases=gazetteer,
    )
    assert list(zip(found["actor_id"], found["surface"], found["token"], strict=True)) == [
        ("UKR", "Oekraïne", "Oekraïne-Georgië-scenario"),
        ("GEO", "Georgië", "Oekraïne-Georgië-scenario"),
        ("BLR", "Wit-Russische", "Wit-Russische"),
        ("SUN", "Sovjet", "Sovjet-tijden"),
        ("CSTO", "CSTO", "CSTO-verdrag"),
        ("RUS_MINORITY_KAZ", "Russische minderheid", "Russische minderheid"),
        ("RUS", "Russische", "pro-Russische"),
        ("KAZ", "Kazachen", "Kazachen"),
    ]


def test_possessives_keep_their_suffix(gazetteer) -> None:
    found = tag_mentions(
        "Armenië’s premier, Armenië's leger, Tokajevs zet, Poetins bondgenoot, "
        "Loekasjenko's woorden en de Azeri's.",
        aliases=gazetteer,
    )
    assert list(zip(found["actor_id"], found["surface"], found["alias_kind"], strict=True)) == [
        ("ARM", "Armenië’s", "possessive"),
        ("ARM", "Armenië's", "possessive"),
        ("TOKAYEV", "Tokajevs", "possessive"),
        ("PUTIN", "Poetins", "possessive"),
        ("LUKASHENKO", "Loekasjenko's", "possessive"),
        ("AZE", "Azeri's", "demonym"),
    ]


def test_multiword_aliases_allow_a_hyphen_space_or_line_break(gazetteer) -> None:
    text = "Nagorno-Karabach, Nagorno Karabach, Sint\nPetersburg en Wit Rusland."
    assert [a for a, _ in tag(text, gazetteer)] == [
        "KARABAKH",
        "KARABAKH",
        "SAINT_PETERSBURG",
        "BLR",
    ]
    assert tag("Sint\n\nPetersburg", gazetteer) == [("SAINT_PETERSBURG", "Petersburg")]


def test_person_counts_for_state_adds_state_rows(gazetteer) -> None:
    found = tag_mentions(
        "Poetin en Pasjinjan spraken in Jerevan.", aliases=gazetteer, person_counts_for_state=True
    )
    rows = list(zip(found["actor_id"], found["surface"], found["via"], strict=True))
    assert rows == [
        ("PUTIN", "Poetin", ""),
        ("RUS", "Poetin", "PUTIN"),
        ("PASHINYAN", "Pasjinjan", ""),
        ("ARM", "Pasjinjan", "PASHINYAN"),
        ("YEREVAN", "Jerevan", ""),
    ]
    plain = tag_mentions("Poetin en Pasjinjan spraken in Jerevan.", aliases=gazetteer)
    assert len(plain) == 3 and (plain["via"] == "").all()


def test_bare_text_gets_sentences(gazetteer) -> None:
    found = tag_mentions("Rusland won. Armenië niet.", aliases=gazetteer)
    assert list(found["sentence"]) == [0, 1]
    assert list(found["block"]) == [0, 0]


def test_parsed_article_and_defaults(gazetteer) -> None:
    parsed = parse_article("date 2022-11 De Navo kijkt toe.\n\nMoskou zwijgt.")
    found = tag_mentions(parsed)  # default tables
    assert list(zip(found["actor_id"], found["block"], strict=True)) == [("NATO", 0), ("RUS", 1)]


def test_empty_text(gazetteer) -> None:
    found = tag_mentions("Niets te zien.", aliases=gazetteer)
    assert found.empty and list(found.columns)[:7] == [
        "actor_id",
        "surface",
        "start",
        "end",
        "sentence",
        "block",
        "alias_kind",
    ]


@given(st.text())
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text(alphabet=st.sampled_from("aAëËÉéçÇ’‘`´ʼ‐‑-İıſ x\u0308Ő")))
def test_fold_is_the_fold_table_applied_to_the_lowered_text(text: str) -> None:
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    assert fold(text) == lowered.translate(_FOLD)


@given(
    st.lists(
        st.sampled_from(["Rusland", "Armenië’s", "CSTO-troepen", " en ", "Wit-Russische", ", "]),
        max_size=12,
    )
)
def test_surfaces_are_raw_slices(parts: list[str]) -> None:
    text = "".join(parts)
    found = tag_mentions(text)
    for row in found.itertuples():
        assert text[row.start : row.end] == row.surface


# --- summaries -----------------------------------------------------------------------------


def test_comention_graph_weights_on_a_hand_made_example() -> None:
    mentions = pd.DataFrame(
        {
            "actor_id": ["RUS", "ARM", "ARM", "RUS", "ARM", "CSTO", "CSTO", "PUTIN"],
            "sentence": [0, 0, 0, 1, 1, 1, 2, pd.NA],
            "block": [0, 0, 0, 0, 0, 0, 1, 1],
        }
    )
    graph = comention_graph(mentions)
    assert graph["RUS"]["ARM"]["weight"] == 2
    assert graph["RUS"]["ARM"]["sentences"] == [0, 1]
    assert graph["RUS"]["CSTO"]["weight"] == 1
    assert graph["ARM"]["CSTO"]["weight"] == 1
    assert graph.number_of_edges() == 3
    assert graph.nodes["ARM"]["mentions"] == 3
    assert graph.nodes["PUTIN"]["mentions"] == 1 and graph.degree("PUTIN") == 0
    assert graph.nodes["CSTO"]["kind"] == "organisation"


def test_mention_counts_by_block(article, gazetteer) -> None:
    found = tag_mentions(article, aliases=gazetteer)
    counts = mention_counts(found)
    gold = pd.Series([r["actor_id"] for r in read_gold()]).value_counts()
    assert counts["total"].to_dict() == gold.to_dict()
    assert counts.index[0] == "CSTO"
    assert counts.loc["CSTO", 5] == 3  # CSTO-verdrag, twice CSTO-lidstaten
    assert counts.drop(columns="total").sum(axis=1).equals(counts["total"])


def test_article_network(article, gazetteer) -> None:
    graph = comention_graph(tag_mentions(article, aliases=gazetteer))
    assert graph["PUTIN"]["RUS"]["sentences"] == [4, 25, 30]
    assert graph["PUTIN"]["RUS"]["weight"] == 3
    assert graph.nodes["CSTO"]["mentions"] == 15


# --- membership ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1993-01-01", []),  # signed, not yet in force
        ("1995-06-01", "ARM AZE BLR GEO KAZ KGZ RUS TJK UZB"),
        ("2000-01-01", "ARM BLR KAZ KGZ RUS TJK"),
        ("2007-01-01", "ARM BLR KAZ KGZ RUS TJK UZB"),
        ("2013-01-01", "ARM BLR KAZ KGZ RUS TJK"),
        ("2022-11-23", "ARM BLR KAZ KGZ RUS TJK"),  # six, though the article says seven
        ("2025-01-01", "ARM BLR KAZ KGZ RUS TJK"),
    ],
)
def test_members_on(date: str, expected) -> None:
    expected = expected.split() if isinstance(expected, str) else expected
    assert members_on(date) == expected


def test_members_on_frozen_and_edges() -> None:
    membership = load_membership()
    assert members_on("2025-01-01", membership, count_frozen=False) == "BLR KAZ KGZ RUS TJK".split()
    assert "ARM" in members_on("2024-02-21", membership, count_frozen=False)
    assert "ARM" not in members_on("2024-02-22", membership, count_frozen=False)
    assert "UZB" in members_on("2006-06-23", membership)  # an event counts on its own day
    assert "UZB" not in members_on("2012-06-28", membership)
    assert len(members_on("2022-11-23", membership)) == 6


def test_members_on_reads_the_table_once_until_it_changes(tmp_path, monkeypatch) -> None:
    """Without a table members_on reads data/csto_membership.csv once, and again when the
    file changes (here: Uzbekistan's 2006 return removed)."""
    import helpers.actors as module

    table = tmp_path / "csto_membership.csv"
    table.write_bytes(module.MEMBERSHIP_PATH.read_bytes())
    monkeypatch.setattr(module, "MEMBERSHIP_PATH", table)
    reads = []
    original = module.load_membership
    monkeypatch.setattr(module, "load_membership", lambda: reads.append(1) or original())
    assert "UZB" in members_on("2007-01-01") and "UZB" in members_on("2008-01-01")
    assert len(reads) == 1
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(x for x in lines if not x.startswith("UZB,rejoined")), "utf-8")
    assert "UZB" not in members_on("2007-01-01")
    assert len(reads) == 2


def test_membership_cites_the_reference(article) -> None:
    membership = load_membership()
    assert membership["source"].str.startswith("reference row ").all()
    assert membership["date"].is_monotonic_increasing
    geo = membership[(membership["state_id"] == "GEO") & (membership["event"] == "signed")]
    assert "sources differ" in geo["note"].iloc[0]
    assert "zeven CSTO-lidstaten" in article.raw  # the article's claim, kept for the fact-check


# --- validation ----------------------------------------------------------------------------

STATE_ROW = [
    "RUS",
    "state",
    "Russia",
    "Rusland",
    "",
    "",
    "Q159",
    "365",
    "Moscow",
    "55.7558",
    "37.6173",
    "",
]
PERSON_ROW = ["PUTIN", "person", "Vladimir Putin", "Vladimir Poetin", "RUS", *[""] * 7]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def expect_error(call, path: Path, row: int, column: str, words: str) -> None:
    with pytest.raises(DataError) as info:
        call()
    err = info.value
    assert (err.row, err.column) == (row, column), str(err)
    assert str(path) in str(err) and f"row {row}" in str(err) and column in str(err)
    assert words in str(err)


def test_duplicate_actor_id(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "actors.csv", ACTOR_COLUMNS, [STATE_ROW, PERSON_ROW, STATE_ROW])
    expect_error(lambda: load_actors(path), path, 4, "actor_id", "duplicate")


def test_unknown_kind(tmp_path: Path) -> None:
    bad = [*PERSON_ROW]
    bad[1] = "politician"
    path = write_csv(tmp_path / "actors.csv", ACTOR_COLUMNS, [STATE_ROW, bad])
    expect_error(lambda: load_actors(path), path, 3, "kind", "'politician' is not one of")


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("capital_lat", "", "must not be empty"),
        ("capital_lon", "", "must not be empty"),
        ("capital_lat", "55,75", "is not a number"),
        ("capital_lon", "east", "is not a number"),
        ("capital_lat", "95.0", "outside"),
        ("capital_lon", "-181", "outside"),
        ("capital_lat", "nan", "outside"),
        ("cow_code", "RUS", "does not match"),
        ("cow_code", "0365", "does not match"),
        ("cow_code", "1000", "does not match"),
    ],
)
def test_state_capital_coordinates(tmp_path: Path, column: str, value: str, words: str) -> None:
    bad = [*STATE_ROW]
    bad[ACTOR_COLUMNS.index(column)] = value
    path = write_csv(tmp_path / "actors.csv", ACTOR_COLUMNS, [bad, PERSON_ROW])
    expect_error(lambda: load_actors(path), path, 2, column, words)


def test_cow_code_is_for_states_only_and_loads_as_a_nullable_integer(tmp_path: Path) -> None:
    """Issue 13: Correlates of War state numbers, so COW and ATOP data can be joined."""
    bad = [*PERSON_ROW]
    bad[ACTOR_COLUMNS.index("cow_code")] = "365"
    path = write_csv(tmp_path / "actors.csv", ACTOR_COLUMNS, [STATE_ROW, bad])
    expect_error(lambda: load_actors(path), path, 3, "cow_code", "must be empty for a person")
    actors = load_actors().set_index("actor_id")
    assert str(actors["cow_code"].dtype) == "Int64"
    expected = {"USA": 2, "RUS": 365, "UKR": 369, "BLR": 370, "ARM": 371, "GEO": 372, "AZE": 373}
    expected |= {"TJK": 702, "KGZ": 703, "UZB": 704, "KAZ": 705, "SUN": 365}
    assert {a: int(actors.at[a, "cow_code"]) for a in expected} == expected
    states = actors["kind"] == "state"
    assert actors.loc[states, "cow_code"].notna().all()
    assert actors.loc[~states, "cow_code"].isna().all()


def test_person_with_unknown_state(tmp_path: Path) -> None:
    bad = [*PERSON_ROW]
    bad[ACTOR_COLUMNS.index("state_id")] = "XXX"
    path = write_csv(tmp_path / "actors.csv", ACTOR_COLUMNS, [STATE_ROW, bad])
    expect_error(lambda: load_actors(path), path, 3, "state_id", "not the id of a state")


def test_malformed_qid(tmp_path: Path) -> None:
    bad = [*STATE_ROW]
    bad[ACTOR_COLUMNS.index("wikidata_qid")] = "159"
    path = write_csv(tmp_path / "actors.csv", ACTOR_COLUMNS, [bad])
    expect_error(lambda: load_actors(path), path, 2, "wikidata_qid", "does not match")


@pytest.fixture()
def small_actors(tmp_path: Path) -> pd.DataFrame:
    arm = ["ARM", "state", "Armenia", "Armenië", "", "", "", "371", "Yerevan", "40.18", "44.50", ""]
    return load_actors(write_csv(tmp_path / "a.csv", ACTOR_COLUMNS, [STATE_ROW, arm, PERSON_ROW]))


def test_alias_mapping_to_two_actors(tmp_path: Path, small_actors: pd.DataFrame) -> None:
    rows = [
        ["Rusland", "RUS", "name", "nl", ""],
        ["Poetin", "PUTIN", "name", "nl", ""],
        ["RUSLAND", "ARM", "name", "nl", ""],
    ]
    path = write_csv(tmp_path / "aliases.csv", ALIAS_COLUMNS, rows)
    expect_error(
        lambda: load_aliases(path, small_actors), path, 4, "alias", "maps to ARM here and to RUS"
    )


def test_alias_repeated_for_the_same_actor(tmp_path: Path, small_actors: pd.DataFrame) -> None:
    rows = [["Armenië", "ARM", "name", "nl", ""], ["armenie", "ARM", "name", "nl", ""]]
    path = write_csv(tmp_path / "aliases.csv", ALIAS_COLUMNS, rows)
    expect_error(lambda: load_aliases(path, small_actors), path, 3, "alias", "repeats row 2")


def test_alias_with_unknown_actor(tmp_path: Path, small_actors: pd.DataFrame) -> None:
    rows = [["Rusland", "RUS", "name", "nl", ""], ["Navo", "NATO", "abbreviation", "nl", ""]]
    path = write_csv(tmp_path / "aliases.csv", ALIAS_COLUMNS, rows)
    expect_error(lambda: load_aliases(path, small_actors), path, 3, "actor_id", "unknown actor_id")


def test_alias_with_unknown_kind(tmp_path: Path, small_actors: pd.DataFrame) -> None:
    rows = [["Rusland", "RUS", "nickname", "nl", ""]]
    path = write_csv(tmp_path / "aliases.csv", ALIAS_COLUMNS, rows)
    expect_error(lambda: load_aliases(path, small_actors), path, 2, "alias_kind", "nickname")


@pytest.mark.parametrize("date", ["2022-13-01", "2022-02-30", "22-11-23", "2022/11/23", ""])
def test_malformed_membership_date(tmp_path: Path, small_actors: pd.DataFrame, date: str) -> None:
    rows = [["RUS", "signed", "1992-05-15", "", "ref"], ["ARM", "signed", date, "", "ref"]]
    path = write_csv(tmp_path / "m.csv", MEMBERSHIP_COLUMNS, rows)
    words = "must not be empty" if not date else repr(date)
    expect_error(lambda: load_membership(path, small_actors), path, 3, "date", words)


def test_unknown_state_in_membership(tmp_path: Path, small_actors: pd.DataFrame) -> None:
    rows = [["RUS", "signed", "1992-05-15", "", "ref"], ["PUTIN", "signed", "1992-05-15", "", "r"]]
    path = write_csv(tmp_path / "m.csv", MEMBERSHIP_COLUMNS, rows)
    expect_error(lambda: load_membership(path, small_actors), path, 3, "state_id", "unknown state")


def test_unknown_membership_event(tmp_path: Path, small_actors: pd.DataFrame) -> None:
    rows = [["RUS", "joined", "1992-05-15", "", "ref"]]
    path = write_csv(tmp_path / "m.csv", MEMBERSHIP_COLUMNS, rows)
    expect_error(lambda: load_membership(path, small_actors), path, 2, "event", "'joined'")


# --- membership spans (for the membership figure) -----------------------------------------


def test_membership_spans_agree_with_members_on():
    from helpers.actors import membership_spans

    membership = load_membership()
    spans = membership_spans(until="2024-12-31", membership=membership)
    uzbekistan = spans[spans["state_id"] == "UZB"]["status"].tolist()
    assert uzbekistan == ["signed", "member", "out", "member", "out"]
    for day in pd.date_range("1992-01-01", "2024-12-30", freq="97D"):
        inside = spans[(spans["start"] <= day) & (day < spans["end"])]
        from_spans = sorted(inside.loc[inside["status"].isin(["member", "frozen"]), "state_id"])
        assert from_spans == members_on(day, membership), day


def test_membership_spans_need_a_fixed_end():
    from helpers.actors import membership_spans

    spans = membership_spans(until="2030-01-01")
    assert spans["end"].max() == pd.Timestamp("2030-01-01")
    assert (spans["start"] <= spans["end"]).all()


# --- corpus helpers -------------------------------------------------------------------------


def test_tag_corpus_equals_tag_mentions_per_article_and_corpus_network():
    from helpers.actors import build_gazetteer, comention_graph, find_mentions, tag_corpus

    article = load_article(ARTICLE)
    other = parse_article("date 2021-05 Poetin sprak met Tokajev in Moskou.\n\nDe Navo zweeg.")
    gazetteer = build_gazetteer(aliases=load_aliases())
    corpus = tag_corpus([article, other], aliases=gazetteer)
    for piece in (article, other):
        alone = tag_mentions(piece, aliases=gazetteer).reset_index(drop=True)
        mine = corpus[corpus["article"] == piece.id].drop(columns="article").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_dtype=False)
        found = [(s, e, a) for s, e, a, _ in find_mentions(piece.raw, gazetteer)]
        assert found == list(alone[["start", "end", "actor_id"]].itertuples(index=False, name=None))
    network = comention_graph(corpus, within=["article", "sentence"])
    single = comention_graph(tag_mentions(article, aliases=gazetteer))
    # PUTIN-TOKAYEV: the sentences of the article plus the one of the second article
    assert network["PUTIN"]["TOKAYEV"]["weight"] == single["PUTIN"]["TOKAYEV"]["weight"] + 1
    assert network["PUTIN"]["RUS"]["weight"] == single["PUTIN"]["RUS"]["weight"] + 1


# --- issue 10: Unicode and long aliases -----------------------------------------------------


def test_row06_nfd_article_matches_every_gold_mention(tmp_path, article, gazetteer) -> None:
    """Issue 10 row 6: in the NFD article 92 of 100 gold mentions were found (every accented
    name missed, others cut before the combining mark). Now 100 of 100, with offsets into the
    NFD text as stored; the raw file is not touched (the NFD copy is written to tmp_path)."""
    path = tmp_path / "nfd.txt"
    path.write_bytes(unicodedata.normalize("NFD", ARTICLE.read_text("utf-8")).encode("utf-8"))
    nfd = load_article(path)
    assert nfd.raw != article.raw
    found = tag_mentions(nfd, aliases=gazetteer)
    gold = read_gold()
    assert len(found) == len(gold) == 100
    for row, hit in zip(gold, found.itertuples(), strict=True):
        assert hit.actor_id == row["actor_id"]
        assert nfd.raw[hit.start : hit.end] == hit.surface
        assert hit.surface == unicodedata.normalize("NFD", row["surface"]), row
    nfc = tag_mentions(article, aliases=gazetteer)
    assert list(found["token"]) == [unicodedata.normalize("NFD", t) for t in nfc["token"]]
    assert list(found["sentence"]) == list(nfc["sentence"])
    assert list(found["alias_kind"]) == list(nfc["alias_kind"])


def test_row06_invisible_characters_and_nbsp_inside_names(gazetteer) -> None:
    text = (
        "Oekra\u00adïne, Rus\u200dland, \u200eArmenië\u200f’s premier, Nagorno\u00a0Karabach, "
        "Sint\u00a0Petersburg en Rusland\u200bArmenië."
    )
    assert tag(text, gazetteer) == [
        ("UKR", "Oekra\u00adïne"),
        ("RUS", "Rus\u200dland"),
        ("ARM", "Armenië\u200f’s"),
        ("KARABAKH", "Nagorno\u00a0Karabach"),
        ("SAINT_PETERSBURG", "Sint\u00a0Petersburg"),
        ("RUS", "Rusland"),  # a zero-width space separates words
        ("ARM", "Armenië"),
    ]


def test_row13_composed_and_decomposed_alias_is_a_duplicate(
    tmp_path: Path, small_actors: pd.DataFrame
) -> None:
    """Issue 10 row 13: "Armenië" composed and decomposed were two different aliases."""
    rows = [
        ["Armenië", "ARM", "name", "nl", ""],
        [unicodedata.normalize("NFD", "Armenië"), "ARM", "name", "nl", ""],
    ]
    path = write_csv(tmp_path / "aliases.csv", ALIAS_COLUMNS, rows)
    expect_error(lambda: load_aliases(path, small_actors), path, 3, "alias", "repeats row 2")
    with pytest.raises(DataError, match=r"'Armenie\\u0308' repeats row 2 \('Armenië'\); "):
        load_aliases(path, small_actors)
    with pytest.raises(DataError, match="compared in Unicode NFC"):
        load_aliases(path, small_actors)


@pytest.mark.parametrize("length", [500, 5000, 50_000])
def test_row13_a_very_long_alias_works(
    tmp_path: Path, small_actors: pd.DataFrame, length: int
) -> None:
    """Issue 10 row 13: an alias of 500+ characters raised RecursionError (the trie regex was
    built by a recursive function, one call per character)."""
    alias = ("Verdrag van Tasjkent " * (length // 21 + 1))[:length].strip()
    rows = [[alias, "RUS", "compound", "nl", ""], ["Rusland", "RUS", "name", "nl", ""]]
    path = write_csv(tmp_path / "aliases.csv", ALIAS_COLUMNS, rows)
    gazetteer = build_gazetteer(small_actors, load_aliases(path, small_actors))
    text = f"Zo sprak {alias}, niet Rusland."
    found = tag_mentions(text, aliases=gazetteer)
    assert list(zip(found["surface"], found["alias_kind"], strict=True)) == [
        (alias, "compound"),
        ("Rusland", "name"),
    ]


def test_row13_hundreds_of_nested_aliases_compile(small_actors: pd.DataFrame) -> None:
    """Aliases that are prefixes of one another ("x", "x x", "x x x", ...) nest the trie's
    groups; Python's regex parser recursed past the limit at a few hundred."""
    rows = [(" ".join(["Rus"] * k), "RUS", "name") for k in range(2, 802)]
    aliases = pd.DataFrame(rows, columns=["alias", "actor_id", "alias_kind"])
    gazetteer = build_gazetteer(small_actors, aliases)
    text = "Dit is " + " ".join(["Rus"] * 1000) + "."
    found = tag_mentions(text, aliases=gazetteer)
    assert [len(s.split()) for s in found["surface"]] == [801, 199]
    assert sys.getrecursionlimit() == RECURSION_LIMIT  # restored after compiling


# --- stop 18: the co-mention pairs, column by column ----------------------------------------


def old_sentence_pairs(mentions: pd.DataFrame, within: list[str]) -> list[tuple]:
    """(label, a, b) of each pair of distinct actors a sentence mentions, sentences in order:
    the grouping of rows by sentence in Python before stop 18, kept as the reference."""
    rows = mentions.dropna(subset=within)
    numbers: dict[tuple, int] = {}
    members: dict[tuple, set] = {}
    for *key, actor in zip(*(rows[c].tolist() for c in [*within, "actor_id"]), strict=True):
        lead = numbers.setdefault(tuple(key[:-1]), len(numbers))
        members.setdefault((lead, key[-1]), set()).add(actor)
    leads = list(numbers)
    return [
        ((*leads[lead], int(value)) if len(within) > 1 else int(value), a, b)
        for (lead, value), actors in sorted(members.items())
        for a, b in combinations(sorted(actors), 2)
    ]


def new_sentence_pairs(mentions: pd.DataFrame, within: list[str]) -> list[tuple]:
    pairs = sentence_pairs(mentions, within if len(within) > 1 else within[0])
    labels, actors = pairs.labels(), pairs.actors
    columns = (pairs.sentence.tolist(), pairs.a.tolist(), pairs.b.tolist())
    return [(labels[s], actors[a], actors[b]) for s, a, b in zip(*columns, strict=True)]


def test_stop18_sentence_pairs_equal_the_old_grouping(gazetteer) -> None:
    articles = [load_article(ARTICLE), parse_article("date 2021 Poetin en Tokajev. Rusland.")]
    mentions = tag_corpus(articles * 2, aliases=gazetteer)  # an article twice: same id
    single = tag_mentions(articles[0], aliases=gazetteer)
    for table, within in ((mentions, ["article", "sentence"]), (single, ["sentence"])):
        expected = old_sentence_pairs(table, within)
        assert len(expected) > 50
        assert new_sentence_pairs(table, within) == expected
        shuffled = table.sample(frac=1, random_state=0)
        assert new_sentence_pairs(shuffled, within) == old_sentence_pairs(shuffled, within)
        assert new_sentence_pairs(table.iloc[:0], within) == []
        counted = Counter((a, b) for _, a, b in expected)
        weights = sentence_pairs(table, within).weights()
        assert weights == [(a, b, n) for (a, b), n in sorted(counted.items())]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a1", "a2", "a3"]),
            st.sampled_from(["b", "c"]),
            st.one_of(st.none(), st.integers(0, 5), st.integers(-(2**40), 2**40)),
            st.sampled_from(["RUS", "ARM", "BLR", "Z", "a"]),
        ),
        max_size=40,
    )
)
def test_stop18_sentence_pairs_of_any_table(rows) -> None:
    """Any sentence numbers (missing, negative, far apart) and leading columns."""
    table = pd.DataFrame(rows, columns=["article", "part", "sentence", "actor_id"])
    table["sentence"] = table["sentence"].astype("Int64")
    for within in (["sentence"], ["article", "sentence"], ["article", "part", "sentence"]):
        assert new_sentence_pairs(table, within) == old_sentence_pairs(table, within)


def old_token(text: str, start: int, end: int) -> str:
    """The token of a mention at text[start:end] as the row loop before stop 18 found it."""
    from helpers.actors import _HYPHENS, _token

    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before in _HYPHENS or after.isalnum() or after in _HYPHENS:
        start, end = _token(text, start, end)
    return text[start:end]


TOKEN_PIECES = [*" -‐‑.,’'(x9_éΩ\u00a0\u2014\u3000", "Rusland", "CSTO", "Poetin", "VS", "Navo"]


@given(st.lists(st.sampled_from(TOKEN_PIECES), max_size=30).map("".join))
def test_stop18_tokens_equal_the_old_row_loop(text) -> None:
    gazetteer = build_gazetteer()
    found = tag_mentions(text, aliases=gazetteer, person_counts_for_state=True)
    expected = [old_token(text, s, e) for s, e in zip(found["start"], found["end"], strict=True)]
    assert found["token"].tolist() == expected
    people = found[found["via"] != ""]
    assert (people["surface"].tolist(), people["via"].tolist()) == (
        found.loc[people.index - 1, "surface"].tolist(),
        found.loc[people.index - 1, "actor_id"].tolist(),
    )


MATCH_PIECES = [*" -.,’'(x9_é\n", "Rusland", "rusland", "CSTO", "VS", "Navo", "Poetin", "Wit-"]


@given(st.lists(st.sampled_from(MATCH_PIECES), max_size=30).map("".join))
def test_stop18_consuming_the_character_before_a_mention_finds_what_looking_behind_found(text):
    """The tagger's pattern consumes the non-word character before a mention when every alias
    ends in a word character; it finds what the look-behind pattern finds. An alias ending in
    another character ("v.s.") keeps the look-behind."""
    import dataclasses
    import re

    from helpers.actors import _matches

    gazetteer = build_gazetteer()
    assert gazetteer.lead == 1 and gazetteer.pattern.pattern.startswith(r"\W")
    behind = dataclasses.replace(
        gazetteer,
        pattern=re.compile(r"(?<!\w)" + gazetteer.pattern.pattern[2:]),
        lead=0,
        matched={},
    )
    view = text_view(text)
    assert _matches(view, gazetteer) == _matches(view, behind)
    actors = load_actors()
    aliases = pd.DataFrame(
        [["v.s.", "USA", "abbreviation", "nl", ""], ["Rusland", "RUS", "name", "nl", ""]],
        columns=ALIAS_COLUMNS,
    )
    dotted = build_gazetteer(actors, aliases)
    assert dotted.lead == 0 and _matches(text_view("De v.s. en Rusland."), dotted) == [
        (3, 7, "USA", "abbreviation"),
        (11, 18, "RUS", "name"),
    ]
