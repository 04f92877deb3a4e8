"""The one place that knows which store the project talks to, and how to talk to it.

``ASEMUS_STORE`` (or ``--store``) names the store:

- a file path (``/srv/asemus/store.duckdb``; default ``.asemus/store.duckdb`` in the project):
  the embedded DuckDB store, no set-up;
- ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`` (or libpq's other spelling
  ``postgres://``): a shared PostgreSQL database, for several app servers and importers.

Anything else that looks like a URL (``mysql://...``, ``postgres:/x``, ``postgresql:``) is
refused with a message that says how to write it: a setting that is not understood must never
quietly become a local folder named after it.

:func:`location` turns the setting into a :class:`~pathlib.Path` (DuckDB) or a
:class:`PgUrl` (PostgreSQL). The pages, the CLI and the importer pass that value on to
``asemus_data.store`` and never look at which kind it is.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from .errors import StoreError

DUCKDB = "duckdb"
POSTGRES = "postgres"
#: The URL schemes libpq reads as a PostgreSQL connection URI.
PG_SCHEMES = ("postgresql", "postgres")
#: ``scheme:`` at the start of a setting: two or more letters, so a Windows drive (``C:``) is
#: still a path.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
SETTING_HELP = ("set ASEMUS_STORE (or --store) to a DuckDB file path, such as "
                "/srv/asemus/store.duckdb, or to a PostgreSQL URL, "
                "postgresql://USER@HOST:PORT/DATABASE")


class StoreSettingError(StoreError):
    """The store setting (``ASEMUS_STORE`` / ``--store``) is not one this code understands."""


class PgUrl(str):
    """A PostgreSQL connection URL (the text of the setting, unchanged)."""

    def __repr__(self) -> str:
        return f"PgUrl({display(self)!r})"


def location(value: str | os.PathLike | None = None) -> Path | PgUrl:
    """The store named by ``value``, else by ``$ASEMUS_STORE``, else the default DuckDB file.

    Returns a resolved :class:`Path` for DuckDB, a :class:`PgUrl` for PostgreSQL; raises
    :class:`StoreSettingError` (with what to write instead) for anything else."""
    if isinstance(value, PgUrl):
        return value
    if isinstance(value, Path):
        return value.expanduser().resolve()
    if value is None:
        value = os.environ.get("ASEMUS_STORE", "")
    text = os.fspath(value).strip()
    if not text:
        # import cycle: paths imports db (location)
        from .paths import DEFAULT_STORE
        return DEFAULT_STORE
    m = _SCHEME.match(text)
    if m:
        return _pg_url(text, m.group(1))
    return Path(text).expanduser().resolve()


def _pg_url(text: str, scheme: str) -> PgUrl:
    shown = display(text)
    if scheme.lower() not in PG_SCHEMES:
        raise StoreSettingError(
            f"the store setting {shown!r} is not understood: '{scheme}:' is not a store this "
            f"dashboard can use. The store is a DuckDB file or a PostgreSQL database: "
            f"{SETTING_HELP} (a file whose name has a colon: write it as ./{shown})")
    if not text[len(scheme) + 1:].startswith("//"):
        raise StoreSettingError(
            f"the store setting {shown!r} is not a PostgreSQL URL: write it as "
            "postgresql://USER@HOST:PORT/DATABASE (with '//' after 'postgresql:'), "
            "e.g. postgresql://asemus_staff@localhost:5432/asemus")
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise StoreSettingError(f"the store setting {shown!r} is not a URL that can be read: "
                                "postgresql://USER@HOST:PORT/DATABASE (a password with / # ? @ "
                                "in it is written with %-escapes, e.g. %2F for /)") from None
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise StoreSettingError(f"the store setting {shown!r} has a port that is not a "
                                "number: postgresql://USER@HOST:PORT/DATABASE (a password with "
                                "/ # ? @ in it is written with %-escapes, e.g. %2F for /)") from None
    if parts.path.strip("/") == "" and "dbname=" not in parts.query:
        raise StoreSettingError(f"the store setting {shown!r} names no database: "
                                "postgresql://USER@HOST:PORT/DATABASE")
    return PgUrl(text)


def kind(loc: Path | str | None) -> str:
    """:data:`POSTGRES` or :data:`DUCKDB` for a value from :func:`location`."""
    return POSTGRES if isinstance(loc, PgUrl) else DUCKDB


def is_postgres(loc) -> bool:
    return isinstance(loc, PgUrl)


def display(loc) -> str:
    """The store as it may be printed: a URL with its password masked, wherever the password
    is written (``user:PASSWORD@``, even with an unencoded ``/ # ? @`` in it, or a
    ``password=`` option), whether or not the rest of the URL can be read."""
    text = str(loc if isinstance(loc, str) else os.fspath(loc))  # a plain str, never a PgUrl
    if not _SCHEME.match(text):
        return text
    text = _PASSWORD_OPTION.sub(r"\1***", text)
    if "@" not in text:
        return text
    prefix = re.match(r"[^:]+:/*", text).group(0)
    userinfo, rest = text[len(prefix):].rsplit("@", 1)
    if ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return f"{prefix}{userinfo}@{rest}"


_PASSWORD_OPTION = re.compile(r"(?i)(\bpassword=)[^&#\s]*")


# --- PostgreSQL: the queries written once (DuckDB's dialect), translated -------------------------
# The SQL of the project is written once, in DuckDB's dialect, in the modules that use it. On
# PostgreSQL each statement is translated by SQLGlot (cached per statement text: the translation
# costs ~1 ms, a cache hit nothing), with the few rewrites PostgreSQL 15 needs and SQLGlot does not
# make: GROUP BY ALL (the select list's non-aggregates), any_value (min), CREATE OR REPLACE TABLE,
# chr(0) in text (PostgreSQL refuses it: chr(1) as the separator of import row keys there), and
# DuckDB's ?, $1 and $name parameters as psycopg's %s, %(p1)s and %(name)s.
_PARAM = "asemus_param_"


def _rewrite(node):
    # lazy: only a PostgreSQL store needs it (heavy to import)
    from sqlglot import exp
    if isinstance(node, exp.Placeholder):
        name = node.name
        if not name or name == "?":
            return exp.Var(this=f"{_PARAM}")
        return exp.Var(this=f"{_PARAM}{'p' if name.isdigit() else ''}{name}_")
    if isinstance(node, exp.Subquery) and not node.alias \
            and isinstance(node.parent, (exp.From, exp.Join)):  # PostgreSQL 15 wants a name
        node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_sub{id(node) % 100000}")))
        return node
    if isinstance(node, exp.ArgMax) or isinstance(node, exp.ArgMin):  # not in PostgreSQL
        # lazy: only a PostgreSQL store needs it (heavy to import)
        import sqlglot
        x, y = node.this.sql(dialect="postgres"), node.expression.sql(dialect="postgres")
        order = "DESC" if isinstance(node, exp.ArgMax) else "ASC"
        return sqlglot.parse_one(f"(ARRAY_AGG({x} ORDER BY {y} {order}) FILTER "
                                 f"(WHERE {y} IS NOT NULL))[1]", read="postgres")
    if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.AnyValue):
        return exp.Min(this=node.this.this)  # min ignores NULLs too
    if isinstance(node, exp.AnyValue):  # PostgreSQL 16 has any_value; 15 does not
        return exp.Min(this=node.this)
    if isinstance(node, exp.Chr) and node.expressions and node.expressions[0].name == "0":
        return exp.Chr(expressions=[exp.Literal.number(1)])
    if isinstance(node, exp.Select) and isinstance(node.args.get("group"), exp.Group) \
            and node.args["group"].args.get("all"):
        keys = [exp.Literal.number(i) for i, e in enumerate(node.expressions, 1)
                if not e.find(exp.AggFunc)]
        node.set("group", exp.Group(expressions=keys) if keys else None)
    return node


_REPLACE = re.compile(r"\s*INSERT\s+OR\s+REPLACE\s+INTO\b", re.I)
_TOKENS = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")|(\?)|\$(\d+|[A-Za-z_]\w*)")


def _mark_params(sql: str) -> str:
    """Parameters as plain names before parsing (SQLGlot cannot parse ``?::VARCHAR[]``)."""
    def sub(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)  # a string or quoted name: left as it is
        if m.group(2):
            return _PARAM
        name = m.group(3)
        return f"{_PARAM}{'p' if name.isdigit() else ''}{name}_"
    return _TOKENS.sub(sub, sql)


def _to_postgres_uncached(sql: str) -> tuple[str, bool]:
    # lazy: only a PostgreSQL store needs it (heavy to import)
    # lazy: only a PostgreSQL store needs it (heavy to import)
    import sqlglot
    from sqlglot import exp
    out = []
    for tree in sqlglot.parse(_mark_params(sql), read="duckdb"):
        if tree is None:
            continue
        tree = tree.transform(_rewrite)
        if isinstance(tree, exp.Create) and tree.args.get("replace") and tree.kind == "TABLE":
            tree.set("replace", False)
            out.append(f"DROP TABLE IF EXISTS {tree.this.sql(dialect='postgres')}")
        out.append(tree.sql(dialect="postgres"))
    text = "; ".join(out).replace("%", "%%")
    named = f"{_PARAM}p" in text or re.search(f"{_PARAM}[A-Za-z]", text) is not None
    text = re.sub(f"{_PARAM}([A-Za-z0-9_]+)_\\b", r"%(\1)s", text)
    return text.replace(_PARAM, "%s"), named


_translated: dict[str, tuple[str, bool]] = {}


def to_postgres(sql: str) -> tuple[str, bool]:
    """``sql`` (DuckDB's dialect) in PostgreSQL's, with psycopg placeholders; and whether its
    parameters are named (``$1`` / ``$name``: pass them as a dict)."""
    hit = _translated.get(sql)
    if hit is None:
        hit = _to_postgres_uncached(sql)
        if len(_translated) > 20_000:
            _translated.clear()
        _translated[sql] = hit
    return hit


def _param(v):
    if isinstance(v, (tuple, set, frozenset)):
        return [_param(x) for x in v]
    if isinstance(v, list):
        return [_param(x) for x in v]
    if hasattr(v, "item") and type(v).__module__ == "numpy":
        return v.item()
    return v


def _params(params, named: bool):
    if params is None:
        return {} if named else []
    if isinstance(params, dict):
        return {k: _param(v) for k, v in params.items()}
    values = [_param(v) for v in params]
    return {f"p{i}": v for i, v in enumerate(values, 1)} if named else values


def _as_duckdb_error(exc: Exception) -> Exception:
    """A psycopg error as the DuckDB exception class callers already handle (one family of
    errors whatever the store), message kept."""
    # lazy: --help loads db, not the data stack; psycopg only for a PostgreSQL store
    # lazy: only a PostgreSQL store needs it (heavy to import)
    import duckdb
    import psycopg.errors as pe
    text = str(exc).strip()
    for pg, dk in ((pe.UndefinedTable, duckdb.CatalogException),
                   (pe.UndefinedColumn, duckdb.BinderException),
                   (pe.UndefinedFunction, duckdb.BinderException),
                   (pe.InsufficientPrivilege, duckdb.PermissionException),
                   (pe.IntegrityError, duckdb.ConstraintException),
                   (pe.DataError, duckdb.ConversionException),
                   (pe.SyntaxError, duckdb.ParserException),
                   (pe.OperationalError, duckdb.IOException)):
        if isinstance(exc, pg):
            return dk(text)
    return duckdb.Error(text)


class PgResult:
    """The result of one statement, read like DuckDB's: fetchone, fetchall, df. A statement that
    returns no rows (INSERT, DELETE...) gives one row holding the rows it changed, as DuckDB
    does."""

    def __init__(self, cur):
        self._cur = cur
        self.description = cur.description

    def fetchone(self):
        if self._cur.description is None:
            return (self._cur.rowcount,)
        return self._cur.fetchone()

    def fetchall(self) -> list:
        if self._cur.description is None:
            return [(self._cur.rowcount,)]
        return self._cur.fetchall()

    def df(self):
        # lazy: --help loads db, not the data stack (tests/test_cli_startup.py)
        import pandas as pd
        rows = self._cur.fetchall() if self._cur.description is not None else []
        names = [d.name for d in self._cur.description or []]
        frame = pd.DataFrame.from_records(rows, columns=names) if rows else \
            pd.DataFrame({n: pd.Series(dtype=_EMPTY_DTYPES.get(d.type_code, object))
                          for n, d in zip(names, self._cur.description or [])})
        if rows:
            for d in self._cur.description:
                frame[d.name] = _typed(frame[d.name], d.type_code)
        return frame

    fetchdf = df


#: Column types as DuckDB's ``df()`` gives them: integers int64 (Int64 with NULLs), booleans
#: bool (boolean with NULLs), numeric (PostgreSQL's sum of bigints) and floats float64.
_INT_OIDS, _FLOAT_OIDS, _BOOL_OID, _TIMESTAMP_OIDS = {20, 21, 23}, {700, 701, 1700}, 16, {1114}
_EMPTY_DTYPES = {20: "int64", 21: "int64", 23: "int64", 700: "float64", 701: "float64",
                 1700: "float64", 16: "bool"}


def _typed(col, oid: int):
    # lazy: --help loads db, not the data stack (tests/test_cli_startup.py)
    import pandas as pd
    if oid in _INT_OIDS:
        return col.astype("Int64" if col.isna().any() else "int64")
    if oid in _FLOAT_OIDS:
        return pd.to_numeric(col.astype(object).where(col.notna(), None).astype("float64"))
    if oid == _BOOL_OID:
        return col.astype("boolean" if col.isna().any() else "bool")
    if oid in _TIMESTAMP_OIDS:
        return pd.to_datetime(col)
    return col


class PgConnection:
    """A PostgreSQL connection used like a DuckDB one (``execute(sql, params)`` in DuckDB's
    dialect, then ``fetchone`` / ``fetchall`` / ``df``), so the modules that query the store
    run unchanged. Autocommit: every statement reads the latest committed state; ``BEGIN`` /
    ``COMMIT`` / ``ROLLBACK`` open and end a transaction, and nest as savepoints (a write that
    runs inside :func:`asemus_data.store.writing` stays one transaction)."""

    def __init__(self, url: str, *, _shared=None):
        if _shared is None:
            # lazy: only a PostgreSQL store needs it (heavy to import)
            import psycopg
            try:
                raw = psycopg.connect(url, autocommit=True, connect_timeout=10,
                                      application_name="asemus")
            except psycopg.Error as exc:
                raise StoreError(f"cannot connect to the store {display(url)}: "
                                 f"{str(exc).strip().splitlines()[-1]}") from None
            # text parameters typed as text (DuckDB's VARCHAR), not "unknown": a list of
            # strings is then a text[] that unnest() and = ANY() accept
            from psycopg.types.string import StrDumper
            raw.adapters.register_dumper(str, StrDumper)
            _shared = {"raw": raw, "depth": 0}
        self.url = PgUrl(url)
        self._shared = _shared

    @property
    def raw(self):
        """The psycopg connection."""
        return self._shared["raw"]

    def cursor(self) -> PgConnection:
        """Another handle on the same connection (psycopg serialises its use across threads)."""
        return PgConnection(self.url, _shared=self._shared)

    def execute(self, sql: str, params=None) -> PgResult:
        word = sql.strip().rstrip(";").upper()
        if word in ("BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK"):
            return self._transaction(word)
        if _REPLACE.match(sql):
            sql = self._as_upsert(sql)
        text, named = to_postgres(sql)
        # lazy: only a PostgreSQL store needs it (heavy to import)
        import psycopg
        cur = self.raw.cursor()
        try:
            cur.execute(text, _params(params, named) or None)
        except psycopg.Error as exc:
            raise _as_duckdb_error(exc) from None
        return PgResult(cur)

    def _as_upsert(self, sql: str) -> str:
        """DuckDB's ``INSERT OR REPLACE INTO t ...`` as ``INSERT ... ON CONFLICT (t's primary
        key) DO UPDATE`` (PostgreSQL has no INSERT OR REPLACE)."""
        # lazy: only a PostgreSQL store needs it (heavy to import)
        import sqlglot
        tree = sqlglot.parse_one(_mark_params(sql), read="duckdb")
        target = tree.this
        table = target.this.name if isinstance(target, sqlglot.exp.Schema) else target.name
        cols = ([c.name for c in target.expressions] if isinstance(target, sqlglot.exp.Schema)
                else [r[0] for r in self.raw.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "AND table_schema = current_schema() ORDER BY ordinal_position",
                    [table]).fetchall()])
        key = [r[0] for r in self.raw.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(%s) AND i.indisprimary",
            [table]).fetchall()]
        if not key:
            raise _as_duckdb_error(RuntimeError(f"INSERT OR REPLACE into {table}, which has no "
                                                "primary key"))
        source = tree.expression.sql(dialect="duckdb")
        update = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in key) or None
        names = ", ".join(f'"{c}"' for c in cols)
        out = (f'INSERT INTO "{table}" ({names}) {source} ON CONFLICT '
               f'({", ".join(key)}) ' + (f"DO UPDATE SET {update}" if update else "DO NOTHING"))
        return out.replace(f"{_PARAM}", "?")

    def _transaction(self, word: str) -> PgResult:
        depth = self._shared["depth"]
        if word.startswith("BEGIN"):
            statement = "BEGIN" if depth == 0 else f"SAVEPOINT asemus_{depth}"
            self._shared["depth"] = depth + 1
        elif depth <= 0:
            raise _as_duckdb_error(RuntimeError(f"{word} outside a transaction"))
        else:
            self._shared["depth"] = depth - 1
            if depth == 1:
                statement = word
            elif word == "COMMIT":
                statement = f"RELEASE SAVEPOINT asemus_{depth - 1}"
            else:
                statement = f"ROLLBACK TO SAVEPOINT asemus_{depth - 1}"
        cur = self.raw.cursor()
        cur.execute(statement)
        return PgResult(cur)

    @property
    def in_transaction(self) -> bool:
        return self._shared["depth"] > 0

    def register(self, name: str, frame) -> None:
        """Make a frame queryable as ``name`` (DuckDB's ``register``): a temporary table of this
        session, typed from the frame's columns, filled with COPY."""
        # lazy: --help loads db, not the data stack (tests/test_cli_startup.py)
        import pandas as pd
        types = {"i": "BIGINT", "u": "BIGINT", "f": "DOUBLE PRECISION", "b": "BOOLEAN",
                 "M": "TIMESTAMP"}
        cols = ", ".join(f'"{c}" {types.get(getattr(t, "kind", "O"), "TEXT")}'
                         for c, t in frame.dtypes.items())
        self.raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
        self.raw.execute(f'CREATE TEMP TABLE "{name}" ({cols})')
        self.copy_frame(name, pd.DataFrame(frame))

    def unregister(self, name: str) -> None:
        self.raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')

    def copy_frame(self, table: str, frame) -> int:
        """Append a frame's rows to ``table`` (columns by name) with COPY; returns the count."""
        # lazy: --help loads db, not the data stack (tests/test_cli_startup.py)
        import pandas as pd
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        values = frame.astype(object).where(pd.notna(frame), None)
        with self.raw.cursor().copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in values.itertuples(index=False, name=None):
                copy.write_row([_param(v) for v in row])
        return len(frame)

    def close(self) -> None:
        self.raw.close()


def is_pg(con) -> bool:
    """Whether ``con`` is a connection to PostgreSQL (else DuckDB)."""
    return isinstance(con, PgConnection)


def connect_pg(url: str) -> PgConnection:
    return PgConnection(url)
