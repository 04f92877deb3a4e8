"""Masterpieces & experts: the VCM explorer and the experts directory."""
from __future__ import annotations

import datetime as _dt
from functools import partial

import streamlit as st

import ui
from asemus_data import experts
from asemus_data import labels as words
from asemus_data import masterpieces as mp
from asemus_data.figures import masterpieces as figs
from asemus_data.text import md

STATE = "mp_state"  # the explorer's own state: owned by no widget, so it outlives a page switch


_bind = partial(ui.bind, STATE, update=lambda state, field, value: state.changed(field, value))


# Store-wide facts per store file (and day: the masterpiece of the day), and query results per
# selection, bounded: a rerun that changes neither (a page turn, a card opened) rescans nothing.
@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def _store_facts(version: str, day: _dt.date, _cur) -> dict:
    return {"choices": mp.choices(_cur), "few": mp.few_objects_note(_cur),
            "today": mp.masterpiece_of_the_day(_cur, day), "growth": mp.growth(_cur)}


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _query(what: str, version: str, f, q, *args, _cur=None):
    return getattr(mp, what)(_cur, f, q, *args)


def _run(what: str, *args):
    return _query(what, ui.store_version(), f, q, *args, _cur=con)


st.title("Masterpieces & experts")
f = ui.sidebar_filters(holdings=True, page="masterpieces")
con = ui.con()
tab_mp, tab_ex = st.tabs(["Masterpieces", "Experts"])


def show_image(ref: mp.ImageRef, width="stretch") -> None:
    # st.image would hand a URL to the browser, which would fetch it: only local files or the
    # inline placeholder ever reach it
    image, caption = mp.image_source(ref)
    st.image(image, width=width, caption=caption)


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
    st.subheader(md(d["title"]), anchor=False)
    ui.status_badge(d["status"])
    if d["status"] in ("illustrative", "synthetic"):
        ui.illustrative_note(1.0, "this record")
    show_image(mp.image_ref(d["image"]), width=360)
    rows = mp.detail_rows(d)
    ui.dataframe(rows, hide_index=True, width="stretch", height=36 * (len(rows) + 1) + 2)
    ui.source_caption(d["source"])


def show_card(c: dict, key: str) -> None:
    with st.container(border=True):
        show_image(c["image"])
        st.markdown(c["markdown"])
        with st.container(horizontal=True):
            ui.status_badge(c["status"])
            if c["vcm"]:
                st.badge("VCM", color="red", help="In the Virtual Collection of Masterpieces.")
            if c.get("certainty"):
                st.badge(c["certainty"], color="orange", help=words.LABELS["date_certainty"][1])
        st.button("Details", key=f"{key}_{c['id']}", icon=":material/open_in_full:",
                  on_click=select, args=(c["id"],))


with tab_mp:
    facts = _store_facts(ui.store_version(), _dt.date.today(), con)
    if today := facts["today"]:
        with st.container(border=True):
            st.markdown(f"**Masterpiece of the day:** {md(today['title'])}, {md(today['museum'])}")
            st.button("Open", key="mp_today", on_click=select, args=(today["id"],))
    if note := facts["few"]:
        st.info(md(note), icon=":material/info:")
    names, cultures = facts["choices"]
    if STATE not in st.session_state:  # the session's first visit: the state from the link
        st.session_state[STATE], notices = mp.ExplorerState.from_query(
            dict(st.query_params), museums=set(names), cultures=set(cultures))
        ui.notify(notices)
    state = st.session_state[STATE]
    c1, c2, c3, c4 = st.columns([4, 3, 3, 2], vertical_alignment="bottom")
    c1.text_input("Search objects", max_chars=100, **_bind("text", "mp_q", state.text),
                  placeholder="title, description, origin, material, museum")
    c2.multiselect("Holding museum", list(names), placeholder="All", format_func=names.get,
                   **_bind("museums", "mp_museums", [x for x in state.museums if x in names]))
    c3.multiselect("Origin culture", cultures, placeholder="All", **_bind(
        "cultures", "mp_cultures", [x for x in state.cultures if x in cultures]))
    c4.toggle("VCM only", **_bind("vcm_only", "mp_vcm", state.vcm_only))
    q = state.query
    s = _run("summary")
    ui.illustrative_note(s["unreal_share"], "these objects")

    st.subheader("Gallery", anchor=False)
    pages = mp.page_count(s["objects"])
    state = st.session_state[STATE] = state.within(pages)  # the filters may have shrunk it
    ui.write_query(f, **state.to_query())
    g1, g2 = st.columns([1, 5], vertical_alignment="bottom")
    number = g1.number_input(f"Page (of {pages:,})", 1, pages,
                             **_bind("page", "mp_page", state.page))
    g2.caption(md(mp.summary_sentence(s)))
    if not s["objects"]:
        ui.empty_state(f, "object", {"Search objects": state.text, "Holding museum": [
            names.get(x, x) for x in state.museums], "Origin culture": state.cultures,
            "VCM only": state.vcm_only})
    cards = mp.cards(_run("page", number))
    for row in range(0, len(cards), 4):
        for col, c in zip(st.columns(4), cards[row:row + 4]):
            with col:
                show_card(c, "mp_card")
    if st.session_state.get("mp_detail"):
        show_detail(st.session_state["mp_detail"])
    for col, (id_, label, data, name, mime) in zip(st.columns([1, 1, 4]), mp.downloads(con, f, q)):
        col.download_button(label, data, name, mime, key=f"mp_{id_}", icon=":material/download:")

    st.subheader("Where the selection comes from and where it is held", anchor=False)
    fl = _run("flows")
    st.pydeck_chart(figs.flows_deck(fl), key="mp_flows", height=460)
    st.caption(f"{md(figs.flows_summary(fl))} {figs.FLOWS_NOTE}")
    for col, by in zip(st.columns(3), mp.MAKEUP):
        mk = _run("makeup", by)
        col.plotly_chart(figs.makeup_figure(mk, f"By {by}"), key=f"mp_makeup_{by}")
        col.caption(md(figs.makeup_summary(mk, by)))

    st.subheader("The VCM's growth (documented counts)", anchor=False)
    growth = facts["growth"]
    st.plotly_chart(figs.growth_figure(growth["dated"]), key="mp_growth")
    st.caption(f"{md(figs.growth_summary(growth['dated']))} {figs.GROWTH_NOTE}")
    with st.expander(f"Undated counts ({len(growth['undated'])}) and other statements"):
        ui.dataframe(growth["undated"], hide_index=True)
        ui.dataframe(growth["other"], hide_index=True)
    ui.source_caption("vcm_stats (documented public pages; each row's URL in the table)")

with tab_ex:
    n = experts.count(con)
    if not n:
        st.info(experts.EMPTY_NOTE, icon=":material/groups:")
    else:
        st.caption(f"{n:,} experts. Visitors see counts only; names and contacts are for staff.")
        e1, e2 = st.columns(2)
        fields, countries = experts.by_expertise(con), experts.by_country(con)
        e1.plotly_chart(figs.experts_bar(fields), key="mp_ex_bar")
        e1.caption(md(figs.experts_bar_summary(fields, n)))
        ui.dataframe(experts.aggregate(con), hide_index=True, key="mp_ex_table", where=e2)
        st.pydeck_chart(figs.experts_deck(countries), key="mp_ex_map", height=420)
        st.caption(md(figs.experts_map_summary(countries)))
    st.subheader("Staff: names and contact details", anchor=False)
    if ui.staff_login(key="mp_staff_pw") and ui.is_staff():
        ui.dataframe(experts.staff_view(con, ui.audience()), hide_index=True, key="mp_ex_staff")
        if len(unlisted := experts.unlisted_expertise(con, ui.audience())):
            st.caption(f"Fields not in the controlled list (counted as '{experts.OTHER}'):")
            ui.dataframe(unlisted, hide_index=True)
    with st.expander("Documented public roles (committee, secretariat, ASEF)"):
        ui.dataframe(experts.public_roles(con), hide_index=True,
                     column_config={"source": st.column_config.LinkColumn("source")})
