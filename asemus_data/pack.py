"""The conference pack: one zip for a sequence of views.

For each view: every chart as PNG and SVG (when a Chrome/Chromium is available to kaleido), the
data behind each chart as CSV (with its source line), an offline HTML snapshot of each chart
(opens from a USB stick with no network: the pages share one copy of plotly.js and of each map
outline file, kept at the zip's root and loaded by relative path), and a slide in
a PowerPoint deck (title, the chart filling its area: a native editable chart for simple bar and
line charts, the picture for maps and networks; a caption, source and status footer; the summary
in the notes). Every picture carries its title, source and data status inside its frame. A
README in the zip lists the sources and says plainly what was skipped and how to enable it.
"""
from __future__ import annotations

import html
import io
import json
import math
import os
import re
import shutil
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from . import open_data
from .export import csv_bytes
from .paths import STATIC_DIR
from .text import html_text, plain

TOPOJSON_DIR = STATIC_DIR / "topojson"
CHROME_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


@dataclass
class Chart:
    """A chart as the pack needs it: a plotly figure, its data, caption, source and a text summary
    (the key numbers in a sentence, for screen readers and the pack)."""

    key: str
    title: str
    figure: go.Figure
    data: pd.DataFrame
    caption: str
    source: str
    summary: str
    #: the data status in a phrase; empty: read from the data's status columns (status_line)
    status: str = ""


@dataclass
class PackReport:
    """What went into the pack and what was skipped, with the reason."""

    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def find_chrome() -> str | None:
    """A Chrome/Chromium kaleido can drive, or None."""
    env = os.environ.get("BROWSER_PATH")
    if env and os.path.exists(env):
        return env
    for name in CHROME_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "chart"


def folders(names: list[str]) -> list[str]:
    """One folder name per view, in order: the view's slug, with -2, -3... added when another
    view already has it, so two views with the same (or same-looking) name never share files
    (nor a view named 'Geo' the shared map outlines' folder)."""
    used: set[str] = {"geo"}
    out = []
    for name in names:
        base = candidate = slug(name)
        k = 1
        while candidate in used:
            k += 1
            candidate = f"{base}-{k}"
        used.add(candidate)
        out.append(candidate)
    return out


@lru_cache(maxsize=4)
def _topojson(name: str) -> str | None:
    path = TOPOJSON_DIR / f"{name}.json"
    return path.read_text(encoding="utf-8") if path.exists() else None


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs  # lazy: only for a pack's HTML (start-up cost)
    return get_plotlyjs()


def _geo_assets(fig: go.Figure) -> dict[str, str]:
    """The topojson files a figure's geo subplots need, by plotly's naming (scope_resolution)."""
    layout = fig.to_plotly_json().get("layout", {})
    needed = {}
    for key, geo in layout.items():
        if not key.startswith("geo") or not isinstance(geo, dict):
            continue
        name = f"{geo.get('scope', 'world')}_{geo.get('resolution', 110)}m"
        text = _topojson(name)
        if text:
            needed[name] = text
    has_geo = any(getattr(t, "type", "").endswith("geo") or t.type in ("choropleth", "scattergeo")
                  for t in fig.data)
    if has_geo and not needed:
        text = _topojson("world_110m")
        if text:
            needed["world_110m"] = text
    return needed


#: The template every exported figure uses. Importing Streamlit makes its in-app 'streamlit'
#: template plotly's process-wide default, which hides land on geo charts and assumes the app's
#: page around the chart: a file that leaves the app must not depend on that.
EXPORT_TEMPLATE = "plotly_white"


def standalone(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` for export, on the export template (plotly bakes the process default
    into every figure it constructs, so the figure's own template cannot be trusted here)."""
    out = go.Figure(fig)
    out.update_layout(template=EXPORT_TEMPLATE)
    return out


PLOTLY_JS = "plotly.min.js"  # the pack's one copy of the chart library, at the zip's root


def _geo_js(name: str, text: str) -> str:
    """A script that adds one topojson file to plotly's offline assets (read before plotly.js)."""
    return ("window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
            f'window.PlotlyGeoAssets.topojson["{name}"]={text};')


def shared_assets(charts: list[Chart]) -> dict[str, str]:
    """The files the pack's HTML pages share (path in the zip -> text): plotly.js once, and each
    map outline file any chart needs once, as scripts (file:// pages may load scripts, not fetch)."""
    out = {PLOTLY_JS: _plotly_js()}
    for chart in charts:
        for name, text in _geo_assets(standalone(chart.figure)).items():
            out.setdefault(f"geo/{name}.js", _geo_js(name, text))
    return out


def offline_html(chart: Chart, *, shared: str | None = None) -> str:
    """A page for one chart that makes no request beyond its own folder. By default plotly.js and
    the map outlines are inlined (a standalone file); with ``shared`` (the relative path to the
    folder holding :func:`shared_assets`, e.g. ".."), they are loaded from there instead."""
    fig = standalone(chart.figure)
    assets = _geo_assets(fig)
    if shared is None:
        geo_script = "".join(f"<script>{_geo_js(k, v)}</script>" for k, v in assets.items())
        lib = f"<script>{_plotly_js()}</script>"
    else:
        geo_script = "".join(f'<script src="{shared}/geo/{k}.js"></script>' for k in assets)
        lib = f'<script src="{shared}/{PLOTLY_JS}"></script>'
    div = fig.to_html(include_plotlyjs=False, full_html=False,
                               config={"displaylogo": False, "topojsonURL": ""})
    esc = lambda s: (s or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{esc(chart.title)}</title>{geo_script}{lib}"
            "<style>body{font-family:sans-serif;margin:2rem;color:#1b1f24}"
            "p{max-width:60rem}</style></head><body>"
            f"<h1>{esc(chart.title)}</h1>{div}<p>{esc(chart.caption)}</p>"
            f"<p><small>Source: {esc(chart.source)}</small></p>"
            f"<p class='summary'>{esc(chart.summary)}</p></body></html>")


UNREAL = ("illustrative", "synthetic")
IMAGE_SIZE = (1280, 720)  # px, 16:9: the pictures fill a 16:9 slide's chart area


def unreal_kinds(chart: Chart) -> list[str]:
    """Which kinds of not-real data ('illustrative', 'synthetic') the chart shows: from its
    explicit status, its data's status columns, or the marks in its title."""
    found: set[str] = set()
    for col in ("status", "statuses"):
        if col in chart.data.columns:
            for value in chart.data[col].dropna().astype(str):
                found.update(p.strip().lower() for p in re.split(r"[,;/]", value))
    said = f"{chart.status} {chart.title}".lower()
    return [k for k in UNREAL if k in found or k in said]


def unreal_label(kinds: list[str]) -> str:
    """'Illustrative data, not real' (or 'Illustrative or synthetic data, not real')."""
    return f"{' or '.join(kinds).capitalize()} data, not real"


def status_line(chart: Chart) -> str:
    """The chart's data status for its picture and slide footer; not-real data always says
    'not real' in plain words."""
    kinds = unreal_kinds(chart)
    if kinds:
        label = unreal_label(kinds)
        return label + (f": {chart.status}" if chart.status else ": the data shown includes "
                        + " and ".join(kinds) + " rows")
    return chart.status or "Documented data: every row cites its source"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    out = textwrap.wrap(text, width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 3].rstrip() + "..."
    return out


def _label_px(fig: go.Figure, axis: str, font: float) -> int:
    """A generous width in px for the longest category label on ``axis`` ('x' or 'y')."""
    longest = 0
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None or (trace.type or "") not in ("bar", "scatter", "box"):
            continue
        texts = [str(v) for v in values if isinstance(v, str)]
        longest = max([longest] + [len(t) for t in texts])
    return int(longest * font * 0.62)


def framed(chart: Chart, width: int = IMAGE_SIZE[0], height: int = IMAGE_SIZE[1]) -> go.Figure:
    """The chart as an exported picture: its title, data status, source line and status line
    inside the frame. Margins are sized from the labels and the footer so nothing is drawn
    below the canvas (kaleido writes only the canvas)."""
    fig = standalone(chart.figure)
    kinds = unreal_kinds(chart)
    src_lines = _wrap(f"Source: {plain(chart.source)}", int((width - 60) / 7.2), 2)
    status = status_line(chart)
    colour = "#B00020" if kinds else "#333333"
    footer = [html_text(line) for line in src_lines] + [f"<b>{html_text(status)}</b>"]
    line_px = 17
    footer_px = line_px * len(footer) + 12
    cartesian = any(t.type not in ("scattergeo", "choropleth", "scattermap", "choroplethmap")
                    for t in fig.data)
    has_x_title = bool(fig.layout.xaxis.title.text)
    axis_px = (40 + (22 if has_x_title else 0)) if cartesian else 8
    legend_px = 30 if fig.layout.legend.orientation == "h" else 0
    if legend_px:  # a legend under the plot: between the axis and the footer, never on them
        fig.update_layout(legend={"yref": "container", "y": (footer_px + 2) / height,
                                  "yanchor": "bottom", "x": 0.02, "xanchor": "left"})
        axis_px += legend_px
    left = max(20, min(width // 3, _label_px(fig, "y", 12) + (40 if fig.layout.yaxis.title.text else 20)))
    title = html_text(chart.title)
    subtitle = unreal_label(kinds) if kinds else ""
    top = 70 if subtitle else 56
    fig.update_layout(
        width=width, height=height,
        title={"text": title, "x": 0.02, "xanchor": "left", "y": 1 - 14 / height,
               "yanchor": "top", "yref": "container", "font": {"size": 22, "color": "#111111"},
               "subtitle": {"text": f"<b>{subtitle}</b>" if subtitle else "",
                            "font": {"size": 15, "color": colour}}},
        margin={"l": left, "r": 24, "t": top, "b": axis_px + footer_px})
    plot_w = width - left - 24
    plot_h = height - top - axis_px - footer_px
    fig.add_annotation(
        text="<br>".join(footer), xref="paper", yref="paper", align="left", showarrow=False,
        x=-(left - 12) / plot_w, xanchor="left", y=-(axis_px + 4) / plot_h, yanchor="top",
        font={"size": 12, "color": colour})
    return fig


def _export_images(charts: list[tuple[str, Chart]], report: PackReport,
                   say: Callable[[str], None]) -> dict[str, bytes]:
    """PNG and SVG of every chart through kaleido and a local Chromium, batched."""
    chrome = find_chrome()
    if chrome is None:
        report.skipped.append("PNG/SVG images and slide pictures: no Chrome/Chromium found. Install "
                              "one (Debian: apt-get install chromium) or set BROWSER_PATH, then "
                              "build the pack again.")
        return {}
    import plotly.io as pio  # lazy: plotly.io and kaleido only when pictures are drawn (heavy)
    os.environ.setdefault("BROWSER_PATH", chrome)
    pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="asemus-pack-") as tmp:
        figs, paths, names = [], [], []
        for base, chart in charts:
            fig = framed(chart)
            for ext in ("png", "svg"):
                if ext == "svg" and fig.layout.geo.resolution == 50:
                    # a vector map holds every coastline: at 50m it is 4.5 MB, at 110m under 1 MB
                    # (the picture keeps 50m); the pack stays under 8 MB
                    fig = go.Figure(fig).update_geos(resolution=110)
                figs.append(fig)
                paths.append(f"{tmp}/{len(paths)}.{ext}")
                names.append(f"{base}.{ext}")
        say(f"rendering {len(figs)} images with {chrome}")
        try:
            pio.write_images(figs, paths, width=IMAGE_SIZE[0], height=IMAGE_SIZE[1])
        except Exception as exc:  # noqa: BLE001 - kaleido/browser can fail any way; the rest of the pack stays
            report.skipped.append(f"PNG/SVG images: the image export failed ({type(exc).__name__}: "
                                  f"{str(exc)[:200]}). The HTML and data parts are complete.")
            return {}
        for name, path in zip(names, paths):
            with open(path, "rb") as fh:
                out[name] = fh.read()
    return out


@dataclass
class Series:
    """A chart's data as a native PowerPoint chart takes it: categories and named value series,
    with each point's label as the figure writes it (qualifiers such as 'over' kept)."""

    kind: str                 # "bar" or "line"
    horizontal: bool
    categories: list[str]
    series: list[tuple[str, list[float | None], list[str] | None]]
    value_title: str = ""


def _number(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def native_series(fig: go.Figure) -> Series | None:
    """The figure's data when it is a simple category/value chart (bars, or lines sharing one x),
    else None: maps, networks, timelines (bars with a base) and scatter plots stay pictures."""
    traces = list(fig.data)
    if not traces or len(traces) > 8:
        return None
    if any(getattr(t, "xaxis", None) not in (None, "x") for t in traces):
        return None  # subplots
    if all(t.type == "bar" for t in traces):
        kind = "bar"
        horizontal = traces[0].orientation == "h"
        if any((t.orientation == "h") != horizontal or t.base is not None for t in traces):
            return None
    elif all(t.type == "scatter" and "lines" in (t.mode or "lines") for t in traces):
        kind, horizontal = "line", False
    else:
        return None
    cat_axis, val_axis = ("y", "x") if horizontal else ("x", "y")
    first = getattr(traces[0], cat_axis)
    if first is None or len(first) == 0 or len(first) > 40:
        return None
    labels = [html.unescape(str(c)[:10] if kind == "line" and hasattr(c, "dtype") else str(c))
              for c in first]
    series = []
    for t in traces:
        cats = getattr(t, cat_axis)
        if cats is None or [str(c) for c in cats] != [str(c) for c in first]:
            return None
        values = [_number(v) for v in getattr(t, val_axis)]
        if all(v is None for v in values):
            return None
        text = t.text
        point_labels = ([plain(html.unescape(str(x))) for x in text]
                        if text is not None and not isinstance(text, str) and len(text) == len(values)
                        else None)
        series.append((plain(t.name or "") or "value", values, point_labels))
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    title = plain(html.unescape(axis.title.text or "")) if axis.title else ""
    return Series(kind, horizontal, [plain(x) for x in labels], series, title)


# Slide geometry, 16:9 (13.333 x 7.5 in): title band, chart area, footer band.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
TITLE_TOP, TITLE_H = 0.3, 0.85
AREA_TOP, AREA_H = 1.25, 5.0
FOOTER_TOP, FOOTER_H = 6.35, 1.0


def _fit(aspect: float) -> tuple[float, float, float, float]:
    """(left, top, width, height) in inches of the largest box of ``aspect`` (w/h), centred in
    the chart area."""
    area_w = SLIDE_W - 2 * MARGIN
    w, h = area_w, area_w / aspect
    if h > AREA_H:
        w, h = AREA_H * aspect, AREA_H
    return MARGIN + (area_w - w) / 2, AREA_TOP + (AREA_H - h) / 2, w, h


def _short(text: str, limit: int) -> str:
    text = plain(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _add_native(slide, data: Series, chart: Chart) -> None:
    """A native PowerPoint chart (staff can edit its data in PowerPoint) filling the chart area."""
    # lazy: python-pptx only for the PowerPoint file (heavy to import)
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    cd = CategoryChartData(number_format="#,##0.##")
    cd.categories = data.categories
    for name, values, _labels in data.series:
        cd.add_series(name, values)
    if data.kind == "bar":
        kind = XL_CHART_TYPE.BAR_CLUSTERED if data.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    else:
        kind = XL_CHART_TYPE.LINE_MARKERS
    left, top, w, h = MARGIN, AREA_TOP, SLIDE_W - 2 * MARGIN, AREA_H
    gframe = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(w), Inches(h), cd)
    ch = gframe.chart
    ch.font.size = Pt(16)
    kinds = unreal_kinds(chart)
    ch.has_title = bool(kinds)  # not-real data says so on the chart itself
    if kinds:
        ch.chart_title.text_frame.text = unreal_label(kinds)
        run = ch.chart_title.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.bold = Pt(18), True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    ch.has_legend = len(data.series) > 1
    if ch.has_legend:
        ch.legend.position, ch.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    if data.horizontal:
        ch.category_axis.reverse_order = True  # first category on top, as in the figure
    if data.value_title:
        ch.value_axis.has_title = True
        ch.value_axis.axis_title.text_frame.text = data.value_title
    ch.value_axis.has_major_gridlines = True
    palette = ["0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "F0E442", "000000"]
    for i, (plot_series, (_name, _values, labels)) in enumerate(zip(ch.plots[0].series, data.series)):
        fill = RGBColor.from_string(palette[i % len(palette)])
        if data.kind == "bar":
            plot_series.format.fill.solid()
            plot_series.format.fill.fore_color.rgb = fill
        else:
            plot_series.format.line.color.rgb = fill
        if labels and len(data.categories) <= 20:
            for point, label in zip(plot_series.points, labels):
                point.data_label.text_frame.text = label
                point.data_label.font.size = Pt(14)
    if data.kind == "bar":
        ch.plots[0].gap_width = 60


def _deck(views: list[tuple[str, str, list[Chart]]], images: dict[str, bytes],
          dirs: list[str]) -> bytes:
    """A PowerPoint deck laid out like a designed one: a title slide, then one slide per chart
    of each view with the view's title, the chart filling its area at its aspect ratio (a native,
    editable chart for simple bar and line charts; the exported picture for maps, networks and
    timelines), a footer with the caption, source and data status, and the summary in the notes."""
    # lazy: python-pptx only for the PowerPoint file (heavy to import)
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = "Asia-Europe Museum Network"
    title_slide.placeholders[1].text = ("Figures from the ASEMUS collections dashboard, "
                                        f"{time.strftime('%d %B %Y')}")
    for shape, top in ((title_slide.shapes.title, 2.2), (title_slide.placeholders[1], 4.0)):
        shape.left, shape.top = Inches(MARGIN), Inches(top)
        shape.width, shape.height = Inches(SLIDE_W - 2 * MARGIN), Inches(1.5)
    title_only = prs.slide_layouts[5]
    for (view_name, caption, charts), folder in zip(views, dirs):
        for chart in charts:
            slide = prs.slides.add_slide(title_only)
            title = slide.shapes.title
            title.left, title.top = Inches(MARGIN), Inches(TITLE_TOP)
            title.width, title.height = Inches(SLIDE_W - 2 * MARGIN), Inches(TITLE_H)
            # text from data as the characters it is (a control character would break the XML)
            title.text = plain(f"{view_name}: {chart.title}" if chart.title != view_name else view_name)
            title.text_frame.word_wrap = True
            para = title.text_frame.paragraphs[0]
            para.font.size, para.font.bold = Pt(30 if len(title.text) <= 60 else 24), True
            data = native_series(chart.figure)
            png = images.get(f"{folder}/{slug(chart.key)}.png")
            if data is not None:
                _add_native(slide, data, chart)
            elif png:
                left, top, w, h = _fit(IMAGE_SIZE[0] / IMAGE_SIZE[1])
                slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(w), Inches(h))
            else:
                box = slide.shapes.add_textbox(Inches(MARGIN), Inches(AREA_TOP),
                                               Inches(SLIDE_W - 2 * MARGIN), Inches(AREA_H))
                box.text_frame.word_wrap = True
                box.text_frame.text = (plain(chart.summary) + "\n\n(Chart image not rendered: no "
                                       "Chromium found when the pack was built.)")
            foot = slide.shapes.add_textbox(Inches(MARGIN), Inches(FOOTER_TOP),
                                            Inches(SLIDE_W - 2 * MARGIN), Inches(FOOTER_H))
            foot.name = "Footer"
            tf = foot.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            p.text = _short(chart.caption or caption, 180)
            p.font.size = Pt(16)
            src = tf.add_paragraph()
            src.text = _short(f"Source: {chart.source}", 150)
            src.font.size = Pt(11)
            status = tf.add_paragraph()
            status.text = status_line(chart)
            status.font.size, status.font.bold = Pt(12), True
            if unreal_kinds(chart):
                status.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
            slide.notes_slide.notes_text_frame.text = plain(
                f"{chart.summary}\n\n{chart.caption or caption}\n\nSource: {chart.source}\n"
                f"{status_line(chart)}")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def build_pack(views: list[tuple[str, str, list[Chart]]], *, progress: Callable[[str], None] | None = None,
               images: bool = True) -> tuple[bytes, PackReport]:
    """Build the zip for ``views`` (each: view name, view caption, charts). Returns the zip bytes
    and a report of what went in and what was skipped."""
    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    report = PackReport()
    buf = io.BytesIO()
    dirs = folders([name for name, _cap, _charts in views])
    flat = [(f"{d}/{slug(c.key)}", c) for d, (_n, _cap, charts) in zip(dirs, views) for c in charts]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, data: bytes | str) -> None:
            z.writestr(name, data)
            report.files.append(name)

        # one copy of plotly.js (4.8 MB) and of each map outline for every HTML page
        for name, text in shared_assets([c for _b, c in flat]).items():
            put(name, text)
        for base, chart in flat:
            say(f"data and HTML for {base}")
            put(f"{base}.csv", csv_bytes(chart.data, chart.source))
            put(f"{base}.html", offline_html(chart, shared=".."))
            put(f"{base}.txt", f"{chart.title}\n\n{chart.summary}\n\n{chart.caption}\n\n"
                               f"Source: {chart.source}\n")
        imgs = _export_images(flat, report, say) if images else {}
        if not images:
            report.skipped.append("PNG/SVG images: not requested.")
        for name, data in imgs.items():
            put(name, data)
        say("PowerPoint deck")
        put("slides.pptx", _deck(views, imgs, dirs))
        sources = sorted({c.source for _b, c in flat})
        readme = ["ASEMUS conference pack", "=" * 22, "",
                  f"Built {time.strftime('%Y-%m-%d %H:%M')} from the ASEMUS collections dashboard.", "",
                  "Views:"]
        for (name, caption, charts), folder in zip(views, dirs):
            readme += ([f"- {name} (folder {folder}/): {caption}"]
                       + [f"    - {c.title}: {c.summary}" for c in charts])
        readme += ["", "Every chart has: .html (opens offline; keep plotly.min.js and geo/ beside "
                   "the folders), .csv (the data, source on line 1), "
                   ".txt (text summary), and .png/.svg when images were rendered.", "",
                   "Sources:"] + [f"- {s}" for s in sources]
        cited = [t for _b, c in flat for t in (c.source, c.caption, c.summary)] + [
            v for _b, c in flat if isinstance(c.data, pd.DataFrame) and "source" in c.data
            for v in pd.unique(c.data["source"].dropna().astype(str))]
        if credits := open_data.credit_lines(cited):   # the licence asks for them
            readme += ["", "Credits and licences (open data shown in this pack):"] + [
                f"- {c}" for c in credits] + [f"  Licence: {open_data.LICENCE_URL}"]
        if report.skipped:
            readme += ["", "Skipped:"] + [f"- {s}" for s in report.skipped]
        put("README.txt", "\n".join(readme) + "\n")
        put("sources.json", json.dumps(sources, ensure_ascii=False, indent=2))
    report.seconds = time.perf_counter() - t0
    return buf.getvalue(), report
