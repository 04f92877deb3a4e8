"""Every fact in the shared fact set is in the store with its source, and nothing illustrative
passes for fact."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

FACTS = Path(__file__).resolve().parents[2] / "shared" / "asemus_facts"
needs_facts = pytest.mark.skipif(not FACTS.exists(), reason="shared fact set not beside the project")


def facts(name: str) -> pd.DataFrame:
    return pd.read_csv(FACTS / f"{name}.csv", dtype=str, keep_default_na=False)


def test_counts(con):
    n = {t: con.execute(f"SELECT count(*) FROM {t} WHERE status = 'documented'").fetchone()[0]
         for t in ("institutions", "exhibitions", "exhibition_venues", "collaborations", "meetings",
                   "membership_counts", "vcm_stats", "people")}
    assert n["institutions"] >= 39
    # Self and Other's 5 venues + 7 single-venue shows + the 2007 VCM launch (facts_more.csv)
    assert n["exhibition_venues"] == 13
    assert n["collaborations"] == 13
    assert n["membership_counts"] == 12 + 3  # + 2002 and the two 2011 releases (facts_more.csv)
    # + 4 brief_facts figures, 5 facts_more counts/milestones, 4 candidate masterpieces
    assert n["vcm_stats"] == 40 + 9 + 4
    assert n["people"] == 155
    assert n["meetings"] == 15 + 19  # conferences and meetings + Executive Committee meetings


@needs_facts
def test_every_member_is_in_the_store_with_coordinates_and_source(con):
    inst = con.execute("SELECT * FROM institutions").df()
    members = facts("members")
    assert len(members) == 39
    by_source = set(inst["source"])
    for r in members.itertuples():
        assert r.source_url in by_source, r.museum_name
    documented_role = inst[inst.member_status != "not documented"]
    assert len(documented_role) == 39 + 2  # + the 2 stated members of members_more.csv
    assert inst["latitude"].notna().all() and inst["longitude"].notna().all()
    assert inst["country_code"].str.fullmatch(r"[A-Z]{3}").all()


@needs_facts
@pytest.mark.parametrize("fact_file, table", [
    ("conferences", "meetings"), ("excom_meetings", "meetings"), ("exchanges", "collaborations"),
    ("membership_counts", "membership_counts"), ("vcm", "vcm_stats"),
    ("executive_committee", "people"), ("exhibitions", "exhibitions"),
])
def test_every_fact_source_is_kept(con, fact_file, table):
    stored = set(con.execute(f"SELECT source FROM {table}").df()["source"])
    if table == "exhibitions":
        stored |= set(con.execute("SELECT source FROM exhibition_venues").df()["source"])
    for url in facts(fact_file)["source_url"]:
        assert url in stored, url


@needs_facts
def test_membership_counts_keep_values_and_qualifiers(con):
    mc = con.execute("SELECT date_text, total, qualifier, qualifier_text, source FROM membership_counts").df()
    f = facts("membership_counts")
    more = facts("facts_more")
    more = more[more.subject.str.startswith("ASEMUS member")]
    from_more = [int(v.split()[0]) for v in more.value]  # '66', '78 museums; 33 countries'
    assert sorted(mc["total"].astype(int)) == sorted(f["total_members"].astype(int).tolist() + from_more)
    over70 = mc[mc.date_text == "2010-07-01"].iloc[0]
    assert (over70.total, over70.qualifier, over70.qualifier_text) == (70, "over", "over 70")
    # the 2012 conflict: both sources present
    y2012 = mc[mc.date_text.str.startswith("2012")]
    assert set(y2012.total) == {82, 97, 84} and y2012.source.nunique() == 2


def test_tour_visitors_are_not_split(con):
    ex, q, src = con.execute("SELECT visitors, visitors_qualifier, visitors_source FROM exhibitions "
                             "WHERE id = 'self-and-other'").fetchone()
    venues = con.execute("SELECT visitors FROM exhibition_venues WHERE exhibition_id = 'self-and-other'").df()
    # 'attracted over 60,000 visitors' (brief_facts.csv): the qualifier is the source's
    assert (ex, q) == (60000, "over")
    bf = facts("brief_facts") if FACTS.exists() else None
    if bf is not None:
        row = bf[(bf.subject.str.startswith("Self and Others")) & (bf.fact_type == "exhibition_visitors")]
        assert (int(row.value.iloc[0]), row.qualifier.iloc[0], row.source_url.iloc[0]) == (ex, q, src)
    assert len(venues) == 5 and venues["visitors"].isna().all()


def test_unknowns_stay_unknown(con):
    # the fact set states no year joined except for two museums
    # and facts_more.csv the National Museum of Korea's (2009, press)
    joined = con.execute("SELECT id, year_joined FROM institutions WHERE year_joined IS NOT NULL").fetchall()
    assert dict(joined) == {"national-museum-of-kazakhstan": 2015, "chittagong-university-museum": 2014,
                            "national-museum-of-korea": 2009}
    # BISA's dates are not stated
    row = con.execute("SELECT start_date, end_date FROM exhibitions WHERE id='bisa-potent-presences'").fetchone()
    assert row == (None, None)


def test_conflicts_are_written_down(con):
    paris = con.execute("SELECT number, notes FROM meetings WHERE id = 'general-conference-2010-paris'").fetchone()
    assert paris[0] == 4 and "10th" in paris[1]
    kuching = con.execute("SELECT participants, participants_qualifier, participants_text FROM meetings "
                          "WHERE id = 'general-conference-2018-kuching'").fetchone()
    assert kuching[:2] == (200, "over") and "250" in kuching[2]


def test_illustrative_rows_are_flagged(con):
    rows = con.execute("SELECT status, source FROM collections").df()
    assert len(rows) > 0
    assert (rows.status == "illustrative").all()
    assert rows.source.str.contains("Illustrative, not real").all()
    # no documented table holds an illustrative or synthetic row
    for t in ("institutions", "exhibitions", "meetings", "membership_counts", "people"):
        assert con.execute(f"SELECT count(*) FROM {t} WHERE status != 'documented'").fetchone()[0] == 0


def test_every_row_has_source_and_status(con):
    from asemus_data.schemas import TABLES
    for t in TABLES:
        bad = con.execute(f"SELECT count(*) FROM {t} WHERE source IS NULL OR source = '' "
                          f"OR status NOT IN ('documented','imported','illustrative','synthetic')").fetchone()[0]
        assert bad == 0, t


# --- every row of every fact file, with its URL ------------------------------------------------
DATA = Path(__file__).resolve().parents[1] / "data"
#: fact file -> the data files it is transcribed into
HOMES = {
    "members": ["institutions"], "members_more": ["institutions"],
    "membership_counts": ["membership_counts"], "conferences": ["meetings"],
    "excom_meetings": ["meetings"], "exhibitions": ["exhibitions", "exhibition_venues"],
    "exchanges": ["collaborations"], "vcm": ["vcm_stats"], "executive_committee": ["people"],
    "brief_facts": ["statements"], "facts_more": ["statements"], "vcm_objects_more": ["vcm_stats"],
}
#: fact files transcribed one row for one row: each URL is used at least as often in data/
ONE_FOR_ONE = {"membership_counts": "membership_counts", "vcm": "vcm_stats",
               "executive_committee": "people", "exchanges": "collaborations",
               "brief_facts": "statements", "facts_more": "statements",
               "conferences": "meetings", "excom_meetings": "meetings"}


def data_file(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


@needs_facts
def test_every_fact_file_has_a_home():
    listed = {p.stem for p in FACTS.glob("*.csv")}
    assert listed == set(HOMES), "a fact file is not transcribed (or this test does not know it)"


@needs_facts
@pytest.mark.parametrize("fact_file", sorted(HOMES))
def test_every_row_of_every_fact_file_is_in_data_with_its_url(fact_file):
    f = facts(fact_file)
    cells = pd.concat([data_file(t) for t in HOMES[fact_file]], ignore_index=True)
    text = cells.apply(lambda col: col.str.cat(sep="\n")).str.cat(sep="\n")
    for i, r in enumerate(f.itertuples(), start=2):
        assert r.source_url in text, (fact_file, f"line {i}", r.source_url)
    if fact_file in ONE_FOR_ONE:
        stored = data_file(ONE_FOR_ONE[fact_file])["source"].value_counts()
        for url, n in f["source_url"].value_counts().items():
            assert stored.get(url, 0) >= n, (fact_file, url, n)


@needs_facts
def test_statements_keep_every_row_as_stated():
    st = data_file("statements")
    for name in ("brief_facts", "facts_more"):
        f = facts(name)
        mine = st[st.fact_file == f"{name}.csv"].reset_index(drop=True)
        assert len(mine) == len(f)
        for col, fcol in (("fact_type", "fact_type"), ("subject", "subject"), ("value", "value"),
                          ("evidence", "evidence"), ("source", "source_url"),
                          ("qualifier", "qualifier")):
            assert mine[col].tolist() == f[fcol].tolist(), (name, col)


def test_no_source_is_a_local_path_or_an_internal_file():
    bad = ("project brief", "shared/", "asemus_facts", "file:", "/work/", "/tmp/", "c:\\")
    for path in sorted(DATA.glob("*.csv")):
        d = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in d.columns:
            for i, v in d[col].items():
                assert not any(b in v.lower() for b in bad), (path.name, i + 2, col, v)
            # source_key is the ministry's museum number (a series key), not a source
            if "source" in col and col not in ("coordinate_source", "source_key"):
                given = d[col][d[col] != ""]
                assert given.str.match(r"https?://").all(), (path.name, col)


@needs_facts
def test_members_more_stated_members_and_participants(con):
    inst = con.execute("SELECT * FROM institutions").df()
    more = facts("members_more")
    participant = more.evidence.str.contains(r"participant\]")
    assert participant.sum() == 12 and (~participant).sum() == 2
    for r in more.itertuples():
        hit = inst[(inst.source == r.source_url) | (inst.source_extra == r.source_url)]
        hit = hit[hit.membership_evidence.fillna("").str.contains(r.evidence[:40], regex=False)]
        if len(hit) > 1:  # two venues quoted by one page: the one named so
            hit = hit[(hit.name == r.name) | hit.alt_names.fillna("").str.contains(r.name, regex=False)]
        assert len(hit) == 1, r.name
        status = hit.member_status.iloc[0]
        if "participant]" in r.evidence:
            assert status == "not documented", r.name  # a participant is never counted a member
        else:
            assert status == "member", r.name


@needs_facts
def test_facts_more_counts_in_their_tables(con):
    mc = con.execute("SELECT date_text, total, countries, source FROM membership_counts").df()
    assert ((mc.date_text == "2002-04") & (mc.total == 66)).sum() == 1
    y2011 = mc[(mc.total == 78) & (mc.countries == 33)]
    assert len(y2011) == 2 and y2011.source.nunique() == 2  # two releases, two rows
    v = con.execute("SELECT * FROM vcm_stats WHERE record_type = 'statistic'").df()
    f = facts("facts_more")
    asia, europe = (int(n) for n in
                    f[f.subject.str.startswith("VCM participating")].value.iloc[0].split("(")[0].split("/"))
    row = v[(v.year == 2009) & (v.metric == "contributing museums")]
    assert row.value.tolist() == [asia + europe] and "32 Asian + 36 European" in row.value_text.iloc[0]
    launch = v[(v.date_text == "2007-09-13") & (v.metric == "masterpieces")].iloc[0]
    assert (launch.value, launch.qualifier) == (1000, "approximately")
    # the brief's two VCM texts, each figure with its 'over'
    bf = v[v.source.isin(facts("brief_facts").query("fact_type == 'vcm_count'").source_url)]
    assert sorted(zip(bf.metric, bf.value, bf.qualifier)) == [
        ("contributing museums", 70, "over"), ("contributing museums", 100, "over"),
        ("masterpieces", 2000, "over"), ("masterpieces", 2155, "over")]


@needs_facts
def test_seoul_2012_conflict_keeps_both_sides_with_urls(con):
    notes, source = con.execute("SELECT notes, source FROM meetings "
                                "WHERE id = 'general-conference-2012-seoul'").fetchone()
    f = facts("facts_more")
    nmk = f[f.subject.str.contains("Seoul: countries")].iloc[0]
    assert nmk.value == "26" and nmk.source_url in notes and source in notes and "23" in notes
    st = data_file("statements")
    assert ((st.value == "26") & (st.source == nmk.source_url)).sum() == 1


@needs_facts
def test_passage_to_asia_countries_conflict_is_written_with_both_urls(con):
    notes = con.execute("SELECT notes FROM exhibitions WHERE id = 'a-passage-to-asia'").fetchone()[0]
    bf = facts("brief_facts")
    sides = bf[(bf.fact_type == "exhibition_countries")]
    assert set(sides.qualifier) == {"over", "exact as stated"}
    assert "'over 20 countries'" in notes and "'20 countries'" in notes
    for url in sides.source_url:
        assert url in notes


@needs_facts
def test_candidate_masterpieces_are_never_confirmed(con):
    f = facts("vcm_objects_more")
    new = f[f.status.str.startswith("NEW")]
    v = con.execute("SELECT * FROM vcm_stats").df()
    cand = v[v.metric.isin(new.title)]
    assert len(cand) == len(new) == 4
    assert (cand.record_type == "example_cited").all()  # never 'sample_masterpiece'
    assert cand.notes.str.startswith("Candidate VCM masterpiece, unconfirmed").all()
    assert set(cand.source) == set(new.source_url)
    # the objects table (the masterpiece gallery) holds only the two confirmed ones
    objs = con.execute("SELECT title, in_vcm FROM objects").df()
    assert not objs.title.isin(new.title).any()
    assert sorted(objs[objs.in_vcm.fillna(False)].title) == sorted(
        f[f.status.str.startswith("already")].title)
