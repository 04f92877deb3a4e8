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
