"""Figures for the Masterpieces & experts page: the VCM's documented growth, the selection's
make-up, origin-to-holder arcs and the experts aggregates. Pure builders returning
``go.Figure`` / ``pdk.Deck``; no geo traces (they would fetch topojson from a CDN)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from plotly.subplots import make_subplots

from .. import text
from . import basemap

# Okabe-Ito, as the base map's palettes; the two series sharing the lower panel also differ
# in dash (a second channel besides the hue)
SERIES_COLORS = {"masterpieces": "#D55E00", "contributing museums": "#0072B2",
                 "countries": "#009E73"}
SERIES_DASH = {"countries": "dash"}
#: Marker per qualifier: a stated minimum points up, a stated maximum down, an estimate is a diamond.
QUALIFIER_SYMBOLS = {"over": "triangle-up", "at least": "triangle-up", "nearly": "triangle-down",
                     "up to": "triangle-down", "around": "diamond", "approximately": "diamond"}
GROWTH_NOTE = ("Each point is a count as a source states it (▲ 'over', ▼ 'nearly', ◆ 'around'); "
               "the hover gives the date as stated and the source. Undated counts are listed, "
               "not plotted.")
FLOWS_NOTE = ("Arcs run from each country of origin (orange dot) to the holding museum (blue "
              "dot), width by objects.")
ORIGIN_COLOR = [213, 94, 0]
HOLDER_COLOR = [0, 114, 178]


def growth_figure(dated: pd.DataFrame) -> go.Figure:
    """Documented VCM counts over time: masterpieces in the top panel, contributing museums and
    countries in the bottom one (one scale each, so no line is read against the wrong axis);
    each point labelled with the count as stated ('over 1,600'). Only dated statements are
    passed in: undated ones are listed, not plotted."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.5, 0.5])
    for series, df in dated.groupby("series", sort=False):
        row = 1 if series == "masterpieces" else 2
        symbols = [QUALIFIER_SYMBOLS.get(q, "circle") if isinstance(q, str) else "circle"
                   for q in df["qualifier"]]
        # plotly reads tags in text and hover fields: data escaped once (text.html_text)
        custom = np.stack([df[c].map(text.html_text).astype(str)
                           for c in ("date_text", "metric", "notes", "source")], axis=-1)
        fig.add_trace(go.Scatter(
            x=df["when"], y=df["value"], name=series, mode="lines+markers+text",
            text=df["label"].map(text.html_text), textposition="top left" if row == 2 else "top center",
            textfont=dict(size=11, color=SERIES_COLORS.get(series)),
            marker=dict(symbol=symbols, size=11, color=SERIES_COLORS.get(series)),
            line=dict(color=SERIES_COLORS.get(series), width=2,
                      dash=SERIES_DASH.get(series, "solid")),
            customdata=custom,
            hovertemplate=("<b>%{text}</b> %{customdata[1]}<br>stated: %{customdata[0]}<br>"
                           "%{customdata[2]}<br>source: %{customdata[3]}<extra></extra>")),
            row=row, col=1)
    # headroom above the highest point, so its label is not cut off
    for row, top in ((1, dated.loc[dated["series"] == "masterpieces", "value"].max()),
                     (2, dated.loc[dated["series"] != "masterpieces", "value"].max())):
        title = "masterpieces" if row == 1 else "museums / countries"
        fig.update_yaxes(title_text=title, range=[0, (top if top == top else 1) * 1.25], row=row, col=1)
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=20, b=10), hovermode="closest",
                      legend=dict(orientation="h", y=-0.08))
    return fig


def makeup_figure(df: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of a :func:`asemus_data.masterpieces.makeup` frame, largest on top."""
    df = df.iloc[::-1]
    fig = go.Figure(go.Bar(x=df["n"], y=df["label"].map(text.html_text), orientation="h",
                           marker_color="#1f4e79",
                           text=[f"{n:,}" for n in df["n"]], textposition="outside",
                           hovertemplate="%{y}: %{x:,} objects<extra></extra>"))
    fig.update_layout(title=dict(text=title, font=dict(size=14)),
                      height=max(180, 60 + 22 * len(df)), margin=dict(l=10, r=40, t=40, b=10),
                      xaxis=dict(title="objects", range=[0, df["n"].max() * 1.2 if len(df) else 1]),
                      yaxis=dict(title=None, automargin=True))
    return fig


def flows_ends(flows: pd.DataFrame) -> pd.DataFrame:
    """One dot per country of origin (orange) and per holding museum (blue) of the arcs, with
    its objects: a single thin arc is easy to miss on a map, its two dots are not."""
    cols = ["lon", "lat", "label", "n_text", "color", "n"]
    if flows.empty:
        return pd.DataFrame(columns=cols)
    o = flows.groupby(["from_lon", "from_lat"], as_index=False).agg(
        label=("origin", "first"), n=("n", "sum"))
    o = o.rename(columns={"from_lon": "lon", "from_lat": "lat"}).assign(
        label=lambda d: "from " + d["label"].astype(str), color=[ORIGIN_COLOR + [230]] * len(o))
    h = flows.groupby(["to_lon", "to_lat"], as_index=False).agg(
        label=("museum", "first"), n=("n", "sum"))
    h = h.rename(columns={"to_lon": "lon", "to_lat": "lat"}).assign(
        label=lambda d: "held by " + d["label"].astype(str), color=[HOLDER_COLOR + [230]] * len(h))
    out = pd.concat([o, h], ignore_index=True)
    out["n_text"] = out["n"].map(lambda n: f"{int(n):,}")
    return out[cols]


def flows_deck(flows: pd.DataFrame, *, inline: bool = False) -> pdk.Deck:
    """Great-circle arcs from each country of origin to the holding museum, width by the number
    of objects (log scale, so one large museum does not hide the rest), flat on the map, with a
    dot at each end (``flows_ends``); tooltips escaped."""
    df = basemap.escape_html(flows, ["origin", "museum", "museum_country"])
    df["width"] = 2 + 2 * np.log10(df["n"].clip(lower=1))
    alpha = 220 if len(df) <= 100 else 110  # hundreds of arcs: see through the tangle
    df["n_text"] = df["n"].map(lambda n: f"{n:,}")
    df["tip"] = [f"{n} objects from {o}, held by {m} ({c})" for n, o, m, c in
                 zip(df["n_text"], df["origin"], df["museum"], df["museum_country"])]
    arcs = pdk.Layer("ArcLayer", data=df, id="origin-to-holder", great_circle=True,
                     get_source_position=["from_lon", "from_lat"],
                     get_target_position=["to_lon", "to_lat"],
                     get_source_color=ORIGIN_COLOR + [alpha],
                     get_target_color=HOLDER_COLOR + [alpha],
                     get_width="width", width_min_pixels=2,  # widthUnits defaults to pixels
                     width_max_pixels=8, pickable=True, auto_highlight=True,
                     get_height=0)  # flat: raised arcs swing off screen when seen from above
    ends = basemap.escape_html(flows_ends(flows), ["label"])
    ends["tip"] = ends["n_text"] + " objects " + ends["label"]
    dots = pdk.Layer("ScatterplotLayer", data=ends, id="flow-ends", get_position=["lon", "lat"],
                     get_fill_color="color", get_line_color=[255, 255, 255], stroked=True,
                     line_width_min_pixels=1, get_radius=40_000, radius_min_pixels=4,
                     radius_max_pixels=9, pickable=True)
    return basemap.deck([arcs, dots], inline=inline, tooltip={
        "html": "{tip}", "style": {"fontSize": "13px"}})


def experts_bar(df: pd.DataFrame) -> go.Figure:
    """Experts per field of expertise (a frame with columns expertise, n)."""
    df = df.sort_values("n")
    fig = go.Figure(go.Bar(x=df["n"], y=df["expertise"], orientation="h", marker_color="#009E73",
                           text=df["n"], textposition="outside",
                           hovertemplate="%{y}: %{x} experts<extra></extra>"))
    fig.update_layout(height=max(200, 60 + 24 * len(df)), margin=dict(l=10, r=30, t=10, b=10),
                      xaxis=dict(title="experts", dtick=1 if df["n"].max() <= 10 else None),
                      yaxis=dict(title=None, automargin=True))
    return fig


def experts_deck(by_country: pd.DataFrame, *, inline: bool = False) -> pdk.Deck:
    """Experts per country as circles on the country's representative point (frame with
    country, n, latitude, longitude)."""
    df = basemap.escape_html(by_country, ["country", "fields"])
    df["radius"] = 60_000 + 90_000 * np.sqrt(df["n"])
    dots = pdk.Layer("ScatterplotLayer", data=df, id="experts", get_position=["longitude", "latitude"],
                     get_radius="radius", get_fill_color=[0, 158, 115, 190],
                     get_line_color=[255, 255, 255], line_width_min_pixels=1, stroked=True,
                     pickable=True, radius_min_pixels=4)
    return basemap.deck([dots], inline=inline, tooltip={
        "html": "<b>{country}</b>: {n} experts<br>{fields}", "style": {"fontSize": "13px"}})


# --- text alternatives: the key numbers of each figure in a sentence or two -------------------
def _n(k: int, one: str, many: str | None = None) -> str:
    return f"{k:,} {one if k == 1 else (many or one + 's')}"


def growth_summary(dated: pd.DataFrame) -> str:
    """The VCM growth chart in words: each series' first and last count as stated (qualifiers
    kept: 'over 1,600'), with the date as stated."""
    if dated.empty:
        return "No dated VCM counts are documented."
    parts = []
    for series in [x for x in SERIES_COLORS if x in set(dated["series"])]:
        df = dated[dated["series"] == series].sort_values("when")
        a, b = df.iloc[0], df.iloc[-1]
        when = [str(r["date_text"]) if isinstance(r["date_text"], str) and r["date_text"]
                else str(r["when"].year) for r in (a, b)]
        parts.append(f"{series} {a['label']} ({when[0]})" if len(df) == 1 else
                     f"{series} from {a['label']} ({when[0]}) to {b['label']} ({when[1]})")
    return "Documented counts: " + "; ".join(parts) + "."


def makeup_summary(df: pd.DataFrame, by: str) -> str:
    """A make-up bar chart in words: objects, groups, the largest groups with their shares."""
    if df.empty or int(df["n"].sum()) == 0:
        return "No objects match the filters."
    total = int(df["n"].sum())
    named = df[df["value"].notna() | (df["label"] == "not stated")]
    groups = len(named) + (int(df["label"].iloc[-1].split()[0]) if len(named) < len(df) else 0)
    top = named.head(2)
    lead = "; ".join(f"{r['label']} {int(r['n']):,} ({int(r['n']) / total:.0%})"
                     for _, r in top.iterrows())
    return f"By {by}: {_n(total, 'object')} in {_n(groups, 'group')}; largest: {lead}."


def flows_summary(flows: pd.DataFrame) -> str:
    """The origin-to-holder map in words: objects drawn, countries, museums, the largest flow
    and what could not be placed."""
    unplaced = int(flows.attrs.get("unplaced", 0))
    if flows.empty:
        return ("No objects match the filters." if not unplaced else
                f"No arc can be drawn: the {_n(unplaced, 'matching object')} lack a stated "
                "country of origin or a museum location.")
    big = flows.sort_values("n", ascending=False).iloc[0]
    out = (f"The map draws {_n(int(flows['n'].sum()), 'object')} in "
           f"{_n(int(flows.attrs.get('pairs', len(flows))), 'arc')}, from "
           f"{_n(flows['origin_code'].nunique(), 'country', 'countries')} of origin to "
           f"{_n(flows['institution_id'].nunique(), 'museum')}; the largest flow is "
           f"{_n(int(big['n']), 'object')} from {big['origin']} to {big['museum']}.")
    if unplaced:
        out += f" {_n(unplaced, 'object')} not drawn (no country of origin or museum location)."
    return out


def experts_bar_summary(df: pd.DataFrame, experts: int) -> str:
    """Experts per field in words (an expert with two fields counts in each)."""
    if df.empty:
        return "No field of expertise is stated."
    top = df.sort_values(["n", "expertise"], ascending=[False, True]).head(3)
    lead = ", ".join(f"{r['expertise']} ({int(r['n']):,})" for _, r in top.iterrows())
    return (f"{_n(experts, 'expert')} in {_n(len(df), 'field')} of expertise; most: {lead}. "
            "An expert with two fields counts in each.")


def experts_map_summary(by_country: pd.DataFrame) -> str:
    """Experts per country in words, and those with no country (not placed)."""
    none = int(by_country.attrs.get("no_country", 0))
    placed = by_country[by_country["latitude"].notna()] if len(by_country) else by_country
    if placed.empty:
        return "No expert can be placed on the map: no country is stated." if none else \
            "No experts are in the data."
    top = placed.sort_values(["n", "country"], ascending=[False, True]).head(3)
    lead = ", ".join(f"{r['country']} ({int(r['n']):,})" for _, r in top.iterrows())
    out = (f"The map places {_n(int(placed['n'].sum()), 'expert')} in "
           f"{_n(len(placed), 'country', 'countries')}; most in {lead}.")
    unplaced = none + int(by_country["n"].sum()) - int(placed["n"].sum())
    if unplaced:
        out += f" {_n(unplaced, 'expert')} not placed (no country stated or no map position)."
    return out
