"""Overview: the network at a glance, every figure with its source."""
import streamlit as st

import ui
from asemus_data import geo, overview, queries
from asemus_data.figures import timeline
from asemus_data.figures.basemap import MEMBER_COLORS
from asemus_data.figures.overview import institutions_deck, institutions_sentence
from asemus_data.filters import Filters
from asemus_data.presentation import page_state
from asemus_data.text import md, md_url


# Computed once per filter state and store file for every session, bounded: most visits open
# the Overview with the same filters (none), so they query and build nothing. The results are
# shared objects (st.cache_resource, not copied per run): read-only here. A new store file (an
# import) is a new version, so it misses.
@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _selection(f: Filters, version: str, _cur):
    return overview.headlines(_cur, f), queries.institutions(_cur, f), queries.summary(_cur, f)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=3600)
def _timelines(version: str):
    counts, meetings = ui.table("membership_counts"), ui.table("meetings")
    return {"members": timeline.membership_figure(counts),
            "members_text": timeline.membership_sentence(counts),
            "conflicts": overview.membership_conflicts(counts),
            "conferences": timeline.conferences_timeline(meetings),
            "conferences_text": timeline.conferences_sentence(meetings)}


# only the filters this sidebar shows: holdings filters set on the Collections map stay out
shown = ui.sidebar_filters(holdings=False, page="overview")
f = Filters.from_query(page_state("overview", shown.to_query()))[0]
st.title("Asia-Europe Museum Network at a glance")
st.caption("ASEMUS links museums in Asia and Europe that hold Asian collections. Figures below are "
           "transcribed from public sources (hover a figure for its source). "
           + overview.FOUNDING_NOTE)

heads, inst, s = _selection(f, ui.store_version(), ui.con())
for row in (heads[:4], heads[4:]):
    for col, h in zip(st.columns(4), row):
        col.metric(h.label, h.value, help=f"{md(h.detail)}. Source: {md_url(h.source)}", border=True)
        col.caption(md(h.detail))

group = overview.network_groups(inst)
net_inst, n_other = inst[group != "other"], int((group == "other").sum())
st.subheader("Where the network's institutions are")
if net_inst.empty:
    ui.empty_state(f, "institution")
else:
    st.pydeck_chart(institutions_deck(net_inst), height=460, key="ov_map")
    st.markdown(" ".join(
        f"<span style='color:rgb({c[0]},{c[1]},{c[2]})'>&#9679;</span> {label} "
        f"({int((net_inst.member_status == label).sum())})" for label, c in MEMBER_COLORS.items()),
        unsafe_allow_html=True)  # labels are our own constants, not data
    st.caption(md(institutions_sentence(net_inst)) + " " + md(geo.coordinate_sources_text(net_inst))
               + " Source: institutions table; each row cites the page that documents the "
               "institution's ASEMUS role. Hover a point for details.")
with st.expander("Who counts as an ASEMUS member, and on what evidence"):
    st.caption("The same classification on every page: a member "
               "is stated as one by a source; a documented participant has an ASEMUS role, or a "
               "source names it in an ASEMUS activity. Weak evidence (a picture caption, an "
               "ambiguous source) is labelled so.")
    ui.dataframe(overview.membership_table(inst), hide_index=True, key="ov_membership",
                 column_config={"source": st.column_config.LinkColumn("source")})
if n_other:
    st.caption(f"{n_other:,} other institutions (not ASEMUS members or documented participants, "
               "e.g. from a national register) match the filters and are not drawn here; the "
               "Collections map shows those holding objects or stated to hold Asian collections.")

st.subheader("Membership over time")
tl = _timelines(ui.store_version())
st.plotly_chart(tl["members"], key="ov_members")
st.caption(md(tl["members_text"]))
for note in tl["conflicts"]:
    st.caption(f"Sources disagree for {md(note)}; both are shown.")

st.subheader("General Conferences")
st.plotly_chart(tl["conferences"], key="ov_conferences")
st.caption(md(tl["conferences_text"]) + " Paris 2010 is the '4th General Conference' in ASEMUS pages and "
           "the 'Network's 10th' in "
           "an ASEF page; conferences are said to be biennial (ASEF) or triennial (press, 2012). "
           "Source: meetings table.")

st.subheader("Holdings")
st.markdown(md(queries.summary_sentence(s)))
ui.illustrative_note(s["illustrative_share"] + s["synthetic_share"])
st.page_link("pages/collections_map.py", label="Explore holdings on the Collections map",
             icon=":material/map:")
