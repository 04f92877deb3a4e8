"""Check and import a file into the store: read (any format), map (optional mapping file),
validate (schema), then write all rows or none."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from . import identity
from . import store as st
from .errors import InputError, Issue
from .export import FORMULA_START
from .mapping import REJECT_COLUMNS, Mapping, apply_mapping, load_mapping
from .quarantine import REJECT_SUFFIXES, partition, rejects_bytes, rejects_frame
from .readers import file_sha256, read_file
from .schemas import TABLES, columns
from .template import TEMPLATE_MARKER_SHEET, TEMPLATE_SKIP_ROWS
from .validate import FORMULA_PREFIXES, Validation, validate_frame


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


@dataclass
class Source:
    """A file read for one table: the mapped frame, the frame as read (for a rejects file), the
    mapping used and how the file was read."""

    frame: pd.DataFrame
    raw: pd.DataFrame
    mapping: Mapping | None
    dayfirst: bool
    encoding: str | None = None
    delimiter: str | None = None
    #: a dashboard export whose formula-like cells all carried the export's guard apostrophe,
    #: removed on reading: they were text in the store, so they are accepted as text again
    trusted_text: bool = False


def read_source(path, table: str, *, mapping=None, display_name: str | None = None) -> Source:
    """Read a file for ``table``: the table's own sheet in a survey workbook, the first sheet or
    the file otherwise, then apply the mapping. The columns ``_row`` and ``_reasons`` of a rejects
    file are dropped."""
    path = Path(path)
    name = display_name or path.name
    if table not in TABLES:
        raise InputError([Issue(name, f"unknown table '{table}'; tables: {', '.join(TABLES)}")])
    if _is_template(path) and mapping is None:
        df = read_file(path, display_name=name, sheet=table)
        rows = list(df.attrs.get("source_rows") or [])
        keep = [i for i, r in enumerate(rows) if r not in TEMPLATE_SKIP_ROWS]
        attrs = dict(df.attrs)
        df = df.iloc[keep].reset_index(drop=True)
        attrs["source_rows"] = [rows[i] for i in keep]
        df.attrs = attrs
        if len(df) == 0:
            raise InputError([Issue(name, f"the sheet '{table}' has no rows below the example row")])
        return Source(_without_reject_columns(df), df, None, True)
    m = load_mapping(mapping) if mapping is not None else None
    if m is not None and m.table and m.table != table:
        raise InputError([Issue(str(mapping), f"the mapping is for table '{m.table}', not '{table}'")])
    options = dict(m.read) if m else {}
    raw = read_file(path, display_name=name, **options)
    trusted = False
    if _is_dashboard_export(path, raw):
        raw, trusted = _unguard(raw)
    df = apply_mapping(raw, m) if m is not None else _without_reject_columns(raw)
    return Source(df, raw, m, m.dayfirst if m is not None else True,
                  encoding=options.get("encoding") or raw.attrs.get("encoding"),
                  delimiter=options.get("delimiter") or raw.attrs.get("delimiter"),
                  trusted_text=trusted)


def _is_dashboard_export(path: Path, raw: pd.DataFrame) -> bool:
    """Written by asemus_data.export: a CSV with a '# Source:' line above the header, or a
    workbook with a 'source' sheet after the data."""
    if raw.attrs.get("format") == "csv":
        return any(line.startswith("Source:") for line in raw.attrs.get("provenance") or ())
    if raw.attrs.get("format") != "excel":
        return False
    try:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True)
        try:
            return "source" in wb.sheetnames[1:] and wb["source"]["A1"].value == "source"
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - unreadable here means: not one of our exports
        return False


# The export's guard: an apostrophe before a formula character at the start of the text, of a
# line in it, or of a part after a delimiter (asemus_data.export.neutralise).
_GUARDED = re.compile(r"(\A|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029,;\t])([ \"]*)'(?=[{}])".format(
    re.escape("".join(FORMULA_START))))

_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9.,]*(?:[eE][+-]?[0-9]+)?\Z")


def _unguard(raw: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Remove the export's guard apostrophes. Returns the frame and whether every cell that now
    begins like a formula had been guarded (so none was typed in by hand since)."""
    out = raw.copy()
    out.attrs = dict(raw.attrs)
    trusted = True
    for col in out.columns:
        cells = []
        for v in out[col]:
            if isinstance(v, str):
                plain = _GUARDED.sub(r"\1\2", v)
                if (plain == v and v.lstrip().startswith(FORMULA_PREFIXES)
                        and not _SIGNED_NUMBER.match(v.strip())):
                    trusted = False
                v = plain
            cells.append(v)
        out[col] = pd.Series(cells, index=out.index, dtype=object)
    return out, trusted


def _without_reject_columns(df: pd.DataFrame) -> pd.DataFrame:
    if not any(c in df.columns for c in REJECT_COLUMNS):
        return df
    out = df.drop(columns=[c for c in REJECT_COLUMNS if c in df.columns])
    out.attrs = dict(df.attrs)
    return out


def read_input(path, table: str, *, mapping=None, display_name: str | None = None
               ) -> tuple[pd.DataFrame, bool]:
    """Read a file for ``table`` (see :func:`read_source`). Returns the frame and whether dates
    are read day first."""
    src = read_source(path, table, mapping=mapping, display_name=display_name)
    return src.frame, src.dayfirst


def check_file(path, table: str, *, mapping=None, store=None, allow_formula_text: bool = False,
               display_name: str | None = None) -> tuple[Validation, int]:
    """Validate a file against a table without writing. Returns the validation and rows read."""
    src = read_source(path, table, mapping=mapping, display_name=display_name)
    df, dayfirst = src.frame, src.dayfirst
    allow_formula_text = allow_formula_text or src.trusted_text
    try:
        reader = st.open_reader(store)
        try:
            known = st.institution_ids(reader.cursor())
            # what the import will do: references by identifier resolved, identifiers set apart
            df, _idents, notes = identity.prepare(reader.cursor(), df, table)
        finally:
            reader.close()
    except st.StoreBusy:
        known, notes = None, []
    v = validate_frame(df, table, known_institutions=known, allow_formula_text=allow_formula_text,
                       dayfirst=dayfirst)
    v.warnings.extend(notes)
    return v, len(df)


def import_file(path, table: str, *, mapping=None, store=None, allow_formula_text: bool = False,
                display_name: str | None = None, replace: bool = False, wait: float | None = None,
                progress=None) -> st.ImportResult:
    """Validate, then write every row or none (one transaction), and log the import.

    A file whose content was already imported into ``table`` is refused unless ``replace`` (the
    earlier import's rows are then removed in the same transaction). The app goes on reading
    the store meanwhile; another writer is waited for up to ``wait`` seconds (``progress`` is
    told), see store.writing."""
    path = Path(path)
    src = read_source(path, table, mapping=mapping, display_name=display_name)
    df, dayfirst = src.frame, src.dayfirst
    allow_formula_text = allow_formula_text or src.trusted_text
    sha256 = file_sha256(path)
    with st.writing(store, wait=wait, progress=progress) as con:
        # references by any identifier (M5055) become institution ids; identifier columns go
        # to the crosswalk (asemus_data.identity)
        df, idents, notes = identity.prepare(con, df, table)
        v = validate_frame(df, table, known_institutions=st.institution_ids(con),
                           allow_formula_text=allow_formula_text, dayfirst=dayfirst)
        v.warnings.extend(notes)
        if not v.ok:
            raise InputError(v.errors)
        write = st.write_import
        if table == "institutions":
            write = partial(identity.write_institutions, idents=idents, write_import=write,
                            source_rows=df.attrs.get("source_rows"))
        result = write(con, v, file_name=display_name or path.name, sha256=sha256,
                       rows_read=len(df), replace=replace)
        log_source(con, result, src)
        return result


@dataclass
class PartialImport:
    """What ``import --quarantine`` did: the import of the clean rows (``None`` when no row was
    clean, and nothing was written) and the refused rows as read, with ``_row`` and ``_reasons``."""

    result: st.ImportResult | None
    rejects: pd.DataFrame
    rejects_csv: bytes
    rows_read: int
    rows_left_out: int

    @property
    def rows_written(self) -> int:
        return self.result.rows_written if self.result else 0


def import_partial(path, table: str, *, mapping=None, store=None,
                   allow_formula_text: bool = False, display_name: str | None = None,
                   rejects_path=None, replace: bool = False, wait: float | None = None,
                   progress=None) -> PartialImport:
    """Import the rows that pass validation in one transaction and set the others aside.

    The refused rows are returned (and written to ``rejects_path`` when given) as they were read
    from the file, in its encoding and delimiter, with ``_row`` and ``_reasons`` added: fixed,
    that file imports again through the same mapping. The rejects file is written before the
    store is updated, and removed again if the update fails, so the two never disagree.
    Problems of the whole file (a missing column, a file imported before) still refuse it all.
    """
    path = Path(path)
    if rejects_path is not None:
        rejects_path = Path(rejects_path)
        if rejects_path.suffix.lower() not in REJECT_SUFFIXES:
            raise InputError([Issue(str(rejects_path), "the rejects file is a CSV: name it .csv",
                                    value=rejects_path.name)])
        if rejects_path.resolve() == path.resolve():
            raise InputError([Issue(str(rejects_path), "the rejects file would overwrite the file "
                                    "being imported; choose another name")])
    src = read_source(path, table, mapping=mapping, display_name=display_name)
    sha256 = file_sha256(path)
    left_out = len(src.frame.attrs.get("left_out_rows") or [])
    written = False
    try:
        with st.writing(store, wait=wait, progress=progress) as con:
            frame, idents, notes = identity.prepare(con, src.frame, table)
            part = partition(frame, table, known_institutions=st.institution_ids(con),
                             allow_formula_text=allow_formula_text or src.trusted_text,
                             dayfirst=src.dayfirst,
                             taken_ids=None if replace else lambda ids: _taken_ids(con, table, ids))
            rejects = rejects_frame(src.raw, src.frame, part.rejected)
            data = rejects_bytes(rejects, encoding=src.encoding, delimiter=src.delimiter)
            result = None
            if part.kept:
                part.validation.warnings.extend(notes)
                write = st.write_import
                if table == "institutions":
                    rows = list(frame.attrs.get("source_rows") or range(2, len(frame) + 2))
                    write = partial(identity.write_institutions, write_import=write,
                                    idents=identity.subset_identifiers(idents, part.kept),
                                    source_rows=[rows[p] for p in part.kept])
                result = write(con, part.validation, sha256=sha256,
                               file_name=display_name or path.name,
                               rows_read=len(src.raw), replace=replace)
                log_source(con, result, src, rows_quarantined=len(rejects))
            if rejects_path is not None:
                rejects_path.write_bytes(data)
                written = True
    except BaseException:
        if written:
            rejects_path.unlink(missing_ok=True)
        raise
    return PartialImport(result, rejects, data, len(src.raw), left_out)


def _taken_ids(con, table: str, ids: list[str]) -> set[str]:
    if "id" not in columns(table):
        return set()
    con.register("_incoming_ids", pd.DataFrame({"id": ids}))
    try:
        return {r[0] for r in con.execute(
            f'SELECT DISTINCT t.id FROM "{table}" t JOIN _incoming_ids USING (id)').fetchall()}
    finally:
        con.unregister("_incoming_ids")


def log_source(con, result: st.ImportResult, src: Source, *, rows_quarantined: int = 0) -> None:
    """Record in the import log the mapping used (file name and SHA-256) and where the rows read
    went: rows read (data rows of the file), quarantined, left out by keep/drop steps."""
    if result.import_id is None:
        return
    m = src.mapping
    mpath = Path(m.path) if m is not None and m.path else None
    con.execute("UPDATE import_log SET mapping_file = ?, mapping_sha256 = ?, rows_read = ?, "
                "rows_quarantined = ?, rows_left_out = ? WHERE import_id = ?",
                [mpath.name if mpath else None,
                 file_sha256(mpath) if mpath and mpath.is_file() else None,
                 len(src.raw), rows_quarantined,
                 len(src.frame.attrs.get("left_out_rows") or []), result.import_id])


def _with_temp_files(data: bytes, name: str, mapping: bytes | None, mapping_name: str | None, fn):
    """Run ``fn(path, mapping_path)`` on uploaded bytes written to a private temporary folder."""
    import tempfile
    safe = Path(name).name or "upload"
    with tempfile.TemporaryDirectory(prefix="asemus-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        mpath = None
        if mapping is not None:
            # its own folder, so that messages and the import log show the name it was uploaded as
            mpath = Path(tmp) / "mapping" / (Path(mapping_name or "mapping.yaml").name)
            mpath.parent.mkdir()
            mpath.write_bytes(mapping)
        return fn(path, mpath)


def check_bytes(data: bytes, name: str, table: str, *, mapping: bytes | None = None,
                mapping_name: str | None = None, store=None) -> tuple[Validation, int]:
    """check_file for an upload held in memory. Raises InputError for an unreadable file."""
    return _with_temp_files(data, name, mapping, mapping_name, lambda p, m: check_file(
        p, table, mapping=m, store=store, display_name=name))


def import_bytes(data: bytes, name: str, table: str, *, mapping: bytes | None = None,
                 mapping_name: str | None = None, store=None,
                 replace: bool = False) -> st.ImportResult:
    """import_file for an upload held in memory: all rows or none, logged."""
    return _with_temp_files(data, name, mapping, mapping_name, lambda p, m: import_file(
        p, table, mapping=m, store=store, display_name=name, replace=replace))


def import_partial_bytes(data: bytes, name: str, table: str, *, mapping: bytes | None = None,
                         mapping_name: str | None = None, store=None,
                         replace: bool = False) -> PartialImport:
    """import_partial for an upload held in memory: the clean rows written, the refused ones
    returned (``rejects_csv``) for download."""
    return _with_temp_files(data, name, mapping, mapping_name, lambda p, m: import_partial(
        p, table, mapping=m, store=store, display_name=name, replace=replace))
