"""Tests for asemus_data.dates: free-text dates -> start/end years, and the period gazetteer."""
from __future__ import annotations

import dataclasses
import datetime
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import dates, paths  # noqa: E402
from asemus_data.dates import ParsedDate, load_periods, parse_date, parse_dates, summarise  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]


def check(text, start, end, method, **kwargs):
    got = parse_date(text, **kwargs)
    assert (got.start, got.end, got.method) == (start, end, method), f"{text!r} -> {got}"
    return got


# ---------------------------------------------------------------------------------------------
# Explicit years, decades, centuries, dates, ranges
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, method", [
    # circa is a span of CIRCA_YEARS (5) either side (new convention; it used to be one year)
    ("c. 1850", 1845, 1855, "year"),
    ("ca. 1850", 1845, 1855, "year"),
    ("circa 1850", 1845, 1855, "year"),
    ("c.1850", 1845, 1855, "year"),
    ("approx. 1850", 1845, 1855, "year"),
    ("1850", 1850, 1850, "year"),
    ("(c. 1850)", 1845, 1855, "year"),
    ("1850?", 1850, 1850, "year"),
    ("dated 1852", 1852, 1852, "year"),
    ("c. 850", 845, 855, "year"),
    ("AD 220", 220, 220, "year"),
    ("1850 AD", 1850, 1850, "year"),
    ("c. 500 BC", -505, -495, "year"),
    ("206 BCE", -206, -206, "year"),
])
def test_years(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text, start, end, method", [
    ("1920's", 1920, 1929, "decade"),
    ("1920s", 1920, 1929, "decade"),
    ("1920\u2019s", 1920, 1929, "decade"),
    ("the 1850s", 1850, 1859, "decade"),
    ("c. 1850s", 1845, 1864, "decade"),
    ("early 1920s", 1920, 1922, "decade"),
    ("late 1920s", 1926, 1929, "decade"),
    ("1920s-30s", 1920, 1939, "decade"),
    ("1920s-1930s", 1920, 1939, "decade"),
    # "1900s" is a decade or a century; the century contains both readings
    ("1900s", 1900, 1999, "century"),
    ("late 1800s", 1866, 1899, "century"),
])
def test_decades(text, start, end, method):
    check(text, start, end, method)


# Centuries as collections count them (new convention): the 18th century is 1700-1799, the 3rd
# century BCE 299-200 BCE; qualifiers still split the century into thirds, halves, quarters.
@pytest.mark.parametrize("text, start, end", [
    ("18th century", 1700, 1799),
    ("18th-19th century", 1700, 1899),
    ("18th to 19th century", 1700, 1899),
    ("16th/17th century", 1500, 1699),
    ("18th or 19th century", 1700, 1899),
    ("early 18th century", 1700, 1732),
    ("mid 18th century", 1733, 1765),
    ("mid-18th century", 1733, 1765),
    ("late 18th century", 1766, 1799),
    ("first half of the 18th century", 1700, 1749),
    ("1st half 18th century", 1700, 1749),
    ("second half of the 18th century", 1750, 1799),
    ("third quarter of the 19th century", 1850, 1874),
    ("last quarter 18th century", 1775, 1799),
    ("early-mid 18th century", 1700, 1765),
    ("late 18th-early 19th century", 1766, 1832),
    ("end of the 18th century", 1766, 1799),
    ("eighteenth century", 1700, 1799),
    ("18th-century", 1700, 1799),
    ("18th c.", 1700, 1799),
    ("18th cent.", 1700, 1799),
    ("20th century", 1900, 1999),
    ("18th century AD", 1700, 1799),
    ("3rd century BCE", -299, -200),
    ("10th century BC", -999, -900),
    ("1st century BCE", -99, -1),
    ("early 3rd century BCE", -299, -267),
    ("5th-4th century BCE", -499, -300),
    ("2nd century BCE - 2nd century CE", -199, 199),
])
def test_centuries(text, start, end):
    check(text, start, end, "century")


@pytest.mark.parametrize("text, start, end", [
    ("2nd millennium BCE", -1999, -1000),
    ("4th millennium BC", -3999, -3000),
    ("1st millennium CE", 1, 999),
])
def test_millennia(text, start, end):
    check(text, start, end, "millennium")


@pytest.mark.parametrize("text", [
    "9/12/1975", "09/12/1975", "9.12.1975", "1975-12-09", "12 March 1975", "12th March 1975",
    "March 12, 1975", "March 1975", "Mar. 1975", "12/1975", "1975-03", "1975-12-09T00:00:00",
])
def test_calendar_dates(text):
    check(text, 1975, 1975, "date")


def test_dayfirst_decides_which_numeric_dates_are_valid():
    check("9/12/1975", 1975, 1975, "date")
    check("9/12/1975", 1975, 1975, "date", dayfirst=False)
    check("31/12/1975", 1975, 1975, "date")
    check("31/12/1975", None, None, "unparsed", dayfirst=False)
    check("12/31/1975", None, None, "unparsed")
    check("12/31/1975", 1975, 1975, "date", dayfirst=False)


@pytest.mark.parametrize("text", ["31 February 1975", "32/01/1975", "13/13/1975", "1975-13-01"])
def test_impossible_calendar_dates_are_unparsed(text):
    check(text, None, None, "unparsed")


@pytest.mark.parametrize("text, start, end", [
    ("206 BCE - 220 CE", -206, 220),
    ("206 BCE\u2013220 CE", -206, 220),
    ("206 BC-AD 220", -206, 220),
    ("1000 BC - AD 1", -1000, 1),
    ("500-400 BC", -500, -400),
    ("500 BCE-400", -500, -400),
    ("c. 2500-2000 BCE", -2505, -1995),
    ("AD 1000-1200", 1000, 1200),
    ("1600-1900", 1600, 1900),
    ("1790-1830", 1790, 1830),
    ("1790 - 1830", 1790, 1830),
    ("1790\u20131830", 1790, 1830),
    ("1790 to 1830", 1790, 1830),
    ("from 1790 to 1830", 1790, 1830),
    ("between 1790 and 1830", 1790, 1830),
    ("1790/1830", 1790, 1830),
    ("1790-95", 1790, 1795),
    ("1850/51", 1850, 1851),
    ("c. 1790-1830", 1785, 1835),
    ("ca. 1850 \u2013 ca. 1860", 1845, 1865),
    ("c. 1850-60", 1845, 1865),
    ("1850 or 1860", 1850, 1860),
    ("Edo period (1603-1867), c. 1790-1830", 1785, 1835),
    ("Kangxi period (1662-1722)", 1662, 1722),
    ("c. 1700-1720, Kangxi", 1695, 1725),
])
def test_ranges(text, start, end):
    check(text, start, end, "range")


@pytest.mark.parametrize("text, start, end, method", [
    # explicit years in the text beat any name
    ("Edo period, 1850", 1850, 1850, "year"),
    ("Meiji period, dated 1885", 1885, 1885, "year"),
    ("Ming dynasty, 17th century", 1600, 1699, "century"),
    ("Heian period, 12th century", 1100, 1199, "century"),
    # the most specific explicit expression wins when it lies inside the others
    ("18th century, c. 1750", 1745, 1755, "year"),
])
def test_explicit_years_beat_names_and_most_specific_wins(text, start, end, method):
    check(text, start, end, method)


# ---------------------------------------------------------------------------------------------
# Periods, dynasties, reigns
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, method", [
    ("Qing dynasty", 1644, 1912, "period"),
    ("QING DYNASTY", 1644, 1912, "period"),
    ("Ming", 1368, 1644, "period"),
    ("late Qing dynasty", 1823, 1912, "period"),  # last third, as for centuries
    ("Han dynasty", -206, 220, "period"),
    ("Western Han dynasty", -206, 9, "period"),
    ("Northern Song", 960, 1127, "period"),
    ("Jin (Jurchen)", 1115, 1234, "period"),
    ("Jōmon period", -14000, -300, "period"),
    ("Jomon period", -14000, -300, "period"),
    ("Edo period", 1603, 1867, "period"),
    ("Azuchi\u2013Momoyama period", 1568, 1600, "period"),
    ("Meiji era", 1868, 1912, "period"),
    ("Goryeo dynasty", 918, 1392, "period"),
    ("Joseon", 1392, 1897, "period"),
    ("Three Kingdoms of Korea", -57, 668, "period"),
    ("Unified Silla", 668, 935, "period"),
    ("Mughal", 1526, 1857, "period"),
    ("Angkor period", 802, 1431, "period"),
    ("Le dynasty", 1428, 1789, "period"),
    ("Victorian", 1837, 1901, "period"),
    ("Blue and white porcelain, Ming", 1368, 1644, "period"),
    ("Kangxi", 1662, 1722, "reign"),
    ("Kangxi period", 1662, 1722, "reign"),
    ("Kangxi reign", 1662, 1722, "reign"),
    ("Qing dynasty, Kangxi period", 1662, 1722, "reign"),
    ("K'ang-hsi", 1662, 1722, "reign"),
    ("Yongzheng", 1723, 1735, "reign"),
    ("Qianlong", 1736, 1795, "reign"),
    ("Kangxi mark and period", 1662, 1722, "reign"),
    ("Xuande mark, Kangxi period", 1662, 1722, "reign"),
    ("Kangxi-Yongzheng", 1662, 1735, "reign"),
    ("Xuande six-character mark, Qing dynasty", 1644, 1912, "period"),
    # names joined by "to"/"or" give the span over both
    ("Late Ming to early Qing", 1552, 1732, "period"),
    ("Ming or Qing", 1368, 1912, "period"),
    # numbers that could be BCE or CE are left to the name
    ("Tang dynasty (618-907)", 618, 907, "period"),
    ("Han dynasty (206-220)", -206, 220, "period"),
    ("Western Zhou (1046-771)", -1046, -771, "period"),
])
def test_names(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text", [
    "Jin dynasty",          # 266-420 or the Jurchen Jin 1115-1234
    "Three Kingdoms",       # China or Korea
    "Jin dynasty or Song",  # one half of the "or" is ambiguous
    "Xuande mark",          # a mark is not a date
    "apocryphal Chenghua mark",
    "Georgian",             # Georgian era or Georgia the country
])
def test_ambiguous_names_are_unparsed(text):
    check(text, None, None, "unparsed")


# ---------------------------------------------------------------------------------------------
# Non-English cues
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, method", [
    ("um 1850", 1845, 1855, "year"),
    ("vers 1850", 1845, 1855, "year"),
    ("19e siècle", 1800, 1899, "century"),
    ("XIXe siècle", 1800, 1899, "century"),
    ("fin du XVIIIe siècle", 1766, 1799, "century"),
    ("première moitié du XIXe siècle", 1800, 1849, "century"),
    ("19. Jh.", 1800, 1899, "century"),
    ("20. Jahrhundert", 1900, 1999, "century"),
    ("1. Hälfte 19. Jh.", 1800, 1849, "century"),
    ("Ende 18. Jh.", 1766, 1799, "century"),
    ("3. Jh. v. Chr.", -299, -200, "century"),
    ("siglo XVIII", 1700, 1799, "century"),
    ("XVIII secolo", 1700, 1799, "century"),
    ("1920er Jahre", 1920, 1929, "decade"),
    ("années 1920", 1920, 1929, "decade"),
    ("12 mars 1975", 1975, 1975, "date"),
    ("März 1975", 1975, 1975, "date"),
])
def test_non_english(text, start, end, method):
    check(text, start, end, method)


# ---------------------------------------------------------------------------------------------
# Undated, empty, unparsed
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "not dated", "undated", "Undated", "n.d.", "n. d.", "[n.d.]", "s.d.", "unknown", "Unknown",
    "date unknown", "o.J.", "o. J.", "undatiert", "sans date", "?",
])
def test_undated(text):
    got = check(text, None, None, "undated")
    assert got.original == text and not got.parsed


@pytest.mark.parametrize("value", ["", "   ", None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_empty(value):
    got = check(value, None, None, "empty")
    assert got.original == ("" if not isinstance(value, str) else value)


@pytest.mark.parametrize("text", [
    "Tuesday", "blue and white", "Neolithic", "-",
    "10-20",              # bare short numbers could be anything
    "1850-5",             # an abbreviation that is not a year
    "3000",               # not a plausible bare year
    "No. 1234",           # a catalogue number
    "1900-1850",          # end before start
    "19th-18th century",  # end before start
    "1850, 1920",         # two dates that disagree
    "1850 (restored 1920)",
    "19th century, c. 1920",
    "18th, 19th century",  # partly readable
    "206 BCE - 220",      # unmarked end after BCE would run backwards
])
def test_unparsed(text):
    got = check(text, None, None, "unparsed")
    assert got.original == text


# Open-ended texts keep the bound they give and leave the other open (method "open"); they used to
# be unparsed. "after"/"before" keep the year named, "after the 18th century" starts at its end.
@pytest.mark.parametrize("text, start, end", [
    ("after 1850", 1850, None), ("before 1900", None, 1900), ("pre-1900", None, 1900),
    ("post 1850", 1850, None), ("1850 or later", 1850, None), ("1850-", 1850, None),
    ("from 1850", 1850, None), ("not before 1850", 1850, None), ("no earlier than 1888", 1888, None),
    ("after the 18th century", 1799, None), ("19th century or earlier", None, 1899),
    ("Kangxi or later", 1662, None),
])
def test_open_ended(text, start, end):
    got = check(text, start, end, "open")
    assert not got.parsed and got.read


# ---------------------------------------------------------------------------------------------
# ParsedDate and the invariants
# ---------------------------------------------------------------------------------------------

def test_original_is_kept_unchanged():
    text = "  Edo period (1603–1867), c. 1790–1830  "
    assert parse_date(text).original == text


def test_parsed_property_and_frozen():
    assert parse_date("1850").parsed
    assert not parse_date("undated").parsed
    assert not parse_date("Tuesday").parsed
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_date("1850").start = 1


@pytest.mark.parametrize("value, start, method, original", [
    (1850, 1850, "year", "1850"),
    (1850.0, 1850, "year", "1850"),
    (np.int64(1850), 1850, "year", "1850"),
    (datetime.date(1975, 12, 9), 1975, "date", "1975-12-09"),
    (pd.Timestamp("1975-12-09"), 1975, "date", "1975-12-09 00:00:00"),
])
def test_non_text_input(value, start, method, original):
    got = parse_date(value)
    assert (got.start, got.end, got.method, got.original) == (start, start, method, original)


def test_methods_and_start_before_end_for_many_texts():
    samples = ["c. 1850", "1920s", "18th-19th century", "9/12/1975", "206 BC-AD 220", "Qing dynasty",
               "Kangxi", "undated", "", "Tuesday", "late 18th-early 19th century", "1900-1850",
               "2nd millennium BCE", "1790-95", "Ming or Qing"]
    for text in samples:
        got = parse_date(text)
        assert got.method in dates.METHODS
        assert (got.start is None) == (got.end is None)
        if got.parsed:
            assert got.start <= got.end


def test_every_gazetteer_name_and_alias_parses_to_its_row_or_is_ambiguous():
    periods = load_periods()
    for row in periods.itertuples(index=False):
        for name in [row.name, *filter(None, row.aliases.split(";"))]:
            got = parse_date(name)
            if any(ch.isdigit() for ch in name):
                continue  # the years in the name are read instead
            if got.method == "unparsed":
                assert name.lower() in {"jin", "jin dynasty", "three kingdoms", "three kingdoms period"}
                continue
            assert (got.start, got.end) == (row.start, row.end), (name, got)


# ---------------------------------------------------------------------------------------------
# The gazetteer file
# ---------------------------------------------------------------------------------------------

def test_gazetteer_loads_and_is_well_formed():
    periods = load_periods()
    assert list(periods.columns) == ["name", "aliases", "kind", "region", "start", "end", "source"]
    assert len(periods) >= 60
    assert str(periods["start"].dtype) == "int64" and str(periods["end"].dtype) == "int64"
    assert not (periods["start"] > periods["end"]).any()
    assert periods["source"].str.strip().ne("").all()
    assert periods["source"].str.startswith("https://").all()
    assert periods["kind"].isin(["period", "dynasty", "reign", "era"]).all()
    assert periods["name"].is_unique
    assert load_periods() is periods  # cached


@pytest.mark.parametrize("name, start, end", [
    ("Han dynasty", -206, 220), ("Qing dynasty", 1644, 1912), ("Ming dynasty", 1368, 1644),
    ("Tang dynasty", 618, 907), ("Song dynasty", 960, 1279), ("Yuan dynasty", 1271, 1368),
    ("Kangxi", 1662, 1722), ("Yongzheng", 1723, 1735), ("Qianlong", 1736, 1795),
    ("Edo period", 1603, 1867), ("Meiji era", 1868, 1912), ("Goryeo", 918, 1392),
    ("Joseon", 1392, 1897), ("Mughal Empire", 1526, 1857),
])
def test_gazetteer_conventional_dates(name, start, end):
    periods = load_periods().set_index("name")
    assert (periods.loc[name, "start"], periods.loc[name, "end"]) == (start, end)


def test_reigns_lie_inside_their_dynasty():
    periods = load_periods().set_index("name")
    ming, qing = periods.loc["Ming dynasty"], periods.loc["Qing dynasty"]
    for row in load_periods().query("kind == 'reign'").itertuples(index=False):
        dynasty = ming if row.end <= 1644 else qing
        assert dynasty["start"] <= row.start <= row.end <= dynasty["end"], row.name


@pytest.fixture()
def fresh_caches():
    def clear():
        load_periods.cache_clear()
        dates._gazetteer.cache_clear()
        dates._parse_text.cache_clear()
    clear()
    yield
    clear()


def test_gazetteer_path_comes_from_paths_and_bad_rows_are_refused(tmp_path, monkeypatch, fresh_caches):
    bad = tmp_path / "periods.csv"
    bad.write_text("name,aliases,kind,region,start,end,source\n"
                   "Backwards,,period,Nowhere,1900,1800,https://example.org\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PERIODS_FILE", bad)
    with pytest.raises(ValueError, match="Backwards"):
        load_periods()


def test_import_does_no_io_and_never_imports_streamlit():
    code = (f"import sys; sys.path.insert(0, {str(PROJECT)!r})\n"
            "import asemus_data.dates as d\n"
            "assert 'streamlit' not in sys.modules\n"
            "assert d.load_periods.cache_info().currsize == 0\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------------------
# parse_dates and summarise
# ---------------------------------------------------------------------------------------------

POOL = ["c. 1850", "Qing dynasty", "n.d.", "Tuesday", None, "18th century", "1790-95",
        "Edo period (1603-1867), c. 1790-1830", "", "blue and white", float("nan")]


def test_parse_dates_on_10000_values():
    rng = random.Random(42)
    index = pd.Index([f"obj-{i}" for i in range(10_000)])
    values = pd.Series([rng.choice(POOL) for _ in range(10_000)], index=index, dtype=object)
    values.iloc[:2000] = [f"c. {1000 + i}" for i in range(2000)]  # many distinct values too
    began = time.perf_counter()
    out = parse_dates(values)
    elapsed = time.perf_counter() - began
    assert elapsed < 10
    assert list(out.columns) == ["original", "start", "end", "method"]
    assert out.index.equals(index)
    assert str(out["start"].dtype) == "Int64" and str(out["end"].dtype) == "Int64"
    assert (out["start"].isna() == out["end"].isna()).all()
    assert (out["start"].dropna() <= out["end"].dropna()).all()
    assert out.loc["obj-0"].tolist() == ["c. 1000", 995, 1005, "year"]
    for i in range(2000, 2100):
        value = values.iloc[i]
        expected = parse_date(value)
        row = out.iloc[i]
        assert row["original"] == expected.original and row["method"] == expected.method
        assert (None if pd.isna(row["start"]) else row["start"]) == expected.start


def test_parse_dates_caches_repeated_values():
    values = pd.Series(["c. 1850", "Qing dynasty", "18th century"] * 50_000)
    began = time.perf_counter()
    out = parse_dates(values)
    assert time.perf_counter() - began < 5
    assert len(out) == 150_000 and out["method"].iloc[:3].tolist() == ["year", "period", "century"]


def test_parse_dates_accepts_lists_and_missing_values():
    out = parse_dates(["1850", None, float("nan"), "undated", "Kangxi"])
    assert list(out.index) == [0, 1, 2, 3, 4]
    assert out["method"].tolist() == ["year", "empty", "empty", "undated", "reign"]
    assert out["original"].tolist() == ["1850", "", "", "undated", "Kangxi"]
    assert out["start"].tolist() == [1850, pd.NA, pd.NA, pd.NA, 1662]


def test_parse_dates_dayfirst():
    assert parse_dates(["12/31/1975"])["method"].tolist() == ["unparsed"]
    assert parse_dates(["12/31/1975"], dayfirst=False)["method"].tolist() == ["date"]


def test_summarise_counts():
    texts = ["c. 1850", "1850", "undated", "n.d.", "Tuesday", "Tuesday", "blue and white", None, ""]
    texts += [f"nonsense {i}" for i in range(12)]
    result = summarise(parse_dates(texts))
    assert result == {
        "total": 21,
        "parsed": 2,
        "open": 0,
        "undated": 2,
        "unparsed": 15,
        "unparsed_examples": ["Tuesday", "blue and white"] + [f"nonsense {i}" for i in range(8)],
    }
    assert all(type(result[k]) is int for k in ("total", "parsed", "open", "undated", "unparsed"))


def test_summarise_empty_frame():
    assert summarise(parse_dates([])) == {
        "total": 0, "parsed": 0, "open": 0, "undated": 0, "unparsed": 0, "unparsed_examples": []}


def test_long_texts_stay_fast():
    for text in ["18th " * 2000, " - ".join(["1850"] * 1000), "early " * 3000 + "Ming"]:
        began = time.perf_counter()
        parse_date(text)
        assert time.perf_counter() - began < 2


def test_result_type():
    assert isinstance(parse_date("1850"), ParsedDate)


# ---------------------------------------------------------------------------------------------
# Issue 11: dates as museums write them (each case failed or was misread before)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, method", [
    # wrongly read without a flag before
    ("c. 18-19th century", 1695, 1904, "century"),             # was 1801-1900
    ("c. last half of the 19th century", 1845, 1904, "century"),  # was the whole century
    ("last half of the 17th century", 1650, 1699, "century"),
    ("latter half of the 17th century", 1650, 1699, "century"),
    # refused before
    ("Edo period (1603-1867), 19th century", 1800, 1899, "century"),
    ("Second Angkor Period (1002-1201), 12th century", 1100, 1199, "century"),
    ("960-1279", 960, 1279, "range"),
    ("618-907", 618, 907, "range"),
    ("1963, printed 1980", 1963, 1980, "range"),
    ("1930, cast 1955", 1930, 1955, "range"),
    ("designed 1986, manufactured 1997", 1986, 1997, "range"),
    ("1953 (designed) c. 1977 (manufactured)", 1953, 1982, "range"),
    ("1945 (designed), 1946-1949 (manufactured)", 1945, 1949, "range"),
    ("1991 (produced 1987-91)", 1987, 1991, "range"),
    ("February 1941, printed 1982-83", 1941, 1983, "range"),
    ("c. 1870-1880s", 1865, 1894, "range"),
    ("1870-1880s", 1870, 1889, "range"),
    ("June 19-20, 1964", 1964, 1964, "date"),
    ("19-20 June 1964", 1964, 1964, "date"),
    ("February - March 1962", 1962, 1962, "date"),
    ("26th Dynasty, 664-525 BCE", -664, -525, "range"),
    ("26th Dynasty, 664 BCE-525 BCE", -664, -525, "range"),
    ("after 1945, before 1957", 1945, 1957, "range"),
    ("1-199 CE", 1, 199, "range"),
    # forms of other museums' catalogues (the Met's): thirds named, "mid- to late"
    ("first third 19th century", 1800, 1832, "century"),
    ("last third of the 18th century", 1766, 1799, "century"),
    ("mid- to late 19th century", 1833, 1899, "century"),
    ("late 13th-first half 14th century", 1266, 1349, "century"),
    ("1896, cast ca. 1906", 1896, 1911, "range"),
    ("April 22-24, 1865", 1865, 1865, "date"),
    ("7th-6th millennium BCE", -6999, -5000, "millennium"),
])
def test_issue_11_forms(text, start, end, method):
    check(text, start, end, method, dayfirst=False)


def test_circa_is_a_documented_span_and_flagged():
    got = parse_date("c. 1850")
    assert (got.start, got.end) == (1850 - dates.CIRCA_YEARS, 1850 + dates.CIRCA_YEARS)
    assert got.approximate and not got.uncertain
    assert not parse_date("1850").approximate
    # a caller can ask for the stated years only (an agreement signed "c. 2007-2008")
    exact = parse_date("c.2007-2008 (MOU)", circa_years=0)
    assert (exact.start, exact.end, exact.approximate) == (2007, 2008, True)


@pytest.mark.parametrize("text, start, end", [
    ("late Qing?", 1823, 1912),        # narrowed like "late 19th century", and flagged
    ("1954?", 1954, 1954),
    ("possibly 1940s", 1940, 1949),
    ("probably late 12th century", 1166, 1199),
    ("18th or 19th century", 1700, 1899),  # the cataloguer could not choose: flagged
    ("1939, likely produced c. 1946", 1939, 1951),
    ("vermutlich um 1850", 1845, 1855),
])
def test_doubt_is_flagged_never_resolved(text, start, end):
    got = parse_date(text)
    assert (got.start, got.end) == (start, end) and got.uncertain, got


@pytest.mark.parametrize("text", ["1850", "c. 1850", "18th century", "Qing dynasty",
                                  "1991 (produced 1987-91)", "after 1850", "1790-1830", "late 19th century",
                                  "1916, printed posthumously", "18th century, printed 1790",
                                  "Goryeo dynasty (918-1392), 12th century"])
def test_plain_texts_are_not_flagged_uncertain(text):
    assert not parse_date(text).uncertain


# Texts that collections read more than one way: the span over every reading, flagged.
@pytest.mark.parametrize("text, start, end", [
    # stages of making dated apart: by the first stage, the last, or the span (CCO)
    ("1963, printed 1980", 1963, 1980),
    ("1931, printed 1979", 1931, 1979),
    ("1827-1828, printed 1893", 1827, 1893),
    ("1827, published May 7, 1856", 1827, 1856),
    ("1880 block, c. 1935 print", 1880, 1940),
    ("c.1890 (designed) c. 1980 (manufactured)", 1885, 1985),
    ("designed 1986, manufactured 1997", 1986, 1997),
    ("1920, executed 1935", 1920, 1935),
    ("1930, cast 1955", 1930, 1955),
    # a range of whole centuries: as written, or narrowed to the turn of the century
    ("18th-19th century", 1700, 1899),
    ("18th - 20th century", 1700, 1999),
    ("19th-early 20th century", 1800, 1932),
    ("late 19th - 20th century", 1866, 1999),
    ("11th-12th century", 1000, 1199),
    ("3rd-2nd century BCE", -299, -100),
    ("2nd-1st millennium BCE", -1999, -1),
])
def test_texts_read_more_than_one_way_are_flagged(text, start, end):
    """Flagged as several readings, not as doubt: the text is certain, collections differ."""
    got = parse_date(text)
    assert (got.start, got.end) == (start, end) and got.readings and not got.uncertain, got
    assert got.certainty == "several readings"


@pytest.mark.parametrize("text", [
    "1991 (produced 1987-91)",        # the stages overlap: one reading
    "1978-1980, printed 1979",
    "late 18th century",              # one century
    "early-mid 19th century",         # two parts of one century
])
def test_overlapping_stages_and_single_centuries_are_not_flagged(text):
    got = parse_date(text)
    assert got.read and not got.uncertain and not got.readings, got


@pytest.mark.parametrize("text, certainty", [
    ("1850", "as stated"), ("19th century", "as stated"), ("after 1850", "as stated"),
    ("Qing dynasty", "as stated"), ("c. 1850", "approximate"),
    ("1880 block, c. 1935 print", "several readings"),   # circa and two readings: the stronger
    ("18th-19th century", "several readings"), ("1850?", "uncertain"),
    ("18th or 19th century", "uncertain"), ("probably 18th-19th century", "uncertain"),
    ("undated", None), ("blue and white", None), ("", None),
])
def test_certainty_names_the_strongest_flag(text, certainty):
    from asemus_data.dates import CERTAINTIES
    got = parse_date(text).certainty
    assert got == certainty and (got is None or got in CERTAINTIES)


@pytest.mark.parametrize("text, start", [
    ("1916, printed posthumously", 1916),
    ("1910-1911, printed later", 1910),
    ("1920, posthumous cast", 1920),
    ("1804-after 1860", 1804),       # a range whose end is open
    ("10th-11th century or later", 900),
])
def test_later_stage_without_a_year_leaves_the_end_open(text, start):
    got = check(text, start, None, "open")
    assert not got.parsed and got.read


@pytest.mark.parametrize("text, start, end, method", [
    ("185X", 1850, 1859, "range"),
    ("19XX", 1900, 1999, "range"),
    ("1850~", 1845, 1855, "year"),
    ("../1850", None, 1850, "open"),
    ("1850/..", 1850, None, "open"),
])
def test_edtf_through_undate(text, start, end, method):
    check(text, start, end, method)


def test_period_dates_in_parentheses_decide_only_alone():
    check("Kangxi period (1662-1722)", 1662, 1722, "range")
    check("Edo period (1603-1867), c. 1790-1830", 1785, 1835, "range")
    # a period that is named makes bare short numbers its own: BCE or CE is the name's to say
    check("Han dynasty (206-220)", -206, 220, "period")


def test_parse_dates_flags_columns():
    out = parse_dates(["c. 1850", "1850?", "after 1850", None, "1931, printed 1979"], flags=True)
    assert list(out.columns) == ["original", "start", "end", "method", "approximate", "uncertain",
                                 "readings", "certainty"]
    assert out["approximate"].tolist() == [True, False, False, False, False]
    assert out["uncertain"].tolist() == [False, True, False, False, False]
    assert out["readings"].tolist() == [False, False, False, False, True]
    assert [None if pd.isna(c) else c for c in out["certainty"]] == \
        ["approximate", "uncertain", "as stated", None, "several readings"]
    out = out.iloc[:4]
    assert out["start"].tolist() == [1845, 1850, 1850, pd.NA]
    assert out["end"].isna().tolist() == [False, False, True, True]


def test_summarise_counts_open_and_doubtful_dates_when_flags_are_asked():
    texts = ["c. 1850", "1850?", "after 1850", "possibly 1940s", "1850?", "undated", "Tuesday",
             "18th-19th century", "probably 1931, printed 1979"]
    plain = summarise(parse_dates(texts))
    assert "uncertain" not in plain and plain["open"] == 1  # open dates are always counted
    result = summarise(parse_dates(texts, flags=True))
    assert (result["parsed"], result["open"], result["unparsed"], result["undated"]) == (6, 1, 1, 1)
    assert (result["approximate"], result["uncertain"], result["readings"]) == (1, 4, 1)
    assert result["uncertain_examples"] == ["1850?", "possibly 1940s", "probably 1931, printed 1979"]
    assert result["readings_examples"] == ["18th-19th century"]


@pytest.mark.parametrize("text, start, end, method", [
    # circa written after the date
    ("1890 (circa)", 1885, 1895, "year"),
    ("1820-1830 (approx.)", 1815, 1835, "range"),
    # Hijri years are converted, so a Hijri/CE pair is one date, not a range
    ("A.H. 1250/A.D. 1834", 1834, 1834, "year"),
    ("1834 (A.H. 1250)", 1834, 1834, "year"),
    ("A.H. 1250", 1834, 1835, "year"),
    ("dated A.H. 369/ 979 CE", 979, 979, "year"),
    # British "C19th", Dutch, Spanish and Italian forms
    ("mid C19th", 1833, 1865, "century"),
    ("C18", 1700, 1799, "century"),
    ("19de eeuw", 1800, 1899, "century"),
    ("eerste helft 19de eeuw", 1800, 1849, "century"),
    ("begin 20ste eeuw", 1900, 1932, "century"),
    ("primera mitad del siglo XIX", 1800, 1849, "century"),
    ("seconda metà del XIX secolo", 1850, 1899, "century"),
    ("voor 1900", None, 1900, "open"),
    ("na 1850", 1850, None, "open"),
    ("1850, later impression", 1850, None, "open"),
    # a period's own dates yield to the century the text gives
    ("Goryeo dynasty (918-1392), 12th century", 1100, 1199, "century"),
])
def test_forms_of_other_catalogues(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text, start, end, method", [
    # a style dates what the object imitates, not its making
    ("18th century style, made 20th century", 1900, 1999, "century"),
    ("Ming-style, 19th century", 1800, 1899, "century"),
    ("in the manner of the Kangxi period, 19th century", 1800, 1899, "century"),
    ("mid-to-late 19th century", 1833, 1899, "century"),
    ("model 1880, cast after 1900", 1880, None, "open"),
    # names with their own dates, joined by "or"/"to", still give the span over both
    ("Ming (1368-1644) or Qing (1644-1911)", 1368, 1912, "period"),
    ("Ming dynasty (1368-1644) to Qing dynasty (1644-1911)", 1368, 1912, "period"),
    # a bound inside the span narrows it
    ("18th century, after 1750", 1750, 1799, "century"),
    ("19th century, before 1850", 1800, 1850, "century"),
])
def test_styles_stages_and_joined_glosses(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text", ["Kangxi-style", "in the style of the 18th century"])
def test_a_style_alone_is_not_a_date(text):
    check(text, None, None, "unparsed")


@pytest.mark.parametrize("text, start, end, method", [
    ("século XIX", 1800, 1899, "century"),
    ("meados do século XIX", 1833, 1865, "century"),
    ("primeira metade do século XVIII", 1700, 1749, "century"),
    ("na década de 1850", 1850, 1859, "decade"),  # Portuguese "in the 1850s", not Dutch "after"
    ("C14th", 1300, 1399, "century"),
    ("C14 dated 1200-1000 BC", -1200, -1000, "range"),  # C14 is carbon-14 here, not a century
])
def test_portuguese_and_carbon_14(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text, start, end, method", [
    ("2. Viertel 19. Jh.", 1825, 1849, "century"),       # was silently the whole century
    ("letztes Viertel 18. Jh.", 1775, 1799, "century"),
    ("premier quart du XIXe siècle", 1800, 1824, "century"),
    ("eerste kwart 20ste eeuw", 1900, 1924, "century"),
    ("fin XIXe", 1866, 1899, "century"),                  # French, without "siècle"
    ("mid 18thC", 1733, 1765, "century"),
    ("1920/30er Jahre", 1920, 1939, "range"),
    ("the 1950s and 1960s", 1950, 1969, "decade"),
])
def test_quarters_and_short_forms(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text", [
    "turn of the 19th century",  # around 1800, or 1900 as often written: not the whole century
    "2. Drittel 19. Jh.",        # a part no qualifier reads: never silently the whole century
])
def test_unread_parts_of_a_century_are_unparsed(text):
    check(text, None, None, "unparsed")


@pytest.mark.parametrize("text, start, end, method", [
    # an object collected, acquired or given in a year was made by then
    ("collected 1890", None, 1890, "open"),
    ("field collected in 1890", None, 1890, "open"),
    ("19th century, collected 1890", 1800, 1890, "century"),
    ("1850, acquired 1920", 1850, 1850, "year"),
    # a bound narrows a named period too
    ("Qing dynasty, collected 1700", 1644, 1700, "period"),
    ("late Qing, after 1850", 1850, 1912, "period"),
    ("Edo period, collected 1880", 1603, 1867, "period"),
])
def test_collection_dates_bound_the_date_of_making(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text, start, end, method", [
    # thousands separators and five-digit years with an era (archaeology, Jomon)
    ("1,500 BCE", -1500, -1500, "year"),
    ("12,000 BCE", -12000, -12000, "year"),
    ("ca. 10,500-300 BCE", -10505, -295, "range"),
    ("12.000 v. Chr.", -12000, -12000, "year"),
    ("10000 BC", -10000, -10000, "year"),
    ("1850 (12345)", 1850, 1850, "year"),  # a bare five-digit number is not a year
    # Before Present (1950) and the Buddhist Era (CE + 543)
    ("1500 BP", 450, 450, "year"),
    ("5000-3000 BP", -3050, -1050, "range"),
    ("B.E. 2500", 1957, 1957, "year"),
    ("2500 B.E.", 1957, 1957, "year"),
    # "end" / "beginning" without "of"
    ("end 19th century", 1866, 1899, "century"),
    ("beginning 20th century", 1900, 1932, "century"),
])
def test_archaeological_and_other_eras(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text, start, end, method", [
    ("Late 18thC-early 19thC", 1766, 1832, "century"),   # British Museum forms
    ("19thC(late)", 1866, 1899, "century"),
    ("ca. 1850 (made)", 1845, 1855, "year"),             # V&A form
    ("1850 (designed), 1860 (made)", 1850, 1860, "range"),
])
def test_museum_catalogue_forms(text, start, end, method):
    check(text, start, end, method)


@pytest.mark.parametrize("text", ["1850 (made), 1900 (altered)", "ca. 1850 (made), restored 1920"])
def test_a_later_change_is_never_spanned_into_the_date(text):
    check(text, None, None, "unparsed")


@pytest.mark.parametrize("text, start, end, method", [
    # "from" says when an object dates from; only "from 1850" alone opens a span
    ("from the Edo period", 1603, 1867, "period"),
    ("from the 18th century", 1700, 1799, "century"),
    ("dating from 1850", 1850, 1850, "year"),
    ("from 1850", 1850, None, "open"),
    ("from the 18th century onwards", 1700, None, "open"),
])
def test_from_dates_an_object_unless_it_opens_a_span(text, start, end, method):
    check(text, start, end, method)


# ---------------------------------------------------------------------------------------------
# The objects schema takes the oldest made objects (Jomon pottery, Palaeolithic tools)
# ---------------------------------------------------------------------------------------------

def test_a_jomon_object_imports_with_its_period(fresh_store, tmp_path):
    """Jomon pottery (from about 14000 BCE) was refused by a floor of -10000; it imports now, its
    years read from the name by the gazetteer, and an explicit Palaeolithic year is kept."""
    import duckdb

    from asemus_data.importer import import_file

    inst = duckdb.connect(str(fresh_store), read_only=True).execute(
        "SELECT min(id) FROM institutions").fetchone()[0]
    src = tmp_path / "jomon.csv"
    src.write_text("id,institution_id,title,date_text,period_start,period_end,category,source\n"
                   f"jomon-1,{inst},Deep bowl with cord markings,Jōmon period,,,ceramics,hand-made\n"
                   f"hand-axe-1,{inst},Hand axe,c. 500000 BP,-498050,-498050,archaeology,hand-made\n",
                   encoding="utf-8")
    res = import_file(src, "objects", store=fresh_store)
    assert res.rows_written == 2
    periods = pd.read_csv(PROJECT / "data" / "periods.csv", dtype=str, keep_default_na=False)
    jomon = periods[periods["name"] == "Jomon period"].iloc[0]
    c = duckdb.connect(str(fresh_store), read_only=True)
    try:
        got = {r[0]: r[1:] for r in c.execute(
            "SELECT id, period_start, period_end FROM objects "
            "WHERE id IN ('jomon-1', 'hand-axe-1')").fetchall()}
    finally:
        c.close()
    assert int(jomon["start"]) < -10000
    assert got == {"jomon-1": (int(jomon["start"]), int(jomon["end"])),
                   "hand-axe-1": (-498050, -498050)}


def test_a_year_older_than_any_made_object_is_refused(tmp_path):
    from asemus_data.schemas import OLDEST_YEAR
    from asemus_data.validate import validate_frame

    frame = pd.DataFrame({"institution_id": ["x"], "title": ["t"], "source": ["s"],
                          "period_start": [OLDEST_YEAR - 1], "period_end": [-1000]})
    v = validate_frame(frame, "objects", file="old.csv")
    assert [(e.column, int(e.value), e.rule) for e in v.errors if e.column == "period_start"] == \
        [("period_start", OLDEST_YEAR - 1, f"must be at least {OLDEST_YEAR}")]


def test_validation_reports_uncertain_dates_with_examples():
    """The flags reach the user: validation names how many dates are uncertain and how many read
    several ways, with examples, as warnings that do not block the import, and fills each row's
    date_certainty; a certainty the file gives is kept."""
    from asemus_data.validate import validate_frame

    texts = ["1931, printed 1979", "18th-19th century", "c. 1850", "1850?", "Qing dynasty", "n.d."]
    frame = pd.DataFrame({"institution_id": "m1", "title": "t", "source": "s", "date_text": texts})
    v = validate_frame(frame, "objects", file="export.csv", known_institutions={"m1"})
    assert v.ok
    assert [t for t in texts if parse_date(t).uncertain] == ["1850?"]
    warned = [w for w in v.warnings if "uncertain" in w.rule]
    assert len(warned) == 1 and warned[0].column == "date_text"
    assert warned[0].rule.startswith("1 date(s) are uncertain") and "1850?" in warned[0].rule
    several = [w for w in v.warnings if "several readings" in w.rule]
    assert len(several) == 1 and several[0].rule.startswith("2 date(s) have several readings")
    assert "1931, printed 1979" in several[0].rule and "18th-19th century" in several[0].rule
    assert (v.date_report["uncertain"], v.date_report["readings"]) == (1, 2)
    got = [None if pd.isna(c) else c for c in v.frame["date_certainty"]]
    assert got == ["several readings", "several readings", "approximate", "uncertain",
                   "as stated", None]
    # a file that states its own years and certainty (an export) keeps them
    given = frame.assign(period_start=1931, period_end=1931, date_certainty="as stated")
    v = validate_frame(given, "objects", file="export.csv", known_institutions={"m1"})
    assert v.ok and set(v.frame["date_certainty"]) == {"as stated"}
    bad = frame.assign(date_certainty="sure")
    v = validate_frame(bad, "objects", file="export.csv", known_institutions={"m1"})
    assert not v.ok and {e.column for e in v.errors} == {"date_certainty"}


def test_benchmark_counts_flagged_misses_apart_from_silent_ones(tmp_path):
    """benchmarks.dates on a hand-made labelled file: a far miss the parser flags is not silent,
    one it does not flag is, and objects weigh each text."""
    from benchmarks import dates as bench

    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "date_text,earliest_year,latest_year,objects_with_these_years,objects_with_this_text\n"
        "1850,1850,1850,6,6\n"                      # right
        "\"1931, printed 1979\",1931,1931,3,3\n"    # far, flagged (read two ways)
        "c. 1800 BCE,-1900,-1700,1,1\n", encoding="utf-8")  # far, not flagged: silent
    scored = bench.score(bench.load(labelled))
    per_object = bench.summary(scored, bench.OBJECTS)
    assert per_object["objects"] == 10
    assert per_object["off>25 %"] == pytest.approx(40.0)
    assert per_object["off>25 silent %"] == pytest.approx(10.0)
    assert per_object["off>25 flagged %"] == pytest.approx(30.0)
    assert per_object["flagged several readings %"] == pytest.approx(30.0)
    assert per_object["flagged uncertain %"] == pytest.approx(0.0)
    assert per_object["both within 1 %"] == pytest.approx(60.0)
    per_text = bench.summary(scored)
    assert per_text["off>25 silent %"] == pytest.approx(100 / 3)


# --- the certainty reaches the store, the exports and the pages (review finding 3) -------------
CERTAIN_TEXTS = {"cert-1": "1931, printed 1979", "cert-2": "18th-19th century",
                 "cert-3": "c. 1850", "cert-4": "1850?", "cert-5": "Qing dynasty",
                 "cert-6": "blue and white"}


def _objects_csv(path, inst: str) -> Path:
    rows = "".join(f'{i},{inst},Object {i},"{t}",ceramics,hand-made\n' for i, t in CERTAIN_TEXTS.items())
    path.write_text("id,institution_id,title,date_text,category,source\n" + rows, encoding="utf-8")
    return path


def _certainty(store_path) -> dict:
    import duckdb
    with duckdb.connect(str(store_path), read_only=True) as c:
        return dict(c.execute("SELECT id, date_certainty FROM objects WHERE id LIKE 'cert-%'")
                    .fetchall())


def test_date_certainty_is_stored_exported_and_imported_again(fresh_store, built_store, tmp_path):
    """Each imported object keeps how sure its years are; the records download carries it and
    imports again unchanged."""
    import shutil

    import duckdb

    from asemus_data import collections_map as cm
    from asemus_data import export
    from asemus_data.filters import Filters
    from asemus_data.importer import import_file

    with duckdb.connect(str(fresh_store), read_only=True) as c:
        inst = c.execute("SELECT min(id) FROM institutions").fetchone()[0]
        builtin = dict(c.execute("SELECT id, date_certainty FROM objects WHERE "
                                 "date_certainty IS NOT NULL AND status <> 'imported'").fetchall())
    # built-in rows: set only where the years are read from the text (data/objects.csv gives no
    # period_start), blank where the file gives the years
    shipped = pd.read_csv(PROJECT / "data" / "objects.csv", dtype=str)
    read = shipped[shipped["period_start"].isna() & shipped["date_text"].notna()]
    assert builtin == {i: parse_date(t).certainty for i, t in zip(read["id"], read["date_text"])
                       if parse_date(t).certainty}
    import_file(_objects_csv(tmp_path / "objects.csv", inst), "objects", store=fresh_store)
    expected = {i: parse_date(t).certainty for i, t in CERTAIN_TEXTS.items()}
    assert expected == {"cert-1": "several readings", "cert-2": "several readings",
                        "cert-3": "approximate", "cert-4": "uncertain", "cert-5": "as stated",
                        "cert-6": None}
    assert _certainty(fresh_store) == expected
    with duckdb.connect(str(fresh_store), read_only=True) as c:
        rec = cm.records(c, Filters(), "objects")
    rec = rec[rec["id"].str.startswith("cert-")]
    assert "date_certainty" in rec.columns   # the Collections map's records table and download
    again = tmp_path / "again.duckdb"
    shutil.copyfile(built_store, again)
    (tmp_path / "export.csv").write_bytes(export.csv_bytes(rec, "test export"))
    import_file(tmp_path / "export.csv", "objects", store=again)
    assert _certainty(again) == expected


def test_a_store_from_before_the_column_gains_it_on_the_next_write(fresh_store, tmp_path):
    """No schema version: create_tables adds every column the schemas gained, and
    store._missing_columns makes the next write (or ensure) bring an older store up to date."""
    import duckdb

    from asemus_data import store
    from asemus_data.importer import import_file

    with duckdb.connect(str(fresh_store)) as c:
        c.execute("DROP VIEW IF EXISTS holdings")
        c.execute("ALTER TABLE objects DROP COLUMN date_certainty")
        c.execute(store.HOLDINGS_VIEW)
        inst = c.execute("SELECT min(id) FROM institutions").fetchone()[0]
        assert store._missing_columns(c)
    import_file(_objects_csv(tmp_path / "objects.csv", inst), "objects", store=fresh_store)
    assert _certainty(fresh_store)["cert-2"] == "several readings"


def test_cards_and_detail_name_several_readings_and_uncertain(fresh_store, tmp_path):
    import duckdb

    from asemus_data import masterpieces as mp
    from asemus_data.filters import Filters
    from asemus_data.importer import import_file

    with duckdb.connect(str(fresh_store), read_only=True) as c:
        inst = c.execute("SELECT min(id) FROM institutions").fetchone()[0]
    import_file(_objects_csv(tmp_path / "objects.csv", inst), "objects", store=fresh_store)
    with duckdb.connect(str(fresh_store), read_only=True) as c:
        page = mp.page(c, Filters(), mp.Query(text="Object cert-"), 1, size=100)
        cards = {x["id"]: x for x in mp.cards(page)}
        detail = mp.detail_rows(mp.detail(c, "cert-2"))
    assert set(cards) == set(CERTAIN_TEXTS)
    assert cards["cert-1"]["when"] == "1931, printed 1979 (several readings)"
    assert cards["cert-1"]["certainty"] == "several readings"
    assert cards["cert-4"]["when"] == "1850? (uncertain)" and cards["cert-4"]["certainty"] == "uncertain"
    assert cards["cert-3"]["when"] == "c. 1850" and cards["cert-3"]["certainty"] is None
    assert cards["cert-5"]["certainty"] is None and "(" not in cards["cert-5"]["when"]
    assert dict(zip(detail["field"], detail["value"]))["Date certainty"] == "several readings"
