"""Figures: byte-identical files from run to run, alt text required, the same whatever the
user's matplotlib settings."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")

from itertools import pairwise

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from PIL import Image

from helpers.actors import load_actors, members_on
from helpers.execute import execute, notebook_paths
from helpers.network import Window
from helpers.paths import NOTEBOOKS, ROOT
from helpers.plots import (
    CRITICISM_ROWS,
    MAX_DATE_TICKS,
    SAVE_OPTIONS,
    STYLE,
    TIMELINE_ROWS,
    criticism_figure,
    drawn_share,
    month_ticks,
    most_told,
    project_rc,
    save_figure,
    show_figure,
    tight_box,
    timeline_figure,
    timeline_rows,
    use_style,
    year_step,
)
from helpers.reports import acts_across_reports
from helpers.stories import story_events


def make_figure():
    use_style()
    fig, ax = plt.subplots()
    ax.plot([2014, 2022], [1, 3], label="a line")
    ax.set_title("Kazachstan – Rusland")
    ax.legend()
    return fig


def test_saved_figures_are_byte_identical(tmp_path):
    fig = make_figure()
    first = [p.read_bytes() for p in save_figure(fig, "one", tmp_path)]
    second = [p.read_bytes() for p in save_figure(fig, "two", tmp_path)]
    assert first == second
    svg, png = first
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in png
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "one.png",
        "one.svg",
        "two.png",
        "two.svg",
    ]


def _png_tight(fig, bbox_inches) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(project_rc()):
        fig.savefig(
            buffer,
            format="png",
            metadata={"Software": None},
            bbox_inches=bbox_inches,
            **SAVE_OPTIONS["png"],
        )
    return buffer.getvalue()


@pytest.mark.parametrize("layout", ["tight_layout", "constrained", None])
def test_the_box_worked_out_once_is_savefigs_tight_box(tmp_path, layout):
    """save_figure cuts both files to tight_box(fig), worked out once: the PNG is the one
    savefig(bbox_inches="tight") writes, the SVG has the same size, and the figure's layout
    engine is left as it was."""
    use_style()
    fig, ax = plt.subplots(layout="constrained" if layout == "constrained" else None)
    ax.plot([2014, 2022], [1, 3])
    ax.set_ylabel("a long label on the left, in DejaVu Sans")
    fig.suptitle("Kazachstan – Rusland")
    if layout == "tight_layout":
        fig.tight_layout()
    engine = fig.get_layout_engine()
    svg, png = save_figure(fig, "f", tmp_path)
    assert fig.get_layout_engine() is engine
    assert png.read_bytes() == _png_tight(fig, "tight")
    with matplotlib.rc_context(project_rc()):
        box = tight_box(fig)
    assert png.read_bytes() == _png_tight(fig, box)
    width_pt = float(re.search(rb'<svg[^>]* width="([0-9.]+)pt"', svg.read_bytes()).group(1))
    width_px = Image.open(png).size[0]
    assert abs(width_pt / 72 - box.width) < 1e-4
    assert abs(width_px / STYLE["savefig.dpi"] - box.width) < 1 / STYLE["savefig.dpi"]
    plt.close(fig)


def _collection_figures(events, article):
    """Figures of every kind the notebooks draw, from the committed data (one each)."""
    from helpers.actors import (
        comention_graph,
        load_actors,
        load_membership,
        members_on,
        membership_spans,
        tag_mentions,
    )
    from helpers.events import load_reference_events
    from helpers.keydates import key_dates
    from helpers.maps import alliance_map
    from helpers.network import (
        analysis_window,
        balance_over_time,
        collapse,
        criticisms,
        event_graph,
        monthly_snapshots,
        monthly_totals,
        to_states,
    )
    from helpers.plots import (
        balance_figure,
        comention_figure,
        criticism_figure,
        membership_figure,
        timeline_figure,
    )
    from helpers.stories import story_events

    actors = load_actors()
    names = actors.set_index("actor_id")["name_en"].to_dict()
    reference = load_reference_events()
    window = analysis_window(events, published=(article.date_start, article.date_end))
    states = to_states(event_graph(events, actors), actors)
    months = monthly_snapshots(states, window)
    spans = membership_spans(membership=load_membership(actors=actors))
    return {
        "comention": comention_figure(comention_graph(tag_mentions(article, actors), actors)),
        "membership": membership_figure(
            spans,
            names,
            key_dates(reference, roles=["turning_point"]),
            ("article (Nov 2022)", "2022-11-01", "2022-11-30"),
        ),
        "timeline": timeline_figure(story_events(events, actors=actors), window),
        "map": alliance_map(
            collapse(states, window.start, window.end), actors, members_on("2022-11-23")
        ),
        "criticism": criticism_figure(
            criticisms(events, actors, members_on), names, key_dates(reference, window), window
        ),
        "balance": balance_figure(balance_over_time(months), monthly_totals(months)),
    }


def test_the_box_without_a_layout_draw_is_savefigs_for_the_collections_figures(events, article):
    """tight_box leaves out savefig's draw without rendering for figures laid out once: for
    every kind of figure the collection draws, the box is still the one savefig works out
    (its PNG with bbox_inches="tight" is the same)."""
    use_style()
    for name, fig in _collection_figures(events, article).items():
        with matplotlib.rc_context(project_rc()):
            box = tight_box(fig)
        assert _png_tight(fig, box) == _png_tight(fig, "tight"), name
        plt.close(fig)


# --- the timeline of notebook 03: story events, at most TIMELINE_ROWS rows ------------------------


def _timeline_labels(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def _timeline_note(fig) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_gid() == "timeline-note"]


def _retold(events, article_id: str, event_ids: list[str], years: int = 0):
    """INVENTED reports: the seed's events ``event_ids`` told again by an invented article
    ``article_id``, moved by ``years`` (0: the same dates, so each joins its seed event)."""
    rows = events[events["event_id"].isin(event_ids)].copy()
    rows["article_id"] = article_id
    for column in ("date_start", "date_end"):
        rows[column] = rows[column] + pd.DateOffset(years=years)
    return pd.concat([events, rows], ignore_index=True)


def test_the_timeline_of_one_article_draws_its_events_as_before(events):
    """One article: one story per event, so the rows and labels are the events' (in date
    order, "E05 gloss…"), with no note and no conflict in the legend."""
    use_style()
    fig = timeline_figure(story_events(events))
    ordered = events.sort_values(["date_start", "date_end", "article_id", "event_id"])
    expected = [
        f"{r.event_id} {textwrap.shorten(r.gloss_en, 52, placeholder='…')}"
        for r in ordered.itertuples()
    ]
    assert _timeline_labels(fig) == expected and len(expected) == len(events) == 37
    assert _timeline_note(fig) == []
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert legend[-1] == "day known" and not any("disagree" in text for text in legend)
    assert fig._suptitle.get_text().startswith("Events the article reports")
    plt.close(fig)


def test_a_story_two_reports_tell_is_one_row(events):
    use_style()
    both = _retold(events, "invented-retelling", ["E25", "E30"])
    stories = story_events(both)
    fig = timeline_figure(stories)
    labels = _timeline_labels(fig)
    assert len(labels) == len(stories) == len(events)  # the retold events join their stories
    twice = [label for label in labels if label.endswith(" (2 reports)")]
    assert len(twice) == 2 and all(re.match(r"S\d+ ", label) for label in twice)
    seed = events["article_id"].iloc[0]
    once = [label for label in labels if label not in twice]
    assert all(label.startswith(f"{seed}:E") for label in once)  # several articles: article:event
    plt.close(fig)


def test_the_timeline_draws_at_most_max_rows_those_told_by_most_reports(events):
    use_style()
    both = _retold(events, "invented-retelling", ["E25", "E30"])
    stories = story_events(both)
    fig = timeline_figure(stories, max_rows=5)
    labels = _timeline_labels(fig)
    assert len(labels) == 5 and sum(label.endswith(" (2 reports)") for label in labels) == 2
    drawn = timeline_rows(stories, 5)
    single = stories[stories["n_reports"] == 1].sort_values(["date_start", "story_id"])
    assert set(drawn["story_id"]) == {
        *stories.loc[stories["n_reports"] == 2, "story_id"],
        *single["story_id"].head(3),
    }
    assert drawn["date_start"].is_monotonic_increasing
    assert _timeline_note(fig) == [
        f"5 of {len(stories)} story events drawn: those told by the most reports (ties: the "
        "earliest first); the story table lists them all."
    ]
    plt.close(fig)


def test_the_timeline_draws_timeline_rows_by_default(events):
    use_style()
    many = _retold(_retold(events, "invented-a", list(events["event_id"]), 3),
                   "invented-b", list(events["event_id"]), 6)  # fmt: skip
    stories = story_events(many)
    assert len(stories) > TIMELINE_ROWS
    fig = timeline_figure(stories)
    assert len(_timeline_labels(fig)) == TIMELINE_ROWS
    assert _timeline_note(fig)[0].startswith(f"{TIMELINE_ROWS} of {len(stories)} story events")
    plt.close(fig)


def test_the_timeline_wants_story_events(events):
    with pytest.raises(ValueError, match="story_events"):
        timeline_figure(events)


def _ticks(ax) -> list[float]:
    low, high = ax.get_xlim()
    return [tick for tick in ax.get_xticks() if low <= tick <= high]


def test_the_timeline_of_one_year_has_a_tick_per_month(events):
    fig = timeline_figure(story_events(events), Window(2022, 2022))
    right = fig.axes[1]
    assert len(_ticks(right)) == 12 and right.get_title() == "2022, month by month"
    plt.close(fig)


def test_the_timeline_of_a_long_window_gets_fewer_ticks(events):
    """The synthetic corpus's window spans 25 years: 300 month ticks before, now 13."""
    fig = timeline_figure(story_events(events), Window(2000, 2024))
    right = fig.axes[1]
    assert len(_ticks(right)) == 13 and right.get_title() == "2000–2024, every 2 years"
    labels = [mdates.num2date(tick).strftime("%Y-%m-%d") for tick in _ticks(right)]
    assert labels[:2] == ["2000-01-01", "2002-01-01"]
    left = fig.axes[0]  # the whole period, 1999 to 2024: every 5 years, not 9 labels every 3
    years = [mdates.num2date(tick).year for tick in _ticks(left)]
    assert len(years) <= 7 and {b - a for a, b in pairwise(years)} == {5}
    plt.close(fig)


def test_the_timeline_overview_keeps_a_tick_every_3_years_when_it_fits(events):
    fig = timeline_figure(story_events(events))  # the seed article: 2007 to 2022
    years = [mdates.num2date(tick).year for tick in _ticks(fig.axes[0])]
    assert {b - a for a, b in pairwise(years)} == {3}
    plt.close(fig)


@pytest.mark.parametrize(
    ("years", "max_ticks", "steps", "step"),
    [(16, 7, (3, 5, 10), 3), (26, 7, (3, 5, 10), 5), (25, 13, (1, 2, 5), 2), (999, 2, (1, 2), 2)],
)
def test_year_step_is_the_first_step_that_fits(years, max_ticks, steps, step):
    assert year_step(years, max_ticks, steps) == step


@pytest.mark.parametrize(
    ("years", "ticks", "step"),
    [
        (1, 12, "month by month"),
        (2, 8, "every 3 months"),
        (3, 12, "every 3 months"),
        (4, 8, "every 6 months"),
        (6, 12, "every 6 months"),
        (7, 7, "year by year"),
        (13, 13, "year by year"),
        (14, 7, "every 2 years"),
        (25, 13, "every 2 years"),
        (60, 12, "every 5 years"),
    ],
)
def test_month_ticks_adapt_to_the_window(years, ticks, step):
    fig, ax = plt.subplots()
    window = Window(2000, 2000 + years - 1)
    ax.set_xlim(window.start, window.end)
    assert month_ticks(ax, window) == step
    assert len(_ticks(ax)) == ticks <= MAX_DATE_TICKS
    plt.close(fig)


# --- the criticism figure of notebook 05: at most CRITICISM_ROWS acts -----------------------------


def _acts(events):
    actors = load_actors()
    return acts_across_reports(events, story_events(events), actors, members_on)


def _act_labels(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def _criticism_note(fig) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_gid() == "criticism-note"]


def test_the_criticism_figure_of_one_article_draws_all_its_acts(events):
    use_style()
    acts = _acts(events)
    fig = criticism_figure(acts, {}, {}, Window(2022, 2022))
    assert len(_act_labels(fig)) == len(acts) == 8 and _criticism_note(fig) == []
    plt.close(fig)


def test_the_criticism_figure_draws_at_most_max_rows_those_told_by_most_reports(events):
    """INVENTED counts of reports: the seed's acts, two of them said to be told by 3 and 2
    reports, so those two and then the earliest act are drawn, each in its critic's group."""
    use_style()
    acts = _acts(events)
    n_reports = [1] * len(acts)
    n_reports[5], n_reports[6] = 3, 2
    invented = acts.assign(n_reports=n_reports, n_outlets=n_reports)
    fig = criticism_figure(invented, {}, {}, Window(2022, 2022), max_rows=3)
    labels = _act_labels(fig)
    assert len(labels) == 3
    assert " · 3 reports, 3 outlets" in "".join(labels) and " · 2 reports" in "".join(labels)
    drawn = most_told(invented, 3, ["event_id", "actor_id"])
    assert list(drawn.index) == [0, 5, 6]  # the earliest act (Tokayev's, June) breaks the tie
    assert _criticism_note(fig) == [
        f"3 of {len(acts)} acts drawn: those told by the most reports (ties: the earliest "
        "first); the table of acts lists them all."
    ]
    plt.close(fig)


def test_the_criticism_figure_draws_criticism_rows_by_default(events):
    """INVENTED acts: the seed's 8 acts six times over, as six invented stories each."""
    use_style()
    acts = _acts(events)
    many = pd.concat(
        [acts.assign(event_id=acts["event_id"] + f"-invented-{i}") for i in range(6)],
        ignore_index=True,
    )
    assert len(many) > CRITICISM_ROWS
    fig = criticism_figure(many, {}, {}, Window(2022, 2022))
    assert len(_act_labels(fig)) == CRITICISM_ROWS
    assert _criticism_note(fig)[0].startswith(f"{CRITICISM_ROWS} of {len(many)} acts drawn")
    plt.close(fig)


def test_the_criticism_figure_says_whose_telling_it_draws(events):
    """One article "tells it"; with an INVENTED second article retelling two events, the
    title says "the articles tell it"."""
    use_style()
    titles = []
    for table in (events, _retold(events, "a11111111111", ["E25", "E30"])):
        fig = criticism_figure(_acts(table), {}, {}, Window(2022, 2022))
        titles.append(fig.axes[0].get_title())
        plt.close(fig)
    assert titles[0].endswith("(as the article tells it)")
    assert titles[1].endswith("(as the articles tell it)")


def test_the_criticism_figure_of_a_long_window_gets_fewer_ticks(events):
    fig = criticism_figure(_acts(events), {}, {}, Window(2000, 2024))
    assert len(_ticks(fig.axes[0])) == 13
    plt.close(fig)


def test_most_told_keeps_the_order_of_the_rows():
    """INVENTED rows: the three told by the most reports, in their own order."""
    rows = pd.DataFrame(
        {
            "story_id": ["S1", "S2", "S3", "S4", "S5"],
            "date_start": pd.to_datetime(["2022-05-01", "2022-01-01", "2022-03-01"] * 2)[:5],
            "n_reports": [2, 1, 1, 4, 1],
        },
        index=[10, 11, 12, 13, 14],
    )
    assert list(most_told(rows, 3, ["story_id"])["story_id"]) == ["S1", "S2", "S4"]
    assert most_told(rows, 5, ["story_id"]) is rows
    with pytest.raises(ValueError, match="at least 1"):
        most_told(rows, 0, ["story_id"])


def test_show_figure_needs_alt_text(tmp_path):
    with pytest.raises(ValueError, match="alt text"):
        show_figure(make_figure(), "x", "  ", tmp_path)
    image = show_figure(make_figure(), "x", "A rising line.", tmp_path)
    assert image.metadata == {"alt": "A rising line."} and image.width == 800
    assert image.data == (tmp_path / "x.png").read_bytes()


# --- issue 10 row 15: a personal matplotlibrc changes no figure ----------------------------------

HOSTILE_RC = """\
font.family: serif
font.size: 17
axes.titlesize: 30
axes.prop_cycle: cycler('color', ['ff00ff', '00ff00'])
axes.facecolor: 222222
axes.grid: True
axes.spines.top: True
axes.unicode_minus: False
lines.linewidth: 4
lines.marker: x
patch.linewidth: 3
legend.frameon: False
xtick.labelsize: 20
image.cmap: jet
figure.facecolor: yellow
figure.dpi: 33
figure.figsize: 3, 2
savefig.dpi: 42
savefig.facecolor: red
savefig.transparent: True
savefig.pad_inches: 1.5
svg.hashsalt: hostile
svg.fonttype: none
text.usetex: False
path.simplify_threshold: 0.9
timezone: Asia/Tokyo
date.epoch: 2000-01-01T00:00:00
"""


def test_row15_hostile_rc_file_is_read_by_matplotlib(tmp_path):
    """The rc file below is valid and matplotlib applies it: the next test is not vacuous."""
    (tmp_path / "matplotlibrc").write_text(HOSTILE_RC, encoding="utf-8")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    code = "import matplotlib as m; print(m.rcParams['lines.linewidth'], m.rcParams['timezone'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["4.0", "Asia/Tokyo"] and result.stderr == ""


def test_use_style_undoes_earlier_settings_but_keeps_the_backend():
    backend = matplotlib.get_backend()
    with matplotlib.rc_context():  # restores this process's settings afterwards
        matplotlib.rcParams.update({"lines.linewidth": 9.0, "timezone": "Asia/Tokyo"})
        plt.style.use("dark_background")
        use_style()
        rc = matplotlib.rcParams
        assert rc["lines.linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"]
        assert rc["timezone"] == "UTC" and rc["figure.facecolor"] == "white"
        assert rc["svg.hashsalt"] == STYLE["svg.hashsalt"]
        assert matplotlib.get_backend() == backend


def test_row15_a_personal_matplotlibrc_changes_no_figure(project_copy, tmp_path, monkeypatch):
    """Issue 10 row 15: with MPLCONFIGDIR holding a hostile matplotlibrc, 12 figures and 5
    notebooks changed. Execute the figure notebooks (a copy of the project, see the fixture)
    with it: every figure file and every notebook output equals the committed one."""
    config = tmp_path / "mplconfig"
    config.mkdir()
    (config / "matplotlibrc").write_text(HOSTILE_RC, encoding="utf-8")
    monkeypatch.setenv("MPLCONFIGDIR", str(config))
    notebooks = [p for p in notebook_paths(project_copy / "notebooks") if p.name >= "02"]
    for notebook in notebooks:
        execute(notebook)
        committed = nbformat.read(NOTEBOOKS / notebook.name, as_version=4)
        executed = nbformat.read(notebook, as_version=4)
        for number, (old, new) in enumerate(zip(committed.cells, executed.cells, strict=True)):
            assert old.get("outputs") == new.get("outputs"), f"{notebook.name} cell {number}"
    committed_figures = ROOT / "figures"  # not helpers.paths.FIGURES: the test command moves it
    figures = sorted((project_copy / "figures").iterdir())
    assert [p.name for p in figures] == sorted(p.name for p in committed_figures.iterdir())
    for figure in figures:
        assert figure.read_bytes() == (committed_figures / figure.name).read_bytes(), figure.name


def test_drawn_share_says_whether_a_figure_draws_every_row():
    assert drawn_share(37, TIMELINE_ROWS) == "all drawn"
    assert drawn_share(TIMELINE_ROWS, TIMELINE_ROWS) == "all drawn"
    assert drawn_share(TIMELINE_ROWS + 1, TIMELINE_ROWS) == f"the {TIMELINE_ROWS} most told drawn"
