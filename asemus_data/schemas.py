"""One pandera schema per table. The schemas are the single source of truth for column names,
types, allowed values, descriptions (shown in the survey template and the README) and examples.

Every table carries ``source`` (URL or citation) and ``status`` (documented / imported /
illustrative / synthetic).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series

from . import vocab
from .dates import CERTAINTIES
from .tables import DATE_YEARS  # defined there: pages read it without loading pandera

PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: Upper bound of every count (visitors, objects, participants, members): far above any real
#: figure, far below the 64-bit integers the store holds.
MAX_COUNT = 10**9
_SLUG = r"^[a-z0-9][a-z0-9\-_.]*$"


def calendar_date(value, *, min_year: int, max_year: int) -> bool:
    """A partial date (yyyy, yyyy-mm, yyyy-mm-dd) that exists and lies within the years; a
    pandera check (``Field(calendar_date=...)``). Text of another shape passes here:
    ``str_matches`` reports it, once."""
    if not re.match(PARTIAL_DATE, str(value)):
        return True
    parts = [int(p) for p in str(value).split("-")]
    year, month, day = (parts + [1, 1])[:3]
    if not min_year <= year <= max_year:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


if not hasattr(pa.Check, "calendar_date"):  # registering twice raises (module reloads in tests)
    extensions.register_check_method(statistics=["min_year", "max_year"],
                                      check_type="element_wise")(calendar_date)


def _date_checks() -> dict:
    """Field keywords of a partial-date column: its shape, then a real date in DATE_YEARS."""
    return {"str_matches": PARTIAL_DATE,
            "calendar_date": {"min_year": DATE_YEARS[0], "max_year": DATE_YEARS[1]}}


def _f(description: str, example=None, **kw):
    """A pandera Field whose description and example feed the template and the docs."""
    return pa.Field(description=description, metadata={"example": example}, **kw)


class _Provenance(pa.DataFrameModel):
    source: Series[str] = _f("Where the row comes from: a URL or a citation.",
                             "https://asemus.museum/...", str_length={"min_value": 1})
    status: Series[str] = _f("Provenance of the row: " + ", ".join(vocab.STATUSES) + ".",
                             "imported", isin=list(vocab.STATUSES))

    class Config:
        coerce = True
        strict = False


class Institutions(_Provenance):
    id: Series[str] = _f("Stable identifier (lowercase, digits, hyphens).", "musee-exemple",
                         unique=True, str_matches=_SLUG)
    name: Series[str] = _f("Name in English (or as used by the institution).", "Musée Exemple",
                           str_length={"min_value": 1})
    name_local: Series[str] | None = _f("Name in local language/script, where known.", "示例博物馆",
                                          nullable=True)
    alt_names: Series[str] | None = _f("Other names used in sources, separated by ';'.", "",
                                         nullable=True)
    city: Series[str] | None = _f("City.", "Paris", nullable=True)
    country_code: Series[str] = _f("ISO 3166 alpha-3 code (derived from 'country' on import).", "FRA",
                                   str_matches=r"^[A-Z]{3}$")
    country: Series[str] = _f("Country name or ISO code.", "France")
    region: Series[str] = _f("Asia, Europe or other (ASEM grouping; derived if empty). A place "
                             "in an overseas territory with its own ISO 3166-1 code takes the "
                             "territory's region even when listed under its state: Réunion, "
                             "Guadeloupe, Martinique, French Guiana, Mayotte, French Polynesia, "
                             "New Caledonia are 'other' (rule: the nearest GeoNames place to the "
                             "coordinates; asemus_data.geo.region_of_place).", "Europe",
                             isin=list(vocab.REGIONS))
    latitude: Series[float] = _f("Latitude in degrees (WGS84); geocoded offline from the city if empty.",
                                 48.8566, ge=-90, le=90, nullable=True)
    longitude: Series[float] = _f("Longitude in degrees (WGS84).", 2.3522, ge=-180, le=180,
                                  nullable=True)
    coord_precision: Series[str] | None = _f("exact, city (city centre from GeoNames) or unknown.",
                                               "city", isin=["exact", "city", "unknown"],
                                               nullable=True)
    type: Series[str] = _f("Institution type: " + ", ".join(vocab.INSTITUTION_TYPES) + ".", "public",
                           isin=list(vocab.INSTITUTION_TYPES))
    member_status: Series[str] = _f("ASEMUS membership: " + ", ".join(vocab.MEMBER_STATUSES) + ".",
                                    "member", isin=list(vocab.MEMBER_STATUSES))
    year_joined: Series[pd.Int64Dtype] = _f("Year the institution joined ASEMUS, where known.", 2015,
                                            ge=1996, le=2100, nullable=True)
    role: Series[str] | None = _f("Documented ASEMUS role(s).", "", nullable=True)
    website: Series[str] | None = _f("Website.", "https://www.example.museum", nullable=True)
    membership_evidence: Series[str] | None = _f("How the membership is known.", "",
                                                    nullable=True)
    location_note: Series[str] | None = _f("Where the location comes from when the source did "
                                              "not state it.", "", nullable=True)
    coordinate_source: Series[str] | None = _f("Where latitude and longitude come from, e.g. "
                                                  "'GeoNames city centroid' or 'Muséofile register "
                                                  "coordinates'.", "GeoNames city centroid",
                                                  nullable=True)
    asian_collections: Series[str] | None = _f("Whether the institution holds Asian collections: "
                                                  + ", ".join(vocab.ASIAN_COLLECTIONS) + " (empty "
                                                  "means unknown).", "unknown",
                                                  isin=list(vocab.ASIAN_COLLECTIONS), nullable=True,
                                                  default="unknown")
    asian_collections_source: Series[str] | None = _f("Where the asian_collections statement "
                                                         "comes from: a URL or a citation.", "",
                                                         nullable=True)
    domains: Series[str] | None = _f("Collection domains as a register states them, separated "
                                        "by ';'.", "Archéologie;Asie;Beaux-Arts", nullable=True)
    source_extra: Series[str] | None = _f("A second source.", "", nullable=True)


#: The oldest year an object's period may name: the oldest known made objects, the stone tools of
#: Lomekwi 3, Kenya, are 3.3 million years old (Harmand et al., Nature 521, 2015), so Palaeolithic
#: tools and Jomon pottery (from about 14000 BCE) import; only a slip of the keyboard is refused.
OLDEST_YEAR = -3_300_000


class _Period(pa.DataFrameModel):
    period_start: Series[pd.Int64Dtype] = _f("First year (negative for BCE); parsed from date_text if empty.",
                                             1644, ge=OLDEST_YEAR, le=2100, nullable=True)
    period_end: Series[pd.Int64Dtype] = _f("Last year (negative for BCE).", 1912, ge=OLDEST_YEAR,
                                           le=2100, nullable=True)
    date_text: Series[str] | None = _f("The date as written by the museum, kept verbatim.",
                                         "Qing dynasty, Kangxi period", nullable=True)
    date_certainty: Series[str] | None = _f(
        "How sure the years are: " + ", ".join(CERTAINTIES) + ". 'as stated': the years the text "
        "states; 'approximate': circa, the years include the margin; 'several readings': a "
        "certain text that collections turn into years in different ways ('18th-19th century', "
        "'1931, printed 1979'), the years span every reading; 'uncertain': the text itself doubts "
        "the date ('?', 'probably'). Set on import from date_text when the years are read from "
        "it; blank when the file gives its years without saying.", "as stated",
        isin=list(CERTAINTIES), nullable=True)

    class Config:
        coerce = True
        strict = False


class Collections(_Provenance, _Period):
    id: Series[str] = _f("Identifier (generated on import if empty).", "col-0001", unique=True)
    institution_id: Series[str] = _f("The holding institution's id.", "musee-exemple")
    title: Series[str] = _f("Title of the collection or holding.", "Chinese export porcelain")
    origin_culture: Series[str] | None = _f("Culture of origin.", "Chinese", nullable=True)
    origin_country_code: Series[str] = _f("ISO alpha-3 of the country of origin (derived from "
                                          "'origin_country').", "CHN", nullable=True,
                                          str_matches=r"^[A-Z]{3}$")
    origin_country: Series[str] = _f("Country of origin (name or ISO code).", "China", nullable=True)
    category: Series[str] = _f("Category: " + ", ".join(vocab.CATEGORIES) + ".", "ceramics",
                               isin=list(vocab.CATEGORIES))
    material: Series[str] | None = _f("Main material.", "porcelain", nullable=True)
    object_count: Series[pd.Int64Dtype] = _f("Number of objects.", 120,
                                             ge=0, le=MAX_COUNT, nullable=True)
    ownership: Series[str] = _f("public or private.", "public", isin=list(vocab.OWNERSHIP))
    display: Series[str] = _f("On display, in storage, mixed or unknown.", "mixed",
                              isin=list(vocab.DISPLAY))


class Objects(_Provenance, _Period):
    id: Series[str] = _f("Identifier (inventory number; generated on import if empty).", "1999.1234",
                         unique=True)
    institution_id: Series[str] = _f("The holding institution's id.", "musee-exemple")
    title: Series[str] = _f("Title of the object.", "Dish with dragon")
    origin_culture: Series[str] | None = _f("Culture of origin.", "Chinese", nullable=True)
    origin_country_code: Series[str] = _f("ISO alpha-3 of the country of origin.", "CHN", nullable=True,
                                          str_matches=r"^[A-Z]{3}$")
    origin_country: Series[str] = _f("Country of origin (name or ISO code).", "China", nullable=True)
    category: Series[str] = _f("Category: " + ", ".join(vocab.CATEGORIES) + ".", "ceramics",
                               isin=list(vocab.CATEGORIES), nullable=True)
    material: Series[str] | None = _f("Material.", "porcelain", nullable=True)
    description: Series[str] | None = _f("Description.", "", nullable=True)
    image: Series[str] | None = _f("Local image file name (under data/images); never a remote URL.",
                                     "", nullable=True)
    in_vcm: Series[pd.BooleanDtype] = _f("Part of the Virtual Collection of Masterpieces.", True,
                                         nullable=True)


class Exhibitions(_Provenance):
    id: Series[str] = _f("Identifier.", "self-and-other", unique=True, str_matches=_SLUG)
    title: Series[str] = _f("Title.", "Self and Other: Portraits from Asia and Europe")
    type: Series[str] = _f("Type: " + ", ".join(vocab.EXHIBITION_TYPES) + ".", "joint exhibition",
                           isin=list(vocab.EXHIBITION_TYPES))
    start_date: Series[str] = _f("Opening date, yyyy-mm-dd (or yyyy-mm, yyyy).", "2008-09-11",
                                 **_date_checks(), nullable=True)
    end_date: Series[str] = _f("Closing date.", "2009-03-29", **_date_checks(), nullable=True)
    visitors: Series[pd.Int64Dtype] = _f("Visitors for the whole exhibition (all venues), where known.",
                                         60000, ge=0, le=MAX_COUNT, nullable=True)
    visitors_qualifier: Series[str] | None = _f("How exact the visitor figure is: "
                                                  + ", ".join(vocab.QUALIFIERS) + ".", "over",
                                                  isin=list(vocab.QUALIFIERS), nullable=True)
    visitors_source: Series[str] | None = _f("Source of the visitor figure when it differs from "
                                               "the row's source.", "", nullable=True)
    objects: Series[pd.Int64Dtype] = _f("Number of objects shown.", 100,
                                        ge=0, le=MAX_COUNT, nullable=True)
    objects_qualifier: Series[str] | None = _f("How exact the object count is.", "approximately",
                                                 isin=list(vocab.QUALIFIERS), nullable=True)
    objects_text: Series[str] | None = _f("The object count as the source states it.", "",
                                            nullable=True)
    lenders: Series[str] | None = _f("Lenders or countries, as stated.", "", nullable=True)
    curators: Series[str] | None = _f("Curators.", "", nullable=True)
    notes: Series[str] | None = _f("Notes.", "", nullable=True)


class ExhibitionVenues(_Provenance):
    id: Series[str] = _f("Identifier.", "self-and-other-1", unique=True)
    exhibition_id: Series[str] = _f("The exhibition's id.", "self-and-other")
    venue_order: Series[pd.Int64Dtype] = _f("Order of the venue on the tour (1, 2, ...).", 1, ge=1)
    institution_id: Series[str] = _f("The venue institution's id, where it is in the institutions table.",
                                     "", nullable=True)
    venue_name: Series[str] = _f("Venue name.", "National Museum of Ethnology")
    city: Series[str] | None = _f("City.", "Osaka", nullable=True)
    country_code: Series[str] = _f("ISO alpha-3.", "JPN", str_matches=r"^[A-Z]{3}$")
    country: Series[str] = _f("Country.", "Japan")
    latitude: Series[float] = _f("Latitude.", 34.69, ge=-90, le=90, nullable=True)
    longitude: Series[float] = _f("Longitude.", 135.50, ge=-180, le=180, nullable=True)
    start_date: Series[str] = _f("Opening date at this venue.", "2008-09-11", **_date_checks(),
                                 nullable=True)
    end_date: Series[str] = _f("Closing date at this venue.", "2008-11-25", **_date_checks(),
                               nullable=True)
    visitors: Series[pd.Int64Dtype] = _f("Visitors at this venue, where known (never a share of a "
                                         "tour total).", 20000, ge=0, le=MAX_COUNT,
                                         nullable=True)
    visitors_qualifier: Series[str] | None = _f("How exact the visitor figure is.", "exact",
                                                  isin=list(vocab.QUALIFIERS), nullable=True)
    objects: Series[pd.Int64Dtype] = _f("Objects shown at this venue.", 90,
                                        ge=0, le=MAX_COUNT, nullable=True)


class ExhibitionParticipants(_Provenance):
    exhibition_id: Series[str] = _f("The exhibition's id.", "self-and-other")
    institution_id: Series[str] = _f("A participating institution's id.", "british-museum")
    role: Series[str] = _f("Role: lead partner, co-organiser, lender, venue, partner.", "lead partner",
                           isin=["lead partner", "co-organiser", "lender", "venue", "partner"])


class Collaborations(_Provenance):
    id: Series[str] = _f("Identifier.", "collab-001", unique=True)
    institution_a: Series[str] = _f("First institution's id.", "chester-beatty-library")
    institution_b: Series[str] = _f("Second institution's id.", "islamic-arts-museum-malaysia")
    type: Series[str] = _f("Tie type: " + ", ".join(vocab.COLLABORATION_TYPES) + ".",
                           "educational exchange", isin=list(vocab.COLLABORATION_TYPES))
    programme: Series[str] | None = _f("Programme it belongs to.", "ASEMUS Educational Exchange",
                                         nullable=True)
    year_start: Series[pd.Int64Dtype] = _f("First year.", 2006, ge=1990, le=2100, nullable=True)
    year_end: Series[pd.Int64Dtype] = _f("Last year.", 2006, ge=1990, le=2100, nullable=True)
    date_text: Series[str] | None = _f("The date as stated.", "2006", nullable=True)
    persons: Series[str] | None = _f("People named for the two sides (public roles).", "",
                                       nullable=True)
    other_partners: Series[str] | None = _f("Other partners, as stated.", "", nullable=True)
    notes: Series[str] | None = _f("Notes.", "", nullable=True)


class Meetings(_Provenance):
    id: Series[str] = _f("Identifier.", "gc-2012-seoul", unique=True)
    kind: Series[str] = _f("Kind: " + ", ".join(vocab.MEETING_KINDS) + ".", "general conference",
                           isin=list(vocab.MEETING_KINDS))
    number: Series[pd.Int64Dtype] = _f("Number, where sources number it.", 5, ge=1, nullable=True)
    title: Series[str] = _f("Title or theme.", "New and Sustainable Museum Education")
    start_date: Series[str] = _f("Start date.", "2012-09-13", **_date_checks(), nullable=True)
    end_date: Series[str] = _f("End date.", "2012-09-15", **_date_checks(), nullable=True)
    year: Series[pd.Int64Dtype] = _f("Year.", 2012, ge=1990, le=2100, nullable=True)
    city: Series[str] | None = _f("City.", "Seoul", nullable=True)
    country_code: Series[str] = _f("ISO alpha-3.", "KOR", str_matches=r"^[A-Z]{3}$", nullable=True)
    country: Series[str] = _f("Country.", "South Korea", nullable=True)
    latitude: Series[float] = _f("Latitude.", 37.57, ge=-90, le=90, nullable=True)
    longitude: Series[float] = _f("Longitude.", 126.98, ge=-180, le=180, nullable=True)
    host: Series[str] | None = _f("Host, as stated.", "National Museum of Korea", nullable=True)
    host_institution_id: Series[str] = _f("Host institution's id.", "national-museum-of-korea",
                                          nullable=True)
    participants: Series[pd.Int64Dtype] = _f("Participants (number).", 350, ge=0,
                                             le=MAX_COUNT, nullable=True)
    participants_qualifier: Series[str] | None = _f("How exact the participant figure is.", "over",
                                                      isin=list(vocab.QUALIFIERS), nullable=True)
    participants_text: Series[str] | None = _f("Participants as the source states them.", "",
                                                 nullable=True)
    chair: Series[str] | None = _f("Chair (executive committee meetings).", "", nullable=True)
    notes: Series[str] | None = _f("Notes.", "", nullable=True)
    source_extra: Series[str] | None = _f("A second source.", "", nullable=True)


class MembershipCounts(_Provenance):
    id: Series[str] = _f("Identifier.", "mc-2013", unique=True)
    date_text: Series[str] = _f("Date as stated.", "2013")
    year: Series[pd.Int64Dtype] = _f("Year.", 2013, ge=1990, le=2100)
    month: Series[pd.Int64Dtype] = _f("Month, where stated.", 6, ge=1, le=12, nullable=True)
    total: Series[pd.Int64Dtype] = _f("Total members as stated.", 106, ge=0, le=MAX_COUNT)
    asia: Series[pd.Int64Dtype] = _f("Asian members.", 72, ge=0, le=MAX_COUNT, nullable=True)
    europe: Series[pd.Int64Dtype] = _f("European members.", 47, ge=0, le=MAX_COUNT, nullable=True)
    affiliates: Series[pd.Int64Dtype] = _f("Affiliate members.", 11,
                                           ge=0, le=MAX_COUNT, nullable=True)
    countries: Series[pd.Int64Dtype] = _f("Countries represented.", 38,
                                          ge=0, le=MAX_COUNT, nullable=True)
    qualifier: Series[str] = _f("How exact the total is.", "exact", isin=list(vocab.QUALIFIERS))
    qualifier_text: Series[str] | None = _f("The qualifier as the source words it.", "over 70",
                                              nullable=True)
    note: Series[str] | None = _f("Note.", "", nullable=True)


class VcmStats(_Provenance):
    id: Series[str] = _f("Identifier.", "vcm-01", unique=True)
    record_type: Series[str] = _f("statistic, milestone, rule, trustee, participating_museum, "
                                  "sample_masterpiece, example_cited.", "statistic",
                                  isin=["statistic", "milestone", "rule", "trustee",
                                        "participating_museum", "sample_masterpiece", "example_cited"])
    date_text: Series[str] = _f("Date as stated.", "2014-08-15")
    year: Series[pd.Int64Dtype] = _f("Year, where the date gives one.", 2014, nullable=True)
    metric: Series[str] = _f("Metric or title.", "masterpieces")
    value: Series[float] = _f("Numeric value, where one is stated.", 2200, nullable=True)
    value_text: Series[str] | None = _f("The value as stated.", "", nullable=True)
    qualifier: Series[str] | None = _f("How exact the value is.", "over", isin=list(vocab.QUALIFIERS),
                                         nullable=True)
    museum_text: Series[str] | None = _f("Museum as stated.", "", nullable=True)
    institution_id: Series[str] = _f("The museum's id where it is in the institutions table.", "",
                                     nullable=True)
    origin: Series[str] | None = _f("Origin.", "", nullable=True)
    period: Series[str] | None = _f("Period.", "", nullable=True)
    material: Series[str] | None = _f("Material.", "", nullable=True)
    notes: Series[str] | None = _f("Notes.", "", nullable=True)


class People(_Provenance):
    id: Series[str] = _f("Identifier.", "person-001", unique=True)
    name: Series[str] = _f("Name.", "Jane Doe")
    kind: Series[str] = _f("Kind: " + ", ".join(vocab.PERSON_KINDS) + ".", "expert",
                           isin=list(vocab.PERSON_KINDS))
    role: Series[str] | None = _f("Role as stated.", "Chair", nullable=True)
    institution_id: Series[str] = _f("Institution's id, where it is in the institutions table.", "",
                                     nullable=True)
    institution_text: Series[str] | None = _f("Institution as stated.", "", nullable=True)
    period_text: Series[str] | None = _f("Period or date as stated.", "2011-10 to 2014-09",
                                           nullable=True)
    start_year: Series[pd.Int64Dtype] = _f("First year of the role.", 2011, ge=1990, le=2100,
                                           nullable=True)
    end_year: Series[pd.Int64Dtype] = _f("Last year of the role.", 2014, ge=1990, le=2100, nullable=True)
    basis: Series[str] | None = _f("What the record rests on.", "", nullable=True)
    expertise: Series[str] | None = _f("Expertise (experts), separated by ';'.", "Chinese ceramics",
                                         nullable=True)
    languages: Series[str] | None = _f("Languages, separated by ';'.", "English;Korean",
                                         nullable=True)
    country_code: Series[str] = _f("Country (ISO alpha-3).", "KOR", nullable=True,
                                   str_matches=r"^[A-Z]{3}$")
    email: Series[str] | None = _f("Contact e-mail (personal data: staff only).", "", nullable=True)
    personal_data: Series[pd.BooleanDtype] = _f("True when the row holds personal data beyond a "
                                                "documented public role.", False)


class VisitorStats(_Provenance):
    id: Series[str] = _f("Identifier (generated on import if empty).", "vs-0001", unique=True)
    institution_id: Series[str] = _f("Institution's id, where it is in the institutions table.", "",
                                     nullable=True)
    institution_name: Series[str] = _f("Institution as named by the source.", "National Museum of Korea")
    country_code: Series[str] = _f("ISO alpha-3.", "KOR", str_matches=r"^[A-Z]{3}$")
    country: Series[str] = _f("Country (name or code).", "South Korea")
    year: Series[pd.Int64Dtype] = _f("Year.", 2019, ge=1800, le=2100)
    visitors: Series[pd.Int64Dtype] = _f("Visitors that year (empty when not reported).", 3378000, ge=0,
                                         le=MAX_COUNT,
                                         nullable=True)
    paid: Series[pd.Int64Dtype] = _f("Paying visitors, where reported.", None,
                                     ge=0, le=MAX_COUNT, nullable=True)
    free: Series[pd.Int64Dtype] = _f("Free visitors, where reported.", None,
                                     ge=0, le=MAX_COUNT, nullable=True)
    source_key: Series[str] | None = _f(
        "The source's own stable key for the institution (a ministry's museum number such as "
        "'7510106'); series and totals are grouped by it, never by the name, which changes and "
        "repeats. Derived from institution_id, else from the name (with a warning), when empty.",
        "7510106", nullable=True)
    city: Series[str] | None = _f("City, as the source gives it.", "Seoul", nullable=True)
    note: Series[str] | None = _f("The source's remark on the year (e.g. closed, not "
                                     "communicated); such a year is a gap, never zero.", "closed",
                                     nullable=True)
    duplicates: Series[str] | None = _f(
        "How rows sharing a key and year are counted, as the mapping declares it (constants: "
        "duplicates): sum (added up), flag (the default: a listed conflict, figure withheld) or "
        "refuse (the import stops).", "sum", isin=["sum", "flag", "refuse"], nullable=True)


class InstitutionIdentifiers(_Provenance):
    institution_id: Series[str] = _f("The institution's id in the institutions table.",
                                     "musee-du-quai-branly")
    scheme: Series[str] = _f("Identifier scheme: museofile (France's register), isil, wikidata, or "
                             "another lowercase name.", "museofile", str_matches=_SLUG)
    value: Series[str] = _f("The identifier as the scheme writes it.", "M5055",
                            str_length={"min_value": 1})


@dataclass(frozen=True)
class TableSpec:
    """How a table is stored, imported and documented."""

    name: str
    schema: type[pa.DataFrameModel]
    title: str
    description: str
    #: Columns derived on import when absent (never required from a submitter).
    derived: tuple[str, ...] = ()
    #: The table a museum may submit in the survey workbook.
    survey: bool = False
    #: Pairs of (start column, end column) that must be ordered.
    ordered: tuple[tuple[str, str], ...] = ()
    #: Columns referring to institutions.id.
    institution_refs: tuple[str, ...] = ()
    #: Whether ids may be generated for rows that have none.
    generated_id: bool = False
    #: Columns holding a country given by name or code, normalised through ISO (country col, code col).
    country_cols: tuple[tuple[str, str], ...] = ()


TABLES: dict[str, TableSpec] = {
    t.name: t for t in [
        TableSpec("institutions", Institutions, "Institutions",
                  "Museums and other institutions: location, type and ASEMUS membership.",
                  derived=("country_code", "region", "latitude", "longitude", "coord_precision",
                           "member_status", "type"),
                  survey=True, country_cols=(("country", "country_code"),)),
        TableSpec("collections", Collections, "Collections (holdings)",
                  "Asian holdings per institution: origin, category, material, period, object count.",
                  derived=("origin_country_code", "period_start", "period_end", "id"),
                  survey=True, ordered=(("period_start", "period_end"),),
                  institution_refs=("institution_id",), generated_id=True,
                  country_cols=(("origin_country", "origin_country_code"),)),
        TableSpec("objects", Objects, "Objects",
                  "Object-level records: masterpieces and open-access collection rows.",
                  derived=("origin_country_code", "period_start", "period_end", "id", "in_vcm"),
                  survey=True, ordered=(("period_start", "period_end"),),
                  institution_refs=("institution_id",), generated_id=True,
                  country_cols=(("origin_country", "origin_country_code"),)),
        TableSpec("exhibitions", Exhibitions, "Exhibitions",
                  "Exhibitions with dates, visitors (for the whole run) and object counts.",
                  survey=True, ordered=(("start_date", "end_date"),)),
        TableSpec("exhibition_venues", ExhibitionVenues, "Exhibition venues",
                  "One row per venue of an exhibition, in tour order.",
                  derived=("country_code", "latitude", "longitude", "id"), survey=True,
                  ordered=(("start_date", "end_date"),), institution_refs=("institution_id",),
                  generated_id=True, country_cols=(("country", "country_code"),)),
        TableSpec("exhibition_participants", ExhibitionParticipants, "Exhibition participants",
                  "Institutions taking part in an exhibition and their role.",
                  institution_refs=("institution_id",)),
        TableSpec("collaborations", Collaborations, "Collaborations",
                  "Typed, dated ties between two institutions.", survey=True,
                  ordered=(("year_start", "year_end"),),
                  institution_refs=("institution_a", "institution_b"), generated_id=True,
                  derived=("id",)),
        TableSpec("meetings", Meetings, "Conferences and meetings",
                  "Founding and General Conferences, workshops, Executive Committee meetings.",
                  ordered=(("start_date", "end_date"),), institution_refs=("host_institution_id",),
                  country_cols=(("country", "country_code"),)),
        TableSpec("membership_counts", MembershipCounts, "Membership counts",
                  "Stated member totals over time, with their qualifiers."),
        TableSpec("vcm_stats", VcmStats, "Virtual Collection of Masterpieces",
                  "VCM counts over time, trustees, milestones and sample records.",
                  institution_refs=("institution_id",)),
        TableSpec("people", People, "People",
                  "Committee roles (public) and experts (personal data, staff only).",
                  institution_refs=("institution_id",), derived=("id", "personal_data"),
                  generated_id=True),
        TableSpec("visitor_stats", VisitorStats, "Visitor statistics",
                  "Visitors per institution and year, as ministries publish them.",
                  derived=("country_code", "id", "source_key", "duplicates"), generated_id=True,
                  country_cols=(("country", "country_code"),)),
        TableSpec("institution_identifiers", InstitutionIdentifiers, "Institution identifiers",
                  "External identifiers of institutions (register ids, ISIL, Wikidata): an "
                  "import matches institutions by them first.",
                  institution_refs=("institution_id",)),
    ]
}


def columns(table: str) -> list[str]:
    """Column names of a table: id first, provenance (source, status) last."""
    names = list(TABLES[table].schema.to_schema().columns)
    tail = [c for c in ("source", "source_extra", "status") if c in names]
    head = [c for c in ("id",) if c in names]
    return head + [c for c in names if c not in head and c not in tail] + tail


def _example_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def column_info(table: str) -> pd.DataFrame:
    """One row per column: name, type, required, nullable, allowed values, description, example."""
    spec = TABLES[table]
    schema = spec.schema.to_schema()
    rows = []
    for name in columns(table):
        col = schema.columns[name]
        allowed = None
        for check in col.checks:
            stats = getattr(check, "statistics", {}) or {}
            if "allowed_values" in stats:
                allowed = list(stats["allowed_values"])
        rows.append({
            "column": name,
            "type": str(col.dtype),
            "required": col.required and not col.nullable and name not in spec.derived
            and name not in ("source", "status"),
            "nullable": col.nullable,
            "allowed": allowed,
            "description": col.description or "",
            "example": _example_text((col.metadata or {}).get("example")),
        })
    return pd.DataFrame(rows)
