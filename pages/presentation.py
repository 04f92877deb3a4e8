"""Present: step through saved views on a projector, and build the conference pack."""
import streamlit as st

import ui
from asemus_data import pack, slides
from asemus_data.errors import InputError
from asemus_data.presentation import PAGES, Sequence, describe_param, sample_sequence
from asemus_data.text import md, md_sources

seq: Sequence = ui.sequence(from_link=True)
mode = bool(seq.views) and st.session_state.get("pres_mode", False)  # its toggle is by Next
if mode:
    st.html(slides.SLIDE_CSS)
else:
    ui.sidebar_filters(holdings=False, page="presentation")
    st.title("Present")
    st.caption("Save views on any page with **Save this view** in the sidebar, order them here, and "
               "step through them. A sequence saves to a JSON file; each view is also a plain link.")

if not seq.views:
    st.info("No views saved in this session yet.", icon=":material/bookmarks:")
    c1, c2 = st.columns(2)
    c1.button("Start from the sample sequence (5 views)", key="pres_sample", type="primary",
              on_click=lambda: ui.set_sequence(sample_sequence()))
    up = c2.file_uploader("Or load a sequence (.json)", type=["json"], key="pres_upload_empty")
    if up is not None:
        try:
            seq = ui.set_sequence(Sequence.from_json(up.getvalue(), file=up.name))
        except InputError as exc:
            st.error(md(exc))
    if not seq.views:
        ui.stored_sequences_panel(seq)
        st.stop()

n = len(seq.views)
ids = [v.id for v in seq.views]
# the presented view is held by id, so reordering never changes what is on screen
step = ids.index(st.session_state["pres_current"]) if st.session_state.get("pres_current") in ids else 0
st.session_state["pres_current"] = ids[step]


def _go(offset: int) -> None:
    to = min(max(step + offset, 0), n - 1)
    st.session_state["pres_current"] = ids[to]
    if "sequence" in st.query_params:  # a stored deck: the link keeps the place in it
        st.query_params["slide"] = str(to + 1)


view = seq.views[step]


def _select(positions: list[str]) -> None:
    st.session_state["pres_sel"] = positions[st.session_state["pres_pick"]]


def _edit(method, view_id: str, key: str) -> None:
    method(view_id, st.session_state[key])  # a widget's new value, applied to the view by id


def _duplicate(view_id: str) -> None:
    st.session_state["pres_sel"] = seq.duplicate(view_id).id


def _remove(view_id: str) -> None:
    st.session_state["pres_sel"] = seq.remove(view_id)


nav1, nav2, nav3, nav4 = st.columns([1.2, 5, 2, 1.2], vertical_alignment="center")
nav1.button("Previous", key="pres_prev", on_click=_go, args=(-1,), disabled=step == 0,
            icon=":material/arrow_back:", width="stretch", shortcut="Left")
nav2.markdown(f"**View {step + 1} of {n}** · {PAGES[view.page][1]}")
nav3.toggle("Presentation mode", key="pres_mode",
            help="Hides the sidebar and menus, enlarges type, fits each view to the screen. "
                 "Keys: Right / Left for the next / previous view.")
nav4.button("Next", key="pres_next", on_click=_go, args=(1,), disabled=step == n - 1,
            icon=":material/arrow_forward:", width="stretch", shortcut="Right")
for key, offset, shortcut in slides.CLICKER_KEYS if mode else ():  # a clicker's PageDown / PageUp
    nav4.button(shortcut, key=key, on_click=_go, args=(offset,), shortcut=shortcut)

st.header(md(view.name), anchor=False)  # names, notes and captions are data: shown as written
caption, charts = slides.view_charts(ui.con(), view)
st.container(key="pres_caption").markdown(md(view.note or (slides.slide_caption(caption) if mode
                                                           else caption)))
if view.note and not mode:
    st.caption(md(caption))
cards = slides.headline_cards(ui.con(), view)
for col, h in zip(st.columns(len(cards)) if cards else [], cards):
    col.metric(h.label, h.value, help=f"{md(h.detail)}. Source: {md(h.source)}", border=True)
# presented: the charts side by side in a row that takes the height left on the screen
stage = st.container(key="pres_stage", horizontal=True, height=slides.STAGE_PX, border=False) \
    if mode else st.container()
for chart in slides.slide_charts(charts) if mode else charts:
    slot = stage.container(key=f"pres_slot_{chart.key}", height="stretch", border=False) \
        if mode else stage
    if mode:
        slot.markdown(md(chart.title))
    # theme=None in presentation mode: Streamlit's chart theme would override the larger type
    slot.plotly_chart(slides.slide_figure(chart.figure) if mode else chart.figure,
                      key=f"pres_chart_{view.id}_{chart.key}", theme=None if mode else "streamlit",
                      height="stretch" if mode else "content",
                      config={"topojsonURL": "/app/static/topojson/", "displaylogo": False,
                              "displayModeBar": not mode})
    slot.caption(md(chart.summary) if mode else
                 f"{md(chart.summary)} {md(chart.caption)} Source: {md_sources([chart.source])}")
    if mode:  # one line: the source, cut with an ellipsis by SLIDE_CSS
        slot.caption(f"Source: {md(slides.short_source(chart.source))}")
if not mode:
    st.markdown(f"[Open this view in its page]({view.url()})")

if not mode:
    st.divider()
    st.subheader("The sequence")
    ui.dataframe([{"#": i + 1, "view": v.name, "page": PAGES[v.page][1], "link": v.url()}
                  for i, v in enumerate(seq.views)], hide_index=True, key="pres_table",
                 column_config={"link": st.column_config.LinkColumn("link")})
    # the editor acts on the selected view's id, never on a position: after Up the selection and
    # the rename box follow the view that moved
    sel = st.session_state.get("pres_sel")
    sel = st.session_state["pres_sel"] = sel if sel in ids else view.id
    pos = ids.index(sel)
    c1, c2, c3, c4, c5 = st.columns([3, 1, 1.1, 1, 1.2], vertical_alignment="bottom")
    st.session_state["pres_pick"] = pos
    c1.selectbox("View", range(n), format_func=lambda i: f"{i + 1}. {seq.views[i].name}",
                 key="pres_pick", on_change=_select, args=(ids,))
    c2.button("Up", key="pres_up", on_click=seq.move_view, args=(sel, -1), disabled=pos == 0,
              icon=":material/arrow_upward:")
    c3.button("Down", key="pres_down", on_click=seq.move_view, args=(sel, 1), disabled=pos == n - 1,
              icon=":material/arrow_downward:")
    c4.button("Copy", key="pres_duplicate", on_click=_duplicate, args=(sel,),
              icon=":material/content_copy:", help="Duplicate the view, to vary it.")
    c5.button("Remove", key="pres_remove", on_click=_remove, args=(sel,), icon=":material/delete:")
    held, e1, e2 = seq.get(sel), *st.columns(2)
    st.session_state[f"pres_name_{sel}"] = held.name
    e1.text_input("Title", key=f"pres_name_{sel}", on_change=_edit,
                  args=(seq.rename, sel, f"pres_name_{sel}"))
    e1.text_area("Caption (yours; the counts and source stay under it)", key=f"pres_note_{sel}",
                 value=held.note, on_change=_edit, args=(seq.set_note, sel, f"pres_note_{sel}"),
                 height=68, max_chars=300)
    e2.multiselect("State this view holds (remove what it should not)", list(held.params),
                   default=list(held.params), key=f"pres_state_{sel}", on_change=_edit,
                   args=(seq.keep_params, sel, f"pres_state_{sel}"),
                   format_func=lambda k, p=dict(held.params): describe_param(k, p[k]),
                   placeholder="No filters: the page as it opens")
    e2.download_button("Save sequence (.json)", seq.to_json(), "asemus-sequence.json",
                       "application/json", key="pres_save", icon=":material/download:")
    up = st.file_uploader("Load a sequence (.json)", type=["json"], key="pres_upload")
    if up is not None and st.session_state.get("pres_loaded") != up.file_id:
        try:
            ui.set_sequence(Sequence.from_json(up.getvalue(), file=up.name))
            st.session_state["pres_loaded"] = up.file_id
            st.rerun()
        except InputError as exc:
            st.error(md(exc))
    ui.stored_sequences_panel(seq)

    st.subheader("Conference pack")
    chrome = pack.find_chrome()
    st.caption("One zip for the whole sequence: every chart as PNG and SVG with its caption, the "
               "data as CSV with its source line, an offline HTML page per chart (opens from a USB "
               "stick with no network), and a PowerPoint deck with one slide per chart.")
    images = st.checkbox("Include PNG/SVG images and slide pictures", value=chrome is not None,
                         key="pres_images", disabled=chrome is None,
                         help=None if chrome else "No Chrome/Chromium found: install Debian's "
                         "chromium (or set BROWSER_PATH) to render images.")
    if st.button("Build the conference pack", key="pres_build", icon=":material/inventory_2:"):
        with st.status("Building the conference pack...", expanded=True) as status:
            data, report = slides.sequence_pack(ui.con(), seq.views, images=images,
                                                progress=status.write)
            st.session_state["pres_pack"] = data
            status.update(label=f"Pack built in {report.seconds:.0f} s: {len(report.files)} files",
                          state="complete", expanded=False)
        for s in report.skipped:
            st.warning(f"Skipped: {s}")
    if st.session_state.get("pres_pack"):
        st.download_button("Download the conference pack (.zip)", st.session_state["pres_pack"],
                           "asemus-conference-pack.zip", "application/zip", key="pres_dl_pack",
                           icon=":material/download:", type="primary")
