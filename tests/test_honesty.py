"""Honesty of the built-in data: no invented holdings on a real name that has none, and a
qualified figure keeps its qualifier."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from asemus_data import illustrative

DATA = Path(__file__).resolve().parents[1] / "data"

#: Real institutions with no documented Asian collections: a contemporary art museum, an arts
#: centre (a venue), a science museum, a natural history museum, university departments, a
#: heritage board, an intergovernmental body.
NO_HOLDINGS = ["guggenheim-bilbao", "bozar", "national-science-museum-tokyo",
               "natural-history-museum-london", "silpakorn-university",
               "national-heritage-board-singapore", "iccrom", "national-museum-institute-india"]


def documented_holders_from_file() -> set[str]:
    """Independent of the generator: the rows of data/institutions.csv that say 'yes' and cite
    a URL for it."""
    inst = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    ok = (inst.asian_collections == "yes") & inst.asian_collections_source.str.startswith("http")
    return set(inst.loc[ok, "id"])


def test_illustrative_holdings_only_on_documented_holders(con):
    with_holdings = {r[0] for r in con.execute(
        "SELECT DISTINCT institution_id FROM collections WHERE status = 'illustrative'").fetchall()}
    holders = documented_holders_from_file()
    assert with_holdings, "the illustrative layer still shows what a collection looks like"
    assert with_holdings <= holders, with_holdings - holders
    assert with_holdings == holders  # every documented holder is drawn


@pytest.mark.parametrize("iid", NO_HOLDINGS)
def test_named_counter_examples_get_none(con, iid):
    assert con.execute("SELECT count(*) FROM institutions WHERE id = ?", [iid]).fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM collections WHERE institution_id = ?",
                       [iid]).fetchone()[0] == 0


def test_generator_needs_a_sourced_yes():
    inst = pd.DataFrame({
        "id": ["a-yes", "b-yes-no-source", "c-unknown", "d-no", "e-empty"],
        "country_code": ["FRA"] * 5, "region": ["Europe"] * 5,
        "asian_collections": ["yes", "yes", "unknown", "no", None],
        "asian_collections_source": ["https://example.org/a", "", "https://example.org/c", None, None],
    })
    out = illustrative.generate_holdings(inst)
    assert set(out.institution_id) == {"a-yes"}
    assert (out.status == "illustrative").all()
    # a table without the column (an old export) gets nothing invented either
    assert illustrative.generate_holdings(inst.drop(columns=["asian_collections"])).empty
    # synthetic stores (invented names) ask for every institution
    every = illustrative.generate_holdings(inst, documented_only=False)
    assert set(every.institution_id) == set(inst.id)


def test_every_yes_cites_a_public_page():
    inst = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    yes = inst[inst.asian_collections == "yes"]
    assert len(yes) > 0
    assert yes.asian_collections_source.str.match(r"https?://").all()
    assert set(inst.asian_collections) <= {"yes", "unknown"}  # no source says 'no'


# --- qualifiers everywhere -----------------------------------------------------------------------
from asemus_data import exhibitions as ex  # noqa: E402
from asemus_data import vocab  # noqa: E402


def test_fmt_figure_keeps_the_word_and_rounds_the_way_that_keeps_it_true():
    assert ex.fmt_figure(60000, "over") == "over 60,000"
    assert ex.fmt_figure(1000, "approximately") == "approximately 1,000"
    assert ex.fmt_figure(215.7, "over") == "over 215"        # not 'over 216': false
    assert ex.fmt_figure(215.7, "at least") == "at least 215"
    assert ex.fmt_figure(99.2, "up to") == "up to 100"       # not 'up to 99': false
    assert ex.fmt_figure(333.3, "nearly") == "nearly 334"
    assert ex.fmt_figure(215.7, "exact") == "216"
    assert ex.fmt_figure(20000, "more than") == "over 20,000"
    assert ex.fmt_figure(20, "exact as stated") == "20"


@pytest.mark.parametrize("q", [q for q in vocab.QUALIFIERS if q != "exact"])
def test_every_qualifier_survives_the_derived_figure(q):
    days = 93
    shown = ex.fmt_figure(ex.per_day(20000, days, q), q)
    assert shown.startswith(q + " "), shown
    n = int(shown.rsplit(" ", 1)[1].replace(",", ""))
    x = 20000 / days
    if q in ("over", "at least"):
        assert n <= x
    elif q in ("up to", "nearly"):
        assert n >= x


def test_nearly_per_day_rounds_up():
    assert ex.per_day(1000, 3, "nearly") == 334
    assert ex.per_day(1000, 3, "over") == 333


def _tables(con):
    return (con.execute("SELECT * FROM exhibitions").df(),
            con.execute("SELECT * FROM exhibition_venues").df())


def test_visitor_table_keeps_over_60000(con):
    exhibitions, venues = _tables(con)
    vt = ex.visitor_table(exhibitions, venues)
    row = vt[vt["title"].str.startswith("Self and Other")].iloc[0]
    assert row["visitors_text"] == "over 60,000"
    assert row["per_day_text"].startswith("over ")
    # independent: the file's figure and qualifier, read with pandas
    f = pd.read_csv(DATA / "exhibitions.csv", dtype=str, keep_default_na=False).set_index("id")
    assert (float(f.at["self-and-other", "visitors"]), f.at["self-and-other", "visitors_qualifier"]) \
        == (60000.0, "over")


def test_passage_to_asia_countries_conflict_is_shown(con):
    exhibitions, venues = _tables(con)
    d = ex.exhibition_detail("a-passage-to-asia", exhibitions, venues,
                             con.execute("SELECT * FROM exhibition_participants").df(),
                             con.execute("SELECT * FROM institutions").df())
    notes = d["facts"]["Notes"]
    assert "'over 20 countries'" in notes and "'20 countries'" in notes
    assert d["facts"]["Visitors"].startswith("over 20,000")


def _unquoted(text: str) -> str:
    """Text without the quotations of a source ('seen by 60,000 visitors' is culture360's wording,
    quoted and attributed)."""
    import re
    return re.sub(r"(?<![A-Za-z])'[^']*'(?![A-Za-z])", "", text)


def test_exhibitions_page_shows_over_60000(built_store, monkeypatch, clear_streamlit_caches):
    import re

    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("ASEMUS_STORE", str(built_store))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/exhibitions.py").run()
    assert not at.exception
    texts = [e.value for kind in ("caption", "markdown", "info") for e in getattr(at, kind)]
    texts += [d.value.astype(str).to_string() for d in at.dataframe]
    shown = "\n".join(texts)
    assert "drew over 60,000 visitors" in shown
    assert re.search(r"over 60,000\s", shown)
    for t in texts:
        for m in re.finditer(r"60,000", _unquoted(t)):
            before = _unquoted(t)[max(0, m.start() - 5):m.start()]
            assert before == "over ", _unquoted(t)[max(0, m.start() - 60):m.end() + 20]


# --- python -m asemus_data info --------------------------------------------------------------------
def test_info_prints_status_counts_sources_and_licences(built_store, capsys):
    from asemus_data import cli
    assert cli.main(["info", "--store", str(built_store)]) == 0
    out = capsys.readouterr().out
    inst = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if line.split()[:1] == ["institutions"])
    # the fact set's rows plus the shipped Muséofile museums it did not know (French open data)
    reg = pd.read_csv(DATA / "institutions_museofile.csv", dtype=str, keep_default_na=False)
    new = reg[~reg.id.isin(set(inst.id))]
    assert f"documented: {len(inst) + len(new)}" in lines[i]
    assert f"sources: {pd.concat([inst.source, new.source]).nunique()} distinct: " \
        f"data.culture.gouv.fr {len(new)}, asemus.museum " in lines[i + 1]
    assert "licences: Licence Ouverte / Etalab 2.0" in lines[i + 1]
    v = next(k for k, line in enumerate(lines) if line.split()[:1] == ["visitor_stats"])
    visits = pd.read_csv(DATA / "visitor_stats.csv", dtype=str, keep_default_na=False)
    assert f"documented: {len(visits):,}" in lines[v]
    assert "licences: Licence Ouverte / Etalab 2.0" in lines[v + 1]
    c = next(k for k, line in enumerate(lines) if line.split()[:1] == ["collections"])
    assert "illustrative:" in lines[c] and "Illustrative, not real" in lines[c + 1]


def test_info_names_the_licences_a_source_states():
    import duckdb

    from asemus_data.cli import _sources_line
    con = duckdb.connect()
    con.execute("CREATE TABLE t (source VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [
        ["Ministère de la Culture, base Muséofile (Licence Ouverte / Etalab 2.0)"]] * 3
        + [["https://www.asef.org/x"], ["https://asef.org/y"], ["http://asemus.museum/z"]])
    line = _sources_line(con, "t")
    assert "sources: 4 distinct" in line and "asef.org 2" in line
    assert line.rstrip().endswith("licences: Licence Ouverte / Etalab 2.0")
    listed = _sources_line(con, "t", show_all=True).splitlines()[1:]
    assert len(listed) == 4 and listed[0].split()[0] == "3"


def test_visitors_per_day_chart_states_its_assumption_and_cuts_no_word(con):
    """The chart (and so every picture the pack exports of it) says how many opening days a week
    the figures assume; a long title is cut at a word, never mid-word ('Europ')."""
    from asemus_data import exhibitions as ex
    from asemus_data.figures import exhibitions as fx
    exh = con.execute("SELECT * FROM exhibitions").df()
    ven = con.execute("SELECT * FROM exhibition_venues").df()
    fig = fx.visitors_figure(ex.visitor_table(exh, ven, days_per_week=5, closures=2))
    said = "assuming 5 opening days a week and 2 closures per run"
    assert said in fig.layout.title.text and said in fig.layout.xaxis.title.text
    assert "assuming 6 opening days a week" in fx.visitors_figure(
        ex.visitor_table(exh, ven)).layout.title.text
    titles = set(exh["title"])
    for label in fig.data[0].y:
        shown = label.rsplit(" (", 2)[0] if label.count(" (") > 1 else label.rsplit(" (", 1)[0]
        assert shown in titles or (shown.endswith("…") and any(
            t.startswith(shown[:-1]) and t[len(shown) - 1] == " " for t in titles)), label
