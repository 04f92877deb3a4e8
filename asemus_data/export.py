"""Exports: tables to CSV, Excel, Parquet and GeoJSON files, and frames to download bytes.

Nothing the app writes to a CSV or Excel file can run as a spreadsheet formula: a text cell that
would (``=``, ``+``, ``-``, ``@``, a tab, a carriage return, their full-width forms) gets a leading
apostrophe, and so does every *line* inside a multi-line cell and every part after a ``,``, ``;``
or tab (a spreadsheet set to another delimiter would split the cell there). Provenance text (the
``# Source:`` line, the Excel source sheet) is one line: line breaks and control characters become
spaces. Names keep their UTF-8 characters (CSV is written with a BOM so Excel reads it).
"""
from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import duckdb
import pandas as pd

from .errors import InputError, Issue
from .open_data import credit
from .schemas import TABLES
from .validate import FORMULA_PREFIXES

#: First characters that make a spreadsheet read a cell as a formula (full-width forms too:
#: East Asian spreadsheet settings read them as their ASCII twins).
FORMULA_START = tuple(FORMULA_PREFIXES) + ("\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-][0-9][0-9.,]*\Z")
# the start of a text, of a line in it, or of a part after a delimiter (spaces and a quote
# before the formula character do not stop a spreadsheet from running it)
_CELL_START = re.compile(r"(\A|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029,;\t])([ \"]*)(?=[{}])".format(
    re.escape("".join(FORMULA_START))))
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# characters an .xlsx file cannot hold (openpyxl refuses them)
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _guard(match: re.Match) -> str:
    start, pad = match.group(1), match.group(2)
    rest = match.string[match.end():]
    token = re.match(r"[^,;\t\n\r]*", rest).group(0).rstrip()
    if _NUMBER.match(token):
        return match.group(0)  # a signed number such as -12 or +3.5
    return f"{start}{pad}'"


def neutralise(value):
    """Text that no spreadsheet runs as a formula: an apostrophe before a formula character at
    the start of the text, of each line in it and of each part after a delimiter. Other values
    are returned as they are."""
    if not isinstance(value, str):
        return value
    return _CELL_START.sub(_guard, value)


def one_line(text) -> str:
    """Provenance text as one plain line: line breaks and control characters become a space."""
    return _LINE_BREAKS.sub(" ", str(text)).strip()


def provenance(text) -> str:
    """A source text safe to write where a spreadsheet reads it: one line, no double quotes
    (a quote would open a CSV field), formulas neutralised."""
    return neutralise(one_line(text).replace('"', "'"))


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or str(series.dtype).startswith(("str", "string", "category"))


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and every column name neutralised."""
    out = df.copy()
    for c in out.columns:
        if _is_text(out[c]):
            out[c] = out[c].astype(object).map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def credited(df: pd.DataFrame, source: str | None) -> str | None:
    """``source`` with the credit that shipped open data requires (asemus_data.open_data:
    'Ministère de la Culture, ..., Licence Ouverte / Etalab 2.0') when the source or the rows'
    own ``source`` column cite it."""
    cited = (" ".join(str(v) for v in pd.unique(df["source"].dropna())[:1000])
             if "source" in df.columns else "")
    c = credit(f"{source or ''} {cited}")
    if not c or c in (source or ""):
        return source
    return "; ".join(x for x in (source, c) if x)


def csv_bytes(df: pd.DataFrame, source: str | None = None) -> bytes:
    """CSV (UTF-8 with BOM), formulas neutralised; ``source`` goes in a first '# Source:' line,
    with the credit any shipped open data in it requires (:func:`credited`)."""
    source = credited(df, source)
    buf = io.StringIO()
    if source:
        buf.write(f"# Source: {provenance(source)}\n")
    safe_frame(df).to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_text(value):
    return _XLSX_ILLEGAL.sub(" ", value) if isinstance(value, str) else value


def xlsx_bytes(df: pd.DataFrame, source: str | None = None, sheet: str = "data") -> bytes:
    """An Excel workbook with the data and, on a second sheet, its source (formulas neutralised,
    characters a workbook cannot hold replaced by a space)."""
    source = credited(df, source)
    data = safe_frame(df)
    for c in data.columns:
        if _is_text(data[c]):
            data[c] = data[c].map(_xlsx_text)
    data.columns = [_xlsx_text(c) for c in data.columns]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        data.to_excel(xw, sheet_name=sheet[:31], index=False)
        if source:
            pd.DataFrame({"source": [provenance(source)]}).to_excel(xw, sheet_name="source",
                                                                    index=False)
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
    # the source line / sheet also tells the importer the file is one of ours (round trip)
    source = f"ASEMUS collections dashboard, table {table}"
    if fmt == "csv":
        out.write_bytes(csv_bytes(df, source))
    elif fmt == "xlsx":
        out.write_bytes(xlsx_bytes(df, source, sheet=table))
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
