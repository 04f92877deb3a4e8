"""Fuzzed pages: every page opened from Hypothesis-generated links (the shared filter keys, every
page's own keys and strangers, with values valid, malformed, hostile or absurd), then one
Hypothesis-chosen widget action. No link and no action may end in an exception on screen."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import ui

PAGES = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py")
               if not p.name.startswith("_"))
SHARED_KEYS = ("region", "country", "origin", "category", "material", "type", "member", "status",
               "period", "q")
KEYS = (*SHARED_KEYS, *sorted({k for keys in ui.PAGE_PARAMS.values() for k in keys}),
        "sequence", "slide", "staff", "page", "tab", "zzz")
PLAUSIBLE = ("Europe", "Asia", "other", "CHN", "JPN", "FRA", "ceramics", "member", "documented",
             "illustrative", "1600..1900", "2010..2016", "-500..1200", "1", "2", "3", "cross",
             "within", "pagerank", "community", "museums,flows", "countries", "member", "europe",
             "shanghai-museum", "musee-guimet", "Topology", "Over time", "sample", "true", "0")
HOSTILE = ("²", "٣", "1e999", "NaN", "-1", "99999999999999999999", "..", "1..", "..2", "3..1",
           ",,,", "%", "_", "'; DROP TABLE institutions; --", "<script>alert(1)</script>",
           "**bold** :red[x] $x^2$ :material/home: :smile:", "\n=HYPERLINK(\"x\")", "\x00\x07",
           "a" * 300, "é" * 50, "東京国立博物館")
VALUES = st.one_of(st.sampled_from(PLAUSIBLE), st.sampled_from(HOSTILE),
                   st.lists(st.sampled_from(PLAUSIBLE + HOSTILE), min_size=2, max_size=4)
                   .map(",".join),
                   st.text(max_size=40))
LINKS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)
SETTINGS = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _explain(at: AppTest) -> str:
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def _open(page: str, link: dict[str, str]) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in link.items():
        # a link carries text only: NUL cannot travel in a URL, the browser drops it
        at.query_params[k] = v.replace("\x00", "")
    at.switch_page(f"pages/{page}")
    return at.run()


def _act(at: AppTest, data) -> str:
    """One widget action chosen by Hypothesis among the page's keyed widgets."""
    widgets = [w for kind in ("selectbox", "multiselect", "radio", "text_input", "checkbox",
                              "toggle", "segmented_control")
               for w in getattr(at, kind) if getattr(w, "key", None)]
    if not widgets:
        return "no widget"
    w = data.draw(st.sampled_from(widgets), label="widget")
    kind = type(w).__name__
    if kind in ("Selectbox", "Radio", "SegmentedControl") and w.options:
        w.set_value(data.draw(st.sampled_from(list(w.options)), label="option"))
    elif kind == "Multiselect" and w.options:
        w.set_value(data.draw(st.lists(st.sampled_from(list(w.options)), unique=True,
                                       max_size=3), label="options"))
    elif kind == "TextInput":
        w.input(data.draw(st.sampled_from(HOSTILE + PLAUSIBLE), label="text"))
    elif kind in ("Checkbox", "Toggle"):
        w.set_value(not w.value)
    else:
        return f"{kind} left alone"
    at.run()
    return f"{kind} {w.key}"


@pytest.fixture(autouse=True)
def _full_error_details(full_error_details):
    """Tracebacks in the assertion messages (see conftest.full_error_details)."""


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@SETTINGS
@given(link=LINKS, data=st.data())
def test_no_link_and_no_action_crashes_a_page(page, link, data, built_store):
    at = _open(page, link)
    assert not at.exception, f"pages/{page}?{link} raised:\n{_explain(at)}"
    did = _act(at, data)
    assert not at.exception, f"pages/{page}?{link}, then {did}, raised:\n{_explain(at)}"
