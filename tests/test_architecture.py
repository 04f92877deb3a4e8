"""The code's own rules, checked on the source tree (issue 17: tooling and layering).

- `asemus_data` never imports Streamlit (pure Python under the pages and the glue);
- a function-local import says why on its line or the line above (a hidden dependency otherwise);
- docs/ENGINEERING.md names every module of the package;
- ruff is clean with the project's settings (pyproject.toml).
"""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "asemus_data"
CODE_DIRS = (PACKAGE, ROOT / "pages", ROOT / "benchmarks", ROOT / "tools")
CODE_FILES = (ROOT / "app.py", ROOT / "ui.py")


def _python_files() -> list[Path]:
    files = [p for d in CODE_DIRS if d.exists() for p in sorted(d.rglob("*.py"))]
    return files + [p for p in CODE_FILES if p.exists()]


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append((node.lineno, node.module))
    return names


def _block_has_reason(lines: list[str], lineno: int) -> bool:
    """A comment heads the run of import lines (blank lines between groups allowed) that holds
    line `lineno` (1-based)."""
    i = lineno - 2
    while i >= 0 and (not lines[i].strip() or lines[i].strip().startswith(("import ", "from "))):
        i -= 1
    return i >= 0 and lines[i].strip().startswith("#")


def local_imports_without_reason(source: str) -> list[int]:
    """Line numbers of imports inside a function with no comment saying why: on the line itself, or
    heading the run of import lines it belongs to."""
    lines = source.splitlines()
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                if "#" not in lines[child.lineno - 1] and not _block_has_reason(lines, child.lineno):
                    found.append(child.lineno)
            visit(child, inner)

    visit(ast.parse(source), False)
    return found


def test_the_checker_finds_a_bare_local_import_and_accepts_a_reason():
    bare = "def f():\n    import json\n    return json\n"
    said = "def f():\n    # json only when asked: keeps the CLI's start quick\n    import json\n"
    inline = "def f():\n    import json  # lazy: see above\n"
    top = "import json\n\ndef f():\n    return json\n"
    block = ("def f():\n    # both only for a pack\n    import json\n    import zipfile\n"
             "    x = 1\n    import io\n")
    assert local_imports_without_reason(block) == [6]
    assert local_imports_without_reason(bare) == [2]
    assert local_imports_without_reason(said) == []
    assert local_imports_without_reason(inline) == []
    assert local_imports_without_reason(top) == []


def test_the_package_never_imports_streamlit():
    offenders = [f"{p.relative_to(ROOT)}:{line} imports {name}"
                 for p in sorted(PACKAGE.rglob("*.py"))
                 for line, name in _imports(ast.parse(p.read_text(encoding="utf-8")))
                 if name == "streamlit" or name.startswith("streamlit.")]
    assert offenders == []


def test_every_function_local_import_says_why():
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in _python_files()
                 for n in local_imports_without_reason(p.read_text(encoding="utf-8"))]
    assert offenders == [], "function-local imports without a comment saying why:\n" + "\n".join(offenders)


def test_engineering_notes_name_every_module():
    notes = (ROOT / "docs" / "ENGINEERING.md").read_text(encoding="utf-8")
    missing = []
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE).as_posix()
        if p.name in ("__init__.py", "__main__.py"):
            continue
        if rel not in notes and f"`{p.stem}.py`" not in notes:
            missing.append(rel)
    assert missing == [], "docs/ENGINEERING.md does not name: " + ", ".join(missing)


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it is pinned in requirements-dev.txt")
    done = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
