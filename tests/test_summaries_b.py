"""Network and Masterpieces pages: their own state in the URL (round trips, bad links, short
links), the text summaries under every chart (tiny hand-made graphs and frames, numbers checked
by hand), the colour-blind-safe palettes, and AppTest runs showing that a link preselects the
widgets and that a widget change is written back to the URL."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import masterpieces as mp
from asemus_data import network as net
from asemus_data.figures import masterpieces as fm
from asemus_data.figures import network as fn

#: Query keys the shared sidebar filters own (ui.write_query): page parameters must differ.
SHARED_KEYS = {"region", "country", "origin", "category", "material", "type", "member", "status",
               "period", "q"}
OKABE_ITO = {(0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0),
             (86, 180, 233), (240, 228, 66), (0, 0, 0)}
TYPES = ("educational exchange", "loan", "executive committee", "shared exhibition")
BOUNDS = (2001, 2017)


def _short(query: dict) -> dict:
    """What write_query puts in the URL (None means: leave the key out)."""
    return {k: v for k, v in query.items() if v not in (None, "")}


# --- network state ------------------------------------------------------------------------------
def test_net_state_round_trip():
    s = net.NetState(types=("educational exchange", "loan"), years=(2010, 2016),
                     scope="Asia-Europe ties only", institution="shanghai-museum", radius=2,
                     size_by="brokerage", color_by="community", as_of=2012)
    q = _short(s.to_query())
    assert q == {"ties": "educational exchange,loan", "years": "2010..2016", "scope": "cross",
                 "institution": "shanghai-museum", "reach": "2", "size_by": "brokerage",
                 "color_by": "community", "asof": "2012"}
    back, notices = net.NetState.from_query(q, types=TYPES, bounds=BOUNDS,
                                            institutions={"shanghai-museum"})
    assert back == s and notices == []


def test_net_state_defaults_are_not_written():
    assert _short(net.NetState().to_query()) == {}
    assert net.NetState.from_query({}) == (net.NetState(), [])
    # the widest year range is the default: a link naming it reads as "no range"
    assert net.NetState.from_query({"years": "2001..2017"}, bounds=BOUNDS)[0].years is None


def test_net_state_bad_values_dropped_with_a_notice():
    params = {"ties": "loan,bogus", "years": "2016..2010", "scope": "nowhere",
              "institution": "no-such", "reach": "3", "size_by": "height", "color_by": "pink",
              "asof": "soon"}
    s, notices = net.NetState.from_query(params, types=TYPES, bounds=BOUNDS,
                                         institutions={"shanghai-museum"})
    assert s == net.NetState(types=("loan",))
    assert len(notices) == 8
    text = " ".join(notices)
    for bad in ("bogus", "2016..2010", "nowhere", "no-such", "'3'", "height", "pink", "soon"):
        assert bad in text


def test_net_state_years_cut_to_the_data():
    s, notices = net.NetState.from_query({"years": "1990..2010", "asof": "2012"}, bounds=BOUNDS)
    assert s.years == (2001, 2010) and s.as_of == 2012 and notices == []
    s, notices = net.NetState.from_query({"asof": "2017"}, bounds=BOUNDS)
    assert s.as_of is None and notices == []  # the last year is the default
    s, notices = net.NetState.from_query({"asof": "2050"}, bounds=BOUNDS)
    assert s.as_of is None and "2050" in notices[0]
    s, notices = net.NetState.from_query({"years": "1900..1950"}, bounds=BOUNDS)
    assert s.years is None and len(notices) == 1  # no overlap with any tie: dropped


# --- masterpieces state ---------------------------------------------------------------------------
def test_explorer_state_round_trip_with_commas_in_a_culture():
    culture = "possibly from a monumental Quran in Tashkent, Uzbekistan"
    s = mp.ExplorerState(text="gold necklace", museums=("museo-giuseppe-tucci", "asian-civ"),
                         cultures=("Iranian", culture), vcm_only=True, page=3)
    q = _short(s.to_query())
    assert q == {"text": "gold necklace", "museums": "museo-giuseppe-tucci,asian-civ",
                 "cultures": f"Iranian|{culture}", "vcm": "1", "page": "3"}
    back, notices = mp.ExplorerState.from_query(
        q, museums={"museo-giuseppe-tucci", "asian-civ"}, cultures={"Iranian", culture})
    assert back == s and notices == []
    assert back.query == mp.Query("gold necklace", ("museo-giuseppe-tucci", "asian-civ"),
                                  ("Iranian", culture), True)


def test_explorer_state_defaults_and_bad_values():
    assert _short(mp.ExplorerState().to_query()) == {}
    s, notices = mp.ExplorerState.from_query(
        {"museums": "museo-giuseppe-tucci,nowhere", "cultures": "Martian", "vcm": "maybe",
         "page": "-2", "text": "x" * 300}, museums={"museo-giuseppe-tucci"}, cultures={"Iranian"})
    assert s == mp.ExplorerState(text="x" * 100, museums=("museo-giuseppe-tucci",))
    assert len(notices) == 4
    assert all(w in " ".join(notices) for w in ("nowhere", "Martian", "maybe", "-2"))


def test_explorer_state_changes_go_back_to_page_one():
    s = mp.ExplorerState(page=4)
    assert s.changed("page", 5).page == 5
    assert s.changed("text", "  gold ") == mp.ExplorerState(text="gold", page=1)
    assert s.changed("museums", ["a"]).museums == ("a",)
    assert s.within(2).page == 2 and s.within(9) is s


def test_page_parameters_do_not_clash_with_the_shared_filters():
    import ui
    for page in ("network", "masterpieces"):
        assert not set(ui.PAGE_PARAMS[page]) & SHARED_KEYS
    full_net = net.NetState(("loan",), (2010, 2011), net.SCOPES[1], "x", 2, "pagerank",
                            "community", 2011)
    # net_tab: the open tab, bound to the URL by st.tabs itself
    assert set(_short(full_net.to_query())) | {"net_tab"} == set(ui.PAGE_PARAMS["network"])
    full_mp = mp.ExplorerState("t", ("m",), ("c",), True, 2)
    assert set(_short(full_mp.to_query())) == set(ui.PAGE_PARAMS["masterpieces"])


# --- network summaries on a hand-made graph -------------------------------------------------------
@pytest.fixture()
def small():
    """A (Asia) - B (Europe): educational exchange 2010 and loan 2012; B - C (Europe): committee
    2011; A - D (Asia, no location): shared exhibition 2014."""
    nodes = pd.DataFrame({"id": list("abcd"), "name": ["A", "B", "C", "D"],
                          "region": ["Asia", "Europe", "Europe", "Asia"],
                          "member_status": ["member"] * 4,
                          "latitude": [1.3, 52.1, 48.9, None],
                          "longitude": [103.8, 4.5, 2.3, None]})
    rows = [("a", "b", "educational exchange", 2010), ("a", "b", "loan", 2012),
            ("b", "c", "executive committee", 2011), ("a", "d", "shared exhibition", 2014)]
    ties = pd.DataFrame([dict(a=a, b=b, type=t, year_start=y, year_end=y, label=t, origin="x",
                              source="https://example.org", status="documented")
                         for a, b, t, y in rows], columns=net.TIE_COLUMNS)
    for c in ("year_start", "year_end"):
        ties[c] = ties[c].astype("Int64")
    return nodes, ties, net.build_graph(nodes, ties)


def test_arcs_summary(small):
    _, _, G = small
    assert fn.arcs_summary(G) == (
        "The map draws 2 tied pairs between 3 institutions (educational exchange 1, executive "
        "committee 1). 1 pair not drawn: an institution has no location.")
    assert fn.arcs_summary(net.build_graph(small[0], small[1][:0])) == "No ties match the filters."


def test_topology_summary(small):
    _, _, G = small
    m = net.node_metrics(G).nodes
    pos = {v: (0.0, 0.0) for v in G}
    text = fn.topology_summary(G, pos, m, "degree", "Institutions tied",
                               {"communities": 2, "modularity": 0.25})
    assert text == ("The graph draws 4 institutions of 4 and 3 tied pairs. Largest by "
                    "institutions tied: A (2), B (2), C (1). 2 communities of two or more "
                    "institutions (modularity 0.25).")
    assert fn.topology_summary(G, {}, m) == "No ties match the filters."


def test_ego_summary(small):
    _, _, G = small
    E, _ = net.ego(G, "a", 1)
    assert fn.ego_summary(E, "a", 1) == "A is tied to 2 institutions (1 in Asia, 1 in Europe)."
    E2, _ = net.ego(G, "a", 2)
    assert fn.ego_summary(E2, "a", 2) == (
        "A is tied to 2 institutions (1 in Asia, 1 in Europe). With its partners' ties the view "
        "holds 4 institutions and 3 tied pairs.")
    lone = net.build_graph(small[0], small[1][:0])
    assert fn.ego_summary(net.ego(lone, "c")[0], "c") == \
        "C has no documented tie under the current filters."


def test_growth_summary(small):
    nodes, ties, _ = small
    g = net.growth(ties, nodes)
    assert fn.growth_summary(g, 2011) == (
        "From 2010 to 2014 the institutions with a tie grew from 2 to 4 and tied pairs from 1 to "
        "3. As of 2011: 3 institutions, 2 tied pairs, 50% of them crossing Asia-Europe.")
    assert fn.growth_summary(g, 2005).endswith("No dated tie had begun by 2005.")
    assert fn.growth_summary(net.growth(ties[:0], nodes)) == "No dated ties match the filters."


# --- masterpieces and experts summaries ---------------------------------------------------------
def test_selection_sentence():
    s = dict(objects=1, vcm=1, museums=1, origins=1)
    assert mp.summary_sentence(s) == \
        "1 object (1 in the VCM) in 1 museum, from 1 country of origin."
    assert mp.summary_sentence(dict(objects=1200, vcm=3, museums=2, origins=0)) == \
        "1,200 objects (3 in the VCM) in 2 museums, from 0 countries of origin."


def test_makeup_summary():
    df = pd.DataFrame({"value": ["CHN", "JPN", None], "label": ["China", "Japan", "not stated"],
                       "n": [5, 3, 2]})
    assert fm.makeup_summary(df, "origin") == (
        "By origin: 10 objects in 3 groups; largest: China 5 (50%); Japan 3 (30%).")
    other = pd.DataFrame({"value": ["a", "b", None], "label": ["A", "B", "3 others"],
                          "n": [4, 3, 3]})
    assert "10 objects in 5 groups" in fm.makeup_summary(other, "category")
    assert fm.makeup_summary(df[:0], "origin") == "No objects match the filters."


def test_flows_summary():
    fl = pd.DataFrame({"origin_code": ["CHN", "CHN", "IRN"], "origin": ["China", "China", "Iran"],
                       "institution_id": ["x", "y", "x"], "museum": ["X", "Y", "X"],
                       "n": [6, 2, 1]})
    fl.attrs.update(pairs=3, unplaced=4)
    assert fm.flows_summary(fl) == (
        "The map draws 9 objects in 3 arcs, from 2 countries of origin to 2 museums; the largest "
        "flow is 6 objects from China to X. 4 objects not drawn (no country of origin or museum "
        "location).")
    empty = fl[:0].copy()
    empty.attrs.update(pairs=0, unplaced=0)
    assert fm.flows_summary(empty) == "No objects match the filters."


def test_vcm_growth_summary_keeps_qualifiers():
    dated = pd.DataFrame({
        "series": ["masterpieces", "masterpieces", "countries"],
        "when": pd.to_datetime(["2008-07-01", "2012-05-01", "2010-07-01"]),
        "value": [100, 1600, 37], "label": ["over 100", "over 1,600", "37"],
        "date_text": ["2008", "2012-05", None]})
    assert fm.growth_summary(dated) == ("Documented counts: masterpieces from over 100 (2008) to "
                                        "over 1,600 (2012-05); countries 37 (2010).")
    assert fm.growth_summary(dated[:0]) == "No dated VCM counts are documented."


def test_experts_summaries():
    fields = pd.DataFrame({"expertise": ["Buddhist art", "Japanese prints", "Metalwork"],
                           "n": [2, 3, 1]})
    assert fm.experts_bar_summary(fields, 4) == (
        "4 experts in 3 fields of expertise; most: Japanese prints (3), Buddhist art (2), "
        "Metalwork (1). An expert with two fields counts in each.")
    countries = pd.DataFrame({"country_code": ["JPN", "NLD"], "country": ["Japan", "Netherlands"],
                              "n": [3, 1], "latitude": [36.0, 52.0], "longitude": [138.0, 5.0]})
    countries.attrs["no_country"] = 2
    assert fm.experts_map_summary(countries) == (
        "The map places 4 experts in 2 countries; most in Japan (3), Netherlands (1). 2 experts "
        "not placed (no country stated or no map position).")


# --- colours --------------------------------------------------------------------
def test_tie_styles_are_okabe_ito_with_a_second_channel():
    styles = fn.TIE_STYLES
    hues = {tuple(c) for c, _ in styles.values()} - {tuple(fn.GREY)}
    assert hues <= OKABE_ITO and len(hues) <= 8
    assert len({(tuple(c), d) for c, d in styles.values()}) == len(styles)  # no two look alike
    legend = fn.legend_html(["co-organised exhibition", "loan"])
    assert "dashed" in legend and "solid" in legend


def test_topology_communities_use_symbols_past_seven_hues(small):
    _, _, G = small
    m = net.node_metrics(G).nodes.assign(community=[0, 7, 8, 9])
    fig = fn.topology_figure(G, {v: (0.0, 0.0) for v in G}, m, color_by="community")
    nodes = {t.name: t for t in fig.data if t.mode == "markers+text"}
    assert nodes["community 1"].marker.color == nodes["community 8"].marker.color
    assert nodes["community 1"].marker.symbol != nodes["community 8"].marker.symbol
    assert nodes["other communities"].marker.symbol == "circle-open"
    for t in nodes.values():
        assert t.marker.color in fn.COMMUNITY_COLORS + ["#999999"]


def test_growth_series_differ_beyond_hue(small):
    nodes, ties, _ = small
    fig = fn.growth_figure(net.growth(ties, nodes))
    assert len({(t.line.dash, t.marker.symbol) for t in fig.data}) == 3


# --- AppTest: links in, URL out -------------------------------------------------------------------
def _param(at, key):
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v


@pytest.fixture()
def app(built_store, clear_streamlit_caches):
    return AppTest.from_file("../app.py", default_timeout=120)


def test_network_link_preselects_and_widgets_write_the_url(app):
    app.query_params.update({"ties": "educational exchange,loan", "years": "2010..2016",
                             "reach": "2"})
    app.switch_page("pages/network.py").run()
    assert not app.exception
    assert app.multiselect(key="net_types").value == ["educational exchange", "loan"]
    assert app.slider(key="net_years").value == (2010, 2016)
    assert _param(app, "ties") == "educational exchange,loan"
    assert _param(app, "years") == "2010..2016"
    captions = ""
    for tab in ("Map", "Topology", "Over time", "One institution"):  # only the open tab runs
        app.session_state["net_tab"] = tab
        app.run()
        assert not app.exception
        captions += " ".join(c.value for c in app.caption)
    assert app.radio(key="net_radius").value == 2
    assert "The map draws" in captions and "The graph draws" in captions
    assert "From 20" in captions  # growth summary
    app.selectbox(key="net_scope").set_value("Asia-Europe ties only").run()
    assert not app.exception and _param(app, "scope") == "cross"
    app.session_state["net_tab"] = "Topology"
    app.run()
    app.selectbox(key="net_size").set_value("brokerage").run()
    assert _param(app, "size_by") == "brokerage"
    app.slider(key="net_years").set_value((2001, 2017)).run()  # back to the widest: left out
    assert not app.exception and _param(app, "years") is None
    assert app.multiselect(key="net_types").value == ["educational exchange", "loan"]


def test_network_bad_link_gets_a_notice(app):
    app.query_params.update({"ties": "bogus", "scope": "nowhere"})
    app.switch_page("pages/network.py").run()
    assert not app.exception
    notices = " ".join(t.value for t in app.toast)
    assert "bogus" in notices and "nowhere" in notices
    assert app.multiselect(key="net_types").value == []
    assert _param(app, "ties") is None and _param(app, "scope") is None


def test_masterpieces_link_preselects_and_widgets_write_the_url(app):
    app.query_params.update({"text": "gold", "museums": "museo-giuseppe-tucci"})
    app.switch_page("pages/masterpieces.py").run()
    assert not app.exception
    assert app.text_input(key="mp_q").value == "gold"
    assert app.multiselect(key="mp_museums").value == ["museo-giuseppe-tucci"]
    cards = [b.key for b in app.button if str(b.key).startswith("mp_card_")]
    assert cards == ["mp_card_vcm-sample-vcm-38"]  # the gold necklace
    captions = " ".join(c.value for c in app.caption)
    assert "The map draws 1 object" in captions and "By category: 1 object" in captions
    assert "Documented counts: masterpieces" in captions
    app.toggle(key="mp_vcm").set_value(True).run()
    assert not app.exception and _param(app, "vcm") == "1"
    app.text_input(key="mp_q").set_value("").run()
    assert _param(app, "text") is None and _param(app, "museums") == "museo-giuseppe-tucci"


def test_saved_view_keeps_the_network_state(app):
    app.query_params["ties"] = "educational exchange"
    app.switch_page("pages/network.py").run()
    app.button(key="sv_save").click().run()
    assert not app.exception
    view = app.session_state["asemus_sequence"].views[-1]
    assert view.page == "network" and view.params.get("ties") == "educational exchange"
