"""The network page at scale draws and sends a bounded amount: the strongest arcs only, the
strongest rows of a tie table, each with a sentence saying what was left out."""
from __future__ import annotations

import json

import pandas as pd

from asemus_data import network as net
from asemus_data.figures import network as fig


def _graph(n_pairs: int, *, located: bool = True):
    """A star of ``n_pairs`` ties around 'hub', the tie to 'p{i}' with weight 1 + i % 5."""
    ids = ["hub"] + [f"p{i:04d}" for i in range(n_pairs)]
    nodes = pd.DataFrame({"id": ids, "name": [f"Museum {i}" for i in ids],
                          "region": ["Asia"] + ["Europe"] * n_pairs, "member_status": "member",
                          "latitude": [1.0] + [50.0] * n_pairs if located else None,
                          "longitude": [100.0] + [5.0] * n_pairs if located else None})
    rows = []
    for i in range(n_pairs):
        for k in range(1 + i % 5):  # weight = number of ties between the pair
            rows.append(dict(a="hub", b=f"p{i:04d}", type="joint project", year_start=2000 + k,
                             year_end=2000 + k, label=f"project {k}", origin="collaboration",
                             source=f"https://example.org/{i}/{k}", status="documented"))
    return net.build_graph(nodes, pd.DataFrame(rows, columns=net.TIE_COLUMNS))


def _arcs(deck) -> list:
    layers = json.loads(deck.to_json())["layers"]
    return next(layer for layer in layers if layer["@@type"] == "ArcLayer")["data"]


def test_arcs_are_capped_to_the_strongest_and_the_summary_says_so():
    G = _graph(50)
    arcs = _arcs(fig.arcs_deck(G, limit=20))
    assert len(arcs) == 20
    # 10 pairs each of weight 5 and 4: the 20 strongest are exactly those
    assert sorted(a["width"] for a in arcs)[0] > 1 + 1.9  # log2(4) + 1 = 3
    text = fig.arcs_summary(G, limit=20)
    assert "The map draws 20 tied pairs" in text
    assert "Only the 20 strongest of 50 located pairs are drawn (weight 4 or more" in text
    # under the cap nothing is said about a cut
    assert "strongest" not in fig.arcs_summary(G, limit=None)
    assert len(_arcs(fig.arcs_deck(G, limit=None))) == 50


def test_the_cut_is_deterministic():
    G = _graph(40)
    once = [(a["title"]) for a in _arcs(fig.arcs_deck(G, limit=7))]
    again = [(a["title"]) for a in _arcs(fig.arcs_deck(G.copy(), limit=7))]
    assert once == again


def test_default_cap_bounds_a_large_graph():
    G = _graph(2000)
    assert len(_arcs(fig.arcs_deck(G))) == fig.ARC_LIMIT
    assert len(fig.arcs_deck(G).to_json()) < 600_000  # 20,000 arcs were 13.7 MB


def test_top_rows_keeps_the_largest_and_all_when_few():
    df = pd.DataFrame({"weight": [1, 5, 3, 5, 2], "x": list("abcde")})
    assert net.top_rows(df, "weight", limit=10) is df
    top = net.top_rows(df, "weight", limit=3)
    assert list(top["x"]) == ["b", "d", "c"]
