"""The pack's HTML snapshots open from a file with no network: rendered in headless Chromium with
every request recorded, the chart and the map outlines must be drawn from what is inlined."""
from __future__ import annotations

import browser_support as bs
import pytest
from test_pack import _chart

from asemus_data import pack

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not bs.CHROMIUM.exists() and not bs.in_ci(),
                       reason=f"no Chromium at {bs.CHROMIUM}"),
]


@pytest.mark.parametrize("geo", [False, True], ids=["bar", "map"])
def test_html_snapshot_renders_offline(tmp_path, geo):
    # as inside the app: importing Streamlit makes its in-app plotly template the default,
    # which the export must not inherit
    import streamlit.elements.plotly_chart  # noqa: F401
    from playwright.sync_api import sync_playwright
    path = tmp_path / "chart.html"
    path.write_text(pack.offline_html(_chart("map" if geo else "bar", geo=geo)), encoding="utf-8")
    requests = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            if geo:
                # country outlines come from the inlined topojson, not from a CDN: wait for them
                # to be drawn rather than for a fixed time (a loaded runner is slow)
                page.wait_for_selector(".js-plotly-plot .geo .land path", state="attached",
                                       timeout=30_000)
                page.wait_for_selector(".js-plotly-plot .scattergeo path.point", state="attached",
                                       timeout=30_000)
                assert page.locator(".js-plotly-plot .scattergeo path.point").count() == 2
            else:
                page.wait_for_selector(".js-plotly-plot .bars path", state="attached", timeout=30_000)
                assert page.locator(".js-plotly-plot .bars path").count() == 2
            shot = page.locator(".js-plotly-plot").screenshot()
            (bs.SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            (bs.SCREENSHOTS / f"pack-html-{'map' if geo else 'bar'}.png").write_bytes(shot)
        finally:
            b.close()
    off_machine = [u for u in requests if not u.startswith(("file:", "data:", "blob:"))]
    assert off_machine == []
