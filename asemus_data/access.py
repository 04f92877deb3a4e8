"""Who may read what: the one place where personal data is kept from visitors.

Every read of a table that can hold personal data goes through :func:`relation` (SQL) or
:func:`read_table` (a frame) with an *audience*: ``VISITOR`` (anyone who opens the dashboard,
the default) or ``STAFF`` (signed in with the staff password). For visitors, the rows that hold
personal data are dropped (every expert, and any row not marked ``personal_data = false``) and
the personal columns are left out, so no page, download, saved view or conference pack built
from these reads can show them. Aggregates (counts per field or country) may still use every row.
"""
from __future__ import annotations

import threading
import time

import duckdb
import pandas as pd

from .tables import TABLE_NAMES as TABLES  # not .schemas: reading must not load pandera

VISITOR = "visitor"
STAFF = "staff"
AUDIENCES = (VISITOR, STAFF)

#: Columns that hold personal data: never read for visitors.
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {"people": ("email",)}
#: Columns of the import log that only staff see: a note quotes cell values (of hidden rows too)
#: and a file name can name a person.
LOG_PRIVATE_COLUMNS = ("note", "file_name", "mapping_file")
#: Rows a visitor may read (SQL over the table's own columns); other tables: every row.
# A row is personal data unless it says otherwise (NULL counts as personal), and an expert's
# row always is: the experts directory is for staff only, whatever the file said.
VISITOR_ROWS: dict[str, str] = {
    "people": "kind IS DISTINCT FROM 'expert' AND personal_data IS NOT DISTINCT FROM FALSE"}


def check_audience(audience: str) -> str:
    """``audience`` itself, or ValueError when it is not one of ``AUDIENCES``."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; use one of {', '.join(AUDIENCES)}")
    return audience


def visible_columns(table: str, audience: str = VISITOR) -> list[str]:
    """The columns of ``table`` that ``audience`` may read, in the table's order."""
    # pandera (with hypothesis and geopandas) comes with schemas: loaded here, on the first read
    # of a table with personal columns, not by every page (the Overview's cold start)
    from .schemas import columns
    hidden = PERSONAL_COLUMNS.get(table, ()) if check_audience(audience) == VISITOR else ()
    return [c for c in columns(table) if c not in hidden]


def relation(table: str, audience: str = VISITOR) -> str:
    """SQL for ``table`` as ``audience`` may read it: the quoted table name, or a subquery that
    drops personal rows and columns. Use it wherever the table is read (``FROM {relation} t``)."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}")
    if check_audience(audience) == STAFF or (table not in PERSONAL_COLUMNS
                                             and table not in VISITOR_ROWS):
        return f'"{table}"'
    cols = ", ".join(f'"{c}"' for c in visible_columns(table, audience))
    where = VISITOR_ROWS.get(table, "TRUE")
    return f'(SELECT {cols} FROM "{table}" WHERE {where})'


def read_table(con: duckdb.DuckDBPyConnection, table: str, audience: str = VISITOR) -> pd.DataFrame:
    """A whole (small) table as ``audience`` may read it."""
    return con.execute(f"SELECT * FROM {relation(table, audience)}").df()


def hidden_rows(con: duckdb.DuckDBPyConnection, table: str, audience: str = VISITOR) -> int:
    """How many rows of ``table`` ``audience`` may not read (0 for staff): for a plain notice."""
    if check_audience(audience) == STAFF or table not in VISITOR_ROWS:
        return 0
    total = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    seen = con.execute(f"SELECT count(*) FROM {relation(table, audience)}").fetchone()[0]
    return int(total - seen)


def require_staff(audience: str, what: str = "this data") -> None:
    """PermissionError unless ``audience`` is staff: guards the readers of personal data."""
    if check_audience(audience) != STAFF:
        raise PermissionError(f"{what} holds personal data: staff only")


class Throttle:
    """Wrong-password attempts with a growing delay (exponential backoff), per key.

    The first ``free`` wrong attempts in a row cost nothing (typos); each one after that doubles
    the wait before the next attempt is even checked: ``base``, 2 x ``base``, 4 x ``base``... up
    to ``cap`` seconds. A right password clears the count. Nothing sleeps: :meth:`wait` says how
    long the caller must refuse attempts, so no server thread is held. Thread-safe (one object
    may serve every session of a process)."""

    def __init__(self, free: int = 3, base: float = 1.0, cap: float = 900.0) -> None:
        self.free, self.base, self.cap = free, base, cap
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (wrong in a row, last time)
        self._lock = threading.Lock()

    def delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` wrong attempts in a row."""
        if failures < self.free:
            return 0.0
        return min(self.base * 2 ** (failures - self.free), self.cap)

    def wait(self, key: str, now: float | None = None) -> float:
        """Seconds before an attempt for ``key`` may be checked (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures, last = self._failures.get(key, (0, 0.0))
        return max(0.0, last + self.delay(failures) - now) if failures else 0.0

    def failed(self, key: str, now: float | None = None) -> int:
        """Record a wrong attempt; returns the wrong attempts in a row."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._failures.get(key, (0, 0.0))[0] + 1
            self._failures[key] = (failures, now)
        return failures

    def succeeded(self, key: str) -> None:
        """A right password: the count for ``key`` starts again."""
        with self._lock:
            self._failures.pop(key, None)

    def reset(self) -> None:
        """Forget every count (tests; a restart does the same)."""
        with self._lock:
            self._failures.clear()
