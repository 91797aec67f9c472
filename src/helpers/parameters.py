"""The notebooks' parameters: which articles, texts and tables a notebook reads, and where it
writes.

Every notebook starts with a code cell tagged ``parameters`` (the papermill convention) that
sets the names of :data:`DEFAULTS`; ``python3 tasks.py run --corpus DIR ...`` runs the notebooks
with other values, injected in a cell tagged ``injected-parameters`` right after it (see
:func:`helpers.execute.inject_parameters`). The notebook's next cell turns the values into a
:class:`Setting`::

    setting = Setting.of(corpus, articles, registry, events, out)
    texts = setting.texts()

The defaults give the committed collection: the registry ``data/articles.csv``, the events
``data/events.csv`` and only the texts the collection ships (``data/raw/``). A researcher's
``data/private/`` is then *not* searched, so that the committed outputs depend on committed
files only; their own texts are analysed by passing their folder as the corpus.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.article import Article
from helpers.corpus import CorpusTexts, load_corpus_articles, select_articles
from helpers.events import EVENTS, load_events
from helpers.paths import REGISTRY, ROOT, output_root
from helpers.registry import load_registry
from helpers.tables import DataError

__all__ = [
    "ALL",
    "DEFAULTS",
    "PARAMETER_NAMES",
    "Setting",
    "parameter_values",
    "settle_imports",
]

ALL = "all"  # the value of ``articles`` that selects every registered article
# The parameters every notebook's ``parameters`` cell sets, with their default values.
DEFAULTS: dict[str, object] = {
    "corpus": [],
    "articles": ALL,
    "registry": None,
    "events": None,
    "out": None,
}
PARAMETER_NAMES = tuple(DEFAULTS)


def _article_ids(articles: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``None`` for every article ("all" or None); else the ids, in the order given."""
    if articles is None or articles == ALL:
        return None
    if isinstance(articles, str):
        raise ValueError(f"articles: {articles!r} is neither {ALL!r} nor a list of article ids")
    ids = tuple(str(a) for a in articles)
    if not ids:
        raise ValueError(f"articles: an empty list selects nothing; use {ALL!r} for every article")
    return ids


def _path(value: str | Path) -> Path:
    """A path parameter: relative paths are taken from the repository (the kernel itself runs
    in ``notebooks/``)."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def _output_root(out: str | Path | None) -> Path:
    """Where outputs go: a run's staging folder (``$CSTO_OUTPUT``, which tasks.py run moves
    into ``out`` at the end, all or nothing), else ``out``, else the repository."""
    staged = output_root(ROOT)
    if staged != ROOT:
        return staged
    return _path(out).resolve() if out is not None else ROOT


@functools.cache
def settle_imports() -> None:
    """Put every object alive now out of the garbage collector's way for the rest of the
    process (:func:`gc.freeze`), once: called by :meth:`Setting.of`, the first thing each
    notebook does after its imports, so that the imported modules (their functions, classes
    and tables, which live as long as the kernel anyway) are not walked again by every full
    collection. In a notebook's kernel the first full collection otherwise costs about 0.15 s
    of CPU (measured 2026-12-02). Objects made later are collected as usual."""
    gc.freeze()


@dataclass(frozen=True)
class Setting:
    """What a notebook reads and where it writes, from the values of its parameters."""

    corpus: tuple[Path, ...]  # folders searched for texts after data/raw/
    articles: tuple[str, ...] | None  # the selected ids in order (None: every one)
    registry: pd.DataFrame  # the selected registry rows, in the order of ``articles``
    full_registry: pd.DataFrame  # every registered article (the events table may name any)
    events_path: Path  # the coded events table
    out: Path  # the output root: figures/ and data/processed/ are written under it

    @classmethod
    def of(
        cls,
        corpus: Sequence[str | Path] | None = (),
        articles: str | Sequence[str] | None = ALL,
        registry: str | Path | None = None,
        events: str | Path | None = None,
        out: str | Path | None = None,
    ) -> Setting:
        """The setting of a notebook's parameters (see :data:`DEFAULTS`). Raises
        :class:`~helpers.tables.DataError` for an unreadable registry or an id it does not
        hold, ``ValueError`` for a value of the wrong kind. The first call in a process also
        :func:`settles the imports <settle_imports>` made so far."""
        settle_imports()
        if isinstance(corpus, str | Path):
            raise ValueError(f"corpus: give a list of folders, e.g. [{str(corpus)!r}]")
        ids = _article_ids(articles)
        table = load_registry(_path(registry) if registry is not None else REGISTRY)
        return cls(
            corpus=tuple(_path(folder) for folder in (corpus or ())),
            articles=ids,
            registry=select_articles(table, ids),
            full_registry=table,
            events_path=_path(events) if events is not None else EVENTS,
            out=_output_root(out),
        )

    @property
    def figures(self) -> Path:
        """Where figures are written: ``figures/`` under :attr:`out`."""
        return self.out / "figures"

    @property
    def processed(self) -> Path:
        """Where derived data is written: ``data/processed/`` under :attr:`out`."""
        return self.out / "data" / "processed"

    def texts(self) -> CorpusTexts:
        """The selected articles whose text is in ``data/raw/`` or a corpus folder, and those
        whose text is not (see :func:`helpers.corpus.load_corpus_articles`)."""
        return load_corpus_articles(list(self.corpus), None, self.registry)

    def article(self, texts: CorpusTexts | None = None) -> Article:
        """The article read closely: the first selected one whose text is here. Raises
        :class:`~helpers.tables.DataError` when no selected text is here."""
        texts = texts if texts is not None else self.texts()
        if not texts.articles:
            where = ", ".join(str(f) for f in ("data/raw", *self.corpus))
            raise DataError(
                self.registry.attrs.get("path", "the registry"),
                None,
                "article_id",
                f"none of the {len(self.registry)} selected articles has its text in {where}",
            )
        return texts.articles[0]

    def events(self, actors: object = None, texts: CorpusTexts | None = None) -> pd.DataFrame:
        """The coded events of the selected articles, each row checked against its own
        article's text when the text is here (:func:`helpers.events.load_events`); the rows of
        other articles are checked too (the table is one), then left out."""
        texts = texts if texts is not None else self.texts()
        frame = load_events(
            self.events_path,
            actors=actors,
            articles=texts.articles,
            registry=self.full_registry,
            corpus_dirs=list(self.corpus),
        )
        if self.articles is None:
            return frame
        chosen = frame[frame["article_id"].isin(set(self.articles))].reset_index(drop=True)
        unchecked = frame.attrs.get("offsets_not_checked", {})
        chosen.attrs = {
            **frame.attrs,
            "offsets_not_checked": {a: n for a, n in unchecked.items() if a in self.articles},
        }
        return chosen


def parameter_values(
    corpus: Sequence[str | Path] = (),
    articles: Sequence[str] | None = None,
    registry: str | Path | None = None,
    events: str | Path | None = None,
    out: str | Path | None = None,
) -> dict[str, object]:
    """The values a run injects into every notebook: only those given (the others keep the
    notebook's defaults), paths made absolute (the kernels run in ``notebooks/``)."""
    values: dict[str, object] = {}
    if corpus:
        values["corpus"] = [str(Path(folder).resolve()) for folder in corpus]
    if articles:
        values["articles"] = list(articles)
    for name, path in (("registry", registry), ("events", events), ("out", out)):
        if path is not None:
            values[name] = str(Path(path).resolve())
    return values
