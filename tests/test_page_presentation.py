"""The Present page: sample sequence, stepping, saving views from pages, JSON round trip,
presentation mode and the conference pack."""
from __future__ import annotations

import io
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from asemus_data import slides
from asemus_data.presentation import Sequence, View


@pytest.fixture()
def at(built_store, clear_streamlit_caches):
    app = AppTest.from_file("../app.py", default_timeout=180)
    app.run()
    return app


def test_empty_state_then_sample_and_stepping(at):
    at.switch_page("pages/presentation.py").run()
    assert not at.exception
    assert any("No views saved" in i.value for i in at.info)
    at.button(key="pres_sample").click().run()
    assert not at.exception
    assert at.header[0].value == "The network at a glance"
    assert at.button(key="pres_prev").disabled
    at.button(key="pres_next").click().run()
    assert at.header[0].value.startswith("Japanese prints in European museums")
    caption = " ".join(m.value for m in at.markdown)
    assert "Museums in Europe holding prints from Japan, 1600 to 1900" in caption
    assert "illustrative (not real)" in caption
    assert len(at.get("plotly_chart")) == 2
    for _ in range(3):
        at.button(key="pres_next").click().run()
    assert at.header[0].value == "The Virtual Collection of Masterpieces"
    assert at.button(key="pres_next").disabled


def test_save_views_from_pages_and_reorder(at):
    at.switch_page("pages/network.py").run()
    at.text_input(key="sv_name").input("Who bridges").run()
    at.button(key="sv_save").click().run()
    at.switch_page("pages/collections_map.py").run()
    at.multiselect(key="flt_regions").set_value(["Europe"]).run()
    at.button(key="sv_save").click().run()
    seq = at.session_state["asemus_sequence"]
    assert [v.page for v in seq.views] == ["network", "collections_map"]
    assert seq.views[0].name == "Who bridges"
    assert seq.views[1].params.get("region") == "Europe"
    at.switch_page("pages/presentation.py").run()
    assert not at.exception
    at.selectbox(key="pres_pick").set_value(1).run()
    at.button(key="pres_up").click().run()
    assert [v.page for v in at.session_state["asemus_sequence"].views] == ["collections_map", "network"]
    saved = Sequence.from_json(at.session_state["asemus_sequence"].to_json())
    assert saved.views[0].url() == "/collections_map?region=Europe"


def test_presentation_mode_hides_chrome(at):
    at.session_state["asemus_sequence"] = Sequence("t", [View("A view", "overview"),
                                                         View("Ties", "network")])
    at.switch_page("pages/presentation.py").run()
    assert "pres_next_clicker" not in [b.key for b in at.button]  # clicker keys: presenting only
    at.toggle(key="pres_mode").set_value(True).run()
    assert not at.exception
    html = [h.proto.body for h in at.get("html")]
    assert any('stSidebar"]' in h and "display: none" in h for h in html)
    assert not at.sidebar.text_input  # no sidebar filters drawn
    assert at.header[0].value == "A view"
    # the Overview has three charts; a slide shows two, each stretched to the row's height
    assert len(at.get("plotly_chart")) == slides.SLIDE_CHARTS == 2
    assert len(at.metric) >= 4  # the headline cards
    # keyboard: arrows on Next / Previous, and a clicker's PageDown / PageUp
    assert at.button(key="pres_next").proto.shortcut.lower() == "right"
    assert at.button(key="pres_prev").proto.shortcut.lower() == "left"
    assert at.button(key="pres_prev_clicker").proto.shortcut.lower() == "pageup"
    at.button(key="pres_next_clicker").click().run()
    assert at.header[0].value == "Ties"
    assert not at.metric  # no cards on a slide that is not the Overview
    at.button(key="pres_prev_clicker").click().run()
    assert at.header[0].value == "A view"


def test_pack_builds_from_the_page(at):
    at.session_state["asemus_sequence"] = Sequence("t", [View("O", "overview"), View("N", "network"),
                                                         View("E", "exhibitions")])
    at.switch_page("pages/presentation.py").run()
    at.checkbox(key="pres_images").uncheck().run()
    at.button(key="pres_build").click().run(timeout=300)
    assert not at.exception
    data = at.session_state["pres_pack"]
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    assert "slides.pptx" in names and "README.txt" in names
    assert {"o/membership.html", "n/topology.csv", "e/visitors.csv"} <= set(names)
    from pptx import Presentation
    assert len(Presentation(io.BytesIO(z.read("slides.pptx"))).slides) == 1 + 3 + 2 + 2
