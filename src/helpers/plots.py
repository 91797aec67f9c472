"""Figure style and byte-identical SVG/PNG output for the notebooks."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from helpers.io import write_bytes
from helpers.paths import FIGURES

STYLE = {
    "svg.hashsalt": "csto-tensions",  # stable ids inside SVG files
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",  # ships with matplotlib: same glyphs on every machine
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.figsize": (9, 5),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
}

# No dates or version strings in the files: re-running gives the same bytes.
_METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}


def use_style() -> None:
    """Apply the project's matplotlib settings (call once at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


def save_figure(fig: Figure, name: str, folder: Path = FIGURES) -> list[Path]:
    """Write ``fig`` as ``<name>.svg`` and ``<name>.png`` into ``folder``, atomically and
    byte-identical from run to run. Returns the paths written."""
    written = []
    with mpl.rc_context(STYLE):
        for fmt in ("svg", "png"):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight")
            written.append(write_bytes(folder / f"{name}.{fmt}", buffer.getvalue()))
    return written


def show_figure(fig: Figure, name: str, alt: str, folder: Path = FIGURES):
    """Save ``fig`` (SVG and PNG, see :func:`save_figure`), close it, and return the PNG as a
    notebook display object carrying ``alt`` text, so that rendered pages describe the figure."""
    from IPython.display import Image  # imported here: only notebooks need IPython

    if not alt.strip():
        raise ValueError(f"figure {name!r} needs alt text that says what it shows")
    paths = save_figure(fig, name, folder)
    import matplotlib.pyplot as plt

    plt.close(fig)
    png = next(p for p in paths if p.suffix == ".png")
    return Image(data=png.read_bytes(), format="png", metadata={"alt": alt}, width=800)


# --- figures -------------------------------------------------------------------------------

KIND_COLOURS = {
    "state": "#4C72B0",
    "organisation": "#DD8452",
    "person": "#55A868",
    "region": "#8172B3",
    "city": "#937860",
    "group": "#DA8BC3",
}
QUAD_COLOURS = {
    "verbal_cooperation": "#8FB9E0",
    "material_cooperation": "#1F5FA8",
    "verbal_conflict": "#F2A07B",
    "material_conflict": "#B2182B",
}


def comention_figure(graph, title: str = "Actors named in the same sentence") -> Figure:
    """Draw a co-mention graph: nodes coloured by actor kind and sized by mentions, edge width
    by the number of shared sentences. The layout is seeded, so the drawing is reproducible."""
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(10, 8))
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted(graph.edges(data=True)))
    positions = nx.spring_layout(ordered, seed=7, weight="weight", k=1.2, iterations=200)
    weights = [d.get("weight", 1) for _, _, d in ordered.edges(data=True)]
    nx.draw_networkx_edges(
        ordered, positions, ax=ax, width=[0.6 + 0.8 * w for w in weights], alpha=0.35
    )
    kinds = [d.get("kind", "state") for _, d in ordered.nodes(data=True)]
    sizes = [120 + 60 * d.get("mentions", 1) for _, d in ordered.nodes(data=True)]
    nx.draw_networkx_nodes(
        ordered,
        positions,
        ax=ax,
        node_color=[KIND_COLOURS.get(k, "grey") for k in kinds],
        node_size=sizes,
        edgecolors="white",
    )
    labels = {n: d.get("name_en", n) for n, d in ordered.nodes(data=True)}
    nx.draw_networkx_labels(ordered, positions, labels=labels, ax=ax, font_size=9)
    present = [k for k in KIND_COLOURS if k in kinds]
    handles = [
        Line2D([], [], marker="o", ls="", color=KIND_COLOURS[k], label=k, markersize=9)
        for k in present
    ]
    ax.legend(handles=handles, loc="lower left", frameon=False, title="actor kind")
    ax.set_title(title)
    ax.axis("off")
    return fig


def _draw_intervals(ax, events, y_of) -> None:
    """Bars for date intervals (inclusive end), a marker where the day is known."""
    import pandas as pd

    one_day = pd.Timedelta(days=1)
    for _, event in events.iterrows():
        colour = QUAD_COLOURS.get(event["quad_class"], "grey")
        y = y_of[event["event_id"]]
        if event["date_precision"] == "day" and event["date_start"] == event["date_end"]:
            ax.plot([event["date_start"]], [y], marker="D", color=colour, markersize=6, ls="")
        else:
            width = event["date_end"] + one_day - event["date_start"]
            ax.barh(y, width, left=event["date_start"], height=0.6, color=colour, alpha=0.85)


def timeline_figure(events, zoom_start: str = "2022-01-01", zoom_end: str = "2022-12-01") -> Figure:
    """The events as date intervals, coloured by quad class: the whole period on the left, the
    months around the article on the right. A diamond marks an event whose day is known."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ordered = events.sort_values(["date_start", "date_end", "event_id"]).reset_index(drop=True)
    y_of = {event_id: i for i, event_id in enumerate(ordered["event_id"])}
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 0.32 * len(ordered) + 2), sharey=True, width_ratios=[1, 2]
    )
    for ax in (left, right):
        _draw_intervals(ax, ordered, y_of)
        ax.grid(axis="x", alpha=0.3)
    labels = [f"{r.event_id} {r.gloss_en[:48]}" for r in ordered.itertuples()]
    left.set_yticks(range(len(ordered)), labels, fontsize=8)
    left.invert_yaxis()
    left.set_xlim(pd.Timestamp("2007-01-01"), pd.Timestamp("2023-01-01"))
    left.xaxis.set_major_locator(mdates.YearLocator(3))
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    left.set_title("2007 to 2022")
    right.set_xlim(pd.Timestamp(zoom_start), pd.Timestamp(zoom_end) + pd.offsets.MonthEnd(1))
    right.xaxis.set_major_locator(mdates.MonthLocator())
    right.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    right.set_title("2022, month by month")
    handles = [Patch(color=c, label=q.replace("_", " ")) for q, c in QUAD_COLOURS.items()]
    handles.append(Line2D([], [], marker="D", ls="", color="black", label="day known"))
    right.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
    fig.suptitle("Events the article reports, by date interval and quad class", weight="bold")
    fig.tight_layout()
    return fig
