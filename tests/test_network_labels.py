"""The network graphs people can read: names placed where they overlap no other name and are not
cut at the edge (``figures.label_place``), the crowded centre evened out, the ego view on rings,
zoom and pan left on. The drawn boxes are checked in the browser too (tests/test_browser.py)."""
from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from asemus_data import access, store
from asemus_data import network as net
from asemus_data.figures import label_place as lp
from asemus_data.figures import network as fig
from asemus_data.filters import Filters


def _boxes_from_figure(f) -> list[tuple[str, tuple]]:
    """Every drawn name of a graph figure with its box (px), from the figure itself: the
    axis ranges, the height less the margins and the narrow plot width it was laid out for."""
    h = f.layout.height - f.layout.margin.t - f.layout.margin.b
    frame = lp.Frame(tuple(f.layout.xaxis.range), tuple(f.layout.yaxis.range), fig.PLOT_WIDTH, h)
    out = []
    for t in f.data:
        if t.mode != "markers+text":
            continue
        sizes = list(t.marker.size) if np.ndim(t.marker.size) else [t.marker.size] * len(t.x)
        for x, y, s, text, pos in zip(t.x, t.y, sizes, t.text, t.textposition):
            if text:
                px, py = frame.to_px(x, y)
                out.append((text, lp.label_box(px, py, s, text, fig.LABEL_FONT, pos)))
    return out, frame


def _assert_legible(boxes, frame):
    for text, b in boxes:
        assert b[0] >= 0 and b[1] >= 0 and b[2] <= frame.width and b[3] <= frame.height, \
            f"{text!r} is cut at the plot's edge: {b}"
    for (ta, a), (tb, b) in combinations(boxes, 2):
        assert not lp.overlaps(a, b), f"{ta!r} and {tb!r} overlap"


# --- the pure placement ---------------------------------------------------------------------------
def test_text_width_matches_the_font():
    """The width table is Liberation Sans's (the font the labels ask for), within 3%."""
    font = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
    if not font.exists():
        pytest.skip("fonts-liberation is not installed")
    from PIL import ImageFont
    f = ImageFont.truetype(str(font), 100)
    for s in ["National Museum of Korea", "musée du quai Branly", "MMMM iiii", "Weltmuseum Wien"]:
        assert lp.text_width(s, 100) == pytest.approx(f.getlength(s), rel=0.03), s
    assert lp.text_width("국립중앙박물관", 10) == 70  # CJK: a full em each


def test_placed_labels_never_overlap_nor_leave_the_plot():
    rng = random.Random(42)
    frame = lp.Frame((0, 1), (0, 1), 600, 400)
    names = ["National Museum of Korea", "Asian Civilisations Museum", "British Museum",
             "Weltmuseum Wien", "Museum Five Continents", "National Museum of the Philippines"]
    pts = [lp.Point(str(i), rng.random(), rng.random(), rng.choice([8, 14, 30]),
                    rng.choice(names)) for i in range(120)]
    placed = lp.place_labels(pts, frame, font=11)
    boxes = lp.placed_boxes(pts, frame, placed, 11)
    assert 10 < len(placed) < 120  # many fit, a crowd does not
    _assert_legible(list(boxes.items()), frame)
    # the most important come first: the first point always gets its name
    assert "0" in placed


def test_a_label_at_the_edge_turns_inwards_and_a_limit_is_kept():
    frame = lp.Frame((0, 1), (0, 1), 600, 400)
    left = lp.Point("a", 0.0, 0.5, 10, "A long institution name at the left edge")
    top = lp.Point("b", 0.5, 1.0, 10, "Top")
    placed = lp.place_labels([left, top], frame)
    assert placed["a"].endswith("right") and placed["b"].startswith("bottom")
    many = [lp.Point(str(i), i / 10, 0.5, 6, "x") for i in range(10)]
    assert len(lp.place_labels(many, frame, limit=3)) == 3
    assert lp.place_labels([lp.Point("c", 0.5, 0.5, 10, "W" * 200)], frame) == {}  # too wide


def test_labels_avoid_markers_when_they_can():
    frame = lp.Frame((0, 1), (0, 1), 600, 400)
    # a marker right above the labelled point: the name goes elsewhere than "top center"
    pts = [lp.Point("a", 0.5, 0.5, 10, "Name"), lp.Point("b", 0.5, 0.53, 20)]
    pos = lp.place_labels(pts, frame, outward=False)["a"]
    box = lp.placed_boxes(pts, frame, {"a": pos})["a"]
    bx, by = frame.to_px(0.5, 0.53)
    assert not lp.overlaps(box, (bx - 10, by - 10, bx + 10, by + 10))


def test_spread_keeps_directions_and_order():
    G = nx.complete_graph(12)
    G.add_edges_from([(0, 100), (100, 101)])
    pos = {v: (0.01 * (v % 4), 0.01 * (v // 4)) for v in range(12)}
    pos.update({100: (0.5, 0.5), 101: (1.0, 1.0)})
    out = fig.spread(pos, G)
    assert set(out) == set(pos)
    xy = np.array([pos[v] for v in pos])
    c = xy.mean(axis=0)
    r0 = {v: np.hypot(*(np.array(pos[v]) - c)) for v in pos}
    r1 = {v: np.hypot(*(np.array(out[v]) - c)) for v in pos}
    assert sorted(pos, key=r0.get) == sorted(pos, key=r1.get)
    # the knot is opened: the 12 clique nodes take more room than before
    spread_before = max(r0[v] for v in range(12))
    assert max(r1[v] for v in range(12)) > 5 * spread_before


# --- the figures on the built-in data -----------------------------------------------------------------
@pytest.fixture(scope="module")
def real(built_store):
    con = store.connect(built_store, read_only=True)
    try:
        tables = [access.read_table(con, t) for t in ("collaborations", "exhibition_participants",
                                                      "exhibitions", "people", "vcm_stats")]
        ties = net.derive_ties(*tables)
        inst = store.read_table(con, "institutions")
        nodes = inst[inst["id"].isin(net.institution_ids(con, Filters()))]
    finally:
        con.close()
    G = net.build_graph(nodes, net.filter_ties(ties, nodes))
    return G, net.node_metrics(G).nodes


@pytest.mark.parametrize("size_by", ["degree", "brokerage", "pagerank"])
def test_topology_names_are_legible(real, size_by):
    G, m = real
    pos = net.layout(tuple(sorted(G)), tuple(sorted(G.edges(data="weight"))))
    f = fig.topology_figure(G, pos, m, size_by=size_by)
    boxes, frame = _boxes_from_figure(f)
    _assert_legible(boxes, frame)
    named = {t for t, _ in boxes}
    # names only for the nodes that matter: the largest by the chosen size, and several of them
    top = m[m["id"].isin(pos)].sort_values([size_by, "degree", "name"],
                                           ascending=[False, False, True])
    assert 8 <= len(named) <= fig.TOPOLOGY_LABELS
    assert top["name"].iloc[0] in named
    assert named <= set(top["name"].head(fig.TOPOLOGY_LABELS))
    none = fig.topology_figure(G, pos, m, size_by=size_by, labels=0)
    assert not any(x for t in none.data if t.mode == "markers+text" for x in t.text)
    five = fig.topology_figure(G, pos, m, size_by=size_by, labels=5)
    assert 1 <= sum(bool(x) for t in five.data if t.mode == "markers+text" for x in t.text) <= 5


@pytest.mark.parametrize("radius", [1, 2])
def test_ego_names_are_legible(real, radius):
    G, m = real
    center = m["id"].iloc[0]  # the best connected: the most crowded ego view
    E, _ = net.ego(G, center, radius)
    f = fig.ego_figure(E, center)
    boxes, frame = _boxes_from_figure(f)
    _assert_legible(boxes, frame)
    named = {t for t, _ in boxes}
    assert str(G.nodes[center]["name"]) in named
    partners = {str(G.nodes[v]["name"]) for v in G.neighbors(center)}
    # at reach 1 the ring has room for (nearly) every partner's name
    assert len(named & partners) >= (0.8 * len(partners) if radius == 1 else 5)


def test_ego_rings():
    E = nx.Graph([("c", "a"), ("c", "b"), ("a", "x"), ("b", "y")])
    pos = fig.ego_positions(E, "c")
    assert pos["c"] == (0.0, 0.0)
    assert all(abs((pos[v][0] ** 2 + pos[v][1] ** 2) ** 0.5 - 1) < 1e-9 for v in "ab")
    assert all(abs((pos[v][0] ** 2 + pos[v][1] ** 2) ** 0.5 - 2) < 1e-9 for v in "xy")


def test_one_step_ego_is_the_default_and_zoom_pan_stay_on(real):
    assert net.NetState().radius == 1 and net.RADII[0] == 1
    G, m = real
    pos = net.layout(tuple(sorted(G)), tuple(sorted(G.edges(data="weight"))))
    for f in (fig.topology_figure(G, pos, m), fig.ego_figure(*net.ego(G, m["id"].iloc[0])[:1],
                                                             m["id"].iloc[0])):
        assert f.layout.dragmode == "pan"
        assert not f.layout.xaxis.fixedrange and not f.layout.yaxis.fixedrange
