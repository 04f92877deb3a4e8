"""Validate a frame against a table's schema: derive what can be derived, and report every problem
with the file, row, column, value and rule it breaks. Nothing here writes anywhere."""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from . import dates, geo
from .errors import Issue
from .schemas import TABLES, column_info

#: Cells that spreadsheet programs may run as formulas (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_INT = re.compile(r"^[+-]?\d+(\.0+)?$")
_INT_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_TRUE = {"true", "yes", "y", "1", "ja", "oui", "x"}
_FALSE = {"false", "no", "n", "0", "nein", "non"}
_ID_PREFIX = {"collections": "col", "objects": "obj", "exhibition_venues": "ven",
              "collaborations": "collab", "people": "person", "visitor_stats": "vs"}


@dataclass
class Validation:
    """The outcome of validating one frame."""

    table: str
    file: str
    frame: pd.DataFrame
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    #: Free-text dates that could not be parsed: kept verbatim, counted and reported.
    date_report: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _blank(v) -> bool:
    """Missing, whatever form pandas gives it (None, NaN, NA, empty text)."""
    if v is None or v is pd.NA:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, str):
        return v == ""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _rule_text(check: str, column: str) -> str:
    if check.startswith("isin("):
        allowed = check[len("isin("):-1]
        return f"not an allowed value; allowed: {allowed}"
    if check.startswith("greater_than_or_equal_to("):
        return f"must be at least {check[len('greater_than_or_equal_to('):-1]}"
    if check.startswith("less_than_or_equal_to("):
        return f"must be at most {check[len('less_than_or_equal_to('):-1]}"
    if check.startswith("calendar_date("):
        years = re.findall(r"-?\d+", check)
        span = f" between {years[0]} and {years[1]}" if len(years) == 2 else ""
        return (f"not a real calendar date (such as 2010-02-30) or a year outside the range; "
                f"write yyyy-mm-dd, yyyy-mm or yyyy with a year{span}")
    if check.startswith("str_matches("):
        if column.endswith("date"):
            return "not a date; write yyyy-mm-dd, yyyy-mm or yyyy"
        if column.endswith("country_code"):
            return "not an ISO 3166 alpha-3 country code"
        if column == "id":
            return "not a valid id; use lowercase letters, digits and hyphens"
        return f"does not have the expected format {check[len('str_matches('):-1]}"
    if check == "field_uniqueness":
        return "duplicate id: every row needs its own id" if column == "id" else "duplicate value"
    if check == "not_nullable":
        return "a value is required here"
    if check.startswith("str_length"):
        return "must not be empty"
    if check.startswith("coerce_dtype") or check.startswith("dtype("):
        return f"wrong type ({check})"
    if check == "column_in_dataframe":
        return "required column is missing"
    return check


def _row_map(df: pd.DataFrame) -> dict:
    """Index label -> the row number a person sees (header = row 1), from the reader's
    ``source_rows`` when present."""
    rows = df.attrs.get("source_rows")
    if rows is None or len(rows) != len(df):
        rows = range(2, len(df) + 2)
    return dict(zip(df.index, (int(r) for r in rows)))


@lru_cache(maxsize=4096)
def _country(value: str):
    return geo.normalize_country(value)


#: The store's integers are 64-bit; anything wider cannot be held (and no count is that large).
_INT64_MAX = 2**63 - 1
_ASCII_DIGITS = re.compile(r"^[+-]?[0-9]+(\.0+)?$")
_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


class _NumberError(ValueError):
    """A number column's cell that is a number of the wrong kind, with the rule to report."""


def _parse_int(v: str) -> int | None:
    s = v.strip().replace(" ", "").replace("\u00a0", "")
    if _INT_THOUSANDS.match(s):
        s = s.replace(",", "")
    # int(), not int(float()): a float rounds 17 digits and more; ASCII digits only ('²' is a
    # digit to str.isdigit and to \d).
    if _ASCII_DIGITS.match(s):
        n = int(s.split(".")[0])
        if abs(n) > _INT64_MAX:
            raise _NumberError(f"number too large ({len(s.lstrip('+-').split('.')[0])} digits) "
                               f"to be a count")
        return n
    raise ValueError(v)


def _parse_float(v: str) -> float:
    s = v.strip().replace(",", "")
    if s.lower() in _NON_FINITE:
        raise _NumberError("NaN and infinity are not numbers a map or a sum can use; leave the "
                           "cell empty when the value is unknown")
    x = float(s)
    if not math.isfinite(x):  # '1e999' overflows to inf
        raise _NumberError("the number is too large to hold (it overflows to infinity)")
    return x


#: Bytes of hash in a generated id: 128 bits, so that ids generated for millions of rows never
#: collide by chance (48 bits, as before, made a clash likely in a large file).
_ID_BYTES = 16


def _generated_id(prefix: str, text: str, taken: set) -> str:
    """A stable id for a row that has none: a hash of the file name, row number and values.
    Should it equal an id already in the file, the next salt is tried: a clash of the
    generator is never reported as the submitter's duplicate."""
    for salt in range(1000):
        digest = hashlib.blake2b(f"{text}|{salt}".encode() if salt else text.encode(),
                                 digest_size=_ID_BYTES).hexdigest()
        candidate = f"{prefix}-{digest}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free id for prefix {prefix!r} after 1000 tries")  # needs ~2^64 rows


#: The date marks an import reports, each with what it means for the reader of the report.
_DATE_MARKS = (
    ("uncertain", "are uncertain: the text doubts itself; the years are what it says, marked "
                  "'uncertain' in date_certainty"),
    ("readings", "have several readings: collections turn the text into years in different ways; "
                 "the period spans every reading, marked 'several readings' in date_certainty"),
)


def validate_frame(df: pd.DataFrame, table: str, *, file: str | None = None,
                   known_institutions: set[str] | None = None, allow_formula_text: bool = False,
                   dayfirst: bool = True) -> Validation:
    """Check ``df`` against ``table``'s schema and return the cleaned frame with every issue.

    ``known_institutions`` are the institution ids already in the store; references to
    institutions must point there or to an institution in the same frame. Cells that begin like a
    formula are errors unless ``allow_formula_text`` (then they are kept verbatim, as text).
    """
    file = file or df.attrs.get("file") or "<data>"
    if table not in TABLES:
        return Validation(table, file, df, errors=[Issue(
            file, f"unknown table '{table}'; tables: {', '.join(TABLES)}")])
    spec = TABLES[table]
    info = column_info(table).set_index("column")
    out = Validation(table, file, df)
    # What the reader was unsure of (an encoding guessed) is said where the rest is said.
    out.warnings.extend((df.attrs.get("read_warnings") or []) if df is not None else [])
    if df is None or len(df) == 0:
        out.errors.append(Issue(file, "the file has no data rows"))
        return out

    row_of = _row_map(df)
    work = df.copy()
    # attrs would be deep-copied by every row operation below (quadratic on large files)
    work.attrs = {}
    work.columns = [str(c).strip() for c in work.columns]
    missing = [c for c in info.index if info.loc[c, "required"] and c not in work.columns]
    for c in missing:
        out.errors.append(Issue(file, "required column is missing", row=1, column=c))
    extra = [c for c in work.columns if c not in info.index]
    if extra:
        out.warnings.append(Issue(file, "columns not in the schema are ignored: " + ", ".join(extra),
                                  row=1))
    if missing:
        return out

    for c in info.index:
        if c not in work.columns:
            work[c] = None
    work = work[list(info.index)]
    # text cells: strip, empty -> None; catch formula-like text
    for c in work.columns:
        col = work[c].astype(object)
        col = col.map(lambda v: v.strip() if isinstance(v, str) else v)
        col = col.map(lambda v: None if _blank(v) else v)
        work[c] = pd.Series(col.to_numpy(dtype=object), index=work.index, dtype=object)

    # typed columns
    for c in work.columns:
        dtype = info.loc[c, "type"]
        col = work[c]
        if dtype == "Int64" or dtype.startswith("float"):
            vals = []
            for idx, v in col.items():
                if _blank(v):
                    vals.append(None)
                    continue
                try:
                    vals.append(_parse_int(str(v)) if dtype == "Int64" else _parse_float(str(v)))
                except _NumberError as exc:
                    out.errors.append(Issue(file, str(exc), row=row_of.get(idx), column=c,
                                            value=v))
                    vals.append(None)
                except ValueError:
                    want = "a whole number" if dtype == "Int64" else "a number"
                    out.errors.append(Issue(file, f"text in a number column: expected {want}",
                                            row=row_of.get(idx), column=c, value=v))
                    vals.append(None)
            work[c] = pd.array(vals, dtype="Int64" if dtype == "Int64" else "Float64")
        elif dtype == "boolean":
            vals = []
            for idx, v in col.items():
                if _blank(v):
                    vals.append(None)
                elif str(v).lower() in _TRUE:
                    vals.append(True)
                elif str(v).lower() in _FALSE:
                    vals.append(False)
                else:
                    out.errors.append(Issue(file, "expected yes/no (true/false)",
                                            row=row_of.get(idx), column=c, value=v))
                    vals.append(None)
            work[c] = pd.array(vals, dtype="boolean")
        else:
            for idx, v in col.items():
                if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) and c != "date_text":
                    if not (v[:1] in "+-" and _INT.match(v.replace(",", ""))):
                        issue = Issue(file, "cell begins like a spreadsheet formula (=, +, -, @); it "
                                      "is never evaluated, but remove the leading character or "
                                      "import with --allow-formula-text to keep it as text",
                                      row=row_of.get(idx), column=c, value=v)
                        (out.warnings if allow_formula_text else out.errors).append(issue)

    _derive(work, table, file, out, dayfirst, row_of)

    # cross-field order
    for a, b in spec.ordered:
        for idx, va, vb in zip(work.index, work[a], work[b]):
            if _blank(va) or _blank(vb):
                continue
            ka, kb = (str(va), str(vb)) if isinstance(va, str) else (va, vb)
            if isinstance(va, str):
                ka, kb = ka[:len(min(ka, kb, key=len))], kb[:len(min(ka, kb, key=len))]
            if kb < ka:
                out.errors.append(Issue(file, f"end before start ({b} {vb} is earlier than {a} {va})",
                                        row=row_of.get(idx), column=b, value=vb))

    # schema checks, every failure at once
    try:
        validated = spec.schema.validate(work, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        seen = set()
        for r in fc.itertuples():
            col = r.column if isinstance(r.column, str) else None
            idx = r.index
            if idx is None or (isinstance(idx, float) and pd.isna(idx)):
                if str(r.failure_case).startswith("TypeError"):
                    continue  # follows from a value already reported as the wrong type
                row = None
            else:
                row = row_of.get(idx)
            key = (row, col, str(r.check))
            if key in seen:
                continue
            seen.add(key)
            out.errors.append(Issue(file, _rule_text(str(r.check), col or ""), row=row, column=col,
                                    value=r.failure_case))
        validated = work
    out.frame = validated

    # references to institutions
    if spec.institution_refs:
        known = set(known_institutions or ())
        if table == "institutions":
            known |= set(work["id"].dropna())
        for c in spec.institution_refs:
            for idx, v in work[c].items():
                if not _blank(v) and v not in known:
                    out.errors.append(Issue(file, "unknown institution id: import the institution "
                                            "first or use an id from the institutions table",
                                            row=row_of.get(idx), column=c, value=v))
    out.errors.sort(key=lambda i: (i.row or 0, i.column or ""))
    return out


def _derive(work: pd.DataFrame, table: str, file: str, out: Validation, dayfirst: bool,
            row_of: dict) -> None:
    """Fill the columns a submitter need not give: ISO codes, region, coordinates, periods, ids."""
    spec = TABLES[table]
    work["status"] = work["status"].map(lambda v: "imported" if _blank(v) else v)
    work["source"] = work["source"].map(lambda v: f"import: {file}" if _blank(v) else v)
    for name_col, code_col in spec.country_cols:
        names, codes = [], []
        for idx, name, code in zip(work.index, work[name_col], work[code_col]):
            name = None if _blank(name) else name
            code = None if _blank(code) else code
            given = name if name is not None else code
            if given is None:
                names.append(None)
                codes.append(None)
                continue
            hit = _country(str(given))
            if hit is None:
                out.errors.append(Issue(file, "unknown country: use an English name or an ISO 3166 "
                                        "code", row=row_of.get(idx),
                                        column=name_col if name is not None else code_col, value=given))
                names.append(given)
                codes.append(None)
            else:
                codes.append(hit[0])
                names.append(hit[1])
        work[name_col] = names
        work[code_col] = codes
    region_given = [not _blank(r) for r in work["region"]] if "region" in work.columns else []
    if "region" in work.columns:
        work["region"] = [r if not _blank(r) else (geo.country_region(c) if not _blank(c) else None)
                          for r, c in zip(work["region"], work["country_code"])]
    if {"latitude", "longitude", "city"} <= set(work.columns):
        precision = work["coord_precision"] if "coord_precision" in work.columns else None
        for idx in work.index:
            lat = work.at[idx, "latitude"]
            if _blank(lat) and not _blank(work.at[idx, "city"]) and not _blank(work.at[idx, "country_code"]):
                ll = geo.geocode_city(work.at[idx, "city"], work.at[idx, "country_code"])
                if ll:
                    work.at[idx, "latitude"], work.at[idx, "longitude"] = ll
                    if precision is not None:
                        work.at[idx, "coord_precision"] = "city"
                    if "coordinate_source" in work.columns:
                        work.at[idx, "coordinate_source"] = geo.GEONAMES_SOURCE
                else:
                    out.warnings.append(Issue(file, "city not found in the offline gazetteer; the "
                                              "row has no coordinates and is left off maps",
                                              row=row_of.get(idx), column="city",
                                              value=work.at[idx, "city"]))
        if precision is not None:
            work["coord_precision"] = [p if not _blank(p) else ("exact" if not _blank(la) else "unknown")
                                       for p, la in zip(work["coord_precision"], work["latitude"])]
    if region_given and "latitude" in work.columns:
        # a place in an overseas territory listed under its state (Réunion under France) takes the
        # territory's region: geo.region_of_place
        work["region"] = [r if given or _blank(c) or c not in geo.TERRITORIES or _blank(la)
                          else geo.region_of_place(c, la, lo)
                          for r, given, c, la, lo in zip(work["region"], region_given,
                                                         work["country_code"], work["latitude"],
                                                         work["longitude"])]
    if table == "institutions":
        work["type"] = work["type"].map(lambda v: "unknown" if _blank(v) else v)
        work["member_status"] = work["member_status"].map(lambda v: "not documented" if _blank(v) else v)
    if "date_text" in work.columns and "period_start" in work.columns:
        need = work["period_start"].isna() & work["date_text"].notna()
        if need.any():
            parsed = dates.parse_dates(work.loc[need, "date_text"], dayfirst=dayfirst, flags=True)
            work.loc[need, "period_start"] = parsed["start"].astype("Int64")
            work.loc[need, "period_end"] = parsed["end"].astype("Int64")
            if "date_certainty" in work.columns:  # how sure the years just read are
                fill = need & work["date_certainty"].map(_blank)
                work.loc[fill, "date_certainty"] = parsed.loc[fill[need].values, "certainty"].values
            out.date_report = dates.summarise(parsed)
            if out.date_report["unparsed"]:
                out.warnings.append(Issue(
                    file, f"{out.date_report['unparsed']} date(s) could not be read and are kept as "
                          f"written, with no period (e.g. {out.date_report['unparsed_examples'][:3]})",
                    column="date_text"))
            for mark, what in _DATE_MARKS:
                if n := out.date_report[mark]:
                    out.warnings.append(Issue(
                        file, f"{n} date(s) {what} (e.g. {out.date_report[mark + '_examples'][:3]})",
                        column="date_text"))
    if table == "objects":
        work["in_vcm"] = work["in_vcm"].map(lambda v: False if _blank(v) else v)
        work["in_vcm"] = work["in_vcm"].astype("boolean")
    if table == "people":
        # imported people are personal data unless the file says otherwise
        work["personal_data"] = work["personal_data"].map(lambda v: True if _blank(v) else v)
        work["personal_data"] = work["personal_data"].astype("boolean")
    if table == "visitor_stats":
        # exhibitions imports the data stack of the pages; validate stays light for the CLI
        from .exhibitions import check_duplicates, derive_keys
        out.warnings.extend(derive_keys(work, file))
        errors, warnings = check_duplicates(work, row_of, file)
        out.errors.extend(errors)
        out.warnings.extend(warnings)
    if spec.generated_id:
        prefix = _ID_PREFIX.get(table, table[:3])
        missing = [idx for idx, v in zip(work.index, work["id"]) if _blank(v)]
        if missing:
            rows = work.loc[missing].to_numpy(dtype=object).tolist()
            taken = {v for v in work["id"] if not _blank(v)}
            new_ids = {}
            for idx, vals in zip(missing, rows):
                new_ids[idx] = _generated_id(prefix, f"{file}|{row_of.get(idx)}|"
                                             f"{'|'.join(map(str, vals))}", taken)
                taken.add(new_ids[idx])
            work["id"] = [new_ids.get(idx, v) for idx, v in zip(work.index, work["id"])]
