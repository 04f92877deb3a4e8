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
