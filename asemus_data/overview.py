"""Headline figures for the Overview page. Each figure carries its source; stated figures keep
their qualifiers ("over 140"); conflicts between sources are reported, not resolved silently."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .filters import Filters, institution_sql

QUALIFIER_WORDS = {"exact": "", "over": "over ", "nearly": "nearly ", "around": "around ",
                   "at least": "at least ", "approximately": "approx. ", "up to": "up to "}
#: How an institution stands to the network, for every headline. ``member``: a stated ASEMUS
#: member; ``participant``: a documented ASEMUS role, or named in a documented ASEMUS activity (a
#: venue, a lender, a partner: a documented row whose membership is not documented); ``other``:
#: the rest, e.g. museums imported from a national register. Synthetic and illustrative rows are
#: never counted in the network. An import of other institutions never changes the network's
#: figures; it adds to the "Other institutions" figure.
GROUPS = {"member": "ASEMUS members", "participant": "documented participants",
          "other": "other institutions"}
FOUNDING_NOTE = ("Founded at the ASEMUS 2000 conference in Stockholm (September 2000); some sources "
                 "date the public launch to 2001 (ICOM, Barcelona).")


@dataclass(frozen=True)
class Headline:
    """One figure on the Overview: what it is, its value as text, a detail line and its source."""

    label: str
    value: str
    detail: str
    source: str
    status: str = "documented"


def qualified(n, qualifier: str | None) -> str:
    """70, 'over' -> 'over 70'; keeps the stated qualifier with the number."""
    if n is None or pd.isna(n):
        return "unknown"
    q = qualifier if isinstance(qualifier, str) and qualifier else "exact"
    return f"{QUALIFIER_WORDS.get(q, q + ' ')}{int(n):,}"


def when_text(row) -> str:
    """'Feb 2006' when the month is stated, else the year ('2013')."""
    months = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    m = row.get("month")
    return f"{months[int(m)]} {row['year']}" if m is not None and not pd.isna(m) else str(row["year"])


def latest_membership(counts: pd.DataFrame) -> pd.Series | None:
    """The most recent stated membership total (by year, then month)."""
    if counts.empty:
        return None
    c = counts.assign(_m=counts["month"].fillna(6)).sort_values(["year", "_m"])
    return c.iloc[-1]


def network_group(member_status, status) -> str:
    """``member``, ``participant`` or ``other`` (see GROUPS) for one institution row."""
    if status not in ("documented", "imported"):
        return "other"
    if member_status == "member":
        return "member"
    if member_status == "documented role" or status == "documented":
        return "participant"
    return "other"


def network_group_sql(alias: str = "i") -> str:
    """network_group as a SQL expression over an institutions row (same rule, for queries)."""
    return (f"CASE WHEN {alias}.status NOT IN ('documented', 'imported') THEN 'other' "
            f"WHEN {alias}.member_status = 'member' THEN 'member' "
            f"WHEN {alias}.member_status = 'documented role' OR {alias}.status = 'documented' "
            "THEN 'participant' ELSE 'other' END")


def network_groups(inst: pd.DataFrame) -> pd.Series:
    """network_group for every row of an institutions frame (same index)."""
    return pd.Series([network_group(m, s) for m, s in zip(inst["member_status"], inst["status"])],
                     index=inst.index, dtype="str")


def other_institutions_text(others: pd.DataFrame) -> str:
    """The detail of the "Other institutions" figure: how many of each data status ('1,227
    imported (e.g. from a national register)'), or that there are none."""
    if others.empty:
        return "every institution here is an ASEMUS member or a documented participant"
    words = {"imported": "imported (e.g. from a national register)",
             "synthetic": "synthetic (not real)", "illustrative": "illustrative (not real)"}
    counts = others["status"].value_counts()
    return "not ASEMUS members or documented participants: " + ", ".join(
        f"{int(n):,} {words.get(k, k)}" for k, n in counts.items())


def headlines(con: duckdb.DuckDBPyConnection, f: Filters | None = None) -> list[Headline]:
    """The Overview's headline figures for the institutions matching ``f``.

    The network's figures (institutions, countries, Asia / Europe) count ASEMUS members and
    documented participants only; other institutions have a figure of their own (GROUPS)."""
    f = f or Filters()
    where, params = institution_sql(f)
    everyone = con.execute(f"SELECT * FROM institutions i WHERE {where}", params).df()
    group = network_groups(everyone)
    inst, others = everyone[group != "other"], everyone[group == "other"]
    counts = con.execute("SELECT * FROM membership_counts").df()
    out: list[Headline] = []

    latest = latest_membership(counts)
    if latest is not None:
        out.append(Headline(
            "Stated membership", qualified(latest["total"], latest["qualifier"]),
            f"member museums, {when_text(latest)} (the latest stated total)", latest["source"]))
    n_members = int((group == "member").sum())
    out.append(Headline(
        "Institutions in the network", f"{len(inst):,}",
        f"{n_members} ASEMUS members and {len(inst) - n_members} documented participants "
        "(ASEMUS roles, venues, partners)", "institutions table (each row cites its source)"))
    n_countries = inst["country_code"].nunique()
    stated = counts.dropna(subset=["countries"]).sort_values("year")
    detail = (f"in the network here; stated: {int(stated.iloc[-1]['countries'])} countries "
              f"({when_text(stated.iloc[-1])})" if len(stated) else "in the network here")
    out.append(Headline("Countries", f"{n_countries}", detail,
                        stated.iloc[-1]["source"] if len(stated) else "institutions table"))
    by_region = inst["region"].value_counts()
    split = counts.dropna(subset=["asia", "europe"]).sort_values("year")
    if len(split):
        s = split.iloc[-1]
        detail = (f"{int(by_region.get('Asia', 0))} Asia / {int(by_region.get('Europe', 0))} Europe here; "
                  f"stated {when_text(s)}: {int(s['asia'])} Asia / {int(s['europe'])} Europe"
                  + (f" / {int(s['affiliates'])} affiliates" if not pd.isna(s["affiliates"]) else ""))
        src = s["source"]
    else:
        detail, src = "in the network here", "institutions table"
    out.append(Headline("Asia / Europe", f"{int(by_region.get('Asia', 0))} / {int(by_region.get('Europe', 0))}",
                        detail, src))
    ids = list(everyone["id"])
    collabs = con.execute("""SELECT count(*) FROM collaborations WHERE status != 'synthetic' AND
        (institution_a IN (SELECT unnest(?)) OR institution_b IN (SELECT unnest(?)))""",
                          [ids, ids]).fetchone()[0]
    out.append(Headline("Documented collaborations", f"{collabs}",
                        "exchanges, joint exhibitions, loans, VCM leads, projects",
                        "collaborations table (each tie cites its source)"))
    ex = con.execute("SELECT * FROM exhibitions").df()
    with_visitors = ex.dropna(subset=["visitors"])
    total = int(with_visitors["visitors"].sum()) if len(with_visitors) else 0
    out.append(Headline(
        "Exhibitions", f"{len(ex)}",
        f"at least {total:,} visitors in the {len(with_visitors)} with a stated figure "
        f"({len(ex) - len(with_visitors)} have none)" if len(with_visitors) else "no visitor figures stated",
        "; ".join(sorted(set(with_visitors["visitors_source"].fillna(with_visitors["source"]))))
        or "exhibitions table"))
    vcm = con.execute("""SELECT * FROM vcm_stats WHERE record_type = 'statistic'
                         AND metric IN ('masterpieces', 'masterpieces online')""").df()
    dated = vcm.dropna(subset=["year"]).sort_values("year")
    if len(dated):
        d = dated.iloc[-1]
        undated = vcm[vcm["year"].isna()].sort_values("value")
        extra = ""
        if len(undated):
            u = undated.iloc[-1]
            extra = f"; {qualified(u['value'], u['qualifier'])} in an undated recent text"
        # a short card label (a long one is cut on a 4-column row): the detail names the VCM
        out.append(Headline("VCM masterpieces", qualified(d["value"], d["qualifier"]),
                            f"{d['metric']} in the Virtual Collection of Asian Masterpieces, "
                            f"{d['date_text']}{extra}", d["source"]))
    out.append(Headline("Other institutions", f"{len(others):,}",
                        other_institutions_text(others),
                        "institutions table (imported rows cite their file)",
                        status="imported" if len(others) else "documented"))
    return out


def conflict_years(counts: pd.DataFrame) -> list[int]:
    """Years in which different sources state different totals."""
    return [int(year) for year, g in counts.groupby("year")
            if g["total"].nunique() > 1 and g["source"].nunique() > 1]


def membership_conflicts(counts: pd.DataFrame) -> list[str]:
    """Years where sources state different totals, in words."""
    notes = []
    for year, g in counts.groupby("year"):
        if int(year) in conflict_years(g):
            parts = [f"{qualified(r.total, r.qualifier)} ({r.date_text})" for r in g.itertuples()]
            notes.append(f"{year}: " + " vs ".join(parts))
    return notes


# --- wording shared by the chart summaries (text a screen reader reads under each chart) ---------
_NUMBER_WORDS = "no one two three four five six seven eight nine ten".split()


def number_text(n: int) -> str:
    """Small counts in words ('five'), larger ones as digits ('1,234')."""
    n = int(n)
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """(1, 'venue') -> '1 venue'; (3, 'venue') -> '3 venues' (``words`` for irregular plurals)."""
    n = int(n)
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def and_list(items) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = [str(x) for x in items]
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + (items[-1] if items else "")
