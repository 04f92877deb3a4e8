"""Measure the app as a user waits for it, in real Chromium: ``python -m benchmarks.browser``.

Starts ``streamlit run app.py`` on a chosen store (``--store``, default: the built-in one), drives
Debian's Chromium (Playwright, loopback only) through the pages and a few interactions, and prints
for each: the time until the page has settled (the script finished and the last websocket message
arrived) and the bytes the server sent over the websocket for it. With ``--hello`` it also starts a
hello-world Streamlit app the same way and prints the cold-start ratio.

Examples::

    python -m benchmarks.browser                                # built-in store, every page
    python -m benchmarks.browser --store /tmp/asemus-bench/net.duckdb --pages network
    python -m benchmarks.browser --store /tmp/asemus-bench/scale.duckdb --pages collections_map

A synthetic store at scale comes from ``python -m asemus_data generate`` (see the README).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from asemus_data import paths, store

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))
import browser_support as bs  # noqa: E402  (the test harness's server and waiting helpers)

HELLO = "import streamlit as st\nst.title('Hello')\nst.write('world')\n"


@dataclass
class Probe:
    """Websocket traffic of one browser tab: bytes received and when the last frame came."""

    received: int = 0
    last: float = 0.0
    frames: list = field(default_factory=list)

    def attach(self, page) -> None:
        def on_ws(ws):
            def on_frame(payload):
                self.received += len(payload) if payload else 0
                self.last = time.perf_counter()
            ws.on("framereceived", on_frame)
        page.on("websocket", on_ws)

    def mark(self) -> tuple[int, float]:
        return self.received, time.perf_counter()


def settle(page, probe: Probe, start: float, *, timeout_s: float = 180, quiet_s: float = 0.8
           ) -> float:
    """Seconds from ``start`` until the script finished and no frame came for ``quiet_s``:
    the time of the last frame (or of the status widget's disappearance, if later)."""
    deadline = start + timeout_s
    page.wait_for_selector(bs.APP_VIEW, timeout=timeout_s * 1000)
    gone_at = None
    while time.perf_counter() < deadline:
        running = page.locator(bs.STATUS_WIDGET).count() > 0
        now = time.perf_counter()
        if running or probe.last < start:  # the rerun has not answered yet
            gone_at = None
        elif gone_at is None:
            gone_at = now
        if gone_at is not None and now - max(gone_at, probe.last) >= quiet_s:
            return max(gone_at, probe.last) - start
        page.wait_for_timeout(100)
    raise TimeoutError(f"not settled after {timeout_s:.0f} s")


def visit(browser, url: str, *, viewport=None) -> tuple[float, int, object, Probe]:
    ctx = browser.new_context(viewport=viewport or {"width": 1440, "height": 900})
    page = ctx.new_page()
    probe = Probe()
    probe.attach(page)
    t0 = time.perf_counter()
    page.goto(url)
    secs = settle(page, probe, t0)
    if page.locator(bs.EXCEPTION).count():
        raise RuntimeError(f"{url}: the page shows an exception")
    return secs, probe.received, page, probe


def interact(page, probe: Probe, action) -> tuple[float, int]:
    """Time and bytes of one interaction (a click, a selection) until the page settles again."""
    n0, t0 = probe.mark()
    action(page)
    secs = settle(page, probe, t0)
    return secs, probe.received - n0


def cold_start(store: Path | None, app: Path | None = None) -> float:
    """Seconds from ``streamlit run`` to the first page settled in a fresh browser."""
    server = bs.StreamlitServer(store or Path(tempfile.mkdtemp()) / "unused.duckdb")
    if app is not None:
        bs.APP, saved = app, bs.APP
    t0 = time.perf_counter()
    try:
        server.start()
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
            try:
                ctx = b.new_context()
                page = ctx.new_page()
                probe = Probe()
                probe.attach(page)
                page.goto(server.url)
                settle(page, probe, t0)
                return probe.last - t0 if probe.last else time.perf_counter() - t0
            finally:
                b.close()
    finally:
        server.stop()
        if app is not None:
            bs.APP = saved


def _click_tab(label: str):
    return lambda page: page.get_by_role("tab", name=label, exact=True).click()


def _sidebar_pick(label: str, option: str):
    """Choose ``option`` in the sidebar multiselect ``label`` (a filter change)."""
    def act(page):
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has_text=label)
        box.locator("input").click()
        page.get_by_role("option", name=re.compile(f"^{re.escape(option)}$", re.I)).click()
        page.keyboard.press("Escape")
    return act


def _sidebar_drop_last(label: str):
    """Remove the last choice of the sidebar multiselect ``label`` (back to a filter state seen
    before)."""
    def act(page):
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has_text=label)
        box.locator("input").click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
    return act


def _pill(label: str):
    """Click the option ``label`` of a pills or segmented control in the page's main area."""
    return lambda page: page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]'
                                     ).get_by_text(label, exact=True).click()


def _choose(select_label: str, option: str):
    """Pick ``option`` (its whole text; a regex pattern matches it ignoring case) in the
    selectbox ``select_label``."""
    def act(page):
        page.locator('[data-testid="stSelectbox"]').filter(has_text=select_label).first.click()
        page.get_by_role("option", name=re.compile(f"^{option}$", re.I)).click()
    return act


#: Interactions per page: (label, action) run one after another on the same tab.
INTERACTIONS = {
    "collections_map": [
        ("filter: origin Japan", _sidebar_pick("Country of origin", "Japan")),
        ("filter: + category ceramics", _sidebar_pick("Category", "ceramics")),
        ("filter: + origin China", _sidebar_pick("Country of origin", "China")),
        ("layer: + flows", _pill("Origin → holder flows")),
        ("layer: + countries", _pill("Countries by holdings")),
        ("colour: membership", _pill("ASEMUS membership")),
        ("frame: Europe", _choose("Frame the map on", "Europe")),
        ("filter: - origin China (seen before)", _sidebar_drop_last("Country of origin"))],
    "network": [("tab Topology", _click_tab("Topology")),
                ("tab One institution", _click_tab("One institution")),
                ("tab Over time", _click_tab("Over time")),
                ("tab Metrics table", _click_tab("Metrics table")),
                ("tab Map", _click_tab("Map"))],
    "exhibitions": [("tab Visitor statistics", _click_tab("Visitor statistics"))],
    "data": [("table: objects (all rows)", _choose("Table", r".*\(objects\)")),
             ("table: institutions", _choose("Table", r".*\(institutions\)"))],
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="store file (default: the built-in store)")
    ap.add_argument("--pages", default="", help="comma-separated page names (file stems)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="visits per page: the first (cold caches) and the median of the others")
    ap.add_argument("--hello", action="store_true", help="also time a hello-world app's cold start")
    ap.add_argument("--port", type=int, help="port of the app's server (default: a free one)")
    args = ap.parse_args(argv)

    path = args.store or paths.store_path()
    store.ensure(path)
    pages = [p for p in bs.app_pages() if not args.pages or p.name in args.pages.split(",")]
    rows: list[tuple[str, float, int]] = []
    if args.hello:
        hello_dir = Path(tempfile.mkdtemp(prefix="asemus-hello-"))
        (hello_dir / "hello.py").write_text(HELLO)
        hello = statistics.median(cold_start(None, hello_dir / "hello.py") for _ in range(3))
        ours = statistics.median(cold_start(path) for _ in range(3))
        rows += [("cold start: hello-world app", hello, 0),
                 ("cold start: this app (Overview)", ours, 0)]
    server = bs.StreamlitServer(path, port=args.port,
                                log=Path(tempfile.mkdtemp()) / "streamlit.log").start()
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
            try:
                for pg in pages:
                    visits = []
                    for _ in range(max(1, args.repeat)):
                        secs, sent, page, probe = visit(b, server.url + pg.url)
                        visits.append((secs, sent))
                        last = (page, probe)
                        page.context.close() if _ < args.repeat - 1 else None
                    # the first visit fills the server's caches; the others find them warm
                    rows.append((f"{pg.name}: first visit", *visits[0]))
                    if len(visits) > 1:
                        rows.append((f"{pg.name}: later visits (median)",
                                     statistics.median(v[0] for v in visits[1:]),
                                     int(statistics.median(v[1] for v in visits[1:]))))
                    page, probe = last
                    for label, action in INTERACTIONS.get(pg.name, []):
                        try:
                            secs, sent = interact(page, probe, action)
                        except Exception as exc:  # noqa: BLE001 - any failure of one control: report, go on
                            print(f"{pg.name}: {label}: {type(exc).__name__}: "
                                  f"{str(exc).splitlines()[0]}", file=sys.stderr, flush=True)
                            secs, sent = float("nan"), 0
                        rows.append((f"{pg.name}: {label}", secs, sent))
                        print(f"  {rows[-1][0]}: {secs:.2f} s", file=sys.stderr, flush=True)
                    page.context.close()
            finally:
                b.close()
    finally:
        server.stop()
    print(f"\nstore: {path}\n")
    print(f"{'measure':<44}{'seconds':>9}{'kB sent':>10}")
    for label, secs, sent in rows:
        print(f"{label:<44}{secs:>9.2f}{sent / 1000:>10,.0f}")
    if args.hello:
        print(f"\ncold start ratio (this app / hello-world): {rows[1][1] / rows[0][1]:.2f}x")


if __name__ == "__main__":
    main()
