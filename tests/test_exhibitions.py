"""Tests for asemus_data.exhibitions and its figures: days-open and per-day arithmetic (hand
computed), the no-splitting rule for tour totals, qualifiers, gaps in visitor series, and the
import of a ministry-style institution-year export through the real importer."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import exhibitions as ex  # noqa: E402
from asemus_data import store  # noqa: E402
from asemus_data.figures import exhibitions as fx  # noqa: E402
from asemus_data.figures import timeline as ft  # noqa: E402
from benchmarks.exhibitions import write_ministry_export  # noqa: E402


# --- days open and per day (hand-computed) -----------------------------------------------------
def test_calendar_days_self_and_other_osaka():
    # 11-30 Sept = 20 days, October = 31, 1-25 Nov = 25: 76 days, both ends included.
    assert ex.calendar_days("2008-09-11", "2008-11-25") == 76


@pytest.mark.parametrize("dpw, closures, expected", [
    (6, 0, 65),   # 76 * 6 / 7 = 65.14 -> 65 (and 2008 had 11 Mondays in the run: 76 - 11 = 65)
    (7, 0, 76),
    (5, 0, 54),   # 76 * 5 / 7 = 54.29 -> 54
    (6, 3, 62),   # three public holidays
])
def test_days_open_osaka(dpw, closures, expected):
    assert ex.days_open("2008-09-11", "2008-11-25", dpw, closures) == expected


def test_days_open_needs_day_precision():
    assert ex.days_open("2013-04-09", "2013-07") is None     # known only to the month
    assert ex.days_open("2008-02", "2008-09") is None
    assert ex.days_open(None, "2010-01-01") is None
    assert ex.days_open("2010-03-01", "2010-02-01") is None  # reversed


def test_per_day_keeps_the_qualifier_true():
    # A Passage to Asia, 2010-06-25 .. 2010-10-10: 6 + 31 + 31 + 30 + 10 = 108 days,
    # 108 * 6 / 7 = 92.57 -> 93 days open; over 20,000 / 93 = 215.05 -> 'over 215' (rounded down).
    days = ex.days_open("2010-06-25", "2010-10-10")
    assert days == 93
    v = ex.per_day(20000, days, "over")
    assert v == 215
    assert ex.fmt_figure(v, "over") == "over 215"
    assert ex.per_day(20000, 93, "up to") == 216
    assert ex.per_day(20000, 93, "exact") == 215
    assert ex.per_day(None, 93) is None and ex.per_day(100, None) is None


def test_fmt_figure():
    assert ex.fmt_figure(20000, "over") == "over 20,000"
    assert ex.fmt_figure(60000, "exact") == "60,000"
    assert ex.fmt_figure(60000, None) == "60,000"
    assert ex.fmt_figure(100, "approximately") == "approximately 100"
    assert ex.fmt_figure(None, "over") == ""


def test_parse_partial():
    assert ex.parse_partial("2013-07") == ex.Span(pd.Timestamp("2013-07-01").date(),
                                                  pd.Timestamp("2013-07-31").date(), "month")
    assert ex.parse_partial("2008").precision == "year"
    assert ex.parse_partial("2010-13") is None and ex.parse_partial("soon") is None
    assert ex.parse_partial("2010-02-30") is None


# --- the no-splitting rule -----------------------------------------------------------------------
def _tour():
    exhibitions = pd.DataFrame([
        dict(id="tour", title="Tour", type="ASEMUS travelling exhibition", start_date="2008-09-11",
             end_date="2009-03-29", visitors=60000, visitors_qualifier="exact",
             visitors_source=None, source="https://example.org/tour", notes=None),
        dict(id="solo", title="Solo", type="member exhibition", start_date="2010-06-25",
             end_date="2010-10-10", visitors=20000, visitors_qualifier="over",
             visitors_source="the brief", source="https://example.org/solo", notes=None),
    ])
    venues = pd.DataFrame([
        dict(exhibition_id="tour", venue_order=i, venue_name=f"Venue {i}", city="Osaka", country="Japan",
             start_date=s, end_date=e, visitors=pd.NA, visitors_qualifier=None,
             latitude=34.7, longitude=135.5 + i, source="https://example.org/venues")
        for i, (s, e) in enumerate([("2008-09-11", "2008-11-25"), ("2008-12-06", "2009-01-25"),
                                    ("2009-02-07", "2009-03-29")], start=1)
    ] + [dict(exhibition_id="solo", venue_order=1, venue_name="Hall", city="Brussels", country="Belgium",
              start_date="2010-06-25", end_date="2010-10-10", visitors=pd.NA,
              visitors_qualifier=None, latitude=50.85, longitude=4.35,
              source="https://example.org/solo")])
    return exhibitions, venues


def test_tour_total_is_never_split():
    exhibitions, venues = _tour()
    t = ex.visitor_table(exhibitions, venues)
    tour = t[t["title"] == "Tour"]
    total = tour[tour["scope"].str.startswith("tour total")]
    assert len(total) == 1 and total["visitors"].iloc[0] == 60000
    parts = tour[tour["scope"].str.startswith("venue")]
    assert len(parts) == 3
    assert parts["visitors"].isna().all() and parts["per_day"].isna().all()
    assert (parts["visitors_text"] == ex.TOUR_PART).all()
    # No row holds a share of the total: the tour's numbers add up to the total exactly once.
    assert tour["visitors"].sum() == 60000


def test_tour_per_day_uses_every_venues_days_open():
    exhibitions, venues = _tour()
    t = ex.visitor_table(exhibitions, venues)
    total = t[t["scope"].str.startswith("tour total")].iloc[0]
    # 65 (Osaka, above) + 51 days (6 Dec..25 Jan) * 6/7 = 43.7 -> 44 + 51 days * 6/7 -> 44 = 153
    assert total["days_open"] == 65 + 44 + 44
    assert total["per_day"] == round(60000 / 153)


def test_qualified_figure_keeps_its_qualifier_and_source():
    exhibitions, venues = _tour()
    solo = ex.visitor_table(exhibitions, venues).query("title == 'Solo'").iloc[0]
    assert solo["visitors_text"] == "over 20,000"
    assert solo["per_day_text"] == "over 215"
    assert solo["source"] == "the brief"   # visitors_source wins over the row's source
    assert solo["rank"] == 2               # ranked by visitors per day: the tour's 392 first


def test_settings_change_days_open():
    exhibitions, venues = _tour()
    seven = ex.visitor_table(exhibitions, venues, days_per_week=7, closures=2)
    solo = seven.query("title == 'Solo'").iloc[0]
    assert solo["days_open"] == 108 - 2


def test_builtin_self_and_other(con):
    exhibitions = store.read_table(con, "exhibitions")
    venues = store.read_table(con, "exhibition_venues")
    t = ex.visitor_table(exhibitions, venues)
    so = t[t["title"].str.startswith("Self and Other")]
    assert so["visitors"].dropna().tolist() == [60000.0]
    assert (so.loc[so["scope"].str.startswith("venue"), "visitors_text"] == ex.TOUR_PART).all()
    assert len(so) == 6  # the tour total and five venues
    passage = t[t["title"].str.startswith("A Passage to Asia")].iloc[0]
    assert passage["visitors_text"].startswith("over ")
    assert passage["per_day_text"].startswith("over ")


# --- timeline, map, detail -----------------------------------------------------------------------
def test_timeline_partial_and_undated(con):
    exhibitions = store.read_table(con, "exhibitions")
    venues = store.read_table(con, "exhibition_venues")
    bars, undated = ex.timeline_rows(exhibitions, venues)
    assert "BISA: Potent Presences" in set(undated["title"])
    assert "bisa-potent-presences" not in set(bars["exhibition_id"])
    borobudur = bars[bars["exhibition_id"] == "hidden-base-of-borobudur"].iloc[0]
    assert borobudur["note"] == "dates known to the month"
    assert borobudur["start"] == pd.Timestamp("2008-02-01")
    assert borobudur["finish"] == pd.Timestamp("2008-10-01")  # through 30 September
    # Every dated exhibition and every venue of the tour is drawn.
    assert set(bars["exhibition_id"]) == set(exhibitions["id"]) - {"bisa-potent-presences"}
    assert (bars["level"] == "venue").sum() == 5
    fig = fx.exhibition_timeline(bars)
    assert len(fig.data) == len(bars)
    assert any("dates known to the month" in (t.hovertext[0] or "") for t in fig.data)


def test_routes_and_stops(con):
    exhibitions = store.read_table(con, "exhibitions")
    venues = store.read_table(con, "exhibition_venues")
    legs = ex.tour_routes(venues, exhibitions)
    assert list(legs["leg"]) == ["1 -> 2", "2 -> 3", "3 -> 4", "4 -> 5"]
    stops = ex.venue_stops(venues, exhibitions)
    osaka = stops[stops["city"] == "Osaka"].iloc[0]
    assert osaka["n"] == 2 and "stop 1 of 5" in osaka["stops"] and "stop 2 of 5" in osaka["stops"]
    deck = fx.venue_deck(stops, legs)
    layers = {layer["@@type"]: layer for layer in json.loads(deck.to_json())["layers"]}
    assert "ArcLayer" in layers and layers["ScatterplotLayer"]["radiusUnits"] == "pixels"


def test_tooltips_escaped():
    exhibitions, venues = _tour()
    exhibitions.loc[0, "title"] = "<img src=x onerror=alert(1)>"
    deck = fx.venue_deck(ex.venue_stops(venues, exhibitions), ex.tour_routes(venues, exhibitions))
    j = deck.to_json()
    # markup only in the template; the title as written, escaped once by Streamlit
    assert "&lt;img" not in j and "<img src=x" in j
    arcs = next(lyr for lyr in json.loads(j)["layers"] if lyr["@@type"] == "ArcLayer")
    assert {r["tip_title"] for r in arcs["data"]} == {"<img src=x onerror=alert(1)>"}


def test_detail(con):
    d = ex.exhibition_detail("self-and-other", store.read_table(con, "exhibitions"),
                             store.read_table(con, "exhibition_venues"),
                             store.read_table(con, "exhibition_participants"),
                             store.read_table(con, "institutions"))
    assert list(d["venues"]["venue_order"]) == [1, 2, 3, 4, 5]
    assert (d["venues"]["visitors_text"] == ex.TOUR_PART).all()
    assert "60,000" in d["facts"]["Visitors"] and "not split" in d["facts"]["Visitors"]
    assert "approx. 100 portraits" in d["facts"]["Objects"]
    assert {"lead partner", "venue"} <= set(d["partners"]["role"])
    assert all(s.startswith("http") for s in d["sources"])


# --- the network over time -----------------------------------------------------------------------
def test_membership_figure_shows_every_count_and_both_2012_sources(con):
    counts = store.read_table(con, "membership_counts")
    fig = ft.membership_figure(counts)
    points = [(y, txt, t.name) for t in fig.data if t.mode == "markers+text"
              for y, txt in zip(t.y, t.text)]
    assert len(points) == len(counts)
    texts = [p[1] for p in points]
    assert "over 70" in texts and "over 140" in texts
    by_value = {p[0]: p[2] for p in points}
    assert by_value[84] != by_value[82] and by_value[82] == by_value[97]


def test_conferences_timeline(con):
    meetings = store.read_table(con, "meetings")
    fig = ft.conferences_timeline(meetings)
    hover = " ".join(fig.data[0].hovertext)
    n = ((meetings["kind"] == "general conference") | (meetings["kind"] == "founding conference")
         ).sum()
    assert len(fig.data[0].x) == n
    assert "10th General Conference" in hover       # the Paris numbering conflict
    assert "over 250" in hover and "over 200" in hover   # Kuching
    assert "4th General Conference" in hover


def test_committee_alternation(con):
    terms = ex.committee_terms(store.read_table(con, "people"), store.read_table(con, "institutions"))
    chairs = terms[(terms["kind"] == "term") & (terms["role"] == "Chair")].sort_values("start")
    regions = list(chairs["region"])
    assert regions[:6] == ["Europe", "Europe", "Asia", "Europe", "Asia", "Europe"]
    # Martin's chair term is given by two sources: drawn once, with the precise dates.
    martin = chairs[chairs["institution_id"] == "musee-du-quai-branly"]
    assert len(martin) == 1 and martin["start"].iloc[0] == pd.Timestamp("2008-11-01")
    assert ";" in martin["source"].iloc[0]
    croke = chairs[chairs["name"] == "Fionnuala Croke"].iloc[0]
    assert bool(croke["open_end"]) and croke["finish"] == pd.Timestamp("2017-03-15")
    fig = ft.committee_figure(terms)
    assert len(fig.data) == len(terms)


# --- visitor series: import end-to-end, gaps, year-on-year, ranks ----------------------------------
def test_generator_full_size(tmp_path):
    csv_path, map_path = write_ministry_export(tmp_path)
    with csv_path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0][0] == "Einrichtung"
    assert 24_000 <= len(rows) - 1 <= 27_000
    names = {r[0] for r in rows[1:]}
    assert len(names) >= 1000
    assert any(r[3] == "-" for r in rows[1:])          # reported as not reported
    assert any(r[4] == "k.A." for r in rows[1:]) and any(r[4].isdigit() for r in rows[1:])
    assert "table: visitor_stats" in map_path.read_text(encoding="utf-8")


@pytest.fixture()
def fresh_store(fresh_store):
    """The built-in store without its shipped visitor series (data/visitor_stats.csv, French open
    data): the tests here check the aggregation of a hand-made file on its own."""
    from asemus_data import store as _store
    with _store.writing(fresh_store) as c:
        c.execute("DELETE FROM visitor_stats")
    return fresh_store


@pytest.fixture()
def series_store(fresh_store, tmp_path):
    """A fresh store with a small ministry-style export imported through import_file, plus a
    hand-made series with a known gap."""
    from asemus_data.importer import import_file
    csv_path, map_path = write_ministry_export(tmp_path / "export", institutions=12, years=25)
    res = import_file(csv_path, "visitor_stats", mapping=map_path, store=fresh_store)
    hand = tmp_path / "hand.csv"
    hand.write_text("institution_name,country,year,visitors,paid,free,source,status\n"
                    "Gap Museum,KOR,2010,1000,,,hand,illustrative\n"
                    "Gap Museum,KOR,2011,1100,600,500,hand,illustrative\n"
                    "Gap Museum,KOR,2013,1300,,,hand,illustrative\n"
                    "Gap Museum,KOR,2014,,,,hand,illustrative\n"
                    "Gap Museum,KOR,2015,1500,,,hand,illustrative\n", encoding="utf-8")
    import_file(hand, "visitor_stats", store=fresh_store)
    return fresh_store, res


def test_import_end_to_end(series_store):
    path, res = series_store
    assert res.rows_written == res.rows_read > 250
    c = duckdb.connect(str(path), read_only=True)
    try:
        summ = ex.series_summary(c)
        assert summ["rows"] == res.rows_written + 5
        assert summ["first_year"] == 1998 and summ["last_year"] == 2022
        codes = {r[0] for r in c.execute("SELECT DISTINCT country_code FROM visitor_stats").fetchall()}
        assert {"DEU", "KOR"} <= codes
        # 'k.A.' and '-' became empty, not zero.
        assert c.execute("SELECT count(*) FROM visitor_stats WHERE visitors = 0").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM visitor_stats WHERE paid IS NOT NULL").fetchone()[0] > 0
        statuses = {r[0] for r in c.execute("SELECT DISTINCT status FROM visitor_stats").fetchall()}
        assert statuses == {"synthetic", "illustrative"}
    finally:
        c.close()


def test_gaps_stay_gaps_and_yoy_skips_them(series_store):
    path, _ = series_store
    c = duckdb.connect(str(path), read_only=True)
    try:
        s = ex.institution_series(c, ["KOR:Gap Museum"])
    finally:
        c.close()
    s = s.set_index("year")
    assert list(s.index) == [2010, 2011, 2012, 2013, 2014, 2015]
    assert np.isnan(s.at[2012, "visitors"])   # no row: a gap row was added
    assert np.isnan(s.at[2014, "visitors"])   # reported as empty
    assert s.at[2011, "yoy"] == 100 and s.at[2011, "yoy_pct"] == pytest.approx(10.0)
    assert np.isnan(s.at[2013, "yoy"])        # previous year not reported
    assert np.isnan(s.at[2015, "yoy"])        # previous year's figure empty
    assert s.at[2011, "paid"] == 600 and np.isnan(s.at[2010, "paid"])
    fig = fx.series_figure(s.reset_index())
    assert fig.data[0].connectgaps is False
    assert any(v is None or (isinstance(v, float) and np.isnan(v)) for v in fig.data[0].y)


def test_ranks_totals_and_filters(series_store):
    path, _ = series_store
    c = duckdb.connect(str(path), read_only=True)
    try:
        top = ex.year_ranking(c, 2015)
        assert list(top["rank"]) == sorted(top["rank"])
        assert top["visitors"].is_monotonic_decreasing
        assert "Gap Museum (KOR)" in set(top["institution"])
        s = ex.institution_series(c, [ex.series_options(c)["key"].iloc[0]])
        assert s["rank"].dropna().eq(1).any()
        asia = ex.series_options(c, ex.SeriesFilter(regions=("Asia",)))
        assert asia["label"].str.contains(r"\((?:KOR|JPN|CHN|SGP|MYS|PHL|IND|IDN|THA|VNM|MNG|KAZ)\)"
                                          ).all()
        tot = ex.group_totals(c, "region", ex.SeriesFilter(years=(2010, 2015)))
        assert set(tot["grp"]) <= {"Asia", "Europe"} and tot["year"].between(2010, 2015).all()
        kor = ex.group_totals(c, "country", ex.SeriesFilter(countries=("KOR",)))
        row = kor[(kor["grp"] == "KOR") & (kor["year"] == 2012)].iloc[0]
        assert np.isnan(row["visitors"])   # only Gap Museum in KOR, and 2012 is its gap: not 0
        fig = fx.group_totals_figure(tot, "region")
        assert {t.name for t in fig.data} == set(tot["grp"])
    finally:
        c.close()


def test_paid_free_figure_only_where_reported():
    df = pd.DataFrame(dict(key=["a"] * 2, label=["A (KOR)"] * 2, year=[2010, 2011],
                           visitors=[10.0, 12.0], paid=[np.nan, 6.0], free=[np.nan, 6.0]))
    fig = fx.paid_free_figure(df)
    assert {t.name for t in fig.data} == {"paid", "free"}
    assert all(list(t.x) == [2011] for t in fig.data)
    empty = fx.paid_free_figure(df.assign(paid=np.nan, free=np.nan))
    assert "No paid/free split" in empty.layout.title.text


def test_for_institutions_keeps_whole_tours():
    exhibitions = pd.DataFrame({"id": ["tour", "solo", "other"]})
    venues = pd.DataFrame({"exhibition_id": ["tour", "tour", "solo", "other"],
                           "institution_id": ["a", "b", "c", "d"]})
    parts = pd.DataFrame({"exhibition_id": ["solo"], "institution_id": ["z"]})
    e, v = ex.for_institutions(exhibitions, venues, parts, {"b", "z"})
    assert list(e["id"]) == ["tour", "solo"]
    assert list(v["institution_id"]) == ["a", "b", "c"]  # the tour keeps its venue "a"
    e, v = ex.for_institutions(exhibitions, venues, parts, set())
    assert e.empty and v.empty
