"""Benchmark the Collections map at scale: ``python -m benchmarks.collections_map``.

Builds (once, in a child process) a synthetic store with 2,000 extra institutions and 1,000,000
synthetic objects in /tmp/asemus-bench/scale-1m.duckdb (never the default store), then over ~20
varied filter changes measures:

(a) time from a filter change to ready figure data (summary + every layer aggregate), and to the
    whole page's data (+ deck JSON and table); target median < 300 ms;
(b) bytes sent to the browser per rerun: deck JSON + table (Arrow); target < 1 MB;
(c) peak memory of this process doing the page's work (ru_maxrss); target < 1.5 GB;
(d) the same aggregation done naively in pandas over the raw object rows, side by side;
(e) the floor: a hand-written DuckDB GROUP BY for the same filter (per museum and per museum and
    origin over the raw ``holdings`` view, rows fetched), and the ratio of (a) to it (target <= 3x);
and renders the page once with AppTest against the store (cold and after a filter change).

    python -m benchmarks.collections_map [--objects 10000000] [--store PATH] [--rebuild]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
from streamlit.dataframe_util import convert_pandas_df_to_arrow_bytes
from streamlit.testing.v1 import AppTest

from asemus_data import collections_map as cm
from asemus_data import geo, queries
from asemus_data.figures import maps
from asemus_data.filters import Filters, holdings_sql

BENCH_DIR = Path("/tmp/asemus-bench")
TARGETS = {"data_ms": 300, "bytes": 1_000_000, "rss_mb": 1536, "floor_ratio": 3.0,
           "page_s_10m": 1.0, "worst_s_10m": 3.0}


def _default_store(objects: int) -> Path:
    tag = f"{objects // 1_000_000}m" if objects % 1_000_000 == 0 else str(objects)
    return BENCH_DIR / f"scale-{tag}.duckdb"


def _generate(path: Path, institutions: int, objects: int) -> float:
    """Generate in a child process, so this process's peak memory is the page's work only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    code = ("from asemus_data.synthetic import generate_store; "
            f"generate_store({str(path)!r}, institutions={institutions}, objects={objects})")
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def filter_changes(con: duckdb.DuckDBPyConnection) -> list[Filters]:
    """~20 varied filter states a user might step through."""
    fac = queries.facets(con)
    origins = list(fac["origins"].sort_values("n", ascending=False)["value"])
    countries = list(fac["countries"].sort_values("n", ascending=False)["value"])
    cats = list(fac["categories"].sort_values("n", ascending=False)["value"])
    mats = list(fac["materials"]["value"])
    return [
        Filters(), Filters(regions=("Europe",)), Filters(regions=("Asia",)),
        Filters(origins=(origins[0],)), Filters(origins=tuple(origins[1:3])),
        Filters(origins=(origins[-1],)), Filters(categories=(cats[0],)),
        Filters(categories=tuple(cats[1:4])), Filters(materials=(mats[0],)),
        Filters(period=(-500, 500)), Filters(period=(1600, 1800)), Filters(period=(-3000, -1000)),
        Filters(statuses=("documented", "illustrative")), Filters(member_statuses=("member",)),
        Filters(countries=tuple(countries[:3])), Filters(search="Museum 01"),
        Filters(origins=(origins[0],), categories=(cats[0],), period=(1300, 1700)),
        Filters(regions=("Europe",), origins=(origins[1],), member_statuses=("member",)),
        Filters(institution_types=("university",), categories=(cats[0],)),
        Filters(search="zzz-no-match"),
    ]


def page_work(con, f: Filters) -> dict:
    """What one rerun of the page computes, timed in parts; returns figures for one change."""
    t0, c0 = time.perf_counter(), time.process_time()
    s = queries.summary(con, f)
    data = cm.map_data(con, f)
    t_data, c_data = time.perf_counter() - t0, time.process_time() - c0
    deck_default = maps.collections_deck(data, cm.DEFAULT_LAYERS).to_json()
    deck_all = maps.collections_deck(data, cm.LAYERS).to_json()
    table, total = cm.holdings_table(con, f)
    t_page, c_page = time.perf_counter() - t0, time.process_time() - c0
    table_bytes = len(convert_pandas_df_to_arrow_bytes(table.drop(columns="institution_id")))
    return dict(data_ms=t_data * 1000, page_ms=t_page * 1000, data_cpu_ms=c_data * 1000,
                page_cpu_ms=c_page * 1000, rows=s["rows"],
                museums=len(data.museums), flows=data.flows_total,
                bytes_default=len(deck_default.encode()) + table_bytes,
                bytes_all=len(deck_all.encode()) + table_bytes, deck_all=len(deck_all.encode()),
                table_bytes=table_bytes, table_rows=len(table), table_total=total)


def floor_ms(con, f: Filters, repeat: int = 3) -> float:
    """Median ms of the hand-written DuckDB GROUP BY for ``f``: what the figure data cannot beat
    by much (the same filter, per museum and per museum and origin, over the raw rows)."""
    where, params = holdings_sql(f)
    sql = f"""SELECT h.institution_id, h.origin_country_code, sum(h.objects), sum(h.collections)
              FROM holdings h JOIN institutions i ON i.id = h.institution_id WHERE {where}
              GROUP BY GROUPING SETS ((h.institution_id), (h.institution_id, h.origin_country_code))"""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _pandas_mask(df: pd.DataFrame, f: Filters) -> pd.Series:
    m = pd.Series(True, index=df.index)
    for field, col in (("regions", "region"), ("countries", "country_code"),
                       ("institution_types", "type"), ("member_statuses", "member_status"),
                       ("origins", "origin_country_code"), ("categories", "category"),
                       ("materials", "material"), ("statuses", "status")):
        v = getattr(f, field)
        if v:
            m &= df[col].isin(v)
    if f.period:
        m &= (df.period_end >= f.period[0]) & (df.period_start <= f.period[1])
    if f.search:
        m &= (df.name.str.contains(f.search, case=False, regex=False, na=False)
              | df.city.str.contains(f.search, case=False, regex=False, na=False))
    return m


def naive_pandas(con, changes: list[Filters]) -> dict:
    """The same aggregates from raw rows in pandas (what we avoid)."""
    t = time.perf_counter()
    raw = con.execute("""SELECT h.institution_id, h.origin_country_code, h.category, h.material,
        h.period_start, h.period_end, h.objects, h.collections, h.status, i.name, i.city,
        i.region, i.country_code, i.type, i.member_status
        FROM holdings h JOIN institutions i ON i.id = h.institution_id""").df()
    load = time.perf_counter() - t
    times = []
    for f in changes:
        t = time.perf_counter()
        sel = raw[_pandas_mask(raw, f)]
        sel.groupby("institution_id")[["objects", "collections"]].sum()
        sel.groupby(["origin_country_code", "institution_id"]).objects.sum()
        sel.groupby("country_code")[["objects", "collections"]].sum()
        times.append((time.perf_counter() - t) * 1000)
    return dict(load_s=load, median_ms=statistics.median(times), rows=len(raw),
                frame_mb=raw.memory_usage(deep=True).sum() / 1e6)


def render_page(store: Path) -> dict:
    """Run the real page once with AppTest against the store (cold), then a filter change."""
    os.environ["ASEMUS_STORE"] = str(store)
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=600)
    app.switch_page("pages/collections_map.py")
    t = time.perf_counter()
    app.run()
    cold = time.perf_counter() - t
    ok = not app.exception and len(app.get("deck_gl_json_chart")) == 1
    t = time.perf_counter()
    app.multiselect(key="flt_categories").set_value(["ceramics"]).run()
    warm = time.perf_counter() - t
    return dict(ok=ok and not app.exception, cold_s=cold, change_s=warm)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--institutions", type=int, default=2000)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--no-render", action="store_true", help="skip the AppTest page render")
    args = ap.parse_args()
    path = args.store or _default_store(args.objects)
    if args.rebuild or not path.exists():
        print(f"generating {path} ({args.objects:,} objects)...")
        print(f"  generated in {_generate(path, args.institutions, args.objects):.1f} s")
    con = duckdb.connect(str(path), read_only=True)
    n_obj = con.execute("SELECT count(*) FROM objects").fetchone()[0]
    geo.country_centroids()  # cached once per app process
    changes = filter_changes(con)
    page_work(con, Filters())  # warm-up, as the app's first run
    runs = [page_work(con, f) for f in changes]
    for f, r in zip(changes, runs):
        r["floor_ms"] = floor_ms(con, f)
        r["ratio"] = r["data_ms"] / max(r["floor_ms"], 1e-3)
    rss_page = _rss_mb()
    naive = naive_pandas(con, changes)
    rss_naive = _rss_mb()
    con.close()
    render = None if args.no_render else render_page(path)

    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    mx = lambda k: max(r[k] for r in runs)  # noqa: E731
    print(f"\nCollections map benchmark: {path.name}, {n_obj:,} objects, {len(changes)} filter "
          f"changes; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    rows = [
        ("(a) filter change -> figure data, median", f"{med('data_ms'):.0f} ms",
         f"< {TARGETS['data_ms']} ms", med("data_ms") < TARGETS["data_ms"]),
        ("    same, slowest change", f"{mx('data_ms'):.0f} ms", "", None),
        ("    CPU time used (all threads), median", f"{med('data_cpu_ms'):.0f} ms", "", None),
        ("    + deck JSON (all layers) + table, median", f"{med('page_ms'):.0f} ms", "", None),
        ("    + deck JSON + table, CPU time, median", f"{med('page_cpu_ms'):.0f} ms", "", None),
        ("(b) bytes per rerun, default layer, median", f"{med('bytes_default') / 1e3:.0f} kB",
         "< 1 MB", med("bytes_default") < TARGETS["bytes"]),
        ("    all 4 layers on, median", f"{med('bytes_all') / 1e3:.0f} kB", "< 1 MB",
         med("bytes_all") < TARGETS["bytes"]),
        ("    all 4 layers on, largest", f"{mx('bytes_all') / 1e3:.0f} kB", "< 1 MB",
         mx("bytes_all") < TARGETS["bytes"]),
        ("    of which table (Arrow, <= 5,000 rows), largest", f"{mx('table_bytes') / 1e3:.0f} kB",
         "", None),
        ("(c) peak memory, page work (ru_maxrss)", f"{rss_page:,.0f} MB", "< 1.5 GB",
         rss_page < TARGETS["rss_mb"]),
        ("(e) hand-written DuckDB GROUP BY (floor), median", f"{med('floor_ms'):.0f} ms", "",
         None),
        ("    figure data / floor, median of changes", f"{med('ratio'):.1f}x",
         f"<= {TARGETS['floor_ratio']:g}x", med("ratio") <= TARGETS["floor_ratio"]),
        ("    figure data / floor, worst change", f"{mx('ratio'):.1f}x", "", None),
        ("(f) whole page's data (a + deck + table), median", f"{med('page_ms') / 1000:.2f} s",
         f"<= {TARGETS['page_s_10m']:g} s", med("page_ms") / 1000 <= TARGETS["page_s_10m"]),
        ("    whole page's data, worst change", f"{mx('page_ms') / 1000:.2f} s",
         f"<= {TARGETS['worst_s_10m']:g} s", mx("page_ms") / 1000 <= TARGETS["worst_s_10m"]),
        ("(d) naive pandas: load raw rows", f"{naive['load_s']:.1f} s", "", None),
        ("    naive pandas: aggregate per change, median", f"{naive['median_ms']:.0f} ms", "", None),
        ("    naive pandas: raw frame / peak memory",
         f"{naive['frame_mb']:,.0f} MB / {rss_naive:,.0f} MB", "", None),
    ]
    if render:
        rows += [("page render (AppTest), cold", f"{render['cold_s']:.1f} s", "",
                  render["ok"] or None),
                 ("page render, after a filter change", f"{render['change_s']:.2f} s", "", None)]
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>16}  {'target':>9}  ok")
    for label, value, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{label:<{w}}  {value:>16}  {target:>9}  {mark}")
    print("\nper change: data ms / floor ms / page ms / matching rows / museums / flows / table rows")
    for f, r in zip(changes, runs):
        print(f"  {r['data_ms']:6.0f} {r['floor_ms']:6.0f} {r['page_ms']:6.0f} {r['rows']:>10,} "
              f"{r['museums']:>6,} "
              f"{r['flows']:>7,} {r['table_rows']:>6,}/{r['table_total']:<7,} {f.describe()[:60]}")


if __name__ == "__main__":
    main()
