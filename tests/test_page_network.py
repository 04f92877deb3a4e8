"""AppTest for the Collaboration network page: it runs, its widgets work by key, a link with
?institution= preselects the institution, and the documented ties show with their sources."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

PAGE = "pages/network.py"


@pytest.fixture()
def at(built_store, clear_streamlit_caches):
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.switch_page(PAGE)
    return app


def _frames(at, column):
    """Tables holding ``column``, in page order (AppTest keeps no key for a plain dataframe)."""
    return [d.value for d in at.dataframe if column in d.value.columns]


def _open(at, tab):
    """Open one of the page's tabs (only the open tab runs) and rerun."""
    at.session_state["net_tab"] = tab
    return at.run()


def _edges(at):
    _open(at, "Metrics table")
    return _frames(at, "sources")[-1]  # the metrics tab's tie table is the last with sources


def _ego(at):
    _open(at, "One institution")
    return _frames(at, "step")[0]


def test_page_runs_and_shows_documented_ties(at):
    at.run()
    assert not at.exception
    assert at.title[0].value == "Collaboration network"
    assert len(at.get("deck_gl_json_chart")) == 1
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    # only the open tab (Map) runs: no figure of another tab is built or sent
    assert len(at.get("plotly_chart")) == 0 and not _frames(at, "sources")
    charts = 0
    for tab in ("Topology", "One institution", "Over time"):
        _open(at, tab)
        assert not at.exception
        assert len(at.get("deck_gl_json_chart")) == 0
        charts += len(at.get("plotly_chart"))
    assert charts >= 3  # topology, ego, growth
    reading = " ".join(m.value for m in at.markdown)
    assert "ties more institutions than any other" in reading
    edges = _edges(at)
    types = " ".join(edges["types"])
    for t in ("educational exchange", "shared exhibition", "virtual collection partnership",
              "executive committee", "travelling exhibition"):
        assert t in types
    assert edges["sources"].str.contains("http").all()
    # no tile basemap: a null mapStyle makes Streamlit fetch a Carto style
    assert deck.get("mapProvider") is None and deck.get("mapStyle") is not None
    assert "carto" not in str(deck.get("mapStyle")).lower()
    assert any(layer.get("@@type") == "ArcLayer" for layer in deck["layers"])


def test_ego_select_and_reach(at):
    _open(at.run(), "One institution")
    at.selectbox(key="net_ego").set_value("islamic-arts-museum-malaysia").run()
    assert not at.exception
    ego = _ego(at)
    assert "Chester Beatty Library" in set(ego["institution_a"]) | set(ego["institution_b"])
    assert at.query_params["institution"] == ["islamic-arts-museum-malaysia"] or \
        at.query_params["institution"] == "islamic-arts-museum-malaysia"
    at.radio(key="net_radius").set_value(2).run()
    assert not at.exception
    assert set(_ego(at)["step"]) == {1, 2}


def test_query_param_preselects_ego(built_store, clear_streamlit_caches):
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.query_params["institution"] = "shanghai-museum"
    app.query_params["net_tab"] = "One institution"  # a link opens the tab it names
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.selectbox(key="net_ego").value == "shanghai-museum"


def test_year_slider_and_type_filter(at):
    _open(at.run(), "Over time")
    at.slider(key="net_year").set_value(2010).run()
    assert not at.exception
    assert any("Since the General Conference of 2008" in h.value for h in at.subheader)
    at.multiselect(key="net_types").set_value(["educational exchange"]).run()
    assert not at.exception
    edges = _edges(at)
    assert set(edges["types"]) == {"educational exchange"} and len(edges) == 5
    at.slider(key="net_years").set_value((2001, 2003)).run()  # before any exchange
    assert not at.exception
    assert any("No tie matches" in i.value for i in at.info)


def test_counts_that_differ_between_views_say_why(at):
    """The header counts every tie; 'Over time' cannot place undated ties and the graph draws
    only tied institutions: each view says so, with the header's own numbers."""
    import re

    at.run()
    head = {m.label: str(m.value) for m in at.metric}
    pairs, institutions = int(head["Tied pairs"]), int(head["Institutions"])
    _open(at, "Over time")
    note = next(c.value for c in at.caption if "tied pairs" in c.value and "year" in c.value)
    if "left out of this view" in note:
        m = re.search(r"the figures above count ([\d,]+) tied pairs", note)
        assert m and int(m.group(1).replace(",", "")) == pairs, note
        assert re.search(r"\(([\d,]+) of ([\d,]+) ties ha(s|ve) no year\)", note), note
    else:
        assert f"the same {pairs:,} tied pairs" in note, note
    _open(at, "Topology")
    topo = next(c.value for c in at.caption if c.value.startswith("The graph draws"))
    assert f"of {institutions:,} and" in topo, topo
    assert "hover any node for its name" in topo
