"""Where the corpus's texts live, and loading the registered articles whose text is here.

Texts that the collection may ship are in ``data/raw/``; a researcher's own texts stay in folders
of their own: ``data/private/`` (git-ignored) by default, or any folders given. A registered
article's text is found by its file name, else by its content (sha256) under any name, in
``data/raw/`` first and then in the corpus folders in the order given. Files are opened
read-only and never modified, moved or copied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from helpers.article import Article, ArticleError, corpus_files, load_article
from helpers.paths import PRIVATE, RAW
from helpers.registry import load_registry
from helpers.tables import DataError

__all__ = [
    "DEFAULT_CORPUS",
    "CorpusTexts",
    "find_texts",
    "load_corpus_articles",
    "registry_of",
    "select_articles",
    "text_files",
]

DEFAULT_CORPUS = (PRIVATE,)
NOT_AVAILABLE = "text not available"


class CorpusTexts(NamedTuple):
    """What :func:`load_corpus_articles` found: the parsed articles whose text is here (in
    registry order), and the registry rows of those whose text is not, with a ``reason``."""

    articles: list[Article]
    missing: pd.DataFrame


def registry_of(registry: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    """The registry itself when a table is given, else :func:`helpers.registry.load_registry`
    of the path (``None``: ``data/articles.csv``)."""
    return registry if isinstance(registry, pd.DataFrame) else load_registry(registry)


def text_files(folder: str | Path) -> list[Path]:
    """The article files of one folder (:func:`helpers.article.corpus_files`: names ending in
    ``.txt`` in any case, hidden ones skipped) that are regular files, sorted by name."""
    return [path for path in corpus_files(folder)[0] if path.is_file()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # read-only
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _folders(corpus_dirs: Iterable[str | Path] | None) -> list[Path]:
    """data/raw/ and the corpus folders; an explicitly given folder must exist, the default
    data/private/ may not (nothing of the researcher's is there yet)."""
    folders = [RAW]
    if corpus_dirs is None:
        return folders + [folder for folder in DEFAULT_CORPUS if folder.is_dir()]
    for folder in map(Path, corpus_dirs):
        if not folder.is_dir():
            raise ArticleError(folder, 0, "corpus folder not found (or not a folder)")
        folders.append(folder)
    return folders


def find_texts(
    registry: pd.DataFrame, corpus_dirs: Iterable[str | Path] | None = None
) -> tuple[dict[str, Path], dict[str, str]]:
    """Locate the registered texts: ``({article_id: path}, {article_id: reason not found})``.

    In each folder (``data/raw/``, then ``corpus_dirs``, default ``data/private/``) the file of
    the registered name is taken when its sha256 is the registered one; a text not found so is
    then looked for under any name among each folder's article files (:func:`text_files`).
    """
    folders = _folders(corpus_dirs)
    wanted = dict(zip(registry["sha256"], registry["article_id"], strict=True))
    names = dict(zip(registry["article_id"], registry["file"], strict=True))
    found: dict[str, Path] = {}
    differs: dict[str, Path] = {}
    for folder in folders:
        for sha, article_id in wanted.items():
            candidate = folder / names[article_id]
            if article_id in found or not candidate.is_file():
                continue
            if _sha256(candidate) == sha:
                found[article_id] = candidate
            else:
                differs.setdefault(article_id, candidate)
    if len(found) < len(wanted):
        for folder in folders:
            for path in text_files(folder):
                article_id = wanted.get(_sha256(path))
                if article_id is not None and article_id not in found:
                    found[article_id] = path
    searched = ", ".join(str(f) for f in folders)
    reasons = {}
    for article_id in wanted.values():
        if article_id in found:
            continue
        reasons[article_id] = f"{NOT_AVAILABLE}: no file with its sha256 in {searched}"
        if article_id in differs:
            reasons[article_id] += f" ({differs[article_id]} has its name but other content)"
    return found, reasons


def select_articles(registry: pd.DataFrame, articles: Sequence[str] | None) -> pd.DataFrame:
    """The registry rows of ``articles`` in the order given (``None``: every row, in registry
    order). An id the registry does not hold raises :class:`~helpers.tables.DataError`."""
    if articles is None:
        return registry
    known = set(registry["article_id"])
    for article_id in articles:
        if article_id not in known:
            path = registry.attrs.get("path", "the registry")
            raise DataError(path, None, "article_id", f"{article_id!r} is not registered")
    rows = registry.set_index("article_id", drop=False).loc[list(dict.fromkeys(articles))]
    chosen = rows.reset_index(drop=True)
    chosen.attrs = dict(registry.attrs)
    return chosen


def _check_published(loaded: list[Article], table: pd.DataFrame) -> None:
    """The registry's ``published`` is what each text's date line says (an edited registry
    would otherwise date the rows of an absent text differently from those of a present one)."""
    published = dict(zip(table["article_id"], table["published"], strict=True))
    for article in loaded:
        if article.date != published[article.id]:
            raise DataError(
                table.attrs.get("path", "the registry"),
                None,
                "published",
                f"article {article.id}: {published[article.id]!r}, but its text "
                f"{article.path} says {article.date!r}",
            )


def load_corpus_articles(
    corpus_dirs: Iterable[str | Path] | None = None,
    articles: Sequence[str] | None = None,
    registry: pd.DataFrame | str | Path | None = None,
) -> CorpusTexts:
    """Parse the registered articles whose text is found (see :func:`find_texts`).

    ``articles``: the ids to load (default: every registered article; an id not in the registry
    raises :class:`~helpers.tables.DataError`). ``registry``: the table or its path (default
    ``data/articles.csv``). Articles whose text is not here are not an error: they come back in
    ``missing`` (their registry rows plus ``reason``), so that their coded events can still be
    kept and counted (``helpers.events.load_events``).
    """
    table = select_articles(registry_of(registry), articles)
    paths, reasons = find_texts(table, corpus_dirs)
    loaded = [load_article(paths[i]) for i in table["article_id"] if i in paths]
    _check_published(loaded, table)
    missing = table[~table["article_id"].isin(set(paths))].copy()
    missing["reason"] = [reasons[i] for i in missing["article_id"]]
    return CorpusTexts(loaded, missing.reset_index(drop=True))
