"""deck.gl layers, deck and legends for the Collections map (pure: no Streamlit).

Built on ``basemap.deck``: no tiles, countries from a static URL. Layer data are short records
(one per museum, flow or country) so a rerun sends little; tooltip text is made safe here.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import pydeck as pdk

from .. import geo
from ..collections_map import LAYER_LABELS, LAYERS, VIEWS, MapData
from ..overview import and_list, plural
from . import basemap

MIN_RADIUS_PX, MAX_RADIUS_PX = 3.0, 26.0
MIN_WIDTH_PX, MAX_WIDTH_PX = 0.8, 6.0
FLOW_SOURCE = [230, 159, 0]      # Okabe-Ito orange: country of origin
FLOW_TARGET = [204, 121, 167]    # Okabe-Ito reddish purple: holding museum
#: Sequential, colour-blind safe ramps (ColorBrewer YlOrRd / YlGnBu).
DENSITY_RAMP = [[255, 255, 178], [254, 217, 118], [254, 178, 76], [253, 141, 60],
                [240, 59, 32], [189, 0, 38]]
CHORO_RAMP = [[199, 233, 180], [127, 205, 187], [65, 182, 196], [44, 127, 184], [37, 52, 148]]
#: Lisbon to Tokyo and Jakarta in a map about 700 px wide (basemap's view is tighter).
TOOLTIP = {"html": "<b>{n}</b><br/>{a}<br/>{b}<br/>Data status: {s}",
           "style": {"backgroundColor": "#1b1f24", "color": "#ffffff", "fontSize": "13px",
                     "maxWidth": "320px", "padding": "6px 8px"}}


def tooltip_safe(values) -> list[str]:
    """Tooltip text for a column (see basemap.tooltip_text)."""
    values = values.tolist() if hasattr(values, "tolist") else values
    return [basemap.tooltip_text(v) for v in values]


def _n(x) -> str:
    return f"{int(x):,}"


def _plural(x, word: str) -> str:
    return f"{_n(x)} {word}{'' if int(x) == 1 else 's'}"


def radius_px(objects, max_objects) -> np.ndarray:
    """Dot radius in pixels: area proportional to objects (sqrt scale), at least MIN_RADIUS_PX.
    ``max_objects`` is the reference drawn at MAX_RADIUS_PX: the map passes the largest museum
    of the whole store (``MapData.reference_objects``), not of the selection, so two small
    museums left by a filter stay small."""
    o = np.asarray(objects, dtype=float)
    top = max(float(max_objects or 0), 1.0)
    return np.maximum(MIN_RADIUS_PX, MAX_RADIUS_PX * np.sqrt(np.clip(o, 0, None) / top)).round(1)


def _where(city, country) -> list[str]:
    return [", ".join(x for x in (c, k) if isinstance(x, str) and x)
            for c, k in zip(city.tolist(), country.tolist())]


def _round(values, nd: int = 3) -> list[float]:
    return np.round(np.asarray(values, dtype=float), nd).tolist()


def museum_colors(museums: pd.DataFrame, color_by: str) -> list[list[int]]:
    """RGB per museum: by region (REGION_COLORS) or membership (MEMBER_COLORS)."""
    col, palette = (("member_status", basemap.MEMBER_COLORS) if color_by == "member"
                    else ("region", basemap.REGION_COLORS))
    fallback = [120, 120, 120]
    return [palette.get(v, fallback) for v in museums[col].tolist()]


def size_reference(data: MapData) -> float:
    """Objects drawn at the largest dot: the largest museum in the store (no filter), or of
    the selection when that is larger (never: a filter only removes objects) or unknown."""
    top = float(data.museums.objects.max()) if len(data.museums) else 0.0
    return max(float(data.reference_objects or 0), top, 1.0)


def placed(museums: pd.DataFrame, zoom: float) -> pd.DataFrame:
    """The museums with coordinates and where each is drawn (``x``, ``y``): museums at the same
    place (to ~100 m, e.g. Leiden's two museums) are spread around it (basemap.spread), each
    with ``here``: how many share the place."""
    m = museums.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    s = basemap.spread(m.longitude, m.latitude, zoom=zoom)
    return m.assign(x=s.lon.to_numpy(), y=s.lat.to_numpy(), here=s.group_size.to_numpy())


def museums_layer(museums: pd.DataFrame, color_by: str = "region", max_objects=None,
                  zoom: float = 2.0, where_drawn: pd.DataFrame | None = None) -> pdk.Layer:
    """One dot per museum (ScatterplotLayer, id ``museums``): radius by matching objects
    (against ``max_objects``), colour by region or membership; museums sharing a place are
    drawn side by side (``placed``, or ``where_drawn`` when already computed); pickable, with
    the shared tooltip fields."""
    m = placed(museums, zoom) if where_drawn is None else where_drawn
    r = radius_px(m.objects, max_objects if max_objects is not None else m.objects.max())
    status = tooltip_safe(m.statuses)
    where = [w + (f" · {h} museums at this place" if h > 1 else "")
             for w, h in zip(tooltip_safe(_where(m.city, m.country)), m.here.tolist())]
    data = [dict(id=i, p=[x, y], r=float(rr), c=c, n=n, a=a,
                 b=f"{_n(o)} objects · {_plural(k, 'collection')}", s=s)
            for i, x, y, rr, c, n, a, o, k, s in zip(
                m.id.tolist(), _round(m.x), _round(m.y), r.tolist(),
                museum_colors(m, color_by), tooltip_safe(m.name), where, m.objects.tolist(),
                m.collections.tolist(), status)]
    return pdk.Layer("ScatterplotLayer", data=data, id="museums", get_position="p",
                     get_radius="r", radius_units=pdk.types.String("pixels"), get_fill_color="c",
                     opacity=0.85,
                     stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=0.5,
                     pickable=True, auto_highlight=True)


def leaders_layer(where_drawn: pd.DataFrame) -> pdk.Layer | None:
    """Thin lines from each spread museum's dot to its true place (None when none is spread);
    ``where_drawn`` as ``placed`` gives it."""
    m = where_drawn[where_drawn.here > 1]
    if m.empty:
        return None
    data = [dict(s=[a, b], t=[c, d]) for a, b, c, d in
            zip(_round(m.longitude), _round(m.latitude), _round(m.x), _round(m.y))]
    return pdk.Layer("LineLayer", data=data, id="leaders", get_source_position="s",
                     get_target_position="t", get_color=[60, 60, 60, 200], get_width=1,
                     width_units=pdk.types.String("pixels"), pickable=False)


#: Holding cities considered for a label (the largest), and most labels drawn once those
#: that would overlap at the initial zoom are left out (basemap.declutter).
LABEL_LIMIT = 200
LABEL_SHOWN = 25


def city_labels(museums: pd.DataFrame, limit: int = LABEL_LIMIT) -> list[dict]:
    """One label per holding city (``t``: the city as recorded), at the mean place of its
    museums, priority ``k`` by matching objects, the ``limit`` largest cities only."""
    acc: dict[tuple, list] = {}
    for city, country, x, y, o in zip(museums.city.tolist(), museums.country.tolist(),
                                      museums.longitude.tolist(), museums.latitude.tolist(),
                                      museums.objects.tolist()):
        if not isinstance(city, str) or not city.strip() or pd.isna(x) or pd.isna(y):
            continue
        a = acc.setdefault((city, country), [0.0, 0.0, 0, 0])
        a[0] += x
        a[1] += y
        a[2] += 1
        a[3] += int(o)
    top = sorted(acc.items(), key=lambda kv: (-kv[1][3], kv[0][0]))[:limit]
    return [dict(p=[round(a[0] / a[2], 3), round(a[1] / a[2], 3)],
                 t=basemap.tooltip_text(city), k=a[3]) for (city, _), a in top]


#: Rings for institutions stated to hold Asian collections whose holdings are not yet surveyed:
#: a fixed size (no object count is known), hollow so they never read as a small holding.
UNSURVEYED_RADIUS_PX = 6.0
UNSURVEYED_LABEL = "Asian collections stated, holdings not yet surveyed"


def unsurveyed_layer(holders: pd.DataFrame, color_by: str = "region") -> pdk.Layer:
    """One ring per institution known to hold Asian collections but without holdings rows
    (ScatterplotLayer, id ``unsurveyed``): outline in the museum colours, hollow, fixed size;
    pickable, with the shared tooltip fields (the statement's source in the tooltip)."""
    m = holders.dropna(subset=["latitude", "longitude"])
    said = [f"Asian collections: {src}" if isinstance(src, str) and src else
            "Asian collections stated (no source given)" for src in m.asian_collections_source]
    data = [dict(id=i, p=[x, y], c=c, n=n, a=a, b=b + " · holdings not yet surveyed", s=s)
            for i, x, y, c, n, a, b, s in zip(
                m.id.tolist(), _round(m.longitude), _round(m.latitude), museum_colors(m, color_by),
                tooltip_safe(m.name), tooltip_safe(_where(m.city, m.country)), tooltip_safe(said),
                tooltip_safe(m.status))]
    return pdk.Layer("ScatterplotLayer", data=data, id="unsurveyed", get_position="p",
                     get_radius=UNSURVEYED_RADIUS_PX, radius_units=pdk.types.String("pixels"),
                     filled=True, get_fill_color=[255, 255, 255, 160], stroked=True,
                     get_line_color="c", line_width_units=pdk.types.String("pixels"),
                     get_line_width=2.5, pickable=True, auto_highlight=True)


def flows_layer(flows: pd.DataFrame) -> pdk.Layer:
    """Great-circle arcs from each country of origin to the museums holding its objects
    (ArcLayer, id ``flows``), width by object count."""
    top = max(float(flows.objects.max()), 1.0) if len(flows) else 1.0
    w = (MIN_WIDTH_PX + (MAX_WIDTH_PX - MIN_WIDTH_PX) * np.sqrt(flows.objects / top)).round(1)
    data = [dict(f=[x0, y0], t=[x1, y1], w=float(ww), n=f"{o} → {m}", a=a,
                 b=f"{_n(ob)} objects · {_plural(k, 'collection')}", s=s)
            for x0, y0, x1, y1, ww, o, m, a, ob, k, s in zip(
                _round(flows.origin_lon), _round(flows.origin_lat), _round(flows.longitude),
                _round(flows.latitude), w.tolist(), tooltip_safe(flows.origin_name),
                tooltip_safe(flows.name), tooltip_safe(_where(flows.city, flows.country)),
                flows.objects.tolist(), flows.collections.tolist(), tooltip_safe(flows.statuses))]
    return pdk.Layer("ArcLayer", data=data, id="flows", great_circle=True, get_source_position="f",
                     get_target_position="t", get_width="w", width_units=pdk.types.String("pixels"),
                     get_source_color=FLOW_SOURCE + [150], get_target_color=FLOW_TARGET + [150],
                     get_height=0,
                     pickable=True, auto_highlight=True)


#: Side of a density cell, in degrees of longitude and latitude (about 220 km north-south).
DENSITY_CELL_DEG = 2.0


def density_cells(museums: pd.DataFrame, cell: float = DENSITY_CELL_DEG) -> pd.DataFrame:
    """Matching objects summed per ``cell`` x ``cell`` degree square (by the museums' places):
    ``lon0``, ``lat0`` (south-west corner), ``objects``, ``museums``; largest first."""
    m = museums.dropna(subset=["latitude", "longitude"])
    if m.empty:
        return pd.DataFrame(columns=["lon0", "lat0", "objects", "museums"])
    g = (m.assign(lon0=np.floor(m.longitude / cell) * cell, lat0=np.floor(m.latitude / cell) * cell)
         .groupby(["lon0", "lat0"], as_index=False)
         .agg(objects=("objects", "sum"), museums=("id", "size")))
    return g.sort_values(["objects", "lon0", "lat0"], ascending=[False, True, True],
                         ignore_index=True)


def density_layer(museums: pd.DataFrame, breaks: list[float] | None = None) -> pdk.Layer:
    """Squares of DENSITY_CELL_DEG degrees shaded by the matching objects of the museums in them
    (SolidPolygonLayer, id ``density``), in the classes of ``class_breaks`` (the legend's
    numbers); aggregated per museum first, so no object row reaches the browser."""
    cells = density_cells(museums)
    breaks = breaks or class_breaks(cells.objects)
    ramp = DENSITY_RAMP[len(DENSITY_RAMP) - len(breaks):]
    k = DENSITY_CELL_DEG
    data = [dict(g=[[x, y], [x + k, y], [x + k, y + k], [x, y + k]],
                 c=ramp[_class_of(float(o), breaks)] + [170],
                 n=f"{_n(o)} objects", a=f"{_plural(mu, 'museum')} in this {k:g}° square",
                 b=f"{_ns(y)}–{_ns(y + k)}, {_ew(x)}–{_ew(x + k)}", s="see the museums")
            for x, y, o, mu in zip(cells.lon0.tolist(), cells.lat0.tolist(),
                                   cells.objects.tolist(), cells.museums.tolist())]
    return pdk.Layer("SolidPolygonLayer", data=data, id="density", get_polygon="g",
                     get_fill_color="c", pickable=True, auto_highlight=True)


def _ns(lat: float) -> str:
    return f"{abs(lat):g}°{'N' if lat >= 0 else 'S'}"


def _ew(lon: float) -> str:
    return f"{abs(lon):g}°{'E' if lon >= 0 else 'W'}"


def class_breaks(values, k: int = len(CHORO_RAMP)) -> list[float]:
    """Upper bounds of up to ``k`` classes (quantiles on a log scale, two significant digits)."""
    v = np.asarray([x for x in values if x > 0], dtype=float)
    if not len(v):
        return [0.0]
    qs = np.quantile(np.log10(v), np.linspace(0, 1, k + 1)[1:])
    out: list[float] = []
    for x in 10 ** qs:
        step = 10 ** max(0, math.floor(math.log10(x)) - 1)  # two significant digits, rounded up
        b = float(math.ceil(x / step) * step)
        if not out or b > out[-1]:
            out.append(b)
    out[-1] = max(out[-1], float(v.max()))
    return out


def _class_of(x: float, breaks: list[float]) -> int:
    for i, b in enumerate(breaks):
        if x <= b:
            return i
    return len(breaks) - 1


def countries_layer(countries: pd.DataFrame, breaks: list[float] | None = None) -> pdk.Layer:
    """Holding countries shaded by matching objects (GeoJsonLayer, id ``countries_shaded``).

    The polygons are the base map's static file (fetched once by the browser, never resent);
    only the colour per ISO code travels with a rerun, as deck.gl's ``colorCategories`` over the
    features' ``iso_a3``. Not pickable: the numbers are on ``country_labels``."""
    breaks = breaks or class_breaks(countries.objects)
    ramp = CHORO_RAMP[max(0, len(CHORO_RAMP) - len(breaks)):]
    c = countries[countries.objects > 0]
    codes = c.country_code.astype(str).tolist()
    colors = [ramp[_class_of(float(o), breaks)] + [200] for o in c.objects.tolist()]
    fill = {"@@function": "colorCategories", "attr": "iso_a3", "domain": codes,
            "colors": colors, "othersColor": [0, 0, 0, 0]}
    return pdk.Layer("GeoJsonLayer", data=basemap.STATIC_BOUNDARIES_URL, id="countries_shaded",
                     stroked=False, filled=True, get_fill_color=fill,
                     update_triggers={"getFillColor": [hash((tuple(codes), str(colors)))]},
                     pickable=False)


def country_labels(countries: pd.DataFrame) -> list[dict]:
    """A label per holding country at a point inside it: its name and matching objects, with
    the shared tooltip fields (museums, objects, data status)."""
    cent = geo.country_centroids().set_index("iso_a3")
    c = countries[countries.country_code.isin(cent.index)]
    return [dict(p=[float(cent.at[code, "longitude"]), float(cent.at[code, "latitude"])],
                 t=f"{name} {_n(o)}", k=int(o) + 0.5, n=name,  # wins a tie with a city
                 a=f"{_plural(mu, 'museum')} with matching holdings",
                 b=f"{_n(o)} objects · {_plural(k, 'collection')}", s=st)
            for code, name, o, mu, k, st in zip(
                c.country_code.tolist(), tooltip_safe(c.country), c.objects.tolist(),
                c.museums.tolist(), c.collections.tolist(), tooltip_safe(c.statuses))]


#: The map area the page gives the deck (the map column at 1440 px wide), for framing.
MAP_SIZE = (640, 600)


def frame(data: MapData, view: str = "data") -> dict:
    """The initial view: a named framing from VIEWS, or (``data``) the box around the matching
    museums and rings (basemap.fit_view), so a filter to Europe frames Europe."""
    named = VIEWS.get(view, VIEWS["data"])[1]
    if named is not None:
        return {**basemap.ASIA_EUROPE_VIEW, **named}
    pts = pd.concat([data.museums[["longitude", "latitude"]],
                     data.unsurveyed[["longitude", "latitude"]]], ignore_index=True)
    w, h = MAP_SIZE
    return basemap.fit_view(pts.longitude, pts.latitude, width=w, height=h)


def collections_deck(data: MapData, layers=("museums",), color_by: str = "region",
                     *, view: str = "data", inline: bool = False,
                     height: int | None = None) -> pdk.Deck:
    """The Collections map: base countries plus the layers switched on, in LAYERS order.

    Parameters
    ----------
    data : MapData from ``collections_map.map_data``.
    layers : names from ``collections_map.LAYERS`` to draw.
    color_by : ``region`` or ``member`` (museum dot colours).
    view : a framing from ``collections_map.VIEWS`` (``data``: fitted to the matching museums).
    inline : inline the base country polygons (standalone export) instead of the static URL.
    """
    v = frame(data, view)
    zoom = float(v["zoom"])
    drawn = placed(data.museums, zoom)
    build = {"countries": lambda: [countries_layer(data.countries)],
             "density": lambda: [density_layer(data.museums)],
             "flows": lambda: [flows_layer(data.flows)],
             "museums": lambda: [x for x in (leaders_layer(drawn),
                                             museums_layer(data.museums, color_by,
                                                           size_reference(data), zoom, drawn))
                                 if x is not None]}
    chosen = [layer for name in LAYERS if name in layers for layer in build[name]()]
    if "museums" in layers and len(data.unsurveyed):
        # drawn under the museum dots, with them: both answer "who holds Asian collections"
        chosen.insert(len(chosen) - 1, unsurveyed_layer(data.unsurveyed, color_by))
    # one pass for both kinds of label, so that a country's total never covers a city's name
    countries = country_labels(data.countries) if "countries" in layers else []
    cities = city_labels(data.museums) if layers else []
    kept = basemap.declutter(countries + cities, zoom=zoom, size=13,
                             limit=LABEL_SHOWN + len(countries))
    if countries:
        chosen.append(basemap.label_layer([r for r in kept if "n" in r], size=13,
                                          layer_id="country_labels", color=(25, 45, 90),
                                          pickable=True))
    if cities:
        chosen.append(basemap.label_layer([r for r in kept if "n" not in r],
                                          layer_id="city_labels"))
    return basemap.deck(chosen, tooltip=TOOLTIP, view=v, inline=inline, height=height)


def _nice_sizes(top: float) -> list[int]:
    if top <= 0:
        return []
    p = 10 ** math.floor(math.log10(top))
    first = next(m * p for m in (5, 2, 1) if m * p <= top)
    return sorted({int(v) for v in (first, first / 10, first / 100) if v >= 1}, reverse=True)


def legend(data: MapData, layers=("museums",), color_by: str = "region") -> list[dict]:
    """Legend sections for the active layers: ``title``, ``swatches`` [(label, rgb)], ``rings``
    [(label, rgb)] (hollow markers), ``sizes`` [(label, radius px)], ``lines`` [(label, width
    px)], ``ramp`` [(label, rgb)], ``note``."""
    out = []
    if "museums" in layers and len(data.museums):
        palette = basemap.MEMBER_COLORS if color_by == "member" else basemap.REGION_COLORS
        col = "member_status" if color_by == "member" else "region"
        counts = data.museums[col].value_counts()
        top = size_reference(data)
        by = "ASEMUS membership" if color_by == "member" else "region"
        shared = int((placed(data.museums, 2.0).here > 1).sum())
        note = (f"Dot area ∝ matching objects; the largest dot ({MAX_RADIUS_PX:g} px) is "
                f"{_plural(top, 'object')}, the largest museum in the data with no filter, so "
                f"a small selection stays small; the smallest dots are drawn at "
                f"{MIN_RADIUS_PX:g} px. Click a dot to narrow the table to that museum.")
        if shared:
            note += (f" {_n(shared)} museums share a place with another: drawn side by side "
                     "around it, a thin line to the place.")
        out.append(dict(title=f"Museums, by {by} ({_n(len(data.museums))})",
                        swatches=[(f"{k} ({_n(counts[k])})", v) for k, v in palette.items()
                                  if k in counts.index],
                        sizes=[(_plural(v, "object"), float(radius_px([v], top)[0]))
                               for v in _nice_sizes(top)],
                        note=note))
    if "museums" in layers and len(data.unsurveyed):
        n = len(data.unsurveyed)
        palette = basemap.MEMBER_COLORS if color_by == "member" else basemap.REGION_COLORS
        col = "member_status" if color_by == "member" else "region"
        present = set(data.unsurveyed[col])
        out.append(dict(title=f"{UNSURVEYED_LABEL} ({n:,})",
                        rings=[(k, v) for k, v in palette.items() if k in present],
                        note="Institutions a source states to hold Asian collections, with no "
                             "holdings rows yet: rings of one size, as nothing is counted. "
                             "Hover a ring for the source of the statement."))
    if "flows" in layers and len(data.flows):
        top = float(data.flows.objects.max())
        shown = len(data.flows)
        note = "Width ∝ √objects."
        if data.flows_total > shown:
            share = data.flows.objects.sum() / max(data.flows_objects_total, 1)
            note += f" The {shown:,} largest of {data.flows_total:,} flows ({share:.0%} of objects)."
        out.append(dict(title=LAYER_LABELS["flows"],
                        swatches=[("country of origin", FLOW_SOURCE), ("holding museum", FLOW_TARGET)],
                        lines=[(_plural(v, "object"), float(MIN_WIDTH_PX + (MAX_WIDTH_PX - MIN_WIDTH_PX)
                                                         * math.sqrt(v / top)))
                               for v in _nice_sizes(top)[:2]],
                        note=note))
    if "density" in layers and len(data.museums):
        cells = density_cells(data.museums)
        out.append(dict(title=f"{LAYER_LABELS['density']}, objects per {DENSITY_CELL_DEG:g}° square",
                        ramp=_ramp_items(class_breaks(cells.objects), DENSITY_RAMP),
                        note=f"{_n(len(cells))} squares hold matching objects; the darkest "
                             f"holds {_n(cells.objects.max())}. Hover a square for its museums."))
    if "countries" in layers and len(data.countries):
        out.append(dict(title="Holding countries, by objects",
                        ramp=_ramp_items(class_breaks(data.countries.objects), CHORO_RAMP),
                        note=f"Matching objects held in the country ({_n(len(data.countries))} "
                             "countries); the number is written on each."))
    return out


def _ramp_items(breaks: list[float], ramp: list) -> list[tuple[str, list]]:
    """Legend classes '1–120', '121–1,500', ... with the colours the layer uses for them."""
    colours = ramp[len(ramp) - len(breaks):]
    lo, items = 0, []
    for b, c in zip(breaks, colours):
        items.append((f"{_n(lo + 1)}–{_n(b)}" if lo else f"up to {_n(b)}", c))
        lo = b
    return items


def _rgb(c) -> str:
    return f"rgb({int(c[0])},{int(c[1])},{int(c[2])})"


def legend_html(sections: list[dict]) -> str:
    """The legend sections as a small HTML block (swatches, size key, line widths, ramp)."""
    esc = html.escape
    parts = ['<div style="font-size:0.85rem;line-height:1.5">']
    for s in sections:
        parts.append(f'<div style="margin:0 0 0.6rem 0"><div style="font-weight:600">{esc(s["title"])}</div>')
        for label, c in s.get("swatches", []):
            parts.append(f'<span style="display:inline-block;margin-right:0.8rem;white-space:nowrap">'
                         f'<span style="display:inline-block;width:12px;height:12px;border-radius:50%;'
                         f'background:{_rgb(c)};vertical-align:middle;margin-right:4px"></span>'
                         f'{esc(label)}</span>')
        for label, c in s.get("rings", []):
            parts.append(f'<span style="display:inline-block;margin-right:0.8rem;white-space:nowrap">'
                         f'<span style="display:inline-block;width:9px;height:9px;border-radius:50%;'
                         f'border:2.5px solid {_rgb(c)};background:#fff;vertical-align:middle;'
                         f'margin-right:4px"></span>{esc(label)}</span>')
        if s.get("sizes"):
            parts.append('<div style="display:flex;align-items:flex-end;gap:0.8rem;margin-top:4px">')
            for label, r in s["sizes"]:
                d = 2 * r
                parts.append(f'<span style="text-align:center"><span style="display:block;margin:0 auto;'
                             f'width:{d:.0f}px;height:{d:.0f}px;border-radius:50%;border:1px solid #555;'
                             f'background:rgba(120,120,120,0.15)"></span>{esc(label)}</span>')
            parts.append("</div>")
        for label, w in s.get("lines", []):
            parts.append(f'<div><span style="display:inline-block;width:36px;height:{max(w, 1):.0f}px;'
                         f'background:linear-gradient(90deg,{_rgb(FLOW_SOURCE)},{_rgb(FLOW_TARGET)});'
                         f'vertical-align:middle;margin-right:6px"></span>{esc(label)}</div>')
        if s.get("ramp"):
            parts.append('<div style="display:flex;flex-wrap:wrap;gap:0.1rem 0.6rem">')
            for label, c in s["ramp"]:
                parts.append(f'<span style="white-space:nowrap"><span style="display:inline-block;'
                             f'width:18px;height:12px;background:{_rgb(c)};vertical-align:middle;'
                             f'margin-right:3px"></span>{esc(label)}</span>')
            parts.append("</div>")
        if s.get("note"):
            parts.append(f'<div style="color:#555;font-size:0.78rem">{esc(s["note"])}</div>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def _data(row) -> str:
    """'; data: illustrative' unless every row behind the figure is documented."""
    s = str(row.get("statuses") or "")
    return "" if s in ("", "documented") else f"; data: {s}"


def collections_map_sentence(data: MapData, layers=("museums",), color_by: str = "region") -> str:
    """The Collections map in words for the layers switched on: museums per region (or how many
    are ASEMUS members), the museum with most objects, the largest flow, the top country."""
    m = data.museums
    rings = unsurveyed_sentence(data, layers)
    if m.empty:
        return "No museum holds matching items." + (f" {rings}" if rings else "")
    if not layers:
        return "No map layer is switched on."
    regions = m["region"].fillna("not stated").value_counts()
    parts = [f"{int(regions.get(r, 0))} in {r}" for r in ("Asia", "Europe")]
    other = int(len(m) - regions.get("Asia", 0) - regions.get("Europe", 0))
    parts += [f"{other} elsewhere"] if other else []
    text = f"{plural(len(m), 'museum')} with matching holdings: {and_list(parts)}"
    if color_by == "member":
        text += f"; {int((m['member_status'] == 'member').sum())} are stated ASEMUS members"
    top = m.iloc[0]  # map_data sorts museums by objects, largest first
    text += f". Most objects: {top['name']} ({_plural(top['objects'], 'object')}{_data(top)})"
    if data.unplaced_museums:
        n = data.unplaced_museums
        text += f"; {n} without coordinates {'is' if n == 1 else 'are'} not drawn (see the table below)"
    if "flows" in layers and len(data.flows):
        f = data.flows.iloc[0]
        text += (f". Largest flow: {f['origin_name']} to {f['name']} "
                 f"({_plural(f['objects'], 'object')}{_data(f)}); "
                 + (f"all {data.flows_total:,} flows drawn" if data.flows_total == len(data.flows)
                    else f"the {len(data.flows):,} largest of {data.flows_total:,} flows drawn"))
    if "countries" in layers and len(data.countries):
        c = data.countries.iloc[0]
        text += (f". Top holding country: {c['country']} ({_plural(c['objects'], 'object')} in "
                 f"{_plural(c['museums'], 'museum')}{_data(c)})")
    return text + "." + (f" {rings}" if rings else "")


def positions_text(data: MapData, layers=("museums",)) -> str:
    """Where the drawn positions come from, counted over the rows on the map: the museums (dots,
    hexagons, arc ends) and the rings, per ``coordinate_source``; plus the origin points when
    flows are drawn. '' when nothing is placed."""
    frames = [df for df, on in ((data.museums, bool({"museums", "density", "flows"} & set(layers))),
                                (data.unsurveyed, "museums" in layers)) if on and len(df)]
    text = geo.coordinate_sources_text(pd.concat(frames, ignore_index=True)) if frames else ""
    if "flows" in layers and len(data.flows):
        text += " Origins: a point inside each country of origin (Natural Earth)."
    return text.strip()


def unsurveyed_sentence(data: MapData, layers=("museums",)) -> str:
    """The rings in words: how many institutions are stated to hold Asian collections without
    holdings rows yet, and how many of them have no coordinates ('' when none is shown)."""
    u = data.unsurveyed
    if "museums" not in layers or u.empty:
        return ""
    n, unplaced = len(u), int(u[["latitude", "longitude"]].isna().any(axis=1).sum())
    text = (f"{plural(n, 'institution')} stated to hold Asian collections "
            f"{'has' if n == 1 else 'have'} no holdings surveyed yet (rings)")
    if unplaced:
        text += f"; {unplaced} of them without coordinates {'is' if unplaced == 1 else 'are'} not drawn"
    from ..open_data import credit  # the register's museums: its licence asks for the credit
    said = credit(list(u["asian_collections_source"].dropna().astype(str))) \
        if "asian_collections_source" in u else ""
    return text + "." + (f" Stated by {said}." if said else "")
