"""English glosses of the articles' Dutch text (and of their registry titles), kept as data in
data/glosses_en.csv, keyed by ``(article_id, text_nl)``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from helpers.article import Article
from helpers.paths import DATA
from helpers.tables import DataError, check_required, check_unique, read_table

GLOSSES = DATA / "glosses_en.csv"
COLUMNS = ["article_id", "text_nl", "gloss_en", "note"]
NO_GLOSS = "(no English gloss yet)"
_ARTICLE_ID = re.compile(r"[0-9a-f]{12}")


def load_glosses(path: str | Path = GLOSSES) -> pd.DataFrame:
    """The gloss table indexed by ``(article_id, text_nl)`` (the exact Dutch text); no
    duplicate key, no empty gloss, article ids of 12 hex digits, else :class:`DataError`
    naming the file, row and column."""
    table = read_table(path, COLUMNS)
    check_required(table, ["article_id", "text_nl", "gloss_en"], path)
    for record in table.to_dict("records"):
        if _ARTICLE_ID.fullmatch(record["article_id"]) is None:
            problem = f"{record['article_id']!r} is not an article id (12 hex digits)"
            raise DataError(path, record["_row"], "article_id", problem)
    check_unique(table, ["article_id", "text_nl"], path)
    table = table.set_index(["article_id", "text_nl"])
    table.attrs["path"] = str(path)
    return table


def with_gloss(
    frame: pd.DataFrame,
    glosses: pd.DataFrame,
    article_id: str | None = None,
    text_column: str = "text",
) -> pd.DataFrame:
    """``frame`` with ``gloss_en``, ``gloss_note`` and ``glossed`` (True where the table has a
    gloss) for the Dutch texts in ``text_column``. Each row's article is the frame's own
    ``article_id`` column, or else ``article_id``. A text without a gloss is not an error: its
    gloss reads :data:`NO_GLOSS` ("(no English gloss yet)"), and :func:`gloss_coverage`
    counts it."""
    if "article_id" in frame.columns:
        ids = list(frame["article_id"])
    elif article_id is not None:
        ids = [article_id] * len(frame)
    else:
        raise ValueError("with_gloss: pass article_id, or give the frame an article_id column")
    found = glosses[["gloss_en", "note"]].to_dict("index")
    keys = list(zip(ids, frame[text_column], strict=True))
    out = frame.copy()
    out["gloss_en"] = [found[k]["gloss_en"] if k in found else NO_GLOSS for k in keys]
    out["gloss_note"] = [found[k]["note"] if k in found else "" for k in keys]
    out["glossed"] = [k in found for k in keys]
    return out


def gloss_coverage(glossed: pd.DataFrame, what: str = "blocks", column: str = "glossed") -> str:
    """``"13 of 13 blocks glossed"`` for a frame from :func:`with_gloss` (or from a function
    that keeps its flag under another ``column``, e.g. ``title_glossed``)."""
    return f"{int(glossed[column].sum())} of {len(glossed)} {what} glossed"


def check_glosses_belong(
    glosses: pd.DataFrame, articles: Iterable[Article], registry: pd.DataFrame
) -> int:
    """Check that every gloss of an article whose text is in ``articles`` glosses that
    article: its ``text_nl`` occurs in the article's raw text, or is the article's title in
    ``registry`` (a title is not part of the text). A gloss of an article whose text is not
    here cannot be checked and is skipped. Returns how many glosses were checked; a stray
    gloss raises :class:`DataError` naming the gloss table, its row and ``text_nl``."""
    raw = {article.id: article.raw for article in articles}
    titles = dict(zip(registry["article_id"], registry["title"], strict=True))
    checked = 0
    for (article_id, text), row in zip(glosses.index, glosses["_row"], strict=True):
        if article_id not in raw:
            continue
        checked += 1
        if text not in raw[article_id] and text != titles.get(article_id):
            problem = f"{text!r} is neither in the text of article {article_id} nor its title"
            raise DataError(glosses.attrs.get("path", "glosses"), row, "text_nl", problem)
    return checked
