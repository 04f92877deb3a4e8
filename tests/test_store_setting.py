"""One setting chooses the store (asemus_data.db): a DuckDB path or a postgresql:// URL; anything
else that looks like a URL is refused with a clear message, and nothing is created for it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asemus_data import db, paths
from asemus_data.db import PgUrl, StoreSettingError

PROJECT = Path(__file__).resolve().parents[1]


def test_default_is_the_embedded_file(monkeypatch):
    monkeypatch.delenv("ASEMUS_STORE", raising=False)
    assert db.location() == paths.DEFAULT_STORE
    assert paths.store_path() == paths.DEFAULT_STORE
    assert db.kind(db.location()) == db.DUCKDB


def test_a_path_is_a_duckdb_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ASEMUS_STORE", str(tmp_path / "a" / "store.duckdb"))
    loc = paths.store_path()
    assert loc == tmp_path / "a" / "store.duckdb" and isinstance(loc, Path)
    monkeypatch.chdir(tmp_path)
    assert db.location("rel.duckdb") == tmp_path / "rel.duckdb"
    assert db.location("./odd:name.duckdb") == tmp_path / "odd:name.duckdb"


@pytest.mark.parametrize("url", ["postgresql://asemus@localhost:5432/asemus",
                                 "postgres://u:secret@db.example:6543/x?sslmode=require",
                                 "postgresql:///asemus"])
def test_postgres_url(url, monkeypatch):
    monkeypatch.setenv("ASEMUS_STORE", url)
    loc = paths.store_path()
    assert isinstance(loc, PgUrl) and loc == url and db.is_postgres(loc)
    assert db.kind(loc) == db.POSTGRES
    assert "secret" not in db.display(loc) and "secret" not in repr(loc)


@pytest.mark.parametrize("setting, says", [
    ("postgres:/x", "with '//' after 'postgresql:'"),
    ("postgresql:", "with '//' after 'postgresql:'"),
    ("postgresql:asemus", "with '//' after 'postgresql:'"),
    ("mysql://u@h/db", "'mysql:' is not a store this dashboard can use"),
    ("sqlite:///tmp/x.db", "'sqlite:' is not a store"),
    ("file:///tmp/x.duckdb", "'file:' is not a store"),
    ("postgresql://u@h:port/db", "port that is not a number"),
    ("postgresql://u@h:5432", "names no database"),
])
def test_other_settings_are_refused(setting, says, monkeypatch):
    monkeypatch.setenv("ASEMUS_STORE", setting)
    with pytest.raises(StoreSettingError) as e:
        paths.store_path()
    assert says in str(e.value)
    assert "postgresql://USER@HOST:PORT/DATABASE" in str(e.value)


def test_password_never_printed():
    with pytest.raises(StoreSettingError) as e:
        db.location("mysql://user:hunter2@h/db")
    assert "hunter2" not in str(e.value)
    assert db.display("postgresql://u:hunter2@h/db") == "postgresql://u:***@h/db"


@pytest.mark.parametrize("setting", ["postgresql:", "postgres:/x", "mysql://u@h/db"])
def test_cli_refuses_and_creates_nothing(setting, tmp_path):
    env = {**os.environ, "ASEMUS_STORE": setting, "PYTHONPATH": str(PROJECT)}
    for command in (["info"], ["build"], ["import", "x.csv", "--table", "institutions"]):
        r = subprocess.run([sys.executable, "-m", "asemus_data", *command], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2, r.stderr
        assert r.stderr.startswith("error: the store setting"), r.stderr
        assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []  # no folder named after the setting


def test_cli_store_option_is_read_the_same_way(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("ASEMUS_STORE", None)
    r = subprocess.run([sys.executable, "-m", "asemus_data", "info", "--store", "postgres:/x"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "not a PostgreSQL URL" in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("setting", [
    "postgresql://h/db?password=s3cr3t",            # libpq's password option
    "postgresql://u:s3/cr3t@h/db",                   # unescaped '/' in the password
    "postgresql://u:s3#cr3t@h/db",                   # unescaped '#'
    "postgresql://u:s3?cr3t@h/db",                   # unescaped '?'
    "postgresql:u:s3cr3t@h/db",                      # no '//'
    "postgresql://u:s3cr3t@[::1/db",                 # a URL that cannot be split
    "mysql://u:s3cr3t@h/db",                         # another scheme
])
def test_a_password_is_masked_wherever_it_is_written(setting):
    """Review finding: these printed the password whole, and the last one was a traceback."""
    assert "s3" not in db.display(setting)
    try:
        loc = db.location(setting)
    except StoreSettingError as exc:  # refused: the message must not carry the password either
        assert "s3" not in str(exc)
    else:
        assert "s3" not in repr(loc)
