"""Load test: ``python -m benchmarks.load --sessions N --minutes M``.

Starts ``streamlit run app.py`` on a private copy of the store (never the shared one), then drives
N headless Chromium sessions (Playwright, Debian's Chromium, one browser with N contexts) through
every page in turn for M minutes. Every request that would leave 127.0.0.1 is blocked and counted.

How a session behaves (printed with the figures, so nobody reads them without it):

- **Navigation**: a session opens the app by its address once, then goes from page to page by
  clicking the sidebar menu, as a visitor does (``--navigate url`` loads every page by its
  address instead: a full reload of Streamlit's front end each time).
- **Think time**: after a page has settled the visitor reads it for a random time, uniform
  between half and one and a half times ``--think`` seconds (default 20: a dashboard page is
  read, not skimmed); ``--think 0`` clicks on at once (a stress test, not a visitor).
- **Browsers at low priority**: in a real deployment each visitor's browser draws on its own
  machine. Here the N browsers draw WebGL and plotly in software on the server's own 2 cores, so
  Chromium runs under ``nice -n 19`` (``--browser-nice``, 0 to turn off): the browsers get every
  CPU cycle the server does not need, and they still draw every page. For the same reason a tab
  is frozen (Chrome's page lifecycle, as for a background tab) while its visitor reads it, and
  woken before the next click (``--no-freeze`` to keep it running): a page with a deck.gl map
  kept a third of a core busy in software rendering while nobody touched it, which on 20 tabs is
  more than these 2 cores have, and on a real visitor's machine costs the server nothing.

**What a visit's latency is**: from the click (or ``goto``) to the page settled: the server has
answered, no "Running" indicator, no stale or placeholder element left, the main area has
content, every plotly chart has drawn its SVG and every deck.gl map has its canvas in place (its
layers may go on drawing a moment longer: WebGL pixels are not read back). It is split
into the part until the script finished (as the browser saw it) and the drawing after it. The
server's own time per page run (wall clock and script-thread CPU, from ``ASEMUS_RUN_LOG`` written
by app.py) is printed beside it.

Before the clock starts, one session opens every page once (a warm-up, printed apart: the first
visit of a page pays for Python imports and cold caches). Prints: visits, errors (a page with a
Python exception, or one the app said it could not read), timeouts (no settled page within
``--page-timeout``), latency p50 / p90 / max overall and per page, server time per run, the load
average, and the server's resident memory over time (``--memory-every`` seconds).

``--during-import ROWS`` runs the test twice: M minutes idle, then M minutes while the command
line imports a ROWS-row visitor file (``benchmarks.imports``' synthetic ministry file, again and
again with ``--replace``), and prints the ratio of the two p90s. ``--import FILE --table T``
imports a file of your own instead (idle phase skipped).

Bounded: at most 50 sessions and 60 minutes; the server and browser are stopped on exit.

Examples::

    python -m benchmarks.load --sessions 4 --minutes 1
    python -m benchmarks.load --sessions 20 --minutes 3
    python -m benchmarks.load --sessions 20 --minutes 3 --during-import 1000000
    python -m benchmarks.load --sessions 20 --minutes 10 --memory-every 30    # the soak
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import async_playwright

from asemus_data import store as st
from benchmarks.imports import write_visitor_file

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))
import browser_support as bs  # noqa: E402  (the test harness's server and page list)

MAX_SESSIONS = 50
MAX_MINUTES = 60
POLL_S = 0.2
#: What a visitor sees when the store cannot be read: counted as an error.
UNAVAILABLE = ("The data is being updated", "The data cannot be read")

#: One look at the page: [running, stale, placeholders, elements in main, charts not drawn yet,
#: exception shown, path]. Lazily loaded charts show a skeleton until their code has arrived.
PAGE_STATE_JS = """() => {
  const q = (s, root) => (root || document).querySelectorAll(s);
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  let undrawn = 0;
  for (const c of q('[data-testid="stPlotlyChart"]')) if (!c.querySelector('.main-svg')) undrawn++;
  for (const c of q('[data-testid="stDeckGlJsonChart"]')) if (!c.querySelector('canvas')) undrawn++;
  return [q('[data-testid="stStatusWidget"]').length > 0,
          q('[data-stale="true"]').length,
          q('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]').length,
          main ? q('[data-testid="stElementContainer"]', main).length : 0,
          undrawn,
          q('[data-testid="stException"]').length > 0,
          location.pathname];
}"""


@dataclass
class Visit:
    page: str
    seconds: float        # navigation -> page settled and drawn
    script: float         # navigation -> script finished, as the browser saw it
    ok: bool
    timeout: bool
    started: float        # time.monotonic()
    phase: str
    detail: str = ""


@dataclass
class Stats:
    visits: list[Visit] = field(default_factory=list)
    blocked: int = 0
    memory: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)
    imports: list[tuple[float, float, int]] = field(default_factory=list)  # (start, s, code)
    loadavg: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    phases: list[tuple[str, float, float, float, float, float, float]] = field(
        default_factory=list)
    #: (name, monotonic start, end, wall-clock start, end, server CPU s, browsers' CPU s)
    t_start: float = 0.0


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) used so far by a process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


#: Processes of ours that are not the browsers (the command-line imports).
NOT_BROWSERS: set[int] = set()


def _browser_cpu_s(server_pid: int) -> float:
    """CPU seconds used so far by this benchmark's browsers: every process below this one
    (Playwright's driver, Chromium and its renderers), the server and the imports left out."""
    stats = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(d.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    mine, total = {os.getpid()}, 0
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in stats.items():
            if ppid in mine and pid not in mine and pid != server_pid and pid not in NOT_BROWSERS:
                mine.add(pid)
                grew = True
    for pid in mine - {os.getpid()}:
        total += stats.get(pid, (0, 0))[1]
    return total / os.sysconf("SC_CLK_TCK")


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


class Frames:
    """When the page last received a websocket frame (the server answering)."""

    def __init__(self, page):
        self.last = 0.0

        def on_ws(ws):
            ws.on("framereceived", lambda _payload: setattr(self, "last", time.monotonic()))
        page.on("websocket", on_ws)


async def settle(page, frames: Frames, t0: float, path: str, timeout_s: float
                 ) -> tuple[float, float, bool]:
    """Wait for the page to settle after a navigation at ``t0``; returns (seconds until the
    script finished, seconds until everything was drawn, exception shown).

    A state counts from the first of two polls in a row that see it (so a page that only looks
    settled for an instant between two messages is not taken)."""
    deadline = t0 + timeout_s
    script_at = drawn_at = None
    seen_script = seen_drawn = None
    while True:
        now = time.monotonic()
        if now > deadline:
            raise TimeoutError(f"not settled after {timeout_s:.0f} s")
        try:
            running, stale, skeletons, elements, undrawn, exc, here = await page.evaluate(
                PAGE_STATE_JS)
        except Exception:  # noqa: BLE001 - the page is navigating: look again
            await asyncio.sleep(POLL_S)
            continue
        answered = frames.last > t0 and here == path
        finished = answered and not running and not stale and elements > 0
        drawn = finished and not skeletons and not undrawn
        seen_script = (seen_script or now) if finished else None
        seen_drawn = (seen_drawn or now) if drawn else None
        if script_at is None and seen_script and seen_script < now:
            script_at = seen_script
        if seen_drawn and seen_drawn < now:
            drawn_at = seen_drawn
            return (script_at or drawn_at) - t0, drawn_at - t0, bool(exc)
        await asyncio.sleep(POLL_S)


def _menu_link(page, title: str):
    return page.locator(bs.SIDEBAR_NAV).locator("a").filter(
        has_text=re.compile(rf"{re.escape(title)}\s*$")).first


async def session(browser, base: str, pages, stop_at: float, stats: Stats, n: int,
                  args, phase: str, limit: int | None = None) -> None:
    """One visitor: every page in turn (starting at page ``n``) until ``stop_at``, or for
    ``limit`` visits, thinking between visits."""
    rng = random.Random(args.seed * 1000 + n)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})

    async def guard(route):
        if bs.is_external(route.request.url):
            stats.blocked += 1
            await route.abort()
        else:
            await route.continue_()
    await ctx.route("**/*", guard)
    page = await ctx.new_page()
    frames = Frames(page)
    cdp = await ctx.new_cdp_session(page) if args.freeze else None
    i, loaded = n, False
    if limit is None and args.think > 0:  # sessions arrive spread out, not all at once
        await asyncio.sleep(rng.uniform(0, args.think))
    try:
        while (time.monotonic() < stop_at) if limit is None else (i - n < limit):
            target = pages[i % len(pages)]
            i += 1
            t0 = time.monotonic()
            ok, timed_out, detail, script, secs = True, False, "", float("nan"), float("nan")
            try:
                if args.navigate == "url" or not loaded:
                    await page.goto(base + target.url, timeout=args.page_timeout * 1000)
                else:
                    await _menu_link(page, target.title).click(timeout=args.page_timeout * 1000)
                script, secs, exc = await settle(page, frames, t0, target.url,
                                                 args.page_timeout)
                loaded = True
                if exc:
                    ok, detail = False, "exception"
                else:
                    text = await page.locator(bs.MAIN).first.inner_text()
                    if any(u in text for u in UNAVAILABLE):
                        ok, detail = False, "store unavailable"
            except TimeoutError as exc:
                ok, timed_out, detail = False, True, str(exc)
            except Exception as exc:  # noqa: BLE001 - playwright's own timeout and errors
                timed_out = "Timeout" in type(exc).__name__
                ok, detail = False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"
            if timed_out:
                loaded = False  # start again from the address
            stats.visits.append(Visit(target.name, secs, script, ok, timed_out, t0, phase,
                                      detail))
            if limit is None and args.think > 0:
                pause = rng.uniform(0.5 * args.think, 1.5 * args.think)
                pause = max(0.0, min(pause, stop_at - time.monotonic()))
                if cdp is not None and loaded:  # the visitor's own machine draws the idle page
                    await cdp.send("Page.setWebLifecycleState", {"state": "frozen"})
                await asyncio.sleep(pause)
                if cdp is not None and loaded:
                    await cdp.send("Page.setWebLifecycleState", {"state": "active"})
    finally:
        await ctx.close()


async def sample_memory(pid: int, stop_at: float, stats: Stats, every: float) -> None:
    while True:
        stats.memory.append((time.monotonic() - stats.t_start, _rss_mb(pid)))
        if time.monotonic() >= stop_at:
            return
        await asyncio.sleep(min(every, max(0.1, stop_at - time.monotonic())))


async def keep_importing(store: Path, cmd_args: list[str], stop_at: float, stats: Stats) -> None:
    """Run ``import ... --replace`` again and again until the end of the phase."""
    while time.monotonic() < stop_at:
        t0 = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "asemus_data", "import", *cmd_args, "--store", str(store),
            "--replace", cwd=PROJECT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        NOT_BROWSERS.add(proc.pid)
        try:
            code = await asyncio.wait_for(proc.wait(), timeout=max(1.0, stop_at - t0 + 600))
        except TimeoutError:
            proc.kill()
            code = await proc.wait()
        stats.imports.append((t0 - stats.t_start, time.monotonic() - t0, code))
        if code != 0:
            print(f"import exited with code {code}", flush=True)
            return


def pct(values: list[float], q: float) -> float:
    values = [v for v in values if v == v]  # no NaN
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _browser_executable(nice: int, folder: Path) -> Path:
    """Chromium, or a wrapper that starts it under ``nice`` (its renderers inherit it)."""
    if nice <= 0:
        return bs.CHROMIUM
    wrapper = folder / "chromium-nice"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n {int(nice)} "{bs.CHROMIUM}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


async def run(args, store: Path, tmp: Path, import_args: list[str] | None) -> Stats:
    stats = Stats()
    pages = bs.app_pages()
    os.environ["ASEMUS_RUN_LOG"] = str(tmp / "runs.tsv")  # app.py: one line per page run
    server = bs.StreamlitServer(store, port=args.port,
                                log=Path(tempfile.gettempdir()) / "asemus-load-streamlit.log")
    server.start(timeout=120)
    phases = [("idle", args.minutes)] if not (args.import_file and not args.during_import) else []
    if import_args:
        phases.append(("during import", args.minutes))
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=str(_browser_executable(args.browser_nice, tmp)),
                args=bs.CHROMIUM_ARGS)
            try:
                stats.t_start = time.monotonic()
                if args.warmup:  # the first visit of each page pays for imports and cold caches
                    warm = Stats(t_start=stats.t_start)
                    await session(browser, server.url, pages, 0, warm, 0, args, "warm-up",
                                  limit=len(pages))
                    print("warm-up: " + ", ".join(f"{x.page} {x.seconds:.1f}s"
                                                  for x in warm.visits), flush=True)
                for name, minutes in phases:
                    t0, w0, cpu0 = time.monotonic(), time.time(), _cpu_s(server.proc.pid)
                    browser0 = _browser_cpu_s(server.proc.pid)
                    stop_at = t0 + minutes * 60
                    stats.loadavg.append((f"{name} start", os.getloadavg()))
                    print(f"{name}: {args.sessions} sessions for {minutes:g} min ...", flush=True)
                    tasks = [session(browser, server.url, pages, stop_at, stats, n, args, name)
                             for n in range(args.sessions)]
                    tasks.append(sample_memory(server.proc.pid, stop_at, stats,
                                               args.memory_every))
                    if name == "during import":
                        tasks.append(keep_importing(store, import_args, stop_at, stats))
                    await asyncio.gather(*tasks)
                    stats.loadavg.append((f"{name} end", os.getloadavg()))
                    stats.phases.append((name, t0, time.monotonic(), w0, time.time(),
                                         _cpu_s(server.proc.pid) - cpu0,
                                         _browser_cpu_s(server.proc.pid) - browser0))
            finally:
                await browser.close()
    finally:
        server.stop()
    return stats


def _server_runs(path: Path) -> list[tuple[float, str, float, float]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 4:
            out.append((float(parts[0]), parts[1], float(parts[2]), float(parts[3])))
    return out


def report(stats: Stats, args, runs: list[tuple[float, str, float, float]]) -> dict:
    """Print the figures; returns {phase: p90 of the settled visits}."""
    names = {p.url.strip("/") or "/": p.name for p in bs.app_pages()}
    print(f"\n{args.sessions} session(s), {len(bs.app_pages())} pages in turn; navigation: "
          + ("sidebar menu (the first page by its address)" if args.navigate == "menu"
             else "every page by its address (full reload)")
          + f"; think time uniform {0.5 * args.think:g}-{1.5 * args.think:g} s; browsers "
          + (f"under nice -n {args.browser_nice}" if args.browser_nice > 0 else "at normal priority")
          + ("; a tab is frozen while its visitor reads it" if args.freeze and args.think > 0
             else "")
          + "; latency = navigation to page settled (script finished, charts drawn)")
    p90s = {}
    for name, t0, t1, w0, w1, server_cpu, browser_cpu in stats.phases:
        v = [x for x in stats.visits if x.phase == name]
        if name == "during import" and stats.imports:  # only visits while an import ran
            v = [x for x in v if any(s <= x.started - stats.t_start <= s + d
                                     for s, d, _ in stats.imports)]
        lat = [x.seconds for x in v if not x.timeout]
        errors = [x for x in v if not x.ok and not x.timeout]
        timeouts = [x for x in v if x.timeout]
        p90s[name] = pct(lat, 90)
        print(f"\n== {name}: {t1 - t0:.0f} s; load average "
              + ", ".join(f"{label.split()[-1]} {a:.2f} {b:.2f} {c:.2f}"
                          for label, (a, b, c) in stats.loadavg if label.startswith(name)))
        print(f"visits {len(v)}  errors {len(errors)}  timeouts {len(timeouts)}  "
              f"external requests blocked {stats.blocked}")
        print(f"latency (s): p50 {pct(lat, 50):.2f}  p90 {pct(lat, 90):.2f}  "
              f"max {max(lat, default=float('nan')):.2f}   (until the script finished: "
              f"p50 {pct([x.script for x in v], 50):.2f}  p90 {pct([x.script for x in v], 90):.2f})")
        mine = [r for r in runs if w0 <= r[0] <= w1]
        print(f"{'page':<18}{'visits':>7}{'p50':>7}{'p90':>7}{'max':>7}{'script p50':>11}"
              f"{'server runs':>12}{'wall p50':>9}{'p90':>7}{'cpu p50':>8}{'p90':>7}")
        for page in dict.fromkeys(x.page for x in v):
            s = [x.seconds for x in v if x.page == page and not x.timeout]
            sc = [x.script for x in v if x.page == page and not x.timeout]
            r = [x for x in mine if names.get(x[1].strip("/") or "/") == page]
            print(f"{page:<18}{sum(x.page == page for x in v):>7}{pct(s, 50):>7.2f}"
                  f"{pct(s, 90):>7.2f}{max(s, default=float('nan')):>7.2f}{pct(sc, 50):>11.2f}"
                  f"{len(r):>12}{pct([x[2] for x in r], 50):>9.2f}{pct([x[2] for x in r], 90):>7.2f}"
                  f"{pct([x[3] for x in r], 50):>8.2f}{pct([x[3] for x in r], 90):>7.2f}")
        if mine:
            print(f"server: {len(mine)} page runs, wall p50 {pct([x[2] for x in mine], 50):.2f} s "
                  f"p90 {pct([x[2] for x in mine], 90):.2f} s; script-thread CPU "
                  f"{sum(x[3] for x in mine):.0f} s; the server process used {server_cpu:.0f} s "
                  f"of CPU in all ({server_cpu / (t1 - t0):.0%} of one core)")
        visits_all = [x for x in stats.visits if x.phase == name]
        print(f"browsers (Chromium, Playwright): {browser_cpu:.0f} s of CPU "
              f"({browser_cpu / (t1 - t0):.0%} of one core), "
              f"{browser_cpu / max(1, len(visits_all)):.2f} s per visit; the server "
              f"{server_cpu / max(1, len(visits_all)):.2f} s per visit")
        for x in (errors + timeouts)[:10]:
            print(f"  ! {x.page}: {x.detail}")
        if name == "during import":
            ok = sum(1 for _, _, c in stats.imports if c == 0)
            print(f"imports run {len(stats.imports)}, succeeded {ok}"
                  + (f", mean {statistics.mean(d for _, d, _ in stats.imports):.0f} s"
                     if stats.imports else "")
                  + "; visits counted: those that started while an import ran")
    if "idle" in p90s and "during import" in p90s:
        print(f"\np90 during import / idle: {p90s['during import'] / p90s['idle']:.2f}x")
    print("\nserver memory (MB) over time (s:MB):")
    print("  " + "  ".join(f"{t:.0f}:{mb:.0f}" for t, mb in stats.memory))
    if stats.memory:
        mbs = [mb for _, mb in stats.memory]
        half = mbs[len(mbs) // 2:]
        print(f"  start {mbs[0]:.0f}  max {max(mbs):.0f}  end {mbs[-1]:.0f}; second half "
              f"min {min(half):.0f} max {max(half):.0f}")
    return p90s


def _visitor_file(tmp: Path, rows: int) -> list[str]:
    """The import command's arguments for a synthetic ``rows``-row visitor file."""
    t0 = time.monotonic()
    csv_path, map_path = write_visitor_file(tmp / "visits", rows)
    print(f"wrote a {rows:,}-row visitor file in {time.monotonic() - t0:.0f} s", flush=True)
    return [str(csv_path), "--table", "visitor_stats", "--mapping", str(map_path)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load",
                                 description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--minutes", type=float, default=1.0, help="length of each phase")
    ap.add_argument("--store", help="store to copy and serve (default: a fresh build of data/)")
    ap.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    ap.add_argument("--page-timeout", type=float, default=60.0,
                    help="seconds before a page counts as a timeout")
    ap.add_argument("--think", type=float, default=20.0,
                    help="mean seconds a visitor reads a page (uniform 0.5x-1.5x; 0: none)")
    ap.add_argument("--navigate", choices=("menu", "url"), default="menu",
                    help="go to the next page by the sidebar menu (default) or by its address")
    ap.add_argument("--browser-nice", type=int, default=19,
                    help="run Chromium under nice -n N (0: normal priority)")
    ap.add_argument("--no-freeze", dest="freeze", action="store_false",
                    help="keep a tab running while its visitor reads it (default: frozen)")
    ap.add_argument("--during-import", type=int, metavar="ROWS",
                    help="a second phase while a ROWS-row visitor file is imported")
    ap.add_argument("--import", dest="import_file", metavar="FILE",
                    help="keep importing FILE (with --replace) during the test")
    ap.add_argument("--table", help="the table FILE holds (with --import)")
    ap.add_argument("--mapping", help="mapping file for FILE (with --import)")
    ap.add_argument("--memory-every", type=float, default=10.0,
                    help="seconds between two samples of the server's memory")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false",
                    help="count the first (cold) visit of each page too")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 0 < args.minutes <= MAX_MINUTES:
        ap.error(f"--sessions 1..{MAX_SESSIONS}, --minutes up to {MAX_MINUTES}")
    if args.import_file and not args.table:
        ap.error("--import needs --table")
    if args.import_file and args.during_import:
        ap.error("--import or --during-import, not both")
    if args.think < 0:
        ap.error("--think must be 0 or more")
    if not bs.CHROMIUM.exists():
        ap.error(f"Chromium not found at {bs.CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="asemus-load-") as tmp_name:
        tmp = Path(tmp_name)
        store = tmp / "store.duckdb"
        if args.store:
            shutil.copyfile(args.store, store)
        else:
            st.build(store)
        print(f"serving a copy of the store: {store}; load average now "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
        import_args = None
        if args.during_import:
            import_args = _visitor_file(tmp, args.during_import)
        elif args.import_file:
            import_args = [args.import_file, "--table", args.table] + (
                ["--mapping", args.mapping] if args.mapping else [])
        stats = asyncio.run(run(args, store, tmp, import_args))
        report(stats, args, _server_runs(tmp / "runs.tsv"))
    return 0 if stats.visits and all(x.ok for x in stats.visits) else 1


if __name__ == "__main__":
    sys.exit(main())
