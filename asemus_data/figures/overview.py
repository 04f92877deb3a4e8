"""Figures for the Overview page."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

from . import basemap

TOOLTIP = {"html": "<b>{name}</b><br/>{city}, {country}<br/>ASEMUS: {member_status}<br/>"
                   "<i>data: {status}</i>",
           "style": {"fontSize": "13px"}}


def institutions_deck(inst: pd.DataFrame, *, color_by: str = "member_status", inline: bool = False
                      ) -> pdk.Deck:
    """Every institution with coordinates as a point, coloured by membership (or region)."""
    palette = basemap.MEMBER_COLORS if color_by == "member_status" else basemap.REGION_COLORS
    df = inst.dropna(subset=["latitude", "longitude"])
    df = basemap.escape_html(df, ["name", "city", "country", "member_status", "status"])
    df = df.assign(color=[palette.get(v, [120, 120, 120]) for v in inst.loc[df.index, color_by]])
    layer = pdk.Layer("ScatterplotLayer", data=df[["name", "city", "country", "member_status", "status",
                                                     "latitude", "longitude", "color"]],
                      id="institutions", get_position=["longitude", "latitude"], get_fill_color="color",
                      get_line_color=[255, 255, 255], line_width_min_pixels=1, stroked=True,
                      get_radius=60000, radius_min_pixels=5, radius_max_pixels=14, pickable=True)
    # wider than the default frame: the Overview map is narrow, and Japan must stay in view
    return basemap.deck([layer], tooltip=TOOLTIP, inline=inline,
                        view=dict(latitude=36.0, longitude=75.0, zoom=1.25))
