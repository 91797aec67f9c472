"""Fixtures shared by the test modules: the article and its coded events, loaded once; a copy
of the project for running the notebooks on other inputs; a registry holding the invented test
corpus (tests/invented_corpus/)."""

from __future__ import annotations

import shutil

import pytest

from helpers.article import load_article
from helpers.events import load_events
from helpers.paths import ARTICLE, OUTPUT_ENV, REGISTRY, ROOT
from helpers.registry import main as registry_command

CORPUS = ROOT / "tests" / "invented_corpus"
# The invented articles, with the outlet and title each is registered with (both invented).
INVENTED = {
    "invented_01_jerevan-top.txt": ("Verzonnen Dagblad", "Jerevan ontvangt de CSTO"),
    "invented_02_jerevan-verslag.txt": ("Verzonnen Weekblad", "Armenië zet CSTO-top op scherp"),
    "invented_03_sint-petersburg.txt": ("Verzonnen Dagblad", "Tokajev zegt nee in Sint-Petersburg"),
    "invented_04_kazachstan.txt": ("Testkrant", "CSTO-troepen in Kazachstan"),
    "invented_05_grens.txt": ("Testkrant", "Gevechten aan de Armeens-Azerbeidzjaanse grens"),
}


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


@pytest.fixture
def corpus_registry(tmp_path):
    """A copy of data/articles.csv (the committed one is never written by tests) to which each
    invented article of tests/invented_corpus/ was added with the add command; its path."""
    registry = tmp_path / "articles.csv"
    shutil.copyfile(REGISTRY, registry)
    for name, (outlet, title) in INVENTED.items():
        args = ["add", str(CORPUS / name), "--outlet", outlet, "--title", title]
        assert registry_command([*args, "--registry", str(registry)]) == 0
    return registry
