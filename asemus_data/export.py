"""Exports: tables to CSV, Excel, Parquet and GeoJSON files, and frames to download bytes.

Text cells that spreadsheet programs would run as formulas are neutralised (a leading apostrophe)
in CSV and Excel; names keep their UTF-8 characters (CSV is written with a BOM so Excel reads it).
"""
from __future__ import annotations

import io
import json
import math
from pathlib import Path

import duckdb
import pandas as pd

from .errors import InputError, Issue
from .schemas import TABLES
from .validate import FORMULA_PREFIXES

_NUMBER_LIKE = set("0123456789.,")


def neutralise(value):
    """Prefix an apostrophe to text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        if value[:1] in "+-" and len(value) > 1 and set(value[1:]) <= _NUMBER_LIKE:
            return value  # a signed number
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype).startswith(("str", "string")):
            out[c] = out[c].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame, source: str | None = None) -> bytes:
    """CSV (UTF-8 with BOM), formulas neutralised; ``source`` goes in a first '# Source:' line."""
    buf = io.StringIO()
    if source:
        buf.write(f"# Source: {source}\n")
    safe_frame(df).to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(df: pd.DataFrame, source: str | None = None, sheet: str = "data") -> bytes:
    """An Excel workbook with the data and, on a second sheet, its source."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        safe_frame(df).to_excel(xw, sheet_name=sheet[:31], index=False)
        if source:
            pd.DataFrame({"source": [source]}).to_excel(xw, sheet_name="source", index=False)
    return buf.getvalue()


def geojson_dict(df: pd.DataFrame, lat: str = "latitude", lon: str = "longitude") -> dict:
    """Point features for rows with coordinates; other columns become properties."""
    feats = []
    props_cols = [c for c in df.columns if c not in (lat, lon)]
    for rec in df.to_dict("records"):
        y, x = rec.get(lat), rec.get(lon)
        if y is None or x is None or (isinstance(y, float) and math.isnan(y)):
            continue
        props = {}
        for c in props_cols:
            v = rec[c]
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                props[c] = None
            elif hasattr(v, "item"):
                props[c] = v.item()
            else:
                props[c] = v
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                      "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def export_table(con: duckdb.DuckDBPyConnection, table: str, fmt: str, out) -> int:
    """Write ``table`` to ``out`` in ``fmt`` (csv, xlsx, parquet, geojson); returns the row count."""
    if table not in TABLES:
        raise InputError([Issue(str(out), f"unknown table '{table}'; tables: {', '.join(TABLES)}")])
    df = con.execute(f'SELECT * FROM "{table}"').df()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        out.write_bytes(csv_bytes(df))
    elif fmt == "xlsx":
        out.write_bytes(xlsx_bytes(df, sheet=table))
    elif fmt == "parquet":
        df.to_parquet(out, index=False)
    elif fmt == "geojson":
        if not {"latitude", "longitude"} <= set(df.columns):
            raise InputError([Issue(table, "this table has no coordinates; GeoJSON export is for "
                                    "institutions, exhibition_venues and meetings")])
        out.write_text(json.dumps(geojson_dict(df), ensure_ascii=False, default=str), encoding="utf-8")
    else:
        raise InputError([Issue(str(out), f"unknown format '{fmt}'; use csv, xlsx, parquet or geojson")])
    return len(df)
