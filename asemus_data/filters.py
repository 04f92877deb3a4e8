"""The shared filters: one immutable value that the sidebar edits, the URL carries and every query
turns into SQL. Pure Python; the Streamlit glue lives outside the package."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import vocab

#: Widest period the period slider offers (years; negative is BCE). The slider's lowest position
#: is open-ended: a period starting at PERIOD_MIN means "3000 BCE or earlier", so objects older
#: than the slider (schemas.OLDEST_YEAR allows Palaeolithic tools) stay in a view narrowed only at
#: the top. A link may name any start from LINK_OLDEST on; such a start is a real bound.
PERIOD_MIN, PERIOD_MAX = -3000, 2030
LINK_OLDEST = -3_300_000   # schemas.OLDEST_YEAR (not imported: schemas pulls in pandera)
_LINK_INT = re.compile(r"-?[0-9]{1,7}")


def link_int(raw) -> int | None:
    """A whole number written in a link: ASCII digits (at most 7) with an optional minus sign;
    None for anything else. ``str.isdigit()`` and ``int()`` accept more than a link should
    carry: '²' is a digit to isdigit() but not to int(), '٣', ' 12' and '1_0' are numbers to
    int(); every parser of link values goes through here."""
    s = str(raw)
    return int(s) if _LINK_INT.fullmatch(s) else None


def link_range(raw) -> tuple[int, int] | None:
    """'a..b' in a link as two whole numbers (see :func:`link_int`); None when malformed."""
    parts = str(raw).split("..")
    if len(parts) != 2:
        return None
    a, b = link_int(parts[0]), link_int(parts[1])
    return None if a is None or b is None else (a, b)

_MULTI = {
    # field -> (query-string key, allowed values or None for open lists checked against facets)
    "regions": ("region", vocab.REGIONS),
    "countries": ("country", None),
    "origins": ("origin", None),
    "categories": ("category", vocab.CATEGORIES),
    "materials": ("material", None),
    "institution_types": ("type", vocab.INSTITUTION_TYPES),
    "member_statuses": ("member", vocab.MEMBER_STATUSES),
    "statuses": ("status", vocab.STATUSES),
}


@dataclass(frozen=True)
class Filters:
    """What the user has narrowed the data to. Empty tuples mean "all"."""

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()        # holding country, ISO alpha-3
    origins: tuple[str, ...] = ()          # country of origin, ISO alpha-3
    categories: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    period: tuple[int, int] | None = None  # overlap with [start, end]
    institution_types: tuple[str, ...] = ()
    member_statuses: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    search: str = ""

    @property
    def active(self) -> bool:
        return self != Filters()

    def describe(self) -> str:
        """A short plain-language description, for captions and empty states."""
        parts = []
        labels = {"regions": "region", "countries": "country", "origins": "origin",
                  "categories": "category", "materials": "material", "institution_types": "type",
                  "member_statuses": "membership", "statuses": "data status"}
        for f, label in labels.items():
            v = getattr(self, f)
            if v:
                parts.append(f"{label}: {', '.join(v)}")
        if self.period:
            parts.append(f"period: {period_text(self.period)}")
        if self.search:
            parts.append(f"name contains '{self.search}'")
        return "; ".join(parts) if parts else "no filters"

    # --- URL -------------------------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Query-string form (only what differs from the defaults)."""
        out: dict[str, str] = {}
        for f, (key, _allowed) in _MULTI.items():
            v = getattr(self, f)
            if v:
                out[key] = ",".join(v)
        if self.period:
            out["period"] = f"{self.period[0]}..{self.period[1]}"
        if self.search:
            out["q"] = self.search
        return out

    @classmethod
    def from_query(cls, params: dict[str, str], *, facets: dict[str, set[str]] | None = None
                   ) -> tuple[Filters, list[str]]:
        """Read filters from a query string. Invalid values are dropped, each with a notice."""
        facets = facets or {}
        values: dict = {}
        notices: list[str] = []
        for f, (key, allowed) in _MULTI.items():
            raw = params.get(key)
            if not raw:
                continue
            ok_values = set(allowed) if allowed else facets.get(f)
            keep = []
            for item in str(raw).split(","):
                item = item.strip()
                if not item:
                    continue
                if ok_values is not None and item not in ok_values:
                    notices.append(f"Ignored '{item}' in the link: not a known {key}.")
                else:
                    keep.append(item)
            if keep:
                values[f] = tuple(dict.fromkeys(keep))
        raw = params.get("period")
        if raw:
            rng = link_range(raw)
            if rng is not None and LINK_OLDEST <= rng[0] <= rng[1] <= PERIOD_MAX:
                values["period"] = rng
            else:
                notices.append(f"Ignored period '{raw}' in the link: expected start..end years "
                               f"between {LINK_OLDEST} and {PERIOD_MAX}.")
        if params.get("q"):
            values["search"] = str(params["q"])[:100]
        return cls(**values), notices

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)



def fmt_year(y: int | None) -> str:
    """Year for display: BCE for negative years."""
    if y is None:
        return "?"
    return f"{-y} BCE" if y < 0 else str(y)


def open_start(period: tuple[int, int] | None) -> bool:
    """True when the period's start sits at the slider's lowest position, which means "that year
    or earlier": no lower bound is applied."""
    return bool(period) and period[0] == PERIOD_MIN


def period_text(period: tuple[int, int]) -> str:
    """The period as the user reads it: '3000 BCE or earlier to 1500' for an open start."""
    a, b = period
    start = f"{fmt_year(a)} or earlier" if open_start(period) else fmt_year(a)
    return f"{start} to {fmt_year(b)}"


def in_clause(column: str, values) -> tuple[str, list]:
    """``column IN (?, ?, ...)`` with its parameters (values are bound, never pasted in)."""
    values = list(values)
    return f"{column} IN ({', '.join('?' * len(values))})", values


def _in_clauses(f: Filters, alias: str, pairs) -> tuple[list[str], list]:
    """One `alias.column IN (...)` clause per filter field that holds values, with the parameters."""
    clauses, params = [], []
    for field_name, col in pairs:
        if values := getattr(f, field_name):
            sql, p = in_clause(f"{alias}.{col}", values)
            clauses.append(sql)
            params += p
    return clauses, params


def institution_sql(f: Filters, alias: str = "i") -> tuple[str, list]:
    """WHERE clause (without the keyword) for institution-level filters, with its parameters."""
    clauses, params = _in_clauses(f, alias, (("regions", "region"), ("countries", "country_code"),
                                             ("institution_types", "type"),
                                             ("member_statuses", "member_status")))
    if f.search:
        clauses.append(f"({alias}.name ILIKE ? OR {alias}.city ILIKE ? OR "
                       f"COALESCE({alias}.alt_names, '') ILIKE ?)")
        params += [f"%{f.search}%"] * 3
    return " AND ".join(clauses) or "TRUE", params


def holdings_sql(f: Filters, h: str = "h", i: str = "i") -> tuple[str, list]:
    """WHERE clause for holdings joined with their institutions."""
    sql, params = institution_sql(f, i)
    more, more_params = _in_clauses(f, h, (("origins", "origin_country_code"), ("categories", "category"),
                                           ("materials", "material"), ("statuses", "status")))
    clauses, params = [sql, *more], params + more_params
    if f.period and open_start(f.period):
        clauses.append(f"{h}.period_start <= ?")
        params.append(f.period[1])
    elif f.period:
        clauses.append(f"{h}.period_end >= ? AND {h}.period_start <= ?")
        params += [f.period[0], f.period[1]]
    return " AND ".join(clauses), params
