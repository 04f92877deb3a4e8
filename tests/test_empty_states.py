"""A filter that matches nothing says so on every page, and no page errors on it."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGES = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py"))
#: Pages whose content does not depend on the shared filters (they still must not fail).
NOT_FILTERED = {"data.py", "presentation.py"}


@pytest.mark.parametrize("page", PAGES)
def test_no_match_is_said_not_crashed(page, built_store, clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["q"] = "zzz-no-museum-has-this-name"
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.message for e in at.exception]
    if page in NOT_FILTERED:
        return
    said = " ".join(x.value for x in [*at.info, *at.warning, *at.markdown, *at.caption])
    assert "match" in said.lower() or "no " in said.lower(), said[:500]
    assert any("match" in i.value.lower() for i in at.info), [i.value for i in at.info]
