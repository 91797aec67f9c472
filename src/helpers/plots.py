"""Figure style and byte-identical SVG/PNG output for the notebooks."""

from __future__ import annotations

import calendar
import contextlib
import io
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.transforms import Bbox

from helpers.events import NO_EVENTS
from helpers.io import write_bytes
from helpers.keydates import format_day
from helpers.network import Window, analysis_window
from helpers.paths import FIGURES
from helpers.tables import records, split_ids

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import RendererAgg

STYLE = {
    "svg.hashsalt": "csto-tensions",  # stable ids inside SVG files
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",  # ships with matplotlib: same glyphs on every machine
    "figure.dpi": 150,
    "savefig.dpi": 150,
    # FreeType's own outlines, not matplotlib's default forced auto-hinting: auto-hinting every
    # glyph was a third of the time of drawing a PNG; at 150 dpi unhinted text is as legible,
    # and the SVGs (text as paths) were never hinted.
    "text.hinting": "no_hinting",
    "figure.figsize": (9, 5),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
}

# Settings of the session, not of a figure (which backend, GUI windows, the web server):
# kept as the user has them. Every other setting comes from project_rc().
SESSION_SETTINGS = frozenset(
    {
        "backend",
        "backend_fallback",
        "interactive",
        "toolbar",
        "figure.max_open_warning",
        "figure.raise_window",
        "savefig.directory",
        "tk.window_focus",
        "docstring.hardcopy",
        "webagg.address",
        "webagg.port",
        "webagg.port_retries",
        "webagg.open_in_browser",
    }
)

# No dates or version strings in the files: re-running gives the same bytes.
_METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}
# zlib level 3 instead of Pillow's 6: a third less time encoding the PNGs, 2 % more bytes.
SAVE_OPTIONS = {"svg": {}, "png": {"pil_kwargs": {"compress_level": 3}}}


def project_rc() -> dict[str, object]:
    """Every matplotlib setting the figures are made with: matplotlib's built-in defaults
    (``rcParamsDefault``, which no personal ``matplotlibrc``, ``MPLCONFIGDIR``, ``MATPLOTLIBRC``
    or style sheet changes), then :data:`STYLE`. Only :data:`SESSION_SETTINGS` are left out."""
    rc = {k: v for k, v in mpl.rcParamsDefault.items() if k not in SESSION_SETTINGS}
    rc.update(STYLE)
    return rc


def use_style() -> None:
    """Set every figure setting to the project's (call once at the top of a notebook): what the
    user's matplotlibrc, a style sheet or an earlier cell changed is undone; the backend (e.g.
    the notebook's inline one) stays."""
    mpl.rcParams.update(project_rc())


def tight_box(fig: Figure) -> Bbox:
    """The area (inches) that ``savefig(bbox_inches="tight")`` saves at the current
    ``savefig.dpi`` with ``savefig.pad_inches``, worked out with the Agg renderer as savefig
    does for a PNG (the figure's tight box, padded), so that it can be worked out once for
    every format of a figure.

    savefig first draws the figure without rendering; that pass is left out when the figure
    has no layout engine that lays it out on every draw (none, or the placeholder
    ``tight_layout()`` leaves): ``get_tightbbox`` itself updates what the box depends on
    (ticks, titles, aspect, legends, annotations), so the box is the same for a third less
    work (tests/test_plots.py checks it for every kind of figure the collection draws)."""
    dpi, original = mpl.rcParams["savefig.dpi"], fig.dpi
    fig.dpi = dpi
    try:
        renderer = _agg_renderer(fig)
        if not _laid_out_once(fig):
            with renderer._draw_disabled():  # as savefig's own layout pass
                fig.draw(renderer)
        box = fig.get_tightbbox(renderer)
    finally:
        fig.dpi = original
    pad = mpl.rcParams["savefig.pad_inches"]
    return box.padded(pad, pad)


def _agg_renderer(fig: Figure) -> RendererAgg:
    """An Agg renderer for ``fig`` at its size and dpi: its canvas's own when the canvas is
    Agg's (as in notebooks and scripts), so that the text sizes ``tight_layout()`` measured
    with it at the same dpi are not measured again; a new one otherwise."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    if isinstance(fig.canvas, FigureCanvasAgg):
        return fig.canvas.get_renderer()
    return RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)


def _laid_out_once(fig: Figure) -> bool:
    """Whether ``fig`` has no layout engine that lays it out on every draw: none, or the
    placeholder ``tight_layout()`` leaves (a real engine, e.g. constrained, does)."""
    engine = fig.get_layout_engine()
    return engine is None or isinstance(engine, PlaceHolderLayoutEngine)


@contextlib.contextmanager
def _laid_out(fig: Figure) -> Iterator[None]:
    """While saving a figure laid out once (``tight_layout()`` leaves a placeholder layout
    engine), set no engine: with any engine set, savefig draws the figure once more, without
    rendering, before each file. A real engine (constrained) is kept: it lays the figure out
    on every draw."""
    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def save_figure(fig: Figure, name: str, folder: Path = FIGURES) -> list[Path]:
    """Write ``fig`` as ``<name>.svg`` and ``<name>.png`` into ``folder``, atomically and
    byte-identical from run to run, with the project's settings (:func:`project_rc`) whatever
    the session's are, both cut to the same tight box (:func:`tight_box`, worked out once).
    Returns the paths written."""
    written = []
    with mpl.rc_context(project_rc()):
        box = tight_box(fig)
        with _laid_out(fig):
            for fmt in ("svg", "png"):
                buffer = io.BytesIO()
                fig.savefig(
                    buffer,
                    format=fmt,
                    metadata=_METADATA[fmt],
                    bbox_inches=box,
                    **SAVE_OPTIONS[fmt],
                )
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


def draw_empty(ax, text: str = NO_EVENTS) -> None:
    """Say ``text`` ("no events coded") in the middle of ``ax``: the empty state of a figure
    whose data has no rows, drawn instead of failing or leaving blank axes."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=14,
        color="#555555",
        gid="empty-state",
        bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#999999"},
    )


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


def short_label(actor_id: str, data: dict) -> str:
    """A short English label: the id for organisations, the surname for people, else the name."""
    kind, name = data.get("kind", ""), data.get("name_en", "") or actor_id
    if kind == "organisation":
        return actor_id
    if kind == "person":
        return name.split()[-1]
    return name.replace(" Oblast", "").replace("Russian minority of Kazakhstan", "Russian minority")


def comention_figure(
    graph, title: str = "Actors named in the same sentence", core: int = 8
) -> Figure:
    """Draw a co-mention graph on two rings: the ``core`` most-mentioned actors inside, the rest
    outside grouped by kind. Nodes are coloured by kind and sized by mentions; edge width is the
    number of shared sentences. No randomness: the drawing is the same on every run."""
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(10, 9))
    nodes = dict(graph.nodes(data=True))
    by_mentions = sorted(nodes, key=lambda n: (-nodes[n].get("mentions", 0), n))
    inner = by_mentions[:core]
    kind_order = list(KIND_COLOURS)
    outer = sorted(
        by_mentions[core:],
        key=lambda n: (kind_order.index(nodes[n].get("kind", "state")), short_label(n, nodes[n])),
    )
    positions = nx.shell_layout(graph, nlist=[inner, outer], scale=1.0)
    edges = sorted(graph.edges(data=True))
    nx.draw_networkx_edges(
        graph,
        positions,
        ax=ax,
        edgelist=[(a, b) for a, b, _ in edges],
        width=[0.5 + 0.9 * d.get("weight", 1) for _, _, d in edges],
        alpha=0.3,
    )
    order = inner + outer
    kinds = [nodes[n].get("kind", "state") for n in order]
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=ax,
        nodelist=order,
        node_color=[KIND_COLOURS.get(k, "grey") for k in kinds],
        node_size=[120 + 70 * nodes[n].get("mentions", 1) for n in order],
        edgecolors="white",
    )
    for node in order:
        x, y = positions[node]
        outside = node in outer
        ax.annotate(
            short_label(node, nodes[node]),
            (x, y),
            xytext=(x * 1.13, y * 1.13) if outside else (x, y - 0.09),
            ha=("left" if x > 0.05 else "right" if x < -0.05 else "center")
            if outside
            else "center",
            va="center",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    present = [k for k in KIND_COLOURS if k in kinds]
    handles = [
        Line2D([], [], marker="o", ls="", color=KIND_COLOURS[k], label=k, markersize=9)
        for k in present
    ]
    ax.legend(handles=handles, loc="lower left", frameon=False, title="actor kind",
              bbox_to_anchor=(-0.12, -0.08))  # fmt: skip
    ax.set_title(title)
    ax.set_xlim(-1.55, 1.55)
    ax.set_ylim(-1.35, 1.35)
    ax.axis("off")
    return fig


# The most story events the timeline draws (a row of 0.32 in each): past it, those told by the
# most reports.
TIMELINE_ROWS = 60
CONFLICT_HATCH = "////"  # a story whose reports' dates disagree: the union of their intervals


def _draw_intervals(ax, events, min_days: int = 1) -> None:
    """Bars for date intervals (inclusive end), one row per event in the frame's order (row 0
    at the top), a marker where the day is known; a bar shorter than ``min_days`` is widened
    about its middle so that it stays visible. A row whose ``conflict`` is true (a story whose
    reports' dates disagree) is a hatched bar over the union of the reports' intervals."""
    import pandas as pd

    one_day = pd.Timedelta(days=1)
    columns = ["quad_class", "date_precision", "date_start", "date_end"]
    columns += ["conflict"] if "conflict" in events else []
    for y, event in enumerate(records(events, columns)):
        colour = QUAD_COLOURS.get(event["quad_class"], "grey")
        conflict = bool(event.get("conflict", False))
        day = event["date_precision"] == "day" and event["date_start"] == event["date_end"]
        if day and not conflict:
            ax.plot([event["date_start"]], [y], marker="D", color=colour, markersize=6, ls="")
            continue
        start, width = event["date_start"], event["date_end"] + one_day - event["date_start"]
        if width < pd.Timedelta(days=min_days):
            start = start + width / 2 - pd.Timedelta(days=min_days) / 2
            width = pd.Timedelta(days=min_days)
        if conflict:
            ax.barh(y, width, left=start, height=0.6, facecolor=(*mpl.colors.to_rgb(colour), 0.3),
                    edgecolor=colour, hatch=CONFLICT_HATCH, linewidth=0.8)  # fmt: skip
        else:
            ax.barh(y, width, left=start, height=0.6, color=colour, alpha=0.85)


def most_told(rows: pd.DataFrame, max_rows: int, ids: list[str]) -> pd.DataFrame:
    """The rows a figure with room for ``max_rows`` draws, in their order in ``rows``: all of
    them when there are at most ``max_rows``, else the ``max_rows`` told by the most reports
    (``n_reports``; ties: the earliest ``date_start``, then the columns ``ids``)."""
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows}")
    if len(rows) <= max_rows:
        return rows
    by_reports = rows.reset_index(drop=True).sort_values(
        ["n_reports", "date_start", *ids], ascending=[False, True, *[True] * len(ids)],
        kind="stable",
    )  # fmt: skip
    return rows.iloc[sorted(by_reports.index[:max_rows])]


def _left_out_note(drawn: int, total: int, what: str, table: str) -> str:
    """A figure's footnote when it draws ``drawn`` of ``total`` rows (``what``: "acts") chosen
    by :func:`most_told`, naming the ``table`` that lists them all; empty when it draws all."""
    if drawn == total:
        return ""
    return (
        f"{drawn:,} of {total:,} {what} drawn: those told by the most reports "
        f"(ties: the earliest first); {table} lists them all."
    )


def drawn_share(total: int, max_rows: int) -> str:
    """For a figure's alt text: ``"all drawn"``, or ``"the 60 most told drawn"`` when
    ``total`` rows exceed the ``max_rows`` a figure draws (:func:`most_told`)."""
    return "all drawn" if total <= max_rows else f"the {max_rows} most told drawn"


NOTE_INCHES = 0.35  # the height kept under a figure for its footnote


def _add_note(fig: Figure, note: str, gid: str) -> float:
    """Write ``note`` (if any) at the foot of ``fig``, 0.1 in from its bottom edge; returns the
    share of the figure's height to keep free for it (0 without a note), for ``tight_layout``."""
    if not note:
        return 0.0
    height = fig.get_figheight()
    fig.text(0.01, 0.1 / height, note, fontsize=9, ha="left", va="bottom", gid=gid)
    return NOTE_INCHES / height


# The most date ticks an axis over a window gets (the timeline's right panel, about 5.5 in wide,
# has room for 13 labels such as "2022"): a longer window is ticked every 3 or 6 months, every
# year or every few years (month_ticks).
MAX_DATE_TICKS = 13
_MONTH_STEPS = (1, 3, 6)
_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)
# The timeline's left panel (the whole period, about 2.7 in wide): at most 7 year labels, every
# 3 years or more.
_OVERVIEW_TICKS = (7, (3, 5, 10, 20, 50, 100))


def year_step(years: int, max_ticks: int, steps: tuple[int, ...] = _YEAR_STEPS) -> int:
    """The first of ``steps`` (years between ticks) that ticks ``years`` years with at most
    ``max_ticks`` ticks (the last step if none does).

    >>> year_step(16, 7, (3, 5, 10)), year_step(26, 7, (3, 5, 10))
    (3, 5)
    """
    return next((k for k in steps if -(-years // k) <= max_ticks), steps[-1])


def month_ticks(ax: Axes, window: Window, month_format: str = "%b\n%Y") -> str:
    """Tick the x axis of ``ax`` over ``window``: every month (labels ``month_format``) up to
    :data:`MAX_DATE_TICKS` months, else the first of every 3 or 6 months, every year or every
    2, 5, 10 ... years that gives at most that many ticks. Returns the step in words for a
    title: "month by month", "every 3 months", "year by year", "every 2 years"."""
    import matplotlib.dates as mdates

    months = 12 * (window.last_year - window.first_year + 1)
    step = next((k for k in _MONTH_STEPS if -(-months // k) <= MAX_DATE_TICKS), None)
    if step is not None:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter(month_format if step == 1 else "%b\n%Y"))
        return "month by month" if step == 1 else f"every {step} months"
    step = year_step(months // 12, MAX_DATE_TICKS)
    ax.xaxis.set_major_locator(mdates.YearLocator(step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return "year by year" if step == 1 else f"every {step} years"


def timeline_rows(stories: pd.DataFrame, max_rows: int = TIMELINE_ROWS) -> pd.DataFrame:
    """The story events (:func:`helpers.stories.story_events`) the timeline draws, in date
    order (``date_start``, ``date_end``, ``story_id``), index 0, 1, ...: all of them when there
    are at most ``max_rows``, else the ``max_rows`` told by the most reports (ties: the earliest
    ``date_start``, then ``story_id``; :func:`most_told`)."""
    drawn = most_told(stories, max_rows, ["story_id"])
    ordered = drawn.sort_values(["date_start", "date_end", "story_id"], kind="stable")
    return ordered.reset_index(drop=True)


def story_label(story: object, several: bool) -> str:
    """The timeline's label of a story event: for a story one report tells, that report as
    the event tables name it (``E05 gloss…``, ``article_id:E05 gloss…`` when the corpus has
    ``several`` articles); for a story several reports tell, ``S12 gloss… (3 reports)``."""
    gloss = textwrap.shorten(story.gloss_en, 52, placeholder="…")
    if story.n_reports > 1:
        return f"{story.story_id} {gloss} ({story.n_reports} reports)"
    report = story.event_ids if several else story.event_ids.removeprefix(f"{story.article_ids}:")
    return f"{report} {gloss}"


def _several_articles(cells: Iterable[str], article_of: Callable[[str], str] = str) -> bool:
    """Whether ``cells`` (each a list of ids, e.g. a stories table's ``article_ids``) name more
    than one article, ``article_of`` giving the article of an id."""
    return len({article_of(i) for cell in cells for i in split_ids(cell)}) > 1


def timeline_figure(
    stories: pd.DataFrame, window: Window | None = None, max_rows: int = TIMELINE_ROWS
) -> Figure:
    """The story events (:func:`helpers.stories.story_events`: the reports of one act merged)
    as date intervals, one row per story, coloured by quad class: the whole period on the left
    (from the year before the earliest drawn story to the end of ``window``), the months of
    ``window`` on the right (default: :func:`helpers.network.analysis_window` of the stories).
    A diamond marks a story whose day is known, a hatched bar one whose reports' dates
    disagree (``conflict``). Rows are labelled by :func:`story_label`. At most ``max_rows``
    rows (:func:`timeline_rows`); when there are more stories, a note under the figure says how
    many are drawn and which. Without stories both panels say "no events coded"."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if "story_id" not in stories:
        raise ValueError(
            "timeline_figure draws story events: pass helpers.stories.story_events(events, ...), "
            "not the events (the table has no story_id column)"
        )
    window = window if window is not None else analysis_window(stories)
    ordered = timeline_rows(stories, max_rows)
    first_year = min([window.first_year, *ordered["date_start"].dt.year]) - 1
    several = _several_articles(stories["article_ids"])
    note = _left_out_note(len(ordered), len(stories), "story events", "the story table")
    height = 0.32 * len(ordered) + 2 + (NOTE_INCHES if note else 0)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, height), sharey=True, width_ratios=[1, 2])
    _draw_intervals(left, ordered, min_days=90)
    _draw_intervals(right, ordered)
    for ax in (left, right):
        ax.grid(axis="x", alpha=0.3)
    labels = [story_label(story, several) for story in ordered.itertuples()]
    left.set_yticks(range(len(ordered)), labels, fontsize=8)
    left.invert_yaxis()
    left.set_xlim(pd.Timestamp(year=first_year, month=1, day=1), window.end + pd.Timedelta(days=1))
    span = window.last_year - first_year + 1
    left.xaxis.set_major_locator(mdates.YearLocator(year_step(span, *_OVERVIEW_TICKS)))
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    left.set_title(
        f"{first_year} to {window.last_year}\n(short bars widened to 90 days)", fontsize=10
    )
    right.set_xlim(window.start, window.end)
    step = month_ticks(right, window)
    right.set_title(f"{window.label}, {step}")
    handles = [Patch(color=c, label=q.replace("_", " ")) for q, c in QUAD_COLOURS.items()]
    handles.append(Line2D([], [], marker="D", ls="", color="black", label="day known"))
    if ordered["conflict"].any():
        handles.append(Patch(facecolor="white", edgecolor="black", hatch=CONFLICT_HATCH,
                             label="reports' dates disagree: their union"))  # fmt: skip
    right.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
    if ordered.empty:
        for ax in (left, right):
            draw_empty(ax)
    told = "Events the article reports" if not several else "Story events the articles report"
    fig.suptitle(f"{told}, by date interval and quad class", weight="bold")
    bottom = _add_note(fig, note, "timeline-note")
    fig.tight_layout(rect=(0, bottom, 1, 0.98))
    return fig


STATUS_COLOURS = {"signed": "#C7D3E3", "member": "#1F5FA8", "frozen": "#F0A33A", "out": None}


def publication_band(
    start: pd.Timestamp, end: pd.Timestamp, label: str = "article"
) -> tuple[str, str, str]:
    """``("article (Nov 2022)", "2022-11-01", "2022-11-30")``: the publication period as the
    shaded ``band`` of :func:`membership_figure`, labelled by day, month or year when it is
    exactly one, else from day to day."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        when = format_day(start)
    elif start.is_month_start and end == start + pd.offsets.MonthEnd(0):
        when = f"{start:%b %Y}"
    elif start.is_year_start and end == start + pd.offsets.YearEnd(0):
        when = f"{start.year}"
    else:
        when = f"{format_day(start)} to {format_day(end)}"
    return f"{label} ({when})", f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"


def membership_figure(
    spans, names: dict[str, str], marks: dict[str, str], band: tuple[str, str, str] | None = None
) -> Figure:
    """CSTO membership per state as coloured spans (signatory, member, frozen; gaps where a
    state was out), with vertical lines at the dates in ``marks`` (label -> ISO date) and an
    optional shaded ``band`` (label, first day, last day), e.g. the article's month."""
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.patches import Patch

    states = sorted(spans["state_id"].unique(), key=lambda s: names.get(s, s))
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(states) + 1.8))
    for y, state in enumerate(states):
        for span in spans[spans["state_id"] == state].itertuples():
            colour = STATUS_COLOURS[span.status]
            if colour is not None:
                ax.barh(y, span.end - span.start, left=span.start, color=colour, height=0.6)
    ax.set_yticks(range(len(states)), [names.get(s, s) for s in states])
    ax.invert_yaxis()
    for i, (label, day) in enumerate(marks.items()):
        when = pd.Timestamp(day)
        ax.axvline(when, color="black", lw=1, ls="--")
        ax.annotate(
            label,
            (when, -0.9 - 0.55 * i),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            annotation_clip=False,
        )
    if band is not None:
        label, first, last = band
        ax.axvspan(pd.Timestamp(first), pd.Timestamp(last), color="#B2182B", alpha=0.5)
        ax.annotate(
            label,
            (pd.Timestamp(last), -0.9),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            fontsize=8,
            color="#B2182B",
            annotation_clip=False,
        )
    handles = [
        Patch(color=c, label={"signed": "signed, not yet in force"}.get(s, s))
        for s, c in STATUS_COLOURS.items()
        if c is not None
    ]
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=9,
        frameon=False,
    )  # fmt: skip
    since = spans["start"].min().year
    ax.set_title(f"Collective Security Treaty / CSTO membership since {since}", pad=28)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _told_by(act: object) -> str:
    """`` · 3 reports, 2 outlets`` for an act told by more than one report (acts of
    :func:`helpers.reports.acts_across_reports`); empty otherwise."""
    reports = int(getattr(act, "n_reports", 1) or 1)
    if reports < 2:
        return ""
    outlets = int(getattr(act, "n_outlets", 1))
    return f" · {reports} reports, {outlets} outlet{'s' if outlets != 1 else ''}"


# The most acts the criticism figure draws (a line of 1.05 in each, with a two-line label):
# past it, those told by the most reports.
CRITICISM_ROWS = 40


def _tellers(acts: pd.DataFrame) -> str:
    """The title's "the article tells it", or "the articles tell it" when the acts' ``reports`` (as
    :func:`helpers.reports.acts_across_reports` gives them) come from several articles."""
    from helpers.stories import report_article

    several = _several_articles(acts.get("reports", []), report_article)
    return "the articles tell it" if several else "the article tells it"


def criticism_figure(
    acts,
    names: dict[str, str],
    key_dates: dict[str, str],
    window: Window,
    row_names: dict[str, str] | None = None,
    empty_text: str = NO_EVENTS,
    max_rows: int = CRITICISM_ROWS,
) -> Figure:
    """Who criticised Russia, and when: one row group per criticising actor, one line per act
    drawn as its date interval (a diamond where the day is known), labelled with a short English
    gloss and the Dutch words, and with how many reports and outlets tell it when more than
    one report does (columns ``n_reports``, ``n_outlets``); dashed reference lines at
    ``key_dates`` (label -> ISO date, e.g. from :func:`helpers.keydates.key_dates`); the x axis
    spans ``window`` (e.g. :func:`helpers.network.analysis_window`; ticks by
    :func:`month_ticks`). ``row_names`` overrides the label of an actor's row group. At most
    ``max_rows`` acts, in the order of ``acts`` within each group: past it, those told by the
    most reports (:func:`most_told`: ties, the earliest ``date_start``, then ``event_id`` and
    ``actor_id``), with a note under the figure naming both counts. Without acts the axes say
    ``empty_text``."""
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.patches import Patch

    one_day = pd.Timedelta(days=1)
    row_names = row_names or {}
    colours = {"russia": "#B2182B", "csto": "#F4A582"}
    total = len(acts)
    acts = most_told(acts, max_rows, ["event_id", "actor_id"])
    note = _left_out_note(len(acts), total, "acts", "the table of acts")
    first_act = acts.groupby("actor_id")["date_start"].min().sort_values(kind="stable")
    order = list(first_act.index)
    height = 1.05 * len(acts) + 2.4 + (NOTE_INCHES if note else 0)
    fig, ax = plt.subplots(figsize=(13, height))
    y, ticks, tick_labels = 0, [], []
    x_min, x_max = window.start, window.end
    middle = x_min + (x_max - x_min) / 2
    for group, actor in enumerate(order):
        rows = acts[acts["actor_id"] == actor]
        top = y
        for act in rows.itertuples():
            colour = colours["csto"] if act.target == "CSTO" else colours["russia"]
            if act.date_precision == "day" and act.date_start == act.date_end:
                ax.plot([act.date_start], [y], marker="D", color=colour, markersize=8, ls="")
            else:
                width = act.date_end + one_day - act.date_start
                ax.barh(y, width, left=act.date_start, height=0.5, color=colour, alpha=0.85)
            target = {"RUS": "Russia", "PUTIN": "Putin", "CSTO": "the CSTO"}.get(
                act.target.split(";")[0], act.target
            )
            dutch = act.quote_nl.strip("‘’“”'\" ")
            text = (
                f"{textwrap.shorten(act.gloss_en, 70, placeholder='…')}  [→ {target}]"
                f"{_told_by(act)}\n"
                f"Dutch: ‘{textwrap.shorten(dutch, 64, placeholder='…')}’"
            )
            left_side = act.date_start > middle
            anchor = act.date_start - 3 * one_day if left_side else act.date_end + 4 * one_day
            ax.annotate(
                text,
                (anchor, y),
                ha="right" if left_side else "left",
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
            )
            y += 1
        ticks.append((top + y - 1) / 2)
        state = rows["state_id"].iloc[0]
        who = names.get(actor, actor)
        if actor in row_names:
            who = row_names[actor]
        elif actor != state:
            who = f"{who}\n({names.get(state, state)})"
        tick_labels.append(who)
        if group < len(order) - 1:
            ax.axhline(y - 0.5, color="grey", lw=0.5, alpha=0.5)
    for i, (label, day) in enumerate(key_dates.items()):
        when = pd.Timestamp(day)
        ax.axvline(when, color="black", ls="--", lw=0.8)
        ax.annotate(
            label,
            (when, -0.75 - 0.5 * (i % 2)),
            ha="center",
            va="bottom",
            fontsize=8,
            annotation_clip=False,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
        )
    ax.set_yticks(ticks, tick_labels, fontsize=10)
    ax.set_ylim(y - 0.4, -1.6)
    ax.set_xlim(x_min, x_max)
    month_ticks(ax, window, "%b" if window.within_one_year() else "%b\n%Y")
    ax.grid(axis="x", alpha=0.25)
    ax.set_xlabel(
        f"{window.label} (bars: the interval the article allows; a diamond where the day is known)"
    )
    ax.set_title(f"Who criticised Russia, and when (as {_tellers(acts)})", pad=12)
    handles = [
        Patch(color=colours["russia"], label="aimed at Russia or Putin"),
        Patch(color=colours["csto"], label="aimed at the Russia-led CSTO"),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=True)
    if acts.empty:
        draw_empty(ax, empty_text)
    bottom = _add_note(fig, note, "criticism-note")
    fig.tight_layout(rect=(0, bottom, 1, 1))
    return fig


def balance_figure(balance, totals) -> Figure:
    """Month by month: total tension and cooperation in the collapsed graph (top), and the
    frustration index with the share of balanced triangles (bottom). When no month counts an
    event, both panels say so."""
    import matplotlib.pyplot as plt

    months = list(balance.index)
    x = range(len(months))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 7.5), sharex=True)
    top.bar(
        x, totals["cooperation"], color=QUAD_COLOURS["material_cooperation"], label="cooperation"
    )
    top.bar(x, [-v for v in totals["tension"]], color=QUAD_COLOURS["material_conflict"],
            label="tension (shown below zero)")  # fmt: skip
    top.axhline(0, color="black", lw=0.8)
    top.set_ylabel("sum of Goldstein scores")
    top.legend(loc="upper left", frameon=False)
    top.set_title("Tension and cooperation among the actors, month by month")
    bottom.bar(x, balance["frustration_index"], color="#555555", label="frustration index")
    bottom.set_ylabel("frustration index\n(edges to remove for balance)")
    bottom.set_ylim(0, max(3, int(balance["frustration_index"].max()) + 1))
    share = bottom.twinx()
    share.plot(
        x, balance["fraction_balanced"], marker="o", color="#DD8452", label="balanced triangles"
    )
    share.set_ylim(-0.05, 1.05)
    share.set_ylabel("share of triangles balanced", color="#DD8452")
    share.spines["right"].set_visible(True)
    labels = [
        calendar.month_abbr[int(m[5:7])] + (f"\n{m[:4]}" if i == 0 or m[5:7] == "01" else "")
        for i, m in enumerate(months)
    ]
    bottom.set_xticks(list(x), labels)
    bottom.set_title("Structural balance: frustration index and balanced triangles")
    handles = bottom.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
    bottom.legend(handles=handles, loc="upper center", frameon=False)
    if not totals["events"].sum():
        for ax in (top, bottom):
            draw_empty(ax)
    fig.tight_layout()
    return fig
