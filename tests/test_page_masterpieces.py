"""AppTest of the Masterpieces & experts page on the built-in data: the honest two-object gallery,
the detail view, the documented growth, the offline flow map, and the experts empty state."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture()
def page(built_store, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("ASEMUS_STORE", str(built_store))
    monkeypatch.delenv("ASEMUS_STAFF_PASSWORD", raising=False)
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/masterpieces.py").run()
    assert not at.exception
    return at


def _cards(at) -> list[str]:
    return [b.key for b in at.button if str(b.key).startswith("mp_card_")]


def test_gallery_is_the_two_documented_masterpieces(page):
    assert page.title[0].value == "Masterpieces & experts"
    assert [t.label for t in page.tabs] == ["Masterpieces", "Experts"]
    assert sorted(_cards(page)) == ["mp_card_vcm-sample-vcm-37", "mp_card_vcm-sample-vcm-38"]
    assert any("only the 2 VCM masterpieces documented" in i.value for i in page.info)
    badges = [m.value for m in page.markdown if "badge[" in m.value]
    assert badges.count(":green-badge[documented]") == 2 and not any("illustrative" in b for b in badges)
    assert any(m.value.startswith("**Masterpiece of the day:**") for m in page.markdown)
    assert page.number_input(key="mp_page").value == 1


def test_detail_view_shows_every_field_and_source(page):
    page.button(key="mp_card_vcm-sample-vcm-38").click().run()
    assert not page.exception
    tables = [d.value for d in page.dataframe if list(d.value.columns) == ["field", "value"]]
    assert tables, "the detail table is shown"
    fields = dict(zip(tables[0]["field"], tables[0]["value"]))
    assert fields["Title"] == "Gold necklace" and fields["Data status"] == "documented"
    assert fields["Source"].startswith("https://galeriaredelius")
    assert any("galeriaredelius" in c.value for c in page.caption)


def test_search_and_page_filters(page):
    page.text_input(key="mp_q").set_value("quran").run()
    assert _cards(page) == ["mp_card_vcm-sample-vcm-37"]
    page.text_input(key="mp_q").set_value("no such thing").run()
    assert not page.exception and _cards(page) == []
    assert any("No object matches" in i.value for i in page.info)
    page.text_input(key="mp_q").set_value("").run()
    page.multiselect(key="mp_museums").set_value(["museo-giuseppe-tucci"]).run()
    assert _cards(page) == ["mp_card_vcm-sample-vcm-38"]
    page.toggle(key="mp_vcm").set_value(True).run()
    assert not page.exception and _cards(page) == ["mp_card_vcm-sample-vcm-38"]


def test_growth_chart_and_flow_map(page):
    specs = [json.loads(p.proto.spec) for p in page.get("plotly_chart")]
    growth = [s for s in specs if {t.get("name") for t in s["data"]} >= {"masterpieces"}]
    assert growth, "the growth chart is drawn"
    labels = {x for t in growth[0]["data"] for x in t["text"]}
    assert "over 1,600" in labels and "nearly 3,000" not in labels  # undated: listed only
    decks = [json.loads(d.proto.json) for d in page.get("deck_gl_json_chart")]
    arcs = [layer for d in decks for layer in d["layers"] if layer["@@type"] == "ArcLayer"]
    assert arcs and all(d.get("mapProvider") is None for d in decks)  # no tiles (browser-checked)
    assert not any(str(d.get("mapStyle", "")).startswith("http") for d in decks)


def test_experts_tab_empty_state_and_public_roles(page):
    assert any("No experts are in the data yet" in i.value for i in page.info)
    assert any("no staff password is configured" in c.value for c in page.caption)
    roles = [d.value for d in page.dataframe if "role" in d.value.columns]
    assert roles and len(roles[0]) > 0 and "email" not in roles[0].columns
