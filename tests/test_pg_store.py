"""The shared store on PostgreSQL: the same build, import, import log, refusals and reads as the
DuckDB file (compared with it), imports in one transaction that readers never see half of,
serialised per table, schema versions, and access rules kept by the database itself (tested by
connecting as the public role)."""
from __future__ import annotations

import threading
import time

import duckdb
import pytest

from asemus_data import access, db, queries, store
from asemus_data.cli import main
from asemus_data.errors import StoreBusy
from asemus_data.filters import Filters
from asemus_data.schemas import TABLES

pytestmark = pytest.mark.postgres

GOOD = ("id,name,city,country,type,website\n"
        "musee-test,Musée Test,Lyon,France,public,https://example.org\n"
        "tokyo-test,Tokyo Test Museum,Tokyo,JP,private,\n")


def counts(con) -> dict:
    out = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    out["import_log"] = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
    return out


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_build_holds_what_the_duckdb_store_holds(pg_store, built_store):
    pg = store.connect(pg_store)
    dk = duckdb.connect(str(built_store), read_only=True)
    try:
        assert counts(pg) == counts(dk)
        assert store.schema_version(pg) == store.SCHEMA_VERSION
        assert pg.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall() == \
            [(v,) for v in sorted(store.MIGRATIONS)]
        assert store.holdings_source(pg) == store.HOLDING_GROUPS
        for t in ("institutions", "collections", "people", "visitor_stats"):
            a = pg.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').df()
            b = dk.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').df()
            assert list(a.columns) == list(b.columns)
            assert a.astype(str).values.tolist() == b.astype(str).values.tolist(), t
        # aggregates the pages show, on both stores
        f = Filters()
        assert queries.summary(pg, f) == queries.summary(dk, f)
        # the same rows (rows that tie on the sort keys may come in another order)
        assert sorted(queries.institutions(pg, f).astype(str).values.tolist()) == \
            sorted(queries.institutions(dk, f).astype(str).values.tolist())
        for name, v in queries.facets(dk).items():
            w = queries.facets(pg)[name]
            if hasattr(v, "values"):
                # rows with equal counts may come in either order from the two engines
                assert sorted(w.astype(str).values.tolist()) == sorted(v.astype(str).values.tolist()), name
            else:
                assert tuple(w) == tuple(v), name
    finally:
        pg.close()
        dk.close()


def test_import_log_refusal_and_replace_on_postgres(pg_store, tmp_path, capsys):
    f = tmp_path / "inst.csv"
    f.write_text(GOOD, encoding="utf-8")
    con = store.connect(pg_store)
    before = counts(con)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", pg_store)
    assert code == 0, out
    after = counts(con)
    assert after["institutions"] == before["institutions"] + 2
    assert after["import_log"] == before["import_log"] + 1
    row = con.execute("SELECT country_code, country, region, status FROM institutions "
                      "WHERE id = 'tokyo-test'").fetchone()
    assert row == ("JPN", "Japan", "Asia", "imported")
    log = store.import_log(con)
    assert log.loc[0, "file_name"] == "inst.csv" and log.loc[0, "rows_written"] == 2
    assert con.execute("SELECT count(*) FROM import_rows WHERE import_id = ?",
                       [int(log.loc[0, "import_id"])]).fetchone()[0] == 2
    # the same file again: refused, nothing written
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", pg_store)
    assert code == 1 and "already imported into 'institutions'" in out
    assert counts(con) == after
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", pg_store,
                    "--replace")
    assert code == 0 and "replaces import" in out, out
    assert counts(con)["institutions"] == after["institutions"]
    assert con.execute("SELECT count(*) FROM import_log WHERE replaced_by IS NOT NULL"
                       ).fetchone()[0] == 1
    code, out = run(capsys, "info", "--store", pg_store)
    assert code == 0 and "imports logged: 2" in out and "asemus-test-staff" not in out
    con.close()


def test_a_bad_file_writes_nothing(pg_store, tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("id,name,city,country\nx,,Lyon,Atlantis\n", encoding="utf-8")
    con = store.connect(pg_store)
    before = counts(con)
    code, out = run(capsys, "import", str(f), "--table", "institutions", "--store", pg_store)
    assert code == 1 and "Atlantis" in out
    assert counts(con) == before
    con.close()


def test_readers_never_see_half_an_import(pg_store):
    import pandas as pd

    from asemus_data.validate import validate_frame
    raw = pd.DataFrame({"id": ["half-a", "half-b"], "name": ["Half A", "Half B"],
                        "city": ["Lyon", "Tokyo"], "country": ["France", "Japan"]}, dtype=str)
    reader = store.open_reader(pg_store)
    cur = reader.cursor()
    n0 = cur.execute("SELECT count(*) FROM institutions").fetchone()[0]
    v0 = store.version(pg_store)
    with store.writing(pg_store) as con:
        v = validate_frame(raw, "institutions", known_institutions=store.institution_ids(con))
        result = store.write_import(con, v, file_name="half.csv", sha256="h" * 64, rows_read=2)
        assert result.rows_written == 2
        # written inside the transaction, not committed: another connection sees nothing yet
        assert cur.execute("SELECT count(*) FROM institutions").fetchone()[0] == n0
        assert cur.execute("SELECT count(*) FROM import_log WHERE file_name = 'half.csv'"
                           ).fetchone()[0] == 0
        assert store.version(pg_store) == v0
    assert cur.execute("SELECT count(*) FROM institutions").fetchone()[0] == n0 + 2
    assert store.version(pg_store) != v0  # every app server's caches miss now
    reader.close()


def test_a_failed_write_leaves_nothing(pg_store):
    con = store.connect(pg_store)
    before = counts(con)
    with pytest.raises(RuntimeError):
        with store.writing(pg_store) as w:
            w.execute("DELETE FROM institutions")
            raise RuntimeError("stop")
    assert counts(con) == before
    con.close()


def test_imports_are_serialised_per_table(pg_store):
    import pandas as pd

    from asemus_data.validate import validate_frame

    def frame(ids):
        return pd.DataFrame({"id": ids, "name": ids, "city": ["Lyon"] * len(ids),
                             "country": ["France"] * len(ids)}, dtype=str)

    holding = threading.Event()
    release = threading.Event()
    errors: list = []

    def first():
        try:
            with store.writing(pg_store) as con:
                v = validate_frame(frame(["ser-a"]), "institutions",
                                   known_institutions=store.institution_ids(con))
                store.write_import(con, v, file_name="a.csv", sha256="a" * 64, rows_read=1)
                holding.set()
                release.wait(60)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
            holding.set()

    t = threading.Thread(target=first)
    t.start()
    try:
        assert holding.wait(60) and not errors, errors
        # the same table: waits its turn, then gives up with a clear message
        t0 = time.monotonic()
        with pytest.raises(StoreBusy, match="another import"):
            with store.writing(pg_store, wait=1) as con:
                v = validate_frame(frame(["ser-b"]), "institutions",
                                   known_institutions=store.institution_ids(con))
                store.write_import(con, v, file_name="b.csv", sha256="b" * 64, rows_read=1)
        assert time.monotonic() - t0 >= 1
        # a build needs the whole store: it waits too
        with pytest.raises(StoreBusy):
            store.build(pg_store, wait=0.5)
    finally:
        release.set()
        t.join(60)
    assert not errors, errors
    con = store.connect(pg_store)
    ids = {r[0] for r in con.execute("SELECT id FROM institutions WHERE id LIKE 'ser-%'"
                                     ).fetchall()}
    assert ids == {"ser-a"}
    con.close()


def test_unknown_schema_version_refused_on_postgres(pg_store, tmp_path, capsys):
    f = tmp_path / "inst.csv"
    f.write_text(GOOD, encoding="utf-8")
    con = store.connect(pg_store)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = counts(con)
    for argv in (["import", str(f), "--table", "institutions"], ["build"], ["migrate"]):
        code, out = run(capsys, *argv, "--store", pg_store)
        assert code == 2, out
        assert "schema version '99'" in out and "nothing was written" in out
    assert counts(con) == before and store.schema_version(con) == "99"
    con.close()


def test_migrate_on_postgres(pg_store, capsys):
    con = store.connect(pg_store)
    con.execute("DELETE FROM schema_migrations WHERE version = 3")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    code, out = run(capsys, "migrate", "--store", pg_store)
    assert code == 0 and "schema version 2 -> 3" in out, out
    assert store.schema_version(con) == "3"
    code, out = run(capsys, "migrate", "--store", pg_store)
    assert code == 0 and "nothing to do" in out
    con.close()


def test_the_public_role_cannot_read_personal_data(pg_cluster, pg_store):
    import psycopg
    with store.writing(pg_store) as w:  # an expert (personal data), written as staff
        w.execute("INSERT INTO people (id, name, kind, email, personal_data, status) VALUES "
                  "('expert-x', 'Dr X', 'expert', 'x@example.org', false, 'imported')")
    staff = store.connect(pg_store)
    experts = staff.execute("SELECT count(*) FROM people WHERE kind = 'expert'").fetchone()[0]
    emails = staff.execute("SELECT email FROM people WHERE id = 'expert-x'").fetchone()[0]
    assert experts == 1 and emails == "x@example.org"
    staff.close()
    name = pg_store.rsplit("/", 1)[1]
    public = pg_cluster.public_url(name)
    with psycopg.connect(public, autocommit=True) as raw:
        for q in ("SELECT email FROM people", "SELECT * FROM people",
                  "SELECT note FROM import_log", "SELECT file_name FROM import_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(q)
        # row-level security: experts' rows do not exist for this role
        assert raw.execute("SELECT count(*) FROM people WHERE kind = 'expert'").fetchone()[0] == 0
        for q in ("INSERT INTO institutions (id, name) VALUES ('x', 'x')",
                  "DELETE FROM institutions", "DROP TABLE people",
                  "UPDATE meta SET value = 'x'"):
            with pytest.raises(psycopg.Error):
                raw.execute(q)
    # what visitors may read still reads, through the app's own access rules
    con = store.connect(db.location(public))
    try:
        people = access.read_table(con, "people", access.VISITOR)
        assert len(people) > 0 and "email" not in people.columns
        assert con.execute("SELECT count(*) FROM institutions").fetchone()[0] > 0
        assert queries.summary(con, Filters())["museums"] > 0
        assert "expert-x" not in set(people["id"])
    finally:
        con.close()


def test_sql_is_written_once(pg_store):
    """DuckDB's dialect runs on PostgreSQL through the translation in asemus_data.db."""
    con = store.connect(pg_store)
    try:
        got = con.execute("SELECT region, count(*)::BIGINT AS n, any_value(name) IS NOT NULL "
                          "FROM institutions WHERE name ILIKE ? GROUP BY ALL ORDER BY n DESC",
                          ["%museum%"]).df()
        assert len(got) > 0 and got["n"].dtype.kind in "iuf"
        assert con.execute("SELECT count(*) FROM institutions WHERE id IN "
                           "(SELECT unnest(?))", [["no-such", "also-no"]]).fetchone()[0] == 0
        assert con.execute("SELECT $1 + $1", [20]).fetchone()[0] == 40
    finally:
        con.close()


def test_saved_sequences_live_in_the_database(pg_store):
    """A presentation sequence saved through the store (INSERT OR REPLACE, translated into
    PostgreSQL's ON CONFLICT) is read back, and saving it again replaces it."""
    from asemus_data import presentation as pr
    seq = pr.sample_sequence()
    assert pr.save_sequence(seq, "GC 2026", store=pg_store) == "GC 2026"
    pr.save_sequence(seq, "GC 2026", store=pg_store)
    con = store.connect(pg_store)
    try:
        assert [n for n, _when in pr.stored_sequences(con)] == ["GC 2026"]
        back = pr.load_sequence(con, "GC 2026")
        assert back is not None and back.to_json() == seq.to_json()
        assert con.execute("SELECT count(*) FROM sequences").fetchone()[0] == 1
    finally:
        con.close()
