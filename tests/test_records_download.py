"""Collections map "Records (importable)": the matching collections and objects rows in the
store's own form, as a zip of two CSVs that validate and import again as their tables, with the
same rows a plain SQL query on the store finds; refused (before reading rows) above the limit."""
from __future__ import annotations

import io
import zipfile

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import collections_map as cm
from asemus_data import store as st
from asemus_data.errors import InputError
from asemus_data.filters import Filters
from asemus_data.importer import check_file, import_file

SOURCE = "ASEMUS collections dashboard, Collections map records (test)"


def _filter(con) -> tuple[Filters, str]:
    """A category filter that keeps some collections rows and leaves others out."""
    cat, n, total = con.execute("""
        SELECT category, count(*) AS n, (SELECT count(*) FROM collections) FROM collections
        WHERE category IS NOT NULL GROUP BY category ORDER BY n DESC, category LIMIT 1
        """).fetchone()
    assert 0 < n < total
    return Filters(categories=(cat,)), cat


def _expected(con, cat: str) -> pd.DataFrame:
    # independent of the module's SQL: the filter written out by hand
    return con.execute("SELECT c.* FROM collections c JOIN institutions i "
                       "ON i.id = c.institution_id WHERE c.category = ? ORDER BY c.id",
                       [cat]).df()


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_records_csv_validates_and_matches_the_store(built_store, tmp_path):
    con = duckdb.connect(str(built_store), read_only=True)
    try:
        f, cat = _filter(con)
        files = _unzip(cm.records_zip(con, f, SOURCE))
        expected = _expected(con, cat)
    finally:
        con.close()
    assert set(files) == {"collections.csv", "objects.csv"}
    text = files["collections.csv"].decode("utf-8-sig")
    assert text.startswith(f"# Source: {SOURCE}; table collections\n")
    path = tmp_path / "collections.csv"
    path.write_bytes(files["collections.csv"])
    v, n = check_file(path, "collections", store=built_store)
    assert v.ok, [str(e) for e in v.errors[:3]]
    assert n == len(expected) > 0
    # the rows as the store holds them, straight from the CSV (pandas, not the module)
    back = pd.read_csv(path, skiprows=1, encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert list(back.columns) == list(expected.columns)
    assert list(back.id) == list(expected.id)
    assert set(back.category) == {cat}


def test_records_import_again_unchanged(built_store, tmp_path):
    """The collections file imports into a store holding only the institutions, row for row."""
    con = duckdb.connect(str(built_store), read_only=True)
    try:
        f, cat = _filter(con)
        files = _unzip(cm.records_zip(con, f, SOURCE))
        expected = _expected(con, cat)
        inst = con.execute("SELECT * FROM institutions").df()
    finally:
        con.close()
    target = tmp_path / "target.duckdb"
    w = duckdb.connect(str(target))
    st.create_tables(w)
    w.execute("INSERT INTO meta VALUES ('kind', 'records test'), ('schema_version', ?)",
              [st.SCHEMA_VERSION])
    w.register("inst", inst)
    w.execute("INSERT INTO institutions BY NAME SELECT * FROM inst")
    w.close()
    path = tmp_path / "collections.csv"
    path.write_bytes(files["collections.csv"])
    assert import_file(path, "collections", store=target).rows_written == len(expected)
    r = duckdb.connect(str(target), read_only=True)
    try:
        back = r.execute("SELECT * FROM collections ORDER BY id").df()
    finally:
        r.close()
    pd.testing.assert_frame_equal(back[list(expected.columns)], expected, check_dtype=False)


def test_objects_csv_validates_and_holds_the_matching_objects(built_store, tmp_path):
    con = duckdb.connect(str(built_store), read_only=True)
    try:
        expected = con.execute("SELECT o.* FROM objects o JOIN institutions i "
                               "ON i.id = o.institution_id ORDER BY o.id").df()
        files = _unzip(cm.records_zip(con, Filters(), SOURCE))
    finally:
        con.close()
    assert len(expected) > 0
    path = tmp_path / "objects.csv"
    path.write_bytes(files["objects.csv"])
    v, n = check_file(path, "objects", store=built_store)
    assert v.ok, [str(e) for e in v.errors[:3]]
    back = pd.read_csv(path, skiprows=1, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert n == len(back) == len(expected)
    assert list(back.columns) == list(expected.columns)
    assert list(back.id) == list(expected.id)


def test_records_are_refused_above_the_limit_before_reading_rows(built_store):
    con = duckdb.connect(str(built_store), read_only=True)
    try:
        n = sum(cm.records_count(con, Filters()).values())
        assert n == con.execute("SELECT (SELECT count(*) FROM collections) + "
                                "(SELECT count(*) FROM objects)").fetchone()[0]
        with pytest.raises(InputError, match="Parquet from the Data page"):
            cm.records_zip(con, Filters(), SOURCE, limit=n - 1)
    finally:
        con.close()


def _buttons(at) -> list[str]:
    return [b.proto.id for b in at.get("download_button")]


def test_page_offers_the_records_download(built_store, clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/collections_map.py")
    at.run()
    assert not at.exception
    ids = _buttons(at)
    assert any(i.endswith("map_dl_records") or "-map_dl_records" in i for i in ids), ids
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(lb.startswith("Records (importable)") for lb in labels)
    assert any("summary, not re-importable" in lb for lb in labels)


def test_page_refuses_records_above_the_limit(built_store, clear_streamlit_caches, monkeypatch):
    monkeypatch.setattr(cm, "RECORDS_LIMIT", 1)
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/collections_map.py")
    at.run()
    assert not at.exception
    assert not any("map_dl_records" in i for i in _buttons(at))
    assert any("more than the 1 a download holds" in i.value and "Parquet" in i.value
               for i in at.info)
