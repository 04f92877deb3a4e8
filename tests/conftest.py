"""Shared fixtures: a store built from data/ in a temporary folder (never the developer's own),
and caches cleared between AppTest runs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A default store built once per test session; ASEMUS_STORE points at it."""
    from asemus_data import store
    path = tmp_path_factory.mktemp("store") / "store.duckdb"
    store.build(path)
    os.environ["ASEMUS_STORE"] = str(path)
    return path


@pytest.fixture()
def con(built_store):
    """A read-only connection to the session store."""
    import duckdb
    c = duckdb.connect(str(built_store), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def fresh_store(built_store, tmp_path) -> Path:
    """A store of its own (a copy of the session store), for tests that write."""
    import shutil
    path = tmp_path / "store.duckdb"
    shutil.copyfile(built_store, path)
    return path


@pytest.fixture()
def clear_streamlit_caches():
    """AppTest runs share Streamlit's caches within a process: start each page test clean."""
    import streamlit as st
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture()
def full_error_details():
    """The app's config hides tracebacks from visitors; a failing test should show them."""
    from streamlit import config
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


# --- PostgreSQL (the shared store): a throwaway cluster, see tests/pg_support.py ----------------
@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster for the session (skipped where the binaries are missing, except
    under CI=true, where that is a failure)."""
    import pg_support
    why = pg_support.missing()
    if why:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true but PostgreSQL cannot run: {why}")
        pytest.skip(why)
    cluster = pg_support.Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """A database holding a default store built from data/, copied by :func:`pg_store`."""
    from asemus_data import store
    url = pg_cluster.create_database("asemus_template")
    store.build(url)
    store.close_pg_connections()
    return "asemus_template"


@pytest.fixture()
def pg_store(pg_cluster, pg_template, request):
    """A PostgreSQL store of its own (a copy of the template database): the staff URL."""
    import re

    from asemus_data import store
    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + f"_{os.getpid()}"
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    url = pg_cluster.copy_database(pg_template, name)
    yield url
    store.close_pg_connections()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
