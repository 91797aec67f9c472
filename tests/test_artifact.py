"""Issue 13: a research artifact others can cite, reuse and open: licences and rights, the
citation file, the version in one place, the changelog and the Binder configuration."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import yaml

from helpers.events import JSONL_EXTENSIONS, event_records
from helpers.paths import ROOT
from helpers.registry import RIGHTS_STATEMENT

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _flat(text: str) -> str:
    """``text`` with markdown quote marks dropped and every run of white space one space."""
    return " ".join(re.sub(r"^\s*>", "", text, flags=re.MULTILINE).split())


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


# --- licences and rights --------------------------------------------------------------------


def test_the_code_licence_is_the_mit_licence_pyproject_declares():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert _project()["license"] == {"text": "MIT"}
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the csto-tensions authors\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_the_data_licence_names_cc_by_its_address_and_the_attribution_line():
    text = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in text
    assert CC_BY in text
    assert "csto-tensions data, (c) 2026 the csto-tensions authors, CC BY 4.0" in text
    assert RIGHTS_STATEMENT in _flat(text)


def test_readme_and_codebook_name_both_licences_and_state_the_rights_line():
    for name in ("README.md", "data/README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for needed in ("`LICENSE`", "`LICENSE-DATA`", "CC BY 4.0", CC_BY, "MIT"):
            assert needed in text, f"{name} does not mention {needed}"
        assert RIGHTS_STATEMENT in _flat(text), f"{name} lacks the rights line"


# --- citation, version, changelog -----------------------------------------------------------

CFF_SCHEMA = ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json"


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def cff_errors(citation: dict) -> list[str]:
    """What is wrong with ``citation`` by the CFF 1.2.0 schema (vendored: no network)."""
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator.iter_errors(citation)
    ]


def test_the_vendored_schema_is_cff_1_2_0():
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert set(schema["required"]) == {"authors", "cff-version", "message", "title"}


def test_citation_cff_is_valid_against_the_cff_1_2_0_schema():
    citation = _citation()
    assert citation["cff-version"] == "1.2.0"
    assert cff_errors(citation) == []


def test_the_cff_check_catches_a_broken_citation():
    """The check can fail: no authors, a licence that is not an SPDX id, a bad address."""
    citation = _citation()
    del citation["authors"]
    citation["license"] = "MIT-ish"
    citation["references"][0]["url"] = "not an address"
    errors = cff_errors(citation)
    assert any("'authors' is a required property" in e for e in errors), errors
    assert any(e.startswith("license:") for e in errors), errors
    assert any(e.startswith("references/0/url:") for e in errors), errors


def test_the_version_lives_in_pyproject_and_citation_cff_repeats_it():
    version = _project()["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert str(_citation()["version"]) == version
    assert set(_citation()["license"]) == {"MIT", "CC-BY-4.0"}


def test_the_changelog_keeps_a_changelog_and_names_the_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "keepachangelog.com" in text
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert headings and headings[0] in ("Unreleased", _project()["version"])
    assert f"Version {_project()['version']}" in text or headings[0] == _project()["version"]
    for section in re.findall(r"^### (.+)$", text, flags=re.MULTILINE):
        assert section in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
    for issue in ("issue 10", "issue 11", "issue 12", "issue 13"):
        assert issue in text


# --- PLOVER field names in the JSONL export -------------------------------------------------

PLOVER = json.loads((ROOT / "tests" / "schemas" / "plover_fields.json").read_text("utf-8"))


def plover_problems(record: dict) -> list[str]:
    """Keys of one exported record that are neither PLOVER fields (of the record, or of its
    actor, text and citation objects) nor documented project extensions; wrong shapes."""
    problems = [f"{k}: not a PLOVER field nor an extension" for k in record if k not in ALLOWED]
    problems += [f"{k}: required by PLOVER" for k in PLOVER["required"] if k not in record]
    problems += [f"{k}: PLOVER wants a list" for k in PLOVER["lists"] if k in record and not
                 isinstance(record[k], list)]  # fmt: skip
    for actor in [*record.get("source", []), *record.get("recipient", [])]:
        problems += [
            f"actor {k}: not a PLOVER actor field" for k in actor if k not in PLOVER["actor"]
        ]
    for name in ("text_info", "cite_info"):
        problems += [f"{name} {k}: not a PLOVER field" for k in record.get(name, {})
                     if k not in PLOVER[name]]  # fmt: skip
    return problems


ALLOWED = set(PLOVER["record"]) | set(JSONL_EXTENSIONS)


def test_the_vendored_plover_field_list_names_its_source():
    assert PLOVER["source"]["repository"] == "https://github.com/openeventdata/PLOVER"
    assert re.fullmatch(r"[0-9a-f]{40}", PLOVER["source"]["commit"])
    assert {"id", "date", "source", "recipient", "event", "mode", "context"} <= set(
        PLOVER["record"]
    )


def test_every_key_of_the_jsonl_export_is_a_plover_field_or_a_documented_extension():
    lines = (ROOT / "data" / "processed" / "events.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records
    for record in records:
        assert plover_problems(record) == [], record["id"]
    assert not set(JSONL_EXTENSIONS) & set(PLOVER["record"]), "an extension shadows a field"
    used = {key for record in records for key in record}
    assert set(JSONL_EXTENSIONS) <= used, "an extension is listed but never exported"
    codebook = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    start = codebook.index("* `events.jsonl`")
    section = codebook[start : codebook.index("\n\n", start)]
    for key in [*PLOVER["required"], *JSONL_EXTENSIONS]:
        assert f"`{key}`" in section, f"the codebook does not describe the JSONL key {key}"


def test_the_plover_check_catches_the_old_field_names(events):
    """The export before issue 13 used event_date, actor and event_type: caught."""
    record = event_records(events)[0]
    old = {**record, "event_date": record["date"], "actor": record["source"]}
    old["event_type"] = record["event"][0]
    for key in ("date", "source", "event"):
        del old[key]
    problems = plover_problems(old)
    for key in ("event_date", "actor", "event_type"):
        assert f"{key}: not a PLOVER field nor an extension" in problems
    assert "source: required by PLOVER" in problems
    assert plover_problems({**record, "event_text": "a string"}) == [
        "event_text: PLOVER wants a list"
    ]


# --- Binder -----------------------------------------------------------------------------------

BINDER = ROOT / ".binder"
BADGE = re.compile(
    r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]"
    r"\((https://mybinder\.org/v2/gh/[^/\s]+/csto-tensions/HEAD\?urlpath=lab)\)"
)


def pins(path: Path) -> list[str]:
    """The requirement lines of a pip requirements file (comments and blank lines dropped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_binder_installs_the_same_pins_as_the_lock():
    lock, binder = pins(ROOT / "requirements.lock"), pins(BINDER / "requirements.txt")
    assert binder == lock, "regenerate .binder/requirements.txt (command in its header)"
    assert all(re.match(r"^[A-Za-z0-9_.-]+==\S+", line) for line in binder)


def test_binder_installs_the_package_after_the_pins_on_python_3_11():
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8") == "python-3.11\n"
    post_build = BINDER / "postBuild"
    text = post_build.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    assert pins(post_build)[-1] == "pip install --no-deps -e ."
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    # repo2docker reads .binder/ instead of the root: environment.yml stays for conda users
    assert not (BINDER / "environment.yml").exists() and (ROOT / "environment.yml").exists()


def test_readme_has_a_binder_badge_that_opens_jupyterlab():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = BADGE.search(readme)
    assert match, "README: [![Binder](https://mybinder.org/badge_logo.svg)](...?urlpath=lab)"
    # The repository's public address is not known here: the README says what to replace.
    assert "OWNER" not in match.group(1) or "replace `OWNER`" in readme
