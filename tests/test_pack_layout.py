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
from pptx.enum.shapes import MSO_SHAPE_TYPE as MSO
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


# --- 3. the PowerPoint deck, laid out like a designed deck ---------------------------------------
@pytest.fixture(scope="module")
def sample_pack(built_store):
    """The sample sequence's pack with pictures, its views' charts, and its slides."""
    import duckdb
    from pptx import Presentation

    from asemus_data import pack, slides
    from asemus_data.presentation import sample_sequence
    if pack.find_chrome() is None:
        pytest.skip("no Chromium for kaleido")
    con = duckdb.connect(str(built_store), read_only=True)
    try:
        views = sample_sequence().views
        data, report = slides.sequence_pack(con, views)
        charts = [c for v in views for c in slides.view_charts(con, v)[1]]
    finally:
        con.close()
    z = zipfile.ZipFile(io.BytesIO(data))
    return z, report, charts, Presentation(io.BytesIO(z.read("slides.pptx")))


def _inches(emu) -> float:
    return emu / 914400


def test_deck_has_a_slide_per_chart_with_title_footer_and_notes(sample_pack):
    _z, report, charts, prs = sample_pack
    assert not report.skipped, report.skipped
    slides_ = list(prs.slides)[1:]
    assert len(prs.slides) == 1 + len(charts)
    for slide, chart in zip(slides_, charts):
        assert slide.shapes.title.text.strip(), "every slide has a title"
        footer = [s for s in slide.shapes if s.has_text_frame and s.name == "Footer"]
        assert len(footer) == 1
        text = footer[0].text_frame.text
        assert "Source: " in text and ("data, not real" in text or "Documented data" in text), text
        assert chart.summary.split(" (")[0][:40] in slide.notes_slide.notes_text_frame.text


def test_deck_pictures_and_charts_fill_their_area_inside_the_slide(sample_pack):
    _z, _report, _charts, prs = sample_pack
    W, H = _inches(prs.slide_width), _inches(prs.slide_height)
    assert (round(W, 2), round(H, 2)) == (13.33, 7.5)
    kinds = []
    for slide in list(prs.slides)[1:]:
        body = [s for s in slide.shapes if s.shape_type in (MSO.PICTURE, MSO.CHART)]
        assert len(body) == 1, [s.name for s in slide.shapes]
        s = body[0]
        left, top, w, h = (_inches(v) for v in (s.left, s.top, s.width, s.height))
        assert left >= 0 and top >= 0 and left + w <= W + 1e-6 and top + h <= H + 1e-6
        assert abs(left - (W - left - w)) < 0.02, "centred"
        assert w >= 0.6 * W, "fills its area (the old picture left the right third empty)"
        footer = next(x for x in slide.shapes if x.name == "Footer")
        title = slide.shapes.title
        assert top >= _inches(title.top + title.height) - 1e-6 and top + h <= _inches(footer.top) + 1e-6
        if s.shape_type == MSO.PICTURE:
            assert abs(w / h - 16 / 9) < 0.01  # the picture at its own aspect ratio
        kinds.append(s.shape_type)
    assert MSO.CHART in kinds, "at least one native, editable chart"
    assert MSO.PICTURE in kinds, "maps and networks stay pictures"


def test_native_charts_hold_the_numbers_of_the_packs_csv(sample_pack):
    """The editable chart staff get holds the same numbers as the chart's data file; maps and
    networks are pictures."""
    _z, _report, charts, prs = sample_pack
    native = 0
    for slide, chart in zip(list(prs.slides)[1:], charts):
        shape = next(s for s in slide.shapes if s.shape_type in (MSO.PICTURE, MSO.CHART))
        geo_or_net = any(t.type == "scattergeo" for t in chart.figure.data) or chart.key == "topology"
        if geo_or_net:
            assert shape.shape_type == MSO.PICTURE, chart.key
        if shape.shape_type != MSO.CHART:
            continue
        native += 1
        plot = shape.chart.plots[0]
        values = [v for v in plot.series[0].values]
        numeric = chart.data.select_dtypes("number")
        shown = {round(v, 6) for v in values if v is not None}
        assert shown and any(shown <= set(numeric[c].dropna().astype(float).round(6))
                             for c in numeric.columns), (chart.key, values, chart.data.head())
        assert len(list(plot.categories)) == len(values)
    assert native >= 1
