"""Figures for the Masterpieces & experts page: the VCM's documented growth, the selection's
make-up, origin-to-holder arcs and the experts aggregates. Pure builders returning
``go.Figure`` / ``pdk.Deck``; no geo traces (they would fetch topojson from a CDN)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
import pydeck as pdk

from . import basemap

# Okabe-Ito, as the base map's palettes
SERIES_COLORS = {"masterpieces": "#D55E00", "contributing museums": "#0072B2",
                 "countries": "#009E73"}
#: Marker per qualifier: a stated minimum points up, a stated maximum down, an estimate is a diamond.
QUALIFIER_SYMBOLS = {"over": "triangle-up", "at least": "triangle-up", "nearly": "triangle-down",
                     "up to": "triangle-down", "around": "diamond", "approximately": "diamond"}
GROWTH_NOTE = ("Each point is a count as a source states it (▲ 'over', ▼ 'nearly', ◆ 'around'); "
               "the hover gives the date as stated and the source. Undated counts are listed, "
               "not plotted.")
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
        custom = np.stack([df["date_text"].astype(str), df["metric"].astype(str),
                           df["notes"].fillna("").astype(str), df["source"].astype(str)], axis=-1)
        fig.add_trace(go.Scatter(
            x=df["when"], y=df["value"], name=series, mode="lines+markers+text",
            text=df["label"], textposition="top left" if row == 2 else "top center",
            textfont=dict(size=11, color=SERIES_COLORS.get(series)),
            marker=dict(symbol=symbols, size=11, color=SERIES_COLORS.get(series)),
            line=dict(color=SERIES_COLORS.get(series), width=2),
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
    fig = go.Figure(go.Bar(x=df["n"], y=df["label"], orientation="h", marker_color="#1f4e79",
                           text=[f"{n:,}" for n in df["n"]], textposition="outside",
                           hovertemplate="%{y}: %{x:,} objects<extra></extra>"))
    fig.update_layout(title=dict(text=title, font=dict(size=14)),
                      height=max(180, 60 + 22 * len(df)), margin=dict(l=10, r=40, t=40, b=10),
                      xaxis=dict(title="objects", range=[0, df["n"].max() * 1.2 if len(df) else 1]),
                      yaxis=dict(title=None, automargin=True))
    return fig


def flows_deck(flows: pd.DataFrame, *, inline: bool = False) -> pdk.Deck:
    """Great-circle arcs from each country of origin to the holding museum, width by the number
    of objects (log scale, so one large museum does not hide the rest); tooltips escaped."""
    df = basemap.escape_html(flows, ["origin", "museum", "museum_country"])
    df["width"] = 1.5 + 2.5 * np.log10(df["n"].clip(lower=1))
    df["n_text"] = df["n"].map(lambda n: f"{n:,}")
    arcs = pdk.Layer("ArcLayer", data=df, id="origin-to-holder", great_circle=True,
                     get_source_position=["from_lon", "from_lat"],
                     get_target_position=["to_lon", "to_lat"],
                     get_source_color=ORIGIN_COLOR + [200], get_target_color=HOLDER_COLOR + [200],
                     get_width="width", width_min_pixels=1,  # widthUnits defaults to pixels
                     width_max_pixels=12, pickable=True, auto_highlight=True)
    return basemap.deck([arcs], inline=inline, tooltip={
        "html": "<b>{n_text}</b> objects from <b>{origin}</b><br>held by {museum} ({museum_country})",
        "style": {"fontSize": "13px"}})


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
