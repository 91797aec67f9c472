"""Nothing assumes 2022 or one article (issue 11 items 8 and 9): the analysis window, its months,
the figures' axes and titles, the key dates drawn and the day members are counted on all follow
the data."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from csv_rows import read_rows, write_rows
from helpers.actors import load_actors, load_membership, members_on, membership_spans
from helpers.events import REFERENCE_EVENTS, load_reference_events
from helpers.keydates import format_day, key_dates, occasion_day
from helpers.network import (
    Window,
    analysis_window,
    balance_over_time,
    criticisms,
    event_graph,
    monthly_snapshots,
    most_frustrated,
    to_states,
)
from helpers.plots import balance_figure, criticism_figure, publication_band, timeline_figure
from helpers.stories import story_events
from helpers.tables import DataError

SEED_KEY_DATES = {
    "CSTO troops to Kazakhstan (6 Jan)": "2022-01-06",
    "Russia invades Ukraine (24 Feb)": "2022-02-24",
    "Azerbaijan attacks Armenia (13 Sep)": "2022-09-13",
    "CSTO summit in Yerevan (23 Nov)": "2022-11-23",
}


def shifted(events: pd.DataFrame, years: int = 1) -> pd.DataFrame:
    """The coded events, every date moved by ``years``."""
    step = pd.DateOffset(years=years)
    return events.assign(date_start=events["date_start"] + step, date_end=events["date_end"] + step)


@pytest.fixture(scope="module")
def reference():
    return load_reference_events()


@pytest.fixture(scope="module")
def states():
    return lambda events: to_states(event_graph(events, load_actors()), load_actors())


# --- the window -------------------------------------------------------------------------------


def test_the_seed_window_is_2022_without_the_background_years(events):
    window = analysis_window(events)
    assert window == Window(2022, 2022) and set(events["date_end"].dt.year) == {2008, 2014, 2022}
    assert (window.start, window.end) == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    assert window.months == [f"2022-{m:02d}" for m in range(1, 13)]
    assert (window.label, window.slug) == ("2022", "2022")


def test_events_shifted_to_2023_move_the_window(events):
    window = analysis_window(shifted(events))
    assert window == Window(2023, 2023)
    assert window.months[0] == "2023-01" and window.months[-1] == "2023-12"


def test_events_in_two_years_give_a_window_of_two_years(events):
    late = events["date_start"] >= pd.Timestamp("2022-09-01")
    mixed = pd.concat([events[~late], shifted(events[late])])
    window = analysis_window(mixed)
    assert window == Window(2022, 2023) and len(window.months) == 24
    assert (window.label, window.slug) == ("2022\u20132023", "2022-2023")


def test_publication_days_count_and_no_dates_at_all_is_an_error(events):
    none = events.iloc[0:0]
    assert analysis_window(none, published=["2024-03-01", None]) == Window(2024, 2024)
    assert analysis_window(events, published=["2023-02-01"]) == Window(2022, 2023)
    with pytest.raises(ValueError, match="nothing to set the window by"):
        analysis_window(none)
    with pytest.raises(ValueError, match="before it starts"):
        Window(2023, 2022)


def test_monthly_snapshots_follow_the_events(events, states):
    seed, moved = monthly_snapshots(states(events)), monthly_snapshots(states(shifted(events)))
    assert list(seed) == Window(2022, 2022).months and list(moved) == Window(2023, 2023).months
    for (_, a), (_, b) in zip(seed.items(), moved.items(), strict=True):
        assert sorted(a.edges(data="weight")) == sorted(b.edges(data="weight"))
    assert min(monthly_snapshots(states(events), Window(2021, 2022))) == "2021-01"
    assert most_frustrated(balance_over_time(seed)) == "2022-11"
    assert most_frustrated(balance_over_time(moved)) == "2023-11"


# --- figures --------------------------------------------------------------------------------


def test_timeline_axes_and_titles_follow_the_window(events):
    for data, year, first in ((events, 2022, 2007), (shifted(events), 2023, 2008)):
        fig = timeline_figure(story_events(data))
        left, right = fig.axes[:2]
        assert right.get_title() == f"{year}, month by month"
        assert left.get_title().startswith(f"{first} to {year}\n")
        days = [mdates.num2date(x).date().isoformat() for x in right.get_xlim()]
        assert days == [f"{year}-01-01", f"{year}-12-31"]
        plt.close(fig)


def test_criticism_axis_follows_the_window(events, reference):
    actors = load_actors()
    moved = shifted(events)
    window = analysis_window(moved)
    acts = criticisms(
        moved, actors, lambda day: members_on(pd.Timestamp(day) - pd.DateOffset(years=1))
    )
    assert len(acts) == 8 and (acts["date_start"].dt.year == 2023).all()
    fig = criticism_figure(acts, {}, key_dates(reference, window), window)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("2023 (bars")
    assert mdates.num2date(ax.get_xlim()[0]).year == 2023
    plt.close(fig)


def test_balance_figure_names_each_year(events, states):
    months = monthly_snapshots(states(events), Window(2022, 2023))
    fig = balance_figure(
        balance_over_time(months),
        pd.DataFrame({"tension": 0.0, "cooperation": 0.0, "events": 0}, index=list(months)),
    )
    labels = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    assert labels[0] == "Jan\n2022" and labels[12] == "Jan\n2023" and labels[1] == "Feb"
    plt.close(fig)


def test_membership_spans_end_with_the_year_of_the_last_change():
    membership = load_membership()
    assert membership["date"].max() == pd.Timestamp("2024-02-22")
    assert membership_spans(membership=membership)["end"].max() == pd.Timestamp("2024-12-31")


def test_publication_band_labels_the_period():
    assert publication_band("2022-11-01", "2022-11-30") == (
        "article (Nov 2022)",
        "2022-11-01",
        "2022-11-30",
    )
    assert publication_band("2023-05-04", "2023-05-04")[0] == "article (4 May 2023)"
    assert publication_band("2021-01-01", "2021-12-31")[0] == "article (2021)"
    assert publication_band("2022-11-20", "2022-12-02", "corpus")[0] == (
        "corpus (20 Nov 2022 to 2 Dec 2022)"
    )


# --- key dates and the occasion, from the reference table ---------------------------------------


def edited_reference(tmp_path: Path, changes: dict[str, dict[str, str]]) -> Path:
    fields, records = read_rows(REFERENCE_EVENTS)
    for record in records:
        record.update(changes.get(record["fact_id"], {}))
    return write_rows(tmp_path / "events_reference.csv", fields, records)


def test_the_key_dates_are_those_labelled_in_the_reference(reference):
    assert key_dates(reference, Window(2022, 2022)) == SEED_KEY_DATES
    assert key_dates(reference, Window(2023, 2023)) == {}
    assert key_dates(reference, roles=["turning_point"]) == {
        "Russia invades Ukraine (24 Feb 2022)": "2022-02-24"
    }
    several = key_dates(reference, Window(2021, 2022))
    assert list(several) == [label.replace(")", " 2022)") for label in SEED_KEY_DATES]
    with pytest.raises(ValueError, match="unknown figure role"):
        key_dates(reference, roles=["key", "summit"])


def test_key_dates_follow_an_edited_reference(tmp_path):
    path = edited_reference(
        tmp_path,
        {
            "F14": {"figure_label": "", "figure_role": ""},
            "F12": {"figure_label": "Tokayev in St Petersburg", "figure_role": "key"},
            "F19": {"figure_label": "Crimea", "figure_role": "turning_point"},
        },
    )
    reference = load_reference_events(path)
    drawn = key_dates(reference, Window(2022, 2022))
    assert "CSTO troops to Kazakhstan (6 Jan)" not in drawn
    assert drawn["Tokayev in St Petersburg (17 Jun)"] == "2022-06-17"
    assert list(drawn.values()) == sorted(drawn.values())
    assert list(key_dates(reference, roles=["turning_point"])) == [
        "Crimea (18 Mar 2014)",
        "Russia invades Ukraine (24 Feb 2022)",
    ]


def test_the_day_members_are_counted_on_is_the_occasion(tmp_path, reference):
    assert occasion_day(reference, "2022-11-30") == pd.Timestamp("2022-11-23")
    assert format_day(occasion_day(reference, "2022-11-30")) == "23 Nov 2022"
    assert occasion_day(reference, "2022-11-22") == pd.Timestamp("2022-11-22")  # before it
    path = edited_reference(
        tmp_path,
        {
            "F01": {"figure_role": "key"},
            "F08": {"figure_label": "EU observers", "figure_role": "occasion"},
        },
    )
    moved = load_reference_events(path)
    assert occasion_day(moved, "2022-11-30") == pd.Timestamp("2022-10-20")
    assert occasion_day(moved.assign(figure_role=""), "2022-11-30") == pd.Timestamp("2022-11-30")


@pytest.mark.parametrize(
    ("changes", "column", "problem"),
    [
        ({"figure_label": "A label", "figure_role": ""}, "figure_role", "go together"),
        ({"figure_label": "", "figure_role": "key"}, "figure_label", "go together"),
        ({"figure_label": "A label", "figure_role": "summit"}, "figure_role", "is not one of"),
    ],
)
def test_bad_figure_columns_name_row_and_column(tmp_path, changes, column, problem):
    path = edited_reference(tmp_path, {"F05": changes})
    with pytest.raises(DataError, match=problem) as caught:
        load_reference_events(path)
    assert (caught.value.path, caught.value.row, caught.value.column) == (str(path), 6, column)
