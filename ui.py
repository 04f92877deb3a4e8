"""Streamlit glue shared by the pages: the store connection, cached loads, the shared filter
sidebar (kept in session state and in the URL), provenance marks and staff mode.

The data package (asemus_data) never imports streamlit; this module is the only bridge.
"""
from __future__ import annotations

import hmac
import logging
import math
import os
import time
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager  # private: see ensure_router

from asemus_data import access, queries, store, vocab
from asemus_data import labels as words  # ui.labels(facet) is a function of its own
from asemus_data import presentation as pr
from asemus_data.errors import InputError, StoreBusy, StoreError
from asemus_data.filters import PERIOD_MAX, PERIOD_MIN, Filters, period_text
from asemus_data.paths import store_path
from asemus_data.presentation import FILTER_LABELS, PAGES, View, describe_state, page_state
from asemus_data.text import md, md_sources, notice_summary

FILTERS_KEY = "asemus_filters"          # canonical filters: owned by no widget
_LOADED_KEY = "asemus_filters_from_url"
STATUS_COLORS = {"documented": "green", "imported": "blue", "illustrative": "orange",
                 "synthetic": "violet"}
STATUS_HELP = {
    "documented": "Transcribed from a cited public source.",
    "imported": "Imported from a member's file (see the import log on the Data page).",
    "illustrative": "Made up to show how the dashboard works: NOT real data.",
    "synthetic": "Generated at scale for benchmarks: NOT real data.",
}


# --- routing -------------------------------------------------------------------------------------
def ensure_router() -> None:
    """Make sure this page runs inside app.py's st.navigation.

    With a pages/ folder beside app.py, a fresh Streamlit server starts in its legacy
    multipage mode, which runs a pages/ script on its own for the first visitor who opens a
    page link directly (no router: wrong menu, narrow layout). app.py's st.navigation turns
    that mode off, but only once it has run. Turn it off here and rerun through the router;
    the same page opens, now with the app's navigation."""
    if PagesManager.uses_pages_directory and not st.session_state.get("asemus_routed"):
        # once per session: AppTest sets the flag again before every run of its own
        st.session_state["asemus_routed"] = True
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- store and cached loads --------------------------------------------------------------------
# The app never holds the store in a way that makes a writer wait: a writer (an import from the
# command line or the Data page, a build, a restore) writes a private copy and moves it over the
# store file, and each run here reads the file the store's path names now. Readers and cached
# loads are keyed by the file's fingerprint (store.version), so a run after an import opens the
# new file and shows the new rows. See docs/ENGINEERING.md, "Sharing the store".
_log = logging.getLogger("asemus.store")
BUSY_MESSAGE = "The data is being updated; try again in a moment."
UNREADABLE_MESSAGE = ("The data cannot be read at the moment. The site's staff have been told "
                      "in the server log; please try again later.")


@st.cache_resource(show_spinner="Opening the data store (built on first use)...", max_entries=2)
def _reader(path: str, version: str) -> store.Reader:
    # one reader per store file; the one for the previous file is dropped from the cache and
    # closes once the last run using it is done
    return store.open_reader(path)  # a file path or a postgresql:// URL (asemus_data.db)


def _unavailable(busy: bool) -> None:
    """Tell the visitor plainly, with no server detail, and stop the run."""
    if busy:
        st.info(BUSY_MESSAGE, icon=":material/hourglass_top:")
    else:
        st.error(UNREADABLE_MESSAGE, icon=":material/error:")
    st.button("Try again", key="store_retry", icon=":material/refresh:")
    st.stop()


def _open():
    """(store version, cursor for this thread); stops the run with a plain message when the
    store cannot be read (a foreign program writing it in place, a damaged file)."""
    try:
        path = store_path()
        version = store.version(path)
        return version, _reader(str(path), version).cursor()
    except StoreBusy:
        _unavailable(busy=True)
    except (InputError, StoreError) as exc:  # details for the operator, never for the visitor
        _log.error("the store cannot be opened: %s", exc)
        _unavailable(busy=False)


def con():
    """A cursor on the store for this thread (cheap; the reader is shared)."""
    return _open()[1]


def store_version() -> str:
    """The store's fingerprint: pass it to any cached load of store data."""
    return _open()[0]


def reset_store() -> None:
    """Drop every cached load (after a write in this process; a new store file is noticed
    anyway, by its fingerprint)."""
    _reader.clear()
    st.cache_data.clear()


def table(name: str, audience: str = access.VISITOR) -> pd.DataFrame:
    """A whole (small) table as ``audience`` may read it (visitors: no personal rows or
    columns; see asemus_data.access). Treat the result as read-only."""
    version, cur = _open()
    return _table(name, audience, version, cur)


@st.cache_data(show_spinner=False, max_entries=64)
def _table(name: str, audience: str, version: str, _cur) -> pd.DataFrame:
    return access.read_table(_cur, name, audience)


def facets() -> dict:
    """Values and labels of every filter, from the store as it is now."""
    version, cur = _open()
    return _facets(version, cur)


@st.cache_data(show_spinner=False, max_entries=4)
def _facets(version: str, _cur) -> dict:
    return queries.facets(_cur)


def labels(facet: str) -> dict[str, str]:
    f = facets()[facet]
    return dict(zip(f["value"], f["label"]))


# --- the shared filters --------------------------------------------------------------------------
_WIDGETS = {
    # field: (widget key, label, help)
    "regions": ("flt_regions", "Region of the holding museum", "ASEM grouping: Asia or Europe."),
    "countries": ("flt_countries", "Country of the holding museum", None),
    "institution_types": ("flt_types", "Institution type", "'unknown' where no source states it."),
    "member_statuses": ("flt_members", "ASEMUS membership",
                        "member: a source states membership; documented role: a documented ASEMUS "
                        "role; not documented: a venue or holder with no documented membership."),
    "origins": ("flt_origins", "Country of origin", None),
    "categories": ("flt_categories", "Category", None),
    "materials": ("flt_materials", "Material", None),
    "statuses": ("flt_statuses", "Data status",
                 "documented, imported, illustrative (not real) or synthetic (not real)."),
}
_HOLDING_FIELDS = ("origins", "categories", "materials", "statuses")
#: Query parameters a page keeps besides the shared filters; another page's are dropped, so
#: the URL (and a saved view) holds exactly the current page's state.
PAGE_PARAMS = {"collections_map": ("layers", "color", "museum", "view"),
               "network": ("institution", "ties", "years", "scope", "reach", "size_by",
                           "color_by", "asof", "net_tab"),
               "masterpieces": ("text", "museums", "cultures", "vcm", "page")}


def current_filters() -> Filters:
    """The filters in force (read from the URL on a session's first run)."""
    if _LOADED_KEY not in st.session_state:
        st.session_state[_LOADED_KEY] = True
        fac = facets()
        known = {"countries": set(fac["countries"]["value"]), "origins": set(fac["origins"]["value"]),
                 "materials": set(fac["materials"]["value"])}
        f, notices = Filters.from_query(dict(st.query_params), facets=known)
        st.session_state[FILTERS_KEY] = f
        notify(notices)
        st.session_state.setdefault("asemus_notices", []).extend(notices)
    return st.session_state.get(FILTERS_KEY, Filters())


def notify(notices, icon: str = ":material/link_off:") -> None:
    """One toast for any number of notices (grouped, counted, the first few listed; see
    asemus_data.text.notice_summary), the text shown as written."""
    if message := notice_summary(notices):
        st.toast(md(message), icon=icon)


def _set(field: str, value) -> None:
    st.session_state[FILTERS_KEY] = replace(current_filters(), **{field: value})


def _on_multi(field: str, key: str) -> None:
    _set(field, tuple(st.session_state[key]))


def _on_period(key: str, lo: int, hi: int) -> None:
    a, b = st.session_state[key]
    _set("period", None if (a, b) == (lo, hi) else (int(a), int(b)))


def _reset() -> None:
    st.session_state[FILTERS_KEY] = Filters()


def _options(field: str) -> tuple[list[str], dict[str, str]]:
    fac = facets()
    if field == "regions":
        return list(vocab.REGIONS), {}
    if field == "institution_types":
        return list(vocab.INSTITUTION_TYPES), {}
    if field == "member_statuses":
        return list(vocab.MEMBER_STATUSES), {}
    if field == "statuses":
        return list(vocab.STATUSES), {}
    f = fac[field]
    return list(f["value"]), dict(zip(f["value"], f["label"]))


def sidebar_filters(*, holdings: bool = True, page: str | None = None) -> Filters:
    """Draw the shared filters in the sidebar and return them. ``holdings`` says whether this
    page shows holdings (origin, category, material, period and data-status filters apply);
    ``page`` is the page's key (its file stem), for saving the view."""
    ensure_router()
    st.session_state["asemus_page"] = page
    own = set(PAGE_PARAMS.get(page, ()))
    for key in {k for keys in PAGE_PARAMS.values() for k in keys} - own:
        if key in st.query_params:
            del st.query_params[key]
    f = current_filters()
    sb = st.sidebar
    sb.markdown("### Filters")
    if notices := st.session_state.pop("asemus_notices", []):
        sb.info(md(notice_summary(notices)), icon=":material/link_off:")
    inst_fields = ("regions", "countries", "institution_types", "member_statuses")
    for field in inst_fields + (_HOLDING_FIELDS if holdings else ()):
        key, label, help_ = _WIDGETS[field]
        options, names = _options(field)
        value = [v for v in getattr(f, field) if v in options]
        st.session_state[key] = value
        sb.multiselect(label, options, key=key, help=help_, placeholder="All",
                       format_func=(lambda v, n=names: n.get(v, v)),
                       on_change=_on_multi, args=(field, key))
    if holdings:
        lo, hi = facets()["period"]
        lo, hi = max(lo, PERIOD_MIN), min(hi, PERIOD_MAX)
        a, b = f.period or (lo, hi)
        st.session_state["flt_period"] = (max(lo, min(a, hi)), min(hi, max(b, lo)))
        sb.slider("Period (overlapping)", lo, hi, key="flt_period", step=10,
                  help="Negative years are BCE. Holdings whose period overlaps the range match; "
                       "at the slider's lowest position (3000 BCE) the start is open: older "
                       "holdings match too. Holdings with no known period drop out once the "
                       "range is narrowed.",
                  on_change=_on_period, args=("flt_period", lo, hi))
        shown = f.period or st.session_state["flt_period"]
        sb.caption(f"Period: {period_text(shown)}"
                   + (" (from the link; beyond the slider)" if shown[0] < PERIOD_MIN else ""))
    else:
        sb.caption("Holdings filters (origin, category, material, period) apply on the "
                   "Collections map and Masterpieces pages; they are kept for when you go there.")
    st.session_state["flt_search"] = f.search
    sb.text_input("Museum name or city", key="flt_search", placeholder="e.g. Leiden",
                  on_change=lambda: _set("search", st.session_state["flt_search"].strip()[:100]))
    f = current_filters()
    if f.active:
        sb.button("Clear all filters", on_click=_reset, icon=":material/filter_alt_off:",
                  key="flt_reset")
    write_query(f)
    _save_view_control(sb)
    return f


def sequence(*, from_link: bool = False):
    """The presentation sequence being built in this session (see the Present page). With
    ``from_link`` (the Present page), a link ``?sequence=<name>[&slide=<n>]`` opens the sequence
    stored under that name (at slide n), once per session and name, so a reload of such a link
    never loses the deck nor the place in it."""
    name = st.query_params.get("sequence") if from_link else None
    if name and st.session_state.get("asemus_sequence_opened") != name:
        try:
            stored = pr.load_sequence(con(), name)
        except InputError as exc:
            stored = None
            st.error(f"The stored sequence '{md(name)}' could not be read: {md(exc)}")
        if stored is None:  # said on every run while the link is broken
            st.warning(f"No sequence is stored under the name '{md(name)}'.", icon=":material/link_off:")
        else:
            st.session_state["asemus_sequence_opened"] = name
            st.session_state["asemus_sequence"] = stored
            slide = st.query_params.get("slide", "")  # a reload mid-talk stays on its slide
            if slide.isdigit() and 1 <= int(slide) <= len(stored.views):
                st.session_state["pres_current"] = stored.views[int(slide) - 1].id
    return st.session_state.setdefault("asemus_sequence", pr.Sequence())


def set_sequence(seq):
    """Make ``seq`` (the sample, a loaded file) this session's sequence; the URL no longer names a
    stored sequence, so a reload does not bring the stored one back over it. Returns ``seq``."""
    st.session_state["asemus_sequence"] = seq
    for key in ("sequence", "slide"):
        if key in st.query_params:
            del st.query_params[key]
    st.session_state.pop("asemus_sequence_opened", None)
    return seq


def stored_sequences_panel(seq) -> None:
    """(Staff) saving ``seq`` in the store under a name, and the stored sequences as links
    anyone can open."""
    if seq.views:
        with st.expander("Keep this sequence in the store (staff)", icon=":material/cloud_upload:"):
            _store_sequence_form(seq)
    saved = pr.stored_sequences(con())
    if saved:
        st.markdown("**Stored sequences** (each opens with its link):\n" + "\n".join(
            f"- [{md(name)}]({pr.sequence_link(name)}) · saved {md(when)}" for name, when in saved))


def _store_sequence_form(seq) -> None:
    if not staff_login("pres_staff_pw"):
        return
    name = st.text_input("Name of the sequence", key="pres_store_name",
                         value=st.query_params.get("sequence", ""), max_chars=80)
    if st.button("Save in the store", key="pres_store_save", icon=":material/save:"):
        try:
            name = pr.save_sequence(seq, name)
        except (InputError, StoreError) as exc:  # a bad name; busy past the wait; damaged
            st.error(md(exc))
            return
        reset_store()  # the next read sees the file just written
        st.query_params["sequence"] = st.session_state["asemus_sequence_opened"] = name
        link = pr.sequence_link(name)
        st.success(f"Saved as '{md(name)}' ({len(seq.views)} views); reopen it with [{md(link)}]({link}).",
                   icon=":material/check:")


def _view_params(page: str) -> tuple[dict[str, str], list[str]]:
    """What a view of ``page`` saved now would hold (the filters that page applies and its own
    state, from the URL), and the labels of the filters in force that it leaves out."""
    url = dict(st.query_params)
    own = set(PAGE_PARAMS.get(page, ()))
    kept = {k: v for k, v in page_state(page, url).items() if k in FILTER_LABELS or k in own}
    return kept, [FILTER_LABELS[k] for k in url if k in FILTER_LABELS and k not in kept]


def _save_view(name_key: str) -> None:
    page = st.session_state.get("asemus_page", "overview")
    if page not in PAGES:
        return
    seq = sequence()
    name = st.session_state.get(name_key, "").strip() or f"{PAGES[page][1]} {len(seq.views) + 1}"
    # a view holds exactly the state its page uses: filters set for another page stay out of it
    seq.views.append(View(name=name[:120], page=page, params=_view_params(page)[0]))
    st.session_state[name_key] = ""
    st.toast(f"Saved '{md(name)}' as view {len(seq.views)} (see the Present page).",
             icon=":material/bookmark_added:")


def _show_view_state() -> None:
    """Fill the save dialog's 'what will be saved' list from the URL as it is now."""
    slot, page = st.session_state.get("_sv_slot"), st.session_state.get("asemus_page")
    if slot is None:
        return
    kept, left_out = _view_params(page)
    lines = describe_state(kept)
    text = "**Saved with the view:**\n" + ("\n".join(f"- {md(x)}" for x in lines) if lines
                                           else "\n- no filters, the page as it opens")
    if left_out:
        text += f"\n\nNot saved (this page does not use them): {', '.join(left_out)}."
    slot.markdown(text)


def _save_view_control(sb) -> None:
    """'Save this view' for the presentation sequence, on every presentable page, with the state
    the view will hold (refreshed when the page writes its own state to the URL)."""
    if st.session_state.get("asemus_page") not in PAGES:
        st.session_state["_sv_slot"] = None
        return
    with sb.popover("Save this view", icon=":material/bookmark_add:", width="stretch"):
        st.text_input("Name of the view", key="sv_name", placeholder="e.g. Japanese prints in Europe")
        st.session_state["_sv_slot"] = st.empty()
        _show_view_state()
        st.button("Add to the presentation", key="sv_save", on_click=_save_view, args=("sv_name",),
                  type="primary")
        st.caption(f"{len(sequence().views)} view(s) saved in this session. Edit a saved view "
                   "(title, caption, the state it holds) on the Present page.")


def bind(state_key: str, field: str, key: str, value, convert=None, *, update=None) -> dict:
    """Keyword arguments that tie widget ``key`` to one field of a page's state object kept in
    ``st.session_state[state_key]`` (owned by no widget, so it survives a page switch): the
    widget shows ``value``; a change by the visitor goes into the state, through ``convert``,
    by ``update(state, field, new)`` (default: ``dataclasses.replace``)."""
    st.session_state[key] = value

    def changed() -> None:
        new = st.session_state[key]
        new = convert(new) if convert else new
        state = st.session_state[state_key]
        st.session_state[state_key] = (update(state, field, new) if update
                                       else replace(state, **{field: new}))
    return dict(key=key, on_change=changed)


def write_query(f: Filters, **extra: str | None) -> None:
    """Put the filters (and any page state in ``extra``) in the URL, so a link reopens the view."""
    wanted = {**f.to_query(), **{k: v for k, v in extra.items() if v not in (None, "")}}
    managed = {"region", "country", "origin", "category", "material", "type", "member", "status",
               "period", "q", *extra}
    current = dict(st.query_params)
    for k in managed:
        if k in current and k not in wanted:
            del st.query_params[k]
    for k, v in wanted.items():
        if current.get(k) != v:
            st.query_params[k] = v
    if extra:  # a page's own state, written after the sidebar: refresh the save dialog's list
        _show_view_state()


def empty_state(f: Filters, what: str = "data", controls: dict | None = None) -> None:
    """Say plainly that nothing matches and which control caused it: the sidebar filters ``f``
    and/or the page's own ``controls`` ({label: value}, see asemus_data.labels.empty_message)."""
    st.info(md(words.empty_message(what, f.describe() if f.active else None, controls)),
            icon=":material/filter_alt_off:")


# --- tables -------------------------------------------------------------------------------------
def column_config(df: pd.DataFrame, given: dict | None = None) -> dict:
    """Streamlit column settings for every column of ``df``: the visitor's label and help from
    asemus_data.labels, merged into the page's own settings in ``given`` (its type, format, a
    label it chose; None hides a column)."""
    given = dict(given or {})
    out = {}
    for col in df.columns:
        base = {"label": words.label(col)}
        if help_ := words.help_text(col):
            base["help"] = help_
        g = given.pop(col, base)
        if g is None:
            out[col] = None
        elif isinstance(g, str):
            out[col] = {**base, "label": g}
        else:  # a label equal to the data name is a placeholder: the vocabulary's word wins
            chosen = {k: v for k, v in dict(g).items() if v is not None}
            if chosen.get("label") in (None, str(col)):
                chosen["label"] = base["label"]
            out[col] = {**base, **chosen}
    return {**given, **out}


_settings = column_config  # ``dataframe`` takes st.dataframe's own ``column_config`` keyword


def dataframe(data, *, where=None, column_config: dict | None = None, placeholder: str = "",
              **kwargs):
    """``st.dataframe`` with the visitor's words: headers and help from asemus_data.labels,
    empty cells blank (never "None"). ``where`` is a container (a column, a tab); default:
    the current one."""
    df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    return (where or st).dataframe(df, column_config=_settings(df, column_config),
                                   placeholder=placeholder, **kwargs)


# --- provenance ----------------------------------------------------------------------------------
def status_badge(status: str) -> None:
    st.badge(status, color=STATUS_COLORS.get(status, "gray"), help=STATUS_HELP.get(status))


def illustrative_note(share: float, what: str = "these holdings") -> None:
    """A visible mark whenever illustrative or synthetic rows are on screen."""
    if share > 0:
        st.warning(f"**Illustrative data:** {share:.0%} of {what} are illustrative, not real. "
                   "Holdings per museum are not public; the layer shows how the map works with "
                   "survey returns. Filter *Data status* to *documented* or *imported* for facts "
                   "only.", icon=":material/science:")


def source_caption(*sources: str) -> None:
    """A 'Source:' caption; URLs are links that show themselves, other text shows as written."""
    st.caption("Source: " + md_sources(sources))


# --- staff mode ----------------------------------------------------------------------------------
def _staff_secret() -> str | None:
    env = os.environ.get("ASEMUS_STAFF_PASSWORD")
    if env:
        return env
    try:
        return st.secrets.get("staff_password")
    except Exception:  # noqa: BLE001 - no or unreadable secrets file (any error): read-only
        return None


#: Session-state keys owned by no widget: when this session signed in (epoch seconds), a
#: message for the sign-in box, this session's wrong-password count.
_STAFF_SINCE, _STAFF_MSG, _STAFF_THROTTLE = "asemus_staff", "asemus_staff_msg", "asemus_staff_throttle"
_STAFF_KEY = "asemus_staff_key"  # which password a sign-in was made with (a digest, not the text)


def _password_digest(secret: str) -> str:
    """A keyed digest of the staff password: a sign-in holds it, so changing the password ends
    every session signed in with the old one."""
    return hmac.new(secret.encode(), b"asemus staff sign-in", "sha256").hexdigest()
#: Wrong staff passwords from every session of this process: a script that opens a new session
#: per guess is slowed down too (after 10 wrong in a row: 1 s, 2 s, 4 s ... up to 15 minutes).
STAFF_THROTTLE = access.Throttle(free=10, base=1.0, cap=900.0)
_staff_log = logging.getLogger("asemus.staff")


def staff_session_hours() -> float:
    """How long a staff sign-in lasts: ASEMUS_STAFF_SESSION_HOURS (default 8)."""
    try:
        hours = float(os.environ.get("ASEMUS_STAFF_SESSION_HOURS", "8"))
    except ValueError:
        return 8.0
    return hours if hours > 0 else 8.0


def _check_staff_password(key: str) -> None:
    """The password box's callback: each password typed is checked once, then cleared from the
    session. Refused without being checked while a wrong-password delay runs. Never logged."""
    typed = st.session_state.get(key) or ""
    st.session_state[key] = ""
    secret = _staff_secret()
    if not typed or not secret:
        return
    mine = st.session_state.setdefault(_STAFF_THROTTLE, access.Throttle(free=3, base=1.0, cap=900.0))
    wait = max(mine.wait("session"), STAFF_THROTTLE.wait("all"))
    if wait > 0:
        st.session_state[_STAFF_MSG] = (f"Too many wrong passwords: wait {math.ceil(wait)} s, then "
                                        "try again. This try was not checked.")
        return
    if hmac.compare_digest(typed.encode(), secret.encode()):
        st.session_state[_STAFF_SINCE] = time.time()
        st.session_state[_STAFF_KEY] = _password_digest(secret)
        mine.succeeded("session")
        STAFF_THROTTLE.succeeded("all")
        return
    n = mine.failed("session")
    STAFF_THROTTLE.failed("all")
    _staff_log.warning("wrong staff password (%d in a row in this session)", n)
    wait = max(mine.wait("session"), STAFF_THROTTLE.wait("all"))
    st.session_state[_STAFF_MSG] = "Wrong password." + (
        f" The next try is checked in {math.ceil(wait)} s." if wait > 0 else "")


def staff_login(key: str) -> bool:
    """A password box when a staff password is configured; True once the right one is given
    (for ``staff_session_hours``). Wrong passwords slow further tries down (access.Throttle)."""
    secret = _staff_secret()
    if not secret:
        # how to set one is in the README (staff setup), not on a page every visitor reads
        st.caption("Read-only: no staff password is configured on this site, so nothing can be "
                   "written here. The site's administrator can set one (see the README).")
        return False
    if is_staff():
        return True
    st.text_input("Staff password", type="password", key=key, on_change=_check_staff_password,
                  args=(key,))
    if msg := st.session_state.pop(_STAFF_MSG, None):
        st.error(msg, icon=":material/lock:")
    return is_staff()


def is_staff() -> bool:
    """True in a signed-in staff session that has not expired (and only while a staff password
    is configured)."""
    since = st.session_state.get(_STAFF_SINCE)
    secret = _staff_secret()
    if not secret or isinstance(since, bool) or not isinstance(since, (int, float)):
        return False
    if not hmac.compare_digest(str(st.session_state.get(_STAFF_KEY, "")),
                               _password_digest(secret)):
        del st.session_state[_STAFF_SINCE]  # signed in with a password that was changed since
        st.session_state[_STAFF_MSG] = "The staff password has changed: sign in again."
        return False
    if time.time() - since > staff_session_hours() * 3600:
        del st.session_state[_STAFF_SINCE]
        st.session_state[_STAFF_MSG] = "Your staff session has expired: sign in again."
        return False
    return True


def audience() -> str:
    """This session's audience for asemus_data.access: staff once signed in, else visitor."""
    return access.STAFF if is_staff() else access.VISITOR
