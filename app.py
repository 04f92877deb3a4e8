"""ASEMUS collections dashboard: the router. Each page is one script in pages/."""
import os
import time
from pathlib import Path

import streamlit as st

T0, CPU0 = time.perf_counter(), time.thread_time()  # for ASEMUS_RUN_LOG, below
HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
ICON = HERE / "static" / "favicon.png"  # local: a :material/ icon would be fetched from a font CDN

st.set_page_config(page_title="ASEMUS collections", page_icon=str(ICON), layout="wide")
pages = {
    "overview": st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:",
                        default=True),
    "collections_map": st.Page(PAGES / "collections_map.py", title="Collections map",
                               icon=":material/map:"),
    "network": st.Page(PAGES / "network.py", title="Collaboration network", icon=":material/hub:"),
    "exhibitions": st.Page(PAGES / "exhibitions.py", title="Exhibitions & visitors",
                           icon=":material/event:"),
    "masterpieces": st.Page(PAGES / "masterpieces.py", title="Masterpieces & experts",
                            icon=":material/collections:"),
    "presentation": st.Page(PAGES / "presentation.py", title="Present", icon=":material/slideshow:"),
    "data": st.Page(PAGES / "data.py", title="Data & sources", icon=":material/database:"),
}
current = st.navigation({
    "Network": [pages[k] for k in ("overview", "collections_map", "network", "exhibitions",
                                   "masterpieces")],
    "Present & data": [pages["presentation"], pages["data"]],
})
# ASEMUS_RUN_LOG=FILE: one line per run (end time, page, wall and script-thread CPU seconds), so
# benchmarks.load can tell the server's time per page run from the browser's drawing time
RUN_LOG = os.environ.get("ASEMUS_RUN_LOG")
try:
    current.run()
finally:
    if RUN_LOG:
        with open(RUN_LOG, "a", encoding="utf-8") as log:
            log.write(f"{time.time():.3f}\t{current.url_path or '/'}\t"
                      f"{time.perf_counter() - T0:.4f}\t{time.thread_time() - CPU0:.4f}\n")
