"""AppTest of the Exhibitions & visitors page: built-in data (visitor statistics: the shipped French
series), a store without visitor statistics (the empty state) and a store with an imported
institution-year series."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from benchmarks.exhibitions import write_ministry_export  # noqa: E402

APP = "../app.py"


def _run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/exhibitions.py").run()
    assert not at.exception, at.exception
    return at


def _specs(at) -> str:
    return " ".join(c.proto.spec for c in at.get("plotly_chart"))


def test_builtin_data(built_store, clear_streamlit_caches):
    at = _run()
    specs = _specs(at)
    # Exhibitions, visitors per day, membership, conferences, committee, and the visitor
    # statistics of the shipped French open data (series, change, rank, paid/free, totals).
    assert len(at.get("plotly_chart")) == 10
    assert len(at.get("deck_gl_json_chart")) == 2
    for text in ("Self and Other", "over 215", "over 70", "10th General Conference", "Kuching",
                 "dates known to the month", "Fionnuala Croke"):
        assert text in specs, text
    assert not any("No visitor statistics yet" in i.value for i in at.info)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck.get("mapProvider") is None   # no tiles: the basemap is a country layer
    assert {layer["@@type"] for layer in deck["layers"]} >= {"ScatterplotLayer", "ArcLayer"}


def test_settings_and_detail(built_store, clear_streamlit_caches):
    at = _run()
    at.number_input(key="exh_days_per_week").set_value(7).run()
    at.number_input(key="exh_closures").set_value(2).run()
    assert not at.exception
    # 108 calendar days - 2 closures = 106; over 20,000 / 106 = 188.7 -> 'over 188'
    assert "over 188" in _specs(at)
    box = at.selectbox(key="exh_detail")
    for option in box.options:
        at.selectbox(key="exh_detail").set_value(option).run()
        assert not at.exception
    passage = [o for o in box.options if o.startswith("A Passage to Asia")][0]
    at.selectbox(key="exh_detail").set_value(passage).run()
    md = " ".join(m.value for m in at.markdown)
    assert "over 20,000" in md and "Jan Van Alphen" in md


def test_empty_visitor_statistics(fresh_store, monkeypatch, clear_streamlit_caches):
    """A store without visitor statistics: the empty state explains the import instead of drawing
    an invented series; the command line is for staff only (a visitor reads where the import
    happens, not how to type it)."""
    from asemus_data import store
    with store.writing(fresh_store) as c:
        c.execute("DELETE FROM visitor_stats")
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    at = _run()
    assert len(at.get("plotly_chart")) == 5
    assert not any("python -m" in c.value for c in at.code)
    assert any("No visitor statistics yet" in i.value and "Data page" in i.value for i in at.info)


@pytest.fixture()
def imported_store(fresh_store, tmp_path, monkeypatch):
    from asemus_data.importer import import_file
    csv_path, map_path = write_ministry_export(tmp_path / "export", institutions=30, years=25)
    import_file(csv_path, "visitor_stats", mapping=map_path, store=fresh_store)
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    return fresh_store


def test_imported_series(imported_store, clear_streamlit_caches):
    at = _run()
    assert len(at.get("plotly_chart")) == 10
    assert any("NOT real" in w.value for w in at.warning)
    ms = at.multiselect(key="exh_vs_institutions")
    assert len(ms.value) == 3
    ms.set_value(ms.options[:1] and [ms.value[0]]).run()
    assert not at.exception
    at.radio(key="exh_vs_by").set_value("region").run()
    at.slider(key="exh_vs_years").set_value((2005, 2015)).run()
    assert not at.exception
    assert "connectgaps" in _specs(at)
