"""The app and the command line share the store: an import runs while the app reads, waits for
another writer's turn, and the app shows the new rows after it; visitors never see a lock
message, a server path or a process id; a damaged store is reported as damaged; a build cleans
up after itself, even after ``kill -9``."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import store, storefile
from asemus_data.errors import StoreBusy, StoreCorrupt

PROJECT = Path(__file__).resolve().parents[1]
#: A foreign program that opens the store read-write in place (and so holds DuckDB's lock).
HOLD_SCRIPT = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
               "print('held', flush=True); time.sleep(60)")
NEW_MUSEUM = "id,name,city,country\nsharing-test-museum,Sharing Test Museum,Kyoto,Japan\n"


def cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command line, in a process of its own."""
    return subprocess.run([sys.executable, "-m", "asemus_data", *argv], cwd=PROJECT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def count(path: Path, sql: str = "SELECT count(*) FROM institutions") -> int:
    c = duckdb.connect(str(path), read_only=True)
    try:
        return c.execute(sql).fetchone()[0]
    finally:
        c.close()


@pytest.fixture()
def new_file(tmp_path) -> Path:
    f = tmp_path / "new.csv"
    f.write_text(NEW_MUSEUM, encoding="utf-8")
    return f


def _app_text(at) -> str:
    """Everything an AppTest run put on the page, as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "exception", "text", "metric", "button"):
        for el in getattr(at, kind, []):
            for attr in ("value", "label", "body", "message"):
                v = getattr(el, attr, None)
                if isinstance(v, str):
                    parts.append(v)
    return "\n".join(parts)


def test_cli_import_runs_while_the_app_holds_the_store(fresh_store, new_file):
    before = count(fresh_store)
    held = duckdb.connect(str(fresh_store), read_only=True)  # what the app used to hold
    reader = store.open_reader(fresh_store)  # what the app holds now
    try:
        r = cli("import", str(new_file), "--table", "institutions", "--store", str(fresh_store),
                "--wait", "30")
        assert r.returncode == 0, r.stderr
        assert "imported 1 of 1 rows" in r.stdout
        # a reader opened before goes on reading the file it opened, unchanged
        assert held.execute("SELECT count(*) FROM institutions").fetchone()[0] == before
        assert reader.cursor().execute("SELECT count(*) FROM institutions").fetchone()[0] == before
        again = store.open_reader(fresh_store)
        assert again.cursor().execute("SELECT count(*) FROM institutions WHERE id = "
                                      "'sharing-test-museum'").fetchone()[0] == 1
        assert again.version != reader.version
        again.close()
    finally:
        held.close()
        reader.close()
    assert count(fresh_store) == before + 1


def test_cli_import_waits_for_its_turn(fresh_store, new_file):
    release = threading.Event()
    locked = threading.Event()

    def other_writer():
        with storefile.writer_lock(fresh_store, wait=0):
            locked.set()
            release.wait(30)

    t = threading.Thread(target=other_writer)
    t.start()
    try:
        assert locked.wait(10)
        p = subprocess.Popen([sys.executable, "-m", "asemus_data", "import", str(new_file),
                              "--table", "institutions", "--store", str(fresh_store),
                              "--wait", "60"], cwd=PROJECT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        first = p.stderr.readline()  # blocks until the import says it waits
        assert "waiting for the store" in first and "(0 s)" in first
        time.sleep(1)
        assert p.poll() is None  # still waiting, not failed
        release.set()
        out, err = p.communicate(timeout=120)
    finally:
        release.set()
        t.join()
    assert p.returncode == 0, err
    assert "imported 1 of 1 rows" in out
    assert count(fresh_store, "SELECT count(*) FROM institutions "
                              "WHERE id = 'sharing-test-museum'") == 1


def test_cli_import_gives_up_after_its_wait_with_a_message(fresh_store, new_file):
    before = count(fresh_store)
    with storefile.writer_lock(fresh_store, wait=0):
        r = cli("import", str(new_file), "--table", "institutions", "--store", str(fresh_store),
                "--wait", "1")
    assert r.returncode == 2
    assert "more than 1 s" in r.stderr and "--wait" in r.stderr
    assert "Traceback" not in r.stderr
    assert count(fresh_store) == before


def _page_app():
    import streamlit as st

    import ui
    st.write(f"institutions: {len(ui.table('institutions'))}")
    st.write(f"countries: {len(ui.facets()['countries'])}")


def test_app_shows_new_rows_after_an_import(fresh_store, new_file, monkeypatch,
                                            clear_streamlit_caches):
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    before = count(fresh_store)
    at = AppTest.from_function(_page_app, default_timeout=60).run()
    assert not at.exception
    assert at.markdown[0].value == f"institutions: {before}"
    r = cli("import", str(new_file), "--table", "institutions", "--store", str(fresh_store))
    assert r.returncode == 0, r.stderr
    # a new visit, caches not cleared by hand: the cached loads follow the store's fingerprint
    at = AppTest.from_function(_page_app, default_timeout=60).run()
    assert not at.exception
    assert at.markdown[0].value == f"institutions: {before + 1}"


def test_app_reads_normally_during_an_import(fresh_store, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    with storefile.writer_lock(fresh_store, wait=0):  # an import is at work
        at = AppTest.from_function(_page_app, default_timeout=60).run()
    assert not at.exception and not at.info
    assert at.markdown[0].value == f"institutions: {count(fresh_store)}"


def test_visitor_sees_a_plain_message_while_a_foreign_writer_holds_the_store(
        fresh_store, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(fresh_store)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        at = AppTest.from_file("../app.py", default_timeout=60).run()
    finally:
        holder.kill()
        holder.wait()
    text = _app_text(at)
    assert not at.exception
    assert "The data is being updated; try again in a moment." in text
    assert at.button(key="store_retry")
    for leak in (str(fresh_store), str(fresh_store.parent), "PID", "Conflicting lock",
                 str(holder.pid), sys.executable):
        assert leak not in text
    # once the writer is gone, the same visitor retries and sees the site
    at.button(key="store_retry").click().run()
    assert not at.exception and "being updated" not in _app_text(at)


def _truncate(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[:int(len(data) * fraction)])
    return dst


def test_a_truncated_store_is_reported_as_damaged(built_store, tmp_path, monkeypatch,
                                                   clear_streamlit_caches):
    path = _truncate(built_store, tmp_path / "store.duckdb")
    size = path.stat().st_size
    for opener in (lambda: store.connect(path, read_only=True), lambda: store.open_reader(path)):
        with pytest.raises(StoreCorrupt) as exc:
            opener()
        msg = str(exc.value)
        assert "damaged" in msg and "in use" not in msg
        assert "restore" in msg and "build" in msg
    r = cli("info", "--store", str(path))
    assert r.returncode == 2 and "damaged" in r.stderr and "Traceback" not in r.stderr
    assert path.stat().st_size == size  # never rebuilt or "repaired" silently
    monkeypatch.setenv("ASEMUS_STORE", str(path))
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    text = _app_text(at)
    assert not at.exception and "cannot be read" in text
    assert str(path) not in text and "IO Error" not in text


def test_a_busy_store_is_not_reported_as_damaged(fresh_store):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(fresh_store)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy):
            storefile.attach(fresh_store, wait=0.5)
    finally:
        holder.kill()
        holder.wait()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_failed_build_removes_its_file(tmp_path, built_store, monkeypatch):
    path = tmp_path / "store.duckdb"

    def broken(con, table, df):
        raise RuntimeError("disk full")
    monkeypatch.setattr(store, "insert", broken)
    with pytest.raises(RuntimeError):
        store.build(path)
    assert not path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["store.duckdb.lock"])


def test_build_after_kill_removes_the_dead_builds_files(tmp_path):
    path = tmp_path / "store.duckdb"
    script = ("import sys, time; from asemus_data import store\n"
              "def say(m):\n"
              "    print(m, flush=True)\n"
              "    if m.startswith('writing objects'): time.sleep(60)\n"
              "store.build(sys.argv[1], progress=say)\n")
    p = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=PROJECT,
                         stdout=subprocess.PIPE, text=True)
    try:
        for line in p.stdout:
            if line.startswith("writing objects"):
                break
        left = [f for f in tmp_path.iterdir() if ".building-" in f.name]
        assert left  # the build is writing its private file
    finally:
        p.kill()  # SIGKILL: no clean-up code runs
        p.wait()
    assert [f for f in tmp_path.iterdir() if ".building-" in f.name]
    # a stale file of an older dead writer, and one of a live process, which is left alone
    (tmp_path / f"store.duckdb.writing-{_dead_pid()}-abc").write_bytes(b"x")
    live = tmp_path / f"store.duckdb.writing-{os.getppid()}-abc"
    live.write_bytes(b"x")
    store.build(path)
    names = sorted(f.name for f in tmp_path.iterdir())
    assert names == sorted(["store.duckdb", "store.duckdb.lock", live.name])
    assert count(path) > 0
