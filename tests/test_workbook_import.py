"""The whole member survey workbook in one go: every filled sheet, institutions first (so the
other sheets may refer to the museum the same workbook introduces), one write, all or nothing
(or the clean rows, with --quarantine)."""
from __future__ import annotations

import duckdb
import openpyxl
import pandas as pd
import pytest

from asemus_data.cli import main
from asemus_data.errors import InputError
from asemus_data.importer import (
    check_workbook,
    import_workbook,
    import_workbook_bytes,
    is_survey_workbook,
    workbook_tables,
)
from asemus_data.template import FIRST_DATA_ROW, survey_columns, write_template

MUSEUM = {"id": "wb-museum", "name": "Workbook Museum", "city": "Kyoto", "country": "Japan"}
COLLECTIONS = [
    {"institution_id": "wb-museum", "title": "Bowls", "category": "ceramics",
     "ownership": "public", "display": "in storage", "object_count": "12", "date_text": "Edo period"},
    {"institution_id": "wb-museum", "title": "Scrolls", "category": "paintings",
     "ownership": "public", "display": "on display", "object_count": "3"},
]


def fill(path, sheets: dict[str, list[dict]]):
    """Write rows into the survey workbook from row 4 down, as a museum would."""
    write_template(path)
    wb = openpyxl.load_workbook(path)
    for table, rows in sheets.items():
        ws = wb[table]
        cols = list(survey_columns(table).column)
        for k, row in enumerate(rows):
            for col, value in row.items():
                ws.cell(row=FIRST_DATA_ROW + k, column=cols.index(col) + 1, value=value)
    wb.save(path)
    return path


def count(store, sql: str) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_sheets_in_import_order_institutions_first(tmp_path):
    path = fill(tmp_path / "survey.xlsx", {})
    tables = workbook_tables(path)
    assert tables[0] == "institutions"
    assert set(tables) == {"institutions", "collections", "objects", "exhibitions",
                           "exhibition_venues", "collaborations"}
    assert is_survey_workbook(path)


def test_cli_imports_every_sheet_without_table(tmp_path, fresh_store, capsys):
    # the collections refer to the museum the same workbook introduces: only institutions
    # first makes that work
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": COLLECTIONS})
    rc = main(["import", str(path), "--store", str(fresh_store)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "imported 3 rows from 2 sheet(s)" in out
    assert count(fresh_store, "SELECT count(*) FROM institutions WHERE id = 'wb-museum'") == 1
    assert count(fresh_store, "SELECT sum(object_count) FROM collections "
                              "WHERE institution_id = 'wb-museum'") == 15
    con = duckdb.connect(str(fresh_store), read_only=True)
    log = con.execute("SELECT file_name, table_name, rows_written FROM import_log "
                      "ORDER BY import_id").fetchall()
    con.close()
    assert log == [("survey.xlsx (sheet institutions)", "institutions", 1),
                   ("survey.xlsx (sheet collections)", "collections", 2)]


def test_one_bad_sheet_refuses_the_whole_workbook_and_names_every_problem(tmp_path, fresh_store,
                                                                          capsys):
    bad = [dict(COLLECTIONS[0], category="pottery"), COLLECTIONS[1]]
    objects = [{"institution_id": "wb-museum", "title": None, "origin_country": "Atlantis"}]
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": bad,
                                           "objects": objects})
    rc = main(["import", str(path), "--store", str(fresh_store), "--workbook"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "nothing was written" in err
    # the problems of every sheet, each with its sheet, row, column and value
    assert "survey.xlsx, sheet 'collections', row 4, column 'category', value 'pottery'" in err
    assert "survey.xlsx, sheet 'objects', row 4, column 'origin_country', value 'Atlantis'" in err
    # the museum of the institutions sheet was valid, and is not written either
    assert count(fresh_store, "SELECT count(*) FROM institutions WHERE id = 'wb-museum'") == 0
    assert count(fresh_store, "SELECT count(*) FROM import_log") == 0


def test_bad_institutions_sheet_does_not_bury_the_other_sheets_in_unknown_ids(tmp_path,
                                                                             fresh_store):
    path = fill(tmp_path / "survey.xlsx", {"institutions": [dict(MUSEUM, country="Atlantis")],
                                           "collections": COLLECTIONS})
    with pytest.raises(InputError) as exc:
        import_workbook(path, store=fresh_store)
    # only the institutions sheet is at fault (the country, and what follows from it)
    assert {i.file for i in exc.value.issues} == {"survey.xlsx, sheet 'institutions'"}
    assert ("country", "Atlantis") in {(i.column, i.value) for i in exc.value.issues}


def test_quarantine_writes_clean_rows_and_one_rejects_file_per_sheet(tmp_path, fresh_store,
                                                                     capsys):
    bad = [dict(COLLECTIONS[0], category="pottery"), COLLECTIONS[1]]
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": bad})
    rejects = tmp_path / "rejects.csv"
    rc = main(["import", str(path), "--store", str(fresh_store), "--quarantine", str(rejects)])
    assert rc == 0, capsys.readouterr().err
    assert count(fresh_store, "SELECT count(*) FROM collections "
                              "WHERE institution_id = 'wb-museum'") == 1
    got = pd.read_csv(tmp_path / "rejects-collections.csv", dtype=str, encoding="utf-8-sig")
    assert list(got["title"]) == ["Bowls"] and list(got["_row"]) == ["4"]
    assert "not an allowed value" in got["_reasons"][0]
    assert not (tmp_path / "rejects-institutions.csv").exists()
    # fixed, the rejects file imports as a plain collections file
    got.loc[0, "category"] = "ceramics"
    fixed = tmp_path / "fixed.csv"
    got.to_csv(fixed, index=False)
    assert main(["import", str(fixed), "--table", "collections", "--store",
                 str(fresh_store)]) == 0
    assert count(fresh_store, "SELECT count(*) FROM collections "
                              "WHERE institution_id = 'wb-museum'") == 2


def test_quarantined_institution_takes_its_references_along(tmp_path, fresh_store):
    path = fill(tmp_path / "survey.xlsx", {"institutions": [dict(MUSEUM, country="Atlantis")],
                                           "collections": COLLECTIONS})
    out = import_workbook(path, store=fresh_store, partial=True)
    assert out.rows_written == 0
    assert len(out.rejects["institutions"]) == 1
    assert all("unknown institution id" in r for r in out.rejects["collections"]["_reasons"])


def test_validate_checks_every_sheet(tmp_path, fresh_store, capsys):
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": COLLECTIONS})
    checks = check_workbook(path, store=fresh_store)
    assert set(checks) == {"institutions", "collections"}
    assert all(v.ok for v, _ in checks.values())
    assert main(["validate", str(path), "--store", str(fresh_store)]) == 0
    assert count(fresh_store, "SELECT count(*) FROM import_log") == 0


def test_empty_workbook_and_other_workbooks_are_explained(tmp_path, fresh_store, capsys):
    with pytest.raises(InputError, match="every sheet of the survey workbook is empty"):
        import_workbook(fill(tmp_path / "empty.xlsx", {}), store=fresh_store)
    other = tmp_path / "other.xlsx"
    pd.DataFrame({"id": ["a"]}).to_excel(other, index=False)
    assert main(["import", str(other), "--store", str(fresh_store)]) == 2
    assert "--table is required" in capsys.readouterr().err
    assert main(["import", str(other), "--workbook", "--store", str(fresh_store)]) == 1
    assert "not the member survey workbook" in capsys.readouterr().err


def test_data_page_path(tmp_path, fresh_store):
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": COLLECTIONS})
    out = import_workbook_bytes(path.read_bytes(), "survey.xlsx", store=fresh_store)
    summary = out.summary().set_index("sheet")
    assert summary.loc["collections", "rows written"] == 2
    assert summary.loc["institutions", "rows read"] == 1
    assert "objects" in out.empty


def test_data_page_check_merges_every_sheet(tmp_path, fresh_store):
    from asemus_data.importer import check_workbook_bytes
    bad = [dict(COLLECTIONS[0], category="pottery"), COLLECTIONS[1]]
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": bad})
    v, n = check_workbook_bytes(path.read_bytes(), "survey.xlsx", store=fresh_store)
    assert n == 3 and not v.ok
    assert [(e.file, e.row, e.column) for e in v.errors] == [
        ("survey.xlsx, sheet 'collections'", 4, "category")]
    assert list(v.frame["sheet"]) == ["institutions", "collections"]
    assert list(v.frame["problems"]) == [0, 1]
    with pytest.raises(InputError, match="a mapping does not apply"):
        check_workbook_bytes(path.read_bytes(), "survey.xlsx", mapping=b"table: objects\n",
                             store=fresh_store)


def test_data_page_partial_gives_a_zip_of_rejects(tmp_path, fresh_store):
    import io
    import zipfile
    bad = [dict(COLLECTIONS[0], category="pottery"), COLLECTIONS[1]]
    path = fill(tmp_path / "survey.xlsx", {"institutions": [MUSEUM], "collections": bad})
    out = import_workbook_bytes(path.read_bytes(), "survey.xlsx", store=fresh_store, partial=True)
    assert (out.rows_read, out.rows_written, out.rows_refused) == (3, 2, 1)
    name, data, mime = out.rejects_download("survey.xlsx")
    assert (name, mime) == ("survey-rejects.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["collections-rejects.csv"]
        got = pd.read_csv(io.BytesIO(zf.read("collections-rejects.csv")), dtype=str,
                          encoding="utf-8-sig")
    assert list(got["title"]) == ["Bowls"]


def test_data_page_offers_the_whole_workbook(built_store, clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    box = at.selectbox(key="data_up_table")
    assert box.options[-1] == "Every sheet of the member survey workbook (institutions first)"
    box.set_value("(survey workbook)").run()
    assert not at.exception
