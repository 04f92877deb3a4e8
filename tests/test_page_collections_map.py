"""AppTest for the Collections map page: it runs on the built-in data, layers and colours switch
by key, a filter change updates map, counts and table together, the URL carries the state, and a
museum given in the URL opens its side panel."""
from __future__ import annotations

import json
import os

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

PAGE = "pages/collections_map.py"
XSS = "<img src=x onerror=alert(1)>"


def _app() -> AppTest:
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.switch_page(PAGE)
    return app


@pytest.fixture()
def at(built_store, clear_streamlit_caches):
    return _app()


def _deck(at) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


#: Drawn with every map (borders), with any layer (labels) or with the museums (rings, leader
#: lines): not toggles of their own.
_ALWAYS = {"countries_borders", "city_labels", "country_labels", "leaders", "unsurveyed"}


def _layer_ids(at) -> list[str]:
    return [lyr["id"] for lyr in _deck(at)["layers"] if lyr["id"] not in _ALWAYS]


def _museum_ids(at) -> set[str]:
    museums = next(lyr for lyr in _deck(at)["layers"] if lyr["id"] == "museums")
    return {r["id"] for r in museums["data"]}


def _summary(at) -> str:
    return next(m.value for m in at.markdown if "collections and" in m.value)


def _param(at, key):
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v


def test_page_runs_with_sensible_defaults(at):
    at.run()
    assert not at.exception
    assert at.title[0].value == "Collections map"
    assert _layer_ids(at) == ["countries", "museums"]  # museums on by default
    assert at.pills(key="map_layers").value == ["museums"]
    assert at.segmented_control(key="map_color").value == "region"
    deck = _deck(at)
    assert "carto" not in str(deck.get("mapStyle")).lower() and not deck.get("mapProvider")
    assert "museums in" in _summary(at)
    assert any("Illustrative data" in w.value for w in at.warning)
    assert len(at.dataframe) >= 1 and len(at.dataframe[-1].value) > 0
    assert len(at.get("download_button")) == 3  # summary CSV and Excel, records zip


def test_toggle_layers_and_colour_by_key(at):
    at.run()
    at.pills(key="map_layers").set_value(["museums", "flows", "density", "countries"]).run()
    assert not at.exception
    assert _layer_ids(at) == ["countries", "countries_shaded", "density", "flows", "museums"]
    assert _param(at, "layers") == "countries,density,flows,museums"
    at.segmented_control(key="map_color").set_value("member").run()
    assert _param(at, "color") == "member"
    at.pills(key="map_layers").set_value([]).run()
    assert not at.exception and _layer_ids(at) == ["countries"]
    assert _param(at, "layers") == "none"


def test_filter_change_updates_map_counts_and_table(at):
    at.run()
    before_summary, before_museums = _summary(at), _museum_ids(at)
    at.multiselect(key="flt_origins").set_value(["KOR"]).run()
    assert not at.exception
    assert _summary(at) != before_summary
    after = _museum_ids(at)
    assert after and after < before_museums
    table = at.dataframe[-1].value
    assert set(table["origin"].astype(str)) == {"South Korea"}
    assert _param(at, "origin") == "KOR"


def test_museum_in_url_opens_side_panel(at):
    at.query_params["museum"] = "chester-beatty-library"
    at.run()
    assert not at.exception
    assert "Chester Beatty Library" in [s.value for s in at.subheader]
    assert at.selectbox(key="map_museum").value == "chester-beatty-library"
    text = " ".join(m.value for m in at.markdown)
    assert "Documented collaborations:" in text
    partners = [d.value for d in at.dataframe if "partner" in d.value.columns]
    assert partners and "Islamic Arts Museum Malaysia" in set(partners[0]["partner"])
    links = at.get("page_link")
    assert links and "network" in links[0].proto.page
    assert _param(at, "museum") == "chester-beatty-library"


def test_bad_url_values_are_ignored_with_a_notice(at):
    at.query_params.update({"layers": "flows,bogus", "color": "pink", "museum": "no-such"})
    at.run()
    assert not at.exception
    assert _layer_ids(at) == ["countries", "flows"]
    notices = " ".join(t.value for t in at.toast)
    assert "bogus" in notices and "pink" in notices and "no-such" in notices


def test_no_match_shows_empty_state(at):
    at.run()
    at.text_input(key="flt_search").set_value("zzzz-no-museum").run()
    assert not at.exception
    assert any("No holding matches" in i.value for i in at.info)
    assert not at.get("deck_gl_json_chart")


def test_hostile_museum_name_is_text(fresh_store, clear_streamlit_caches, monkeypatch):
    con = duckdb.connect(str(fresh_store))
    # a museum the map draws (only documented holders have illustrative holdings)
    con.execute("UPDATE institutions SET name = ? WHERE id = 'asian-civilisations-museum'", [XSS])
    con.close()
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    app = _app()
    app.run()
    assert not app.exception
    raw = app.get("deck_gl_json_chart")[0].proto.json
    # the name as written in the data, escaped once by Streamlit (tests/test_security_text.py)
    assert "&lt;img" not in raw and json.dumps(XSS)[1:-1] in raw


def _objects_held(institution_id: str) -> int:
    """Objects a museum holds with no filter, straight from the tables (pandas, not the view)."""
    con = duckdb.connect(os.environ["ASEMUS_STORE"], read_only=True)
    try:
        coll = con.execute("SELECT institution_id, object_count FROM collections").df()
        obj = con.execute("SELECT institution_id FROM objects").df()
    finally:
        con.close()
    return int(coll[coll.institution_id == institution_id].object_count.fillna(0).sum()
               + (obj.institution_id == institution_id).sum())


def test_picking_a_museum_narrows_the_table_and_clearing_widens_it(at):
    at.run()
    everything = at.dataframe[-1].value
    top = _deck(at)["layers"]
    museum = next(lyr for lyr in top if lyr["id"] == "museums")["data"][0]
    # what a click on its dot does (the pydeck selection goes through cm.picked_museum)
    at.selectbox(key="map_museum").set_value(museum["id"]).run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert set(table["museum"].astype(str)) == {museum["n"]}
    assert 0 < len(table) < len(everything)
    assert int(table["objects"].sum()) == _objects_held(museum["id"])
    assert any("picked on the map" in c.value for c in at.caption)
    at.selectbox(key="map_museum").set_value(None).run()
    assert len(at.dataframe[-1].value) == len(everything)


def test_the_frame_follows_the_filtered_museums(at):
    at.run()
    world = _deck(at)["initialViewState"]
    at.multiselect(key="flt_regions").set_value(["Europe"]).run()
    assert not at.exception
    europe = _deck(at)["initialViewState"]
    museums = next(lyr for lyr in _deck(at)["layers"] if lyr["id"] == "museums")["data"]
    lons = [r["p"][0] for r in museums]
    assert max(lons) < 45  # only European museums are left...
    assert min(lons) <= europe["longitude"] <= max(lons)  # ...and the map is centred on them
    assert europe["zoom"] > world["zoom"]
