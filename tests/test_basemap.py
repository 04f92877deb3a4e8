"""The offline base map: no tiles, no token, polygons from a committed static file."""
import json

import pandas as pd
import pytest

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


# --- the base map's static files ----------------------------------------------------------------
def test_static_borders_are_current_and_segments_are_unique():
    on_disk = json.loads(basemap.STATIC_BORDERS.read_text(encoding="utf-8"))
    assert on_disk == basemap.border_segments(geo.boundaries_geojson(simplified=True)), (
        "static/boundaries/borders.json is stale: run basemap.write_static_boundaries()")
    keys = {(tuple(s["s"]), tuple(s["t"])) for s in on_disk}
    assert len(keys) == len(on_disk) and all(a != b for a, b in keys)


def test_border_segments_of_two_squares_sharing_an_edge():
    def square(x0):
        return {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
            [[x0, 0], [x0 + 1, 0], [x0 + 1, 1], [x0, 1], [x0, 0]]]}}
    segs = basemap.border_segments({"features": [square(0), square(1)]})
    # 4 + 4 edges, the shared one (x = 1) once
    assert len(segs) == 7
    assert sum(1 for s in segs if s["s"][0] == s["t"][0] == 1) == 1


def test_the_app_deck_draws_borders_as_segments_not_polygon_outlines():
    spec = json.loads(basemap.deck([]).to_json())
    fill, borders = spec["layers"][:2]
    assert fill["stroked"] is False and fill["data"] == basemap.STATIC_BOUNDARIES_URL
    assert borders["@@type"] == "LineLayer" and borders["data"] == basemap.STATIC_BORDERS_URL


# --- framing ------------------------------------------------------------------------------------
def _inside(view, lon, lat, width=640, height=600):
    """Is (lon, lat) inside the map drawn with ``view`` (Web Mercator, 512 px world at zoom 0)?"""
    import math
    scale = basemap.WORLD_PX * 2 ** view["zoom"]

    def px(lo, la):
        x, y = basemap._mercator([lo], [la])
        return float(x[0]) * scale, float(y[0]) * scale
    cx, cy = px(view["longitude"], view["latitude"])
    x, y = px(lon, lat)
    return abs(x - cx) <= width / 2 + 1e-6 and abs(y - cy) <= height / 2 + 1e-6 and math.isfinite(x)


EUROPE = [(-9.14, 38.72), (24.94, 60.17), (12.5, 41.9), (4.49, 52.16)]   # Lisbon .. Helsinki
ASIA_EUROPE = EUROPE + [(139.69, 35.69), (106.85, -6.21)]                # + Tokyo, Jakarta


@pytest.mark.parametrize("points", [EUROPE, ASIA_EUROPE])
def test_fit_view_shows_every_point_and_no_more_than_needed(points):
    lons, lats = zip(*points)
    v = basemap.fit_view(lons, lats, width=640, height=600, padding=40)
    assert all(_inside(v, lo, la, 640 - 80, 600 - 80) for lo, la in points)
    tighter = dict(v, zoom=v["zoom"] + 0.3)
    assert not all(_inside(tighter, lo, la, 640 - 80, 600 - 80) for lo, la in points)


def test_fit_view_frames_europe_tighter_than_asia_and_europe():
    eu = basemap.fit_view(*zip(*EUROPE))
    both = basemap.fit_view(*zip(*ASIA_EUROPE))
    assert eu["zoom"] > both["zoom"] + 1
    assert -10 < eu["longitude"] < 25 and 35 < eu["latitude"] < 62


def test_fit_view_limits_and_missing_coordinates():
    one = basemap.fit_view([4.49], [52.16], max_zoom=5)
    assert one["zoom"] == 5 and one["longitude"] == pytest.approx(4.49)
    assert basemap.fit_view([None, float("nan")], [1, None]) == basemap.ASIA_EUROPE_VIEW
    world = basemap.fit_view([-170, 170], [-60, 70], min_zoom=0.8)
    assert world["zoom"] == 0.8
    # a point without coordinates is ignored, not taken as (0, 0)
    assert basemap.fit_view([4.49, None], [52.16, None]) == one


# --- co-located points --------------------------------------------------------------------------
def test_spread_moves_only_points_that_share_a_place():
    # Leiden's two museums at the same coordinates, and Paris alone
    s = basemap.spread([4.49, 4.49, 2.35], [52.16, 52.16, 48.85], zoom=3, gap_px=12)
    assert list(s.group_size) == [2, 2, 1] and s.group[0] == s.group[1] != s.group[2]
    assert (s.lon[2], s.lat[2]) == (2.35, 48.85)
    # the two are drawn apart, 2 x 12 px at zoom 3, on either side of their place
    scale = basemap.WORLD_PX * 2 ** 3
    x, y = basemap._mercator(s.lon[:2], s.lat[:2])
    assert ((x[0] - x[1]) ** 2 + (y[0] - y[1]) ** 2) ** 0.5 * scale == pytest.approx(24, abs=0.5)
    assert (s.lon[0] + s.lon[1]) / 2 == pytest.approx(4.49, abs=1e-3)


def test_spread_within_pixels_groups_nearby_venues_of_a_tour():
    # five venues of one tour in Japan, a few pixels apart at a world view, and Paris
    japan = [(139.69, 35.69), (135.50, 34.69), (135.77, 35.01), (130.40, 33.59), (132.46, 34.39)]
    lons, lats = zip(*(japan + [(2.35, 48.85)]))
    s = basemap.spread(lons, lats, zoom=1.5, near_px=14, gap_px=12)
    # at zoom 1.5 Tokyo is 17 px from Osaka (clear of 12 px dots); Osaka, Kyoto, Fukuoka and
    # Hiroshima are chained within 14 px of one another
    assert list(s.group_size) == [1, 4, 4, 4, 4, 1]
    scale = basemap.WORLD_PX * 2 ** 1.5
    x, y = basemap._mercator(s.lon[1:5], s.lat[1:5])
    d = [((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2) ** 0.5 * scale
         for i in range(4) for j in range(i + 1, 4)]
    assert min(d) >= 11.9  # every venue is its own dot now
    assert basemap.spread([], [], zoom=2).empty


# --- labels -------------------------------------------------------------------------------------
def test_declutter_keeps_the_most_important_label_of_an_overlap():
    rows = [{"p": [4.49, 52.16], "t": "Leiden", "k": 10}, {"p": [4.9, 52.37], "t": "Amsterdam", "k": 50},
            {"p": [139.69, 35.69], "t": "東京", "k": 5}]
    kept = basemap.declutter(rows, zoom=2)
    assert [r["t"] for r in kept] == ["Amsterdam", "東京"]
    # zoomed in far enough, both Dutch cities fit
    assert {r["t"] for r in basemap.declutter(rows, zoom=8)} == {"Leiden", "Amsterdam", "東京"}
    assert len(basemap.declutter(rows, zoom=8, limit=1)) == 1


def test_label_layer_takes_its_characters_from_the_data_and_local_fonts():
    spec = json.loads(basemap.deck([basemap.label_layer([{"p": [1, 2], "t": "서울 Séoul"}])]).to_json())
    text = spec["layers"][-1]
    assert text["@@type"] == "TextLayer" and text["characterSet"] == "auto"
    assert "http" not in text["fontFamily"] and "CJK" in text["fontFamily"]
    assert "extensions" not in text  # the collision extension draws nothing in software WebGL


# --- the Overview and venues maps use the same rules ---------------------------------------------
def _layers(deck) -> dict:
    return {lyr["id"]: lyr for lyr in json.loads(deck.to_json())["layers"]}


def test_overview_map_spreads_leidens_two_museums_and_frames_what_is_drawn():
    inst = pd.DataFrame([
        dict(name="Museum Volkenkunde", city="Leiden", country="Netherlands", member_status="member",
             status="documented", latitude=52.1583, longitude=4.4931),
        dict(name="Rijksmuseum van Oudheden", city="Leiden", country="Netherlands",
             member_status="not documented", status="documented", latitude=52.1583, longitude=4.4931),
        dict(name="Musée Guimet", city="Paris", country="France", member_status="member",
             status="documented", latitude=48.8656, longitude=2.2933)])
    layers = _layers(institutions_deck(inst))
    pts = layers["institutions"]["data"]
    assert pts[0]["position"] != pts[1]["position"]  # no longer one dot
    assert all("2 institutions at this place" in p["city"] for p in pts[:2])
    assert pts[2]["position"] == [2.2933, 48.8656] and "at this place" not in pts[2]["city"]
    assert len(layers["leaders"]["data"]) == 2
    assert {r["t"] for r in layers["city_labels"]["data"]} == {"Leiden", "Paris"}
    view = json.loads(institutions_deck(inst).to_json())["initialViewState"]
    assert view["zoom"] > 3 and 2 < view["longitude"] < 5  # Europe only: framed on Europe


def test_venues_map_draws_the_japanese_tours_venues_apart_joined_in_order(con):
    from asemus_data import exhibitions as ex
    from asemus_data import store
    from asemus_data.figures import exhibitions as fx
    exh, ven = store.read_table(con, "exhibitions"), store.read_table(con, "exhibition_venues")
    stops, legs = ex.venue_stops(ven, exh), ex.tour_routes(ven, exh)
    deck = fx.venue_deck(stops, legs)
    view = json.loads(deck.to_json())["initialViewState"]
    layers = _layers(deck)
    pos = {r["city"]: r["position"] for r in layers["venues"]["data"]}
    scale = basemap.WORLD_PX * 2 ** view["zoom"]
    japan = [c for c in pos if c in ("Osaka", "Fukuoka", "Hayama (Kanagawa)", "Kanagawa")]
    assert len(japan) == 4  # the five venues: two in Osaka share one place
    xs, ys = basemap._mercator([pos[c][0] for c in japan], [pos[c][1] for c in japan])
    gaps = [((xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2) ** 0.5 * scale
            for i in range(4) for j in range(i + 1, 4)]
    assert min(gaps) >= 12  # 6 px dots: none covers another
    drawn = {tuple(p) for p in pos.values()}
    tour = [r for r in layers["tours"]["data"] if "Self and Other" in r["exhibition"]]
    assert len(tour) == 4 and all(tuple(r["source_position"]) in drawn and
                                  tuple(r["target_position"]) in drawn for r in tour)
    assert "Osaka" in {r["t"] for r in layers["venue_labels"]["data"]}
    assert "places by exhibition type" in fx.venues_sentence(stops, legs)
