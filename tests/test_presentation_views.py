"""Saved views with stable identities: the Present page's editor acts on the view, never on its
slot (move, rename after a move, duplicate, remove), and the pack never merges two views."""
from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import pack
from asemus_data.errors import InputError
from asemus_data.presentation import Sequence, View

NAMES = ["Overview", "Japanese prints", "Chinese ceramics in European museums"]
PAGES3 = ["overview", "collections_map", "network"]


def _three() -> Sequence:
    return Sequence("t", [View(n, p) for n, p in zip(NAMES, PAGES3)])


# --- the model ----------------------------------------------------------------------------------
def test_views_get_distinct_ids_that_survive_json():
    s = _three()
    assert len({v.id for v in s.views}) == 3 and all(len(v.id) == 32 for v in s.views)
    back = Sequence.from_json(s.to_json())
    assert [v.id for v in back.views] == [v.id for v in s.views]


def test_old_json_without_ids_gets_ids_and_copied_ids_are_replaced():
    old = {"version": 1, "title": "x", "views": [{"name": "a", "page": "overview"},
                                                  {"name": "b", "page": "network"}]}
    s = Sequence.from_json(json.dumps(old))
    assert all(v.id for v in s.views) and s.views[0].id != s.views[1].id
    twin = {"views": [{"name": "a", "page": "overview", "id": "same"},
                      {"name": "b", "page": "network", "id": "same"}]}
    s = Sequence.from_json(json.dumps(twin))
    assert s.views[0].id == "same" and s.views[1].id not in ("", "same")


def test_operations_act_on_the_view_not_the_slot():
    s = _three()
    a, b, c = (v.id for v in s.views)
    s.move_view(c, -1)
    assert [v.id for v in s.views] == [a, c, b]
    s.rename(c, "  Ceramics  ")
    assert [v.name for v in s.views] == ["Overview", "Ceramics", "Japanese prints"]
    s.rename(c, "   ")  # blank: ignored
    assert s.get(c).name == "Ceramics"
    s.get(c).params.update(region="Europe", ties="a")
    s.keep_params(c, ["ties"])
    s.set_note(c, "  Mine.  ")
    assert (s.get(c).params, s.get(c).note) == ({"ties": "a"}, "Mine.")
    copy = s.duplicate(c)
    assert [v.id for v in s.views] == [a, c, copy.id, b]
    assert copy.name == "Ceramics (copy)" and copy.page == "network" and copy.id != c
    copy.params["region"] = "Asia"
    assert "region" not in s.get(c).params  # the copy's state is its own
    assert s.remove(c) == copy.id  # the view now in its place
    assert [v.id for v in s.views] == [a, copy.id, b]
    assert s.remove(b) == copy.id  # last one removed: the previous one
    with pytest.raises(KeyError):
        s.get(b)


# --- the page -----------------------------------------------------------------------------------
@pytest.fixture()
def at(built_store, clear_streamlit_caches):
    app = AppTest.from_file("../app.py", default_timeout=180)
    app.run()
    app.session_state["asemus_sequence"] = _three()
    app.switch_page("pages/presentation.py").run()
    assert not app.exception
    return app


def _views(at):
    return at.session_state["asemus_sequence"].views


def _select(at, pos: int):
    at.selectbox(key="pres_pick").set_value(pos).run()
    assert not at.exception


def _name_box(at):
    boxes = [t for t in at.text_input if str(t.key).startswith("pres_name_")]
    assert len(boxes) == 1
    return boxes[0]


def test_move_up_keeps_the_selection_on_the_moved_view(at):
    before = [v.id for v in _views(at)]
    _select(at, 2)
    at.button(key="pres_up").click().run()
    assert not at.exception
    assert [v.name for v in _views(at)] == [NAMES[0], NAMES[2], NAMES[1]]
    assert at.selectbox(key="pres_pick").value == 1  # followed the view to slot 2
    assert _name_box(at).value == NAMES[2]
    assert _name_box(at).key == f"pres_name_{before[2]}"
    at.button(key="pres_up").click().run()
    assert [v.name for v in _views(at)] == [NAMES[2], NAMES[0], NAMES[1]]
    assert at.button(key="pres_up").disabled
    # the old bug: the next run wrote the slot's old name onto the view that moved in
    at.run()
    assert sorted(v.name for v in _views(at)) == sorted(NAMES)


def test_move_down(at):
    _select(at, 0)
    at.button(key="pres_down").click().run()
    assert [v.name for v in _views(at)] == [NAMES[1], NAMES[0], NAMES[2]]
    assert at.selectbox(key="pres_pick").value == 1
    at.button(key="pres_down").click().run()
    assert [v.name for v in _views(at)] == [NAMES[1], NAMES[2], NAMES[0]]
    assert at.button(key="pres_down").disabled


def test_rename_after_move_renames_the_moved_view_only(at):
    _select(at, 2)
    at.button(key="pres_up").click().run()
    _name_box(at).input("Ceramics in Europe").run()
    assert not at.exception
    assert [v.name for v in _views(at)] == [NAMES[0], "Ceramics in Europe", NAMES[1]]
    assert [v.page for v in _views(at)] == ["overview", "network", "collections_map"]


def test_duplicate_then_remove(at):
    _select(at, 1)
    at.button(key="pres_duplicate").click().run()
    assert not at.exception
    views = _views(at)
    assert [v.name for v in views] == [NAMES[0], NAMES[1], f"{NAMES[1]} (copy)", NAMES[2]]
    assert views[2].id != views[1].id and views[2].page == views[1].page
    assert at.selectbox(key="pres_pick").value == 2  # the copy, ready to rename
    _name_box(at).input("Prints, second look").run()
    assert [v.name for v in _views(at)][1:3] == [NAMES[1], "Prints, second look"]
    at.button(key="pres_remove").click().run()
    assert not at.exception
    assert [v.name for v in _views(at)] == [NAMES[0], NAMES[1], NAMES[2]]
    assert at.selectbox(key="pres_pick").value == 2  # the view that took its place
    assert _name_box(at).value == NAMES[2]


def test_presented_view_stays_on_screen_when_reordered(at):
    at.button(key="pres_next").click().run()
    assert at.header[0].value == NAMES[1]
    _select(at, 1)
    at.button(key="pres_down").click().run()
    assert at.header[0].value == NAMES[1]
    assert "View 3 of 3" in " ".join(m.value for m in at.markdown)
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert keys  # chart widgets exist, keyed by the view id (no duplicate-key error)


# --- the pack -----------------------------------------------------------------------------------
def _chart(key: str, n: int) -> pack.Chart:
    fig = go.Figure(go.Bar(x=["Asia", "Europe"], y=[n, n + 1]))
    return pack.Chart(key, key.title(), fig, pd.DataFrame({"region": ["Asia", "Europe"], "n": [n, n + 1]}),
                      "A caption.", "https://example.org/source", f"{n} in Asia.")


def test_folders_are_unique_per_view():
    assert pack.folders(["Ceramics", "Ceramics", "ceramics!", "Ceramics 2", "", "Geo"]) == \
        ["ceramics", "ceramics-2", "ceramics-3", "ceramics-2-2", "chart", "geo-2"]


def test_two_views_with_the_same_name_keep_their_own_files():
    views = [("Ceramics", "first", [_chart("bar", 10)]), ("Ceramics", "second", [_chart("bar", 20)])]
    data, _report = pack.build_pack(views, images=False)
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    assert len(names) == len(set(names))  # no duplicate entries in the zip
    first = pd.read_csv(io.BytesIO(z.read("ceramics/bar.csv")), comment="#", encoding="utf-8-sig")
    second = pd.read_csv(io.BytesIO(z.read("ceramics-2/bar.csv")), comment="#", encoding="utf-8-sig")
    assert first["n"].tolist() == [10, 11] and second["n"].tolist() == [20, 21]
    assert "20 in Asia." in z.read("ceramics-2/bar.txt").decode()
    from pptx import Presentation
    assert len(Presentation(io.BytesIO(z.read("slides.pptx"))).slides) == 1 + 2


# --- per-page view state (filters set for one page never leak into another page's view) ----------
def test_page_state_keeps_only_the_filters_a_page_applies():
    from asemus_data.presentation import describe_state, page_state
    url = {"region": "Europe", "origin": "CHN", "category": "ceramics", "period": "1600..1900",
           "ties": "educational exchange", "q": "museum"}
    assert page_state("network", url) == {"region": "Europe", "ties": "educational exchange",
                                          "q": "museum"}
    assert page_state("exhibitions", url) == {"region": "Europe", "ties": "educational exchange",
                                              "q": "museum"}
    assert page_state("collections_map", url) == url
    assert describe_state({"ties": "a,b", "origin": "CHN,JPN"}) == ["origin: CHN, JPN", "ties: a, b"]


def test_old_files_lose_filters_their_page_never_applied():
    old = {"views": [{"name": "n", "page": "network",
                      "params": {"region": "Europe", "origin": "CHN", "category": "ceramics"}}]}
    assert Sequence.from_json(json.dumps(old)).views[0].params == {"region": "Europe"}


@pytest.fixture()
def app(built_store, clear_streamlit_caches):
    a = AppTest.from_file("../app.py", default_timeout=180)
    a.run()
    return a


def test_collections_filters_stay_out_of_a_network_view_and_the_dialog_says_so(app):
    app.switch_page("pages/collections_map.py").run()
    app.multiselect(key="flt_regions").set_value(["Europe"]).run()
    app.multiselect(key="flt_origins").set_value(["CHN"]).run()
    app.multiselect(key="flt_categories").set_value(["ceramics"]).run()
    app.button(key="sv_save").click().run()
    app.switch_page("pages/network.py").run()
    assert not app.exception
    dialog = " ".join(m.value for m in app.sidebar.markdown)
    assert "region: Europe" in dialog
    assert "Not saved (this page does not use them): origin, category." in dialog
    app.text_input(key="sv_name").input("Who bridges").run()
    app.button(key="sv_save").click().run()
    assert not app.exception
    cm, nw = app.session_state["asemus_sequence"].views
    assert cm.params["origin"] == "CHN" and cm.params["category"] == "ceramics"
    assert {k: v for k, v in nw.params.items() if k in ("region", "origin", "category")} == \
        {"region": "Europe"}


def _exhibitions_in(region: str) -> tuple[int, int]:
    """Exhibitions with a venue or partner in ``region`` and all their venues, from the CSVs."""
    from asemus_data.paths import DATA_DIR
    inst = pd.read_csv(DATA_DIR / "institutions.csv")
    ven = pd.read_csv(DATA_DIR / "exhibition_venues.csv")
    par = pd.read_csv(DATA_DIR / "exhibition_participants.csv")
    ids = set(inst.loc[inst["region"] == region, "id"])
    keep = set(ven.loc[ven["institution_id"].isin(ids), "exhibition_id"]) | \
        set(par.loc[par["institution_id"].isin(ids), "exhibition_id"])
    return len(keep), int(ven["exhibition_id"].isin(keep).sum())


def test_exhibitions_slide_applies_the_institution_filters(con):
    from asemus_data import slides
    n_ex, n_ven = _exhibitions_in("Asia")
    from asemus_data.paths import DATA_DIR
    everything = pd.read_csv(DATA_DIR / "exhibitions.csv")
    assert n_ex < len(everything)  # the filter really narrows the data
    cap, charts = slides.view_charts(con, View("E", "exhibitions", {"region": "Asia"}))
    assert cap.startswith(f"{n_ex} documented exhibitions at {n_ven} venues")
    assert "region: Asia" in cap
    assert charts[0].summary == f"{n_ex} documented exhibitions, {n_ven} venues."


def test_saved_view_can_be_edited_after_saving(app):
    app.session_state["asemus_sequence"] = Sequence("t", [View(
        "Ceramics", "collections_map", {"region": "Europe", "origin": "CHN", "layers": "museums"})])
    app.switch_page("pages/presentation.py").run()
    vid = app.session_state["asemus_sequence"].views[0].id
    state = app.multiselect(key=f"pres_state_{vid}")
    assert state.value == ["region", "origin", "layers"]
    assert "origin: CHN" in state.options
    state.unselect("origin").run()
    assert not app.exception
    view = app.session_state["asemus_sequence"].views[0]
    assert view.params == {"region": "Europe", "layers": "museums"}
    assert "Museums in Europe" in " ".join(m.value for m in app.markdown)
    app.text_input(key=f"pres_name_{vid}").input("Everything in Europe").run()
    app.text_area(key=f"pres_note_{vid}").input("Where the objects are.").run()
    assert not app.exception
    view = app.session_state["asemus_sequence"].views[0]
    assert (view.name, view.note) == ("Everything in Europe", "Where the objects are.")
    assert app.header[0].value == "Everything in Europe"
    assert "Where the objects are." in [m.value for m in app.markdown]
    assert any("Museums in Europe" in c.value for c in app.caption)  # counts and source kept


# --- sequences kept in the store, reopened by a link ---------------------------------------------
def test_store_round_trip_replace_and_names(fresh_store):
    import duckdb

    from asemus_data import presentation as pr
    c = duckdb.connect(str(fresh_store), read_only=True)
    assert pr.stored_sequences(c) == [] and pr.load_sequence(c, "GC") is None  # no table yet
    c.close()
    seq = _three()
    assert pr.save_sequence(seq, "  GC 2026, Leiden  ", store=fresh_store) == "GC 2026, Leiden"
    seq.rename(seq.views[0].id, "Renamed")
    pr.save_sequence(seq, "GC 2026, Leiden", store=fresh_store)  # same name: replaced
    pr.save_sequence(Sequence("other", [View("x", "network")]), "Other", store=fresh_store)
    c = duckdb.connect(str(fresh_store), read_only=True)
    rows = c.execute("SELECT name, json FROM sequences ORDER BY name").fetchall()
    assert [r[0] for r in rows] == ["GC 2026, Leiden", "Other"]
    back = pr.load_sequence(c, "GC 2026, Leiden")
    assert [v.name for v in back.views] == ["Renamed", *NAMES[1:]]
    assert [v.id for v in back.views] == [v.id for v in seq.views]
    assert {n for n, _ in pr.stored_sequences(c)} == {"GC 2026, Leiden", "Other"}
    c.close()
    for bad in ("", "   ", "a/b", "x" * 81, "<script>"):
        with pytest.raises(InputError, match="sequence name"):
            pr.save_sequence(seq, bad, store=fresh_store)
    assert pr.sequence_link("GC 2026, Leiden") == "/presentation?sequence=GC%202026%2C%20Leiden"


def test_staff_saves_a_sequence_and_a_link_reopens_it_after_a_reload(fresh_store, monkeypatch,
                                                                     clear_streamlit_caches):
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", "s3cret")
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.run()
    at.session_state["asemus_sequence"] = _three()
    at.switch_page("pages/presentation.py").run()
    assert not any(b.key == "pres_store_save" for b in at.button)  # not before the password
    at.text_input(key="pres_staff_pw").input("s3cret").run()
    at.text_input(key="pres_store_name").input("GC/2026").run()
    at.button(key="pres_store_save").click().run()
    assert not at.exception and any("sequence name" in e.value for e in at.error)
    at.text_input(key="pres_store_name").input("GC 2026").run()
    at.button(key="pres_store_save").click().run()
    assert not at.exception
    assert any("Saved as 'GC 2026' (3 views)" in s.value for s in at.success)
    assert at.query_params["sequence"] in ("GC 2026", ["GC 2026"])  # a reload reopens it
    ids = [v.id for v in at.session_state["asemus_sequence"].views]

    # a reload: a new session with only the link, and no staff password given
    monkeypatch.delenv("ASEMUS_STAFF_PASSWORD")
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()
    again = AppTest.from_file("../app.py", default_timeout=180)
    again.query_params["sequence"] = "GC 2026"
    again.run()
    again.switch_page("pages/presentation.py").run()
    assert not again.exception
    views = again.session_state["asemus_sequence"].views
    assert [v.name for v in views] == NAMES and [v.id for v in views] == ids
    assert again.header[0].value == NAMES[0]
    again.button(key="pres_next").click().run()
    assert again.query_params["slide"] in ("2", ["2"])
    links = " ".join(m.value for m in again.markdown)
    assert "[GC 2026](/presentation?sequence=GC%202026)" in links
    assert not any(b.key == "pres_store_save" for b in again.button)  # visitors cannot write

    # a reload mid-talk, at slide 3
    st.cache_resource.clear()
    third = AppTest.from_file("../app.py", default_timeout=180)
    third.query_params.update({"sequence": "GC 2026", "slide": "3"})
    third.run()
    third.switch_page("pages/presentation.py").run()
    assert not third.exception and third.header[0].value == NAMES[2]


def test_a_link_to_an_unknown_sequence_says_so(built_store, clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.query_params["sequence"] = "Nothing here"
    at.run()
    at.switch_page("pages/presentation.py").run()
    assert not at.exception
    assert any("No sequence is stored under the name 'Nothing here'" in w.value for w in at.warning)
    assert any("No views saved" in i.value for i in at.info)


def test_starting_the_sample_drops_a_broken_sequence_link(built_store, clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.query_params.update({"sequence": "Gone", "slide": "2"})
    at.run()
    at.switch_page("pages/presentation.py").run()
    at.button(key="pres_sample").click().run()
    assert not at.exception
    assert "sequence" not in at.query_params and "slide" not in at.query_params
    assert not at.warning  # the link no longer names the missing sequence
    assert at.header[0].value == "The network at a glance"


# --- slides: what a presented view shows ---------------------------------------------------------
def test_slide_source_line_names_sites_not_addresses():
    from asemus_data.slides import short_source
    assert short_source("meetings table; each row cites its source") == \
        "meetings table, each row cites its source"
    urls = "; ".join(f"https://www.site{i}.org/page/{i}" for i in range(5))
    assert short_source(urls) == "site0.org, site1.org, site2.org and 2 more"
    assert short_source("http://a.org/x; http://a.org/y") == "a.org"


def test_slide_caption_drops_only_the_dataset_line(con):
    from asemus_data import slides
    cap = slides.caption(con, View("o", "overview"))
    assert slides.DATASET in cap
    short = slides.slide_caption(cap)
    assert slides.DATASET not in short and short.startswith("Overview: ")
    assert short.rstrip(".") in cap


def test_slide_figure_cuts_long_labels_keeps_data_and_drops_fixed_size():
    from asemus_data import slides
    names = ["A very long exhibition title that would take half of a slide column",
             "Short", "Posing Questions: Being &amp; Image in Asia &amp; Europe and more"]
    fig = go.Figure(go.Bar(x=[3, 2, 1], y=names, orientation="h"))
    fig.update_layout(height=520, title="t")
    out = slides.slide_figure(fig)
    assert out.layout.height is None and not out.layout.title.text
    assert list(out.data[0].y) == names  # the data (and the hover) keep the whole names
    ticks = dict(zip(out.layout.yaxis.tickvals, out.layout.yaxis.ticktext))
    assert ticks["Short"] == "Short"
    for name in names[::2]:
        assert ticks[name].endswith("…") and len(ticks[name]) <= slides.LABEL_CHARS + 8
        assert "&amp…" not in ticks[name] and "&…" not in ticks[name]  # never cut inside "&amp;"
    assert fig.layout.height == 520  # the page's figure is left as it was


def test_network_slide_names_the_top_nodes_by_the_views_metric(con):
    from asemus_data import access, slides
    from asemus_data import network as net
    for params, metric in (({}, "brokerage"), ({"size_by": "betweenness"}, "betweenness")):
        topo, brokers = slides.view_charts(con, View("n", "network", params))[1]
        named = {str(t) for tr in topo.figure.data if tr.mode == "markers+text"
                 for t in tr.text if t}
        assert 0 < len(named) <= slides.NETWORK_LABELS
        # independently: the metrics of the whole (unfiltered) network, ranked
        G = net.build_graph(con.execute("SELECT * FROM institutions").df(), net.derive_ties(
            *[access.read_table(con, t) for t in  # as a visitor reads them, like the slides
              ("collaborations", "exhibition_participants", "exhibitions", "people", "vcm_stats")]))
        m = net.cached_metrics(G).nodes
        m = m[m["id"].isin(G.nodes)].sort_values([metric, "degree"], ascending=False)
        cutoff = m[metric].iloc[len(named) - 1]
        top = set(m.loc[m[metric] > cutoff, "name"])
        assert top <= named, (metric, top - named)
        # each chart says its own thing (the pack's notes and the slide captions)
        assert topo.summary != brokers.summary and "broker" in brokers.summary
        # the slide keeps the names where figures.network placed them, at slide type
        shown = slides.slide_figure(topo.figure)
        for before, after in zip(topo.figure.data, shown.data):
            if before.mode == "markers+text":
                assert after.textposition == before.textposition and after.text == before.text
                assert after.textfont.size == slides.SLIDE_FONT - 3


def test_brokers_chart_without_brokers_says_so(con):
    from asemus_data import slides
    # Europe only: no Asian institution, so nobody bridges the two regions
    brokers = slides.view_charts(con, View("n", "network", {"region": "Europe"}))[1][1]
    assert brokers.data.empty and brokers.figure.data[0].x is not None
    assert len(brokers.figure.data[0].x) == 0
    assert "No institution links Asia and Europe" in brokers.figure.layout.annotations[0].text
    assert brokers.summary.startswith("No institution")


def test_a_collections_view_saved_with_flows_draws_them_on_its_slide(built_store):
    """Issue 13: the collections slide ignored the saved flows layer."""
    import duckdb

    from asemus_data import slides
    con = duckdb.connect(str(built_store), read_only=True)
    try:
        plain = slides.view_charts(con, View("c", "collections_map", {}))[1][0]
        flows = slides.view_charts(con, View("c", "collections_map", {"layers": "museums,flows"}))[1][0]
    finally:
        con.close()
    assert [t.mode for t in plain.figure.data if t.mode == "lines"] == []
    lines = [t for t in flows.figure.data if t.mode == "lines"]
    assert len(lines) == 1 and flows.figure.data[0] is lines[0]  # drawn under the dots
    drawn = sum(v is None for v in lines[0].lon)  # one None after each flow
    assert drawn > 0 and f"the {drawn:,} largest origin -> museum flows" in flows.caption
