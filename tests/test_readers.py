"""Tests for asemus_data.readers: every format, every encoding, every way a file can be wrong."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from asemus_data.errors import InputError  # noqa: E402
from asemus_data.readers import (  # noqa: E402
    RULE_BINARY,
    RULE_FORMULA,
    RULE_MERGED_HEADER,
    RULE_NO_DATA,
    file_sha256,
    read_file,
)


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def only_issue(exc_info):
    issues = exc_info.value.issues
    assert len(issues) == 1, issues
    return issues[0]


# --------------------------------------------------------------------------------------------
# CSV: encodings


def test_utf8(tmp_path):
    df = read_file(write(tmp_path, "a.csv", "id,title\n1,Musée\n2,北京\n"))
    assert df["title"].tolist() == ["Musée", "北京"]
    assert df.attrs["encoding"] == "utf-8"
    assert df.attrs["file"] == "a.csv"
    assert df.attrs["source_rows"] == [2, 3]


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path):
    df = read_file(write(tmp_path, "a.csv", b"\xef\xbb\xbfid,title\n1,Mus\xc3\xa9e\n"))
    assert list(df.columns) == ["id", "title"]
    assert df.loc[0, "title"] == "Musée"
    assert df.attrs["encoding"] == "utf-8-sig"


def test_cp1252(tmp_path):
    # "€" and "–" exist only in cp1252 (bytes 0x80, 0x96); Latin-1 would give control chars.
    text = "id;title;price\n1;Musée;5 €\n2;Fünf – Zwei;7\n"
    path = write(tmp_path, "a.csv", text, "cp1252")
    df = read_file(path)
    assert df.attrs["encoding"] == "cp1252"
    assert df["title"].tolist() == ["Musée", "Fünf – Zwei"]
    assert df.loc[0, "price"] == "5 €"


def test_latin1_when_cp1252_cannot_decode(tmp_path):
    # 0x81 is undefined in cp1252, so only Latin-1 decodes this file.
    path = write(tmp_path, "a.csv", b"id,title\n1,M\xfcller \x81\n")
    df = read_file(path)
    assert df.attrs["encoding"] == "latin-1"
    assert df.loc[0, "title"] == "Müller \x81"


def test_explicit_encoding_is_used(tmp_path):
    path = write(tmp_path, "a.csv", "id,title\n1,Fünf\n", "cp1252")
    assert read_file(path, encoding="cp1252").loc[0, "title"] == "Fünf"


def test_explicit_encoding_that_does_not_fit_names_row(tmp_path):
    path = write(tmp_path, "a.csv", "id,title\n1,ok\n2,Fünf\n", "cp1252")
    with pytest.raises(InputError) as exc:
        read_file(path, encoding="utf-8")
    issue = only_issue(exc)
    assert issue.row == 3
    assert issue.value == "2,Fünf"
    assert "not valid utf-8 text" in issue.rule and "0xfc" in issue.rule


def test_utf16_with_bom_from_excel_unicode_text(tmp_path):
    path = write(tmp_path, "a.txt", "id\ttitle\r\n1\tMusée\r\n", "utf-16")
    df = read_file(path)
    assert df.to_dict("records") == [{"id": "1", "title": "Musée"}]
    assert df.attrs["delimiter"] == "\t"


def test_mixed_utf8_and_cp1252_is_refused(tmp_path):
    data = ("id,title\n1,Musée\n2,Café\n".encode() + "3,Fünf\n".encode("cp1252"))
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "a.csv", data))
    issue = only_issue(exc)
    assert issue.row == 4
    assert issue.value == "3,Fünf"
    assert "mixes UTF-8" in issue.rule


# --------------------------------------------------------------------------------------------
# CSV: delimiters, quoting, line endings


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path, delim):
    text = delim.join(["id", "title", "date"]) + "\n" + delim.join(["1", "Vase, blue", "1850"]) \
        + "\n"
    if delim == ",":
        text = 'id,title,date\n1,"Vase, blue",1850\n'
    df = read_file(write(tmp_path, "a.csv", text))
    assert list(df.columns) == ["id", "title", "date"]
    assert df.iloc[0].tolist() == ["1", "Vase, blue", "1850"]
    assert df.attrs["delimiter"] == delim


def test_semicolon_file_with_commas_in_values(tmp_path):
    text = "Inventarnummer;Titel;Maße\n1;Schale, blau;10,5 x 3,2 cm\n2;Vase;12,0 cm\n"
    df = read_file(write(tmp_path, "a.csv", text))
    assert df.loc[0, "Maße"] == "10,5 x 3,2 cm"


def test_explicit_delimiter_and_tab_alias(tmp_path):
    path = write(tmp_path, "a.txt", "a\tb\n1\t2\n")
    assert read_file(path, delimiter="tab").iloc[0].tolist() == ["1", "2"]
    assert read_file(path, delimiter="\t").iloc[0].tolist() == ["1", "2"]


def test_single_column_file(tmp_path):
    df = read_file(write(tmp_path, "a.csv", "id\n1\n2\n"))
    assert df["id"].tolist() == ["1", "2"]


def test_multiline_quoted_field_and_crlf(tmp_path):
    data = 'id,description,date\r\n1,"line one\r\nline two, with comma",1850\r\n2,plain,1900\r\n'
    df = read_file(write(tmp_path, "a.csv", data))
    assert df.loc[0, "description"] == "line one\nline two, with comma"
    assert df.loc[1, "date"] == "1900"
    # A multi-line value is still one spreadsheet row.
    assert df.attrs["source_rows"] == [2, 3]


def test_values_stay_text_and_empty_cells_are_none(tmp_path):
    df = read_file(write(tmp_path, "a.csv", " id , year ,note\n007,1850.0,\n008,  ,x\n"))
    assert list(df.columns) == ["id", "year", "note"]
    assert df["id"].tolist() == ["007", "008"]
    assert df.loc[0, "year"] == "1850.0"
    assert df.loc[0, "note"] is None and df.loc[1, "year"] is None
    assert all(pd.api.types.is_object_dtype(dtype) for dtype in df.dtypes)


def test_empty_rows_dropped_and_row_numbers_kept(tmp_path):
    df = read_file(write(tmp_path, "a.csv", "id,title\n1,a\n\n,\n4,d\n"))
    assert df["id"].tolist() == ["1", "4"]
    assert df.attrs["source_rows"] == [2, 5]


def test_short_rows_are_padded_and_trailing_delimiters_ignored(tmp_path):
    df = read_file(write(tmp_path, "a.csv", "a,b,c\n1\n1,2,3,,\n"))
    assert df.iloc[0].tolist() == ["1", None, None]
    assert df.iloc[1].tolist() == ["1", "2", "3"]


def test_formula_like_text_is_kept_verbatim(tmp_path):
    evil = "=cmd|' /C calc'!A0"
    text = f'id,title,note\n1,"{evil}",+49 30 1234\n2,@SUM(A1),-5\n'
    df = read_file(write(tmp_path, "a.csv", text))
    assert df.loc[0, "title"] == evil
    assert df.loc[0, "note"] == "+49 30 1234"
    assert df.loc[1].tolist() == ["2", "@SUM(A1)", "-5"]


# --------------------------------------------------------------------------------------------
# CSV: refused input


@pytest.mark.parametrize("content", [b"", b"   \n\r\n \t\n", b"id,title\n", b"id,title\n\n,\n"])
def test_no_data_rows(tmp_path, content):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "empty.csv", content))
    issue = only_issue(exc)
    assert issue.file == "empty.csv"
    assert issue.rule == RULE_NO_DATA
    assert issue.row is None and issue.column is None


def test_binary_junk_renamed_csv(tmp_path):
    junk = bytes(range(256)) * 40  # NUL bytes and control characters
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "photo.csv", b"\x89PNG\r\n\x1a\n" + junk))
    issue = only_issue(exc)
    assert issue.rule == RULE_BINARY
    assert issue.file == "photo.csv"


def test_control_characters_without_nul_count_as_binary(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "x.csv", b"a,b\n" + b"\x01\x02\x03\x04x" * 200))
    assert only_issue(exc).rule == RULE_BINARY


def test_oversize_file_refused(tmp_path):
    text = "id,title\n" + "1,abcdefgh\n" * 180
    path = write(tmp_path, "big.csv", text.ljust(2047, "x") + "\n")
    assert path.stat().st_size == 2048
    with pytest.raises(InputError) as exc:
        read_file(path, max_bytes=1000)
    issue = only_issue(exc)
    assert issue.file == "big.csv"
    assert issue.rule == ("the file is 2.0 KB; the limit is 1000 bytes "
                          "(set ASEMUS_MAX_FILE_MB to raise it)")


def test_sparse_200mb_file_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.delenv("ASEMUS_MAX_FILE_MB", raising=False)
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no 200 MB are written
    # Reading would find NUL bytes and say "binary"; the size rule must win, without reading.
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    started = time.perf_counter()
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert time.perf_counter() - started < 1.0
    issue = only_issue(exc)
    assert issue.rule == ("the file is 200.0 MB; the limit is 100 MB "
                          "(set ASEMUS_MAX_FILE_MB to raise it)")


def test_size_limit_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEMUS_MAX_FILE_MB", "0.5")
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.truncate(1024 * 1024)
    with pytest.raises(InputError) as exc:
        read_file(path)
    assert only_issue(exc).rule.startswith("the file is 1.0 MB; the limit is 0.5 MB")


def test_duplicate_header(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "a.csv", "id,title,Title, title \n1,a,b,c\n"))
    issue = only_issue(exc)
    assert issue.row == 1
    assert issue.column == "title"
    assert issue.value == "title"
    assert issue.rule == ("duplicate column name 'title' (column 2 and column 4); every column "
                          "needs its own name")


def test_values_without_header_name(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "a.csv", "id,,title\n1,,a\n2,oops,b\n"))
    issue = only_issue(exc)
    assert issue.row == 3
    assert issue.value == "oops"
    assert issue.rule.startswith("column 2 has values but no header name")


def test_ragged_row(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "a.csv", "id;title\n1;a\n2;Vase; blau\n3;c\n"))
    issue = only_issue(exc)
    assert issue.file == "a.csv"
    assert issue.row == 3
    assert issue.value == " blau"
    assert issue.rule == "the row has 3 fields but the header has 2; quote values that contain ';'"


def test_unclosed_quote(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "a.csv", 'id,title\n1,a\n2,"unclosed\n3,c\n4,d\n'))
    issue = only_issue(exc)
    assert issue.row == 3
    assert "never closed" in issue.rule


def test_unsupported_extension(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0"))
    issue = only_issue(exc)
    assert issue.value == "old.xls"
    assert issue.rule.startswith("unsupported file type '.xls'; supported formats are CSV")
    assert "Parquet" in issue.rule and "GeoJSON" in issue.rule and "save it as .xlsx" in issue.rule


def test_extension_is_case_insensitive_and_display_name_used(tmp_path):
    df = read_file(write(tmp_path, "UPLOAD.CSV", "a\n1\n"), display_name="objects.csv")
    assert df.attrs["file"] == "objects.csv"


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(tmp_path / "nope.csv")
    assert only_issue(exc).rule == "the file does not exist"


# --------------------------------------------------------------------------------------------
# Excel


def workbook(tmp_path: Path, rows, name="a.xlsx", title="Objekte", extra=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra:
        extra(wb, ws)
    path = tmp_path / name
    wb.save(path)
    return path


def test_excel_dates_ints_floats_booleans(tmp_path):
    path = workbook(tmp_path, [
        ["id", "acquired", "year", "weight", "in_vcm", "time"],
        [1, dt.date(1975, 12, 9), 1850.0, 2.5, True, dt.datetime(2026, 1, 2, 14, 30)],
        ["007", dt.datetime(2001, 2, 3), 1850, 0.1 + 0.2, False, None],
    ])
    df = read_file(path)
    assert df.to_dict("records") == [
        {"id": "1", "acquired": "1975-12-09", "year": "1850", "weight": "2.5", "in_vcm": "true",
         "time": "2026-01-02T14:30:00"},
        {"id": "007", "acquired": "2001-02-03", "year": "1850", "weight": "0.3",
         "in_vcm": "false", "time": None},
    ]
    assert df.attrs["source_rows"] == [2, 3]
    assert df.attrs["sheet"] == "Objekte"


def test_excel_skips_readme_sheet_and_picks_named_sheet(tmp_path):
    def sheets(wb, ws):
        readme = wb.create_sheet("README", 0)
        readme.append(["Fill in the Objekte sheet"])
        other = wb.create_sheet("Other")
        other.append(["x"])
        other.append(["from other"])

    path = workbook(tmp_path, [["id"], ["from objekte"]], extra=sheets)
    assert read_file(path)["id"].tolist() == ["from objekte"]
    assert read_file(path, sheet="other")["x"].tolist() == ["from other"]
    with pytest.raises(InputError) as exc:
        read_file(path, sheet="Missing")
    issue = only_issue(exc)
    assert issue.value == "Missing"
    assert issue.rule == ("the workbook has no sheet named 'Missing'; its sheets are: README, "
                          "Objekte, Other")


def test_excel_formula_is_refused(tmp_path):
    path = workbook(tmp_path, [["id", "count"], ["a", 3], ["b", "=SUM(B2:B2)*2"]])
    with pytest.raises(InputError) as exc:
        read_file(path)
    issue = only_issue(exc)
    assert issue.file == "a.xlsx"
    assert issue.row == 3
    assert issue.column == "count"
    assert issue.value == "=SUM(B2:B2)*2"
    assert issue.rule == RULE_FORMULA


def test_excel_text_that_looks_like_a_formula_is_kept(tmp_path):
    evil = "=cmd|' /C calc'!A0"

    def as_text(wb, ws):
        for ref in ("B2", "B3", "B4"):
            ws[ref].data_type = "s"  # stored as a string cell, as Excel does for '=... input

    path = workbook(tmp_path, [["id", "title"], ["1", evil], ["2", "+49 30"], ["3", "@handle"]],
                    extra=as_text)
    assert read_file(path)["title"].tolist() == [evil, "+49 30", "@handle"]


def test_excel_merged_header_is_refused(tmp_path):
    def merge(wb, ws):
        ws.merge_cells("B1:C1")

    path = workbook(tmp_path, [["id", "Maße", None], ["1", "10", "20"]], extra=merge)
    with pytest.raises(InputError) as exc:
        read_file(path)
    issue = only_issue(exc)
    assert issue.row == 1
    assert issue.column == "Maße"
    assert issue.value == "B1:C1"
    assert issue.rule == RULE_MERGED_HEADER


def test_excel_merged_data_cells_show_their_value_everywhere(tmp_path):
    def merge(wb, ws):
        ws.merge_cells("B2:B3")

    path = workbook(tmp_path, [["id", "category"], ["1", "ceramics"], ["2", None]], extra=merge)
    assert read_file(path)["category"].tolist() == ["ceramics", "ceramics"]


def test_excel_header_below_blank_rows_and_empty_sheet(tmp_path):
    path = workbook(tmp_path, [[], [None, "id", "title"], [None, "1", "a"]])
    df = read_file(path)
    assert list(df.columns) == ["id", "title"]
    assert df.attrs["source_rows"] == [3]
    with pytest.raises(InputError) as exc:
        read_file(workbook(tmp_path, [], name="empty.xlsx"))
    issue = only_issue(exc)
    assert issue.rule == RULE_NO_DATA
    assert issue.value == "Objekte"


def test_excel_duplicate_header(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(workbook(tmp_path, [["id", "title", "title"], ["1", "a", "b"]]))
    issue = only_issue(exc)
    assert (issue.row, issue.column, issue.value) == (1, "title", "title")
    assert issue.rule.startswith("duplicate column name 'title' (column 2 (B) and column 3 (C))")


def test_excel_value_outside_the_header(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(workbook(tmp_path, [["id", "title"], ["1", "a", "stray"]]))
    issue = only_issue(exc)
    assert (issue.row, issue.value) == (2, "stray")
    assert issue.rule.startswith("column 3 (C) has values but no header name")


def test_not_really_an_excel_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "a.xlsx", "id,title\n1,a\n"))
    assert "cannot be opened as an Excel workbook" in only_issue(exc).rule


# --------------------------------------------------------------------------------------------
# Parquet and GeoJSON


def test_parquet_round_trip(tmp_path):
    table = pa.table({
        "id": ["a", "b", None],
        "year": pa.array([1850, None, 1900], type=pa.int64()),
        "weight": [2.5, 3.0, None],
        "acquired": [dt.date(1975, 12, 9), None, None],
        "in_vcm": [True, False, None],
    })
    path = tmp_path / "a.parquet"
    pq.write_table(table, path)
    df = read_file(path)
    assert df.to_dict("records") == [
        {"id": "a", "year": "1850", "weight": "2.5", "acquired": "1975-12-09", "in_vcm": "true"},
        {"id": "b", "year": None, "weight": "3", "acquired": None, "in_vcm": "false"},
        {"id": None, "year": "1900", "weight": None, "acquired": None, "in_vcm": None},
    ]
    assert df.attrs["source_rows"] == [2, 3, 4]


def test_parquet_from_pandas_drops_saved_index(tmp_path):
    path = tmp_path / "a.parquet"
    pd.DataFrame({"id": ["x", "y"]}, index=[10, 20]).to_parquet(path)
    df = read_file(path)
    assert list(df.columns) == ["id"]


def test_geojson_points(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Musée Guimet", "visitors": 1.50, "open": True},
         "geometry": {"type": "Point", "coordinates": [2.2936, 48.8651]}},
        {"type": "Feature", "properties": {"name": "No location", "code": "007"},
         "geometry": None},
    ]}
    path = write(tmp_path, "m.geojson", json.dumps(doc, ensure_ascii=False))
    df = read_file(path)
    assert list(df.columns) == ["name", "visitors", "open", "code", "longitude", "latitude"]
    assert df.loc[0].tolist() == ["Musée Guimet", "1.5", "true", None, "2.2936", "48.8651"]
    assert df.loc[1, "code"] == "007" and df.loc[1, "longitude"] is None
    assert df.attrs["source_rows"] == [2, 3]


def test_geojson_polygon_is_refused(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "ok"},
         "geometry": {"type": "Point", "coordinates": [1, 2]}},
        {"type": "Feature", "properties": {"name": "France"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
    ]}
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "m.json", json.dumps(doc)))
    issue = only_issue(exc)
    assert (issue.file, issue.row, issue.column, issue.value) == ("m.json", 3, "geometry",
                                                                   "Polygon")
    assert issue.rule.startswith("only Point geometries are supported")


def test_json_list_of_records_keeps_numbers_as_written(tmp_path):
    path = write(tmp_path, "api.json", '[{"id": "007", "weight": 2.50, "tags": [1, "x"]},\n'
                                       ' {"id": "008", "weight": null}]')
    df = read_file(path)
    assert df.to_dict("records") == [{"id": "007", "weight": "2.50", "tags": '[1, "x"]'},
                                     {"id": "008", "weight": None, "tags": None}]


def test_invalid_json(tmp_path):
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "m.geojson", '{"type": "FeatureCollection",\n "features": [,]}'))
    issue = only_issue(exc)
    assert issue.row == 2
    assert issue.rule.startswith("not valid JSON")


# --------------------------------------------------------------------------------------------
# Hashing


def test_file_sha256(tmp_path):
    data = b"x" * (3 * 1024 * 1024 + 7)  # more than one chunk
    path = write(tmp_path, "a.csv", data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
