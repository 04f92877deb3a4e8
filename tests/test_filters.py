"""Filters: URL round trip, invalid values dropped with a notice, SQL applied in the database."""
import pytest

from asemus_data import queries
from asemus_data.filters import Filters, fmt_year, holdings_sql


def test_url_round_trip():
    f = Filters(regions=("Europe",), countries=("FRA", "DEU"), origins=("CHN",), categories=("ceramics",),
                period=(-206, 1912), statuses=("documented",), search="Leiden")
    q = f.to_query()
    assert q["period"] == "-206..1912" and q["country"] == "FRA,DEU"
    back, notices = Filters.from_query(q, facets={"countries": {"FRA", "DEU"}, "origins": {"CHN"}})
    assert back == f and notices == []


@pytest.mark.parametrize("params, notice", [
    ({"region": "Atlantis"}, "Atlantis"),
    ({"period": "abc"}, "period"),
    ({"period": "1900..1800"}, "period"),
    ({"category": "spaceships"}, "spaceships"),
    ({"country": "XXX"}, "XXX"),
])
def test_invalid_query_values_are_ignored_with_a_notice(params, notice):
    f, notices = Filters.from_query(params, facets={"countries": {"FRA"}})
    assert f == Filters()
    assert len(notices) == 1 and notice in notices[0]


def test_valid_values_survive_next_to_invalid_ones():
    f, notices = Filters.from_query({"region": "Europe,Atlantis"})
    assert f.regions == ("Europe",) and len(notices) == 1


def test_describe_and_bce():
    assert Filters().describe() == "no filters"
    assert "206 BCE" in Filters(period=(-206, 220)).describe()
    assert fmt_year(-206) == "206 BCE" and fmt_year(1850) == "1850"


def test_sql_filters_run_in_the_database(con):
    all_ = queries.summary(con, Filters())
    eu = queries.summary(con, Filters(regions=("Europe",)))
    assert 0 < eu["objects"] < all_["objects"]
    assert eu["countries"] < all_["countries"]
    # period overlap, BCE included: Han dynasty (-206..220) overlaps 0..100
    where, params = holdings_sql(Filters(period=(0, 100)))
    n = con.execute(f"SELECT count(*) FROM holdings h JOIN institutions i ON i.id = h.institution_id "
                    f"WHERE {where}", params).fetchone()[0]
    titles = con.execute(f"SELECT DISTINCT h.date_text FROM holdings h JOIN institutions i ON "
                         f"i.id = h.institution_id WHERE {where}", params).df()["date_text"]
    assert n > 0 and all(("Han" in t) or ("Gupta" not in t and "Edo" not in t) for t in titles)
    none = queries.summary(con, Filters(search="no museum has this name"))
    assert none["rows"] == 0
    assert queries.summary_sentence(none) == "No holdings match the filters."


def test_summary_sentence_marks_illustrative(con):
    s = queries.summary(con, Filters())
    text = queries.summary_sentence(s)
    assert "100% illustrative" in text and "museums" in text


# --- objects older than the slider (finding 5) ------------------------------------------------
def test_the_lowest_slider_position_is_open_ended_and_links_reach_older_years():
    from asemus_data.filters import PERIOD_MIN, open_start, period_text
    from asemus_data.schemas import OLDEST_YEAR

    where, params = holdings_sql(Filters(period=(PERIOD_MIN, 1500)))
    assert "period_end" not in where and params == [1500]
    assert open_start((PERIOD_MIN, 1500)) and not open_start((PERIOD_MIN + 10, 1500))
    assert period_text((PERIOD_MIN, 1500)) == "3000 BCE or earlier to 1500"
    assert Filters(period=(PERIOD_MIN, 1500)).describe() == "period: 3000 BCE or earlier to 1500"
    assert period_text((-500000, -400000)) == "500000 BCE to 400000 BCE"
    f, notices = Filters.from_query({"period": "-500000..-400000"})
    assert notices == [] and f.period == (-500000, -400000)
    assert Filters.from_query(f.to_query())[0] == f
    f, notices = Filters.from_query({"period": f"{OLDEST_YEAR}..2000"})
    assert notices == [] and f.period == (OLDEST_YEAR, 2000)
    f, notices = Filters.from_query({"period": f"{OLDEST_YEAR - 1}..2000"})
    assert f.period is None and len(notices) == 1 and str(OLDEST_YEAR) in notices[0]


def test_an_object_older_than_3000_bce_stays_in_a_view_narrowed_at_the_top(fresh_store, tmp_path):
    """A hand axe (498050 BCE) stays when only the slider's top end moves, drops out when the
    start is a real bound after it, and a link naming its years finds it."""
    import duckdb

    from asemus_data.filters import PERIOD_MIN
    from asemus_data.importer import import_file

    c = duckdb.connect(str(fresh_store), read_only=True)
    inst = c.execute("SELECT min(id) FROM institutions").fetchone()[0]
    c.close()
    src = tmp_path / "axe.csv"
    src.write_text("id,institution_id,title,date_text,period_start,period_end,category,source\n"
                   f"hand-axe-1,{inst},Hand axe,c. 500000 BP,-498050,-498050,archaeology,hand-made\n",
                   encoding="utf-8")
    assert import_file(src, "objects", store=fresh_store).rows_written == 1

    def ids(f: Filters) -> set[str]:
        where, params = holdings_sql(f)
        with duckdb.connect(str(fresh_store), read_only=True) as c:
            return {r[0] for r in c.execute(
                f"SELECT h.id FROM holdings h JOIN institutions i ON i.id = h.institution_id "
                f"WHERE {where}", params).fetchall()}

    assert "hand-axe-1" in ids(Filters(categories=("archaeology",)))
    assert "hand-axe-1" in ids(Filters(categories=("archaeology",), period=(PERIOD_MIN, 2000)))
    assert "hand-axe-1" in ids(Filters(period=(PERIOD_MIN, -2500)))
    assert "hand-axe-1" not in ids(Filters(period=(PERIOD_MIN + 10, 2000)))
    linked, notices = Filters.from_query({"period": "-500000..-400000"})
    assert notices == [] and ids(linked) == {"hand-axe-1"}
    with duckdb.connect(str(fresh_store), read_only=True) as c:
        assert queries.summary(c, linked)["objects"] == 1


@pytest.mark.parametrize("period, caption", [
    ("-500000..-400000", "Period: 500000 BCE to 400000 BCE (from the link; beyond the slider)"),
    ("-3000..1500", "Period: 3000 BCE or earlier to 1500"),
    ("-200..1500", "Period: 200 BCE to 1500"),
])
def test_the_sidebar_caption_says_what_the_period_filter_does(built_store, monkeypatch,
                                                               clear_streamlit_caches, period, caption):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASEMUS_STORE", str(built_store))
    at = AppTest.from_file("../pages/masterpieces.py", default_timeout=300)
    at.query_params["period"] = period
    at.run()
    assert not at.exception
    assert [c.value for c in at.sidebar.caption if c.value.startswith("Period")] == [caption]


def test_slide_subjects_say_or_earlier_at_the_slider_floor():
    from asemus_data import slides
    from asemus_data.filters import PERIOD_MIN

    assert slides.subject(Filters(period=(PERIOD_MIN, 1500))).endswith(", 3000 BCE or earlier to 1500")
    assert slides.subject(Filters(period=(1600, 1900))).endswith(", 1600 to 1900")
