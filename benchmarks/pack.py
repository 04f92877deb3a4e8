"""Benchmark: the conference pack for the five-view sample sequence (five pages), target < 60 s.

    python -m benchmarks.pack [--store PATH] [--no-images]
"""
from __future__ import annotations

import argparse
import io
import time
import zipfile

from asemus_data import pack, slides, store
from asemus_data.presentation import sample_sequence


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", default=None, help="store file (default: $ASEMUS_STORE or the default)")
    ap.add_argument("--no-images", action="store_true")
    args = ap.parse_args()
    con = store.connect(args.store, read_only=True)
    seq = sample_sequence()
    t0 = time.perf_counter()
    parts = [(v.name, *slides.view_charts(con, v)) for v in seq.views]
    t_charts = time.perf_counter() - t0
    data, report = pack.build_pack(parts, images=not args.no_images)
    total = time.perf_counter() - t0
    z = zipfile.ZipFile(io.BytesIO(data))
    kinds = {}
    for n in z.namelist():
        kinds[n.rsplit(".", 1)[-1]] = kinds.get(n.rsplit(".", 1)[-1], 0) + 1
    print(f"{'views':<28}{len(seq.views):>10}")
    print(f"{'charts':<28}{sum(len(p[2]) for p in parts):>10}")
    print(f"{'charts and data (s)':<28}{t_charts:>10.1f}")
    print(f"{'whole pack (s)':<28}{total:>10.1f}   target < 60 s {'OK' if total < 60 else 'MISSED'}")
    print(f"{'zip size (MB)':<28}{len(data) / 1e6:>10.1f}")
    print(f"{'files by kind':<28}{', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}")
    for s in report.skipped:
        print(f"skipped: {s}")


if __name__ == "__main__":
    main()
