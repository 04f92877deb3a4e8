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
