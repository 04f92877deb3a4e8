"""Text summaries of the charts on the Overview, Collections map and Exhibitions & visitors pages
(the key numbers in a sentence, read by screen readers), and their colour-blind-safe palettes.

Unit tests use tiny hand-made frames whose numbers are checked by hand; the AppTests check that
each page shows the sentences for the built-in data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from asemus_data.collections_map import MapData
from asemus_data.figures import exhibitions as fx
from asemus_data.figures import maps
from asemus_data.figures import timeline as ft
from asemus_data.figures.overview import institutions_sentence
from asemus_data.overview import and_list, conflict_years, number_text, plural

OKABE_ITO = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
             "#000000"}
NAN = np.nan


# --- wording helpers -----------------------------------------------------------------------------
def test_wording_helpers():
    assert and_list([]) == "" and and_list(["a"]) == "a" and and_list("abc") == "a, b and c"
    assert plural(1, "venue") == "1 venue" and plural(1200, "venue") == "1,200 venues"
    assert plural(2, "country", "countries") == "2 countries"
    assert number_text(5) == "five" and number_text(12) == "12" and number_text(12345) == "12,345"


# --- Overview ------------------------------------------------------------------------------------
def _institutions(**over) -> pd.DataFrame:
    df = pd.DataFrame(dict(
        region=["Asia", "Asia", "Asia", "Europe", "Europe", "other"],
        member_status=["member", "documented role", "not documented", "member",
                       "not documented", "documented role"],
        status=["documented"] * 6,
        latitude=[1.0, 2.0, 3.0, 4.0, NAN, 6.0], longitude=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    return df.assign(**over)


def test_institutions_sentence():
    assert institutions_sentence(_institutions()) == (
        "6 documented institutions: 3 in Asia, 2 in Europe and 1 elsewhere; 2 are stated members; "
        "1 has no coordinates and is not drawn.")
    # 'documented' only when every row is; one member is 'is'
    two = _institutions(status=["documented"] * 5 + ["illustrative"]).iloc[[0, 3, 5]]
    assert institutions_sentence(two.assign(latitude=1.0)) == (
        "3 institutions: 1 in Asia, 1 in Europe and 1 elsewhere; 2 are stated members.")
    assert institutions_sentence(_institutions().iloc[:1]) == (
        "1 documented institution: 1 in Asia and 0 in Europe; 1 is a stated member.")
    assert institutions_sentence(_institutions().iloc[:0]) == "No institutions match the filters."


def _counts() -> pd.DataFrame:
    return pd.DataFrame(dict(
        year=[2006, 2012, 2012, 2011, 2017, 2011],
        month=pd.array([2, 1, 8, 7, 3, pd.NA], dtype="Int64"),
        total=[70, 82, 84, 80, 140, 80],
        qualifier=["over", "exact", "exact", "exact", "over", "around"],
        source=["a", "b", "c", "b", "d", "e"]))


def test_membership_sentence_keeps_qualifiers_and_names_conflicts():
    c = _counts()
    # 2011: 80 and 'around 80' from two sources is not a conflict (same total); 2012 is
    assert conflict_years(c) == [2012]
    assert ft.membership_sentence(c) == (
        "Stated membership grew from over 70 (Feb 2006) to over 140 (Mar 2017) in 6 statements; "
        "sources disagree for 2012.")
    assert ft.membership_sentence(c.iloc[:1]) == "One stated membership total: over 70 (Feb 2006)."
    assert ft.membership_sentence(c.iloc[:0]) == "No stated membership counts."
    two = c.iloc[[1, 3]]  # given 2012 first: sorted by date, 80 (Jul 2011) comes first
    assert ft.membership_sentence(two).startswith("Stated membership grew from 80 (Jul 2011) "
                                                   "to 82 (Jan 2012)")


def _meetings() -> pd.DataFrame:
    return pd.DataFrame(dict(
        kind=["founding conference", "general conference", "general conference", "workshop",
              "workshop", "executive committee meeting"],
        number=pd.array([pd.NA, 1, 2, pd.NA, pd.NA, pd.NA], dtype="Int64"),
        year=pd.array([2000, 2004, 2010, 2003, pd.NA, 2005], dtype="Int64"),
        start_date=["2000-09-06", "2004-03", "2010", "2003", None, "2005-01-01"],
        city=["Stockholm", "Singapore", "Paris", "Antwerp", None, "Seoul"],
        country_code=["SWE", "SGP", "FRA", "BEL", None, "KOR"],
        participants=[70, NAN, 80, NAN, 60, NAN],
        participants_qualifier=["exact", None, "over", None, "exact", None],
        participants_text=[None, None, "over 80 representatives", None, None, None],
        latitude=[59.3, 1.29, 48.9, 51.2, NAN, 37.6], longitude=[18.1, 103.9, 2.35, 4.4, NAN, 127.0]))


def test_conferences_sentence():
    assert ft.conferences_sentence(_meetings()) == (
        "3 conferences from Stockholm (2000) to Paris (2010), hosted 1 in Asia and 2 in Europe; "
        "the largest stated attendance is over 80 (Paris 2010); attendance is not stated for 1.")
    assert ft.conferences_sentence(_meetings().iloc[3:]) == "No dated conferences."


def test_conferences_map_sentence():
    assert fx.conferences_map_sentence(_meetings()) == (
        "4 meetings at 4 places: 3 founding or General Conferences (2 in Europe and 1 in Asia) and "
        "1 workshop or other meeting (small, grey); 1 without a known place is not drawn.")
    assert fx.conferences_map_sentence(_meetings().iloc[5:]) == "No meeting with a known place."


def test_committee_sentence():
    ts = pd.Timestamp
    terms = pd.DataFrame(dict(
        kind=["term", "term", "term", "term", "attested", "attested"],
        role=["Chair", "Vice-Chair", "Chair", "Chair", "Chair", "Vice-Chair"],
        region=["Europe", "Asia", "Asia", "Europe", "Europe", "Asia"],
        start=[ts("2001-01-01"), ts("2001-01-01"), ts("2003-01-01"), ts("2006-01-01"),
               ts("2007-05-05"), ts("2007-05-05")],
        finish=[ts("2002-12-31"), ts("2002-12-31"), ts("2005-12-31"), ts("2007-05-05"),
                ts("2007-05-05"), ts("2007-05-05")],
        open_end=[False, False, False, True, False, False]))
    assert ft.committee_sentence(terms) == (
        "3 chair terms from 2001 to at least 2007, the chair's institution in Europe, Asia, "
        "Europe in turn (2 Europe, 1 Asia); 1 vice- or deputy-chair term and 2 roles attested at "
        "single meetings.")
    assert ft.committee_sentence(terms.iloc[:0]) == "No Executive Committee chairs recorded."


# --- Exhibitions & visitors ----------------------------------------------------------------------
def _bars() -> tuple[pd.DataFrame, pd.DataFrame]:
    ts = pd.Timestamp
    bars = pd.DataFrame(dict(
        exhibition_id=["t", "t", "t", "m", "j"],
        title=["Tour: a show", "Tour: a show", "Tour: a show", "Member show", "Joint show"],
        type=["ASEMUS travelling exhibition"] * 3 + ["member exhibition", "joint exhibition"],
        level=["exhibition", "venue", "venue", "exhibition", "exhibition"],
        start=[ts("2008-09-11"), ts("2008-09-11"), ts("2009-01-01"), ts("2013-04-01"),
               ts("2016-09-24")],
        finish=[ts("2009-03-30"), ts("2008-12-01"), ts("2009-03-30"), ts("2013-08-01"),
                ts("2017-01-01")],  # finish is the day after the last day
        note=["", "", "", "dates known to the month", ""]))
    undated = pd.DataFrame(dict(title=["Undated show"], type=["member exhibition"]))
    return bars, undated


def test_exhibition_timeline_sentence():
    bars, undated = _bars()
    assert fx.exhibition_timeline_sentence(bars, undated) == (
        "3 of 4 exhibitions drawn, 2008 to 2016: 1 ASEMUS travelling exhibition, 1 member "
        "exhibition and 1 joint exhibition; Tour is shown with its 2 venues. 1 is dated only to "
        "the month (hatched); 1 with no dates is listed below.")
    assert fx.exhibition_timeline_sentence(bars.iloc[:0], undated) == (
        "No exhibition has dates to draw; 1 exhibition listed below.")
    assert fx.exhibition_timeline_sentence(bars.iloc[:0], undated.iloc[:0]) == \
        "No exhibitions match the filters."


def test_venues_sentence():
    stops = pd.DataFrame(dict(n=[2, 1, 1], country=["Japan", "Japan", "France"]))
    legs = pd.DataFrame(dict(exhibition=["Tour", "Tour", "Tour"]))
    assert fx.venues_sentence(stops, legs) == (
        "4 venues at 3 places in 2 countries; 1 touring exhibition drawn as 3 arcs in tour order.")
    assert fx.venues_sentence(stops.iloc[:1], legs.iloc[:0]) == "2 venues at 1 place in 1 country."
    assert fx.venues_sentence(stops.iloc[:0], legs) == "No venue with a known place."


def _visitor_table() -> pd.DataFrame:
    """Shaped like exhibitions.visitor_table: the built-in Self and Other and Passage to Asia."""
    rows = [("Self and Other: Portraits", "tour total (5 venues)", "60,000", 245.0, "245"),
            ("A Passage to Asia: 25 Centuries", "exhibition", "over 20,000", 215.0, "over 215")]
    rows += [("Self and Other: Portraits", f"venue {i}", "part of a tour total", NAN, "")
             for i in range(1, 6)]
    rows += [("Undated Show", "exhibition", "approximately 5,000", NAN, "")]
    return pd.DataFrame(rows, columns=["title", "scope", "visitors_text", "per_day",
                                       "per_day_text"])


def test_visitors_sentence_keeps_qualifiers():
    t = _visitor_table()
    assert fx.visitors_sentence(t.iloc[:7]) == (
        "Self and Other drew 60,000 visitors over five venues (about 245 a day open); A Passage "
        "to Asia over 20,000 (over 215 a day).")
    assert fx.visitors_sentence(t, limit=2) == (
        "Self and Other drew 60,000 visitors over five venues (about 245 a day open); A Passage "
        "to Asia over 20,000 (over 215 a day); and 1 more.")
    assert fx.visitors_sentence(t).endswith("; Undated Show approximately 5,000 (days open not known).")
    assert fx.visitors_sentence(t.iloc[:0]) == "No exhibition has a published visitor figure."


def test_visitors_sentence_from_visitor_table():
    """Through the real arithmetic: 1,000 in 10 days is about 100 a day; over 500 in 7 days is
    over 71 (71.4 rounded down, so 'over' stays true)."""
    from asemus_data import exhibitions as ex
    exh = pd.DataFrame(dict(id=["a", "b"], title=["Alpha: x", "Beta"], visitors=[1000.0, 500.0],
                            visitors_qualifier=["exact", "over"], visitors_source=[None, None],
                            source=["s", "s"], start_date=["2020-01-01", "2020-01-01"],
                            end_date=["2020-01-10", "2020-01-07"]))
    ven = pd.DataFrame(columns=["exhibition_id", "venue_order", "venue_name", "city", "start_date",
                                "end_date", "visitors", "visitors_qualifier", "source"])
    vt = ex.visitor_table(exh, ven, days_per_week=7)
    assert fx.visitors_sentence(vt) == ("Alpha drew 1,000 visitors (about 100 a day open); "
                                        "Beta over 500 (over 71 a day).")


def _series() -> pd.DataFrame:
    return pd.DataFrame(dict(
        label=["A (KOR)"] * 4 + ["B (DEU)"] * 2,
        year=[2010, 2011, 2012, 2013, 2012, 2013],
        visitors=[1000.0, 1100.0, NAN, 900.0, 5000.0, 4000.0],
        paid=[NAN, 600.0, NAN, NAN, NAN, NAN], free=[NAN, 500.0, NAN, NAN, NAN, NAN],
        yoy_pct=[NAN, 10.0, NAN, NAN, NAN, -20.0],
        rank=[1.0, 1.0, NAN, 2.0, 1.0, 1.0], reporting=[3.0, 3.0, NAN, 4.0, 4.0, 4.0]))


def test_series_sentences():
    s = _series()
    assert fx.series_sentence(s) == ("2 institutions, 2010 to 2013; the highest yearly figure is "
                                     "B (DEU)'s 5,000 (2012); 1 year not reported is a gap.")
    assert fx.yoy_sentence(s) == ("Largest rise A (KOR) +10.0% (2011); largest fall B (DEU) "
                                  "-20.0% (2013).")
    assert fx.yoy_sentence(s.iloc[:2]) == "Largest rise A (KOR) +10.0% (2011)."
    assert fx.rank_sentence(s) == ("In 2013, among 4 institutions reporting: B (DEU) ranked 1 "
                                   "and A (KOR) ranked 2.")
    assert fx.paid_free_sentence(s) == ("Split reported by 1 of 2 institutions; latest: A (KOR) "
                                        "2011: 600 paid, 500 free.")
    empty = s.iloc[:0]
    assert fx.series_sentence(empty) == "No visitor figures for the chosen institutions."
    assert fx.yoy_sentence(empty) == "No year-on-year change: no two consecutive reported years."
    assert fx.rank_sentence(empty) == "No ranks: no reported years."
    assert fx.paid_free_sentence(empty) == \
        "No paid/free split reported for the chosen institutions."


def test_group_totals_sentence():
    df = pd.DataFrame(dict(grp=["KOR", "KOR", "DEU", "DEU", "FRA", "FRA"],
                           year=[2012, 2013] * 3,
                           visitors=[1000.0, NAN, 9000.0, 8000.0, 300.0, 400.0],
                           reporting=[1, 0, 3, 2, 1, 1]))
    assert fx.group_totals_sentence(df, "country") == (
        "3 countries, 2012 to 2013. In 2013: DEU 8,000 (2 reporting); FRA 400 (1 reporting).")
    assert fx.group_totals_sentence(df, "country", limit=1).endswith("(2 reporting); and 1 more.")
    assert fx.group_totals_sentence(df.iloc[:0], "region") == \
        "No visitor totals per region for the filters."


# --- Collections map -----------------------------------------------------------------------------
def _map_data(**over) -> MapData:
    museums = pd.DataFrame(dict(
        name=["Big Museum", "Small Museum", "Other Museum"], region=["Europe", "Asia", "other"],
        member_status=["member", "not documented", "member"], objects=[900, 90, 9],
        statuses=["documented", "illustrative", "documented"]))
    flows = pd.DataFrame(dict(origin_name=["China"], name=["Big Museum"], objects=[500],
                              statuses=["documented, illustrative"]))
    countries = pd.DataFrame(dict(country=["France"], objects=[900], museums=[1],
                                  statuses=["documented"]))
    return MapData(**{**dict(museums=museums, flows=flows, countries=countries, flows_total=7,
                             unplaced_museums=1), **over})


def test_collections_map_sentence():
    d = _map_data()
    assert maps.collections_map_sentence(d, ("museums",), "region") == (
        "3 museums with matching holdings: 1 in Asia, 1 in Europe and 1 elsewhere. Most objects: "
        "Big Museum (900 objects); 1 without coordinates is not drawn (see the table below).")
    full = maps.collections_map_sentence(d, ("countries", "flows", "museums"), "member")
    assert "; 2 are stated ASEMUS members." in full
    assert ("Largest flow: China to Big Museum (500 objects; data: documented, illustrative); "
            "the 1 largest of 7 flows drawn.") in full
    assert full.endswith("Top holding country: France (900 objects in 1 museum).")
    assert maps.collections_map_sentence(d, ()) == "No map layer is switched on."
    assert maps.collections_map_sentence(_map_data(museums=d.museums.iloc[:0])) == \
        "No museum holds matching items."


# --- colours -------------------------------------------------------------------------------------
def test_hand_assigned_colours_are_okabe_ito():
    assert set(fx.TYPE_COLORS.values()) <= OKABE_ITO
    assert len(set(fx.TYPE_COLORS.values())) == len(fx.TYPE_COLORS)
    assert set(fx.LINE_COLORS) == OKABE_ITO and set(ft.SOURCE_PALETTE) == OKABE_ITO
    assert ft.REGION_HEX["Asia"] == "#D55E00" and ft.REGION_HEX["Europe"] == "#0072B2"


def test_more_lines_than_colours_get_a_second_channel():
    styles = [fx.line_style(i) for i in range(12)]   # the page allows 12 institutions
    looks = {(s["line"]["color"], s["line"]["dash"]) for s in styles}
    assert len(looks) == 12
    assert len({s["marker"]["symbol"] for s in styles}) == 12


def test_membership_sources_differ_by_colour_and_symbol(con):
    from asemus_data import store
    fig = ft.membership_figure(store.read_table(con, "membership_counts"))
    pts = [t for t in fig.data if t.mode == "markers+text"]
    shapes = {str(t.marker.symbol[0]).removesuffix("-open") for t in pts}
    # 9 sources since facts_more.csv (2002, 2011) and 8 Okabe-Ito colours: the symbol tells
    # every source apart, the colour as far as the palette goes
    assert len(shapes) == len(pts)
    assert len({t.marker.color for t in pts}) == min(len(pts), len(OKABE_ITO))


# --- the pages -----------------------------------------------------------------------------------
def _captions(page: str) -> str:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.message for e in at.exception]
    return " | ".join(c.value for c in at.caption)


@pytest.mark.parametrize("page, expected", [
    ("overview.py", ["55 documented institutions: 31 in Asia and 24 in Europe; 20 are stated "
                     "members.",
                     "Stated membership grew from 66 (Apr 2002) to over 140 (Mar 2017)",
                     "sources disagree for 2011, 2012",
                     "9 conferences from Stockholm (2000) to Kuching (2018)"]),
    ("collections_map.py", ["14 museums with matching holdings: 6 in Asia and 8 in Europe."]),
    ("exhibitions.py", ["Self and Other drew over 60,000 visitors over five venues (over 244 a day "
                        "open); A Passage to Asia over 20,000 (over 215 a day).",
                        "8 of 9 exhibitions drawn, 2007 to 2020",
                        "13 venues at 12 places in 9 countries",
                        "Stated membership grew from 66",
                        "9 conferences from Stockholm (2000)",
                        "14 meetings at 12 places",
                        "6 chair terms from 2001 to at least 2017"]),
])
def test_pages_show_chart_summaries(built_store, clear_streamlit_caches, page, expected):
    said = _captions(page)
    for text in expected:
        assert text in said, (text, said)
