"""Figures for the Overview page."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

from ..overview import and_list, plural
from . import basemap

TOOLTIP = {"html": "<b>{name}</b><br/>{city}, {country}<br/>ASEMUS: {member_status}<br/>"
                   "<i>data: {status}</i>",
           "style": {"fontSize": "13px"}}


#: The Overview map's area on the page (full width at 1440 px), for framing and spreading.
MAP_SIZE = (980, 460)


def institutions_deck(inst: pd.DataFrame, *, color_by: str = "member_status", inline: bool = False
                      ) -> pdk.Deck:
    """Every institution with coordinates as a point, coloured by membership (or region).

    Framed on the institutions drawn (basemap.fit_view: filtering to Europe frames Europe);
    institutions at the same place (Leiden's two museums) are drawn side by side around it with
    a line to the place, and their tooltip says how many share it (basemap.spread); cities are
    labelled where labels do not overlap (basemap.declutter)."""
    palette = basemap.MEMBER_COLORS if color_by == "member_status" else basemap.REGION_COLORS
    df = inst.dropna(subset=["latitude", "longitude"])
    w, h = MAP_SIZE
    view = basemap.fit_view(df["longitude"], df["latitude"], width=w, height=h, padding=60,
                            max_zoom=4.5,
                            default=dict(latitude=36.0, longitude=75.0, zoom=1.25))
    drawn = basemap.spread(df["longitude"], df["latitude"], zoom=view["zoom"], gap_px=11)
    colors = [palette.get(v, [120, 120, 120]) for v in inst.loc[df.index, color_by]]
    df = basemap.escape_html(df, ["name", "city", "country", "member_status", "status"])
    df = df.reset_index(drop=True).assign(
        color=colors, position=[[x, y] for x, y in zip(drawn["lon"], drawn["lat"])],
        here=drawn["group_size"].to_numpy())
    df["city"] = [c + (f" · {n} institutions at this place" if n > 1 else "")
                  for c, n in zip(df["city"], df["here"])]
    layer = pdk.Layer("ScatterplotLayer", data=df[["name", "city", "country", "member_status",
                                                     "status", "position", "color"]],
                      id="institutions", get_position="position", get_fill_color="color",
                      get_line_color=[255, 255, 255], line_width_min_pixels=1, stroked=True,
                      get_radius=5, radius_units=pdk.types.String("pixels"), pickable=True)
    layers = [layer]
    moved = df[df["here"] > 1]
    if len(moved):
        layers.insert(0, pdk.Layer(
            "LineLayer", data=[dict(s=[a, b], t=p) for a, b, p in zip(
                moved["longitude"], moved["latitude"], moved["position"])], id="leaders",
            get_source_position="s", get_target_position="t", get_color=[60, 60, 60, 200],
            get_width=1, width_units=pdk.types.String("pixels")))
    cities: dict[str, list] = {}
    for city, x, y in zip(inst.loc[inst.index.isin(inst.dropna(subset=["latitude", "longitude"])
                                                   .index), "city"],
                          df["longitude"], df["latitude"]):
        if isinstance(city, str) and city.strip():
            cities.setdefault(city, [x, y, 0])[2] += 1
    labels = [dict(p=[x, y], t=basemap.tooltip_text(c), k=n) for c, (x, y, n) in cities.items()]
    layers.append(basemap.label_layer(basemap.declutter(labels, zoom=view["zoom"]),
                                      layer_id="city_labels"))
    return basemap.deck(layers, tooltip=TOOLTIP, inline=inline, view=view)


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
