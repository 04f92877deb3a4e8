"""The embedded store: a DuckDB file built from ``data/``, imports written in one transaction,
and an import log. Filtering and aggregation run here, in SQL."""
from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from . import access, db, illustrative, open_data, storefile  # db: the store setting, SQL dialect
from .errors import InputError, Issue, StoreBusy, StoreCorrupt, StoreError
from .paths import DATA_DIR
from .tables import TABLE_NAMES as TABLES

if TYPE_CHECKING:
    from .validate import Validation

SCHEMA_VERSION = "3"
#: Every schema version and what it brought. A store lists the versions it has in
#: ``schema_migrations`` (kept from version 3 on) and names its version in meta
#: ``schema_version``; :func:`migrate` (``python -m asemus_data migrate``) brings an older store
#: up to :data:`SCHEMA_VERSION`, on DuckDB and PostgreSQL alike. A new version: add its entry
#: here, its statements to :func:`migrate`, and its number to :data:`KNOWN_SCHEMAS`.
MIGRATIONS = {
    1: "tables of asemus_data.schemas, import log, meta, holdings view",
    2: "import ids (import_log.import_id, replaced_by) and the rows each import wrote (import_rows)",
    3: "the list of applied migrations (schema_migrations)",
}
#: import_log columns filled by the importer after write_import (asemus_data.importer).
IMPORT_LOG_SOURCE_COLUMNS = {"mapping_file": "VARCHAR", "mapping_sha256": "VARCHAR",
                             "rows_quarantined": "BIGINT", "rows_left_out": "BIGINT"}
#: Schema versions this code reads (older ones are brought up to date on the next write).
KNOWN_SCHEMAS = ("1", "2", "3")
_SQL_TYPES = {"Int64": "BIGINT", "float64": "DOUBLE", "boolean": "BOOLEAN"}
#: Tables built from data/*.csv (the rest start empty, or are generated). visitor_stats and
#: institution_identifiers hold the shipped open data (tools/ship_open_data.py).
DATA_TABLES = [t for t in TABLES if t != "collections"]


# pandera (which loads hypothesis and geopandas) comes with schemas and validate: they are loaded
# by the first write or check that needs them, not by every reader (the Overview's cold start).
def columns(table: str) -> list[str]:
    """The columns of ``table`` in order (:func:`asemus_data.schemas.columns`)."""
    from .schemas import columns as schema_columns  # lazy: pandera, see above
    return schema_columns(table)


def column_info(table: str) -> pd.DataFrame:
    """Column, type and description of ``table`` (:func:`asemus_data.schemas.column_info`)."""
    from .schemas import column_info as schema_column_info  # lazy: pandera, see above
    return schema_column_info(table)


def validate_frame(*args, **kwargs) -> Validation:
    """:func:`asemus_data.validate.validate_frame`."""
    from .validate import validate_frame as validate  # lazy: pandera, see above
    return validate(*args, **kwargs)


def schema_fingerprint() -> str:
    """A fingerprint of the schemas' source: :func:`migrate` records it in meta, so that opening
    a store checks its columns (which needs pandera) only when the schemas changed since."""
    return hashlib.sha256(Path(__file__).with_name("schemas.py").read_bytes()).hexdigest()[:16]


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


def _path(path) -> Path:
    """The DuckDB file of the store ``path`` names (None: the store setting, ASEMUS_STORE)."""
    loc = db.location(path)
    if db.is_postgres(loc):
        raise StoreError(f"the store {db.display(loc)} is a PostgreSQL database: back it up and "
                         "restore it with PostgreSQL's own tools (pg_dump, pg_restore); see "
                         "README, 'Shared deployment'")
    return loc


def _sql_type(dtype: str) -> str:
    return _SQL_TYPES.get(dtype, "VARCHAR")


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (empty), the import log, the meta table and the views."""
    for name in TABLES:
        info = column_info(name)
        cols = ", ".join(f'"{r.column}" {_sql_type(r.type)}' for r in info.itertuples())
        con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({cols})')
        # A store written before a column was added to the schema gets the column (empty), so
        # imported rows are never thrown away to add one.
        for r in info.itertuples():
            con.execute(f'ALTER TABLE "{name}" ADD COLUMN IF NOT EXISTS "{r.column}" '
                        f'{_sql_type(r.type)}')
    con.execute("""CREATE TABLE IF NOT EXISTS import_log (
        file_name VARCHAR, sha256 VARCHAR, table_name VARCHAR, rows_read BIGINT,
        rows_written BIGINT, warnings BIGINT, imported_at TIMESTAMP, note VARCHAR)""")
    # schema 2: every import has an id, and the rows it wrote are listed (so that importing the
    # same file again can be refused, or can replace the earlier import's rows exactly)
    con.execute("ALTER TABLE import_log ADD COLUMN IF NOT EXISTS import_id BIGINT")
    con.execute("ALTER TABLE import_log ADD COLUMN IF NOT EXISTS replaced_by BIGINT")
    # which mapping turned the file into rows, and where the rows read went (written, set aside
    # in a rejects file by --quarantine, or left out by the mapping's keep/drop steps)
    for col, sql_type in IMPORT_LOG_SOURCE_COLUMNS.items():
        con.execute(f"ALTER TABLE import_log ADD COLUMN IF NOT EXISTS {col} {sql_type}")
    if not db.is_pg(con):  # a PostgreSQL store had import ids from its start
        con.execute("UPDATE import_log SET import_id = rowid + 1 WHERE import_id IS NULL")
    con.execute("""CREATE TABLE IF NOT EXISTS import_rows (
        import_id BIGINT, table_name VARCHAR, row_key VARCHAR)""")
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute(HOLDINGS_VIEW)


#: Pre-aggregated holdings: one row per collection, and catalogued objects grouped per museum,
#: origin, category, material, period, status and source (``n`` rows, ``title`` of any one).
#: Every holdings filter (filters.holdings_sql) applies to it, so the map reads a few thousand
#: groups instead of a million objects. Rebuilt by :func:`finish_write` on every write.
HOLDING_GROUPS = "holding_groups"
_HOLDING_GROUPS_SQL = f"""
CREATE OR REPLACE TABLE {HOLDING_GROUPS} AS
SELECT institution_id, level, CASE WHEN level = 'collection' THEN id END AS id,
       origin_country_code, origin_country, category, material, date_text, period_start,
       period_end, status, source, any_value(title) AS title, count(*)::BIGINT AS n,
       sum(objects)::BIGINT AS objects, sum(collections)::BIGINT AS collections
FROM holdings GROUP BY ALL
"""


def _holdings_rows(con: duckdb.DuckDBPyConnection) -> str:
    return ",".join(str(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                    for t in ("collections", "objects"))


def refresh_summaries(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the pre-aggregated tables (``holding_groups``) from the rows in the store, and
    note the row counts they were built from (see :func:`holdings_source`)."""
    con.execute(_HOLDING_GROUPS_SQL)
    con.execute("INSERT INTO meta VALUES ('holding_groups_rows', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [_holdings_rows(con)])


def finish_write(con: duckdb.DuckDBPyConnection) -> None:
    """The end of every write (build, import, restore, synthetic store): refresh the
    pre-aggregated tables, then CHECKPOINT so the file is complete before it is published."""
    if db.is_pg(con):
        # one refresh at a time (it replaces holding_groups); held until the write commits
        con.execute("SELECT pg_advisory_xact_lock(hashtext('asemus summaries'))")
        refresh_summaries(con)
        _pg_finish(con)
        return
    refresh_summaries(con)
    con.execute("CHECKPOINT")


def holdings_source(con: duckdb.DuckDBPyConnection) -> str:
    """The relation to aggregate holdings from: ``holding_groups`` when it was built from the
    rows the store holds now, else the ``holdings`` view with ``n = 1`` per row (a store from
    before the table, or one written around :func:`finish_write`). Both have the holdings'
    filter columns, ``title``, ``n``, ``objects`` and ``collections``."""
    try:
        built = con.execute("SELECT value FROM meta WHERE key = 'holding_groups_rows'").fetchone()
    except duckdb.CatalogException:
        built = None
    if built and built[0] == _holdings_rows(con):
        return HOLDING_GROUPS
    return "(SELECT *, 1::BIGINT AS n FROM holdings)"


def insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
    """Append ``df`` (already validated) to ``table``; returns the row count."""
    frame = df.reindex(columns=columns(table))
    if db.is_pg(con):
        return con.copy_frame(table, frame)
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
    h.update(Path(open_data.__file__).read_bytes())  # how the register's rows are merged
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
    # illustrative holdings: for the fact set's documented holders only, never the register's
    holders = set(illustrative.documented_holders(inst_raw)["id"])
    inst_raw = open_data.with_register(inst_raw, data_dir)  # Muséofile 'Asie' museums
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
    inst = frames["institutions"]
    holdings = illustrative.generate_holdings(inst[inst["id"].isin(holders)])
    v = validate_frame(holdings, "collections", file="illustrative holdings", known_institutions=known)
    if v.errors:
        raise InputError(v.errors)
    frames["collections"] = v.frame
    return frames


def build(path: Path | None = None, *, data_dir: Path = DATA_DIR,
          progress: Callable[[str], None] | None = None,
          wait: float | None = None) -> dict[str, int]:
    """(Re)build the store from ``data/``. Written to a private file and moved into place, so a
    failed build leaves the previous store untouched, and the app keeps reading it meanwhile.
    Waits up to ``wait`` seconds for another writer (see storefile.writer_lock). The private file
    is removed on failure; those of builds that were killed are removed by the next write.
    Returns rows per table."""
    if db.is_postgres(db.location(path)):
        return _pg_build(db.location(path), data_dir=data_dir, progress=progress, wait=wait)
    path = _path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _m: None)
    say("validating data files")
    frames = load_default_frames(data_dir)
    counts: dict[str, int] = {}
    with storefile.writer_lock(path, wait=wait, progress=say):
        _refuse_unknown_version(path, "build")
        storefile.remove_stale_temps(path)
        tmp = storefile.temp_path(path, "building")
        try:
            con = duckdb.connect(str(tmp))
            try:
                migrate(con)
                for table, df in frames.items():
                    say(f"writing {table}")
                    counts[table] = insert(con, table, df) if len(df) else 0
                con.execute("INSERT INTO meta VALUES ('data_fingerprint', ?), ('built_at', ?), "
                            "('kind', 'default')",
                            [data_fingerprint(data_dir), time.strftime("%Y-%m-%d %H:%M:%S")])
                finish_write(con)
            finally:
                con.close()
            storefile.publish(tmp, path)
        finally:
            storefile.remove(tmp)
    return counts


def ensure(path: Path | None = None, *, data_dir: Path = DATA_DIR) -> Path:
    """Build the store on first use; rebuild a default store whose data files changed, unless
    imports were written into it (those are never thrown away silently). A damaged store raises
    StoreCorrupt (it is never rebuilt silently). While another writer is at work, the store is
    left as it is (read what is there)."""
    if db.is_postgres(db.location(path)):
        return _pg_ensure(db.location(path), data_dir=data_dir)
    path = _path(path)
    if not path.exists():
        build(path, data_dir=data_dir)
        return path
    try:
        con = storefile.attach(path, wait=storefile.DEFAULT_READ_WAIT)
    except StoreBusy:
        return path  # a foreign program writes it in place: read what is there
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        n_imports = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
        # the columns are checked only when the schemas changed since the last migrate (the
        # check loads pandera: a second or more on a cold start)
        schema_changed = meta.get("schema_fingerprint") != schema_fingerprint()
        stale_schema = schema_changed and _missing_columns(con)
    except duckdb.CatalogException:  # a store from before the meta table: rebuilt if it can be
        meta, n_imports, stale_schema, schema_changed = {}, 0, False, False
    except duckdb.Error as exc:
        raise storefile.store_error(exc, path) from None
    finally:
        con.close()
    if meta.get("schema_version") not in (None, *KNOWN_SCHEMAS):
        return path  # written by a newer version: read what is there, never rebuild it
    rebuildable = meta.get("kind", "default") == "default" and n_imports == 0
    try:
        # a default store built with other schemas (or before their fingerprint was recorded)
        # is rebuilt: it then records it, and the next start skips the check
        if rebuildable and (stale_schema or schema_changed
                            or meta.get("data_fingerprint") != data_fingerprint(data_dir)):
            build(path, data_dir=data_dir, wait=0)
        elif stale_schema:
            with writing(path, wait=0):
                pass  # writing() brings the copy's tables up to the schema before publishing it
    except StoreBusy:
        pass  # another writer is at work: read what is there now, update next time
    return path


def _missing_columns(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a table or column of the schemas is missing from the store."""
    have = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database()").fetchall()}
    return any((t, c) not in have for t in TABLES for c in columns(t))


class StoreVersionError(StoreError):
    """The store has a schema version this code does not know (written by a newer version)."""


def schema_version(con) -> str | None:
    """The schema version the store names in ``meta`` (None: no meta table or no version)."""
    if not _has_table(con, "meta"):
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return row[0] if row else None


def require_known_version(con, name: str, action: str) -> None:
    """StoreVersionError unless the store's schema version is one of :data:`KNOWN_SCHEMAS` (or
    it names none: a store from before the meta table, brought up to date like version 1)."""
    found = schema_version(con)
    if found is not None and found not in KNOWN_SCHEMAS:
        raise StoreVersionError(
            f"{action} refused: the store {db.display(name)} has schema version {found!r}, which "
            f"this version of the dashboard does not know (it knows {', '.join(KNOWN_SCHEMAS)}); "
            "nothing was written. It was probably written by a newer version of the dashboard: "
            "use that version, or restore a backup of a known version "
            "(python -m asemus_data restore BACKUP_FILE)")


def _refuse_unknown_version(path: Path, action: str) -> None:
    """Before replacing the store file: refuse a store of an unknown schema version (its rows
    would be lost to a version that cannot read them). A damaged or busy file is left to the
    caller (a build is the documented cure for a damaged store)."""
    if not path.exists():
        return
    try:
        con = storefile.attach(path, wait=storefile.DEFAULT_READ_WAIT)
    except StoreError:
        return
    try:
        require_known_version(con, str(path), action)
    finally:
        con.close()


def migrate(con, name: str = "the store") -> list[int]:
    """Bring the open store up to :data:`SCHEMA_VERSION` (in the caller's transaction, if any):
    create what is missing (tables, columns the schemas gained, the import ids of version 2, the
    migration table of version 3), list the versions applied in ``schema_migrations`` and name
    the version in meta. Raises StoreVersionError for a version this code does not know.
    Returns the versions applied now (empty: already up to date)."""
    before = schema_version(con)
    require_known_version(con, name, "migrate")
    create_tables(con)  # versions 1 and 2, and every column the schemas gained since
    if db.is_pg(con):  # import ids of concurrent imports (into different tables) never clash
        con.raw.execute("CREATE SEQUENCE IF NOT EXISTS import_ids")
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                "description VARCHAR, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = [v for v in sorted(MIGRATIONS) if v not in done]
    # versions a store had before the list was kept: listed, with no date
    earlier = int(before) if before in KNOWN_SCHEMAS else 0
    for v in applied:
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, "
                    + ("NULL)" if v <= earlier else "now())"), [v, MIGRATIONS[v]])
    con.execute("INSERT INTO meta VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [SCHEMA_VERSION])
    # create_tables gave it every column of these schemas: ensure() need not check them again
    con.execute("INSERT INTO meta VALUES ('schema_fingerprint', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [schema_fingerprint()])
    return [v for v in applied if v > earlier]


def migrate_store(path=None, *, wait: float | None = None,
                  progress: Callable[[str], None] | None = None) -> tuple[str | None, list[int]]:
    """``python -m asemus_data migrate``: bring the store up to :data:`SCHEMA_VERSION` as one
    write. Returns (the version it had, the versions applied). Refuses a store of an unknown
    version (StoreVersionError) or none at all (StoreError)."""
    if db.is_postgres(db.location(path)):
        return _pg_migrate(db.location(path), wait=wait)
    path = _path(path)
    if not path.exists():
        raise StoreError(f"there is no store at {path}: build one first "
                         "(python -m asemus_data build)")
    con = storefile.attach(path, wait=storefile.DEFAULT_READ_WAIT)
    try:
        before = schema_version(con)
        require_known_version(con, str(path), "migrate")
        has = _has_table(con, "schema_migrations") and before == SCHEMA_VERSION
    finally:
        con.close()
    if has:
        return before, []
    with writing(path, wait=wait, progress=progress):
        pass  # writing() migrates the copy before anything else
    return before, [v for v in sorted(MIGRATIONS) if v > int(before or 0)]


def _has_table(con, name: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
                       "AND table_catalog = current_database()", [name]).fetchone()[0] > 0


def connect(path: Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store (building it first if needed), for a short-lived command. To write, use
    :func:`writing` (a read-write connection here locks every reader out); a long-lived reader
    (the app) uses :func:`open_reader`. A damaged file raises StoreCorrupt."""
    path = ensure(path)
    if db.is_postgres(path):
        return db.connect_pg(path)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise storefile.store_error(exc, path) from None


def version(path: Path | None = None) -> str:
    """A fingerprint of the store file that changes with every write (cheap: one ``stat``).
    Key caches of data read from the store by it. On PostgreSQL: the token every write leaves
    in meta (one small query), so caches in every app server miss after an import."""
    if db.is_postgres(db.location(path)):
        return _pg_version(db.location(path))
    return storefile.version(_path(path))


class Reader:
    """A read-only view of the store as it was when opened, for a long-lived process (the app):
    it holds no lock that a writer waits for, and :attr:`version` says which file it reads."""

    def __init__(self, path: Path | None = None, *, wait: float = storefile.DEFAULT_READ_WAIT):
        self.path = ensure(path)
        if db.is_postgres(self.path):  # committed rows only: never half an import
            self._con = db.connect_pg(self.path)
            self.version = _pg_token(self._con)
            return
        self.version = storefile.version(self.path)
        self._con = storefile.attach(self.path, wait=wait)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread."""
        if db.is_pg(self._con):
            return self._con.cursor()
        return storefile.cursor(self._con)

    def close(self) -> None:
        self._con.close()


def open_reader(path: Path | None = None, *, wait: float = storefile.DEFAULT_READ_WAIT) -> Reader:
    """A :class:`Reader` on the store (built first if needed). Raises StoreBusy when a foreign
    program holds the file for more than ``wait`` seconds, StoreCorrupt for a damaged file."""
    return Reader(path, wait=wait)


@contextmanager
def writing(path: Path | None = None, *, wait: float | None = None,
            progress: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one write: on a private copy of the store, moved over the
    store when the block ends without an exception (readers go on reading the previous file
    meanwhile), thrown away otherwise. Waits up to ``wait`` seconds for another writer, telling
    ``progress``; the copy's tables are brought up to the current schema first. On PostgreSQL:
    one transaction, committed when the block ends (see :func:`_pg_writing`)."""
    if db.is_postgres(db.location(path)):
        with _pg_writing(db.location(path), wait=wait, progress=progress) as con:
            yield con
        return
    path = _path(path)
    if not path.exists():
        build(path, wait=wait, progress=progress)
    with storefile.writer_lock(path, wait=wait, progress=progress):
        storefile.remove_stale_temps(path)
        tmp = storefile.temp_path(path, "writing")
        try:
            storefile.copy_consistent(path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                require_known_version(con, str(path), "the write (import, review or change)")
                migrate(con)
                yield con
                finish_write(con)
            finally:
                con.close()
            storefile.publish(tmp, path)
        finally:
            storefile.remove(tmp)


# --- PostgreSQL: the shared store ---------------------------------------------------------------
# The same tables, views and queries as the DuckDB file (asemus_data.db translates the SQL). What
# differs is how writes are made safe: instead of a private copy moved over the file, a write is
# one transaction; builds and migrations hold an exclusive advisory lock on the store, imports a
# shared one plus an exclusive lock per table (two imports into one table wait for each other,
# into two tables run side by side), and readers see the last committed state only. Access is in
# the database too: the public role (ASEMUS_PG_PUBLIC_ROLE, default asemus_public) may select
# every table except experts' rows and the e-mail column of people (row-level security and
# column privileges), nor the import log's notes and file names.
PG_PUBLIC_ROLE = "asemus_public"
_PG_STORE_LOCK = "asemus store"


def _pg_lock(con, key: str, *, shared: bool = False, wait: float | None = None,
             progress: Callable[[str], None] | None = None) -> None:
    """Take an advisory lock for the transaction, waiting up to ``wait`` s (StoreBusy after)."""
    wait = storefile.write_wait() if wait is None else wait
    fn = "pg_try_advisory_xact_lock_shared" if shared else "pg_try_advisory_xact_lock"
    t0, told = time.monotonic(), 0
    while not con.execute(f"SELECT {fn}(hashtext(?))", [key]).fetchone()[0]:
        waited = time.monotonic() - t0
        if waited >= wait:
            raise StoreBusy(f"another import, build or migration has been writing the store for "
                            f"more than {wait:g} s; try again when it has finished, or wait "
                            "longer (--wait SECONDS, or ASEMUS_STORE_WAIT)")
        if progress and int(waited) >= told:
            progress(f"waiting for the store (another import or build is writing it)... "
                     f"({int(waited)} s)")
            told = int(waited) + 5
        time.sleep(0.2)


def _next_import_id(con, table: str) -> int:
    if db.is_pg(con):
        # one import per table at a time; waits as long as the write (store.writing) may
        _pg_lock(con, f"asemus import {table}", wait=getattr(con, "write_wait", None),
                 progress=getattr(con, "write_progress", None))
        return con.execute("SELECT nextval('import_ids')").fetchone()[0]
    return con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]


def close_pg_connections() -> None:
    """Close the connections :func:`version` keeps open (tests, before a database is dropped)."""
    while _pg_versions:
        _url, con = _pg_versions.popitem()
        try:
            con.close()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass


def _pg_token(con) -> str:
    if not _has_table(con, "meta"):
        return "pg:empty"
    row = con.execute("SELECT value FROM meta WHERE key = 'write_token'").fetchone()
    return f"pg:{row[0] if row else '-'}"


_pg_versions: dict[str, db.PgConnection] = {}


def _pg_version(url) -> str:
    """The store's write token, on a connection kept per URL (one query per call)."""
    for attempt in (0, 1):
        con = _pg_versions.get(url)
        try:
            if con is None:
                con = _pg_versions[url] = db.connect_pg(url)
            return _pg_token(con)
        except duckdb.Error as exc:
            _pg_versions.pop(url, None)
            if attempt:
                raise StoreError(f"cannot read the store {db.display(url)}: "
                                 f"{str(exc).splitlines()[0]}") from None
    raise AssertionError("unreachable")


def _pg_finish(con) -> None:
    """The end of a write on PostgreSQL: a new write token (every app server's caches miss)."""
    con.execute("INSERT INTO meta VALUES ('write_token', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [uuid.uuid4().hex])


def _pg_access(con) -> None:
    """Grant the public role what visitors may read, in the database itself (after a build or
    a migration; tables the staff role creates later, such as a rebuilt holding_groups, are
    readable through the default privileges set here)."""
    from psycopg import sql  # lazy: only a PostgreSQL store needs it (heavy to import)
    role = os.environ.get("ASEMUS_PG_PUBLIC_ROLE", PG_PUBLIC_ROLE)
    if not con.execute("SELECT count(*) FROM pg_roles WHERE rolname = ?", [role]).fetchone()[0]:
        return  # no such role in this deployment: nothing to grant
    raw, r = con.raw, sql.Identifier(role)
    raw.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(
        sql.Identifier(con.execute("SELECT current_schema()").fetchone()[0]), r))
    raw.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
        sql.Identifier(con.execute("SELECT current_schema()").fetchone()[0]), r))
    raw.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}")
                .format(sql.Identifier(con.execute("SELECT current_schema()").fetchone()[0]), r))
    private = {"people": list(access.PERSONAL_COLUMNS.get("people", ())),
               "import_log": list(access.LOG_PRIVATE_COLUMNS)}
    for table, hidden in private.items():
        cols = [c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema() ORDER BY ordinal_position", [table]).fetchall()
            if c not in hidden]
        raw.execute(sql.SQL("REVOKE SELECT ON {} FROM {}").format(sql.Identifier(table), r))
        raw.execute(sql.SQL("GRANT SELECT ({}) ON {} TO {}").format(
            sql.SQL(", ").join(map(sql.Identifier, cols)), sql.Identifier(table), r))
    raw.execute("ALTER TABLE people ENABLE ROW LEVEL SECURITY")
    raw.execute(sql.SQL("DROP POLICY IF EXISTS visitor_rows ON people"))
    raw.execute(sql.SQL("CREATE POLICY visitor_rows ON people FOR SELECT TO {} USING ({})")
                .format(r, sql.SQL(access.VISITOR_ROWS["people"])))


def _pg_begin_write(con, *, exclusive: bool, wait: float | None,
                    progress: Callable[[str], None] | None, action: str) -> None:
    con.execute("BEGIN")
    _pg_lock(con, _PG_STORE_LOCK, shared=not exclusive, wait=wait, progress=progress)
    require_known_version(con, con.url, action)


def _pg_build(url, *, data_dir: Path, progress, wait) -> dict[str, int]:
    say = progress or (lambda _m: None)
    say("validating data files")
    frames = load_default_frames(data_dir)
    con = db.connect_pg(url)
    counts: dict[str, int] = {}
    try:
        _pg_begin_write(con, exclusive=True, wait=wait, progress=say, action="build")
        ours = con.execute("SELECT table_name, table_type FROM information_schema.tables "
                           "WHERE table_schema = current_schema() ORDER BY table_type DESC"
                           ).fetchall()  # views first
        for name, kind in ours:
            what = "VIEW" if kind == "VIEW" else "TABLE"
            con.raw.execute(f'DROP {what} IF EXISTS "{name}" CASCADE')
        con.raw.execute("DROP SEQUENCE IF EXISTS import_ids")
        migrate(con, db.display(url))
        for table, df in frames.items():
            say(f"writing {table}")
            counts[table] = insert(con, table, df) if len(df) else 0
        con.execute("INSERT INTO meta VALUES ('data_fingerprint', ?), ('built_at', ?), "
                    "('kind', 'default')",
                    [data_fingerprint(data_dir), time.strftime("%Y-%m-%d %H:%M:%S")])
        finish_write(con)
        _pg_access(con)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return counts


def _pg_ensure(url, *, data_dir: Path):
    """A PostgreSQL store is built on first use (by a role that may create tables); it is
    never rebuilt silently (run ``build``)."""
    con = db.connect_pg(url)
    try:
        empty = not _has_table(con, "meta")
    finally:
        con.close()
    if empty:
        try:
            build(url, data_dir=data_dir)
        except duckdb.PermissionException:
            raise StoreError(f"the database {db.display(url)} holds no ASEMUS store yet, and this "
                             "role may not create one: run `python -m asemus_data build` with "
                             "the staff role") from None
    return url


@contextmanager
def _pg_writing(url, *, wait, progress):
    _pg_ensure(url, data_dir=DATA_DIR)
    con = db.connect_pg(url)
    con.write_wait, con.write_progress = wait, progress
    try:
        _pg_begin_write(con, exclusive=False, wait=wait, progress=progress,
                        action="the write (import, review or change)")
        # DDL holds a lock that makes readers wait until the commit: only when the schema needs
        # it (`migrate` applies it ahead, as a write of its own)
        if schema_version(con) != SCHEMA_VERSION or _missing_columns(con):
            migrate(con, db.display(url))
            _pg_access(con)
        yield con
        finish_write(con)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _pg_migrate(url, *, wait) -> tuple[str | None, list[int]]:
    con = db.connect_pg(url)
    try:
        _pg_begin_write(con, exclusive=True, wait=wait, progress=None, action="migrate")
        before = schema_version(con)
        if before is None:
            raise StoreError(f"the database {db.display(url)} holds no ASEMUS store: build one "
                             "first (python -m asemus_data build)")
        applied = [v for v in migrate(con, db.display(url)) if v > int(before)]
        if applied or before != SCHEMA_VERSION:
            finish_write(con)
            _pg_access(con)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return before, applied


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
    import_id: int | None = None
    #: the earlier imports of the same file that this one replaced
    replaced: list[int] = field(default_factory=list)


def row_key_sql(table: str) -> str:
    """SQL for the key that identifies a row of ``table`` in ``import_rows``: its id, or for a
    table without one, all its values (such a table holds no two rows that are equal)."""
    cols = columns(table)
    if "id" in cols:
        return 'CAST("id" AS VARCHAR)'
    parts = ", ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), chr(0))" for c in cols)
    return f"concat_ws(chr(31), {parts})"


def earlier_imports(con: duckdb.DuckDBPyConnection, table: str, sha256: str) -> list[tuple]:
    """Imports of the same content (SHA-256) into ``table`` whose rows are still in the store:
    (import_id, file_name, imported_at), oldest first."""
    return con.execute("SELECT import_id, file_name, imported_at FROM import_log "
                       "WHERE sha256 = ? AND table_name = ? AND replaced_by IS NULL "
                       "ORDER BY imported_at, import_id", [sha256, table]).fetchall()


def _remove_import(con: duckdb.DuckDBPyConnection, table: str, import_id: int, new_id: int,
                   file_name: str) -> None:
    """Delete the rows an earlier import wrote, and mark it replaced (inside a transaction)."""
    n = con.execute("SELECT count(*) FROM import_rows WHERE import_id = ?", [import_id]).fetchone()[0]
    written = con.execute("SELECT COALESCE(max(rows_written), 0) FROM import_log "
                          "WHERE import_id = ?", [import_id]).fetchone()[0]
    if n == 0 and written:  # rows were written, but not listed: an import of schema 1
        raise InputError([Issue(file_name, f"import {import_id} of this file was logged before "
                                "the store listed each import's rows, so it cannot be replaced "
                                "row by row; restore a backup taken before it, or rebuild")])
    con.execute(f'DELETE FROM "{table}" WHERE {row_key_sql(table)} IN '
                "(SELECT row_key FROM import_rows WHERE import_id = ?)", [import_id])
    if table == "visitor_stats":  # the shipped rows it had superseded come back
        _restore_superseded_visits(con, import_id)
    con.execute("DELETE FROM import_rows WHERE import_id = ?", [import_id])
    con.execute("UPDATE import_log SET replaced_by = ? WHERE import_id = ?", [new_id, import_id])


#: Built-in visitor rows that an import superseded, with that import's id (``superseded_by``):
#: kept, so that replacing the import puts them back (:func:`_remove_import`).
SUPERSEDED_VISITS = "visitor_stats_superseded"
#: A visitor row the build wrote (documented, not written by any import), as ``v``.
_BUILTIN_VISIT = """v.status = 'documented'
    AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.table_name = 'visitor_stats'
                    AND r.row_key = CAST(v.id AS VARCHAR))"""
#: ...that a row of the incoming file (``_new``) covers: the same key and year, or the same
#: institution and year when the file names the institution by its id alone (no key of its own:
#: the figure is the institution's, whatever its sites' keys in the shipped series).
_COVERED_VISIT = """EXISTS (SELECT 1 FROM _new n WHERE n.year = v.year AND (
    (n.country_code = v.country_code AND COALESCE(n.source_key, n.institution_id, '')
                                         = COALESCE(v.source_key, v.institution_id, ''))
    OR (n.institution_id = v.institution_id
        AND COALESCE(NULLIF(n.source_key, ''), n.institution_id) = n.institution_id)))"""


def _ensure_superseded_table(con: duckdb.DuckDBPyConnection) -> None:
    info = column_info("visitor_stats")
    cols = ", ".join(f'"{r.column}" {_sql_type(r.type)}' for r in info.itertuples())
    con.execute(f"CREATE TABLE IF NOT EXISTS {SUPERSEDED_VISITS} (superseded_by BIGINT, {cols})")
    for r in info.itertuples():
        con.execute(f'ALTER TABLE {SUPERSEDED_VISITS} ADD COLUMN IF NOT EXISTS "{r.column}" '
                    f"{_sql_type(r.type)}")


def _restore_superseded_visits(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Put back the built-in visitor rows that import ``import_id`` superseded (it is being
    replaced; its replacement supersedes them again if it still covers them)."""
    if not _has_table(con, SUPERSEDED_VISITS):
        return
    cols = ", ".join(f'"{c}"' for c in columns("visitor_stats"))
    con.execute(f"INSERT INTO visitor_stats ({cols}) SELECT {cols} FROM {SUPERSEDED_VISITS} "
                "WHERE superseded_by = ? AND id NOT IN (SELECT id FROM visitor_stats)",
                [import_id])
    con.execute(f"DELETE FROM {SUPERSEDED_VISITS} WHERE superseded_by = ?", [import_id])


def _supersede_builtin_visits(con: duckdb.DuckDBPyConnection, file_name: str,
                              import_id: int) -> list[Issue]:
    """Inside an import's transaction: set aside the built-in visitor rows (shipped open data)
    for an institution-year that the incoming rows (``_new``) cover (see _COVERED_VISIT), so
    that no museum-year counts twice: importing the ministry's whole file over the shipped
    extract, or a museum's own figure by its institution id. They are kept in
    SUPERSEDED_VISITS under ``import_id`` (a replace of the import puts them back). Returns the
    notes for the import report: what was replaced, and institution-years that keep a built-in
    row under another key besides the file's (both counted: separate sites, or say so)."""
    cols = ", ".join(f'"{c}"' for c in columns("visitor_stats"))
    con.execute(f"INSERT INTO {SUPERSEDED_VISITS} (superseded_by, {cols}) SELECT ?, {cols} "
                f"FROM visitor_stats v WHERE {_BUILTIN_VISIT} AND {_COVERED_VISIT}", [import_id])
    gone = con.execute(f"SELECT institution_name, year FROM {SUPERSEDED_VISITS} "
                       "WHERE superseded_by = ? ORDER BY year, institution_name",
                       [import_id]).fetchall()
    con.execute(f"DELETE FROM visitor_stats WHERE id IN (SELECT id FROM {SUPERSEDED_VISITS} "
                "WHERE superseded_by = ?)", [import_id])
    notes = []
    if gone:
        eg = "; ".join(f"{name} {year}" for name, year in gone[:3])
        notes.append(Issue(file_name, f"{len(gone):,} built-in rows (shipped open data) for the "
                                      "same institutions and years are replaced by this file's "
                                      f"rows (e.g. {eg}); replacing this import puts them back"))
    both = con.execute(f"""SELECT DISTINCT v.institution_name, v.year, v.source_key
        FROM visitor_stats v JOIN _new n ON n.institution_id = v.institution_id
         AND n.year = v.year WHERE {_BUILTIN_VISIT} ORDER BY 2, 1, 3""").fetchall()
    if both:
        eg = "; ".join(f"{name} {year} (key {key})" for name, year, key in both[:3])
        notes.append(Issue(file_name, f"{len(both):,} built-in rows (shipped open data) are kept "
                                      "for an institution and year this file also gives under a "
                                      f"key of its own (e.g. {eg}): both are counted. Right for "
                                      "separate sites; if the file's figure is the whole "
                                      "institution's, leave its source_key empty (the institution "
                                      "id then replaces the shipped rows)", column="source_key"))
    return notes


def write_import(con: duckdb.DuckDBPyConnection, validation: Validation, *, file_name: str,
                 sha256: str, rows_read: int, replace: bool = False) -> ImportResult:
    """Write a clean validation into the store: all rows or none, in one transaction, with an
    import-log row and the list of rows written.

    Refused (store unchanged, every reason reported): a file whose content (``sha256``) was
    already imported into the same table, since its rows would then count twice, unless
    ``replace``, which first removes the rows of that earlier import in the same transaction;
    and rows whose id is already in the table."""
    if not validation.ok:
        raise InputError(validation.errors)
    table, df = validation.table, validation.frame
    if not db.is_pg(con):  # on PostgreSQL, store.writing brought the schema up to date
        create_tables(con)  # a connection opened on an older store: bring it up to the schema
    frame = df.reindex(columns=columns(table))
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    # The incoming rows go to a temporary table typed like the table BEFORE the transaction:
    # DuckDB 2.0 silently inserts nothing from a table created and filled (>= 122,880 rows, one
    # row group) inside the same transaction (tests/test_visitor_totals.py keeps it honest).
    if db.is_pg(con):
        con.raw.execute("DROP TABLE IF EXISTS _new")
        con.raw.execute(f'CREATE TEMP TABLE _new (LIKE "{table}")')
        con.copy_frame("_new", frame)
    else:
        con.execute(f'CREATE OR REPLACE TEMP TABLE _new AS SELECT * FROM "{table}" LIMIT 0')
        con.register("_incoming", frame)
        try:
            con.execute(f"INSERT INTO _new ({cols}) SELECT {cols} FROM _incoming")
        finally:
            con.unregister("_incoming")
    if table == "visitor_stats":  # where the built-in rows it supersedes are kept
        _ensure_superseded_table(con)
    con.execute("BEGIN TRANSACTION")
    try:
        new_id = _next_import_id(con, table)
        issues: list[Issue] = []
        earlier = earlier_imports(con, table, sha256)
        if earlier and not replace:
            eid, ename, when = earlier[-1]
            issues.append(Issue(file_name, (
                f"this file was already imported into '{table}' (same content as '{ename}', "
                f"import {eid} of {when:%Y-%m-%d %H:%M}); importing it again would count every "
                "row twice. To import it in place of the earlier import, use --replace "
                "(on the Data page: 'Replace the earlier import of this file')")))
        for eid, _name, _when in (earlier if replace else []):
            _remove_import(con, table, eid, new_id, file_name)
        if table == "visitor_stats":  # the shipped open data's rows give way to the full file
            validation.warnings.extend(_supersede_builtin_visits(con, file_name, new_id))
        if "id" in frame.columns:
            clash = con.execute(f'SELECT t.id FROM "{table}" t JOIN _new USING (id) '
                                "ORDER BY t.id LIMIT 5").fetchall()
            issues += [Issue(file_name, "id already in the store: this row was imported before, "
                             "or its id is taken", column="id", value=c[0]) for c in clash]
        if issues:
            raise InputError(issues)
        n = con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _new').fetchone()[0]
        if n != len(frame):  # never log rows as written that are not there
            raise StoreError(f"the store wrote {n:,} of {len(frame):,} rows; nothing was kept")
        con.execute(f"INSERT INTO import_rows SELECT ?, ?, {row_key_sql(table)} FROM _new",
                    [new_id, table])
        con.execute("INSERT INTO import_log (file_name, sha256, table_name, rows_read, "
                    "rows_written, warnings, imported_at, note, import_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, now(), ?, ?)",
                    [file_name, sha256, table, rows_read, n, len(validation.warnings),
                     "; ".join(str(w) for w in validation.warnings[:5]) or None, new_id])
        con.execute("DROP TABLE _new")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return ImportResult(table, file_name, rows_read, n, validation.warnings, import_id=new_id,
                        replaced=[e[0] for e in earlier] if replace else [])


def import_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import log, newest first. On PostgreSQL, the columns this role may read (the public
    role may not read the notes and file names: see :func:`_pg_access`)."""
    if db.is_pg(con):
        cols = [c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'import_log' "
            "AND table_schema = current_schema() "
            "AND has_column_privilege('import_log', column_name, 'SELECT') "
            "ORDER BY ordinal_position").fetchall()]
        return con.execute(f"SELECT {', '.join(cols)} FROM import_log "
                           "ORDER BY imported_at DESC").df()
    return con.execute("SELECT * FROM import_log ORDER BY imported_at DESC").df()


def check_store(con: duckdb.DuckDBPyConnection, name: str) -> dict:
    """What an open store holds: schema version, kind, rows per table and imports logged.
    Raises StoreCorrupt when it is not an ASEMUS store of a schema version this code knows."""
    try:
        have = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database()").fetchall()}
        if "meta" not in have:
            raise StoreCorrupt(f"{name} is a DuckDB database but not an ASEMUS store (no meta table)")
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        version_ = meta.get("schema_version")
        if version_ not in KNOWN_SCHEMAS:
            raise StoreCorrupt(f"{name} has store schema version {version_!r}, which this version "
                               f"of the dashboard does not know (it reads {', '.join(KNOWN_SCHEMAS)})")
        missing = [t for t in [*TABLES, "import_log"] if t not in have]
        if missing:
            raise StoreCorrupt(f"{name} lacks the table(s) {', '.join(missing)}")
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
        imports = con.execute("SELECT count(*) FROM import_log").fetchone()[0]
    except duckdb.Error as exc:
        raise StoreCorrupt(f"{name} cannot be read: {str(exc).splitlines()[0]}") from None
    return {"schema_version": version_, "kind": meta.get("kind", "default"), "tables": counts,
            "imports": imports}


def backup(out, path: Path | None = None) -> dict:
    """Copy the store to ``out`` as one consistent state, while the app and imports carry on
    (writers replace the store whole, so the file copied is never half-written). The copy is
    checked before it is moved into place. Returns what it holds (see check_store)."""
    path = _path(path)
    out = Path(out)
    if not path.exists():
        raise StoreError(f"there is no store at {path} to back up")
    tmp = out.with_name(f"{out.name}.backup-{os.getpid()}")
    try:
        storefile.copy_consistent(path, tmp)
        con = duckdb.connect(str(tmp))  # replays a write-ahead log copied along, if any
        try:
            con.execute("CHECKPOINT")
            info = check_store(con, str(path))
        finally:
            con.close()
        storefile.publish(tmp, out)
    finally:
        storefile.remove(tmp)
    return info


def restore(src, path: Path | None = None, *, wait: float | None = None,
            progress: Callable[[str], None] | None = None) -> dict:
    """Replace the store with the backup ``src``, atomically. A file that cannot be read, is not
    an ASEMUS store or has a schema version this code does not know is refused, and the store
    is left untouched. The backup file itself is only read. Returns what the store now holds."""
    src = Path(src)
    path = _path(path)
    if not src.is_file():
        raise StoreError(f"cannot read the backup {src}: no such file")
    path.parent.mkdir(parents=True, exist_ok=True)
    with storefile.writer_lock(path, wait=wait, progress=progress):
        storefile.remove_stale_temps(path)
        tmp = storefile.temp_path(path, "restoring")
        try:
            shutil.copyfile(src, tmp)  # checked and migrated as a copy: the backup stays as it was
            try:
                con = duckdb.connect(str(tmp), read_only=True)
            except duckdb.Error as exc:
                why = str(exc).splitlines()[0].replace(str(tmp), str(src))
                raise StoreCorrupt(f"{src} is not a readable DuckDB store ({why}); the current "
                                   "store was not changed") from None
            try:
                check_store(con, str(src))
            except StoreCorrupt as exc:
                why = str(exc).replace(str(tmp), str(src))
                raise StoreCorrupt(f"{why}; the current store was not changed") from None
            finally:
                con.close()
            con = duckdb.connect(str(tmp))
            try:
                migrate(con)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('restored_from', ?)", [src.name])
                finish_write(con)
                info = check_store(con, str(src))
            finally:
                con.close()
            storefile.publish(tmp, path)
        finally:
            storefile.remove(tmp)
    return info
