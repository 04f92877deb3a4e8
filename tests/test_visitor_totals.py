"""Visitor statistics keyed by the source's stable key, on small hand-made files: museums sharing a
name stay apart, a renamed museum stays one series, several rows for one key and year are summed,
flagged or refused as the mapping declares, closed years are gaps, and the CLI prints the figure
the page's chart is built from. Every expected total is computed here with pandas from the file."""
from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import exhibitions as ex  # noqa: E402
from asemus_data.errors import InputError  # noqa: E402
from asemus_data.importer import import_file  # noqa: E402

# Two museums called "Musée Municipal" (keys 100, 200), one renamed museum (key 300: "Musée des
# Arts" until 2011, "MUDA" from 2012, with its register id only from 2012), a closed year (F) and a
# not-communicated year (NC), and a museum with two rows in 2011 (key 400).
CSV = """ref;nom;annee;ville;total;payant;gratuit;note;id_registre
100;Musée Municipal;2010;Bourg;1000;;;;
200;Musée Municipal;2010;Dole;5000;;;;
100;Musée Municipal;2011;Bourg;1100;;;;
200;Musée Municipal;2011;Dole;;;;F;
300;Musée des Arts;2010;Lille;20000;12000;8000;;
300;Musée des Arts;2011;Lille;21000;;;;
300;MUDA;2012;Lille;25000;;;;M9999
400;Musée de l'Annexe;2011;Caen;700;;;;
400;Musée principal;2011;Caen;300;;;;
400;Musée principal;2012;Caen;;;;NC;
"""
MAPPING = """table: visitor_stats
columns:
  ref: source_key
  nom: institution_name
  annee: year
  ville: city
  total: visitors
  payant: paid
  gratuit: free
  note: note
  id_registre: institution_id
values:
  note: {{F: closed, NC: not communicated}}
constants:
  country: France
  source: hand-made test file
  status: illustrative
{duplicates}read:
  delimiter: ";"
"""


def _files(tmp_path: Path, duplicates: str | None) -> tuple[Path, Path]:
    csv_path, map_path = tmp_path / "visits.csv", tmp_path / "visits.yaml"
    csv_path.write_text(CSV, encoding="utf-8")
    line = f"  duplicates: {duplicates}\n" if duplicates else ""
    # The constant goes under 'constants' (indented): rebuild the block with it.
    text = MAPPING.format(duplicates="").replace("  status: illustrative\n",
                                                 "  status: illustrative\n" + line)
    map_path.write_text(text, encoding="utf-8")
    return csv_path, map_path


def _expected(year: int) -> tuple[int, int]:
    """Total and reporting museums of a year, straight from the CSV (rows with a figure)."""
    df = pd.read_csv(io.StringIO(CSV), sep=";", dtype={"ref": str})
    y = df[df["annee"] == year]
    return int(y["total"].sum()), int(y.groupby("ref")["total"].count().gt(0).sum())


@pytest.fixture()
def fresh_store(fresh_store):
    """The built-in store without its shipped visitor series (data/visitor_stats.csv, French open
    data): the tests here check the aggregation of a hand-made file on its own."""
    from asemus_data import store as _store
    with _store.writing(fresh_store) as c:
        c.execute("DELETE FROM visitor_stats")
    return fresh_store


@pytest.fixture()
def summed(fresh_store, tmp_path):
    csv_path, map_path = _files(tmp_path, "sum")
    res = import_file(csv_path, "visitor_stats", mapping=map_path, store=fresh_store)
    c = duckdb.connect(str(fresh_store), read_only=True)
    yield c, res
    c.close()


def test_same_name_different_museums_are_two_series_and_both_count(summed):
    c, _ = summed
    total, reporting = _expected(2010)
    assert (total, reporting) == (26_000, 3)
    t = ex.year_total(c, 2010)
    assert (t["visitors"], t["reporting"]) == (total, reporting)
    opts = ex.series_options(c)
    assert {"FRA:100", "FRA:200"} <= set(opts["key"])
    municipal = opts[opts["label"].str.startswith("Musée Municipal")]["label"]
    assert len(municipal) == 2 and municipal.is_unique   # told apart by their city


def test_renamed_museum_stays_one_series_under_its_latest_name(summed):
    c, _ = summed
    s = ex.institution_series(c, ["FRA:300"])
    assert list(s["year"]) == [2010, 2011, 2012]
    assert list(s["visitors"]) == [20000, 21000, 25000]
    assert set(s["label"]) == {"MUDA, Lille (FRA)"}
    # The register id that appears in 2012 does not start a second series.
    assert not ex.series_options(c)["label"].str.contains("Musée des Arts").any()
    assert ex.series_summary(c)["institutions"] == 4


def test_closed_and_not_communicated_years_are_gaps_not_zero(summed):
    c, _ = summed
    total, reporting = _expected(2011)
    t = ex.year_total(c, 2011)
    assert (t["visitors"], t["reporting"], t["institutions"]) == (total, reporting, 4)
    assert (total, reporting) == (1100 + 21000 + 1000, 3)   # 200 closed: not a zero
    s = ex.institution_series(c, ["FRA:200"]).set_index("year")
    assert np.isnan(s.at[2011, "visitors"])
    s = ex.institution_series(c, ["FRA:400"]).set_index("year")
    assert np.isnan(s.at[2012, "visitors"]) and np.isnan(s.at[2012, "yoy"])


def test_sum_adds_up_and_lists_the_conflict(summed):
    c, res = summed
    s = ex.institution_series(c, ["FRA:400"]).set_index("year")
    assert s.at[2011, "visitors"] == 1000 and s.at[2011, "conflict"] == "summed"
    assert any("1 institution-years have several rows" in w.rule and "added up" in w.rule
               and "400 in 2011 (rows 9, 10)" in w.rule for w in res.warnings)
    conf = ex.series_conflicts(c)
    assert list(conf["key"]) == ["FRA:400"] and conf.iloc[0]["rows"] == 2
    assert conf.iloc[0]["figures"] == "700 | 300" or conf.iloc[0]["figures"] == "300 | 700"
    summ = ex.series_summary(c)
    assert (summ["conflicts"], summ["withheld"]) == (1, 0)


def test_flag_withholds_the_figure_and_says_so(fresh_store, tmp_path):
    csv_path, map_path = _files(tmp_path, None)   # the default is flag
    res = import_file(csv_path, "visitor_stats", mapping=map_path, store=fresh_store)
    assert any("withheld" in w.rule for w in res.warnings)
    c = duckdb.connect(str(fresh_store), read_only=True)
    try:
        t = ex.year_total(c, 2011)
        assert (t["visitors"], t["reporting"], t["withheld"]) == (1100 + 21000, 2, 1)
        assert ex.series_summary(c)["withheld"] == 1
        assert ex.series_conflicts(c).iloc[0]["counted"].startswith("flagged")
    finally:
        c.close()


def test_refuse_stops_the_import_naming_the_rows(fresh_store, tmp_path):
    csv_path, map_path = _files(tmp_path, "refuse")
    with pytest.raises(InputError) as exc:
        import_file(csv_path, "visitor_stats", mapping=map_path, store=fresh_store)
    issue = exc.value.issues[0]
    assert issue.row == 9 and issue.column == "source_key" and issue.value == "400 2011"
    assert "rows 9, 10" in issue.rule and "refuse" in issue.rule
    c = duckdb.connect(str(fresh_store), read_only=True)
    try:
        assert c.execute("SELECT count(*) FROM visitor_stats").fetchone()[0] == 0
    finally:
        c.close()


def test_rows_without_a_key_fall_back_to_the_name_with_a_warning(fresh_store, tmp_path):
    hand = tmp_path / "hand.csv"
    hand.write_text("institution_name,country,year,visitors\nA,KOR,2010,5\nA,KOR,2011,6\n",
                    encoding="utf-8")
    res = import_file(hand, "visitor_stats", store=fresh_store)
    assert any("keyed by name" in w.rule for w in res.warnings)


def test_cli_prints_the_figure_of_the_pages_chart(summed, fresh_store, monkeypatch):
    from asemus_data.cli import main
    c, _ = summed
    chart = ex.group_totals(c, "country", ex.SeriesFilter(countries=("FRA",)))
    row = chart[chart["year"] == 2011].iloc[0]
    c.close()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["visitors", "--year", "2011", "--country", "France",
                     "--store", str(fresh_store)]) == 0
    text = out.getvalue()
    assert f"{int(row['visitors']):,} visitors over {int(row['reporting'])} reporting" in text
    assert "23,100 visitors over 3 reporting" in text


def test_page_shows_totals_conflicts_and_unlinked_references(fresh_store, tmp_path, monkeypatch,
                                                             clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    csv_path, map_path = _files(tmp_path, None)          # flag: the 2011 figure of 400 withheld
    import_file(csv_path, "visitor_stats", mapping=map_path, store=fresh_store)
    monkeypatch.setenv("ASEMUS_STORE", str(fresh_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/exhibitions.py").run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "1 institution-years have several rows: 0 added up, 1 withheld" in warnings
    # M9999 (key 300, 2012) is in no institutions table nor among any identifiers
    assert "1 rows (1 references) name an institution" in warnings
    at.selectbox(key="exh_vs_year").set_value(2011).run()
    md = " ".join(m.value for m in at.markdown)
    assert "2011: 22,100 visitors over 2 reporting institutions" in md
    assert "1 figures withheld as conflicts" in md
    assert any("4 institutions" in c.value for c in at.caption)


def test_a_large_import_keeps_every_row(fresh_store):
    """130,000 rows (more than one DuckDB row group) written by the store's import path: every
    row is there and the total is the file's (DuckDB 2.0 silently dropped them all when the
    staging table was created inside the transaction)."""
    import numpy as np

    from asemus_data import store
    from asemus_data.validate import Validation
    n = 130_000
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({
        "id": [f"vs-big-{i}" for i in range(n)],
        "source_key": [str(i // 13) for i in range(n)],
        "institution_name": "Museum", "country_code": "FRA", "country": "France",
        "year": pd.array(2001 + np.arange(n) % 13, dtype="Int64"),
        "visitors": pd.array(rng.integers(0, 100_000, n), dtype="Int64"),
        "source": "test", "status": "synthetic"})
    with store.writing(fresh_store) as c:
        res = store.write_import(c, Validation("visitor_stats", "big.csv", frame),
                                 file_name="big.csv", sha256="0" * 64, rows_read=n)
    assert res.rows_written == n
    c = duckdb.connect(str(fresh_store), read_only=True)
    try:
        assert c.execute("SELECT count(*) FROM visitor_stats").fetchone()[0] == n
        want = int(frame.loc[frame["year"] == 2005, "visitors"].sum())
        t = ex.year_total(c, 2005)
        assert (t["visitors"], t["reporting"]) == (want, n // 13)
    finally:
        c.close()
