"""Tests for the experts directory (asemus_data.experts): visitors get aggregates that never carry
a name or an e-mail, staff get the directory; experts are imported as the survey would be.

The experts below are made up for the test (example.org addresses); none is a real person."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from asemus_data import access, experts  # noqa: E402
from asemus_data.figures import masterpieces as figs  # noqa: E402

#: name, institution_id, expertise, languages, country_code, email
EXPERTS = [
    ("Test Expert Alpha", "national-museum-of-korea", "Korean ceramics; Museum education",
     "Korean;English", "KOR", "alpha@example.org"),
    ("Test Expert Beta", "museum-volkenkunde", "Japanese prints", "Dutch;Japanese", "NLD",
     "beta@example.org"),
    ("Test Expert Gamma", "asian-civilisations-museum", "Islamic art;textile conservation",
     "English;Malay", "SGP", "gamma@example.org"),
    ("Test Expert Delta", "", "Buddhist art; Shadow puppetry", "German", "DEU", "delta@example.org"),
    ("Test Expert Epsilon", "national-museum-of-korea", "korean ceramics", "Korean", "KOR",
     "epsilon@example.org"),
]
NAMES = [e[0] for e in EXPERTS]
EMAILS = [e[5] for e in EXPERTS]


def write_experts_csv(folder: Path) -> Path:
    """The experts survey return as a CSV for table 'people'."""
    lines = ["name,kind,institution_id,expertise,languages,country_code,email,source"]
    for name, inst, field, langs, cc, email in EXPERTS:
        lines.append(f'{name},expert,{inst},"{field}","{langs}",{cc},{email},'
                     '"Experts survey (test fixture)"')
    path = folder / "experts_survey.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def expert_store(fresh_store, tmp_path):
    """A store of its own with the five test experts imported."""
    from asemus_data import importer
    result = importer.import_file(write_experts_csv(tmp_path), "people", store=fresh_store)
    assert result.rows_written == len(EXPERTS)
    return fresh_store


@pytest.fixture()
def econ(expert_store):
    from asemus_data import store
    con = store.connect(expert_store, read_only=True)
    yield con
    con.close()


def _cells(df) -> str:
    return " ".join(str(v) for v in df.astype(str).to_numpy().ravel()) + " ".join(df.columns)


def test_aggregates_never_carry_names_or_emails(econ):
    frames = [experts.aggregate(econ), experts.by_expertise(econ), experts.by_country(econ),
              experts.unlisted_expertise(econ, access.STAFF)]
    for df in frames:
        text = _cells(df)
        assert not {"name", "email", "institution"} & set(df.columns)
        assert not any(n in text for n in NAMES) and "@" not in text


def test_aggregate_counts(econ):
    assert experts.count(econ) == len(EXPERTS)
    by_field = dict(zip(*experts.by_expertise(econ)[["expertise", "n"]].T.values))
    assert by_field["Korean ceramics"] == 2           # matched ignoring case
    assert by_field["Textile conservation"] == 1
    assert by_field[experts.OTHER] == 1               # 'Shadow puppetry' is not in the list
    by_country = experts.by_country(econ).set_index("country_code")
    assert by_country.loc["KOR", "n"] == 2 and by_country["latitude"].notna().all()
    assert "Korean ceramics (2)" in by_country.loc["KOR", "fields"]
    agg = experts.aggregate(econ)
    assert agg["n"].sum() == 8  # 5 experts, 3 of them with two fields
    assert list(experts.unlisted_expertise(econ, access.STAFF)["given"]) == ["Shadow puppetry"]


def test_staff_view_has_the_directory(econ):
    df = experts.staff_view(econ, access.STAFF)
    assert sorted(df["name"]) == sorted(NAMES) and set(df["email"]) == set(EMAILS)
    assert "National Museum of Korea" in set(df["institution"])


def test_builtin_data_has_no_experts_and_no_contact_details(con):
    assert experts.count(con) == 0
    assert experts.aggregate(con).empty and experts.by_country(con).empty
    roles = experts.public_roles(con)
    assert len(roles) > 0 and roles["source"].str.startswith("http").all()
    assert not {"email", "languages"} & set(roles.columns)


def test_controlled_list_is_clean():
    assert len(set(e.lower() for e in experts.EXPERTISE)) == len(experts.EXPERTISE)
    assert {"Chinese ceramics", "Textile conservation", "Buddhist art", "Museum education",
            "Islamic art", "Japanese prints", "Lacquer conservation",
            "Southeast Asian textiles"} <= set(experts.EXPERTISE)


def test_expert_figures(econ):
    assert len(figs.experts_bar(experts.by_expertise(econ)).data[0].y) == 7  # 6 listed + other
    spec = figs.experts_deck(experts.by_country(econ)).to_json()
    assert "ScatterplotLayer" in spec and not any(n in spec for n in NAMES)


# --- the page: staff mode shows names, visitor mode does not ----------------------------------
def _rendered(at) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "text", "title", "subheader")
             for e in getattr(at, kind)]
    parts += [e.value.to_csv() for e in at.dataframe]
    parts += [e.proto.json for e in at.get("deck_gl_json_chart")]
    parts += [e.proto.spec for e in at.get("plotly_chart")]
    return "\n".join(parts)


def _page(expert_store, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("ASEMUS_STORE", str(expert_store))
    monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", "test-staff-pw")
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.switch_page("pages/masterpieces.py").run()
    assert not at.exception
    return at


def test_visitor_sees_aggregates_only(expert_store, monkeypatch, clear_streamlit_caches):
    at = _page(expert_store, monkeypatch)
    text = _rendered(at)
    assert "Korean ceramics" in text                 # the aggregate is there
    assert not any(n in text for n in NAMES) and not any(e in text for e in EMAILS)
    at.text_input(key="mp_staff_pw").set_value("wrong").run()
    assert not at.exception and not any(n in _rendered(at) for n in NAMES)


def test_staff_sees_names_and_contacts(expert_store, monkeypatch, clear_streamlit_caches):
    at = _page(expert_store, monkeypatch)
    at.text_input(key="mp_staff_pw").set_value("test-staff-pw").run()
    assert not at.exception
    text = _rendered(at)
    assert all(n in text for n in NAMES) and all(e in text for e in EMAILS)
