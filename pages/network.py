"""Collaboration network: who is tied to whom, who bridges Asia and Europe, how it changed."""
import streamlit as st

import ui
from asemus_data import export, network as net
from asemus_data.figures import network as fig

SIZE_BY = {"degree": "Institutions tied", "weighted_degree": "Ties", "betweenness": "Betweenness",
           "brokerage": "Asia-Europe brokerage", "pagerank": "PageRank"}


@st.cache_data(show_spinner=False)
def _ties():
    return net.derive_ties(*(ui.table(t) for t in ("collaborations", "exhibition_participants",
                                                   "exhibitions", "people", "vcm_stats")))


@st.cache_data(show_spinner="Laying out the network...")
def _layout(nodes: tuple, edges: tuple) -> dict:
    return net.layout(nodes, edges)  # keyed on the graph's edge list, not on widgets


f = ui.sidebar_filters(holdings=False, page="network")
st.title("Collaboration network")
st.caption("Institutions tied by documented collaborations, shared exhibitions, Executive "
           "Committee seats and VCM trusteeship. Every tie carries its source.")
ties, inst = _ties(), ui.table("institutions")
lo, hi = net.year_bounds(ties)
c1, c2, c3 = st.columns([3, 2, 2])
types = c1.multiselect("Tie type", sorted(ties["type"].unique()), key="net_types",
                       placeholder="All types")
years = c2.slider("Years", lo, hi, (lo, hi), key="net_years",
                  help="Ties overlapping these years. Undated ties drop out once narrowed.")
scope = c3.selectbox("Region of ties", net.SCOPES, key="net_scope")
nodes = inst[inst["id"].isin(net.institution_ids(ui.con(), f))]
sel = net.filter_ties(ties, nodes, types=types or None,
                      years=None if years == (lo, hi) else years, scope=scope)
G = net.build_graph(nodes, sel)
with st.expander("How ties are derived"):
    st.markdown(net.DERIVATION)
if G.number_of_edges() == 0:
    ui.empty_state(f, "tie")
    st.stop()

res = net.cached_metrics(G)
s, m = res.summary, res.nodes
for col, (label, value, help_) in zip(st.columns(6), [
        ("Institutions", s["nodes"], "Institutions passing the filters, tied or not."),
        ("Tied pairs", s["ties"], f"{s['tie_records']} ties in all (a pair can have several)."),
        ("Density", f"{s['density']:.3f}", "Tied pairs / possible pairs."),
        ("Asia-Europe", f"{s['cross_share']:.0%}", "Share of tied pairs linking Asia and Europe."),
        ("E-I index", "n/a" if s["ei_index"] is None else f"{s['ei_index']:+.2f}",
         "(across - within) / (across + within): -1 all within a region, +1 all across."),
        ("Isolated", "n/a" if s["isolates_share"] is None else f"{s['isolates_share']:.0%}",
         f"{s['isolated_members']} of {s['members']} members have no documented tie.")]):
    col.metric(label, value, help=help_, border=True)
st.markdown("\n".join(f"- {line}" for line in net.reading(res)))

tab_map, tab_topo, tab_ego, tab_time, tab_table, tab_export = st.tabs(
    ["Map", "Topology", "One institution", "Over time", "Metrics table", "Export"])
with tab_map:
    st.pydeck_chart(fig.arcs_deck(G), height=560, key="net_map")
    st.markdown(fig.legend_html(sorted({fig.main_type(d) for *_, d in G.edges(data="types")})),
                unsafe_allow_html=True)  # names are escaped in legend_html
    st.caption("Great-circle arcs between tied institutions (city-level positions); a pair with "
               "several types is drawn in the most specific one. Hover an arc for its sources.")
with tab_topo:
    a, b = st.columns(2)
    size_by = a.selectbox("Node size", list(SIZE_BY), format_func=SIZE_BY.get, key="net_size")
    color_by = b.radio("Colour", ["region", "community"], horizontal=True, key="net_color")
    pos = _layout(tuple(sorted(G)), tuple(sorted(G.edges(data="weight"))))
    st.plotly_chart(fig.topology_figure(G, pos, m, size_by=size_by, color_by=color_by),
                    key="net_topo")
    st.caption(f"Force-directed layout (seeded); {len(pos)} of {len(G)} institutions drawn "
               "(the best-connected with a tie; the metrics table lists all). Louvain communities "
               f"(seed {net.SEED}): {s['communities']}, modularity "
               f"{'n/a' if s['modularity'] is None else round(s['modularity'], 2)}.")
with tab_ego:
    names = dict(zip(m["id"], m["name"]))
    options = sorted(names, key=lambda v: str(names[v]).lower())
    wanted = st.query_params.get("institution")
    if "net_ego" not in st.session_state and wanted in names:
        st.session_state["net_ego"] = wanted
    elif wanted and wanted not in names and "net_ego" not in st.session_state:
        st.info(f"Institution '{wanted}' from the link is not in the network under these filters.")
    if st.session_state.get("net_ego") not in names:
        st.session_state["net_ego"] = m["id"].iloc[0]
    center = st.selectbox("Institution", options, format_func=names.get, key="net_ego")
    radius = st.radio("Reach", [1, 2], horizontal=True, key="net_radius",
                      format_func=lambda r: "its ties" if r == 1 else "ties of its partners too")
    ui.write_query(f, institution=center)
    E, ego_df = net.ego(G, center, radius)
    if ego_df.empty:
        st.info(f"{names[center]} has no documented tie under the current filters.")
    else:
        left, right = st.columns(2)
        left.dataframe(ego_df.drop(columns=["a", "b"]), hide_index=True, key="net_ego_table")
        right.plotly_chart(fig.ego_figure(E, center), key="net_ego_fig")
with tab_time:
    gcs = net.general_conference_years(ui.table("meetings"))
    year = st.slider("Network as of", lo, hi, hi, key="net_year")
    st.plotly_chart(fig.growth_figure(net.growth(sel, nodes), gcs, year), key="net_growth")
    ch = net.since_last_gc(sel, nodes, year, gcs)
    st.subheader(f"Since the General Conference of {ch.previous_gc}" if ch.previous_gc
                 else f"Up to {year} (no earlier General Conference)")
    st.caption("Membership totals are stated counts, not lists: who joined is not known, so only "
               "documented ties are compared here. Undated ties are left out.")
    a, b = st.columns(2)
    a.markdown(f"**{len(ch.new_ties)} new tied pairs**")
    a.dataframe(ch.new_ties.drop(columns=["a", "b"]), hide_index=True, key="net_new_ties")
    b.markdown(f"**{len(ch.newly_tied)} newly tied institutions**")
    b.dataframe(ch.newly_tied, hide_index=True, key="net_newly")
    st.markdown("**Biggest movers in PageRank**")
    st.dataframe(ch.movers, hide_index=True, key="net_movers")
with tab_table:
    st.dataframe(m.drop(columns=["id"]), hide_index=True, key="net_metrics",
                 column_config={c: st.column_config.NumberColumn(format="%.3f")
                                for c in ("betweenness", "pagerank", "clustering", "brokerage")})
    st.markdown("**Ties, with sources**")
    st.dataframe(net.edges_frame(G).drop(columns=["a", "b"]), hide_index=True, key="net_edges")
with tab_export:  # callables: files are generated on click, not on every rerun
    src = "ASEMUS dashboard, collaboration network (" + f.describe() + ")"
    st.caption("Every file carries the tie types, years and sources; GraphML and GEXF also carry "
               "the node metrics (lists joined with '; ').")
    st.download_button("Node metrics (CSV)", lambda: export.csv_bytes(m, source=src),
                       "asemus-network-metrics.csv", "text/csv", key="net_dl_metrics")
    st.download_button("Edge list with sources (CSV)", lambda: export.csv_bytes(
        net.edges_frame(G), source=src), "asemus-network-edges.csv", "text/csv", key="net_dl_edges")
    st.download_button("GraphML", lambda: net.graphml_bytes(G, m), "asemus-network.graphml",
                       "application/graphml+xml", key="net_dl_graphml")
    st.download_button("GEXF (Gephi)", lambda: net.gexf_bytes(G, m), "asemus-network.gexf",
                       "application/xml", key="net_dl_gexf")
