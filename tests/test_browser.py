"""Every page in a real (headless) Chromium against ``streamlit run``: no exception, no request
beyond 127.0.0.1, every deck.gl map and plotly chart actually drawn (judged from its pixels), and a
screenshot of each page in tests/artifacts/screenshots/ for a person to look at.

Skipped when Debian's chromium is missing, except in CI (``CI=true``), where that is a failure.
Run alone with ``.venv/bin/python -m pytest -m browser``.
"""
from __future__ import annotations

import warnings

import browser_support as bs
import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not bs.CHROMIUM.exists() and not bs.in_ci(),
                       reason=f"no Chromium at {bs.CHROMIUM} (apt-get install chromium); "
                              "in CI (CI=true) this is a failure instead"),
]

PAGES = bs.app_pages()

#: Tabs to click per page (file stem -> tab labels), each screenshotted and checked after it has
#: drawn. The default view of every page is covered by test_page without any entry here.
EXTRA_CLICKS: dict[str, list[str]] = {
    "network": ["Topology", "One institution", "Over time", "Metrics table", "Export"],
    "exhibitions": ["Visitor figures", "Visitor statistics", "The network over time"],
    "masterpieces": ["Experts"],
    "data": ["Check & import a file", "Import log", "Member survey"],
}

# --- fixtures ----------------------------------------------------------------------------------
# Module scope, not session: an open sync_playwright() keeps its asyncio loop running, and any
# later test module that starts its own Playwright would then fail ("Sync API inside the asyncio
# loop"). Both are closed when this module ends.
@pytest.fixture(scope="module")
def app_server(built_store):
    """One ``streamlit run app.py`` for all the pages, on a free port; stopped at the end
    (its output is in tests/artifacts/streamlit.log)."""
    server = bs.StreamlitServer(built_store).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for all the pages (Debian's build, driven by Playwright)."""
    if not bs.CHROMIUM.exists():
        pytest.fail(f"CI=true but there is no Chromium at {bs.CHROMIUM}: install Debian's "
                    "chromium (see .ci/run)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # requirements-dev.txt pins playwright
        pytest.fail(f"playwright is not installed: {exc}", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def warm_app(browser, app_server):
    """Open "/" once before any deep link, so results do not depend on test order.

    Streamlit 1.67 sets ``PagesManager.uses_pages_directory`` when a folder named pages/ sits
    beside app.py and serves sessions in legacy MPA v1 mode (pages/*.py run directly, app.py and
    its set_page_config skipped) until app.py has called st.navigation once. The cold case is
    test_deep_link_as_first_visit.
    """
    context = browser.new_context(viewport=bs.VIEWPORT, base_url=app_server.url)
    pg = context.new_page()
    pg.goto("/")
    bs.wait_for_app(pg, settle_ms=0)
    context.close()
    return app_server


@pytest.fixture()
def page(browser, warm_app):
    """A fresh tab (so a fresh Streamlit session) that records every request it makes."""
    app_server = warm_app
    context = browser.new_context(viewport=bs.VIEWPORT, base_url=app_server.url)
    pg = context.new_page()
    pg.requests, pg.failures, pg.js_errors = [], [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("response", lambda r: r.status >= 400 and pg.failures.append(f"{r.status} {r.url}"))
    pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
    pg.server = app_server
    yield pg
    context.close()


# --- checks ------------------------------------------------------------------------------------
def check_page(pg, shot_name: str) -> None:
    """The assertions shared by a page's default view and each clicked tab; every problem found
    is reported at once."""
    bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(bs.SCREENSHOTS / f"{shot_name}.png"))
    problems = []

    exceptions = pg.locator(bs.EXCEPTION)
    if exceptions.count():
        # visitors see no traceback (showErrorDetails = "none"); the server log has it
        problems.append(f"the page shows an exception: {exceptions.first.inner_text()[:300]}\n"
                        f"streamlit.log (tail):\n{pg.server.log_tail(30)}")
    if pg.locator(bs.MAIN_ELEMENT).count() == 0:
        problems.append("the page drew nothing")
    missing_titles = bs.missing_menu_titles(pg, PAGES)
    if missing_titles:
        problems.append(f"the sidebar menu lacks {missing_titles}: app.py's st.navigation did "
                        "not run (Streamlit fell back to listing pages/ by file name)")

    external = sorted({u for u in pg.requests if bs.is_external(u)})
    if external:
        problems.append(f"requests left 127.0.0.1: {external}")
    # only the app's own files count: Streamlit's probes (/<page>/_stcore/health, /host-config)
    # may 404 harmlessly
    missing = sorted({f for f in pg.failures if "/app/static/" in f})
    if missing:
        problems.append(f"the app's own static files failed: {missing}")

    for label, loc in bs.chart_locators(pg):
        if label.startswith("deck") and loc.locator("canvas").count() == 0:
            problems.append(f"{label} has no canvas: deck.gl did not start (WebGL?)")
            continue
        stats = bs.pixel_stats(loc.screenshot())
        reason = stats.blank_reason(**(bs.MAP_RULES if label.startswith("deck") else {}))
        if reason:
            problems.append(f"{label} looks blank: {reason} ({stats})")
    if problems and pg.js_errors:  # context, not a failure on its own
        problems.append(f"(JavaScript errors on the page: {pg.js_errors[:5]})")
    assert not problems, f"{shot_name}:\n- " + "\n- ".join(problems)


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_page(page, app_page):
    page.goto(app_page.url)
    bs.wait_for_app(page)
    check_page(page, app_page.name)
    tabs = bs.tab_labels(page)
    unlisted = [t for t in tabs[1:] if t not in EXTRA_CLICKS.get(app_page.name, [])]
    if unlisted:  # a reminder, not a failure: the first tab is covered above
        warnings.warn(f"{app_page.name}: tabs not in EXTRA_CLICKS, so never checked: {unlisted}",
                      stacklevel=2)


WITH_TABS = [p for p in PAGES if EXTRA_CLICKS.get(p.name)]


@pytest.mark.parametrize("app_page", WITH_TABS, ids=[p.name for p in WITH_TABS])
def test_page_tabs(page, app_page):
    """Click each tab in EXTRA_CLICKS in turn (one page load) and check what it shows."""
    page.goto(app_page.url)
    bs.wait_for_app(page)
    failures = []
    for tab in EXTRA_CLICKS[app_page.name]:
        button = page.get_by_role("tab", name=tab, exact=True)
        if not button.count():
            failures.append(f"{app_page.name}: no tab {tab!r} (tabs: {bs.tab_labels(page)}); "
                            "update EXTRA_CLICKS")
            continue
        button.first.click()
        bs.wait_for_app(page)
        try:
            check_page(page, f"{app_page.name}__{bs.slug(tab)}")
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("layer", ["museums", "flows", "density", "countries"])
def test_collections_map_each_layer(page, layer):
    """Each layer of the Collections map on its own, opened from a link: drawn, offline."""
    page.goto(f"/collections_map?layers={layer}")
    bs.wait_for_app(page)
    check_page(page, f"collections_map__layer_{layer}")


def test_masterpiece_detail_view(page):
    """The gallery's detail view opens (a dialog with every field and its source)."""
    page.goto("/masterpieces")
    bs.wait_for_app(page)
    page.get_by_role("button", name="Details").first.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    bs.wait_for_app(page)
    check_page(page, "masterpieces__detail")
    text = dialog.inner_text()
    assert "Source" in text or "source" in text, text[:300]


def test_deep_link_as_first_visit(built_store, browser, tmp_path):
    """A fresh server whose first visitor opens a page's own URL (a bookmark, a link in slides)
    must still run app.py's st.navigation: the menu shows the st.Page titles."""
    deep = next((p for p in reversed(PAGES) if p.url != "/"), None)
    if deep is None:
        pytest.skip("the app has a single page")
    server = bs.StreamlitServer(built_store, log=bs.ARTIFACTS / "streamlit-deep-link.log").start()
    try:
        context = browser.new_context(viewport=bs.VIEWPORT, base_url=server.url)
        pg = context.new_page()
        pg.goto(deep.url)
        bs.wait_for_app(pg, settle_ms=0)
        bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(bs.SCREENSHOTS / f"first_visit__{deep.name}.png"))
        missing = bs.missing_menu_titles(pg, PAGES)
        context.close()
    finally:
        server.stop()
    assert not missing, (
        f"opening {deep.url} first on a fresh server gave Streamlit's pages/ auto-discovery "
        f"(menu by file name, no set_page_config) instead of app.py's st.navigation; "
        f"missing titles: {missing}")


def test_extra_clicks_name_real_pages():
    """A typo in EXTRA_CLICKS must not silently test nothing."""
    unknown = set(EXTRA_CLICKS) - {p.name for p in PAGES}
    assert not unknown, f"EXTRA_CLICKS names pages the app does not have: {sorted(unknown)}"


# --- legibility: names that do not overlap, maps that draw ------------------------------------------
#: For every drawn text in a plotly chart (selector), its box on screen and the plot area's box.
_TEXT_BOXES_JS = """(el, sel) => {
  const area = el.querySelector('.nsewdrag') || el.querySelector('svg.main-svg');
  const a = area.getBoundingClientRect();
  const boxes = [...el.querySelectorAll(sel)].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
  });
  return {area: {x0: a.left, y0: a.top, x1: a.right, y1: a.bottom}, boxes};
}"""


def _overlapping(boxes: list[dict], tolerance: float = 0.5) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["x0"] + tolerance < b["x1"] and b["x0"] + tolerance < a["x1"] and
                    a["y0"] + tolerance < b["y1"] and b["y0"] + tolerance < a["y1"]):
                out.append((a["text"], b["text"]))
    return out


@pytest.mark.parametrize("tab", ["Topology", "One institution"])
def test_network_names_do_not_overlap(page, tab):
    """The drawn names of the network graphs, as the browser laid them out: no two overlap and
    none is cut at the plot's edge (at 1440x900, the size people look at)."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/network")
    bs.wait_for_app(page)
    page.get_by_role("tab", name=tab, exact=True).first.click()
    bs.wait_for_app(page)
    charts = [loc for label, loc in bs.chart_locators(page) if label.startswith("plotly")]
    assert charts, f"no graph on the {tab} tab"
    charts[0].scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(bs.SCREENSHOTS / f"network__{bs.slug(tab)}__1440.png"))
    found = charts[0].evaluate(_TEXT_BOXES_JS, ".textpoint text")
    boxes, area = found["boxes"], found["area"]
    assert len(boxes) >= 8, f"only {len(boxes)} names drawn: {[b['text'] for b in boxes]}"
    assert not _overlapping(boxes), f"names overlap: {_overlapping(boxes)[:5]}"
    cut = [b["text"] for b in boxes if b["x0"] < area["x0"] - 0.5 or b["x1"] > area["x1"] + 0.5
           or b["y0"] < area["y0"] - 0.5 or b["y1"] > area["y1"] + 0.5]
    assert not cut, f"names cut at the plot's edge: {cut}"


#: The flow map's arc colours (figures.masterpieces ORIGIN_COLOR / HOLDER_COLOR).
_ARC_COLOURS = [(213, 94, 0), (0, 114, 178)]


def test_masterpieces_flow_map_draws_its_arcs(page):
    """The flow map's canvas is drawn: the base map (not one colour, mostly not white) and the
    flows (pixels in the orange of the origins and the blue of the museums), once scrolled into
    view at 1440x900."""
    from io import BytesIO

    from PIL import Image

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/masterpieces")
    bs.wait_for_app(page)
    flows = page.locator(bs.DECK).first
    flows.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    png = flows.screenshot()
    (bs.SCREENSHOTS / "masterpieces__flows.png").write_bytes(png)
    assert flows.locator("canvas").count(), "the flow map has no canvas (deck.gl did not start)"
    stats = bs.pixel_stats(png)
    assert stats.blank_reason(**bs.MAP_RULES) is None, f"the flow map looks blank: {stats}"
    img = Image.open(BytesIO(png)).convert("RGB")
    colours = img.getcolors(img.width * img.height)
    for c in _ARC_COLOURS:  # both ends: the origin's orange and the museum's blue
        near = sum(n for n, px in colours if sum((a - b) ** 2 for a, b in zip(px, c)) < 70 ** 2)
        assert near >= 15, f"nothing drawn in {c} on the flow map ({near} pixels)"


def test_visitor_statistics_titles_do_not_overlap(page):
    """The paid/free panels' titles, legend and chart title, as drawn: no two boxes intersect."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/exhibitions")
    bs.wait_for_app(page)
    page.get_by_role("tab", name="Visitor statistics", exact=True).first.click()
    bs.wait_for_app(page)
    chart = page.locator(bs.PLOTLY).filter(has_text="Paid and free visitors")
    if not chart.count():
        pytest.skip("the store holds no visitor series with a paid/free split")
    chart = chart.first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(bs.SCREENSHOTS / "exhibitions__paid_free__1440.png"))
    found = chart.evaluate(_TEXT_BOXES_JS, ".annotation-text, .gtitle, .legendtext")
    assert len(found["boxes"]) >= 3, found["boxes"]
    assert not _overlapping(found["boxes"]), f"titles overlap: {_overlapping(found['boxes'])}"
