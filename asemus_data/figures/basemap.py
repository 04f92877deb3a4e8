"""The offline base map every deck.gl map shares: no tiles, no token, no request beyond the app.

Countries are drawn from the committed Natural Earth file. In the app the browser fetches them
once from Streamlit's static route (``/app/static/boundaries/countries.geojson``) and caches them,
so a rerun does not resend the polygons; for a standalone export they can be inlined instead.
"""
from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from .. import geo, text
from ..paths import STATIC_DIR

STATIC_BOUNDARIES = STATIC_DIR / "boundaries" / "countries.geojson"
STATIC_BOUNDARIES_URL = "/app/static/boundaries/countries.geojson"
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


def write_static_boundaries() -> None:
    """Write the simplified boundaries served to the browser (tools/ and tests call this)."""
    STATIC_BOUNDARIES.parent.mkdir(parents=True, exist_ok=True)
    STATIC_BOUNDARIES.write_text(json.dumps(geo.boundaries_geojson(simplified=True),
                                            separators=(",", ":")), encoding="utf-8")


def country_layer(*, inline: bool = False, fill=None, line=None, layer_id: str = "countries"
                  ) -> pdk.Layer:
    """Country polygons under the data layers (static URL in the app, inlined for exports)."""
    data = geo.boundaries_geojson(simplified=True) if inline else STATIC_BOUNDARIES_URL
    return pdk.Layer("GeoJsonLayer", data=data, id=layer_id, stroked=True, filled=True,
                     get_fill_color=fill or LAND, get_line_color=line or BORDER,
                     line_width_min_pixels=0.5, pickable=False)


def deck(layers: list[pdk.Layer], *, tooltip: dict | bool | None = None, view: dict | None = None,
         inline: bool = False, height: int | None = None) -> pdk.Deck:
    """A deck with the country base layer and no base map tiles (``map_provider=None``)."""
    v = {**ASIA_EUROPE_VIEW, **(view or {})}
    # map_provider=None and NO map_style argument: Streamlit replaces a null mapStyle with a
    # Carto style URL (a request off the machine), but leaves pydeck's default placeholder alone.
    return CompactDeck(layers=[country_layer(inline=inline), *layers], map_provider=None,
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
