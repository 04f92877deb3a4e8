"""Write docs/data-model.md from the schemas (one source of truth).  python tools/docs_schema.py"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from asemus_data.schemas import TABLES, column_info  # noqa: E402

OUT_OF_RANGE = {"min_value": "at least {}", "max_value": "at most {}"}

OUT = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"


def _number(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _bounds(table: str) -> dict[str, str]:
    """Per column, the range its checks allow ("-90 to 90", "at least 0"), from the schema."""
    out = {}
    for name, col in TABLES[table].schema.to_schema().columns.items():
        if str(col.dtype) not in ("Int64", "float64"):
            continue  # a text's length bounds are not values
        stats = {}
        for check in col.checks:
            stats.update({k: v for k, v in (getattr(check, "statistics", {}) or {}).items()
                          if k in OUT_OF_RANGE})
        if {"min_value", "max_value"} <= stats.keys():
            out[name] = f"{_number(stats['min_value'])} to {_number(stats['max_value'])}"
        elif stats:
            k, v = next(iter(stats.items()))
            out[name] = OUT_OF_RANGE[k].format(_number(v))
    return out


def render() -> str:
    lines = ["# Data model", "",
             "Generated from `asemus_data/schemas.py` by `python tools/docs_schema.py`; a test fails "
             "when this file is stale. Every table carries `source` (URL or citation) and `status` "
             "(documented / imported / illustrative / synthetic). Years are integers, negative for "
             "BCE. Dates are ISO text: yyyy-mm-dd, or yyyy-mm / yyyy where only that is known. "
             "Numbers outside the range under *allowed values* are refused on import.", ""]
    for name, spec in TABLES.items():
        lines += [f"## `{name}`: {spec.title}", "", spec.description, ""]
        if spec.survey:
            lines += ["Part of the member survey workbook.", ""]
        lines += ["| column | type | required | allowed values | description |",
                  "| --- | --- | --- | --- | --- |"]
        bounds = _bounds(name)
        for r in column_info(name).itertuples():
            allowed = ", ".join(r.allowed) if r.allowed else bounds.get(r.column, "")
            typ = {"Int64": "integer", "float64": "number", "boolean": "yes/no"}.get(r.type, "text")
            lines.append(f"| `{r.column}` | {typ} | {'yes' if r.required else ''} | {allowed} | "
                         f"{r.description.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
