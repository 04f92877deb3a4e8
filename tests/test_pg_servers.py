"""Two app servers on one PostgreSQL database (as the public role): an import from the command
line (as staff) shows on both at the next page load, since their caches are keyed by the token
every write leaves in the store. Real Chromium against two `streamlit run` processes."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import browser_support as bs
import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.slow]

NEW_MEMBER = ("id,name,city,country,type,member_status\n"
              "two-servers-test,Two Servers Test Museum,Lyon,France,public,member\n")
LABEL = "Institutions in the network"


def _free(port: int) -> bool:
    import socket
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _headline(page, server) -> int:
    page.goto(server.url)
    bs.wait_for_app(page)
    metric = page.locator('[data-testid="stMetric"]', has_text=LABEL).first
    metric.wait_for(timeout=60_000)
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return int(re.sub(r"\D", "", value))


@pytest.fixture()
def pg_two_stores(pg_cluster, pg_template):
    from asemus_data import store
    name = f"servers_{os.getpid()}"
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    staff = pg_cluster.copy_database(pg_template, name)
    yield staff, pg_cluster.public_url(name)
    store.close_pg_connections()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_an_import_shows_on_both_servers(pg_two_stores, tmp_path):
    if not bs.CHROMIUM.exists():
        if bs.in_ci():
            pytest.fail(f"CI=true but Chromium is missing: {bs.CHROMIUM}")
        pytest.skip(f"Chromium not found at {bs.CHROMIUM}")
    from playwright.sync_api import sync_playwright
    staff, public = pg_two_stores
    ports = [p for p in range(8576, 8580) if _free(p)][:2]  # this suite's loopback range
    servers = [bs.StreamlitServer(public, port=port, log=tmp_path / f"streamlit-{i}.log")
               for i, port in enumerate(ports, 1)]
    assert len(servers) == 2, "no two free ports in 8576-8579"
    try:
        for s in servers:
            s.start(timeout=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1600})
                before = [_headline(page, s) for s in servers]
                assert before[0] == before[1] > 0
                f = tmp_path / "member.csv"
                f.write_text(NEW_MEMBER, encoding="utf-8")
                r = subprocess.run([sys.executable, "-m", "asemus_data", "import", str(f),
                                    "--table", "institutions", "--store", staff],
                                   cwd=Path(bs.PROJECT), capture_output=True, text=True,
                                   timeout=300)
                assert r.returncode == 0, r.stderr
                after = [_headline(page, s) for s in servers]
                assert after == [before[0] + 1] * 2, (before, after)
            finally:
                browser.close()
    finally:
        for s in servers:
            s.stop()
