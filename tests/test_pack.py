"""Saved views, sequences and the conference pack."""
import io
import json
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest

from asemus_data import pack
from asemus_data.errors import InputError
from asemus_data.presentation import Sequence, View


def test_view_is_a_plain_url():
    v = View("Japanese prints in Europe", "collections_map", {"region": "Europe", "origin": "JPN"})
    assert v.url("http://127.0.0.1:8501") == "http://127.0.0.1:8501/collections_map?region=Europe&origin=JPN"
    assert View("o", "overview").url() == "/"


def test_sequence_round_trip_and_reorder():
    s = Sequence("GC 2026", [View(f"v{i}", p) for i, p in enumerate(
        ["overview", "collections_map", "network", "exhibitions", "masterpieces"])])
    back = Sequence.from_json(s.to_json())
    assert back == s
    back.move(0, +1)
    assert [v.name for v in back.views][:2] == ["v1", "v0"]
    back.move(0, -1)  # out of range: unchanged
    assert [v.name for v in back.views][:2] == ["v1", "v0"]


@pytest.mark.parametrize("text, fragment", [
    ("not json", "not a JSON file"),
    ('{"title": "x"}', "'views' list"),
    ('{"views": [{"page": "nowhere"}]}', "unknown page"),
    ('{"views": [{"page": "overview", "params": [1]}]}', "params must be an object"),
])
def test_bad_sequence_files(text, fragment):
    with pytest.raises(InputError) as e:
        Sequence.from_json(text, file="seq.json")
    assert fragment in str(e.value) and "seq.json" in str(e.value)


def _chart(key, geo=False):
    if geo:
        fig = go.Figure(go.Scattergeo(lon=[2.35, 103.8], lat=[48.85, 1.29], text=["Paris", "Singapore"]))
        fig.update_geos(resolution=50)
    else:
        fig = go.Figure(go.Bar(x=["Asia", "Europe"], y=[26, 20]))
    data = pd.DataFrame({"region": ["Asia", "Europe"], "n": [26, 20], "name": ["=evil()", "Musée"]})
    return pack.Chart(key, key.title(), fig, data, "A caption.", "https://example.org/source",
                      "26 in Asia and 20 in Europe.")


def test_offline_html_inlines_everything():
    html = pack.offline_html(_chart("map", geo=True))
    assert "window.PlotlyGeoAssets" in html and "world_50m" in html
    assert '<script src="http' not in html and "<script src='http" not in html
    assert "26 in Asia" in html


def test_pack_without_images_says_what_was_skipped():
    views = [("Balance", "Asia and Europe.", [_chart("bar")]), ("Where", "Map.", [_chart("map", geo=True)])]
    data, report = pack.build_pack(views, images=False)
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    assert {"balance/bar.csv", "balance/bar.html", "where/map.html", "slides.pptx", "README.txt"} <= names
    csv_text = z.read("balance/bar.csv").decode("utf-8-sig")
    assert csv_text.startswith("# Source: https://example.org/source")
    assert "'=evil()" in csv_text and "Musée" in csv_text
    assert "Skipped" in z.read("README.txt").decode() and report.skipped
    from pptx import Presentation
    prs = Presentation(io.BytesIO(z.read("slides.pptx")))
    assert len(prs.slides) == 1 + 2
    texts = [s.shapes.title.text for s in list(prs.slides)[1:]]
    assert texts == ["Balance: Bar", "Where: Map"]
    assert json.loads(z.read("sources.json")) == ["https://example.org/source"]


@pytest.mark.skipif(pack.find_chrome() is None, reason="no Chromium for kaleido")
def test_pack_with_images():
    views = [("Balance", "Asia and Europe.", [_chart("bar"), _chart("map", geo=True)])]
    data, report = pack.build_pack(views)
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.read("balance/bar.png")[:4] == b"\x89PNG"
    assert b"<svg" in z.read("balance/map.svg")[:500]
    assert not report.skipped
