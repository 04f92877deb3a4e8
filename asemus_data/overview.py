"""Headline figures for the Overview page. Each figure carries its source; stated figures keep
their qualifiers ("over 140"); conflicts between sources are reported, not resolved silently."""
from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from . import open_data
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


#: What counts as blank around a stated role or evidence: every character Python's str.strip()
#: removes (tabs, newlines, no-break and ideographic spaces...), spelled out so that the SQL twin
#: (:func:`network_group_sql`) uses the same set (DuckDB's trim() strips plain spaces only).
BLANK_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _said(v) -> bool:
    return isinstance(v, str) and bool(v.strip(BLANK_CHARS))


def network_group(member_status, status, role=None, evidence=None) -> str:
    """``member``, ``participant`` or ``other`` (see GROUPS) for one institution row: the one
    classification every page, slide and export uses. ``member``: a stated ASEMUS member;
    ``participant``: a documented ASEMUS role, or a documented row that names the ASEMUS activity
    it took part in (``role``, e.g. "Venue of 'Self and Other'") or quotes its evidence
    (``membership_evidence``); ``other``: the rest, e.g. a national register's museums, which no
    source places in the network."""
    if status not in ("documented", "imported"):
        return "other"
    if member_status == "member":
        return "member"
    if member_status == "documented role" or (status == "documented"
                                              and (_said(role) or _said(evidence))):
        return "participant"
    return "other"


def network_group_sql(alias: str = "i") -> str:
    """network_group as a SQL expression over an institutions row (same rule, for queries)."""
    def said(col: str) -> str:  # not NULL and not only BLANK_CHARS (literal in the class)
        return f"NULLIF(regexp_replace({col}, '[{BLANK_CHARS}]+', '', 'g'), '') IS NOT NULL"
    said_any = f"({said(alias + '.role')} OR {said(alias + '.membership_evidence')})"
    return (f"CASE WHEN {alias}.status IS NULL OR {alias}.status NOT IN ('documented', 'imported') "
            f"THEN 'other' WHEN {alias}.member_status = 'member' THEN 'member' "
            f"WHEN {alias}.member_status = 'documented role' OR ({alias}.status = 'documented' "
            f"AND {said_any}) THEN 'participant' ELSE 'other' END")


def network_groups(inst: pd.DataFrame) -> pd.Series:
    """network_group for every row of an institutions frame (same index)."""
    role = inst["role"] if "role" in inst.columns else pd.Series(None, index=inst.index)
    ev = (inst["membership_evidence"] if "membership_evidence" in inst.columns
          else pd.Series(None, index=inst.index))
    return pd.Series([network_group(m, s, r, e) for m, s, r, e in
                      zip(inst["member_status"], inst["status"], role, ev)],
                     index=inst.index, dtype="str")


def member_count(inst: pd.DataFrame) -> int:
    """How many rows of an institutions frame are ASEMUS members (network_group 'member'): the
    count every page shows."""
    return int((network_groups(inst) == "member").sum()) if len(inst) else 0


#: Evidence that does not state membership in words: labelled weak wherever it is shown.
_WEAK = [(re.compile(r"picture caption", re.I), "weak: a picture caption"),
         (re.compile(r"ambiguous", re.I), "weak: the source is ambiguous")]
#: A quoted statement with its date and URL (the 2026 fact files): better evidence that replaces
#: a weak one, e.g. "These 4 museums are also members of ... ASEMUS (2015-06-03, https://...)".
_STATED = re.compile(r"\(\d{4}(?:-\d{2}){0,2}, https?://|date of source", re.I)


def evidence_strength(group: str, member_status=None, role=None, evidence=None) -> str:
    """How strong the evidence behind a classification is, in words: 'stated' (a source says
    so), 'weak: ...' (a picture caption or an ambiguous source, with no quoted statement
    replacing it), 'documented ASEMUS role', 'named in an ASEMUS activity', or '' for others."""
    if group == "other":
        return ""
    if group == "participant":
        return ("documented ASEMUS role" if member_status == "documented role"
                else "named in an ASEMUS activity")
    text = " ".join(x for x in (role, evidence) if _said(x))
    if not _STATED.search(text or ""):
        for pat, label in _WEAK:
            if pat.search(text):
                return label
    return "stated"


def membership_table(inst: pd.DataFrame) -> pd.DataFrame:
    """Who counts as what, and why: name, country, group (GROUPS' words), the evidence as the
    data holds it (membership_evidence, else the role), its strength (weak evidence labelled
    so) and the source. Members first, then participants; others are left out."""
    g = network_groups(inst)
    role = inst.get("role", pd.Series(None, index=inst.index))
    ev = inst.get("membership_evidence", pd.Series(None, index=inst.index))
    out = pd.DataFrame({
        "name": inst["name"], "country": inst["country"], "group": g.map(GROUPS),
        "evidence": [e if _said(e) else (r if _said(r) else "") for r, e in zip(role, ev)],
        "evidence_strength": [evidence_strength(x, m, r, e) for x, m, r, e
                              in zip(g, inst["member_status"], role, ev)],
        "source": inst["source"]})
    out = out[g != "other"].assign(_o=g[g != "other"].map({"member": 0, "participant": 1}))
    return out.sort_values(["_o", "name"]).drop(columns="_o").reset_index(drop=True)


def other_institutions_text(others: pd.DataFrame) -> str:
    """The detail of the "Other institutions" figure: how many of each data status ('1,227
    imported (e.g. from a national register)'), or that there are none. Rows of the shipped
    Muséofile register are named as such, with the credit their licence asks for."""
    if others.empty:
        return "every institution here is an ASEMUS member or a documented participant"
    words = {"imported": "imported (e.g. from a national register)",
             "synthetic": "synthetic (not real)", "illustrative": "illustrative (not real)",
             "documented": "documented"}
    register = others["source"].astype("string").fillna("") == open_data.REGISTER_URL
    counts = others.loc[~register, "status"].value_counts()
    parts = [f"{int(n):,} {words.get(k, k)}" for k, n in counts.items()]
    if register.any():
        parts.insert(0, f"{int(register.sum()):,} French museums with Asian collections "
                        f"(Muséofile register: Ministère de la Culture, {open_data.LICENCE})")
    return "not ASEMUS members or documented participants: " + ", ".join(parts)


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
    out.append(Headline("Asia / Europe",
                        f"{int(by_region.get('Asia', 0))} / {int(by_region.get('Europe', 0))}",
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
    register = others["source"].astype("string").fillna("") == open_data.REGISTER_URL
    out.append(Headline("Other institutions", f"{len(others):,}",
                        other_institutions_text(others),
                        open_data.REGISTER_URL if len(others) and register.all()
                        else "institutions table (imported rows cite their file)",
                        status="imported" if (others["status"] == "imported").any()
                        else "documented"))
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
