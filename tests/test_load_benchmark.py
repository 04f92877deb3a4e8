"""benchmarks.load: the server's own timing (app.py's ASEMUS_RUN_LOG) reaches the report, the
bounds hold, and the browsers' priority wrapper really runs Chromium under nice."""
from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import load

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_app_logs_each_page_run_and_the_benchmark_reads_it(built_store, clear_streamlit_caches,
                                                          tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    log = tmp_path / "runs.tsv"
    monkeypatch.setenv("ASEMUS_RUN_LOG", str(log))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception
    at.switch_page("pages/network.py").run()
    runs = load._server_runs(log)
    pages = [page for _, page, _, _ in runs]
    assert pages[0] == "/" and "network" in pages
    for when, _, wall, cpu in runs:
        assert when > 1e9 and wall > 0 and 0 <= cpu <= wall + 0.05


def test_no_log_without_the_setting(built_store, clear_streamlit_caches, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("ASEMUS_RUN_LOG", raising=False)
    monkeypatch.chdir(tmp_path)
    AppTest.from_file(str(APP), default_timeout=120).run()
    assert list(tmp_path.iterdir()) == []


def test_percentiles_skip_missing_values():
    values = [float(v) for v in range(1, 21)]
    assert load.pct(values + [math.nan], 90) == pytest.approx(
        statistics.quantiles(values, n=100, method="inclusive")[89])
    assert math.isnan(load.pct([math.nan], 50))
    assert load.pct([3.0], 90) == 3.0


def test_browsers_run_under_nice(tmp_path):
    assert load._browser_executable(0, tmp_path) == load.bs.CHROMIUM
    wrapper = load._browser_executable(19, tmp_path)
    # the wrapper passes its arguments on: run it with `nice` itself standing in for Chromium
    text = wrapper.read_text().replace(f'"{load.bs.CHROMIUM}"', "nice")
    wrapper.write_text(text)
    out = subprocess.run([str(wrapper)], capture_output=True, text=True, timeout=10)
    assert int(out.stdout.strip()) == min(19, os.nice(0) + 19)


@pytest.mark.parametrize("argv", [["--sessions", "0"], ["--sessions", "51"],
                                  ["--minutes", "61"], ["--import", "x.csv"],
                                  ["--think", "-1"],
                                  ["--import", "x.csv", "--table", "objects",
                                   "--during-import", "10"]])
def test_bounds_refused_before_any_work(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        load.main(argv)
    assert exc.value.code == 2
    assert "usage: python -m benchmarks.load" in capsys.readouterr().err


def test_help_states_what_is_measured():
    out = subprocess.run([sys.executable, "-m", "benchmarks.load", "--help"],
                         cwd=APP.parent, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for words in ("Think time", "nice -n 19", "frozen", "settled", "--during-import"):
        assert words in out.stdout
