"""Exhibitions & visitors: exhibitions and their tours, visitor figures, visitor series, the network
over time."""
import streamlit as st

import ui
from asemus_data import exhibitions as ex
from asemus_data import identity, open_data, queries
from asemus_data.figures import exhibitions as fx
from asemus_data.figures import timeline as ft
from asemus_data.filters import Filters
from asemus_data.overview import plural
from asemus_data.store import column_info  # loads the schemas (pandera) only when drawn
from asemus_data.text import md, md_sources


def _chart(fig, summary: str, key: str, where=st) -> None:
    """A plotly chart with its key numbers in a sentence under it (read by screen readers)."""
    where.plotly_chart(fig, key=key)
    where.caption(md(summary))


def _series_checks(con, summ: dict) -> None:
    """Conflicting rows (several for one institution-year) and links to unknown institutions."""
    if summ["conflicts"]:
        st.warning(f"{summ['conflicts']:,} institution-years have several rows: "
                   f"{summ['conflicts'] - summ['withheld']:,} added up, {summ['withheld']:,} "
                   "withheld as conflicts (as each import's mapping declared).",
                   icon=":material/warning:")
        with st.expander("Institution-years with several rows"):
            ui.dataframe(ex.series_conflicts(con), hide_index=True, key="exh_vs_conflicts")
    d = identity.dangling_references(con)
    if d["rows"]:
        st.warning(f"{d['rows']:,} rows ({d['distinct']:,} references) name an institution that "
                   "is neither in the institutions table nor among their identifiers; they still "
                   "count, under their own key. Import the register they refer to (e.g. "
                   "docs/examples/museofile.yaml) to link them.", icon=":material/link_off:")
        with st.expander("First unlinked references"):
            ui.dataframe(d["examples"], hide_index=True, key="exh_vs_dangling")


# Built once per store version (and filters) and shared by every session: st.cache_resource, not
# copied per run, so read-only here. A new store file (an import) is a new version, so it misses.
# Only the visitor's view of the tables is read (ui.table's default audience).
@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _exhibitions_view(f: Filters, version: str, _exh, _ven) -> dict:
    """The exhibitions timeline and the venues map (``_exh``, ``_ven``: the tables the filters
    ``f`` leave, in store ``version``)."""
    bars, undated = ex.timeline_rows(_exh, _ven)
    stops, legs = ex.venue_stops(_ven, _exh), ex.tour_routes(_ven, _exh)
    return {"timeline": fx.exhibition_timeline(bars),
            "timeline_text": fx.exhibition_timeline_sentence(bars, undated),
            "undated": undated, "notices": ex.date_notices(_exh, _ven),
            "deck": fx.venue_deck(stops, legs), "deck_text": fx.venues_sentence(stops, legs)}


@st.cache_resource(show_spinner=False, max_entries=4, ttl=3600)
def _network_view(version: str) -> dict:
    """The network over time: members, conferences, the Executive Committee."""
    counts, meetings = ui.table("membership_counts"), ui.table("meetings")
    terms = ex.committee_terms(ui.table("people"), ui.table("institutions"))
    conf = ft.conference_rows(meetings, kinds=("founding conference", "general conference",
                                               "workshop", "meeting"))
    return {"members": ft.membership_figure(counts), "members_text": ft.membership_sentence(counts),
            "conferences": ft.conferences_timeline(meetings),
            "conferences_text": ft.conferences_sentence(meetings),
            "deck": fx.conferences_deck(meetings), "deck_text": fx.conferences_map_sentence(meetings),
            "table": conf[["label", "year", "city", "host", "title", "attendance", "notes",
                           "source"]],
            "committee": ft.committee_figure(terms), "committee_text": ft.committee_sentence(terms)}


f = ui.sidebar_filters(holdings=False, page="exhibitions")
st.title("Exhibitions & visitors")
exh, ven = ui.table("exhibitions"), ui.table("exhibition_venues")
if f.active:
    exh, ven = ex.for_institutions(exh, ven, ui.table("exhibition_participants"),
                                   set(queries.institutions(ui.con(), f)["id"]))
    st.caption(f"Exhibitions with a venue or partner among the filtered institutions "
               f"({md(f.describe())}).")
t_ex, t_vis, t_series, t_net = st.tabs(["Exhibitions", "Visitor figures", "Visitor statistics",
                                        "The network over time"])
SRC = st.column_config.LinkColumn("source")

with t_ex:
    if exh.empty:
        ui.empty_state(f, "exhibition")
    else:
        view = _exhibitions_view(f, ui.store_version(), exh, ven)
        undated = view["undated"]
        if skipped := view["notices"]:
            st.info(md(skipped), icon=":material/event_busy:")
        _chart(view["timeline"], view["timeline_text"], "exh_timeline")
        if len(undated):
            st.markdown("**Not drawn: no dates known** (never placed at an invented date)")
            ui.dataframe(undated, hide_index=True, column_config={"source": SRC}, key="exh_undated")
        st.subheader("Venues and tours")
        st.pydeck_chart(view["deck"], key="exh_map", height=460)
        st.caption(md(view["deck_text"]) + " Arcs: a touring exhibition's legs in venue "
                   "order (1 -> 2 -> ...); points coloured by type as above; hover a point for "
                   "every stop there, with its order on the tour.")
        st.subheader("One exhibition")
        ids = dict(zip(exh["title"], exh["id"]))  # titles are unique; a plain list keeps AppTest simple
        pick = st.selectbox("Exhibition", list(ids), key="exh_detail")
        d = ex.exhibition_detail(ids[pick], exh, ven, ui.table("exhibition_participants"),
                                 ui.table("institutions"))
        ui.status_badge(d["facts"].get("Data status", "documented"))
        st.markdown("\n".join(f"- **{md(k)}:** {md(v)}" for k, v in d["facts"].items()
                              if k != "Data status"))
        c1, c2 = st.columns(2)
        c1.markdown("**Venues, in tour order**")
        ui.dataframe(d["venues"], hide_index=True, column_config={"source": SRC}, key="exh_d_venues",
                     where=c1)
        c2.markdown("**Partners**")
        ui.dataframe(d["partners"], hide_index=True, column_config={"source": SRC},
                     key="exh_d_partners", where=c2)
        st.markdown("**Sources:** " + md_sources(d["sources"], " · "))

with t_vis:
    c1, c2 = st.columns(2)
    dpw = c1.number_input("Opening days per week", 1, 7, ex.DEFAULT_DAYS_PER_WEEK,
                          key="exh_days_per_week", help="Most museums close one day a week.")
    clo = c2.number_input("Closures (public holidays) per run", 0, 60, 0, key="exh_closures")
    vt = ex.visitor_table(exh, ven, days_per_week=dpw, closures=clo)
    st.caption(ex.VISITORS_METHOD)
    _chart(fx.visitors_figure(vt), fx.visitors_sentence(vt), "exh_visitors_chart")
    ui.dataframe(vt.drop(columns=["visitors", "per_day"]), hide_index=True,
                 column_config={"source": SRC}, key="exh_visitors_table")
    st.caption(f"{len(exh) - exh['visitors'].notna().sum()} of {len(exh)} exhibitions have no "
               "published visitor figure; they are not listed.")

with t_series:
    con = ui.con()
    summ = ex.series_summary(con)
    if not summ["rows"]:
        st.info("No visitor statistics yet. This store holds no institution-year series, "
                "and none is made up here. Import one (what ministries publish for their national "
                "museums) on the Data page.", icon=":material/info:")
        if ui.is_staff():  # command lines and file names are for staff, not visitors
            st.code("python -m asemus_data import FILE --table visitor_stats [--mapping MAPPING.yaml]",
                    language="bash")
            st.caption("A mapping file renames a ministry's own headers (docs/mapping.md, example 2).")
        ui.dataframe(column_info("visitor_stats")[["column", "required", "description"]],
                     hide_index=True, key="exh_vs_columns")
    else:
        credit = open_data.credit(summ["sources"] or "")  # the licence asks for it
        st.caption(md(f"{summ['rows']:,} rows, {summ['institutions']:,} institutions (one per "
                      f"source key, whatever their names), "
                      f"{plural(summ['countries'], 'country', 'countries')}, "
                      f"{summ['first_year']}-{summ['last_year']}. Status: {summ['statuses']}. "
                      f"Source: {summ['sources']}") + (f" (credit: {md(credit)})." if credit else ""))
        if "synthetic" in (summ["statuses"] or "") or "illustrative" in (summ["statuses"] or ""):
            st.warning("These series include synthetic or illustrative rows: NOT real figures.",
                       icon=":material/science:")
        _series_checks(con, summ)
        lo, hi = int(summ["first_year"]), int(summ["last_year"])
        years = st.slider("Years", lo, max(hi, lo + 1), (lo, hi), key="exh_vs_years")
        flt = ex.SeriesFilter(regions=f.regions, countries=f.countries, years=years)
        opts = ex.series_options(con, flt)
        labels = dict(zip(opts["key"], opts["label"]))
        keep = [k for k in st.session_state.get("exh_vs_institutions", []) if k in labels]
        st.session_state["exh_vs_institutions"] = keep or list(opts["key"].head(3))
        keys = st.multiselect("Compare institutions", list(labels), format_func=labels.get,
                              key="exh_vs_institutions", max_selections=12)
        s = ex.institution_series(con, keys, flt)
        c1, c2 = st.columns(2)
        _chart(fx.series_figure(s), fx.series_sentence(s), "exh_vs_series", c1)
        _chart(fx.yoy_figure(s), fx.yoy_sentence(s), "exh_vs_yoy", c2)
        _chart(fx.rank_figure(s), fx.rank_sentence(s), "exh_vs_rank", c1)
        _chart(fx.paid_free_figure(s), fx.paid_free_sentence(s), "exh_vs_paidfree", c2)
        by = st.radio("Totals per", ["all", "country", "region"], horizontal=True, key="exh_vs_by")
        tot = ex.group_totals(con, by, flt)
        _chart(fx.group_totals_figure(tot, by), fx.group_totals_sentence(tot, by), "exh_vs_totals")
        year = st.selectbox("Year", list(range(years[1], years[0] - 1, -1)), key="exh_vs_year")
        yt = ex.year_total(con, year, flt)
        st.markdown(f"**{year}: {yt['visitors'] or 0:,} visitors over {yt['reporting']:,} "
                    f"reporting institutions** (of {yt['institutions']:,} listed that year; a "
                    "closed or not-communicated year is a gap, not zero"
                    + (f"; {yt['withheld']} figures withheld as conflicts" if yt["withheld"] else "")
                    + ").")
        ui.dataframe(ex.year_ranking(con, year, flt), hide_index=True, key="exh_vs_ranking",
                     column_config={"yoy_pct": st.column_config.NumberColumn("change %",
                                                                             format="%+.1f")})

with t_net:
    net = _network_view(ui.store_version())
    _chart(net["members"], net["members_text"], "exh_membership")
    ui.source_caption("membership_counts: each point's own source in its hover; the 2012 figures "
                      "82 -> 97 (ASEF) and 84 (press, Aug 2012) conflict and are both shown")
    _chart(net["conferences"], net["conferences_text"], "exh_conferences")
    st.pydeck_chart(net["deck"], key="exh_conf_map", height=420)
    st.caption(md(net["deck_text"]))
    ui.dataframe(net["table"], hide_index=True, column_config={"source": SRC},
                 key="exh_conf_table")
    st.plotly_chart(net["committee"], key="exh_committee")
    st.caption(md(net["committee_text"]) + " From the people table (Executive Committee "
               "roles); colour: region of the person's institution. Sources in the hover.")
