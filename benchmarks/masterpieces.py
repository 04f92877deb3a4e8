"""Masterpieces explorer at scale: search + filter queries, one gallery page of 48 cards, and the
real page render in AppTest, on a synthetic store of 100,000 objects in 500 institutions.

    python -m benchmarks.masterpieces [--objects 100000] [--store /tmp/asemus-bench/mp.duckdb]

Targets: median search+filter < 300 ms; a gallery page (data + card content) < 1 s."""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import duckdb

from asemus_data import masterpieces as mp
from asemus_data import synthetic
from asemus_data.filters import Filters

QUERIES = [
    (Filters(), mp.Query()),
    (Filters(), mp.Query("porcelain")),
    (Filters(), mp.Query("synthetic object 4242")),
    (Filters(), mp.Query("qing dynasty")),
    (Filters(categories=("ceramics",)), mp.Query()),
    (Filters(categories=("textiles", "lacquer")), mp.Query("silk")),
    (Filters(origins=("CHN",)), mp.Query()),
    (Filters(origins=("JPN", "KOR")), mp.Query("edo")),
    (Filters(regions=("Europe",)), mp.Query("bronze")),
    (Filters(period=(1600, 1800)), mp.Query()),
    (Filters(period=(-500, 500)), mp.Query("jade")),
    (Filters(statuses=("synthetic",)), mp.Query(vcm_only=True)),
    (Filters(), mp.Query(vcm_only=True)),
    (Filters(materials=("porcelain",)), mp.Query()),
    (Filters(search="museum"), mp.Query("ceramic")),
    (Filters(countries=("FRA", "DEU")), mp.Query()),
    (Filters(institution_types=("public",)), mp.Query("paper")),
    (Filters(), mp.Query("nothing-matches-this")),
    (Filters(categories=("paintings",), period=(1700, 1900)), mp.Query("ink")),
    (Filters(origins=("IND",)), mp.Query(cultures=("Mughal",))),
]


def _ms(fn, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def ensure_store(path: Path, objects: int) -> Path:
    """Generate the synthetic store unless one with that many objects is already there."""
    if path.exists():
        con = duckdb.connect(str(path), read_only=True)
        try:
            if con.execute("SELECT count(*) FROM objects").fetchone()[0] >= objects:
                return path
        finally:
            con.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    synthetic.generate_store(path, institutions=500, objects=objects)
    return path


def render_page(path: Path) -> float:
    """Seconds for AppTest to run the page on the store (best of two, after a warm-up)."""
    # AppTest only for the page timing, not for the in-process figures
    from streamlit.testing.v1 import AppTest
    os.environ["ASEMUS_STORE"] = str(path)
    app = Path(__file__).resolve().parents[1] / "app.py"
    at = AppTest.from_file(str(app), default_timeout=300)
    at.switch_page("pages/masterpieces.py").run()
    assert not at.exception, at.exception
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        at.number_input(key="mp_page").set_value(at.number_input(key="mp_page").value + 1).run()
        best = min(best, time.perf_counter() - t0)
    assert not at.exception, at.exception
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--store", type=Path, default=Path("/tmp/asemus-bench/mp.duckdb"))
    ap.add_argument("--no-apptest", action="store_true")
    args = ap.parse_args()
    path = ensure_store(args.store, args.objects)
    con = duckdb.connect(str(path), read_only=True)
    n = con.execute("SELECT count(*) FROM objects").fetchone()[0]
    print(f"store {path}: {n:,} objects")
    mp.page(con, Filters())  # warm DuckDB's buffers once

    def search(f, q):
        mp.summary(con, f, q)
        mp.page(con, f, q)

    per_query = [_ms(lambda f=f, q=q: search(f, q), repeat=3) for f, q in QUERIES]
    print(f"search + filter (count + one page), {len(QUERIES)} queries: median "
          f"{statistics.median(per_query):.0f} ms, max {max(per_query):.0f} ms (target < 300 ms)")
    gallery = [_ms(lambda f=f, q=q, k=k: mp.cards(mp.page(con, f, q, number=k)), repeat=3)
               for k, (f, q) in enumerate(QUERIES[:5], start=1)]
    print(f"gallery page of {mp.PAGE_SIZE} cards (data + card content): median "
          f"{statistics.median(gallery):.0f} ms (target < 1 s)")
    f0, q0 = Filters(), mp.Query()
    makeup_ms = _ms(lambda: [mp.makeup(con, f0, q0, by) for by in mp.MAKEUP], 3)
    print(f"make-up (3 groupings): {makeup_ms:.0f} ms; "
          f"flows: {_ms(lambda: mp.flows(con, f0, q0), 3):.0f} ms; "
          f"selection for download: {_ms(lambda: mp.selection(con, f0, q0)):.0f} ms")
    con.close()
    if not args.no_apptest:
        print(f"whole page rerun in AppTest (page 2 -> 3; sidebar, gallery, charts, map): "
              f"{render_page(path):.2f} s")


if __name__ == "__main__":
    main()
