"""Where institutions are and what is known about them: the register columns (Asian collections,
domains, coordinate source) and the region rule for overseas territories."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from asemus_data import geo
from asemus_data.validate import validate_frame

DATA = Path(__file__).resolve().parents[1] / "data"


def _inst(**cols) -> pd.DataFrame:
    base = dict(id=["musee-a"], name=["Musée A"], country=["France"], city=["Lyon"])
    base.update({k: [v] for k, v in cols.items()})
    return pd.DataFrame(base)


# --- the register columns --------------------------------------------------------------------
def test_asian_collections_defaults_to_unknown_and_keeps_stated_values():
    v = validate_frame(pd.concat([_inst(), _inst(id="musee-b", asian_collections="yes",
                                                 asian_collections_source="Muséofile M5055",
                                                 domains="Archéologie;Asie")], ignore_index=True),
                       "institutions")
    assert v.ok, v.errors
    assert v.frame["asian_collections"].tolist() == ["unknown", "yes"]
    assert v.frame["domains"].tolist()[1] == "Archéologie;Asie"
    assert v.frame["asian_collections_source"].tolist()[1] == "Muséofile M5055"


def test_asian_collections_refuses_other_values_naming_row_column_and_value():
    v = validate_frame(_inst(asian_collections="maybe"), "institutions", file="reg.csv")
    assert not v.ok
    e = v.errors[0]
    assert (e.file, e.row, e.column, e.value) == ("reg.csv", 2, "asian_collections", "maybe")
    assert "allowed" in e.rule and "unknown" in e.rule


def test_geocoded_rows_name_geonames_and_given_coordinates_keep_their_stated_source():
    v = validate_frame(pd.concat([
        _inst(),
        _inst(id="musee-b", latitude="45.76", longitude="4.83",
              coordinate_source="Muséofile register coordinates")], ignore_index=True),
        "institutions")
    assert v.ok, v.errors
    assert v.frame["coordinate_source"].tolist() == [geo.GEONAMES_SOURCE,
                                                     "Muséofile register coordinates"]


def test_builtin_institutions_name_their_coordinate_source():
    """Independent of the code: read the CSV and check every geocoded row says GeoNames."""
    raw = pd.read_csv(DATA / "institutions.csv", dtype=str, keep_default_na=False)
    placed = raw[raw.latitude != ""]
    assert len(placed) == len(raw) > 0
    assert (placed.coordinate_source == "GeoNames city centroid").all()
    assert set(raw.asian_collections) == {"unknown"}  # no fact file states it


def test_store_has_the_new_columns(con):
    cols = {r[0] for r in con.execute("DESCRIBE institutions").fetchall()}
    assert {"asian_collections", "asian_collections_source", "domains",
            "coordinate_source"} <= cols
    n = con.execute("SELECT count(*) FROM institutions WHERE coordinate_source IS NULL").fetchone()[0]
    assert n == 0


@pytest.mark.parametrize("col", ["asian_collections", "asian_collections_source", "domains",
                                 "coordinate_source"])
def test_new_columns_are_documented(col):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert f"| `{col}` |" in doc


# --- captions name the coordinate source of the rows they describe --------------------------
def _rows(*specs) -> pd.DataFrame:
    return pd.DataFrame([dict(latitude=lat, longitude=1.0, coordinate_source=src)
                         for lat, src in specs])


def test_coordinate_sources_counted_over_the_placed_rows():
    rows = _rows(*[(1.0, "GeoNames city centroid")] * 3,
                 *[(2.0, "Muséofile register coordinates")] * 2,
                 (3.0, None), (4.0, "  "),
                 (None, "Muséofile register coordinates"))  # not placed: not drawn, not counted
    assert geo.coordinate_sources_text(rows) == (
        "Positions: GeoNames city centroid (3), Muséofile register coordinates (2), "
        "source not stated (2).")
    assert geo.coordinate_sources_text(rows.iloc[:3]) == "Positions: GeoNames city centroid (all 3)."
    assert geo.coordinate_sources_text(rows.iloc[:1]) == "Positions: GeoNames city centroid (1)."
    assert geo.coordinate_sources_text(rows.iloc[-1:]) == ""
    assert geo.coordinate_sources_text(rows.drop(columns="coordinate_source").iloc[:2]) == \
        "Positions: source not stated (all 2)."


def test_collections_map_caption_names_register_coordinates(fresh_store, tmp_path):
    """A museum imported with the register's own coordinates: the map's caption counts it under
    that source, beside the built-in GeoNames positions (before: 'City-level positions
    (GeoNames)' for every row)."""
    import duckdb

    from asemus_data import collections_map as cm
    from asemus_data import importer
    from asemus_data.figures import maps
    from asemus_data.filters import Filters
    inst = tmp_path / "inst.csv"
    inst.write_text("id,name,city,country,latitude,longitude,coordinate_source\n"
                    "musee-reg,Musée du Registre,Lyon,France,45.7640,4.8357,"
                    "Muséofile register coordinates\n", encoding="utf-8")
    objs = tmp_path / "objs.csv"
    objs.write_text("id,institution_id,title,origin_country\nr-1,musee-reg,Bol,China\n",
                    encoding="utf-8")
    importer.import_file(inst, "institutions", store=fresh_store)
    importer.import_file(objs, "objects", store=fresh_store)
    con = duckdb.connect(str(fresh_store), read_only=True)
    try:
        d = cm.map_data(con, Filters())
        placed = con.execute("SELECT coordinate_source, count(*) FROM institutions i WHERE "
                             "latitude IS NOT NULL AND EXISTS (SELECT 1 FROM holdings h "
                             "WHERE h.institution_id = i.id) GROUP BY 1").fetchall()
    finally:
        con.close()
    counts = dict(placed)
    assert counts["Muséofile register coordinates"] == 1
    text = maps.positions_text(d, ("museums",))
    assert text == (f"Positions: GeoNames city centroid ({counts['GeoNames city centroid']}), "
                    "Muséofile register coordinates (1).")
    assert maps.positions_text(d, ("flows",)).endswith(
        "Origins: a point inside each country of origin (Natural Earth).")
    assert maps.positions_text(d, ()) == ""
