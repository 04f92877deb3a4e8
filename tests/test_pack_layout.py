"""Issue 13, the remaining parts: the Overview counts only the filters it shows; every exported
picture carries its title, source and status inside its frame; the PowerPoint deck is laid out
like a designed deck (title, chart filling its area, footer, notes, native charts)."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import queries
from asemus_data.filters import Filters


# --- 1. the Overview's Holdings sentence ignores holdings filters it does not show ------------
def _overview_markdown(query: dict[str, str]) -> str:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return " | ".join(m.value for m in at.markdown)


def test_overview_holdings_ignore_filters_the_page_does_not_show(built_store, con,
                                                                 clear_streamlit_caches):
    europe = queries.summary_sentence(queries.summary(con, Filters(regions=("Europe",))))
    narrowed = queries.summary_sentence(queries.summary(
        con, Filters(regions=("Europe",), origins=("JPN",), categories=("ceramics",))))
    assert europe != narrowed  # the holdings filters would change the sentence
    said = _overview_markdown({"region": "Europe", "origin": "JPN", "category": "ceramics"})
    assert europe in said, said
    assert narrowed not in said
