"""Benchmark: how long `generate --institutions 2000 --objects 1000000` takes.

    python -m benchmarks.generate [--objects N] [--institutions N] [--store PATH]
"""
from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from asemus_data.synthetic import generate_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--institutions", type=int, default=2000)
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--store", default="/tmp/asemus-bench/generate.duckdb")
    args = ap.parse_args()
    path = Path(args.store)
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    counts = generate_store(path, institutions=args.institutions, objects=args.objects, seed=42)
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'institutions':<16}{counts['institutions']:>12,}")
    print(f"{'objects':<16}{counts['objects']:>12,}")
    print(f"{'collections':<16}{counts['collections']:>12,}")
    print(f"{'ties':<16}{counts['collaborations']:>12,}")
    print(f"{'time':<16}{secs:>11.1f} s")
    print(f"{'peak memory':<16}{peak:>9,.0f} MB")
    print(f"{'store size':<16}{os.path.getsize(path) / 1e6:>9,.0f} MB")


if __name__ == "__main__":
    main()
