"""Collaboration network: who is tied to whom, who bridges Asia and Europe, how it changed."""

from dataclasses import replace
from functools import partial

import streamlit as st

import ui
from asemus_data import network as net
from asemus_data.figures import network as fig
from asemus_data.text import md

STATE = "net_state"  # the page's own state: owned by no widget, so it outlives a page switch


@st.cache_data(show_spinner=False, max_entries=4)
def _ties(version: str):  # keyed by the store's fingerprint: an import is seen on the next run
    return net.derive_ties(*(ui.table(t) for t in ("collaborations", "exhibition_participants",
                                                   "exhibitions", "people", "vcm_stats")))


@st.cache_data(show_spinner="Laying out the network...", max_entries=16)
def _layout(nodes: tuple, edges: tuple) -> dict:
    return net.layout(nodes, edges)  # keyed on the graph's edge list, not on widgets


# Per-filter results, bounded: a return to a previous filter or a switch of tab costs no rebuild.
# The graph is a resource (not copied per rerun); treat it as read-only.
@st.cache_resource(show_spinner="Building the network...", max_entries=8, ttl=3600)
def _graph(node_ids: frozenset, types: tuple | None, years: tuple | None, scope: str,
           version: str):  # the store's fingerprint: an import is seen on the next run
    ties, inst = _ties(version), ui.table("institutions")
    nodes = inst[inst["id"].isin(node_ids)]
    sel = net.filter_ties(ties, nodes, types=list(types) if types else None, years=years,
                          scope=scope)
    G = net.build_graph(nodes, sel)
    return nodes, sel, G, net.cached_metrics(G) if G.number_of_edges() else None


@st.cache_resource(show_spinner="Drawing the map...", max_entries=8, ttl=3600)
def _map(key: tuple):
    """The map tab's deck, legend and sentence for the graph of ``key`` (``_graph``'s arguments)."""
    G = _graph(*key)[2]
    types = sorted({fig.main_type(d) for *_, d in G.edges(data="types")})
    return fig.arcs_deck(G), fig.legend_html(types), fig.arcs_summary(G)


@st.cache_data(show_spinner=False, max_entries=8, ttl=3600)
def _edge_rows(key: tuple):
    """The tie table's strongest rows and the number of ties, for the graph of ``key``."""
    edges = net.edges_frame(_graph(*key)[2])
    return net.top_rows(edges, "weight"), len(edges)


@st.cache_data(show_spinner="Comparing with the last General Conference...", max_entries=16)
def _over_time(sel, nodes, year: int, gcs: tuple):
    return net.growth(sel, nodes), net.since_last_gc(sel, nodes, year, list(gcs))


def _state(**known) -> net.NetState:
    """The page state, read from the URL on the session's first visit (bad values: a notice)."""
    if STATE not in st.session_state:
        st.session_state[STATE], notices = net.NetState.from_query(dict(st.query_params), **known)
        ui.notify(notices)
    return st.session_state[STATE]


_bind = partial(ui.bind, STATE)


def _set_types(value: tuple) -> None:  # a one-click choice of tie types (kept in the URL)
    st.session_state[STATE] = replace(st.session_state[STATE], types=value)


f = ui.sidebar_filters(holdings=False, page="network")
st.title("Collaboration network")
st.caption("Institutions tied by documented collaborations, shared exhibitions, Executive "
           "Committee seats and VCM trusteeship. Every tie carries its source.")
ties, inst = _ties(ui.store_version()), ui.table("institutions")
lo, hi = net.year_bounds(ties)
kinds = sorted(ties["type"].unique())
s0 = _state(types=kinds, bounds=(lo, hi), institutions=set(inst["id"]))
ui.write_query(f, **s0.to_query())
c1, c2, c3 = st.columns([3, 2, 2])
types = c1.multiselect("Tie type", kinds, placeholder="All types", **_bind(
    "types", "net_types", [t for t in s0.types if t in kinds], tuple))
with c1.container(horizontal=True):
    if net.COMMITTEE in kinds:
        st.button("All but Executive Committee", key="net_no_ec", on_click=_set_types,
                  args=(net.all_but(kinds),), icon=":material/filter_alt:",
                  help=net.committee_share_text(ties) + " Show every other type of tie.")
    st.button("All types", key="net_all_types", on_click=_set_types, args=((),))
years = c2.slider("Years", lo, hi, help="Ties overlapping these years. Undated ties drop out once "
                  "narrowed.", **_bind("years", "net_years", s0.years or (lo, hi),
                                       lambda v: None if tuple(v) == (lo, hi) else tuple(v)))
scope = c3.selectbox("Region of ties", net.SCOPES, **_bind("scope", "net_scope", s0.scope))
key = (frozenset(net.institution_ids(ui.con(), f)), tuple(types) or None,
       None if tuple(years) == (lo, hi) else tuple(years), scope, ui.store_version())
nodes, sel, G, res = _graph(*key)
with st.expander("How ties are derived"):
    st.markdown(net.DERIVATION)
if G.number_of_edges() == 0:
    ui.empty_state(f, "tie", {"Tie type": types, "Region of ties": scope != net.SCOPES[0] and scope,
                              "Years": key[2] and f"{years[0]} to {years[1]}"})
    st.stop()

s, m = res.summary, res.nodes
for col, (label, value, help_) in zip(st.columns(6), net.headline(s)):
    col.metric(label, value, help=help_, border=True)
st.markdown("\n".join(f"- {md(line)}" for line in net.reading(res)))

# only the open tab runs (and is sent): a visit at scale draws one view, not six
tab_map, tab_topo, tab_ego, tab_time, tab_table, tab_export = st.tabs(
    ["Map", "Topology", "One institution", "Over time", "Metrics table", "Export"],
    key="net_tab", bind="query-params")
if tab_map.open:
    with tab_map:
        deck, legend, summary = _map(key)
        st.pydeck_chart(deck, height=560, key="net_map")
        st.html(legend)  # st.html: no Markdown on top of the HTML (names escaped in legend_html)
        st.caption(md(summary) + " " + fig.ARCS_NOTE)
if tab_topo.open:
    with tab_topo:
        a, b = st.columns(2)
        size_by = a.selectbox("Node size", list(net.SIZE_METRICS), format_func=net.SIZE_METRICS.get,
                              help=net.SIZE_HELP,
                              **_bind("size_by", "net_size", s0.size_by))
        color_by = b.radio("Colour", net.COLOR_MODES, horizontal=True,
                           **_bind("color_by", "net_color", s0.color_by))
        pos = _layout(tuple(sorted(G)), tuple(sorted(G.edges(data="weight"))))
        st.plotly_chart(fig.topology_figure(G, pos, m, size_by=size_by, color_by=color_by),
                        key="net_topo")
        st.caption(md(fig.topology_summary(G, pos, m, size_by, net.SIZE_METRICS[size_by], s)) + " " +
                   fig.TOPOLOGY_NOTE.format(seed=net.SEED))
if tab_ego.open:
    with tab_ego:
        names = dict(zip(m["id"], m["name"]))
        options = sorted(names, key=lambda v: str(names[v]).lower())
        if s0.institution and s0.institution not in names:
            st.info(f"Institution '{md(s0.institution)}' is not in the network under these filters; "
                    "showing the best-connected one.")
        center = st.selectbox("Institution", options, format_func=names.get, **_bind(
            "institution", "net_ego",
            s0.institution if s0.institution in names else m["id"].iloc[0]))
        radius = st.radio("Reach", net.RADII, horizontal=True, format_func=net.REACH_LABELS.get,
                          **_bind("radius", "net_radius", s0.radius))
        E, ego_df = net.ego(G, center, radius)
        if ego_df.empty:
            st.info(md(fig.ego_summary(E, center, radius)))
        else:
            st.plotly_chart(fig.ego_figure(E, center), key="net_ego_fig")
            st.caption(md(fig.ego_summary(E, center, radius)))
            ui.dataframe(ego_df.drop(columns=["a", "b"]), hide_index=True, key="net_ego_table")
if tab_time.open:
    with tab_time:
        gcs = net.general_conference_years(ui.table("meetings"))
        year = st.slider("Network as of", lo, hi, **_bind(
            "as_of", "net_year", s0.as_of or hi, lambda v: None if v == hi else int(v)))
        grown, ch = _over_time(sel, nodes, year, tuple(gcs))
        st.plotly_chart(fig.growth_figure(grown, gcs, year), key="net_growth")
        st.caption(md(fig.growth_summary(grown, year)) + " " + net.undated_note(sel, G, grown))
        st.subheader(f"Since the General Conference of {ch.previous_gc}" if ch.previous_gc
                     else f"Up to {year} (no earlier General Conference)")
        st.caption("Membership totals are stated counts, not lists: who joined is not known, so "
                   "only documented ties are compared here (undated ties left out: see above).")
        a, b = st.columns(2)
        a.markdown(f"**{len(ch.new_ties)} new tied pairs**")
        ui.dataframe(net.top_rows(ch.new_ties.drop(columns=["a", "b"]), "weight"),
                    hide_index=True, key="net_new_ties", where=a)
        b.markdown(f"**{len(ch.newly_tied)} newly tied institutions**")
        ui.dataframe(net.top_rows(ch.newly_tied, "ties"), hide_index=True, key="net_newly", where=b)
        st.markdown("**Biggest movers in PageRank**", help=net.labels.PAGERANK_HELP)
        ui.dataframe(ch.movers, hide_index=True, key="net_movers")
if tab_table.open:
    with tab_table:
        ui.dataframe(m.drop(columns=["id"]), hide_index=True, key="net_metrics",
                     column_config={c: st.column_config.NumberColumn(format="%.3f")
                                    for c in ("betweenness", "pagerank", "clustering", "brokerage")})
        shown, n_edges = _edge_rows(key)
        st.markdown("**Ties, with sources**" + (
            f" (the {len(shown):,} strongest of {n_edges:,}; the Export tab has them all)"
            if len(shown) < n_edges else ""))
        ui.dataframe(shown.drop(columns=["a", "b"]), hide_index=True, key="net_edges")
if tab_export.open:
    with tab_export:  # callables: files are generated on click, not on every rerun
        src = "ASEMUS dashboard, collaboration network (" + f.describe() + ")"
        st.caption("Every file carries the tie types, years and sources; GraphML and GEXF also "
                   "carry the node metrics (lists joined with '; ').")
        for id_, label, data, name, mime in net.downloads(G, m, src):
            st.download_button(label, data, name, mime, key=f"net_dl_{id_}")
