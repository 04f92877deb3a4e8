"""Score the free-text date parser against dates a museum catalogued with its own years.

Run ``python -m benchmarks.dates [--worst 8] [--split dev|held-out|both]``. It reads
``../shared/open_data/dates-labelled-cmoa-dev.csv`` (resolved from this file, not from the working
directory): about 1,500 distinct date texts of the Carnegie Museum of Art's open-access collection
(CC0) with the earliest and latest year the museum itself gives each object. Each text is parsed once
with :func:`asemus_data.dates.parse_date` (month first, as this US museum writes ``5/12/1929``) and
compared with the museum's years.

The rows are split deterministically by a hash of the text into a *dev* half (looked at while
improving the parser) and a *held-out* half (only scored), so that an improvement that merely fits the
dev strings shows up as a gap between the two. Figures per half:

- read: share of texts the parser understood: both years, or one year with the other kept open
  because the text leaves it open ("after 1850", "1916, printed posthumously");
- both years: share given both a start and an end year;
- both within 1: share of all texts whose start and end are each within one year of the museum's;
- off>25: share of all texts read with a start or end more than 25 years away from the museum's;
  split into *flagged* (the parser marks the date ``uncertain``: the text doubts itself, or
  ``several readings``: collections read it more than one way, as "1931, printed 1979" or
  "18th-19th century") and *silent* (no such mark). The mark is stored with each object
  (``objects.date_certainty``) and shown next to its dates on the Collections map and
  Masterpieces pages, so a flagged miss tells the user to check; a silent one is a wrong number
  shown as fact. The ``approximate`` mark of circa does not count: "c. 1800 BCE" read as
  1805-1795 BCE where the museum has 1900-1700 BCE is a silent miss. No year moves between the
  two columns: the flag changes what the user is told, not the years;
- flagged uncertain / several readings: share so marked, right or wrong (the price of the mark:
  each one asks the user to check);
- time per text: mean CPU time of one parse, caches cleared (CPU rather than wall time, so the
  figure does not depend on what else the machine is doing).

The same figures weighted by the number of objects that carry each text with exactly these years
(``objects_with_these_years``) follow in a second table: that is what a collection's dashboard
shows, and the measure of issue 11 (the old parser scored 97.9 % read, 69.3 % within one year and
1.1 % off by more than 25 years, none of it marked; now 99.9 % read, 92.9 % within one year and
1.16 % off by more than 25 years, of which 1.0 % carry a stored "several readings" or
"uncertain" mark and 0.16 % are unmarked: 0.16 % on the dev half, 0.15 % on the held-out half).

The worst misses are listed by the form of the text (circa, century, range, ...).
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from pathlib import Path

import pandas as pd

from asemus_data import dates

LABELLED = Path(__file__).resolve().parents[2] / "shared" / "open_data" / "dates-labelled-cmoa-dev.csv"
#: A start or end further than this from the museum's own year counts as a serious miss.
FAR = 25
#: Within this many years of the museum's own year counts as agreeing.
NEAR = 1
#: Objects per labelled text and years: the weight of the per-object figures.
OBJECTS = "objects_with_these_years"

_CATEGORIES = (
    ("secondary clause", re.compile(r"printed|designed|manufactured|retouched|cast|published|"
                                    r"executed|reissued|,.*\d{3}|\(.*\).*\d{3}", re.IGNORECASE)),
    ("open-ended", re.compile(r"before|after|earlier|later|not\s+(?:before|after)|pre-|post-",
                              re.IGNORECASE)),
    ("uncertain", re.compile(r"\?|possibly|probably|perhaps", re.IGNORECASE)),
    ("century", re.compile(r"centur|millenn", re.IGNORECASE)),
    ("decade", re.compile(r"\d0'?s\b", re.IGNORECASE)),
    ("calendar date", re.compile(r"[a-z]{3,}\.? \d{1,2},? \d{4}|\d{1,2}/\d{1,2}/\d{4}|^\d{1,2}/\d{4}$"
                                 r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s",
                                 re.IGNORECASE)),
    ("circa", re.compile(r"^\s*(?:c\.|ca\.|circa|about)", re.IGNORECASE)),
    ("period name", re.compile(r"[a-z]{3,}", re.IGNORECASE)),
    ("range", re.compile(r"\d\s*[-/]\s*\d")),
    ("year", re.compile(r"^\s*\d{1,4}\s*(?:bce|ce|bc|ad)?\s*$", re.IGNORECASE)),
)


def category(text: str) -> str:
    """The form of a date text, for grouping misses (first matching rule wins)."""
    for name, rx in _CATEGORIES:
        if rx.search(text):
            return name
    return "other"


def split_of(text: str) -> str:
    """``dev`` or ``held-out``, fixed by the text's SHA-1 so the split never changes."""
    return "dev" if hashlib.sha1(text.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def load(path: Path = LABELLED) -> pd.DataFrame:
    """The labelled texts with their years (int) and their split."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df[df["date_text"].str.strip() != ""].drop_duplicates("date_text").copy()
    for col in ("earliest_year", "latest_year"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    df["split"] = df["date_text"].map(split_of)
    df["category"] = df["date_text"].map(category)
    return df.reset_index(drop=True)


def score(df: pd.DataFrame) -> pd.DataFrame:
    """Parse every text (caches cleared, timed) and add start, end, uncertain, readings, flagged
    (either mark), off and verdicts."""
    dates._gazetteer()  # loaded once per process: not part of any text's time
    dates._parse_text.cache_clear()
    out = df.copy()
    starts, ends, flags, readings, methods, times = [], [], [], [], [], []
    for text in out["date_text"]:
        t0 = time.process_time()
        p = dates.parse_date(text, dayfirst=False)
        times.append(time.process_time() - t0)
        methods.append(p.method)
        starts.append(p.start)
        ends.append(p.end)
        flags.append(bool(getattr(p, "uncertain", False)))
        readings.append(bool(getattr(p, "readings", False)) and not flags[-1])
    out["start"] = pd.array(starts, dtype="Int64")
    out["end"] = pd.array(ends, dtype="Int64")
    out["uncertain"] = flags
    out["readings"] = readings          # several readings (and not also doubted)
    out["flagged"] = out["uncertain"] | out["readings"]
    out["method"] = methods
    out["seconds"] = times
    out["parsed"] = out["start"].notna() & out["end"].notna()
    out["read"] = ~out["method"].isin(["empty", "undated", "unparsed"])
    off = pd.concat([(out["start"] - out["earliest_year"]).abs(),
                     (out["end"] - out["latest_year"]).abs()], axis=1).max(axis=1)
    out["off"] = off
    out["near"] = out["parsed"] & (off <= NEAR).fillna(False)
    out["far"] = out["parsed"] & (off > FAR).fillna(False)
    return out


def summary(scored: pd.DataFrame, weight: str | None = None) -> dict:
    """The headline figures of one scored half, in percent of its texts (or of its objects when
    ``weight`` names the column of objects per text)."""
    w = scored[weight].astype("int64") if weight else pd.Series(1, index=scored.index)
    n = int(w.sum())
    def pct(mask):
        return 100.0 * int(w[mask].sum()) / n if n else float("nan")
    return {
        ("objects" if weight else "texts"): n,
        "read %": pct(scored["read"]),
        "both years %": pct(scored["parsed"]),
        "both within 1 %": pct(scored["near"]),
        "off>25 %": pct(scored["far"]),
        "off>25 flagged %": pct(scored["far"] & scored["flagged"]),
        "off>25 silent %": pct(scored["far"] & ~scored["flagged"]),
        "flagged uncertain %": pct(scored["uncertain"]),
        "flagged several readings %": pct(scored["readings"]),
        "CPU per text (us)": 1e6 * float(scored["seconds"].mean()) if len(scored) else float("nan"),
    }


def _worst(scored: pd.DataFrame, per_category: int) -> pd.DataFrame:
    miss = scored[~scored["near"]].copy()
    # Unparsed texts rank with the serious misses; among parsed ones the largest offset first.
    miss["rank"] = miss["off"].astype("Float64").fillna(10_000)
    miss = miss.sort_values(["category", "rank"], ascending=[True, False])
    return miss.groupby("category", sort=True).head(per_category)


def main(argv: list[str] | None = None) -> int:
    """Print the score table and the worst misses; returns a process exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worst", type=int, default=6, help="misses listed per category (dev half)")
    ap.add_argument("--split", choices=("dev", "held-out", "both"), default="dev",
                    help="which half's misses to list (held-out: only look at the end)")
    ap.add_argument("--file", type=Path, default=LABELLED)
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"labelled file not found: {args.file}", file=sys.stderr)
        return 2
    scored = score(load(args.file))
    tables = {}
    for weight in (None, OBJECTS):
        rows = {name: summary(scored[scored["split"] == name], weight) for name in ("dev", "held-out")}
        rows["all"] = summary(scored, weight)
        tables[weight] = pd.DataFrame(rows).T
    with pd.option_context("display.float_format", "{:.2f}".format, "display.width", 160):
        print(f"Date parser on {args.file.name} (targets: read >= 98.5, both within 1 >= 85, "
              f"off>25 silent <= 0.5)\n\nPer distinct text:")
        print(tables[None].to_string())
        print("\nPer object (each text weighted by the objects that carry it with these years):")
        print(tables[OBJECTS].drop(columns="CPU per text (us)").to_string())
        print("\nBy form of text (all texts): n, % both within 1, % read, % off>25 silent")
        scored["silent"] = scored["far"] & ~scored["flagged"]
        by = scored.groupby("category").agg(n=("near", "size"), near=("near", "mean"),
                                            read=("read", "mean"), silent=("silent", "mean"))
        by[["near", "read", "silent"]] *= 100
        print(by.sort_values("n", ascending=False).to_string())
    shown = scored if args.split == "both" else scored[scored["split"] == args.split]
    silent = shown[shown["far"] & ~shown["flagged"]]
    print(f"\nSilently off by more than {FAR} years ({args.split}, {len(silent)}):")
    for r in silent.itertuples(index=False):
        print(f"    {r.date_text!r:48} museum {r.earliest_year}..{r.latest_year}  parser {r.start}..{r.end}")
    if args.worst:
        worst = _worst(shown, args.worst)
        print(f"\nWorst misses by category ({args.split}):")
        for cat, grp in worst.groupby("category", sort=True):
            print(f"  [{cat}]")
            for r in grp.itertuples(index=False):
                got = f"{r.start}..{r.end}" if r.parsed else r.method
                flag = " ?" if r.uncertain else (" (several readings)" if r.readings else "")
                print(f"    {r.date_text!r:48} museum {r.earliest_year}..{r.latest_year}  "
                      f"parser {got}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
