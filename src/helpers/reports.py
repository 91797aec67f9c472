"""Analyses across reports: the corpus, mentions per article, events with their provenance, and
acts marked with how many reports and outlets tell them.

The corpus is the registry's selected articles (:class:`helpers.parameters.Setting`); an
article whose text is not here, or that has no coded events yet, still has its row: it counts
in the corpus table, and in the mentions and events per article with zero.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from helpers.actors import tag_corpus
from helpers.article import Article
from helpers.corpus import CorpusTexts
from helpers.glosses import with_gloss
from helpers.network import criticisms
from helpers.registry import published_period
from helpers.stories import report_key
from helpers.tables import split_ids

__all__ = [
    "CORPUS_COLUMNS",
    "PROVENANCE_COLUMNS",
    "TEXT_HERE",
    "acts_across_reports",
    "articles_per_outlet_and_month",
    "corpus_summary",
    "corpus_table",
    "events_per_article",
    "events_with_provenance",
    "mentions_per_article",
    "publication_month",
    "publication_period",
    "quotes_in_place",
    "story_of_reports",
    "with_title_gloss",
]

TEXT_HERE = "here"
NO_OUTLET = "(outlet not recorded)"
CORPUS_COLUMNS = (
    "article_id",
    "outlet",
    "published",
    "month",
    "title",
    "words",
    "rights",
    "text",
)
PROVENANCE_COLUMNS = (
    "article_id",
    "outlet",
    "event_id",
    "quote_start",
    "quote_end",
    "quote_nl",
    "plover_event_type",
    "date_start",
    "date_end",
    "modality",
)


def publication_month(published: str) -> str:
    """The month of a publication date as stated (``2022-11-23`` and ``2022-11``:
    ``2022-11``); a date stated to the year only stays the year (``2022``)."""
    return published[:7]


def _outlet(value: str) -> str:
    return value or NO_OUTLET


def publication_period(registry: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day on which the articles of ``registry`` may have been published
    (each article's ``published``, as stated, read as an interval)."""
    if registry.empty:
        raise ValueError("no article selected: the corpus has no publication period")
    periods = [published_period(value)[1:] for value in registry["published"]]
    return min(start for start, _ in periods), max(end for _, end in periods)


def corpus_table(texts: CorpusTexts, registry: pd.DataFrame) -> pd.DataFrame:
    """One row per article of ``registry`` (columns :data:`CORPUS_COLUMNS`, in its order):
    where its text is ``here`` or why not (the reason of
    :func:`helpers.corpus.load_corpus_articles`), its publication month and rights."""
    reasons = dict(zip(texts.missing["article_id"], texts.missing["reason"], strict=True))
    table = registry.assign(
        outlet=registry["outlet"].map(_outlet),
        month=registry["published"].map(publication_month),
        text=[reasons.get(a, TEXT_HERE) for a in registry["article_id"]],
    )
    return table[list(CORPUS_COLUMNS)].reset_index(drop=True)


def with_title_gloss(corpus: pd.DataFrame, glosses: pd.DataFrame) -> pd.DataFrame:
    """A :func:`corpus_table` with ``title_en`` next to ``title``: the title's English gloss in
    ``glosses`` (:func:`helpers.glosses.load_glosses`, keyed by the article and the exact Dutch
    title) or, for a title without one, :data:`helpers.glosses.NO_GLOSS`; and, last,
    ``title_glossed`` (True where the table has a gloss), which
    ``gloss_coverage(table, "titles", "title_glossed")`` counts. Every row is kept."""
    glossed = with_gloss(corpus, glosses, text_column="title")
    table = corpus.copy()
    table.insert(table.columns.get_loc("title") + 1, "title_en", glossed["gloss_en"])
    table["title_glossed"] = glossed["glossed"]
    return table


def corpus_summary(corpus: pd.DataFrame) -> pd.Series:
    """Counts of a :func:`corpus_table`: articles, outlets, texts here, words, and articles per
    rights value."""
    rights = corpus["rights"].value_counts()
    return pd.Series(
        {
            "articles": len(corpus),
            "outlets": corpus["outlet"].nunique(),
            "texts here": int((corpus["text"] == TEXT_HERE).sum()),
            "words": int(corpus["words"].sum()),
            "rights: included": int(rights.get("included", 0)),
            "rights: not_redistributed": int(rights.get("not_redistributed", 0)),
        },
        name="corpus",
    )


def articles_per_outlet_and_month(corpus: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet (rows) and publication month (columns, in time order; a year alone
    sorts before its months), with totals ``all``."""
    return pd.crosstab(
        corpus["outlet"], corpus["month"], margins=True, margins_name="all"
    ).rename_axis(index="outlet", columns="month")


def mentions_per_article(
    articles: Iterable[Article],
    registry: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    aliases: Any = None,
) -> pd.DataFrame:
    """Mentions per actor (rows, most mentioned first) and article (columns: every article of
    ``registry`` whose text is here, in its order, also one that names no actor), with a
    ``total`` column."""
    articles = list(articles)
    here = [a.id for a in articles]
    columns = [a for a in registry["article_id"] if a in set(here)]
    mentions = tag_corpus(articles, actors, aliases)
    table = pd.crosstab(mentions["actor_id"], mentions["article"]).reindex(
        columns=columns, fill_value=0
    )
    table = table.rename_axis(index="actor_id", columns="article_id").astype("int64")
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False, kind="stable")


def events_per_article(events: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Coded events per article of ``registry`` (in its order; 0 for an article not coded
    yet), with its outlet and the number of distinct PLOVER types."""
    grouped = events.groupby("article_id")
    return pd.DataFrame(
        {
            "outlet": registry["outlet"].map(_outlet).to_numpy(),
            "events": grouped.size().reindex(registry["article_id"], fill_value=0).to_numpy(),
            "plover types": grouped["plover_event_type"]
            .nunique()
            .reindex(registry["article_id"], fill_value=0)
            .to_numpy(),
        },
        index=pd.Index(registry["article_id"], name="article_id"),
    )


def events_with_provenance(events: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """The events with where each comes from: its article and outlet, its id in the article,
    and the character offsets of the quoted words in that article's text (columns
    :data:`PROVENANCE_COLUMNS`), in date order."""
    outlets = dict(zip(registry["article_id"], registry["outlet"].map(_outlet), strict=True))
    table = events.assign(outlet=events["article_id"].map(outlets).fillna(NO_OUTLET))
    table = table.sort_values(["date_start", "date_end", "article_id", "event_id"])
    return table[list(PROVENANCE_COLUMNS)].reset_index(drop=True)


def quotes_in_place(events: pd.DataFrame, articles: Iterable[Article]) -> pd.Series:
    """How many events' quotes were checked against their own article's text (those whose text
    is here), whether every one sits at its offsets, and how many were not checked."""
    raw = {article.id: article.raw for article in articles}
    here = events[events["article_id"].isin(raw)]
    in_place = all(
        raw[a][start:end] == quote
        for a, start, end, quote in here[
            ["article_id", "quote_start", "quote_end", "quote_nl"]
        ].itertuples(index=False)
    )
    return pd.Series(
        {
            "quotes checked against their article": len(here),
            "quotes at their offsets": in_place,
            "offsets not checked (text not here)": len(events) - len(here),
        },
        dtype="object",
    )


def story_of_reports(stories: pd.DataFrame) -> pd.DataFrame:
    """For every report (``article_id:event_id``, index ``report``) its story: ``story_id``,
    ``n_reports``, ``n_outlets``, the story's interval, its precision and ``conflict``."""
    columns = ["story_id", "n_reports", "n_outlets", "date_start", "date_end", "date_precision"]
    columns.append("conflict")
    rows = [
        {"report": report, **{c: story[c] for c in columns}}
        for story in stories.to_dict("records")
        for report in split_ids(story["event_ids"])
    ]
    return pd.DataFrame(rows, columns=["report", *columns]).set_index("report")


def acts_across_reports(
    events: pd.DataFrame,
    stories: pd.DataFrame,
    actors: pd.DataFrame,
    members: Callable[[Any], Iterable[str]],
) -> pd.DataFrame:
    """Who criticised Russia across reports: the acts of
    :func:`helpers.network.criticisms` (its rule, applied to each article's events), one row
    per story event and critic, marked with how many reports (``n_reports``) and outlets
    (``n_outlets``) tell the story, and ``reports`` (their ``article_id:event_id``). The dates
    are the story's: the narrowest interval all its reports allow. ``event_id`` is the story's
    id; gloss and Dutch words are those of its first report. In date order."""
    of_report = story_of_reports(stories)
    members = functools.cache(members)  # asked once per day, not once per event and article
    per_article = [
        criticisms(rows, actors, members).assign(article_id=article_id)
        for article_id, rows in events.groupby("article_id", sort=True)
    ] or [criticisms(events, actors, members).assign(article_id="")]
    acts = pd.concat(per_article, ignore_index=True)
    keys = [report_key(a, e) for a, e in zip(acts["article_id"], acts["event_id"], strict=True)]
    story = of_report.reindex(keys).reset_index(drop=True)
    acts = acts.assign(
        report=keys,
        event_id=story["story_id"].to_numpy(),
        date_start=story["date_start"].astype(acts["date_start"].dtype).to_numpy(),
        date_end=story["date_end"].astype(acts["date_end"].dtype).to_numpy(),
        date_precision=story["date_precision"].to_numpy(),
        n_reports=story["n_reports"].fillna(0).astype("int64").to_numpy(),
        n_outlets=story["n_outlets"].fillna(0).astype("int64").to_numpy(),
    )
    # Date order, then report order (an article's events in their coded order); the first
    # report of each (story, critic) gives the row, the rows of one story kept together.
    acts = acts.sort_values(["date_start", "report"], kind="stable")
    grouped = acts.groupby(["event_id", "actor_id"], sort=False)
    merged = grouped.first().reset_index()
    merged["reports"] = grouped["report"].agg(";".join).to_numpy()
    merged = merged.sort_values(
        ["date_start", "event_id"], kind="stable"
    )  # a story's rows together
    return merged.drop(columns=["report", "article_id"]).reset_index(drop=True)
