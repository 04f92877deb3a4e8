"""The Virtual Collection of Masterpieces explorer: search and filter SQL over the ``objects``
table, paging, card content, images (local files only), the masterpiece of the day, and the
collection's documented growth and make-up.

Everything is filtered and counted in DuckDB; the browser receives one page of cards and small
aggregates. No function here ever returns or follows a remote image URL.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from . import geo
from .filters import Filters, fmt_year, holdings_sql, in_clause, link_int
from .paths import DATA_DIR, STATIC_DIR
from .text import md

PAGE_SIZE = 48
#: Said when the store holds few objects (the built-in data: the documented sample masterpieces).
FEW_OBJECTS_NOTE = (
    "The built-in data holds only the {n} VCM masterpieces documented in public sources; the VCM "
    "itself counts about 3,000 (see its growth below). Museums add their objects by importing "
    "their open-access export (CSV or Excel, with a mapping file for their own columns) on the "
    "*Data & sources* page.")
IMAGES_DIR = DATA_DIR / "images"
PLACEHOLDER_SVG = STATIC_DIR / "placeholder.svg"
REMOTE_NOTE = "remote image not loaded (offline)"
#: ``objects`` carries the holdings columns, so filters.holdings_sql applies to it as alias h.
FROM = "objects h JOIN institutions i ON i.id = h.institution_id"
#: Columns the free-text search looks in (and the holding museum's name).
SEARCH_COLUMNS = ("h.title", "h.description", "h.origin_culture", "h.origin_country", "h.material",
                  "h.category", "h.date_text", "h.id")
#: Date certainties a card names next to its date (objects.date_certainty): the years are not
#: the one reading of the text ("approximate" is already in the text: "c. 1850").
MARKED_CERTAINTIES = ("several readings", "uncertain")
#: Statuses that may be presented as a fact (the masterpiece of the day is always one of these).
FACT_STATUSES = ("documented", "imported")
#: Field labels of the detail view, in order (every column of objects, then the museum).
DETAIL_FIELDS = {
    "title": "Title", "id": "Identifier", "museum": "Holding museum", "museum_city": "City",
    "museum_country": "Country", "origin_culture": "Culture of origin",
    "origin_country": "Country of origin", "origin_country_code": "Origin (ISO code)",
    "category": "Category", "material": "Material", "date_text": "Date (as stated)",
    "period": "Period (years)", "date_certainty": "Date certainty", "description": "Description",
    "image": "Image",
    "in_vcm": "In the Virtual Collection of Masterpieces", "status": "Data status",
    "source": "Source", "institution_id": "Museum id", "museum_source": "Source of the museum record",
}
#: vcm_stats metrics that count the collection at a date, grouped into the series we plot.
#: Plans ("masterpiece images planned") and increments ("new masterpieces added") are statements,
#: not counts of the collection, so they are listed but never plotted.
GROWTH_SERIES = {
    "masterpieces": "masterpieces", "masterpieces online": "masterpieces",
    "art pieces": "masterpieces", "contributing museums": "contributing museums",
    "member museums": "contributing museums", "countries": "countries",
}
_FALLBACK_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">'
                 '<rect width="400" height="300" fill="#f2f4f7"/>'
                 '<text x="200" y="160" font-family="sans-serif" font-size="22" fill="#8a94a3" '
                 'text-anchor="middle">no image</text></svg>')


@dataclass(frozen=True)
class Query:
    """What the explorer narrows the objects to, beyond the shared sidebar filters."""

    text: str = ""                          # free text: every word must match somewhere
    institutions: tuple[str, ...] = ()      # holding museum ids
    cultures: tuple[str, ...] = ()          # origin_culture values
    vcm_only: bool = False


#: Separator of origin cultures in the URL: culture names may hold commas ("..., Tashkent").
CULTURE_SEP = "|"
TRUE_WORDS = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class ExplorerState:
    """The explorer's own state, as kept in the URL: search text (``text``), holding museums
    (``museums``, ids joined by commas), origin cultures (``cultures``, joined by ``|``), VCM only
    (``vcm=1``) and the gallery page (``page``). Defaults are left out of the URL."""

    text: str = ""
    museums: tuple[str, ...] = ()
    cultures: tuple[str, ...] = ()
    vcm_only: bool = False
    page: int = 1

    @property
    def query(self) -> Query:
        return Query(self.text.strip(), tuple(self.museums), tuple(self.cultures), self.vcm_only)

    def changed(self, field: str, value) -> ExplorerState:
        """The state with one widget's new value (types normalised); any change but the page
        number goes back to page 1, as the gallery it paged through is gone."""
        value = {"text": lambda v: str(v or "").strip()[:100], "museums": tuple,
                 "cultures": tuple, "vcm_only": bool, "page": lambda v: max(1, int(v or 1))
                 }[field](value)
        return replace(self, **{field: value}, **({} if field == "page" else {"page": 1}))

    def within(self, pages: int) -> ExplorerState:
        """The state with its page number cut to ``pages`` (the filters may have shrunk it)."""
        return self if self.page <= pages else replace(self, page=max(1, pages))

    def to_query(self) -> dict[str, str | None]:
        """Query-string values; None where the default applies, so links stay short."""
        return {"text": self.text.strip() or None, "museums": ",".join(self.museums) or None,
                "cultures": CULTURE_SEP.join(self.cultures) or None,
                "vcm": "1" if self.vcm_only else None,
                "page": str(self.page) if self.page > 1 else None}

    @classmethod
    def from_query(cls, params: dict, *, museums=None, cultures=None
                   ) -> tuple[ExplorerState, list[str]]:
        """Read the state from a query string; invalid values are dropped, each with a notice.
        ``museums`` (ids) and ``cultures``, when given, are what the link may name."""
        notices, values = [], {}
        if params.get("text"):
            values["text"] = str(params["text"]).strip()[:100]
        for key, sep, known, what in (("museums", ",", museums, "museum holding objects"),
                                      ("cultures", CULTURE_SEP, cultures, "culture of origin")):
            raw = params.get(key)
            if not raw:
                continue
            items = list(dict.fromkeys(x.strip() for x in str(raw).split(sep) if x.strip()))
            ok = tuple(x for x in items if known is None or x in known)
            notices += [f"Ignored '{x[:60]}' in the link: not a known {what}."
                        for x in items if x not in ok]
            if ok:
                values[key] = ok
        raw = params.get("vcm")
        if raw:
            if str(raw).lower() in TRUE_WORDS + ("0", "false", "no", "off"):
                values["vcm_only"] = str(raw).lower() in TRUE_WORDS
            else:
                notices.append(f"Ignored vcm '{str(raw)[:20]}' in the link: use vcm=1.")
        raw = params.get("page")
        if raw:
            page = link_int(raw)
            if page is not None and page >= 1:
                values["page"] = page
            else:
                notices.append(f"Ignored page '{str(raw)[:20]}' in the link: not a page number.")
        return cls(**values), notices


def where_sql(f: Filters, q: Query = Query()) -> tuple[str, list]:
    """WHERE clause (without the keyword) and parameters for ``FROM``: the shared filters plus
    the explorer's own. Free text is split into words; each word must occur (ignoring case, as
    plain text: ``%`` and ``_`` are not wildcards) in one of ``SEARCH_COLUMNS`` or in the
    holding museum's name."""
    where, params = holdings_sql(f)
    clauses = [where]
    for term in q.text.lower().split()[:8]:  # a pasted paragraph must not become a huge query
        # one OR per column beats searching a concatenation (no string built per row), and the
        # museum name is matched once in the small institutions table: ~4x faster at 100k rows
        ors = [f"contains(lower({c}), ?)" for c in SEARCH_COLUMNS]
        ors.append("h.institution_id IN (SELECT id FROM institutions WHERE contains(lower(name), ?))")
        clauses.append("(" + " OR ".join(ors) + ")")
        params += [term] * len(ors)
    if q.institutions:
        sql, p = in_clause("h.institution_id", q.institutions)
        clauses.append(sql)
        params += p
    if q.cultures:
        sql, p = in_clause("h.origin_culture", q.cultures)
        clauses.append(sql)
        params += p
    if q.vcm_only:
        clauses.append("h.in_vcm")
    return " AND ".join(clauses), params


def summary(con: duckdb.DuckDBPyConnection, f: Filters, q: Query = Query()) -> dict:
    """Counts for the selection: objects, VCM objects, museums, origins, and the share of rows
    that are not real (illustrative or synthetic)."""
    where, params = where_sql(f, q)
    n, vcm, museums, origins, unreal = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE h.in_vcm), count(DISTINCT h.institution_id),
               count(DISTINCT h.origin_country_code),
               count(*) FILTER (WHERE h.status IN ('illustrative', 'synthetic'))
        FROM {FROM} WHERE {where}""", params).fetchone()
    return dict(objects=int(n), vcm=int(vcm), museums=int(museums), origins=int(origins),
                unreal_share=(unreal / n) if n else 0.0)


def summary_sentence(s: dict) -> str:
    """The selection's counts (a :func:`summary`) in a sentence."""
    def n(k: int, one: str, many: str) -> str:
        return f"{k:,} {one if k == 1 else many}"
    return (f"{n(s['objects'], 'object', 'objects')} ({s['vcm']:,} in the VCM) in "
            f"{n(s['museums'], 'museum', 'museums')}, from "
            f"{n(s['origins'], 'country', 'countries')} of origin.")


def few_objects_note(con: duckdb.DuckDBPyConnection, threshold: int = 50) -> str | None:
    """``FEW_OBJECTS_NOTE`` when the whole store holds fewer than ``threshold`` objects."""
    total = summary(con, Filters())["objects"]
    return FEW_OBJECTS_NOTE.format(n=total) if total < threshold else None


def downloads(con: duckdb.DuckDBPyConnection, f: Filters, q: Query = Query()) -> list[tuple]:
    """The selection's download files as (id, label, callable giving the bytes, file name, MIME
    type): callables, so a file is generated on click, not on every rerun."""
    from . import export  # lazy: export loads pandera (schemas), a second of a page's start
    src = export_source(f, q)
    return [("csv", "CSV", lambda: export.csv_bytes(selection(con, f, q), src),
             "masterpieces.csv", "text/csv"),
            ("xlsx", "Excel", lambda: export.xlsx_bytes(selection(con, f, q), src, "objects"),
             "masterpieces.xlsx", "application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet")]


def page_count(n: int, size: int = PAGE_SIZE) -> int:
    """Pages needed for ``n`` rows (at least 1, so an empty result still has page 1)."""
    return max(1, math.ceil(n / size))


def page(con: duckdb.DuckDBPyConnection, f: Filters, q: Query = Query(), number: int = 1,
         size: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of cards (1-based ``number``), VCM masterpieces first, then by title and id so
    the order is stable between reruns."""
    where, params = where_sql(f, q)
    offset = (max(1, int(number)) - 1) * size
    return con.execute(f"""
        SELECT h.id, h.title, h.origin_culture, h.origin_country, h.category, h.material,
               h.date_text, h.period_start, h.period_end, h.date_certainty, h.image, h.in_vcm,
               h.status, i.name AS museum, i.city AS museum_city, i.country AS museum_country
        FROM {FROM} WHERE {where}
        ORDER BY h.in_vcm DESC NULLS LAST, h.title, h.id
        LIMIT ? OFFSET ?""", params + [size, offset]).df()


def detail(con: duckdb.DuckDBPyConnection, object_id: str) -> dict | None:
    """Every field of one object, with its holding museum's name, city and country."""
    df = con.execute(f"""SELECT h.*, i.name AS museum, i.city AS museum_city,
        i.country AS museum_country, i.source AS museum_source FROM {FROM} WHERE h.id = ?""",
                     [object_id]).df()
    if df.empty:
        return None
    return {k: (None if _missing(v) else v) for k, v in df.iloc[0].to_dict().items()}


def detail_rows(d: dict) -> pd.DataFrame:
    """The detail view as (field, value) rows, every field shown, unknowns as 'not stated'."""
    d = {**d, "period": period_label(d.get("period_start"), d.get("period_end"))}
    ref = image_ref(d.get("image"))
    if ref.kind == "remote":
        d["image"] = f"{d['image']} ({REMOTE_NOTE})"
    values = []
    for k in DETAIL_FIELDS:
        v = d.get(k)
        if k == "in_vcm" and v is not None:
            v = "yes" if v else "no"
        values.append("not stated" if _missing(v) or v == "" else str(v))
    return pd.DataFrame({"field": list(DETAIL_FIELDS.values()), "value": values})


def selection(con: duckdb.DuckDBPyConnection, f: Filters, q: Query = Query()) -> pd.DataFrame:
    """The whole selection for download: every object column plus the museum's name."""
    where, params = where_sql(f, q)
    return con.execute(f"""SELECT h.*, i.name AS museum, i.country AS museum_country
        FROM {FROM} WHERE {where} ORDER BY h.institution_id, h.id""", params).df()


def choices(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], list[str]]:
    """The explorer's choices as the widgets take them: museum id -> name, origin cultures."""
    opts = options(con)
    return (dict(zip(opts["museums"]["value"], opts["museums"]["label"])),
            list(opts["cultures"]["value"]))


def options(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Choices for the explorer's own filters: museums that hold objects, origin cultures."""
    museums = con.execute("""SELECT i.id AS value, i.name AS label, count(*) AS n FROM objects h
        JOIN institutions i ON i.id = h.institution_id GROUP BY ALL ORDER BY i.name""").df()
    cultures = con.execute("""SELECT origin_culture AS value, count(*) AS n FROM objects
        WHERE origin_culture IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 300""").df()
    return {"museums": museums, "cultures": cultures}


# --- cards and images --------------------------------------------------------------------------
def _missing(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class ImageRef:
    """What to show for an object's image: a local file, or the placeholder and why."""

    kind: str                 # "local", "remote" or "missing"
    path: Path | None = None  # the local file, when kind == "local"
    note: str | None = None   # text under the placeholder


def image_ref(value, images_dir: Path = IMAGES_DIR) -> ImageRef:
    """Resolve the ``image`` column to a local file under data/images. A URL is never loaded
    (the app must not send a request beyond the machine); a path outside the images folder or
    a file that does not exist gives the placeholder."""
    if _missing(value) or not str(value).strip():
        return ImageRef("missing")
    text = str(value).strip()
    if "://" in text or text.startswith("//") or text.lower().startswith(("http:", "https:", "data:")):
        return ImageRef("remote", note=REMOTE_NOTE)
    root = Path(images_dir).resolve()
    path = (root / text).resolve()
    if root not in path.parents or not path.is_file():
        return ImageRef("missing", note="image file not found")
    return ImageRef("local", path=path)


def image_source(ref: ImageRef) -> tuple[str, str | None]:
    """What st.image gets for an image: the local file's path, or the placeholder SVG text and
    the note under it. Never a URL (the browser would fetch it)."""
    return (str(ref.path), None) if ref.kind == "local" else (placeholder_svg(), ref.note)


def placeholder_svg() -> str:
    """The placeholder as SVG text (inlined by st.image as a data URI: no request at all)."""
    try:
        return PLACEHOLDER_SVG.read_text(encoding="utf-8")
    except OSError:
        return _FALLBACK_SVG


def period_label(start, end) -> str | None:
    """'1644-1911', '2200-1900 BCE', or None when no period is known."""
    if _missing(start) or _missing(end):
        return None
    a, b = int(start), int(end)
    return fmt_year(a) if a == b else f"{fmt_year(a)} to {fmt_year(b)}"


def card(row: dict) -> dict:
    """Text and image of one gallery card, from a row of :func:`page`."""
    origin = " · ".join(str(row[c]) for c in ("origin_culture", "origin_country")
                        if not _missing(row.get(c)))
    date = row.get("date_text")
    when = str(date) if not _missing(date) else period_label(row.get("period_start"),
                                                              row.get("period_end"))
    if when and row.get("date_certainty") in MARKED_CERTAINTIES:
        when = f"{when} ({row['date_certainty']})"  # the years are not one reading of the text
    place = ", ".join(str(row[c]) for c in ("museum", "museum_city") if not _missing(row.get(c)))
    title = str(row.get("title") or row["id"])
    info = [place, origin or "origin not stated", when or "date not stated"]
    # data shown as written (asemus_data.text.md): a title such as ``*Untitled* [1]`` or ``$5``
    markdown = (f"**{md(title if len(title) <= 80 else title[:77] + '...')}**  \n"
                + "  \n".join(f":gray[{md(t)}]" for t in info))
    return dict(id=row["id"], markdown=markdown, title=title if len(title) <= 80 else title[:77] + "...",
                museum=place, origin=origin or "origin not stated", when=when or "date not stated",
                category=None if _missing(row.get("category")) else row["category"],
                status=row.get("status"),
                certainty=(row["date_certainty"] if row.get("date_certainty") in MARKED_CERTAINTIES
                           else None),
                vcm=bool(row.get("in_vcm")) if not _missing(row.get("in_vcm")) else False,
                image=image_ref(row.get("image")))


def cards(df: pd.DataFrame) -> list[dict]:
    """Card content for a page of rows."""
    return [card(r) for r in df.to_dict("records")]


# --- masterpiece of the day --------------------------------------------------------------------
def day_index(day: _dt.date, n: int) -> int:
    """A stable index in ``range(n)`` for a date (SHA-256 of the ISO date, so it is the same in
    every process and on every machine, unlike Python's salted ``hash``)."""
    digest = hashlib.sha256(day.isoformat().encode("ascii")).hexdigest()
    return int(digest, 16) % n


def masterpiece_of_the_day(con: duckdb.DuckDBPyConnection, day: _dt.date | None = None
                           ) -> dict | None:
    """One VCM object for the day, among real (documented or imported) ones ordered by id;
    None when there is none. Illustrative or synthetic rows are never picked."""
    day = day or _dt.date.today()
    ids = [r[0] for r in con.execute(
        f"SELECT id FROM objects WHERE in_vcm AND status IN {FACT_STATUSES} ORDER BY id").fetchall()]
    if not ids:
        return None
    return detail(con, ids[day_index(day, len(ids))])


# --- growth and make-up ------------------------------------------------------------------------
def _when(date_text, year) -> pd.Timestamp | None:
    """The stated date at its stated precision: a day, a month (placed on its first day) or a
    year alone (placed mid-year; the hover shows the date as stated). None when undated."""
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$", str(date_text or "").strip())
    try:
        if m:
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3] or 1))
        if not _missing(year):
            return pd.Timestamp(int(year), 7, 1)
    except (ValueError, OverflowError):  # year 0, 2010-02-30, 9999: a stored value no axis holds
        return None
    return None


def value_label(value, qualifier, value_text=None) -> str:
    """'over 1,600', 'nearly 3,000', '83', or the text as stated when there is no number."""
    if _missing(value):
        return str(value_text) if not _missing(value_text) else "?"
    q = "" if _missing(qualifier) or qualifier == "exact" else f"{qualifier} "
    return f"{q}{int(value):,}"


def growth(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The documented VCM counts: ``dated`` (series, when, value, label, date_text, source) to
    plot; ``undated`` and ``other`` (plans, increments, splits) to list, never plotted."""
    stats = con.execute("""SELECT id, date_text, year, metric, value, value_text, qualifier,
        notes, source, status FROM vcm_stats WHERE record_type = 'statistic' ORDER BY id""").df()
    stats["series"] = stats["metric"].map(GROWTH_SERIES)
    stats["label"] = [value_label(v, q, t) for v, q, t in
                      zip(stats["value"], stats["qualifier"], stats["value_text"])]
    stats["when"] = [_when(d, y) for d, y in zip(stats["date_text"], stats["year"])]
    plot = stats["series"].notna() & stats["value"].notna()
    dated = stats[plot & stats["when"].notna()].sort_values(["series", "when"])
    undated = stats[plot & stats["when"].isna()]
    other = stats[~plot]
    keep = ["series", "metric", "label", "date_text", "qualifier", "notes", "source", "status"]
    return {"dated": dated[["when", "value"] + keep].reset_index(drop=True),
            "undated": undated[keep].reset_index(drop=True),
            "other": other[keep].reset_index(drop=True)}


MAKEUP = {
    # name: (SQL expression for the group's key, label expression)
    "holding country": ("i.country_code", "any_value(i.country)"),
    "origin": ("h.origin_country_code", "any_value(h.origin_country)"),
    "category": ("h.category", "any_value(h.category)"),
}


def makeup(con: duckdb.DuckDBPyConnection, f: Filters, q: Query = Query(), by: str = "category",
           top: int = 15) -> pd.DataFrame:
    """Objects in the selection per holding country, origin or category (``MAKEUP``): columns
    value, label, n; the ``top`` largest, then one 'other' row; unknowns as 'not stated'."""
    key, label = MAKEUP[by]
    where, params = where_sql(f, q)
    df = con.execute(f"""SELECT {key} AS value, {label} AS label, count(*) AS n FROM {FROM}
        WHERE {where} GROUP BY 1 ORDER BY 3 DESC, 2""", params).df()
    df["label"] = df["label"].fillna("not stated")
    df["n"] = df["n"].astype("int64")
    if len(df) > top:
        rest = pd.DataFrame({"value": [None], "label": [f"{len(df) - top} others"],
                             "n": [int(df["n"].iloc[top:].sum())]})
        df = pd.concat([df.iloc[:top], rest], ignore_index=True)
    return df


def flows(con: duckdb.DuckDBPyConnection, f: Filters, q: Query = Query(), limit: int = 2000
          ) -> pd.DataFrame:
    """Objects per (country of origin, holding museum) pair with both ends' coordinates: the
    origin country's representative point and the museum's location. Pairs with an unknown end
    are left out (counted in ``attrs['unplaced']``); the ``limit`` largest pairs are kept."""
    where, params = where_sql(f, q)
    df = con.execute(f"""SELECT h.origin_country_code AS origin_code,
            any_value(h.origin_country) AS origin, h.institution_id, any_value(i.name) AS museum,
            any_value(i.country) AS museum_country, any_value(i.latitude) AS to_lat,
            any_value(i.longitude) AS to_lon, count(*) AS n
        FROM {FROM} WHERE {where} GROUP BY h.origin_country_code, h.institution_id
        ORDER BY n DESC""", params).df()
    cent = geo.country_centroids().rename(columns={"iso_a3": "origin_code", "latitude": "from_lat",
                                                   "longitude": "from_lon"})[
        ["origin_code", "from_lat", "from_lon"]]
    df = df.merge(cent, on="origin_code", how="left")
    placed = df[["from_lat", "from_lon", "to_lat", "to_lon"]].notna().all(axis=1)
    out = df[placed].head(limit).reset_index(drop=True)
    out["n"] = out["n"].astype("int64")
    out.attrs["unplaced"] = int(df.loc[~placed, "n"].sum())
    out.attrs["pairs"] = int(placed.sum())
    return out


def export_source(f: Filters, q: Query = Query()) -> str:
    """The source line written into downloads."""
    extra = []
    if q.text:
        extra.append(f"text '{q.text}'")
    if q.institutions:
        extra.append("museums: " + ", ".join(q.institutions))
    if q.cultures:
        extra.append("cultures: " + ", ".join(q.cultures))
    if q.vcm_only:
        extra.append("VCM only")
    sel = "; ".join([f.describe()] + extra)
    return (f"ASEMUS dashboard, objects table (each row's own source is in its 'source' column, "
            f"its provenance in 'status'); selection: {sel}; exported "
            f"{_dt.date.today().isoformat()}")
