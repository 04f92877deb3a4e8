"""The store as a file shared by processes: the app reading, the command line writing.

DuckDB lets one process write a database file, and a writer excludes every reader (and a reader
every writer) through a lock on the file. So writers here never write the live file: they take
the *writer lock* (a separate ``<store>.lock`` file, so readers never wait on it), copy the store
to a private file, write there, and move the copy over the live file with an atomic rename.
A reader opens whatever file the store's path names at that moment; a reader that opened the
previous file keeps reading it, unchanged, until it opens again. :func:`version` tells readers
when that is worth doing. See docs/ENGINEERING.md, "Sharing the store".
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .errors import StoreBusy, StoreCorrupt, StoreError

#: How long a writer waits for another writer (seconds); ``ASEMUS_STORE_WAIT`` overrides it.
DEFAULT_WRITE_WAIT = 300.0
#: How long a reader retries while a foreign program holds DuckDB's own lock on the file.
DEFAULT_READ_WAIT = 3.0
#: Suffixes of the private files writers work in: ``<store>.<kind>-<pid>-<token>``.
TEMP_KINDS = ("building", "writing", "restoring", "backup")
_TEMP = re.compile(r"\.(?:" + "|".join(TEMP_KINDS) + r")-(\d+)(?:-[0-9a-f]+)?(?:\.wal)?$")
SNAPSHOT_CATALOG = "asemus"

try:  # POSIX; elsewhere writers are not serialised between processes (documented)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


def write_wait() -> float:
    """Seconds a writer waits for its turn: ``ASEMUS_STORE_WAIT`` if it is a number >= 0."""
    try:
        value = float(os.environ.get("ASEMUS_STORE_WAIT", DEFAULT_WRITE_WAIT))
    except ValueError:
        return DEFAULT_WRITE_WAIT
    return value if 0 <= value < float("inf") else DEFAULT_WRITE_WAIT


def version(path: Path) -> str:
    """A cheap fingerprint of the store file (inode, size, modification time, and the same for a
    write-ahead log beside it): it changes whenever a writer replaces or changes the store."""
    parts = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            s = p.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{s.st_ino}:{s.st_size}:{s.st_mtime_ns}")
    return "/".join(parts)


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether a DuckDB error says another process holds the file's lock."""
    text = str(exc)
    return "Conflicting lock" in text or "Could not set lock" in text


def store_error(exc: BaseException, path: Path) -> StoreError:
    """The DuckDB error met when opening ``path``, as a StoreError that says what to do."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if is_lock_conflict(exc):
        return StoreBusy("the store is held by another program that writes to it directly; "
                         "try again when it has finished")
    if "Permission denied" in text or "No such file" in text:
        return StoreError(f"cannot open the store {path}: {text}")
    return StoreCorrupt(
        f"the store {path} is damaged or is not a DuckDB store ({text}). Restore a backup with "
        "`python -m asemus_data restore BACKUP_FILE`, or rebuild it from data/ with "
        "`python -m asemus_data build` (rows imported since the build are then lost)")


def attach(path: Path, *, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """A read-only view of the store file as it is now, in a DuckDB instance of its own.

    ``duckdb.connect(path)`` would hand back an instance this process already has open on the
    same path, which still reads the file that was there before a writer replaced it; an
    in-memory instance that attaches the file always reads the current one. Queries run in the
    attached catalog (``USE``); a cursor must do the same (:func:`cursor`). Retries for ``wait``
    seconds while a foreign writer holds DuckDB's lock, then raises StoreBusy; a damaged file
    raises StoreCorrupt."""
    deadline = time.monotonic() + wait
    while True:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH '{_sql_str(path)}' AS {SNAPSHOT_CATALOG} (READ_ONLY)")
            con.execute(f"USE {SNAPSHOT_CATALOG}")
            return con
        except duckdb.Error as exc:
            con.close()
            if is_lock_conflict(exc) and time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            raise store_error(exc, path) from None


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor (for one thread) on a connection from :func:`attach`, reading the store."""
    c = con.cursor()
    c.execute(f"USE {SNAPSHOT_CATALOG}")
    return c


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


@contextmanager
def writer_lock(path: Path, *, wait: float | None = None,
                progress: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's writer lock: one writer at a time, across processes and threads.

    Waits up to ``wait`` seconds (default :func:`write_wait`) for another writer, telling
    ``progress`` every few seconds; then raises StoreBusy. The lock is an ``flock`` on
    ``<store>.lock``, which the system releases when its holder ends, even by ``kill -9``: no
    stale lock is ever left behind."""
    wait = write_wait() if wait is None else wait
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock = Path(str(path) + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        t0 = time.monotonic()
        told = 0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            waited = time.monotonic() - t0
            if waited >= wait:
                raise StoreBusy(f"another import, build or restore has been writing the store for "
                                f"more than {wait:g} s; try again when it has finished, or wait "
                                "longer (--wait SECONDS, or ASEMUS_STORE_WAIT)")
            if progress and int(waited) >= told:
                progress(f"waiting for the store (another import or build is writing it)... "
                         f"({int(waited)} s)")
                told = int(waited) + 5
            time.sleep(min(0.2, max(0.0, wait - waited)))
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def temp_path(path: Path, kind: str) -> Path:
    """A private file beside the store for one writer (its PID in the name, for clean-up)."""
    token = f"{threading.get_ident() & 0xFFFF:x}{uuid.uuid4().hex[:8]}"
    return path.with_name(f"{path.name}.{kind}-{os.getpid()}-{token}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete the private files of writers that died (killed, or the machine stopped) before they
    could clean up; call it while holding the writer lock. Returns what was removed."""
    gone = []
    for p in path.parent.glob(path.name + ".*"):
        m = _TEMP.search(p.name[len(path.name):])
        if m and p.name.startswith(path.name + ".") and not _alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def remove(path: Path) -> None:
    """Delete a database file and its write-ahead log, if they exist."""
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)


def copy_consistent(src: Path, dst: Path, *, wait: float = DEFAULT_READ_WAIT) -> None:
    """Copy the store ``src`` to ``dst`` as one consistent state. Writers replace the store whole,
    so the file opened is never half-written; holding a read-only DuckDB view while copying keeps
    out a foreign program that would write the file in place, and a write-ahead log left by one
    is copied along (it is replayed when ``dst`` is opened)."""
    view = attach(src, wait=wait)  # also refuses a damaged file before it is copied
    try:
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1024 * 1024)
            fout.flush()
            os.fsync(fout.fileno())
        wal = Path(str(src) + ".wal")
        if wal.exists():
            shutil.copyfile(wal, str(dst) + ".wal")
    finally:
        view.close()


def publish(tmp: Path, path: Path) -> None:
    """Move a finished private file over the store in one atomic step (readers see the old file
    or the new one, never a mixture)."""
    os.replace(tmp, path)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)
    try:  # make the rename durable
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
