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
    assert n["exhibition_venues"] == 12  # Self and Other's 5 venues + 7 single-venue shows
    assert n["collaborations"] == 13
    assert n["membership_counts"] == 12
    assert n["vcm_stats"] == 40
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
    assert len(documented_role) == 39
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
    assert sorted(mc["total"].astype(int)) == sorted(f["total_members"].astype(int))
    over70 = mc[mc.date_text == "2010-07-01"].iloc[0]
    assert (over70.total, over70.qualifier, over70.qualifier_text) == (70, "over", "over 70")
    # the 2012 conflict: both sources present
    y2012 = mc[mc.date_text.str.startswith("2012")]
    assert set(y2012.total) == {82, 97, 84} and y2012.source.nunique() == 2


def test_tour_visitors_are_not_split(con):
    ex = con.execute("SELECT visitors FROM exhibitions WHERE id = 'self-and-other'").fetchone()[0]
    venues = con.execute("SELECT visitors FROM exhibition_venues WHERE exhibition_id = 'self-and-other'").df()
    assert ex == 60000
    assert len(venues) == 5 and venues["visitors"].isna().all()


def test_unknowns_stay_unknown(con):
    # the fact set states no year joined except for two museums
    joined = con.execute("SELECT id, year_joined FROM institutions WHERE year_joined IS NOT NULL").fetchall()
    assert dict(joined) == {"national-museum-of-kazakhstan": 2015, "chittagong-university-museum": 2014}
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
