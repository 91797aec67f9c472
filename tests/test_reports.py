"""Analyses across reports (issue 11, item 7): the corpus table, mentions and events per
article (an article without coded events still counts), events with their provenance, and
the criticisms of Russia marked with how many reports and outlets tell each act."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import CORPUS
from helpers.actors import load_actors, members_on
from helpers.events import EVENTS, load_events
from helpers.glosses import GLOSSES, NO_GLOSS, gloss_coverage, load_glosses
from helpers.network import criticisms
from helpers.parameters import Setting
from helpers.reports import (
    CORPUS_COLUMNS,
    NO_OUTLET,
    TEXT_HERE,
    acts_across_reports,
    articles_per_outlet_and_month,
    corpus_summary,
    corpus_table,
    events_per_article,
    events_with_provenance,
    mentions_per_article,
    publication_month,
    publication_period,
    quotes_in_place,
    story_of_reports,
    with_title_gloss,
)
from helpers.stories import story_events

SEED = "39a6002ab68b"
TOP, VERSLAG, PETERSBURG, KAZACHSTAN, GRENS = (
    "235381425089",
    "41a399636cb8",
    "0a8b9d13d23b",
    "f342c5f54d45",
    "6ff9efe2b303",
)
INVENTED_IDS = [TOP, VERSLAG, PETERSBURG, KAZACHSTAN, GRENS]


@pytest.fixture
def both_tables(tmp_path):
    """data/events.csv (the seed's rows) and the invented corpus's rows in one table."""
    path = tmp_path / "events.csv"
    lines = (CORPUS / "events.csv").read_text(encoding="utf-8").splitlines()
    seed_lines = EVENTS.read_text(encoding="utf-8").splitlines()
    assert seed_lines[0] == lines[0]
    path.write_text("\n".join([*seed_lines, *lines[1:]]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def setting(corpus_registry, both_tables):
    return Setting.of([CORPUS], "all", corpus_registry, both_tables)


def test_publication_month_keeps_a_year_alone():
    assert [publication_month(p) for p in ("2022-11-23", "2022-11", "2022")] == [
        "2022-11",
        "2022-11",
        "2022",
    ]


def test_the_corpus_table_has_every_article_and_says_where_its_text_is(corpus_registry):
    setting = Setting.of([], "all", corpus_registry)  # the invented texts are not searched
    corpus = corpus_table(setting.texts(), setting.registry)
    assert list(corpus["article_id"]) == [SEED, *INVENTED_IDS]
    assert corpus.loc[0, "text"] == TEXT_HERE
    assert corpus.loc[1:, "text"].str.startswith("text not available").all()
    summary = corpus_summary(corpus)
    assert summary["articles"] == 6 and summary["texts here"] == 1
    assert summary["outlets"] == 4  # De Morgen and three invented outlets
    assert summary["rights: not_redistributed"] == 5
    assert summary["words"] == 621 + 61 + 56 + 45 + 38 + 40


def test_articles_per_outlet_and_month(corpus_registry):
    setting = Setting.of([], "all", corpus_registry)
    counts = articles_per_outlet_and_month(corpus_table(setting.texts(), setting.registry))
    assert list(counts.columns) == ["2022-01", "2022-06", "2022-09", "2022-11", "all"]
    assert counts.loc["Verzonnen Dagblad", "2022-11"] == 1
    assert counts.loc["Testkrant", "all"] == 2 and counts.loc["all", "all"] == 6


def test_an_article_without_an_outlet_gets_a_readable_row(corpus_registry):
    setting = Setting.of([], [SEED], corpus_registry)
    registry = setting.registry.assign(outlet="")
    assert corpus_table(setting.texts(), registry).loc[0, "outlet"] == NO_OUTLET


def test_the_corpus_table_glosses_the_seed_title_and_shows_a_missing_gloss(corpus_registry):
    setting = Setting.of([], "all", corpus_registry)
    corpus = corpus_table(setting.texts(), setting.registry)
    table = with_title_gloss(corpus, load_glosses())
    expected = [*CORPUS_COLUMNS, "title_glossed"]
    assert list(table.columns) == [*expected[:5], "title_en", *expected[5:]]
    assert table.loc[0, "title"] == "Poetins gezag onder zijn bondgenoten smelt weg"
    assert table.loc[0, "title_en"] == "Putin's authority among his allies is melting away"
    assert list(table["article_id"]) == [SEED, *INVENTED_IDS]  # no title dropped
    assert (table.loc[1:, "title_en"] == NO_GLOSS).all()  # the invented titles have none
    assert gloss_coverage(table, "titles", "title_glossed") == "1 of 6 titles glossed"
    assert list(corpus.columns) == list(CORPUS_COLUMNS)  # the corpus table is left as it was


def test_an_invented_title_glossed_in_an_invented_gloss_row(corpus_registry, tmp_path):
    """Invented data: the title of the invented article KAZACHSTAN, and its gloss."""
    path = tmp_path / "glosses.csv"
    row = f"{KAZACHSTAN},CSTO-troepen in Kazachstan,CSTO troops in Kazakhstan,invented\n"
    path.write_text(GLOSSES.read_text(encoding="utf-8") + row, encoding="utf-8")
    setting = Setting.of([], [KAZACHSTAN, GRENS], corpus_registry)
    table = with_title_gloss(corpus_table(setting.texts(), setting.registry), load_glosses(path))
    assert list(table["title_en"]) == ["CSTO troops in Kazakhstan", NO_GLOSS]
    assert list(table["title_glossed"]) == [True, False]
    assert gloss_coverage(table, "titles", "title_glossed") == "1 of 2 titles glossed"


def test_mentions_per_article_keep_an_article_that_names_nobody(corpus_registry, tmp_path):
    setting = Setting.of([CORPUS], [GRENS, SEED], corpus_registry)
    texts = setting.texts()
    table = mentions_per_article(texts.articles, setting.registry)
    assert list(table.columns) == [GRENS, SEED, "total"]  # the order of the selection
    assert table.loc["ARM", GRENS] == 3 and table.loc["CSTO", SEED] == 15
    assert (table["total"] == table[GRENS] + table[SEED]).all()
    assert table["total"].is_monotonic_decreasing


def test_an_article_that_names_no_actor_is_still_a_column(corpus_registry, tmp_path):
    from helpers.article import parse_article

    quiet = parse_article("date 2022-11 Het regende de hele dag.\n", tmp_path / "q.txt")
    registry = pd.concat(
        [Setting.of([], [SEED], corpus_registry).registry, pd.DataFrame({"article_id": [quiet.id]})]
    )
    seed = Setting.of([], [SEED], corpus_registry).article()
    table = mentions_per_article([seed, quiet], registry)
    assert list(table.columns) == [SEED, quiet.id, "total"]
    assert (table[quiet.id] == 0).all()


def test_events_per_article_count_an_article_not_coded_yet(corpus_registry):
    setting = Setting.of([CORPUS], "all", corpus_registry)  # data/events.csv: seed rows only
    counts = events_per_article(setting.events(), setting.registry)
    assert counts.loc[SEED, "events"] == 37
    assert (counts.loc[INVENTED_IDS, "events"] == 0).all()
    assert counts.loc[GRENS, "outlet"] == "Testkrant"


def test_events_keep_their_provenance(setting):
    events = setting.events()
    table = events_with_provenance(events, setting.registry)
    assert len(table) == len(events)
    row = table[(table["article_id"] == GRENS) & (table["event_id"] == "E01")].iloc[0]
    text = (CORPUS / "invented_05_grens.txt").read_text(encoding="utf-8")
    assert text[row["quote_start"] : row["quote_end"]] == row["quote_nl"]
    assert row["outlet"] == "Testkrant"
    assert table["date_start"].is_monotonic_increasing


def test_every_report_has_its_story(setting):
    events = setting.events()
    stories = story_events(events, setting.registry)
    of_report = story_of_reports(stories)
    assert len(of_report) == len(events) == stories["n_reports"].sum()
    assert of_report.loc[f"{PETERSBURG}:E01", "n_reports"] == 2  # told by the seed's E25 too
    assert of_report.loc[f"{PETERSBURG}:E01", "story_id"] == of_report.loc[f"{SEED}:E25"].iloc[0]


def test_criticisms_across_reports_count_an_act_told_twice_once(setting):
    """Tokayev's refusal in St Petersburg is told by the seed (E25, 'in juni') and the invented
    report (17 June): one row, with both reports, two outlets and the narrower date."""
    actors = load_actors()
    events = setting.events(actors)
    stories = story_events(events, setting.registry, actors)
    acts = acts_across_reports(events, stories, actors, members_on)
    tokayev = acts[acts["actor_id"] == "TOKAYEV"]
    assert len(tokayev) == 1
    act = tokayev.iloc[0]
    assert (act["n_reports"], act["n_outlets"]) == (2, 2)
    assert sorted(act["reports"].split(";")) == [f"{PETERSBURG}:E01", f"{SEED}:E25"]
    assert act["date_start"] == act["date_end"] == pd.Timestamp("2022-06-17")
    report_rows = sum(
        len(criticisms(g, actors, members_on)) for _, g in events.groupby("article_id")
    )
    assert len(acts) < report_rows  # reports of one act are one row
    assert acts["date_start"].is_monotonic_increasing
    refusal = acts.loc[acts["actor_id"] == "PASHINYAN", "event_id"].iloc[0]
    pashinyan = acts[acts["event_id"] == refusal]  # three reports: two name Pashinyan, one Armenia
    assert set(pashinyan["actor_id"]) == {"PASHINYAN", "ARM"}
    assert pashinyan["n_reports"].tolist() == [3, 3]
    assert pashinyan.index.tolist() == list(range(pashinyan.index[0], pashinyan.index[-1] + 1))


def test_criticisms_of_one_article_are_its_acts_with_one_report_each():
    actors = load_actors()
    events = load_events(actors=actors)
    stories = story_events(events, actors=actors)
    acts = acts_across_reports(events, stories, actors, members_on)
    plain = criticisms(events, actors, members_on)
    assert list(acts["actor_id"]) == list(plain["actor_id"])
    assert (acts["reports"] == SEED + ":" + plain["event_id"]).all()
    assert (acts["n_reports"] == 1).all() and (acts["n_outlets"] == 1).all()


def test_no_events_give_no_acts():
    actors = load_actors()
    events = load_events(actors=actors).iloc[0:0]
    stories = story_events(events, actors=actors)
    acts = acts_across_reports(events, stories, actors, members_on)
    assert acts.empty and "n_reports" in acts.columns


def test_the_publication_period_spans_every_article(corpus_registry):
    setting = Setting.of([], "all", corpus_registry)
    assert publication_period(setting.registry) == (
        pd.Timestamp("2022-01-08"),  # invented_04, dated to the day
        pd.Timestamp("2022-11-30"),  # the seed, dated to the month
    )
    assert publication_period(setting.registry.iloc[[0]]) == (
        pd.Timestamp("2022-11-01"),
        pd.Timestamp("2022-11-30"),
    )
    with pytest.raises(ValueError, match="no article selected"):
        publication_period(setting.registry.iloc[0:0])


def test_quotes_are_checked_against_their_own_article_only(setting):
    events = setting.events()
    texts = setting.texts()
    checked = quotes_in_place(events, texts.articles)
    assert checked["quotes checked against their article"] == len(events)
    assert checked["quotes at their offsets"] is True
    seed_only = [a for a in texts.articles if a.id == SEED]
    partly = quotes_in_place(events, seed_only)
    assert partly["offsets not checked (text not here)"] == (events["article_id"] != SEED).sum()
    moved = events.assign(quote_start=events["quote_start"] + 1)
    assert quotes_in_place(moved, texts.articles)["quotes at their offsets"] is False


def test_network_ties_of_story_events_carry_their_reports(setting):
    from helpers.network import collapse, edge_table, to_states
    from helpers.stories import story_graph

    actors = load_actors()
    events = setting.events(actors)
    stories = story_events(events, setting.registry, actors)
    ties = edge_table(collapse(to_states(story_graph(stories, actors), actors)))
    assert {"reports", "outlets"} <= set(ties.columns)
    assert (ties["reports"] >= ties["events"]).all() and (ties["reports"] > ties["events"]).any()


def test_the_criticism_figure_marks_an_act_told_by_several_reports(setting):
    import matplotlib

    matplotlib.use("Agg")
    from helpers.network import analysis_window
    from helpers.plots import criticism_figure

    actors = load_actors()
    events = setting.events(actors)
    acts = acts_across_reports(events, story_events(events, setting.registry), actors, members_on)
    names = actors.set_index("actor_id")["name_en"].to_dict()
    fig = criticism_figure(acts, names, {}, analysis_window(events))
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert len(labels) == len(acts)
    marked = [label for label in labels if " reports, " in label]
    assert len(marked) == (acts["n_reports"] > 1).sum() > 0
    tokayev = acts.index[acts["actor_id"] == "TOKAYEV"][0]
    assert "2 reports, 2 outlets" in labels[tokayev]  # rows drawn in the table's order


def test_the_timeline_gives_each_story_its_own_row(setting):
    """Event ids repeat across articles (each has its E01): a story one report tells is named
    article_id:event_id when the events come from several articles; a story several reports
    tell is one row, named by its story id with its count of reports, hatched when the
    reports' dates disagree (the seed's "in november" joins invented_01's 23 November and
    invented_02's 22nd) and said so in the legend."""
    import matplotlib

    matplotlib.use("Agg")
    from helpers.plots import CONFLICT_HATCH, timeline_figure

    events = setting.events()
    stories = story_events(events, setting.registry)
    assert len(stories) < len(events) and stories["conflict"].any()
    fig = timeline_figure(stories)
    left, right = fig.axes[:2]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert len(labels) == len(set(labels)) == len(stories)
    for label, story in zip(labels, stories.itertuples(), strict=True):  # drawn in story order
        if story.n_reports == 1:
            assert label.startswith(f"{story.event_ids} ") and "reports)" not in label
        else:
            assert label.startswith(f"{story.story_id} ")
            assert label.endswith(f" ({story.n_reports} reports)")
    assert (stories["n_reports"] > 1).sum() >= 3
    bars = {round(p.get_y() + p.get_height() / 2, 6) for p in right.patches}
    markers = {round(y, 6) for line in right.lines for y in line.get_ydata()}
    assert bars | markers == set(range(len(stories)))
    hatched = [p for p in right.patches if p.get_hatch() == CONFLICT_HATCH]
    assert len(hatched) == stories["conflict"].sum()
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert any("disagree" in text for text in legend)
