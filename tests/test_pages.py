"""Every page runs under AppTest without an exception and draws something; the shared filters
survive bad links, page switches and end up in the URL.

Pages are discovered from pages/*.py at collection time, so a new page is covered automatically.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
PAGE_FILES = sorted(p.name for p in PAGES_DIR.glob("*.py") if not p.name.startswith("_"))
DEFAULT_PAGE = "overview.py"


@pytest.fixture(autouse=True)
def _full_error_details(full_error_details):
    """Tracebacks in the assertion messages (see conftest.full_error_details)."""


def run_app(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """The whole app (router + page) as a visitor would get it; ``page`` is a file in pages/."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}").run()
    return at


def explain(at: AppTest) -> str:
    """The exceptions on screen, with their stack traces, for an assertion message."""
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def headings(at: AppTest) -> list[str]:
    return [h.value for h in (*at.title, *at.header, *at.subheader)]


def widget(at: AppTest, key: str):
    try:
        return at.multiselect(key=key)
    except KeyError:
        return None


def test_pages_found():
    assert PAGE_FILES, f"no page scripts in {PAGES_DIR}"


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_runs(page, built_store, clear_streamlit_caches):
    at = run_app(page)
    assert not at.exception, f"pages/{page} raised:\n{explain(at)}"
    assert headings(at), f"pages/{page} drew no title or header"


def test_overview_is_the_default_page(built_store, clear_streamlit_caches):
    at = run_app()
    assert not at.exception, explain(at)
    default = run_app(DEFAULT_PAGE)
    assert headings(at), "the default page drew no title or header"
    assert headings(at) == headings(default), (
        f"app.py opens on {headings(at)}, not on the overview {headings(default)}")


@pytest.mark.parametrize("query", [{"region": "Atlantis"}, {"period": "abc"},
                                   {"region": "Atlantis,Europe", "period": "2000..1000"}],
                         ids=["unknown-region", "period-not-a-range", "mixed"])
def test_bad_link_is_ignored_with_a_notice(query, built_store, clear_streamlit_caches):
    at = run_app(query=query)
    assert not at.exception, explain(at)
    notices = [n.value for n in at.info] + [t.value for t in at.toast]
    for k, v in query.items():
        bad = "Atlantis" if k == "region" else v
        assert any(bad in n for n in notices), f"no notice about {k}={v!r}; notices: {notices}"
    regions = widget(at, "flt_regions")
    assert regions is not None, "the overview has no region filter (key flt_regions)"
    expected = ["Europe"] if "Europe" in query.get("region", "") else []
    assert regions.value == expected, "the valid part of the link should be kept, the rest dropped"


def test_filters_persist_across_pages_and_go_to_the_url(built_store, clear_streamlit_caches):
    at = run_app()
    assert not at.exception, explain(at)
    regions = widget(at, "flt_regions")
    assert regions is not None, "the overview has no region filter (key flt_regions)"
    regions.set_value(["Europe"]).run()
    assert not at.exception, explain(at)
    assert at.query_params.get("region") == "Europe", dict(at.query_params)

    for page in (p for p in PAGE_FILES if p != DEFAULT_PAGE):
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, f"pages/{page} raised after filtering:\n{explain(at)}"
        w = widget(at, "flt_regions")
        if w is not None:  # pages that show the shared filters must show the same value
            assert w.value == ["Europe"], f"pages/{page} lost the region filter: {w.value}"
    # back on the overview the choice is still there (the widget was not drawn in between
    # on pages without the filter sidebar, so this checks the state no widget owns)
    at.switch_page(f"pages/{DEFAULT_PAGE}").run()
    assert widget(at, "flt_regions").value == ["Europe"]
    assert at.query_params.get("region") == "Europe", dict(at.query_params)
