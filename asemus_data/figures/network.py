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
from . import label_place as lp

#: Okabe-Ito (distinguishable in the common forms of colour blindness). Yellow is left out: it
#: vanishes on the light land and the white plot.
OKABE_ITO = {"blue": [0, 114, 178], "vermillion": [213, 94, 0], "green": [0, 158, 115],
             "pink": [204, 121, 167], "orange": [230, 159, 0], "sky": [86, 180, 233],
             "black": [0, 0, 0]}
GREY = [150, 150, 150]
#: Tie type -> (colour, dashed). Seven hues are not enough for ten types: the three rarest
#: share the hue of a related type and are told apart by a second channel (dashed lines in the
#: graphs; arcs that fade to grey at one end on the map), never by one more hue. Committee ties,
#: the most numerous, are a neutral grey so the rarer project ties stand out.
TIE_STYLES = {
    "educational exchange": (OKABE_ITO["green"], False),
    "travelling exhibition": (OKABE_ITO["orange"], False),
    "shared exhibition": (OKABE_ITO["pink"], False),
    "co-organised exhibition": (OKABE_ITO["orange"], True),
    "loan": (OKABE_ITO["black"], False),
    "joint project": (OKABE_ITO["blue"], False),
    "training": (OKABE_ITO["vermillion"], False),
    "virtual collection partnership": (OKABE_ITO["sky"], False),
    "lead partnership": (OKABE_ITO["blue"], True),
    "conference host": (OKABE_ITO["vermillion"], True),
    "executive committee": (GREY, False),
}
TYPE_COLORS = {t: c for t, (c, _dashed) in TIE_STYLES.items()}
OTHER = [120, 120, 120]
#: When a pair has several types, it is drawn in the first of them in this order (most specific
#: first; committee seats last, as they are the weakest evidence of working together).
PRECEDENCE = list(TIE_STYLES)
#: Communities: seven Okabe-Ito hues, then the same hues again with another marker symbol.
COMMUNITY_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
COMMUNITY_SYMBOLS = ["circle", "square"]
SHOWN_COMMUNITIES = 9
ARCS_NOTE = ("Great-circle arcs between tied institutions (city-level positions); a pair with "
             "several types is drawn in the most specific one. Hover an arc for its sources.")
TOPOLOGY_NOTE = ("Force-directed layout (seeded), the crowded centre evened out; the "
                 "best-connected institutions with a tie are drawn (the metrics table lists "
                 "all). Names: the largest nodes whose name fits without covering another; "
                 "hover any node for its name; zoom with the + / - buttons above the graph and drag to pan. "
                 "Communities: "
                 "Louvain, seed {seed}.")
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


def is_dashed(t: str) -> bool:
    """Whether a tie type is told apart from another of its hue by a dashed line / fading arc."""
    return TIE_STYLES.get(t, (OTHER, False))[1]


def legend_html(types) -> str:
    """A line swatch and the name of each tie type shown (names escaped); dashed swatches for
    the types that share a hue (fading arcs on the map)."""
    return " &nbsp; ".join(
        f"<span style='display:inline-block;width:1.6em;vertical-align:middle;border-top:4px "
        f"{'dashed' if is_dashed(t) else 'solid'} {_rgb(type_color(t))}'></span> "
        f"{html.escape(str(t))}{' (dashed; fading arc on the map)' if is_dashed(t) else ''}"
        for t in types)


def _years(a, b) -> str:
    if a is None and b is None:
        return "year unknown"
    return str(a) if a == b or b is None else f"{a}-{b}"


#: Further north and out than the shared view: great circles Europe-East Asia pass near 70 N.
ARC_VIEW = dict(latitude=45.0, longitude=62.0, zoom=1.45)


#: At most this many arcs on the map: the strongest ties (see ``strongest_edges``). Thousands of
#: arcs are an unreadable tangle and megabytes for the browser; the summary says what is left out.
ARC_LIMIT = 600


def _placed(G: nx.Graph) -> set:
    return {v for v, d in G.nodes(data=True)
            if d.get("longitude") is not None and d.get("latitude") is not None}


def strongest_edges(G: nx.Graph, limit: int | None, placed: set | None = None) -> list[tuple]:
    """The ``limit`` strongest ties ``(u, v, data)`` whose two ends have a position: by weight,
    then by the most specific type (``PRECEDENCE``), then by the pair's ids, so the cut is
    deterministic. ``limit=None`` keeps them all."""
    placed = _placed(G) if placed is None else placed
    rank = {t: i for i, t in enumerate(PRECEDENCE)}
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if u in placed and v in placed]
    if limit is None or len(edges) <= limit:
        return edges
    edges.sort(key=lambda e: (-e[2]["weight"], rank.get(main_type(e[2]["types"]), len(rank)),
                              min(e[0], e[1]), max(e[0], e[1])))
    return edges[:limit]


def arcs_deck(G: nx.Graph, *, inline: bool = False, height: int = 560,
              limit: int | None = ARC_LIMIT) -> pdk.Deck:
    """Great-circle arcs between tied institutions, coloured by (main) tie type, over the offline
    base map, with the institutions as points coloured by region. Tooltip text is escaped. At
    most ``limit`` arcs are drawn, the strongest (``strongest_edges``)."""
    pos = {v: (d.get("longitude"), d.get("latitude")) for v, d in G.nodes(data=True)}
    rows = []
    for u, v, d in strongest_edges(G, limit):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        t = main_type(d["types"])
        rows.append(dict(src=[x0, y0], dst=[x1, y1], color=type_color(t) + [200],
                         # the second channel of a type that shares its hue: fade to grey
                         color_to=(GREY + [90]) if is_dashed(t) else type_color(t) + [200],
                         width=1 + math.log2(d["weight"]),
                         title=f"{G.nodes[u].get('name') or u} - {G.nodes[v].get('name') or v}",
                         detail=f"{'; '.join(d['types'])}, {_years(d['year_start'], d['year_end'])}"
                                f" ({d['weight']} tie{'s' if d['weight'] > 1 else ''})",
                         sources="; ".join(d["sources"][:3]) +
                                 (" ..." if len(d["sources"]) > 3 else "")))
    arcs = basemap.escape_html(pd.DataFrame(rows, columns=["src", "dst", "color", "color_to",
                                                           "width", "title",
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
                  get_target_position="dst", get_source_color="color", get_target_color="color_to",
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
                                 line=dict(color=_rgb(type_color(t)), width=1.2,
                                           dash="dash" if is_dashed(t) else "solid"),
                                 opacity=0.55 if t == "executive committee" else 0.85,
                                 legendgroup="ties", legendgrouptitle_text="Tie type"))
    return traces


#: The narrowest plot area (px) the graphs are expected in: labels are placed so that they
#: neither overlap nor run off a plot this wide (a wider one only spreads them further apart).
PLOT_WIDTH = 600
LABEL_FONT = 11
#: A white halo around names, so they stay legible over the lines of a dense graph.
HALO = "-1px -1px 2px #fff, 1px -1px 2px #fff, -1px 1px 2px #fff, 1px 1px 2px #fff"
#: Names drawn on the topology graph at most: the largest nodes by the chosen size, as many as
#: fit without overlapping (hover any node for its name).
TOPOLOGY_LABELS = 20
_MARGIN = dict(l=10, r=10, t=40, b=10)  # t: room for the zoom / pan bar above the legend


def spread(pos: dict, G: nx.Graph | None = None) -> dict:
    """Positions with the largest connected group evened out over its disc: each node keeps
    its direction from the group's centre and its rank in distance, but the radii are spread so
    that the nodes cover the disc evenly (a force layout packs the best-connected institutions
    into a knot where no name can be read). Other groups are left as they are."""
    if len(pos) < 3:
        return dict(pos)
    H = G.subgraph(pos) if G is not None else None
    main = max(nx.connected_components(H), key=len) if H is not None and len(H) else set(pos)
    ids = [v for v in pos if v in main]
    if len(ids) < 3:
        return dict(pos)
    xy = np.array([pos[v] for v in ids], dtype=float)
    c = xy.mean(axis=0)
    d = xy - c
    r = np.hypot(d[:, 0], d[:, 1])
    rank = np.argsort(np.argsort(r, kind="stable"), kind="stable")
    target = np.sqrt((rank + 0.5) / len(ids)) * r.max()  # uniform over the disc
    scale = np.divide(target, r, out=np.ones_like(r), where=r > 0)
    new = c + d * scale[:, None]
    out = dict(pos)
    out.update({v: (float(x), float(y)) for v, (x, y) in zip(ids, new)})
    return out


def _labelled(ids, xs, ys, sizes, names, *, height: int, labels: int, plot_width: int,
              priority, margin: float = 0.04,
              font: int = LABEL_FONT) -> tuple[lp.Frame, dict[str, str]]:
    """The plot frame and ``{id: textposition}`` for the names that fit (``priority`` order)."""
    pts = {i: lp.Point(i, x, y, s, str(n)) for i, x, y, s, n in zip(ids, xs, ys, sizes, names)}
    frame = lp.frame_for(list(pts.values()), plot_width, height - _MARGIN["t"] - _MARGIN["b"],
                         margin=margin)
    order = [pts[i] for i in priority] + [lp.Point(p.id, p.x, p.y, p.marker) for i, p in
                                          pts.items() if i not in set(priority)]
    return frame, lp.place_labels(order, frame, font=font) if labels else {}


def _axes(fig: go.Figure, frame: lp.Frame, height: int) -> None:
    fig.update_layout(height=height, margin=_MARGIN, plot_bgcolor="white",
                      xaxis=dict(visible=False, range=list(frame.x_range)),
                      yaxis=dict(visible=False, range=list(frame.y_range)),
                      dragmode="pan",  # zoom with the wheel or the bar's buttons, drag to pan
                      legend=dict(groupclick="toggleitem", itemsizing="constant"),
                      hoverlabel=dict(namelength=-1))


def topology_figure(G: nx.Graph, pos: dict, metrics: pd.DataFrame, *, size_by: str = "degree",
                    color_by: str = "region", labels: int = TOPOLOGY_LABELS, height: int = 700,
                    plot_width: int = PLOT_WIDTH, label_font: int = LABEL_FONT) -> go.Figure:
    """Force-directed drawing: nodes sized by ``size_by``, coloured by region or community; the
    names of the ``labels`` largest nodes that fit without overlapping another name or running
    off a plot ``plot_width`` px wide (``label_place``); ties one trace per type. Only nodes in
    ``pos`` are drawn; the largest group is evened out (``spread``). Zoom and pan are on."""
    pos = spread(pos, G)
    m = metrics[metrics["id"].isin(pos.keys())].copy()
    m["x"] = [pos[v][0] for v in m["id"]]
    m["y"] = [pos[v][1] for v in m["id"]]
    m["size"] = _size(m[size_by])
    priority = list(m.sort_values([size_by, "degree", "name"], ascending=[False, False, True],
                                  kind="stable")["id"].head(labels))
    frame, placed = _labelled(m["id"], m["x"], m["y"], m["size"], m["name"], height=height,
                              labels=labels, plot_width=plot_width, priority=priority,
                              font=label_font)
    fig = go.Figure(_edge_traces(G.subgraph(pos.keys()), pos))
    k, n = SHOWN_COMMUNITIES, len(COMMUNITY_COLORS)
    if color_by == "community":
        groups = [(f"community {c + 1}", COMMUNITY_COLORS[c % n], COMMUNITY_SYMBOLS[c // n],
                   m[m["community"] == c]) for c in range(k)]
        groups.append(("other communities", "#999999", "circle-open", m[m["community"] >= k]))
    else:
        groups = [(r, _rgb(c), "circle", m[m["region"] == r])
                  for r, c in basemap.REGION_COLORS.items()]
    for name, color, symbol, g in groups:
        if g.empty:
            continue
        fig.add_trace(go.Scatter(
            x=g["x"], y=g["y"], mode="markers+text", name=name,
            text=[html.escape(str(n)) if i in placed else "" for i, n in zip(g["id"], g["name"])],
            textposition=[placed.get(i, "top center") for i in g["id"]],
            textfont=dict(size=label_font, color="#222", family=lp.FONT_FAMILY, shadow=HALO),
            marker=dict(size=g["size"], color=color, symbol=symbol,
                        line=dict(width=1, color="white")),
            customdata=np.stack([g["name"].map(lambda s: html.escape(str(s))), g["degree"],
                                 g["weighted_degree"], g["betweenness"].round(3),
                                 g["brokerage"].round(1), g[size_by].round(3)], axis=-1),
            hovertemplate="<b>%{customdata[0]}</b><br>institutions tied: %{customdata[1]}"
                          "<br>ties: %{customdata[2]}<br>betweenness: %{customdata[3]}"
                          f"<br>Asia-Europe brokerage: %{{customdata[4]}}<br>{size_by}: "
                          "%{customdata[5]}<extra></extra>",
            legendgroup="nodes", legendgrouptitle_text="Region" if color_by == "region"
            else "Community"))
    _axes(fig, frame, height)
    return fig


def ego_positions(E: nx.Graph, center: str) -> dict:
    """The centre in the middle, its partners on a ring around it (grouped by region, then by
    name) and, at reach 2, their partners on an outer ring, each near the partner it comes
    through: every name has room, where a force layout piles them up."""
    if center not in E:
        return {}
    dist = nx.single_source_shortest_path_length(E, center)
    def key(v):
        return str(E.nodes[v].get("region") or "~"), str(E.nodes[v].get("name") or v), v
    ring1 = sorted((v for v, d in dist.items() if d == 1), key=key)
    pos = {center: (0.0, 0.0)}
    angle = {}
    for i, v in enumerate(ring1):
        a = 2 * math.pi * i / max(len(ring1), 1) + math.pi / 2
        angle[v] = a
        pos[v] = (math.cos(a), math.sin(a))
    ring2 = [v for v, d in dist.items() if d >= 2]
    if ring2:
        via = {v: min((angle[u] for u in E.neighbors(v) if u in angle), default=0.0)
               for v in ring2}
        ring2.sort(key=lambda v: (via[v], key(v)))
        for i, v in enumerate(ring2):
            a = 2 * math.pi * i / len(ring2) + math.pi / 2
            pos[v] = (2 * math.cos(a), 2 * math.sin(a))
    return pos


def ego_figure(E: nx.Graph, center: str, *, height: int = 560, labels: int = 40,
               plot_width: int = PLOT_WIDTH) -> go.Figure:
    """An ego network on rings (``ego_positions``): the centre larger and outlined; names of the
    centre and of as many partners as fit without overlapping (the best connected first; at
    reach 2 the direct partners before theirs). Zoom and pan are on."""
    pos = ego_positions(E, center)
    ids = list(pos)
    names = [str(E.nodes[v].get("name") or v) for v in ids]
    sizes = [22 if v == center else 11 for v in ids]
    dist = nx.single_source_shortest_path_length(E, center) if center in E else {}
    priority = sorted(ids, key=lambda v: (dist.get(v, 9), -E.degree(v), str(names[ids.index(v)])))
    frame, placed = _labelled(ids, [pos[v][0] for v in ids], [pos[v][1] for v in ids], sizes,
                              names, height=height, labels=labels, plot_width=plot_width,
                              priority=priority[:labels], margin=0.08)  # room on the rim
    fig = go.Figure(_edge_traces(E, pos))
    fig.add_trace(go.Scatter(
        x=[pos[v][0] for v in ids], y=[pos[v][1] for v in ids], mode="markers+text",
        text=[html.escape(n) if v in placed else "" for v, n in zip(ids, names)],
        textposition=[placed.get(v, "top center") for v in ids],
        textfont=dict(size=LABEL_FONT, color="#222", family=lp.FONT_FAMILY, shadow=HALO),
        customdata=[html.escape(n) for n in names],
        hovertemplate="%{customdata}<extra></extra>",
        marker=dict(size=sizes,
                    color=[_rgb(basemap.REGION_COLORS.get(E.nodes[v].get("region"), OTHER))
                           for v in ids],
                    line=dict(width=[3 if v == center else 1 for v in ids], color="#222")),
        showlegend=False))
    _axes(fig, frame, height)
    return fig


def growth_figure(growth: pd.DataFrame, gc_years: list[int] | None = None,
                  year: int | None = None) -> go.Figure:
    """Institutions with a tie and tied pairs by year (lines), cross-regional share (dotted, right
    axis); General Conferences as faint vertical lines, the selected year as a solid one."""
    fig = go.Figure([
        go.Scatter(x=growth["year"], y=growth["institutions"], name="institutions with a tie",
                   mode="lines+markers", line=dict(color="#0072B2"), marker_symbol="circle"),
        # a second channel besides the hue: square markers and a longer dash
        go.Scatter(x=growth["year"], y=growth["ties"], name="tied pairs", mode="lines+markers",
                   line=dict(color="#009E73", dash="dash"), marker_symbol="square"),
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


# --- text alternatives: the key numbers of each figure in a sentence or two -------------------
def _n(k: int, one: str, many: str | None = None) -> str:
    return f"{k:,} {one if k == 1 else (many or one + 's')}"


def _listing(counts: list[tuple[str, int]], limit: int = 4) -> str:
    parts = [f"{name} {k:,}" for name, k in counts[:limit]]
    rest = sum(k for _, k in counts[limit:])
    return ", ".join(parts) + (f", other types {rest:,}" if rest else "")


def arcs_summary(G: nx.Graph, limit: int | None = ARC_LIMIT) -> str:
    """The map's key numbers: pairs drawn, by (main) tie type, pairs left out by the cap on arcs
    (the weakest), and pairs left undrawn for want of a location."""
    if G.number_of_edges() == 0:
        return "No ties match the filters."
    placed = _placed(G)
    located = sum(1 for u, v in G.edges() if u in placed and v in placed)
    drawn = strongest_edges(G, limit, placed)
    counts: dict[str, int] = {}
    ends: set = set()
    for u, v, d in drawn:
        ends |= {u, v}
        t = main_type(d["types"])
        counts[t] = counts.get(t, 0) + 1
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = f"The map draws {_n(len(drawn), 'tied pair')} between {_n(len(ends), 'institution')}"
    out += f" ({_listing(order)})." if order else "."
    if located > len(drawn):
        weakest = min(d["weight"] for *_, d in drawn)
        out += (f" Only the {len(drawn):,} strongest of {located:,} located pairs are drawn "
                f"(weight {weakest:,} or more; the table and the exports hold all).")
    missing = G.number_of_edges() - located
    if missing:
        out += f" {_n(missing, 'pair')} not drawn: an institution has no location."
    return out


def topology_summary(G: nx.Graph, pos: dict, metrics: pd.DataFrame, size_by: str = "degree",
                     size_label: str | None = None, summary: dict | None = None,
                     top: int = 3) -> str:
    """The graph's key numbers: institutions and tied pairs drawn, the largest nodes, and (from
    the network ``summary``) the communities of more than one institution and the modularity."""
    if G.number_of_edges() == 0 or not pos:
        return "No ties match the filters."
    H = G.subgraph(pos.keys())
    m = metrics[metrics["id"].isin(pos.keys())]
    lead = m.nlargest(top, [size_by, "degree"])
    fmt = (lambda x: f"{x:,.0f}") if size_by in ("degree", "weighted_degree", "brokerage") \
        else (lambda x: f"{x:.3f}")
    names = ", ".join(f"{r['name']} ({fmt(r[size_by])})" for _, r in lead.iterrows())
    out = (f"The graph draws {_n(len(pos), 'institution')} of {len(G):,} and "
           f"{_n(H.number_of_edges(), 'tied pair')}. Largest by "
           f"{(size_label or size_by).lower()}: {names}.")
    if summary and summary.get("communities") is not None:
        mod = summary.get("modularity")
        out += (f" {_n(summary['communities'], 'community', 'communities')} of two or more "
                f"institutions (modularity {'n/a' if mod is None else f'{mod:.2f}'}).")
    return out


def ego_summary(E: nx.Graph, center: str, radius: int = 1) -> str:
    """The ego view's key numbers: direct partners (by region) and, at reach 2, the whole view."""
    name = (E.nodes[center].get("name") or center) if center in E else center
    if center not in E or E.degree(center) == 0:
        return f"{name} has no documented tie under the current filters."
    partners = list(E.neighbors(center))
    regions: dict[str, int] = {}
    for v in partners:
        r = E.nodes[v].get("region") or "region not stated"
        regions[r] = regions.get(r, 0) + 1
    by = ", ".join(f"{k:,} in {r}" for r, k in sorted(regions.items(), key=lambda kv: (-kv[1], kv[0])))
    out = f"{name} is tied to {_n(len(partners), 'institution')} ({by})."
    if radius > 1:
        out += (f" With its partners' ties the view holds {_n(len(E), 'institution')} and "
                f"{_n(E.number_of_edges(), 'tied pair')}.")
    return out


def growth_summary(growth: pd.DataFrame, year: int | None = None) -> str:
    """The growth chart's key numbers: first and last year, and the selected year."""
    if growth.empty:
        return "No dated ties match the filters."
    first, last = growth.iloc[0], growth.iloc[-1]
    out = (f"From {int(first['year'])} to {int(last['year'])} the institutions with a tie grew "
           f"from {int(first['institutions']):,} to {int(last['institutions']):,} and tied pairs "
           f"from {int(first['ties']):,} to {int(last['ties']):,}.")
    if year is not None:
        row = growth[growth["year"] <= year]
        if row.empty:
            out += f" No dated tie had begun by {year}."
        else:
            r = row.iloc[-1]
            share = "" if pd.isna(r["cross_share"]) else \
                f", {r['cross_share']:.0%} of them crossing Asia-Europe"
            out += (f" As of {year}: {_n(int(r['institutions']), 'institution')}, "
                    f"{_n(int(r['ties']), 'tied pair')}{share}.")
    return out
