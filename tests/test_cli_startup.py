"""The command line answers --help without loading the data stack, and its table list is the
schemas' own."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from asemus_data import schemas
from asemus_data.tables import TABLE_NAMES

PROJECT = Path(__file__).resolve().parents[1]


def test_table_names_follow_the_schemas():
    assert TABLE_NAMES == tuple(schemas.TABLES)


def test_help_loads_no_data_stack():
    code = ("import sys, runpy\n"
            "sys.argv = ['asemus_data', '--help']\n"
            "try:\n    runpy.run_module('asemus_data', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('pandas', 'pandera', 'duckdb', 'numpy') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                         text=True, timeout=60)
    assert "usage: python -m asemus_data" in out.stdout
    assert "HEAVY []" in out.stdout, out.stdout[-500:] + out.stderr[-500:]
