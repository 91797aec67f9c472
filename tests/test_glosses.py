"""Glosses keyed by article (issue 11 item 8): a text without a gloss is shown and counted,
never an error."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from helpers.article import blocks_table, quotes_table
from helpers.glosses import (
    GLOSSES,
    NO_GLOSS,
    check_glosses_belong,
    gloss_coverage,
    load_glosses,
    with_gloss,
)
from helpers.registry import load_registry
from helpers.tables import DataError


@pytest.fixture(scope="module")
def glosses():
    return load_glosses()


def test_every_block_and_quotation_of_the_seed_article_is_glossed(article, glosses):
    blocks = with_gloss(blocks_table(article), glosses, article.id)
    quotes = with_gloss(quotes_table(article), glosses, article.id)
    assert (
        gloss_coverage(blocks) == f"{len(article.blocks)} of {len(article.blocks)} blocks glossed"
    )
    assert gloss_coverage(quotes, "quotations") == "5 of 5 quotations glossed"
    assert blocks["glossed"].all() and NO_GLOSS not in set(blocks["gloss_en"])


def test_a_text_without_a_gloss_shows_that_and_is_counted(article, glosses):
    frame = pd.DataFrame({"text": [article.blocks[0].text, "Een nieuwe alinea."]})
    out = with_gloss(frame, glosses, article.id)
    assert list(out["gloss_en"])[1] == NO_GLOSS == "(no English gloss yet)"
    assert list(out["glossed"]) == [True, False] and list(out["gloss_note"])[1] == ""
    assert out.loc[0, "gloss_en"].startswith("With its war in Ukraine")
    assert gloss_coverage(out) == "1 of 2 blocks glossed"


def test_glosses_belong_to_their_article(article, glosses):
    """The same Dutch text in another article has no gloss until that article's row exists."""
    text = article.blocks[0].text
    other = with_gloss(pd.DataFrame({"text": [text]}), glosses, "074cb49838e6")
    assert list(other["glossed"]) == [False]
    mixed = pd.DataFrame({"article_id": [article.id, "074cb49838e6"], "text": [text, text]})
    assert list(with_gloss(mixed, glosses)["glossed"]) == [True, False]
    with pytest.raises(ValueError, match="article_id"):
        with_gloss(pd.DataFrame({"text": [text]}), glosses)


def test_no_texts_no_glosses(glosses):
    out = with_gloss(pd.DataFrame({"text": []}), glosses, "39a6002ab68b")
    assert out.empty and gloss_coverage(out) == "0 of 0 blocks glossed"


def test_every_shipped_gloss_glosses_text_or_the_title_of_its_article(article, glosses):
    registry = load_registry()
    assert check_glosses_belong(glosses, [article], registry) == len(glosses)
    title = registry.set_index("article_id").loc[article.id, "title"]
    assert title not in article.raw  # so the title's gloss passes as the title, not as text
    assert (article.id, title) in glosses.index


def test_a_stray_gloss_is_still_rejected(article, tmp_path):
    """An invented gloss whose Dutch text is neither in the article nor its title."""
    path = tmp_path / "glosses.csv"
    shipped = GLOSSES.read_text(encoding="utf-8")
    path.write_text(shipped + f"{article.id},Een zin die nergens staat,A stray sentence,\n")
    row = shipped.count("\n") + 1
    glosses = load_glosses(path)
    with pytest.raises(DataError, match=re.escape(f"{path}, row {row}, column 'text_nl': ")):
        check_glosses_belong(glosses, [article], load_registry())
    # the seed's title glossed under another article is stray there (its text is here)
    other = dataclasses.replace(article, id="074cb49838e6")
    registry = pd.DataFrame({"article_id": ["074cb49838e6"], "title": ["Een andere titel"]})
    moved = glosses.rename(index={article.id: "074cb49838e6"}, level="article_id")
    with pytest.raises(DataError, match="Poetins gezag"):
        check_glosses_belong(moved, [other], registry)


def test_glosses_of_an_article_whose_text_is_not_here_are_skipped(glosses):
    registry = load_registry()
    assert check_glosses_belong(glosses, [], registry) == 0
