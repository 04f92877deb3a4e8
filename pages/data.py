"""Data & sources: every table with its provenance and completeness, the import log, the member
survey template, and checked uploads (written to the store by staff only)."""
import streamlit as st

import ui
from asemus_data import access, browse, identity, labels, open_data, quality, storefile
from asemus_data.errors import InputError, StoreBusy
from asemus_data.importer import (
    check_bytes,
    check_workbook_bytes,
    import_bytes,
    import_partial_bytes,
    import_workbook_bytes,
)
from asemus_data.schemas import TABLES, column_info
from asemus_data.store import import_log
from asemus_data.template import template_bytes
from asemus_data.text import md, md_url

WORKBOOK = "(survey workbook)"  # the upload choice that takes every sheet at once



@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _stats(name: str, who: str, version: str, _cur) -> dict:
    return browse.table_stats(_cur, name, who)


@st.fragment
def _rows(name: str, who: str, n: int) -> None:
    """One page of rows (LIMIT/OFFSET), and downloads built on click: paging reruns only this."""
    who = ui.audience()  # a fragment rerun keeps its old arguments: a sign-in may have expired
    st.markdown(f"**Rows** ({n:,})")
    if not n:
        st.info("This table is empty in the current store.")
        return
    pages = browse.page_count(n)
    if st.session_state.get("data_page", 1) > pages:
        st.session_state["data_page"] = 1
    number = st.number_input(f"Page (of {pages:,}; {browse.PAGE_ROWS:,} rows each)", 1, pages,
                             key="data_page")
    ui.dataframe(browse.page(ui.con(), name, number, who), hide_index=True, key="data_rows",
                 column_config={"source": st.column_config.LinkColumn("source")})
    # the callables run on click: each reads through a cursor of its own, in the store's
    # catalog (a bare cur.cursor() would open DuckDB's empty default catalog)
    cur = ui.con()
    d1, d2, d3, _ = st.columns([1, 1, 1, 3])
    d1.download_button("CSV", lambda: browse.csv_download(storefile.cursor(cur), name, who),
                       f"asemus-{name}.csv", "text/csv", key="data_dl_csv",
                       icon=":material/download:")
    d2.download_button("Parquet", lambda: browse.parquet_download(storefile.cursor(cur), name, who),
                       f"asemus-{name}.parquet", "application/vnd.apache.parquet",
                       key="data_dl_parquet", icon=":material/download:")
    if why := browse.excel_refusal(name, n):
        d3.caption(why)
    else:
        d3.download_button("Excel", lambda: browse.xlsx_download(storefile.cursor(cur), name, who),
                           f"asemus-{name}.xlsx", key="data_dl_xlsx", icon=":material/download:")


ui.sidebar_filters(holdings=False, page="data")
st.title("Data & sources")
st.caption("Every row carries its source and a status: documented (from a cited public source), "
           "imported (from a member's file), illustrative or synthetic (not real; always marked).")
tab_tables, tab_upload, tab_log, tab_survey = st.tabs(
    ["Tables", "Check & import a file", "Import log", "Member survey"])

with tab_tables:
    ui.dataframe(quality.table_overview(ui.con()), hide_index=True, key="data_overview")
    name = st.selectbox("Table", list(TABLES), key="data_table",
                        format_func=lambda t: f"{TABLES[t].title} ({t})")
    st.write(TABLES[name].description)
    who = ui.audience()  # personal rows and columns are dropped where the data is read
    stats = _stats(name, who, ui.store_version(), ui.con())
    if hidden := stats["hidden"]:
        st.info(f"{hidden:,} row(s) of this table hold personal data (experts' names and contacts) "
                "and are shown to signed-in staff only.", icon=":material/lock:")
        if ui.staff_login("data_rows_pw"):
            st.rerun()  # read the table again, now as staff
    c1, c2 = st.columns(2)
    with c1:
        st.markdown("**Status mix**")
        ui.dataframe(stats["status_mix"], hide_index=True, key="data_mix")
        st.markdown("**Completeness** (missing values per column)")
        ui.dataframe(stats["completeness"], hide_index=True, key="data_completeness",
                     column_config={"filled": st.column_config.ProgressColumn(
                         "filled", format="percent", min_value=0, max_value=1)})
    with c2:
        st.markdown("**Sources**")
        ui.dataframe(stats["sources"], hide_index=True, key="data_sources",
                     column_config={"source": st.column_config.LinkColumn("source", width="large")})
        if credit := open_data.credit(list(stats["sources"]["source"].astype(str))):
            st.caption(f"Credit (the licence asks for it): {md(credit)}; "  # open data shipped
                       f"{md_url(open_data.LICENCE_URL)}")
    _rows(name, who, stats["rows"])
    st.markdown("**Completeness by country** (coordinates, dates, visitor figures)")
    ui.dataframe(quality.completeness_by_country(ui.con()), hide_index=True, key="data_by_country")

with tab_upload:
    st.write("Check a file before it goes in: every problem is listed with its row, column, value "
             "and the rule it breaks. Nothing is written until staff confirm, and then all rows or none.")
    up_table = st.selectbox("Table the file holds", [*TABLES, WORKBOOK], key="data_up_table",
                            format_func=lambda t: TABLES[t].title if t in TABLES else
                            "Every sheet of the member survey workbook (institutions first)")
    whole = up_table == WORKBOOK
    upload = st.file_uploader("File (CSV, Excel, Parquet, GeoJSON)", key="data_upload",
                              type=["csv", "tsv", "txt", "xlsx", "xlsm", "parquet", "geojson", "json"])
    mapping = st.file_uploader("Mapping file (optional, YAML or TOML)", key="data_mapping",
                               type=["yaml", "yml", "toml"])
    v = None
    if upload is not None:
        m_bytes = mapping.getvalue() if mapping is not None else None
        try:
            v, n_rows = (check_workbook_bytes(upload.getvalue(), upload.name, mapping=m_bytes)
                         if whole else check_bytes(upload.getvalue(), upload.name, up_table,
                                                   mapping=m_bytes,
                                                   mapping_name=mapping.name if mapping else None))
        except InputError as exc:
            st.error(f"The file cannot be read: {len(exc.issues)} problem(s).")
            ui.dataframe([i.as_dict() for i in exc.issues], key="data_read_errors")
    if v is not None:
        if v.ok:
            st.success(f"{md(upload.name)}: {n_rows:,} rows, valid for '{up_table}'.")
        else:
            st.error(f"{md(upload.name)}: {len(v.errors)} problem(s); nothing can be written until "
                     "they are fixed.")
            ui.dataframe([i.as_dict() for i in v.errors], key="data_errors")
        for w in v.warnings:
            st.warning(md(w))
        if v.date_report:
            d = v.date_report
            st.caption(f"Dates: {d['parsed']} of {d['total']} read; {d.get('open', 0)} with one year "
                       f"left open (e.g. 'after 1850'); {d['undated']} undated; "
                       f"{d['unparsed']} kept as written (not parsed).")
        st.markdown("**Preview** (first 50 rows as they would be stored)")
        ui.dataframe(v.frame.head(50), key="data_preview")
        partial = st.checkbox("Import the clean rows and download the refused ones",
                              key="data_partial", help="The refused rows come back as a CSV with "
                              "their row and reasons: fix it and upload it again.")
        replace = st.checkbox("Replace the earlier import of this file", key="data_replace",
                              help="A file already imported into this table is refused (its rows "
                              "would count twice). Tick this to remove the earlier import's rows "
                              "and write these instead, in one step.")
        if ((v.ok or partial) and ui.staff_login("data_staff_pw")
                and st.button("Write the clean rows" if partial else f"Write {n_rows:,} rows",
                              key="data_write", type="primary")):
            try:
                kw = {"mapping": m_bytes, "mapping_name": mapping.name if mapping else None,
                      "replace": replace}
                r = (import_workbook_bytes(upload.getvalue(), upload.name, partial=partial, **kw)
                     if whole else (import_partial_bytes if partial else import_bytes)(
                         upload.getvalue(), upload.name, up_table, **kw))
                if partial:
                    st.session_state["data_rejects"] = (upload.name,
                                                        *r.rejects_download(upload.name))
                st.success(f"Imported {r.rows_written:,} of {r.rows_read:,} rows; "
                           f"{r.rows_refused if partial else 0:,} refused; logged.")
            except (InputError, StoreBusy) as exc:
                st.error(f"Nothing was written: {md(exc)}")
        rejects = st.session_state.get("data_rejects")
        if partial and rejects and rejects[0] == upload.name:
            st.download_button("Download the refused rows (with _row and _reasons)", rejects[2],
                               rejects[1], rejects[3], key="data_dl_rejects", on_click="ignore",
                               icon=":material/download:")

    pending = identity.pending_review(ui.con())
    if len(pending):
        st.subheader("Institutions held for review")
        st.caption("These imported rows look like institutions already in the store (same city, "
                   "similar name) and were not written. Decide for each: merge (the same "
                   "institution: fill its empty fields, keep its identifiers), new (a different "
                   "one) or skip; leave empty to decide later.")
        edited = st.data_editor(
            pending.drop(columns=["data"]), hide_index=True, key="data_review",
            disabled=[c for c in pending.columns if c != "decision"],
            column_config={"decision": st.column_config.SelectboxColumn(
                "decision", options=list(identity.DECISIONS))})
        if ui.staff_login("data_review_pw") and st.button("Apply the decisions",
                                                          key="data_review_apply"):
            try:
                n = identity.apply_review_to_store(edited[["review_id", "decision"]])
                ui.reset_store()  # after the write: a reset before it could refill from the old file
                st.success(", ".join(f"{k}: {v}" for k, v in n.items()))
            except (InputError, StoreBusy) as exc:
                st.error(f"Nothing was written: {md(exc)}")

with tab_log:
    log = import_log(ui.con())
    if log.empty:
        st.info("No file has been imported into this store yet.")
    else:  # notes quote cell values and file names can name a person: staff only
        ui.dataframe(log if ui.is_staff() else log.drop(columns=list(access.LOG_PRIVATE_COLUMNS),
                                                        errors="ignore"),
                     hide_index=True, key="data_log")

with tab_survey:
    st.write("The workbook a member museum fills in: one sheet per table, each column described, "
             "allowed values as drop-downs, an example row. A filled workbook imports as it is "
             "(under 'Check & import a file', choose 'Every sheet of the member survey "
             "workbook': institutions first, all sheets in one step).")
    # built on click (openpyxl, ~0.1 s), not on every run of the page
    st.download_button("Download the survey workbook (.xlsx)", template_bytes,
                       "asemus-member-survey.xlsx", key="data_dl_template", icon=":material/download:")
    survey_table = st.selectbox("Columns of", [t for t, s in TABLES.items() if s.survey],
                                key="data_survey_table")
    ui.dataframe(labels.column_sheet(column_info(survey_table)), hide_index=True,
                 key="data_columns")
