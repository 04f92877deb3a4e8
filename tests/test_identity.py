"""Identity rules on small hand-made files: an identifier match merges (only empty fields filled,
nothing overwritten), a likely name + city match is held for review (CLI review CSV, decisions
applied), the rest are new; visitor statistics and objects refer to institutions by any of their
identifiers; references that lead nowhere are reported."""
from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import identity  # noqa: E402
from asemus_data.cli import main  # noqa: E402
from asemus_data.errors import InputError  # noqa: E402
from asemus_data.importer import import_file  # noqa: E402

# A register: R1 is new; R2 is the documented musée du quai Branly under its register name; R3 is
# new too but shares a city with documented institutions.
REGISTER = """ref;nom;ville;site;domaines
R1;Musée des Tests;Lyon;www.tests.example;Asie;Beaux-arts
R2;musée du Quai Branly - Jacques Chirac;Paris;www.quaibranly.fr;Asie;Océanie
R3;Musée de la Serrure;Paris;;Technique
"""
MAPPING = """table: institutions
columns:
  ref: identifier_museofile
  nom: name
  ville: city
  site: website
transforms:
  - {join: [ref], into: id}
  - {lowercase: id}
  - {prefix: id, text: reg-}
  - {has: domaines, value: Asie, into: asian_collections}
values:
  asian_collections: {"true": "yes", "false": "no"}
constants:
  country: France
  source: hand-made register
  status: imported
read:
  delimiter: ";"
"""


def _register(tmp_path: Path, text: str = REGISTER, name: str = "register.csv") -> tuple[Path, Path]:
    data, mapping = tmp_path / name, tmp_path / "register.yaml"
    # the domains cell holds ';': quote it as a real export does
    lines = text.strip().split("\n")
    out = [lines[0]] + [";".join(r.split(";")[:4]) + ';"' + ";".join(r.split(";")[4:]) + '"'
                        for r in lines[1:]]
    data.write_text("\n".join(out) + "\n", encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    return data, mapping


def _q(store, sql, params=None):
    c = duckdb.connect(str(store), read_only=True)
    try:
        return c.execute(sql, params or []).fetchall()
    finally:
        c.close()


def test_name_match_is_held_for_review_not_duplicated(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    before = _q(fresh_store, "SELECT count(*) FROM institutions")[0][0]
    res = import_file(data, "institutions", mapping=mapping, store=fresh_store)
    assert res.rows_written == 2
    assert _q(fresh_store, "SELECT count(*) FROM institutions")[0][0] == before + 2
    assert _q(fresh_store, "SELECT count(*) FROM institutions WHERE name ILIKE '%branly%'") == [(1,)]
    rev = res.identity.review
    assert list(rev["incoming_id"]) == ["reg-r2"]
    assert rev.iloc[0]["candidate_id"] == "musee-du-quai-branly" and rev.iloc[0]["row"] == 3
    assert any("held back for review" in w.rule for w in res.warnings)
    # the new ones carry their register id in the crosswalk
    assert _q(fresh_store, "SELECT institution_id, scheme, value FROM institution_identifiers "
                           "WHERE value LIKE 'R_' ORDER BY value") == [("reg-r1", "museofile", "R1"),
                                                                       ("reg-r3", "museofile", "R3")]


def test_review_csv_and_merge_decision(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    review = tmp_path / "review.csv"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["import", str(data), "--table", "institutions", "--mapping", str(mapping),
                     "--store", str(fresh_store), "--review", str(review)]) == 0
    assert "1 rows held for review written to" in out.getvalue()
    decisions = pd.read_csv(review, dtype=str, keep_default_na=False)
    assert list(decisions["incoming_name"]) == ["musée du Quai Branly - Jacques Chirac"]
    website_before = _q(fresh_store, "SELECT website FROM institutions "
                                     "WHERE id = 'musee-du-quai-branly'")[0][0]
    decisions["decision"] = "merge"
    decisions.to_csv(review, index=False)
    with redirect_stdout(io.StringIO()):
        assert main(["review", str(review), "--store", str(fresh_store)]) == 0
    row = _q(fresh_store, "SELECT name, website, asian_collections FROM institutions "
                          "WHERE id = 'musee-du-quai-branly'")[0]
    assert row[0] == "musée du quai Branly"                 # the documented name is kept
    assert row[1] == (website_before or "www.quaibranly.fr")  # filled only if it was empty
    assert row[2] == "yes"                                  # 'unknown' counts as empty
    assert _q(fresh_store, "SELECT institution_id FROM institution_identifiers "
                           "WHERE value = 'R2'") == [("musee-du-quai-branly",)]
    assert identity.pending_review(duckdb.connect(str(fresh_store), read_only=True)).empty


def test_bad_decision_is_refused_with_row_and_value(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    res = import_file(data, "institutions", mapping=mapping, store=fresh_store)
    d = res.identity.review[["review_id"]].assign(decision="maybe")
    c = duckdb.connect(str(fresh_store))
    try:
        with pytest.raises(InputError) as exc:
            identity.apply_review(c, d, file="review.csv")
    finally:
        c.close()
    i = exc.value.issues[0]
    assert (i.row, i.column, i.value) == (2, "decision", "maybe") and "merge, new, skip" in i.rule


def test_identifier_match_merges_and_never_overwrites(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    import_file(data, "institutions", mapping=mapping, store=fresh_store)
    # A later export of the same register: R1 renamed, a website changed, with a new id scheme.
    again = REGISTER.replace("Musée des Tests;Lyon;www.tests.example",
                             "Musée des Tests (nouveau nom);Lyon;www.other.example")
    data2, _ = _register(tmp_path, again, name="register-2026.csv")
    text = mapping.read_text().replace("{prefix: id, text: reg-}", "{prefix: id, text: new-}")
    mapping.write_text(text, encoding="utf-8")
    before = _q(fresh_store, "SELECT count(*) FROM institutions")[0][0]
    res = import_file(data2, "institutions", mapping=mapping, store=fresh_store)
    assert _q(fresh_store, "SELECT count(*) FROM institutions")[0][0] == before
    assert res.rows_written == 0 and [m[:2] for m in res.identity.merged] == [
        ("new-r1", "reg-r1"), ("new-r3", "reg-r3")]
    assert _q(fresh_store, "SELECT name, website FROM institutions WHERE id = 'reg-r1'") == [
        ("Musée des Tests", "www.tests.example")]
    kept = [w for w in res.warnings if w.column in ("name", "website")]
    assert {w.value for w in kept} == {"Musée des Tests (nouveau nom)", "www.other.example"}


def test_references_by_identifier_resolve_and_dangling_ones_are_reported(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    import_file(data, "institutions", mapping=mapping, store=fresh_store)
    visits = tmp_path / "visits.csv"
    visits.write_text("source_key,institution_id,institution_name,country,year,visitors\n"
                      "1,R1,Musée des Tests,France,2019,100\n"
                      "1,R1,Musée des Tests,France,2020,90\n"
                      "2,X9,Musée inconnu,France,2019,50\n", encoding="utf-8")
    res = import_file(visits, "visitor_stats", store=fresh_store)
    assert _q(fresh_store, "SELECT DISTINCT institution_id FROM visitor_stats WHERE source_key = '1'"
              ) == [("reg-r1",)]
    rules = " ".join(w.rule for w in res.warnings)
    assert "2 references resolved" in rules and "R1 -> reg-r1" in rules
    assert "1 rows (1 distinct references) name no institution" in rules and "X9" in rules
    c = duckdb.connect(str(fresh_store), read_only=True)
    try:
        d = identity.dangling_references(c)
    finally:
        c.close()
    assert (d["rows"], d["distinct"]) == (1, 1)
    assert list(d["examples"]["reference"]) == ["X9"]


def test_objects_may_name_their_institution_by_identifier(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    import_file(data, "institutions", mapping=mapping, store=fresh_store)
    objs = tmp_path / "objects.csv"
    objs.write_text("id,institution_id,title\no-1,R3,Serrure\n", encoding="utf-8")
    import_file(objs, "objects", store=fresh_store)
    assert _q(fresh_store, "SELECT institution_id FROM objects WHERE id = 'o-1'") == [("reg-r3",)]
    # 'validate' says what 'import' will do
    objs2 = tmp_path / "objects-2.csv"
    objs2.write_text("id,institution_id,title\no-3,r1,Boîte\n", encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["validate", str(objs2), "--table", "objects", "--store", str(fresh_store)]) == 0
    assert "r1 -> reg-r1" in out.getvalue()
    bad = tmp_path / "objects-bad.csv"
    bad.write_text("id,institution_id,title\no-2,R404,Clef\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        import_file(bad, "objects", store=fresh_store)
    assert any(i.value == "R404" and "unknown institution" in i.rule for i in exc.value.issues)


@pytest.mark.parametrize("a,b,likely", [
    ("musée du Quai Branly - Jacques Chirac", "musée du quai Branly", True),
    ("Musee des Beaux Arts de Lyon", "Musée des Beaux-Arts", True),
    ("Tokyo Test Museum", "Tokyo National Museum", False),
    ("Musée de la Serrure", "Musée du Louvre", False),
])
def test_name_score(a, b, likely):
    city = "Tokyo" if "Tokyo" in a else ("Lyon" if "Lyon" in a else "Paris")
    assert (identity.name_score(a, b, city) >= identity.NAME_THRESHOLD) is likely


def test_data_page_lists_the_rows_held_for_review(fresh_store, tmp_path, monkeypatch,
                                                   clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    data, mapping = _register(tmp_path)
    import_file(data, "institutions", mapping=mapping, store=fresh_store)
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert any(h.value == "Institutions held for review" for h in at.subheader)
    table = at.dataframe(key="data_review").value
    assert list(table["candidate_id"]) == ["musee-du-quai-branly"]
    assert list(table["incoming_id"]) == ["reg-r2"]
    # The decision the table collects goes through the same function as the CLI's.
    pending = identity.pending_review(duckdb.connect(str(fresh_store), read_only=True))
    counts = identity.apply_review_to_store(pending[["review_id"]].assign(decision="skip"),
                                            store=fresh_store)
    assert counts["skip"] == 1
    assert identity.pending_review(duckdb.connect(str(fresh_store), read_only=True)).empty


def test_new_decision_inserts_the_row_with_its_identifiers(fresh_store, tmp_path):
    data, mapping = _register(tmp_path)
    res = import_file(data, "institutions", mapping=mapping, store=fresh_store)
    counts = identity.apply_review_to_store(
        res.identity.review[["review_id"]].assign(decision="new"), store=fresh_store)
    assert counts["new"] == 1
    assert _q(fresh_store, "SELECT name, status FROM institutions WHERE id = 'reg-r2'") == [
        ("musée du Quai Branly - Jacques Chirac", "imported")]
    assert _q(fresh_store, "SELECT institution_id FROM institution_identifiers "
                           "WHERE value = 'R2'") == [("reg-r2",)]


def test_replace_clears_the_earlier_imports_pending_review(fresh_store, tmp_path):
    """Replacing an institutions import drops the rows its earlier import held for review, so a
    row still waiting is listed once, not once per import of the file (issue 15)."""
    data, mapping = _register(tmp_path)
    first = import_file(data, "institutions", mapping=mapping, store=fresh_store)
    assert list(first.identity.review["incoming_id"]) == ["reg-r2"]
    again = import_file(data, "institutions", mapping=mapping, store=fresh_store, replace=True)
    assert again.replaced == [first.import_id]
    pending = identity.pending_review(duckdb.connect(str(fresh_store), read_only=True))
    assert list(pending["incoming_id"]) == ["reg-r2"]
    assert list(pending["review_id"]) == list(again.identity.review["review_id"])
    # the institutions themselves are there once each, as after the first import (they are new
    # again, not merged into the rows the replace removes), with their register ids
    assert _q(fresh_store, "SELECT count(*) FROM institutions WHERE id LIKE 'reg-%'") == [(2,)]
    assert again.rows_written == 2 and again.identity.merged == []
    assert _q(fresh_store, "SELECT institution_id, value FROM institution_identifiers "
                           "WHERE value LIKE 'R_' ORDER BY value") == [("reg-r1", "R1"),
                                                                       ("reg-r3", "R3")]


def test_replace_keeps_review_decisions_already_taken(fresh_store, tmp_path):
    """A decision taken on a held-back row is history, not a pending row: a replace keeps it."""
    data, mapping = _register(tmp_path)
    first = import_file(data, "institutions", mapping=mapping, store=fresh_store)
    c = duckdb.connect(str(fresh_store))
    try:
        identity.apply_review(c, first.identity.review[["review_id"]].assign(decision="skip"))
    finally:
        c.close()
    import_file(data, "institutions", mapping=mapping, store=fresh_store, replace=True)
    assert _q(fresh_store, "SELECT decision, count(*) FROM institution_review GROUP BY ALL "
                           "ORDER BY 1 NULLS LAST") == [("skip", 1), (None, 1)]


def _pending(store) -> list[tuple]:
    return _q(store, "SELECT incoming_id, candidate_id, import_id FROM institution_review "
                     "WHERE decision IS NULL ORDER BY review_id")


def test_an_edited_register_imported_again_is_refused_not_merged(fresh_store, tmp_path):
    """Rows an earlier import wrote are not 'the same institution, merged' because their id and
    identifier come back: an edited file imported again is refused (nothing silently thrown
    away), and the row still waiting for review is listed once (review finding 1)."""
    data, mapping = _register(tmp_path)
    import_file(data, "institutions", mapping=mapping, store=fresh_store)
    assert [p[:2] for p in _pending(fresh_store)] == [("reg-r2", "musee-du-quai-branly")]
    edited = REGISTER.replace("R1;Musée des Tests;Lyon", "R1;Musée des Essais;Villeurbanne")
    v2, _ = _register(tmp_path, edited, name="register-v2.csv")
    with pytest.raises(InputError) as err:
        import_file(v2, "institutions", mapping=mapping, store=fresh_store)
    refused = {i.value for i in err.value.issues if "id already in the store" in i.rule}
    assert refused == {"reg-r1", "reg-r3"}
    assert _q(fresh_store, "SELECT name, city FROM institutions WHERE id = 'reg-r1'") == [
        ("Musée des Tests", "Lyon")]
    assert len(_pending(fresh_store)) == 1


def test_a_row_already_waiting_for_review_is_not_listed_twice(fresh_store, tmp_path):
    """Another file holding back the same incoming row against the same candidate adds no
    second review row; the report says it is already waiting."""
    data, mapping = _register(tmp_path)
    first = import_file(data, "institutions", mapping=mapping, store=fresh_store)
    only_r2 = "\n".join(REGISTER.strip().split("\n")[:1] + [REGISTER.strip().split("\n")[2]])
    other, _ = _register(tmp_path, only_r2, name="branly-only.csv")
    res = import_file(other, "institutions", mapping=mapping, store=fresh_store)
    assert res.rows_written == 0 and len(res.identity.review) == 0
    assert [p[:2] for p in _pending(fresh_store)] == [("reg-r2", "musee-du-quai-branly")]
    assert any("already waiting for review" in w.rule and "reg-r2" in w.rule
               and str(first.identity.review["review_id"].iloc[0]) in w.rule
               for w in res.warnings)


def test_replace_leaves_other_imports_legacy_review_rows_alone(fresh_store, tmp_path):
    """Rows held before the review table named their import (import_id NULL) are withdrawn by a
    replace only when they can be its own; another live import's rows under the same file name
    stay (review finding 6)."""
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    guimet = ("ref;nom;ville;site;domaines\n"
              "R9;Musée national des arts asiatiques Guimet;Paris;;Asie\n")
    data_b, mapping = _register(b_dir, guimet)

    def legacy():  # as if held before the review table named their import
        c = duckdb.connect(str(fresh_store))
        try:
            c.execute("UPDATE institution_review SET import_id = NULL")
        finally:
            c.close()

    first_b = import_file(data_b, "institutions", mapping=mapping, store=fresh_store)
    assert list(first_b.identity.review["candidate_id"]) == ["musee-guimet"]
    legacy()
    # the only import of that name: its legacy row is withdrawn and held again by the replace
    again = import_file(data_b, "institutions", mapping=mapping, store=fresh_store, replace=True)
    assert _pending(fresh_store) == [("reg-r9", "musee-guimet", again.import_id)]
    # another file of the same name, other content, with a row of its own waiting
    data_a, _ = _register(a_dir)
    import_file(data_a, "institutions", mapping=mapping, store=fresh_store)
    legacy()
    import_file(data_b, "institutions", mapping=mapping, store=fresh_store, replace=True)
    # A's row stays; B's row is listed once (whose it is cannot be told: left, not doubled)
    assert sorted(p[:2] for p in _pending(fresh_store)) == [("reg-r2", "musee-du-quai-branly"),
                                                           ("reg-r9", "musee-guimet")]
