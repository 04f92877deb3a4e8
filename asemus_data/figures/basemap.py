"""The offline base map every deck.gl map shares: no tiles, no token, no request beyond the app.

Countries are drawn from the committed Natural Earth file. In the app the browser fetches them
once from Streamlit's static route (``/app/static/boundaries/countries.geojson``) and caches them,
so a rerun does not resend the polygons; for a standalone export they can be inlined instead.

The borders are a separate ``LineLayer`` of straight segments (``borders.json``, also static), not
the polygons' own outlines: deck.gl draws outlines with its ``PathLayer`` (joints and caps per
vertex), which with software WebGL cost about 4 of the 6 seconds of every map rerun measured in
Chromium (benchmarks/browser.py); plain segments draw the same lines for a fraction of that.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from .. import geo, text
from ..paths import STATIC_DIR

STATIC_BOUNDARIES = STATIC_DIR / "boundaries" / "countries.geojson"
STATIC_BOUNDARIES_URL = "/app/static/boundaries/countries.geojson"
STATIC_BORDERS = STATIC_DIR / "boundaries" / "borders.json"
STATIC_BORDERS_URL = "/app/static/boundaries/borders.json"
#: Coordinates of the border segments, in decimals (~1 km: under a pixel below zoom 6).
BORDER_DECIMALS = 2
#: Asia and Europe together, from Lisbon to Tokyo.
ASIA_EUROPE_VIEW = dict(latitude=38.0, longitude=62.0, zoom=1.8, pitch=0, bearing=0)
LAND = [236, 239, 243]
BORDER = [176, 183, 192]
SEA = [214, 226, 236]
# Okabe-Ito: distinguishable for the common forms of colour blindness
REGION_COLORS = {"Asia": [213, 94, 0], "Europe": [0, 114, 178], "other": [120, 120, 120]}
MEMBER_COLORS = {"member": [0, 158, 115], "documented role": [86, 180, 233],
                 "not documented": [160, 160, 160]}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by 2, about doubling the bytes
    Streamlit sends on every rerun."""

    def to_json(self):
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def border_segments(geojson: dict, decimals: int = BORDER_DECIMALS) -> list[dict]:
    """Every edge of every country ring as ``{"s": [lon, lat], "t": [lon, lat]}``, rounded to
    ``decimals``; an edge shared by two neighbours (or repeated) is kept once, and edges that
    collapse to a point are dropped. Sorted, so the file is stable."""
    seen = set()
    for ft in geojson["features"]:
        g = ft["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for ring in poly:
                pts = [(round(x, decimals), round(y, decimals)) for x, y in ring]
                for a, b in zip(pts, pts[1:]):
                    if a != b:
                        seen.add((min(a, b), max(a, b)))
    return [{"s": list(a), "t": list(b)} for a, b in sorted(seen)]


def write_static_boundaries() -> None:
    """Write the simplified boundaries and their border segments served to the browser (tools/
    and tests call this)."""
    STATIC_BOUNDARIES.parent.mkdir(parents=True, exist_ok=True)
    shapes = geo.boundaries_geojson(simplified=True)
    STATIC_BOUNDARIES.write_text(json.dumps(shapes, separators=(",", ":")), encoding="utf-8")
    STATIC_BORDERS.write_text(json.dumps(border_segments(shapes), separators=(",", ":")),
                              encoding="utf-8")


def country_layer(*, inline: bool = False, fill=None, line=None, layer_id: str = "countries"
                  ) -> list[pdk.Layer]:
    """Country polygons under the data layers: static URLs in the app (filled polygons, then
    border segments), one inlined outlined GeoJsonLayer for exports."""
    if inline:
        return [pdk.Layer("GeoJsonLayer", data=geo.boundaries_geojson(simplified=True),
                          id=layer_id, stroked=True, filled=True, get_fill_color=fill or LAND,
                          get_line_color=line or BORDER, line_width_min_pixels=0.5,
                          pickable=False)]
    return [pdk.Layer("GeoJsonLayer", data=STATIC_BOUNDARIES_URL, id=layer_id, stroked=False,
                      filled=True, get_fill_color=fill or LAND, pickable=False),
            pdk.Layer("LineLayer", data=STATIC_BORDERS_URL, id=f"{layer_id}_borders",
                      get_source_position="s", get_target_position="t",
                      get_color=line or BORDER, get_width=0.7,
                      width_units=pdk.types.String("pixels"), pickable=False)]


def deck(layers: list[pdk.Layer], *, tooltip: dict | bool | None = None, view: dict | None = None,
         inline: bool = False, height: int | None = None) -> pdk.Deck:
    """A deck with the country base layer and no base map tiles (``map_provider=None``)."""
    v = {**ASIA_EUROPE_VIEW, **(view or {})}
    # map_provider=None and NO map_style argument: Streamlit replaces a null mapStyle with a
    # Carto style URL (a request off the machine), but leaves pydeck's default placeholder alone.
    return CompactDeck(layers=[*country_layer(inline=inline), *layers], map_provider=None,
                    initial_view_state=pdk.ViewState(**v),
                    tooltip=tooltip if tooltip is not None else False,
                    parameters={"clearColor": [c / 255 for c in SEA] + [1]},
                    height=height)


def tooltip_text(value) -> str:
    """One tooltip value as the characters it is (asemus_data.text.plain): no HTML escaping here.

    Streamlit 1.67 HTML-escapes every value it puts into an ``html`` tooltip template (``&``,
    ``<``, ``>`` and quotes; tests/test_security_text.py pins this), so the value is escaped
    exactly once: escaping it here too would show a museum named ``<b>`` as ``&lt;b&gt;``.
    Markup belongs in the template only, never in a value."""
    return text.plain(value)


def escape_html(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Copy of ``df`` with ``cols`` as tooltip text (see tooltip_text): a museum named
    ``<img src=x onerror=alert(1)>`` renders as those characters, once escaped by Streamlit."""
    out = df.copy()
    for c in cols:
        out[c] = out[c].map(tooltip_text)
    return out


# --- framing, co-located points and place labels ---------------------------------------------
#: deck.gl's world is 512 px wide at zoom 0 (Web Mercator, 512 px tiles).
WORLD_PX = 512.0
#: Latitude limits of Web Mercator.
MAX_LAT = 85.0


def _mercator(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude to Web Mercator x, y in [0, 1] (y grows southwards)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -MAX_LAT, MAX_LAT)
    x = (lon + 180.0) / 360.0
    y = (1.0 - np.log(np.tan(np.radians(lat)) + 1.0 / np.cos(np.radians(lat))) / math.pi) / 2.0
    return x, y


def _lat_of(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y))))


def fit_view(lons, lats, *, width: int = 640, height: int = 600, padding: int = 40,
             min_zoom: float = 0.8, max_zoom: float = 5.0, default: dict | None = None) -> dict:
    """The view (``latitude``, ``longitude``, ``zoom``) that shows every point given in a map of
    ``width`` x ``height`` pixels with ``padding`` pixels to spare on each side.

    The zoom is the largest that fits the points' Web Mercator bounding box, clamped to
    ``[min_zoom, max_zoom]`` (one point, or points in one city, stop at ``max_zoom``: a region,
    not a street). Points without coordinates are ignored; with none left, ``default`` (or
    Asia and Europe) is returned. Longitudes are taken as given (no wrap across 180 degrees: the
    maps show Asia and Europe).
    """
    lon = pd.to_numeric(pd.Series(lons, dtype="object"), errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(pd.Series(lats, dtype="object"), errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return dict(default or ASIA_EUROPE_VIEW)
    x, y = _mercator(lon[ok], lat[ok])
    dx, dy = float(x.max() - x.min()), float(y.max() - y.min())
    avail_w, avail_h = max(width - 2 * padding, 1), max(height - 2 * padding, 1)
    zooms = [math.log2(avail_w / (dx * WORLD_PX)) if dx > 0 else max_zoom,
             math.log2(avail_h / (dy * WORLD_PX)) if dy > 0 else max_zoom]
    zoom = min(max(min(zooms), min_zoom), max_zoom)
    cx, cy = (x.max() + x.min()) / 2, (y.max() + y.min()) / 2
    return dict(latitude=round(_lat_of(cy), 4), longitude=round(float(cx) * 360.0 - 180.0, 4),
                zoom=math.floor(zoom * 100) / 100, pitch=0, bearing=0)  # down: all fit


def _groups(px: np.ndarray, py: np.ndarray, near: float) -> np.ndarray:
    """Group label per point: points within ``near`` pixels of each other, transitively
    (single linkage, union-find over a grid of ``near``-sized cells)."""
    n = len(px)
    parent = np.arange(n)

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cells: dict[tuple[int, int], list[int]] = {}
    size = max(near, 1e-9)
    for i, (a, b) in enumerate(zip(px, py)):
        cells.setdefault((int(a // size), int(b // size)), []).append(i)
    for (cx, cy), members in cells.items():
        around = [j for ox in (-1, 0, 1) for oy in (-1, 0, 1)
                  for j in cells.get((cx + ox, cy + oy), ())]
        for i in members:
            for j in around:
                if j > i and (px[i] - px[j]) ** 2 + (py[i] - py[j]) ** 2 <= near ** 2:
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
    return np.array([find(i) for i in range(n)])


def spread(lons, lats, *, zoom: float, near_px: float = 0.0, gap_px: float = 12.0
           ) -> pd.DataFrame:
    """Drawn positions for points that would sit on one another, and who shares a place.

    Points closer than ``near_px`` pixels at ``zoom`` (``0``: the same coordinates, to about
    100 m) form a group. A group of one keeps its position. The ``n`` points of a larger group
    are drawn on a circle around the group's centre, ``gap_px`` pixels apart along it (at least
    ``gap_px`` from the centre), in the order given, starting at the top and going clockwise;
    their true places stay in the data (tooltips, leader lines). Returns one row per point, in
    the input order: ``lon``, ``lat`` (drawn), ``group`` (the index of the group's first point)
    and ``group_size``.
    """
    lon = np.asarray(lons, dtype=float)
    lat = np.asarray(lats, dtype=float)
    n = len(lon)
    if n == 0:
        return pd.DataFrame({"lon": [], "lat": [], "group": [], "group_size": []})
    x, y = _mercator(lon, lat)
    scale = WORLD_PX * 2 ** zoom
    px, py = x * scale, y * scale
    if near_px > 0:
        group = _groups(px, py, near_px)
    else:
        key = pd.Series(list(zip(np.round(lon, 3), np.round(lat, 3))))
        group = key.map({k: i for i, k in reversed(list(enumerate(key)))}).to_numpy()
    out_x, out_y = px.copy(), py.copy()
    sizes = pd.Series(group).map(pd.Series(group).value_counts()).to_numpy()
    for g in np.unique(group[sizes > 1]):
        idx = np.flatnonzero(group == g)
        k = len(idx)
        radius = max(gap_px, gap_px * k / (2 * math.pi))
        cx, cy = px[idx].mean(), py[idx].mean()
        for j, i in enumerate(idx):
            a = 2 * math.pi * j / k
            out_x[i], out_y[i] = cx + radius * math.sin(a), cy - radius * math.cos(a)
    lon_d = out_x / scale * 360.0 - 180.0
    lat_d = np.array([_lat_of(v / scale) for v in out_y])
    return pd.DataFrame({"lon": np.round(lon_d, 4), "lat": np.round(lat_d, 4),
                         "group": group.astype(int), "group_size": sizes.astype(int)})


#: Labels are drawn with a font the machine has (no web font is fetched); CJK names need a CJK
#: font installed (.ci/run installs Noto CJK).
LABEL_FONT = '"Noto Sans", "Liberation Sans", "DejaVu Sans", "Noto Sans CJK JP", sans-serif'


def declutter(rows: list[dict], *, zoom: float, size: int = 12, offset_px: float = 8.0,
              limit: int | None = None) -> list[dict]:
    """The labels that fit without overlapping at ``zoom``: ``rows`` of ``{"p": [lon, lat],
    "t": text, "k": priority}``, taken by priority (highest first, then text) and kept when
    their box (about 0.6 ``size`` per character wide, 1.3 ``size`` high, starting
    ``offset_px`` right of the point) overlaps no box kept before; at most ``limit``.

    deck.gl's CollisionFilterExtension would do this on the GPU, but draws no label at all with
    Chromium's software WebGL, so the rule runs here, for the map's initial zoom."""
    scale = WORLD_PX * 2 ** zoom
    kept, boxes = [], []
    for r in sorted(rows, key=lambda r: (-float(r.get("k", 0)), str(r["t"]))):
        x, y = _mercator([r["p"][0]], [r["p"][1]])
        x0 = float(x[0]) * scale + offset_px
        y0 = float(y[0]) * scale - 0.65 * size
        box = (x0, y0, x0 + 0.6 * size * max(len(str(r["t"])), 1), y0 + 1.3 * size)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        kept.append(r)
        boxes.append(box)
        if limit is not None and len(kept) >= limit:
            break
    return kept


def label_layer(rows: list[dict], *, layer_id: str = "labels", size: int = 12,
                color=(40, 44, 52), pickable: bool = False) -> pdk.Layer:
    """Place labels (TextLayer) right of their point on a light box: ``rows`` of
    ``{"p": [lon, lat], "t": text}`` (plus any tooltip fields), usually ``declutter``-ed.
    Characters are taken from the data (``characterSet="auto"``: accents and CJK), drawn from
    fonts on the machine (no web font is fetched)."""
    return pdk.Layer("TextLayer", data=rows, id=layer_id, get_position="p", get_text="t",
                     get_size=size, size_units=pdk.types.String("pixels"),
                     get_color=list(color) + [255], font_family=pdk.types.String(LABEL_FONT),
                     font_weight=600, character_set=pdk.types.String("auto"),
                     get_text_anchor=pdk.types.String("start"),
                     get_alignment_baseline=pdk.types.String("center"),
                     get_pixel_offset=[8, 0], background=True,
                     get_background_color=[255, 255, 255, 190], background_padding=[3, 1],
                     pickable=pickable)
