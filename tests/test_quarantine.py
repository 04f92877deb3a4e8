"""Partial import on request (import --quarantine, the Data page's "Import the clean rows"): the
clean rows in one transaction, the refused rows as read with _row and _reasons, a rejects file
that imports again through the same mapping once fixed, and an import log that says where every
row went. The default stays all or nothing."""
from __future__ import annotations

import csv
import hashlib
import io

import duckdb
import pandas as pd

from asemus_data.cli import main
from asemus_data.importer import import_partial, import_partial_bytes

# A register export: Windows-1252, ';'-separated, ids in capitals. Row 3 has no name (required),
# row 4 an unknown country, row 6 a formula-like name, row 7 is closed (left out by the mapping).
REGISTER = (
    "Identifiant;Nom officiel;Ville;Pays;Statut\r\n"
    "M5055;Musée de la Vie romantique;Paris;France;ouvert\r\n"
    "M0101;;Lyon;France;ouvert\r\n"
    "M0202;Musée X;Lille;Atlantide;ouvert\r\n"
    "M0303;Musée d'Orsay;Paris;France;ouvert\r\n"
    "M0404;=HYPERLINK(\"x\");Paris;France;ouvert\r\n"
    "M0505;Musée fermé;Nice;France;fermé\r\n"
)
MAPPING = """\
table: institutions
columns: {Identifiant: id, Nom officiel: name, Ville: city, Pays: country}
transforms:
  - {drop: {column: Statut, equals: fermé}}
  - {lowercase: id}
  - {prefix: id, text: qa-}
constants: {source: "Register export"}
read: {encoding: cp1252, delimiter: ";"}
"""


def files(tmp_path):
    data = tmp_path / "register.csv"
    data.write_bytes(REGISTER.encode("cp1252"))
    mapping = tmp_path / "register.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return data, mapping


def ids(store) -> list[str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT id FROM institutions WHERE id LIKE 'qa-%'").fetchall())
    finally:
        con.close()


def log(store) -> pd.DataFrame:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute("SELECT * FROM import_log ORDER BY import_id").df()
    finally:
        con.close()


def read_rejects(path) -> list[dict]:
    # Independent of the project's reader: the file must be what it says (cp1252, ';').
    text = path.read_bytes().decode("cp1252")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_default_stays_all_or_nothing(tmp_path, fresh_store, capsys):
    data, mapping = files(tmp_path)
    rc = main(["import", str(data), "--table", "institutions", "--mapping", str(mapping),
               "--store", str(fresh_store)])
    assert rc == 1
    assert "nothing was written" in capsys.readouterr().err
    assert ids(fresh_store) == []


def test_quarantine_writes_clean_rows_and_rejects_with_reasons(tmp_path, fresh_store, capsys):
    data, mapping = files(tmp_path)
    rejects = tmp_path / "rejects.csv"
    rc = main(["import", str(data), "--table", "institutions", "--mapping", str(mapping),
               "--store", str(fresh_store), "--quarantine", str(rejects)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "imported 2 of 6 rows into institutions" in out
    assert "1 row left out by the mapping's keep/drop steps" in out
    assert "3 rows refused" in out
    assert ids(fresh_store) == ["qa-m0303", "qa-m5055"]

    rows = read_rejects(rejects)
    # the rows as read (source headers and values, not mapped), in file order
    assert [r["Identifiant"] for r in rows] == ["M0101", "M0202", "M0404"]
    assert list(rows[0]) == ["Identifiant", "Nom officiel", "Ville", "Pays", "Statut", "_row",
                             "_reasons"]
    assert [r["_row"] for r in rows] == ["3", "4", "6"]
    assert rows[0]["_reasons"] == "column 'name': a value is required here"
    assert rows[1]["_reasons"].startswith("column 'country', value 'Atlantide': unknown country")
    assert "begins like a spreadsheet formula" in rows[2]["_reasons"]
    # a formula-like cell is neutralised so the rejects file opens safely in a spreadsheet
    assert rows[2]["Nom officiel"] == "'=HYPERLINK(\"x\")"
    assert rows[1]["Nom officiel"] == "Musée X"  # the source's own encoding, accents intact

    entry = log(fresh_store).iloc[-1]
    assert entry["file_name"] == "register.csv"
    assert entry["mapping_file"] == "register.yaml"
    assert entry["mapping_sha256"] == hashlib.sha256(mapping.read_bytes()).hexdigest()
    assert (entry["rows_read"], entry["rows_written"], entry["rows_quarantined"],
            entry["rows_left_out"]) == (6, 2, 3, 1)


def test_fixed_rejects_file_imports_through_the_same_mapping(tmp_path, fresh_store):
    data, mapping = files(tmp_path)
    rejects = tmp_path / "rejects.csv"
    import_partial(data, "institutions", mapping=mapping, store=fresh_store, rejects_path=rejects)
    # the steward fixes the three rows in a spreadsheet, keeping _row and _reasons
    text = rejects.read_bytes().decode("cp1252")
    text = (text.replace("M0101;;Lyon", "M0101;Musée des Beaux-Arts;Lyon")
                .replace("Atlantide", "France")
                .replace("'=HYPERLINK(\"\"x\"\")", "Musée Rodin")
                .replace("\"'=HYPERLINK(\"\"x\"\")\"", "Musée Rodin"))
    rejects.write_bytes(text.encode("cp1252"))
    again = tmp_path / "rejects-2.csv"
    rc = main(["import", str(rejects), "--table", "institutions", "--mapping", str(mapping),
               "--store", str(fresh_store), "--quarantine", str(again)])
    assert rc == 0
    assert read_rejects(again) == []
    assert ids(fresh_store) == ["qa-m0101", "qa-m0202", "qa-m0303", "qa-m0404", "qa-m5055"]
    con = duckdb.connect(str(fresh_store), read_only=True)
    assert con.execute("SELECT name FROM institutions WHERE id = 'qa-m0404'").fetchone()[0] \
        == "Musée Rodin"
    con.close()
    entry = log(fresh_store).iloc[-1]
    assert (entry["file_name"], entry["rows_read"], entry["rows_written"],
            entry["rows_quarantined"]) == ("rejects.csv", 3, 3, 0)


def test_rejects_file_also_imports_all_or_nothing_once_fixed(tmp_path, fresh_store):
    data, mapping = files(tmp_path)
    rejects = tmp_path / "rejects.csv"
    out = import_partial(data, "institutions", mapping=mapping, store=fresh_store,
                         rejects_path=rejects)
    fixed = out.rejects.drop(index=[1, 2])  # keep only row 3, fixed
    fixed.loc[0, "Nom officiel"] = "Musée des Beaux-Arts"
    fixed_path = tmp_path / "fixed.csv"
    fixed_path.write_bytes(fixed.to_csv(index=False, sep=";").encode("cp1252"))
    rc = main(["import", str(fixed_path), "--table", "institutions", "--mapping", str(mapping),
               "--store", str(fresh_store)])
    assert rc == 0
    assert "qa-m0101" in ids(fresh_store)


def test_ids_already_in_the_store_are_set_aside(tmp_path, fresh_store):
    data, mapping = files(tmp_path)
    import_partial(data, "institutions", mapping=mapping, store=fresh_store)
    # The same rows again (a different file, so not refused as a whole): both clean rows clash.
    data2 = tmp_path / "register-again.csv"
    data2.write_bytes(REGISTER.replace("M0101;;", "M0101;Nouveau;").encode("cp1252"))
    out = import_partial(data2, "institutions", mapping=mapping, store=fresh_store)
    assert out.rows_written == 1  # only M0101, now named
    reasons = dict(zip(out.rejects["Identifiant"], out.rejects["_reasons"]))
    assert reasons["M5055"] == ("column 'id', value 'qa-m5055': id already in the store: this "
                                "row was imported before, or its id is taken")
    assert set(reasons) == {"M5055", "M0303", "M0202", "M0404"}


def test_whole_file_problem_refuses_everything_and_writes_no_rejects(tmp_path, fresh_store,
                                                                     capsys):
    data = tmp_path / "no-name.csv"
    data.write_text("id,city,country\nqa-a,Paris,France\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    rc = main(["import", str(data), "--table", "institutions", "--store", str(fresh_store),
               "--quarantine", str(rejects)])
    assert rc == 1
    assert "required column is missing" in capsys.readouterr().err
    assert not rejects.exists()
    assert ids(fresh_store) == []


def test_every_row_refused_writes_nothing_and_exits_1(tmp_path, fresh_store, capsys):
    data = tmp_path / "bad.csv"
    data.write_text("id,name,country\nQA A,A,France\nqa-b,B,Atlantis\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    rc = main(["import", str(data), "--table", "institutions", "--store", str(fresh_store),
               "--quarantine", str(rejects)])
    assert rc == 1
    assert "imported 0 of 2 rows" in capsys.readouterr().out
    got = pd.read_csv(rejects, dtype=str, encoding="utf-8-sig")
    assert list(got["_row"]) == ["2", "3"]
    assert len(log(fresh_store)) == 0


def test_rejects_path_must_be_csv_and_not_the_input(tmp_path, fresh_store, capsys):
    data, mapping = files(tmp_path)
    for target, rule in ((tmp_path / "r.xlsx", "name it .csv"), (data, "would overwrite")):
        rc = main(["import", str(data), "--table", "institutions", "--mapping", str(mapping),
                   "--store", str(fresh_store), "--quarantine", str(target)])
        assert rc == 1
        assert rule in capsys.readouterr().err
    assert data.read_bytes() == REGISTER.encode("cp1252")


def test_dangling_reference_after_a_refused_row_is_refused_too(tmp_path, fresh_store):
    # Objects point at an institution of the store; a refused institution cannot be pointed at.
    data = tmp_path / "objects.csv"
    data.write_text("id,institution_id,title\nqa-o1,no-such-museum,Bowl\nqa-o2,,Vase\n",
                    encoding="utf-8")
    out = import_partial(data, "objects", store=fresh_store)
    assert out.rows_written == 0
    assert list(out.rejects["_row"]) == [2, 3]
    assert "unknown institution id" in out.rejects["_reasons"][0]


def test_upload_path_returns_rejects_for_download(fresh_store):
    data = "id,name,city,country\nqa-up,Upload Museum,Kyoto,Japan\nqa-bad,,Kyoto,Japan\n"
    out = import_partial_bytes(data.encode("utf-8"), "upload.csv", "institutions",
                               store=fresh_store)
    assert out.rows_written == 1 and out.rows_read == 2
    got = pd.read_csv(io.BytesIO(out.rejects_csv), dtype=str, encoding="utf-8-sig")
    assert list(got.columns) == ["id", "name", "city", "country", "_row", "_reasons"]
    assert list(got["id"]) == ["qa-bad"]
    assert ids(fresh_store) == ["qa-up"]
