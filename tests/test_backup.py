"""Backup and restore: a consistent copy while the app reads, a round trip that keeps every
table and the import log, and a restore that refuses what it cannot use without touching the
current store."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from asemus_data import store
from asemus_data.errors import StoreCorrupt, StoreError
from asemus_data.importer import import_file
from asemus_data.schemas import TABLES

PROJECT = Path(__file__).resolve().parents[1]


def cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asemus_data", *argv], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, check=False)


def dump(path: Path) -> dict[str, pd.DataFrame]:
    """Every table and the import log, in a stable order, read straight from the file."""
    c = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for t in [*TABLES, "import_log"]:
            df = c.execute(f'SELECT * FROM "{t}"').df()
            out[t] = df.sort_values(list(df.columns)).reset_index(drop=True) if len(df) else df
        return out
    finally:
        c.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import(path: Path, tmp_path: Path, museum: str) -> None:
    f = tmp_path / f"{museum}.csv"
    f.write_text(f"id,name,city,country\n{museum},{museum.title()},Osaka,Japan\n", encoding="utf-8")
    import_file(f, "institutions", store=path)


def test_backup_while_the_app_reads_and_restore_round_trip(fresh_store, tmp_path):
    _import(fresh_store, tmp_path, "backup-museum")
    app = store.open_reader(fresh_store)  # the app is reading
    held = duckdb.connect(str(fresh_store), read_only=True)
    try:
        out = tmp_path / "backup.duckdb"
        r = cli("backup", str(out), "--store", str(fresh_store))
        assert r.returncode == 0, r.stderr
        assert "1 import(s) logged" in r.stdout
    finally:
        held.close()
        app.close()
    saved = dump(fresh_store)
    assert saved["import_log"]["file_name"].tolist() == ["backup-museum.csv"]
    # the store moves on, then is restored from the backup
    _import(fresh_store, tmp_path, "later-museum")
    assert len(dump(fresh_store)["import_log"]) == 2
    r = cli("restore", str(out), "--store", str(fresh_store))
    assert r.returncode == 0, r.stderr
    back = dump(fresh_store)
    for t, df in saved.items():
        pd.testing.assert_frame_equal(back[t], df, check_dtype=True, obj=t)
    # what the app reads after the restore is the backup's content
    reader = store.open_reader(fresh_store)
    assert reader.cursor().execute("SELECT count(*) FROM institutions WHERE id = "
                                   "'later-museum'").fetchone()[0] == 0
    reader.close()


def _not_asemus(path: Path) -> Path:
    c = duckdb.connect(str(path))
    c.execute("CREATE TABLE t AS SELECT 1 AS x")
    c.close()
    return path


def _future_schema(src: Path, path: Path) -> Path:
    path.write_bytes(src.read_bytes())
    c = duckdb.connect(str(path))
    c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    c.close()
    return path


@pytest.mark.parametrize("make, says", [
    (lambda d, s: (d / "junk.duckdb").write_bytes(b"not a database " * 500) and d / "junk.duckdb",
     "not a readable DuckDB store"),
    (lambda d, s: (d / "half.duckdb").write_bytes(s.read_bytes()[:len(s.read_bytes()) // 2])
     and d / "half.duckdb", "cannot be read"),
    (lambda d, s: (d / "empty.duckdb").write_bytes(b"") is not None and d / "empty.duckdb",
     "not a readable DuckDB store"),
    (lambda d, s: _not_asemus(d / "other.duckdb"), "not an ASEMUS store"),
    (lambda d, s: _future_schema(s, d / "future.duckdb"), "schema version '99'"),
    (lambda d, s: d / "missing.duckdb", "no such file"),
], ids=["junk", "truncated", "empty", "other-database", "unknown-schema", "missing"])
def test_restore_refuses_and_leaves_the_store_untouched(make, says, fresh_store, tmp_path):
    bad = make(tmp_path, fresh_store)
    before = digest(fresh_store)
    bad_before = digest(bad) if bad.exists() else None
    with pytest.raises(StoreError) as exc:
        store.restore(bad, fresh_store)
    assert says in str(exc.value) and ".restoring-" not in str(exc.value)
    assert digest(fresh_store) == before
    assert (digest(bad) if bad.exists() else None) == bad_before  # the backup is only read
    assert sorted(p.name for p in fresh_store.parent.iterdir()
                  if p.name.startswith(fresh_store.name)) in (
        [fresh_store.name], [fresh_store.name, fresh_store.name + ".lock"])
    r = cli("restore", str(bad), "--store", str(fresh_store))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert digest(fresh_store) == before


def test_backup_of_a_damaged_store_is_refused(built_store, tmp_path):
    path = tmp_path / "store.duckdb"
    path.write_bytes(built_store.read_bytes()[: built_store.stat().st_size // 2])
    with pytest.raises(StoreCorrupt):
        store.backup(tmp_path / "b.duckdb", path)
    assert not (tmp_path / "b.duckdb").exists()


def test_restore_of_a_schema_1_backup_upgrades_it(fresh_store, tmp_path):
    old = tmp_path / "v1.duckdb"
    old.write_bytes(fresh_store.read_bytes())
    c = duckdb.connect(str(old))
    c.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    c.execute("DROP TABLE import_rows")
    c.execute("ALTER TABLE import_log DROP COLUMN import_id")
    c.execute("ALTER TABLE import_log DROP COLUMN replaced_by")
    c.close()
    info = store.restore(old, fresh_store)
    assert info["schema_version"] == store.SCHEMA_VERSION
    _import(fresh_store, tmp_path, "after-upgrade")  # and the store takes imports again
