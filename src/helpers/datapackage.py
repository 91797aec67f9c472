"""The Frictionless data package ``data/datapackage.json``: every table of ``data/`` and the
event exports, with field types, allowed values, primary and foreign keys.

The descriptor is generated from the loaders' own constants (column lists, allowed values:
:data:`helpers.actors.KINDS`, :data:`helpers.events.PLOVER_TYPES`, ...), so the codebook
(``data/README.md``), the code and the schema cannot drift: ``python -m helpers.datapackage
build`` writes it, ``python -m helpers.datapackage check`` says whether the committed file is
what the code gives (a test runs the same comparison and ``frictionless validate``).

What the schema cannot say, the loaders check: ``;``-separated id lists (``actor_ids``,
``recipient_ids``, ``fact_ids``) have a pattern here, but a Table Schema foreign key compares a
whole cell with one key, so each listed id is checked against ``actors.csv`` by
:func:`helpers.events.load_events`; offsets against the article text; date order; aliases
unique after Unicode folding; and the world gazetteer's references, which may point into either
of two tables.
"""

from __future__ import annotations

import json
import sys

from helpers.actors import (
    ACTOR_COLUMNS,
    ALIAS_COLUMNS,
    ALIAS_KINDS,
    KINDS,
    LANGUAGES,
    MEMBERSHIP_COLUMNS,
    MEMBERSHIP_EVENTS,
)
from helpers.events import (
    BASES,
    COLUMNS,
    FIGURE_ROLES,
    GOLDSTEIN,
    MODALITIES,
    PLOVER_MODES,
    PLOVER_TYPES,
    PRECISIONS,
    QUAD_CLASSES,
    REFERENCE_COLUMNS,
)
from helpers.events import REQUIRED as EVENT_REQUIRED
from helpers.factcheck import CLAIM_COLUMNS, POINTS, VERDICTS
from helpers.factcheck import KINDS as CLAIM_KINDS
from helpers.gazetteer import DEMONYM_COLUMNS, LEADER_COLUMNS, SKIP_COLUMNS
from helpers.glosses import COLUMNS as GLOSS_COLUMNS
from helpers.io import write_text
from helpers.paths import DATA
from helpers.registry import LANGUAGES as ARTICLE_LANGUAGES
from helpers.registry import PUBLISHED_PRECISIONS, REGISTRY_COLUMNS, RIGHTS, RIGHTS_STATEMENT
from helpers.registry import REQUIRED as REGISTRY_REQUIRED
from helpers.suggest import ACTOR_RULES, CUE_COLUMNS, CUE_KINDS, RECIPIENT_RULES

__all__ = ["DESCRIPTOR", "descriptor", "descriptor_text", "main"]

DESCRIPTOR = DATA / "datapackage.json"
# The shared reference table has no loader of its own (data/csto_membership.csv is what the
# code reads); its columns, as the file has them.
MEMBERSHIP_REFERENCE_COLUMNS = ("state_iso3", "state", "event", "date", "note", "source")

ACTOR_ID = r"[A-Z][A-Z0-9_]*"
ID_LIST = rf"{ACTOR_ID}(;{ACTOR_ID})*"
ARTICLE_ID = r"[0-9a-f]{12}"
DATE = {"type": "date"}  # YYYY-MM-DD (Table Schema's default date format)
TEXT = {"type": "string"}
CC_BY = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


def _enum(values: object) -> dict:
    return {"type": "string", "constraints": {"enum": list(values)}}


def _pattern(pattern: str, **constraints: object) -> dict:
    return {"type": "string", "constraints": {"pattern": pattern, **constraints}}


def _required(field: dict) -> dict:
    return {**field, "constraints": {**field.get("constraints", {}), "required": True}}


def _number(low: float, high: float, kind: str = "number") -> dict:
    return {"type": kind, "constraints": {"minimum": low, "maximum": high}}


def _fields(columns: object, special: dict[str, dict], required: object = ()) -> list[dict]:
    """Table Schema fields for ``columns`` in file order; text unless ``special`` says."""
    fields = []
    for name in columns:
        field = {"name": name, **special.get(name, TEXT)}
        fields.append(_required(field) if name in required else field)
    return fields


def _key(fields: str | list[str], resource: str, reference: str | list[str]) -> dict:
    return {"fields": fields, "reference": {"resource": resource, "fields": reference}}


def _actor_fields() -> list[dict]:
    special = {
        "actor_id": _pattern(ACTOR_ID, unique=True),
        "kind": _enum(KINDS),
        "state_id": _pattern(ACTOR_ID),
        "wikidata_qid": _pattern(r"Q[1-9][0-9]*"),
        "cow_code": {
            **_number(1, 999, "integer"),
            "description": "Correlates of War state number (COW Country Codes); states only",
        },
        "capital_lat": _number(-90, 90),
        "capital_lon": _number(-180, 180),
    }
    required = ["actor_id", "kind", "name_en", "name_nl"]
    return _fields(ACTOR_COLUMNS, special, required)


def _alias_fields() -> list[dict]:
    special = {
        "actor_id": _pattern(ACTOR_ID),
        "alias_kind": _enum(ALIAS_KINDS),
        "language": _enum(LANGUAGES),
    }
    return _fields(ALIAS_COLUMNS, special, ["alias", "actor_id", "alias_kind", "language"])


def _event_fields() -> list[dict]:
    modes = sorted(set().union(*PLOVER_MODES.values()))
    special = {
        "article_id": _pattern(ARTICLE_ID),
        "event_id": _pattern(r"E[0-9]{2,}"),
        "actor_ids": {
            **_pattern(ID_LIST),
            "description": "';'-separated actor ids (each checked by load_events, not here)",
        },
        "recipient_ids": _pattern(ID_LIST),
        "plover_event_type": _enum(PLOVER_TYPES),
        "plover_mode": _enum(modes),
        "cameo_code": _enum(sorted(GOLDSTEIN)),
        "goldstein": _number(-10, 10),
        "quad_class": _enum(QUAD_CLASSES),
        "sign": {"type": "integer", "constraints": {"enum": [1, -1]}},
        "quote_start": _number(0, sys.maxsize, "integer"),
        "quote_end": _number(0, sys.maxsize, "integer"),
        "time_start": _number(0, sys.maxsize, "integer"),
        "time_end": _number(0, sys.maxsize, "integer"),
        "date_start": {**DATE, "constraints": {"minimum": "1900-01-01"}},
        "date_end": {**DATE, "constraints": {"minimum": "1900-01-01"}},
        "date_precision": _enum(PRECISIONS),
        "date_basis": _enum(BASES),
        "reference_fact_id": _pattern(r"F[0-9]{2,}"),
        "modality": _enum(MODALITIES),
    }
    return _fields(COLUMNS, special, EVENT_REQUIRED)


def _events_schema() -> dict:
    return {
        "fields": _event_fields(),
        "primaryKey": ["article_id", "event_id"],
        "foreignKeys": [
            _key("article_id", "articles", "article_id"),
            _key("reference_fact_id", "events_reference", "fact_id"),
        ],
    }


def _registry_fields() -> list[dict]:
    special = {
        "article_id": _pattern(ARTICLE_ID, unique=True),
        "sha256": _pattern(r"[0-9a-f]{64}", unique=True),
        "url": _pattern(r"https?://\S+"),
        "published": _pattern(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
        "published_precision": _enum(PUBLISHED_PRECISIONS),
        "language": _enum(ARTICLE_LANGUAGES),
        "words": _number(1, sys.maxsize, "integer"),
        "rights": {
            **_enum(RIGHTS),
            "description": "included: the text ships in data/raw/ for research quotation; "
            "not_redistributed: it does not ship",
        },
    }
    return _fields(REGISTRY_COLUMNS, special, REGISTRY_REQUIRED)


def _claim_fields() -> list[dict]:
    special = {
        "article_id": _pattern(ARTICLE_ID),
        "claim_id": _pattern(r"C[0-9]{2,}"),
        "kind": _enum(CLAIM_KINDS),
        "occurrence": _number(1, sys.maxsize, "integer"),
        "fact_ids": _pattern(r"F[0-9]{2,}(;F[0-9]{2,})*"),
        "event_ids": _pattern(r"E[0-9]{2,}(;E[0-9]{2,})*"),
        "point": _enum(POINTS),
        "count_on": DATE,
        "verdict": _enum(VERDICTS),
    }
    return _fields(CLAIM_COLUMNS, special, ["article_id", "claim_id", "kind", "quote_nl"])


def _table(name: str, path: str, title: str, schema: dict, **extra: object) -> dict:
    resource = {
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }
    return {**resource, **extra}


def _actor_tables() -> list[dict]:
    actors = {
        "fields": _actor_fields(),
        "primaryKey": ["actor_id"],
        "foreignKeys": [_key("state_id", "", "actor_id")],
    }
    world = {"fields": _actor_fields(), "primaryKey": ["actor_id"]}
    aliases = {
        "fields": _alias_fields(),
        "primaryKey": ["alias"],
        "foreignKeys": [_key("actor_id", "actors", "actor_id")],
    }
    membership = {
        "fields": _fields(
            MEMBERSHIP_COLUMNS,
            {"state_id": _pattern(ACTOR_ID), "event": _enum(MEMBERSHIP_EVENTS), "date": DATE},
            ["state_id", "event", "date", "source"],
        ),
        "primaryKey": ["state_id", "event", "date"],
        "foreignKeys": [_key("state_id", "actors", "actor_id")],
    }
    not_here = (
        "; its state_id and actor_id may name an actor of data/actors.csv or of this table, "
        "which a foreign key cannot say: helpers.actors.load_actors(world=True) checks them"
    )
    return [
        _table("actors", "actors.csv", "Actors (hand-coded)", actors),
        _table("aliases", "aliases.csv", "Aliases of the actors (hand-coded)", aliases),
        _table("csto_membership", "csto_membership.csv", "CSTO membership changes", membership),
        _table(
            "extra_actors",
            "gazetteer/extra_actors.csv",
            "World gazetteer: hand-coded extra actors",
            world,
            description="Source table of the world gazetteer" + not_here,
        ),
        _table(
            "extra_aliases",
            "gazetteer/extra_aliases.csv",
            "World gazetteer: hand-coded extra aliases",
            {"fields": _alias_fields(), "primaryKey": ["alias"]},
            description="Source table of the world gazetteer" + not_here,
        ),
        _table(
            "world_actors",
            "gazetteer/world_actors.csv",
            "World gazetteer: actors (generated by python -m helpers.gazetteer build)",
            world,
            description="Generated from CLDR (Unicode License) and GeoNames (CC BY 4.0) and "
            "the hand tables; cow_code is empty for the generated states" + not_here,
        ),
        _table(
            "world_aliases",
            "gazetteer/world_aliases.csv",
            "World gazetteer: aliases (generated)",
            {"fields": _alias_fields(), "primaryKey": ["alias"]},
            description="Generated with world_actors" + not_here,
        ),
    ]


def _gazetteer_sources() -> list[dict]:
    leaders = {
        "fields": _fields(
            LEADER_COLUMNS,
            {"actor_id": _pattern(ACTOR_ID), "state_id": _pattern(ACTOR_ID), "start": DATE}
            | {"end": DATE},
            ["actor_id", "state_id", "role", "start", "name_en", "name_nl"],
        ),
    }
    demonyms = {
        "fields": _fields(DEMONYM_COLUMNS, {"state_id": _pattern(ACTOR_ID)}, ["state_id"]),
        "primaryKey": ["state_id"],
    }
    skip = {"fields": _fields(SKIP_COLUMNS, {}, ["name"]), "primaryKey": ["name"]}
    return [
        _table("leaders", "gazetteer/leaders.csv", "World gazetteer: leaders 2020-2024", leaders),
        _table("demonyms", "gazetteer/demonyms.csv", "World gazetteer: demonyms", demonyms),
        _table("skip_names", "gazetteer/skip_names.csv", "World gazetteer: names left out", skip),
    ]


def _article_tables() -> list[dict]:
    registry = {"fields": _registry_fields(), "primaryKey": ["article_id"]}
    glosses = {
        "fields": _fields(
            GLOSS_COLUMNS,
            {"article_id": _pattern(ARTICLE_ID)},
            ["article_id", "text_nl", "gloss_en"],
        ),
        "primaryKey": ["article_id", "text_nl"],
        "foreignKeys": [_key("article_id", "articles", "article_id")],
    }
    return [
        _table(
            "articles",
            "articles.csv",
            "The article registry",
            registry,
            description="One row per article; the texts are not in this table. " + RIGHTS_STATEMENT,
        ),
        _table("events", "events.csv", "Coded events (PLOVER, CAMEO)", _events_schema()),
        _table("glosses_en", "glosses_en.csv", "English glosses", glosses),
    ]


def _reference_tables() -> list[dict]:
    reference = {
        "fields": _fields(
            REFERENCE_COLUMNS,
            {
                "fact_id": _pattern(r"F[0-9]{2,}", unique=True),
                "date_start": DATE,
                "date_end": DATE,
                "figure_role": _enum(FIGURE_ROLES),
            },
            ["fact_id", "statement_en", "date_start", "date_end", "source"],
        ),
        "primaryKey": ["fact_id"],
    }
    membership = {
        "fields": _fields(
            MEMBERSHIP_REFERENCE_COLUMNS,
            {"state_iso3": _pattern(r"[A-Z]{3}"), "event": _enum(MEMBERSHIP_EVENTS)}
            | {"date": DATE},
            ["state_iso3", "event", "date", "source"],
        )
    }
    claims = {
        "fields": _claim_fields(),
        "primaryKey": ["article_id", "claim_id"],
        "foreignKeys": [_key("article_id", "articles", "article_id")],
    }
    facts = "Facts gathered from public reporting, each row naming its source (not CC BY: "
    return [
        _table(
            "events_reference",
            "reference/events_reference.csv",
            "Reference facts: dated events",
            reference,
            description=facts + "the facts are the sources'; figure_label, figure_role ours)",
        ),
        _table(
            "csto_membership_reference",
            "reference/csto_membership_reference.csv",
            "Reference facts: Collective Security Treaty membership",
            membership,
            description=facts + "the source of csto_membership.csv)",
        ),
        _table("claims", "reference/claims.csv", "The articles' checkable claims", claims),
    ]


def _cue_tables() -> list[dict]:
    modes = sorted(set().union(*PLOVER_MODES.values()))
    fields = _fields(
        CUE_COLUMNS,
        {
            "kind": _enum(CUE_KINDS),
            "plover_event_type": _enum(PLOVER_TYPES),
            "plover_mode": _enum(modes),
            "cameo_code": _enum(sorted(GOLDSTEIN)),
            "actor": _enum(ACTOR_RULES),
            "recipient": _enum(RECIPIENT_RULES),
            "confidence": _number(0, 1),  # load_cues also refuses 0
        },
        ["kind", "pattern"],
    )
    return [
        _table(
            "cues",
            "cues.csv",
            "The Dutch cue lexicon of assisted coding (helpers.suggest)",
            {"fields": fields},
            description="Patterns are regular expressions checked by helpers.suggest.load_cues; "
            "event rows need a PLOVER type, CAMEO code, actor and recipient rule (checked there, "
            "not here)",
        )
    ]


def _exports() -> list[dict]:
    events = _events_schema()
    return [
        _table(
            "processed_events",
            "processed/events.csv",
            "Export: the validated events (written by the main job)",
            {**events, "foreignKeys": [_key("article_id", "articles", "article_id")]},
            description="Written by helpers.events.export_events; spreadsheet formula cells "
            "get a leading apostrophe (none today)",
        ),
    ]


def descriptor() -> dict:
    """The data package descriptor, built from the helpers' constants."""
    return {
        "profile": "tabular-data-package",
        "name": "csto-tensions",
        "title": "csto-tensions: actors, events and CSTO membership coded from news",
        "description": "The hand-coded tables of csto-tensions and the event export. Column "
        "meanings, sources and rules: data/README.md (the codebook). Generated by "
        "python -m helpers.datapackage build; do not edit by hand. " + RIGHTS_STATEMENT,
        "licenses": [CC_BY],
        "resources": [
            *_article_tables(),
            *_actor_tables(),
            *_gazetteer_sources(),
            *_reference_tables(),
            *_cue_tables(),
            *_exports(),
        ],
    }


def descriptor_text() -> str:
    """``descriptor()`` as the committed file holds it (2-space JSON, UTF-8, final newline)."""
    return json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``build`` writes ``data/datapackage.json``; ``check`` exits 1 when it is out of date."""
    args = sys.argv[1:] if argv is None else argv
    if args not in (["build"], ["check"]):
        print("usage: python -m helpers.datapackage build|check", file=sys.stderr)
        return 2
    text = descriptor_text()
    if args == ["build"]:
        write_text(DESCRIPTOR, text)
        print(f"wrote {DESCRIPTOR} ({len(descriptor()['resources'])} resources)")
        return 0
    current = DESCRIPTOR.read_text(encoding="utf-8") if DESCRIPTOR.exists() else ""
    if current == text:
        print(f"{DESCRIPTOR} is up to date")
        return 0
    print(f"{DESCRIPTOR} is out of date: run python -m helpers.datapackage build", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
