"""helpers.stories: reports of one act become one story event; the network counts stories
(issue 11 item 5). The reports are the seed article's events and those of the invented test
corpus (tests/invented_corpus/), registered with the add command in a temporary registry."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import CORPUS
from helpers.actors import load_actors
from helpers.events import load_events
from helpers.network import collapse, event_graph, to_states
from helpers.stories import STORY_COLUMNS, report_article, report_key, story_events, story_graph

SEED = "39a6002ab68b"
YEAR = ("2022-01-01", "2022-12-31")


@pytest.fixture(scope="module")
def actors():
    return load_actors()


@pytest.fixture
def reports(corpus_registry, events, actors):
    invented = load_events(
        CORPUS / "events.csv", actors=actors, registry=corpus_registry, corpus_dirs=[CORPUS]
    )
    return pd.concat([events, invented], ignore_index=True)


@pytest.fixture
def stories(reports, corpus_registry, actors):
    return story_events(reports, corpus_registry, actors)


def story_of(stories: pd.DataFrame, report: str) -> pd.Series:
    """The one story holding the report ``article_id:event_id``."""
    hits = stories[stories["event_ids"].str.split(";").map(lambda ids: report in ids)]
    assert len(hits) == 1, report
    return hits.iloc[0]


def test_two_reports_of_one_act_are_one_story(stories):
    """Tokayev's refusal in St Petersburg: the seed (June 2022) and invented_03 (Friday 17
    June) tell it; one story with both reports, dated to what both allow."""
    story = story_of(stories, f"{SEED}:E25")
    assert story["event_ids"] == f"{SEED}:E25;0a8b9d13d23b:E01"
    assert (story["n_reports"], story["n_outlets"]) == (2, 2)
    assert story["outlets"] == "De Morgen;Verzonnen Dagblad"
    assert story["article_ids"] == f"{SEED};0a8b9d13d23b"
    assert (story["actor_states"], story["recipient_states"]) == ("KAZ", "RUS")
    assert (story["date_start"], story["date_end"]) == (pd.Timestamp("2022-06-17"),) * 2
    assert story["date_precision"] == "day" and not story["conflict"]
    assert story["goldstein"] == -4.0 and story["modality"] == "asserted"


def test_the_network_counts_the_story_once(reports, stories, events, actors):
    """The tie Kazakhstan-Russia: the refusal told twice adds -4.0 once, and the tie says that
    its 3 story events were told in 5 reports by 3 outlets."""
    told_twice = collapse(to_states(event_graph(reports, actors), actors), *YEAR)
    by_story = collapse(to_states(story_graph(stories, actors), actors), *YEAR)
    seed_only = collapse(to_states(event_graph(events, actors), actors), *YEAR)
    tie = by_story.edges["KAZ", "RUS"]
    assert tie["weight"] == seed_only.edges["KAZ", "RUS"]["weight"] == 5.5
    assert told_twice.edges["KAZ", "RUS"]["weight"] == 5.5 - 4.0 + 8.5  # E25, E32 twice
    assert (tie["n_events"], tie["n_reports"], tie["n_outlets"]) == (3, 5, 3)
    assert "n_reports" not in seed_only.edges["KAZ", "RUS"]


def test_conflicting_dates_are_flagged(stories):
    """Pashinyan's refusal: invented_01 says 23 November, invented_02 'dinsdag' = the 22nd; the
    seed's "a Tuesday in November" (1-29 Nov) overlaps both, so the three are one story whose
    intersection is empty: the union, flagged."""
    story = story_of(stories, f"{SEED}:E01")
    assert story["event_ids"] == f"{SEED}:E01;41a399636cb8:E01;235381425089:E01"
    assert story["conflict"]
    assert (story["date_start"], story["date_end"]) == (
        pd.Timestamp("2022-11-01"),
        pd.Timestamp("2022-11-29"),
    )
    assert (story["n_reports"], story["n_outlets"]) == (3, 3)
    assert story["actor_ids"] == "PASHINYAN;ARM"  # the person and the state, merged for grouping
    assert (story["actor_states"], story["recipient_states"]) == ("ARM", "CSTO")
    assert not stories.drop(index=story.name)["conflict"].any()


def test_reports_that_do_not_overlap_stay_apart(reports, corpus_registry, actors):
    """Without the seed's month-wide interval the 22nd and the 23rd are two stories."""
    invented = reports[reports["article_id"] != SEED]
    stories = story_events(invented, corpus_registry, actors)
    refusals = stories[stories["plover_event_type"] == "REJECT"]
    assert sorted(refusals["event_ids"]) == ["0a8b9d13d23b:E01", "235381425089:E01",
                                              "41a399636cb8:E01"]  # fmt: skip
    assert not stories["conflict"].any()


def test_modalities_that_may_not_join_stay_apart(stories):
    """invented_05: the CSTO sent no troops (negated) but observers (asserted): each joins the
    seed report of its own modality, never the other."""
    negated = story_of(stories, "6ff9efe2b303:E03")
    asserted = story_of(stories, "6ff9efe2b303:E04")
    assert negated["event_ids"] == f"{SEED}:E05;6ff9efe2b303:E03"
    assert negated["modality"] == "negated"
    assert asserted["event_ids"] == f"{SEED}:E10;6ff9efe2b303:E04"
    assert (negated["date_start"], negated["date_end"]) == (
        pd.Timestamp("2022-09-13"),
        pd.Timestamp("2022-09-14"),
    )


def test_reported_speech_joins_an_asserted_report(events, corpus_registry, actors):
    invented = load_events(
        CORPUS / "events.csv", actors=actors, registry=corpus_registry, corpus_dirs=[CORPUS]
    )
    told = invented.copy()
    told.loc[told["event_id"].eq("E01") & told["article_id"].eq("0a8b9d13d23b"), "modality"] = (
        "reported_speech"
    )
    stories = story_events(pd.concat([events, told]), corpus_registry, actors)
    story = story_of(stories, "0a8b9d13d23b:E01")
    assert story["n_reports"] == 2 and story["modality"] == "asserted"
    hypothetical = told.copy()
    hypothetical.loc[told["modality"] == "reported_speech", "modality"] = "hypothetical"
    stories = story_events(pd.concat([events, hypothetical]), corpus_registry, actors)
    assert story_of(stories, "0a8b9d13d23b:E01")["n_reports"] == 1


def test_two_events_of_one_article_are_never_one_story(events, actors):
    """Every seed event is its own story (n_reports 1), so the seed network stays as it was."""
    stories = story_events(events, None, actors)
    assert len(stories) == len(events) and (stories["n_reports"] == 1).all()
    assert list(stories.columns) == list(STORY_COLUMNS)
    twin = events[events["event_id"] == "E19"].assign(event_id="E99")
    doubled = story_events(pd.concat([events, twin]), None, actors)
    assert len(doubled) == len(events) + 1


def test_seed_network_is_unchanged_by_stories(events, actors):
    by_event = collapse(to_states(event_graph(events, actors), actors), *YEAR)
    by_story = collapse(to_states(story_graph(story_events(events, None, actors)), actors), *YEAR)
    keep = ("weight", "sign", "n_events", "conflict", "cooperation")
    assert sorted(by_event.edges) == sorted(by_story.edges)
    for u, v, data in by_event.edges(data=True):
        assert {k: data[k] for k in keep} == {k: by_story.edges[u, v][k] for k in keep}
        assert by_story.edges[u, v]["n_reports"] == data["n_events"]
        assert by_story.edges[u, v]["n_outlets"] == 1
    assert by_event.graph["zero_sum_pairs"] == by_story.graph["zero_sum_pairs"]


def test_an_article_without_outlet_counts_as_its_own(events, reports, corpus_registry, actors):
    from helpers.registry import load_registry

    registry = load_registry(corpus_registry)
    registry["outlet"] = ""
    stories = story_events(reports, registry, actors)
    story = story_of(stories, f"{SEED}:E25")
    assert story["outlets"] == f"unknown:0a8b9d13d23b;unknown:{SEED}"
    assert story["n_outlets"] == 2


def test_no_events_no_stories(events, actors):
    stories = story_events(events.head(0), None, actors)
    assert stories.empty and list(stories.columns) == list(STORY_COLUMNS)
    assert stories["date_start"].dtype.kind == "M" and stories["n_reports"].dtype == "int64"
    assert story_graph(stories).number_of_edges() == 0


def test_report_article_is_the_article_of_a_report_key():
    key = report_key(SEED, "E05")
    assert key == f"{SEED}:E05" and report_article(key) == SEED
