"""Documentation stays true: the data model doc is current, every CLI command and setting is
documented in the README."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_data_model_doc_is_current():
    import importlib.util
    spec = importlib.util.spec_from_file_location("docs_schema", ROOT / "tools" / "docs_schema.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8") == mod.render(), \
        "docs/data-model.md is stale: run python tools/docs_schema.py"


@pytest.mark.parametrize("needle", [
    "python -m asemus_data build", "validate", "import", "template", "export", "generate",
    "ASEMUS_STORE", "ASEMUS_STAFF_PASSWORD", "ASEMUS_MAX_FILE_MB", "bash .ci/run",
    "streamlit run app.py", "docs/mapping.md", "docs/data-model.md",
])
def test_readme_documents(needle):
    assert needle in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_table_is_in_the_readme():
    from asemus_data.schemas import TABLES
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for t in TABLES:
        assert f"`{t}`" in text, t
