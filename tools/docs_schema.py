"""Write docs/data-model.md from the schemas (one source of truth).  python tools/docs_schema.py"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from asemus_data.schemas import TABLES, column_info  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"


def render() -> str:
    lines = ["# Data model", "",
             "Generated from `asemus_data/schemas.py` by `python tools/docs_schema.py`; a test fails "
             "when this file is stale. Every table carries `source` (URL or citation) and `status` "
             "(documented / imported / illustrative / synthetic). Years are integers, negative for "
             "BCE. Dates are ISO text: yyyy-mm-dd, or yyyy-mm / yyyy where only that is known.", ""]
    for name, spec in TABLES.items():
        lines += [f"## `{name}`: {spec.title}", "", spec.description, ""]
        if spec.survey:
            lines += ["Part of the member survey workbook.", ""]
        lines += ["| column | type | required | allowed values | description |",
                  "| --- | --- | --- | --- | --- |"]
        for r in column_info(name).itertuples():
            allowed = ", ".join(r.allowed) if r.allowed else ""
            typ = {"Int64": "integer", "float64": "number", "boolean": "yes/no"}.get(r.type, "text")
            lines.append(f"| `{r.column}` | {typ} | {'yes' if r.required else ''} | {allowed} | "
                         f"{r.description.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
