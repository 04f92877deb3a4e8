"""Exhibitions, visitor figures and institution-year visitor series: pure logic, no Streamlit.

Visitor arithmetic follows the annual museum-attendance surveys (The Art Newspaper's): visitors
per day = visitors / days open, where days open are the calendar days of the run scaled to the
opening days per week, minus closures (public holidays). Three rules hold everywhere:

* a figure known only for a whole tour is shown for the tour and never split among venues;
* a qualified figure ("over 20,000") keeps its qualifier in every derived number ("over 215");
* a year not reported is a gap, never a zero (and no year-on-year change is computed across it).
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from .errors import Issue
from .filters import in_clause
from .geo import country_region
from .tables import DATE_YEARS  # not .schemas (pandera) nor .dates (its regexes): cold start

#: Most museums close one day a week.
DEFAULT_DAYS_PER_WEEK = 6
TOUR_PART = "part of a tour total"
_PRECISION_NOTE = {"day": "", "month": "dates known to the month", "year": "dates known to the year"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
#: The method in words, shown with the visitors-per-day chart.
VISITORS_METHOD = (
    "Visitors per day = visitors / days open (the method of annual museum-attendance surveys such "
    "as The Art Newspaper's). Days open = calendar days x days per week / 7, rounded, minus "
    "closures; not computed for dates known only to the month. A qualified figure keeps its "
    "qualifier ('over 20,000' gives 'over 215 a day'). A figure known only for a whole tour is "
    "never split among its venues.")


# --- dates and days open ---------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """A partial date as the interval it covers: '2013-07' covers 1 to 31 July 2013."""

    first: date
    last: date
    precision: str  # day / month / year


#: Years a chart places on its time axis: those import accepts. A stored year outside (year 0,
#: 9999) would raise in date arithmetic or stretch the axis over millennia: it is skipped.
DRAWABLE_YEARS = DATE_YEARS


def date_problem(value) -> str | None:
    """Why a stored date cannot be drawn ('not a real calendar date', ...); None when it can be
    drawn or is empty. Import refuses such dates, but a store written by other means may hold
    them, and one such row must not take a page down for everyone."""
    if _is_na(value) or str(value).strip() == "":
        return None
    m = _DATE.match(str(value).strip())
    if not m:
        return "not a date (yyyy-mm-dd, yyyy-mm or yyyy)"
    y, mo, d = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    if not DRAWABLE_YEARS[0] <= y <= DRAWABLE_YEARS[1]:
        return f"the year is outside {DRAWABLE_YEARS[0]}-{DRAWABLE_YEARS[1]}"
    try:
        date(y, mo, d)
    except ValueError:  # 2010-02-30, month 13
        return "not a real calendar date"
    return None


def parse_partial(value) -> Span | None:
    """'yyyy-mm-dd', 'yyyy-mm' or 'yyyy' -> the days it covers; None when empty, malformed, not a
    real calendar date (2010-02-30, 0000) or outside :data:`DRAWABLE_YEARS`. Never raises."""
    if _is_na(value) or date_problem(value) is not None:
        return None
    m = _DATE.match(str(value).strip())
    if not m:
        return None
    y, mo, d = int(m[1]), m[2], m[3]
    if d:
        day = date(y, int(mo), int(d))
        return Span(day, day, "day")
    if mo:
        mo = int(mo)
        return Span(date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month")
    return Span(date(y, 1, 1), date(y, 12, 31), "year")


def date_notices(exhibitions: pd.DataFrame, venues: pd.DataFrame | None = None,
                 limit: int = 5) -> str | None:
    """One grouped notice for the stored dates a page skipped because they cannot be drawn:
    how many, and the first few by title, column and value. None when every date is drawable."""
    found = []
    frames = [("exhibition", exhibitions)]
    if venues is not None and len(venues):
        frames.append(("venue", venues))
    for what, df in frames:
        if df is None or not len(df):
            continue
        label = "title" if "title" in df.columns else "venue_name"
        for col in ("start_date", "end_date"):
            if col not in df.columns:
                continue
            for name, v in zip(df[label] if label in df.columns else df.index, df[col]):
                why = date_problem(v)
                if why:
                    found.append(f"{what} '{name}', {col} {str(v)!r}: {why}")
    if not found:
        return None
    shown = "; ".join(found[:limit]) + (f"; and {len(found) - limit} more" if len(found) > limit
                                        else "")
    return (f"{len(found)} stored date(s) cannot be drawn and were skipped (left off the "
            f"timeline, no days open computed): {shown}. Correct them and import again.")


def run_span(start, end) -> tuple[date, date, str] | None:
    """First and last possible day of a run and the coarsest precision of its two dates.

    A run with only one date known is not drawn as a run (its length is unknown): None."""
    a, b = parse_partial(start), parse_partial(end)
    if a is None or b is None:
        return None
    order = ["day", "month", "year"]
    precision = max(a.precision, b.precision, key=order.index)
    return a.first, b.last, precision


def precision_note(precision: str | None) -> str:
    """Hover/table note for partial dates ('dates known to the month'); '' for exact days."""
    return _PRECISION_NOTE.get(precision or "", "dates not known")


def calendar_days(start, end) -> int | None:
    """Days from opening to closing, both included; None unless both dates are known to the day."""
    a, b = parse_partial(start), parse_partial(end)
    if a is None or b is None or a.precision != "day" or b.precision != "day" or b.last < a.first:
        return None
    return (b.last - a.first).days + 1


def days_open(start, end, days_per_week: int = DEFAULT_DAYS_PER_WEEK, closures: int = 0
              ) -> int | None:
    """Days an exhibition was open: calendar days x days_per_week / 7, rounded half up, minus
    closures. The closing weekday is not recorded, so the expected count for an unknown weekday
    is used (76 calendar days at 6 days a week: 65.1 -> 65). None when the dates are not known to
    the day (a month-precise run could be 30 days longer or shorter: no honest count)."""
    n = calendar_days(start, end)
    if n is None:
        return None
    dpw = min(max(int(days_per_week), 1), 7)
    return max(math.floor(n * dpw / 7 + 0.5) - max(int(closures), 0), 1)


# --- qualified figures ---------------------------------------------------------------------------
def _is_na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def qualifier_word(qualifier) -> str:
    """'' for exact or unknown qualifiers, else the word as displayed ('over', 'approximately').
    'exact as stated' is exact; 'more than' is shown as the sources' other word for it, 'over'."""
    q = "" if _is_na(qualifier) else " ".join(str(qualifier).split())
    if q == "" or q.lower().startswith("exact"):
        return ""
    return "over" if q.lower() == "more than" else q


def _rounded(x: float, word: str) -> int:
    """x as a whole number that keeps the qualifier true: down for a stated minimum (over 215.7
    is over 215, never 'over 216'), up for a stated maximum (up to, nearly), else the nearest."""
    if word in ("over", "at least"):
        return math.floor(x)
    if word in ("up to", "nearly"):
        return math.ceil(x)
    return int(round(x))


def fmt_figure(value, qualifier=None) -> str:
    """A number with its qualifier: (20000, 'over') -> 'over 20,000'; '' when unknown. The word is
    never dropped, and a fraction is rounded the way that keeps it true."""
    if _is_na(value):
        return ""
    word = qualifier_word(qualifier)
    return f"{word} {_rounded(float(value), word):,}".strip()


def per_day(visitors, days, qualifier=None) -> float | None:
    """Visitors per day open. 'over 20,000' in 93 days is 'over 215.05...', so the number is
    rounded in the direction that keeps the qualifier true: down for over / at least, up for
    up to / nearly, to the nearest otherwise. Show it with :func:`fmt_figure` and the same
    qualifier ('over 215'), never bare."""
    if _is_na(visitors) or _is_na(days) or not days:
        return None
    return float(_rounded(float(visitors) / float(days), qualifier_word(qualifier)))


# --- exhibitions: timeline, visitors, routes -----------------------------------------------------
def _venue_counts(venues: pd.DataFrame) -> pd.Series:
    return venues.groupby("exhibition_id").size() if len(venues) else pd.Series(dtype=int)


def is_tour_total(exhibition: pd.Series, venues: pd.DataFrame) -> bool:
    """True when an exhibition's figure covers several venues (so it may never be split)."""
    v = venues[venues["exhibition_id"] == exhibition["id"]]
    return not _is_na(exhibition.get("visitors")) and len(v) > 1


def timeline_rows(exhibitions: pd.DataFrame, venues: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bars for the Gantt chart and the exhibitions that have no dates to draw.

    One bar per exhibition, plus one per venue for tours (labelled with their order). Partial
    dates span their whole month/year and carry a note. Returns (bars, undated) where undated
    lists exhibitions with neither dates of their own nor dated venues. A stored date that
    cannot be drawn (year 0, 2010-02-30, 9999-12-31) is skipped like a missing one; its
    exhibition is listed in undated with the reason in ``notes`` (see :func:`date_notices`)."""
    bars, undated = [], []
    counts = _venue_counts(venues)
    for ex in exhibitions.sort_values(["start_date", "title"], na_position="last").itertuples():
        span = run_span(ex.start_date, ex.end_date)
        own = venues[venues["exhibition_id"] == ex.id].sort_values("venue_order")
        n_venues = int(counts.get(ex.id, 0))
        label = ex.title  # whole: the chart wraps long titles between words
        if span is not None:
            bars.append(dict(row=label, exhibition_id=ex.id, title=ex.title, type=ex.type,
                             level="exhibition", start=pd.Timestamp(span[0]),
                             finish=pd.Timestamp(span[1] + timedelta(days=1)),
                             dates=_dates_text(ex.start_date, ex.end_date),
                             note=precision_note(span[2]), venue="; ".join(own["venue_name"]),
                             source=ex.source))
        drawn_venue = False
        if n_venues > 1:
            for v in own.itertuples():
                vspan = run_span(v.start_date, v.end_date)
                if vspan is None:
                    continue
                drawn_venue = True
                bars.append(dict(row=f"  {int(v.venue_order)}. {v.venue_name} ({v.city})",
                                 exhibition_id=ex.id, title=ex.title, type=ex.type, level="venue",
                                 start=pd.Timestamp(vspan[0]),
                                 finish=pd.Timestamp(vspan[1] + timedelta(days=1)),
                                 dates=_dates_text(v.start_date, v.end_date),
                                 note=precision_note(vspan[2]), venue=v.venue_name,
                                 source=v.source))
        if span is None and not drawn_venue:
            bad = [f"{c} {str(v)!r}: {why}" for c, v in (("start_date", ex.start_date),
                                                         ("end_date", ex.end_date))
                   if (why := date_problem(v))]
            notes = ex.notes if not _is_na(ex.notes) else ""
            if bad:
                notes = "; ".join(["stored date cannot be drawn: " + "; ".join(bad)]
                                  + ([notes] if notes else []))
            undated.append(dict(title=ex.title, type=ex.type,
                                venues="; ".join(own["venue_name"]) or "not known",
                                notes=notes, source=ex.source))
    cols = ["row", "exhibition_id", "title", "type", "level", "start", "finish", "dates", "note",
            "venue", "source"]
    return (pd.DataFrame(bars, columns=cols),
            pd.DataFrame(undated, columns=["title", "type", "venues", "notes", "source"]))


def _dates_text(start, end) -> str:
    a = "" if _is_na(start) else str(start)
    b = "" if _is_na(end) else str(end)
    return f"{a} to {b}" if a or b else "not known"


def visitor_table(exhibitions: pd.DataFrame, venues: pd.DataFrame, *,
                  days_per_week: int = DEFAULT_DAYS_PER_WEEK, closures: int = 0) -> pd.DataFrame:
    """Every known visitor figure, ranked by visitors per day, with the venues of tours.

    Rows: one per exhibition figure (scope 'exhibition' or 'tour total (N venues)') and one per
    venue. A venue of a tour whose figure is known only in total shows 'part of a tour total'
    and no number: the total is never split. Columns: rank, title, scope, venue, dates,
    days_open, visitors, visitors_text, per_day, per_day_text, note, source."""
    rows = []
    for ex in exhibitions.itertuples():
        own = venues[venues["exhibition_id"] == ex.id].sort_values("venue_order")
        tour = not _is_na(ex.visitors) and len(own) > 1
        src = ex.visitors_source if not _is_na(getattr(ex, "visitors_source", None)) else ex.source
        if not _is_na(ex.visitors):
            if tour:
                # Visitors per venue-day: the total over the sum of every venue's days open
                # (known only when every venue's dates are known to the day).
                ds = [days_open(v.start_date, v.end_date, days_per_week, closures)
                      for v in own.itertuples()]
                days = sum(ds) if all(d is not None for d in ds) else None
                scope = f"tour total ({len(own)} venues)"
                note = "per day = over the venues' days open added up" if days else ""
            else:
                days = days_open(ex.start_date, ex.end_date, days_per_week, closures)
                scope = "exhibition"
                note = "" if days else "days open not computed: dates not known to the day"
            pd_ = per_day(ex.visitors, days, ex.visitors_qualifier)
            rows.append(dict(title=ex.title, scope=scope,
                             venue="; ".join(f"{int(v.venue_order)}. {v.venue_name}"
                                             for v in own.itertuples()),
                             dates=_dates_text(ex.start_date, ex.end_date), days_open=days,
                             visitors=float(ex.visitors),
                             visitors_text=fmt_figure(ex.visitors, ex.visitors_qualifier),
                             per_day=pd_, per_day_text=fmt_figure(pd_, ex.visitors_qualifier),
                             note=note, source=src))
        if len(own) > 1 or tour:
            for v in own.itertuples():
                days = days_open(v.start_date, v.end_date, days_per_week, closures)
                if not _is_na(v.visitors):
                    pd_ = per_day(v.visitors, days, v.visitors_qualifier)
                    vt, pt, note = (fmt_figure(v.visitors, v.visitors_qualifier),
                                    fmt_figure(pd_, v.visitors_qualifier), "")
                    vis = float(v.visitors)
                else:
                    pd_, vis, vt, pt = None, None, TOUR_PART if tour else "not known", ""
                    note = "the tour's figure is not split among venues" if tour else ""
                rows.append(dict(title=ex.title, scope=f"venue {int(v.venue_order)}",
                                 venue=f"{v.venue_name} ({v.city})",
                                 dates=_dates_text(v.start_date, v.end_date), days_open=days,
                                 visitors=vis, visitors_text=vt, per_day=pd_, per_day_text=pt,
                                 note=note, source=v.source))
    cols = ["rank", "title", "scope", "venue", "dates", "days_open", "visitors", "visitors_text",
            "per_day", "per_day_text", "note", "source"]
    out = pd.DataFrame(rows, columns=cols[1:])
    if out.empty:
        return pd.DataFrame(columns=cols)
    out["days_open"] = out["days_open"].astype("Int64")
    out = out.sort_values(["per_day", "visitors"], ascending=False, na_position="last")
    out.insert(0, "rank", out["per_day"].rank(ascending=False, method="min").astype("Int64"))
    out = out.reset_index(drop=True)
    out.attrs.update(days_per_week=days_per_week, closures=closures)  # the chart states them
    return out


def assumption_text(table: pd.DataFrame) -> str:
    """The days-open assumption behind a visitor_table, in words ('assuming 6 opening days a
    week'; closures too when some are set); '' when the table does not say."""
    dpw = table.attrs.get("days_per_week")
    if dpw is None:
        return ""
    clo = int(table.attrs.get("closures") or 0)
    return (f"assuming {int(dpw)} opening day{'s' if int(dpw) != 1 else ''} a week"
            + (f" and {clo} closure{'s' if clo != 1 else ''} per run" if clo else ""))


def venue_stops(venues: pd.DataFrame, exhibitions: pd.DataFrame) -> pd.DataFrame:
    """Venues with coordinates, one point per place: venues at the same spot (two museums in
    Osaka) share a point whose tooltip lists every stop with its tour order."""
    v = venues.dropna(subset=["latitude", "longitude"]).merge(
        exhibitions[["id", "title", "type"]].rename(columns={"id": "exhibition_id"}),
        on="exhibition_id", how="left")
    if v.empty:
        return pd.DataFrame(columns=["latitude", "longitude", "city", "stops", "type", "n"])
    n = _venue_counts(venues)
    v["stop"] = [
        (f"{t} - stop {int(o)} of {int(n.get(e, 1))}: " if n.get(e, 1) > 1 else f"{t}: ")
        + f"{name}, {_dates_text(s, f)}"
        for t, o, e, name, s, f in zip(v["title"], v["venue_order"], v["exhibition_id"],
                                      v["venue_name"], v["start_date"], v["end_date"])]
    g = v.sort_values(["exhibition_id", "venue_order"]).groupby(["latitude", "longitude"],
                                                                 as_index=False)
    return g.agg(city=("city", "first"), country=("country", "first"),
                 stops=("stop", lambda s: " | ".join(s)), type=("type", "first"),
                 n=("stop", "size"))


def tour_routes(venues: pd.DataFrame, exhibitions: pd.DataFrame) -> pd.DataFrame:
    """One leg per consecutive pair of venues of a tour (venue 1 -> 2 -> ...), in tour order."""
    legs = []
    titles = dict(zip(exhibitions["id"], exhibitions["title"]))
    for ex_id, own in venues.dropna(subset=["latitude", "longitude"]).groupby("exhibition_id"):
        own = own.sort_values("venue_order")
        pts = list(own.itertuples())
        for a, b in zip(pts, pts[1:]):
            legs.append(dict(exhibition=titles.get(ex_id, ex_id), leg=f"{int(a.venue_order)} -> "
                             f"{int(b.venue_order)}", source_name=f"{a.venue_name} ({a.city})",
                             target_name=f"{b.venue_name} ({b.city})",
                             source_position=[a.longitude, a.latitude],
                             target_position=[b.longitude, b.latitude]))
    return pd.DataFrame(legs, columns=["exhibition", "leg", "source_name", "target_name",
                                       "source_position", "target_position"])


# --- the network over time -----------------------------------------------------------------------
_ROLE = {"chair": "Chair", "vice-chair": "Vice-Chair", "vice chair": "Vice-Chair",
         "deputy chair": "Deputy Chair"}
_SINGLE_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOKENS = re.compile(r"(?<!\d)\d{4}(?:-\d{2}(?!\d))?(?:-\d{2}(?!\d))?")


def committee_terms(people: pd.DataFrame, institutions: pd.DataFrame) -> pd.DataFrame:
    """Chairs and vice-chairs of the Executive Committee as terms (bars) and attestations.

    A row whose period is a single day (the minutes of one meeting) is an attestation, drawn as a
    point. A term stated by two sources is drawn once, with both sources. A term with no stated
    end ('from 2014-09') runs to the last attestation of the same person in the same role, and
    says so. Colour key: the region of the chair's institution (Asia/Europe alternation)."""
    p = people[people["kind"] == "committee"].copy()
    p["role_key"] = p["role"].fillna("").str.strip().str.split(" (", n=1, regex=False).str[0]
    p["role_norm"] = p["role_key"].str.lower().map(_ROLE)
    p = p[p["role_norm"].notna()]
    reg = dict(zip(institutions["id"], institutions["region"]))
    names = dict(zip(institutions["id"], institutions["name"]))
    rows = []
    for r in p.itertuples():
        text = "" if _is_na(r.period_text) else str(r.period_text)
        toks = _TOKENS.findall(text)
        inst = r.institution_id if not _is_na(r.institution_id) else None
        base = dict(name=r.name, role=r.role_norm, role_as_stated=r.role, institution_id=inst,
                    institution=names.get(inst, r.institution_text if not _is_na(r.institution_text)
                                          else "institution not stated"),
                    region=reg.get(inst, "not stated"), period_text=text, source=r.source)
        if _SINGLE_DAY.match(text.strip()):
            day = parse_partial(text.strip())
            if day is None:  # 2010-02-30 in free text: nothing to place on the axis
                continue
            d = pd.Timestamp(day.first)
            rows.append({**base, "kind": "attested", "start": d, "finish": d, "open_end": False})
            continue
        a = parse_partial(toks[0]) if toks else None
        b = parse_partial(toks[1]) if len(toks) > 1 else None
        # a stored year outside the drawable range (year 0) counts as not given
        lo, hi = DRAWABLE_YEARS
        start_year, end_year = (y if not _is_na(y) and lo <= int(y) <= hi else None
                                for y in (r.start_year, r.end_year))
        start = pd.Timestamp(a.first) if a else (
            pd.Timestamp(int(start_year), 1, 1) if start_year is not None else None)
        if start is None:
            continue
        if b is not None:
            finish = pd.Timestamp(b.last)
        elif len(toks) == 1 and "-" not in text.replace(toks[0], "", 1) and end_year is not None:
            finish = pd.Timestamp(int(end_year), 12, 31)
        elif end_year is not None and "from" not in text:
            finish = pd.Timestamp(int(end_year), 12, 31)
        else:
            finish = None
        rows.append({**base, "kind": "term", "start": start, "finish": finish,
                     "open_end": finish is None})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    att = df[df["kind"] == "attested"]
    for i in df.index[df["open_end"]]:
        same = att[(att["institution_id"] == df.at[i, "institution_id"])
                   & (att["role"] == df.at[i, "role"]) & (att["start"] >= df.at[i, "start"])]
        df.at[i, "finish"] = same["start"].max() if len(same) else df.at[i, "start"]
    terms = df[df["kind"] == "term"]
    # A term given by two sources (different spellings of one name) is one term; where one source
    # is more precise ('2008-11 to 2011-10' against '2008-2011'), its dates are kept.
    terms = (terms.assign(y0=terms["start"].dt.year, y1=terms["finish"].dt.year)
             .sort_values("start")
             .groupby(["institution_id", "role", "y0", "y1"], dropna=False, as_index=False)
             .agg(name=("name", "first"), role_as_stated=("role_as_stated", "first"),
                  institution=("institution", "first"), region=("region", "first"),
                  period_text=("period_text", " / ".join), source=("source", " ; ".join),
                  kind=("kind", "first"), start=("start", "max"), finish=("finish", "min"),
                  open_end=("open_end", "any"))
             .drop(columns=["y0", "y1"]))
    out = pd.concat([terms, df[df["kind"] == "attested"]], ignore_index=True)
    return out.sort_values(["start", "role"]).reset_index(drop=True)


# --- institution-year visitor series (DuckDB) ------------------------------------------------------
#: Series key: the source's own stable key, within a country. Rows without one (older stores, hand
#: files) fall back to the institution id, then to the name (validation warns when it does).
_KEY = ("v.country_code || ':' || COALESCE(NULLIF(v.source_key, ''), NULLIF(v.institution_id, ''), "
        "v.institution_name)")
#: How several rows for one key and year count: 'sum' adds them up; 'flag' (the default) withholds
#: the figure, so the year is a gap and the conflict is listed. Rows closed / not communicated carry
#: no figure and add nothing.
DUPLICATE_POLICIES = ("sum", "flag", "refuse")
DEFAULT_DUPLICATES = "flag"
_WITHHELD = f"count(*) > 1 AND bool_or(COALESCE(v.duplicates, '{DEFAULT_DUPLICATES}') <> 'sum')"


@dataclass(frozen=True)
class SeriesFilter:
    """What the visitor-series view is narrowed to. Empty tuples mean all."""

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()   # ISO alpha-3
    years: tuple[int, int] | None = None

    def where(self) -> tuple[str, list]:
        """SQL WHERE clause (over visitor_stats joined to the region table `r`) and params."""
        parts, params = ["TRUE"], []
        if self.regions:
            sql, p = in_clause("r.region", self.regions)
            parts.append(sql)
            params += p
        if self.countries:
            sql, p = in_clause("v.country_code", self.countries)
            parts.append(sql)
            params += p
        if self.years:
            parts.append("v.year BETWEEN ? AND ?")
            params += [int(self.years[0]), int(self.years[1])]
        return " AND ".join(parts), params


def _with_regions(con: duckdb.DuckDBPyConnection) -> None:
    """Register country -> region for the countries in visitor_stats (geo.country_region is
    Python, so the small lookup goes to DuckDB as a frame)."""
    codes = [r[0] for r in con.execute(
        "SELECT DISTINCT country_code FROM visitor_stats").fetchall()]
    con.register("_vs_regions", pd.DataFrame({"country_code": codes,
                                              "region": [country_region(c) for c in codes]}))


def _base_sql(flt: SeriesFilter) -> tuple[str, list]:
    """One row per key-year (key = the source's stable key, never the display name). Several rows
    for one key-year are added up when their import said ``duplicates: sum``; otherwise the
    figure is withheld (a gap) and ``conflict`` says so. ``institution`` is the name of the latest
    year (a renamed museum is one series under its current name), ``label`` is unique."""
    where, params = flt.where()
    fig = "CASE WHEN {w} THEN NULL ELSE CAST(sum(v.{c}) AS DOUBLE) END"
    sql = f"""
        WITH kv AS (
            SELECT {_KEY} AS key, v.year AS year,
                   min(v.institution_name) AS year_name, min(v.city) AS year_city,
                   any_value(v.country_code) AS country_code, any_value(r.region) AS region,
                   {fig.format(w=_WITHHELD, c='visitors')} AS visitors,
                   {fig.format(w=_WITHHELD, c='paid')} AS paid,
                   {fig.format(w=_WITHHELD, c='free')} AS free,
                   count(*) AS rows,
                   CASE WHEN count(*) > 1 THEN CASE WHEN {_WITHHELD} THEN 'flagged: withheld'
                        ELSE 'summed' END END AS conflict,
                   string_agg(DISTINCT v.note, '; ') AS note,
                   string_agg(DISTINCT v.source, '; ') AS source,
                   string_agg(DISTINCT v.status, ', ') AS status
            FROM visitor_stats v LEFT JOIN _vs_regions r USING (country_code)
            WHERE {where}
            GROUP BY {_KEY}, v.year),
        names AS (
            SELECT key, arg_max(year_name, year) AS institution, arg_max(year_city, year) AS city,
                   any_value(country_code) AS cc
            FROM kv GROUP BY key),
        labelled AS (
            SELECT key, institution, institution || COALESCE(', ' || city, '') || ' (' || cc || ')'
                   AS label0 FROM names),
        uniq AS (
            SELECT key, institution, CASE WHEN count(*) OVER (PARTITION BY label0) > 1
                   THEN label0 || ' [' || split_part(key, ':', 2) || ']' ELSE label0 END AS label
            FROM labelled)
        SELECT kv.key, u.institution, u.label, kv.country_code, kv.region, kv.year, kv.visitors,
               kv.paid, kv.free, kv.rows, kv.conflict, kv.note, kv.source, kv.status
        FROM kv JOIN uniq u USING (key)"""
    return sql, params


def series_summary(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts for the header: rows, institutions (distinct stable keys), countries, first/last
    year, statuses, sources, and key-years with several rows (``conflicts``, of which
    ``withheld`` are flagged and left as gaps)."""
    r = con.execute(f"""SELECT count(*), count(DISTINCT {_KEY}), count(DISTINCT country_code),
                               min(year), max(year), count(visitors),
                               string_agg(DISTINCT status, ', '), string_agg(DISTINCT source, '; ')
                        FROM visitor_stats v""").fetchone()
    keys = ["rows", "institutions", "countries", "first_year", "last_year", "reported",
            "statuses", "sources"]
    out = dict(zip(keys, r))
    c = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE withheld) FROM (
                            SELECT {_WITHHELD} AS withheld FROM visitor_stats v
                            GROUP BY {_KEY}, v.year HAVING count(*) > 1)""").fetchone()
    out["conflicts"], out["withheld"] = int(c[0]), int(c[1])
    return out


def series_options(con: duckdb.DuckDBPyConnection, flt: SeriesFilter = SeriesFilter()
                   ) -> pd.DataFrame:
    """Institutions (key, label) in the filter, busiest first, for the comparison multiselect."""
    _with_regions(con)
    sql, params = _base_sql(flt)
    return con.execute(f"""SELECT key, label, max(visitors) AS peak
                           FROM ({sql}) GROUP BY key, label
                           ORDER BY peak DESC NULLS LAST, label""", params).df()


def institution_series(con: duckdb.DuckDBPyConnection, keys: list[str],
                       flt: SeriesFilter = SeriesFilter()) -> pd.DataFrame:
    """Yearly rows for the chosen institutions, with gaps as NaN rows, year-on-year change (only
    between consecutive reported years) and the rank among all institutions in the filter that
    reported that year. Columns: key, label, country_code, region, year, visitors, paid, free,
    yoy, yoy_pct, rank, reporting, rows, conflict, source, status."""
    _with_regions(con)
    sql, params = _base_sql(flt)
    df = con.execute(f"""
        WITH b AS ({sql}),
        ranked AS (
            SELECT *, CASE WHEN visitors IS NOT NULL THEN
                          rank() OVER (PARTITION BY year ORDER BY visitors DESC NULLS LAST) END AS rank,
                   count(visitors) OVER (PARTITION BY year) AS reporting,
                   lag(year) OVER (PARTITION BY key ORDER BY year) AS prev_year,
                   lag(visitors) OVER (PARTITION BY key ORDER BY year) AS prev_visitors
            FROM b)
        SELECT key, label, country_code, region,
               year, visitors, paid, free,
               CASE WHEN prev_year = year - 1 THEN visitors - prev_visitors END AS yoy,
               CASE WHEN prev_year = year - 1 AND prev_visitors > 0
                    THEN 100.0 * (visitors - prev_visitors) / prev_visitors END AS yoy_pct,
               rank, reporting, rows, conflict, source, status
        FROM ranked WHERE key IN (SELECT unnest(?::VARCHAR[])) ORDER BY key, year""",
        params + [list(keys)]).df()
    return fill_gaps(df)


def fill_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Add a NaN row for each year an institution did not report (between its first and last
    year), so line charts break there instead of drawing a line across the gap."""
    if df.empty:
        return df
    parts = []
    for _key, g in df.groupby("key", sort=False):
        years = range(int(g["year"].min()), int(g["year"].max()) + 1)
        full = g.set_index("year").reindex(years)
        for c in ("key", "label", "country_code", "region"):
            full[c] = g[c].iloc[0]
        parts.append(full.reset_index(names="year"))
    out = pd.concat(parts, ignore_index=True)
    for c in ("visitors", "paid", "free", "yoy", "yoy_pct", "rank", "reporting", "rows"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out[df.columns]


def group_totals(con: duckdb.DuckDBPyConnection, by: str = "country",
                 flt: SeriesFilter = SeriesFilter()) -> pd.DataFrame:
    """Visitors per country, region or in all (``by='all'``) and year, with how many institutions
    reported: a total over fewer reporting museums is not a fall in visitors, so the count travels
    with it. A closed or not-communicated year adds nothing to either number (a gap, not zero).
    Years in which no institution of a group reported stay gaps (NaN rows). Columns: grp, year,
    visitors, reporting, institutions, withheld (key-years whose figure a flagged conflict held
    back). The page's chart and ``python -m asemus_data visitors`` both read this function."""
    if by not in ("country", "region", "all"):
        raise ValueError(f"by must be country, region or all, not {by!r}")
    _with_regions(con)
    sql, params = _base_sql(flt)
    col = {"region": "region", "country": "country_code", "all": "'all'"}[by]
    df = con.execute(f"""
        SELECT {col} AS grp, year, CAST(sum(visitors) AS DOUBLE) AS visitors,
               count(visitors) AS reporting, count(*) AS institutions,
               count(*) FILTER (WHERE conflict LIKE 'flagged%') AS withheld
        FROM ({sql}) GROUP BY ALL ORDER BY grp, year""", params).df()
    if df.empty:
        return df
    df.loc[df["reporting"] == 0, "visitors"] = np.nan
    years = range(int(df["year"].min()), int(df["year"].max()) + 1)
    idx = pd.MultiIndex.from_product([df["grp"].unique(), years], names=["grp", "year"])
    return df.set_index(["grp", "year"]).reindex(idx).reset_index()


def year_total(con: duckdb.DuckDBPyConnection, year: int, flt: SeriesFilter = SeriesFilter()
               ) -> dict:
    """Total visitors and reporting institutions of one year in the filter, read from
    :func:`group_totals`, the function behind the page's chart: keys ``year``, ``visitors``
    (None when nobody reported), ``reporting``, ``institutions`` (with a row that year, reporting
    or not), ``withheld``."""
    tot = group_totals(con, "all", replace(flt, years=(int(year), int(year))))
    row = tot[tot["year"] == int(year)] if len(tot) else tot
    if row.empty:
        return dict(year=int(year), visitors=None, reporting=0, institutions=0, withheld=0)
    r = row.iloc[0]
    return dict(year=int(year), visitors=None if pd.isna(r["visitors"]) else int(r["visitors"]),
                reporting=int(r["reporting"]), institutions=int(r["institutions"]),
                withheld=int(r["withheld"]))


def year_ranking(con: duckdb.DuckDBPyConnection, year: int, flt: SeriesFilter = SeriesFilter(),
                 limit: int = 20) -> pd.DataFrame:
    """The busiest institutions of one year in the filter, with their change from the year
    before (blank when the year before was not reported)."""
    _with_regions(con)
    sql, params = _base_sql(flt)
    return con.execute(f"""
        WITH b AS ({sql}), l AS (
            SELECT *, lag(year) OVER w AS py, lag(visitors) OVER w AS pv FROM b
            WINDOW w AS (PARTITION BY key ORDER BY year))
        SELECT rank() OVER (ORDER BY visitors DESC) AS rank, label AS institution, region,
               visitors, paid, free,
               CASE WHEN py = year - 1 AND pv > 0 THEN 100.0 * (visitors - pv) / pv END AS yoy_pct,
               conflict, source, status
        FROM l WHERE year = ? AND visitors IS NOT NULL ORDER BY visitors DESC LIMIT ?""",
        params + [int(year), int(limit)]).df()


def series_conflicts(con: duckdb.DuckDBPyConnection, flt: SeriesFilter = SeriesFilter(),
                     limit: int | None = None) -> pd.DataFrame:
    """Every key-year with several rows: the institution, the year, the rows' names and figures
    as the source gives them, and how they were counted (summed, or flagged and withheld).
    Columns: institution, key, year, rows, counted, names, figures, source."""
    _with_regions(con)
    where, params = flt.where()
    lim = f"LIMIT {int(limit)}" if limit else ""
    return con.execute(f"""
        SELECT {_KEY} AS key, v.year AS year, count(*) AS rows,
               CASE WHEN {_WITHHELD} THEN 'flagged: withheld (a gap)' ELSE 'summed' END AS counted,
               string_agg(v.institution_name, ' | ' ORDER BY v.id) AS names,
               string_agg(COALESCE(CAST(v.visitors AS VARCHAR), 'no figure'
                                   || COALESCE(' (' || v.note || ')', '')), ' | ' ORDER BY v.id)
                   AS figures,
               string_agg(DISTINCT v.source, '; ') AS source
        FROM visitor_stats v LEFT JOIN _vs_regions r USING (country_code)
        WHERE {where}
        GROUP BY ALL HAVING count(*) > 1 ORDER BY year, key {lim}""", params).df()


def check_duplicates(frame: pd.DataFrame, row_of: dict, file: str) -> tuple[list, list]:
    """Several rows of an incoming visitor file for one key and year: errors where the rows'
    policy is ``refuse``, else one warning naming how many there are, how they will count and the
    first examples (key, year, rows). Returns (errors, warnings) as lists of Issues."""
    errors, warnings = [], []
    key = frame["source_key"].fillna("")
    dup = frame.assign(_k=frame["country_code"].fillna("") + ":" + key)
    dup = dup[dup.duplicated(["_k", "year"], keep=False) & key.ne("")]
    if dup.empty:
        return errors, warnings
    policy = dup["duplicates"].fillna(DEFAULT_DUPLICATES)
    for (k, year), g in dup.assign(_p=policy).groupby(["_k", "year"], sort=True):
        rows = [row_of.get(i) for i in g.index]
        if (g["_p"] == "refuse").any():
            errors.append(Issue(file, f"{len(g)} rows for one institution and year (rows "
                                f"{', '.join(map(str, rows))}); the mapping says duplicates: "
                                "refuse (use sum to add them up, or flag to keep them as a "
                                "listed conflict)", row=rows[0], column="source_key",
                          value=f"{k.split(':', 1)[1]} {year}"))
    if errors:
        return errors, warnings
    groups = dup.assign(_p=policy).groupby(["_k", "year"], sort=True)
    examples = "; ".join(f"{k.split(':', 1)[1]} in {y} (rows "
                         f"{', '.join(str(row_of.get(i)) for i in g.index)})"
                         for (k, y), g in list(groups)[:5])
    how = {"sum": "added up (duplicates: sum)",
           "flag": "flagged: the figure is withheld and listed as a conflict (duplicates: flag)"}
    for p, n in policy.groupby(policy).size().items():
        n_groups = dup[policy == p].groupby(["_k", "year"]).ngroups
        warnings.append(Issue(file, f"{n_groups} institution-years have several rows ({n} rows); "
                              f"they are {how.get(p, p)}; e.g. {examples}", column="source_key"))
    return errors, warnings


def derive_keys(work: pd.DataFrame, file: str) -> list:
    """Fill ``source_key`` where empty (from institution_id, else from the name) and return a
    warning when names had to serve as keys: a renamed museum then splits into two series and
    two museums of one name merge."""
    warnings = []
    blank = work["source_key"].isna()
    inst = work["institution_id"].where(work["institution_id"].notna())
    work["source_key"] = work["source_key"].where(~blank, inst)
    by_name = work["source_key"].isna()
    if by_name.any():
        work.loc[by_name, "source_key"] = work.loc[by_name, "institution_name"]
        warnings.append(Issue(file, f"{int(by_name.sum())} rows have neither source_key nor "
                              "institution_id: they are keyed by name, so a renamed museum splits "
                              "into two series and museums sharing a name merge; map the "
                              "source's own museum number to source_key", column="source_key"))
    return warnings


def exhibition_detail(ex_id: str, exhibitions: pd.DataFrame, venues: pd.DataFrame,
                      participants: pd.DataFrame, institutions: pd.DataFrame) -> dict:
    """Everything known about one exhibition, for the detail view: 'facts' (label -> text, empty
    ones left out), 'venues' and 'partners' frames, 'sources' (distinct URLs/citations in order)."""
    ex = exhibitions[exhibitions["id"] == ex_id].iloc[0]
    own = venues[venues["exhibition_id"] == ex_id].sort_values("venue_order")
    tour = is_tour_total(ex, venues)
    vis = fmt_figure(ex["visitors"], ex.get("visitors_qualifier"))
    vsrc = ex.get("visitors_source") if not _is_na(ex.get("visitors_source")) else ex["source"]
    objects = fmt_figure(ex.get("objects"), ex.get("objects_qualifier"))
    if not _is_na(ex.get("objects_text")):
        objects = f"{objects} (as stated: {ex['objects_text']})" if objects else ex["objects_text"]
    span = run_span(ex["start_date"], ex["end_date"])
    facts = {
        "Type": ex["type"],
        "Dates": _dates_text(ex["start_date"], ex["end_date"])
        + (f" ({precision_note(span[2])})" if span and span[2] != "day" else ""),
        "Visitors": (f"{vis} ({f'tour total for {len(own)} venues, not split' if tour else 'whole run'}; "
                     f"source: {vsrc})" if vis else "not known"),
        "Objects": objects or "not known",
        "Lenders": ex.get("lenders"), "Curators": ex.get("curators"), "Notes": ex.get("notes"),
        "Data status": ex["status"],
    }
    facts = {k: str(v) for k, v in facts.items() if not _is_na(v) and str(v)}
    vt = own.assign(
        dates=[_dates_text(a, b) for a, b in zip(own["start_date"], own["end_date"])],
        visitors_text=[fmt_figure(v, q) if not _is_na(v) else (TOUR_PART if tour else "not known")
                       for v, q in zip(own["visitors"], own["visitors_qualifier"])],
    )[["venue_order", "venue_name", "city", "country", "dates", "visitors_text", "source"]]
    names = institutions[["id", "name", "city", "country", "region"]].rename(
        columns={"id": "institution_id"})
    pt = participants[participants["exhibition_id"] == ex_id].merge(
        names, on="institution_id", how="left")[["name", "role", "city", "country", "region",
                                                 "source"]]
    sources = list(dict.fromkeys([ex["source"], vsrc, *own["source"], *pt["source"]]))
    return dict(title=ex["title"], facts=facts, venues=vt.reset_index(drop=True),
                partners=pt.sort_values(["role", "name"]).reset_index(drop=True),
                sources=[s for s in sources if not _is_na(s)])


def for_institutions(exhibitions: pd.DataFrame, venues: pd.DataFrame, participants: pd.DataFrame,
                     institution_ids: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The exhibitions with a venue or a partner among ``institution_ids`` (the institutions the
    shared filters leave), with all their venues (a tour stays whole)."""
    keep = set(venues.loc[venues["institution_id"].isin(institution_ids), "exhibition_id"])
    keep |= set(participants.loc[participants["institution_id"].isin(institution_ids), "exhibition_id"])
    return (exhibitions[exhibitions["id"].isin(keep)].reset_index(drop=True),
            venues[venues["exhibition_id"].isin(keep)].reset_index(drop=True))
