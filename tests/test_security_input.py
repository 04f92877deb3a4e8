"""Hostile input (issue 15): resource limits checked before the work, values no page can draw,
tracebacks turned into messages, encodings guessed instead of mangled.

Each test reproduces one finding of the issue and fails on the code as it was before the fix.
Memory is measured in a child process, as its ``VmHWM`` (peak resident memory of this program
image; ``ru_maxrss`` would carry over the parent's peak across fork and exec).
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data.errors import InputError
from asemus_data.mapping import load_mapping
from asemus_data.readers import read_file

PROJECT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def issue_text(exc_info) -> str:
    return "\n".join(str(i) for i in exc_info.value.issues)


def run_measured(code: str, timeout: float = 120) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line. Adds peak memory (MB) and
    wall time. The baseline (interpreter + pandas) is measured the same way and subtracted by
    the caller where it matters."""
    prelude = textwrap.dedent(f"""
        import json, sys, time
        sys.path.insert(0, {str(PROJECT)!r})
        import pandas, openpyxl, yaml, pyarrow.parquet
        from asemus_data.errors import InputError
        t0 = time.perf_counter()
    """)
    epilogue = textwrap.dedent("""
        out["seconds"] = time.perf_counter() - t0
        hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0]
        out["peak_mb"] = int(hwm.split()[1]) / 1024
        print(json.dumps(out))
    """)
    res = subprocess.run([PYTHON, "-c", prelude + textwrap.dedent(code) + epilogue], check=False,
                         capture_output=True, text=True, timeout=timeout, cwd=PROJECT)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def baseline_mb() -> float:
    return run_measured("out = {}")["peak_mb"]


# --------------------------------------------------------------------------------------------
# 2. Resource limits


def alias_bomb(path: Path) -> Path:
    """The issue's YAML: nine levels of nested aliases, 9^10 strings from a few hundred bytes."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("columns: *a9")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_yaml_alias_bomb_is_refused_quickly_with_the_setting(tmp_path, baseline_mb):
    path = alias_bomb(tmp_path / "bomb.yaml")
    assert path.stat().st_size < 600
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    text = issue_text(exc)
    assert "aliases" in text and "ASEMUS_MAX_MAPPING_NODES" in text and "bomb.yaml" in text
    out = run_measured(f"""
        from asemus_data.mapping import load_mapping
        try:
            load_mapping({str(path)!r}); out = {{"refused": False}}
        except InputError:
            out = {{"refused": True}}
    """)
    assert out["refused"]
    assert out["seconds"] < 2
    assert out["peak_mb"] - baseline_mb < 50, out  # was +2.5 GB


def test_recursive_and_deep_yaml_are_refused(tmp_path):
    rec = tmp_path / "rec.yaml"
    rec.write_text("columns: &a [*a]\n")
    with pytest.raises(InputError, match="aliases"):
        load_mapping(rec)
    deep = tmp_path / "deep.yaml"
    deep.write_text("columns: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(InputError, match="nested too deeply"):
        load_mapping(deep)


def test_ordinary_aliases_and_merge_keys_still_work(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent("""
        columns: {Titel: title, Land: origin_country}
        values:
          category: &cats {Keramik: ceramics, Porzellan: ceramics}
          material: *cats
    """))
    m = load_mapping(path)
    assert m.values["material"] == {"Keramik": "ceramics", "Porzellan": "ceramics"}


def test_mapping_node_limit_is_a_setting(tmp_path, monkeypatch):
    path = tmp_path / "m.yaml"
    path.write_text("columns:\n" + "".join(f"  c{i}: title{i}\n" for i in range(60)))
    monkeypatch.setenv("ASEMUS_MAX_MAPPING_NODES", "50")
    with pytest.raises(InputError, match="ASEMUS_MAX_MAPPING_NODES"):
        load_mapping(path)
    monkeypatch.setenv("ASEMUS_MAX_MAPPING_NODES", "1000")
    assert len(load_mapping(path).columns) == 60


def test_oversized_mapping_file_is_refused_unread(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("columns: {a: b}\n# " + "x" * 300_000 + "\n")
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    assert "ASEMUS_MAX_MAPPING_KB" in issue_text(exc) and "256 KB" in issue_text(exc)


def big_csv(path: Path, rows: int) -> Path:
    """A plausible visitor file: rows x 5 columns (about 25 bytes a row)."""
    body = b"".join(b"M%07d,KOR,2019,%d,src\n" % (i, i % 997) for i in range(rows))
    path.write_bytes(b"institution_name,country,year,visitors,source\n" + body)
    return path


def test_csv_past_the_row_limit_is_refused_fast_in_bounded_memory(tmp_path, baseline_mb):
    path = big_csv(tmp_path / "big.csv", 1_500_000)
    assert path.stat().st_size > 30 * 1024 * 1024
    out = run_measured(f"""
        from asemus_data.readers import read_file
        try:
            read_file({str(path)!r}); out = {{"message": None}}
        except InputError as exc:
            out = {{"message": str(exc)}}
    """)
    assert out["message"] is not None
    assert "more than 1,000,000 data rows" in out["message"]
    assert "ASEMUS_MAX_ROWS" in out["message"] and "big.csv" in out["message"]
    # Before: the whole file was parsed into Python lists (4.7 GB for 3 million rows).
    assert out["peak_mb"] - baseline_mb < 200, out
    assert out["seconds"] < 30, out


def test_csv_row_and_cell_limits_are_settings(tmp_path, monkeypatch):
    path = big_csv(tmp_path / "v.csv", 3_000)
    monkeypatch.setenv("ASEMUS_MAX_ROWS", "2000")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "more than 2,000 data rows" in issue_text(exc)
    monkeypatch.setenv("ASEMUS_MAX_ROWS", "3000")
    assert len(read_file(path)) == 3000
    monkeypatch.setenv("ASEMUS_MAX_CELLS", "10000")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "ASEMUS_MAX_CELLS" in issue_text(exc)
    # a typo in a setting must not lift the limit
    monkeypatch.setenv("ASEMUS_MAX_CELLS", "lots")
    monkeypatch.setenv("ASEMUS_MAX_ROWS", "0")
    assert len(read_file(path)) == 3000


def crafted_xlsx(path: Path, rows: int, cols: int = 3, dimension: str = "A1:C2") -> Path:
    """A real workbook whose sheet XML is replaced by ``rows`` generated rows. The stated
    dimension lies (it claims two rows), as a hostile file would."""
    import openpyxl
    small = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "data"
    wb.active.append(["a", "b", "c"])
    wb.save(small)
    letters = "ABCDEFGHIJ"[:cols]
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="' + dimension.encode() + b'"/><sheetData>')
    header = b'<row r="1">' + b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>h%s</t></is></c>' % (c.encode(), c.encode())
        for c in letters) + b"</row>"

    def row(r: int) -> bytes:
        return (b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (c.encode(), r, r)
                                              for c in letters) + b"</row>")

    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open(info.filename, "w") as out:
                out.write(head + header)
                for start in range(2, rows + 2, 50_000):
                    out.write(b"".join(row(r) for r in range(start, min(start + 50_000, rows + 2))))
                out.write(b"</sheetData></worksheet>")
    return path


def test_xlsx_that_expands_past_the_row_limit_is_refused_before_loading(tmp_path, baseline_mb):
    path = crafted_xlsx(tmp_path / "bomb.xlsx", 1_200_000, cols=1)
    assert path.stat().st_size < 15 * 1024 * 1024
    out = run_measured(f"""
        from asemus_data.readers import read_file
        try:
            read_file({str(path)!r}); out = {{"message": None}}
        except InputError as exc:
            out = {{"message": str(exc)}}
    """)
    assert out["message"] is not None, out
    assert "1,200,000 rows" in out["message"] and "ASEMUS_MAX_ROWS" in out["message"]
    assert "'data'" in out["message"]
    # Before: openpyxl built every cell (3.9 GB and 5 minutes for 3 million rows).
    assert out["peak_mb"] - baseline_mb < 200, out
    assert out["seconds"] < 30, out


def test_xlsx_cell_and_unzipped_limits(tmp_path, monkeypatch):
    path = crafted_xlsx(tmp_path / "wide.xlsx", 500, cols=10, dimension="A1:J501")
    monkeypatch.setenv("ASEMUS_MAX_EXCEL_CELLS", "4000")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "5,010 cells" in issue_text(exc) and "ASEMUS_MAX_EXCEL_CELLS" in issue_text(exc)
    assert "the sheet 'data' has" in issue_text(exc)
    monkeypatch.setenv("ASEMUS_MAX_EXCEL_CELLS", "6000")
    df = read_file(path)
    assert len(df) == 500 and df["hJ"].iloc[-1] == "501"
    monkeypatch.setenv("ASEMUS_MAX_UNZIPPED_MB", "0.01")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "unpacks to" in issue_text(exc) and "ASEMUS_MAX_UNZIPPED_MB" in issue_text(exc)


def test_parquet_row_limit_is_checked_from_the_footer(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = tmp_path / "v.parquet"
    pq.write_table(pa.table({"a": [str(i) for i in range(5000)], "b": ["x"] * 5000}), path)
    monkeypatch.setenv("ASEMUS_MAX_ROWS", "4999")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "5,000 rows" in issue_text(exc) and "ASEMUS_MAX_ROWS" in issue_text(exc)
    monkeypatch.setenv("ASEMUS_MAX_ROWS", "5000")
    monkeypatch.setenv("ASEMUS_MAX_CELLS", "9999")
    with pytest.raises(InputError, match="ASEMUS_MAX_CELLS"):
        read_file(path)
    monkeypatch.delenv("ASEMUS_MAX_CELLS")
    assert len(read_file(path)) == 5000


def test_geojson_feature_limit(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    path.write_text(json.dumps([{"name": f"n{i}"} for i in range(50)]))
    monkeypatch.setenv("ASEMUS_MAX_ROWS", "49")
    with pytest.raises(InputError, match="50 features"):
        read_file(path)


def test_a_file_within_the_limits_reads_in_bounded_time(tmp_path):
    path = big_csv(tmp_path / "ok.csv", 200_000)
    t0 = time.perf_counter()
    df = read_file(path)
    assert len(df) == 200_000 and df["institution_name"].iloc[-1] == "M0199999"
    assert time.perf_counter() - t0 < 30


# --------------------------------------------------------------------------------------------
# 3. Values no page can draw


def _exhibition_rows(rows: list[tuple]):
    import pandas as pd
    return pd.DataFrame(rows, columns=["id", "title", "type", "start_date", "end_date", "visitors",
                                       "source"])


@pytest.mark.parametrize("start,end,rule", [
    ("0000", "2001", "not a real calendar date"),
    ("2010-02-30", "2010-03-05", "not a real calendar date"),
    ("2010-01-01", "9999-12-31", "between 1800 and 2100"),
    ("2010-13", "2011", "not a real calendar date"),
])
def test_impossible_dates_are_refused_at_import(start, end, rule):
    from asemus_data.validate import validate_frame
    df = _exhibition_rows([("x", "X", "joint exhibition", start, end, "10", "s")])
    v = validate_frame(df, "exhibitions", file="ex.csv")
    assert not v.ok
    bad = [e for e in v.errors if e.column in ("start_date", "end_date")]
    assert len(bad) == 1 and rule in bad[0].rule and bad[0].row == 2 and bad[0].file == "ex.csv"
    assert bad[0].value in (start, end)


def test_real_dates_in_range_still_pass():
    from asemus_data.validate import validate_frame
    df = _exhibition_rows([("x", "X", "joint exhibition", "2012-02-29", "2012-03", "10", "s"),
                           ("y", "Y", "joint exhibition", "1851", "2100-12-31", None, "s")])
    assert validate_frame(df, "exhibitions").ok


@pytest.mark.parametrize("value", ["12345678901234567890", "-99999999999999999999999",
                                   "1" * 400])
def test_oversized_counts_are_a_message_not_an_overflow(value):
    from asemus_data.validate import validate_frame
    df = _exhibition_rows([("x", "X", "joint exhibition", "2010", "2011", value, "s")])
    v = validate_frame(df, "exhibitions", file="ex.csv")
    issue = next(e for e in v.errors if e.column == "visitors")
    assert issue.row == 2 and issue.value == value and "too large" in issue.rule


def test_counts_have_a_sane_upper_bound():
    from asemus_data.validate import validate_frame
    df = _exhibition_rows([("x", "X", "joint exhibition", "2010", "2011", "5000000000", "s")])
    v = validate_frame(df, "exhibitions")
    assert [e.rule for e in v.errors if e.column == "visitors"] == ["must be at most 1000000000"]


def test_parse_partial_and_timeline_never_raise():
    import pandas as pd

    from asemus_data import exhibitions as ex
    for bad in ("0000", "0000-01-01", "9999-12-31", "2010-02-30", "2010-13", "10000", "²"):
        assert ex.parse_partial(bad) is None, bad
    assert ex.parse_partial("2012-02-29").precision == "day"
    exh = _exhibition_rows([("a", "Year zero", "joint exhibition", "0000", "2001", 5, "s"),
                            ("b", "Far future", "joint exhibition", "2010-01-01", "9999-12-31",
                             None, "s"),
                            ("c", "Fine", "joint exhibition", "2010-01-01", "2010-02-01", 7, "s")])
    exh["notes"] = None
    ven = pd.DataFrame(columns=["exhibition_id", "venue_order", "venue_name", "city", "start_date",
                                "end_date", "source"])
    bars, undated = ex.timeline_rows(exh, ven)
    assert bars["exhibition_id"].tolist() == ["c"]
    assert set(undated["title"]) == {"Year zero", "Far future"}
    assert all("cannot be drawn" in n for n in undated["notes"])
    notice = ex.date_notices(exh, ven)
    assert notice.startswith("2 stored date(s) cannot be drawn")
    assert "'0000'" in notice and "'9999-12-31'" in notice
    assert ex.days_open("0000", "2001-01-01") is None


@pytest.fixture()
def poisoned_store(fresh_store, monkeypatch):
    """The built store plus rows that validation refuses, written straight into the tables (as
    an older version or a hand edit could have): the issue's '0000' exhibition with a
    participant, a 9999-12-31 end, a 2010-02-30 venue and a membership count of year 0."""
    import duckdb
    con = duckdb.connect(str(fresh_store))
    try:
        inst = con.execute("SELECT id FROM institutions LIMIT 1").fetchone()[0]
        con.execute("INSERT INTO exhibitions (id, title, type, start_date, end_date, visitors, "
                    "source, status) VALUES ('poison-0', 'Year zero show', 'joint exhibition', "
                    "'0000', '0000', 10, 'test', 'imported'), ('poison-9', 'Far future show', "
                    "'joint exhibition', '2010-01-01', '9999-12-31', 20, 'test', 'imported')")
        con.execute("INSERT INTO exhibition_participants (exhibition_id, institution_id, role, "
                    "source, status) VALUES ('poison-0', ?, 'lead partner', 'test', 'imported'), "
                    "('poison-9', ?, 'lead partner', 'test', 'imported')", [inst, inst])
        con.execute("INSERT INTO exhibition_venues (id, exhibition_id, venue_order, venue_name, "
                    "city, country_code, country, start_date, end_date, source, status) VALUES "
                    "('poison-9-1', 'poison-9', 1, 'Venue A', 'Paris', 'FRA', 'France', "
                    "'2010-02-30', '2010-03-05', 'test', 'imported'), ('poison-9-2', 'poison-9', "
                    "2, 'Venue B', 'Lyon', 'FRA', 'France', '2010-04-01', '2010-05-01', 'test', "
                    "'imported')")
        con.execute("INSERT INTO membership_counts (id, date_text, year, total, qualifier, source, "
                    "status) VALUES ('poison-mc', '0', 0, 5, 'exact', 'test', 'imported')")
    finally:
        con.close()
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    return fresh_store


def test_exhibitions_page_skips_undrawable_dates_with_a_notice(poisoned_store,
                                                               clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.switch_page("pages/exhibitions.py").run()
    assert not at.exception, at.exception
    notices = [i.value for i in at.info if "cannot be drawn" in i.value]
    assert len(notices) == 1
    assert "'0000'" in notices[0] and "'9999-12-31'" in notices[0] and "'2010-02-30'" in notices[0]
    # the rest of the page is still drawn: timeline, visitors, membership, conferences, committee
    # (the Visitor statistics charts of the shipped French series are drawn as well)
    drawn = {c.key for c in at.get("plotly_chart")}
    assert {"exh_timeline", "exh_visitors_chart", "exh_membership", "exh_conferences",
            "exh_committee"} <= drawn, drawn
    specs = " ".join(c.proto.spec for c in at.get("plotly_chart"))
    assert "Self and Other" in specs and "cannot be drawn: not shown" in specs
    for title in ("Year zero show", "Far future show"):
        at.selectbox(key="exh_detail").set_value(title).run()
        assert not at.exception, at.exception


def test_sample_presentation_survives_undrawable_dates(poisoned_store, clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.run()
    at.switch_page("pages/presentation.py").run()
    at.button(key="pres_sample").click().run()
    for _ in range(3):
        at.button(key="pres_next").click().run()
        assert not at.exception, at.exception
    assert at.header[0].value == "Exhibitions and their visitors"
    captions = " ".join(c.value for c in at.caption)
    assert "stored date(s) cannot be drawn" in captions and "'0000'" in captions
    assert len(at.get("plotly_chart")) == 2


# --------------------------------------------------------------------------------------------
# 5. Messages, not tracebacks


def test_json_nested_200000_deep_is_a_message(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(InputError) as exc:
        read_file(path)
    text = issue_text(exc)
    assert "deep.json" in text and "nested too deeply" in text


def test_json_value_nested_inside_a_record_is_a_message(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('[{"name": "a", "tags": ' + "[" * 600 + "]" * 600 + "}]")
    with pytest.raises(InputError, match="nested too deeply"):
        read_file(path)
    path.write_text('[{"name": "a", "tags": ' + "[" * 20 + "1" + "]" * 20 + "}]")
    assert read_file(path)["tags"].iloc[0] == "[" * 20 + "1" + "]" * 20


def test_deep_json_upload_on_the_data_page_path(fresh_store):
    from asemus_data.importer import check_bytes
    with pytest.raises(InputError, match="nested too deeply"):
        check_bytes(b'{"type": "FeatureCollection", "features": ' + b"[" * 200_000
                    + b"]" * 200_000 + b"}", "deep.geojson", "institutions", store=fresh_store)


VISITORS_20_DIGITS = ("institution_name,country,year,visitors,source\n"
                      "National Museum of Korea,KOR,2019,12345678901234567890,test\n")


def test_twenty_digit_count_on_the_cli_is_a_message(fresh_store, tmp_path, capsys):
    from asemus_data.cli import main
    path = tmp_path / "vs.csv"
    path.write_text(VISITORS_20_DIGITS)
    for command in ("validate", "import"):
        code = main([command, str(path), "--table", "visitor_stats", "--store", str(fresh_store)])
        out = capsys.readouterr()
        text = out.out + out.err
        assert code != 0 and "Traceback" not in text and "OverflowError" not in text
        assert "vs.csv" in text and "row 2" in text and "visitors" in text
        assert "12345678901234567890" in text and "too large" in text


def test_twenty_digit_count_on_the_data_page_path(fresh_store):
    from asemus_data.importer import check_bytes
    v, n = check_bytes(VISITORS_20_DIGITS.encode(), "vs.csv", "visitor_stats", store=fresh_store)
    assert n == 1 and not v.ok
    issue = next(e for e in v.errors if e.column == "visitors")
    assert issue.row == 2 and issue.file == "vs.csv" and "too large" in issue.rule


@pytest.mark.parametrize("raw", ["²", "٣", " 2", "1_0", "+2", "2.0", "9" * 5000, "0x10"])
def test_link_numbers_are_ascii_digits_only(raw):
    from asemus_data import network as net
    from asemus_data.filters import Filters, link_int, link_range
    from asemus_data.masterpieces import ExplorerState
    assert link_int(raw) is None and link_range(f"{raw}..1900") is None
    state, notices = ExplorerState.from_query({"page": raw})
    assert state.page == 1 and len(notices) == 1
    f, notices = Filters.from_query({"period": f"{raw}..1900"}, facets={})
    assert f.period is None and len(notices) == 1
    s, notices = net.NetState.from_query({"reach": raw, "asof": raw})
    assert s.radius == 1 and s.as_of is None and len(notices) == 2


def test_plain_link_numbers_still_work():
    from asemus_data import network as net
    from asemus_data.filters import Filters, link_int
    from asemus_data.masterpieces import ExplorerState
    assert link_int("12") == 12 and link_int("-300") == -300
    assert ExplorerState.from_query({"page": "3"})[0].page == 3
    assert Filters.from_query({"period": "-300..1900"}, facets={})[0].period == (-300, 1900)
    assert net.NetState.from_query({"reach": "2"})[0].radius == 2


@pytest.mark.parametrize("page,params", [
    ("masterpieces.py", {"page": "²"}),
    ("masterpieces.py", {"page": "٣", "period": "²..1900"}),
    ("network.py", {"reach": "²", "years": "²..2010", "asof": "٣"}),
    ("collections_map.py", {"period": "1600..²", "museum": "²"}),
])
def test_link_values_that_fool_isdigit_do_not_crash_pages(page, params, built_store,
                                                          clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.query_params.update(params)
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.message for e in at.exception]


# --------------------------------------------------------------------------------------------
# 7. Encodings guessed, not mangled; NaN is not a number


MUSEUMS = {
    "shift_jis": [("kyoto-nm", "京都国立博物館", "Kyoto"), ("yamato-bunkakan", "大和文華館", "Nara"),
                  ("nara-nm", "奈良国立博物館", "Nara")],
    "gb18030": [("palace-museum", "故宫博物院", "Beijing"), ("shanghai-museum", "上海博物馆", "Shanghai"),
                ("nanjing-museum", "南京博物院", "Nanjing")],
    "big5": [("npm", "國立故宮博物院", "Taipei"), ("nmh", "國立歷史博物館", "Taipei")],
    "euc_kr": [("nmk", "국립중앙박물관", "Seoul"), ("gyeongju-nm", "국립경주박물관", "Gyeongju")],
}
COUNTRY = {"shift_jis": "Japan", "gb18030": "China", "big5": "Taiwan", "euc_kr": "South Korea"}


def museums_csv(encoding: str) -> str:
    return "id,name,city,country\n" + "".join(f"{i},{n},{c},{COUNTRY[encoding]}\n"
                                              for i, n, c in MUSEUMS[encoding])


@pytest.mark.parametrize("encoding", list(MUSEUMS))
def test_east_asian_encodings_are_read_as_written(tmp_path, encoding):
    import pandas as pd
    text = museums_csv(encoding)
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode(encoding))
    df = read_file(path)
    expected = pd.read_csv(io.StringIO(text), dtype=str)  # the same table, never encoded
    assert df["name"].tolist() == expected["name"].tolist()
    assert df["city"].tolist() == expected["city"].tolist()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(tmp_path, encoding):
    text = "id\tname\tcity\nkyoto-nm\t京都国立博物館\tKyoto\nguimet\tMusée Guimet\tParis\n"
    path = tmp_path / "m.txt"
    path.write_bytes(text.encode(encoding))
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    df = read_file(path)
    assert df["name"].tolist() == ["京都国立博物館", "Musée Guimet"]


def test_binary_is_still_refused(tmp_path):
    import random
    rng = random.Random(42)
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(20_000)))
    with pytest.raises(InputError, match="not a text file"):
        read_file(path)


def test_an_uncertain_guess_warns_and_an_explicit_encoding_overrides(tmp_path):
    from asemus_data.mapping import read_with_mapping
    from asemus_data.validate import validate_frame
    path = tmp_path / "m.csv"
    path.write_bytes(museums_csv("shift_jis").encode("shift_jis"))
    df = read_file(path)
    # Shift-JIS bytes also decode as Korean: the guess is said to be a guess
    v = validate_frame(df, "institutions")
    warned = [w for w in v.warnings if "guess is uncertain" in w.rule]
    assert len(warned) == 1 and "Shift-JIS" in warned[0].rule and warned[0].file == "m.csv"
    mapping = tmp_path / "m.yaml"
    mapping.write_text("read:\n  encoding: cp949\n")
    forced, _ = read_with_mapping(path, mapping)
    assert forced.attrs["encoding"] == "cp949" and not forced.attrs.get("read_warnings")
    assert forced["name"].iloc[0] != "京都国立博物館"  # the user's choice, even when wrong


def test_shift_jis_import_stores_the_real_names(fresh_store, tmp_path, capsys):
    import duckdb

    from asemus_data.cli import main
    path = tmp_path / "jp.csv"
    path.write_bytes(museums_csv("shift_jis").encode("shift_jis"))
    assert main(["import", str(path), "--table", "institutions", "--store", str(fresh_store)]) == 0
    out = capsys.readouterr().out
    assert "guess is uncertain" in out
    con = duckdb.connect(str(fresh_store), read_only=True)
    try:
        names = dict(con.execute("SELECT id, name FROM institutions WHERE id IN "
                                 "('kyoto-nm', 'yamato-bunkakan', 'nara-nm')").fetchall())
    finally:
        con.close()
    assert names == {i: n for i, n, _ in MUSEUMS["shift_jis"]}


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-inf", "Infinity", "1e999"])
def test_nan_and_inf_text_is_refused_in_number_columns(value):
    import pandas as pd

    from asemus_data.validate import validate_frame
    df = pd.DataFrame({"id": ["a"], "name": ["A"], "country": ["France"], "latitude": [value],
                       "longitude": ["2.35"], "source": ["s"]})
    v = validate_frame(df, "institutions", file="geo.csv")
    issue = next(e for e in v.errors if e.column == "latitude")
    assert issue.row == 2 and issue.value == value and issue.file == "geo.csv"
    assert "NaN" in issue.rule or "infinity" in issue.rule


def test_a_file_of_nan_coordinates_is_not_clean(fresh_store, tmp_path, capsys):
    from asemus_data.cli import main
    path = tmp_path / "nan.csv"
    path.write_text("id,name,city,country,latitude,longitude\n"
                    "nan-a,A,Paris,France,NaN,NaN\nnan-b,B,Lyon,France,NaN,NaN\n")
    code = main(["validate", str(path), "--table", "institutions", "--store", str(fresh_store)])
    out = capsys.readouterr()
    assert code != 0 and (out.out + out.err).count("'NaN'") == 4


def test_a_country_written_as_a_superscript_digit_is_unknown_not_a_crash():
    import pandas as pd

    from asemus_data.validate import validate_frame
    df = pd.DataFrame({"id": ["a"], "name": ["A"], "country": ["²"], "source": ["s"]})
    v = validate_frame(df, "institutions", file="c.csv")
    issue = next(e for e in v.errors if e.column == "country")
    assert issue.value == "²" and "unknown country" in issue.rule


def test_an_accepted_large_csv_costs_bounded_memory(tmp_path, baseline_mb):
    """Half a million rows x 5 columns: measured ~200 MB above the interpreter (0.45 GB before
    rows became cells as they were parsed and repeated short values were shared)."""
    path = big_csv(tmp_path / "ok.csv", 500_000)
    out = run_measured(f"""
        from asemus_data.readers import read_file
        df = read_file({str(path)!r})
        out = {{"rows": len(df), "last": df["institution_name"].iloc[-1],
                "year": df["year"].iloc[0]}}
    """, timeout=300)
    assert out["rows"] == 500_000 and out["last"] == "M0499999" and out["year"] == "2019"
    assert out["peak_mb"] - baseline_mb < 300, out


def test_alias_bomb_uploaded_with_a_file_on_the_data_page_path(fresh_store, tmp_path):
    """The Data page validates an upload with its mapping without a password: the bomb must be
    refused there too, as a message."""
    from asemus_data.importer import check_bytes
    bomb = alias_bomb(tmp_path / "bomb.yaml").read_bytes()
    with pytest.raises(InputError) as exc:
        check_bytes(b"id,name,country\nx,X,France\n", "i.csv", "institutions", mapping=bomb,
                    mapping_name="bomb.yaml", store=fresh_store)
    assert "ASEMUS_MAX_MAPPING_NODES" in issue_text(exc)


def test_a_big_second_sheet_counts_although_the_first_is_read(tmp_path, monkeypatch):
    """openpyxl loads every sheet, so a small first sheet cannot smuggle in a huge second one."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "data"
    wb.active.append(["id", "name"])
    wb.active.append(["a", "A"])
    big = wb.create_sheet("notes")
    for r in range(300):
        big.append([f"n{r}-{c}" for c in range(10)])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    monkeypatch.setenv("ASEMUS_MAX_EXCEL_CELLS", "2000")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "'notes', 3,000" in issue_text(exc) and "ASEMUS_MAX_EXCEL_CELLS" in issue_text(exc)
    monkeypatch.setenv("ASEMUS_MAX_EXCEL_CELLS", "4000")
    assert read_file(path)["name"].tolist() == ["A"]


def test_committee_terms_skip_days_that_do_not_exist():
    import pandas as pd

    from asemus_data import exhibitions as ex
    people = pd.DataFrame({
        "id": ["p1", "p2", "p3"], "name": ["A", "B", "C"], "kind": ["committee"] * 3,
        "role": ["Chair"] * 3, "institution_id": [None] * 3, "institution_text": [None] * 3,
        "period_text": ["2010-02-30", None, "2011-2013"], "start_year": [None, 0, None],
        "end_year": [None, 0, None], "source": ["s"] * 3})
    inst = pd.DataFrame({"id": [], "name": [], "region": []})
    terms = ex.committee_terms(people, inst)
    assert terms["name"].tolist() == ["C"]


def test_json_files_have_their_own_size_limit(tmp_path, monkeypatch):
    """JSON is parsed whole (~16x its size in memory), so it has a lower limit than CSV."""
    path = tmp_path / "p.json"
    path.write_text(json.dumps([{"name": f"museum {i}", "city": "Paris"} for i in range(20_000)]))
    assert path.stat().st_size > 600_000
    monkeypatch.setenv("ASEMUS_MAX_JSON_MB", "0.5")
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert "ASEMUS_MAX_JSON_MB" in issue_text(exc) and "p.json" in issue_text(exc)
    monkeypatch.delenv("ASEMUS_MAX_JSON_MB")
    assert len(read_file(path)) == 20_000
