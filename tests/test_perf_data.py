"""The Data page with a big table: rows a page at a time in SQL (the table is never read whole
into pandas), counts in SQL, CSV / Parquet / Excel built on click from the rows the audience may
read, Excel refused past a sheet's row limit with CSV and Parquet offered."""
from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import access, browse, export, store
from asemus_data.errors import InputError

N_OBJECTS = 5000


@pytest.fixture()
def big_store(fresh_store, monkeypatch):
    """The session store plus N_OBJECTS objects, one with formula-like text; ASEMUS_STORE on it."""
    with store.writing(fresh_store) as w:
        inst = w.execute("SELECT id FROM institutions ORDER BY id LIMIT 1").fetchone()[0]
        w.execute("""INSERT INTO objects (id, institution_id, title, category, status, source)
                     SELECT 'pg-' || lpad(i::VARCHAR, 5, '0'), ?,
                            CASE WHEN i = 7 THEN '=HYPERLINK("x")' ELSE 'Object ' || i END,
                            'ceramics', 'imported', 'test' FROM range(?) t(i)""",
                  [inst, N_OBJECTS])
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    return fresh_store


@pytest.fixture()
def bcon(big_store):
    c = duckdb.connect(str(big_store), read_only=True)
    yield c
    c.close()


def test_pages_cover_the_table_once_in_order(bcon):
    whole = bcon.execute("SELECT * FROM objects").df()
    n = browse.row_count(bcon, "objects")
    assert n == len(whole) >= N_OBJECTS
    pages = browse.page_count(n, 500)
    assert pages == -(-n // 500)
    got = pd.concat([browse.page(bcon, "objects", p, size=500) for p in range(1, pages + 1)],
                    ignore_index=True)
    assert got.id.tolist() == whole.id.tolist()
    assert len(browse.page(bcon, "objects", pages, size=500)) == n - 500 * (pages - 1)
    assert browse.page(bcon, "objects", pages + 5, size=500).empty


def test_csv_download_in_chunks_is_the_frame_export(bcon, monkeypatch):
    whole = bcon.execute("SELECT * FROM objects").df()
    monkeypatch.setattr(browse, "CHUNK_ROWS", 2048)  # 3 chunks: one header, every row
    got = browse.csv_download(bcon, "objects")
    assert got == export.csv_bytes(whole, "ASEMUS dashboard, table objects")
    text = got.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    back = pd.read_csv(io.StringIO(text), comment=None, skiprows=1)
    assert len(back) == len(whole)


def test_downloads_hold_only_what_a_visitor_may_read(con):
    seen = con.execute(f"SELECT * FROM {access.relation('people')}").df()
    csv = browse.csv_download(con, "people").decode("utf-8-sig")
    assert "email" not in csv.splitlines()[1]
    assert len(pd.read_csv(io.StringIO(csv), skiprows=1)) == len(seen)
    pq = pd.read_parquet(io.BytesIO(browse.parquet_download(con, "people")))
    assert list(pq.columns) == access.visible_columns("people") and len(pq) == len(seen)


def test_parquet_download_round_trips(bcon):
    whole = bcon.execute("SELECT * FROM objects").df()
    back = pd.read_parquet(io.BytesIO(browse.parquet_download(bcon, "objects")))
    assert back.id.tolist() == whole.id.tolist() and list(back.columns) == list(whole.columns)


def test_excel_is_refused_past_a_sheets_rows(bcon, monkeypatch):
    assert browse.EXCEL_MAX_ROWS == 1_048_575
    assert browse.excel_refusal("objects", 1_048_575) is None
    why = browse.excel_refusal("objects", 1_048_576)
    assert "1,048,576" in why and "CSV" in why and "Parquet" in why
    monkeypatch.setattr(browse, "EXCEL_MAX_ROWS", N_OBJECTS - 1)
    with pytest.raises(InputError) as exc:
        browse.xlsx_download(bcon, "objects")
    assert "Excel" in str(exc.value) and "Parquet" in str(exc.value)


def _rows(at) -> pd.DataFrame:
    """The Rows table (AppTest's dataframes carry no key): the one listing object ids."""
    return next(d.value for d in at.dataframe
                if "id" in d.value.columns and d.value.id.astype(str).str.startswith("pg-").any())


def test_page_reads_a_page_and_builds_files_only_on_click(big_store, clear_streamlit_caches,
                                                          monkeypatch):
    read_whole, built = [], []
    real_read = access.read_table
    monkeypatch.setattr(access, "read_table",
                        lambda c, t, *a, **k: read_whole.append(t) or real_read(c, t, *a, **k))
    for name in ("csv_download", "parquet_download", "xlsx_download"):
        monkeypatch.setattr(browse, name, lambda *a, _n=name, **k: built.append(_n) or b"x")
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("objects").run()
    assert not at.exception
    assert "objects" not in read_whole and built == []
    ids = duckdb.connect(str(big_store), read_only=True).execute(
        "SELECT id FROM objects").df().id.tolist()
    size = browse.PAGE_ROWS
    assert _rows(at).id.tolist() == ids[:size]
    pages = -(-len(ids) // size)
    at.number_input(key="data_page").set_value(pages).run()
    assert _rows(at).id.tolist() == ids[size * (pages - 1):]
    assert ids[-1] == f"pg-{N_OBJECTS - 1:05d}"
    assert "objects" not in read_whole and built == []
    assert at.get("download_button")  # CSV, Parquet, Excel offered


def test_page_refuses_excel_past_the_limit(big_store, clear_streamlit_caches, monkeypatch):
    monkeypatch.setattr(browse, "EXCEL_MAX_ROWS", N_OBJECTS - 1)
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("objects").run()
    assert not at.exception
    assert any("Excel is not offered" in c.value and "Parquet" in c.value for c in at.caption)


def test_page_downloads_read_the_store_when_clicked(big_store, clear_streamlit_caches,
                                                    monkeypatch):
    from streamlit.delta_generator import DeltaGenerator
    offered: dict[str, object] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data=None, *args, **kwargs):
        offered[kwargs.get("key")] = data
        return original(self, label, data, *args, **kwargs)
    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("objects").run()
    assert not at.exception
    assert all(callable(offered[k]) for k in ("data_dl_csv", "data_dl_parquet", "data_dl_xlsx"))
    ids = duckdb.connect(str(big_store), read_only=True).execute(
        "SELECT id FROM objects").df().id.tolist()
    csv = pd.read_csv(io.BytesIO(offered["data_dl_csv"]()), skiprows=1, encoding="utf-8-sig")
    assert csv.id.tolist() == ids
    assert pd.read_parquet(io.BytesIO(offered["data_dl_parquet"]())).id.tolist() == ids
    assert pd.read_excel(io.BytesIO(offered["data_dl_xlsx"]()), sheet_name="objects").id.tolist() == ids
