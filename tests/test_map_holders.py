"""Holders of Asian collections on the Collections map: institutions a source states to hold Asian
collections (asian_collections = yes) but with no holdings rows yet are drawn as rings, with
their own legend entry and sentence ("holdings not yet surveyed")."""
from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from asemus_data import collections_map as cm
from asemus_data import store
from asemus_data.figures import basemap, maps
from asemus_data.filters import Filters

SRC = "https://www.culture.gouv.fr/museofile (domaine: Asie)"
INSTITUTIONS = pd.DataFrame([
    # id, region, asian_collections, coordinates, holdings?
    dict(id="a-stated", name="Stated Museum", city="Lyon", country_code="FRA", country="France",
         region="Europe", latitude=45.76, longitude=4.83, asian_collections="yes",
         asian_collections_source=SRC, member_status="not documented", status="imported"),
    dict(id="b-surveyed", name="Surveyed Museum", city="Leiden", country_code="NLD",
         country="Netherlands", region="Europe", latitude=52.16, longitude=4.49,
         asian_collections="yes", asian_collections_source=SRC, member_status="member",
         status="documented"),
    dict(id="c-unknown", name="Unknown Museum", city="Paris", country_code="FRA", country="France",
         region="Europe", latitude=48.85, longitude=2.35, asian_collections="unknown",
         member_status="not documented", status="imported"),
    dict(id="d-nowhere", name="Stated, No Place", city=None, country_code="FRA", country="France",
         region="Europe", latitude=None, longitude=None, asian_collections="yes",
         asian_collections_source=None, member_status="not documented", status="imported"),
    dict(id="e-no", name="No Asian Museum", city="Tours", country_code="FRA", country="France",
         region="Europe", latitude=47.39, longitude=0.69, asian_collections="no",
         member_status="not documented", status="imported"),
    dict(id="f-asia", name="<b>Asia</b> Stated", city="Osaka", country_code="JPN", country="Japan",
         region="Asia", latitude=34.69, longitude=135.5, asian_collections="yes",
         asian_collections_source=SRC, member_status="member", status="documented"),
]).assign(type="public", source="hand-made test row")
COLLECTIONS = pd.DataFrame([
    dict(id="c1", institution_id="b-surveyed", title="Porcelain", origin_country_code="CHN",
         origin_country="China", category="ceramics", object_count=10, status="documented"),
]).assign(ownership="public", display="unknown", source="hand-made test row")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("holders") / "holders.duckdb"
    con = duckdb.connect(str(path))
    store.create_tables(con)
    store.insert(con, "institutions", INSTITUTIONS)
    store.insert(con, "collections", COLLECTIONS)
    yield con
    con.close()


def _expected(inst: pd.DataFrame = INSTITUTIONS) -> set[str]:
    """Independent of the code: stated holders minus the institutions with any holdings row."""
    return set(inst[(inst.asian_collections == "yes")
                    & ~inst.id.isin(COLLECTIONS.institution_id)].id)


def test_holders_without_holdings_are_the_stated_ones_with_no_rows(tiny):
    got = cm.holders_without_holdings(tiny, Filters())
    assert set(got.id) == _expected() == {"a-stated", "d-nowhere", "f-asia"}
    assert cm.map_data(tiny, Filters()).unsurveyed.id.tolist() == got.id.tolist()
    assert "b-surveyed" in set(cm.map_data(tiny, Filters()).museums.id)  # a dot, not a ring


@pytest.mark.parametrize("f, expected", [
    (Filters(regions=("Asia",)), {"f-asia"}),
    (Filters(countries=("FRA",)), {"a-stated", "d-nowhere"}),
    (Filters(member_statuses=("member",)), {"f-asia"}),
    (Filters(statuses=("imported",)), {"a-stated", "d-nowhere"}),
    (Filters(search="stated"), {"a-stated", "d-nowhere", "f-asia"}),
    (Filters(origins=("CHN",)), set()),        # what they hold is not known: no claim of a match
    (Filters(categories=("ceramics",)), set()),
    (Filters(period=(1600, 1700)), set()),
    (Filters(materials=("silk",)), set()),
])
def test_filters_apply_to_the_holders(tiny, f, expected):
    assert set(cm.holders_without_holdings(tiny, f).id) == expected


def test_rings_are_drawn_with_the_museums_layer_only(tiny):
    d = cm.map_data(tiny, Filters())
    deck = json.loads(maps.collections_deck(d, ("museums",)).to_json())
    ids = [lyr["id"] for lyr in deck["layers"] if lyr["id"] not in ("countries_borders",
                                                                       "city_labels")]
    assert ids == ["countries", "unsurveyed", "museums"]
    rings = next(lyr for lyr in deck["layers"] if lyr["id"] == "unsurveyed")
    assert {r["id"] for r in rings["data"]} == {"a-stated", "f-asia"}  # d-nowhere has no place
    assert rings["filled"] and rings["stroked"] and rings["pickable"]
    assert all("holdings not yet surveyed" in r["b"] for r in rings["data"])
    # names go through the shared tooltip path (Streamlit escapes each value once)
    assert basemap.tooltip_text("<b>Asia</b> Stated") in {r["n"] for r in rings["data"]}
    no_museums = json.loads(maps.collections_deck(d, ("flows",)).to_json())
    assert "unsurveyed" not in [lyr["id"] for lyr in no_museums["layers"]]


def test_rings_have_their_own_legend_entry_and_sentence(tiny):
    d = cm.map_data(tiny, Filters())
    sections = maps.legend(d, ("museums",))
    ring = next(s for s in sections if s["title"].startswith(maps.UNSURVEYED_LABEL))
    assert ring["title"].endswith("(3)")
    assert {label for label, _ in ring["rings"]} == {"Asia", "Europe"}
    assert "border:2.5px solid" in maps.legend_html(sections)
    text = maps.collections_map_sentence(d, ("museums",))
    assert text.endswith("3 institutions stated to hold Asian collections have no holdings "
                         "surveyed yet (rings); 1 of them without coordinates is not drawn.")
    assert maps.unsurveyed_sentence(d, ("flows",)) == ""


def test_only_rings_still_make_a_sentence(tiny):
    d = cm.map_data(tiny, Filters(statuses=("imported",)))
    assert d.museums.empty and len(d.unsurveyed) == 2
    assert maps.collections_map_sentence(d, ("museums",)) == (
        "No museum holds matching items. 2 institutions stated to hold Asian collections have no "
        "holdings surveyed yet (rings); 1 of them without coordinates is not drawn.")


def test_the_page_shows_rings_when_only_unsurveyed_holders_match(fresh_store, tmp_path,
                                                                  monkeypatch,
                                                                  clear_streamlit_caches):
    """A register import with 'Asie' and no holdings: the map page draws the rings (before: the
    page stopped at 'no holdings match')."""
    from streamlit.testing.v1 import AppTest

    from asemus_data import importer
    f = tmp_path / "register.csv"
    f.write_text("id,name,city,country,asian_collections,asian_collections_source,domains\n"
                 f"musee-asie-test,Musée Asie Test,Lyon,France,yes,{SRC},Archéologie;Asie\n",
                 encoding="utf-8")
    importer.import_file(f, "institutions", store=fresh_store)
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/collections_map.py")
    at.query_params["status"] = "imported"
    at.query_params["museum"] = "musee-asie-test"
    at.run()
    assert not at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    rings = next(lyr for lyr in deck["layers"] if lyr["id"] == "unsurveyed")
    assert [r["id"] for r in rings["data"]] == ["musee-asie-test"]
    captions = " | ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes
    assert "holdings surveyed yet" in captions
    assert f"Holds Asian collections (source: {SRC}); domains: Archéologie, Asie; holdings not " \
           "yet surveyed." in captions  # the museum's panel


def test_the_museum_panel_says_what_is_known_of_its_asian_collections(tiny):
    d = cm.museum_detail(tiny, "a-stated", Filters())
    assert d["has_holdings"] is False
    assert cm.asian_collections_note(d["info"], d["has_holdings"]) == (
        f"Holds Asian collections (source: {SRC}); holdings not yet surveyed.")
    d = cm.museum_detail(tiny, "b-surveyed", Filters())
    assert d["has_holdings"] is True
    assert cm.asian_collections_note(d["info"], True) == f"Holds Asian collections (source: {SRC})."
    assert cm.asian_collections_note(cm.museum_detail(tiny, "c-unknown", Filters())["info"]) == ""
    assert cm.asian_collections_note(
        dict(asian_collections="no", asian_collections_source="Muséofile", domains="Archéologie;Beaux-Arts"),
        False) == "Holds no Asian collections (source: Muséofile); domains: Archéologie, Beaux-Arts."
    d = cm.museum_detail(tiny, "d-nowhere", Filters())
    assert cm.asian_collections_note(d["info"], d["has_holdings"]) == (
        "Holds Asian collections (source: not stated); holdings not yet surveyed.")
