"""Issue 10 row 12: an events table with only its header loads, and the notebooks' helper calls
(and the notebooks themselves) then say "no events coded" and draw empty figures, no crash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from helpers.actors import load_actors, members_on
from helpers.balance import frustrated_edges, frustration_index
from helpers.events import (
    EVENTS,
    NO_EVENTS,
    Note,
    export_events,
    load_events,
    or_no_events,
    readable_events,
)
from helpers.execute import execute, notebook_paths
from helpers.factcheck import FACTCHECK_COLUMNS, fact_check, load_reference_events
from helpers.maps import alliance_map
from helpers.network import (
    Window,
    actor_strength,
    analysis_window,
    balance_over_time,
    collapse,
    criticisms,
    edge_table,
    ego_network,
    event_graph,
    export_graphs,
    membership_layer,
    monthly_snapshots,
    monthly_totals,
    to_states,
)
from helpers.paths import ROOT
from helpers.plots import balance_figure, criticism_figure, save_figure, timeline_figure
from helpers.stories import story_events

EVENT_FIGURES = (
    "03_event_timeline",
    "04_alliance_network_map",
    "05_who_criticised_russia",
    "06_balance_over_time",
)


@pytest.fixture(scope="module")
def empty_events_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "events.csv"
    path.write_text(EVENTS.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def empty(empty_events_path, article) -> pd.DataFrame:
    return load_events(empty_events_path, article=article)


def says_no_events(fig) -> bool:
    texts = [t for ax in fig.axes for t in ax.texts if t.get_gid() == "empty-state"]
    return bool(texts) and all(t.get_text() == NO_EVENTS for t in texts)


def test_row12_a_header_only_table_loads_typed_like_the_real_one(empty, events):
    assert empty.empty and list(empty.columns) == list(events.columns)
    assert dict(empty.dtypes) == dict(events.dtypes)
    assert empty["date_start"].dtype.kind == "M"  # so .dt works on it


def test_row12_tables_say_no_events_coded(empty, events):
    actors = load_actors()
    note = or_no_events(readable_events(empty, actors))
    assert isinstance(note, Note) and repr(note) == NO_EVENTS
    assert note._repr_html_() == f"<p><em>{NO_EVENTS}</em></p>"
    table = readable_events(events, actors)
    assert or_no_events(table) is table  # real data: the very same table, the same output


def test_row12_notebook_03_helpers_on_no_events(empty, article, tmp_path):
    actors = load_actors()
    crosstab = pd.crosstab(empty["plover_event_type"], empty["quad_class"], margins=True)
    assert isinstance(or_no_events(crosstab), Note)
    checks = fact_check(article, empty, load_reference_events())
    assert checks.empty and list(checks.columns) == list(FACTCHECK_COLUMNS)
    assert checks["verdict"].value_counts().empty
    csv_path, jsonl_path = export_events(empty, tmp_path)
    assert csv_path.read_text(encoding="utf-8").count("\n") == 1 and jsonl_path.read_bytes() == b""
    window = analysis_window(empty, published=(article.date_start, article.date_end))
    assert window == Window(2022, 2022)  # no events: the publication year
    fig = timeline_figure(story_events(empty, actors=actors), window)
    assert says_no_events(fig)
    assert all(p.stat().st_size for p in save_figure(fig, "timeline", tmp_path))
    plt.close(fig)
    assert readable_events(empty, actors).empty


def test_row12_notebook_04_helpers_on_no_events(empty, tmp_path):
    actors = load_actors()
    names = actors.set_index("actor_id")["name_en"].to_dict()
    graph = membership_layer(event_graph(empty, actors), "2022-11-23", members_on, True)
    assert graph.number_of_nodes() == 0 and graph.graph["no_recipient"] == []
    year = collapse(to_states(graph, actors), "2022-01-01", "2022-12-31")
    assert edge_table(year, names).empty and actor_strength(year).empty
    assert year.graph["internal"] == {}
    ego = ego_network(year, "RUS")  # RUS has no ties: an empty graph, not NodeNotFound
    assert ego.number_of_nodes() == 0 and type(ego) is type(year)
    assert edge_table(ego, names).empty
    fig = alliance_map(year, actors, members_on("2022-11-23"))
    assert says_no_events(fig)
    plt.close(fig)
    written = {**export_graphs(graph, tmp_path, "events"), **export_graphs(year, tmp_path, "y")}
    assert all(path.stat().st_size for path in written.values())


def test_row12_notebook_05_helpers_on_no_events(empty, article):
    actors = load_actors()
    acts = criticisms(empty, actors, members_on)
    assert acts.empty and acts["date_start"].dtype.kind == "M"
    assert acts["date_start"].dt.strftime("%Y-%m-%d").empty  # failed with AttributeError
    reference = load_reference_events().set_index("fact_id")
    key_dates = {"summit": f"{reference.at['F01', 'date_start']:%Y-%m-%d}"}
    window = analysis_window(empty, published=[article.date_end])
    fig = criticism_figure(acts, {}, key_dates, window)
    assert says_no_events(fig)
    plt.close(fig)


def test_row12_notebook_06_helpers_on_no_events(empty):
    actors = load_actors()
    months = monthly_snapshots(to_states(event_graph(empty, actors), actors), 2022)
    balance, totals = balance_over_time(months), monthly_totals(months)
    assert len(balance) == 12 and (balance["edges"] == 0).all()
    assert (totals["events"] == 0).all()
    fig = balance_figure(balance, totals)
    assert says_no_events(fig)
    plt.close(fig)
    index, camps = frustration_index(months["2022-11"])
    assert (index, camps, frustrated_edges(months["2022-11"], camps)) == (0, {}, [])


def test_real_figures_draw_no_empty_state(events):
    fig = timeline_figure(story_events(events))
    assert not says_no_events(fig)
    plt.close(fig)


# --- the notebooks themselves -----------------------------------------------------------------


def _digest(folders: list[Path]) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_row12_every_notebook_runs_on_an_empty_events_table(project_copy):
    """Execute copies of all notebooks against a header-only events.csv (see the fixture
    ``project_copy``: the notebooks are not edited and no path is overridden; the checkout's
    outputs are left as they are, as checked at the end)."""
    copy = project_copy
    header = EVENTS.read_text(encoding="utf-8").splitlines()[0]
    (copy / "data" / "events.csv").write_text(header + "\n", encoding="utf-8")
    watched = [ROOT / "figures", ROOT / "data" / "processed", ROOT / "notebooks"]
    before = _digest(watched)

    for notebook in notebook_paths(copy / "notebooks"):
        execute(notebook)  # raises CellExecutionError, naming the cell, if a cell fails
        if notebook.name >= "03":
            outputs = [
                output.get("data", {}).get("text/plain", "")
                for cell in nbformat.read(notebook, as_version=4).cells
                for output in cell.get("outputs", [])
            ]
            assert NO_EVENTS in outputs, notebook.name

    for name in EVENT_FIGURES:
        svg = (copy / "figures" / f"{name}.svg").read_text(encoding="utf-8")
        assert 'id="empty-state' in svg, name
    events_csv = copy / "data" / "processed" / "events.csv"
    assert events_csv.read_text(encoding="utf-8") == header + "\n"
    assert _digest(watched) == before
