"""The alliance-tension network on a map: country outlines, actors at capitals, placed labels."""

from __future__ import annotations

import json
import math
import textwrap
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from helpers.paths import DATA
from helpers.plots import draw_empty, short_label
from helpers.tables import DataError, read_text_file

__all__ = [
    "CAPTION",
    "DEFAULT_EXTENT",
    "HEADQUARTERS",
    "OUTLINES_PATH",
    "PLACES",
    "Positions",
    "alliance_map",
    "label_boxes",
    "load_outlines",
    "node_positions",
]

OUTLINES_PATH = DATA / "geo" / "countries.geojson"
DEFAULT_EXTENT = (18.0, 92.0, 33.0, 63.0)  # lon_min, lon_max, lat_min, lat_max
CAPTION = "Outlines: Natural Earth (public domain) via countryinfo"

# Seats of organisations: place, lat, lon, and a shift (dlon, dlat) in degrees at which the
# node is drawn. A seat in a capital that already carries its state's node is shifted so that
# the two nodes do not sit on top of each other: the CSTO (seat: Moscow) is drawn 4 degrees
# west and 2.5 north of Moscow, i.e. between Moscow and St Petersburg, still inside Russia.
HEADQUARTERS: dict[str, tuple[str, float, float, tuple[float, float]]] = {
    "CSTO": ("Moscow", 55.7558, 37.6173, (-4.0, 2.5)),
    "EAEU": ("Moscow", 55.7558, 37.6173, (4.0, 2.5)),
    "CIS": ("Minsk", 53.9006, 27.5590, (-1.5, 2.5)),
    "EU": ("Brussels", 50.8503, 4.3517, (0.0, 0.0)),
    "NATO": ("Brussels", 50.8503, 4.3517, (0.0, -3.0)),
    "OSCE": ("Vienna", 48.2082, 16.3738, (0.0, 0.0)),
    "SCO": ("Beijing", 39.9042, 116.4074, (0.0, 0.0)),
    "UN": ("New York", 40.7128, -74.0060, (0.0, -2.0)),
    "USHOUSE": ("Washington", 38.9072, -77.0369, (0.0, -3.0)),
}
# Regions (no capital of their own): drawn at a rough centre, (name, lat, lon).
PLACES: dict[str, tuple[str, float, float]] = {
    "CENTRAL_ASIA": ("Central Asia", 42.0, 66.0),
    "SOUTH_CAUCASUS": ("South Caucasus", 41.5, 45.0),
    "LUHANSK": ("Luhansk", 48.57, 39.33),
    "DONETSK": ("Donetsk", 48.0, 37.8),
    "DONBAS": ("Donbas", 48.3, 38.5),
    "CRIMEA": ("Crimea", 45.3, 34.4),
    "SOUTH_OSSETIA": ("South Ossetia", 42.35, 44.0),
    "ABKHAZIA": ("Abkhazia", 43.0, 41.0),
    "KARABAKH": ("Nagorno-Karabakh", 39.8, 46.75),
    "TRANSNISTRIA": ("Transnistria", 47.2, 29.4),
}

TENSION = "#B2182B"
COOPERATION = "#2166AC"
LAND = "#EDEDED"
MEMBER_FILL = "#CFE1F2"
BORDER = "#FFFFFF"
NODE_COLOURS = {"state": "#333333", "organisation": "#DD8452"}
OTHER_NODE = "#777777"
LEADER = "#444444"
ARROWS = {  # (dx, dy) sign of the direction to the real place -> arrow, marker
    (-1, 0): ("←", "<"),
    (1, 0): ("→", ">"),
    (0, 1): ("↑", "^"),
    (0, -1): ("↓", "v"),
    (-1, 1): ("↖", "<"),
    (1, 1): ("↗", ">"),
    (-1, -1): ("↙", "<"),
    (1, -1): ("↘", ">"),
}
LABEL_SIZE = 9.5
LABEL_GAP = 2.0  # points kept free around every label and marker
RINGS = (2.0, 10.0, 20.0, 32.0, 46.0, 62.0)  # label distance from the marker's edge, points
ANGLES = (0, 45, -45, 90, -90, 135, -135, 180, 22.5, -22.5, 67.5, -67.5, 112.5, -112.5,
          157.5, -157.5)  # fmt: skip


# --- outlines ------------------------------------------------------------------------------


def _ring(coords: Any, path: Path, where: str) -> np.ndarray:
    try:
        ring = np.asarray(coords, dtype=float)
    except (TypeError, ValueError):
        raise DataError(path, None, None, f"{where}: coordinates are not numbers") from None
    if ring.ndim != 2 or ring.shape[1] != 2 or len(ring) < 4:
        raise DataError(path, None, None, f"{where}: a ring must be 4 or more [lon, lat] pairs")
    if not np.isfinite(ring).all():
        raise DataError(path, None, None, f"{where}: coordinates must be finite")
    lon, lat = ring[:, 0], ring[:, 1]
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        raise DataError(path, None, None, f"{where}: lon/lat outside [-180, 180] x [-90, 90]")
    return ring


def load_outlines(path: str | Path = OUTLINES_PATH) -> dict[str, list[np.ndarray]]:
    """Read a GeoJSON FeatureCollection of countries: ``{ISO3 id: [ring, ...]}``, each ring an
    ``(n, 2)`` array of lon, lat (outer rings and holes alike, in file order). A malformed file
    raises :class:`helpers.tables.DataError` naming the file and the feature."""
    path = Path(path)
    try:
        data = json.loads(read_text_file(path))
    except json.JSONDecodeError as err:
        raise DataError(path, None, None, f"not valid GeoJSON ({err})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(path, None, None, "not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise DataError(path, None, None, "'features' must be a list")
    outlines: dict[str, list[np.ndarray]] = {}
    for number, feature in enumerate(features):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            raise DataError(path, None, None, f"{where}: not an object")
        iso = feature.get("id")
        if not isinstance(iso, str) or not iso:
            raise DataError(path, None, None, f"{where}: no 'id' (ISO3 code)")
        where = f"feature {number} ({iso})"
        if iso in outlines:
            raise DataError(path, None, None, f"{where}: id {iso!r} appears twice")
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if kind not in ("Polygon", "MultiPolygon") or not isinstance(coords, list) or not coords:
            raise DataError(path, None, None, f"{where}: geometry must be a Polygon/MultiPolygon")
        polygons = [coords] if kind == "Polygon" else coords
        rings = []
        for polygon in polygons:
            if not isinstance(polygon, list) or not polygon:
                raise DataError(path, None, None, f"{where}: a polygon must be a list of rings")
            rings.extend(_ring(r, path, where) for r in polygon)
        outlines[iso] = rings
    return outlines


def _country_path(rings: list[np.ndarray]) -> MplPath:
    """One compound path; a ring inside an odd number of the others is a hole (wound the other
    way), so islands wrongly stored as holes (Sweden's, in the source) are still filled."""
    shapes = [MplPath(r) for r in rings]
    parts = []
    for i, ring in enumerate(rings):
        depth = sum(s.contains_point(ring[0]) for j, s in enumerate(shapes) if j != i)
        x, y = ring[:, 0], ring[:, 1]
        area = 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
        counter_clockwise = area > 0
        parts.append(ring if counter_clockwise == (depth % 2 == 0) else ring[::-1])
    return MplPath.make_compound_path(*(MplPath(p, closed=True) for p in parts))


# --- actors ----------------------------------------------------------------------------------


def _actor_table(actors: pd.DataFrame) -> pd.DataFrame:
    return actors.set_index("actor_id") if "actor_id" in actors.columns else actors


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _row_attributes(table: pd.DataFrame, actor_id: str) -> dict[str, Any]:
    row = table.loc[actor_id]
    out = {}
    for key, value in row.items():
        if isinstance(value, float) and math.isnan(value):
            continue
        if key.startswith("_") or (isinstance(value, str) and not value):
            continue
        out[key] = value.item() if hasattr(value, "item") else value
    return out


# --- positions -----------------------------------------------------------------------------


class Positions(dict):
    """``{node: (lon, lat)}`` as drawn, with ``off_map``: ``{node: name of the real place}``
    for the nodes whose place lies outside the extent (drawn clamped inside it), and
    ``actual``: ``{node: (lon, lat)}`` before clamping."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.off_map: dict[Hashable, str] = {}
        self.actual: dict[Hashable, tuple[float, float]] = {}


def _place(node: Hashable, data: Mapping[str, Any]) -> tuple[str, float, float] | None:
    """(place name, lat, lon) where ``node`` is drawn, before clamping."""
    if node in HEADQUARTERS:
        name, lat, lon, (dlon, dlat) = HEADQUARTERS[node]
        return name, lat + dlat, lon + dlon
    if node in PLACES:
        return PLACES[node]
    lat, lon = data.get("capital_lat"), data.get("capital_lon")
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if math.isnan(lat) or math.isnan(lon):
        return None
    return _text(data.get("capital_en")).split(",")[0] or str(node), lat, lon


def _inset(extent: tuple[float, float, float, float]) -> tuple[float, float]:
    lon_min, lon_max, lat_min, lat_max = extent
    return 0.02 * (lon_max - lon_min), 0.03 * (lat_max - lat_min)


def node_positions(
    G: nx.Graph, actors: pd.DataFrame, extent: tuple[float, float, float, float] = DEFAULT_EXTENT
) -> Positions:
    """Where each node of ``G`` goes on the map, as ``(lon, lat)``: a state at its capital
    (``capital_lat``/``capital_lon`` of ``actors``, else of the node's attributes), an
    organisation at its seat (``HEADQUARTERS``, shifted off a capital that holds a state's
    node), a multi-state region at ``PLACES``. A place outside ``extent`` (lon_min, lon_max,
    lat_min, lat_max) is clamped to just inside the border and listed in ``.off_map``. A node
    with no known place is an error."""
    lon_min, lon_max, lat_min, lat_max = extent
    if not (lon_min < lon_max and lat_min < lat_max):
        raise ValueError(f"extent {extent} must be (lon_min, lon_max, lat_min, lat_max)")
    table = _actor_table(actors)
    d_lon, d_lat = _inset(extent)
    out = Positions()
    missing = []
    for node in sorted(G.nodes, key=str):
        data = dict(G.nodes[node])
        if node in table.index:
            data.update({k: v for k, v in _row_attributes(table, node).items() if k not in data})
            for key in ("capital_lat", "capital_lon", "capital_en"):
                if key in table.columns and _text(table.at[node, key]):
                    data[key] = table.at[node, key]
        place = _place(node, data)
        if place is None:
            missing.append(node)
            continue
        name, lat, lon = place
        x = min(max(lon, lon_min + d_lon), lon_max - d_lon)
        y = min(max(lat, lat_min + d_lat), lat_max - d_lat)
        if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
            out.off_map[node] = name
        out[node] = (float(x), float(y))
        out.actual[node] = (float(lon), float(lat))
    if missing:
        raise ValueError(f"no capital or seat known for node(s) {missing}; see maps.HEADQUARTERS")
    _spread_on_borders(out, extent)
    return out


def _spread_on_borders(pos: Positions, extent: tuple[float, float, float, float]) -> None:
    """Move off-map nodes that share a border apart along it (at least 5% of the border's
    length between them), so that e.g. the UN (New York) and the United States (Washington)
    do not sit on one spot."""
    lon_min, lon_max, lat_min, lat_max = extent
    d_lon, d_lat = _inset(extent)
    sides: dict[tuple[int, int], list[Hashable]] = {}
    for node in pos.off_map:
        dx, dy = _direction(*pos.actual[node], extent)
        side = (dx, 0) if dx else (0, dy)
        sides.setdefault(side, []).append(node)
    for (dx, _), nodes in sorted(sides.items()):
        axis = 1 if dx else 0  # along a west/east border the nodes move in latitude
        low, high = (lat_min + d_lat, lat_max - d_lat) if dx else (lon_min + d_lon, lon_max - d_lon)
        gap = 0.05 * (high - low)
        nodes.sort(key=lambda n: (pos[n][axis], str(n)))
        values = [pos[n][axis] for n in nodes]
        for i in range(1, len(values)):
            values[i] = max(values[i], values[i - 1] + gap)
        for i in range(len(values) - 1, -1, -1):
            ceiling = high if i == len(values) - 1 else values[i + 1] - gap
            values[i] = max(min(values[i], ceiling), low)
        for node, value in zip(nodes, values, strict=True):
            point = list(pos[node])
            point[axis] = float(value)
            pos[node] = (point[0], point[1])


# --- drawing -------------------------------------------------------------------------------


def _direction(lon: float, lat: float, extent: tuple[float, float, float, float]) -> tuple:
    lon_min, lon_max, lat_min, lat_max = extent
    dx = -1 if lon < lon_min else 1 if lon > lon_max else 0
    dy = -1 if lat < lat_min else 1 if lat > lat_max else 0
    return dx, dy


def _arc(p: tuple[float, float], q: tuple[float, float], aspect: float, bend: float = 0.12):
    """A gentle quadratic arc from p to q (bulging left of p->q as drawn on the map)."""
    (x0, y0), (x1, y1) = p, q
    y0s, y1s = y0 * aspect, y1 * aspect
    mx, my = (x0 + x1) / 2, (y0s + y1s) / 2
    cx, cy = mx - bend * (y1s - y0s), my + bend * (x1 - x0)
    t = np.linspace(0.0, 1.0, 41)[:, None]
    pts = (1 - t) ** 2 * np.array([x0, y0s]) + 2 * (1 - t) * t * np.array([cx, cy])
    pts = pts + t**2 * np.array([x1, y1s])
    return pts[:, 0], pts[:, 1] / aspect


def _alignment(angle: float) -> tuple[str, str]:
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ha = "left" if c > 0.38 else "right" if c < -0.38 else "center"
    va = "bottom" if s > 0.38 else "top" if s < -0.38 else "center"
    return ha, va


def _overlap(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _extent_at(text, renderer) -> Callable[[float, float, str, str], Bbox]:
    """``extent(dx, dy, ha, va)``: ``text.get_window_extent(renderer)`` of the annotation
    ``text`` with its text at offset ``(dx, dy)`` and that alignment (which it is left with),
    worked out as matplotlib does (``Annotation`` then ``Text.get_window_extent``), but
    with what is the same for every spot tried worked out once: the offset transform from the
    annotated point, and the text's layout for each alignment. A label whose point is hidden,
    that is empty or has an arrow goes the whole way every time."""

    def place(dx: float, dy: float, ha: str, va: str) -> None:
        text.xyann = (dx, dy)
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)

    if (
        not text.get_visible()
        or not text.get_text()
        or text.arrowprops is not None
        or not text._check_xy(renderer)
    ):

        def whole_way(dx: float, dy: float, ha: str, va: str) -> Bbox:
            place(dx, dy, ha, va)
            return text.get_window_extent(renderer)

        return whole_way
    text.get_window_extent(renderer)  # sets the text's renderer and its offset transform
    to_display = text.get_transform()
    layouts: dict[tuple[str, str], Bbox] = {}

    def extent(dx: float, dy: float, ha: str, va: str) -> Bbox:
        place(dx, dy, ha, va)
        if (ha, va) not in layouts:
            layouts[ha, va] = text._get_layout(renderer)[0]
        x, y = to_display.transform(text.get_unitless_position())
        return Bbox.union([layouts[ha, va].translated(x, y)])

    return extent


def _place_labels(fig, ax, labels, positions, radii, edges_px, importance) -> None:
    """Deterministic label placement: nodes in order of importance; for each, candidate spots
    on rings around the marker (nearest ring first), keeping the cheapest spot that overlaps
    no placed label and no marker and lies inside the axes (cost: ring, then edges crossed).
    If there is none, the spot with the fewest clashes is used, with a warning."""
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData
    scale = fig.dpi / 72.0
    gap = LABEL_GAP * scale
    frame = ax.get_window_extent(renderer)
    markers = {}
    for node, (x, y) in positions.items():
        cx, cy = to_px.transform((x, y))
        r = radii[node] * scale + gap
        markers[node] = Bbox.from_extents(cx - r, cy - r, cx + r, cy + r)
    placed: list[Bbox] = []
    for node in importance:
        text = labels[node]
        extent = _extent_at(text, renderer)
        best = fallback = None
        for ring_no, ring in enumerate(RINGS):
            distance = radii[node] + ring
            for rank, angle in enumerate(ANGLES if ring_no else ANGLES[:8]):
                dx = distance * math.cos(math.radians(angle))
                dy = distance * math.sin(math.radians(angle))
                ha, va = _alignment(angle)
                box = extent(dx, dy, ha, va).padded(gap)
                inside = (
                    box.x0 >= frame.x0
                    and box.x1 <= frame.x1
                    and box.y0 >= frame.y0
                    and box.y1 <= frame.y1
                )
                clashes = sum(_overlap(box, b) for b in [*placed, *markers.values()])
                clashes += 0 if inside else 100
                if fallback is None or (clashes, ring_no, rank) < fallback[0]:
                    fallback = ((clashes, ring_no, rank), (dx, dy), ha, va, box, ring_no)
                if clashes:
                    continue
                crossed = sum(path.intersects_bbox(box, filled=False) for path in edges_px)
                cost = (ring_no * 1.5 + crossed, rank)
                if best is None or cost < best[0]:
                    best = (cost, (dx, dy), ha, va, box, ring_no)
            if best is not None and best[0][0] < (ring_no + 1) * 1.5:
                break  # farther rings cost at least (ring_no + 1) * 1.5
        if best is None:
            warnings.warn(f"no free place for the label of {node!r}: it overlaps", stacklevel=3)
            best = fallback
        _, (dx, dy), ha, va, box, ring_no = best
        text.xyann = (dx, dy)
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        placed.append(box)
        if ring_no >= 2 or (ring_no == 1 and va != "center"):
            leader = ax.annotate(
                "",
                xy=positions[node],
                xytext=(dx, dy),
                textcoords="offset points",
                arrowprops={
                    "arrowstyle": "-",
                    "color": LEADER,
                    "lw": 0.7,
                    "shrinkA": 0,
                    "shrinkB": radii[node],
                },
                zorder=4,
            )
            leader.set_gid(f"leader:{node}")


def label_boxes(fig: Figure) -> dict[str, Bbox]:
    """The display-space boxes of the node labels of an :func:`alliance_map` figure, by node
    id (for tests: no two should overlap)."""
    renderer = fig.canvas.get_renderer()
    out = {}
    for ax in fig.axes:
        for text in ax.texts:
            gid = text.get_gid() or ""
            if gid.startswith("label:"):
                out[gid.removeprefix("label:")] = text.get_window_extent(renderer)
    return out


def alliance_map(
    H: nx.Graph,
    actors: pd.DataFrame,
    members: Iterable[str] = (),
    extent: tuple[float, float, float, float] = DEFAULT_EXTENT,
    title: str = "Tension and cooperation between the actors, by state",
    members_label: str = "CSTO member",
    outlines: Mapping[str, list[np.ndarray]] | None = None,
) -> Figure:
    """Draw a signed graph on a map (equirectangular, aspect 1/cos of the mean latitude).

    ``H`` is a collapsed graph (``collapse``), usually of ``to_states`` so that people sit
    with their state.
    Countries are grey, ``members`` light blue (legend: ``members_label``, e.g. "CSTO member
    on 2022-11-23"); a state sits at its capital, an organisation at its seat; node size grows
    with the node's total |weight|. Edges are gentle arcs, red for tension (weight < 0) and
    blue for cooperation, as wide as |weight|. Labels are placed so that none overlaps another
    label or a marker (see :func:`label_boxes`); an actor whose place is off the map sits on
    the border with an arrow towards it. No randomness: the same input gives the same figure.
    A graph without ties draws the map with "no events coded" on it.
    """
    G = H
    outlines = load_outlines() if outlines is None else outlines
    members = {str(m) for m in members}
    lon_min, lon_max, lat_min, lat_max = extent
    aspect = 1 / math.cos(math.radians((lat_min + lat_max) / 2))
    positions = node_positions(G, actors, extent)

    map_w = 11.0
    map_h = map_w * (lat_max - lat_min) * aspect / (lon_max - lon_min)
    top, foot = 0.45, 1.55
    fig = plt.figure(figsize=(map_w + 0.4, map_h + top + foot))
    height = map_h + top + foot
    ax = fig.add_axes((0.2 / (map_w + 0.4), foot / height, map_w / (map_w + 0.4), map_h / height))
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect(aspect, adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color("#999999")
        side.set_linewidth(0.8)
    ax.set_title(title, loc="left")

    for iso in sorted(outlines):
        fill = MEMBER_FILL if iso in members else LAND
        patch = PathPatch(
            _country_path(outlines[iso]), facecolor=fill, edgecolor=BORDER, lw=0.8, zorder=1
        )
        ax.add_patch(patch)

    strength = {n: math.fsum(abs(d["weight"]) for *_, d in G.edges(n, data=True)) for n in G}
    sizes = {n: 40.0 + 5.0 * strength[n] for n in G}
    radii = {n: math.sqrt(sizes[n]) / 2 for n in G}

    edges = sorted(G.edges(data=True), key=lambda e: (-abs(e[2]["weight"]), str(e[0]), str(e[1])))
    edges_px = []
    ax.apply_aspect()
    for u, v, data in edges:
        a, b = sorted((u, v), key=str)
        xs, ys = _arc(positions[a], positions[b], aspect)
        ax.plot(
            xs,
            ys,
            color=TENSION if data["weight"] < 0 else COOPERATION,
            lw=0.6 + 0.2 * abs(data["weight"]),
            alpha=0.8,
            solid_capstyle="round",
            zorder=2,
            gid=f"edge:{a}-{b}",
        )
        edges_px.append(MplPath(ax.transData.transform(np.column_stack([xs, ys]))))

    labels = {}
    for node in sorted(G.nodes, key=str):
        data = G.nodes[node]
        x, y = positions[node]
        kind = data.get("kind", "")
        marker = "s" if kind == "organisation" else "o"
        name = short_label(str(node), data)
        if node in positions.off_map:
            arrow, marker = ARROWS[_direction(*positions.actual[node], extent)]
            name = f"{arrow} {name} ({positions.off_map[node]})"
        ax.scatter(
            [x],
            [y],
            s=sizes[node],
            marker=marker,
            color=NODE_COLOURS.get(kind, OTHER_NODE),
            edgecolors="white",
            linewidths=1.0,
            zorder=3,
            clip_on=False,
        )
        text = ax.annotate(
            name,
            (x, y),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=LABEL_SIZE,
            zorder=5,
            annotation_clip=False,
        )
        text.set_gid(f"label:{node}")
        text.set_path_effects([_halo()])
        labels[node] = text
    importance = sorted(G.nodes, key=lambda n: (-strength[n], str(n)))
    _place_labels(fig, ax, labels, positions, radii, edges_px, importance)
    if not G.number_of_edges():
        draw_empty(ax)

    blank = Line2D([], [], ls="", label=" ")
    handles = [
        Line2D([], [], color=TENSION, lw=3, label="tension (sum of Goldstein scores < 0)"),
        Line2D([], [], color=COOPERATION, lw=3, label="cooperation (sum > 0)"),
        blank,
        *(
            Line2D([], [], color="#888888", lw=0.6 + 0.2 * w, label=f"|weight| {w}")
            for w in (5, 15, 30)
        ),
        Patch(facecolor=MEMBER_FILL, edgecolor="#999999", lw=0.5, label=members_label),
        Patch(facecolor=LAND, edgecolor="#999999", lw=0.5, label="other country"),
        blank,
        _marker("o", NODE_COLOURS["state"], "state, at its capital"),
        _marker("s", NODE_COLOURS["organisation"], "organisation, at its seat"),
        _marker("<", "#555555", "place off the map (arrow points to it)"),
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.01),
        ncol=4,
        fontsize=8.5,
        frameon=False,
        columnspacing=1.5,
        handlelength=2.4,
    )
    notes = [
        "Node = actor (size: total |weight| of its ties). " + _merged_note(G, actors),
        _internal_note(G, actors, positions),
        CAPTION,
    ]
    fig.text(
        0.2 / (map_w + 0.4),
        0.02,
        "\n".join(textwrap.fill(n, 190) for n in notes if n),
        fontsize=8,
        color="#444444",
        va="bottom",
        ha="left",
    )
    return fig


def _marker(marker: str, colour: str, label: str) -> Line2D:
    return Line2D([], [], ls="", marker=marker, ms=8, color=colour, label=label)


def _halo():
    from matplotlib import patheffects

    return patheffects.withStroke(linewidth=3, foreground="white")


def _name_of(actor_id: str, table: pd.DataFrame) -> str:
    """Short English name of an actor id (see :func:`helpers.plots.short_label`)."""
    if actor_id not in table.index:
        return actor_id
    return short_label(actor_id, table.loc[actor_id].to_dict())


def _merged_note(G: nx.Graph, actors: pd.DataFrame) -> str:
    table = _actor_table(actors)
    parts = []
    for node in sorted(G.nodes, key=lambda n: _name_of(str(n), table)):
        others = [m for m in G.nodes[node].get("merged", []) if m != node]
        if others:
            names = ", ".join(sorted(_name_of(m, table) for m in others))
            parts.append(f"{names} → {_name_of(str(node), table)}")
    if not parts:
        return ""
    return "Merged into their state: " + "; ".join(parts) + "."


def _internal_note(G: nx.Graph, actors: pd.DataFrame, positions: Positions) -> str:
    table = _actor_table(actors)
    parts = []
    for state, data in sorted(G.graph.get("internal", {}).items(), key=lambda i: str(i[0])):
        pairs = ", ".join(
            "–".join(_name_of(a, table) for a in pair.split("-"))
            for pair in data["pairs"].split(";")
        )
        n = data["n_events"]
        weight = f"{data['weight']:+g}".replace("-", "−")
        parts.append(f"{_name_of(str(state), table)} {weight} ({pairs}; {n} event{'s' * (n != 1)})")
    note = ""
    if parts:
        note = "Not drawn, as they fall inside one state: " + "; ".join(parts) + ". "
    if "CSTO" in positions and "CSTO" in HEADQUARTERS and "CSTO" not in positions.off_map:
        note += "The CSTO is drawn north-west of its seat, Moscow."
    return note
