"""Benchmark import throughput: a 1-million-row visitor file through the real importer.

Run ``python -m benchmarks.imports [--rows 1000000] [--seed 42] [--phases]``. Writes a
ministry-style attendance file (semicolon CSV, the French file's own headers: museum number,
name, year, city, total, paid, free, note F / NC) and its mapping into a temporary folder,
imports it into a fresh store with ``asemus_data.importer.import_file`` (read, map, resolve
references, validate, write in one transaction) and prints rows per second. ``--phases`` also
times reading + mapping and validation on their own. The data is synthetic: never present it
as fact. Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

MAPPING = """\
table: visitor_stats
columns:
  ref_musee: source_key
  nom_du_musee: institution_name
  annee: year
  ville: city
  total: visitors
  payant: paid
  gratuit: free
  note: note
values:
  note: {F: closed, NC: not communicated}
constants:
  country: France
  duplicates: sum
  source: "Synthetic attendance file (benchmarks.imports); not real"
  status: synthetic
read:
  delimiter: ";"
  encoding: utf-8
"""
HEADER = ["ref_musee", "nom_du_musee", "annee", "ville", "payant", "gratuit", "total", "note"]
KINDS = ["Musée Municipal", "Musée des Beaux-Arts", "Musée d'Histoire", "Écomusée",
         "Musée Archéologique", "Muséum d'Histoire Naturelle", "Maison-musée", "Musée de la Mine"]


def write_visitor_file(folder: Path, rows: int = 1_000_000, *, years: int = 25,
                       seed: int = 42) -> tuple[Path, Path]:
    """Write ``visits.csv`` (``rows`` data rows: museums x years) and ``visits.yaml``.

    Names repeat across museums (as in the real file) and change for some museums over time;
    about 12% of museum-years are closed (F) or not communicated (NC), with no figure."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, map_path = folder / "visits.csv", folder / "visits.yaml"
    museums = -(-rows // years)
    written = 0
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        for m in range(museums):
            ref = f"{rng.randrange(1, 96):02d}{m:05d}"
            name, city = rng.choice(KINDS), f"Ville-{rng.randrange(4000):04d}"
            base = rng.lognormvariate(9.5, 1.3)
            renamed = rng.random() < 0.1
            for k in range(years):
                if written == rows:
                    break
                y = 2001 + k
                label = f"{name} ({city})" if renamed and k >= years // 2 else name
                r = rng.random()
                if r < 0.10:
                    w.writerow([ref, label, y, city, "", "", "", "F"])
                elif r < 0.12:
                    w.writerow([ref, label, y, city, "", "", "", "NC"])
                else:
                    total = int(base * rng.uniform(0.7, 1.3))
                    paid = int(total * rng.uniform(0.3, 0.8))
                    w.writerow([ref, label, y, city, paid, total - paid, total, ""])
                written += 1
    map_path.write_text(MAPPING, encoding="utf-8")
    return csv_path, map_path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.imports", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--phases", action="store_true",
                   help="also time reading + mapping and validation on their own")
    args = p.parse_args(argv)
    # the data stack only once the command line is read (--help stays instant)
    from asemus_data import exhibitions as ex
    from asemus_data import store
    from asemus_data.importer import import_file, read_source
    from asemus_data.validate import validate_frame

    with tempfile.TemporaryDirectory(prefix="asemus-bench-imports-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        csv_path, map_path = write_visitor_file(folder, args.rows, seed=args.seed)
        mb = csv_path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        path = folder / "store.duckdb"
        store.build(path)
        if args.phases:
            t0 = time.perf_counter()
            src = read_source(csv_path, "visitor_stats", mapping=map_path)
            t_read = time.perf_counter() - t0
            t0 = time.perf_counter()
            v = validate_frame(src.frame, "visitor_stats", known_institutions=set(),
                               dayfirst=src.dayfirst)
            t_val = time.perf_counter() - t0
            print(f"  read + map: {t_read:6.1f} s  ({args.rows / t_read:>10,.0f} rows/s)")
            print(f"  validate:   {t_val:6.1f} s  ({args.rows / t_val:>10,.0f} rows/s)"
                  f"  ok={v.ok}")
            del src, v
        t0 = time.perf_counter()
        res = import_file(csv_path, "visitor_stats", mapping=map_path, store=path)
        secs = time.perf_counter() - t0
        print(f"import_file (read, map, resolve, validate, write): {res.rows_written:,} rows in "
              f"{secs:.1f} s = {res.rows_written / secs:,.0f} rows/s")
        con = store.connect(path, read_only=True)
        try:
            stored = con.execute("SELECT count(*) FROM visitor_stats").fetchone()[0]
            t0 = time.perf_counter()
            tot = ex.year_total(con, 2019)
            secs = time.perf_counter() - t0
        finally:
            con.close()
        # pandas only for the independent check, after the timed import
        import pandas as pd
        raw = pd.read_csv(csv_path, sep=";", usecols=["annee", "total"])
        y = raw[raw["annee"] == 2019]["total"]
        print(f"rows in the store: {stored:,}; pandas straight from the file, 2019: "
              f"{int(y.sum()):,} visitors, {int(y.notna().sum()):,} reporting")
        print(f"year_total(2019) over them: {tot['visitors'] or 0:,} visitors, "
              f"{tot['reporting']:,} reporting, in {secs:.2f} s")
    return 0 if stored == res.rows_written == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
