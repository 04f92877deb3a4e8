"""Benchmark the visitor-series view on a 25,000-row institution-year store.

Run ``python -m benchmarks.exhibitions [--institutions 1060] [--years 25]``: writes a synthetic
ministry-style export and its mapping, imports it into a fresh store through the real importer,
then times the aggregation + figure building for ~10 filter changes and prints median and max.

The generator is also used by tests/test_exhibitions.py. Its data is synthetic (status
``synthetic``): never present it as fact.
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SOURCE = "Synthetic ministry-style visitor export (benchmarks.exhibitions); not real"
#: Countries of ASEM partners, both regions (ISO alpha-3, as a statistics office would code them).
COUNTRIES = ["DEU", "FRA", "NLD", "POL", "HUN", "AUT", "ITA", "ESP", "SWE", "GBR", "IRL", "BEL",
             "KOR", "JPN", "CHN", "SGP", "MYS", "PHL", "IND", "IDN", "THA", "VNM", "MNG", "KAZ"]
KINDS = ["Stadtmuseum", "Landesmuseum", "Kunstmuseum", "Museum fuer Voelkerkunde",
         "Heimatmuseum", "Naturkundemuseum", "Technikmuseum", "Kunsthalle"]
#: The export's own headers (German statistics-office style) -> our columns.
MAPPING_YAML = f"""\
# Synthetic statistics-office export: visitors per museum and year (one row per museum-year).
table: visitor_stats
columns:
  Einrichtung: institution_name
  Staat: country
  Berichtsjahr: year
  Besuche insgesamt: visitors
  davon zahlend: paid
  davon unentgeltlich: free
na_values: ["-", "k.A.", "n.v."]
constants:
  source: "{SOURCE}"
  status: synthetic
read:
  delimiter: ";"
  encoding: utf-8
"""
HEADER = ["Einrichtung", "Staat", "Berichtsjahr", "Besuche insgesamt", "davon zahlend",
          "davon unentgeltlich", "Bemerkung"]


def write_ministry_export(folder: Path, *, institutions: int = 1060, years: int = 25,
                          first_year: int = 1998, seed: int = 42) -> tuple[Path, Path]:
    """Write ``visitors.csv`` (semicolon CSV, German headers) and ``visitors.yaml`` (mapping).

    About ``institutions * years`` rows: each museum reports a run of years with a trend and
    noise; some start late or stop early, about 3% of museum-years are missing rows (gaps) and
    about 1% say ``-`` (not reported); a third of the museums split paid and free visitors."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, map_path = folder / "visitors.csv", folder / "visitors.yaml"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        for i in range(institutions):
            country = COUNTRIES[i % len(COUNTRIES)]
            name = f"{rng.choice(KINDS)} {country}-{i:04d}"
            base = rng.lognormvariate(10.3, 1.1)          # median ~30,000 a year
            trend = rng.uniform(-0.03, 0.06)
            split = rng.random() < 0.33
            y0 = first_year + (rng.randrange(6) if rng.random() < 0.15 else 0)
            y1 = first_year + years - 1 - (rng.randrange(6) if rng.random() < 0.1 else 0)
            for y in range(y0, y1 + 1):
                if rng.random() < 0.03:
                    continue                               # year not reported: a gap
                dip = 0.3 if y in (2020, 2021) else 1.0    # closures, as in real series
                v = int(base * (1 + trend) ** (y - first_year) * dip * rng.uniform(0.85, 1.15))
                if rng.random() < 0.01:
                    w.writerow([name, country, y, "-", "-", "-", "nicht gemeldet"])
                    continue
                paid = int(v * rng.uniform(0.4, 0.8)) if split else None
                w.writerow([name, country, y, v, paid if split else "k.A.",
                            v - paid if split else "k.A.", ""])
    map_path.write_text(MAPPING_YAML, encoding="utf-8")
    return csv_path, map_path


def build_store(folder: Path, **kw) -> tuple[Path, int]:
    """A fresh default store plus the imported export; returns (store path, rows written)."""
    # the store only once the command line is read (--help stays instant)
    from asemus_data import store
    path = Path(folder) / "store.duckdb"
    path.unlink(missing_ok=True)
    store.build(path)
    csv_path, map_path = write_ministry_export(Path(folder) / "export", **kw)
    # the importer only once the store is built (its cost is not part of the timing)
    from asemus_data.importer import import_file
    t0 = time.perf_counter()
    written = import_file(csv_path, "visitor_stats", mapping=map_path, store=path).rows_written
    print(f"imported {written:,} rows through import_file in {time.perf_counter() - t0:.1f} s")
    return path, written


def render_once(con, flt, keys: list[str]) -> int:
    """What the page computes after a filter change: the aggregations and every series figure.
    Returns the number of figures built."""
    # imported here so that the first call's import cost is measured apart
    from asemus_data import exhibitions as ex
    from asemus_data.figures import exhibitions as fx
    opts = ex.series_options(con, flt)
    keys = keys or list(opts["key"].head(5))
    s = ex.institution_series(con, keys, flt)
    figs = [fx.series_figure(s), fx.yoy_figure(s), fx.rank_figure(s), fx.paid_free_figure(s)]
    for by in ("country", "region"):
        figs.append(fx.group_totals_figure(ex.group_totals(con, by, flt), by))
    summary = ex.series_summary(con)
    ex.year_ranking(con, int(summary["last_year"]), flt)
    for f in figs:
        f.to_dict()  # serialise, as st.plotly_chart does
    return len(figs)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--institutions", type=int, default=1060)
    ap.add_argument("--years", type=int, default=25)
    ap.add_argument("--store", help="keep the store here (default: a temporary folder)")
    ap.add_argument("--reuse", action="store_true", help="reuse --store if it already exists")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # after sys.path is set above: the file also runs as a script
    import duckdb

    from asemus_data.exhibitions import SeriesFilter
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(a.store).parent if a.store else Path(tmp)
        t0 = time.perf_counter()
        if a.reuse and a.store and Path(a.store).exists():
            path = Path(a.store)
        else:
            path, _n = build_store(folder, institutions=a.institutions, years=a.years)
        con = duckdb.connect(str(path), read_only=True)
        n = con.execute("SELECT count(*) FROM visitor_stats").fetchone()[0]
        print(f"store: {path} with {n:,} visitor_stats rows "
              f"(build + import {time.perf_counter() - t0:.1f} s)")
        opts = con.execute("SELECT DISTINCT COALESCE(institution_id, country_code || ':' || "
                           "institution_name) FROM visitor_stats ORDER BY 1").fetchall()
        some = [o[0] for o in opts]
        changes = [
            (SeriesFilter(), []), (SeriesFilter(regions=("Asia",)), []),
            (SeriesFilter(regions=("Europe",)), []), (SeriesFilter(countries=("DEU", "FRA")), []),
            (SeriesFilter(years=(2005, 2015)), []), (SeriesFilter(), some[:3]),
            (SeriesFilter(), some[100:108]), (SeriesFilter(countries=("KOR",)), []),
            (SeriesFilter(regions=("Asia",), years=(2010, 2022)), []),
            (SeriesFilter(), some[500:502]), (SeriesFilter(countries=("JPN", "CHN", "SGP")), []),
        ]
        # One untimed run first: the app process has plotly's validators and DuckDB warm already.
        t = time.perf_counter()
        render_once(con.cursor(), SeriesFilter(), [])
        print(f"cold first run (imports, plotly validators): {time.perf_counter() - t:.3f} s")
        times = []
        for flt, keys in changes:
            t = time.perf_counter()
            render_once(con.cursor(), flt, keys)
            times.append(time.perf_counter() - t)
        con.close()
    print(f"{len(times)} filter changes: median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s (aggregation in DuckDB + 6 figures built and serialised)")


if __name__ == "__main__":
    main()
