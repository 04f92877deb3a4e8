"""`python -m asemus_data pack`: the conference pack without the browser."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import browser_support as bs
import pandas as pd
import pytest
from test_pack import _chart

from asemus_data.cli import main
from asemus_data.paths import DATA_DIR, PROJECT_DIR
from asemus_data.presentation import Sequence, View, sample_sequence


def test_sample_pack_by_default(built_store, tmp_path, capsys):
    out = tmp_path / "pack.zip"
    assert main(["pack", "--out", str(out), "--no-images", "--store", str(built_store)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}: 5 views" in said and "skipped: PNG/SVG images: not requested." in said
    z = zipfile.ZipFile(out)
    names = set(z.namelist())
    sample = sample_sequence()
    folders = {n.split("/")[0] for n in names if "/" in n} - {"geo"}
    assert len(folders) == len(sample.views) == 5
    assert "the-network-at-a-glance/membership.csv" in names
    from pptx import Presentation
    prs = Presentation(io.BytesIO(z.read("slides.pptx")))
    assert len(prs.slides) == 1 + 3 + 2 + 2 + 2 + 2
    # the membership data in the pack is the CSV in data/, row for row
    packed = pd.read_csv(io.BytesIO(z.read("the-network-at-a-glance/membership.csv")),
                         comment="#", encoding="utf-8-sig")
    source = pd.read_csv(DATA_DIR / "membership_counts.csv")
    assert sorted(packed["total"].dropna().astype(int)) == sorted(source["total"].dropna().astype(int))


def test_pack_from_a_sequence_file_same_names_kept_apart(built_store, tmp_path):
    seq = Sequence("GC", [View("Brokers", "network", {"region": "Asia"}),
                          View("Brokers", "network")])
    path = tmp_path / "gc.json"
    path.write_text(seq.to_json(), encoding="utf-8")
    out = tmp_path / "gc.zip"
    code = subprocess.run([sys.executable, "-m", "asemus_data", "pack", "--sequence", str(path),
                           "--out", str(out), "--no-images", "--store", str(built_store)],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600)
    assert code.returncode == 0, code.stderr
    z = zipfile.ZipFile(out)
    asia = pd.read_csv(io.BytesIO(z.read("brokers/topology.csv")), comment="#", encoding="utf-8-sig")
    both = pd.read_csv(io.BytesIO(z.read("brokers-2/topology.csv")), comment="#", encoding="utf-8-sig")
    assert len(asia) < len(both)  # the region filter held by the first view only
    inst = pd.read_csv(DATA_DIR / "institutions.csv")
    asian = set(inst.loc[inst["region"] == "Asia", "id"])
    assert len(asia) and set(asia["a"]) | set(asia["b"]) <= asian
    assert not (set(both["a"]) | set(both["b"])) <= asian


def test_bad_sequence_file_writes_nothing(built_store, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"views": [{"page": "nowhere"}]}), encoding="utf-8")
    out = tmp_path / "x.zip"
    assert main(["pack", "--sequence", str(path), "--out", str(out), "--store", str(built_store)]) == 1
    err = capsys.readouterr().err
    assert "bad.json" in err and "unknown page" in err and "nowhere" in err
    assert not out.exists()
    assert main(["pack", "--sequence", str(tmp_path / "missing.json"), "--out", str(out),
                 "--store", str(built_store)]) == 2
    assert "missing.json" in capsys.readouterr().err and not out.exists()


@pytest.mark.browser
@pytest.mark.skipif(not bs.CHROMIUM.exists() and not bs.in_ci(), reason=f"no Chromium at {bs.CHROMIUM}")
def test_pack_html_pages_share_one_plotly_and_render_offline(tmp_path):
    """Every HTML page in the zip loads ../plotly.min.js (one copy) and the map outlines from
    ../geo/, and still draws from a folder with no network."""
    from playwright.sync_api import sync_playwright

    from asemus_data import pack
    views = [("Balance", "c", [_chart("bar")]), ("Where", "c", [_chart("map", geo=True)]),
             ("Where", "c", [_chart("map", geo=True)])]
    data, _ = pack.build_pack(views, images=False)
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    assert names.count("plotly.min.js") == 1 and "geo/world_50m.js" in names
    pages = [n for n in names if n.endswith(".html")]
    assert pages == ["balance/bar.html", "where/map.html", "where-2/map.html"]
    lib = z.getinfo("plotly.min.js").file_size
    for name in pages:
        text = z.read(name).decode()
        assert len(text) < lib / 20  # no inlined library
        assert '<script src="../plotly.min.js"></script>' in text
    z.extractall(tmp_path)
    requests = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto((tmp_path / "balance/bar.html").as_uri())
            page.wait_for_selector(".js-plotly-plot .bars path", state="attached", timeout=30_000)
            assert page.locator(".js-plotly-plot .bars path").count() == 2
            page.goto((tmp_path / "where-2/map.html").as_uri())
            page.wait_for_selector(".js-plotly-plot .geo .land path", state="attached", timeout=30_000)
            page.wait_for_selector(".js-plotly-plot .scattergeo path.point", state="attached",
                                   timeout=30_000)
            assert page.locator(".js-plotly-plot .scattergeo path.point").count() == 2
        finally:
            b.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert any(u.endswith("/plotly.min.js") for u in requests)
    assert any(u.endswith("/geo/world_50m.js") for u in requests)


@pytest.mark.skipif(__import__("asemus_data.pack", fromlist=["find_chrome"]).find_chrome() is None,
                    reason="no Chromium for kaleido")
def test_sample_pack_with_images_is_under_8_mb(built_store, tmp_path, capsys):
    out = tmp_path / "sample.zip"
    assert main(["pack", "--sequence", "sample", "--out", str(out), "--store", str(built_store)]) == 0
    assert "skipped" not in capsys.readouterr().out
    z = zipfile.ZipFile(out)
    names = z.namelist()
    assert sum(n.endswith(".png") for n in names) == 11 and names.count("plotly.min.js") == 1
    assert out.stat().st_size < 8_000_000, f"{out.stat().st_size / 1e6:.1f} MB"
