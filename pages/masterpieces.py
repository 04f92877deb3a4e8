"""Masterpieces & experts: the Virtual Collection of Masterpieces explorer and the experts directory."""
from __future__ import annotations

import streamlit as st

import ui
from asemus_data import experts, export
from asemus_data.filters import Filters
from asemus_data import masterpieces as mp
from asemus_data.figures import masterpieces as figs

st.title("Masterpieces & experts")
f = ui.sidebar_filters(holdings=True, page="masterpieces")
con = ui.con()
tab_mp, tab_ex = st.tabs(["Masterpieces", "Experts"])


def show_image(ref: mp.ImageRef, width="stretch") -> None:
    # st.image would hand a URL to the browser, which would fetch it: only local files or the
    # inline placeholder ever reach it
    if ref.kind == "local":
        st.image(str(ref.path), width=width)
    else:
        st.image(mp.placeholder_svg(), width=width, caption=ref.note)


def select(object_id: str | None) -> None:
    # a callback, so the choice survives a rerun triggered before the page draws (a button's
    # click value would not)
    st.session_state["mp_detail"] = object_id


@st.dialog("Object record", width="large", on_dismiss=lambda: select(None))
def show_detail(object_id: str) -> None:
    d = mp.detail(con, object_id)
    if d is None:
        st.warning("This object is no longer in the store.")
        return
    st.subheader(d["title"], anchor=False)
    ui.status_badge(d["status"])
    if d["status"] in ("illustrative", "synthetic"):
        ui.illustrative_note(1.0, "this record")
    show_image(mp.image_ref(d["image"]), width=360)
    rows = mp.detail_rows(d)
    st.dataframe(rows, hide_index=True, width="stretch", height=36 * (len(rows) + 1) + 2)
    ui.source_caption(d["source"])


def show_card(c: dict, key: str) -> None:
    with st.container(border=True):
        show_image(c["image"])
        st.markdown(c["markdown"])
        with st.container(horizontal=True):
            ui.status_badge(c["status"])
            if c["vcm"]:
                st.badge("VCM", color="red", help="In the Virtual Collection of Masterpieces.")
        st.button("Details", key=f"{key}_{c['id']}", icon=":material/open_in_full:",
                  on_click=select, args=(c["id"],))


with tab_mp:
    today = mp.masterpiece_of_the_day(con)
    if today:
        with st.container(border=True):
            st.markdown(f"**Masterpiece of the day:** {mp.md_escape(today['title'])}, "
                        f"{mp.md_escape(today['museum'])}")
            st.button("Open", key="mp_today", on_click=select, args=(today["id"],))
    total = mp.summary(con, Filters())["objects"]
    if total < 50:
        st.info(mp.FEW_OBJECTS_NOTE.format(n=total), icon=":material/info:")
    opts = mp.options(con)
    names = dict(zip(opts["museums"]["value"], opts["museums"]["label"]))
    c1, c2, c3, c4 = st.columns([4, 3, 3, 2], vertical_alignment="bottom")
    text = c1.text_input("Search objects", key="mp_q", max_chars=100,
                         placeholder="title, description, origin, material, museum")
    inst = c2.multiselect("Holding museum", list(names), key="mp_museums", placeholder="All",
                          format_func=lambda v: names.get(v, v))
    cult = c3.multiselect("Origin culture", list(opts["cultures"]["value"]), key="mp_cultures",
                          placeholder="All")
    vcm = c4.toggle("VCM only", key="mp_vcm")
    q = mp.Query(text.strip(), tuple(inst), tuple(cult), vcm)
    s = mp.summary(con, f, q)
    ui.illustrative_note(s["unreal_share"], "these objects")

    st.subheader("Gallery", anchor=False)
    pages = mp.page_count(s["objects"])
    if st.session_state.get("mp_page", 1) > pages:  # the filters shrank the result
        st.session_state["mp_page"] = pages
    g1, g2 = st.columns([1, 5], vertical_alignment="bottom")
    number = g1.number_input(f"Page (of {pages:,})", 1, pages, key="mp_page")
    g2.caption(f"{s['objects']:,} objects ({s['vcm']:,} in the VCM) in {s['museums']:,} museums, "
               f"from {s['origins']:,} countries of origin.")
    if not s["objects"]:
        ui.empty_state(f, "object")
    cards = mp.cards(mp.page(con, f, q, number))
    for row in range(0, len(cards), 4):
        for col, c in zip(st.columns(4), cards[row:row + 4]):
            with col:
                show_card(c, "mp_card")
    if st.session_state.get("mp_detail"):
        show_detail(st.session_state["mp_detail"])
    d1, d2, _ = st.columns([1, 1, 4])
    src = mp.export_source(f, q)
    d1.download_button("CSV", lambda: export.csv_bytes(mp.selection(con, f, q), src),
                       "masterpieces.csv", "text/csv", key="mp_csv", icon=":material/download:")
    d2.download_button("Excel", lambda: export.xlsx_bytes(mp.selection(con, f, q), src, "objects"),
                       "masterpieces.xlsx", key="mp_xlsx", icon=":material/download:")

    st.subheader("Where the selection comes from and where it is held", anchor=False)
    fl = mp.flows(con, f, q)
    st.pydeck_chart(figs.flows_deck(fl), key="mp_flows", height=460)
    st.caption(f"Arcs from each country of origin (orange end) to the holding museum (blue end), "
               f"width by objects; {fl.attrs['pairs']:,} pairs. {fl.attrs['unplaced']:,} objects "
               "with no stated country of origin or no museum location are not drawn.")
    m1, m2, m3 = st.columns(3)
    for col, by in zip((m1, m2, m3), mp.MAKEUP):
        col.plotly_chart(figs.makeup_figure(mp.makeup(con, f, q, by), f"By {by}"),
                         key=f"mp_makeup_{by}")

    st.subheader("The VCM's growth (documented counts)", anchor=False)
    growth = mp.growth(con)
    st.plotly_chart(figs.growth_figure(growth["dated"]), key="mp_growth")
    st.caption(figs.GROWTH_NOTE)
    with st.expander(f"Undated counts ({len(growth['undated'])}) and other statements"):
        st.dataframe(growth["undated"], hide_index=True)
        st.dataframe(growth["other"], hide_index=True)
    ui.source_caption("vcm_stats (documented public pages; each row's URL in the table)")

with tab_ex:
    n = experts.count(con)
    if not n:
        st.info(experts.EMPTY_NOTE, icon=":material/groups:")
    else:
        st.caption(f"{n:,} experts. Visitors see counts only; names and contacts are for staff.")
        e1, e2 = st.columns(2)
        e1.plotly_chart(figs.experts_bar(experts.by_expertise(con)), key="mp_ex_bar")
        e2.dataframe(experts.aggregate(con), hide_index=True, key="mp_ex_table")
        st.pydeck_chart(figs.experts_deck(experts.by_country(con)), key="mp_ex_map", height=420)
    st.subheader("Staff: names and contact details", anchor=False)
    if ui.staff_login(key="mp_staff_pw") and ui.is_staff():
        st.dataframe(experts.staff_view(con), hide_index=True, key="mp_ex_staff")
        unlisted = experts.unlisted_expertise(con)
        if len(unlisted):
            st.caption(f"Fields not in the controlled list (counted as '{experts.OTHER}'):")
            st.dataframe(unlisted, hide_index=True)
    with st.expander("Documented public roles (committee, secretariat, ASEF)"):
        st.dataframe(experts.public_roles(con), hide_index=True,
                     column_config={"source": st.column_config.LinkColumn("source")})
