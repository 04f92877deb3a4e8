"""Command line: python -m asemus_data {build,migrate,info,validate,import,backup,restore,template,
export,generate,visitors}."""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from . import paths
from .db import display, location
from .errors import InputError, Issue, StoreError
from .tables import TABLE_NAMES as TABLES  # not .schemas: --help must not load pandas

EPILOG = """
The store is a DuckDB file at $ASEMUS_STORE (default: .asemus/store.duckdb in the project), or
a PostgreSQL database when $ASEMUS_STORE (or --store) is a URL postgresql://USER@HOST:PORT/DATABASE.
Exit codes: 0 clean, 1 the input has problems (each printed with file, row, column, value and
rule; nothing was written), 2 usage or environment error (e.g. another writer held the
store past --wait, or the store is damaged). A write waits for another writer's turn; the app
keeps reading the store meanwhile and shows the new rows when the write is done.
With --quarantine: 0 when the clean rows were written (refused rows, if any, are in the rejects
file), 1 when no row could be written.

examples:
  python -m asemus_data build
  python -m asemus_data migrate                (after updating the dashboard)
  python -m asemus_data validate survey.xlsx --table collections
  python -m asemus_data import export.csv --table objects --mapping museum.yaml
  python -m asemus_data import export.csv --table objects --mapping museum.yaml --quarantine rejects.csv
  python -m asemus_data import survey.xlsx            (the member survey workbook: every sheet)
  python -m asemus_data import visitors-2019.csv --table visitor_stats --replace
  python -m asemus_data backup /backups/asemus-2026-12-02.duckdb
  python -m asemus_data restore /backups/asemus-2026-12-02.duckdb
  python -m asemus_data template survey.xlsx
  python -m asemus_data export --table institutions --format geojson institutions.geojson
  python -m asemus_data generate --institutions 2000 --objects 1000000 --store /tmp/scale.duckdb
  python -m asemus_data visitors --year 2019 --country FRA
  python -m asemus_data pack --out pack.zip                       (the sample sequence)
  python -m asemus_data pack --sequence gc2026.json --out gc2026-pack.zip
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m asemus_data",
                                description="ASEMUS collections data: build, check, import, export.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="store file or postgresql:// URL (overrides $ASEMUS_STORE)")
    sub = p.add_subparsers(dest="command", required=True)
    waiting = argparse.ArgumentParser(add_help=False)
    waiting.add_argument("--wait", type=float, metavar="SECONDS",
                         help="how long to wait for another import, build or restore to finish "
                              "(default: $ASEMUS_STORE_WAIT or 300); the app keeps reading the "
                              "store meanwhile")
    sub.add_parser("build", help="(re)build the store from data/ (discards imported rows)",
                   parents=[common, waiting])
    sub.add_parser("migrate", help="bring the store's schema up to this version's (listed in "
                   "its schema_migrations table); build, import and review refuse a store of a "
                   "version they do not know", parents=[common, waiting])
    b = sub.add_parser("backup", help="copy the store to a file (consistent, while the app runs)",
                       parents=[common])
    b.add_argument("out")
    r = sub.add_parser("restore", help="replace the store with a backup (checked first; a file "
                       "that is not a readable ASEMUS store is refused and nothing changes)",
                       parents=[common, waiting])
    r.add_argument("backup_file")
    i = sub.add_parser("info", help="show the store's path and, per table, rows by status, "
                       "distinct sources (by site) and licences", parents=[common])
    i.add_argument("--sources", action="store_true",
                   help="list every distinct source with its rows")
    for name, text in (("validate", "check a file without writing anything"),
                       ("import", "validate, then write all rows or none, and log the import")):
        s = sub.add_parser(name, help=text, parents=[common] + ([waiting] if name == "import"
                                                                 else []))
        s.add_argument("file")
        s.add_argument("--table", help=f"one of: {', '.join(TABLES)} (not needed for the "
                       "member survey workbook, whose sheets all go in at once)")
        s.add_argument("--workbook", action="store_true",
                       help="every filled sheet of the member survey workbook, institutions "
                            "first, in one transaction (the default for that workbook when no "
                            "--table is given)")
        s.add_argument("--mapping", help="YAML or TOML mapping file (see docs/mapping.md)")
        s.add_argument("--allow-formula-text", action="store_true",
                       help="keep cells that begin with = + - @ as plain text instead of refusing")
        if name == "import":
            s.add_argument("--replace", action="store_true",
                           help="the same file (same content) was imported into this table "
                                "before: remove that import's rows and write these instead, in "
                                "one transaction (without it, a second import is refused)")
            s.add_argument("--quarantine", metavar="REJECTS.csv",
                           help="import the clean rows (one transaction) and write the refused "
                                "rows, as read, with _row and _reasons columns to this CSV; fix "
                                "it and import it again with the same mapping (default: all "
                                "rows or none)")
            s.add_argument("--review", metavar="REVIEW.csv",
                           help="institutions: write the rows held back as likely matches of "
                                "institutions in the store (name and city) to this CSV; fill "
                                "its 'decision' column (merge / new / skip) and apply it with "
                                "'python -m asemus_data review REVIEW.csv'")
    t = sub.add_parser("template", help="write the member survey workbook (.xlsx)", parents=[common])
    t.add_argument("out")
    e = sub.add_parser("export", help="export a table", parents=[common])
    e.add_argument("out")
    e.add_argument("--table", required=True)
    e.add_argument("--format", required=True, choices=["csv", "xlsx", "parquet", "geojson"])
    g = sub.add_parser("generate", help="write a synthetic store at scale for benchmarks (never "
                       "the default store)", parents=[common])
    g.add_argument("--institutions", type=int, default=2000)
    g.add_argument("--objects", type=int, default=1_000_000)
    g.add_argument("--seed", type=int, default=42)
    rv = sub.add_parser("review", help="apply the decisions (merge / new / skip) of a review "
                        "CSV written by 'import --review'", parents=[common])
    rv.add_argument("file")
    vs = sub.add_parser("visitors", help="total visitors and reporting institutions of one year "
                        "(the figure the Exhibitions page shows)", parents=[common])
    vs.add_argument("--year", type=int, required=True)
    vs.add_argument("--country", action="append", default=[],
                    help="ISO alpha-3 or name; repeat for several (default: all)")
    pk = sub.add_parser("pack", help="build the conference pack (zip) for a sequence of views, "
                        "as the Present page does", parents=[common])
    pk.add_argument("--sequence", default="sample",
                    help="a sequence file (.json, saved from the Present page), or 'sample' for "
                         "the built-in five-view sequence (default)")
    pk.add_argument("--out", required=True, help="the zip to write")
    pk.add_argument("--no-images", action="store_true",
                    help="skip PNG/SVG images and slide pictures (no Chromium needed)")
    return p


def _sources_line(con, table: str, show_all: bool = False) -> str:
    """'sources: 43 distinct: asemus.museum 80, asef.org 30, ...; licences: none stated' for one
    table: sites by rows, and the licences the sources name ('Licence Ouverte / Etalab 2.0')."""
    rows = con.execute(f'SELECT source, count(*) FROM "{table}" GROUP BY 1 ORDER BY 2 DESC, 1'
                       ).fetchall()
    sites: Counter = Counter()
    licences: set[str] = set()
    for src, n in rows:
        from .open_data import with_credit  # a shipped open-data URL: its licence and credit
        text = with_credit(str(src or ""))
        host = urlsplit(text).hostname if re.match(r"https?://", text) else None
        sites[(host or "").removeprefix("www.") or (text[:60] or "(none)")] += n
        licences |= {m.strip() for m in re.findall(r"Licen[cs]e[^;)]*", text, flags=re.I)}
    top = ", ".join(f"{h} {c:,}" for h, c in sites.most_common(4))
    more = len(sites) - 4
    more = f", {more} more site{'s' if more > 1 else ''}" if more > 0 else ""
    out = (f"{'':28}sources: {len(rows):,} distinct: {top}{more}; "
           f"licences: {', '.join(sorted(licences)) or 'none stated'}")
    if show_all:
        out += "".join(f"\n{'':30}{n:>8,}  {src}" for src, n in rows)
    return out


def _print_issues(issues: list[Issue], stream=None) -> None:
    stream = stream or sys.stderr
    for i in issues[:200]:
        print(f"  - {i}", file=stream)
    if len(issues) > 200:
        print(f"  ... and {len(issues) - 200} more", file=stream)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args, location(args.store))
    except InputError as exc:
        print(f"error: {len(exc.issues)} problem(s); nothing was written:", file=sys.stderr)
        _print_issues(exc.issues)
        return 1
    except StoreError as exc:  # busy past --wait, damaged, not an ASEMUS store
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # unreadable input, unwritable output, full disk: a line, no traceback
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


def _run(args, store: Path) -> int:
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    from . import store as st

    if args.command == "build":
        t0 = time.perf_counter()
        counts = st.build(store, progress=lambda m: print(f"  {m}"), wait=args.wait)
        print(f"built {display(store)} in {time.perf_counter() - t0:.1f} s")
        for k, v in counts.items():
            print(f"  {k:<24} {v:>8,}")
        return 0
    if args.command == "migrate":
        before, applied = st.migrate_store(store, wait=args.wait, progress=_progress)
        if not applied:
            print(f"{display(store)}: schema version {before}, up to date; nothing to do")
        else:
            print(f"{display(store)}: schema version {before or 'none'} -> {st.SCHEMA_VERSION}")
            for v in applied:
                print(f"  applied {v}: {st.MIGRATIONS[v]}")
        return 0
    if args.command == "info":
        con = st.connect(store, read_only=True)
        print(f"store: {display(store)}")
        for t in TABLES:
            n = con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            mix = con.execute(f'SELECT status, count(*) FROM "{t}" GROUP BY 1 ORDER BY 1').fetchall()
            print(f"  {t:<24} {n:>10,}  " + ", ".join(f"{s}: {c:,}" for s, c in mix))
            if n:
                print(_sources_line(con, t, show_all=args.sources))
        print(f"  imports logged: {con.execute('SELECT count(*) FROM import_log').fetchone()[0]}")
        return 0
    if args.command in ("validate", "import"):
        # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
        from .importer import check_file, import_file, is_survey_workbook
        if args.workbook or (not args.table and is_survey_workbook(args.file)):
            return _workbook(args, store)
        if not args.table:
            print("error: --table is required (except for the member survey workbook); one of: "
                  + ", ".join(TABLES), file=sys.stderr)
            return 2
        if args.command == "validate":
            v, rows = check_file(args.file, args.table, mapping=args.mapping, store=store,
                                 allow_formula_text=args.allow_formula_text)
            _report(v, rows)
            return 0 if v.ok else 1
        if args.quarantine:
            return _import_partial(args, store)
        result = import_file(args.file, args.table, mapping=args.mapping, store=store,
                             allow_formula_text=args.allow_formula_text, replace=args.replace,
                             wait=args.wait, progress=_progress)
        print(f"imported {result.rows_written:,} of {result.rows_read:,} rows into {result.table}"
              + (f" (import {result.import_id}; replaces import "
                 f"{', '.join(map(str, result.replaced))})" if result.replaced else ""))
        if result.warnings:
            print("warnings:")
            _print_issues(result.warnings, sys.stdout)
        _write_review(args, result)
        return 0
    if args.command == "review":
        return _apply_review(args, store)
    if args.command == "backup":
        info = st.backup(args.out, store)
        print(f"backed up {display(store)} to {args.out}: {sum(info['tables'].values()):,} rows in "
              f"{len(info['tables'])} tables, {info['imports']} import(s) logged")
        return 0
    if args.command == "restore":
        info = st.restore(args.backup_file, store, wait=args.wait, progress=_progress)
        print(f"restored {display(store)} from {args.backup_file}: {sum(info['tables'].values()):,} rows "
              f"in {len(info['tables'])} tables, {info['imports']} import(s) logged")
        return 0
    if args.command == "template":
        # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
        from .template import write_template
        write_template(args.out)
        print(f"wrote {args.out}")
        return 0
    if args.command == "export":
        # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
        from .export import export_table
        con = st.connect(store, read_only=True)
        n = export_table(con, args.table, args.format, args.out)
        print(f"wrote {n:,} rows to {args.out}")
        return 0
    if args.command == "pack":
        return _pack(args, store)
    if args.command == "visitors":
        return _visitors(args, st.connect(store, read_only=True))
    if args.command == "generate":
        # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
        from .synthetic import generate_store
        if not isinstance(store, Path):
            print("error: generate writes a DuckDB file; pass --store PATH.duckdb", file=sys.stderr)
            return 2
        if not args.store or store == paths.DEFAULT_STORE.resolve():
            print("error: generate never writes the default store; pass --store PATH", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        counts = generate_store(store, institutions=args.institutions, objects=args.objects,
                                seed=args.seed)
        print(f"generated {store} in {time.perf_counter() - t0:.1f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        return 0
    return 2


def _pack(args, store: Path) -> int:
    """Build the conference pack without the browser; the zip appears whole or not at all."""
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    from . import store as st
    from .presentation import Sequence, sample_sequence
    from .slides import sequence_pack
    if args.sequence == "sample":
        seq = sample_sequence()
    else:
        seq = Sequence.from_json(Path(args.sequence).read_bytes(), file=args.sequence)
    out = Path(args.out)
    reader = st.open_reader(store)
    try:
        data, report = sequence_pack(reader.cursor(), seq.views, images=not args.no_images,
                                     progress=lambda m: print(f"  {m}"))
    finally:
        reader.close()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {out}: {len(seq.views)} views, {len(report.files)} files, "
          f"{len(data) / 1e6:.1f} MB in {report.seconds:.0f} s")
    for s in report.skipped:
        print(f"skipped: {s}")
    return 0


def _write_review(args, result) -> None:
    rep = getattr(result, "identity", None)
    if getattr(args, "review", None) and rep is not None:
        # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
        from .identity import write_review_csv
        n = write_review_csv(rep.review, args.review)
        print(f"{n:,} rows held for review written to {args.review}: fill 'decision' (merge / new "
              f"/ skip), then run: python -m asemus_data review {args.review}")


def _apply_review(args, store: Path) -> int:
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    import pandas as pd

    from . import store as st
    from .identity import apply_review
    decisions = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    with st.writing(store) as con:
        counts = apply_review(con, decisions, file=args.file)
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
    return 0


def _visitors(args, con) -> int:
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    from .exhibitions import SeriesFilter, year_total
    from .geo import normalize_country
    codes = []
    for c in args.country:
        hit = normalize_country(c)
        if hit is None:
            print(f"error: unknown country '{c}': use an English name or an ISO 3166 code",
                  file=sys.stderr)
            return 2
        codes.append(hit[0])
    t = year_total(con, args.year, SeriesFilter(countries=tuple(codes)))
    where = ", ".join(codes) or "all countries"
    if t["visitors"] is None:
        print(f"{args.year} ({where}): no institution reported visitors")
        return 0
    print(f"{args.year} ({where}): {t['visitors']:,} visitors over {t['reporting']:,} reporting "
          f"institutions ({t['institutions']:,} listed; closed or not communicated = a gap, not "
          f"zero)" + (f"; {t['withheld']} figures withheld as conflicts" if t["withheld"] else ""))
    return 0


def _workbook(args, store: Path) -> int:
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    from .importer import check_workbook, import_workbook
    if args.table or args.mapping:
        print("error: --workbook reads every sheet of the survey workbook as it is: leave out "
              "--table and --mapping", file=sys.stderr)
        return 2
    if args.command == "validate":
        checks = check_workbook(args.file, store=store, allow_formula_text=args.allow_formula_text)
        for v, rows in checks.values():
            _report(v, rows)
        return 0 if all(v.ok for v, _ in checks.values()) else 1
    out = import_workbook(args.file, store=store, allow_formula_text=args.allow_formula_text,
                          partial=bool(args.quarantine), rejects_path=args.quarantine,
                          replace=args.replace, wait=args.wait, progress=_progress)
    print(f"imported {out.rows_written:,} rows from {len(out.sheet_rows)} sheet(s) of {args.file}"
          + (f"; empty sheets: {', '.join(out.empty)}" if out.empty else ""))
    print(out.summary().to_string(index=False))
    if args.quarantine and any(len(r) for r in out.rejects.values()):
        base = Path(args.quarantine)
        print("refused rows, with their reasons, in: " + ", ".join(
            f"{base.stem}-{t}{base.suffix or '.csv'}" for t, r in out.rejects.items() if len(r)))
    return 0 if out.rows_written or not args.quarantine else 1


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def _import_partial(args, store: Path) -> int:
    # lazy: each command loads what it needs, --help no data stack (tests/test_cli_startup.py)
    from .importer import import_partial
    kwargs = {k: getattr(args, k) for k in ("replace",) if hasattr(args, k)}
    out = import_partial(args.file, args.table, mapping=args.mapping, store=store,
                         allow_formula_text=args.allow_formula_text,
                         rejects_path=args.quarantine, **kwargs)
    print(f"imported {out.rows_written:,} of {out.rows_read:,} rows into {args.table}")
    if out.rows_left_out:
        print(f"  {_rows(out.rows_left_out)} left out by the mapping's keep/drop steps")
    if len(out.rejects):
        print(f"  {_rows(len(out.rejects))} refused, written with their reasons (_reasons) to "
              f"{args.quarantine}: fix them there and import that file again"
              + (" with the same mapping" if args.mapping else ""))
    else:
        print(f"  no row refused; {args.quarantine} holds only the header")
    if out.result is not None and out.result.warnings:
        print("warnings:")
        _print_issues(out.result.warnings, sys.stdout)
    return 0 if out.result is not None else 1


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _report(v, rows: int) -> None:
    if v.ok:
        print(f"{v.file}: {rows:,} rows, valid for table '{v.table}'")
    else:
        print(f"{v.file}: {len(v.errors)} problem(s) for table '{v.table}':", file=sys.stderr)
        _print_issues(v.errors)
    if v.warnings:
        print("warnings:")
        _print_issues(v.warnings, sys.stdout)
    if v.date_report:
        d = v.date_report
        print(f"dates: {d['parsed']} of {d['total']} read, {d.get('open', 0)} with one year left open "
              f"(e.g. 'after 1850'), {d['undated']} undated, {d['unparsed']} kept as written (unparsed)")


if __name__ == "__main__":
    sys.exit(main())
