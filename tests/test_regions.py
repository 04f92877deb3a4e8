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
    assert set(raw.asian_collections) <= {"yes", "no", "unknown"}
    stated = raw[raw.asian_collections != "unknown"]
    assert (stated.get("asian_collections_source", pd.Series("", index=stated.index)) != "").all(), \
        "a stated yes/no needs its source"


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
        # the map also draws, as rings, the institutions stated to hold Asian collections that
        # have no holdings yet (data/ ships 88 from the Muséofile register)
        rings = con.execute("SELECT count(*) FROM institutions i WHERE latitude IS NOT NULL AND "
                            "asian_collections = 'yes' AND coordinate_source = 'Muséofile "
                            "register coordinates' AND NOT EXISTS (SELECT 1 FROM holdings h "
                            "WHERE h.institution_id = i.id)").fetchone()[0]
    finally:
        con.close()
    counts = dict(placed)
    # the imported museum and the musée Guimet (a holder; data/ ships its register coordinates)
    assert counts["Muséofile register coordinates"] == 2
    text = maps.positions_text(d, ("museums",))
    assert rings == 88
    assert text == (f"Positions: Muséofile register coordinates ({2 + rings}), "
                    f"GeoNames city centroid ({counts['GeoNames city centroid']}).")
    assert maps.positions_text(d, ("flows",)).endswith(
        "Origins: a point inside each country of origin (Natural Earth).")
    assert maps.positions_text(d, ()) == ""


# --- overseas territories get their real region ----------------------------------------------
REGISTER = Path(__file__).resolve().parents[2] / "shared" / "open_data" / "musees-de-france-museofile.csv"


@pytest.mark.parametrize("state, lat, lon, territory, region", [
    ("FRA", -20.8789, 55.4481, "REU", "other"),    # Saint-Denis, La Réunion
    ("FRA", -21.2677, 55.4118, "REU", "other"),    # Saint-Louis, La Réunion
    ("FRA", 16.2364, -61.5359, "GLP", "other"),    # Pointe-à-Pitre
    ("FRA", 14.6033, -61.0687, "MTQ", "other"),    # Fort-de-France
    ("FRA", 4.9416, -52.3284, "GUF", "other"),     # Cayenne
    ("FRA", 5.1663, -52.6504, "GUF", "other"),     # Régina (a village, 100 km from Cayenne)
    ("FRA", -12.7742, 45.2827, "MYT", "other"),    # Dzaoudzi, Mayotte
    ("FRA", 46.7773, -56.1758, "SPM", "other"),    # Saint-Pierre
    ("FRA", -17.5350, -149.5696, "PYF", "other"),  # Papeete
    ("FRA", -22.2758, 166.4580, "NCL", "other"),   # Nouméa
    ("FRA", 41.9192, 8.7386, None, "Europe"),      # Ajaccio: Corsica is France
    ("FRA", 48.8566, 2.3522, None, "Europe"),
    ("ESP", 28.1235, -15.4363, None, "Europe"),    # Las Palmas: no ISO 3166-1 code of its own
    ("PRT", 32.6669, -16.9241, None, "Europe"),    # Funchal, Madeira: likewise
    ("NLD", 12.5186, -70.0358, "ABW", "other"),    # Oranjestad, Aruba
    ("GBR", 36.1408, -5.3536, "GIB", "Europe"),    # Gibraltar: a territory in Europe
    ("CHN", 22.2783, 114.1747, "HKG", "Asia"),
    ("FRA", None, None, None, "Europe"),           # no coordinates: the state's region
])
def test_region_of_place(state, lat, lon, territory, region):
    assert geo.territory_at(state, lat, lon) == territory
    assert geo.region_of_place(state, lat, lon) == region


@pytest.mark.skipif(not REGISTER.exists(), reason="Muséofile register not beside the project")
def test_register_overseas_museums_are_not_europe():
    """Every museum of the French register, by its own coordinates: the rule agrees with an
    independent mark, the postal code (97xxx / 98xxx: overseas)."""
    reg = pd.read_csv(REGISTER, sep=";", dtype=str, keep_default_na=False)
    reg = reg[(reg.latitude != "") & (reg.longitude != "")]
    overseas = reg.cp_m.str.match(r"^9[78]\d{3}$")
    got = [geo.region_of_place("FRA", float(a), float(b)) for a, b in zip(reg.latitude, reg.longitude)]
    got = pd.Series(got, index=reg.index)
    assert overseas.sum() >= 20
    assert (got[overseas] == "other").all(), reg[overseas & (got != "other")][["ref", "ville_m"]]
    assert (got[~overseas] == "Europe").all(), reg[~overseas & (got != "Europe")][["ref", "ville_m"]]


def test_import_derives_the_territory_region_and_keeps_a_stated_one():
    df = pd.DataFrame(dict(
        id=["dierx", "stated", "ajaccio", "reunion-country"],
        name=["Musée Léon Dierx", "Stated Region", "Musée Fesch", "Musée de Réunion"],
        city=["Saint-Denis", "Saint-Denis", "Ajaccio", None],
        country=["France", "France", "France", "Réunion"],
        latitude=["-20.8789", "-20.8789", None, None],
        longitude=["55.4481", "55.4481", None, None],
        region=[None, "Europe", None, None]))
    v = validate_frame(df, "institutions")
    assert v.ok, v.errors
    got = dict(zip(v.frame.id, zip(v.frame.country_code, v.frame.region)))
    assert got == {"dierx": ("FRA", "other"), "stated": ("FRA", "Europe"),
                   "ajaccio": ("FRA", "Europe"), "reunion-country": ("REU", "other")}
