"""The experts directory (second stage of the Mapping of Asian Collections): professionals and
heritage experts from the ``people`` table (kind ``expert``).

Visitors see aggregates only (experts per field of expertise and per country): the functions
that serve them select no name, e-mail or institution column at all. Names and contact details
come from :func:`staff_view`, which refuses any audience but staff (see :mod:`.access`).
Documented public roles (committee chairs and the like, with their source) are not personal data
and may be shown.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from . import access, geo

#: The controlled list of fields of expertise. Values in the people table are matched to it
#: ignoring case; anything else is counted as ``OTHER`` (and listed for staff to tidy).
EXPERTISE = (
    "Buddhist art", "Chinese ceramics", "Chinese painting", "Conservation science",
    "Digital collections", "Ethnographic collections", "Exhibition design", "Hindu art",
    "Islamic art", "Japanese prints", "Japanese swords", "Korean ceramics",
    "Lacquer conservation", "Manuscripts and books", "Metalwork", "Museum education",
    "Museum management", "Paper conservation", "Photography", "Provenance research",
    "South Asian art", "Southeast Asian textiles", "Textile conservation", "Archaeology",
)
OTHER = "other (not in the list)"
#: People kinds whose rows are documented public roles, never personal contact data.
PUBLIC_KINDS = ("committee", "secretariat", "asef", "patron")

EMPTY_NOTE = (
    "No experts are in the data yet. The directory is the Mapping of Asian Collections' second "
    "stage: museums return the experts sheet of the member survey (name, institution, expertise, "
    "languages, country, e-mail), which staff import on the *Data & sources* page. "
    "Visitors then see counts by expertise and country; names and contacts stay for staff.")

_EXPERTS = "people p WHERE p.kind = 'expert'"


def _vocab_cte() -> tuple[str, list[str]]:
    return ("vocab(term) AS (VALUES " + ", ".join(["(?)"] * len(EXPERTISE)) + ")", list(EXPERTISE))


def _fields_cte() -> tuple[str, list]:
    """One row per (expert, field of expertise), fields mapped onto ``EXPERTISE``."""
    vocab, params = _vocab_cte()
    return (f"""WITH {vocab},
        raw AS (SELECT p.id, p.country_code, trim(unnest(string_split(p.expertise, ';'))) AS field
                FROM {_EXPERTS} AND p.expertise IS NOT NULL),
        fields AS (SELECT DISTINCT raw.id, raw.country_code, raw.field AS given,
                          COALESCE(v.term, ?) AS expertise
                   FROM raw LEFT JOIN vocab v ON lower(v.term) = lower(raw.field)
                   WHERE raw.field <> '')""", params + [OTHER])


def count(con: duckdb.DuckDBPyConnection) -> int:
    """Number of experts in the store."""
    return int(con.execute(f"SELECT count(*) FROM {_EXPERTS}").fetchone()[0])


def aggregate(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Experts per field of expertise and country: columns expertise, country_code, country, n.
    An expert with two fields counts once in each. No column identifies a person."""
    cte, params = _fields_cte()
    df = con.execute(f"""{cte}
        SELECT expertise, country_code, count(DISTINCT id) AS n FROM fields
        GROUP BY ALL ORDER BY n DESC, expertise, country_code""", params).df()
    df.insert(2, "country", [geo.display_name(c) if isinstance(c, str) else "not stated"
                             for c in df["country_code"]])
    df["n"] = df["n"].astype("int64")
    return df


def by_expertise(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Experts per field of expertise (columns expertise, n), largest first."""
    cte, params = _fields_cte()
    df = con.execute(f"""{cte} SELECT expertise, count(DISTINCT id) AS n FROM fields
        GROUP BY 1 ORDER BY 2 DESC, 1""", params).df()
    df["n"] = df["n"].astype("int64")
    return df


def by_country(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Experts per country with the country's representative point and its fields (columns
    country_code, country, n, fields, latitude, longitude); experts with no country are left
    out and counted in ``attrs['no_country']``."""
    df = con.execute(f"""SELECT p.country_code, count(*) AS n FROM {_EXPERTS}
        GROUP BY 1 ORDER BY 2 DESC""").df()
    no_country = int(df.loc[df["country_code"].isna(), "n"].sum())
    df = df[df["country_code"].notna()].copy()
    cte, params = _fields_cte()
    fields = con.execute(f"""{cte}, per AS (SELECT country_code, expertise, count(DISTINCT id) AS n
            FROM fields GROUP BY ALL)
        SELECT country_code, string_agg(expertise || ' (' || n || ')', ', '
                                        ORDER BY n DESC, expertise) AS fields
        FROM per GROUP BY 1""", params).df()
    cent = geo.country_centroids().rename(columns={"iso_a3": "country_code"})
    df = df.merge(fields, on="country_code", how="left").merge(
        cent[["country_code", "latitude", "longitude"]], on="country_code", how="left")
    df.insert(1, "country", [geo.display_name(c) or c for c in df["country_code"]])
    df["fields"] = df["fields"].fillna("no field stated")
    df["n"] = df["n"].astype("int64")
    df.attrs["no_country"] = no_country
    return df.reset_index(drop=True)


def unlisted_expertise(con: duckdb.DuckDBPyConnection, audience: str = access.VISITOR) -> pd.DataFrame:
    """Fields given in the data that are not in ``EXPERTISE`` (columns given, n): for staff to
    map onto the list or to propose an addition (free text an expert wrote: staff only)."""
    access.require_staff(audience, "The unlisted fields of expertise")
    cte, params = _fields_cte()
    return con.execute(f"""{cte} SELECT given, count(*) AS n FROM fields WHERE expertise = ?
        GROUP BY 1 ORDER BY 2 DESC, 1""", params + [OTHER]).df()


def staff_view(con: duckdb.DuckDBPyConnection, audience: str = access.VISITOR) -> pd.DataFrame:
    """The directory with names and contact details: personal data, so PermissionError unless
    ``audience`` is ``access.STAFF``."""
    access.require_staff(audience, "The experts directory")
    df = con.execute("""SELECT p.name, COALESCE(i.name, p.institution_text) AS institution,
            p.expertise, p.languages, p.country_code, p.email, p.role, p.source, p.status
        FROM people p LEFT JOIN institutions i ON i.id = p.institution_id
        WHERE p.kind = 'expert' ORDER BY p.name""").df()
    df.insert(5, "country", [geo.display_name(c) if isinstance(c, str) else None
                             for c in df["country_code"]])
    return df


def public_roles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Documented public roles (committee, secretariat, ASEF, patron) that hold no personal data,
    each with its source."""
    return con.execute(f"""SELECT p.name, p.role, p.kind,
            COALESCE(i.name, p.institution_text) AS institution, p.period_text AS period,
            p.source, p.status
        FROM {access.relation("people", access.VISITOR)} p
        LEFT JOIN institutions i ON i.id = p.institution_id
        WHERE p.kind IN {PUBLIC_KINDS} AND p.status = 'documented'
        ORDER BY p.start_year NULLS LAST, p.name""").df()
