"""The command line on good and bad input: every bad input ends in a message naming the file, row,
column, value and rule, a non-zero exit, and an unchanged store."""
from __future__ import annotations

import duckdb
import pytest
from openpyxl import Workbook

from asemus_data.cli import main
from asemus_data.schemas import TABLES

GOOD_INSTITUTIONS = (
    "id,name,city,country,type,website\n"
    "musee-test,Musée Test,Lyon,France,public,https://example.org\n"
    "tokyo-test,Tokyo Test Museum,Tokyo,JP,private,\n"
)


def snapshot(path) -> dict:
    """Row counts of every table and the import log: 'unchanged' means these are equal."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
        counts["import_log"] = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
        return counts
    finally:
        con.close()


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_validate_and_import_good_file(fresh_store, tmp_path, capsys):
    f = write(tmp_path, "inst.csv", GOOD_INSTITUTIONS)
    code, out = run(capsys, "validate", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 0, out
    assert "2 rows, valid" in out
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 0, out
    after = snapshot(fresh_store)
    assert after["institutions"] == before["institutions"] + 2
    assert after["import_log"] == before["import_log"] + 1
    con = duckdb.connect(str(fresh_store), read_only=True)
    row = con.execute("SELECT country_code, country, region, status, latitude, coord_precision "
                      "FROM institutions WHERE id = 'tokyo-test'").fetchone()
    log = con.execute("SELECT file_name, sha256, table_name, rows_read, rows_written FROM import_log").fetchone()
    con.close()
    assert row[:4] == ("JPN", "Japan", "Asia", "imported")
    assert abs(row[4] - 35.69) < 0.1 and row[5] == "city"  # geocoded offline
    assert log[0] == "inst.csv" and len(log[1]) == 64 and log[2:] == ("institutions", 2, 2)


def test_reimport_same_ids_is_refused(fresh_store, tmp_path, capsys):
    f = write(tmp_path, "inst.csv", GOOD_INSTITUTIONS)
    assert run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))[0] == 0
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 1
    assert "id already in the store" in out and "musee-test" in out
    assert snapshot(fresh_store) == before


BAD_CSV = {
    # name: (table, file text, [fragments the message must contain])
    "missing required column": ("institutions", "id,city,country\nx,Paris,France\n",
                                ["bad.csv", "row 1", "column 'name'", "required column is missing"]),
    "duplicate ids": ("institutions", "id,name,country\nx,A,France\nx,B,France\n",
                      ["row 2", "row 3", "column 'id'", "'x'", "duplicate id"]),
    "latitude 95": ("institutions", "id,name,country,latitude,longitude\nx,A,France,95,2\n",
                    ["row 2", "column 'latitude'", "95", "must be at most 90"]),
    "negative visitors": ("exhibitions",
                          "id,title,type,visitors\nx,Show,member exhibition,-5\n",
                          ["row 2", "column 'visitors'", "-5", "must be at least 0"]),
    "end before start": ("exhibitions",
                         "id,title,type,start_date,end_date\nx,Show,member exhibition,2010-05-01,2010-04-01\n",
                         ["row 2", "column 'end_date'", "2010-04-01", "end before start"]),
    "unknown country": ("institutions", "id,name,country\nx,A,Atlantis\n",
                        ["row 2", "column 'country'", "Atlantis", "unknown country"]),
    "text in a number column": ("collections",
                                "institution_id,title,category,ownership,display,object_count\n"
                                "british-museum,Jades,jade and hardstones,public,mixed,many\n",
                                ["row 2", "column 'object_count'", "'many'", "text in a number column"]),
    "unknown category": ("collections",
                         "institution_id,title,category,ownership,display\n"
                         "british-museum,Things,spaceships,public,mixed\n",
                         ["row 2", "column 'category'", "spaceships", "not an allowed value"]),
    "unknown institution": ("collections",
                            "institution_id,title,category,ownership,display\n"
                            "no-such-museum,Jades,ceramics,public,mixed\n",
                            ["row 2", "column 'institution_id'", "no-such-museum", "unknown institution"]),
    "formula-like cell": ("institutions", "id,name,country\nx,=HYPERLINK(\"http://evil\"),France\n",
                          ["row 2", "column 'name'", "=HYPERLINK", "formula"]),
    "plus-prefixed cell": ("institutions", "id,name,country\nx,+cmd,France\n",
                           ["row 2", "column 'name'", "+cmd", "formula"]),
    "at-prefixed cell": ("institutions", "id,name,country\nx,@SUM(A1),France\n",
                         ["row 2", "column 'name'", "@SUM", "formula"]),
    "minus-prefixed cell": ("institutions", "id,name,country\nx,-2+3,France\n",
                            ["row 2", "column 'name'", "-2+3", "formula"]),
    "empty file": ("institutions", "", ["bad.csv", "no data rows"]),
    "header only": ("institutions", "id,name,country\n", ["bad.csv", "no data rows"]),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
@pytest.mark.parametrize("command", ["validate", "import"])
def test_bad_csv_is_reported_and_nothing_written(case, command, fresh_store, tmp_path, capsys):
    table, text, fragments = BAD_CSV[case]
    f = write(tmp_path, "bad.csv", text)
    before = snapshot(fresh_store)
    code, out = run(capsys, command, str(f), "--table", table, "--store", str(fresh_store))
    assert code == 1, out
    for frag in fragments:
        assert frag in out, f"{frag!r} not in:\n{out}"
    assert snapshot(fresh_store) == before


def test_formula_text_can_be_kept_as_text(fresh_store, tmp_path, capsys):
    f = write(tmp_path, "f.csv", "id,name,country\nx,=1+1,France\n")
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store),
                    "--allow-formula-text")
    assert code == 0, out
    con = duckdb.connect(str(fresh_store), read_only=True)
    assert con.execute("SELECT name FROM institutions WHERE id='x'").fetchone()[0] == "=1+1"
    con.close()


def test_unknown_table(fresh_store, tmp_path, capsys):
    f = write(tmp_path, "x.csv", GOOD_INSTITUTIONS)
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "spaceships", "--store", str(fresh_store))
    assert code == 1 and "unknown table 'spaceships'" in out and "institutions" in out
    assert snapshot(fresh_store) == before


def test_binary_junk_renamed_csv(fresh_store, tmp_path, capsys):
    f = tmp_path / "junk.csv"
    f.write_bytes(bytes(range(256)) * 100)
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 1 and "junk.csv" in out and "not a text file" in out
    assert snapshot(fresh_store) == before


def test_huge_file_is_refused_before_reading(fresh_store, tmp_path, capsys):
    f = tmp_path / "huge.csv"
    with open(f, "wb") as fh:  # a sparse 200 MB file: instant, and no memory used
        fh.write(b"id,name,country\n")
        fh.truncate(200 * 1024 * 1024)
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 1 and "huge.csv" in out and "200.0 MB" in out and "limit" in out
    assert snapshot(fresh_store) == before


def test_xlsx_with_formula(fresh_store, tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", "country"])
    ws.append(["x", "A", "France"])
    ws["B2"] = "=CONCAT(\"a\",\"b\")"
    f = tmp_path / "formula.xlsx"
    wb.save(f)
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 1 and "formula.xlsx" in out and "row 2" in out and "formula" in out
    assert "CONCAT" in out
    assert snapshot(fresh_store) == before


def test_xlsx_with_merged_header(fresh_store, tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", None, "country"])
    ws.merge_cells("B1:C1")
    ws.append(["x", "A", "B", "France"])
    f = tmp_path / "merged.xlsx"
    wb.save(f)
    before = snapshot(fresh_store)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 1 and "merged.xlsx" in out and "merged header" in out
    assert snapshot(fresh_store) == before


def test_all_errors_reported_at_once(fresh_store, tmp_path, capsys):
    f = write(tmp_path, "many.csv", "id,name,country,latitude\nx,A,Atlantis,95\ny,B,France,abc\n")
    code, out = run(capsys, "validate", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 1
    assert "Atlantis" in out and "95" in out and "'abc'" in out


def test_generate_refuses_default_store(capsys):
    code, out = run(capsys, "generate", "--institutions", "5", "--objects", "10")
    assert code == 2 and "never writes the default store" in out


def test_export_formats(built_store, tmp_path, capsys):
    import json

    import pandas as pd
    for fmt in ("csv", "xlsx", "parquet", "geojson"):
        out_file = tmp_path / f"inst.{fmt}"
        code, out = run(capsys, "export", str(out_file), "--table", "institutions", "--format", fmt,
                        "--store", str(built_store))
        assert code == 0, out
        assert out_file.stat().st_size > 0
    gj = json.loads((tmp_path / "inst.geojson").read_text(encoding="utf-8"))
    # the 55 rows of data/institutions.csv and the 87 Muséofile museums it does not know
    from pathlib import Path
    data = Path(__file__).resolve().parents[1] / "data"
    facts = pd.read_csv(data / "institutions.csv", dtype=str)
    reg = pd.read_csv(data / "institutions_museofile.csv", dtype=str)
    n = len(facts) + int((~reg["id"].isin(set(facts["id"]))).sum())
    assert len(gj["features"]) == n == 142
    assert gj["features"][0]["geometry"]["type"] == "Point"
    back = pd.read_parquet(tmp_path / "inst.parquet")
    assert len(back) == n
    csv_text = (tmp_path / "inst.csv").read_bytes().decode("utf-8-sig")
    assert "Museum Fünf Kontinente" in csv_text  # UTF-8 kept
    code, out = run(capsys, "export", str(tmp_path / "p.geojson"), "--table", "people", "--format",
                    "geojson", "--store", str(built_store))
    assert code == 1 and "no coordinates" in out


def test_help_documents_every_command(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    text = capsys.readouterr().out
    for cmd in ("build", "validate", "import", "template", "export", "generate", "ASEMUS_STORE"):
        assert cmd in text


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, out = run(capsys, "template", str(blocker / "survey.xlsx"))
    assert code == 2 and out.startswith("error:") and "Traceback" not in out
