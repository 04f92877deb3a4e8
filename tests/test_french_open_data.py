"""The French Ministry of Culture's museum attendance file 2001-2021 imported end to end through the
mapping that ships in docs/examples, and every total checked against pandas straight from the CSV
(and against the figures the open_data README states)."""
from __future__ import annotations

import io
import shutil
import sys
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runnable without installing

from asemus_data import exhibitions as ex  # noqa: E402

OPEN_DATA = ROOT.parent / "shared" / "open_data"
VISITS = OPEN_DATA / "frequentation-des-musees-de-france-2001-2021.csv"
VISITS_MAPPING = ROOT / "docs" / "examples" / "frequentation-musees-de-france.yaml"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not VISITS.exists(), reason=f"{VISITS} is not on this machine")]


@pytest.fixture(scope="module")
def ministry() -> pd.DataFrame:
    """The file as pandas reads it, nothing else: the independent side of every comparison."""
    df = pd.read_csv(VISITS, sep=";", dtype={"ref_musee": str, "id_museofile": str})
    df["total"] = pd.to_numeric(df["total"])
    return df


@pytest.fixture(scope="module")
def visits_store(built_store, tmp_path_factory):
    from asemus_data.importer import import_file
    path = tmp_path_factory.mktemp("french") / "store.duckdb"
    shutil.copyfile(built_store, path)
    res = import_file(VISITS, "visitor_stats", mapping=VISITS_MAPPING, store=path)
    return path, res


@pytest.fixture()
def vcon(visits_store):
    c = duckdb.connect(str(visits_store[0]), read_only=True)
    yield c
    c.close()


def test_every_row_is_imported(visits_store, ministry):
    _, res = visits_store
    assert res.rows_read == res.rows_written == len(ministry) == 24_769


@pytest.mark.parametrize("year,total,reporting", [(2019, 67_176_636, 1_008),
                                                   (2021, 31_608_313, 983)])
def test_readme_totals(vcon, ministry, year, total, reporting):
    y = ministry[ministry["annee"] == year]
    assert (int(y["total"].sum()), int(y["total"].notna().sum())) == (total, reporting)
    t = ex.year_total(vcon, year)
    assert (t["visitors"], t["reporting"]) == (total, reporting)
    fra = ex.year_total(vcon, year, ex.SeriesFilter(countries=("FRA",)))
    assert (fra["visitors"], fra["reporting"]) == (total, reporting)


def test_every_year_matches_the_file(vcon, ministry):
    # Before keying by ref_musee, 46.2 million visitors went missing over the 21 years.
    expected = ministry.groupby("annee")["total"].sum().astype(int)
    chart = ex.group_totals(vcon, "all").set_index("year")["visitors"].astype(int)
    assert chart.to_dict() == expected.to_dict()
    reporting = ministry.dropna(subset=["total"]).groupby("annee")["ref_musee"].nunique()
    got = ex.group_totals(vcon, "country").set_index("year")["reporting"].astype(int)
    assert got.to_dict() == reporting.to_dict()


def test_one_series_per_museum(vcon, ministry):
    summ = ex.series_summary(vcon)
    assert summ["institutions"] == ministry["ref_musee"].nunique() == 1_277
    opts = ex.series_options(vcon)
    assert opts["label"].is_unique
    louvre = opts[opts["label"].str.startswith("Musée du Louvre")]
    assert len(louvre) == 1                     # not split when its Muséofile id appears (2019)
    s = ex.institution_series(vcon, list(louvre["key"]))
    assert s["year"].min() == 2001 and s["year"].max() == 2021
    versailles = ministry[ministry["nom_du_musee"].str.contains("Versailles", na=False)
                          & ministry["nom_du_musee"].str.contains("Château", na=False)]
    key = "FRA:" + versailles["ref_musee"].mode()[0]
    s = ex.institution_series(vcon, [key])
    assert s["year"].min() == ministry.loc[ministry["ref_musee"] == key[4:], "annee"].min() < 2019


def test_museums_sharing_a_name_all_count(vcon, ministry):
    y2010 = ministry[(ministry["annee"] == 2010) & (ministry["nom_du_musee"] == "Musée Municipal")]
    assert y2010["ref_musee"].nunique() == 41
    n = vcon.execute("SELECT count(DISTINCT source_key) FROM visitor_stats "
                     "WHERE year = 2010 AND institution_name = 'Musée Municipal'").fetchone()[0]
    assert n == 41
    # Before, they were one series keeping only the largest row.
    s = ex.institution_series(vcon, ["FRA:" + k for k in y2010["ref_musee"].unique()])
    s2010 = s[s["year"] == 2010]
    assert s2010["key"].nunique() == 41
    assert s2010["visitors"].sum() == y2010["total"].sum() > y2010["total"].max()


def test_conflicts_are_listed(vcon, ministry, visits_store):
    dup = ministry.groupby(["ref_musee", "annee"]).size()
    conf = ex.series_conflicts(vcon)
    assert len(conf) == int((dup > 1).sum()) == 4
    assert set(conf["counted"]) == {"summed"}
    assert any("4 institution-years have several rows" in w.rule for w in visits_store[1].warnings)


def test_top_five_2019(vcon):
    top = ex.year_ranking(vcon, 2019, limit=5)
    assert list(top["visitors"].astype(int)) == [9_520_273, 8_177_695, 3_651_616, 3_396_262,
                                                 1_252_095]
    assert top.iloc[0]["institution"].startswith("Musée du Louvre")


def test_cli_visitors(visits_store):
    from asemus_data.cli import main
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["visitors", "--year", "2019", "--country", "FRA",
                     "--store", str(visits_store[0])]) == 0
    assert "67,176,636 visitors over 1,008 reporting institutions" in out.getvalue()
