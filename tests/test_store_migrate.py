"""Schema versions: a store lists its migrations, `python -m asemus_data migrate` brings an older
store up to date (rows kept), and build, import, review and migrate refuse a store whose version
this code does not know, leaving it as it was."""
from __future__ import annotations

import duckdb
import pytest

from asemus_data import store
from asemus_data.cli import main
from asemus_data.schemas import TABLES

GOOD = "id,name,city,country,type,website\nmigr-test,Migration Test Museum,Lyon,France,public,\n"


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def state(path) -> dict:
    """Version, migrations listed and row counts of every table and the log."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
        out["import_log"] = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
        out["version"] = store.schema_version(con)
        have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_catalog = current_database()").fetchall()}
        out["migrations"] = (con.execute("SELECT version, applied_at IS NOT NULL FROM "
                                         "schema_migrations ORDER BY 1").fetchall()
                             if "schema_migrations" in have else None)
        out["import_rows"] = "import_rows" in have
        return out
    finally:
        con.close()


def downgrade(path, version: str, *, drop: tuple[str, ...] = ("schema_migrations",)) -> None:
    con = duckdb.connect(str(path))
    for t in drop:
        con.execute(f"DROP TABLE IF EXISTS {t}")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [version])
    con.close()


def test_a_built_store_lists_every_migration(built_store):
    s = state(built_store)
    assert s["version"] == store.SCHEMA_VERSION == str(max(store.MIGRATIONS))
    assert s["migrations"] == [(v, True) for v in sorted(store.MIGRATIONS)]
    assert store.SCHEMA_VERSION in store.KNOWN_SCHEMAS


def test_migrate_brings_a_version_2_store_up_to_date(fresh_store, tmp_path, capsys):
    downgrade(fresh_store, "2")
    before = state(fresh_store)
    assert before["migrations"] is None and before["version"] == "2"
    code, out = run(capsys, "migrate", "--store", str(fresh_store))
    assert code == 0, out
    assert "schema version 2 -> 3" in out and "applied 3: the list of applied migrations" in out
    after = state(fresh_store)
    assert after["version"] == "3"
    # versions 1 and 2 were there before the list was kept: listed without a date
    assert after["migrations"] == [(1, False), (2, False), (3, True)]
    assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}  # no row lost
    code, out = run(capsys, "migrate", "--store", str(fresh_store))
    assert code == 0 and "up to date; nothing to do" in out
    assert state(fresh_store) == after


def test_migrate_a_version_1_store(fresh_store, capsys):
    downgrade(fresh_store, "1", drop=("schema_migrations", "import_rows"))
    code, out = run(capsys, "migrate", "--store", str(fresh_store))
    assert code == 0, out
    assert "applied 2:" in out and "applied 3:" in out
    after = state(fresh_store)
    assert after["version"] == "3" and after["import_rows"]


def test_an_import_into_an_older_store_migrates_it(fresh_store, tmp_path, capsys):
    downgrade(fresh_store, "2")
    f = tmp_path / "inst.csv"
    f.write_text(GOOD, encoding="utf-8")
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", str(fresh_store))
    assert code == 0, out
    assert state(fresh_store)["migrations"] == [(1, False), (2, False), (3, True)]


@pytest.mark.parametrize("command", ["import", "build", "migrate", "review"])
def test_an_unknown_version_is_refused_and_left_alone(command, fresh_store, tmp_path, capsys):
    downgrade(fresh_store, "99", drop=())
    before = state(fresh_store)
    version = store.version(fresh_store)
    f = tmp_path / "inst.csv"
    f.write_text(GOOD, encoding="utf-8")
    review = tmp_path / "review.csv"
    review.write_text("decision,row_id\n", encoding="utf-8")
    argv = {"import": ["import", str(f), "--table", "institutions"], "build": ["build"],
            "migrate": ["migrate"], "review": ["review", str(review)]}[command]
    code, out = run(capsys, *argv, "--store", str(fresh_store))
    assert code == 2, out
    assert "schema version '99'" in out and "does not know (it knows 1, 2, 3)" in out
    assert "nothing was written" in out and "Traceback" not in out
    assert store.version(fresh_store) == version  # the file was not replaced
    assert state(fresh_store) == before


def test_the_app_still_reads_a_newer_store_and_never_rebuilds_it(fresh_store):
    downgrade(fresh_store, "99", drop=())
    version = store.version(fresh_store)
    reader = store.open_reader(fresh_store)
    try:
        assert reader.cursor().execute("SELECT count(*) FROM institutions").fetchone()[0] > 0
    finally:
        reader.close()
    assert store.version(fresh_store) == version
