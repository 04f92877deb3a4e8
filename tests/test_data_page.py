"""The Data page's upload path: check without writing, write only for staff, all or nothing."""
from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data.errors import InputError
from asemus_data.importer import check_bytes, import_bytes

GOOD = "id,name,city,country\nupload-museum,Upload Museum,Kyoto,Japan\n".encode("cp1252")
BAD = b"id,name,country\nx,A,Atlantis\n"


def test_check_bytes_reports_without_writing(fresh_store):
    v, n = check_bytes(BAD, "bad.csv", "institutions", store=fresh_store)
    assert n == 1 and not v.ok
    assert "Atlantis" in str(v.errors[0]) and "bad.csv" in str(v.errors[0])
    con = duckdb.connect(str(fresh_store), read_only=True)
    assert con.execute("SELECT count(*) FROM import_log").fetchone()[0] == 0
    con.close()


def test_import_bytes_writes_and_logs(fresh_store):
    v, _ = check_bytes(GOOD, "good.csv", "institutions", store=fresh_store)
    assert v.ok
    r = import_bytes(GOOD, "good.csv", "institutions", store=fresh_store)
    assert r.rows_written == 1
    con = duckdb.connect(str(fresh_store), read_only=True)
    assert con.execute("SELECT file_name, rows_written FROM import_log").fetchone() == ("good.csv", 1)
    assert con.execute("SELECT country_code FROM institutions WHERE id='upload-museum'").fetchone()[0] == "JPN"
    con.close()


def test_unreadable_upload_is_an_input_error(fresh_store):
    with pytest.raises(InputError) as e:
        check_bytes(b"\x00\x01\x02" * 1000, "junk.csv", "institutions", store=fresh_store)
    assert "not a text file" in str(e.value)


def _login_app():
    import streamlit as st

    import ui
    st.write("staff" if ui.staff_login("pw") else "visitor")


def test_staff_login(monkeypatch):
    monkeypatch.delenv("ASEMUS_STAFF_PASSWORD", raising=False)
    at = AppTest.from_function(_login_app).run()
    assert at.markdown[0].value == "visitor" and "Read-only" in at.caption[0].value
    monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", "s3cret")
    at = AppTest.from_function(_login_app).run()
    at.text_input(key="pw").input("wrong").run()
    assert at.markdown[0].value == "visitor" and at.error
    at.text_input(key="pw").input("s3cret").run()
    assert at.markdown[0].value == "staff"
