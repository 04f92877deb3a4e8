"""A museum's own visitor figure imported over the shipped ministry series (data/visitor_stats.csv,
keyed by the ministry's museum number) counts once: the built-in row for that museum-year gives
way, is kept aside, and comes back when the import is taken away. Expected totals are computed with
pandas from the shipped file and the imported file (review finding 2)."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import exhibitions as ex  # noqa: E402
from asemus_data import store  # noqa: E402
from asemus_data.importer import import_file  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "visitor_stats.csv"
OWN = """institution_id,institution_name,country,year,visitors,source,status
musee-guimet,Musée Guimet,France,2019,400000,museum's annual report (test),imported
"""


def _shipped() -> pd.DataFrame:
    return pd.read_csv(SHIPPED, dtype={"source_key": str, "institution_id": str})


def _total(rows: pd.DataFrame) -> tuple[int, int]:
    """Visitors and reporting series (one per key with a figure) of a year's rows."""
    fig = rows.dropna(subset=["visitors"])
    return int(fig["visitors"].sum()), int(fig["key"].nunique())


def _year(store_path, year: int) -> tuple[int, int]:
    c = duckdb.connect(str(store_path), read_only=True)
    try:
        t = ex.year_total(c, year)
    finally:
        c.close()
    return t["visitors"], t["reporting"]


def _rows(store_path, sql, params=None):
    c = duckdb.connect(str(store_path), read_only=True)
    try:
        return c.execute(sql, params or []).fetchall()
    finally:
        c.close()


@pytest.fixture()
def own(tmp_path) -> Path:
    p = tmp_path / "guimet-2019.csv"
    p.write_text(OWN, encoding="utf-8")
    return p


def test_a_museum_year_imported_by_institution_id_counts_once(fresh_store, own):
    shipped = _shipped().assign(key=lambda d: d["source_key"])
    y = shipped[shipped["year"] == 2019]
    guimet = y[y["institution_id"] == "musee-guimet"]
    assert len(guimet) == 1  # the ministry's row, keyed by its museum number
    assert _year(fresh_store, 2019) == _total(y)
    mine = pd.read_csv(io.StringIO(OWN)).assign(key=lambda d: d["institution_id"])
    expected = _total(pd.concat([y.drop(guimet.index), mine]))
    assert expected != _total(pd.concat([y, mine]))  # the double count this guards against

    res = import_file(own, "visitor_stats", store=fresh_store)
    assert _year(fresh_store, 2019) == expected
    assert _rows(fresh_store, "SELECT visitors, status FROM visitor_stats WHERE year = 2019 "
                              "AND institution_id = 'musee-guimet'") == [(400000, "imported")]
    note = [w.rule for w in res.warnings if "built-in rows" in w.rule]
    assert note and "1 built-in rows" in note[0] and "2019" in note[0]
    # the other years of the shipped series are untouched
    assert _rows(fresh_store, "SELECT count(*) FROM visitor_stats WHERE institution_id = "
                              "'musee-guimet' AND year <> 2019")[0][0] == int(
        (shipped["institution_id"] == "musee-guimet").sum()) - 1

    # replaced (the same file again): still one row for the museum-year, the shipped one kept aside
    again = import_file(own, "visitor_stats", store=fresh_store, replace=True)
    assert again.replaced == [res.import_id]
    assert _year(fresh_store, 2019) == expected
    kept = _rows(fresh_store, f"SELECT superseded_by, id, visitors FROM {store.SUPERSEDED_VISITS}")
    assert kept == [(again.import_id, guimet["id"].iloc[0], int(guimet["visitors"].iloc[0]))]

    # the import taken away (what a replace does first): the shipped row is back, as shipped
    with store.writing(fresh_store) as c:
        c.execute("BEGIN TRANSACTION")
        store._remove_import(c, "visitor_stats", again.import_id, -1, own.name)
        c.execute("COMMIT")
    assert _year(fresh_store, 2019) == _total(y)
    back = _rows(fresh_store, "SELECT id, source_key, visitors, source, status FROM visitor_stats "
                              "WHERE year = 2019 AND institution_id = 'musee-guimet'")
    g = guimet.iloc[0]
    assert back == [(g["id"], g["source_key"], int(g["visitors"]), g["source"], g["status"])]
    assert _rows(fresh_store, f"SELECT count(*) FROM {store.SUPERSEDED_VISITS}") == [(0,)]


def test_a_figure_under_a_key_of_its_own_is_flagged_as_counted_twice(fresh_store, tmp_path):
    """A file giving the museum a key of its own (not the ministry's number) may be a separate
    site: the shipped row stays, and the import report says both are counted."""
    p = tmp_path / "guimet-own-key.csv"
    p.write_text(OWN.replace("institution_id,", "source_key,institution_id,")
                 .replace("\nmusee-guimet,", "\nguimet-annual,musee-guimet,"), encoding="utf-8")
    y = _shipped().assign(key=lambda d: d["source_key"])
    y = y[y["year"] == 2019]
    res = import_file(p, "visitor_stats", store=fresh_store)
    total, reporting = _total(y)
    assert _year(fresh_store, 2019) == (total + 400000, reporting + 1)
    warn = [w.rule for w in res.warnings if "both are counted" in w.rule]
    assert warn and "2019" in warn[0] and "7511603" in warn[0]


@pytest.mark.postgres
def test_on_postgres_the_shipped_row_gives_way_and_comes_back(pg_store, own):
    """The same on the shared store: counted once, and the shipped row back after a replace."""
    y = _shipped().assign(key=lambda d: d["source_key"])
    y = y[y["year"] == 2019]
    guimet = y[y["institution_id"] == "musee-guimet"]
    mine = pd.read_csv(io.StringIO(OWN)).assign(key=lambda d: d["institution_id"])
    expected = _total(pd.concat([y.drop(guimet.index), mine]))

    def year() -> tuple[int, int]:
        c = store.connect(pg_store)
        try:
            t = ex.year_total(c, 2019)
        finally:
            c.close()
        return t["visitors"], t["reporting"]

    assert year() == _total(y)
    first = import_file(own, "visitor_stats", store=pg_store)
    assert year() == expected
    again = import_file(own, "visitor_stats", store=pg_store, replace=True)
    assert again.replaced == [first.import_id] and year() == expected
    with store.writing(pg_store) as c:
        c.execute("BEGIN TRANSACTION")
        store._remove_import(c, "visitor_stats", again.import_id, -1, own.name)
        c.execute("COMMIT")
    assert year() == _total(y)
