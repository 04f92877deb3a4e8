"""Tests for asemus_data.mapping: loading YAML/TOML mapping files and applying them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from asemus_data.errors import InputError  # noqa: E402
from asemus_data.mapping import Mapping, apply_mapping, load_mapping, read_with_mapping, resolve_table  # noqa: E402
from asemus_data.readers import read_file  # noqa: E402

GERMAN_EXPORT = (
    "Inventarnummer;Titel;Datierung;Herkunft;Kategorie;Bemerkung\r\n"
    "1999.1234;Schale mit Drachen;Qing-Dynastie;China;Keramik;-\r\n"
    "2001.7;Kimono;9/12/1975;Japan;textil ;k.A.\r\n"
    "2003.9;Unbekanntes Objekt;unbekannt;999;Lack;\r\n"
)

YAML_MAPPING = """\
table: objects
columns:
  Inventarnummer: id
  Titel: title
  Datierung: date_text
  Herkunft: origin_country
  kategorie: category          # matched case-insensitively
values:
  category: {Keramik: ceramics, Textil: textiles}
na_values: ["-", "k.A.", "n/a", "unbekannt", "999"]
constants:
  institution_id: weltmuseum-wien
  source: "Open-access export 2026-10"
  status: imported
dates:
  dayfirst: true
read:
  encoding: cp1252
  delimiter: ";"
"""

TOML_MAPPING = """\
table = "visitor_stats"
na_values = ["k.A.", "-"]

[columns]
"Einrichtung" = "institution_name"
"Jahr" = "year"
"Besuche gesamt" = "visitors"

[values.institution_name]
"Nationalmuseum" = "National Museum of Korea"

[constants]
country = "KOR"
source = "Ministry of Culture, annual statistics 2019"
status = "imported"

[read]
delimiter = "\\t"
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def only_issue(exc_info):
    issues = exc_info.value.issues
    assert len(issues) == 1, issues
    return issues[0]


# --------------------------------------------------------------------------------------------
# Loading


def test_load_yaml(tmp_path):
    m = load_mapping(write(tmp_path / "wien.yaml", YAML_MAPPING))
    assert m.table == "objects"
    assert m.columns["Inventarnummer"] == "id"
    assert m.values == {"category": {"Keramik": "ceramics", "Textil": "textiles"}}
    assert m.na_values == ["-", "k.A.", "n/a", "unbekannt", "999"]
    assert m.constants["institution_id"] == "weltmuseum-wien"
    assert m.dayfirst is True
    assert m.read == {"encoding": "cp1252", "delimiter": ";"}
    assert m.drop_unmapped is True  # default when columns is given


def test_yaml_keeps_codes_as_text(tmp_path):
    # YAML 1.1 would read NO as false, 007 as 7 and 2026-10-01 as a date.
    m = load_mapping(write(tmp_path / "m.yml", (
        "columns: {Land: country, 2019: visitors}\n"
        "values:\n  country: {NO: Norway, on: Ontario}\n"
        "na_values: [999, 007, -]\n"
        "constants: {source: 2026-10-01, year: 2019}\n")))
    assert m.columns == {"Land": "country", "2019": "visitors"}
    assert m.values["country"] == {"NO": "Norway", "on": "Ontario"}
    assert m.na_values == ["999", "007", "-"]
    assert m.constants == {"source": "2026-10-01", "year": "2019"}


def test_load_toml(tmp_path):
    m = load_mapping(write(tmp_path / "ministry.toml", TOML_MAPPING))
    assert m.table == "visitor_stats"
    assert m.columns == {"Einrichtung": "institution_name", "Jahr": "year",
                         "Besuche gesamt": "visitors"}
    assert m.read == {"delimiter": "\t"}
    assert m.dayfirst is False


def test_unknown_keys_are_named(tmp_path):
    path = write(tmp_path / "m.yaml", "colums: {a: b}\nna_values: []\nread: {encodng: utf-8}\n")
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    issues = exc.value.issues
    assert [(i.file, i.column, i.value) for i in issues] == [
        (str(path), "colums", "colums"), (str(path), "read.encodng", "encodng")]
    assert issues[0].rule.startswith("unknown key 'colums' (did you mean 'columns'?); "
                                     "allowed keys are: table, columns,")
    assert issues[1].rule.startswith("unknown key 'encodng' in 'read' (did you mean 'encoding'?)")


def test_wrong_types(tmp_path):
    path = write(tmp_path / "m.yaml", (
        "columns: [Titel, title]\n"
        "na_values: '-'\n"
        "dates: {dayfirst: yes}\n"
        "read: {encoding: klingon}\n"
        "drop_unmapped: maybe\n"))
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    got = {i.column: (i.value, i.rule) for i in exc.value.issues}
    assert got["columns"] == ("['Titel', 'title']",
                              "'columns' must be a table of source column -> target column")
    assert got["na_values"][1].startswith("'na_values' must be a list")
    assert got["dates.dayfirst"] == ("yes", "'dayfirst' must be true or false")
    assert got["read.encoding"] == ("klingon",
                                    "unknown encoding; use e.g. utf-8, cp1252 or latin-1")
    assert got["drop_unmapped"] == ("maybe", "'drop_unmapped' must be true or false")


def test_two_sources_for_one_target(tmp_path):
    path = write(tmp_path / "m.yaml", "columns: {Titel: title, Name: title}\n")
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    issue = only_issue(exc)
    assert (issue.column, issue.value) == ("columns", "title")
    assert issue.rule == "two source columns map to 'title': 'Titel' and 'Name'; map only one"


@pytest.mark.parametrize("name,text,row,start", [
    ("m.yaml", "columns:\n  Titel: title\n   Jahr: year\n", 3, "not valid YAML"),
    ("m.yaml", "columns:\n  Titel: title\n  Titel: name\n", 3, "not valid YAML: duplicate key"),
    ("m.toml", "[columns]\nTitel = title\n", 2, "not valid TOML: Invalid value"),
])
def test_unreadable_mapping_names_the_line(tmp_path, name, text, row, start):
    path = write(tmp_path / name, text)
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    issue = only_issue(exc)
    assert issue.file == str(path)
    assert issue.row == row
    assert issue.rule.startswith(start)


@pytest.mark.parametrize("name,text,rule", [
    ("m.yaml", "", "the mapping file is empty"),
    ("m.yaml", "- a\n- b\n", "a mapping file must hold keys such as 'columns' and 'values' at "
                             "the top level"),
    ("m.json", "{}", "a mapping file must be YAML (.yaml, .yml) or TOML (.toml)"),
])
def test_empty_or_wrong_shape(tmp_path, name, text, rule):
    with pytest.raises(InputError) as exc:
        load_mapping(write(tmp_path / name, text))
    assert only_issue(exc).rule == rule


# --------------------------------------------------------------------------------------------
# Applying


def test_german_export_with_yaml_mapping(tmp_path):
    data = write(tmp_path / "export.csv", GERMAN_EXPORT, "cp1252")
    mapping = write(tmp_path / "wien.yaml", YAML_MAPPING)
    df, m = read_with_mapping(data, mapping)
    assert m.table == "objects"
    assert list(df.columns) == ["id", "title", "date_text", "origin_country", "category",
                                "institution_id", "source", "status"]
    assert df.to_dict("records")[1] == {
        "id": "2001.7", "title": "Kimono", "date_text": "9/12/1975", "origin_country": "Japan",
        "category": "textiles", "institution_id": "weltmuseum-wien",
        "source": "Open-access export 2026-10", "status": "imported"}
    assert df.loc[0, "category"] == "ceramics"
    assert df.loc[2, "category"] == "Lack"  # unlisted values are left for validation to judge
    assert df.loc[2, "date_text"] is None and df.loc[2, "origin_country"] is None  # na_values
    assert df.attrs["source_rows"] == [2, 3, 4]
    assert df.attrs["file"] == "export.csv"
    assert df.attrs["dayfirst"] is True
    assert df.attrs["source_columns"]["id"] == "Inventarnummer"
    assert df.attrs["source_columns"]["category"] == "Kategorie"


def test_visitor_statistics_with_toml_mapping(tmp_path):
    data = write(tmp_path / "stats.tsv", (
        "Einrichtung\tJahr\tBesuche gesamt\tFußnote\n"
        "Nationalmuseum\t2019\t3378000\t\n"
        "Gyeongju Museum\t2019\tk.A.\tgeschlossen\n"))
    df, _ = read_with_mapping(data, write(tmp_path / "ministry.toml", TOML_MAPPING),
                              display_name="Besucher 2019.tsv")
    assert df.to_dict("records") == [
        {"institution_name": "National Museum of Korea", "year": "2019", "visitors": "3378000",
         "country": "KOR", "source": "Ministry of Culture, annual statistics 2019",
         "status": "imported"},
        {"institution_name": "Gyeongju Museum", "year": "2019", "visitors": None,
         "country": "KOR", "source": "Ministry of Culture, annual statistics 2019",
         "status": "imported"},
    ]
    assert df.attrs["file"] == "Besucher 2019.tsv"


def test_mapping_reads_the_named_excel_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Hinweise"
    wb.active.append(["Bitte nicht ändern"])
    ws = wb.create_sheet("Objekte")
    ws.append(["Inventarnummer", "Titel"])
    ws.append(["1999.1", "Schale"])
    wb.save(tmp_path / "export.xlsx")
    mapping = write(tmp_path / "m.yaml", "columns: {Inventarnummer: id, Titel: title}\n"
                                         "read: {sheet: Objekte, delimiter: ';'}\n")
    df, _ = read_with_mapping(tmp_path / "export.xlsx", mapping)
    assert df.to_dict("records") == [{"id": "1999.1", "title": "Schale"}]


def test_header_matching_exact_then_loose():
    df = read_frame({" Besuche  Gesamt": ["1"], "besuchegesamt": ["2"], "Jahr": ["2019"]})
    assert apply_mapping(df, Mapping(columns={"besuchegesamt": "v"}))["v"].tolist() == ["2"]
    with pytest.raises(InputError) as exc:
        apply_mapping(df, Mapping(columns={"BESUCHE GESAMT": "v"}))
    issue = only_issue(exc)
    assert issue.column == "BESUCHE GESAMT"
    assert "matches both ' Besuche  Gesamt' and 'besuchegesamt'" in issue.rule
    assert apply_mapping(df, Mapping(columns={"JAHR": "year"}))["year"].tolist() == ["2019"]


def test_unicode_normal_forms_match():
    decomposed = "Fu\u0308nf"  # "Fünf" as macOS writes it
    df = read_frame({decomposed: ["x"]})
    assert apply_mapping(df, Mapping(columns={"Fünf": "five"}))["five"].tolist() == ["x"]


def test_missing_source_column(tmp_path):
    data = write(tmp_path / "export.csv", "Inventarnummer;Titel\n1;Schale\n")
    mapping = write(tmp_path / "wien.yaml", "columns: {Inventarnumer: id, Titel: title}\n")
    with pytest.raises(InputError) as exc:
        read_with_mapping(data, mapping)
    issue = only_issue(exc)
    assert issue.file == "export.csv"
    assert issue.column == "Inventarnumer"
    assert issue.value == "Inventarnumer"
    assert issue.rule == ("mapping wien.yaml names column 'Inventarnumer', which is not in the "
                          "file (did you mean 'Inventarnummer'?); the file's columns are: "
                          "Inventarnummer, Titel")


def test_keep_unmapped_columns_and_name_clash():
    df = read_frame({"Titel": ["a"], "Notiz": ["n"], "title": ["b"]})
    kept = apply_mapping(df, Mapping(columns={"Notiz": "notes"}, drop_unmapped=False))
    assert list(kept.columns) == ["Titel", "notes", "title"]
    with pytest.raises(InputError) as exc:
        apply_mapping(df, Mapping(columns={"Titel": "title"}, drop_unmapped=False))
    issue = only_issue(exc)
    assert (issue.file, issue.column, issue.value) == ("test.csv", "title", "title")
    assert issue.rule.startswith("two columns would both be called 'title' after mapping")


def test_values_for_a_column_the_result_lacks():
    df = read_frame({"Kategorie": ["Keramik"]})
    mapping = Mapping(columns={"Kategorie": "category"}, values={"Kategorie": {"Keramik": "c"}})
    with pytest.raises(InputError) as exc:
        apply_mapping(df, mapping)
    issue = only_issue(exc)
    assert (issue.column, issue.value) == ("Kategorie", "Kategorie")
    assert "'values' are keyed by target column, so use 'category'" in issue.rule


def test_constant_does_not_overwrite_data():
    df = read_frame({"source": ["a citation", None], "x": ["1", "2"]})
    with pytest.raises(InputError) as exc:
        apply_mapping(df, Mapping(constants={"source": "mine"}))
    issue = only_issue(exc)
    assert (issue.row, issue.column, issue.value) == (2, "source", "a citation")
    assert issue.rule == ("the mapping sets constant 'source' = 'mine', but the file's column "
                          "'source' already holds other values; remove the constant or the column")
    empty = read_frame({"source": [None, None]})
    assert apply_mapping(empty, Mapping(constants={"source": "mine"}))["source"].tolist() == [
        "mine", "mine"]


def test_same_column_mapped_twice():
    df = read_frame({"Titel": ["a"]})
    with pytest.raises(InputError) as exc:
        apply_mapping(df, Mapping(columns={"Titel": "title", "titel": "name"}))
    issue = only_issue(exc)
    assert (issue.column, issue.value) == ("Titel", "titel")
    assert issue.rule == "the mapping maps column 'Titel' twice (as 'Titel' and 'titel'); keep one"


def test_none_mapping_returns_a_copy():
    df = read_frame({"a": ["1"]})
    out = apply_mapping(df, None)
    assert out is not df and out.equals(df) and out.attrs == df.attrs


def test_values_map_to_empty_and_match_case_insensitively():
    df = read_frame({"c": [" KERAMIK ", "Unbekannt", "Textil", None]})
    m = Mapping(values={"c": {"keramik": "ceramics", "unbekannt": None}})
    assert apply_mapping(df, m)["c"].tolist() == ["ceramics", None, "Textil", None]


def test_resolve_table():
    m = Mapping(table="objects", path="m.yaml")
    assert resolve_table(m, None) == "objects"
    assert resolve_table(None, "objects") == "objects"
    with pytest.raises(InputError) as exc:
        resolve_table(m, "collections")
    issue = only_issue(exc)
    assert (issue.file, issue.column, issue.value) == ("m.yaml", "table", "objects")


def test_the_importer_refuses_a_mapping_written_for_another_table(tmp_path):
    from asemus_data.importer import check_file  # the importer's own path, as the CLI calls it
    mapping = write(tmp_path / "objects.yaml", "table: objects\ncolumns: {Name: name}\n")
    data = write(tmp_path / "museums.csv", "Name\nMusee Guimet\n")
    with pytest.raises(InputError) as exc:
        check_file(data, "institutions", mapping=mapping)
    issue = only_issue(exc)
    assert (issue.column, issue.value) == ("table", "objects")
    assert "'objects'" in issue.rule and "'institutions'" in issue.rule


def read_frame(columns: dict) -> pd.DataFrame:
    """A frame shaped like read_file's output, without a file."""
    df = pd.DataFrame(columns, dtype=object)
    df.attrs.update(file="test.csv", source_rows=list(range(2, len(df) + 2)))
    return df


def test_read_frame_matches_read_file(tmp_path):
    real = read_file(write(tmp_path / "test.csv", "a\n1\n"))
    assert real.attrs["source_rows"] == read_frame({"a": ["1"]}).attrs["source_rows"]
