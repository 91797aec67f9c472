"""Issue 13: the Frictionless data package ``data/datapackage.json`` describes every table,
is what the helpers' constants give, validates with frictionless, and catches broken rows."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import validate

from helpers.actors import KINDS
from helpers.datapackage import DESCRIPTOR, descriptor, descriptor_text, main
from helpers.events import MODALITIES, PLOVER_TYPES, QUAD_CLASSES
from helpers.paths import DATA
from helpers.registry import RIGHTS

# Not described: the researcher's own texts and registry (git-ignored) and the main job's
# exports other than events.csv (events.jsonl is nested JSON; graphs are not tables).
UNDESCRIBED = ("private",)


def _resources() -> dict[str, dict]:
    return {r["name"]: r for r in descriptor()["resources"]}


def _enum(resource: str, field: str) -> list:
    fields = {f["name"]: f for f in _resources()[resource]["schema"]["fields"]}
    return fields[field]["constraints"]["enum"]


def test_the_committed_descriptor_is_what_the_helpers_give():
    """Edit the helpers' constants or helpers.datapackage, then run
    `python -m helpers.datapackage build`; never edit data/datapackage.json by hand."""
    assert DESCRIPTOR.read_text(encoding="utf-8") == descriptor_text()
    assert main(["check"]) == 0


def test_every_csv_under_data_is_described():
    """A table added later (e.g. data/cues.csv) fails here until the package describes it."""
    described = {r["path"] for r in descriptor()["resources"]}
    tables = {
        path.relative_to(DATA).as_posix()
        for path in DATA.rglob("*")
        if path.suffix.lower() == ".csv" and path.relative_to(DATA).parts[0] not in UNDESCRIBED
    }
    processed = {t for t in tables if t.startswith("processed/")}
    assert processed == {"processed/events.csv"}
    assert tables - described == set(), "describe these tables in helpers.datapackage"
    assert described - tables == set(), "the package names tables that do not exist"


def test_allowed_values_are_the_helpers_constants():
    assert _enum("actors", "kind") == list(KINDS)
    assert _enum("events", "plover_event_type") == list(PLOVER_TYPES)
    assert _enum("events", "modality") == list(MODALITIES)
    assert _enum("events", "quad_class") == list(QUAD_CLASSES)
    assert _enum("articles", "rights") == list(RIGHTS)


def test_the_codebook_names_every_allowed_value_of_the_schema():
    """The codebook (data/README.md) and the schema list the same values; CAMEO codes are the
    table in helpers.events.GOLDSTEIN, which the codebook cites instead of listing."""
    codebook = (DATA / "README.md").read_text(encoding="utf-8")
    words = set(re.findall(r"[\w-]+", codebook))
    words |= set(re.findall(r"`([^`]+)`", codebook.replace("\\|", "|")))  # `subject|context`
    missing = {}
    for resource in descriptor()["resources"]:
        for field in resource["schema"]["fields"]:
            enum = field.get("constraints", {}).get("enum", [])
            if field["name"] in ("cameo_code", "sign"):
                continue
            absent = [v for v in enum if str(v) not in words]
            if absent:
                missing[f"{resource['name']}.{field['name']}"] = absent
    assert missing == {}


def test_frictionless_validate_passes_on_the_committed_data():
    """The command the issue names, as a user runs it (no network: everything is local)."""
    command = [sys.executable, "-m", "frictionless", "validate", "datapackage.json"]
    result = subprocess.run(command, cwd=DATA, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "INVALID" not in result.stdout


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (``row`` counts records, 1 = the first under the header)."""
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[row][records[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _append_copy_of_row(path: Path, row: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[row]]), encoding="utf-8")


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """frictionless' errors on a copy of data/ with one broken row per kind of check."""
    copy = tmp_path_factory.mktemp("package") / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("private", "geo"))
    _edit(copy / "events.csv", 1, "plover_event_type", "HUG")  # not an allowed value
    _edit(copy / "events.csv", 2, "goldstein", "12.5")  # out of range
    _edit(copy / "events.csv", 3, "date_start", "23/11/2022")  # not a date
    _edit(copy / "events.csv", 4, "article_id", "0123456789ab")  # no such article
    _append_copy_of_row(copy / "events.csv", 5)  # (article_id, event_id) twice
    _edit(copy / "aliases.csv", 2, "actor_id", "NOBODY")  # no such actor
    _edit(copy / "actors.csv", 3, "state_id", "XYZ")  # no such state (same table)
    _edit(copy / "actors.csv", 1, "cow_code", "3650")  # not a COW number
    _edit(copy / "csto_membership.csv", 1, "event", "joined")
    _edit(copy / "articles.csv", 1, "rights", "public_domain")
    report = validate(copy / "datapackage.json")
    assert not report.valid
    return [
        (task.name, error.type, getattr(error, "row_number", None), getattr(error, "note", ""))
        for task in report.tasks
        for error in task.errors
    ]


@pytest.mark.parametrize(
    ("table", "kind", "row", "words"),
    [
        ("events", "constraint-error", 2, 'constraint "enum"'),
        ("events", "constraint-error", 3, 'constraint "maximum" is "10"'),
        ("events", "type-error", 4, 'type is "date/default"'),
        ("events", "foreign-key", 5, '"0123456789ab" not found in the lookup table "articles"'),
        ("events", "primary-key", None, "the same as in the row at position 6"),
        ("aliases", "foreign-key", 3, '"NOBODY" not found in the lookup table "actors"'),
        ("actors", "foreign-key", 4, '"XYZ" not found'),
        ("actors", "constraint-error", 2, 'constraint "maximum" is "999"'),
        ("csto_membership", "constraint-error", 2, 'constraint "enum"'),
        ("articles", "constraint-error", 2, 'constraint "enum"'),
    ],
)
def test_a_broken_row_is_caught_by_frictionless(broken_report, table, kind, row, words):
    if row is None:  # the appended copy: the last row of the file
        row = len((DATA / f"{table}.csv").read_text(encoding="utf-8").splitlines()) + 1
    found = [e for e in broken_report if e[:3] == (table, kind, row)]
    assert found, f"{table} row {row}: no {kind} in {broken_report}"
    assert any(words in note for *_, note in found), found


def test_nothing_else_is_reported_on_the_broken_copy(broken_report):
    """Each break gives its own error and no table was broken by the copying itself."""
    tables = {name for name, *_ in broken_report}
    assert tables == {"events", "aliases", "actors", "csto_membership", "articles"}
    assert len(broken_report) == 10, json.dumps(broken_report, indent=1)
