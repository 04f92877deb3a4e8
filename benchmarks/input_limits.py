"""Hostile and large inputs against the readers' resource limits (issue 15, finding 2).

Run ``python -m benchmarks.input_limits [--rows 3000000] [--accepted 1000000]``. Files are written to
a temporary folder; each is then read in a fresh interpreter (the way a server process would meet
it) and the benchmark prints, per file: its size, whether it was refused (and the setting named),
wall time and peak memory of that process (``VmHWM``, minus an interpreter that only imported the
same libraries). The files:

- the issue's YAML mapping of nine levels of nested aliases (before: 0.4 -> 3.0 GB, 68 s CPU);
- a CSV of ``--rows`` rows x 5 columns (the issue's 70 MB / 3 million rows: before 4.7 GB peak);
- an .xlsx whose sheet holds ``--rows`` rows but whose stated dimension claims two (before, on the
  CLI: 3.9 GB and 5 minutes, then a traceback);
- a CSV of ``--accepted`` rows, within the limits: what one accepted upload costs.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def alias_bomb(path: Path) -> Path:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + "\ncolumns: *a9\n")
    return path


def csv_rows(path: Path, rows: int) -> Path:
    with open(path, "wb") as fh:
        fh.write(b"institution_name,country,year,visitors,source\n")
        fh.writelines(b"".join(b"M%07d,KOR,2019,%d,s\n" % (i, i % 997)
                              for i in range(start, min(start + 100_000, rows)))
                      for start in range(0, rows, 100_000))
    return path


def xlsx_rows(path: Path, rows: int) -> Path:
    # openpyxl only to write the spreadsheet case
    import openpyxl
    small = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["a"])
    wb.save(small)
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
            b'schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:A2"/>'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>')
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                         compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open(info.filename, "w") as out:
                out.write(head)
                for start in range(2, rows + 2, 100_000):
                    out.write(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                                       for r in range(start, min(start + 100_000, rows + 2))))
                out.write(b"</sheetData></worksheet>")
    return path


def measure(call: str) -> dict:
    """Run ``call`` (an expression) in a fresh interpreter: outcome, seconds, peak MB."""
    code = textwrap.dedent(f"""
        import json, sys, time
        sys.path.insert(0, {str(PROJECT)!r})
        import pandas, openpyxl, yaml, pyarrow.parquet, charset_normalizer
        from asemus_data.errors import InputError
        from asemus_data.mapping import load_mapping
        from asemus_data.readers import read_file
        t0 = time.perf_counter()
        try:
            result = {call}
            out = {{"outcome": f"read, {{len(result):,}} rows" if hasattr(result, "__len__")
                    else "read"}}
        except InputError as exc:
            out = {{"outcome": "refused: " + exc.issues[0].rule}}
        out["seconds"] = time.perf_counter() - t0
        hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0]
        out["peak_mb"] = int(hwm.split()[1]) / 1024
        print(json.dumps(out))
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, cwd=PROJECT)
    if res.returncode:
        return {"outcome": "CRASH " + res.stderr.strip().splitlines()[-1], "seconds": float("nan"),
                "peak_mb": float("nan")}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=3_000_000)
    ap.add_argument("--accepted", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    base = measure("None")["peak_mb"]
    print(f"baseline interpreter with pandas/openpyxl/pyarrow: {base:.0f} MB")
    with tempfile.TemporaryDirectory(prefix="asemus-limits-") as tmp:
        tmp = Path(tmp)
        cases = [
            ("YAML alias bomb", alias_bomb(tmp / "bomb.yaml"), "load_mapping"),
            (f"CSV {args.rows:,} rows", csv_rows(tmp / "big.csv", args.rows), "read_file"),
            (f"xlsx {args.rows:,} rows", xlsx_rows(tmp / "big.xlsx", args.rows), "read_file"),
            (f"CSV {args.accepted:,} rows (accepted)", csv_rows(tmp / "ok.csv", args.accepted),
             "read_file"),
        ]
        print(f"{'file':32} {'size':>9} {'seconds':>8} {'peak MB':>8}  outcome")
        for label, path, fn in cases:
            r = measure(f"{fn}({str(path)!r})")
            size = path.stat().st_size
            size_text = f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size} B"
            print(f"{label:32} {size_text:>9} {r['seconds']:8.1f} {r['peak_mb'] - base:8.0f}  "
                  f"{r['outcome'][:110]}")


if __name__ == "__main__":
    main()
