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


# --- both files: the Muséofile register, then the attendance file linked to it -----------------
REGISTER = OPEN_DATA / "musees-de-france-museofile.csv"
REGISTER_MAPPING = ROOT / "docs" / "examples" / "museofile.yaml"


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return pd.read_csv(REGISTER, sep=";", dtype=str)


@pytest.fixture(scope="module")
def both_store(built_store, tmp_path_factory):
    """The whole register imported over the built-in data, which ships its 89 'Asie' museums with
    their Muséofile ids (data/institutions_museofile.csv): those merge by identifier (the musée du
    quai Branly among them); a register museum whose name and city match another one is held for
    review and added as new by decision; then the attendance file."""
    from asemus_data import identity
    from asemus_data.importer import import_file
    path = tmp_path_factory.mktemp("french-both") / "store.duckdb"
    shutil.copyfile(built_store, path)
    c = duckdb.connect(str(path), read_only=True)
    before = c.execute("SELECT count(*) FROM institutions").fetchone()[0]
    shipped = c.execute("SELECT count(*) FROM institution_identifiers WHERE scheme = 'museofile'"
                        ).fetchone()[0]
    c.close()
    reg = import_file(REGISTER, "institutions", mapping=REGISTER_MAPPING, store=path)
    review = reg.identity.review.copy()
    # a likely match to a documented institution would be merged; the others are new museums
    decision = review["candidate_id"].map(lambda c: "merge" if c in DOCUMENTED_IN_REGISTER else "new")
    decided = identity.apply_review_to_store(review[["review_id"]].assign(decision=decision),
                                             store=path)
    visits = import_file(VISITS, "visitor_stats", mapping=VISITS_MAPPING, store=path)
    return dict(path=path, before=before, register=reg, review=review, decided=decided,
                visits=visits, shipped=shipped)


@pytest.fixture()
def bcon(both_store):
    c = duckdb.connect(str(both_store["path"]), read_only=True)
    yield c
    c.close()


DOCUMENTED_IN_REGISTER = {"musee-du-quai-branly": "M5055", "musee-guimet": "M5005"}


def test_register_imports_end_to_end(both_store, bcon, register):
    reg = both_store["register"]
    assert reg.rows_read == len(register) == 1_227
    # every museum but the 89 shipped in data/ (merged by their Muséofile id) is new; those held
    # for review were added as new by decision
    shipped, review = both_store["shipped"], both_store["review"]
    assert shipped == 89
    assert reg.rows_written == 1_227 - shipped - len(review)
    assert len(reg.identity.merged) == shipped
    n = bcon.execute("SELECT count(*) FROM institutions").fetchone()[0]
    assert n == both_store["before"] + 1_227 - shipped
    ids = bcon.execute("SELECT count(*), count(DISTINCT value) FROM institution_identifiers "
                       "WHERE scheme = 'museofile'").fetchone()
    assert ids == (1_227, register["ref"].nunique())
    cernuschi = bcon.execute("SELECT i.id, i.name, i.asian_collections, i.domains, "
                             "i.coordinate_source, i.latitude FROM institutions i "
                             "JOIN institution_identifiers x ON x.institution_id = i.id "
                             "WHERE x.value = 'M1106'").fetchone()
    row = register[register["ref"] == "M1106"].iloc[0]
    assert cernuschi[:2] == ("museofile-m1106", row["nomoff"])
    assert cernuschi[2] == "yes" and "Asie" in cernuschi[3].split(";")
    assert cernuschi[4] == "Muséofile register coordinates"
    assert cernuschi[5] == pytest.approx(float(row["latitude"]))


def test_asian_domains_land_in_asian_collections(bcon, register):
    asie = register["dompal"].fillna("").str.split(";").map(lambda d: "Asie" in [x.strip() for x in d])
    assert asie.sum() == 89
    got = bcon.execute("""SELECT count(*) FROM institutions i JOIN institution_identifiers x
                          ON x.institution_id = i.id
                          WHERE x.scheme = 'museofile' AND i.asian_collections = 'yes'""").fetchone()
    assert got[0] == asie.sum()
    unknown = bcon.execute("""SELECT count(*) FROM institutions i JOIN institution_identifiers x
                              ON x.institution_id = i.id WHERE x.scheme = 'museofile'
                              AND i.asian_collections = 'unknown'""").fetchone()[0]
    assert unknown == register["dompal"].isna().sum()   # no domains stated: unknown, never 'no'


def test_quai_branly_is_matched_not_duplicated(both_store, bcon):
    review = both_store["review"]
    held = dict(zip(review["candidate_id"], review["incoming_id"]))
    # the documented museums are known by their Muséofile id now: merged, never put to review
    assert not set(held) & set(DOCUMENTED_IN_REGISTER)
    merged = {b: a for a, b, _ in both_store["register"].identity.merged}
    assert merged["musee-du-quai-branly"] == "museofile-m5055"
    assert bcon.execute("SELECT count(*) FROM institutions WHERE name ILIKE '%quai branly%'"
                        ).fetchone()[0] == 1
    for inst, ref in DOCUMENTED_IN_REGISTER.items():
        row = bcon.execute("SELECT x.institution_id, i.status, i.asian_collections "
                           "FROM institution_identifiers x JOIN institutions i "
                           "ON i.id = x.institution_id WHERE x.value = ?", [ref]).fetchone()
        assert row == (inst, "documented", "yes")
    name = bcon.execute("SELECT name FROM institutions WHERE id = 'musee-du-quai-branly'"
                        ).fetchone()[0]
    assert name == "musée du quai Branly"              # the documented name is kept


def test_visits_link_to_the_register_and_unlinked_ones_are_reported(both_store, bcon, ministry,
                                                                    register):
    from asemus_data import identity
    linked = ministry["id_museofile"].notna()
    known = ministry["id_museofile"].isin(set(register["ref"]))
    res = both_store["visits"]
    rules = " ".join(w.rule for w in res.warnings)
    assert f"{int((linked & known).sum()):,} references resolved" in rules
    d = identity.dangling_references(bcon)
    assert d["rows"] == int((linked & ~known).sum())
    assert d["distinct"] == ministry.loc[linked & ~known, "id_museofile"].nunique()
    louvre = bcon.execute("SELECT DISTINCT institution_id FROM visitor_stats "
                          "WHERE source_key = '7510106' AND institution_id IS NOT NULL").fetchall()
    assert louvre == [("museofile-m5031",)]
    # linking changes no total
    for year, total, reporting in [(2019, 67_176_636, 1_008), (2021, 31_608_313, 983)]:
        t = ex.year_total(bcon, year)
        assert (t["visitors"], t["reporting"]) == (total, reporting)
