"""What a saved view shows when presented and in the conference pack: per page, a caption written
from the view's state and a few charts, each with its data, source and a one-sentence text
summary (for screen readers, the slide notes and the pack).

Maps are drawn with plotly geo here (not deck.gl), so the same figure exports to PNG/SVG and to
an offline HTML page with the map outlines inlined.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlparse

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import access, geo, queries, store, text
from .filters import Filters, period_text
from .overview import headlines, network_groups, qualified
from .pack import Chart, build_pack
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
        text += f", {period_text(f.period)}"  # '3000 BCE or earlier to 1500' at the floor
    if f.search:
        text += f" (name contains '{f.search}')"
    return text


def caption(con: duckdb.DuckDBPyConnection, view: View) -> str:
    """A caption written from the view's state: subject, counts, source and illustrative share."""
    f = filters_of(view)
    names = dict(con.execute("SELECT country_code, any_value(country) FROM institutions "
                             "GROUP BY 1").fetchall())
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
        # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
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
    marked = f"; {', '.join(marks)}" if marks else ""
    return f"{subject(f, names)}: {counts}. Source: {DATASET}{marked}."


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


#: Flow lines drawn on a collections slide (the largest; the page's map caps its arcs too).
SLIDE_FLOWS = 40


def _add_flows(fig: go.Figure, flows: pd.DataFrame, most: int = SLIDE_FLOWS) -> int:
    """Draw the largest origin -> museum flows under the museum dots; returns how many."""
    top = flows.nlargest(most, "objects")
    if top.empty:
        return 0
    lon, lat = [], []
    for r in top.itertuples():
        lon += [r.origin_lon, r.longitude, None]
        lat += [r.origin_lat, r.latitude, None]
    fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", name="Origin -> museum",
                                hoverinfo="skip", opacity=0.45,
                                line=dict(color=OKABE_ITO[1], width=1.5)))
    fig.data = (fig.data[-1],) + tuple(fig.data[:-1])  # lines under the dots
    return len(top)


def _overview(con, view: View) -> list[Chart]:
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
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
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
    from .collections_map import MapState, map_data
    f = filters_of(view)
    d = map_data(con, f)
    m = d.museums.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    hover = [f"{n}<br>{c}, {k}<br>{o:,} objects in {col} collections<br>data: {s}" for n, c, k, o, col, s in
             zip(m["name"], m["city"], m["country"], m["objects"], m["collections"], m["statuses"])]
    by_origin = (d.flows.groupby("origin_name", as_index=False)["objects"].sum()
                 .sort_values("objects", ascending=False).head(12))
    layers = MapState.from_query(view.params)[0].layers
    s = queries.summary(con, f)
    mark = f" ({s['illustrative_share']:.0%} illustrative)" if s["illustrative_share"] else ""
    bar = go.Figure(go.Bar(x=by_origin["objects"], y=by_origin["origin_name"].map(text.html_text),
                           orientation="h",
                           marker_color=OKABE_ITO[0]))
    bar.update_layout(title="Objects by country of origin" + mark, yaxis=dict(autorange="reversed"),
                      xaxis_title="objects", height=520, margin=dict(l=10, r=10, t=60, b=10))
    top = by_origin.iloc[0] if len(by_origin) else None
    status = _status(s["illustrative_share"], s["synthetic_share"])
    museums_fig = _geo_points(m, m["objects"], hover, "Museums sized by matching objects" + mark)
    how = "Dot size: matching objects; colour: region of the holding museum."
    if "flows" in layers:  # the view was saved with the origin -> holder flows drawn
        shown = _add_flows(museums_fig, d.flows)
        how += (f" Lines: the {shown:,} largest origin -> museum flows of {d.flows_total:,}.")
    return [
        Chart("museums", "Museums holding the selection" + mark, museums_fig,
              m[["name", "city", "country", "region", "objects", "collections", "statuses"]],
              how,
              "collections and objects tables (sources per row)", queries.summary_sentence(s),
              status),
        Chart("origins", "Objects by country of origin" + mark, bar, by_origin,
              "The twelve largest countries of origin in the selection.",
              "collections and objects tables (sources per row)",
              (f"Most objects in the selection come from {top['origin_name']} ({int(top['objects']):,})."
               if top is not None else "No objects match."), status),
    ]


def _network(con, view: View) -> list[Chart]:
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
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
    state = net.NetState.from_query(view.params)[0]  # the view's size and colour choice
    metric = state.size_by if "size_by" in view.params else "brokerage"
    # names only for the nodes that matter at a slide's size: the top few by the sizing metric
    # placed (figures.network) so that none overlaps at slide type in the narrowest slot
    topo = fig.topology_figure(G, pos, res.nodes, size_by=metric, color_by=state.color_by,
                               labels=NETWORK_LABELS, height=460, plot_width=SLOT_PX,
                               label_font=SLIDE_FONT - 3)
    ranked = res.nodes.sort_values("brokerage", ascending=False)
    top = ranked[ranked["brokerage"] > 0].head(10)  # a zero is no broker: no empty bars
    bar = go.Figure(go.Bar(x=top["brokerage"], y=top["name"].map(text.html_text), orientation="h",
                           marker_color=OKABE_ITO[1]))
    bar.update_layout(title="Asia-Europe brokers", xaxis_title="Asian-European pairs bridged",
                      yaxis=dict(autorange="reversed"), height=520,
                      margin=dict(l=10, r=10, t=60, b=10))
    if top.empty:
        bar.update_layout(xaxis_visible=False, yaxis_visible=False, annotations=[dict(
            text="No institution links Asia and Europe<br>under these filters.", showarrow=False,
            xref="paper", yref="paper", x=0.5, y=0.5, font_size=18)])
    s = res.summary
    sentences = net.reading(res)
    # each chart its own sentence: who ties most under the network, who bridges under the brokers
    broker = next((x for x in sentences if "broker" in x),
                  "No institution lies on a shortest path between an Asian and a European one.")
    cross = (f" {s['cross_share']:.0%} of ties cross Asia-Europe." if s["cross_share"] is not None
             else "")
    return [
        Chart("topology", "The collaboration network", topo, net.edges_frame(G),
              f"{s['nodes']} institutions, {s['ties']} tied pairs.{cross}",
              "collaborations, exhibitions, Executive Committee and VCM tables",
              sentences[0] + cross),
        Chart("brokers", "Asia-Europe brokers", bar,
              top[["name", "region", "degree", "brokerage", "betweenness"]],
              "Brokerage: Asian-European pairs whose shortest paths run through the institution.",
              "derived from the documented ties", broker),
    ]


def _exhibitions_of(con, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exhibitions and venues as the Exhibitions page shows them under ``f``: those with a venue
    or partner among the filtered institutions, tours kept whole."""
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
    from . import exhibitions as ex
    exhibitions = store.read_table(con, "exhibitions")
    venues = store.read_table(con, "exhibition_venues")
    if not f.active:
        return exhibitions, venues
    ids = set(queries.institutions(con, f)["id"])
    return ex.for_institutions(exhibitions, venues, store.read_table(con, "exhibition_participants"), ids)


def _exhibitions(con, view: View) -> list[Chart]:
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
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
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
    # lazy: only the page this slide shows is loaded (networkx, pandera via export: start-up cost)
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
              _status(mp.summary(con, f)["unreal_share"]).replace("illustrative",
                                                                  "illustrative or synthetic")),
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
    heads = {h.label: h for h in headlines(con, filters_of(view))}
    return [heads[k] for k in CARD_LABELS if k in heads]


# --- presented slides ------------------------------------------------------------------------------
#: Presentation mode, as CSS (constant, no data in it). It hides the app's chrome and sizes the
#: page's type from the screen height (vh), so a slide reads alike at 1920x1080 and 1280x720: the
#: server never knows the screen. The page is one screen tall; the chart row
#: (``st.container(key="pres_stage", height=STAGE_PX)``) takes the height that the navigation,
#: title, caption and cards leave, and its charts (``st.plotly_chart(height="stretch")``) fill it.
#: The fixed STAGE_PX is what makes Streamlit stretch a chart to its container; this CSS replaces
#: it by the height left (tests/test_slides_browser.py fails if Streamlit changes that).
SLIDE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], .st-key-pres_next_clicker,
.st-key-pres_prev_clicker {display: none !important;}
.stMainBlockContainer {max-width: 100% !important; height: 100vh; box-sizing: border-box;
  padding: 1.2vh 1.6vw 1vh !important;}
.stMainBlockContainer > [data-testid="stVerticalBlock"] {height: 100%; gap: 1.2vh;}
[data-testid="stLayoutWrapper"]:has(> .st-key-pres_stage) {flex: 1 1 0 !important;
  height: auto !important; min-height: 0 !important;}
.st-key-pres_stage {height: 100% !important; gap: 1.6vw;}
.st-key-pres_stage [data-testid="stElementContainer"]:has(.stPlotlyChart) {flex: 1 1 0 !important;
  min-height: 0 !important;}
.st-key-pres_stage [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) {
  flex: 0 0 auto !important;}
.st-key-pres_stage [data-testid="stCaptionContainer"] {margin-bottom: 0 !important;}
.stMainBlockContainer p, .stMainBlockContainer li {font-size: 2.4vh !important; line-height: 1.3;}
.stMainBlockContainer h2 {font-size: 4.6vh !important; padding: 0 !important; line-height: 1.2;}
.st-key-pres_caption p, .st-key-pres_stage [data-testid="stCaptionContainer"] p {
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
.st-key-pres_stage [data-testid="stCaptionContainer"] p {font-size: 2vh !important; margin: 0;}
.st-key-pres_stage [data-testid="stElementContainer"]:last-child [data-testid="stCaptionContainer"] p {
  display: block; white-space: nowrap; text-overflow: ellipsis;}
.stMainBlockContainer [data-testid="stMetric"] {padding: 0.8vh 0.8vw !important;}
.stMainBlockContainer [data-testid="stMetricValue"],
.stMainBlockContainer [data-testid="stMetricValue"] * {font-size: 5.2vh !important; line-height: 1.15;
  overflow: visible !important; text-overflow: clip !important;}
.stMainBlockContainer [data-testid="stMetricLabel"] p {font-size: 2.1vh !important; min-height: 2.6em;}
.st-key-pres_stage [data-testid="stElementContainer"]:first-child p {font-size: 2.6vh !important;
  font-weight: 600;
  text-align: center; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin: 0;}
.stMainBlockContainer [data-testid="stMetricLabel"] * {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important;}
.stMainBlockContainer [data-testid="stMetricLabel"] [data-testid="stTooltipIcon"] {display: none;}
</style>"""
#: (button key, step, key): Next / Previous for a presenter's clicker, which sends PageDown /
#: PageUp; drawn in presentation mode only, hidden by SLIDE_CSS
CLICKER_KEYS = (("pres_next_clicker", 1, "PageDown"), ("pres_prev_clicker", -1, "PageUp"))
#: the chart row's height before SLIDE_CSS sizes it (px; see SLIDE_CSS)
STAGE_PX = 600
#: charts on one slide, side by side (the pack keeps them all)
SLIDE_CHARTS = 2
#: nodes named on a presented network (the top ones by the sizing metric)
NETWORK_LABELS = 6
#: the narrowest chart slot designed for (px): a 1280-wide screen with two charts side by side
SLOT_PX = 600
#: type on a presented chart, px. Fixed (plotly lays labels out in px): 17 px is 1.6 % of a
#: 1080-line screen and 2.4 % of a 720-line one; the charts' area follows the screen.
SLIDE_FONT = 17
#: longest category label on a slide, characters (whole in the hover and the data)
LABEL_CHARS = 34


def slide_caption(caption: str) -> str:
    """A view's caption for its slide: what it shows, without the dataset line (each chart says
    its source under it)."""
    return caption.replace(f" Source: {DATASET}.", "").replace(f" Source: {DATASET};", "")


def short_source(source: str, most: int = 3) -> str:
    """A source line that fits one line of a slide: web addresses by their site
    ('asef.org, asemus.museum and 4 more'), other sources as written."""
    parts = [p.strip() for p in source.replace("\n", ";").split(";") if p.strip()]
    names = list(dict.fromkeys(
        (urlparse(p).hostname or p).removeprefix("www.") if p.startswith(("http://", "https://"))
        else p for p in parts))
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])} and {len(names) - most} more"


def slide_charts(charts: list[Chart]) -> list[Chart]:
    """The charts a slide shows: the first SLIDE_CHARTS (the pack holds every one)."""
    return charts[:SLIDE_CHARTS]


def slide_figure(fig: go.Figure) -> go.Figure:
    """``fig`` for a slide: large type, sized by its place on the slide (no fixed height), no
    title (the slide writes it above), the legend in rows above the plot, long category labels
    cut (whole on hover)."""
    out = presentable(fig, large=True)
    # the chart's title is the slide's text above the chart (a plotly title would fight the
    # legend for the top margin)
    out.update_layout(height=None, width=None, autosize=True, font_size=SLIDE_FONT,
                      title_text=None,
                      margin=dict(t=10, b=10, l=10, r=10))
    for t in out.data:
        if getattr(t, "mode", None) and "text" in t.mode and isinstance(t.textposition, str):
            # values on the markers: as large as small print on a slide, never cut at the plot's
            # edge (names placed point by point, as on a network, keep their size and place)
            t.update(textfont_size=max(t.textfont.size or 0, SLIDE_FONT - 3), cliponaxis=False)
    for axis in ("x", "y"):
        _short_ticks(out, axis)
    # a long axis title on two lines, whole (it may carry a qualifier, 'assuming 6 days a week')
    out.for_each_xaxis(lambda a: a.update(title_text=_two_lines(a.title.text)))
    out.for_each_yaxis(lambda a: a.update(title_text=_two_lines(a.title.text)))
    _legend_on_top(out)
    out.update_xaxes(nticks=7, tickangle=0)
    if out.layout.xaxis.type == "date":  # a year per tick would stand the years on end
        out.update_xaxes(dtick=None)
    if any(t.type == "scattergeo" for t in out.data):
        out.update_layout(margin=dict(l=0, r=0, b=0))
    return out


def _two_lines(title: str | None, most: int = LABEL_CHARS) -> str | None:
    """``title`` broken at the space nearest its middle when longer than ``most`` characters."""
    if not title or len(title) <= most or "<br>" in title or " " not in title:
        return title
    spaces = [i for i, c in enumerate(title) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(title) / 2))
    return f"{title[:cut]}<br>{title[cut + 1:]}"


def _legend_on_top(fig: go.Figure) -> None:
    """The legend in rows above the plot (beside it, it would take a third of a slide's column),
    with the top margin set for those rows. Plotly's own room for a legend is computed before
    Streamlit stretches the chart to its slot and can leave the legend over the plot's top, so
    the rows are counted here, for the narrowest slot (a 1280-wide screen: a wider one only gets
    some white space)."""
    names = list(dict.fromkeys(str(t.name) for t in fig.data
                               if t.name and t.showlegend is not False))
    if len(names) < 2 or fig.layout.showlegend is False:
        return
    if fig.layout.yaxis.visible is False or any(t.type == "scattergeo" for t in fig.data):
        left = 0
    else:  # the y axis labels take this much of the column
        ticks = fig.layout.yaxis.ticktext or [str(v) for t in fig.data
                                              for v in (t.y if t.y is not None else ())]
        left = 0.55 * SLIDE_FONT * max((len(str(x)) for x in ticks), default=4) + 50
    font = SLIDE_FONT - 2
    entry = 45 + 0.55 * font * max(len(n) for n in names)
    per_row = max(1, int((SLOT_PX - left) // entry))
    rows = -(-len(names) // per_row) + 1  # and the legend's title
    fig.update_traces(legendgrouptitle_text=None)  # group titles would stack the groups
    fig.update_layout(legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=1,
                                  yanchor="top",
                                  title_side="top left", traceorder="normal", font_size=font),
                      margin_t=int(rows * 1.45 * font + 14))


def _shorten(label: str, most: int = LABEL_CHARS) -> str:
    """One line of at most ``most`` characters, cut at a word with an ellipsis."""
    # the figures escape names for plotly (which reads them as HTML): cut the text, not an entity
    flat = html.unescape(re.sub(r"\s+", " ", re.sub(r"<br\s*/?>", " ", str(label))).strip())
    if len(flat) > most:
        cut = flat[:most - 1].rsplit(" ", 1)[0] if " " in flat[:most - 1] else flat[:most - 1]
        flat = cut.rstrip(" ,;:-(&") + "…"
    return html.escape(flat, quote=False)


def _short_ticks(fig: go.Figure, axis: str) -> None:
    """Category labels of ``axis`` cut to LABEL_CHARS (the hover and the data keep them whole): a
    long name would otherwise take most of a slide column's width."""
    cats = list(dict.fromkeys(v for t in fig.data if getattr(t, axis, None) is not None
                              and t.type in ("bar", "scatter")
                              for v in getattr(t, axis) if isinstance(v, str)))
    if any(_shorten(c) != c for c in cats):
        fig.update_layout({f"{axis}axis": dict(tickmode="array", tickvals=cats,
                                               ticktext=[_shorten(c) for c in cats])})


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
