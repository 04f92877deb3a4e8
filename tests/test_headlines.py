"""Headlines keep their meaning: the Overview's network figures count ASEMUS members and
documented participants only; institutions imported from elsewhere (a national register) have a
figure of their own, and a large import never changes what "institutions in the network" means.
Expected values are computed with pandas straight from data/institutions.csv."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from asemus_data import overview
from asemus_data.filters import Filters

DATA = Path(__file__).resolve().parents[1] / "data"
CITIES = ["Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Nantes", "Strasbourg", "Rennes"]
N_REGISTER = 600


def _csv() -> pd.DataFrame:
    return pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)


def _network_from_csv(raw: pd.DataFrame) -> pd.DataFrame:
    """The rule, restated on the raw file: members and documented roles, and documented rows
    that name their ASEMUS activity or evidence (venues, partners); not synthetic or
    illustrative rows, not the register's museums (documented, but no ASEMUS evidence)."""
    real = raw.status.isin(["documented", "imported"])
    said = (raw.role.str.strip() != "") | (raw.membership_evidence.str.strip() != "")
    return raw[real & (raw.member_status.isin(["member", "documented role"])
                       | ((raw.status == "documented") & said))]


def _positions(net: pd.DataFrame) -> str:
    """The map caption's positions, restated from the files: a network institution that the
    shipped Muséofile file matched (same id) has the register's exact coordinates."""
    reg = pd.read_csv(DATA / "institutions_museofile.csv", dtype=str, keep_default_na=False)
    exact = net.id.isin(set(reg.id)) & (net.coord_precision != "exact")
    src = net.coordinate_source.where(~exact, "Muséofile register coordinates")
    counts = sorted(src.value_counts().items(), key=lambda kv: (-kv[1], kv[0]))
    return "Positions: " + ", ".join(f"{k} ({n:,})" for k, n in counts) + "."


def _register_only() -> int:
    """Museums of the shipped Muséofile file that data/institutions.csv does not know: the
    Overview's "Other institutions" on a fresh install."""
    reg = pd.read_csv(DATA / "institutions_museofile.csv", dtype=str, keep_default_na=False)
    return int((~reg.id.isin(set(_csv().id))).sum())


@pytest.fixture(scope="module")
def register_store(built_store, tmp_path_factory) -> Path:
    """The built-in store plus N_REGISTER museums imported from a register-like file: no
    membership stated, French cities, status imported."""
    import shutil

    from asemus_data import importer
    base = tmp_path_factory.mktemp("headlines")
    path = base / "store.duckdb"
    shutil.copyfile(built_store, path)
    rows = pd.DataFrame({
        "id": [f"m{i:04d}" for i in range(N_REGISTER)],
        "name": [f"Musée municipal {i}" for i in range(N_REGISTER)],
        "city": [CITIES[i % len(CITIES)] for i in range(N_REGISTER)],
        "country": "France",
        "coordinate_source": "GeoNames city centroid",
    })
    f = base / "register.csv"
    rows.to_csv(f, index=False)
    importer.import_file(f, "institutions", store=path)
    return path


def _heads(path: Path, f: Filters = Filters()) -> dict[str, overview.Headline]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {h.label: h for h in overview.headlines(con, f)}
    finally:
        con.close()


@pytest.mark.parametrize("member_status, status, role, evidence, group", [
    ("member", "documented", None, None, "member"), ("member", "imported", None, None, "member"),
    ("documented role", "documented", None, None, "participant"),
    ("documented role", "imported", None, None, "participant"),
    # a venue or partner in a documented activity, named by its role or quoted evidence
    ("not documented", "documented", "Venue of 'Self and Other' (2009)", None, "participant"),
    ("not documented", "documented", "", "ASEMUS ... [participant]", "participant"),
    # a documented row with no ASEMUS evidence: the shipped Muséofile museums
    ("not documented", "documented", "", " ", "other"),
    ("not documented", "imported", "Venue", None, "other"),   # e.g. a national register's museum
    ("member", "synthetic", None, None, "other"), ("member", "illustrative", None, None, "other"),
])
def test_network_group_rule(member_status, status, role, evidence, group):
    assert overview.network_group(member_status, status, role, evidence) == group


def test_builtin_network_figures_match_the_file(built_store):
    raw = _csv()
    net = _network_from_csv(raw)
    h = _heads(built_store)
    assert h["Institutions in the network"].value == f"{len(net):,}"
    n_members = int((net.member_status == "member").sum())
    assert h["Institutions in the network"].detail.startswith(
        f"{n_members} ASEMUS members and {len(net) - n_members} documented participants")
    assert h["Countries"].value == str(net.country_code.nunique())
    regions = net.region.value_counts()
    assert h["Asia / Europe"].value == f"{regions.get('Asia', 0)} / {regions.get('Europe', 0)}"
    assert str(len(raw) - len(net)) == "0"         # every row of the fact set is in the network
    assert h["Other institutions"].value == f"{_register_only():,}" == "87"
    assert "87 French museums with Asian collections (Muséofile register: Ministère de la " \
        "Culture, Licence Ouverte / Etalab 2.0)" in h["Other institutions"].detail


def test_a_large_import_leaves_the_network_figures_unchanged(built_store, register_store):
    before, after = _heads(built_store), _heads(register_store)
    assert set(before) == set(after)
    for label in before:
        if label != "Other institutions":
            assert after[label] == before[label], label
    other = after["Other institutions"]
    assert other.value == f"{N_REGISTER + _register_only():,}"
    assert f"{N_REGISTER:,} imported (e.g. from a national register)" in other.detail
    assert other.status == "imported"


def test_filters_apply_to_both_figures(register_store):
    raw = _csv()
    fra = _network_from_csv(raw)
    fra = fra[fra.country_code == "FRA"]
    h = _heads(register_store, Filters(countries=("FRA",)))
    assert h["Institutions in the network"].value == str(len(fra))
    assert h["Other institutions"].value == f"{N_REGISTER + _register_only():,}"
    h = _heads(register_store, Filters(regions=("Asia",)))
    assert h["Other institutions"].value == "0"


def test_overview_page_keeps_cards_and_map_to_the_network(register_store, monkeypatch,
                                                          clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("ASEMUS_STORE", str(register_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    assert not at.exception
    net = _network_from_csv(_csv())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Institutions in the network"] == f"{len(net):,}"
    regions = net.region.value_counts()
    assert metrics["Asia / Europe"] == f"{regions.get('Asia', 0)} / {regions.get('Europe', 0)}"
    assert metrics["Other institutions"] == f"{N_REGISTER + _register_only():,}"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    points = next(lyr for lyr in deck["layers"] if lyr["id"] == "institutions")["data"]
    assert len(points) == len(net)  # the register's museums are not drawn as network points
    # captions may escape Markdown punctuation ("\\:"): compare the words
    captions = " | ".join(c.value for c in at.caption).replace("\\", "")
    assert f"{N_REGISTER + _register_only():,} other institutions" in captions
    assert _positions(net) in captions
    assert _positions(net) == f"Positions: GeoNames city centroid ({len(net) - 2}), " \
        "Muséofile register coordinates (2)."   # the musée du quai Branly and the musée Guimet


def test_network_group_sql_is_the_same_rule():
    from asemus_data import vocab
    combos = [(m, s, r, e) for m in (*vocab.MEMBER_STATUSES, None) for s in (*vocab.STATUSES, None)
              for r in (None, "", " ", "Venue", "\t", "\n", "\xa0", " \u3000\r\n", "\tVenue\n")
              for e in (None, "", "quoted", "\t\n", "\u2003")]
    con = duckdb.connect()
    con.execute("CREATE TABLE institutions (member_status VARCHAR, status VARCHAR, role VARCHAR, "
                "membership_evidence VARCHAR)")
    con.executemany("INSERT INTO institutions VALUES (?, ?, ?, ?)", combos)
    got = con.execute(f"SELECT member_status, status, role, membership_evidence, "
                      f"{overview.network_group_sql()} FROM institutions i").fetchall()
    assert {c[:4]: c[4] for c in got} == {c: overview.network_group(*c) for c in combos}
    # whitespace other than spaces is blank in both (DuckDB's trim() alone kept a tab as said)
    assert overview.network_group("not documented", "documented", "\t", "\xa0\n") == "other"
    assert dict(((r, e), g) for m, s, r, e, g in got
                if m == "not documented" and s == "documented")[("\t", "\u2003")] == "other"


def test_the_network_page_keeps_register_museums_off_unless_tied(built_store, register_store,
                                                                 tmp_path):
    """The Collaboration network's nodes (net.institution_ids): the register's museums stay off,
    so its 'Institutions' and density are unchanged; a register museum with a tie joins."""
    import shutil

    from asemus_data import importer
    from asemus_data import network as net

    def ids(path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            return net.institution_ids(con, Filters())
        finally:
            con.close()
    builtin = set(_csv().id)
    assert ids(built_store) == builtin == ids(register_store)
    tied = tmp_path / "tied.duckdb"
    shutil.copyfile(register_store, tied)
    f = tmp_path / "tie.csv"
    f.write_text("institution_a,institution_b,type,year_start\n"
                 "m0001,musee-du-quai-branly,loan,2019\n", encoding="utf-8")
    importer.import_file(f, "collaborations", store=tied)
    assert ids(tied) == builtin | {"m0001"}


def test_saved_views_and_the_pack_count_the_network_too(register_store):
    """Slides and the conference pack say what the Overview says (before: the register's museums
    were counted as 'documented institutions' and drawn on the Overview slide)."""
    from asemus_data import slides
    from asemus_data.presentation import View
    net = _network_from_csv(_csv())
    con = duckdb.connect(str(register_store), read_only=True)
    try:
        for page in ("overview", "network"):
            cap = slides.caption(con, View("v", page))
            assert f": {len(net)} documented institutions in {net.country_code.nunique()} countries" \
                in cap, cap
        _, charts = slides.view_charts(con, View("v", "overview"))
    finally:
        con.close()
    inst = next(c for c in charts if c.key == "institutions")
    assert len(inst.data) == len(net)
    assert inst.caption == _positions(net)


def test_every_page_counts_the_same_members(built_store, monkeypatch, clear_streamlit_caches):
    """One meaning of "member": the Overview's card, its map legend and its evidence table, and
    the network page's reading and isolates tile all count the stated ASEMUS members of the file
    (before, the network page counted members plus documented roles: "8 of 41 members")."""
    import re

    from streamlit.testing.v1 import AppTest

    raw = _csv()
    members = int(((raw.member_status == "member")
                   & raw.status.isin(["documented", "imported"])).sum())
    assert members == 20
    monkeypatch.setenv("ASEMUS_STORE", str(built_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    assert not at.exception
    texts = " | ".join([c.value for c in at.caption] + [m.value for m in at.markdown]
                       ).replace("\\", "")
    found = {int(n) for n in re.findall(r"(\d+) ASEMUS members and \d+ documented", texts)}
    assert found == {members}
    assert f"member ({members})" in texts                    # the map legend
    evidence = next(d.value for d in at.dataframe if "evidence_strength" in d.value.columns)
    assert int((evidence["group"] == overview.GROUPS["member"]).sum()) == members
    weak = evidence[evidence["evidence_strength"].str.startswith("weak")]
    assert set(weak["name"]) == {"Weltmuseum Wien", "National Museum of Art, Osaka"}
    # Museum Tekstil Jakarta: a picture caption, replaced by a stated source (culture360, 2015)
    tj = evidence.set_index("name").loc["Museum Tekstil Jakarta"]
    assert "Picture caption" in tj["evidence"] and tj["evidence_strength"] == "stated"
    at.switch_page("pages/network.py").run()
    assert not at.exception
    texts = " | ".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                       + [str(m.help) for m in at.metric]).replace("\\", "")
    counted = {int(n) for n in re.findall(r"of (\d+) ASEMUS members", texts)}
    assert counted == {members}, texts[:2000]
