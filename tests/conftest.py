"""Fixtures shared by the test modules: the article and its coded events, loaded once."""

from __future__ import annotations

import pytest

from helpers.article import load_article
from helpers.events import load_events
from helpers.paths import ARTICLE


@pytest.fixture(scope="session")
def article():
    return load_article(ARTICLE)


@pytest.fixture(scope="session")
def events(article):
    return load_events(article=article)
