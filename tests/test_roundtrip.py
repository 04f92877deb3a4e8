"""Round trip: every table the dashboard exports (Data page downloads, `python -m asemus_data
export`) imports again unchanged, through the CLI and the Data page's upload path. The export's
provenance stays in the file (a '# Source:' line, a 'source' sheet) where the reader does not
trip over it."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from asemus_data import export
from asemus_data import store as st
from asemus_data.cli import main
from asemus_data.importer import check_bytes, check_file, import_file, read_source
from asemus_data.readers import read_file
from asemus_data.schemas import TABLES


@pytest.fixture()
def empty_store(tmp_path):
    """A store with every table and no rows (marked so that it is never rebuilt from data/)."""
    path = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(path))
    st.create_tables(con)
    con.execute("INSERT INTO meta VALUES ('kind', 'round-trip test'), ('schema_version', ?)",
                [st.SCHEMA_VERSION])
    con.close()
    return path


def tables_with_rows(store) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        order = ["institutions"] + [t for t in TABLES if t != "institutions"]
        frames = {t: con.execute(f'SELECT * FROM "{t}"').df() for t in order}
    finally:
        con.close()
    return {t: df for t, df in frames.items() if len(df)}


def assert_same(original: pd.DataFrame, store, table: str) -> None:
    con = duckdb.connect(str(store), read_only=True)
    try:
        back = con.execute(f'SELECT * FROM "{table}"').df()
    finally:
        con.close()
    cols = list(original.columns)
    a = original.sort_values(cols).reset_index(drop=True)
    b = back[cols].sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, obj=table)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_data_page_downloads_import_again_unchanged(built_store, empty_store, tmp_path, fmt):
    frames = tables_with_rows(built_store)
    assert {"institutions", "collections", "membership_counts", "people"} <= set(frames)
    for table, df in frames.items():
        source = f"ASEMUS dashboard, table {table}"  # as pages/data.py writes it
        data = (export.csv_bytes(df, source) if fmt == "csv"
                else export.xlsx_bytes(df, source, table))
        path = tmp_path / f"asemus-{table}.{fmt}"
        path.write_bytes(data)
        result = import_file(path, table, store=empty_store)
        assert result.rows_written == len(df), table
        assert_same(df, empty_store, table)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_export_imports_again_through_the_cli(built_store, empty_store, tmp_path, capsys, fmt):
    frames = tables_with_rows(built_store)
    if fmt == "xlsx":  # every table goes through the same reader: a few keep the test quick
        frames = {t: frames[t] for t in ("institutions", "membership_counts", "people")}
    for table, df in frames.items():
        out = tmp_path / f"{table}.{fmt}"
        assert main(["export", str(out), "--table", table, "--format", fmt,
                     "--store", str(built_store)]) == 0
        rc = main(["import", str(out), "--table", table, "--store", str(empty_store)])
        assert rc == 0, capsys.readouterr().err
        assert_same(df, empty_store, table)


def test_exports_validate_clean_through_the_upload_path(built_store):
    for table, df in tables_with_rows(built_store).items():
        v, n = check_bytes(export.csv_bytes(df, f"ASEMUS dashboard, table {table}"),
                           f"asemus-{table}.csv", table, store=built_store)
        assert v.ok, (table, [str(e) for e in v.errors[:3]])
        assert n == len(df)


def test_source_line_is_provenance_and_row_numbers_still_match_the_file(tmp_path):
    df = pd.DataFrame({"id": ["ok-museum", "Bad Id"], "name": ["A", "B"], "country": ["Japan"] * 2})
    path = tmp_path / "x.csv"
    path.write_bytes(export.csv_bytes(df, "ASEMUS dashboard, table institutions"))
    raw = read_file(path)
    assert list(raw.columns) == ["id", "name", "country"]
    assert raw.attrs["provenance"] == ["Source: ASEMUS dashboard, table institutions"]
    v, _ = check_file(path, "institutions")
    # line 1 is the source line, line 2 the header: 'Bad Id' is on line 4 of the file
    assert [(e.row, e.column, e.value) for e in v.errors] == [(4, "id", "Bad Id")]


def test_a_header_that_begins_with_a_hash_is_still_the_header(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("# of objects,name\n3,A\n", encoding="utf-8")
    df = read_file(path)
    assert list(df.columns) == ["# of objects", "name"]
    assert "provenance" not in df.attrs


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_guarded_cells_come_back_as_they_were(tmp_path, fmt):
    # text the store may hold (built from data/ with formula-like text allowed) and that the
    # export guards with an apostrophe so no spreadsheet runs it
    values = ["+15 museums not yet represented", "=SUM(A1)", "bowls, -decorated", "x\n@y",
              "-12", "plain"]
    df = pd.DataFrame({"id": [f"m{i}" for i in range(len(values))], "name": values,
                       "country": ["Japan"] * len(values)})
    data = (export.csv_bytes(df, "ASEMUS dashboard, table institutions") if fmt == "csv"
            else export.xlsx_bytes(df, "ASEMUS dashboard, table institutions", "institutions"))
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(data)
    assert read_file(path)["name"][0] == "'+15 museums not yet represented"  # guarded in the file
    src = read_source(path, "institutions")
    assert list(src.frame["name"]) == values
    assert src.trusted_text
    v, _ = check_file(path, "institutions")
    assert v.ok, [str(e) for e in v.errors]
    assert list(v.frame["name"]) == values


def test_a_formula_typed_into_an_export_is_still_refused(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "name": ["+15 museums", "B"], "country": ["Japan"] * 2})
    text = export.csv_bytes(df, "ASEMUS dashboard, table institutions").decode("utf-8-sig")
    path = tmp_path / "edited.csv"
    # someone adds a row by hand in a text editor, formula included
    path.write_text(text + 'c,"=HYPERLINK(""http://x"")",Japan\n', encoding="utf-8")
    v, _ = check_file(path, "institutions")
    # one unguarded formula and the file is no longer taken for an untouched export: every
    # formula-like cell is refused again (--allow-formula-text keeps them as text)
    assert [(e.row, e.column) for e in v.errors] == [(3, "name"), (5, "name")]
    assert all("formula" in e.rule for e in v.errors)
    v, _ = check_file(path, "institutions", allow_formula_text=True)
    assert v.ok and list(v.frame["name"]) == ["+15 museums", "B", '=HYPERLINK("http://x")']


def test_a_file_without_our_source_line_keeps_its_apostrophes(tmp_path):
    path = tmp_path / "theirs.csv"
    path.write_text("id,name,country\na,'+15 museums,Japan\n", encoding="utf-8")
    src = read_source(path, "institutions")
    assert src.frame["name"][0] == "'+15 museums"
    assert not src.trusted_text


def test_masterpieces_selection_imports_as_objects(built_store, tmp_path):
    from asemus_data import masterpieces
    from asemus_data.filters import Filters
    con = duckdb.connect(str(built_store), read_only=True)
    df = masterpieces.selection(con, Filters())
    con.close()
    assert len(df)
    path = tmp_path / "masterpieces.csv"
    path.write_bytes(export.csv_bytes(df, "ASEMUS dashboard, Masterpieces"))
    v, n = check_file(path, "objects", store=built_store)
    assert v.ok and n == len(df)
    assert list(v.frame["id"]) == list(df["id"])
