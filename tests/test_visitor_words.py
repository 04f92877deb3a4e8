"""Every page read as a visitor (no staff sign-in): no snake_case column header, no "None" / "nan"
cell, no dtype names, command lines, environment variables, secrets file or internal path in
what the page shows. The pages are walked through app.py (the router), each on its default tab;
the network page draws only its open tab, so each of its tabs is opened in turn.

Unit tests of the vocabulary (asemus_data.labels) sit at the end.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

PAGES = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py")
               if not p.name.startswith("_"))
NET_TABS = ["Map", "Topology", "One institution", "Over time", "Metrics table", "Export"]
VIEWS = [(p, None) for p in PAGES] + [("network.py", t) for t in NET_TABS]

SNAKE = re.compile(r"^[A-Za-z0-9]+(_[A-Za-z0-9]+)+$")
EMPTY_WORDS = {"None", "nan", "NaN", "<NA>", "NaT", "null"}
URL = re.compile(r"https?://\S+")
#: (what, pattern) pairs that must not reach a visitor
FORBIDDEN = [
    ("a dtype name", re.compile(r"string\[|\[pyarrow\]")),
    ("a table or field name", re.compile(r"\btable \*?people\b|\bkind \*?expert\b")),
    ("a command line", re.compile(r"python -m|streamlit run|\.venv/")),
    ("an environment variable", re.compile(r"\bASEMUS_[A-Z_]+")),
    ("the secrets file", re.compile(r"secrets\.toml")),
    ("an internal path", re.compile(
        r"(?<![\w/])(shared/|\.asemus\b|/tmp/|/work/|\.duckdb\b|\.streamlit/|docs/[\w.-]+|"
        r"data/[\w.-]+\.(csv|json|geojson|xlsx|parquet))")),
]
#: proto fields that carry words shown on screen (charts and decks are checked elsewhere)
TEXT_FIELDS = {"body", "label", "help", "caption", "value", "placeholder", "text", "default",
               "code_text"}


def visit(page: str, tab: str | None = None) -> AppTest:
    """The app as a visitor opens ``page`` (a file in pages/), on ``tab`` of the network page."""
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.run()
    at.switch_page(f"pages/{page}").run()
    if tab is not None:
        at.session_state["net_tab"] = tab
        at.run()
    return at


def _strings(msg) -> list[str]:
    out = []
    for fd, value in msg.ListFields():
        if fd.message_type is not None:
            for v in (value if fd.is_repeated else [value]):
                if hasattr(v, "ListFields") and fd.name not in ("arrow_data", "figure", "spec"):
                    out += _strings(v)
        elif fd.name in TEXT_FIELDS or fd.name == "options":
            out += [v for v in (value if fd.is_repeated else [value])
                    if isinstance(v, str)]
    return out


def visible_text(at: AppTest) -> list[str]:
    """Words on screen: markdown, captions, alerts, headings, metrics, widget labels and help."""
    texts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or getattr(node, "type", "") in ("dataframe", "plotly_chart",
                                                          "deck_gl_json_chart"):
            continue
        texts += _strings(proto)
    return texts


def shown_columns(df_element) -> list[tuple[str, str]]:
    """(column, the header a visitor reads) for each visible column of a dataframe."""
    proto = df_element.proto
    config = json.loads(proto.columns) if proto.columns else {}
    order = list(proto.column_order) or list(df_element.value.columns)
    shown = []
    for col in df_element.value.columns:
        c = config.get(str(col), {})
        if c.get("hidden") or str(col) not in order:
            continue
        shown.append((str(col), c.get("label") or str(col)))
    return shown


def table_problems(el) -> list[str]:
    out = []
    df = el.value
    for col, header in shown_columns(el):
        if SNAKE.match(header):
            out.append(f"table {el.key or ''}: snake_case header {header!r}")
        s = df[col]
        if s.isna().any() and (not el.proto.HasField("placeholder")
                               or el.proto.placeholder.strip() in EMPTY_WORDS):
            # Streamlit draws a missing value as "None" unless told otherwise (ranks, notes...)
            out.append(f"table {el.key or ''}: column {header!r} shows 'None' for empty cells")
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        words = {str(v).strip() for v in s.dropna()} & EMPTY_WORDS
        if words:
            out.append(f"table {el.key or ''}: column {header!r} holds {sorted(words)}")
        for v in s.dropna().astype(str).unique():
            out += [f"table {el.key or ''}: {what} in {v[:80]!r}" for what, pat in FORBIDDEN
                    if pat.search(URL.sub("", v))]
    return out


def problems(at: AppTest) -> list[str]:
    """Everything on the page a visitor should not read."""
    out = [f"exception: {e.message}" for e in at.exception]
    for text in visible_text(at):
        plain = URL.sub("", text)
        out += [f"{what}: {text[:160]!r}" for what, pat in FORBIDDEN if pat.search(plain)]
    for el in at.dataframe:
        out += table_problems(el)
    return out


@pytest.mark.parametrize("page,tab", VIEWS, ids=[f"{p[:-3]}-{t or 'default'}" for p, t in VIEWS])
def test_visitor_reads_plain_words(page, tab, built_store, clear_streamlit_caches):
    at = visit(page, tab)
    found = problems(at)
    assert not found, f"pages/{page} ({tab or 'default tab'}) shows a visitor:\n" + "\n".join(found)


# --- the vocabulary and the empty states ---------------------------------------------------------
def test_every_labelled_column_reads_as_words():
    from asemus_data import labels
    for col, (label, help_) in labels.LABELS.items():
        assert not SNAKE.match(label) and label[:1].isupper(), (col, label)
        assert help_ is None or (help_.strip() and not SNAKE.match(help_)), (col, help_)
    # a column nobody labelled yet still reaches the screen in words
    assert labels.label("visitors_per_day_text") == "Visitors per day text"
    assert labels.label("weighted_degree") == "Ties" and "PageRank" in labels.help_text("pagerank")


def test_column_config_keeps_the_page_settings_and_adds_the_words():
    import ui  # the Streamlit glue; column_config needs no running app
    df = pd.DataFrame({"weighted_degree": [1], "source": ["x"], "secret": [1], "odd_one": [2]})
    cfg = ui.column_config(df, {"source": {"label": "source", "width": "large"}, "secret": None,
                                "odd_one": "Odd"})
    assert cfg["weighted_degree"]["label"] == "Ties" and cfg["weighted_degree"]["help"]
    assert cfg["source"] == {"label": "Source", "help": "Where the row comes from.",
                             "width": "large"}  # the page's own label was the data name
    assert cfg["secret"] is None and cfg["odd_one"]["label"] == "Odd"


def test_survey_sheet_types_in_words():
    from asemus_data import labels
    from asemus_data.schemas import column_info
    sheet = labels.column_sheet(column_info("institutions"))
    assert set(sheet["type"]) <= set(labels.TYPE_WORDS.values()) | {"date"}
    assert not sheet["type"].str.contains(r"\[|Int64").any()


@pytest.mark.parametrize("sidebar,controls,says,not_says", [
    (None, {"Search objects": "xyz"}, ["Search objects 'xyz'", "that control on the page"],
     ["sidebar filters (", "no filters"]),
    ("region: Europe", {"Search objects": "xyz", "VCM only": True},
     ["Search objects 'xyz'; VCM only on", "together with the sidebar filters (region: Europe)"],
     ["no filters"]),
    ("region: Europe", {"Search objects": ""}, ["the sidebar filters (region: Europe)"],
     ["Search objects"]),
    (None, {}, ["No object is in the data yet."], ["filters"]),
])
def test_empty_message_names_the_control(sidebar, controls, says, not_says):
    from asemus_data.labels import empty_message
    text = empty_message("object", sidebar, controls)
    assert all(s in text for s in says), text
    assert not any(s in text for s in not_says), text


def test_masterpieces_search_with_no_match_points_at_the_search_box(built_store,
                                                                     clear_streamlit_caches):
    at = visit("masterpieces.py")
    at.text_input(key="mp_q").input("zzqqxx no such object").run()
    infos = [i.value for i in at.info if "No object" in i.value]
    assert infos, [i.value for i in at.info]
    assert "Search objects 'zzqqxx no such object'" in infos[0] and "no filters" not in infos[0]
    assert "sidebar filters (" not in infos[0]


# --- the network page's words --------------------------------------------------------------------
def _net(tab: str | None = None) -> AppTest:
    return visit("network.py", tab)


def test_counts_are_whole_numbers_when_whole():
    from asemus_data.network import count_text
    assert [count_text(x) for x in (28.0, 27.5, 1234.0, 0.0)] == ["28", "27.5", "1,234", "0"]


def test_reading_says_a_whole_brokerage_without_a_decimal():
    from asemus_data import network as net
    # a hub (Asia) between 2 Asian and 2 European museums: the 2 x 2 = 4 Asian-European pairs
    # all run through it (the Asian pairs and the European pairs do too, but do not count)
    region = {"H": "Asia", "a1": "Asia", "a2": "Asia", "e1": "Europe", "e2": "Europe"}
    nodes = pd.DataFrame({"id": list(region), "name": [f"Museum {k}" for k in region],
                          "region": list(region.values()), "member_status": "member"})
    ties = pd.DataFrame([dict(a=min("H", k), b=max("H", k), type="loan", year_start=2010,
                              year_end=2010, label="p", origin="collaboration", source="s",
                              status="documented") for k in ("a1", "a2", "e1", "e2")],
                        columns=net.TIE_COLUMNS)
    lines = net.reading(net.node_metrics(net.build_graph(nodes, ties)))
    assert any("shortest paths of 4 Asian-European pairs" in x for x in lines), lines


def test_network_tiles_and_reading_explain_themselves(built_store, clear_streamlit_caches):
    at = _net()
    tiles = {m.label: m.proto.help for m in at.metric}
    assert tiles and all(h.strip() for h in tiles.values()), tiles
    assert "-1" in tiles["E-I index"] and "+1" in tiles["E-I index"]
    broker = [m.value for m in at.markdown if "Asian-European pairs" in m.value]
    assert broker and not re.search(r"\d\.0 Asian-European", broker[0]), broker


def test_all_but_executive_committee_is_one_click(built_store, clear_streamlit_caches):
    at = _net("Metrics table")
    kinds = set(at.multiselect(key="net_types").options)
    assert "executive committee" in kinds
    at.button(key="net_no_ec").click().run()
    assert not at.exception
    assert set(at.multiselect(key="net_types").value) == kinds - {"executive committee"}
    link = at.query_params["ties"]
    link = link if isinstance(link, str) else link[0]
    assert set(link.split(",")) == kinds - {"executive committee"}  # the link keeps it
    edges = [d.value for d in at.dataframe if "types" in d.value.columns][0]
    assert not edges["types"].str.contains("executive committee").any() and len(edges)
    at.button(key="net_all_types").click().run()
    assert at.multiselect(key="net_types").value == [] and "ties" not in at.query_params


def test_over_time_says_why_its_counts_differ(built_store, clear_streamlit_caches):
    at = _net("Over time")
    tiles = {m.label: m.value for m in at.metric}
    note = [c.value for c in at.caption if "Undated ties are left out" in c.value]
    assert note, [c.value for c in at.caption]
    m = re.search(r"\((\d+) of ([\d,]+) ties ha(?:s|ve) no year\): by (\d+) the chart counts ([\d,]+) tied "
                  r"pairs among ([\d,]+) institutions, where the figures above count ([\d,]+) tied "
                  r"pairs", note[0])
    assert m, note[0]
    assert int(m[1]) > 0 and m[6] == str(tiles["Tied pairs"])
    assert int(m[4].replace(",", "")) <= int(m[6].replace(",", ""))


def test_ego_view_opens_on_one_step(built_store, clear_streamlit_caches):
    at = _net("One institution")
    assert at.radio(key="net_radius").value == 1
    steps = [d.value for d in at.dataframe if "step" in d.value.columns]
    assert steps and set(steps[0]["step"]) == {1}


# --- overview and exhibitions: labels, ticks, colours --------------------------------------------
PROJECT = Path(__file__).resolve().parents[1]


def test_overview_card_labels_fit_their_card(con):
    from asemus_data import overview
    heads = overview.headlines(con)
    # a 4-column row at 1440 px leaves ~28 characters of label before Streamlit cuts it ('...')
    assert all(len(h.label) <= 28 for h in heads), [h.label for h in heads if len(h.label) > 28]
    vcm = [h for h in heads if "VCM" in h.label]
    assert vcm and "Virtual Collection of Asian Masterpieces" in vcm[0].detail


def test_membership_labels_do_not_overlap():
    from asemus_data.figures import timeline as ft
    counts = pd.read_csv(PROJECT / "data" / "membership_counts.csv")
    fig = ft.membership_figure(counts)
    pts = [(x, y, t, pos) for tr in fig.data if tr.mode == "markers+text"
           for x, y, t, pos in zip(tr.x, tr.y, tr.text, tr.textposition)]
    x0 = min(pd.Timestamp(p[0]) for p in pts)
    days = [(pd.Timestamp(p[0]) - x0).days for p in pts]
    span_x, span_y = max(days), max(p[1] for p in pts) * 1.1
    sx, sy = ft.PLOT_PX[0] / span_x, ft.PLOT_PX[1] / span_y
    boxes = [ft._text_box(d, p[1], p[2], p[3], sx, sy) for d, p in zip(days, pts) if p[2]]
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if ft._overlap(a, b)]
    assert not clashes
    # every stated figure keeps a visible label: its own, or the same words on the same spot
    shown = [(d, p[1], p[2]) for d, p in zip(days, pts) if p[2]]
    for d, p in zip(days, pts):
        label = ft.fmt_figure(p[1], None)
        assert p[2] or any(t.endswith(label) and abs(d - d2) * sx < 12 and y2 == p[1]
                           for d2, y2, t in shown), p
    # all on top, as before, the 2010-2012 labels did overlap
    old = [ft._text_box(d, p[1], ft.fmt_figure(p[1], None), "top center", sx, sy)
           for d, p in zip(days, pts)]
    assert any(ft._overlap(a, b) for i, a in enumerate(old) for b in old[i + 1:])


def test_conference_markers_in_words():
    from asemus_data.figures import timeline as ft
    meetings = pd.read_csv(PROJECT / "data" / "meetings.csv")
    conf = meetings[meetings["kind"].isin(["founding conference", "general conference"])]
    fig = ft.conferences_timeline(conf)
    texts = list(fig.data[0].text)
    assert not any("!" in t for t in texts) and "'!'" not in fig.layout.title.text
    numbered = conf.dropna(subset=["number"])
    for n, city in zip(numbered["number"], numbered["city"]):
        assert any(t.startswith(f"#{int(n)} {city}") for t in texts), (n, city, texts)
    for city in conf[conf["number"].isna() & (conf["kind"] == "general conference")]["city"]:
        assert any(t.startswith(city) and "no number in the sources" in t for t in texts), city
    paris = [t for t in texts if "Paris" in t][0]  # numbered 4th and 'the Network's 10th'
    assert "conflicting sources" in paris


def test_exhibition_timeline_venues_ticks_and_titles(con):
    from asemus_data import exhibitions as ex
    from asemus_data import store
    from asemus_data.figures import exhibitions as fx
    bars, _ = ex.timeline_rows(store.read_table(con, "exhibitions"),
                               store.read_table(con, "exhibition_venues"))
    fig = fx.exhibition_timeline(bars)
    fills = {t.name: t.marker.color for t in fig.data}
    assert fx.VENUE_LEGEND in fills and fills[fx.VENUE_LEGEND] == "#FFFFFF"
    assert fills[fx.VENUE_LEGEND] not in set(fx.TYPE_COLORS.values())
    years = bars["finish"].max().year - bars["start"].min().year
    assert fig.layout.xaxis.dtick == "M12" and years >= 3  # a tick a year, not three in all
    long = [t for t in bars["title"] if len(t) > 42]
    assert long, "no long title in the data to check"
    ticks = html.unescape(" | ".join(fig.layout.yaxis.ticktext).replace("<br>", " "))
    assert all(t in ticks for t in long) and "..." not in ticks, ticks
    assert "..." not in " ".join(bars["row"])  # titles reach the chart whole


def test_wrap_label_breaks_between_words():
    from asemus_data.figures.exhibitions import wrap_label
    title = "Self and Others: Portraits from Asia and Europe in a Very Long Exhibition Title"
    out = wrap_label(title, width=30)
    assert out.count("<br>") >= 1 and out.replace("<br>", " ") == title
    assert all(w in title.split() for w in out.replace("<br>", " ").split())
