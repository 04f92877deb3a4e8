"""The embedded store: a DuckDB file built from ``data/``, imports written in one transaction,
and an import log. Filtering and aggregation run here, in SQL."""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from . import illustrative
from .errors import InputError, Issue, StoreBusy
from .paths import DATA_DIR, store_path
from .schemas import TABLES, column_info, columns
from .validate import Validation, validate_frame

SCHEMA_VERSION = "1"
_SQL_TYPES = {"Int64": "BIGINT", "float64": "DOUBLE", "boolean": "BOOLEAN"}
#: Tables built from data/*.csv (the rest start empty, or are generated).
DATA_TABLES = [t for t in TABLES if t not in ("collections", "visitor_stats")]

HOLDINGS_VIEW = """
CREATE OR REPLACE VIEW holdings AS
SELECT id, institution_id, title, origin_culture, origin_country_code, origin_country, category,
       material, period_start, period_end, date_text, COALESCE(object_count, 0) AS objects,
       1 AS collections, ownership, display, source, status, 'collection' AS level
FROM collections
UNION ALL
SELECT id, institution_id, title, origin_culture, origin_country_code, origin_country, category,
       material, period_start, period_end, date_text, 1 AS objects, 0 AS collections,
       NULL AS ownership, NULL AS display, source, status, 'object' AS level
FROM objects
"""


def _sql_type(dtype: str) -> str:
    return _SQL_TYPES.get(dtype, "VARCHAR")


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (empty), the import log, the meta table and the views."""
    for name in TABLES:
        info = column_info(name)
        cols = ", ".join(f'"{r.column}" {_sql_type(r.type)}' for r in info.itertuples())
        con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({cols})')
    con.execute("""CREATE TABLE IF NOT EXISTS import_log (
        file_name VARCHAR, sha256 VARCHAR, table_name VARCHAR, rows_read BIGINT,
        rows_written BIGINT, warnings BIGINT, imported_at TIMESTAMP, note VARCHAR)""")
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute(HOLDINGS_VIEW)


def insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
    """Append ``df`` (already validated) to ``table``; returns the row count."""
    frame = df.reindex(columns=columns(table))
    con.register("_incoming", frame)
    try:
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _incoming')
    finally:
        con.unregister("_incoming")
    return len(frame)


def data_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """Hash of the data files and the generator, so a stale store can be noticed."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for p in sorted(data_dir.glob("*.csv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    h.update(Path(illustrative.__file__).read_bytes())
    return h.hexdigest()[:16]


def read_default_table(table: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Read and validate one of the built-in data files."""
    path = data_dir / f"{table}.csv"
    if not path.exists():
        return pd.DataFrame(columns=columns(table))
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.attrs["file"] = f"data/{path.name}"
    return raw


def load_default_frames(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Every built-in table, validated, plus the illustrative holdings. Raises InputError."""
    frames: dict[str, pd.DataFrame] = {}
    issues: list[Issue] = []
    inst_raw = read_default_table("institutions", data_dir)
    v = validate_frame(inst_raw, "institutions", allow_formula_text=True)
    issues += v.errors
    frames["institutions"] = v.frame
    known = set(v.frame["id"])
    for table in DATA_TABLES:
        if table == "institutions":
            continue
        raw = read_default_table(table, data_dir)
        if len(raw) == 0:
            frames[table] = raw
            continue
        v = validate_frame(raw, table, known_institutions=known, allow_formula_text=True)
        issues += v.errors
        frames[table] = v.frame
    if issues:
        raise InputError(issues)
    holdings = illustrative.generate_holdings(frames["institutions"])
    v = validate_frame(holdings, "collections", file="illustrative holdings", known_institutions=known)
    if v.errors:
        raise InputError(v.errors)
    frames["collections"] = v.frame
    return frames


def build(path: Path | None = None, *, data_dir: Path = DATA_DIR,
          progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """(Re)build the store from ``data/``. Written to a temporary file and moved into place, so a
    failed build leaves the previous store untouched. Returns rows per table."""
    path = Path(path or store_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _m: None)
    say("validating data files")
    frames = load_default_frames(data_dir)
    tmp = path.with_name(path.name + f".building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    try:
        create_tables(con)
        for table, df in frames.items():
            say(f"writing {table}")
            counts[table] = insert(con, table, df) if len(df) else 0
        con.execute("INSERT INTO meta VALUES ('data_fingerprint', ?), ('built_at', ?), "
                    "('schema_version', ?), ('kind', 'default')",
                    [data_fingerprint(data_dir), time.strftime("%Y-%m-%d %H:%M:%S"), SCHEMA_VERSION])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return counts


def ensure(path: Path | None = None, *, data_dir: Path = DATA_DIR) -> Path:
    """Build the store on first use; rebuild a default store whose data files changed, unless
    imports were written into it (those are never thrown away silently)."""
    path = Path(path or store_path())
    if not path.exists():
        build(path, data_dir=data_dir)
        return path
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException:
        return path  # in use by a writer: read what is there
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        n_imports = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
    except duckdb.Error:
        meta, n_imports = {}, 0
    finally:
        con.close()
    if (meta.get("kind", "default") == "default" and n_imports == 0
            and meta.get("data_fingerprint") != data_fingerprint(data_dir)):
        build(path, data_dir=data_dir)
    return path


def connect(path: Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store (building it first if needed)."""
    path = ensure(path)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise StoreBusy(f"the store {path} is in use by another process; close it and try again "
                        f"({exc})") from exc


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """A whole table as a frame (for small tables; large ones are queried in SQL)."""
    if table not in TABLES and table != "import_log":
        raise KeyError(table)
    return con.execute(f'SELECT * FROM "{table}"').df()


def institution_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT id FROM institutions").fetchall()}


@dataclass
class ImportResult:
    table: str
    file: str
    rows_read: int
    rows_written: int
    warnings: list[Issue]


def write_import(con: duckdb.DuckDBPyConnection, validation: Validation, *, file_name: str,
                 sha256: str, rows_read: int) -> ImportResult:
    """Write a clean validation into the store: all rows or none, in one transaction, with an
    import-log row. Rows whose id is already in the table are refused (the store is unchanged)."""
    if not validation.ok:
        raise InputError(validation.errors)
    table, df = validation.table, validation.frame
    if "id" in df.columns:
        con.register("_ids", df[["id"]])
        try:
            clash = con.execute(f'SELECT t.id FROM "{table}" t JOIN _ids USING (id) LIMIT 5').fetchall()
        finally:
            con.unregister("_ids")
        if clash:
            raise InputError([Issue(file_name, "id already in the store: this row was imported "
                                    "before, or its id is taken", column="id", value=c[0])
                              for c in clash])
    con.execute("BEGIN TRANSACTION")
    try:
        n = insert(con, table, df)
        con.execute("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, now(), ?)",
                    [file_name, sha256, table, rows_read, n, len(validation.warnings),
                     "; ".join(str(w) for w in validation.warnings[:5]) or None])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return ImportResult(table, file_name, rows_read, n, validation.warnings)


def import_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM import_log ORDER BY imported_at DESC").df()
