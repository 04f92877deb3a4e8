"""The Overview's first run in a new process loads no validation stack: pandera (with the
hypothesis and geopandas it imports) costs a second or more of a cold start, and only writes and
checks need it (issue 14, cold start <= 1.5x a hello-world app). Opening a store checks its
columns against the schemas only when the schemas changed since the store was last migrated."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from asemus_data import store

PROJECT = Path(__file__).resolve().parents[1]
HEAVY = ("pandera", "hypothesis", "geopandas")


def _loaded_after(code: str, store_path: Path) -> list[str]:
    """The HEAVY modules in sys.modules after ``code`` ran in a new Python process."""
    script = (code + "\nimport sys\n"
              f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    env = {**os.environ, "ASEMUS_STORE": str(store_path)}
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, env=env,
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    line = [x for x in out.stdout.splitlines() if x.startswith("HEAVY ")]
    assert line, out.stdout[-2000:] + out.stderr[-2000:]
    return ast.literal_eval(line[-1][len("HEAVY "):])


def test_the_overview_runs_without_loading_pandera(fresh_store):
    code = ("from streamlit.testing.v1 import AppTest\n"
            "at = AppTest.from_file('app.py', default_timeout=120)\n"
            "at.run()\n"
            "assert not at.exception, [e.message for e in at.exception]\n"
            "assert at.title and at.metric, 'the Overview drew no title or headline figures'\n")
    assert _loaded_after(code, fresh_store) == []


def test_a_write_still_loads_the_schemas(fresh_store):
    """The check above can fail: the same probe sees pandera once something validates."""
    code = "from asemus_data import store\nstore.validate_frame(store.pd.DataFrame(), 'institutions')\n"
    assert "pandera" in _loaded_after(code, fresh_store)


def test_build_records_the_schema_fingerprint(built_store):
    with duckdb.connect(str(built_store), read_only=True) as c:
        meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_fingerprint"] == store.schema_fingerprint()
    assert len(store.schema_fingerprint()) == 16


def test_a_store_from_older_schemas_is_checked_and_brought_up_to_date(built_store, tmp_path):
    """A store whose recorded fingerprint differs (older schemas) and that holds imports (never
    rebuilt): ensure finds the missing column and adds it, and records the fingerprint."""
    path = tmp_path / "older.duckdb"
    shutil.copyfile(built_store, path)
    with duckdb.connect(str(path)) as c:
        c.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_fingerprint'")
        c.execute("INSERT INTO meta VALUES ('kind', 'imported') "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        c.execute("DROP VIEW IF EXISTS holdings")
        c.execute("ALTER TABLE objects DROP COLUMN date_certainty")
        c.execute(store.HOLDINGS_VIEW)
        assert store._missing_columns(c)
    store.ensure(path)
    with duckdb.connect(str(path), read_only=True) as c:
        assert not store._missing_columns(c)
        meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_fingerprint"] == store.schema_fingerprint()
    assert meta["kind"] == "imported"  # brought up to date in place, not rebuilt


def test_a_default_store_without_the_fingerprint_is_rebuilt_once(built_store, tmp_path):
    """A default store from before the fingerprint was recorded: rebuilt (as for changed data
    files), so that the next start skips the check."""
    path = tmp_path / "before.duckdb"
    shutil.copyfile(built_store, path)
    with duckdb.connect(str(path)) as c:
        c.execute("DELETE FROM meta WHERE key = 'schema_fingerprint'")
    store.ensure(path)
    with duckdb.connect(str(path), read_only=True) as c:
        meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_fingerprint"] == store.schema_fingerprint()
