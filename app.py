"""ASEMUS collections dashboard: the router. Each page is one script in pages/."""
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
ICON = HERE / "static" / "favicon.png"  # local: a :material/ icon would be fetched from a font CDN

st.set_page_config(page_title="ASEMUS collections", page_icon=str(ICON), layout="wide")
navigation = st.navigation({
    "Network": [
        st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(PAGES / "collections_map.py", title="Collections map", icon=":material/map:"),
        st.Page(PAGES / "network.py", title="Collaboration network", icon=":material/hub:"),
        st.Page(PAGES / "exhibitions.py", title="Exhibitions & visitors", icon=":material/event:"),
        st.Page(PAGES / "masterpieces.py", title="Masterpieces & experts", icon=":material/collections:"),
    ],
    "Data": [
        st.Page(PAGES / "data.py", title="Data & sources", icon=":material/database:"),
    ],
})
navigation.run()
