"""Every page on the shared PostgreSQL store, as the public dashboard reads it (connected as the
read-only public role): no exception, a title, and no "cannot be read" message."""
from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest
from test_pages import PAGE_FILES, explain, headings

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_public(pg_cluster, pg_template):
    """A copy of the built store; ASEMUS_STORE set to the public role's URL for the module."""
    from asemus_data import store
    name = f"pages_{os.getpid()}"
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_cluster.copy_database(pg_template, name)
    url = pg_cluster.public_url(name)
    before = os.environ.get("ASEMUS_STORE")
    os.environ["ASEMUS_STORE"] = url
    yield url
    if before is None:
        os.environ.pop("ASEMUS_STORE", None)
    else:
        os.environ["ASEMUS_STORE"] = before
    store.close_pg_connections()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def _full_error_details(full_error_details):
    """Tracebacks in the assertion messages."""


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_runs_on_postgres(page, pg_public, clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, f"pages/{page} raised on PostgreSQL:\n{explain(at)}"
    assert headings(at), f"pages/{page} drew no title or header on PostgreSQL"
    errors = [e.value for e in at.error]
    assert not any("cannot be read" in e for e in errors), errors
