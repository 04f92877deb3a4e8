"""The collaboration network: institutions are nodes, documented ties are edges. Pure Python.

How ties are derived (shown in the UI, see ``DERIVATION``):

1. **Collaborations** (``collaborations`` table): one tie per row, with its own type
   (educational exchange, travelling exhibition, loan, ...), programme, years and source.
2. **Shared exhibitions** (``exhibition_participants``): institutions that took part in the same
   exhibition are tied, type ``shared exhibition``. This is the projection of the bipartite
   institution-exhibition graph (``networkx.bipartite.weighted_projected_graph``): a pair's
   weight is the number of exhibitions they shared. Years are the exhibition's dates.
   Programme names in ``collaborations`` are *not* projected: the five Educational Exchange pairs
   share a programme name but each pair worked only with its partner, so tying all ten museums
   would invent collaborations.
3. **Executive Committee** (``people`` with kind ``committee`` and an institution): institutions
   whose people sat on the Committee in the same year are tied, type ``executive committee``, for
   the years they overlapped. Rows with a single date are meeting minutes (present or absent with
   apologies: both are sitting members); a role with a start and no end counts for its first
   year only (the end is unknown, so it is not extended by a guess).
4. **VCM trustees** (``vcm_stats`` rows with record_type ``trustee``): the trustee museums of the
   Virtual Collection of Masterpieces are tied to each other, type ``virtual collection
   partnership``, dated as the MOU is (c. 2007-2008).

Every tie keeps its type, years, label (programme / exhibition / years on the Committee) and
source. Between a pair the graph keeps the *list* of types, labels and sources; the edge weight is
the number of distinct ties (rows above) between them. Two records of the same cooperation (e.g.
the Self and Other collaboration row and the shared exhibition) both count: we do not guess that
two sources describe the same thing.

Metrics (``node_metrics`` / ``network_summary``) use unweighted shortest paths (a tie is a tie;
weights are strengths, not distances). Betweenness and brokerage are exact, from igraph's C core.
"""
from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import combinations

import duckdb
import networkx as nx
import numpy as np
import pandas as pd
from networkx.algorithms import bipartite

from . import access, dates, labels
from .filters import Filters, institution_sql, link_int
from .labels import EI_HELP
from .overview import network_group_sql

SHARED_EXHIBITION = "shared exhibition"
COMMITTEE = "executive committee"
VCM = "virtual collection partnership"
#: Where each tie comes from (the ``origin`` column).
ORIGINS = ("collaboration", "shared exhibition", "Executive Committee", "VCM trustees")
TIE_COLUMNS = ["a", "b", "type", "year_start", "year_end", "label", "origin", "source", "status"]
#: Exact betweenness up to this many nodes; sampled above (see module docstring).
SEED = 42
SCOPES = ("all ties", "Asia-Europe ties only", "ties within a region")

DERIVATION = """\
**How ties are derived.** Institutions are the nodes. A tie between two institutions comes from:
1. a row of the **collaborations** table (typed: educational exchange, travelling exhibition,
   loan, virtual collection partnership, joint project, co-organised exhibition, training), with
   its programme, years and source;
2. a **shared exhibition**: both took part in the same exhibition (exhibition participants:
   lead partner, co-organiser, partner, venue). Years are the exhibition's; weight = number of
   exhibitions shared (bipartite projection). A shared programme name alone is not a tie;
3. the **Executive Committee**: people from both institutions sat on it in the same year (from
   the committee lists and meeting minutes; an open-ended role counts for its first year only);
4. the **VCM trustees**: the trustee museums of the Virtual Collection of Masterpieces
   (MOU c. 2007-2008) are tied to each other.

Between two institutions all ties are kept (types, years, sources); the weight is the number of
distinct ties. The network "as of" a year holds every tie that had begun by then; ties with no
known year (e.g. an undated training) appear only when the year range is left at its widest.
Betweenness counts unweighted shortest paths. **Asia-Europe brokerage** of an institution is the
number of (Asian, European) pairs whose shortest paths run through it (a pair with several
shortest paths counts the share passing through it). The **E-I index** is (ties between Asia
and Europe - ties within a region) / (both), from -1 (all ties within a region) to +1 (all
across). **Isolates** are ASEMUS members (stated members, counted as on the Overview) with no tie
under the current filters."""


# --- deriving ties ---------------------------------------------------------------------------
def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) or v == ""


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=TIE_COLUMNS)
    for c in ("year_start", "year_end"):
        df[c] = pd.array(df[c], dtype="Int64")
    return df


def collaboration_ties(collabs: pd.DataFrame) -> pd.DataFrame:
    """One tie per row of the collaborations table (self-ties dropped)."""
    rows = []
    for r in collabs.to_dict("records"):
        if _blank(r["institution_a"]) or _blank(r["institution_b"]) or \
                r["institution_a"] == r["institution_b"]:
            continue
        a, b = _ordered(r["institution_a"], r["institution_b"])
        start = None if _blank(r.get("year_start")) else int(r["year_start"])
        end = None if _blank(r.get("year_end")) else int(r["year_end"])
        rows.append(dict(a=a, b=b, type=r["type"], year_start=start,
                         year_end=end if end is not None else start,
                         label=r.get("programme") if not _blank(r.get("programme")) else r["id"],
                         origin="collaboration", source=r["source"], status=r["status"]))
    return _frame(rows)


def projection(participants: pd.DataFrame, project: str = "exhibition_id",
               node: str = "institution_id") -> nx.Graph:
    """Institution-institution graph projected from the institution-project bipartite graph;
    edge ``weight`` = number of shared projects."""
    B = nx.Graph()
    pairs = participants[[node, project]].dropna().drop_duplicates()
    insts = sorted(set(pairs[node]))
    B.add_nodes_from(insts, bipartite=0)
    B.add_nodes_from((("project", p) for p in set(pairs[project])), bipartite=1)
    B.add_edges_from((i, ("project", p)) for i, p in zip(pairs[node], pairs[project]))
    return bipartite.weighted_projected_graph(B, insts)


def _year(text) -> int | None:
    if _blank(text):
        return None
    try:
        return int(str(text)[:4])
    except ValueError:
        return None


def exhibition_ties(participants: pd.DataFrame, exhibitions: pd.DataFrame) -> pd.DataFrame:
    """One tie per pair of institutions per exhibition they both took part in."""
    P = projection(participants)
    by_inst = participants.dropna(subset=["institution_id"]).groupby("institution_id")
    projects = {i: set(g["exhibition_id"]) for i, g in by_inst}
    src = participants.groupby(["exhibition_id", "institution_id"])["source"].first().to_dict()
    ex = exhibitions.set_index("id")
    rows = []
    for u, v in P.edges():
        a, b = _ordered(u, v)
        for e in sorted(projects[u] & projects[v]):  # the shared projects behind the weight
            start = _year(ex.at[e, "start_date"]) if e in ex.index else None
            end = _year(ex.at[e, "end_date"]) if e in ex.index else None
            sources = list(dict.fromkeys(s for s in (src.get((e, a)), src.get((e, b))) if s))
            rows.append(dict(a=a, b=b, type=SHARED_EXHIBITION, year_start=start,
                             year_end=end if end is not None else start,
                             label=ex.at[e, "title"] if e in ex.index else e,
                             origin="shared exhibition", source="; ".join(sources),
                             status=ex.at[e, "status"] if e in ex.index else "documented"))
    return _frame(rows)


def committee_ties(people: pd.DataFrame) -> pd.DataFrame:
    """Ties between institutions whose people sat on the Executive Committee in the same year.

    A row covers start_year..end_year; with no end_year it covers its start year only (the end
    is unknown). One tie per pair, dated by the first and last shared year; label lists the years.
    """
    c = people[(people["kind"] == "committee") & people["institution_id"].notna()
               & people["start_year"].notna()]
    seats: dict[int, dict[str, list[str]]] = {}
    for r in c.to_dict("records"):
        start = int(r["start_year"])
        end = start if _blank(r["end_year"]) else int(r["end_year"])
        for y in range(start, end + 1):
            seats.setdefault(y, {}).setdefault(r["institution_id"], []).append(r["source"])
    pairs: dict[tuple[str, str], dict] = {}
    for y in sorted(seats):
        for u, v in combinations(sorted(seats[y]), 2):
            p = pairs.setdefault((u, v), {"years": [], "sources": []})
            p["years"].append(y)
            p["sources"] += seats[y][u] + seats[y][v]
    rows = [dict(a=u, b=v, type=COMMITTEE, year_start=p["years"][0], year_end=p["years"][-1],
                 label="Executive Committee in " + ", ".join(map(str, p["years"])),
                 origin="Executive Committee", source="; ".join(dict.fromkeys(p["sources"])),
                 status="documented")
            for (u, v), p in pairs.items()]
    return _frame(rows)


def vcm_ties(vcm: pd.DataFrame) -> pd.DataFrame:
    """Ties among the trustee museums of the Virtual Collection of Masterpieces (one clique)."""
    t = vcm[(vcm["record_type"] == "trustee") & vcm["institution_id"].notna()]
    t = t.drop_duplicates("institution_id").sort_values("institution_id")
    rows = []
    for (_, r), (_, s) in combinations(t.iterrows(), 2):
        # an agreement signed "c.2007-2008": the stated years, without the circa margin for objects
        spans = [dates.parse_date(x["date_text"], circa_years=0) for x in (r, s)]
        start = min((p.start for p in spans if p.start is not None), default=_year(r["year"]))
        end = max((p.end for p in spans if p.end is not None), default=start)
        rows.append(dict(a=r["institution_id"], b=s["institution_id"], type=VCM, year_start=start,
                         year_end=end, label=f"VCM trustees (MOU {r['date_text']})",
                         origin="VCM trustees",
                         source="; ".join(dict.fromkeys([r["source"], s["source"]])),
                         status=r["status"]))
    return _frame(rows)


def derive_ties(collabs: pd.DataFrame, participants: pd.DataFrame, exhibitions: pd.DataFrame,
                people: pd.DataFrame, vcm: pd.DataFrame) -> pd.DataFrame:
    """Every documented tie, one row each (columns ``TIE_COLUMNS``; ``a`` < ``b``)."""
    parts = [collaboration_ties(collabs), exhibition_ties(participants, exhibitions),
             committee_ties(people), vcm_ties(vcm)]
    return pd.concat([p for p in parts if len(p)], ignore_index=True) if any(map(len, parts)) \
        else _frame([])


# --- selecting ties and building the graph -----------------------------------------------------
def institution_ids(con: duckdb.DuckDBPyConnection, f: Filters) -> set[str]:
    """Ids of the institutions that pass the institution-level filters and belong on the network:
    ASEMUS members, documented participants (overview.network_group), and any other institution
    named in a tie's source table. Museums imported from a register without ties stay off it, so
    an import never inflates the network's counts or dilutes its density."""
    sql, params = institution_sql(f)
    return set(con.execute(f"""
        SELECT i.id FROM institutions i WHERE {sql} AND ({network_group_sql()} != 'other'
            OR i.id IN (SELECT institution_a FROM collaborations
                        UNION SELECT institution_b FROM collaborations
                        UNION SELECT institution_id FROM exhibition_participants
                        UNION SELECT institution_id FROM exhibition_venues
                        UNION SELECT institution_id FROM {access.relation("people")}
                        UNION SELECT institution_id FROM vcm_stats))""", params).df()["id"])


def year_bounds(ties: pd.DataFrame) -> tuple[int, int]:
    """First and last year any tie is dated to."""
    ys = pd.concat([ties["year_start"], ties["year_end"]]).dropna()
    return (int(ys.min()), int(ys.max())) if len(ys) else (2000, 2000)


def filter_ties(ties: pd.DataFrame, nodes: pd.DataFrame, *, types=None, years=None,
                scope: str = "all ties") -> pd.DataFrame:
    """Ties between institutions in ``nodes`` (id, region), of ``types`` (None: all), overlapping
    ``years`` (None: all, including undated ties; a range drops undated ties), within ``scope``."""
    ids = set(nodes["id"])
    keep = ties["a"].isin(ids) & ties["b"].isin(ids)
    if types is not None:
        keep &= ties["type"].isin(list(types))
    if years is not None:
        lo, hi = years
        keep &= (ties["year_end"].fillna(-1) >= lo) & (ties["year_start"].fillna(10_000) <= hi)
    out = ties[keep.fillna(False).astype(bool)]
    if scope != SCOPES[0]:
        region = nodes.set_index("id")["region"]
        cross = _is_cross(out["a"].map(region), out["b"].map(region))
        out = out[cross] if scope == SCOPES[1] else out[~cross]
    return out.reset_index(drop=True)


def as_of(ties: pd.DataFrame, year: int) -> pd.DataFrame:
    """Ties that had begun by ``year`` (undated ties are left out: their time is unknown)."""
    return ties[ties["year_start"].notna() & (ties["year_start"] <= year)].reset_index(drop=True)


def _is_cross(ra: pd.Series, rb: pd.Series) -> pd.Series:
    regions = {"Asia", "Europe"}
    return (ra.isin(regions) & rb.isin(regions) & (ra != rb)).astype(bool)


def _split(sources: str) -> list[str]:
    """'a; b' -> ['a', 'b'] (a derived tie may carry several sources)."""
    if "; " not in sources:
        return [sources] if sources else []
    return [x for x in sources.split("; ") if x]


NODE_ATTRS = ("name", "region", "country", "member_status", "latitude", "longitude", "status")


def build_graph(nodes: pd.DataFrame, ties: pd.DataFrame) -> nx.Graph:
    """An undirected graph: every institution in ``nodes`` (ties or not) and one edge per tied
    pair, with ``types``, ``labels``, ``sources``, ``origins`` (lists), ``year_start``,
    ``year_end`` and ``weight`` (number of ties between the pair)."""
    G = nx.Graph()
    attrs = [c for c in NODE_ATTRS if c in nodes.columns]
    for r in nodes[["id", *attrs]].to_dict("records"):
        G.add_node(r.pop("id"), **{k: (None if _blank(v) else v) for k, v in r.items()})
    if len(ties):
        # one pass over pairs sorted by (a, b): pandas' per-group aggregation is far slower
        t = ties.sort_values(["a", "b"], kind="stable")
        a, b = t["a"].to_numpy(dtype=object), t["b"].to_numpy(dtype=object)
        ys = t["year_start"].to_numpy(dtype="float", na_value=np.nan)
        ye = t["year_end"].to_numpy(dtype="float", na_value=np.nan)
        typ, lab, org = t["type"].tolist(), t["label"].astype(str).tolist(), t["origin"].tolist()
        src = t["source"].fillna("").astype(str).tolist()
        ys, ye = ys.tolist(), ye.tolist()
        cut = np.flatnonzero((a[1:] != a[:-1]) | (b[1:] != b[:-1])) + 1
        for i, j in zip(np.r_[0, cut].tolist(), np.r_[cut, len(t)].tolist()):
            if j - i == 1:  # most pairs have a single tie: skip the merging
                y0, y1, types, labels, origins = ys[i], ye[i], [typ[i]], [lab[i]], [org[i]]
                sources = _split(src[i])
            else:
                y0 = min((y for y in ys[i:j] if y == y), default=np.nan)
                y1 = max((y for y in ye[i:j] if y == y), default=np.nan)
                types, origins = sorted(set(typ[i:j])), sorted(set(org[i:j]))
                labels = list(dict.fromkeys(lab[i:j]))
                sources = list(dict.fromkeys(x for v in src[i:j] for x in _split(v)))
            G.add_edge(a[i], b[i], weight=j - i, types=types, labels=labels, origins=origins,
                       sources=sources, year_start=None if y0 != y0 else int(y0),
                       year_end=None if y1 != y1 else int(y1))
    return G


# --- metrics -----------------------------------------------------------------------------------
def pagerank(G: nx.Graph, alpha: float = 0.85, weight: str = "weight") -> dict:
    """Weighted PageRank (networkx, scipy-backed); robust on disconnected graphs."""
    return nx.pagerank(G, alpha=alpha, weight=weight) if len(G) else {}


def _igraph(G: nx.Graph) -> tuple:
    import igraph  # lazy: 0.4 s to import, only for this metric
    nodes = list(G)
    idx = {v: i for i, v in enumerate(nodes)}
    return igraph.Graph(n=len(nodes), edges=[(idx[u], idx[v]) for u, v in G.edges() if u != v]), nodes


def betweenness_and_brokerage(G: nx.Graph) -> tuple[dict, dict]:
    """Normalised betweenness (unweighted shortest paths, as ``nx.betweenness_centrality``) and
    Asia-Europe brokerage, both exact, computed by igraph's C core (networkx's pure-Python
    version takes minutes at 2,000 institutions).

    Brokerage of v = sum over pairs (s Asian, t European; s, t != v) of the share of shortest
    s-t paths through v: igraph's betweenness restricted to those sources and targets, doubled
    because, like networkx, it counts each undirected pair as half.
    """
    nodes = list(G)
    n = len(nodes)
    if n < 3 or G.number_of_edges() == 0:
        return dict.fromkeys(nodes, 0.0), dict.fromkeys(nodes, 0.0)
    g, nodes = _igraph(G)
    btw = g.betweenness(directed=False)
    norm = 2.0 / ((n - 1) * (n - 2))
    asia = [i for i, v in enumerate(nodes) if G.nodes[v].get("region") == "Asia"]
    europe = [i for i, v in enumerate(nodes) if G.nodes[v].get("region") == "Europe"]
    brk = g.betweenness(directed=False, sources=asia, targets=europe) if asia and europe else [0.0] * n
    return ({v: b * norm for v, b in zip(nodes, btw)}, {v: 2.0 * b for v, b in zip(nodes, brk)})


def brokerage(G: nx.Graph) -> dict:
    """Asia-Europe brokerage only (see ``betweenness_and_brokerage``)."""
    return betweenness_and_brokerage(G)[1]


@dataclass(frozen=True)
class NetworkResult:
    """Node metrics (one row per institution) and network-level figures for one graph."""
    nodes: pd.DataFrame
    summary: dict


def node_metrics(G: nx.Graph, *, seed: int = SEED) -> NetworkResult:
    """Every metric for every node, and the network summary.

    Degree (institutions tied), weighted degree (ties), betweenness (normalised, unweighted
    shortest paths), Asia-Europe brokerage (see ``brokerage``), PageRank (weighted), clustering,
    k-core number, connected component (id 0 = largest) and Louvain community (networkx, seed
    ``seed``, weighted) with modularity. All exact.
    """
    btw, brk = betweenness_and_brokerage(G)
    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c)))
    comp_of = {v: i for i, c in enumerate(comps) for v in c}
    if G.number_of_edges():
        comms = nx.community.louvain_communities(G, weight="weight", seed=seed)
        modularity = nx.community.modularity(G, comms, weight="weight")
    else:
        comms, modularity = [{v} for v in G], None
    comms = sorted(comms, key=lambda c: (-len(c), min(c)))
    comm_of = {v: i for i, c in enumerate(comms) for v in c}
    pr = pagerank(G)
    core = nx.core_number(G)
    clus = nx.clustering(G)
    ids = list(G)
    df = pd.DataFrame({
        "id": ids,
        "name": [G.nodes[v].get("name") or v for v in ids],
        "region": [G.nodes[v].get("region") for v in ids],
        "country": [G.nodes[v].get("country") for v in ids],
        "member_status": [G.nodes[v].get("member_status") for v in ids],
        "degree": [G.degree(v) for v in ids],
        "weighted_degree": [G.degree(v, weight="weight") for v in ids],
        "betweenness": [btw[v] for v in ids],
        "brokerage": [brk[v] for v in ids],
        "pagerank": [pr[v] for v in ids],
        "clustering": [clus[v] for v in ids],
        "k_core": [core[v] for v in ids],
        "component": [comp_of[v] for v in ids],
        "component_size": [len(comps[comp_of[v]]) for v in ids],
        "community": [comm_of[v] for v in ids],
    }).sort_values(["degree", "weighted_degree", "name"], ascending=[False, False, True],
                   ignore_index=True)
    summary = network_summary(G)
    summary.update(components=len(comps), largest_component=len(comps[0]) if comps else 0,
                   communities=sum(len(c) > 1 for c in comms), modularity=modularity)
    return NetworkResult(df, summary)


def network_summary(G: nx.Graph) -> dict:
    """Network-level figures: nodes, ties (pairs), density, share of ASEMUS members
    (overview.network_group 'member', the Overview's count) with no tie, share of ties
    crossing Asia-Europe, and the E-I index
    (external - internal) / (external + internal) over ties between Asian and European nodes."""
    region = dict(G.nodes(data="region"))
    ext = sum(1 for u, v in G.edges() if {region[u], region[v]} == {"Asia", "Europe"})
    internal = sum(1 for u, v in G.edges() if region[u] == region[v] and region[u] in
                   ("Asia", "Europe"))
    from .overview import network_group  # one meaning of "member" on every page
    members = [v for v, d in G.nodes(data=True)
               if network_group(d.get("member_status"), d.get("status", "documented")) == "member"]
    iso = [v for v in members if G.degree(v) == 0]
    m = G.number_of_edges()
    return dict(nodes=G.number_of_nodes(), ties=m, tie_records=int(G.size(weight="weight")),
                density=nx.density(G) if len(G) > 1 else 0.0,
                members=len(members), isolated_members=len(iso),
                isolates_share=len(iso) / len(members) if members else None,
                cross_ties=ext, cross_share=ext / m if m else None,
                ei_index=(ext - internal) / (ext + internal) if ext + internal else None)


def fingerprint(G: nx.Graph) -> str:
    """A content hash of the graph (nodes with region and membership, edges with weight)."""
    h = hashlib.blake2b(digest_size=16)
    for v in sorted(G):
        d = G.nodes[v]
        h.update(f"{v}|{d.get('region')}|{d.get('member_status')}|{d.get('name')}\n".encode())
    for u, v, w in sorted((min(u, v), max(u, v), w) for u, v, w in G.edges(data="weight")):
        h.update(f"{u}|{v}|{w}\n".encode())
    return h.hexdigest()


_CACHE: OrderedDict[str, NetworkResult] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 16


def cached_metrics(G: nx.Graph) -> NetworkResult:
    """``node_metrics`` served from a small in-process cache keyed on the graph's content hash
    (so the same filtered graph is computed once per process). Treat the result as read-only."""
    key = fingerprint(G)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    res = node_metrics(G)
    with _LOCK:
        _CACHE[key] = res
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return res


# --- plain-language reading ---------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{x:.0%}"


def count_text(x: float) -> str:
    """A count that may be fractional (brokerage shares a pair among its shortest paths): whole
    numbers without a decimal ('28', not '28.0'), others with one ('27.5')."""
    return f"{round(x):,}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def reading(res: NetworkResult) -> list[str]:
    """A few plain sentences on the top results (most ties, top broker, isolates, cross-regional
    share, fragmentation). Names come from the data; no sentence is made when a figure is
    unknown."""
    m, s = res.nodes, res.summary
    out = []
    if s["ties"] == 0:
        return ["No ties are documented under the current filters."]
    top = m.iloc[0]  # sorted by degree, then ties, then name
    runner = m.iloc[1] if len(m) > 1 else None
    tail = (f", ahead of {runner['name']} ({runner['degree']})"
            if runner is not None and runner["degree"] < top["degree"] else "")
    out.append(f"{top['name']} ties more institutions than any other ({top['degree']}){tail}.")
    b = m.sort_values(["brokerage", "name"], ascending=[False, True]).iloc[0]
    if b["brokerage"] > 0:
        out.append(f"{b['name']} is the strongest Asia-Europe broker: it lies on the shortest "
                   f"paths of {count_text(b['brokerage'])} Asian-European pairs of institutions.")
    if s["isolates_share"] is not None:
        out.append(f"{s['isolated_members']} of {s['members']} ASEMUS members "
                   f"({_pct(s['isolates_share'])}) have no documented tie.")
    if s["cross_share"] is not None:
        lean = ("more ties cross between Asia and Europe than stay within a region"
                if (s["ei_index"] or 0) > 0 else
                "more ties stay within a region than cross" if (s["ei_index"] or 0) < 0 else
                "ties within and across the regions are balanced")
        ei = f" (E-I index {s['ei_index']:+.2f})" if s["ei_index"] is not None else ""
        out.append(f"{_pct(s['cross_share'])} of ties link an Asian and a European institution: "
                   f"{lean}{ei}.")
    tied = int((m["degree"] > 0).sum())
    if s["components"] > 1:
        groups = int(m.loc[m["degree"] > 0, "component"].nunique())
        out.append(f"The {tied} tied institutions form {groups} separate "
                   f"group{'s' if groups != 1 else ''}; the largest holds "
                   f"{s['largest_component']}.")
    return out


def headline(s: dict) -> list[tuple[str, object, str]]:
    """The network's headline figures as (label, value, help) for metric tiles."""
    return [
        ("Institutions", s["nodes"], "Institutions passing the filters, tied or not."),
        ("Tied pairs", s["ties"], f"Pairs of institutions with at least one tie; {s['tie_records']} "
         "ties in all (a pair can have several, e.g. two shared exhibitions)."),
        ("Density", f"{s['density']:.3f}", "How many of the possible pairs are tied (0 to 1): "
         "tied pairs / possible pairs. 1 would mean every institution is tied to every other."),
        ("Asia-Europe", "n/a" if s["cross_share"] is None else f"{s['cross_share']:.0%}",
         "Share of tied pairs linking an Asian and a European institution."),
        ("E-I index", "n/a" if s["ei_index"] is None else f"{s['ei_index']:+.2f}", EI_HELP),
        ("Isolated", "n/a" if s["isolates_share"] is None else f"{s['isolates_share']:.0%}",
         f"{s['isolated_members']} of {s['members']} ASEMUS members (stated members, as on the "
         "Overview) have no documented tie.")]


# --- views: ego, time ---------------------------------------------------------------------------
def edges_frame(G: nx.Graph) -> pd.DataFrame:
    """One row per tied pair with names, types, years, labels, sources and weight."""
    name = dict(G.nodes(data="name"))
    rows = [dict(a=u, b=v, institution_a=name.get(u) or u, institution_b=name.get(v) or v,
                 types="; ".join(d["types"]), year_start=d["year_start"], year_end=d["year_end"],
                 weight=d["weight"], what="; ".join(d["labels"]), sources="; ".join(d["sources"]))
            for u, v, d in G.edges(data=True)]
    df = pd.DataFrame(rows, columns=["a", "b", "institution_a", "institution_b", "types",
                                     "year_start", "year_end", "weight", "what", "sources"])
    for c in ("year_start", "year_end"):
        df[c] = pd.array(df[c], dtype="Int64")
    return df.sort_values(["institution_a", "institution_b"], ignore_index=True)


#: At most this many rows of a tie table in the page (the exports hold every row).
TABLE_ROWS = 1000


def top_rows(df: pd.DataFrame, by: str, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """The ``limit`` rows with the largest ``by`` (ties kept in their order), or all rows when
    there are no more: a table of 20,000 ties is megabytes for the browser and read by nobody."""
    if len(df) <= limit:
        return df
    return df.sort_values(by, ascending=False, kind="stable").head(limit).reset_index(drop=True)


def ego(G: nx.Graph, center: str, radius: int = 1) -> tuple[nx.Graph, pd.DataFrame]:
    """The ties of ``center`` (radius 1) and, with radius 2, the ties of its partners too, as a
    graph and a table with ``step`` (1: the centre's own ties, 2: its partners' ties)."""
    dist = nx.single_source_shortest_path_length(G, center, cutoff=radius)
    E = nx.Graph()
    E.add_node(center, **G.nodes[center])
    for u, v, d in G.edges(dist, data=True):
        # an edge is in the ego view when one end is fewer than ``radius`` steps from the centre
        if min(dist.get(u, radius), dist.get(v, radius)) < radius:
            E.add_node(u, **G.nodes[u])
            E.add_node(v, **G.nodes[v])
            E.add_edge(u, v, **d)
    df = edges_frame(E)
    df.insert(0, "step", [min(dist[a], dist[b]) + 1 for a, b in zip(df["a"], df["b"])])
    return E, df.sort_values(["step", "institution_a", "institution_b"], ignore_index=True)


def growth(ties: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """By year: institutions with a tie, tied pairs and the share of pairs crossing Asia-Europe,
    counting every tie begun by that year (undated ties left out)."""
    dated = ties[ties["year_start"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["year", "institutions", "ties", "cross_share"])
    region = nodes.set_index("id")["region"]
    first = dated.groupby(["a", "b"])["year_start"].min().reset_index()
    first["cross"] = _is_cross(first["a"].map(region), first["b"].map(region)).to_numpy()
    rows = []
    for y in range(int(first["year_start"].min()), int(first["year_start"].max()) + 1):
        t = first[first["year_start"] <= y]
        rows.append(dict(year=y, institutions=len(set(t["a"]) | set(t["b"])), ties=len(t),
                         cross_share=t["cross"].mean() if len(t) else None))
    return pd.DataFrame(rows)


def undated_note(ties: pd.DataFrame, G: nx.Graph, grown: pd.DataFrame) -> str:
    """Why the 'Over time' counts differ from the headline's: ties with no year cannot be
    placed on the time line and are left out, with the numbers on both sides."""
    undated = int(ties["year_start"].isna().sum())
    tied = sum(1 for v in G if G.degree(v) > 0)
    if grown.empty:
        return f"None of the {len(ties):,} ties here has a year, so none can be placed in time."
    last = grown.iloc[-1]
    n, i = int(last["ties"]), int(last["institutions"])
    if undated == 0:
        return (f"Every tie here has a year: by {int(last['year'])} the chart counts the same "
                f"{n:,} tied pairs and {i:,} tied institutions as the figures above.")
    return (f"Undated ties are left out of this view ({undated:,} of {len(ties):,} ties "
            f"{'has' if undated == 1 else 'have'} no year): by {int(last['year'])} the chart counts "
            f"{n:,} tied pairs among {i:,} "
            f"institutions, where the figures above count {G.number_of_edges():,} tied pairs "
            f"among {tied:,} tied institutions.")


def all_but(kinds, excluded: str = COMMITTEE) -> tuple[str, ...]:
    """Every tie type in ``kinds`` except ``excluded`` (one click on the network page)."""
    return tuple(k for k in kinds if k != excluded)


def committee_share_text(ties: pd.DataFrame) -> str:
    """How many of ``ties`` come from shared Executive Committee years (they dominate the
    network; blank when there are none)."""
    n = int((ties["type"] == COMMITTEE).sum())
    return (f"{n:,} of the {len(ties):,} ties come from sitting on the Executive Committee in the "
            "same years." if n else "")


def general_conference_years(meetings: pd.DataFrame) -> list[int]:
    """Years of the General Conferences (meetings of kind 'general conference')."""
    gc = meetings[(meetings["kind"] == "general conference") & meetings["year"].notna()]
    return sorted({int(y) for y in gc["year"]})


@dataclass(frozen=True)
class Change:
    """What changed between the network as of the previous General Conference and a year."""
    previous_gc: int | None
    year: int
    new_ties: pd.DataFrame
    newly_tied: pd.DataFrame
    movers: pd.DataFrame


def since_last_gc(ties: pd.DataFrame, nodes: pd.DataFrame, year: int, gc_years: list[int],
                  top: int = 10) -> Change:
    """New ties, newly tied institutions and the biggest movers in PageRank (and degree) between
    the network as of the last General Conference before ``year`` and as of ``year``."""
    prev = max((y for y in gc_years if y < year), default=None)
    G1 = build_graph(nodes, as_of(ties, year))
    G0 = build_graph(nodes, as_of(ties, prev)) if prev is not None else build_graph(nodes, ties[:0])
    new = edges_frame(G1)
    new = new[[not G0.has_edge(a, b) for a, b in zip(new["a"], new["b"])]].reset_index(drop=True)
    newly = [v for v in G1 if G1.degree(v) > 0 and G0.degree(v) == 0]
    newly_df = pd.DataFrame({"institution": [G1.nodes[v].get("name") or v for v in newly],
                             "region": [G1.nodes[v].get("region") for v in newly],
                             "ties": [G1.degree(v) for v in newly]},
                            columns=["institution", "region", "ties"]
                            ).sort_values(["ties", "institution"], ascending=[False, True],
                                          ignore_index=True)
    p0, p1 = pagerank(G0), pagerank(G1)
    mv = pd.DataFrame({"institution": [G1.nodes[v].get("name") or v for v in G1],
                       "degree_before": [G0.degree(v) for v in G1],
                       "degree_now": [G1.degree(v) for v in G1],
                       "pagerank_before": [p0.get(v, 0.0) for v in G1],
                       "pagerank_now": [p1[v] for v in G1]})
    mv["pagerank_change"] = mv["pagerank_now"] - mv["pagerank_before"]
    mv = mv[(mv["degree_now"] != mv["degree_before"])]
    mv = mv.reindex(mv["pagerank_change"].abs().sort_values(ascending=False).index).head(top)
    return Change(prev, year, new, newly_df, mv.reset_index(drop=True))


# --- layout and exports -------------------------------------------------------------------------
def layout(nodes: tuple, edges: tuple, *, max_nodes: int = 300, seed: int = 7) -> dict:
    """Force-directed positions (``nx.spring_layout``, fixed seed) for the ``max_nodes``
    best-connected tied nodes (weighted degree; ties broken by id); nodes with no tie are not
    placed. ``edges`` are (a, b, weight).

    Large graphs are cut to ``max_nodes``: a hairball of thousands of nodes tells nobody
    anything, and networkx's sparse solver for 500+ nodes needs scipy, which we do not ship.
    """
    G = nx.Graph()
    G.add_nodes_from(nodes)
    G.add_weighted_edges_from(edges)
    # institutions with no tie would only be flung to the edges and squash the rest
    G.remove_nodes_from([v for v in list(G) if G.degree(v) == 0])
    if len(G) > max_nodes:
        keep = sorted(G, key=lambda v: (-G.degree(v, weight="weight"), v))[:max_nodes]
        G = G.subgraph(keep)
    if len(G) == 0:
        return {}
    iters = 50 if len(G) <= 150 else 30
    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c)))
    # unweighted, with a generous spring length: weights would pull committee cliques into a
    # knot. The largest component fills the square; the small ones sit in rows beneath it
    # (laid out together, far-flung pairs would shrink the main component to a dot)
    main = G.subgraph(comps[0])
    pos = nx.spring_layout(main, seed=seed, iterations=iters, weight=None,
                           k=3 / max(len(main), 1) ** 0.5)
    out = {v: (float(x), float(y)) for v, (x, y) in pos.items()} if len(main) > 1 else \
        {next(iter(main)): (0.0, 0.0)}
    per_row = 8
    for i, c in enumerate(comps[1:]):
        cx, cy = -1 + 2 * (i % per_row + 0.5) / per_row, -1.3 - 0.35 * (i // per_row)
        sub = nx.spring_layout(G.subgraph(c), seed=seed, scale=0.1) if len(c) > 1 else \
            {next(iter(c)): (0.0, 0.0)}
        out.update({v: (cx + float(x), cy + float(y)) for v, (x, y) in sub.items()})
    return out


def _flat(G: nx.Graph) -> nx.Graph:
    """A copy with only string / number attributes (lists joined with '; ', None dropped)."""
    H = nx.Graph()
    for v, d in G.nodes(data=True):
        H.add_node(v, **{k: ("; ".join(map(str, x)) if isinstance(x, list) else x)
                         for k, x in d.items() if not _blank(x)})
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, **{k: ("; ".join(map(str, x)) if isinstance(x, list) else x)
                            for k, x in d.items() if not _blank(x)})
    return H


def _with_metrics(G: nx.Graph, metrics: pd.DataFrame | None) -> nx.Graph:
    H = _flat(G)
    if metrics is not None:
        cols = [c for c in metrics.columns if c not in ("id", "name", "region", "country",
                                                          "member_status")]
        for r in metrics[["id", *cols]].to_dict("records"):
            if r["id"] in H:
                H.nodes[r["id"]].update({c: (float(r[c]) if isinstance(r[c], float) else int(r[c]))
                                         for c in cols})
    return H


def graphml_bytes(G: nx.Graph, metrics: pd.DataFrame | None = None) -> bytes:
    """GraphML (UTF-8) with node attributes, metrics and edge types / years / sources."""
    buf = io.BytesIO()
    nx.write_graphml(_with_metrics(G, metrics), buf, encoding="utf-8")
    return buf.getvalue()


def gexf_bytes(G: nx.Graph, metrics: pd.DataFrame | None = None) -> bytes:
    """GEXF (for Gephi) with the same attributes as ``graphml_bytes``."""
    buf = io.BytesIO()
    nx.write_gexf(_with_metrics(G, metrics), buf, encoding="utf-8")
    return buf.getvalue()


# --- page state in the URL ----------------------------------------------------------------------
#: Node size metrics of the topology view (metric column -> label).
SIZE_METRICS = {"degree": "Institutions tied", "weighted_degree": "Ties",
                "betweenness": "Betweenness", "brokerage": "Asia-Europe brokerage",
                "pagerank": "PageRank"}
#: What each size measure means, for the size chooser's help (from the column vocabulary).
SIZE_HELP = "\n\n".join(f"**{lbl}**: {labels.help_text(k)}" for k, lbl in SIZE_METRICS.items())
COLOR_MODES = ("region", "community")
#: Short URL codes for the region scopes (the first scope is the default and has none).
SCOPE_CODES = {SCOPES[1]: "cross", SCOPES[2]: "within"}
RADII = (1, 2)
REACH_LABELS = {1: "its ties", 2: "ties of its partners too"}


def _clean_years(value) -> tuple[int, int] | None:
    return None if value is None else (int(value[0]), int(value[1]))


@dataclass(frozen=True)
class NetState:
    """What the network page shows besides the shared filters. ``years`` None is the widest
    range (undated ties kept); ``institution`` None means none was chosen (the page shows the
    best-connected one); ``as_of`` None is the last year."""

    types: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    scope: str = SCOPES[0]
    institution: str | None = None
    radius: int = 1
    size_by: str = "degree"
    color_by: str = "region"
    as_of: int | None = None

    def to_query(self) -> dict[str, str | None]:
        """Query-string values; None where the default applies, so links stay short."""
        years = _clean_years(self.years)
        return {"ties": ",".join(self.types) or None,
                "years": f"{years[0]}..{years[1]}" if years else None,
                "scope": SCOPE_CODES.get(self.scope),
                "institution": self.institution or None,
                "reach": None if self.radius == 1 else str(self.radius),
                "size_by": None if self.size_by == "degree" else self.size_by,
                "color_by": None if self.color_by == "region" else self.color_by,
                "asof": None if self.as_of is None else str(self.as_of)}

    @classmethod
    def from_query(cls, params: dict, *, types=None, bounds: tuple[int, int] | None = None,
                   institutions=None) -> tuple[NetState, list[str]]:
        """Read the state from a query string; invalid values are dropped, each with a notice.
        ``types``, ``bounds`` (first and last tie year) and ``institutions`` (ids), when given,
        are what the link may name."""
        notices, values = [], {}
        raw = params.get("ties")
        if raw:
            items = list(dict.fromkeys(x.strip() for x in str(raw).split(",") if x.strip()))
            ok = [x for x in items if types is None or x in types]
            notices += [f"Ignored tie type '{x[:40]}' in the link: not a known type."
                        for x in items if x not in ok]
            if ok:
                values["types"] = tuple(ok)
        lo, hi = bounds or (-10_000, 10_000)
        for key, field in (("years", "years"), ("asof", "as_of")):
            raw = params.get(key)
            if not raw:
                continue
            try:
                parts = [link_int(x) for x in str(raw).split("..")]
                if None in parts:
                    raise ValueError
                a, b = (parts * 2)[:2] if key == "years" else (parts[0], parts[0])
                if len(parts) != (2 if key == "years" else 1) or a > b or b < lo or a > hi:
                    raise ValueError
            except ValueError:
                what = "start..end" if key == "years" else "a year"
                notices.append(f"Ignored {key} '{str(raw)[:40]}' in the link: expected {what} "
                               f"between {lo} and {hi}.")
                continue
            a, b = max(a, lo), min(b, hi)  # a range reaching past the data is cut to it
            if key == "asof":  # the last year is the default
                values[field] = None if bounds and a == hi else a
            else:  # the widest range is the default
                values[field] = None if (a, b) == bounds else (a, b)
        raw = params.get("scope")
        if raw:
            scope = {v: k for k, v in SCOPE_CODES.items()}.get(raw, raw if raw in SCOPES else None)
            if scope:
                values["scope"] = scope
            else:
                notices.append(f"Ignored scope '{str(raw)[:40]}' in the link: use "
                               f"{' or '.join(SCOPE_CODES.values())}.")
        raw = params.get("institution")
        if raw:
            if institutions is None or raw in institutions:
                values["institution"] = str(raw)
            else:
                notices.append(f"Ignored institution '{str(raw)[:60]}' in the link: no such "
                               "institution.")
        for key, field, allowed in (("reach", "radius", RADII), ("size_by", "size_by",
                                    tuple(SIZE_METRICS)), ("color_by", "color_by", COLOR_MODES)):
            raw = params.get(key)
            if not raw:
                continue
            value = link_int(raw) if key == "reach" else raw
            if value in allowed:
                values[field] = value
            else:
                notices.append(f"Ignored {key} '{str(raw)[:40]}' in the link: use one of "
                               f"{', '.join(map(str, allowed))}.")
        return cls(**values), notices


def downloads(G: nx.Graph, metrics: pd.DataFrame, source: str) -> list[tuple]:
    """The export files as (id, label, callable giving the bytes, file name, MIME type):
    callables, so a file is generated on click, not on every rerun."""
    from . import export  # lazy: export loads pandera (schemas), a second of a page's start
    return [
        ("metrics", "Node metrics (CSV)", lambda: export.csv_bytes(metrics, source=source),
         "asemus-network-metrics.csv", "text/csv"),
        ("edges", "Edge list with sources (CSV)",
         lambda: export.csv_bytes(edges_frame(G), source=source), "asemus-network-edges.csv",
         "text/csv"),
        ("graphml", "GraphML", lambda: graphml_bytes(G, metrics), "asemus-network.graphml",
         "application/graphml+xml"),
        ("gexf", "GEXF (Gephi)", lambda: gexf_bytes(G, metrics), "asemus-network.gexf",
         "application/xml"),
    ]
