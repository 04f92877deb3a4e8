"""Tests for the masterpieces explorer (asemus_data.masterpieces and its figures): search and
filter SQL, paging, images that never leave the machine, the masterpiece of the day, the VCM's
documented growth, and a museum's 3,000-row open-access export imported through a mapping file
(query functions and the rendered page).

The export fixture is generated from code (``random.Random(7)``): no real museum's data."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import masterpieces as mp  # noqa: E402
from asemus_data.figures import masterpieces as figs  # noqa: E402
from asemus_data.filters import Filters  # noqa: E402

HOLDER = "weltmuseum-wien"  # an institution in the built-in data
N_EXPORT = 3000

# --- a museum's open-access export, generated ------------------------------------------------
# (country, culture, [free-text dates as museums write them])
_ORIGINS = [
    ("China", "Chinese", ["Qing dynasty (1644–1911)", "Ming dynasty, Wanli period (1573–1620)",
                          "18th century", "ca. 1790"]),
    ("Japan", "Japanese", ["Edo period (1615–1868)", "Meiji period, 1880s", "ca. 1850–1900"]),
    ("Korea", "Korean", ["Joseon dynasty (1392–1910)", "Goryeo dynasty, 12th century"]),
    ("India", "Indian", ["2nd half of the 17th century", "late 18th–early 19th century"]),
    ("Iran", "Persian", ["Safavid period, 17th century", "9th–10th century"]),
    ("Indonesia", "Javanese", ["Majapahit period, 14th century", "19th century"]),
    ("Viet Nam", "Vietnamese", ["19th century", "n.d."]),
    ("unknown", "", ["n.d."]),
]
# the museum's own classification -> our category
CLASSIFICATION = {
    "Ceramics": "ceramics", "Porcelain": "ceramics", "Textiles": "textiles", "Costume": "textiles",
    "Paintings": "paintings", "Scroll painting": "paintings", "Woodblock print": "prints",
    "Lacquerware": "lacquer", "Bronzes": "metalwork", "Metalwork": "metalwork",
    "Sculpture": "sculpture", "Jewelry": "jewellery", "Arms & Armor": "arms and armour",
    "Calligraphy": "manuscripts", "Jade": "jade and hardstones", "Furniture": "furniture",
}
_MEDIUM = {"ceramics": "Porcelain painted in underglaze blue", "textiles": "Silk, embroidered",
           "paintings": "Ink and colour on silk", "prints": "Woodblock print; ink on paper",
           "lacquer": "Lacquer on wood", "metalwork": "Bronze", "sculpture": "Sandstone",
           "jewellery": "Gold", "arms and armour": "Steel, gold inlay", "manuscripts": "Ink on paper",
           "jade and hardstones": "Nephrite", "furniture": "Rosewood"}
_TITLES = ["Dish", "Jar", "Robe", "Hanging scroll", "Print", "Box", "Vessel", "Figure", "Necklace",
           "Sword guard", "Album leaf", "Pendant", "Cabinet"]


def write_museum_export(folder: Path, n: int = N_EXPORT, seed: int = 7) -> tuple[Path, Path, pd.DataFrame]:
    """Write a museum export (its own headers, free-text dates, its own classification, image
    cells empty or remote URLs) and a mapping YAML; return both paths and the export as a frame."""
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        country, culture, dates = rng.choice(_ORIGINS)
        cls = rng.choice(list(CLASSIFICATION))
        title = f"{rng.choice(_TITLES)} with {'dragons' if k % 10 == 0 else 'flowers'}"
        image = rng.choice(["", "", f"https://images.example.org/oa/{k}.jpg"])
        rows.append({"Object Number": f"OA.{2000 + k // 1000}.{k:05d}", "Title": title,
                     "Culture": culture, "Country": country, "Object Date": rng.choice(dates),
                     "Medium": _MEDIUM[CLASSIFICATION[cls]], "Classification": cls,
                     "Credit Line": f"Gift of a collector, {1900 + k % 120}",
                     "Label Text": f"{culture or 'Unknown'} {cls.lower()}, collection highlight"
                     if k % 250 == 0 else "",
                     "Highlight": "Yes" if k % 250 == 0 else "No", "Image": image})
    export = folder / "weltmuseum_open_access.csv"
    with export.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    values = "\n".join(f"    {k}: {v}" for k, v in CLASSIFICATION.items())
    mapping = folder / "weltmuseum.yaml"
    mapping.write_text(f"""# Generated test fixture: a museum's open-access export.
table: objects
columns:
  Object Number: id
  Title: title
  Culture: origin_culture
  Country: origin_country
  Object Date: date_text
  Medium: material
  Classification: category
  Label Text: description
  Highlight: in_vcm
  Image: image
  # Credit Line is not listed: dropped
values:
  category:
{values}
  in_vcm:
    "Yes": "true"
    "No": "false"
na_values: ["unknown", "n/a"]
constants:
  institution_id: {HOLDER}
  source: "Weltmuseum Wien, open-access export (generated test fixture)"
  status: imported
""", encoding="utf-8")
    return export, mapping, pd.DataFrame(rows)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A store of its own with the 3,000-row export imported through its mapping."""
    from asemus_data import importer, store
    folder = tmp_path_factory.mktemp("mp-import")
    path = folder / "store.duckdb"
    store.build(path)
    export, mapping, frame = write_museum_export(folder)
    result = importer.import_file(export, "objects", mapping=mapping, store=path)
    assert result.rows_written == N_EXPORT
    con = store.connect(path, read_only=True)
    yield path, con, frame
    con.close()


# --- import -> query functions ---------------------------------------------------------------
def test_import_populates_the_explorer(imported):
    _path, con, frame = imported
    s = mp.summary(con, Filters())
    assert s["objects"] == N_EXPORT + 2
    assert s["vcm"] == 2 + int((frame["Highlight"] == "Yes").sum())
    assert s["unreal_share"] == 0


def test_search_finds_title_words(imported):
    _path, con, frame = imported
    expected = int(frame["Title"].str.contains("dragons").sum())
    assert mp.summary(con, Filters(), mp.Query("DRAGONS"))["objects"] == expected
    # every word must match: both words are in every 'Dish with dragons'
    both = int(frame["Title"].eq("Dish with dragons").sum())
    assert mp.summary(con, Filters(), mp.Query("dish dragons"))["objects"] == both


def test_search_covers_museum_origin_and_material(imported):
    _path, con, frame = imported
    assert mp.summary(con, Filters(), mp.Query("Weltmuseum"))["objects"] == N_EXPORT
    assert mp.summary(con, Filters(), mp.Query("nephrite"))["objects"] == int(
        (frame["Classification"] == "Jade").sum())
    assert mp.summary(con, Filters(), mp.Query("highlight"))["objects"] == int(
        (frame["Label Text"] != "").sum())


def test_shared_filters_apply(imported):
    _path, con, frame = imported
    cat = frame["Classification"].map(CLASSIFICATION)
    assert mp.summary(con, Filters(categories=("ceramics",)))["objects"] == int((cat == "ceramics").sum())
    assert mp.summary(con, Filters(origins=("JPN",)))["objects"] == int((frame["Country"] == "Japan").sum())
    assert mp.summary(con, Filters(statuses=("imported",)))["objects"] == N_EXPORT
    assert mp.summary(con, Filters(countries=("AUT",)))["objects"] == N_EXPORT


def test_period_filter_uses_the_parsed_free_text_dates(imported):
    _path, con, _frame = imported
    rows = mp.page(con, Filters(period=(1700, 1799)), size=10_000)
    assert len(rows) > 0
    assert ((rows["period_end"] >= 1700) & (rows["period_start"] <= 1799)).all()
    # 'n.d.' rows have no period: there, but gone once the period is narrowed
    assert mp.summary(con, Filters(), mp.Query("n.d."))["objects"] > 0
    assert mp.summary(con, Filters(period=(1700, 1799)), mp.Query("n.d."))["objects"] == 0


def test_page_filters_museum_culture_vcm(imported):
    _path, con, frame = imported
    assert mp.summary(con, Filters(), mp.Query(institutions=(HOLDER,)))["objects"] == N_EXPORT
    assert mp.summary(con, Filters(), mp.Query(cultures=("Korean",)))["objects"] == int(
        (frame["Culture"] == "Korean").sum())
    vcm = mp.page(con, Filters(), mp.Query(vcm_only=True), size=500)
    assert vcm["in_vcm"].all() and len(vcm) == 2 + int((frame["Highlight"] == "Yes").sum())


def test_paging_covers_the_selection_once(imported):
    _path, con, _frame = imported
    f = Filters(origins=("KOR",))
    n = mp.summary(con, f)["objects"]
    pages = mp.page_count(n)
    seen = []
    for number in range(1, pages + 1):
        rows = mp.page(con, f, number=number)
        assert len(rows) == (mp.PAGE_SIZE if number < pages else n - mp.PAGE_SIZE * (pages - 1))
        seen += list(rows["id"])
    assert len(seen) == len(set(seen)) == n
    assert mp.page(con, f, number=pages + 1).empty


def test_remote_images_are_never_loaded(imported):
    _path, con, _frame = imported
    cards = mp.cards(mp.page(con, Filters(), size=200))
    kinds = {c["image"].kind for c in cards}
    assert kinds <= {"remote", "missing"} and "remote" in kinds
    for c in cards:
        assert c["image"].path is None
        if c["image"].kind == "remote":
            assert c["image"].note == mp.REMOTE_NOTE


def test_makeup_and_flows_add_up(imported):
    _path, con, frame = imported
    total = N_EXPORT + 2
    for by in mp.MAKEUP:
        assert mp.makeup(con, Filters(), by=by, top=100)["n"].sum() == total
    fl = mp.flows(con, Filters())
    unknown = int((frame["Country"] == "unknown").sum()) + 1  # + the Quran folio (no country)
    assert fl["n"].sum() + fl.attrs["unplaced"] == total
    assert fl.attrs["unplaced"] == unknown
    assert set(fl["origin_code"]) >= {"CHN", "JPN", "KOR", "IND", "IRN", "IDN", "VNM"}


def test_export_of_the_selection(imported):
    from asemus_data import export
    _path, con, _frame = imported
    q = mp.Query("dragons")
    df = mp.selection(con, Filters(), q)
    data = export.csv_bytes(df, mp.export_source(Filters(), q)).decode("utf-8-sig")
    assert data.startswith("# Source: ASEMUS dashboard") and "text 'dragons'" in data.splitlines()[0]
    assert len(df) == mp.summary(con, Filters(), q)["objects"]
    assert {"source", "status", "museum"} <= set(df.columns)
    assert export.xlsx_bytes(df.head(50), "src")[:2] == b"PK"


def test_page_renders_the_imported_gallery(imported, monkeypatch, clear_streamlit_caches):
    from streamlit.testing.v1 import AppTest
    path, _con, _frame = imported
    monkeypatch.setenv("ASEMUS_STORE", str(path))
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/masterpieces.py").run()
    assert not at.exception
    cards = [b for b in at.button if str(b.key).startswith("mp_card_")]
    assert len(cards) == mp.PAGE_SIZE
    urls = [img.url for el in at.get("image") for img in el.proto.imgs]
    assert urls and not any(u.startswith(("http:", "https:", "//")) for u in urls)
    captions = [img.caption for el in at.get("image") for img in el.proto.imgs]
    assert mp.REMOTE_NOTE in captions
    at.number_input(key="mp_page").set_value(3).run()
    assert not at.exception
    at.text_input(key="mp_q").set_value("dragons").run()
    assert not at.exception and at.number_input(key="mp_page").value <= mp.page_count(301)
    at.button(key=[b.key for b in at.button if str(b.key).startswith("mp_card_")][0]).click().run()
    assert not at.exception


# --- the built-in data -----------------------------------------------------------------------
def test_builtin_gallery_is_the_two_documented_objects(con):
    rows = mp.page(con, Filters())
    assert len(rows) == 2 and set(rows["status"]) == {"documented"} and rows["in_vcm"].all()
    assert mp.summary(con, Filters(), mp.Query("quran"))["objects"] == 1
    assert mp.summary(con, Filters(), mp.Query("tucci"))["objects"] == 1  # museum name
    assert mp.summary(con, Filters(), mp.Query("100%"))["objects"] == 0   # % is not a wildcard


def test_detail_has_every_field_and_its_source(con):
    d = mp.detail(con, "vcm-sample-vcm-38")
    rows = mp.detail_rows(d)
    assert list(rows["field"]) == list(mp.DETAIL_FIELDS.values())
    values = dict(zip(rows["field"], rows["value"]))
    assert values["Source"].startswith("https://galeriaredelius")
    assert values["Period (years)"] == "2200 BCE to 1900 BCE"
    assert values["Image"] == "not stated"
    assert mp.detail(con, "no-such-object") is None


def test_masterpiece_of_the_day_is_stable_and_real(con):
    day = dt.date(2026, 11, 20)
    first = mp.masterpiece_of_the_day(con, day)
    assert first == mp.masterpiece_of_the_day(con, day)
    ids = sorted(r[0] for r in con.execute("SELECT id FROM objects WHERE in_vcm").fetchall())
    expected = int(hashlib.sha256(b"2026-11-20").hexdigest(), 16) % len(ids)
    assert first["id"] == ids[expected] and first["status"] in mp.FACT_STATUSES
    picks = {mp.masterpiece_of_the_day(con, day + dt.timedelta(d))["id"] for d in range(30)}
    assert picks == set(ids)  # both documented objects come up within a month


def test_day_index_is_deterministic():
    assert mp.day_index(dt.date(2000, 1, 1), 7) == mp.day_index(dt.date(2000, 1, 1), 7)
    assert {mp.day_index(dt.date(2000, 1, 1) + dt.timedelta(d), 5) for d in range(60)} == set(range(5))


def test_growth_plots_dated_counts_only(con):
    g = mp.growth(con)
    dated, undated, other = g["dated"], g["undated"], g["other"]
    assert dated["when"].notna().all() and dated["value"].notna().all()
    assert set(dated["series"]) == {"masterpieces", "contributing museums", "countries"}
    assert "over 1,600" in set(dated["label"])
    assert "nearly 3,000" in set(undated["label"])                 # undated: listed, not plotted
    assert "masterpiece images planned" in set(other["metric"])    # a plan is not a count
    row = dated[dated["date_text"] == "2015-12"].iloc[0]
    assert row["when"] == pd.Timestamp(2015, 12, 1)
    fig = figs.growth_figure(dated)
    assert {t.name for t in fig.data} == set(dated["series"])
    assert sum(len(t.x) for t in fig.data) == len(dated)


@pytest.mark.parametrize("value,qualifier,text,label", [
    (1600.0, "over", None, "over 1,600"), (83.0, None, None, "83"), (25.0, "exact", None, "25"),
    (None, None, "31 / 31", "31 / 31"), (None, None, None, "?")])
def test_value_label(value, qualifier, text, label):
    assert mp.value_label(value, qualifier, text) == label


def test_image_ref(tmp_path):
    (tmp_path / "bowl.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path.parent / "secret.txt").write_text("x")
    assert mp.image_ref("bowl.jpg", tmp_path).kind == "local"
    assert mp.image_ref("https://example.org/a.jpg", tmp_path).kind == "remote"
    assert mp.image_ref("//cdn.example.org/a.jpg", tmp_path).kind == "remote"
    assert mp.image_ref("../secret.txt", tmp_path).kind == "missing"  # outside data/images
    assert mp.image_ref("gone.jpg", tmp_path).kind == "missing"
    assert mp.image_ref(None, tmp_path).kind == "missing"
    assert mp.image_ref(float("nan"), tmp_path).kind == "missing"
    assert "<svg" in mp.placeholder_svg()


def test_card_escapes_markdown():
    c = mp.card({"id": "x", "title": "*Bowl* [1] $5", "museum": "M", "in_vcm": None,
                 "status": "imported", "period_start": 1644, "period_end": 1911})
    assert "\\*Bowl\\*" in c["markdown"] and "\\$5" in c["markdown"]
    assert c["when"] == "1644 to 1911" and c["origin"] == "origin not stated" and not c["vcm"]


def test_flows_deck_is_offline_and_escaped():
    fl = pd.DataFrame({"origin_code": ["CHN"], "origin": ["China"], "institution_id": ["x"],
                       "museum": ["<img src=x onerror=alert(1)>"], "museum_country": ["France"],
                       "to_lat": [48.8], "to_lon": [2.3], "n": [12], "from_lat": [35.0],
                       "from_lon": [103.0]})
    spec = json.loads(figs.flows_deck(fl).to_json())
    assert spec.get("mapProvider") is None  # no tiles
    assert spec.get("mapStyle") is not None  # null makes Streamlit fetch a Carto style
    assert not str(spec.get("mapStyle")).startswith(("http", "mapbox:"))
    arc = [layer for layer in spec["layers"] if layer["@@type"] == "ArcLayer"][0]
    assert arc["greatCircle"] is True
    # pydeck turns plain strings into accessors ('@@=pixels'), which broke the widths once
    assert not any(str(v).startswith("@@=") for k, v in arc.items() if k.endswith("Units"))
    # values as written: Streamlit escapes each once (tests/test_security_text.py)
    assert "<img" in json.dumps(arc["data"]) and "&lt;img" not in json.dumps(arc["data"])


def test_flows_deck_marks_both_ends_and_lies_flat():
    """A single thin arc is easy to miss: each origin country and each museum gets a dot with
    its objects (summed over its arcs), and arcs lie flat (raised ones swing off screen)."""
    fl = pd.DataFrame({"origin_code": ["CHN", "CHN", "IRN"], "origin": ["China", "China", "Iran"],
                       "institution_id": ["x", "y", "x"], "museum": ["X", "Y", "X"],
                       "museum_country": ["France", "Italy", "France"],
                       "to_lat": [48.8, 41.9, 48.8], "to_lon": [2.3, 12.5, 2.3], "n": [12, 3, 1],
                       "from_lat": [35.0, 35.0, 32.0], "from_lon": [103.0, 103.0, 53.0]})
    ends = figs.flows_ends(fl)
    by = dict(zip(ends["label"], ends["n"]))
    assert by == {"from China": 15, "from Iran": 1, "held by X": 13, "held by Y": 3}
    assert sum(ends["n"]) == 2 * fl["n"].sum()  # every object once at each end
    spec = json.loads(figs.flows_deck(fl).to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["origin-to-holder"]["getHeight"] == 0
    assert len(layers["flow-ends"]["data"]) == 4
    assert figs.flows_ends(fl.iloc[:0]).empty
