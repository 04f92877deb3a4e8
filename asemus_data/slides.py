"""What a saved view shows when presented and in the conference pack: per page, a caption written
from the view's state and a few charts, each with its data, source and a one-sentence text
summary (for screen readers, the slide notes and the pack).

Maps are drawn with plotly geo here (not deck.gl), so the same figure exports to PNG/SVG and to
an offline HTML page with the map outlines inlined.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import access, geo, queries, store, text
from .filters import Filters, fmt_year
from .overview import network_groups, qualified
from .pack import Chart
from .presentation import PAGES, View, page_state

#: Okabe-Ito: distinguishable for the common forms of colour blindness, readable on a projector.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
REGION_HEX = {"Asia": "#D55E00", "Europe": "#0072B2", "other": "#7F7F7F"}
GEO_VIEW = dict(projection_type="natural earth", resolution=50, showcountries=True,
                countrycolor="#B0B7C0", showland=True, landcolor="#ECEFF3", showocean=True,
                oceancolor="#D6E2EC", lonaxis_range=[-15, 150], lataxis_range=[-12, 70])
DATASET = "ASEMUS collections dashboard data; every row cites its source (Data & sources page)"


def filters_of(view: View) -> Filters:
    """The shared filters the view's page applies (values that do not parse are dropped)."""
    return Filters.from_query(page_state(view.page, view.params))[0]


def subject(f: Filters, names: dict[str, str] | None = None) -> str:
    """'Museums in Europe holding objects from Japan (prints), 1600 to 1900'."""
    names = names or {}
    where = f" in {', '.join(names.get(c, c) for c in f.countries) or ' and '.join(f.regions)}" \
        if (f.countries or f.regions) else " in Asia and Europe"
    text = "Museums" + where
    if f.origins or f.categories:
        what = "objects" if not f.categories else ", ".join(f.categories)
        text += f" holding {what}"
        if f.origins:
            text += " from " + ", ".join(names.get(c, c) for c in f.origins)
    if f.period:
        text += f", {fmt_year(f.period[0])} to {fmt_year(f.period[1])}"
    if f.search:
        text += f" (name contains '{f.search}')"
    return text


def caption(con: duckdb.DuckDBPyConnection, view: View) -> str:
    """A caption written from the view's state: subject, counts, source and illustrative share."""
    f = filters_of(view)
    names = dict(con.execute("SELECT country_code, any_value(country) FROM institutions GROUP BY 1").fetchall())
    names.update(dict(con.execute("SELECT origin_country_code, any_value(origin_country) FROM holdings "
                                  "WHERE origin_country_code IS NOT NULL GROUP BY 1").fetchall()))
    filt = "" if not f.active else f" ({f.describe()})"
    if view.page in ("overview", "network"):
        inst = queries.institutions(con, f)
        inst = inst[network_groups(inst) != "other"]  # members and documented participants
        return (f"{PAGES[view.page][1]}: {len(inst)} documented institutions in "
                f"{inst['country_code'].nunique()} countries{filt}. Source: {DATASET}.")
    if view.page == "exhibitions":
        exh, ven = _exhibitions_of(con, f)
        return (f"{len(exh)} documented exhibitions at {len(ven)} venues; "
                f"{int(exh['visitors'].notna().sum())} with a stated visitor figure{filt}. "
                f"Source: {DATASET}.")
    if view.page == "masterpieces":
        from . import masterpieces as mp
        m = mp.summary(con, f)
        mark = f"; {m['unreal_share']:.0%} not real (illustrative or synthetic)" if m["unreal_share"] else ""
        return (f"Masterpieces and object records{filt}: {m['objects']:,} objects "
                f"({m['vcm']:,} in the Virtual Collection) in {m['museums']} museums. "
                f"Source: {DATASET}{mark}.")
    s = queries.summary(con, f)
    counts = (f"{s['museums']} museums in {s['countries']} countries, {s['objects']:,} objects"
              if s["rows"] else "nothing matches")
    marks = []
    if s["illustrative_share"]:
        marks.append(f"{s['illustrative_share']:.0%} illustrative (not real)")
    if s["synthetic_share"]:
        marks.append(f"{s['synthetic_share']:.0%} synthetic (not real)")
    return f"{subject(f, names)}: {counts}. Source: {DATASET}" + (f"; {', '.join(marks)}" if marks else "") + "."


def _status(illustrative: float, synthetic: float = 0.0, *, of: str = "objects") -> str:
    """The not-real share of a chart's data in words ('' when all of it is documented)."""
    parts = [f"{share:.0%} of the {of} are {kind}" for kind, share in
             (("illustrative", illustrative), ("synthetic", synthetic)) if share]
    return "; ".join(parts)


def _geo_points(df: pd.DataFrame, size: pd.Series | None, hover: list[str], title: str) -> go.Figure:
    fig = go.Figure()
    for region, g in df.groupby("region"):
        s = None if size is None else size.loc[g.index]
        fig.add_trace(go.Scattergeo(
            lon=g["longitude"], lat=g["latitude"], name=str(region), mode="markers",
            text=[h for h, keep in zip(hover, df.index.isin(g.index)) if keep] if hover else None,
            hoverinfo="text",
            marker=dict(color=REGION_HEX.get(region, "#7F7F7F"), line=dict(color="white", width=0.8),
                        size=8 if s is None else np.clip(6 + 40 * np.sqrt(s / max(size.max(), 1)), 6, 46),
                        opacity=0.85)))
    fig.update_geos(**GEO_VIEW)
    fig.update_layout(title=title, legend_title_text="Region", margin=dict(l=10, r=10, t=60, b=10),
                      height=560)
    return fig


def _overview(con, view: View) -> list[Chart]:
    from .figures import timeline
    f = filters_of(view)
    counts = store.read_table(con, "membership_counts")
    inst = queries.institutions(con, f)
    inst = inst[network_groups(inst) != "other"]  # the network, as on the Overview
    inst = inst.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    meetings = store.read_table(con, "meetings")
    gcs = meetings[meetings["kind"].isin(["founding conference", "general conference"])]
    ordered = counts.sort_values(["year", "month"])
    first, latest = ordered.iloc[0], ordered.iloc[-1]
    hover = [f"{n}<br>{c}, {k}<br>{m}" for n, c, k, m in
             zip(inst["name"], inst["city"], inst["country"], inst["member_status"])]
    by_region = inst["region"].value_counts()
    return [
        Chart("institutions", "Where the documented institutions are",
              _geo_points(inst, None, hover, "Documented institutions"),
              inst[["name", "city", "country", "region", "member_status", "source"]],
              geo.coordinate_sources_text(inst), "institutions table; each row cites its source",
              f"{len(inst)} documented institutions: {by_region.get('Asia', 0)} in Asia and "
              f"{by_region.get('Europe', 0)} in Europe."),
        Chart("membership", "Membership over time", timeline.membership_figure(counts),
              counts[["date_text", "total", "qualifier_text", "source"]],
              "Stated totals, qualifiers kept; where sources disagree both are shown.",
              "; ".join(sorted(set(counts["source"]))),
              f"Stated membership grew from {qualified(first['total'], first['qualifier'])} "
              f"({first['date_text']}) to {qualified(latest['total'], latest['qualifier'])} "
              f"({latest['date_text']})."),
        Chart("conferences", "General Conferences", timeline.conferences_timeline(meetings),
              gcs[["year", "number", "city", "country", "title", "participants_text", "source"]],
              "Numbered as the sources number them; Paris 2010 is the 4th (ASEMUS) or the 10th (ASEF).",
              "meetings table; each row cites its source",
              f"{len(gcs)} founding and General Conferences from {int(gcs['year'].min())} to "
              f"{int(gcs['year'].max())}."),
    ]


def _collections(con, view: View) -> list[Chart]:
    from .collections_map import map_data
    f = filters_of(view)
    d = map_data(con, f)
    m = d.museums.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    hover = [f"{n}<br>{c}, {k}<br>{o:,} objects in {col} collections<br>data: {s}" for n, c, k, o, col, s in
             zip(m["name"], m["city"], m["country"], m["objects"], m["collections"], m["statuses"])]
    by_origin = (d.flows.groupby("origin_name", as_index=False)["objects"].sum()
                 .sort_values("objects", ascending=False).head(12))
    s = queries.summary(con, f)
    mark = f" ({s['illustrative_share']:.0%} illustrative)" if s["illustrative_share"] else ""
    bar = go.Figure(go.Bar(x=by_origin["objects"], y=by_origin["origin_name"].map(text.html_text),
                           orientation="h",
                           marker_color=OKABE_ITO[0]))
    bar.update_layout(title="Objects by country of origin" + mark, yaxis=dict(autorange="reversed"),
                      xaxis_title="objects", height=520, margin=dict(l=10, r=10, t=60, b=10))
    top = by_origin.iloc[0] if len(by_origin) else None
    status = _status(s["illustrative_share"], s["synthetic_share"])
    return [
        Chart("museums", "Museums holding the selection" + mark,
              _geo_points(m, m["objects"], hover, "Museums sized by matching objects" + mark),
              m[["name", "city", "country", "region", "objects", "collections", "statuses"]],
              "Dot size: matching objects; colour: region of the holding museum.",
              "collections and objects tables (sources per row)", queries.summary_sentence(s),
              status),
        Chart("origins", "Objects by country of origin" + mark, bar, by_origin,
              "The twelve largest countries of origin in the selection.",
              "collections and objects tables (sources per row)",
              (f"Most objects in the selection come from {top['origin_name']} ({int(top['objects']):,})."
               if top is not None else "No objects match."), status),
    ]


def _network(con, view: View) -> list[Chart]:
    from . import network as net
    from .figures import network as fig
    f = filters_of(view)
    # the pack is public: the people table as a visitor may read it (no personal rows)
    tables = [access.read_table(con, t) for t in ("collaborations", "exhibition_participants",
                                                  "exhibitions", "people", "vcm_stats")]
    ties = net.derive_ties(*tables)
    inst = store.read_table(con, "institutions")
    nodes = inst[inst["id"].isin(net.institution_ids(con, f))]
    G = net.build_graph(nodes, net.filter_ties(ties, nodes))
    res = net.cached_metrics(G)
    pos = net.layout(tuple(sorted(G)), tuple(sorted(G.edges(data="weight"))))
    topo = fig.topology_figure(G, pos, res.nodes, size_by="brokerage", color_by="region", height=620)
    top = res.nodes.sort_values("brokerage", ascending=False).head(10)
    bar = go.Figure(go.Bar(x=top["brokerage"], y=top["name"].map(text.html_text), orientation="h",
                           marker_color=OKABE_ITO[1]))
    bar.update_layout(title="Asia-Europe brokers", xaxis_title="Asian-European pairs bridged",
                      yaxis=dict(autorange="reversed"), height=520, margin=dict(l=10, r=10, t=60, b=10))
    s = res.summary
    reading = " ".join(net.reading(res)[:2])
    return [
        Chart("topology", "The collaboration network", topo, net.edges_frame(G),
              f"{s['nodes']} institutions, {s['ties']} tied pairs; {s['cross_share']:.0%} of ties "
              "cross Asia-Europe.", "collaborations, exhibitions, Executive Committee and VCM tables",
              reading),
        Chart("brokers", "Asia-Europe brokers", bar,
              top[["name", "region", "degree", "brokerage", "betweenness"]],
              "Brokerage: Asian-European pairs whose shortest paths run through the institution.",
              "derived from the documented ties", reading),
    ]


def _exhibitions_of(con, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exhibitions and venues as the Exhibitions page shows them under ``f``: those with a venue
    or partner among the filtered institutions, tours kept whole."""
    from . import exhibitions as ex
    exhibitions = store.read_table(con, "exhibitions")
    venues = store.read_table(con, "exhibition_venues")
    if not f.active:
        return exhibitions, venues
    ids = set(queries.institutions(con, f)["id"])
    return ex.for_institutions(exhibitions, venues, store.read_table(con, "exhibition_participants"), ids)


def _exhibitions(con, view: View) -> list[Chart]:
    from . import exhibitions as ex
    from .figures import exhibitions as fx
    exhibitions, venues = _exhibitions_of(con, filters_of(view))
    bars, _undated = ex.timeline_rows(exhibitions, venues)
    table = ex.visitor_table(exhibitions, venues)
    known = table[table["visitors"].notna()] if "visitors" in table else table
    return [
        Chart("timeline", "Exhibitions and venues", fx.exhibition_timeline(bars),
              bars.drop(columns=[c for c in ("start", "finish") if c in bars]),
              "Dates known only to the month span the whole month.", "exhibitions and venues tables",
              f"{exhibitions['id'].nunique()} documented exhibitions, {len(venues)} venues."
              + (f" {skipped}" if (skipped := ex.date_notices(exhibitions, venues)) else "")),
        Chart("visitors", "Visitors per day open", fx.visitors_figure(table), table,
              "Tour totals are never split among venues; qualifiers ('over') are kept.",
              "; ".join(sorted(set(known["source"].dropna()))) or "exhibitions table",
              f"{len(known)} visitor figures are stated; the rest are unknown."),
    ]


def _masterpieces(con, view: View) -> list[Chart]:
    from . import masterpieces as mp
    from .figures import masterpieces as fm
    f = filters_of(view)
    g = mp.growth(con)
    mk = mp.makeup(con, f, by="origin")
    dated = g["dated"]
    last = dated.sort_values("when").iloc[-1] if len(dated) else None
    return [
        Chart("growth", "The Virtual Collection of Masterpieces over time", fm.growth_figure(dated),
              dated, "Documented counts only; undated counts are listed, not plotted.",
              "; ".join(sorted(set(dated["source"]))) or "vcm_stats table",
              (f"The latest dated count is {last['label']} {last['metric']} ({last['date_text']})."
               if last is not None else "No dated counts.")),
        Chart("origins", "Objects by origin", fm.makeup_figure(mk, "Objects by origin"), mk,
              f"{int(mk['n'].sum()):,} objects in the selection.", "objects table (sources per row)",
              f"{int(mk['n'].sum()):,} objects; the largest origin is "
              f"{mk.iloc[0]['label']} ({int(mk.iloc[0]['n']):,})." if len(mk) else "No objects match.",
              _status(mp.summary(con, f)["unreal_share"]).replace("illustrative", "illustrative or synthetic")),
    ]


BUILDERS = {"overview": _overview, "collections_map": _collections, "network": _network,
            "exhibitions": _exhibitions, "masterpieces": _masterpieces}


def view_charts(con: duckdb.DuckDBPyConnection, view: View) -> tuple[str, list[Chart]]:
    """The caption and the charts a view shows when presented."""
    return caption(con, view), BUILDERS[view.page](con, view)


def sequence_parts(con: duckdb.DuckDBPyConnection, views: list[View], *,
                   progress=None) -> list[tuple[str, str, list[Chart]]]:
    """What pack.build_pack needs for ``views``: (name, caption, charts) per view, the presenter's
    own caption (the view's note) first when there is one."""
    parts = []
    for i, v in enumerate(views, start=1):
        if progress:
            progress(f"View {i} of {len(views)}: {v.name}")
        cap, charts = view_charts(con, v)
        parts.append((v.name, f"{v.note.strip()} {cap}" if v.note.strip() else cap, charts))
    return parts


def sequence_pack(con: duckdb.DuckDBPyConnection, views: list[View], *, images: bool = True,
                  progress=None):
    """The conference pack for ``views``: (zip bytes, pack.PackReport), see pack.build_pack."""
    from .pack import build_pack
    return build_pack(sequence_parts(con, views, progress=progress), progress=progress,
                      images=images)


#: Overview headline figures shown as cards on its slide (one row: fits 1920 and 1280 wide).
CARD_LABELS = ("Stated membership", "Institutions in the network", "Countries", "Asia / Europe",
               "Documented collaborations", "Exhibitions")


def headline_cards(con: duckdb.DuckDBPyConnection, view: View) -> list:
    """The Overview's headline figures (overview.Headline) for an Overview view under its
    filters, as large cards on its slide; none for other pages."""
    if view.page != "overview":
        return []
    from .overview import headlines
    heads = {h.label: h for h in headlines(con, filters_of(view))}
    return [heads[k] for k in CARD_LABELS if k in heads]


def slide_chart_height(*, cards: bool, screen_height: int = 1080) -> int:
    """The height in px of each chart on a presented slide so the whole view fits one screen of
    ``screen_height`` CSS px with no scrolling: charts side by side, under the title, caption
    and (Overview) the headline cards, above one short line each."""
    chrome = 400 + (150 if cards else 0)  # nav, title, caption, chart captions, gaps (measured)
    return max(260, min(620, screen_height - chrome))


def presentable(fig: go.Figure, *, large: bool = True, height: int | None = None) -> go.Figure:
    """The same figure for a projector: larger type, the Okabe-Ito palette for new traces (and
    ``height`` px tall, to fit a slide)."""
    out = go.Figure(fig)
    if height:
        out.update_layout(height=height)
    if large:
        out.update_layout(font=dict(size=18, color="#111111"), title_font=dict(size=24),
                          colorway=OKABE_ITO, hoverlabel=dict(font_size=18),
                          legend_font_size=15, paper_bgcolor="white", plot_bgcolor="white")
        # margins grow to hold the larger labels (the figures' fixed margins would cut them)
        out.update_xaxes(automargin=True)
        out.update_yaxes(automargin=True)
        title = out.layout.title.text or ""
        if "<br>" in title:  # the subtitle line does not fit a slide column; the caption says it
            out.update_layout(title_text=title.split("<br>")[0])
    return out
