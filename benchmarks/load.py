"""Load test: ``python -m benchmarks.load --sessions N --minutes M``.

Starts ``streamlit run app.py`` on a private copy of the store (never the shared one), then drives
N headless Chromium sessions (Playwright, Debian's Chromium, one browser with N contexts) through
every page in turn for M minutes, each session opening the next page as soon as the last one has
settled. Every request that would leave 127.0.0.1 is blocked and counted. With ``--import FILE
--table T`` a command-line import of FILE runs again and again (``--replace``) during the test,
so the figures show the app while the store is being written.

Before the clock starts, one session opens every page once (a warm-up, printed apart: the first
visit of a page pays for Python imports and cold caches). Prints: visits, errors (a page with a Python exception, or one the app said it could not read),
timeouts (no settled page within ``--page-timeout``), latency p50 / p90 / max overall and per
page, imports done, and the server's resident memory over time.

Bounded: at most 50 sessions and 60 minutes; the server and browser are stopped on exit.

Examples::

    python -m benchmarks.load --sessions 4 --minutes 1
    python -m benchmarks.load --sessions 20 --minutes 3 --port 8613
    python -m benchmarks.load --sessions 8 --minutes 2 --import big.csv --table objects
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))
import browser_support as bs  # the test harness's server and page list

MAX_SESSIONS = 50
MAX_MINUTES = 60
#: What a visitor sees when the store cannot be read: counted as an error.
UNAVAILABLE = ("The data is being updated", "The data cannot be read")


@dataclass
class Visit:
    page: str
    seconds: float
    ok: bool
    timeout: bool
    started: float
    detail: str = ""


@dataclass
class Stats:
    visits: list[Visit] = field(default_factory=list)
    blocked: int = 0
    memory: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)
    imports: list[tuple[float, float, int]] = field(default_factory=list)  # (start, s, code)
    t_start: float = 0.0


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the Streamlit server), in MB."""
    total = 0
    pids = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(k) for k in kids]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def settle(page, timeout_s: float) -> None:
    """Wait until the app's script has finished: the main block has content and the "running"
    status widget stayed away for three polls in a row."""
    await page.wait_for_selector(bs.APP_VIEW, timeout=timeout_s * 1000)
    await page.wait_for_selector(bs.MAIN_ELEMENT, timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    quiet = 0
    while quiet < 3:
        if time.monotonic() > deadline:
            raise TimeoutError
        quiet = quiet + 1 if await page.locator(bs.STATUS_WIDGET).count() == 0 else 0
        await asyncio.sleep(0.2)


async def session(browser, base: str, pages, stop_at: float, stats: Stats, n: int,
                  timeout_s: float, limit: int | None = None) -> None:
    """One visitor: every page in turn (starting at page ``n``) until ``stop_at``, or for
    ``limit`` visits."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})

    async def guard(route):
        if bs.is_external(route.request.url):
            stats.blocked += 1
            await route.abort()
        else:
            await route.continue_()
    await ctx.route("**/*", guard)
    page = await ctx.new_page()
    i = n
    try:
        while (time.monotonic() < stop_at) if limit is None else (i - n < limit):
            target = pages[i % len(pages)]
            i += 1
            t0 = time.monotonic()
            ok, timed_out, detail = True, False, ""
            try:
                await page.goto(base + target.url, timeout=timeout_s * 1000)
                await settle(page, timeout_s)
                if await page.locator(bs.EXCEPTION).count():
                    ok, detail = False, "exception"
                else:
                    text = await page.locator(bs.MAIN).first.inner_text()
                    if any(u in text for u in UNAVAILABLE):
                        ok, detail = False, "store unavailable"
            except TimeoutError as exc:
                ok, timed_out, detail = False, True, type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - playwright's own timeout and errors
                timed_out = "Timeout" in type(exc).__name__
                ok, detail = False, f"{type(exc).__name__}: {str(exc)[:80]}"
            stats.visits.append(Visit(target.name, time.monotonic() - t0, ok, timed_out, t0,
                                      detail))
    finally:
        await ctx.close()


async def sample_memory(pid: int, stop_at: float, stats: Stats, t_start: float,
                        every: float = 5.0) -> None:
    while True:
        stats.memory.append((time.monotonic() - t_start, _rss_mb(pid)))
        if time.monotonic() >= stop_at:
            return
        await asyncio.sleep(min(every, max(0.1, stop_at - time.monotonic())))


async def keep_importing(store: Path, file: Path, table: str, stop_at: float, stats: Stats,
                         t_start: float) -> None:
    """Run ``import FILE --replace`` again and again until the end of the test."""
    while time.monotonic() < stop_at:
        t0 = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "asemus_data", "import", str(file), "--table", table,
            "--store", str(store), "--replace", cwd=PROJECT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        code = await proc.wait()
        stats.imports.append((t0 - t_start, time.monotonic() - t0, code))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def run(args, store: Path) -> tuple[Stats, float]:
    from playwright.async_api import async_playwright

    stats = Stats()
    pages = bs.app_pages()
    server = bs.StreamlitServer(store, port=args.port,
                                log=Path(tempfile.gettempdir()) / "asemus-load-streamlit.log")
    server.start(timeout=120)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(bs.CHROMIUM),
                                              args=bs.CHROMIUM_ARGS)
            try:
                if args.warmup:  # the first visit of each page pays for imports and cold caches
                    warm = Stats()
                    await session(browser, server.url, pages, time.monotonic() + 0.01, warm, 0,
                                  args.page_timeout, limit=len(pages))
                    print("warm-up: " + ", ".join(f"{x.page} {x.seconds:.1f}s"
                                                  for x in warm.visits), flush=True)
                t_start = stats.t_start = time.monotonic()
                stop_at = t_start + args.minutes * 60
                tasks = [session(browser, server.url, pages, stop_at, stats, n, args.page_timeout)
                         for n in range(args.sessions)]
                tasks.append(sample_memory(server.proc.pid, stop_at, stats, t_start))
                if args.import_file:
                    tasks.append(keep_importing(store, Path(args.import_file), args.table,
                                                stop_at, stats, t_start))
                await asyncio.gather(*tasks)
                elapsed = time.monotonic() - t_start
            finally:
                await browser.close()
    finally:
        server.stop()
    return stats, elapsed


def report(stats: Stats, args, elapsed: float) -> None:
    v = stats.visits
    lat = [x.seconds for x in v if not x.timeout]
    errors = [x for x in v if not x.ok and not x.timeout]
    timeouts = [x for x in v if x.timeout]
    print(f"\n{args.sessions} session(s) x {args.minutes:g} min (ran {elapsed:.0f} s), "
          f"{len(bs.app_pages())} pages in turn")
    print(f"visits {len(v)}  errors {len(errors)}  timeouts {len(timeouts)}  "
          f"external requests blocked {stats.blocked}")
    print(f"latency (s): p50 {pct(lat, 50):.2f}  p90 {pct(lat, 90):.2f}  "
          f"max {max(lat, default=float('nan')):.2f}")
    print(f"{'page':<18}{'visits':>7}{'p50':>8}{'p90':>8}{'max':>8}")
    for name in dict.fromkeys(x.page for x in v):
        s = [x.seconds for x in v if x.page == name and not x.timeout]
        print(f"{name:<18}{sum(x.page == name for x in v):>7}{pct(s, 50):>8.2f}"
              f"{pct(s, 90):>8.2f}{max(s, default=float('nan')):>8.2f}")
    for x in (errors + timeouts)[:10]:
        print(f"  ! {x.page}: {x.detail}")
    if stats.imports:
        ok = sum(1 for _, _, c in stats.imports if c == 0)
        during = [x.seconds for x in v if not x.timeout and any(
            s <= x.started - stats.t_start <= s + d for s, d, _ in stats.imports)]
        print(f"imports run {len(stats.imports)}, succeeded {ok}, mean "
              f"{statistics.mean(d for _, d, _ in stats.imports):.1f} s; latency during imports: "
              f"p50 {pct(during, 50):.2f}  p90 {pct(during, 90):.2f}")
    print("server memory (MB) over time:")
    print("  " + "  ".join(f"{t:.0f}s:{mb:.0f}" for t, mb in stats.memory))
    if stats.memory:
        mbs = [mb for _, mb in stats.memory]
        print(f"  start {mbs[0]:.0f}  max {max(mbs):.0f}  end {mbs[-1]:.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--store", help="store to copy and serve (default: a fresh build of data/)")
    ap.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    ap.add_argument("--page-timeout", type=float, default=60.0,
                    help="seconds before a page counts as a timeout")
    ap.add_argument("--import", dest="import_file", metavar="FILE",
                    help="keep importing FILE (with --replace) during the test")
    ap.add_argument("--table", help="the table FILE holds (with --import)")
    ap.add_argument("--no-warmup", dest="warmup", action="store_false",
                    help="count the first (cold) visit of each page too")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 0 < args.minutes <= MAX_MINUTES:
        ap.error(f"--sessions 1..{MAX_SESSIONS}, --minutes up to {MAX_MINUTES}")
    if args.import_file and not args.table:
        ap.error("--import needs --table")
    if not bs.CHROMIUM.exists():
        ap.error(f"Chromium not found at {bs.CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="asemus-load-") as tmp:
        store = Path(tmp) / "store.duckdb"
        if args.store:
            shutil.copyfile(args.store, store)
        else:
            from asemus_data import store as st
            st.build(store)
        print(f"serving a copy of the store: {store}", flush=True)
        stats, elapsed = asyncio.run(run(args, store))
        report(stats, args, elapsed)
    return 0 if stats.visits and all(x.ok for x in stats.visits) else 1


if __name__ == "__main__":
    sys.exit(main())
