"""Masterpieces at scale: the explorer's options (museums, cultures), the few-objects note, the
masterpiece of the day and the growth are read once per store file; a page turn reads one page
and nothing else; a search reads the selection again but not the options; a write (new store
file) reads everything again. Behaviour only (timings: benchmarks.masterpieces)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import masterpieces as mp
from asemus_data import store


@pytest.fixture()
def counted(monkeypatch):
    calls: dict[str, int] = {}
    for name in ("options", "growth", "masterpiece_of_the_day", "summary", "page", "flows",
                 "makeup"):
        real = getattr(mp, name)
        calls[name] = 0

        def counting(*a, _n=name, _real=real, **k):
            calls[_n] += 1
            return _real(*a, **k)
        monkeypatch.setattr(mp, name, counting)
    return calls


@pytest.fixture()
def many_objects(fresh_store, monkeypatch):
    """100 objects (three pages of cards) in a store of its own; ASEMUS_STORE on it."""
    with store.writing(fresh_store) as w:
        inst = w.execute("SELECT id FROM institutions ORDER BY id LIMIT 1").fetchone()[0]
        w.execute("""INSERT INTO objects (id, institution_id, title, category, status, source)
                     SELECT 'mpp-' || lpad(i::VARCHAR, 3, '0'), ?, 'Bowl ' || i, 'ceramics',
                            'imported', 'test' FROM range(100) t(i)""", [inst])
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    return fresh_store


def test_page_turns_and_searches_reread_only_what_changed(many_objects, clear_streamlit_caches,
                                                          counted):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/masterpieces.py").run()
    assert not at.exception
    first = dict(counted)
    assert first["options"] == 1 and first["summary"] >= 1 and first["page"] == 1
    at.number_input(key="mp_page").set_value(2).run()
    assert not at.exception
    assert counted == first | {"page": 2}
    at.number_input(key="mp_page").set_value(1).run()  # a page seen before: no query
    assert counted == first | {"page": 2}
    at.text_input(key="mp_q").set_value("bowl").run()
    assert not at.exception
    assert counted["summary"] > first["summary"] and counted["options"] == 1
    assert counted["growth"] == 1 and counted["masterpiece_of_the_day"] == 1
    before = dict(counted)
    with store.writing(many_objects) as w:
        w.execute("UPDATE objects SET title = 'Jar' WHERE id = 'mpp-000'")
    at.run()
    assert not at.exception
    assert counted["options"] == before["options"] + 1
    assert counted["summary"] > before["summary"]
