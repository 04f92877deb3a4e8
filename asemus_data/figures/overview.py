"""Figures for the Overview page."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

from ..overview import and_list, plural
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


def institutions_sentence(inst: pd.DataFrame) -> str:
    """The institutions map in words: '46 documented institutions: 26 in Asia and 20 in Europe;
    18 are stated members.' (plus how many are not drawn for want of coordinates)."""
    if inst.empty:
        return "No institutions match the filters."
    regions = inst["region"].fillna("not stated").value_counts()
    parts = [f"{int(regions.get(r, 0))} in {r}" for r in ("Asia", "Europe")]
    other = int(len(inst) - regions.get("Asia", 0) - regions.get("Europe", 0))
    if other:
        parts.append(f"{other} elsewhere")
    documented = "documented " if (inst["status"] == "documented").all() else ""
    members = int((inst["member_status"] == "member").sum())
    text = (f"{plural(len(inst), documented + 'institution')}: {and_list(parts)}; {members} "
            + ("is a stated member" if members == 1 else "are stated members"))
    unplaced = int(inst[["latitude", "longitude"]].isna().any(axis=1).sum())
    if unplaced:
        text += (f"; {unplaced} {'has' if unplaced == 1 else 'have'} no coordinates and "
                 f"{'is' if unplaced == 1 else 'are'} not drawn")
    return text + "."
