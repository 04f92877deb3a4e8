"""The store: built from data/, rebuilt when data changes (unless imports would be lost), atomic,
and template / export round trips."""
import shutil

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from asemus_data import export, store
from asemus_data.importer import import_file
from asemus_data.paths import DATA_DIR
from asemus_data.template import template_bytes, write_template


def test_failed_build_leaves_previous_store(tmp_path, built_store):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = tmp_path / "s.duckdb"
    shutil.copyfile(built_store, path)
    (data / "institutions.csv").write_text("id,name,country\nx,A,Atlantis\n", encoding="utf-8")
    with pytest.raises(Exception) as exc:
        store.build(path, data_dir=data)
    assert "Atlantis" in str(exc.value)
    con = duckdb.connect(str(path), read_only=True)
    # the previous store is kept: 55 rows of data/institutions.csv (39 members.csv + 7 venues /
    # holders + 9 new from members_more.csv) and the 87 Muséofile museums it does not know
    assert con.execute("SELECT count(*) FROM institutions").fetchone()[0] == 142
    con.close()
    assert not list(tmp_path.glob("*.building-*"))


def test_ensure_rebuilds_stale_default_store_but_keeps_imports(tmp_path, built_store):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = tmp_path / "s.duckdb"
    shutil.copyfile(built_store, path)
    people = pd.read_csv(data / "people.csv", dtype=str, keep_default_na=False)
    people.iloc[:-1].to_csv(data / "people.csv", index=False)
    store.ensure(path, data_dir=data)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM people").fetchone()[0] == 154
    con.close()
    # with an import in the log, a data change does not throw the import away
    f = tmp_path / "i.csv"
    f.write_text("id,name,country\nnew-one,New One,Japan\n", encoding="utf-8")
    import_file(f, "institutions", store=path)
    people.to_csv(data / "people.csv", index=False)
    store.ensure(path, data_dir=data)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM institutions WHERE id='new-one'").fetchone()[0] == 1
    con.close()


def test_template_has_sheets_dropdowns_and_imports_when_filled(tmp_path, fresh_store):
    out = write_template(tmp_path / "survey.xlsx")
    wb = load_workbook(out)
    for sheet in ("README", "institutions", "collections", "objects", "collaborations"):
        assert sheet in wb.sheetnames
    ws = wb["collections"]
    headers = [c.value for c in ws[1]]
    assert "category" in headers and "status" not in headers
    assert ws.cell(row=2, column=1).value  # a description under every header
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    cat = headers.index("category") + 1
    assert any(str(ref).startswith(ws.cell(row=4, column=cat).column_letter) for ref in lists)
    # fill it in: a new museum and two of its collections
    inst = wb["institutions"]
    h = [c.value for c in inst[1]]
    row = {"id": "museo-survey", "name": "Museo Survey", "city": "Turin", "country": "Italia", "type": "public"}
    inst.append([row.get(k) for k in h])
    for title, cat_v, date in (("Japanese prints", "prints", "Edo period"), ("Chinese bronzes", "metalwork", "Shang dynasty")):
        r = {"institution_id": "museo-survey", "title": title, "category": cat_v, "ownership": "public",
             "display": "mixed", "date_text": date, "object_count": 12, "origin_country": "Japan" if "Japanese" in title else "China"}
        ws.append([r.get(k) for k in headers])
    wb.save(out)
    import_file(out, "institutions", store=fresh_store)
    res = import_file(out, "collections", store=fresh_store)
    assert res.rows_written == 2  # the description and example rows are skipped
    con = duckdb.connect(str(fresh_store), read_only=True)
    got = con.execute("SELECT title, origin_country_code, period_start, period_end, status FROM collections "
                      "WHERE institution_id='museo-survey' ORDER BY title").fetchall()
    italy = con.execute("SELECT country_code FROM institutions WHERE id='museo-survey'").fetchone()[0]
    con.close()
    assert italy == "ITA"
    assert got[0][:4] == ("Chinese bronzes", "CHN", -1600, -1046) and got[1][1] == "JPN"
    assert got[1][2] == 1603 and all(g[4] == "imported" for g in got)
    assert len(template_bytes()) > 5000


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-12", "-12"), ("+3.5", "+3.5"), ("Musée Guimet", "Musée Guimet"), ("東京国立博物館", "東京国立博物館"),
])
def test_exports_neutralise_formulas_and_keep_utf8(value, safe):
    df = pd.DataFrame({"name": [value]})
    text = export.csv_bytes(df, "a source").decode("utf-8")
    assert text.startswith("\ufeff# Source: a source\n")
    assert text.splitlines()[-1] == safe
    import io
    back = pd.read_excel(io.BytesIO(export.xlsx_bytes(df, "a source")), sheet_name=None, dtype=str)
    assert back["data"]["name"][0] == safe and back["source"]["source"][0] == "a source"


def test_synthetic_store_is_marked_and_separate(tmp_path):
    from asemus_data.synthetic import generate_store
    path = tmp_path / "syn.duckdb"
    counts = generate_store(path, institutions=30, objects=2000, ties=50, seed=7, progress=None)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM objects WHERE status='synthetic'").fetchone()[0] == 2000
    assert con.execute("SELECT count(*) FROM institutions WHERE status='synthetic'").fetchone()[0] == 30
    assert con.execute("SELECT value FROM meta WHERE key='kind'").fetchone()[0] == "synthetic"
    first = con.execute("SELECT * FROM objects WHERE status='synthetic' ORDER BY id LIMIT 5").df()
    con.close()
    generate_store(tmp_path / "again.duckdb", institutions=30, objects=2000, ties=50, seed=7, progress=None)
    con = duckdb.connect(str(tmp_path / "again.duckdb"), read_only=True)
    again = con.execute("SELECT * FROM objects WHERE status='synthetic' ORDER BY id LIMIT 5").df()
    con.close()
    pd.testing.assert_frame_equal(first, again)  # deterministic
    assert counts["objects"] == 2000
