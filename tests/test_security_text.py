"""Values from data are shown as the characters they are: asemus_data.text.md for every element
that reads Markdown (checked with a CommonMark parser and against Streamlit's own extension
patterns), plain text in tooltips (escaped exactly once, by Streamlit), slides and the pack."""
from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from asemus_data import text

HOSTILE = {
    "html": "<b>bold</b><script>alert(1)</script><img src=x onerror=alert(1)>",
    "markdown": "**bold** _it_ [click here](http://evil.example) # head\n- item\n> quote `code`",
    "latex": "$x^2$ and $$\\frac{1}{2}$$ cost $5",
    "colour": ":red[alarm] :blue-background[x] :small[s] :help[h]",
    "material": ":material/home: :material/warning:",
    "emoji": ":smile: :+1: :tada:",
    "entity": "&lt;script&gt; &amp; &#x27;",
    "autolink": "www.evil.example <http://evil.example> jane@x.org",
    "backslash": "C:\\new\\table \\*",
}
CONTROL = "a\x00b\x07c\x1bd\u202eevil\u2066e\x7ff"
STATIC = Path(streamlit.__file__).parent / "static" / "static" / "js"


def _visible(markdown: str) -> str:
    """What CommonMark renders ``markdown`` to, as text a reader sees (tags dropped, entities
    decoded); None when the output holds any element besides the paragraph."""
    out = MarkdownIt("commonmark").enable("strikethrough").render(markdown).strip()
    assert out.startswith("<p>") and out.endswith("</p>") and out.count("<") == 2, out
    return html.unescape(out[3:-4])


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_md_renders_the_characters_as_written(kind):
    value = HOSTILE[kind]
    assert _visible(text.md(value)) == text.one_line(value)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_md_defeats_streamlits_own_extensions(kind):
    """The patterns Streamlit's markdown element applies to its source before and beside
    CommonMark (copied from its frontend; test_streamlit_patterns_are_still_these pins them)."""
    out = text.md(HOSTILE[kind])
    assert ":material/" not in out                                   # icon rewrite
    assert not re.search(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", out)  # emoji plugin load
    assert not re.search(r"(?<!\\)\$", out)                          # math
    assert not re.search(r"(?<!\\):\w", out)                         # :red[...] directives
    assert not re.search(r"(?<!\\)[<>\[\]*_`]", out)


def test_streamlit_patterns_are_still_these():
    """Fails the day Streamlit changes how its markdown reads these extensions or how its deck
    tooltips escape values: then text.md / basemap.tooltip_text must be checked again."""
    bundle = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                       for p in STATIC.glob("StreamlitMarkdown*.js"))
    assert r"/:(?!material\/|streamlit:)[\w+-][\w_+-]*:/" in bundle
    assert "replaceAll(`:material/`,`:material_`)" in bundle
    assert r"\\[\\$`]" in bundle  # an escaped $ is not math
    deck = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in STATIC.glob("DeckGlJsonChart*.js"))
    # html tooltips: every {value} is HTML-escaped (& < > " ') before it is put in the template
    assert re.search(r"\.html=\w+\(\w+,\w+\.html,!0\)", deck)
    assert '"&":`&amp;`,"<":`&lt;`,">":`&gt;`' in deck


def test_control_and_bidi_characters_are_made_visible():
    shown = text.plain(CONTROL)
    assert shown == "a\ufffdb\ufffdc\ufffdd\ufffdevil\ufffde\ufffdf"
    assert text.md("x\ny\tz\r\nw") == "x y z w"
    assert text.plain(None) == text.md(float("nan")) == text.md(pd.NA) == ""


def test_md_url_link_text_is_the_url():
    out = text.md_url("https://example.org/a_(b)?q=1")
    rendered = MarkdownIt("commonmark").render(out)
    assert re.fullmatch(r'<p><a href="([^"]+)">([^<]+)</a></p>\s*', rendered).groups() == (
        "https://example.org/a_%28b%29?q=1", "https://example.org/a_(b)?q=1")
    crafted = "[Official ASEF page](http://evil.example)"
    assert _visible(text.md_url(crafted)) == crafted                  # not a link at all
    assert "](" not in text.md_url("javascript:alert(1)")


def test_notice_summary_groups_and_caps():
    notices = [f"Ignored country 'X{i}' in the link: unknown." for i in range(1500)]
    s = text.notice_summary(notices + notices)
    assert s.startswith("1,500 notices: ") and s.endswith("and 1,495 more.") and len(s) < 1200
    assert text.notice_summary(["one"]) == "one" and text.notice_summary([]) == ""


def test_html_text_for_plotly():
    assert text.html_text("<a href='x'>A & B</a>\x00") == "&lt;a href='x'&gt;A &amp; B&lt;/a&gt;\ufffd"
    from asemus_data.figures import masterpieces as figs
    fig = figs.makeup_figure(pd.DataFrame({"label": ["<b>Evil</b>"], "n": [3]}), "By origin")
    assert list(fig.data[0].y) == ["&lt;b&gt;Evil&lt;/b&gt;"]


def test_no_md_escape_left_elsewhere():
    """One helper: the old masterpieces.md_escape is gone."""
    from asemus_data import masterpieces
    assert not hasattr(masterpieces, "md_escape")


# --- in the app ----------------------------------------------------------------------------------
HOST = "**Bold** $x$ :red[r] :material/home: :smile: <b>tag</b> \x07"
SOURCE = "[Official ASEF page](http://evil.example)"


@pytest.fixture()
def hostile_store(fresh_store):
    con = duckdb.connect(str(fresh_store))
    ex_id = con.execute("SELECT id FROM exhibitions ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE exhibitions SET notes = ?, lenders = ?, curators = ?, source = ? WHERE id = ?",
                [HOST + " notes", HOST + " lenders", HOST + " curators", SOURCE, ex_id])
    con.execute("UPDATE institutions SET name = ? WHERE id = 'british-museum'",
                ["<b>British</b> **Museum** $1$"])
    title = "<a href='http://evil.example'>Click</a> <b>Show</b>"
    con.execute("UPDATE exhibitions SET title = ? WHERE id = ?", [title, ex_id])
    con.close()
    return fresh_store, title


def _bodies(at) -> list[str]:
    return [str(e.value) for kind in ("markdown", "caption", "info", "warning", "header",
                                      "subheader", "title") for e in getattr(at, kind)]


def test_exhibition_detail_shows_data_as_written(hostile_store, monkeypatch, clear_streamlit_caches):
    path, title = hostile_store
    monkeypatch.setenv("ASEMUS_STORE", str(path))
    at = AppTest.from_file("../app.py", default_timeout=120).run()
    at.switch_page("pages/exhibitions.py").run()
    at.selectbox(key="exh_detail").set_value(title).run()
    assert not at.exception
    bodies = "\n".join(_bodies(at))
    for field in ("notes", "lenders", "curators"):
        assert text.md(f"{HOST} {field}") in bodies
    assert HOST.strip() not in bodies and "**Bold**" not in bodies
    assert f"**Sources:** {text.md(SOURCE)}" in bodies  # a crafted source: no attacker link text
    # charts: plotly reads tags in its text; the title is escaped once there
    specs = " ".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
                     for c in at.get("plotly_chart"))
    assert "<a href='http://evil" not in specs and "<b>Show" not in specs
    assert "&lt;a href='http://evil.example'&gt;Click&lt;/a&gt;" in specs
    # the map's tooltips: markup in the template only, values as written (escaped once by Streamlit)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["html"] == "<b>{tip_title}</b><br>{tip_body}"
    values = json.dumps([r for lyr in deck["layers"] if isinstance(lyr.get("data"), list)
                         for r in lyr["data"]])
    assert "&lt;" not in values and "&amp;" not in values and "<br>" not in values


def test_hostile_names_on_the_overview_and_map(hostile_store, monkeypatch, clear_streamlit_caches):
    path, _ = hostile_store
    monkeypatch.setenv("ASEMUS_STORE", str(path))
    at = AppTest.from_file("../app.py", default_timeout=120).run()
    assert not at.exception
    deck = at.get("deck_gl_json_chart")[0]
    layers = json.loads(deck.proto.json)["layers"]  # institutions, then the place labels on top
    assert any("<b>British</b> **Museum** $1$" in json.dumps(layer.get("data")) for layer in layers)
    assert "&lt;b&gt;" not in deck.proto.json  # never escaped before Streamlit's own escape


def test_view_name_and_note_are_text(built_store, monkeypatch, clear_streamlit_caches):
    from asemus_data.presentation import Sequence, View
    monkeypatch.setenv("ASEMUS_STORE", str(built_store))
    at = AppTest.from_file("../app.py", default_timeout=120).run()
    name = ":red[Hacked] **view** $\\pi$ :material/home: <i>x</i>"
    at.session_state["asemus_sequence"] = Sequence(views=[View(name=name, page="overview",
                                                               params={}, note="_note_ :smile:")])
    at.switch_page("pages/presentation.py").run()
    assert not at.exception
    assert text.md(name) in [h.value for h in at.header]
    assert text.md("_note_ :smile:") in [m.value for m in at.markdown]


def test_pack_slides_accept_control_characters():
    import plotly.graph_objects as go
    from pptx import Presentation

    from asemus_data.pack import Chart, build_pack
    chart = Chart("c", "Chart", go.Figure(go.Bar(x=[1], y=[1])), pd.DataFrame({"a": [1]}),
                  "caption\x00", "source\x1b", "summary\x07")
    data, _ = build_pack([(CONTROL, "cap", [chart])], images=False)
    prs = Presentation(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("slides.pptx")))
    titles = [s.shapes.title.text for s in prs.slides]
    assert any(t.startswith(text.plain(CONTROL)) for t in titles)


# --- in a real browser: Streamlit's own Markdown, math, directive and emoji plugins ---------------
BROWSER_APP = '''
import json, sys
sys.path.insert(0, {root!r})
import streamlit as st
from asemus_data.text import md
for i, v in enumerate(json.loads({cases!r})):
    with st.container(key=f"case{{i}}"):
        st.markdown(md(v))
    with st.container(key=f"cap{{i}}"):
        st.caption("Source: " + md(v))
'''
FORMATTING = ("strong", "em", "img", "script", "h1", "h2", "li", "blockquote", "del", "code",
              "table", ".katex", "[data-testid='stIconMaterial']", "span[style]", "i")


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/lib/chromium/chromium").exists(), reason="no Chromium")
def test_streamlit_renders_md_as_the_characters(tmp_path):
    """Every hostile value reads, in Chromium, exactly as written, with no formatting element;
    a link appears only for a bare URL or e-mail address, its text being the address itself."""
    import subprocess
    import sys

    import browser_support as bs
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
    cases = [*HOSTILE.values(), "# heading", "- item", "1. one", "> quote", "~~strike~~",
             ":color[x]{foreground=red}", CONTROL]
    script = tmp_path / "md_app.py"
    script.write_text(BROWSER_APP.format(root=str(bs.PROJECT), cases=json.dumps(cases)))
    port = bs.free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script),
                               "--server.port", str(port), "--server.headless", "true",
                               "--browser.gatherUsageStats", "false"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(bs.CHROMIUM), args=bs.CHROMIUM_ARGS)
            page = browser.new_page()
            for _ in range(60):
                try:
                    page.goto(f"http://127.0.0.1:{port}/")
                    page.wait_for_selector(f".st-key-cap{len(cases) - 1} p", timeout=2000)
                    break
                except PlaywrightError:  # the server is still starting
                    page.wait_for_timeout(500)
            page.wait_for_timeout(1500)  # plugins (katex, emoji) load lazily
            wrong = []
            for i, value in enumerate(cases):
                for kind, prefix in (("case", ""), ("cap", "Source: ")):
                    box = page.locator(f".st-key-{kind}{i}").first
                    shown = box.inner_text().strip()
                    if shown != prefix + text.one_line(value).strip():
                        wrong.append((kind, value, shown))
                    wrong += [(kind, value, sel) for sel in FORMATTING
                              if box.locator(sel).count()]
                    for a in box.locator("a").all():
                        href, label = a.get_attribute("href") or "", a.inner_text()
                        if label not in href:
                            wrong.append((kind, value, f"link {label!r} -> {href!r}"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert wrong == []
