"""The pins agree: pyproject.toml, requirements.lock and environment.yml."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement

from helpers.paths import ROOT


def lock_versions() -> dict[str, str]:
    """Package -> version for the lock's lines that apply to Python 3.11 (the minimum)."""
    versions = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;]+)\s*(?:;\s*(.*))?$", line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and "python_full_version >=" in marker:
            continue
        versions[name.lower()] = version
    return versions


def conda_pins() -> dict[str, str]:
    spec = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert spec["channels"] == ["conda-forge"]
    pins = {}
    for entry in spec["dependencies"]:
        if isinstance(entry, str) and "=" in entry:
            name, version = entry.split("=", 1)
            pins[name.lower()] = version
    return pins


def direct_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return [Requirement(n).name.lower() for n in names]


def test_every_direct_dependency_is_locked_and_in_environment_yml():
    lock, conda = lock_versions(), conda_pins()
    for name in direct_dependencies():
        assert name in lock, f"{name} is in pyproject.toml but not in requirements.lock"
        assert name in conda, f"{name} is in pyproject.toml but not in environment.yml"


def test_environment_yml_versions_match_the_lock():
    lock, conda = lock_versions(), conda_pins()
    python = conda.pop("python")
    assert python == "3.11"
    drift = {n: (v, lock.get(n)) for n, v in conda.items() if lock.get(n) != v}
    assert not drift, f"environment.yml (left) differs from requirements.lock (right): {drift}"


def test_lock_pins_exact_versions_only():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    requirements = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    assert requirements and all("==" in line for line in requirements)
