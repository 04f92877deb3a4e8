"""Mapping transforms (docs/mapping.md, "Transforms"): each operation on a small hand-made file,
the order they run in, and a clear message (file, key, value, rule) for every mistake."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data.errors import InputError
from asemus_data.mapping import load_mapping, read_with_mapping
from asemus_data.transforms import normalise_set, slugify
from asemus_data.validate import validate_frame

# A register of museums as a ministry publishes it: ids in capitals, a nameless museum, a
# list-valued domains column, a closed museum.
REGISTER = (
    "Identifiant;Nom officiel;Ville;Pays;Domaines;Statut\n"
    "M5055;Musée Guimet;Paris;France;Asie;Beaux-Arts;ouvert\n"
    "M0101;;Lyon;France;Archéologie;ouvert\n"
    "M0202;Musée des Confluences;Lyon;France;Archéologie; asie ;Sciences;ouvert\n"
    "M0303;Musée fermé;Nice;France;;fermé\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path, mapping: str, data: str = REGISTER, name: str = "register.csv"):
    # The register uses ';' inside the Domaines cells, so it is written with quotes here.
    return read_with_mapping(write(tmp_path / name, data), write(tmp_path / "m.yaml", mapping))


REGISTER_QUOTED = (
    "Identifiant,Nom officiel,Ville,Pays,Domaines,Statut\n"
    "M5055,Musée Guimet,Paris,France,Asie;Beaux-Arts,ouvert\n"
    "M0101,,Lyon,France,Archéologie,ouvert\n"
    "M0202,Musée des Confluences,Lyon,France,Archéologie; asie ;Sciences,ouvert\n"
    "M0303,Musée fermé,Nice,France,,fermé\n"
)

BASE = """\
table: institutions
columns:
  Identifiant: id
  Nom officiel: name
  Ville: city
  Pays: country
"""


def test_lowercase_and_prefix_make_register_ids_valid(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n  - {lowercase: id}\n  - {prefix: id, text: fr-}\n",
                REGISTER_QUOTED)
    assert list(df["id"]) == ["fr-m5055", "fr-m0101", "fr-m0202", "fr-m0303"]
    # The same file without the transforms is refused: 'M5055' is not a valid id.
    plain, _ = run(tmp_path, BASE, REGISTER_QUOTED)
    assert any(i.column == "id" and i.value == "M5055"
               for i in validate_frame(plain, "institutions").errors)
    assert not [i for i in validate_frame(df, "institutions").errors if i.column == "id"]


def test_slug_keeps_dots_and_drops_accents():
    assert slugify("Musée d'Ennery / Paris") == "musee-d-ennery-paris"
    assert slugify("1999.1234") == "1999.1234"
    assert slugify("  ---  ") == ""


def test_slug_on_several_columns_and_empty_result_is_empty(tmp_path):
    data = "a,b\nÉcole Française,X Y\n!!!,\n"
    df, _ = run(tmp_path, "transforms:\n  - {slug: [a, b]}\n", data, "x.csv")
    assert list(df["a"]) == ["ecole-francaise", None]
    assert list(df["b"]) == ["x-y", None]


def test_default_fills_only_empty_cells(tmp_path):
    df, _ = run(tmp_path, BASE + "na_values: ['(sans nom)']\ntransforms:\n"
                "  - {default: name, value: Musée sans nom}\n",
                REGISTER_QUOTED.replace("M0303,Musée fermé", "M0303,(sans nom)"))
    assert list(df["name"]) == ["Musée Guimet", "Musée sans nom", "Musée des Confluences",
                                "Musée sans nom"]


def test_default_from_another_column_even_unmapped(tmp_path):
    # 'Statut' is not listed in columns; a transform may still read it from the file.
    df, _ = run(tmp_path, BASE + "transforms:\n  - {default: name, from: Statut}\n",
                REGISTER_QUOTED)
    assert df["name"][1] == "ouvert"
    assert "Statut" not in df.columns


def test_join_skips_empty_parts(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n  - {join: [city, country], into: place, "
                "sep: ', '}\n", REGISTER_QUOTED.replace("Nice,France", "Nice,"))
    assert list(df["place"]) == ["Paris, France", "Lyon, France", "Lyon, France", "Nice"]
    assert df.attrs["source_columns"]["place"].startswith("(join of city, country")


def test_split_first_and_last_item(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n"
                "  - {first: Domaines, sep: ';', into: main}\n"
                "  - {split: Domaines, sep: ';', item: 2, into: second}\n"
                "  - {split: Domaines, sep: ';', item: -1, into: last}\n", REGISTER_QUOTED)
    assert list(df["main"]) == ["Asie", "Archéologie", "Archéologie", None]
    assert list(df["second"]) == ["Beaux-Arts", None, "asie", None]
    assert list(df["last"]) == ["Beaux-Arts", "Archéologie", "Sciences", None]


def test_split_in_place_without_into(tmp_path):
    df, _ = run(tmp_path, "transforms:\n  - {split: city, sep: ' ', item: 1}\n",
                "city\nSaint Denis\n", "x.csv")
    assert list(df["city"]) == ["Saint"]


def test_list_to_boolean_keeps_unknown_unknown(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n  - {has: Domaines, value: Asie, "
                "into: asian}\n", REGISTER_QUOTED)
    # case and spaces ignored (' asie '); an empty list is unknown, not "no"
    assert list(df["asian"]) == ["true", "false", "true", None]


def test_has_any_of_several_values(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n  - {has: Domaines, value: [Sciences, "
                "Beaux-Arts], into: x}\n", REGISTER_QUOTED)
    assert list(df["x"]) == ["true", "false", "true", None]


def test_list_to_set_is_normalised():
    assert normalise_set(" Beaux-Arts ;Asie;; asie;Archéologie") == "Archéologie;Asie;Beaux-Arts"
    assert normalise_set(" ; ") is None
    assert normalise_set("a | b|a", "|") == "a;b"


def test_set_column_from_file(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n  - {set: Domaines, into: domains}\n",
                REGISTER_QUOTED)
    assert list(df["domains"]) == ["Asie;Beaux-Arts", "Archéologie", "Archéologie;asie;Sciences",
                                   None]


@pytest.mark.parametrize("condition, kept", [
    ("{keep: {column: Statut, equals: OUVERT}}", ["M5055", "M0101", "M0202"]),
    ("{drop: {column: Statut, equals: fermé}}", ["M5055", "M0101", "M0202"]),
    ("{keep: {column: city, in: [paris, nice]}}", ["M5055", "M0303"]),
    ("{drop: {column: name, empty: true}}", ["M5055", "M0202", "M0303"]),
    ("{keep: {column: name, not_empty: true}}", ["M5055", "M0202", "M0303"]),
    ("{keep: {column: Domaines, contains: ASIE}}", ["M5055", "M0202"]),
    ("{keep: {column: id, matches: 'M0[12]0[12]'}}", ["M0101", "M0202"]),
    ("{drop: {column: id, matches: 'M0'}}", ["M5055", "M0101", "M0202", "M0303"]),  # whole cell
])
def test_keep_and_drop_rows(tmp_path, condition, kept):
    df, _ = run(tmp_path, BASE + f"transforms:\n  - {condition}\n", REGISTER_QUOTED)
    assert list(df["id"]) == kept
    # Every kept row still knows its row in the file, and the left-out rows are listed.
    all_rows = {"M5055": 2, "M0101": 3, "M0202": 4, "M0303": 5}
    assert df.attrs["source_rows"] == [all_rows[i] for i in kept]
    left_out = sorted(set(all_rows.values()) - set(df.attrs["source_rows"]))
    assert df.attrs.get("left_out_rows", []) == left_out


def test_validation_messages_point_at_file_rows_after_a_drop(tmp_path):
    df, _ = run(tmp_path, BASE + "transforms:\n  - {drop: {column: Statut, equals: ouvert}}\n",
                REGISTER_QUOTED.replace("M0303", "BAD ID"))
    v = validate_frame(df, "institutions")
    assert [(i.row, i.value) for i in v.errors if i.column == "id"] == [(5, "BAD ID")]


def test_transforms_run_in_order_before_values_and_constants(tmp_path):
    # Order: columns, na_values, transforms (as listed), values, constants.
    mapping = (BASE + "na_values: ['?']\n"
               "values:\n  main: {asie: asia}\n"
               "constants: {source: register}\n"
               "transforms:\n"
               "  - {first: Domaines, sep: ';', into: main}\n"
               "  - {default: main, value: none given}\n"
               "  - {prefix: main, text: 'x-'}\n"
               "  - {lowercase: main}\n")
    df, _ = run(tmp_path, mapping, REGISTER_QUOTED.replace("M0303,Musée fermé,Nice,France,,",
                                                           "M0303,Musée fermé,Nice,France,?,"))
    # prefix then lowercase: "x-asie", recoded afterwards by values? no: values match whole cells
    assert list(df["main"]) == ["x-asie", "x-archéologie", "x-archéologie", "x-none given"]
    assert set(df["source"]) == {"register"}
    df2, _ = run(tmp_path, BASE + "values:\n  main: {asie: asia}\ntransforms:\n"
                 "  - {first: Domaines, sep: ';', into: main}\n", REGISTER_QUOTED)
    assert list(df2["main"]) == ["asia", "Archéologie", "Archéologie", None]


def test_toml_transforms(tmp_path):
    mapping = write(tmp_path / "m.toml", (
        'table = "institutions"\n[columns]\nIdentifiant = "id"\n"Nom officiel" = "name"\n'
        '[[transforms]]\nslug = "id"\n'
        '[[transforms]]\nprefix = "id"\ntext = "fr-"\n'
        '[[transforms]]\ndrop = {column = "name", empty = true}\n'))
    df, m = read_with_mapping(write(tmp_path / "r.csv", REGISTER_QUOTED), mapping)
    assert [s.op for s in m.transforms] == ["slug", "prefix", "drop"]
    assert list(df["id"]) == ["fr-m5055", "fr-m0202", "fr-m0303"]


# --------------------------------------------------------------------------------------------
# Mistakes in the mapping: file, key, value and rule


@pytest.mark.parametrize("step, key, value, rule", [
    ("{lowercse: id}", "transforms[1]", "{'lowercse': 'id'}",
     "a step needs exactly one operation (did you mean 'lowercase'?)"),
    ("{prefix: id}", "transforms[1].text", None, "'prefix' needs 'text'"),
    ("{prefix: id, txt: a, text: b}", "transforms[1].txt", "txt",
     "unknown option 'txt' for 'prefix' (did you mean 'text'?)"),
    ("{split: a, sep: ';', item: zero}", "transforms[1].item", "zero", "'item' must be a whole"),
    ("{split: a, sep: ';', item: 0}", "transforms[1].item", "0", "'item' must be a whole"),
    ("{keep: {column: a, equal: x}}", "transforms[1].keep.equal", "equal",
     "unknown condition 'equal' (did you mean 'equals'?)"),
    ("{keep: {equals: x}}", "transforms[1].keep.column", None, "the condition needs 'column'"),
    ("{keep: {column: a, equals: x, contains: y}}", "transforms[1].keep", "equals, contains",
     "the condition needs exactly one of"),
    ("{keep: {column: a, matches: '('}}", "transforms[1].keep.matches", "(",
     "not a valid regular expression"),
    ("{drop: {column: a, empty: yes}}", "transforms[1].drop.empty", "yes", "write 'empty: true'"),
    ("{keep: {column: a, in: x}}", "transforms[1].keep.in", "x", "'in' takes a list"),
    ("{default: a}", "transforms[1].value", None, "'default' needs either 'value'"),
    ("{default: a, value: x, from: b}", "transforms[1].value", None,
     "'default' needs either 'value'"),
    ("{lowercase: id, slug: id}", "transforms[1]", "{'lowercase': 'id', 'slug': 'id'}",
     "a step holds one operation, not 2"),
    ("lowercase", "transforms[1]", "lowercase", "every step must be a table"),
    ("{join: [], into: x}", "transforms[1].join", "[]", "'join' takes a list of column names"),
    ("{join: [a, b]}", "transforms[1].into", None, "'join' needs 'into'"),
    ("{has: a, into: b}", "transforms[1].value", None, "'has' needs 'value'"),
    ("{first: {a: b}, sep: ';'}", "transforms[1].first", "{'a': 'b'}",
     "'first' takes a column name"),
])
def test_mapping_mistakes_are_named(tmp_path, step, key, value, rule):
    path = write(tmp_path / "m.yaml", f"transforms:\n  - {step}\n")
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    issue = exc.value.issues[0]
    assert (issue.file, issue.column, issue.value) == (str(path), key, value)
    assert issue.rule.startswith(rule), issue.rule


def test_transforms_must_be_a_list(tmp_path):
    path = write(tmp_path / "m.yaml", "transforms: {lowercase: id}\n")
    with pytest.raises(InputError) as exc:
        load_mapping(path)
    assert exc.value.issues[0].rule.startswith("'transforms' must be a list of steps")


def test_unknown_column_names_file_step_and_columns(tmp_path):
    with pytest.raises(InputError) as exc:
        run(tmp_path, BASE + "transforms:\n  - {lowercase: id}\n  - {prefix: Identifiant_x, "
            "text: a}\n", REGISTER_QUOTED)
    issue = exc.value.issues[0]
    assert (issue.file, issue.column, issue.value) == ("register.csv", "Identifiant_x",
                                                       "Identifiant_x")
    assert issue.rule.startswith("mapping m.yaml, transforms step 2 (prefix), names column "
                                 "'Identifiant_x', which is neither")
    assert "columns after mapping: id, name, city, country" in issue.rule


def test_semicolon_file_with_list_cells_needs_quotes_or_another_separator(tmp_path):
    # A ';'-delimited file cannot hold ';'-lists unquoted: the reader refuses the ragged row
    # rather than shifting cells, so a list separator other than the delimiter is the fix.
    with pytest.raises(InputError):
        run(tmp_path, BASE + "read: {delimiter: ';'}\n", REGISTER)
    df, _ = run(tmp_path, BASE + "read: {delimiter: ';'}\ntransforms:\n"
                "  - {set: Domaines, sep: '|', into: domains}\n",
                "Identifiant;Nom officiel;Ville;Pays;Domaines\nM1;A;Paris;France;Asie|Art\n")
    assert list(df["domains"]) == ["Art;Asie"]


def test_documented_register_example_gives_the_documented_result(tmp_path):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "mapping.md").read_text(encoding="utf-8")
    part = doc.split("### Example: a national register of museums (YAML)")[1]
    data = part.split("```text\n")[1].split("```")[0]
    mapping = part.split("```yaml\n")[1].split("```")[0]
    df, _ = run(tmp_path, mapping, data)
    assert list(df["id"]) == ["fr-m5055", "fr-m0101"]
    assert list(df["name"]) == ["Musée Guimet", "Musée sans nom"]
    assert list(df["asian_collections"]) == ["true", "false"]
    assert list(df["domains"]) == ["Asie;Beaux-Arts", "Archéologie"]
    assert df.attrs["left_out_rows"] == [4]


def test_every_operation_and_condition_is_documented():
    from asemus_data.transforms import CONDITIONS, OPERATIONS
    doc = (Path(__file__).resolve().parents[1] / "docs" / "mapping.md").read_text(encoding="utf-8")
    section = doc.split("## Transforms")[1].split("\n## ")[0]
    for name in (*OPERATIONS, *CONDITIONS):
        assert f"`{name}" in section, name
    for options in OPERATIONS.values():
        for option in (*options[0], *options[1]):
            assert f"`{option}`" in section, option


def test_keep_that_leaves_no_row_says_so(tmp_path):
    with pytest.raises(InputError) as exc:
        run(tmp_path, BASE + "transforms:\n  - {keep: {column: Statut, equals: fermée}}\n",
            REGISTER_QUOTED)
    assert str(exc.value.issues[0]) == ("register.csv: the keep/drop steps of mapping m.yaml left "
                                        "out every row (all 4); check their conditions")
