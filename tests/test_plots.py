"""Figures: byte-identical files from run to run, alt text required."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from helpers.plots import save_figure, show_figure, use_style


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


def test_show_figure_needs_alt_text(tmp_path):
    with pytest.raises(ValueError, match="alt text"):
        show_figure(make_figure(), "x", "  ", tmp_path)
    image = show_figure(make_figure(), "x", "A rising line.", tmp_path)
    assert image.metadata == {"alt": "A rising line."} and image.width == 800
    assert image.data == (tmp_path / "x.png").read_bytes()
