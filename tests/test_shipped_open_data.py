"""The open data shipped in data/ (tools/ship_open_data.py): the Muséofile register's 89 'Asie'
museums and their visitor series 2001-2021. Every expected value is computed with pandas straight
from the Ministry of Culture's CSVs in ../shared/open_data/, never from the shipped files."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OPEN_DATA = ROOT.parent / "shared" / "open_data"
REGISTER = OPEN_DATA / "musees-de-france-museofile.csv"
VISITS = OPEN_DATA / "frequentation-des-musees-de-france-2001-2021.csv"

pytestmark = pytest.mark.skipif(not REGISTER.exists() or not VISITS.exists(),
                                reason=f"{OPEN_DATA} is not on this machine")
#: Institutions the fact set already knew, and their Muséofile ids (matched, not added twice).
KNOWN = {"M5055": "musee-du-quai-branly", "M5005": "musee-guimet"}


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    reg = pd.read_csv(REGISTER, sep=";", dtype=str)
    dom = reg["dompal"].fillna("").str.split(";").map(lambda d: [x.strip() for x in d])
    return reg[dom.map(lambda d: "Asie" in d)].copy()


@pytest.fixture(scope="module")
def visits(register) -> pd.DataFrame:
    """The ministry's rows of every museum number that the file links (id_museofile) to an
    'Asie' museum: all their years."""
    v = pd.read_csv(VISITS, sep=";", dtype={"ref_musee": str, "id_museofile": str})
    refs = set(v.loc[v["id_museofile"].isin(set(register["ref"])), "ref_musee"])
    out = v[v["ref_musee"].isin(refs)].copy()
    out["total"] = pd.to_numeric(out["total"])
    return out


def test_89_museums_with_their_register_ids_and_coordinates(con, register):
    assert len(register) == 89
    got = con.execute("""SELECT x.value, i.id, i.name, i.latitude, i.longitude, i.coord_precision,
                                i.asian_collections, i.member_status, i.source
                         FROM institution_identifiers x JOIN institutions i ON i.id = x.institution_id
                         WHERE x.scheme = 'museofile'""").df().set_index("value")
    assert sorted(got.index) == sorted(register["ref"])
    reg = register.set_index("ref")
    assert got["latitude"].to_dict() == pytest.approx(reg["latitude"].astype(float).to_dict())
    assert got["longitude"].to_dict() == pytest.approx(reg["longitude"].astype(float).to_dict())
    assert set(got["coord_precision"]) == {"exact"}
    assert set(got["asian_collections"]) == {"yes"}
    assert set(got["member_status"]) <= {"not documented", "documented role"}
    for ref, inst in KNOWN.items():        # matched through identity: one row, documented name kept
        assert got.at[ref, "id"] == inst
    assert got.at["M5055", "name"] == "musée du quai Branly"
    new = got.drop(index=list(KNOWN))
    assert (new["id"] == "museofile-" + new.index.str.lower()).all()
    assert (new["name"] == reg.loc[new.index, "nomoff"]).all()
    assert set(new["source"]) == {"https://data.culture.gouv.fr/explore/dataset/"
                                  "musees-de-france-base-museofile/"}


def test_no_museum_is_added_twice_and_none_is_a_member(con):
    n = con.execute("SELECT count(*) FROM institutions WHERE name ILIKE '%guimet%' "
                    "AND name NOT ILIKE '%ennery%'").fetchone()[0]
    assert n == 1
    raw = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    total = con.execute("SELECT count(*) FROM institutions").fetchone()[0]
    assert total == len(raw) + 89 - len(KNOWN)
    members = con.execute("SELECT count(*) FROM institutions i JOIN institution_identifiers x "
                          "ON x.institution_id = i.id WHERE i.member_status = 'member'").fetchone()
    assert members[0] == 0


def test_no_invented_holdings_on_the_register_museums(con):
    raw = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    holders = set(con.execute("SELECT DISTINCT institution_id FROM collections "
                              "WHERE status = 'illustrative'").df()["institution_id"])
    assert holders and holders <= set(raw.loc[raw.asian_collections == "yes", "id"])
    assert not any(h.startswith("museofile-") for h in holders)


def test_visitor_rows_match_the_ministry_file(con, visits):
    from asemus_data import exhibitions as ex
    assert con.execute("SELECT count(*) FROM visitor_stats").fetchone()[0] == len(visits) == 1_868
    summ = ex.series_summary(con)
    assert summ["institutions"] == visits["ref_musee"].nunique()
    assert (summ["first_year"], summ["last_year"]) == (2001, 2021)
    expected = visits.groupby("annee")["total"].sum().astype(int)
    got = ex.group_totals(con, "all").set_index("year")["visitors"].astype(int)
    assert got.to_dict() == expected.to_dict()
    reporting = visits.dropna(subset=["total"]).groupby("annee")["ref_musee"].nunique()
    assert ex.group_totals(con, "all").set_index("year")["reporting"].to_dict() == reporting.to_dict()
    for year, total in [(2001, 4_427_290), (2019, 7_636_866), (2020, 3_168_958),
                        (2021, 4_009_634)]:
        assert ex.year_total(con, year)["visitors"] == total == expected[year]


def test_every_series_is_keyed_by_the_ministry_number_and_linked(con, visits, register):
    rows = con.execute("SELECT source_key, institution_id, year, visitors FROM visitor_stats").df()
    assert set(rows["source_key"]) == set(visits["ref_musee"])
    assert rows["institution_id"].notna().all()
    link = (visits.dropna(subset=["id_museofile"]).groupby("ref_musee")["id_museofile"].first())
    ids = dict(con.execute("SELECT value, institution_id FROM institution_identifiers").fetchall())
    assert (rows.groupby("source_key")["institution_id"].first() == link.map(ids)).all()
    branly = rows[rows["institution_id"] == "musee-du-quai-branly"].set_index("year")["visitors"]
    mine = visits[visits["ref_musee"] == link[link == "M5055"].index[0]].set_index("annee")["total"]
    assert branly.dropna().astype(int).to_dict() == mine.dropna().astype(int).to_dict()


def test_overview_network_figures_do_not_change(con):
    from asemus_data import overview
    raw = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    h = {x.label: x for x in overview.headlines(con)}
    assert h["Institutions in the network"].value == f"{len(raw):,}"
    assert h["Other institutions"].value == f"{89 - len(KNOWN)}"
    assert "Ministère de la Culture" in h["Other institutions"].detail


@pytest.mark.slow
def test_the_script_regenerates_the_shipped_files(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEMUS_STORE", str(tmp_path / "unused.duckdb"))
    sys.path.insert(0, str(ROOT / "tools"))
    import ship_open_data
    ship_open_data.main(str(OPEN_DATA), str(tmp_path))
    for name in ship_open_data.OUTPUTS:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_visitor_statistics_open_on_the_series_with_their_credit(built_store, visits, monkeypatch,
                                                                 clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("ASEMUS_STORE", str(built_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/exhibitions.py").run()
    assert not at.exception
    texts = " | ".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                       + [i.value for i in at.info]).replace("\\", "")
    assert "No visitor statistics yet" not in texts
    y2021 = visits[visits["annee"] == 2021]
    assert (f"2021: {int(y2021['total'].sum()):,} visitors over "
            f"{int(y2021['total'].notna().sum())} reporting institutions") in texts
    assert f"{len(visits):,} rows, {visits['ref_musee'].nunique()} institutions" in texts
    assert ("/frequentation-des-musees-de-france/ (credit: Ministère de la Culture, Fréquentation "
            "des Musées de France 2001-2021, Licence Ouverte / Etalab 2.0).") in texts
    assert "1 country, 2001-2021" in texts
    chosen = at.multiselect(key="exh_vs_institutions").value
    assert len(chosen) == 3                    # the three busiest series are drawn at once
    busiest = (visits.groupby("ref_musee")["total"].max().sort_values(ascending=False)
               .head(3).index)
    assert {k.split(":")[1] for k in chosen} == set(busiest)


CREDIT_VISITS = ("Ministère de la Culture, Fréquentation des Musées de France 2001-2021, "
                 "Licence Ouverte / Etalab 2.0")
CREDIT_REGISTER = "Ministère de la Culture, base Muséofile (Musées de France), Licence Ouverte / Etalab 2.0"


def test_downloads_carry_the_credit_on_their_source_line(con):
    from asemus_data import browse, export
    first = browse.csv_download(con, "visitor_stats").decode("utf-8-sig").splitlines()[0]
    assert first.startswith("# Source: ASEMUS dashboard, table visitor_stats; " + CREDIT_VISITS)
    first = browse.csv_download(con, "institutions").decode("utf-8-sig").splitlines()[0]
    assert CREDIT_REGISTER in first
    assert "Licence" not in browse.csv_download(con, "meetings").decode("utf-8-sig").splitlines()[0]
    rows = con.execute("SELECT * FROM visitor_stats LIMIT 5").df()
    line = export.csv_bytes(rows, "visitor series").decode("utf-8-sig").splitlines()[0]
    assert line == f"# Source: visitor series; {CREDIT_VISITS}"


@pytest.mark.slow
def test_the_pack_readme_credits_the_ministry(built_store, tmp_path):
    import zipfile

    from asemus_data.cli import main
    out = tmp_path / "pack.zip"
    assert main(["pack", "--no-images", "--out", str(out), "--store", str(built_store)]) == 0
    readme = zipfile.ZipFile(out).read("README.txt").decode("utf-8")
    assert f"- {CREDIT_REGISTER}: https://data.culture.gouv.fr/explore/dataset/" \
           "musees-de-france-base-museofile/" in readme
    assert "Licence: https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in readme
