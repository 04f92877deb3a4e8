"""Aggregating queries over the store. Every function takes a DuckDB connection and Filters and
returns a small frame: the browser receives aggregates, never raw rows at scale."""
from __future__ import annotations

import duckdb
import pandas as pd

from .filters import Filters, holdings_sql, institution_sql

_HOLDINGS_FROM = "holdings h JOIN institutions i ON i.id = h.institution_id"


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def facets(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame | tuple[int, int]]:
    """Options for the shared filters, from the data: value, label and row count."""
    out: dict = {}
    out["countries"] = _df(con, """SELECT country_code AS value, any_value(country) AS label,
        count(*) AS n FROM institutions GROUP BY 1 ORDER BY 2""")
    out["origins"] = _df(con, """SELECT origin_country_code AS value, any_value(origin_country) AS label,
        sum(objects) AS n FROM holdings WHERE origin_country_code IS NOT NULL GROUP BY 1 ORDER BY 2""")
    out["categories"] = _df(con, """SELECT category AS value, category AS label, sum(objects) AS n
        FROM holdings WHERE category IS NOT NULL GROUP BY 1 ORDER BY 1""")
    out["materials"] = _df(con, """SELECT material AS value, material AS label, sum(objects) AS n
        FROM holdings WHERE material IS NOT NULL GROUP BY 1 ORDER BY 3 DESC LIMIT 200""")
    lo, hi = con.execute("SELECT min(period_start), max(period_end) FROM holdings").fetchone()
    out["period"] = (int(lo) if lo is not None else -3000, int(hi) if hi is not None else 2030)
    return out


def summary(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Counts for the current selection of holdings, with the share that is illustrative."""
    where, params = holdings_sql(f)
    row = con.execute(f"""
        SELECT sum(h.collections)::BIGINT, count(DISTINCT h.institution_id), count(DISTINCT i.country_code),
               COALESCE(sum(h.objects), 0)::BIGINT,
               COALESCE(sum(CASE WHEN h.status = 'illustrative' THEN h.objects END), 0)::BIGINT,
               COALESCE(sum(CASE WHEN h.status = 'synthetic' THEN h.objects END), 0)::BIGINT,
               count(*)
        FROM {_HOLDINGS_FROM} WHERE {where}""", params).fetchone()
    collections, museums, countries, objects, illustrative, synthetic, rows = row
    objects = int(objects or 0)
    return dict(collections=int(collections or 0), museums=int(museums or 0),
                countries=int(countries or 0), objects=objects, rows=int(rows or 0),
                illustrative_share=(illustrative / objects) if objects else 0.0,
                synthetic_share=(synthetic / objects) if objects else 0.0)


def summary_sentence(s: dict) -> str:
    """'143 collections in 38 museums in 17 countries; 61 % illustrative.'"""
    if not s["rows"]:
        return "No holdings match the filters."
    text = (f"{s['collections']:,} collections and {s['objects']:,} objects in {s['museums']:,} "
            f"museums in {s['countries']:,} countries")
    marks = []
    if s["illustrative_share"]:
        marks.append(f"{s['illustrative_share']:.0%} illustrative")
    if s["synthetic_share"]:
        marks.append(f"{s['synthetic_share']:.0%} synthetic")
    return text + ("; " + ", ".join(marks) if marks else "") + "."


def institutions(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Institutions matching the institution-level filters (all columns)."""
    where, params = institution_sql(f)
    return _df(con, f"SELECT * FROM institutions i WHERE {where} ORDER BY i.name", params)
