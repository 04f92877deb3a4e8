"""Who may read what: the one place where personal data is kept from visitors.

Every read of a table that can hold personal data goes through :func:`relation` (SQL) or
:func:`read_table` (a frame) with an *audience*: ``VISITOR`` (anyone who opens the dashboard,
the default) or ``STAFF`` (signed in with the staff password). For visitors, the rows that hold
personal data are dropped (every expert, and any row not marked ``personal_data = false``) and
the personal columns are left out, so no page, download, saved view or conference pack built
from these reads can show them. Aggregates (counts per field or country) may still use every row.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from .schemas import TABLES, columns

VISITOR = "visitor"
STAFF = "staff"
AUDIENCES = (VISITOR, STAFF)

#: Columns that hold personal data: never read for visitors.
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {"people": ("email",)}
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
