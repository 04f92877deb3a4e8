"""Tests for asemus_data.network: metrics checked against small graphs worked out by hand, tie
derivation (projection weights, committee years, VCM trustees) and the exports."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python  # noqa: E402

from asemus_data import network as net  # noqa: E402
from asemus_data import store  # noqa: E402
from asemus_data.figures import network as fig  # noqa: E402


def _nodes(spec: dict[str, str], member: str = "member") -> pd.DataFrame:
    return pd.DataFrame({"id": list(spec), "name": [f"Museum {k}" for k in spec],
                         "region": list(spec.values()), "member_status": member})


def _ties(pairs, type_="joint project", year=2010) -> pd.DataFrame:
    return pd.DataFrame([dict(a=min(a, b), b=max(a, b), type=type_, year_start=year,
                              year_end=year, label="p", origin="collaboration",
                              source=f"http://example.org/{a}-{b}", status="documented")
                         for a, b in pairs], columns=net.TIE_COLUMNS)


@pytest.fixture()
def path3():
    """A - X - E: Asian, middle (Asian), European."""
    return net.build_graph(_nodes({"A": "Asia", "X": "Asia", "E": "Europe"}),
                           _ties([("A", "X"), ("X", "E")]))


@pytest.fixture()
def star():
    """Centre C (Europe) with four Asian leaves."""
    return net.build_graph(_nodes({"C": "Europe", "1": "Asia", "2": "Asia", "3": "Asia",
                                   "4": "Asia"}), _ties([("C", k) for k in "1234"]))


@pytest.fixture()
def bridge():
    """Triangles 1-2-3 (Asia) and 4-5-6 (Europe) joined by the bridge 3-4, plus an isolated
    member 7 (Europe)."""
    nodes = _nodes({"1": "Asia", "2": "Asia", "3": "Asia", "4": "Europe", "5": "Europe",
                    "6": "Europe", "7": "Europe"})
    return net.build_graph(nodes, _ties([("1", "2"), ("2", "3"), ("1", "3"), ("3", "4"),
                                         ("4", "5"), ("5", "6"), ("4", "6")]))


def _m(res, col):
    return dict(zip(res.nodes["id"], res.nodes[col]))


# --- metrics by hand ------------------------------------------------------------------------------
def test_path_of_three(path3):
    res = net.node_metrics(path3)
    assert _m(res, "degree") == {"A": 1, "X": 2, "E": 1}
    # the middle node is on the only shortest path of the one pair (A, E): 1 of 1 pairs
    assert _m(res, "betweenness") == {"A": 0.0, "X": 1.0, "E": 0.0}
    assert _m(res, "brokerage")["X"] == pytest.approx(1.0)
    assert res.summary["density"] == pytest.approx(2 / 3)
    # ties: A-X within Asia, X-E across: E-I = (1 - 1) / 2 = 0
    assert res.summary["cross_share"] == pytest.approx(0.5)
    assert res.summary["ei_index"] == pytest.approx(0.0)
    assert set(_m(res, "k_core").values()) == {1}
    assert res.summary["components"] == 1


def test_star(star):
    res = net.node_metrics(star)
    assert _m(res, "degree")["C"] == 4
    # all C(4,2) = 6 leaf pairs pass through the centre: normalised 6 / 6
    assert _m(res, "betweenness")["C"] == pytest.approx(1.0)
    assert _m(res, "betweenness")["1"] == 0.0
    assert res.summary["density"] == pytest.approx(4 / 10)
    assert res.summary["cross_share"] == 1.0 and res.summary["ei_index"] == 1.0
    # the centre is European, so it brokers no Asian-European pair (it is an end of each)
    assert _m(res, "brokerage")["C"] == 0.0
    assert _m(res, "clustering")["C"] == 0.0


def test_two_triangles_and_a_bridge(bridge):
    res = net.node_metrics(bridge)
    s = res.summary
    assert _m(res, "degree") == {"1": 2, "2": 2, "3": 3, "4": 3, "5": 2, "6": 2, "7": 0}
    # 3 lies on the paths of {1,2} x {4,5,6} = 6 pairs; n = 7, so normalise by 6*5/2 = 15
    assert _m(res, "betweenness")["3"] == pytest.approx(6 / 15)
    assert _m(res, "betweenness")["4"] == pytest.approx(6 / 15)
    assert _m(res, "betweenness")["1"] == 0.0
    # brokerage of 3: Asian {1,2} x European {4,5,6} = 6; of 4: {1,2,3} x European {5,6,7}:
    # 7 is unreachable, so {1,2,3} x {5,6} = 6
    assert _m(res, "brokerage")["3"] == pytest.approx(6.0)
    assert _m(res, "brokerage")["4"] == pytest.approx(6.0)
    assert _m(res, "brokerage")["5"] == 0.0
    assert s["density"] == pytest.approx(7 / 21)
    assert s["cross_ties"] == 1 and s["cross_share"] == pytest.approx(1 / 7)
    assert s["ei_index"] == pytest.approx((1 - 6) / 7)
    assert s["isolated_members"] == 1 and s["isolates_share"] == pytest.approx(1 / 7)
    assert _m(res, "k_core") == {"1": 2, "2": 2, "3": 2, "4": 2, "5": 2, "6": 2, "7": 0}
    assert s["components"] == 2 and s["largest_component"] == 6
    assert _m(res, "component")["7"] == 1
    assert _m(res, "clustering")["3"] == pytest.approx(1 / 3)
    comm = _m(res, "community")
    assert comm["1"] == comm["2"] == comm["3"] != comm["4"] == comm["5"] == comm["6"]
    # Q = 2 * (3/7 - (7/14)^2)
    assert s["modularity"] == pytest.approx(2 * (3 / 7 - 0.25))


def test_isolates_count_only_members():
    # members as on the Overview (overview.network_group): not a venue, not a documented role
    nodes = pd.concat([_nodes({"a": "Asia", "b": "Europe", "c": "Asia"}),
                       _nodes({"venue": "Asia"}, member="not documented"),
                       _nodes({"role": "Europe"}, member="documented role")])
    res = net.node_metrics(net.build_graph(nodes, _ties([("a", "b")])))
    assert res.summary["members"] == 3 and res.summary["isolated_members"] == 1


def test_pagerank_matches_networkx(bridge):
    ours, ref = net.pagerank(bridge), _pagerank_python(bridge, weight="weight")
    for v in bridge:
        assert ours[v] == pytest.approx(ref[v], abs=1e-6)
    assert sum(ours.values()) == pytest.approx(1.0)


def test_cached_metrics_same_object_for_same_content(bridge):
    first = net.cached_metrics(bridge)
    again = net.cached_metrics(bridge.copy())
    assert first is again


def test_reading_names_top_institution_and_broker(bridge):
    lines = net.reading(net.node_metrics(bridge))
    assert lines[0] == "Museum 3 ties more institutions than any other (3)."
    assert "Museum 3 is the strongest Asia-Europe broker" in lines[1]
    assert "1 of 7 ASEMUS members (14%) have no documented tie." in lines
    assert any(line.startswith("14% of ties link an Asian and a European") and "-0.71" in line
               for line in lines)
    assert lines[-1] == "The 6 tied institutions form 1 separate group; the largest holds 6."


def test_reading_with_no_ties():
    res = net.node_metrics(net.build_graph(_nodes({"a": "Asia"}), _ties([])))
    assert net.reading(res) == ["No ties are documented under the current filters."]


# --- deriving ties ---------------------------------------------------------------------------------
def test_projection_weights_are_shared_projects():
    parts = pd.DataFrame({"exhibition_id": ["x", "x", "x", "y", "y", "z"],
                          "institution_id": ["a", "b", "c", "a", "b", "c"]})
    P = net.projection(parts)
    assert P["a"]["b"]["weight"] == 2 and P["a"]["c"]["weight"] == 1
    assert P["b"]["c"]["weight"] == 1 and P.number_of_edges() == 3


def test_exhibition_ties_one_row_per_shared_exhibition():
    parts = pd.DataFrame({"exhibition_id": ["x", "x", "y", "y"], "institution_id": ["a", "b"] * 2,
                          "role": "partner", "source": ["s1", "s2", "s3", "s4"],
                          "status": "documented"})
    ex = pd.DataFrame({"id": ["x", "y"], "title": ["X", "Y"], "start_date": ["2008-02", None],
                       "end_date": ["2009-03", None], "status": "documented"})
    t = net.exhibition_ties(parts, ex)
    assert len(t) == 2 and set(t["label"]) == {"X", "Y"}
    x = t[t["label"] == "X"].iloc[0]
    assert (x["year_start"], x["year_end"], x["source"]) == (2008, 2009, "s1; s2")
    assert t[t["label"] == "Y"]["year_start"].isna().all()  # unknown stays unknown
    G = net.build_graph(_nodes({"a": "Asia", "b": "Europe"}), t)
    assert G["a"]["b"]["weight"] == 2


def test_committee_ties_by_shared_year():
    people = pd.DataFrame({
        "kind": ["committee", "committee", "committee", "committee", "expert"],
        "institution_id": ["a", "b", "c", None, "d"],
        "start_year": [2005, 2008, 2011, 2008, 2008], "end_year": [2008, 2008, None, 2008, 2008],
        "source": ["sa", "sb", "sc", "sx", "sd"]}).astype({"start_year": "Int64",
                                                           "end_year": "Int64"})
    t = net.committee_ties(people)
    # a (2005-2008) and b (2008 meeting) overlap in 2008; c has no end year: 2011 only
    assert len(t) == 1
    r = t.iloc[0]
    assert (r["a"], r["b"], r["type"], r["year_start"], r["year_end"]) == \
        ("a", "b", "executive committee", 2008, 2008)
    assert r["source"] == "sa; sb" and "2008" in r["label"]


def test_vcm_trustees_form_a_clique():
    vcm = pd.DataFrame({"record_type": ["trustee"] * 3 + ["statistic"],
                        "institution_id": ["a", "b", "c", "d"], "year": [2007] * 4,
                        "date_text": ["c.2007-2008 (MOU)"] * 4, "source": "s",
                        "status": "documented"})
    t = net.vcm_ties(vcm)
    assert len(t) == 3 and set(t["type"]) == {"virtual collection partnership"}
    assert set(zip(t["year_start"], t["year_end"])) == {(2007, 2008)}


def test_multi_type_pair_keeps_lists():
    t = pd.concat([_ties([("a", "b")], "loan", 2008), _ties([("a", "b")], "training", 2012)])
    G = net.build_graph(_nodes({"a": "Asia", "b": "Europe"}), t)
    d = G["a"]["b"]
    assert d["types"] == ["loan", "training"] and d["weight"] == 2
    assert (d["year_start"], d["year_end"]) == (2008, 2012)
    assert fig.main_type(d["types"]) == "loan"


def test_filters_years_types_scope():
    nodes = _nodes({"a": "Asia", "b": "Europe", "c": "Asia"})
    t = pd.concat([_ties([("a", "b")], "loan", 2008), _ties([("a", "c")], "training", 2015),
                   _ties([("b", "c")], "loan", None)])
    assert len(net.filter_ties(t, nodes)) == 3
    assert len(net.filter_ties(t, nodes, years=(2007, 2010))) == 1  # undated drops out
    assert len(net.filter_ties(t, nodes, types=["training"])) == 1
    assert len(net.filter_ties(t, nodes, scope="Asia-Europe ties only")) == 2
    assert len(net.filter_ties(t, nodes, scope="ties within a region")) == 1
    assert len(net.filter_ties(t, nodes[nodes["id"] != "c"])) == 1
    assert len(net.as_of(t, 2010)) == 1


def test_since_last_gc_and_growth():
    nodes = _nodes({"a": "Asia", "b": "Europe", "c": "Asia"})
    t = pd.concat([_ties([("a", "b")], "loan", 2008), _ties([("a", "c")], "training", 2015)])
    ch = net.since_last_gc(t, nodes, 2016, [2004, 2010, 2016])
    assert ch.previous_gc == 2010
    assert list(ch.new_ties["institution_b"]) == ["Museum c"]
    assert list(ch.newly_tied["institution"]) == ["Museum c"]
    assert set(ch.movers["institution"]) >= {"Museum c"}
    g = net.growth(t, nodes)
    assert list(g["year"]) == list(range(2008, 2016))
    assert g.iloc[0][["institutions", "ties", "cross_share"]].tolist() == [2, 1, 1.0]
    assert g.iloc[-1][["institutions", "ties", "cross_share"]].tolist() == [3, 2, 0.5]


def test_ego_steps(bridge):
    E, df = net.ego(bridge, "1", 1)
    assert set(E) == {"1", "2", "3"} and set(df["step"]) == {1} and len(df) == 2
    E2, df2 = net.ego(bridge, "1", 2)
    assert set(E2) == {"1", "2", "3", "4"} and sorted(df2["step"]) == [1, 1, 2, 2]


def test_layout_caps_nodes_and_is_seeded():
    edges = tuple((str(i), str(i + 1), 1) for i in range(30))
    nodes = tuple(str(i) for i in range(31))
    assert net.layout(nodes, edges) == net.layout(nodes, edges)
    assert len(net.layout(nodes, edges, max_nodes=10)) == 10
    assert "99" not in net.layout(nodes + ("99",), edges)  # an isolate is not placed


def test_figures_build(bridge):
    res = net.node_metrics(bridge)
    pos = net.layout(tuple(bridge), tuple(bridge.edges(data="weight")))
    f = fig.topology_figure(bridge, pos, res.nodes, size_by="brokerage", color_by="community")
    names = [t.name for t in f.data]
    assert "joint project" in names
    d = fig.arcs_deck(net.build_graph(_nodes({"a": "Asia", "b": "Europe"}).assign(
        name=["<img src=x onerror=alert(1)>", "B"], latitude=[1.0, 50.0], longitude=[100.0, 5.0]),
        _ties([("a", "b")])))
    js = d.to_json()
    # the name as written, escaped once by Streamlit (tests/test_security_text.py), never here
    assert "<img src=x" in js and "&lt;img" not in js
    arcs = [layer for layer in json.loads(js)["layers"] if layer["@@type"] == "ArcLayer"]
    assert arcs and arcs[0]["greatCircle"] is True


# --- on the built-in data ---------------------------------------------------------------------------
@pytest.fixture()
def real(con):
    T = lambda t: store.read_table(con, t)  # noqa: E731
    ties = net.derive_ties(T("collaborations"), T("exhibition_participants"), T("exhibitions"),
                           T("people"), T("vcm_stats"))
    return ties, net.build_graph(T("institutions"), ties)


def test_builtin_ties_have_every_origin_and_a_source(real):
    ties, G = real
    assert set(ties["origin"]) == set(net.ORIGINS)
    assert ties["source"].str.startswith("http").all()
    d = G["chester-beatty-library"]["islamic-arts-museum-malaysia"]
    assert "educational exchange" in d["types"] and d["year_start"] == 2006


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trip(real, fmt):
    _, G = real
    res = net.node_metrics(G)
    data = net.graphml_bytes(G, res.nodes) if fmt == "graphml" else net.gexf_bytes(G, res.nodes)
    H = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    u, v = "chester-beatty-library", "islamic-arts-museum-malaysia"
    assert "educational exchange" in H[u][v]["types"] and "http" in H[u][v]["sources"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_betweenness_and_brokerage_match_networkx(seed):
    import random
    G = nx.gnm_random_graph(40, 80, seed=seed)
    G.add_edge(100, 101)  # a second component
    rnd = random.Random(seed)
    for v in G:
        G.nodes[v]["region"] = rnd.choice(["Asia", "Europe", "other"])
    btw, brk = net.betweenness_and_brokerage(G)
    ref = nx.betweenness_centrality(G)
    asia = [v for v in G if G.nodes[v]["region"] == "Asia"]
    europe = [v for v in G if G.nodes[v]["region"] == "Europe"]
    # networkx halves subset betweenness on undirected graphs; we count each pair once
    ref_brk = nx.betweenness_centrality_subset(G, asia, europe, normalized=False)
    for v in G:
        assert btw[v] == pytest.approx(ref[v], abs=1e-12)
        assert brk[v] == pytest.approx(2 * ref_brk[v], abs=1e-9)
