"""Fixtures shared by the test modules: the article and its coded events, loaded once; a copy
of the project for running the notebooks on other inputs."""

from __future__ import annotations

import shutil

import pytest

from helpers.article import load_article
from helpers.events import load_events
from helpers.paths import ARTICLE, OUTPUT_ENV, ROOT


@pytest.fixture(scope="session")
def article():
    return load_article(ARTICLE)


@pytest.fixture(scope="session")
def events(article):
    return load_events(article=article)


@pytest.fixture
def project_copy(tmp_path, monkeypatch):
    """A copy of the project (src/, data/, notebooks/ and an empty figures/) in tmp_path, whose
    own helpers every notebook kernel started by this test imports (its src/ comes first on
    PYTHONPATH). helpers.paths finds the repository above its package, so notebooks executed
    there read the copy's data/ and write the copy's figures/ and data/processed/: change an
    input of the copy, execute its notebooks, and the checkout stays as it is."""
    copy = tmp_path / "project"
    for folder in ("src", "data", "notebooks"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "figures").mkdir()
    monkeypatch.setenv("PYTHONPATH", str(copy / "src"))
    monkeypatch.setenv(OUTPUT_ENV, str(copy))  # the test command sends outputs elsewhere
    return copy
