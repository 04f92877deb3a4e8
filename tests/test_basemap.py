"""The offline base map: no tiles, no token, polygons from a committed static file."""
import json

import pandas as pd

from asemus_data import geo
from asemus_data.figures import basemap
from asemus_data.figures.overview import institutions_deck


def test_static_boundaries_are_current():
    on_disk = json.loads(basemap.STATIC_BOUNDARIES.read_text(encoding="utf-8"))
    assert on_disk == geo.boundaries_geojson(simplified=True), (
        "static/boundaries/countries.geojson is stale: run "
        "python -c 'from asemus_data.figures import basemap; basemap.write_static_boundaries()'")
    isos = {f["properties"]["iso_a3"] for f in on_disk["features"]}
    assert {"SGP", "MLT", "FRA", "NOR"} <= isos


def test_deck_has_no_basemap_and_no_remote_url():
    deck = basemap.deck([])
    spec = json.loads(deck.to_json())
    assert spec.get("mapProvider") is None
    # a null mapStyle makes Streamlit fetch a Carto style; pydeck's placeholder does not
    assert spec.get("mapStyle") is not None
    text = deck.to_json()
    for host in ("mapbox", "carto", "openstreetmap", "http://", "https://"):
        assert host not in text
    assert spec["layers"][0]["data"] == basemap.STATIC_BOUNDARIES_URL


def test_inline_deck_embeds_polygons():
    spec = json.loads(basemap.deck([], inline=True).to_json())
    assert spec["layers"][0]["data"]["type"] == "FeatureCollection"


def test_tooltip_values_are_escaped():
    inst = pd.DataFrame([{"name": "<img src=x onerror=alert(1)>", "city": "Paris", "country": "France",
                          "member_status": "member", "status": "imported", "latitude": 48.8,
                          "longitude": 2.3}])
    text = institutions_deck(inst).to_json()
    # the name as written; Streamlit escapes it once (tests/test_security_text.py)
    assert "<img src=x onerror=alert(1)>" in text and "&lt;" not in text
