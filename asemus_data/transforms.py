"""Mapping transforms: small, declarative cell and row operations listed under ``transforms`` in
a mapping file (see ``docs/mapping.md``).

A step is a table with exactly one operation key (``lowercase``, ``slug``, ``prefix``,
``default``, ``join``, ``split``, ``first``, ``has``, ``set``, ``keep``, ``drop``) and that
operation's options. Steps run in the order written. :func:`parse_steps` checks the steps when
the mapping is loaded (every problem named by its key, e.g. ``transforms[3].sep``);
:func:`apply_steps` runs them on a mapped frame. Nothing is ever evaluated: conditions are
comparisons, and a regular expression is only matched.
"""
from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from .errors import Issue

#: operation -> (options it requires, options it accepts besides those)
OPERATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lowercase": ((), ()),
    "slug": ((), ()),
    "prefix": (("text",), ()),
    "default": ((), ("value", "from")),
    "join": (("into",), ("sep",)),
    "split": (("sep",), ("item", "into")),
    "first": (("sep",), ("into",)),
    "has": (("value", "into"), ("sep",)),
    "set": ((), ("sep", "into")),
    "keep": ((), ()),
    "drop": ((), ()),
}
#: Condition keys for keep/drop; exactly one besides ``column``.
CONDITIONS = ("equals", "in", "empty", "not_empty", "contains", "matches")
LIST_SEPARATOR = ";"
_MAX_REGEX = 200


@dataclass
class Step:
    """One parsed transform. ``columns`` are the input columns (one, or several for ``join``);
    ``into`` the output column (``None``: the input column itself, in place)."""

    op: str
    number: int  # 1-based position in the list, for messages
    columns: list[str]
    into: str | None = None
    options: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"transforms step {self.number} ({self.op})"


# --------------------------------------------------------------------------------------------
# Parsing


def parse_steps(raw, bad) -> list[Step]:
    """Check the ``transforms`` list of a mapping. ``bad(key, rule, value)`` records a problem."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        bad("transforms", "'transforms' must be a list of steps, e.g. [{lowercase: id}, "
                          "{prefix: id, text: 'fr-'}]", _short(raw))
        return []
    steps: list[Step] = []
    for number, item in enumerate(raw, start=1):
        key = f"transforms[{number}]"
        if not isinstance(item, dict):
            bad(key, "every step must be a table with one operation, e.g. {lowercase: id}",
                _short(item))
            continue
        ops = [k for k in item if k in OPERATIONS]
        if len(ops) != 1:
            others = [str(k) for k in item if k not in OPERATIONS]
            hint = _did_you_mean(others[0], OPERATIONS) if others and not ops else ""
            bad(key, ("a step needs exactly one operation" if not ops else
                      f"a step holds one operation, not {len(ops)} ({', '.join(ops)}); "
                      f"write one step each") + f"{hint}; operations are: {', '.join(OPERATIONS)}",
                _short(item))
            continue
        op = ops[0]
        step = _parse_step(op, item, number, lambda k, rule, v, _key=key: bad(
            f"{_key}.{k}" if k else _key, rule, v))
        if step is not None:
            steps.append(step)
    return steps


def _parse_step(op: str, item: dict, number: int, bad) -> Step | None:
    required, optional = OPERATIONS[op]
    allowed = (op, *required, *optional)
    ok = True
    for k in item:
        if k not in allowed:
            bad(str(k), f"unknown option '{k}' for '{op}'{_did_you_mean(str(k), allowed)}; "
                        f"'{op}' takes: {', '.join(allowed[1:]) or 'no options'}", k)
            ok = False
    for k in required:
        if k not in item:
            bad(k, f"'{op}' needs '{k}'", None)
            ok = False
    if not ok:
        return None
    target = item[op]
    options: dict = {}

    if op in ("keep", "drop"):
        cond = _parse_condition(target, op, bad)
        if cond is None:
            return None
        return Step(op, number, [cond.pop("column")], options=cond)

    if op == "join":
        cols = target if isinstance(target, list) else [target]
        names = [_text(c) for c in cols]
        if not cols or any(n is None or not n.strip() for n in names):
            bad(op, "'join' takes a list of column names, e.g. [city, country]", _short(target))
            return None
        columns = [n.strip() for n in names]
    else:
        if op in ("lowercase", "slug", "prefix") and isinstance(target, list):
            names = [_text(c) for c in target]
        else:
            names = [_text(target)]
        if not names or any(n is None or not n.strip() for n in names):
            many = " or a list of columns" if op in ("lowercase", "slug", "prefix") else ""
            bad(op, f"'{op}' takes a column name{many}", _short(target))
            return None
        columns = [n.strip() for n in names]

    for k in ("text", "sep", "value", "from", "into", "item"):
        if k not in item:
            continue
        v = item[k]
        if k == "value" and op == "has":
            vals = v if isinstance(v, list) else [v]
            texts = [_text(x) for x in vals]
            if not vals or any(t is None or not t.strip() for t in texts):
                bad(k, "'value' must be a text or a list of texts to look for", _short(v))
                ok = False
            else:
                options["value"] = [t.strip() for t in texts]
            continue
        text = _text(v)
        if text is None or (k != "sep" and k != "text" and not text.strip()) or text == "":
            bad(k, f"'{k}' must be a non-empty text", _short(v))
            ok = False
        elif k == "item":
            try:
                n = int(text.strip())
            except ValueError:
                n = 0
            if n == 0:
                bad(k, "'item' must be a whole number: 1 is the first item, 2 the second, -1 the "
                       "last", text)
                ok = False
            else:
                options["item"] = n
        elif k in ("into", "from"):
            options[k] = text.strip()
        else:
            options[k] = text
    if op == "default" and ("value" in item) == ("from" in item):
        bad("value", "'default' needs either 'value' (a text) or 'from' (a column), not both "
                     "and not neither", None)
        ok = False
    if not ok:
        return None
    into = options.pop("into", None)
    return Step(op, number, columns, into=into, options=options)


def _parse_condition(raw, op: str, bad) -> dict | None:
    example = "{column: year, equals: '2019'}"
    if not isinstance(raw, dict):
        bad(op, f"'{op}' takes a condition such as {example}", _short(raw))
        return None
    unknown = [k for k in raw if k not in ("column", *CONDITIONS)]
    for k in unknown:
        bad(f"{op}.{k}", f"unknown condition '{k}'{_did_you_mean(str(k), CONDITIONS)}; "
                         f"conditions are: {', '.join(CONDITIONS)}", k)
    column = _text(raw.get("column"))
    if column is None or not column.strip():
        bad(f"{op}.column", f"the condition needs 'column', e.g. {example}",
            None if raw.get("column") is None else _short(raw.get("column")))
    tests = [k for k in CONDITIONS if k in raw]
    if len(tests) != 1:
        bad(op, f"the condition needs exactly one of: {', '.join(CONDITIONS)}",
            ", ".join(tests) or None)
    if unknown or column is None or not column.strip() or len(tests) != 1:
        return None
    test, v = tests[0], raw[tests[0]]
    cond = {"column": column.strip(), "test": test}
    if test in ("empty", "not_empty"):
        if v is not True:
            bad(f"{op}.{test}", f"write '{test}: true'", _short(v))
            return None
    elif test == "in":
        vals = v if isinstance(v, list) else None
        texts = [_text(x) for x in vals] if vals else []
        if not vals or any(t is None for t in texts):
            bad(f"{op}.in", "'in' takes a list of values, e.g. ['2019', '2020']", _short(v))
            return None
        cond["value"] = {_norm(t) for t in texts}
    else:
        text = _text(v)
        if text is None or not text.strip():
            bad(f"{op}.{test}", f"'{test}' takes a non-empty text", _short(v))
            return None
        if test == "matches":
            if len(text) > _MAX_REGEX:
                bad(f"{op}.matches", f"the regular expression is longer than {_MAX_REGEX} "
                                     f"characters", _short(text))
                return None
            try:
                cond["value"] = re.compile(text)
            except re.error as exc:
                bad(f"{op}.matches", f"not a valid regular expression: {exc}", text)
                return None
        else:
            cond["value"] = _norm(text)
    return cond


# --------------------------------------------------------------------------------------------
# Applying


def apply_steps(out: pd.DataFrame, source: pd.DataFrame, steps: list[Step], *, file: str,
                where: str, na: set[str], source_of: dict[str, str]
                ) -> tuple[pd.DataFrame, list[Issue]]:
    """Run ``steps`` on ``out`` (the mapped frame; its index holds positions in ``source``).

    A step's input column is a column of ``out`` or, failing that, a column of the source file
    (its header, matched loosely, with ``na_values`` blanked) even when ``columns`` does not list
    it. Returns the new frame (rows removed by keep/drop keep their index labels) and the
    problems found; ``source_of`` is updated with where each new column comes from.
    """
    issues: list[Issue] = []
    out = out.copy()

    def column(name: str, step: Step) -> list | None:
        if name in out.columns:
            return list(out[name])
        pos = _match_header(name, [str(c) for c in source.columns])
        if pos is not None:
            vals = source.iloc[list(out.index), pos]
            return [None if _missing(v) or (na and _norm(v) in na) else v for v in vals]
        issues.append(Issue(file=file, column=name, value=name,
                            rule=f"{where}, {step.label}, names column '{name}', which is neither "
                                 f"a column after mapping nor a column of the file; columns "
                                 f"after mapping: {', '.join(map(str, out.columns))}"))
        return None

    for step in steps:
        if step.op in ("keep", "drop"):
            vals = column(step.columns[0], step)
            if vals is None:
                continue
            hit = [_test(v, step.options) for v in vals]
            keep = hit if step.op == "keep" else [not h for h in hit]
            out = out[pd.Series(keep, index=out.index, dtype=bool)]
            continue
        if step.op in ("lowercase", "slug", "prefix"):
            text = step.options.get("text", "")
            fn = {"lowercase": str.lower, "slug": slugify,
                  "prefix": lambda v, t=text: t + v}[step.op]
            for name in step.columns:
                vals = column(name, step)
                if vals is not None:
                    out[name] = _series([None if _missing(v) else (fn(str(v)) or None)
                                         for v in vals], out)
                    source_of.setdefault(name, name)
            continue
        inputs = [column(c, step) for c in step.columns]
        if any(v is None for v in inputs):
            continue
        vals = inputs[0]
        target = step.into or step.columns[0]
        sep = step.options.get("sep")
        if step.op == "default":
            if "from" in step.options:
                fill = column(step.options["from"], step)
                if fill is None:
                    continue
            else:
                fill = [step.options["value"]] * len(out)
            new = [f if _missing(v) or str(v).strip() == "" else v for v, f in zip(vals, fill)]
        elif step.op == "join":
            joiner = " " if sep is None else sep
            new = [joiner.join(str(v).strip() for v in row if not _missing(v) and str(v).strip())
                   or None for row in zip(*inputs)]
        elif step.op in ("split", "first"):
            n = step.options.get("item", 1)
            new = [None if _missing(v) else _item(_split(str(v), sep), n, step.op) for v in vals]
        elif step.op == "has":
            wanted = {_norm(w) for w in step.options["value"]}
            new = [None if not items else ("true" if wanted & {_norm(i) for i in items}
                                           else "false")
                   for items in (_split(str(v), sep or LIST_SEPARATOR) if not _missing(v)
                                 else [] for v in vals)]
        else:  # set
            new = [None if _missing(v) else normalise_set(str(v), sep or LIST_SEPARATOR)
                   for v in vals]
        out[target] = _series(new, out)
        source_of[target] = (f"({step.op} of {', '.join(step.columns)}, {where})"
                             if target not in step.columns else source_of.get(target, target))
    return out, issues


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits and ``- _ .``; accents dropped; other runs become '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_.]+", "-", ascii_text.lower())
    return slug.strip("-_.")


def normalise_set(text: str, sep: str = LIST_SEPARATOR) -> str | None:
    """Split a list cell, trim and collapse spaces, drop empty and repeated items (ignoring
    case), sort (ignoring case) and join with ';'. ``None`` when no item is left."""
    seen: dict[str, str] = {}
    for item in _split(text, sep):
        seen.setdefault(_norm(item), item)
    if not seen:
        return None
    return LIST_SEPARATOR.join(seen[k] for k in sorted(seen))


def _split(text: str, sep: str | None) -> list[str]:
    parts = text.split(sep) if sep else text.split()
    cleaned = (re.sub(r"\s+", " ", unicodedata.normalize("NFC", p)).strip() for p in parts)
    return [p for p in cleaned if p]


def _item(items: list[str], n: int, op: str):
    if op == "first":
        return items[0] if items else None
    k = n - 1 if n > 0 else n
    return items[k] if -len(items) <= k < len(items) else None


def _test(value, cond: dict) -> bool:
    test = cond["test"]
    empty = _missing(value) or str(value).strip() == ""
    if test == "empty":
        return empty
    if test == "not_empty":
        return not empty
    if empty:
        return False
    if test == "equals":
        return _norm(value) == cond["value"]
    if test == "in":
        return _norm(value) in cond["value"]
    if test == "contains":
        return cond["value"] in _norm(value)
    return cond["value"].fullmatch(str(value).strip()) is not None


def _match_header(name: str, available: list[str]) -> int | None:
    if name in available:
        return available.index(name)
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name).casefold())
    hits = [i for i, c in enumerate(available)
            if re.sub(r"\s+", "", unicodedata.normalize("NFKC", c).casefold()) == key]
    return hits[0] if len(hits) == 1 else None


def _series(values: list, like: pd.DataFrame) -> pd.Series:
    return pd.Series(values, index=like.index, dtype=object)


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _norm(value) -> str:
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def _text(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _short(value) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."
