"""Check and import a file into the store: read (any format), map (optional mapping file),
validate (schema), then write all rows or none."""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook  # loaded by .template anyway

from . import identity
from . import store as st
from .errors import InputError, Issue
from .export import FORMULA_START
from .mapping import REJECT_COLUMNS, Mapping, apply_mapping, load_mapping, resolve_table
from .quarantine import REJECT_SUFFIXES, partition, rejects_bytes, rejects_frame
from .readers import file_sha256, read_file
from .schemas import TABLES, columns
from .template import TEMPLATE_MARKER_SHEET, TEMPLATE_SKIP_ROWS
from .validate import FORMULA_PREFIXES, Validation, validate_frame


def _is_template(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        wb = load_workbook(path, read_only=True)
        try:
            return TEMPLATE_MARKER_SHEET in wb.sheetnames
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - any file openpyxl cannot open is not a template; reading it reports why
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
    resolve_table(m, table)  # a mapping written for another table is refused, naming both
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
    sha256 = file_sha256(path)
    with st.writing(store, wait=wait, progress=progress) as con:
        result, errors = _write_all(con, src, table, file_name=display_name or path.name,
                                    sha256=sha256, allow_formula_text=allow_formula_text,
                                    replace=replace)
        if errors:
            raise InputError(errors)
        return result


def _write_all(con, src: Source, table: str, *, file_name: str, sha256: str,
               allow_formula_text: bool, replace: bool, also_known: set[str] = frozenset(),
               write: bool = True) -> tuple[st.ImportResult | None, list[Issue]]:
    """Validate one source and, if it is clean and ``write``, write all its rows on ``con``.
    Returns the result (None when not written) and the errors. ``also_known`` are institution
    ids that will exist by then (a workbook's institutions sheet that was not written)."""
    df = src.frame
    # references by any identifier (M5055) become institution ids; identifier columns go
    # to the crosswalk (asemus_data.identity)
    df, idents, notes = identity.prepare(con, df, table)
    v = validate_frame(df, table, known_institutions=st.institution_ids(con) | set(also_known),
                       allow_formula_text=allow_formula_text or src.trusted_text,
                       dayfirst=src.dayfirst)
    v.warnings.extend(notes)
    if not v.ok or not write:
        return None, v.errors
    do_write = st.write_import
    if table == "institutions":
        do_write = partial(identity.write_institutions, idents=idents, write_import=do_write,
                           source_rows=df.attrs.get("source_rows"))
    result = do_write(con, v, file_name=file_name, sha256=sha256, rows_read=len(df),
                      replace=replace)
    log_source(con, result, src)
    return result, []


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

    @property
    def rows_refused(self) -> int:
        return len(self.rejects)

    def rejects_download(self, name: str) -> tuple[str, bytes, str]:
        """File name, bytes and MIME type of the refused rows, for a download button."""
        return f"{Path(name).stem}-rejects.csv", self.rejects_csv, "text/csv"


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
            result, rejects = _write_clean(con, src, table, sha256=sha256,
                                           file_name=display_name or path.name,
                                           allow_formula_text=allow_formula_text, replace=replace)
            data = rejects_bytes(rejects, encoding=src.encoding, delimiter=src.delimiter)
            if rejects_path is not None:
                rejects_path.write_bytes(data)
                written = True
    except BaseException:
        if written:
            rejects_path.unlink(missing_ok=True)
        raise
    return PartialImport(result, rejects, data, len(src.raw), left_out)


def _write_clean(con, src: Source, table: str, *, file_name: str, sha256: str,
                 allow_formula_text: bool, replace: bool
                 ) -> tuple[st.ImportResult | None, pd.DataFrame]:
    """Write the clean rows of one source on ``con``; return the result (None when no row was
    clean) and the refused rows as read, with ``_row`` and ``_reasons``."""
    frame, idents, notes = identity.prepare(con, src.frame, table)
    part = partition(frame, table, known_institutions=st.institution_ids(con),
                     allow_formula_text=allow_formula_text or src.trusted_text,
                     dayfirst=src.dayfirst,
                     taken_ids=None if replace else lambda ids: _taken_ids(con, table, ids))
    rejects = rejects_frame(src.raw, src.frame, part.rejected)
    if not part.kept:
        return None, rejects
    part.validation.warnings.extend(notes)
    write = st.write_import
    if table == "institutions":
        rows = list(frame.attrs.get("source_rows") or range(2, len(frame) + 2))
        write = partial(identity.write_institutions, write_import=write,
                        idents=identity.subset_identifiers(idents, part.kept),
                        source_rows=[rows[p] for p in part.kept])
    result = write(con, part.validation, sha256=sha256, file_name=file_name,
                   rows_read=len(src.raw), replace=replace)
    log_source(con, result, src, rows_quarantined=len(rejects))
    return result, rejects


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


# --------------------------------------------------------------------------------------------
# The whole survey workbook


@dataclass
class WorkbookImport:
    """What a whole-workbook import did, sheet by sheet (tables in the order imported)."""

    results: dict[str, st.ImportResult | None]
    sheet_rows: dict[str, int]
    #: refused rows per sheet (``partial`` only), as read, with ``_row`` and ``_reasons``
    rejects: dict[str, pd.DataFrame]
    #: sheets with no rows below the example row
    empty: list[str]

    @property
    def rows_written(self) -> int:
        return sum(r.rows_written for r in self.results.values() if r is not None)

    @property
    def rows_read(self) -> int:
        return sum(self.sheet_rows.values())

    @property
    def rows_refused(self) -> int:
        return sum(len(r) for r in self.rejects.values())

    def rejects_download(self, name: str) -> tuple[str, bytes, str]:
        """A zip of one rejects CSV per sheet (``<table>-rejects.csv``), for a download button."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for table, frame in self.rejects.items():
                if len(frame):
                    zf.writestr(f"{table}-rejects.csv", rejects_bytes(frame))
        return f"{Path(name).stem}-rejects.zip", buf.getvalue(), "application/zip"

    def summary(self) -> pd.DataFrame:
        """One row per sheet: rows read, written and refused."""
        tables = list(self.sheet_rows) + self.empty
        return pd.DataFrame({
            "sheet": tables,
            "rows read": [self.sheet_rows.get(t, 0) for t in tables],
            "rows written": [self.results[t].rows_written if self.results.get(t) else 0
                             for t in tables],
            "rows refused": [len(self.rejects[t]) if t in self.rejects else 0 for t in tables],
        })


def is_survey_workbook(path) -> bool:
    """Whether ``path`` is the member survey workbook (asemus_data.template), filled or not."""
    return _is_template(Path(path))


def workbook_tables(path) -> list[str]:
    """The tables a survey workbook has sheets for, in import order: institutions first (so that
    the other sheets can refer to them), then the others in schema order.

    Raises:
        InputError: the file is not the member survey workbook.
    """
    path = Path(path)
    if not _is_template(path):
        raise InputError([Issue(path.name, "not the member survey workbook (python -m asemus_data "
                                "template writes it): import other files one table at a time "
                                "with --table, or name the sheet in a mapping (read.sheet)")])
    wb = load_workbook(path, read_only=True)
    try:
        sheets = set(wb.sheetnames)
    finally:
        wb.close()
    order = ["institutions"] + [t for t in TABLES if t != "institutions"]
    return [t for t in order if t in sheets and TABLES[t].survey]


def _read_sheets(path: Path, name: str) -> tuple[dict[str, Source], list[str]]:
    sources: dict[str, Source] = {}
    empty: list[str] = []
    for table in workbook_tables(path):
        try:
            sources[table] = read_source(path, table, display_name=f"{name}, sheet '{table}'")
        except InputError as exc:
            if all("no rows below the example row" in i.rule or i.rule == "the file has no data "
                   "rows" for i in exc.issues):
                empty.append(table)
                continue
            raise
    if not sources:
        raise InputError([Issue(name, "every sheet of the survey workbook is empty: write your "
                                "rows from row 4 down")])
    return sources, empty


def check_workbook(path, *, store=None, allow_formula_text: bool = False,
                   display_name: str | None = None) -> dict[str, tuple[Validation, int]]:
    """Validate every filled sheet of a survey workbook without writing; institutions first, and
    the other sheets may refer to the institutions of the workbook. Returns, per table, the
    validation and the rows read (empty sheets are left out)."""
    path = Path(path)
    sources, _ = _read_sheets(path, display_name or path.name)
    try:
        reader = st.open_reader(store)
        try:
            known = st.institution_ids(reader.cursor())
        finally:
            reader.close()
    except st.StoreBusy:
        known = set()
    out: dict[str, tuple[Validation, int]] = {}
    for table, src in sources.items():
        v = validate_frame(src.frame, table, known_institutions=known,
                           allow_formula_text=allow_formula_text or src.trusted_text,
                           dayfirst=src.dayfirst)
        if table == "institutions" and "id" in src.frame.columns:
            known = known | {str(i) for i in src.frame["id"].dropna()}
        out[table] = (v, len(src.frame))
    return out


def import_workbook(path, *, store=None, allow_formula_text: bool = False,
                    display_name: str | None = None, partial: bool = False, rejects_path=None,
                    replace: bool = False, wait: float | None = None,
                    progress=None) -> WorkbookImport:
    """Import every filled sheet of a survey workbook in one go: institutions first, all sheets
    in one write (the store changes only if every sheet went in), each sheet logged.

    By default all or nothing: a problem in any sheet refuses the whole workbook, with the
    problems of every sheet reported. With ``partial``, each sheet's clean rows are written and
    its refused rows set aside (rows of later sheets that refer to a refused institution are
    refused too); with ``rejects_path`` (``rejects.csv``) they are written as
    ``rejects-<table>.csv``, each importable again with ``--table <table>``.
    """
    path = Path(path)
    name = display_name or path.name
    sources, empty = _read_sheets(path, name)
    sha256 = file_sha256(path)
    results: dict[str, st.ImportResult | None] = {}
    rejects: dict[str, pd.DataFrame] = {}
    written: list[Path] = []
    try:
        with st.writing(store, wait=wait, progress=progress) as con:
            errors: list[Issue] = []
            pending: set[str] = set()  # institutions of a sheet that was checked, not written
            for table, src in sources.items():
                if progress:
                    progress(f"sheet {table}: {len(src.frame):,} rows")
                log_name = f"{name} (sheet {table})"
                if partial:
                    results[table], rejects[table] = _write_clean(
                        con, src, table, file_name=log_name, sha256=sha256,
                        allow_formula_text=allow_formula_text, replace=replace)
                    continue
                results[table], errs = _write_all(
                    con, src, table, file_name=log_name, sha256=sha256, replace=replace,
                    allow_formula_text=allow_formula_text, also_known=pending, write=not errors)
                errors += errs
                if table == "institutions" and results[table] is None and "id" in src.frame:
                    pending = {str(i) for i in src.frame["id"].dropna()}
            if errors:
                raise InputError(errors)
            if rejects_path is not None:
                base = Path(rejects_path)
                for table, frame in rejects.items():
                    if len(frame):
                        target = base.with_name(f"{base.stem}-{table}{base.suffix or '.csv'}")
                        target.write_bytes(rejects_bytes(frame))
                        written.append(target)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return WorkbookImport(results, {t: len(s.raw) for t, s in sources.items()}, rejects, empty)


def import_workbook_bytes(data: bytes, name: str, *, mapping: bytes | None = None,
                          mapping_name: str | None = None, store=None, partial: bool = False,
                          replace: bool = False) -> WorkbookImport:
    """import_workbook for an upload held in memory (the Data page). ``mapping`` must be None:
    the workbook's sheets are read as the survey lays them out."""
    _no_mapping_for_workbook(name, mapping)
    return _with_temp_files(data, name, None, None, lambda p, _m: import_workbook(
        p, store=store, display_name=name, partial=partial, replace=replace))


def check_workbook_bytes(data: bytes, name: str, *, mapping: bytes | None = None,
                         mapping_name: str | None = None, store=None) -> tuple[Validation, int]:
    """check_workbook for an upload held in memory, as one validation (the problems and warnings
    of every sheet, each naming its sheet; the preview is the per-sheet row count) and the rows
    read, so that the Data page shows it like a single file."""
    _no_mapping_for_workbook(name, mapping)
    checks = _with_temp_files(data, name, None, None, lambda p, _m: check_workbook(
        p, store=store, display_name=name))
    merged = Validation("(every sheet)", name, pd.DataFrame({
        "sheet": list(checks), "rows": [n for _, n in checks.values()],
        "problems": [len(v.errors) for v, _ in checks.values()]}))
    for v, _ in checks.values():
        merged.errors += v.errors
        merged.warnings += v.warnings
    return merged, sum(n for _, n in checks.values())


def _no_mapping_for_workbook(name: str, mapping: bytes | None) -> None:
    if mapping is not None:
        raise InputError([Issue(name, "a mapping does not apply to the survey workbook, whose "
                                "sheets already use the table's columns; remove the mapping file")])
