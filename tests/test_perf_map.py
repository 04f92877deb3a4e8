"""Collections map at scale: the pre-aggregated holding groups are built by every write and give
the same table as the raw rows; a layer, colour or frame switch, a museum pick and a return to a
recent filter run no query; an import (new store file) does; the country shapes are prepared once.
Behaviour only: no timings (those are in benchmarks.browser)."""
from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import collections_map as cm
from asemus_data import queries, store
from asemus_data.figures import maps
from asemus_data.filters import Filters

RAW = "(SELECT *, 1::BIGINT AS n FROM holdings)"


def _holdings_frame(con) -> pd.DataFrame:
    """Collections and objects straight from their tables, in pandas (not through the view)."""
    coll = con.execute("SELECT institution_id, status, object_count FROM collections").df()
    obj = con.execute("SELECT institution_id, status FROM objects").df()
    return pd.concat([coll.assign(objects=coll.object_count.fillna(0), rows=1),
                      obj.assign(objects=1, rows=1)])


def _add_objects(con, n: int, institution: str) -> None:
    con.execute("""INSERT INTO objects (id, institution_id, title, origin_country_code,
                   origin_country, category, status, source)
                   SELECT 'perf-' || i, ?, 'Perf object ' || i, 'JPN', 'Japan', 'ceramics',
                          'imported', 'test' FROM range(?) t(i)""", [institution, n])


def test_the_store_is_built_with_holding_groups_that_add_up(con):
    assert store.holdings_source(con) == store.HOLDING_GROUPS
    n, objects = con.execute("SELECT sum(n), sum(objects) FROM holding_groups").fetchone()
    raw = _holdings_frame(con)
    assert n == len(raw) and objects == raw.objects.sum()
    per_status = con.execute("SELECT status, sum(objects) FROM holding_groups GROUP BY 1").df()
    assert dict(zip(per_status.iloc[:, 0], per_status.iloc[:, 1])) == \
        raw.groupby("status").objects.sum().to_dict()


def test_every_write_refreshes_the_groups_and_a_write_around_it_falls_back(fresh_store):
    inst = duckdb.connect(str(fresh_store), read_only=True).execute(
        "SELECT id FROM institutions ORDER BY id LIMIT 1").fetchone()[0]
    with store.writing(fresh_store) as w:
        _add_objects(w, 7, inst)
    c = duckdb.connect(str(fresh_store), read_only=True)
    assert store.holdings_source(c) == store.HOLDING_GROUPS
    got = c.execute("SELECT sum(n) FROM holding_groups WHERE institution_id = ? "
                    "AND status = 'imported'", [inst]).fetchone()[0]
    assert got == 7
    c.close()
    # rows written without the write path: the groups are stale, so the raw rows are read
    c = duckdb.connect(str(fresh_store))
    _add_objects(c, 3, inst)
    assert store.holdings_source(c) == RAW
    table, total = cm.holdings_table(c, Filters(statuses=("imported",)))
    assert table.objects.sum() == 10 and total == 1  # 10 identical objects: one row
    c.close()


@pytest.mark.parametrize("f", [Filters(), Filters(origins=("JPN", "CHN")),
                               Filters(period=(1600, 1800), categories=("ceramics",)),
                               Filters(search="museum", statuses=("illustrative",))])
def test_holdings_table_from_groups_equals_the_raw_rows(con, monkeypatch, f):
    fast, fast_total = cm.holdings_table(con, f, limit=100_000)
    monkeypatch.setattr(store, "holdings_source", lambda _c: RAW)
    slow, slow_total = cm.holdings_table(con, f, limit=100_000)
    assert fast_total == slow_total == len(fast)
    cols = list(fast.columns)
    assert (fast.astype(str).sort_values(cols).reset_index(drop=True)
            .equals(slow.astype(str).sort_values(cols).reset_index(drop=True)))


def test_the_table_limit_keeps_the_largest_rows(con):
    full, total = cm.holdings_table(con, Filters(), limit=100_000)
    top, total2 = cm.holdings_table(con, Filters(), limit=25)
    assert total == total2 == len(full) and len(top) == 25
    assert list(top.objects) == sorted(full.objects, reverse=True)[:25]


def test_no_polygon_is_sent_with_a_rerun(con):
    """The base map and the shaded countries point at the static files; a rerun carries only a
    colour per holding country (was: every holding country's polygons, inline, each rerun)."""
    data = cm.map_data(con, Filters())
    deck = json.loads(maps.collections_deck(data, cm.LAYERS).to_json())
    by_id = {lyr["id"]: lyr for lyr in deck["layers"]}
    assert by_id["countries"]["data"] == maps.basemap.STATIC_BOUNDARIES_URL
    assert by_id["countries_borders"]["data"] == maps.basemap.STATIC_BORDERS_URL
    shaded = by_id["countries_shaded"]
    assert shaded["data"] == maps.basemap.STATIC_BOUNDARIES_URL
    assert set(shaded["getFillColor"]["domain"]) == set(data.countries.country_code[
        data.countries.objects > 0])
    assert len(json.dumps(shaded)) < 200 * len(data.countries) + 500
    assert '"coordinates"' not in json.dumps(deck)


@pytest.fixture()
def counted(monkeypatch):
    """Count the page's store queries (summary, map data, table, museum detail)."""
    calls = {"summary": 0, "map_data": 0, "holdings_table": 0, "museum_detail": 0}

    def wrap(mod, name):
        real = getattr(mod, name)

        def counting(*a, **k):
            calls[name] += 1
            return real(*a, **k)
        monkeypatch.setattr(mod, name, counting)
    wrap(queries, "summary")
    for name in ("map_data", "holdings_table", "museum_detail"):
        wrap(cm, name)
    return calls


def test_switching_layer_colour_frame_or_museum_runs_no_query(built_store, clear_streamlit_caches,
                                                               counted):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/collections_map.py").run()
    assert not at.exception
    first = dict(counted)
    assert first["map_data"] == 1 and first["holdings_table"] == 1
    at.pills(key="map_layers").set_value(["museums", "flows"]).run()
    at.segmented_control(key="map_color").set_value("member").run()
    at.selectbox(key="map_view").set_value("europe").run()
    assert not at.exception
    assert counted == first
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = [lyr["id"] for lyr in deck["layers"]]
    assert ids.index("flows") < ids.index("museums")
    assert at.query_params.get("view") in ("europe", ["europe"])
    museum = next(lyr for lyr in deck["layers"] if lyr["id"] == "museums")["data"][0]["id"]
    at.selectbox(key="map_museum").set_value(museum).run()
    assert counted["museum_detail"] == 1
    at.segmented_control(key="map_color").set_value("region").run()
    assert counted["museum_detail"] == 1 and counted["map_data"] == 1
    # a filter change queries; coming back to the previous filter does not
    at.multiselect(key="flt_origins").set_value(["KOR"]).run()
    assert counted["map_data"] == 2 and counted["summary"] == 2
    after_filter = dict(counted)
    at.multiselect(key="flt_origins").set_value([]).run()
    assert counted == after_filter
    assert not at.exception


def test_a_new_store_file_is_queried_again(fresh_store, monkeypatch, clear_streamlit_caches,
                                           counted):
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/collections_map.py").run()
    before = next(m.value for m in at.markdown if "collections and" in m.value)
    assert counted["map_data"] == 1
    inst = duckdb.connect(str(fresh_store), read_only=True).execute(
        "SELECT id FROM institutions ORDER BY id LIMIT 1").fetchone()[0]
    with store.writing(fresh_store) as w:
        _add_objects(w, 1000, inst)
    at.run()
    assert not at.exception
    assert counted["map_data"] == 2
    after = next(m.value for m in at.markdown if "collections and" in m.value)
    assert after != before
