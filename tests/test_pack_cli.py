"""`python -m asemus_data pack`: the conference pack without the browser."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pandas as pd

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
    folders = {n.split("/")[0] for n in names if "/" in n}
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
