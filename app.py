"""ASEMUS collections dashboard: the router. Each page is one script in pages/."""
from pathlib import Path

import streamlit as st

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
current.run()
