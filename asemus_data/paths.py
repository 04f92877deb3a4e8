"""Where things live. Every path resolves from the package, never from the working directory."""
from __future__ import annotations

import math
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
STATIC_DIR = PROJECT_DIR / "static"
DEFAULT_STORE = PROJECT_DIR / ".asemus" / "store.duckdb"
BOUNDARIES_FILE = DATA_DIR / "countries_50m.geojson"
PERIODS_FILE = DATA_DIR / "periods.csv"

#: Files larger than this are refused before they are read (bytes). Override with ASEMUS_MAX_FILE_MB.
DEFAULT_MAX_FILE_MB = 100

#: Resource limits on input, checked before the expensive work starts, so that one upload cannot
#: exhaust the server's memory. Each is raised by the environment variable that names it; the
#: message that refuses a file names the variable. (variable, default, unit, what it bounds)
LIMITS = {
    "ASEMUS_MAX_FILE_MB": (DEFAULT_MAX_FILE_MB, "MB", "size of an input file"),
    "ASEMUS_MAX_ROWS": (1_000_000, "rows", "data rows read from one file (any format)"),
    "ASEMUS_MAX_CELLS": (20_000_000, "cells",
                         "rows x columns of one CSV, Parquet or GeoJSON file"),
    "ASEMUS_MAX_EXCEL_CELLS": (1_000_000, "cells",
                               ("rows x columns of one Excel sheet (a workbook is held in memory "
                                "whole, ~0.4 KB a cell; send larger data as CSV or Parquet)")),
    "ASEMUS_MAX_UNZIPPED_MB": (500, "MB", "decompressed size of an Excel workbook or Parquet file"),
    "ASEMUS_MAX_JSON_MB": (25, "MB", ("size of a GeoJSON or JSON file (parsed whole, ~16x its size "
                                      "in memory; send larger data as CSV or Parquet)")),
    "ASEMUS_MAX_MAPPING_KB": (256, "KB", "size of a mapping file"),
    "ASEMUS_MAX_MAPPING_NODES": (100_000, "nodes",
                                 "values in a mapping file once YAML aliases are expanded"),
}


def store_path():
    """The store: ``$ASEMUS_STORE`` if set, else the git-ignored default DuckDB file. A
    :class:`~pathlib.Path` for DuckDB, an ``asemus_data.db.PgUrl`` for PostgreSQL; a setting
    that is neither raises ``asemus_data.db.StoreSettingError`` (see asemus_data.db)."""
    # import cycle: db imports paths (DEFAULT_STORE)
    from .db import location
    return location()


def limit(name: str) -> float:
    """The value of one of :data:`LIMITS`: the environment variable if it holds a positive
    number, else the default (a typo in a setting must not remove a limit)."""
    default = LIMITS[name][0]
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


def max_file_bytes() -> int:
    """Largest input file accepted by the importers, in bytes (``ASEMUS_MAX_FILE_MB``)."""
    return int(limit("ASEMUS_MAX_FILE_MB") * 1024 * 1024)


def max_rows() -> int:
    """Most data rows read from one input file (``ASEMUS_MAX_ROWS``)."""
    return int(limit("ASEMUS_MAX_ROWS"))


def max_cells(excel: bool = False) -> int:
    """Most cells (rows x columns) read from one file (``ASEMUS_MAX_CELLS``) or one Excel sheet
    (``ASEMUS_MAX_EXCEL_CELLS``)."""
    return int(limit("ASEMUS_MAX_EXCEL_CELLS" if excel else "ASEMUS_MAX_CELLS"))


def max_unzipped_bytes() -> int:
    """Largest decompressed size of a workbook or Parquet file, in bytes
    (``ASEMUS_MAX_UNZIPPED_MB``)."""
    return int(limit("ASEMUS_MAX_UNZIPPED_MB") * 1024 * 1024)


def max_json_bytes() -> int:
    """Largest GeoJSON / JSON input, in bytes (``ASEMUS_MAX_JSON_MB``)."""
    return int(limit("ASEMUS_MAX_JSON_MB") * 1024 * 1024)


def max_mapping_bytes() -> int:
    """Largest mapping file, in bytes (``ASEMUS_MAX_MAPPING_KB``)."""
    return int(limit("ASEMUS_MAX_MAPPING_KB") * 1024)


def max_mapping_nodes() -> int:
    """Most YAML nodes in a mapping file, counting every alias as the copy it stands for
    (``ASEMUS_MAX_MAPPING_NODES``)."""
    return int(limit("ASEMUS_MAX_MAPPING_NODES"))
