"""Where things live. Every path resolves from the package, never from the working directory."""
from __future__ import annotations

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


def store_path() -> Path:
    """Path of the embedded store: ``$ASEMUS_STORE`` if set, else the git-ignored default."""
    env = os.environ.get("ASEMUS_STORE", "").strip()
    return Path(env).expanduser().resolve() if env else DEFAULT_STORE


def max_file_bytes() -> int:
    """Largest input file accepted by the importers, in bytes."""
    try:
        mb = float(os.environ.get("ASEMUS_MAX_FILE_MB", DEFAULT_MAX_FILE_MB))
    except ValueError:
        mb = DEFAULT_MAX_FILE_MB
    return int(mb * 1024 * 1024)
