"""A table of any size on the Data page: counted and read a page at a time in SQL, and its
downloads built when asked for, in chunks (never the whole table as one pandas frame).

Every read goes through :func:`access.relation`, so a visitor's pages and files hold no
personal rows or columns. Pages follow the table's stored order: DuckDB keeps insertion order
for a plain scan (``preserve_insertion_order``, on by default), so ``LIMIT/OFFSET`` pages are
stable without sorting a million rows for each page.
"""
from __future__ import annotations

import io
import os
import tempfile

import duckdb
import pandas as pd

from . import access, export, quality
from .errors import InputError, Issue
from .open_data import credits_in

#: Rows per page of the table shown.
PAGE_ROWS = 500
#: Rows of data an Excel sheet holds (1,048,576 rows, one of them the header).
EXCEL_MAX_ROWS = 1_048_576 - 1
#: Rows converted at a time for a CSV download.
CHUNK_ROWS = 100_000


def row_count(con: duckdb.DuckDBPyConnection, table: str, audience: str = access.VISITOR) -> int:
    """Rows of ``table`` that ``audience`` may read (counted in SQL)."""
    return int(con.execute(f"SELECT count(*) FROM {access.relation(table, audience)}")
               .fetchone()[0])


def page_count(rows: int, size: int = PAGE_ROWS) -> int:
    """Pages of ``size`` rows needed for ``rows`` (at least 1)."""
    return max(1, -(-int(rows) // int(size)))


def page(con: duckdb.DuckDBPyConnection, table: str, number: int,
         audience: str = access.VISITOR, size: int = PAGE_ROWS) -> pd.DataFrame:
    """Page ``number`` (1-based; clamped to the pages there are) of ``table`` as ``audience``
    may read it: at most ``size`` rows, by LIMIT/OFFSET."""
    number = max(1, int(number))
    return con.execute(f"SELECT * FROM {access.relation(table, audience)} LIMIT ? OFFSET ?",
                       [int(size), (number - 1) * int(size)]).df()


def table_stats(con: duckdb.DuckDBPyConnection, table: str,
                audience: str = access.VISITOR) -> dict:
    """What the Data page shows about ``table`` besides its rows, all counted in SQL: ``rows``,
    ``hidden`` (rows only staff read), ``status_mix``, ``completeness`` and ``sources``."""
    return {"rows": row_count(con, table, audience),
            "hidden": access.hidden_rows(con, table, audience),
            "status_mix": quality.status_mix(con, table, audience),
            "completeness": quality.completeness(con, table, audience),
            "sources": quality.sources(con, table, audience=audience)}


def _source(table: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """A download's source line: the table, and the credit its open-data rows require."""
    credit = credits_in(con, (table,)) if con is not None else []
    return f"ASEMUS dashboard, table {table}" + "".join(f"; {c}" for c in credit)


def csv_download(con: duckdb.DuckDBPyConnection, table: str,
                 audience: str = access.VISITOR) -> bytes:
    """The whole table (as ``audience`` may read it) as export.csv_bytes writes a frame
    (UTF-8 BOM, '# Source:' line, formulas neutralised), converted ``CHUNK_ROWS`` at a time."""
    source = _source(table, con)  # before the rows' query: a query on con would end its result
    result = con.execute(f"SELECT * FROM {access.relation(table, audience)}")
    vectors = max(1, CHUNK_ROWS // 2048)  # DuckDB hands rows over in vectors of 2,048
    out = io.StringIO()
    out.write("\ufeff# Source: " + export.provenance(source) + "\n")
    header = True
    while len(chunk := result.fetch_df_chunk(vectors)):
        export.safe_frame(chunk).to_csv(out, index=False, header=header, lineterminator="\n")
        header = False
    if header:  # no rows: the column names alone
        cols = access.visible_columns(table, audience)
        export.safe_frame(pd.DataFrame(columns=cols)).to_csv(out, index=False,
                                                             lineterminator="\n")
    return out.getvalue().encode("utf-8")


def parquet_download(con: duckdb.DuckDBPyConnection, table: str,
                     audience: str = access.VISITOR) -> bytes:
    """The whole table (as ``audience`` may read it) as Parquet, written by DuckDB itself."""
    fd, tmp = tempfile.mkstemp(suffix=".parquet", prefix="asemus-")
    os.close(fd)
    try:
        con.execute(f"COPY (SELECT * FROM {access.relation(table, audience)}) TO '{tmp}' "
                    "(FORMAT parquet)")
        with open(tmp, "rb") as fh:
            return fh.read()
    finally:
        os.remove(tmp)


def excel_refusal(table: str, rows: int) -> str | None:
    """Why ``rows`` rows of ``table`` cannot go into an Excel workbook, or None when they can."""
    if rows <= EXCEL_MAX_ROWS:
        return None
    return (f"Excel is not offered for '{table}': its {rows:,} rows are more than an Excel sheet "
            f"holds ({EXCEL_MAX_ROWS + 1:,} rows with the header). Download CSV or Parquet "
            "instead; both hold every row.")


def xlsx_download(con: duckdb.DuckDBPyConnection, table: str,
                  audience: str = access.VISITOR) -> bytes:
    """The whole table as an Excel workbook (export.xlsx_bytes). Raises InputError, with
    :func:`excel_refusal`'s message, past an Excel sheet's row limit."""
    why = excel_refusal(table, row_count(con, table, audience))
    if why:
        raise InputError([Issue(table, why)])
    df = con.execute(f"SELECT * FROM {access.relation(table, audience)}").df()
    return export.xlsx_bytes(df, _source(table, con), sheet=table)
