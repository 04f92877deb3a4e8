"""Aggregates behind the Collections map page: holdings per museum, origin-to-holder flows,
totals per holding country, the filtered table, one museum's detail, and the page state in the URL.

Everything is filtered and aggregated in DuckDB (``filters.holdings_sql``); the frames returned are
small (one row per museum, per flow or per table row, capped), never raw object rows.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from . import access, export, geo, store
from .errors import InputError, Issue
from .filters import Filters, holdings_sql, in_clause, institution_sql

#: Map layers the user can switch on and off, in drawing order (bottom to top).
LAYERS = ("countries", "density", "flows", "museums")
LAYER_LABELS = {"museums": "Museums", "flows": "Origin → holder flows",
                "density": "Density of holdings", "countries": "Countries by holdings"}
DEFAULT_LAYERS = ("museums",)
COLOR_MODES = {"region": "Region", "member": "ASEMUS membership"}
DEFAULT_COLOR = "region"
#: Named map framings: pydeck does not report the user's pan and zoom back to the app, so a
#: saved view (and a link) carries one of these instead.
VIEWS = {
    "data": ("The matching museums", None),
    "asia-europe": ("Asia and Europe", dict(latitude=34.0, longitude=64.0, zoom=1.3)),
    "europe": ("Europe", dict(latitude=50.0, longitude=12.0, zoom=3.0)),
    "east-asia": ("East Asia", dict(latitude=33.0, longitude=122.0, zoom=3.0)),
    "south-east-asia": ("South-East Asia", dict(latitude=6.0, longitude=110.0, zoom=3.2)),
    "south-asia": ("South Asia", dict(latitude=22.0, longitude=80.0, zoom=3.4)),
    "central-asia": ("Central and West Asia", dict(latitude=40.0, longitude=62.0, zoom=3.0)),
}
#: Framed on the matching museums by default (figures.maps.frame): a filter to Europe frames Europe.
DEFAULT_VIEW = "data"
#: Most table rows sent to the browser (the rest are counted and can be narrowed by filters).
TABLE_LIMIT = 5000
#: Most origin-to-holder arcs drawn (the largest by objects).
FLOW_LIMIT = 600



def _from(con: duckdb.DuckDBPyConnection) -> str:
    """Holdings joined with their museums, read from the pre-aggregated groups when the store
    has them (a few thousand rows instead of every object; see store.holdings_source)."""
    return f"{store.holdings_source(con)} h JOIN institutions i ON i.id = h.institution_id"

_INST_COLS = ["id", "name", "city", "country", "country_code", "region", "member_status",
              "latitude", "longitude", "coordinate_source"]


@dataclass
class MapData:
    """Everything the map layers and legends need for one filter state."""

    museums: pd.DataFrame            # one row per museum holding matching objects/collections
    flows: pd.DataFrame              # largest origin -> museum pairs, with both end points
    countries: pd.DataFrame          # one row per holding country
    flows_total: int = 0             # origin -> museum pairs before the FLOW_LIMIT cut
    flows_objects_total: int = 0     # objects in all pairs with a known origin
    unplaced_museums: int = 0        # matching museums without coordinates (not drawn)
    unplaced_origins: list[str] = field(default_factory=list)  # origin codes with no centroid
    #: institutions stated to hold Asian collections that have no holdings rows yet
    unsurveyed: pd.DataFrame = field(default_factory=lambda: _empty(_HOLDER_TYPES))
    #: objects of the largest museum with no filter: the size scale's reference
    reference_objects: int = 0


#: Column types of the aggregate frames. DuckDB hands pandas an all-null or empty text column
#: as ``object`` (not ``str``), and pandas cannot join arrow strings with such a column: the
#: types are fixed here, whatever rows match (none, or none with an origin).
_AGG_TYPES = {"institution_id": "str", "origin": "str", "origin_name": "str", "statuses": "str",
              "whole_museum": "bool", "objects": "int64", "collections": "int64"}
_HOLDER_TYPES = {"id": "str", "name": "str", "city": "str", "country": "str", "country_code": "str",
                 "region": "str", "member_status": "str", "latitude": "float64",
                 "longitude": "float64", "asian_collections_source": "str", "domains": "str",
                 "coordinate_source": "str", "status": "str", "source": "str"}
_INST_TYPES = {"id": "str", "name": "str", "city": "str", "country": "str", "country_code": "str",
               "region": "str", "member_status": "str", "latitude": "float64",
               "longitude": "float64", "coordinate_source": "str"}


def _empty(types: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in types.items()})


def typed_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None,
                types: dict[str, str] | None = None) -> pd.DataFrame:
    """Run ``sql`` and return its rows with the column ``types`` given (missing stays missing).

    An empty result, or a text column that is null in every row, otherwise arrives with
    ``object`` columns and breaks the joins that follow.
    """
    df = con.execute(sql, params or []).df()
    return df.astype({c: t for c, t in (types or {}).items() if c in df.columns})


def _aggregates(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Objects, collections and data statuses per museum (``whole_museum``) and per museum and
    origin, in one scan. The scan groups per museum, origin and status (a few rows per museum,
    however many objects match); both totals are then grouping sets over those few rows.
    An unknown origin is a null ``origin`` on a per-origin row."""
    where, params = holdings_sql(f)
    return typed_frame(con, f"""
        WITH g AS (
            SELECT h.institution_id, h.origin_country_code AS origin,
                   any_value(h.origin_country) AS origin_name, h.status,
                   sum(h.objects)::BIGINT AS objects, sum(h.collections)::BIGINT AS collections
            FROM {_from(con)} WHERE {where} GROUP BY ALL)
        SELECT institution_id, origin, any_value(origin_name) AS origin_name,
               GROUPING(origin) = 1 AS whole_museum,
               sum(objects)::BIGINT AS objects, sum(collections)::BIGINT AS collections,
               string_agg(DISTINCT status, ', ' ORDER BY status) AS statuses
        FROM g GROUP BY GROUPING SETS ((institution_id), (institution_id, origin))""",
                       params, _AGG_TYPES)


def holders_without_holdings(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Institutions stated to hold Asian collections (``asian_collections = 'yes'``, with its
    source) that have no holdings rows yet: "holdings not yet surveyed".

    The institution filters of ``f`` apply, and ``f.statuses`` to the institution row's own data
    status. With an origin, category, material or period filter there are none: nothing is known
    of what they hold, so they cannot be said to match.
    """
    if f.origins or f.categories or f.materials or f.period:
        return _empty(_HOLDER_TYPES)
    where, params = institution_sql(f)
    if f.statuses:
        sql, p = in_clause("i.status", f.statuses)
        where, params = f"{where} AND {sql}", params + p
    cols = ", ".join(f"i.{c}" for c in _HOLDER_TYPES)
    return typed_frame(con, f"""
        SELECT {cols} FROM institutions i
        WHERE i.asian_collections = 'yes' AND {where}
          AND NOT EXISTS (SELECT 1 FROM {store.holdings_source(con)} h
                          WHERE h.institution_id = i.id)
        ORDER BY i.name, i.id""", params, _HOLDER_TYPES)


def per_country(museums: pd.DataFrame) -> pd.DataFrame:
    """Totals per holding country from the per-museum frame: country_code, country, museums,
    collections, objects, statuses."""
    cols = ["country_code", "country", "museums", "collections", "objects", "statuses"]
    # plain Python over one row per museum: pandas' grouped aggregation with a set-union
    # lambda took ~140 ms of every filter change at 2,000 museums
    acc: dict = {}
    for code, name, o, k, st in zip(museums.country_code.tolist(), museums.country.tolist(),
                                    museums.objects.tolist(), museums.collections.tolist(),
                                    museums.statuses.tolist()):
        if code is None or (isinstance(code, float) and code != code):
            continue
        a = acc.setdefault(code, [name, 0, 0, 0, set()])
        a[1] += 1
        a[2] += int(k)
        a[3] += int(o)
        a[4].update(str(st).split(", "))
    rows = [(code, a[0], a[1], a[2], a[3], ", ".join(sorted(a[4]))) for code, a in acc.items()]
    out = pd.DataFrame(rows, columns=cols).astype(
        {"country_code": "str", "country": "str", "museums": "int64", "collections": "int64",
         "objects": "int64", "statuses": "str"})
    return out.sort_values(["objects", "country_code"], ascending=[False, True], ignore_index=True)


def map_data(con: duckdb.DuckDBPyConnection, f: Filters, *, flow_limit: int = FLOW_LIMIT) -> MapData:
    """Aggregates for every map layer under the filters ``f``.

    Parameters
    ----------
    con : DuckDB connection (or cursor) on the store.
    f : the shared filters.
    flow_limit : most origin -> museum arcs kept (largest by objects).
    """
    agg = _aggregates(con, f)
    inst = typed_frame(con, f"SELECT {', '.join(_INST_COLS)} FROM institutions", types=_INST_TYPES)
    museums = (agg[agg.whole_museum].rename(columns={"institution_id": "id"})
               .merge(inst, on="id")[_INST_COLS + ["objects", "collections", "statuses"]]
               .sort_values(["objects", "collections", "id"], ascending=[False, False, True],
                            ignore_index=True))
    pairs = agg[~agg.whole_museum & agg.origin.notna()]
    flows_total, flows_objects = len(pairs), int(pairs.objects.sum())
    cent = geo.country_centroids().set_index("iso_a3")
    fl = (pairs.sort_values(["objects", "institution_id", "origin"], ascending=[False, True, True])
          .head(flow_limit)
          .join(cent[["latitude", "longitude"]].rename(
              columns={"latitude": "origin_lat", "longitude": "origin_lon"}), on="origin")
          .merge(inst.rename(columns={"id": "institution_id"}), on="institution_id"))
    unplaced_origins = sorted(set(fl.origin[fl.origin_lat.isna()]))
    flows = (fl.dropna(subset=["origin_lat", "latitude", "longitude"])
             [["origin", "origin_name", "origin_lat", "origin_lon", "institution_id", "name", "city",
               "country", "latitude", "longitude", "objects", "collections", "statuses"]]
             .sort_values(["objects", "institution_id", "origin"], ascending=[False, True, True],
                          ignore_index=True))
    return MapData(museums=museums, flows=flows, countries=per_country(museums),
                   flows_total=flows_total, flows_objects_total=flows_objects,
                   unplaced_museums=int(museums.latitude.isna().sum()),
                   unplaced_origins=unplaced_origins,
                   unsurveyed=holders_without_holdings(con, f),
                   reference_objects=largest_museum(con))


def largest_museum(con: duckdb.DuckDBPyConnection) -> int:
    """Objects (catalogued and counted in collections) of the museum holding most, with no
    filter: the fixed reference of the map's dot sizes."""
    return int(con.execute(f"""SELECT coalesce(max(o), 0) FROM (
        SELECT sum(objects) AS o FROM {store.holdings_source(con)} GROUP BY institution_id)"""
                           ).fetchone()[0])


def holdings_table(con: duckdb.DuckDBPyConnection, f: Filters, *, limit: int = TABLE_LIMIT,
                   institution_id: str | None = None) -> tuple[pd.DataFrame, int]:
    """The filtered holdings as table rows, largest first, at most ``limit`` of them.

    A collection is one row; catalogued objects are grouped per museum, origin, category,
    material, period, status and source (a group of one keeps the object's title). Returns the
    frame and the number of rows that match (before the limit). Text columns are categoricals,
    so the browser payload stays small.
    """
    where, params = holdings_sql(f)
    if institution_id is not None:
        where += " AND h.institution_id = ?"
        params = params + [institution_id]
    source = store.holdings_source(con)
    # the pre-aggregated groups are the table's groups already; raw rows are grouped here
    agg = source != store.HOLDING_GROUPS
    t = f"""
    WITH t AS (
        SELECT h.institution_id, h.level, CASE WHEN h.level = 'collection' THEN h.id END AS cid,
               h.origin_country AS origin, h.category, h.material, h.date_text AS period,
               h.period_start, h.period_end, h.status, h.source,
               {"any_value(h.title)" if agg else "h.title"} AS title1,
               {"sum(h.n)::BIGINT" if agg else "h.n"} AS n,
               {"sum(h.objects)::BIGINT" if agg else "h.objects"} AS objects
        FROM {source} h JOIN institutions i ON i.id = h.institution_id
        WHERE {where} {"GROUP BY ALL" if agg else ""})"""
    # the count, and the objects of the limit-th largest row: only rows at least that large
    # are joined to their museums and sorted (ties at the cut are all kept for the sort)
    total, cut = con.execute(f"""{t}
        SELECT count(*), (SELECT objects FROM t ORDER BY objects DESC LIMIT 1 OFFSET ?)
        FROM t""", params + [max(limit - 1, 0)]).fetchone()
    sql = f"""{t}
    SELECT i.name AS museum, i.city, i.country,
           CASE WHEN t.level = 'collection' OR t.n = 1 THEN t.title1
                ELSE format('{{:,}} catalogued objects', t.n) END AS title,
           CASE WHEN t.level = 'collection' THEN 'collection' ELSE 'objects' END AS kind,
           t.origin, t.category, t.material, t.period, t.period_start, t.period_end, t.objects,
           t.status, t.source, t.institution_id
    FROM t JOIN institutions i ON i.id = t.institution_id
    WHERE t.objects >= ?
    ORDER BY t.objects DESC, museum, title
    LIMIT ?
    """
    df = con.execute(sql, params + [cut if cut is not None else -1, limit]).df()
    total = int(total or 0)
    for c in ("period_start", "period_end"):  # 32-bit: half the bytes sent to the browser
        df[c] = df[c].astype("Int32")
    df["objects"] = df["objects"].astype("int32")
    for c in ("museum", "city", "country", "title", "kind", "origin", "category", "material",
              "period", "status", "source", "institution_id"):
        df[c] = df[c].astype("category")
    return df, total


def museum_detail(con: duckdb.DuckDBPyConnection, institution_id: str, f: Filters, *,
                  limit: int = 500) -> dict | None:
    """One museum: ``info`` (its institutions row as a dict), ``holdings`` (its holdings under the
    filters, as in holdings_table, at most ``limit`` rows), ``rows`` (how many match before the
    limit), ``total_collections`` (its collections with no filters),
    ``collaborations`` (both directions, with partner, type, programme, years, source, status)
    and ``has_holdings`` (any collection or object row at all). None when the id is unknown."""
    info = con.execute("SELECT * FROM institutions WHERE id = ?", [institution_id]).df()
    if info.empty:
        return None
    holdings, rows = holdings_table(con, f, limit=limit, institution_id=institution_id)
    total = con.execute("SELECT count(*) FROM collections WHERE institution_id = ?",
                        [institution_id]).fetchone()[0]
    collab = con.execute("""
        SELECT p.name AS partner, p.country AS partner_country, c.type, c.programme,
               c.year_start, c.year_end, c.date_text, c.source, c.status,
               CASE WHEN c.institution_a = $1 THEN c.institution_b ELSE c.institution_a END AS partner_id
        FROM collaborations c
        LEFT JOIN institutions p
               ON p.id = CASE WHEN c.institution_a = $1 THEN c.institution_b ELSE c.institution_a END
        WHERE c.institution_a = $1 OR c.institution_b = $1
        ORDER BY c.year_start NULLS LAST, c.id""", [institution_id]).df()
    collab["partner"] = collab["partner"].fillna(collab["partner_id"])
    collab["years"] = [_years(a, b, t) for a, b, t in
                       zip(collab.year_start, collab.year_end, collab.date_text)]
    collab = collab[["partner", "partner_country", "type", "programme", "years", "source", "status"]]
    row = info.iloc[0].to_dict()
    any_holding = con.execute("SELECT count(*) FROM holdings WHERE institution_id = ?",
                              [institution_id]).fetchone()[0]
    return dict(info=row, holdings=holdings, rows=rows, total_collections=int(total),
                collaborations=collab,
                has_holdings=bool(any_holding))


def asian_collections_note(info: dict, has_holdings: bool = True) -> str:
    """What is known of an institution's Asian collections, for its panel: the statement with
    its source, the register's domains, and whether its holdings are surveyed ('' when nothing
    is stated). ``info`` and ``has_holdings`` as museum_detail gives them."""
    def text(key):
        v = info.get(key)
        return v.strip() if isinstance(v, str) and v.strip() else None

    said = {"yes": "Holds Asian collections", "no": "Holds no Asian collections"}.get(
        text("asian_collections") or "")
    if said is None:
        return ""
    out = f"{said} (source: {text('asian_collections_source') or 'not stated'})"
    if text("domains"):
        out += f"; domains: {text('domains').replace(';', ', ')}"
    if said.startswith("Holds Asian") and not has_holdings:
        out += "; holdings not yet surveyed"
    return out + "."


def _years(start, end, text) -> str:
    """'2006', '2006-2008', the stated date text, or '' (unknown stays unknown)."""
    if pd.notna(start):
        s = str(int(start))
        return s if pd.isna(end) or int(end) == int(start) else f"{s}–{int(end)}"
    return "" if text is None or pd.isna(text) else str(text)


def picked_museum(selection) -> str | None:
    """The museum id a click on the map picked: the first object of the ``museums`` dots, else
    of the ``unsurveyed`` rings, in a pydeck selection (``.objects`` or a dict with
    ``objects``); None when the click hit nothing (a click on empty map clears the pick). Other
    layers (labels, flows, squares) pick nothing."""
    objects = (selection.get("objects") if isinstance(selection, dict)
               else getattr(selection, "objects", None)) or {}
    for layer in ("museums", "unsurveyed"):
        for obj in objects.get(layer) or []:
            if isinstance(obj, dict) and isinstance(obj.get("id"), str) and obj["id"]:
                return obj["id"]
    return None


# --- page state in the URL -------------------------------------------------------------------
@dataclass(frozen=True)
class MapState:
    """What the map shows besides the filters: active layers, colour mode, selected museum."""

    layers: tuple[str, ...] = DEFAULT_LAYERS
    color: str = DEFAULT_COLOR
    museum: str | None = None
    view: str = DEFAULT_VIEW

    def to_query(self) -> dict[str, str | None]:
        """Query-string values (None where the default applies, so links stay short)."""
        layers = tuple(x for x in LAYERS if x in self.layers)
        return dict(layers=None if layers == DEFAULT_LAYERS else (",".join(layers) or "none"),
                    color=None if self.color == DEFAULT_COLOR else self.color,
                    museum=self.museum or None,
                    view=None if self.view == DEFAULT_VIEW else self.view)

    @classmethod
    def from_query(cls, params: dict, con: duckdb.DuckDBPyConnection | None = None
                   ) -> tuple[MapState, list[str]]:
        """Read the state from a query string; invalid values are dropped, each with a notice.
        ``con`` checks that a museum id exists."""
        notices, values = [], {}
        raw = params.get("layers")
        if raw:
            items = [x.strip() for x in str(raw).split(",") if x.strip()]
            bad = [x for x in items if x not in LAYERS and x != "none"]
            notices += [f"Ignored '{x}' in the link: not a map layer." for x in bad]
            values["layers"] = tuple(x for x in LAYERS if x in items)
            if bad and not values["layers"] and "none" not in items:
                del values["layers"]
        raw = params.get("color")
        if raw:
            if raw in COLOR_MODES:
                values["color"] = raw
            else:
                notices.append(f"Ignored colour '{raw}' in the link: use region or member.")
        raw = params.get("view")
        if raw:
            if raw in VIEWS:
                values["view"] = raw
            else:
                notices.append(f"Ignored map view '{str(raw)[:40]}' in the link: use one of "
                               f"{', '.join(VIEWS)}.")
        raw = params.get("museum")
        if raw:
            ok = con is None or con.execute("SELECT count(*) FROM institutions WHERE id = ?",
                                            [str(raw)]).fetchone()[0] > 0
            if ok:
                values["museum"] = str(raw)
            else:
                notices.append(f"Ignored museum '{str(raw)[:60]}' in the link: no such museum.")
        return cls(**values), notices


#: Tables the "Records (importable)" download writes, each in the store's own columns.
RECORD_TABLES = ("collections", "objects")
#: Most rows (both tables together) the records download builds in memory; above it the page
#: points to the Data page's Parquet export of the whole tables instead.
RECORDS_LIMIT = 1_000_000


def _records_sql(table: str, f: Filters) -> tuple[str, list]:
    # the holdings filters name the holdings view's columns, which the two tables share
    where, params = holdings_sql(f)
    cols = ", ".join(f'h."{c}"' for c in access.visible_columns(table))
    return (f"SELECT {cols} FROM {access.relation(table)} h "
            f"JOIN institutions i ON i.id = h.institution_id WHERE {where}"), params


def records_count(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, int]:
    """Rows of each of ``RECORD_TABLES`` that match the filters ``f``."""
    out = {}
    for table in RECORD_TABLES:
        sql, params = _records_sql(table, f)
        out[table] = int(con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
    return out


def records(con: duckdb.DuckDBPyConnection, f: Filters, table: str) -> pd.DataFrame:
    """The rows of ``table`` (``collections`` or ``objects``) that match the filters ``f``, in
    the table's own columns and types (as the importer reads them back), ordered by id."""
    if table not in RECORD_TABLES:
        raise KeyError(f"unknown records table {table!r}; use one of {', '.join(RECORD_TABLES)}")
    sql, params = _records_sql(table, f)
    return con.execute(f"{sql} ORDER BY h.id", params).df()


def records_zip(con: duckdb.DuckDBPyConnection, f: Filters, source: str,
                limit: int = RECORDS_LIMIT) -> bytes:
    """A zip of ``collections.csv`` and ``objects.csv``: the matching rows of each table, written
    by ``export.csv_bytes`` with ``source`` in the first line, so each imports again as its table.

    Raises InputError when more than ``limit`` rows match (checked before any row is read).
    """
    n = sum(records_count(con, f).values())
    if n > limit:
        raise InputError([Issue("records download", f"{n:,} rows match, more than the {limit:,} "
                                "a download holds; narrow the filters, or export the whole "
                                "tables as Parquet from the Data page")])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for table in RECORD_TABLES:
            z.writestr(f"{table}.csv", export.csv_bytes(records(con, f, table),
                                                        f"{source}; table {table}"))
    return buf.getvalue()
