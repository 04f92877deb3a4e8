"""Property-based tests (Hypothesis) for asemus_data.dates: the conventions hold for every year,
century and calendar date, and no text whatever makes the parser raise or break its invariants."""
from __future__ import annotations

import calendar
import datetime
import sys
from itertools import pairwise
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import dates  # noqa: E402
from asemus_data.dates import CIRCA_YEARS, METHODS, parse_date, parse_dates  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YEARS = st.integers(min_value=dates.MIN_BARE_YEAR, max_value=dates.MAX_BARE_YEAR)
CENTURIES = st.integers(min_value=1, max_value=21)
CIRCA_WORDS = st.sampled_from(["c.", "c. ", "ca. ", "circa ", "about ", "approx. ", "um ", "vers "])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def invariants(got: dates.ParsedDate) -> None:
    """What every result satisfies, whatever the text."""
    assert isinstance(got, dates.ParsedDate)
    assert got.method in METHODS
    if got.method == "open":
        assert (got.start is None) != (got.end is None)
    else:
        assert (got.start is None) == (got.end is None)
    if got.parsed:
        assert got.start <= got.end
    assert got.read == (got.method not in ("empty", "undated", "unparsed"))


@SETTINGS
@given(YEARS)
def test_a_plain_year_round_trips(year):
    got = parse_date(str(year))
    assert (got.start, got.end, got.method) == (year, year, "year")
    assert not got.approximate and not got.uncertain
    assert parse_date(year).start == year  # numbers too


@SETTINGS
@given(st.integers(min_value=100, max_value=dates.MAX_BARE_YEAR), CIRCA_WORDS)
def test_circa_is_a_span_of_circa_years_on_each_side(year, word):
    got = parse_date(f"{word}{year}")
    assert (got.start, got.end) == (year - CIRCA_YEARS, year + CIRCA_YEARS), got
    assert got.approximate


@SETTINGS
@given(st.integers(min_value=1, max_value=5000))
def test_bce_years_are_negative(year):
    got = parse_date(f"{year} BCE")
    assert (got.start, got.end) == (-year, -year)


@SETTINGS
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["BCE", "BC", "B.C.", "v. Chr."]))
def test_bce_years_with_thousands_separators(year, era):
    got = parse_date(f"{year:,} {era}")
    assert (got.start, got.end) == (-year, -year), got


@SETTINGS
@given(st.integers(min_value=100, max_value=50_000))
def test_before_present_counts_back_from_1950(years):
    got = parse_date(f"{years} BP")
    assert (got.start, got.end) == (1950 - years, 1950 - years)


@SETTINGS
@given(CENTURIES, st.sampled_from(["century", "c.", "cent.", "-century", " Century"]))
def test_centuries_as_collections_count_them(n, unit):
    got = parse_date(f"{ordinal(n)} {unit}".replace(" -", "-"))
    assert got.method == "century", got
    assert got.start <= got.end
    assert got.start == max((n - 1) * 100, 1) and got.end == n * 100 - 1  # 19th = 1800-1899


@SETTINGS
@given(CENTURIES)
def test_bce_centuries_mirror_ce_ones(n):
    got = parse_date(f"{ordinal(n)} century BCE")
    assert (got.start, got.end) == (-(n * 100 - 1), -max((n - 1) * 100, 1))


@SETTINGS
@given(CENTURIES)
def test_qualifiers_narrow_inside_the_century_in_order(n):
    whole = parse_date(f"{ordinal(n)} century")
    parts = [parse_date(f"{q} {ordinal(n)} century") for q in ("early", "mid", "late")]
    halves = [parse_date(f"{q} half of the {ordinal(n)} century") for q in ("first", "second")]
    for group in (parts, halves):
        assert all(whole.start <= p.start <= p.end <= whole.end for p in group)
        assert all(a.end < b.start for a, b in pairwise(group))  # in order, not overlapping
        assert group[0].start == whole.start and group[-1].end == whole.end
    assert parse_date(f"last half of the {ordinal(n)} century") == dates.ParsedDate(
        f"last half of the {ordinal(n)} century", halves[1].start, halves[1].end, "century")


@SETTINGS
@given(CENTURIES, CENTURIES)
def test_century_ranges_cover_both_ends_or_are_refused(a, b):
    got = parse_date(f"{ordinal(a)}-{ordinal(b)} century")
    if a <= b:
        first, last = parse_date(f"{ordinal(a)} century"), parse_date(f"{ordinal(b)} century")
        assert (got.start, got.end) == (first.start, last.end)
        # collections narrow a range of whole centuries differently: flagged, one century not
        assert got.readings == (a < b) and not got.uncertain
    else:
        assert got.method == "unparsed"


@SETTINGS
@given(YEARS, YEARS)
def test_year_ranges(a, b):
    a, b = sorted((a, b))
    got = parse_date(f"{a}-{b}")
    assert (got.start, got.end) == (a, b)
    circa = parse_date(f"c. {a}-{b}")
    assert (circa.start, circa.end) == (a - CIRCA_YEARS, b + CIRCA_YEARS)


@SETTINGS
@given(st.integers(min_value=100, max_value=999), st.integers(min_value=1, max_value=1100))
def test_plain_forward_ranges_before_1000_are_ce(a, length):
    b = min(a + length, dates.MAX_BARE_YEAR)
    got = parse_date(f"{a}-{b}")
    assert (got.start, got.end, got.method) == (a, b, "range")


@SETTINGS
@given(st.integers(min_value=100, max_value=209).map(lambda d: d * 10).filter(lambda y: y % 100))
def test_decades(decade):
    got = parse_date(f"{decade}s")
    assert (got.start, got.end, got.method) == (decade, decade + 9, "decade")


@SETTINGS
@given(st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2100, 12, 31)),
       st.sampled_from(["{M} {d}, {Y}", "{d} {M} {Y}", "{M} {Y}", "{m}/{d}/{Y}", "{Y}-{m:02d}-{d:02d}"]))
def test_calendar_dates_give_their_year(day, form):
    text = form.format(M=calendar.month_name[day.month], m=day.month, d=day.day, Y=day.year)
    got = parse_date(text, dayfirst=False)
    assert (got.start, got.end, got.method) == (day.year, day.year, "date"), text


@SETTINGS
@given(YEARS, st.integers(min_value=0, max_value=60),
       st.sampled_from(["printed", "cast", "manufactured", "published", "produced"]))
def test_stages_span_from_first_to_last(year, later, stage):
    last = min(year + later, dates.MAX_BARE_YEAR)
    got = parse_date(f"{year}, {stage} {last}")
    assert (got.start, got.end) == (year, last), got
    # dated apart, the stages give a collection three readings (first, last, both): flagged
    assert got.readings == (last > year) and not got.uncertain, got


@SETTINGS
@given(YEARS, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60),
       st.sampled_from(["printed", "cast", "manufactured", "published", "produced"]))
def test_overlapping_stages_are_one_reading(year, length, offset, stage):
    end = min(year + length, dates.MAX_BARE_YEAR)
    inside = min(year + offset, end)
    got = parse_date(f"{year}-{end}, {stage} {inside}")
    assert (got.start, got.end) == (year, end) and not got.uncertain and not got.readings, got


@SETTINGS
@given(YEARS, st.sampled_from([("after", "lower"), ("no earlier than", "lower"), ("before", "upper"),
                               ("not after", "upper")]))
def test_open_bounds_stay_open(year, cue):
    word, side = cue
    got = parse_date(f"{word} {year}")
    assert got.method == "open"
    assert (got.start, got.end) == ((year, None) if side == "lower" else (None, year))


# Texts built from the words dates are made of, so that the parser's own paths are exercised.
TOKENS = st.sampled_from([
    "c.", "ca.", "circa", "about", "?", "possibly", "after", "before", "no earlier than", "or", "and",
    "to", "-", "/", ",", "(", ")", "early", "mid", "late", "first half of the", "last quarter of the",
    "18th", "19th", "XIXe", "century", "siècle", "Jh.", "BCE", "CE", "AD", "BC", "1850", "1790",
    "1850s", "1900s", "850", "618", "907", "12", "3", "June", "19-20,", "printed", "designed",
    "(manufactured)", "posthumously", "Qing", "Ming", "dynasty", "period", "Kangxi", "mark", "Edo",
    "Jin", "1603-1867", "185X", "1850~", "..", "undated", "n.d.", "", " ",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=9).map(" ".join))
def test_date_like_texts_never_raise_and_keep_the_invariants(text):
    invariants(parse_date(text))
    invariants(parse_date(text, dayfirst=False, circa_years=0))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.none(),
                 st.dates(), st.booleans()))
def test_arbitrary_input_never_raises(value):
    invariants(parse_date(value))


@SETTINGS
@given(st.lists(st.one_of(st.none(), TOKENS, YEARS.map(str)), max_size=30))
def test_parse_dates_agrees_with_parse_date(values):
    out = parse_dates(values, flags=True)
    assert len(out) == len(values)
    for value, row in zip(values, out.itertuples(index=False)):
        one = parse_date(value)
        assert row.method == one.method
        assert (None if pd.isna(row.start) else row.start) == one.start
        assert (None if pd.isna(row.end) else row.end) == one.end
        certainty = None if pd.isna(row.certainty) else row.certainty
        assert (row.approximate, row.uncertain, row.readings, certainty) == \
            (one.approximate, one.uncertain, one.readings, one.certainty)
