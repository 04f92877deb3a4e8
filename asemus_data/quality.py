"""What the Data page reports about each table: rows, provenance mix, sources, completeness."""
from __future__ import annotations

import duckdb
import pandas as pd

from . import access
from .schemas import TABLES


def status_mix(con: duckdb.DuckDBPyConnection, table: str,
               audience: str = access.VISITOR) -> pd.DataFrame:
    """Rows per provenance status (documented / imported / illustrative / synthetic), among the
    rows ``audience`` may read."""
    _check(table)
    rel = access.relation(table, audience)
    return con.execute(f"SELECT status, count(*) AS rows FROM {rel} GROUP BY 1 ORDER BY 2 DESC").df()


def sources(con: duckdb.DuckDBPyConnection, table: str, limit: int = 200,
            audience: str = access.VISITOR) -> pd.DataFrame:
    """Distinct sources of the rows ``audience`` may read, with their row counts, most used first."""
    _check(table)
    rel = access.relation(table, audience)
    return con.execute(f"SELECT source, status, count(*) AS rows FROM {rel} GROUP BY 1, 2 "
                       f"ORDER BY 3 DESC, 1 LIMIT {int(limit)}").df()


def completeness(con: duckdb.DuckDBPyConnection, table: str,
                 audience: str = access.VISITOR) -> pd.DataFrame:
    """Per column ``audience`` may read: how many of its rows have no value, and the share filled."""
    _check(table)
    cols = access.visible_columns(table, audience)
    exprs = ", ".join(f'count("{c}") AS "{c}"' for c in cols)
    total, *filled = con.execute(
        f"SELECT count(*), {exprs} FROM {access.relation(table, audience)}").fetchone()
    return pd.DataFrame({"column": cols, "missing": [total - n for n in filled],
                         "filled": [n / total if total else 0.0 for n in filled]})


def completeness_by_country(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per country: institutions, those without coordinates, exhibition venues without dates or
    visitor figures, and meetings without a full date."""
    return con.execute("""
        WITH i AS (SELECT country_code, any_value(country) AS country, count(*) AS institutions,
                          count(*) FILTER (WHERE latitude IS NULL) AS no_coordinates
                   FROM institutions GROUP BY 1),
             v AS (SELECT country_code, count(*) AS venues,
                          count(*) FILTER (WHERE start_date IS NULL OR end_date IS NULL) AS venues_no_dates,
                          count(*) FILTER (WHERE visitors IS NULL) AS venues_no_visitors
                   FROM exhibition_venues GROUP BY 1),
             m AS (SELECT country_code, count(*) AS meetings,
                          count(*) FILTER (WHERE start_date IS NULL OR length(start_date) < 10)
                              AS meetings_no_full_date
                   FROM meetings WHERE country_code IS NOT NULL GROUP BY 1)
        SELECT COALESCE(i.country_code, v.country_code, m.country_code) AS country_code,
               i.country, COALESCE(i.institutions, 0) AS institutions,
               COALESCE(i.no_coordinates, 0) AS no_coordinates, COALESCE(v.venues, 0) AS venues,
               COALESCE(v.venues_no_dates, 0) AS venues_no_dates,
               COALESCE(v.venues_no_visitors, 0) AS venues_no_visitors,
               COALESCE(m.meetings, 0) AS meetings,
               COALESCE(m.meetings_no_full_date, 0) AS meetings_no_full_date
        FROM i FULL JOIN v USING (country_code) FULL JOIN m USING (country_code)
        ORDER BY institutions DESC, country_code""").df()


def table_overview(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per table: title, rows, and rows per status."""
    rows = []
    for name, spec in TABLES.items():
        mix = dict(con.execute(f'SELECT status, count(*) FROM "{name}" GROUP BY 1').fetchall())
        rows.append({"table": name, "title": spec.title, "rows": sum(mix.values()),
                     **{s: mix.get(s, 0) for s in ("documented", "imported", "illustrative", "synthetic")}})
    return pd.DataFrame(rows)


def _check(table: str) -> None:
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}")
