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
