"""Issue 13, slide layouts: sequences presented in a real (headless) Chromium against
``streamlit run``, at 1920x1080 and at 1280x720 (the server never knows the screen: the layout
sizes itself from the viewport). Two sequences: the built-in sample (five pages) and three views
saved by a presenter from three pages with the sidebar's *Save this view*.

For each slide: it fits one screen (nothing scrolls, every element ends on the screen), no
exception or JavaScript error, every chart's axis labels lie inside the chart and outside its plot
area (not cut, not drawn over the data), a legend never covers the plot area, type is readable
(in proportion to the screen), and the Overview slide has its headline figures as large cards.
The slides are stepped with the keyboard (Right; Left and a clicker's PageDown at the end).
Screenshots of every slide go to tests/artifacts/screenshots/slides-*.png for a person to look at.
"""
from __future__ import annotations

import browser_support as bs
import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not bs.CHROMIUM.exists() and not bs.in_ci(),
                       reason=f"no Chromium at {bs.CHROMIUM} (apt-get install chromium)"),
]

SIZES = [(1920, 1080), (1280, 720)]
#: (page title in the menu, URL to open it with, name of the saved view): three pages, state in
#: the link as a presenter would have set it
THREE_VIEWS = [
    ("Collections map", "/collections_map?region=Europe&origin=CHN", "Chinese objects in Europe"),
    ("Collaboration network", None, "Who bridges Asia and Europe"),
    ("Exhibitions & visitors", None, "Exhibitions and their visitors"),
]
SAMPLE_SLIDES = 5

#: every element that scrolls vertically (its content taller than its box), with its sizes
OVERFLOWING = """() => [...document.querySelectorAll('*')].filter(e => {
    const s = getComputedStyle(e).overflowY;
    return (s === 'auto' || s === 'scroll' || e === document.scrollingElement)
        && e.scrollHeight > e.clientHeight + 1 && e.clientHeight > 0;
}).map(e => `${e.tagName}.${e.dataset.testid || e.className}: ${e.scrollHeight} > ${e.clientHeight}`)"""
#: elements of the main column that end below the screen or start left/right of it
OFF_SCREEN = """() => [...document.querySelectorAll(
        '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')]
    .filter(e => { const r = e.getBoundingClientRect();
        return r.height > 0 && (r.bottom > innerHeight + 1 || r.right > innerWidth + 1 || r.left < -1); })
    .map(e => `${e.innerText.slice(0, 60)} (${Math.round(e.getBoundingClientRect().bottom)} px)`)"""
#: per plotly chart: axis labels cut off (outside the chart's canvas) or drawn over the plot
#: area, a legend over the plot area, and the smallest axis label size in px
CHART_PROBLEMS = """(chart) => {
    const svg = chart.querySelector('svg.main-svg');
    if (!svg) return {problems: ['no chart drawn'], minFont: 99};
    const box = svg.getBoundingClientRect(), out = [];
    const area = chart.querySelector('.nsewdrag');  // the plot area of a cartesian chart
    const plot = area && area.getBoundingClientRect();
    const overlaps = (a, b) => a.left < b.right - 1 && a.right > b.left + 1
                               && a.top < b.bottom - 1 && a.bottom > b.top + 1;
    let minFont = 99;
    for (const t of chart.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text')) {
        const r = t.getBoundingClientRect();
        if (!r.width || !t.textContent.trim()) continue;
        minFont = Math.min(minFont, parseFloat(getComputedStyle(t).fontSize));
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
            || r.bottom > box.bottom + 1) out.push(`label cut off: ${t.textContent}`);
        else if (plot && plot.width > 0 && overlaps(r, plot))
            out.push(`label over the plot: ${t.textContent}`);
    }
    const legend = chart.querySelector('.legend');
    if (legend && plot && plot.width > 0 && overlaps(legend.getBoundingClientRect(), plot))
        out.push('legend over the plot area');
    if (plot && (plot.width < 120 || plot.height < 120))
        out.push(`plot area only ${Math.round(plot.width)}x${Math.round(plot.height)} px`);
    return {problems: out, minFont};
}"""
#: the smallest font size of text in the element and its children (px)
MIN_FONT = ("e => Math.min(...[e, ...e.querySelectorAll('*')].filter(x => [...x.childNodes].some("
            "n => n.nodeType === 3 && n.textContent.trim()))"
            ".map(x => parseFloat(getComputedStyle(x).fontSize)))")
MAIN_SCROLL = """() => { const m = document.querySelector('[data-testid="stMain"]')
    || document.querySelector('[data-testid="stAppViewContainer"]');
    return [m.scrollHeight, m.clientHeight]; }"""


@pytest.fixture(scope="module")
def server(built_store):
    s = bs.StreamlitServer(built_store, log=bs.ARTIFACTS / "streamlit-slides.log").start()
    try:
        yield s
    finally:
        s.stop()


def _sample(pg) -> int:
    pg.goto("/presentation")
    bs.wait_for_app(pg, settle_ms=500)
    pg.get_by_role("button", name="Start from the sample sequence").click()
    bs.wait_for_app(pg, settle_ms=500)
    return SAMPLE_SLIDES


def _three_views(pg) -> int:
    """Save a view on each of three pages, moving between them in the menu (one session)."""
    for title, url, name in THREE_VIEWS:
        if url:
            pg.goto(url)
        else:
            pg.locator(bs.SIDEBAR_NAV).get_by_text(title, exact=True).click()
        bs.wait_for_app(pg, settle_ms=500)
        pg.get_by_role("button", name="Save this view").click()
        pg.get_by_label("Name of the view").fill(name)
        pg.get_by_role("button", name="Add to the presentation").click()
        bs.wait_for_app(pg, settle_ms=300)
        pg.keyboard.press("Escape")  # close the popover
    pg.locator(bs.SIDEBAR_NAV).get_by_text("Present", exact=True).click()
    bs.wait_for_app(pg, settle_ms=500)
    return len(THREE_VIEWS)


def _slide_problems(pg, where: str, width: int, height: int, overview: bool) -> list[str]:
    problems = []
    if pg.locator(bs.EXCEPTION).count():
        problems.append(f"{where}: exception {pg.locator(bs.EXCEPTION).first.inner_text()[:300]}")
    scroll_h, client_h = pg.evaluate(MAIN_SCROLL)
    if scroll_h > client_h:
        problems.append(f"{where}: the page scrolls ({scroll_h} > {client_h} px)")
    if scrolling := pg.evaluate(OVERFLOWING):
        problems.append(f"{where}: scrolls: {scrolling}")
    if off := pg.evaluate(OFF_SCREEN):
        problems.append(f"{where}: off the screen: {off[:4]}")
    charts = pg.locator(bs.PLOTLY)
    if charts.count() == 0:
        problems.append(f"{where}: no chart")
    for k in range(charts.count()):
        found = charts.nth(k).evaluate(CHART_PROBLEMS)
        if found["problems"]:
            problems.append(f"{where}: chart {k + 1}: {found['problems'][:6]}")
        if found["minFont"] < 14:
            problems.append(f"{where}: chart {k + 1}: axis labels at {found['minFont']} px")
    # type in proportion to the screen: the title and caption read from the back of a hall
    if pg.locator("h2").first.evaluate(MIN_FONT) < 0.04 * height:
        problems.append(f"{where}: the title is small")
    if pg.locator(".st-key-pres_caption").evaluate(MIN_FONT) < 0.02 * height:
        problems.append(f"{where}: the caption is small")
    cards = pg.locator('[data-testid="stMetric"]')
    if overview:
        if cards.count() < 4:
            problems.append(f"{where}: {cards.count()} headline cards")
        for c in range(cards.count()):
            value = cards.nth(c).locator('[data-testid="stMetricValue"]')
            if value.evaluate(MIN_FONT) < 0.045 * height:
                problems.append(f"{where}: headline figure {c + 1} is not large")
            if value.evaluate("e => e.scrollWidth > e.clientWidth + 1 || e.innerText.includes('…')"):
                problems.append(f"{where}: headline figure {c + 1} is cut: {value.inner_text()}")
    elif cards.count():
        problems.append(f"{where}: headline cards on a slide that is not the Overview")
    return problems


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("sequence", ["sample", "three-views"])
def test_sequence_presented_fits_each_screen(server, sequence, width, height):
    from playwright.sync_api import sync_playwright

    bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
        try:
            pg = b.new_page(viewport={"width": width, "height": height}, base_url=server.url)
            errors: list[str] = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.goto("/")
            bs.wait_for_app(pg, settle_ms=0)
            n = _sample(pg) if sequence == "sample" else _three_views(pg)
            pg.get_by_text("Presentation mode").click()
            bs.wait_for_app(pg)
            pages = []
            for i in range(1, n + 1):
                pg.get_by_text(f"View {i} of {n}").wait_for(timeout=60_000)
                bs.wait_for_app(pg)
                pg.screenshot(path=str(bs.SCREENSHOTS / f"slides-{sequence}-{width}-{i}.png"))
                page = pg.locator("p", has_text=f"View {i} of {n}").inner_text().split("·")[-1].strip()
                pages.append(page)
                problems += _slide_problems(pg, f"{width}x{height} slide {i} ({page})", width,
                                            height, overview=page == "Overview")
                if i < n:
                    pg.keyboard.press("ArrowRight")  # Next's keyboard shortcut
            if sequence == "three-views":
                assert pages == [t for t, _, _ in THREE_VIEWS]
            # back with Left, forward again with a clicker's PageDown
            pg.keyboard.press("ArrowLeft")
            pg.get_by_text(f"View {n - 1} of {n}").wait_for(timeout=60_000)
            bs.wait_for_app(pg, settle_ms=500)
            pg.keyboard.press("PageDown")
            pg.get_by_text(f"View {n} of {n}").wait_for(timeout=60_000)
            if errors:
                problems.append(f"JavaScript errors: {errors[:5]}")
        finally:
            b.close()
    assert not problems, "\n".join(problems)
