"""No CSV or Excel file the app writes holds a live spreadsheet formula: not in a cell, not on a
line inside a cell, not after a delimiter a spreadsheet might split on, and not in the provenance
('# Source:' line, the workbook's source sheet), whatever the source or search text holds."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asemus_data import export
from asemus_data.filters import Filters

FORMULA = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
NUMBER = re.compile(r"[+-][0-9][0-9.,]*\Z")
HOSTILE = [
    '\n=HYPERLINK("http://evil.example","click")',
    'ok\r\n=cmd|" /C calc"!A0',
    "a,=1+1", "a;@SUM(A1)", "a\t-2+3", 'x,"=2+2"', " =1+1", "\u2028=1", "\uff1dSUM(A1)",
    "line\x0b+1", "x\x85=1", "=", "-", "+cmd", "@cmd",
]


def _live(cell: str) -> bool:
    """Would a spreadsheet run this cell (as a CSV reader gives it) as a formula?"""
    text = cell.lstrip(' "')
    return text.startswith(FORMULA) and not NUMBER.match(text.split(",")[0].strip().rstrip('"'))


def live_cells(data: bytes) -> list[str]:
    """Every cell that could run as a formula, however the file is split: by ',', ';' or tab,
    and line by line (a reader that ignores quotes)."""
    text = data.decode("utf-8-sig")
    found = []
    for delim in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
            found += [c for c in row if _live(c)]
    for line in re.split(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", text):
        found += [c for c in re.split(r"[,;\t]", line) if _live(c)]
    return found


@pytest.mark.parametrize("bad", HOSTILE)
def test_csv_has_no_live_formula_anywhere(bad):
    df = pd.DataFrame({"name": [bad, "Musée"], bad: [1, 2], "n": [-12, 3]})
    data = export.csv_bytes(df, source=f"https://example.org/{bad}")
    assert live_cells(data) == []
    text = data.decode("utf-8-sig")
    first, *_ = text.split("\n")
    assert first.startswith("# Source: https://example.org/")
    # the provenance is one line: the data's header comes right after it
    assert pd.read_csv(io.StringIO(text), skiprows=1)["n"].tolist() == [-12, 3]


def test_numbers_and_plain_text_are_kept():
    df = pd.DataFrame({"v": ["-12", "+3.5", "Musée Guimet", "東京国立博物館", "a, b; c"]})
    back = pd.read_csv(io.StringIO(export.csv_bytes(df, "s").decode("utf-8-sig")), skiprows=1,
                       dtype=str)
    assert back["v"].tolist() == df["v"].tolist()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('=+-@\t\r\n",; a1.\uff1d\u2028\x0b\x85')), max_size=12),
       st.text(alphabet=st.sampled_from(list('=+-@\t\r\n",; a1\uff20')), max_size=12))
def test_no_text_makes_a_live_formula(cell, source):
    data = export.csv_bytes(pd.DataFrame({"c": [cell], "d": ["x"]}), source=source or None)
    assert live_cells(data) == []


def _workbook_values(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


@pytest.mark.parametrize("bad", HOSTILE + ["ctrl\x00\x07\x1b=1"])
def test_xlsx_has_no_formula_and_accepts_any_text(bad):
    df = pd.DataFrame({"name": [bad], bad: ["x"]})
    data = export.xlsx_bytes(df, source=f"src {bad}")
    cells = list(_workbook_values(data))
    assert not [c.value for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and _live(c.value)]
    source_sheet = openpyxl.load_workbook(io.BytesIO(data))["source"]
    assert "\n" not in source_sheet["A2"].value and "\r" not in source_sheet["A2"].value


def test_masterpieces_download_with_a_hostile_search(con):
    """The issue's link: /masterpieces?q=%0A%3DHYPERLINK(...) then CSV (and the explorer text)."""
    from asemus_data import masterpieces as mp
    bad = '\n=HYPERLINK("http://evil.example","x")'
    f, _ = Filters.from_query({"q": bad})
    for _id, _label, make, _name, _mime in mp.downloads(con, f, mp.Query(bad)):
        data = make()
        if data[:2] == b"PK":
            assert not [c for c in _workbook_values(data) if c.data_type == "f"]
        else:
            assert live_cells(data) == []


def test_pack_csv_with_a_hostile_source():
    import plotly.graph_objects as go

    from asemus_data.pack import Chart, build_pack
    bad = 'https://x.example/\n=HYPERLINK("http://evil.example","visitors")'
    chart = Chart("visitors", "Visitors", go.Figure(go.Bar(x=[1], y=[2])),
                  pd.DataFrame({"title": [bad], "source": [bad], "visitors": [10]}),
                  "caption", bad, "summary")
    data, _ = build_pack([("Exhibitions", "cap", [chart])], images=False)
    z = zipfile.ZipFile(io.BytesIO(data))
    csvs = [n for n in z.namelist() if n.endswith(".csv")]
    assert csvs and all(live_cells(z.read(n)) == [] for n in csvs)


def test_network_exports_are_guarded():
    import networkx as nx

    from asemus_data import network as net
    bad = 'a\n=HYPERLINK("http://evil.example")'
    G = nx.Graph()
    G.add_node("a", name=bad)
    G.add_node("b", name="@b")
    G.add_edge("a", "b", types=["-x"], year_start=2001, year_end=2002, weight=1,
               labels=[bad], sources=[bad])
    metrics = pd.DataFrame({"id": ["a", "b"], "name": [bad, "+b"], "degree": [1, 1]})
    csvs = [make() for _id, _l, make, name, _m in net.downloads(G, metrics, bad)
            if name.endswith(".csv")]
    assert len(csvs) == 2 and all(live_cells(c) == [] for c in csvs)


def test_quarantine_rejects_are_guarded():
    from asemus_data import quarantine
    frame = pd.DataFrame({"name": ['ok\n=HYPERLINK("x")', "a;+1"], "_row": [2, 3],
                          "_reasons": ["bad", "bad"]})
    assert live_cells(quarantine.rejects_bytes(frame)) == []
