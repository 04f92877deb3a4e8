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
