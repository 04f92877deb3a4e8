"""Figures for the collaboration network: arcs on the offline map (pydeck), the force-directed
graph, the ego graph and growth over time (plotly). Pure builders: graphs and frames in, figures
out."""
from __future__ import annotations

import html
import math

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from . import basemap

#: Tie colours (Okabe-Ito first, then distinct extras). Committee ties, the most numerous, are a
#: neutral grey so the rarer project ties stand out.
TYPE_COLORS = {
    "educational exchange": [0, 158, 115],
    "travelling exhibition": [230, 159, 0],
    "shared exhibition": [204, 121, 167],
    "co-organised exhibition": [153, 79, 0],
    "loan": [20, 20, 20],
    "joint project": [117, 112, 179],
    "training": [102, 166, 30],
    "virtual collection partnership": [86, 180, 233],
    "lead partnership": [231, 41, 138],
    "conference host": [166, 118, 29],
    "executive committee": [160, 160, 160],
}
OTHER = [120, 120, 120]
#: When a pair has several types, it is drawn in the first of them in this order (most specific
#: first; committee seats last, as they are the weakest evidence of working together).
PRECEDENCE = list(TYPE_COLORS)
COMMUNITY_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#994F00",
                    "#7570B3", "#66A61E", "#E7298A"]
TOOLTIP = {"html": "<b>{title}</b><br/>{detail}<br/><i>{sources}</i>",
           "style": {"fontSize": "12px", "maxWidth": "420px", "whiteSpace": "normal"}}


def _rgb(c) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


def main_type(types: list[str]) -> str:
    """The type a multi-type tie is drawn in (see ``PRECEDENCE``)."""
    known = [t for t in PRECEDENCE if t in types]
    return known[0] if known else (types[0] if types else "other")


def type_color(t: str) -> list[int]:
    return TYPE_COLORS.get(t, OTHER)


def legend_html(types) -> str:
    """Coloured dots and names for the tie types shown (names escaped)."""
    return " &nbsp; ".join(f"<span style='color:{_rgb(type_color(t))};font-size:1.4em'>&#9632;"
                           "</span> "
                           f"{html.escape(str(t))}" for t in types)


def _years(a, b) -> str:
    if a is None and b is None:
        return "year unknown"
    return str(a) if a == b or b is None else f"{a}-{b}"


#: Further north and out than the shared view: great circles Europe-East Asia pass near 70 N.
ARC_VIEW = dict(latitude=45.0, longitude=62.0, zoom=1.45)


def arcs_deck(G: nx.Graph, *, inline: bool = False, height: int = 560) -> pdk.Deck:
    """Great-circle arcs between tied institutions, coloured by (main) tie type, over the offline
    base map, with the institutions as points coloured by region. Tooltip text is escaped."""
    pos = {v: (d.get("longitude"), d.get("latitude")) for v, d in G.nodes(data=True)}
    rows = []
    for u, v, d in G.edges(data=True):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        if None in (x0, y0, x1, y1):
            continue
        t = main_type(d["types"])
        rows.append(dict(src=[x0, y0], dst=[x1, y1], color=type_color(t) + [200],
                         width=1 + math.log2(d["weight"]),
                         title=f"{G.nodes[u].get('name') or u} - {G.nodes[v].get('name') or v}",
                         detail=f"{'; '.join(d['types'])}, {_years(d['year_start'], d['year_end'])}"
                                f" ({d['weight']} tie{'s' if d['weight'] > 1 else ''})",
                         sources="; ".join(d["sources"][:3]) +
                                 (" ..." if len(d["sources"]) > 3 else "")))
    arcs = basemap.escape_html(pd.DataFrame(rows, columns=["src", "dst", "color", "width", "title",
                                                           "detail", "sources"]),
                               ["title", "detail", "sources"])
    nodes = pd.DataFrame([dict(lon=x, lat=y, title=G.nodes[v].get("name") or v,
                               detail=f"{G.nodes[v].get('region')}; {G.degree(v)} institutions tied",
                               sources=f"ASEMUS: {G.nodes[v].get('member_status')}",
                               color=basemap.REGION_COLORS.get(G.nodes[v].get("region"), OTHER))
                          for v, (x, y) in pos.items() if x is not None and y is not None],
                         columns=["lon", "lat", "title", "detail", "sources", "color"])
    nodes = basemap.escape_html(nodes, ["title", "detail", "sources"])
    layers = [
        pdk.Layer("ArcLayer", data=arcs, id="ties", get_source_position="src",
                  get_target_position="dst", get_source_color="color", get_target_color="color",
                  get_width="width", width_min_pixels=1, great_circle=True, pickable=True,
                  get_height=0,  # flat on the map: raised arcs swing off screen when seen from above
                  auto_highlight=True),
        pdk.Layer("ScatterplotLayer", data=nodes, id="institutions", get_position=["lon", "lat"],
                  get_fill_color="color", get_line_color=[255, 255, 255], stroked=True,
                  line_width_min_pixels=1, get_radius=50000, radius_min_pixels=4,
                  radius_max_pixels=10, pickable=True),
    ]
    return basemap.deck(layers, tooltip=TOOLTIP, view=ARC_VIEW, inline=inline, height=height)


def _size(values: pd.Series, lo: float = 7, hi: float = 34) -> np.ndarray:
    v = np.sqrt(np.clip(values.to_numpy(dtype=float), 0, None))
    span = v.max() - v.min() if len(v) else 0
    return np.full(len(v), (lo + hi) / 2) if span == 0 else lo + (v - v.min()) / span * (hi - lo)


def _edge_traces(G: nx.Graph, pos: dict) -> list[go.Scatter]:
    """One line trace per tie type (a legend entry each); width grows with the weight."""
    by_type: dict[str, list] = {}
    for u, v, d in G.edges(data=True):
        if u in pos and v in pos:
            by_type.setdefault(main_type(d["types"]), []).append((u, v))
    traces = []
    for t in [t for t in PRECEDENCE if t in by_type] + [t for t in by_type if t not in PRECEDENCE]:
        xs, ys = [], []
        for u, v in by_type[t]:
            xs += [pos[u][0], pos[v][0], None]
            ys += [pos[u][1], pos[v][1], None]
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", name=t, hoverinfo="skip",
                                 line=dict(color=_rgb(type_color(t)), width=1.2),
                                 opacity=0.55 if t == "executive committee" else 0.85,
                                 legendgroup="ties", legendgrouptitle_text="Tie type"))
    return traces


def topology_figure(G: nx.Graph, pos: dict, metrics: pd.DataFrame, *, size_by: str = "degree",
                    color_by: str = "region", labels: int = 10, height: int = 700) -> go.Figure:
    """Force-directed drawing: nodes sized by ``size_by``, coloured by region or community, the
    ``labels`` largest named; ties one trace per type. Only nodes in ``pos`` are drawn."""
    m = metrics[metrics["id"].isin(pos.keys())].copy()
    m["x"] = [pos[v][0] for v in m["id"]]
    m["y"] = [pos[v][1] for v in m["id"]]
    m["size"] = _size(m[size_by])
    top = set(m.nlargest(labels, [size_by, "degree"])["id"]) if labels else set()
    fig = go.Figure(_edge_traces(G.subgraph(pos.keys()), pos))
    if color_by == "community":
        groups = [(f"community {c + 1}" if c < 9 else "other communities",
                   COMMUNITY_COLORS[c] if c < 9 else "#999999", m[(m["community"] == c) if c < 9
                                                                 else (m["community"] >= 9)])
                  for c in range(10)]
    else:
        groups = [(r, _rgb(c), m[m["region"] == r]) for r, c in basemap.REGION_COLORS.items()]
    for name, color, g in groups:
        if g.empty:
            continue
        fig.add_trace(go.Scatter(
            x=g["x"], y=g["y"], mode="markers+text", name=name,
            text=[html.escape(str(n)) if i in top else "" for i, n in zip(g["id"], g["name"])],
            textposition="top center", textfont=dict(size=11, color="#222"),
            marker=dict(size=g["size"], color=color, line=dict(width=1, color="white")),
            customdata=np.stack([g["name"].map(lambda s: html.escape(str(s))), g["degree"],
                                 g["weighted_degree"], g["betweenness"].round(3),
                                 g["brokerage"].round(1), g[size_by].round(3)], axis=-1),
            hovertemplate="<b>%{customdata[0]}</b><br>institutions tied: %{customdata[1]}"
                          "<br>ties: %{customdata[2]}<br>betweenness: %{customdata[3]}"
                          f"<br>Asia-Europe brokerage: %{{customdata[4]}}<br>{size_by}: "
                          "%{customdata[5]}<extra></extra>",
            legendgroup="nodes", legendgrouptitle_text="Region" if color_by == "region"
            else "Community"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                      xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"),
                      legend=dict(groupclick="toggleitem", itemsizing="constant"),
                      hoverlabel=dict(namelength=-1))
    return fig


def ego_figure(E: nx.Graph, center: str, *, seed: int = 7, height: int = 420) -> go.Figure:
    """A small drawing of an ego network, the centre larger and outlined."""
    pos = nx.spring_layout(E, seed=seed) if len(E) > 1 else {center: (0.0, 0.0)}
    fig = go.Figure(_edge_traces(E, pos))
    ids = list(E)
    names = [html.escape(str(E.nodes[v].get("name") or v)) for v in ids]
    fig.add_trace(go.Scatter(
        x=[pos[v][0] for v in ids], y=[pos[v][1] for v in ids], mode="markers+text", text=names,
        textposition="top center", textfont=dict(size=10), hovertemplate="%{text}<extra></extra>",
        marker=dict(size=[22 if v == center else 11 for v in ids],
                    color=[_rgb(basemap.REGION_COLORS.get(E.nodes[v].get("region"), OTHER))
                           for v in ids],
                    line=dict(width=[3 if v == center else 1 for v in ids], color="#222")),
        showlegend=False))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                      xaxis=dict(visible=False), yaxis=dict(visible=False), showlegend=True)
    return fig


def growth_figure(growth: pd.DataFrame, gc_years: list[int] | None = None,
                  year: int | None = None) -> go.Figure:
    """Institutions with a tie and tied pairs by year (lines), cross-regional share (dotted, right
    axis); General Conferences as faint vertical lines, the selected year as a solid one."""
    fig = go.Figure([
        go.Scatter(x=growth["year"], y=growth["institutions"], name="institutions with a tie",
                   mode="lines+markers", line=dict(color="#0072B2")),
        go.Scatter(x=growth["year"], y=growth["ties"], name="tied pairs", mode="lines+markers",
                   line=dict(color="#009E73")),
        go.Scatter(x=growth["year"], y=growth["cross_share"], name="share crossing Asia-Europe",
                   mode="lines", line=dict(color="#D55E00", dash="dot"), yaxis="y2"),
    ])
    for y in gc_years or []:
        fig.add_vline(x=y, line=dict(color="#bbb", width=1, dash="dash"))
    if gc_years:
        fig.add_annotation(x=gc_years[0], y=1.02, yref="paper", text="dashed: General Conferences",
                           showarrow=False, xanchor="left", font=dict(size=10, color="#777"))
    if year is not None:
        fig.add_vline(x=year, line=dict(color="#444", width=2))
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=30, b=10),
                      yaxis=dict(title="count", rangemode="tozero"),
                      yaxis2=dict(title="cross-regional share", overlaying="y", side="right",
                                  tickformat=".0%", range=[0, 1], dtick=0.25),
                      legend=dict(orientation="h", y=-0.15), hovermode="x unified")
    return fig
