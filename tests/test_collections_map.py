"""Unit tests for the Collections map: SQL aggregates (asemus_data.collections_map) on a tiny
hand-made store, and the deck/legend builders (asemus_data.figures.maps)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import collections_map as cm  # noqa: E402
from asemus_data import store  # noqa: E402
from asemus_data.figures import maps  # noqa: E402
from asemus_data.filters import Filters  # noqa: E402

XSS = "<img src=x onerror=alert(1)>"

# Three museums (one without coordinates), four collections, three objects, two ties.
INSTITUTIONS = pd.DataFrame([
    dict(id="leiden", name="Museum Leiden", city="Leiden", country_code="NLD", country="Netherlands",
         region="Europe", latitude=52.16, longitude=4.49, type="public", member_status="member"),
    dict(id="xss", name=XSS, city="Osaka & <b>", country_code="JPN", country="Japan",
         region="Asia", latitude=34.69, longitude=135.50, type="public",
         member_status="not documented"),
    dict(id="nowhere", name="Museum d'Ailleurs", city=None, country_code="FRA", country="France",
         region="Europe", latitude=None, longitude=None, type="unknown",
         member_status="documented role"),
]).assign(source="hand-made test row", status="documented")
COLLECTIONS = pd.DataFrame([
    dict(id="c1", institution_id="leiden", title="Chinese porcelain", origin_country_code="CHN",
         origin_country="China", category="ceramics", period_start=1600, period_end=1700,
         object_count=100, status="illustrative"),
    dict(id="c2", institution_id="leiden", title="Bronze mirrors", origin_country_code="CHN",
         origin_country="China", category="metalwork", period_start=-206, period_end=220,
         object_count=10, status="documented"),
    dict(id="c3", institution_id="xss", title="Korean celadon", origin_country_code="KOR",
         origin_country="South Korea", category="ceramics", period_start=918, period_end=1392,
         object_count=40, status="illustrative"),
    dict(id="c4", institution_id="nowhere", title="Indian textiles", origin_country_code="IND",
         origin_country="India", category="textiles", period_start=None, period_end=None,
         object_count=None, status="documented"),
]).assign(ownership="public", display="unknown", source="hand-made test row")
OBJECTS = pd.DataFrame([
    dict(id="o1", institution_id="leiden", title="Jar", origin_country_code="CHN",
         origin_country="China", category="ceramics", period_start=-500, period_end=-300),
    dict(id="o2", institution_id="leiden", title="Bowl", origin_country_code="CHN",
         origin_country="China", category="ceramics", period_start=-500, period_end=-300),
    dict(id="o3", institution_id="xss", title="Vase", origin_country_code="CHN",
         origin_country="China", category="ceramics", period_start=1700, period_end=1800),
]).assign(source="hand-made test row", status="documented")
COLLABS = pd.DataFrame([
    dict(id="t1", institution_a="leiden", institution_b="xss", type="loan", programme="P",
         year_start=2006, year_end=2008),
    dict(id="t2", institution_a="nowhere", institution_b="leiden", type="training",
         programme=None, year_start=None, year_end=None, date_text="around 2010"),
]).assign(source="hand-made test row", status="documented")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A store holding only the rows above."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    con = duckdb.connect(str(path))
    store.create_tables(con)
    for table, df in (("institutions", INSTITUTIONS), ("collections", COLLECTIONS),
                      ("objects", OBJECTS), ("collaborations", COLLABS)):
        store.insert(con, table, df)
    yield con
    con.close()


# --- aggregates ---------------------------------------------------------------------------------
def test_counts_per_institution(tiny):
    m = cm.map_data(tiny, Filters()).museums.set_index("id")
    assert m.loc["leiden", "objects"] == 112 and m.loc["leiden", "collections"] == 2
    assert m.loc["xss", "objects"] == 41 and m.loc["xss", "collections"] == 1
    assert m.loc["nowhere", "objects"] == 0 and m.loc["nowhere", "collections"] == 1
    assert m.loc["leiden", "statuses"] == "documented, illustrative"
    assert list(m.index) == ["leiden", "xss", "nowhere"]  # largest first


def test_flows_per_origin_and_institution(tiny):
    d = cm.map_data(tiny, Filters())
    fl = d.flows.set_index(["origin", "institution_id"]).objects.to_dict()
    assert fl == {("CHN", "leiden"): 112, ("KOR", "xss"): 40, ("CHN", "xss"): 1}
    # India -> 'nowhere' has no museum position, so it is counted but not drawn
    assert d.flows_total == 4 and d.unplaced_museums == 1
    row = d.flows.iloc[0]
    assert row.origin_lat == pytest.approx(36.9, abs=3) and row.latitude == pytest.approx(52.16)


def test_flow_limit_keeps_the_largest(tiny):
    d = cm.map_data(tiny, Filters(), flow_limit=1)
    assert d.flows.objects.tolist() == [112] and d.flows_total == 4
    assert len(d.museums) == 3  # the limit applies to flows only


def test_per_country_totals(tiny):
    c = cm.map_data(tiny, Filters()).countries.set_index("country_code")
    assert c.loc["NLD", "objects"] == 112 and c.loc["JPN", "objects"] == 41
    assert c.loc["FRA", "museums"] == 1 and c.loc["FRA", "collections"] == 1
    assert c.loc["NLD", "statuses"] == "documented, illustrative"


@pytest.mark.parametrize("f, expected", [
    (Filters(categories=("ceramics",)), {"leiden": 102, "xss": 41}),
    (Filters(origins=("KOR",)), {"xss": 40}),
    (Filters(regions=("Europe",)), {"leiden": 112, "nowhere": 0}),
    (Filters(statuses=("documented",)), {"leiden": 12, "xss": 1, "nowhere": 0}),
    (Filters(search="leid"), {"leiden": 112}),
    # period overlap, BCE negative: 400-350 BCE overlaps the jar/bowl (-500..-300) only
    (Filters(period=(-400, -350)), {"leiden": 2}),
    # 100 BCE - 100 CE overlaps the Han mirrors (-206..220)
    (Filters(period=(-100, 100)), {"leiden": 10}),
    # touching end points overlap: 1392 is the last year of the celadon
    (Filters(period=(1392, 1500)), {"xss": 40}),
    (Filters(origins=("VNM",)), {}),
])
def test_filters_apply(tiny, f, expected):
    m = cm.map_data(tiny, f).museums
    assert dict(zip(m.id, m.objects)) == expected


def test_empty_selection_gives_empty_frames(tiny):
    d = cm.map_data(tiny, Filters(origins=("VNM",)))
    assert d.museums.empty and d.flows.empty and d.countries.empty and d.flows_total == 0
    deck = json.loads(maps.collections_deck(d, cm.LAYERS).to_json())
    assert deck["layers"][0]["id"] == "countries"
    assert maps.legend(d, cm.LAYERS) == []


def test_holdings_table_groups_objects_and_limits(tiny):
    t, total = cm.holdings_table(tiny, Filters())
    assert total == 6  # 4 collections + 2 object groups (jar+bowl grouped; vase alone)
    jar_bowl = t[(t.kind == "objects") & (t.museum == "Museum Leiden")].iloc[0]
    assert jar_bowl.objects == 2 and jar_bowl.title == "2 catalogued objects"
    assert "Vase" in set(t.title)  # a group of one keeps the object's title
    assert t.objects.tolist() == sorted(t.objects, reverse=True)
    t2, total2 = cm.holdings_table(tiny, Filters(), limit=2)
    assert len(t2) == 2 and total2 == 6
    assert isinstance(t.museum.dtype, pd.CategoricalDtype)  # small Arrow payload


def test_museum_detail_both_directions(tiny):
    d = cm.museum_detail(tiny, "leiden", Filters())
    assert d["info"]["name"] == "Museum Leiden" and d["total_collections"] == 2
    c = d["collaborations"].set_index("partner")
    assert set(c.index) == {XSS, "Museum d'Ailleurs"}
    assert c.loc[XSS, "years"] == "2006–2008"
    assert c.loc["Museum d'Ailleurs", "years"] == "around 2010"  # stated text, no guess
    assert cm.museum_detail(tiny, "missing", Filters()) is None
    assert len(cm.museum_detail(tiny, "leiden", Filters(categories=("metalwork",)))["holdings"]) == 1


def test_state_from_query(tiny):
    s, notices = cm.MapState.from_query(
        {"layers": "flows,bogus,museums", "color": "member", "museum": "xss"}, tiny)
    assert s == cm.MapState(("flows", "museums"), "member", "xss") and len(notices) == 1
    s, notices = cm.MapState.from_query({"layers": "x", "color": "pink", "museum": "no"}, tiny)
    assert s == cm.MapState() and len(notices) == 3
    assert cm.MapState().to_query() == {"layers": None, "color": None, "museum": None, "view": None}
    assert cm.MapState((), "member").to_query()["layers"] == "none"
    assert cm.MapState.from_query({"layers": "none"})[0].layers == ()


def test_view_preset_in_link_and_deck(tiny):
    s, notices = cm.MapState.from_query({"view": "east-asia"})
    assert s.view == "east-asia" and not notices and s.to_query()["view"] == "east-asia"
    s, notices = cm.MapState.from_query({"view": "mars"})
    assert s.view == cm.DEFAULT_VIEW and "mars" in notices[0]
    d = cm.map_data(tiny, Filters())
    spec = json.loads(maps.collections_deck(d, ("museums",), view="europe").to_json())
    assert spec["initialViewState"]["longitude"] == cm.VIEWS["europe"][1]["longitude"]


# --- deck and legends ---------------------------------------------------------------------------
def _deck(tiny, layers=cm.LAYERS, color="region", f=Filters()):
    d = cm.map_data(tiny, f)
    return d, json.loads(maps.collections_deck(d, layers, color).to_json())


def _layer(deck, layer_id):
    return next(lyr for lyr in deck["layers"] if lyr["id"] == layer_id)


@pytest.mark.parametrize("layers", [(), ("museums",), ("flows", "density"), cm.LAYERS])
def test_layers_follow_the_toggles(tiny, layers):
    _, deck = _deck(tiny, layers)
    ids = [lyr["id"] for lyr in deck["layers"]]
    expected = {"museums": "museums", "flows": "flows", "density": "density",
                "countries": "countries_shaded"}
    labels = (["country_labels"] if "countries" in layers else []) + (["city_labels"] if layers
                                                                        else [])
    assert ids == (["countries", "countries_borders"]
                   + [expected[x] for x in cm.LAYERS if x in layers] + labels)


def test_layer_types_and_great_circles(tiny):
    _, deck = _deck(tiny)
    types = {lyr["id"]: lyr["@@type"] for lyr in deck["layers"]}
    assert types == {"countries": "GeoJsonLayer", "countries_borders": "LineLayer",
                     "countries_shaded": "GeoJsonLayer", "density": "SolidPolygonLayer",
                     "flows": "ArcLayer", "museums": "ScatterplotLayer",
                     "country_labels": "TextLayer", "city_labels": "TextLayer"}
    flows = next(lyr for lyr in deck["layers"] if lyr["id"] == "flows")
    assert flows["greatCircle"] is True and flows["widthUnits"] == "pixels"
    museums = next(lyr for lyr in deck["layers"] if lyr["id"] == "museums")
    assert museums["radiusUnits"] == "pixels"  # a literal, not an accessor expression


def test_no_map_tiles_and_no_remote_url(tiny):
    _, deck = _deck(tiny)
    assert deck.get("mapProvider") in (None, "None")
    # pydeck's "no style" sentinel: Streamlit 1.67 draws no basemap (an absent mapStyle makes
    # it fetch a Carto style)
    assert deck.get("mapStyle") is not None  # null makes Streamlit fetch a Carto style
    text = json.dumps(deck)
    assert "http://" not in text and "https://" not in text and "mapbox" not in text
    assert deck["layers"][0]["data"] == "/app/static/boundaries/countries.geojson"


def test_tooltips_are_escaped(tiny):
    _, deck = _deck(tiny)
    raw = json.dumps(deck, ensure_ascii=False)
    # values as written (Streamlit escapes each once: tests/test_security_text.py)
    assert "&lt;" not in raw
    museum = next(r for r in _layer(deck, "museums")["data"] if r["id"] == "xss")
    assert museum["n"] == XSS
    assert museum["a"] == "Osaka & <b>, Japan"
    flows = next(lyr for lyr in deck["layers"] if lyr["id"] == "flows")["data"]
    assert any(XSS in r["n"] for r in flows)
    assert maps.tooltip_safe([None, float("nan"), "a<b>\x00"]) == ["", "", "a<b>\ufffd"]


def test_tooltip_fields_on_every_pickable_layer(tiny):
    _, deck = _deck(tiny)
    for lyr in deck["layers"]:
        if not lyr.get("pickable"):
            continue
        rows = lyr["data"]["features"] if isinstance(lyr["data"], dict) else lyr["data"]
        for r in rows:
            props = r.get("properties", r)
            assert {"n", "a", "b", "s"} <= set(props), lyr["id"]
    museum = next(r for r in _layer(deck, "museums")["data"] if r["id"] == "leiden")
    assert museum["b"] == "112 objects · 2 collections"
    assert museum["s"] == "documented, illustrative"


def test_countries_layer_only_holding_countries(tiny):
    d, deck = _deck(tiny, ("countries",))
    shaded = _layer(deck, "countries_shaded")
    # the polygons are the static file's; only a colour per holding country is sent
    assert shaded["data"] == maps.basemap.STATIC_BOUNDARIES_URL
    fill = shaded["getFillColor"]
    assert fill["@@function"] == "colorCategories" and fill["attr"] == "iso_a3"
    # France holds a collection with no counted objects: nothing to shade
    assert set(fill["domain"]) == {"NLD", "JPN"} and fill["othersColor"][3] == 0
    by_code = dict(zip(fill["domain"], fill["colors"]))
    assert by_code["NLD"] != by_code["JPN"]  # 112 and 41 objects: different classes
    labels = {r["n"]: r["t"] for r in _layer(deck, "country_labels")["data"]}
    assert labels["Netherlands"] == "Netherlands 112" and labels["Japan"] == "Japan 41"


def test_museum_colours_and_radius(tiny):
    d, deck = _deck(tiny, ("museums",), "member")
    rows = {r["id"]: r for r in _layer(deck, "museums")["data"]}
    assert "nowhere" not in rows  # no coordinates: not drawn
    assert rows["leiden"]["c"] == maps.basemap.MEMBER_COLORS["member"]
    assert rows["leiden"]["r"] == maps.MAX_RADIUS_PX
    assert rows["xss"]["r"] == pytest.approx(maps.MAX_RADIUS_PX * (41 / 112) ** 0.5, abs=0.1)
    _, deck = _deck(tiny, ("museums",), "region")
    assert _layer(deck, "museums")["data"][0]["c"] == maps.basemap.REGION_COLORS["Europe"]
    assert maps.radius_px([0], 100)[0] == maps.MIN_RADIUS_PX


def test_legend_data(tiny):
    d = cm.map_data(tiny, Filters())
    leg = maps.legend(d, ("museums",), "region")
    assert len(leg) == 1 and leg[0]["title"] == "Museums, by region (3)"
    assert [s[0] for s in leg[0]["swatches"]] == ["Asia (1)", "Europe (2)"]
    assert [s[0] for s in leg[0]["sizes"]] == ["100 objects", "10 objects", "1 object"]
    assert [s[1] for s in leg[0]["sizes"]] == sorted((s[1] for s in leg[0]["sizes"]), reverse=True)
    leg = maps.legend(d, cm.LAYERS, "member")
    assert [s["title"] for s in leg] == ["Museums, by ASEMUS membership (3)",
                                         "Origin → holder flows",
                                         "Density of holdings, objects per 2° square",
                                         "Holding countries, by objects"]
    # every shaded layer's legend gives its classes in numbers
    for section in leg[2:]:
        assert all(any(ch.isdigit() for ch in label) for label, _ in section["ramp"])
    html = maps.legend_html(leg)
    assert "rgb(0,158,115)" in html and "Origin → holder flows" in html


def test_flows_legend_notes_the_cut(tiny):
    d = cm.map_data(tiny, Filters(), flow_limit=1)
    note = maps.legend(d, ("flows",))[0]["note"]
    assert "largest of 4 flows" in note


def test_class_breaks():
    assert maps.class_breaks([]) == [0.0]
    b = maps.class_breaks([1, 10, 100, 1000, 10000])
    assert b == sorted(b) and b[-1] >= 10000 and len(b) <= 5


def test_deck_json_is_compact(tiny):
    d = cm.map_data(tiny, Filters())
    text = maps.collections_deck(d, cm.LAYERS).to_json()
    assert "\n" not in text and len(text) < 20_000


@pytest.mark.parametrize("selection, expected", [
    ({"objects": {"museums": [{"id": "leiden", "n": "Museum Leiden"}]}}, "leiden"),
    ({"objects": {"unsurveyed": [{"id": "a-stated"}]}}, "a-stated"),
    ({"objects": {"museums": [{"id": "leiden"}], "unsurveyed": [{"id": "x"}]}}, "leiden"),
    ({"objects": {"city_labels": [{"t": "Leiden"}], "flows": [{"n": "China → Leiden"}]}}, None),
    ({"objects": {}}, None), ({}, None), (None, None),
    ({"objects": {"museums": [{"id": ""}, {"n": "no id"}]}}, None),
])
def test_a_click_picks_a_museum_or_ring_and_nothing_else(selection, expected):
    assert cm.picked_museum(selection) == expected


def test_small_selections_are_drawn_against_the_whole_stores_largest_museum(tiny):
    everything = cm.map_data(tiny, Filters())
    few = cm.map_data(tiny, Filters(statuses=("documented",)))
    assert everything.reference_objects == few.reference_objects == 112  # Leiden, no filter
    deck = json.loads(maps.collections_deck(few, ("museums",)).to_json())
    radii = {r["id"]: r["r"] for r in _layer(deck, "museums")["data"]}
    # Leiden's 12 documented objects are a small dot, not a full-size one
    assert radii["leiden"] == pytest.approx(maps.MAX_RADIUS_PX * (12 / 112) ** 0.5, abs=0.1)
    assert "112 objects" in maps.legend(few, ("museums",))[0]["note"]


def test_density_squares_sum_the_museums_in_them(tiny):
    d = cm.map_data(tiny, Filters())
    cells = maps.density_cells(d.museums)
    placed_objects = int(d.museums.dropna(subset=["latitude"]).objects.sum())
    assert int(cells.objects.sum()) == placed_objects
    leiden = cells[(cells.lon0 == 4.0) & (cells.lat0 == 52.0)]
    assert int(leiden.objects.iloc[0]) == 112
