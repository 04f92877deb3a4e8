"""Check and import a file into the store: read (any format), map (optional mapping file),
validate (schema), then write all rows or none."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import store as st
from .errors import InputError, Issue
from .mapping import read_with_mapping
from .readers import file_sha256
from .schemas import TABLES
from .template import TEMPLATE_MARKER_SHEET, TEMPLATE_SKIP_ROWS
from .validate import Validation, validate_frame


def _is_template(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True)
        try:
            return TEMPLATE_MARKER_SHEET in wb.sheetnames
        finally:
            wb.close()
    except Exception:
        return False


def read_input(path, table: str, *, mapping=None, display_name: str | None = None
               ) -> tuple[pd.DataFrame, bool]:
    """Read a file for ``table``: the table's own sheet in a survey workbook, the first sheet or
    the file otherwise. Returns the frame and whether a mapping said ``dayfirst``."""
    path = Path(path)
    name = display_name or path.name
    if table not in TABLES:
        raise InputError([Issue(name, f"unknown table '{table}'; tables: {', '.join(TABLES)}")])
    if _is_template(path) and mapping is None:
        from .readers import read_file
        df = read_file(path, display_name=name, sheet=table)
        rows = list(df.attrs.get("source_rows") or [])
        keep = [i for i, r in enumerate(rows) if r not in TEMPLATE_SKIP_ROWS]
        attrs = dict(df.attrs)
        df = df.iloc[keep].reset_index(drop=True)
        attrs["source_rows"] = [rows[i] for i in keep]
        df.attrs = attrs
        if len(df) == 0:
            raise InputError([Issue(name, f"the sheet '{table}' has no rows below the example row")])
        return df, True
    df, m = read_with_mapping(path, mapping, display_name=name)
    if m is not None and m.table and m.table != table:
        raise InputError([Issue(str(mapping), f"the mapping is for table '{m.table}', not '{table}'")])
    return df, (m.dayfirst if m is not None else True)


def check_file(path, table: str, *, mapping=None, store=None, allow_formula_text: bool = False,
               display_name: str | None = None) -> tuple[Validation, int]:
    """Validate a file against a table without writing. Returns the validation and rows read."""
    df, dayfirst = read_input(path, table, mapping=mapping, display_name=display_name)
    try:
        con = st.connect(store, read_only=True)
        try:
            known = st.institution_ids(con)
        finally:
            con.close()
    except st.StoreBusy:
        known = None
    v = validate_frame(df, table, known_institutions=known, allow_formula_text=allow_formula_text,
                       dayfirst=dayfirst)
    return v, len(df)


def import_file(path, table: str, *, mapping=None, store=None, allow_formula_text: bool = False,
                display_name: str | None = None) -> st.ImportResult:
    """Validate, then write every row or none (one transaction), and log the import."""
    path = Path(path)
    df, dayfirst = read_input(path, table, mapping=mapping, display_name=display_name)
    con = st.connect(store)
    try:
        v = validate_frame(df, table, known_institutions=st.institution_ids(con),
                           allow_formula_text=allow_formula_text, dayfirst=dayfirst)
        if not v.ok:
            raise InputError(v.errors)
        return st.write_import(con, v, file_name=display_name or path.name,
                               sha256=file_sha256(path), rows_read=len(df))
    finally:
        con.close()


def _with_temp_files(data: bytes, name: str, mapping: bytes | None, mapping_name: str | None, fn):
    """Run ``fn(path, mapping_path)`` on uploaded bytes written to a private temporary folder."""
    import tempfile
    safe = Path(name).name or "upload"
    with tempfile.TemporaryDirectory(prefix="asemus-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        mpath = None
        if mapping is not None:
            mpath = Path(tmp) / ("mapping-" + Path(mapping_name or "mapping.yaml").name)
            mpath.write_bytes(mapping)
        return fn(path, mpath)


def check_bytes(data: bytes, name: str, table: str, *, mapping: bytes | None = None,
                mapping_name: str | None = None, store=None) -> tuple[Validation, int]:
    """check_file for an upload held in memory. Raises InputError for an unreadable file."""
    return _with_temp_files(data, name, mapping, mapping_name, lambda p, m: check_file(
        p, table, mapping=m, store=store, display_name=name))


def import_bytes(data: bytes, name: str, table: str, *, mapping: bytes | None = None,
                 mapping_name: str | None = None, store=None) -> st.ImportResult:
    """import_file for an upload held in memory: all rows or none, logged."""
    return _with_temp_files(data, name, mapping, mapping_name, lambda p, m: import_file(
        p, table, mapping=m, store=store, display_name=name))
