"""Defects found in review, each with the test that shows it fixed: a hidden expert row that still
put its institution on the network; the import log's notes (which quote cell values) shown to
visitors; the network page's ties not refreshed after an import."""
from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import network as net
from asemus_data.filters import Filters
from asemus_data.importer import import_file


@pytest.fixture()
def store(built_store, tmp_path, monkeypatch):
    path = tmp_path / "store.duckdb"
    shutil.copyfile(built_store, path)
    monkeypatch.setenv("ASEMUS_STORE", str(path))
    return path


def _import(path, tmp_path, name, text, table, **kw):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return import_file(f, table, store=path, **kw)


def test_a_hidden_expert_does_not_put_an_institution_on_the_network(store, tmp_path):
    _import(store, tmp_path, "reg.csv", "id,name,city,country,source\n"
            "reg-x,Musée Régional X,Lyon,France,https://example.org/reg\n", "institutions")
    con = duckdb.connect(str(store), read_only=True)
    before = net.institution_ids(con, Filters())
    con.close()
    assert "reg-x" not in before  # a register museum with no tie stays off the network
    _import(store, tmp_path, "people.csv", "name,kind,email,institution_id,source\n"
            "Jane Secret,expert,jane@x.org,reg-x,https://example.org/s\n", "people")
    con = duckdb.connect(str(store), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM people WHERE institution_id = 'reg-x'"
                           ).fetchone()[0] == 1  # the row is there, only hidden
        assert net.institution_ids(con, Filters()) == before
    finally:
        con.close()


def _visible(at) -> str:
    parts = [str(d.value.to_csv()) for d in at.dataframe]
    parts += [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning)]
    return "\n".join(parts)


def test_visitors_do_not_read_the_import_log_notes(store, tmp_path, clear_streamlit_caches):
    _import(store, tmp_path, "jane-secret-survey.csv", "name,kind,role,institution_id,source\n"
            "Jane Secret,expert,- curator (Jane Secret),british-museum,https://example.org/s\n",
            "people", allow_formula_text=True)
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    text = _visible(at)
    assert "Jane Secret" not in text and "jane-secret" not in text
    # the log itself is there (rows read and written), without its notes and file names
    assert any("rows_written" in d.value.columns or "Rows written" in d.value.columns
               or len(d.value.columns) > 3 for d in at.dataframe)


def test_network_page_shows_ties_imported_after_its_first_run(store, tmp_path,
                                                              clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/network.py").run()
    assert not at.exception
    pairs = [m.value for m in at.metric]
    _import(store, tmp_path, "collab.csv",
            "institution_a,institution_b,type,year_start,source\n"
            "british-museum,shanghai-museum,loan,2015,https://example.org/loan\n"
            "musee-guimet,tokyo-national-museum,loan,2016,https://example.org/loan2\n",
            "collaborations")
    at.run()  # same session, same process: caches must notice the new store file
    assert not at.exception
    assert [m.value for m in at.metric] != pairs


def test_an_import_that_wrote_no_row_can_be_replaced(store, tmp_path):
    # the only row is held for review (it looks like the documented Guimet): nothing written
    text = ("id,name,city,country,source\n"
            "reg-guimet,Musée Guimet,Paris,France,https://example.org/reg\n")
    first = _import(store, tmp_path, "reg.csv", text, "institutions")
    assert first.rows_written == 0
    again = _import(store, tmp_path, "reg.csv", text, "institutions", replace=True)
    assert again.rows_written == 0
    con = duckdb.connect(str(store), read_only=True)
    try:
        replaced = con.execute("SELECT count(*) FROM import_log WHERE replaced_by IS NOT NULL"
                               ).fetchone()[0]
    finally:
        con.close()
    assert replaced == 1
