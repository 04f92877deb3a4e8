"""Duplicates: the same file imported twice (under any name) is refused unless the user asks to
replace the earlier import, which then happens in one transaction; generated ids never collide."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from asemus_data import validate
from asemus_data.cli import main
from asemus_data.errors import InputError
from asemus_data.importer import import_file
from asemus_data.validate import validate_frame

VISITORS = ("institution_name,country,year,visitors,source\n"
            "Dup Test Museum A,Japan,2019,120000,https://example.org/a\n"
            "Dup Test Museum B,France,2019,80000,https://example.org/b\n"
            "Dup Test Museum C,Korea,2019,50000,https://example.org/c\n")


def total(path, sql="SELECT count(*), coalesce(sum(visitors), 0) FROM visitor_stats"):
    c = duckdb.connect(str(path), read_only=True)
    try:
        return c.execute(sql).fetchone()
    finally:
        c.close()


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_same_visitor_file_under_two_names_is_refused(fresh_store, tmp_path, capsys):
    first, second = tmp_path / "visitors-2019.csv", tmp_path / "copy of visitors.csv"
    first.write_text(VISITORS, encoding="utf-8")
    second.write_text(VISITORS, encoding="utf-8")
    expected = pd.read_csv(first)  # independent of the code: the file itself
    shipped = total(fresh_store)  # the built store ships documented visitor series
    code, out = run(capsys, "import", str(first), "--table", "visitor_stats", "--store",
                    str(fresh_store))
    assert code == 0, out
    after_first = total(fresh_store)
    assert after_first == (shipped[0] + len(expected), shipped[1] + expected["visitors"].sum())
    code, out = run(capsys, "import", str(second), "--table", "visitor_stats", "--store",
                    str(fresh_store))
    assert code == 1
    assert "already imported" in out and "visitors-2019.csv" in out and "--replace" in out
    assert total(fresh_store) == after_first  # not doubled
    assert total(fresh_store, "SELECT count(*) FROM import_log")[0] == 1


def test_replace_swaps_the_earlier_import_in_one_step(fresh_store, tmp_path, capsys):
    f = tmp_path / "visitors.csv"
    f.write_text(VISITORS, encoding="utf-8")
    assert run(capsys, "import", str(f), "--table", "visitor_stats", "--store",
               str(fresh_store))[0] == 0
    once = total(fresh_store)
    renamed = tmp_path / "visitors (final).csv"
    renamed.write_text(VISITORS, encoding="utf-8")
    code, out = run(capsys, "import", str(renamed), "--table", "visitor_stats", "--store",
                    str(fresh_store), "--replace")
    assert code == 0, out
    assert "replaces import 1" in out
    assert total(fresh_store) == once  # the rows are there once, not twice
    c = duckdb.connect(str(fresh_store), read_only=True)
    log = c.execute("SELECT import_id, file_name, replaced_by FROM import_log "
                    "ORDER BY import_id").fetchall()
    c.close()
    assert log == [(1, "visitors.csv", 2), (2, "visitors (final).csv", None)]


def test_replace_in_a_table_with_ids_and_one_without(fresh_store, tmp_path):
    inst = tmp_path / "inst.csv"
    inst.write_text("id,name,city,country\ndup-museum,Dup Museum,Lyon,France\n", encoding="utf-8")
    import_file(inst, "institutions", store=fresh_store)
    r = import_file(inst, "institutions", store=fresh_store, replace=True)
    assert r.rows_written == 1 and r.replaced == [1]
    assert total(fresh_store, "SELECT count(*) FROM institutions WHERE id='dup-museum'")[0] == 1
    part = tmp_path / "participants.csv"
    part.write_text("exhibition_id,institution_id,role,source\n"
                    "self-and-other,dup-museum,lender,https://example.org\n", encoding="utf-8")
    before = total(fresh_store, "SELECT count(*) FROM exhibition_participants")[0]
    import_file(part, "exhibition_participants", store=fresh_store)
    import_file(part, "exhibition_participants", store=fresh_store, replace=True)
    assert total(fresh_store, "SELECT count(*) FROM exhibition_participants")[0] == before + 1


def test_a_refused_replace_leaves_the_store_as_it_was(fresh_store, tmp_path):
    f = tmp_path / "visitors.csv"
    f.write_text(VISITORS, encoding="utf-8")
    import_file(f, "visitor_stats", store=fresh_store)
    before = fresh_store.read_bytes()
    with pytest.raises(InputError):
        import_file(f, "visitor_stats", store=fresh_store)
    assert fresh_store.read_bytes() == before  # the private copy was thrown away


def test_generated_ids_are_128_bit_and_a_generator_clash_is_not_the_users(monkeypatch):
    rows = pd.DataFrame({"institution_name": [f"Museum {i}" for i in range(300)],
                         "country": "Japan", "year": "2019", "visitors": "10"})
    v = validate_frame(rows, "visitor_stats", file="v.csv")
    assert v.ok, v.errors[:3]
    ids = v.frame["id"]
    assert ids.is_unique and ids.str.fullmatch(r"vs-[0-9a-f]{32}").all()
    # with a one-byte hash (256 ids), 200 rows clash many times over: the generator tries
    # again, and the user sees no "duplicate id" they never wrote
    monkeypatch.setattr(validate, "_ID_BYTES", 1)
    rows = rows.head(200)
    v = validate_frame(rows, "visitor_stats", file="v.csv")
    assert v.ok, v.errors[:3]
    assert v.frame["id"].is_unique
    # and ids stay stable from run to run (a re-import is recognised by its ids too)
    again = validate_frame(rows, "visitor_stats", file="v.csv")
    assert list(again.frame["id"]) == list(v.frame["id"])
