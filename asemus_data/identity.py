"""Who is who: external identifiers of institutions, matching incoming institutions to the ones
already in the store, and references to institutions by any of their identifiers.

* **Crosswalk** ``institution_identifiers(institution_id, scheme, value, source, status)``: a
  national register id (Muséofile ``M5055``), an ISIL, a Wikidata QID... An incoming file gives
  them in columns named ``identifier_<scheme>`` (``identifier_museofile``, ``identifier_isil``,
  ``identifier_wikidata``), which a mapping can fill (``{join: [ref], into:
  identifier_museofile}``).
* **Matching** an imported institution whose id is new: by identifier first (it is the same
  institution: the rows merge, filling only the empty fields of the one in the store, never
  overwriting a value it has), then by normalised name + city (rapidfuzz): a likely match is put
  to the user (held back, listed for review; never imported silently as a second institution);
  the rest are new.
* **References**: visitor statistics, objects and every other table may name an institution by
  any of its identifiers; :func:`prepare` turns them into the institution's id before
  validation. References that lead nowhere are reported (count and first examples); visitor
  statistics keep them (and :func:`dangling_references` lists them), other tables refuse them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from . import store as st
from .errors import InputError, Issue
from .schemas import TABLES, columns
from .validate import validate_frame

IDENTIFIER_PREFIX = "identifier_"
#: Schemes with a meaning known here (any other lowercase scheme name is accepted as well).
SCHEMES = {"museofile": "Muséofile, France's register of Musées de France (e.g. M5055)",
           "isil": "International Standard Identifier for Libraries and Related Organizations",
           "wikidata": "Wikidata item (e.g. Q193520)"}
#: rapidfuzz token_set_ratio (0-100) of the normalised names from which a same-city institution
#: is put to review.
NAME_THRESHOLD = 90
#: Words that say what kind of place it is, not which one: left out when names are compared, so
#: that 'Musée X' and 'X Museum' match and two 'National Museum of ...' do not.
_GENERIC = {"musee", "museum", "museo", "museu", "muzeum", "museet", "musees", "museums", "de", "du",
            "des", "la", "le", "les", "l", "d", "of", "the", "and", "et", "national", "nationale",
            "municipal", "art", "arts"}
#: Fields a merge may fill although they hold a value: these values mean "not known".
_UNKNOWN = {"unknown", "not documented"}
#: Never touched by a merge: the row's identity and provenance stay those of the row in the store.
_KEEP = {"id", "source", "status", "source_extra", "member_status", "region", "country",
         "country_code", "coord_precision", "coordinate_source"}
REVIEW_COLUMNS = ["decision", "score", "incoming_id", "incoming_name", "incoming_city",
                  "candidate_id", "candidate_name", "candidate_city", "file", "row", "identifiers",
                  "data"]


def normalise_name(text) -> str:
    """Lowercase ASCII words: accents dropped, punctuation and dashes as spaces."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", t))


def _core(name: str, city: str = "") -> list[str]:
    """The words that tell one institution from another: no generic words, no city words."""
    drop = _GENERIC | set(normalise_name(city).split())
    return [w for w in normalise_name(name).split() if w not in drop]


def name_score(a: str, b: str, city: str = "") -> float:
    """How likely two names in one city are the same institution, 0-100 (rapidfuzz). One name's
    distinctive words contained in the other's score high ('musée du quai Branly' ~ 'musée du
    Quai Branly - Jacques Chirac'), but only when there are at least two of them: one word
    ('Tokyo Test Museum' against 'Tokyo National Museum') is compared whole. Names with no
    distinctive word match only when they are equal once normalised."""
    from rapidfuzz import fuzz  # lazy: 0.1 s to import, only for the likely name + city match
    ca, cb = _core(a, city), _core(b, city)
    if not ca or not cb:
        return 100.0 if normalise_name(a) == normalise_name(b) else 0.0
    if min(len(ca), len(cb)) >= 2:
        return float(fuzz.token_set_ratio(" ".join(ca), " ".join(cb)))
    return float(fuzz.token_sort_ratio(" ".join(ca), " ".join(cb)))


# --- the crosswalk ---------------------------------------------------------------------------
def identifier_lookup(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], set[str]]:
    """Identifier value (case-folded) -> institution id, and the values that name two different
    institutions (ambiguous: never resolved)."""
    rows = con.execute("SELECT DISTINCT value, institution_id FROM institution_identifiers "
                       "WHERE value IS NOT NULL").fetchall()
    out: dict[str, str] = {}
    ambiguous: set[str] = set()
    for value, inst in rows:
        k = str(value).strip().casefold()
        if k in out and out[k] != inst:
            ambiguous.add(k)
        out[k] = inst
    for k in ambiguous:
        out.pop(k, None)
    return out, ambiguous


def identifiers_of(con: duckdb.DuckDBPyConnection, institution_id: str) -> pd.DataFrame:
    """The identifiers recorded for one institution (scheme, value, source)."""
    return con.execute("SELECT scheme, value, source FROM institution_identifiers "
                       "WHERE institution_id = ? ORDER BY scheme, value", [institution_id]).df()


def _split_identifiers(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Take the ``identifier_<scheme>`` columns out of a frame: (frame without them, long frame
    of index, scheme, value)."""
    cols = [c for c in df.columns if str(c).startswith(IDENTIFIER_PREFIX)]
    if not cols:
        return df, pd.DataFrame(columns=["index", "scheme", "value"])
    rows = []
    for c in cols:
        scheme = str(c)[len(IDENTIFIER_PREFIX):].strip().lower()
        for idx, v in df[c].items():
            if v is not None and not (isinstance(v, float) and v != v) and str(v).strip():
                rows.append((idx, scheme, str(v).strip()))
    out = df.drop(columns=cols)
    out.attrs = dict(df.attrs)
    return out, pd.DataFrame(rows, columns=["index", "scheme", "value"])


def subset_identifiers(idents: pd.DataFrame, positions: list[int]) -> pd.DataFrame:
    """The identifiers of the rows at ``positions``, re-indexed 0..n-1 as a frame of those rows
    is (the rows a partial import keeps)."""
    new = {p: k for k, p in enumerate(positions)}
    out = idents[idents["index"].isin(new)].copy()
    out["index"] = out["index"].map(new)
    return out


def apply_review_to_store(decisions: pd.DataFrame, *, store=None, file: str = "review") -> dict:
    """:func:`apply_review` in one write of the store (all decisions or none)."""
    with st.writing(store) as con:
        return apply_review(con, decisions, file=file)


# --- references ------------------------------------------------------------------------------
def _ref_columns(table: str) -> tuple[str, ...]:
    refs = TABLES[table].institution_refs
    if table == "visitor_stats":
        refs = refs + ("institution_id",)
    return refs


def prepare(con: duckdb.DuckDBPyConnection, df: pd.DataFrame, table: str
            ) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Before validation: take the identifier columns out (institutions) and turn references by
    identifier into institution ids (every table). Returns the frame, the identifiers (index,
    scheme, value) and notes for the import report: references resolved, and, for visitor
    statistics, references that lead nowhere (count and first examples; other tables refuse
    those in validation)."""
    df, idents = _split_identifiers(df)
    notes: list[Issue] = []
    refs = [c for c in _ref_columns(table) if c in df.columns]
    if not refs:
        return df, idents, notes
    file = str(df.attrs.get("file") or "<data>")
    known = {r[0] for r in con.execute("SELECT id FROM institutions").fetchall()}
    lookup, ambiguous = identifier_lookup(con)
    out = df.copy()
    out.attrs = dict(df.attrs)
    for col in refs:
        resolved, examples, dangling = 0, {}, {}
        values = []
        for v in out[col]:
            if v is None or (isinstance(v, float) and v != v) or not str(v).strip() \
                    or str(v).strip() in known:
                values.append(v)
                continue
            k = str(v).strip().casefold()
            if k in lookup:
                values.append(lookup[k])
                resolved += 1
                examples.setdefault(str(v).strip(), lookup[k])
            else:
                values.append(str(v).strip())
                dangling[str(v).strip()] = dangling.get(str(v).strip(), 0) + 1
        out[col] = pd.Series(values, index=out.index, dtype=object)
        if resolved:
            eg = ", ".join(f"{a} -> {b}" for a, b in list(examples.items())[:3])
            notes.append(Issue(file, f"{resolved:,} references resolved through institution "
                                     f"identifiers (e.g. {eg})", column=col))
        amb = sorted(k for k in dangling if k.casefold() in ambiguous)
        if amb:
            notes.append(Issue(file, "identifier recorded for two different institutions; not "
                                     "resolved", column=col, value=", ".join(amb[:5])))
        if dangling and table == "visitor_stats":
            n = sum(dangling.values())
            eg = ", ".join(list(dangling)[:5])
            notes.append(Issue(file, f"{n:,} rows ({len(dangling):,} distinct references) name "
                                     "no institution in the store nor any of its identifiers "
                                     f"(e.g. {eg}); they are kept, counted by their own key, and "
                                     "listed on the page until the institutions are imported",
                               column=col))
    return out, idents, notes


def dangling_references(con: duckdb.DuckDBPyConnection, table: str = "visitor_stats",
                        limit: int = 10) -> dict:
    """References in ``table`` to no institution (neither an id nor a recorded identifier):
    ``rows``, ``distinct`` and ``examples`` (reference, rows, a name the source gives)."""
    cols = _ref_columns(table)
    name = "institution_name" if table == "visitor_stats" else "NULL"
    parts = [f"""SELECT {c} AS ref, {name} AS name FROM "{table}" t
                 WHERE {c} IS NOT NULL AND {c} <> ''
                   AND {c} NOT IN (SELECT id FROM institutions)
                   AND lower({c}) NOT IN (SELECT lower(value) FROM institution_identifiers)"""
             for c in cols]
    if not parts:
        return dict(rows=0, distinct=0, examples=pd.DataFrame(columns=["reference", "rows", "name"]))
    sql = " UNION ALL ".join(parts)
    rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT ref) FROM ({sql})").fetchall()[0]
    ex = con.execute(f"""SELECT ref AS reference, count(*) AS rows, any_value(name) AS name
                         FROM ({sql}) GROUP BY ref ORDER BY rows DESC, ref LIMIT {int(limit)}"""
                     ).df()
    return dict(rows=int(rows), distinct=int(distinct), examples=ex)


# --- matching institutions -------------------------------------------------------------------
@dataclass
class Plan:
    """What an institutions import will do with each incoming row (by frame index)."""

    new: list = field(default_factory=list)
    #: index -> the id of the institution in the store it is (an identifier matched)
    merge: dict = field(default_factory=dict)
    #: index -> (candidate id, score): likely the same institution by name and city
    review: dict = field(default_factory=dict)


def _existing(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT id, name, name_local, alt_names, city, country_code "
                       "FROM institutions").df()


def _shipped_identifiers(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Identifier value (case-folded) -> institution id, for the identifiers the build wrote
    (not recorded by an import or a review decision: those are 'imported') of institutions no
    import wrote (built-in rows, e.g. the Muséofile register's museums shipped in data/)."""
    rows = con.execute(
        """SELECT value, institution_id FROM institution_identifiers
           WHERE value IS NOT NULL AND COALESCE(status, '') <> 'imported'
             AND institution_id NOT IN (SELECT row_key FROM import_rows
                                        WHERE table_name = 'institutions')""").fetchall()
    return {str(v).strip().casefold(): i for v, i in rows}


def plan_institutions(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame,
                      idents: pd.DataFrame, *, leaving: set[str] = frozenset()) -> Plan:
    """Match validated incoming institutions to those in the store: identifier first, then
    normalised name + city (same country; rapidfuzz token_set_ratio of the names without
    generic words >= NAME_THRESHOLD, over the name, local name and alternative names). Rows whose
    id is already in the store are left to the import's own rule (refused as taken).
    ``leaving``: ids of institutions the same write removes (the earlier import a replace takes
    away), matched as if already gone."""
    plan = Plan()
    lookup, _ = identifier_lookup(con)
    lookup = {k: v for k, v in lookup.items() if v not in leaving}
    have = _existing(con)
    have = have[~have["id"].isin(list(leaving))]
    ids = set(have["id"])
    shipped = _shipped_identifiers(con)
    names: dict[tuple, list] = {}
    for r in have.itertuples():
        key = (r.country_code, normalise_name(r.city))
        alts = [r.name, r.name_local] + (str(r.alt_names).split(";") if isinstance(r.alt_names, str)
                                         else [])
        names.setdefault(key, []).append((r.id, [a for a in alts if isinstance(a, str)
                                                 and a.strip()]))
    by_index = idents.groupby("index")["value"].apply(list).to_dict() if len(idents) else {}
    for idx, row in frame.iterrows():
        if row["id"] in ids:
            # the same id and one of the identifiers the build shipped for it, on a row no import
            # wrote (the register's museums in data/, imported again from the whole register):
            # the same institution, merged. A row an earlier import wrote is refused as taken
            # (an edited file imported again: replace the earlier import instead).
            if any(shipped.get(v.casefold()) == row["id"] for v in by_index.get(idx, [])):
                plan.merge[idx] = row["id"]
            else:
                plan.new.append(idx)
            continue
        hit = next((lookup[v.casefold()] for v in by_index.get(idx, []) if v.casefold() in lookup),
                   None)
        if hit is not None:
            plan.merge[idx] = hit
            continue
        best, score = None, 0.0
        city = normalise_name(row.get("city"))
        other = row.get("alt_names")
        mine = [row["name"]] + ([a for a in str(other).split(";") if a.strip()]
                                if isinstance(other, str) else [])
        if city:
            for cand, alts in names.get((row["country_code"], city), []):
                s = max((name_score(m, a, city) for m in mine for a in alts), default=0.0)
                if s > score:
                    best, score = cand, s
        if best is not None and score >= NAME_THRESHOLD:
            plan.review[idx] = (best, round(float(score), 1))
        else:
            plan.new.append(idx)
    return plan


def _blank(v) -> bool:
    if v is None or v is pd.NA:
        return True
    if isinstance(v, float):
        return v != v
    return isinstance(v, str) and not v.strip()


def merge_into(con: duckdb.DuckDBPyConnection, institution_id: str, row: pd.Series, *,
               file: str, src_row=None) -> tuple[list[str], list[Issue]]:
    """Fill the empty fields of an institution in the store from an incoming row; a field that
    holds a value keeps it (a difference is reported, never written). Returns the columns
    filled and the differences kept."""
    cols = [c for c in columns("institutions") if c not in _KEEP and c in row.index]
    cur = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM institutions '
                      "WHERE id = ?", [institution_id]).df().iloc[0]
    filled, kept = [], []
    for c in cols:
        new, old = row[c], cur[c]
        if _blank(new) or (isinstance(new, str) and new in _UNKNOWN):
            continue
        if _blank(old) or (isinstance(old, str) and old in _UNKNOWN):
            con.execute(f'UPDATE institutions SET "{c}" = ? WHERE id = ?',
                        [new.item() if hasattr(new, "item") else new, institution_id])
            filled.append(c)
        elif str(old) != str(new) and c not in ("latitude", "longitude", "asian_collections_source"):
            kept.append(Issue(file, f"kept the value of '{institution_id}' in the store "
                                    f"({str(old)[:60]!r}); the file says otherwise",
                              row=src_row, column=c, value=new))
    if "asian_collections" in filled and "asian_collections_source" in row.index \
            and _blank(row.get("asian_collections_source")):
        con.execute("UPDATE institutions SET asian_collections_source = ? WHERE id = ?",
                    [str(row.get("source")), institution_id])
    return filled, kept


def add_identifiers(con: duckdb.DuckDBPyConnection, rows, *, status: str = "imported"
                    ) -> tuple[int, list[Issue]]:
    """Record identifiers, given as (institution_id, scheme, value, source) tuples, in one
    statement. A value already recorded under the same scheme for the same institution is
    skipped; for another institution it is refused (returned as an issue), as is a value given
    to two institutions in ``rows``. Returns (identifiers added, issues)."""
    df = pd.DataFrame(list(rows), columns=["institution_id", "scheme", "value", "source"])
    if df.empty:
        return 0, []
    df["status"] = status
    df["k"] = df["value"].str.casefold()
    issues = []
    twice = df[df.duplicated(["scheme", "k"], keep=False)
               & ~df.duplicated(["scheme", "k", "institution_id"], keep=False)]
    for (scheme, _k), g in twice.groupby(["scheme", "k"]):
        issues.append(Issue(g["source"].iloc[0], "identifier given to several institutions in "
                            f"one file ({', '.join(g['institution_id'])}); not recorded",
                            column=scheme, value=g["value"].iloc[0]))
    df = df.drop(index=twice.index).drop_duplicates(["scheme", "k"])
    con.register("_idents", df)
    try:
        taken = con.execute("""SELECT n.institution_id, n.scheme, n.value, n.source, x.institution_id
                               FROM _idents n JOIN institution_identifiers x
                                 ON x.scheme = n.scheme AND lower(x.value) = n.k""").fetchall()
        issues += [Issue(src, f"identifier already recorded for '{other}'; not given to '{inst}'",
                         column=scheme, value=value)
                   for inst, scheme, value, src, other in taken if other != inst]
        n = con.execute("""INSERT INTO institution_identifiers
                               (institution_id, scheme, value, source, status)
                           SELECT institution_id, scheme, value, source, status FROM _idents n
                           WHERE NOT EXISTS (SELECT 1 FROM institution_identifiers x
                                             WHERE x.scheme = n.scheme AND lower(x.value) = n.k)
                        """).fetchall()[0][0]
    finally:
        con.unregister("_idents")
    return int(n), issues


def _ensure_review_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""CREATE TABLE IF NOT EXISTS institution_review (
        review_id BIGINT, file VARCHAR, "row" BIGINT, score DOUBLE, incoming_id VARCHAR,
        incoming_name VARCHAR, incoming_city VARCHAR, candidate_id VARCHAR, candidate_name VARCHAR,
        candidate_city VARCHAR, identifiers VARCHAR, data VARCHAR, decision VARCHAR,
        decided_at TIMESTAMP)""")
    # the import that held the row back, so that replacing that import withdraws it
    con.execute("ALTER TABLE institution_review ADD COLUMN IF NOT EXISTS import_id BIGINT")


def drop_pending_review(con: duckdb.DuckDBPyConnection, import_id: int, *,
                        incoming_ids=(), replacement: int | None = None) -> int:
    """Withdraw the rows an import held back for review and nobody has decided yet (its
    replacement holds them back again if they still look like a match); decisions taken stay.

    Rows held before the review table named their import (``import_id`` NULL: written between
    the review table's arrival and its import column, so a store of that day may hold them) are
    matched by the import's file name only when nothing else can own them: their incoming id is
    one of the replacement's rows (``incoming_ids``: it holds them back again) and no other
    import of that file name into institutions is still live (``replacement``, the import doing
    the replacing, excepted). Other legacy rows are left alone. Returns the number withdrawn."""
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                       "'institution_review' AND table_catalog = current_database()").fetchall()[0][0]:
        return 0
    _ensure_review_table(con)
    n = con.execute("DELETE FROM institution_review WHERE decision IS NULL AND import_id = ?",
                    [int(import_id)]).fetchall()[0][0]
    ids = sorted({str(i) for i in incoming_ids})
    if not ids:
        return int(n)
    legacy = con.execute(
        """DELETE FROM institution_review WHERE decision IS NULL AND import_id IS NULL
               AND list_contains($ids, incoming_id)
               AND file = (SELECT file_name FROM import_log WHERE import_id = $id)
               AND NOT EXISTS (SELECT 1 FROM import_log l WHERE l.table_name = 'institutions'
                               AND l.file_name = institution_review.file
                               AND l.replaced_by IS NULL AND l.import_id <> $id
                               AND l.import_id <> $new)""",
        {"id": int(import_id), "ids": ids,
         "new": -1 if replacement is None else int(replacement)}).fetchall()[0][0]
    return int(n) + int(legacy)


@dataclass
class IdentityReport:
    """What an institutions import did besides inserting rows."""

    merged: list = field(default_factory=list)      # (incoming id, institution id, columns filled)
    review: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVIEW_COLUMNS))
    identifiers: int = 0
    notes: list = field(default_factory=list)


def _jsonable(v):
    if _blank(v):
        return None
    return v.item() if hasattr(v, "item") else v


def _replaced_institutions(con: duckdb.DuckDBPyConnection, sha256) -> set[str]:
    """Ids of the institutions written by the earlier imports of this content, which a replace
    removes in the same write."""
    return {r[0] for r in con.execute(
        "SELECT r.row_key FROM import_rows r JOIN import_log l USING (import_id) "
        "WHERE l.sha256 = ? AND l.table_name = 'institutions' AND l.replaced_by IS NULL",
        [sha256]).fetchall()}


def write_institutions(con: duckdb.DuckDBPyConnection, validation, idents: pd.DataFrame, *,
                       file_name: str, write_import, source_rows=None, **kwargs):
    """Write an institutions import through identity matching: new rows through
    ``write_import`` (the store's, with its log and refusals), identifier matches merged into
    the institution in the store, likely name matches held back in the review table (and
    returned), identifiers recorded in the crosswalk. Call inside one store write, so that all of
    it happens or none. Returns write_import's result with ``identity`` (an IdentityReport)."""
    frame = validation.frame
    leaving = _replaced_institutions(con, kwargs.get("sha256")) if kwargs.get("replace") else set()
    plan = plan_institutions(con, frame, idents, leaving=leaving)
    source_rows = list(source_rows or [])
    rows = {idx: source_rows[idx] if isinstance(idx, int) and idx < len(source_rows) else None
            for idx in frame.index}
    rep = IdentityReport()
    by_index = {i: list(zip(g["scheme"], g["value"])) for i, g in idents.groupby("index")} \
        if len(idents) else {}
    new_v = type(validation)(validation.table, validation.file, frame.loc[plan.new],
                             warnings=list(validation.warnings))
    result = write_import(con, new_v, file_name=file_name, **kwargs)
    for earlier in getattr(result, "replaced", None) or []:
        # held again below if they still look like a match
        drop_pending_review(con, earlier, incoming_ids=frame["id"],
                            replacement=getattr(result, "import_id", None))
    if leaving:  # identifiers of the institutions the replace removed go with them
        con.execute("DELETE FROM institution_identifiers WHERE list_contains(?, institution_id) "
                    "AND institution_id NOT IN (SELECT id FROM institutions)", [sorted(leaving)])
    owner = {idx: frame.at[idx, "id"] for idx in plan.new}
    for idx, target in plan.merge.items():
        filled, kept = merge_into(con, target, frame.loc[idx], file=file_name, src_row=rows.get(idx))
        rep.merged.append((frame.at[idx, "id"], target, filled))
        rep.notes += kept
        owner[idx] = target
    n, issues = add_identifiers(con, [(owner[idx], scheme, value, str(frame.at[idx, "source"]))
                                      for idx in owner for scheme, value in by_index.get(idx, [])])
    rep.identifiers, rep.notes = n, rep.notes + issues
    if plan.review:
        _ensure_review_table(con)
        start = con.execute("SELECT coalesce(max(review_id), 0) FROM institution_review"
                            ).fetchall()[0][0]
        have = _existing(con).set_index("id")
        recs = []
        for k, (idx, (cand, score)) in enumerate(plan.review.items(), start=1):
            r = frame.loc[idx]
            recs.append(dict(review_id=start + k, file=file_name, row=rows.get(idx), score=score,
                             incoming_id=r["id"], incoming_name=r["name"],
                             incoming_city=_jsonable(r.get("city")), candidate_id=cand,
                             candidate_name=have.at[cand, "name"],
                             candidate_city=_jsonable(have.at[cand, "city"]),
                             identifiers=json.dumps(by_index.get(idx, []), ensure_ascii=False),
                             data=json.dumps({c: _jsonable(r[c]) for c in frame.columns},
                                             ensure_ascii=False, default=str),
                             decision=None, decided_at=None,
                             import_id=getattr(result, "import_id", None)))
        # a row already waiting (same incoming id and candidate, from an earlier import of this
        # or another file) is not listed twice
        waiting = {(a, b): r for a, b, r in con.execute(
            "SELECT incoming_id, candidate_id, min(review_id) FROM institution_review "
            "WHERE decision IS NULL GROUP BY ALL").fetchall()}
        again = [r for r in recs if (r["incoming_id"], r["candidate_id"]) in waiting]
        recs = [r for r in recs if (r["incoming_id"], r["candidate_id"]) not in waiting]
        for k, r in enumerate(recs, start=1):
            r["review_id"] = start + k
        if again:
            eg = ", ".join(f"{r['incoming_id']} (review "
                           f"{waiting[(r['incoming_id'], r['candidate_id'])]})" for r in again[:5])
            rep.notes.append(Issue(file_name, f"{len(again)} rows are already waiting for review "
                                   f"from an earlier import: held back, not listed again; e.g. "
                                   f"{eg}"))
        df = pd.DataFrame(recs, columns=list(recs[0]) if recs else None)
        if recs:
            con.register("_review", df)
            try:
                con.execute("INSERT INTO institution_review BY NAME SELECT * FROM _review")
            finally:
                con.unregister("_review")
        rep.review = df if recs else pd.DataFrame(columns=REVIEW_COLUMNS)
    if (plan.merge or plan.review) and getattr(result, "import_id", None) is not None:
        con.execute("UPDATE import_log SET note = concat_ws('; ', note, ?) WHERE import_id = ?",
                    [f"{len(plan.merge)} merged by identifier, {len(plan.review)} held for review",
                     result.import_id])
    result.identity = rep
    result.warnings = list(result.warnings) + _report_issues(rep, file_name)
    return result


def _report_issues(rep: IdentityReport, file: str) -> list[Issue]:
    out = []
    if rep.merged:
        eg = "; ".join(f"{a} -> {b}" + (f" (filled {', '.join(c)})" if c else "")
                       for a, b, c in rep.merged[:5])
        out.append(Issue(file, f"{len(rep.merged)} rows are institutions already in the store "
                               f"(same identifier): merged, only empty fields filled; e.g. {eg}"))
    if len(rep.review):
        eg = "; ".join(f"row {r.row}: '{r.incoming_name}' ~ '{r.candidate_name}' ({r.score:.0f})"
                       for r in rep.review.head(5).itertuples())
        out.append(Issue(file, f"{len(rep.review)} rows look like institutions already in the "
                               "store (name and city): held back for review, not imported; "
                               f"decide on the Data page or with --review FILE; e.g. {eg}"))
    return out + list(rep.notes)


# --- review ------------------------------------------------------------------------------------
def pending_review(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Incoming institutions held back as likely matches, not yet decided."""
    try:
        return con.execute("""SELECT review_id, NULL AS decision, score, incoming_id, incoming_name,
                                     incoming_city, candidate_id, candidate_name, candidate_city,
                                     file, "row", identifiers, data
                              FROM institution_review WHERE decision IS NULL
                              ORDER BY review_id""").df()
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["review_id"] + REVIEW_COLUMNS)


def write_review_csv(review: pd.DataFrame, path) -> int:
    """Write review rows to a CSV the user fills in: ``decision`` = merge (the same institution),
    new (a different one) or skip. Returns the number of rows."""
    review.to_csv(path, index=False, encoding="utf-8")
    return len(review)


DECISIONS = ("merge", "new", "skip")


def apply_review(con: duckdb.DuckDBPyConnection, decisions: pd.DataFrame, *, file: str = "review"
                 ) -> dict:
    """Apply decisions (columns review_id, decision) to held-back rows: merge fills the empty
    fields of the candidate and records the identifiers; new inserts the row as a new
    institution (validated again); skip drops it. Undecided rows stay pending. Returns counts."""
    _ensure_review_table(con)
    issues, counts = [], {"merge": 0, "new": 0, "skip": 0, "pending": 0}
    todo = []
    for i, r in enumerate(decisions.itertuples(), start=2):
        d = "" if _blank(getattr(r, "decision", None)) else str(r.decision).strip().lower()
        if not d:
            counts["pending"] += 1
            continue
        if d not in DECISIONS:
            issues.append(Issue(file, f"decision must be one of {', '.join(DECISIONS)} (or empty "
                                      "to decide later)", row=i, column="decision", value=d))
            continue
        rec = con.execute("SELECT * FROM institution_review WHERE review_id = ? AND decision IS NULL",
                          [int(r.review_id)]).df()
        if rec.empty:
            issues.append(Issue(file, "no pending review with this id (decided already?)", row=i,
                                column="review_id", value=r.review_id))
            continue
        todo.append((d, rec.iloc[0]))
    if issues:
        raise InputError(issues)
    for d, rec in todo:
        data = pd.Series(json.loads(rec["data"]))
        pairs = [tuple(p) for p in json.loads(rec["identifiers"] or "[]")]
        if d == "merge":
            merge_into(con, rec["candidate_id"], data, file=rec["file"], src_row=rec["row"])
            add_identifiers(con, [(rec["candidate_id"], a, b, str(data.get("source")))
                                  for a, b in pairs])
        elif d == "new":
            if con.execute("SELECT count(*) FROM institutions WHERE id = ?",
                           [data["id"]]).fetchall()[0][0]:
                raise InputError([Issue(file, "id already in the store: choose merge, or give the "
                                              "row another id in the source and import it again",
                                        column="id", value=data["id"])])
            v = validate_frame(pd.DataFrame([data.to_dict()]), "institutions", file=rec["file"],
                               allow_formula_text=True)
            if not v.ok:
                raise InputError(v.errors)
            con.register("_one", v.frame.reindex(columns=columns("institutions")))
            try:
                con.execute("INSERT INTO institutions BY NAME SELECT * FROM _one")
            finally:
                con.unregister("_one")
            add_identifiers(con, [(data["id"], a, b, str(data.get("source"))) for a, b in pairs])
        con.execute("UPDATE institution_review SET decision = ?, decided_at = now() "
                    "WHERE review_id = ?", [d, int(rec["review_id"])])
        counts[d] += 1
    return counts
