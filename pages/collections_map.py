"""Collections map: where the Asian collections are held, what they hold, and who holds what."""
import streamlit as st

import ui
from asemus_data import collections_map as cm
from asemus_data import export, queries
from asemus_data.figures import maps
from asemus_data.filters import period_text
from asemus_data.text import md

COLUMNS = {  # labels shared by the three tables
    "museum": "Museum", "city": "City", "country": "Country", "title": "Title", "kind": "Kind",
    "origin": "Origin", "category": "Category", "material": "Material", "period": "Period",
    "period_start": st.column_config.NumberColumn("From", format="%d", help="Negative: BCE"),
    "period_end": st.column_config.NumberColumn("To", format="%d", help="Negative: BCE"),
    "objects": st.column_config.NumberColumn("Objects", format="localized"),
    "status": "Data status", "source": "Source", "partner": "Partner",
    "partner_country": "Country", "type": "Type", "programme": "Programme", "years": "Years"}


def _load_state() -> None:
    """Layers, colour mode and museum from the URL once per session (bad values get a notice);
    after a visit to another page, the state saved on the last run."""
    if st.session_state.get("map_state_loaded"):
        if "map_layers" not in st.session_state:
            st.session_state.update(st.session_state.get("map_saved", {}))
        return
    st.session_state["map_state_loaded"] = True
    state, notices = cm.MapState.from_query(dict(st.query_params), ui.con())
    st.session_state.update(map_layers=list(state.layers), map_color=state.color,
                            map_museum=state.museum, map_view=state.view)
    ui.notify(notices)


# Query results per filter state and store file, bounded: a layer, colour or frame switch, a
# museum pick, or a return to a recent filter costs no query; an import (new file) misses.
@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _selection(f, version: str, _cur):
    return queries.summary(_cur, f), cm.map_data(_cur, f), cm.holdings_table(_cur, f)


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _detail(museum_id: str, f, version: str, _cur):
    return cm.museum_detail(_cur, museum_id, f, limit=cm.TABLE_LIMIT)


def _museum_panel(museum_id: str, f) -> None:
    d = _detail(museum_id, f, ui.store_version(), ui.con())
    if d is None:
        return
    i = d["info"]
    st.subheader(md(i["name"]), anchor=False)
    st.caption(md(f"{i.get('city') or 'city not stated'}, {i['country']} · {i['region']} · "
                  f"ASEMUS: {i['member_status']} · institution record: {i['status']}"))
    if note := cm.asian_collections_note(i, d["has_holdings"]):
        st.caption(md(note))
    h = d["holdings"]
    st.markdown(f"**Holdings matching the filters:** {d['rows']:,} rows, {int(h.objects.sum()):,} "
                f"objects ({d['total_collections']:,} collections in all); listed below.")
    for s in sorted(set(h.status)):
        ui.status_badge(s)
    c = d["collaborations"]
    st.markdown(f"**Documented collaborations:** {len(c)}")
    if len(c):
        ui.dataframe(c, hide_index=True, height=180, key="map_museum_collabs", column_config=COLUMNS)
    st.page_link("pages/network.py", label=f"{i['name']} on the network page",
                 icon=":material/hub:", query_params={"institution": museum_id})


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _records_count(f, version: str, _cur):
    return sum(cm.records_count(_cur, f).values())


def _records_download(f) -> None:
    """The matching collections and objects rows in the store's own form (a zip of two CSVs
    that import again as their tables), built on click; refused above RECORDS_LIMIT rows."""
    n = _records_count(f, ui.store_version(), ui.con())
    if n > cm.RECORDS_LIMIT:
        st.info(f"Records (importable): {n:,} rows match, more than the {cm.RECORDS_LIMIT:,} a "
                "download holds. Narrow the filters, or export the whole collections and objects "
                "tables as Parquet on the Data page.", icon=":material/database:")
        return
    src = f"ASEMUS collections dashboard, Collections map records ({f.describe()})"
    st.download_button(f"Records (importable), {n:,} rows", lambda: cm.records_zip(ui.con(), f, src),
                       "asemus-collections-records.zip", mime="application/zip",
                       key="map_dl_records", icon=":material/download:",
                       help="collections.csv and objects.csv: the matching rows with every "
                            "column of the store's tables; each imports again as its table.")


st.title("Collections map")
st.caption("Where the Asian collections in ASEMUS museums are held and what they hold. Narrow "
           "by origin, category, material or period in the sidebar; click a museum for its "
           "collections and partners.")
f = ui.sidebar_filters(holdings=True, page="collections_map")
_load_state()
summary, data, (table, total) = _selection(f, ui.store_version(), ui.con())
st.markdown(f"**{md(queries.summary_sentence(summary))}**")
if not summary["rows"] and data.unsurveyed.empty:
    ss = st.session_state
    ui.write_query(f, **cm.MapState(tuple(ss.get("map_layers") or ()), ss.get("map_color")
                                    or cm.DEFAULT_COLOR, ss.get("map_museum"),
                                    ss.get("map_view") or cm.DEFAULT_VIEW).to_query())
    ui.empty_state(f, "holding")
    st.stop()
ui.illustrative_note(summary["illustrative_share"] + summary["synthetic_share"])


@st.fragment
def _map(f, data) -> None:
    """Controls, map and museum panel: a widget here reruns only this part, on cached data."""
    layers = st.pills("Map layers", list(cm.LAYER_LABELS), selection_mode="multi",
                      format_func=cm.LAYER_LABELS.get, key="map_layers")
    c2, c3 = st.columns([3, 2])
    color = c2.segmented_control("Colour museums by", list(cm.COLOR_MODES), required=True,
                                 format_func=cm.COLOR_MODES.get, key="map_color") or cm.DEFAULT_COLOR
    view = c3.selectbox("Frame the map on", list(cm.VIEWS), format_func=lambda v: cm.VIEWS[v][0],
                        key="map_view", help="Kept in the link and in saved views.")
    museum = st.session_state.get("map_museum")
    if st.session_state.setdefault("map_table_for", museum) != museum:  # a click: narrow the table
        st.session_state["map_table_for"] = museum
        st.rerun()
    st.session_state["map_saved"] = dict(map_layers=layers, map_color=color, map_museum=museum,
                                         map_view=view)
    ui.write_query(f, **cm.MapState(tuple(layers), color, museum, view).to_query())
    map_col, side = st.columns([2, 1], gap="medium")
    with map_col:
        st.pydeck_chart(maps.collections_deck(data, layers, color, view=view), key="map_deck",
                        on_select=lambda: st.session_state.update(map_museum=cm.picked_museum(
                            st.session_state["map_deck"].selection)), selection_mode="single-object",
                        height=600, alt="Map of museums holding Asian collections in Asia and Europe")
        st.caption(md(maps.collections_map_sentence(data, layers, color) + " "
                      + maps.positions_text(data, layers)) + " Base map: Natural Earth (public "
                   "domain). Holdings: see the status and source columns below.")
    with side:
        if layers:
            st.html(maps.legend_html(maps.legend(data, layers, color)))
        else:
            st.info("Switch on a map layer above.", icon=":material/layers:")
        names = dict(zip(data.museums.id, data.museums.name)) | dict(zip(data.unsurveyed.id,
                                                                         data.unsurveyed.name))
        if museum and museum not in names:
            names[museum] = ui.table("institutions").set_index("id").name.get(museum, museum)
        st.selectbox("Selected museum", list(names), format_func=names.get, index=None,
                     placeholder="Click a dot, or choose a museum", key="map_museum")
        if museum:
            _museum_panel(museum, f)


_map(f, data)
st.subheader("Matching holdings")
if (pick := st.session_state.get("map_museum")) and (d := _detail(pick, f, ui.store_version(),
                                                                  ui.con())) is not None:
    table, total = d["holdings"], d["rows"]
    st.caption(md(f"At {d['info']['name']} only (picked on the map): {total:,} rows. Clear "
                  "“Selected museum” above for every museum."))
if total > len(table):
    st.caption(f"Showing the {len(table):,} largest of {total:,} rows (by objects). Narrow the "
               "filters to see the rest; downloads hold the rows shown.")
ui.dataframe(table.drop(columns="institution_id"), hide_index=True, key="map_table",
             column_config=COLUMNS)
source = (f"ASEMUS collections dashboard, Collections map ({f.describe()}); "
          "each row's source and data status are in its columns")
summary_help = ("One row per collection and per group of catalogued objects, with display "
                "names: to read, not to import. For rows that import again, use Records.")
d1, d2, _ = st.columns([1, 1, 2])
d1.download_button("Table as shown (summary, not re-importable): CSV",
                   lambda: export.csv_bytes(table, source), "asemus-collections.csv",
                   mime="text/csv", key="map_dl_csv", icon=":material/download:", help=summary_help)
d2.download_button("Table as shown (summary, not re-importable): Excel",
                   lambda: export.xlsx_bytes(table, source, sheet="collections"),
                   "asemus-collections.xlsx", key="map_dl_xlsx", icon=":material/download:",
                   help=summary_help)
_records_download(f)
if f.period:
    st.caption(f"Period filter: holdings whose dates overlap {period_text(f.period)}; "
               "undated holdings are left out.")
