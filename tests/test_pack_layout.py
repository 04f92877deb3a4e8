"""Issue 13, the remaining parts: the Overview counts only the filters it shows; every exported
picture carries its title, source and status inside its frame; the PowerPoint deck is laid out
like a designed deck (title, chart filling its area, footer, notes, native charts)."""
from __future__ import annotations

import html
import io
import re
import shutil
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import queries
from asemus_data.filters import Filters


# --- 1. the Overview's Holdings sentence ignores holdings filters it does not show ------------
def _overview_markdown(query: dict[str, str]) -> str:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return " | ".join(m.value for m in at.markdown)


def test_overview_holdings_ignore_filters_the_page_does_not_show(built_store, con,
                                                                 clear_streamlit_caches):
    europe = queries.summary_sentence(queries.summary(con, Filters(regions=("Europe",))))
    narrowed = queries.summary_sentence(queries.summary(
        con, Filters(regions=("Europe",), origins=("JPN",), categories=("ceramics",))))
    assert europe != narrowed  # the holdings filters would change the sentence
    said = _overview_markdown({"region": "Europe", "origin": "JPN", "category": "ceramics"})
    assert europe in said, said
    assert narrowed not in said


# --- 2. every exported picture carries its title, source and status inside its frame ----------
WIDTH, HEIGHT = 1280, 720


def _chart(key: str, *, geo: bool = False, statuses=("documented", "documented")):
    from asemus_data import pack
    if geo:
        fig = go.Figure(go.Scattergeo(lon=[2.35, 103.8], lat=[48.85, 1.29], text=["Paris", "Singapore"]))
        fig.update_geos(resolution=50)
    else:
        fig = go.Figure(go.Bar(x=[26, 20], y=["Asian Civilisations Museum", "Musée Guimet"],
                               orientation="h"))
        fig.update_layout(xaxis_title="objects", legend={"orientation": "h", "y": -0.2})
    data = pd.DataFrame({"name": ["Asian Civilisations Museum", "Musée Guimet"], "n": [26, 20],
                         "status": list(statuses)})
    return pack.Chart(key, f"{key.title()} & <more>", fig, data, "A caption.",
                      "https://example.org/source-of-the-figures", "26 and 20.")


def _footer_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in px of each annotation's box in a plotly SVG."""
    boxes = []
    for m in re.finditer(r'class="cursor-pointer" transform="translate\(([-\d.]+),\s*([-\d.]+)\)"'
                         r'[^>]*>\s*<rect class="bg"[^>]*?width="([\d.]+)" height="([\d.]+)"', svg):
        x, y, w, h = map(float, m.groups())
        boxes.append((x, y, w, h))
    return boxes


@pytest.mark.skipif(shutil.which("chromium") is None and not __import__("os").path.exists(
    "/usr/lib/chromium/chromium"), reason="no Chromium for kaleido")
def test_pictures_carry_title_source_and_status_inside_the_frame():
    from asemus_data import pack
    views = [("Real", "Documented.", [_chart("bar")]),
             ("Made up", "Illustrative.", [_chart("bar", statuses=("illustrative", "documented")),
                                           _chart("map", geo=True, statuses=("illustrative",) * 2)])]
    data, report = pack.build_pack(views)
    assert not report.skipped, report.skipped
    z = zipfile.ZipFile(io.BytesIO(data))
    for name, unreal in (("real/bar.svg", False), ("made-up/bar.svg", True), ("made-up/map.svg", True)):
        svg = z.read(name).decode("utf-8")
        texts = html.unescape(" ".join(re.findall(r">([^<>]+)</t", svg)))
        assert "Source: https://example.org/source-of-the-figures" in texts, (name, texts)
        assert name.split("/")[1][:-4].title() + " & <more>" in texts  # the title, as written
        assert ("Illustrative data, not real" in texts) == unreal, (name, texts)
        if not unreal:
            assert "Documented data" in texts
        boxes = _footer_boxes(svg)
        assert boxes, name
        for x, y, w, h in boxes:  # the footer is drawn on the canvas, not below it
            assert 0 <= x and x + w <= WIDTH and 0 <= y and y + h <= HEIGHT, (name, x, y, w, h)
