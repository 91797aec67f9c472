"""Tests of helpers.maps: outlines, positions, label placement, bytes."""

from __future__ import annotations

import itertools
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from helpers.actors import load_actors, members_on
from helpers.events import load_events
from helpers.maps import (
    ANGLES,
    DEFAULT_EXTENT,
    HEADQUARTERS,
    RINGS,
    _alignment,
    _extent_at,
    alliance_map,
    label_boxes,
    load_outlines,
    node_positions,
)
from helpers.network import collapse, event_graph, to_states
from helpers.plots import project_rc, save_figure
from helpers.tables import DataError

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def actor_table(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """A small actors table: (actor_id, kind, name_en, state_id); capitals for known states."""
    capitals = {"RUS": ("Moscow", 55.7558, 37.6173), "KAZ": ("Astana", 51.1694, 71.4491)}
    records = []
    for actor_id, kind, name, state in rows:
        capital, lat, lon = capitals.get(actor_id, ("", float("nan"), float("nan")))
        records.append(
            {
                "actor_id": actor_id,
                "kind": kind,
                "name_en": name,
                "state_id": state,
                "capital_en": capital,
                "capital_lat": lat,
                "capital_lon": lon,
            }
        )
    return pd.DataFrame(records)


SMALL_ACTORS = actor_table(
    ("RUS", "state", "Russia", ""),
    ("KAZ", "state", "Kazakhstan", ""),
    ("PUTIN", "person", "Vladimir Putin", "RUS"),
    ("TOKAYEV", "person", "Kassym-Jomart Tokayev", "KAZ"),
    ("ALMATY", "city", "Almaty", "KAZ"),
    ("CSTO", "organisation", "Collective Security Treaty Organization", ""),
    ("EU", "organisation", "European Union", ""),
    ("CENTRAL_ASIA", "region", "Central Asia", ""),
)


def signed(*edges: tuple[str, str, float, str]) -> nx.Graph:
    """A graph like ``collapse`` returns: (u, v, weight, ";"-joined event ids)."""
    H = nx.Graph(zero_sum_pairs=[])
    for u, v, weight, ids in edges:
        H.add_edge(
            u,
            v,
            weight=weight,
            sign=1 if weight > 0 else -1,
            n_events=len(ids.split(";")),
            event_ids=ids,
        )
    return H


@pytest.fixture(scope="module")
def real_graph() -> nx.Graph:
    actors = load_actors()
    states = to_states(event_graph(load_events(), actors), actors)
    return collapse(states, "2022-01-01", "2022-12-31")


def real_map(H: nx.Graph):
    with mpl.rc_context(project_rc()):
        return alliance_map(
            H,
            load_actors(),
            members_on("2022-11-23"),
            title="Tension and cooperation in 2022",
            members_label="CSTO member on 2022-11-23",
        )


def overlapping(boxes: dict) -> list[tuple[str, str]]:
    return [
        (a, b)
        for (a, p), (b, q) in itertools.combinations(sorted(boxes.items()), 2)
        if p.x0 < q.x1 and q.x0 < p.x1 and p.y0 < q.y1 and q.y0 < p.y1
    ]


# --- outlines ------------------------------------------------------------------------------


def test_load_outlines_reads_the_region():
    outlines = load_outlines()
    assert len(outlines) == 32
    assert {"RUS", "KAZ", "ARM", "UKR", "TJK"} <= set(outlines)
    assert len(outlines["RUS"]) == 13  # a MultiPolygon: one ring per part
    for rings in outlines.values():
        for ring in rings:
            assert ring.ndim == 2 and ring.shape[1] == 2 and len(ring) >= 4
            assert np.isfinite(ring).all()
    kaz = np.vstack(outlines["KAZ"])
    assert 46 < kaz[:, 0].min() < 48 and 86 < kaz[:, 0].max() < 88  # Kazakhstan's span, lon


@pytest.mark.parametrize(
    ("feature", "problem"),
    [
        ({"type": "Feature", "id": "XYZ", "geometry": None}, "Polygon/MultiPolygon"),
        (
            {"type": "Feature", "id": "XYZ", "geometry": {"type": "Point", "coordinates": [0, 0]}},
            "Polygon/MultiPolygon",
        ),
        (
            {"type": "Feature", "id": "XYZ", "geometry": {"type": "Polygon", "coordinates": [[]]}},
            "4 or more",
        ),
        (
            {
                "type": "Feature",
                "id": "XYZ",
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1], 0]]},
            },
            "not numbers",
        ),
        (
            {
                "type": "Feature",
                "id": "XYZ",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]],
                },
            },
            "outside",
        ),
    ],
)
def test_load_outlines_names_file_and_feature(tmp_path, feature, problem):
    good = {
        "type": "Feature",
        "id": "AAA",
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, feature]}))
    with pytest.raises(DataError, match=problem) as caught:
        load_outlines(path)
    message = str(caught.value)
    assert "bad.geojson" in message and "feature 1 (XYZ)" in message


def test_load_outlines_rejects_non_geojson(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataError, match=r"broken\.geojson.*not valid GeoJSON"):
        load_outlines(path)
    path.write_text(json.dumps({"type": "Feature"}))
    with pytest.raises(DataError, match="not a GeoJSON FeatureCollection"):
        load_outlines(path)
    good = {
        "type": "Feature",
        "id": "AAA",
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, good]}))
    with pytest.raises(DataError, match=r"feature 1 \(AAA\).*twice"):
        load_outlines(path)


# --- positions -----------------------------------------------------------------------------


def test_node_positions_places_and_clamps():
    G = signed(("RUS", "CSTO", -1.0, "E1"), ("KAZ", "EU", 1.0, "E2"))
    extent = DEFAULT_EXTENT
    pos = node_positions(G, SMALL_ACTORS, extent)
    assert pos["RUS"] == pytest.approx((37.6173, 55.7558))  # Russia at Moscow
    assert pos["KAZ"] == pytest.approx((71.4491, 51.1694))
    _, lat, lon, (dlon, dlat) = HEADQUARTERS["CSTO"]
    assert pos["CSTO"] == pytest.approx((lon + dlon, lat + dlat))
    assert pos["CSTO"] != pos["RUS"]
    # Brussels is west of the map: clamped just inside the western border, flagged.
    lon_min, lon_max, lat_min, lat_max = extent
    x, y = pos["EU"]
    assert lon_min < x < lon_min + 3 and y == pytest.approx(50.8503)
    assert pos.off_map == {"EU": "Brussels"}
    assert pos.actual["EU"] == pytest.approx((4.3517, 50.8503))
    for x, y in pos.values():
        assert lon_min < x < lon_max and lat_min < y < lat_max
    # A tighter extent puts Moscow off the map too (north-east corner).
    tight = node_positions(G, SMALL_ACTORS, (20.0, 35.0, 40.0, 50.0))
    assert tight.off_map["RUS"] == "Moscow"
    assert 34 < tight["RUS"][0] < 35 and 49 < tight["RUS"][1] < 50


def test_node_positions_needs_a_place():
    G = nx.Graph()
    G.add_node("NOWHERE", kind="group")
    with pytest.raises(ValueError, match="NOWHERE"):
        node_positions(G, SMALL_ACTORS)
    with pytest.raises(ValueError, match="extent"):
        node_positions(G, SMALL_ACTORS, (10, 0, 0, 10))


# --- the map -------------------------------------------------------------------------------


@pytest.mark.filterwarnings("error::UserWarning")
def test_real_map_labels_do_not_overlap(real_graph):
    fig = real_map(real_graph)
    try:
        for dpi in (fig.dpi, 150):  # the figure's and the saved PNG's resolution
            fig.set_dpi(dpi)
            fig.canvas.draw()
            boxes = label_boxes(fig)
            assert set(boxes) == set(real_graph.nodes)
            assert overlapping(boxes) == []
            frame = fig.axes[0].get_window_extent()
            for box in boxes.values():
                assert frame.x0 <= box.x0 and box.x1 <= frame.x1
                assert frame.y0 <= box.y0 and box.y1 <= frame.y1
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert "Russia" in texts and "← EU (Brussels)" in texts
        # Russia's node sits at Moscow.
        ax = fig.axes[0]
        centres = [tuple(c.get_offsets()[0]) for c in ax.collections if len(c.get_offsets())]
        assert any(np.allclose(c, (37.6173, 55.7558)) for c in centres)
        assert abs(ax.get_aspect() - 1 / np.cos(np.radians(48))) < 1e-9
    finally:
        plt.close(fig)


@pytest.mark.filterwarnings("error::UserWarning")
def test_crowded_map_labels_do_not_overlap():
    """Every state and organisation of the gazetteer tied to Russia: labels still fit."""
    actors = load_actors()
    hubs = actors[actors["kind"].isin(["state", "organisation"])]["actor_id"]
    H = signed(*((a, "RUS", -1.0 - i % 4, f"E{i}") for i, a in enumerate(hubs) if a != "RUS"))
    with mpl.rc_context(project_rc()):
        fig = alliance_map(H, actors, members_on("2022-11-23"))
    try:
        fig.canvas.draw()
        boxes = label_boxes(fig)
        assert len(boxes) == len(hubs)
        assert overlapping(boxes) == []
    finally:
        plt.close(fig)


def test_map_is_byte_identical(real_graph, tmp_path):
    first, second = real_map(real_graph), real_map(real_graph)
    try:
        a = [p.read_bytes() for p in save_figure(first, "map_a", tmp_path)]
        b = [p.read_bytes() for p in save_figure(first, "map_b", tmp_path)]
        c = [p.read_bytes() for p in save_figure(second, "map_c", tmp_path)]
        assert a == b == c
    finally:
        plt.close(first)
        plt.close(second)


def test_label_extents_worked_out_once_are_matplotlibs(real_graph):
    """_extent_at gives, for every label of the map and every spot and alignment tried, the
    box text.get_window_extent gives, to the last bit, and leaves the label as placed."""
    fig = real_map(real_graph)
    try:
        renderer = fig.canvas.get_renderer()
        texts = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label:")]
        assert len(texts) == real_graph.number_of_nodes()
        for text in texts:
            extent = _extent_at(text, renderer)
            for ring in RINGS:
                for angle in ANGLES:
                    dx, dy = ring * np.cos(np.radians(angle)), ring * np.sin(np.radians(angle))
                    ha, va = _alignment(angle)
                    fast = extent(float(dx), float(dy), ha, va)
                    assert text.xyann == (dx, dy)
                    assert (text.get_ha(), text.get_va()) == (ha, va)
                    assert fast.bounds == text.get_window_extent(renderer).bounds
    finally:
        plt.close(fig)
