"""Benchmark the collaboration network at scale: ``python -m benchmarks.network``.

Builds (once) a synthetic store with 2,000 extra institutions and 20,000 synthetic ties in
/tmp/asemus-bench/net.duckdb, then times: deriving ties and building the graph, every metric
cold, the same metrics served from the content-hash cache, and the topological view (layout +
plotly figure). Targets: metrics cold < 5 s, topological view < 2 s.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from asemus_data import network as net
from asemus_data import store
from asemus_data.figures import network as fig
from asemus_data.synthetic import generate_store

DEFAULT = Path("/tmp/asemus-bench/net.duckdb")
TARGETS = {"metrics, cold": 5.0, "topological view (layout + figure)": 2.0}


def _timed(rows: list, label: str, fn):
    t = time.perf_counter()
    out = fn()
    rows.append((label, time.perf_counter() - t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=DEFAULT)
    ap.add_argument("--institutions", type=int, default=2000)
    ap.add_argument("--ties", type=int, default=20_000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    rows: list[tuple[str, float]] = []
    if args.rebuild or not args.store.exists():
        args.store.parent.mkdir(parents=True, exist_ok=True)
        _timed(rows, "generate synthetic store", lambda: generate_store(
            args.store, institutions=args.institutions, objects=10_000, ties=args.ties))
    con = duckdb.connect(str(args.store), read_only=True)
    tables = {t: store.read_table(con, t) for t in ("institutions", "collaborations",
                                                    "exhibition_participants", "exhibitions",
                                                    "people", "vcm_stats")}
    ties = _timed(rows, "derive ties", lambda: net.derive_ties(
        tables["collaborations"], tables["exhibition_participants"], tables["exhibitions"],
        tables["people"], tables["vcm_stats"]))
    G = _timed(rows, "build graph", lambda: net.build_graph(tables["institutions"], ties))
    res = _timed(rows, "metrics, cold", lambda: net.cached_metrics(G))
    _timed(rows, "metrics, from cache (content hash)", lambda: net.cached_metrics(G))
    _timed(rows, "plain-language reading", lambda: net.reading(res))

    def topo():
        pos = net.layout(tuple(sorted(G)), tuple(sorted(G.edges(data="weight"))))
        return fig.topology_figure(G, pos, res.nodes)
    _timed(rows, "topological view (layout + figure)", topo)
    _timed(rows, "map arcs deck", lambda: fig.arcs_deck(G).to_json())
    _timed(rows, "GraphML export", lambda: net.graphml_bytes(G, res.nodes))

    s = res.summary
    print(f"\nGraph: {s['nodes']:,} institutions, {s['ties']:,} tied pairs "
          f"({s['tie_records']:,} ties); betweenness and brokerage exact (igraph)\n")
    print(f"{'step':<40}{'seconds':>10}  target")
    for label, secs in rows:
        target = TARGETS.get(label)
        verdict = "" if target is None else f"< {target:.0f} s {'OK' if secs < target else 'MISSED'}"
        print(f"{label:<40}{secs:>10.3f}  {verdict}")


if __name__ == "__main__":
    main()
