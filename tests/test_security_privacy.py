"""Experts' personal data is for staff only, enforced where the data is read (asemus_data.access):
after importing expert rows, a visitor walking every page, every table on the Data page, every
download and the whole conference pack finds no expert's name, e-mail or institution."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import access, experts, quality, slides
from asemus_data.importer import import_bytes
from asemus_data.pack import build_pack
from asemus_data.presentation import sample_sequence
from asemus_data.schemas import TABLES

PAGES = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py"))
# the row, one with an institution and a field of expertise, and a committee row
# imported without a personal_data flag (so personal data by default)
PEOPLE_CSV = (
    b"name,kind,email,institution_text,expertise,country_code,institution_id,start_year,end_year,"
    b"source\n"
    b"Jane Secret,expert,jane@x.org,,,,,,,s\n"
    b"Kenji Hiddenname,expert,kenji.hidden@mail.example,Hiddenhaus Institute,Korean ceramics,KOR,"
    b",,,survey-2026-kenji\n"
    # on the Executive Committee with the British Museum's seat: would make network ties
    b"Ottilie Privat,committee,ottilie@private.example,,,,museum-volkenkunde,2005,2006,"
    b"private-committee-list\n")
SECRETS = ("Jane Secret", "jane@x.org", "Kenji Hiddenname", "kenji.hidden@mail.example",
           "Hiddenhaus Institute", "Ottilie Privat", "ottilie@private.example",
           "survey-2026-kenji", "private-committee-list")


@pytest.fixture()
def secret_store(fresh_store):
    r = import_bytes(PEOPLE_CSV, "experts.csv", "people", store=fresh_store)
    assert r.rows_written == 3
    return fresh_store


@pytest.fixture()
def scon(secret_store):
    c = duckdb.connect(str(secret_store), read_only=True)
    yield c
    c.close()


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.lower() in text.lower()]


# --- the query layer ------------------------------------------------------------------------------
def test_visitor_read_drops_personal_rows_and_columns(scon):
    staff = access.read_table(scon, "people", access.STAFF)
    visitor = access.read_table(scon, "people", access.VISITOR)
    assert {"Jane Secret", "Kenji Hiddenname", "Ottilie Privat"} <= set(staff["name"])
    assert "email" in staff.columns and "email" not in visitor.columns
    assert leaks(visitor.to_csv()) == []
    # the built-in public roles are all still there for visitors
    public = scon.execute("SELECT count(*) FROM people WHERE kind <> 'expert' "
                          "AND personal_data = FALSE").fetchone()[0]
    assert len(visitor) == public == len(staff) - 3
    assert access.read_table(scon, "people").equals(visitor)  # visitor is the default
    assert access.hidden_rows(scon, "people") == 3 and access.hidden_rows(scon, "people", "staff") == 0


def test_unknown_audience_is_refused(scon):
    with pytest.raises(ValueError):
        access.read_table(scon, "people", "admin")


def test_experts_directory_refuses_visitors(scon):
    with pytest.raises(PermissionError):
        experts.staff_view(scon)
    with pytest.raises(PermissionError):
        experts.unlisted_expertise(scon, access.VISITOR)
    assert "Jane Secret" in set(experts.staff_view(scon, access.STAFF)["name"])
    assert leaks(experts.public_roles(scon).to_csv()) == []


def test_quality_reports_for_visitors_hold_no_personal_data(scon):
    for t in TABLES:
        for df in (quality.sources(scon, t), quality.status_mix(scon, t)):
            assert leaks(df.to_csv()) == [], t
    assert "email" not in set(quality.completeness(scon, "people")["column"])
    assert "survey-2026-kenji" in set(quality.sources(scon, "people", audience=access.STAFF)["source"])


def test_pack_holds_no_personal_data(scon):
    views = [(v.name, *slides.view_charts(scon, v)) for v in sample_sequence().views]
    data, _ = build_pack(views, images=False)
    assert leaks(_unpacked(data)) == []


# --- every page, table and download as a visitor ---------------------------------------------------
def _unpacked(data: bytes) -> str:
    """The text of a download: zips (xlsx, pptx, the pack) opened, nested ones too."""
    if data[:2] != b"PK":
        return data.decode("utf-8", "replace")
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            out.append(_unpacked(z.read(n)))
    return "\n".join(out)


@pytest.fixture()
def downloads(monkeypatch):
    """Every download button's bytes, as the app offers them."""
    import streamlit
    from streamlit.delta_generator import DeltaGenerator
    seen: list[bytes] = []
    original = DeltaGenerator.download_button

    def record(self, label, data=None, *args, **kwargs):
        body = data() if callable(data) else data
        seen.append(body.encode() if isinstance(body, str) else bytes(body or b""))
        return original(self, label, body, *args, **kwargs)
    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(streamlit, "download_button",
                        lambda *a, **k: record(streamlit._main, *a, **k))
    return seen


def _screen(at: AppTest) -> str:
    """Everything an AppTest run put on screen (every element's message, tables as CSV), the
    URL and the toasts."""
    parts = [str(dict(at.query_params))]

    def walk(node):
        if getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    parts += [e.value.to_csv() for e in at.dataframe]
    parts += [str(t.value) for t in at.toast]
    return "\n".join(parts)


def _walk_as_visitor(at: AppTest, downloads: list[bytes]) -> list[str]:
    found = []
    for page in PAGES:
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        found += [(page, s) for s in leaks(_screen(at))]
        if page == "network.py":  # only the open tab runs: open each
            for tab in ("Topology", "One institution", "Over time", "Metrics table", "Export"):
                at.session_state["net_tab"] = tab
                at.run()
                assert not at.exception, tab
                found += [(tab, s) for s in leaks(_screen(at))]
        if page == "data.py":
            for t in TABLES:
                at.selectbox(key="data_table").set_value(t).run()
                assert not at.exception
                found += [(t, s) for s in leaks(_screen(at))]
        if page == "presentation.py":
            at.button(key="pres_sample").click().run()
            while True:
                assert not at.exception
                found += [(page, s) for s in leaks(_screen(at))]
                if at.button(key="pres_next").disabled:
                    break
                at.button(key="pres_next").click().run()
            at.checkbox(key="pres_images").uncheck().run()
            at.button(key="pres_build").click().run()
            assert not at.exception
    assert len(downloads) > 10  # the tables' CSV/Excel, the pack...
    found += [("download", s) for d in downloads for s in leaks(_unpacked(d))]
    return found


@pytest.mark.parametrize("password", [None, "staff-pw-not-given"])
def test_visitor_walk_finds_no_personal_data(password, secret_store, downloads, monkeypatch,
                                             clear_streamlit_caches):
    monkeypatch.setenv("ASEMUS_STORE", str(secret_store))
    if password:
        monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", password)
    else:
        monkeypatch.delenv("ASEMUS_STAFF_PASSWORD", raising=False)
    at = AppTest.from_file("../app.py", default_timeout=120)
    # a link cannot ask for staff data
    for k, v in {"staff": "1", "audience": "staff", "table": "people"}.items():
        at.query_params[k] = v
    at.run()
    assert _walk_as_visitor(at, downloads) == []
    assert any(b"Build" in d or d[:2] == b"PK" for d in downloads)


def test_signed_in_staff_see_the_directory(secret_store, downloads, monkeypatch,
                                           clear_streamlit_caches):
    """The control: the same walk's detector finds the names once staff have signed in."""
    monkeypatch.setenv("ASEMUS_STORE", str(secret_store))
    monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", "staff-pw")
    at = AppTest.from_file("../app.py", default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("people").run()
    assert at.info and "personal data" in " ".join(i.value for i in at.info)
    at.text_input(key="data_rows_pw").input("staff-pw").run()
    assert not at.exception
    assert {"Jane Secret", "jane@x.org", "Ottilie Privat"} <= set(leaks(_screen(at)))
    assert "jane@x.org" in " ".join(_unpacked(d) for d in downloads)
