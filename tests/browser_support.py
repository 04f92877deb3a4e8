"""Helpers for the real-browser tests: find the app's pages, run ``streamlit run`` on a free port,
wait for a page to finish drawing, and judge from pixels whether a chart was really drawn.

Nothing here needs a browser at import time, so the test module can decide to skip (or, in CI,
fail) with a clear reason when Chromium is missing.
"""
from __future__ import annotations

import ast
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

PROJECT = Path(__file__).resolve().parents[1]
APP = PROJECT / "app.py"
ARTIFACTS = PROJECT / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

#: Debian's chromium; Playwright drives it directly (never ``playwright install``).
CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: Tall, because Streamlit scrolls an inner container: ``full_page=True`` captures no more.
VIEWPORT = {"width": 1400, "height": 2400}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

APP_VIEW = '[data-testid="stAppViewContainer"]'
MAIN = '[data-testid="stMainBlockContainer"]'
MAIN_ELEMENT = f'{MAIN} [data-testid="stElementContainer"]'
SIDEBAR_NAV = '[data-testid="stSidebarNav"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
EXCEPTION = '[data-testid="stException"]'
DECK = '[data-testid="stDeckGlJsonChart"]'
DECK_CANVAS = f"{DECK} canvas"
PLOTLY = '[data-testid="stPlotlyChart"]'
PLOTLY_FALLBACK = ".js-plotly-plot"


def in_ci() -> bool:
    """True on a CI runner (``CI=true``), where a missing browser is an error, not a skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# --- the pages ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class AppPage:
    """One page of the st.navigation menu: ``name`` is the file stem, ``url`` its path."""

    name: str
    url: str
    title: str


def _page_file(node: ast.expr) -> str | None:
    """The file name in ``st.Page(...)``'s first argument: ``"pages/x.py"`` or ``PAGES / "x.py"``."""
    strings = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
               and isinstance(n.value, str)]
    return strings[-1] if strings and strings[-1].endswith(".py") else None


def app_pages(app: Path = APP) -> list[AppPage]:
    """The pages ``app.py`` registers with ``st.Page``, in menu order.

    Streamlit derives each page's URL from its file stem unless ``url_path=`` is given; the
    ``default=True`` page is served at ``/``. Falls back to ``pages/*.py`` (first page as the
    default) if app.py cannot be read this way.
    """
    found: list[tuple[tuple[int, int], AppPage]] = []
    try:
        tree = ast.parse(app.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        tree = None
    for node in ast.walk(tree) if tree else ():
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"
                and node.args):
            continue
        file = _page_file(node.args[0])
        if not file:
            continue
        kw = {k.arg: k.value for k in node.keywords}
        stem = Path(file).stem
        default = isinstance(kw.get("default"), ast.Constant) and kw["default"].value is True
        url_path = kw.get("url_path")
        path = url_path.value if isinstance(url_path, ast.Constant) else stem
        title = kw["title"].value if isinstance(kw.get("title"), ast.Constant) else stem
        found.append(((node.lineno, node.col_offset),
                      AppPage(stem, "/" if default else f"/{path}", title)))
    # ast.walk is breadth-first: put the pages back in source (menu) order
    pages = [p for _, p in sorted(found, key=lambda t: t[0])]
    if not pages:
        files = sorted((PROJECT / "pages").glob("*.py"))
        pages = [AppPage(f.stem, "/" if i == 0 else f"/{f.stem}", f.stem)
                 for i, f in enumerate(files)]
    if not any(p.url == "/" for p in pages) and pages:  # st.navigation defaults to the first
        pages[0] = AppPage(pages[0].name, "/", pages[0].title)
    return pages


# --- the app server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` in its own process group, so stopping it leaves no orphans."""

    def __init__(self, store: Path, *, port: int | None = None, log: Path | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log or ARTIFACTS / "streamlit.log"
        self.store = store
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> StreamlitServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ASEMUS_STORE": str(self.store), "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
        self._log = open(self.log_path, "wb")  # a file, not a pipe: a full pipe would block
        self.proc = subprocess.Popen(cmd, cwd=PROJECT, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        health = f"{self.url}/_stcore/health"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(health, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{health} not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL after 10 s."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if proc is not None:
            try:  # reap anything left in the group (the leader may be gone already)
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None


# --- in the browser ----------------------------------------------------------------------------
def wait_for_app(page, *, timeout_ms: int = 60_000, settle_ms: int = 3_000) -> None:
    """Wait until Streamlit's script has finished and the page had time to draw.

    The status widget ("Running...") can appear a moment after the first elements, so it must
    stay absent for several consecutive polls. Charts are lazily loaded chunks (their testids
    appear only once loaded), so wait for the network to go quiet and then ``settle_ms`` for
    WebGL and plotly to draw, on every page.
    """
    page.wait_for_selector(APP_VIEW, timeout=timeout_ms)
    try:
        page.wait_for_selector(MAIN_ELEMENT, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - an empty page: the caller's assertions report it
        pass
    wait_until_idle(page, timeout_ms=timeout_ms)
    try:  # chart chunks, GeoJSON, topojson (the websocket does not count)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - a page that keeps loading: the settle wait below decides
        pass
    page.wait_for_timeout(settle_ms)
    wait_until_idle(page, timeout_ms=timeout_ms)  # a rerun triggered by a widget or the URL


def wait_until_idle(page, *, timeout_ms: int = 60_000, quiet_polls: int = 4,
                    poll_ms: int = 250) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    quiet = 0
    while quiet < quiet_polls:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the script was still running after {timeout_ms / 1000:.0f} s")
        quiet = quiet + 1 if page.locator(STATUS_WIDGET).count() == 0 else 0
        page.wait_for_timeout(poll_ms)


def missing_menu_titles(page, pages: list[AppPage]) -> list[str]:
    """The st.Page titles the sidebar menu does not show.

    If app.py's st.navigation did not run, Streamlit falls back to listing pages/ by file name
    ("app", "collections map", ...): every title is then missing.
    """
    nav = page.locator(SIDEBAR_NAV)
    text = nav.first.inner_text() if nav.count() else ""
    return [p.title for p in pages if p.title not in text]


def tab_labels(page) -> list[str]:
    """The labels of the st.tabs on the page, in order."""
    return [t.strip() for t in page.locator(f'{MAIN} [role="tab"]').all_inner_texts()]


def is_external(url: str) -> bool:
    """True for a request that leaves the machine (data: and blob: URLs stay in the page)."""
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome-error"}:
        return False
    return parsed.hostname not in LOCAL_HOSTS


def chart_locators(page) -> list[tuple[str, object]]:
    """(label, locator) for every visible deck.gl canvas and plotly chart on the page.

    Charts in a tab that is not selected are hidden: they are checked when the tab is clicked.
    """
    found = []
    # the whole chart, not each canvas: deck.gl and a base map may draw on separate canvases
    for i, loc in enumerate(page.locator(DECK).all()):
        if loc.is_visible():
            found.append((f"deck.gl map #{i + 1}", loc))
    plots = page.locator(PLOTLY).all() or page.locator(PLOTLY_FALLBACK).all()
    for i, loc in enumerate(plots):
        if loc.is_visible():
            found.append((f"plotly chart #{i + 1}", loc))
    return found


@dataclass(frozen=True)
class PixelStats:
    width: int
    height: int
    colours: int           # distinct RGB colours
    dominant_share: float  # share of the most common colour
    ink_share: float       # share of pixels that are not near-white

    def blank_reason(self, *, min_colours: int = 16, max_dominant: float = 0.98,
                     min_ink: float = 0.005) -> str | None:
        """Why this image looks undrawn, or None if it looks drawn."""
        if self.width < 10 or self.height < 10:
            return f"it is {self.width}x{self.height} px"
        if self.colours < min_colours:
            return f"only {self.colours} distinct colours (< {min_colours})"
        if self.dominant_share > max_dominant:
            return f"one colour covers {self.dominant_share:.1%} of it"
        if self.ink_share < min_ink:
            return f"only {self.ink_share:.2%} of it is not near-white"
        return None


#: A map is more than dots on white: the offline base (sea clear colour, land, borders) covers
#: most of the canvas, so most pixels are not near-white. Dots on white mean the base is missing.
MAP_RULES = {"min_ink": 0.25}


def pixel_stats(png: bytes) -> PixelStats:
    """Colour variety of a PNG screenshot (Pillow ships with streamlit)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = img.size
    n = w * h or 1
    colours = img.getcolors(maxcolors=n) or []
    dominant = max((c for c, _ in colours), default=0)
    near_white = sum(c for c, (r, g, b) in colours if min(r, g, b) >= 245)
    return PixelStats(w, h, len(colours), dominant / n, 1 - near_white / n)


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.lower()).strip("_") or "tab"
