"""Mapping files: rename a source's columns and values onto our schema without editing the export.

A mapping file (YAML ``.yaml``/``.yml`` or TOML ``.toml``) says which source column becomes which
target column, which source values mean what, which codes mean "unknown", which columns are the
same for every row, and how to read the file. The format is documented in ``docs/mapping.md``.

:func:`load_mapping` parses and checks a mapping file; :func:`apply_mapping` applies it to a frame
returned by :func:`asemus_data.readers.read_file`; :func:`read_with_mapping` does both.
Validation against the schema happens elsewhere; this module only renames and recodes.
"""
from __future__ import annotations

import codecs
import copy
import datetime as dt
import difflib
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import InputError, Issue
from .paths import max_mapping_bytes, max_mapping_nodes
from .readers import read_file
from .transforms import Step, apply_steps, parse_steps

TOP_LEVEL_KEYS = ("table", "columns", "values", "na_values", "constants", "dates", "read",
                  "drop_unmapped", "transforms")
#: Columns a rejects file (``import --quarantine``) adds; ignored when it is imported again.
REJECT_COLUMNS = ("_row", "_reasons")
DATES_KEYS = ("dayfirst",)
READ_KEYS = ("encoding", "delimiter", "sheet")
MAPPING_EXTENSIONS = (".yaml", ".yml", ".toml")
_DELIMITER_ALIASES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


@dataclass
class Mapping:
    """A parsed mapping file. See ``docs/mapping.md`` for the meaning of every field.

    ``drop_unmapped`` left as ``None`` means "true when ``columns`` is given". ``path`` is the
    mapping file it came from (used in messages), ``None`` when built in code.
    """

    table: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    na_values: list[str] = field(default_factory=list)
    constants: dict[str, object] = field(default_factory=dict)
    dayfirst: bool = False
    read: dict = field(default_factory=dict)
    drop_unmapped: bool | None = None
    path: str | None = None
    transforms: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.drop_unmapped is None:
            self.drop_unmapped = bool(self.columns)


# --------------------------------------------------------------------------------------------
# Loading


class _Loader(yaml.SafeLoader):
    """YAML loader that keeps every plain scalar as text except true/false/null.

    YAML 1.1 (PyYAML's default) reads ``no``/``on`` as booleans, ``007`` as 7 and ``2026-10-01``
    as a date, which would corrupt source values such as country code ``NO`` or inventory number
    ``007``. The data frames hold text anyway, so text is the faithful reading.
    """

    def construct_mapping(self, node, deep=False):
        # PyYAML silently keeps the last of two equal keys; in a mapping that hides a mistake.
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)  # resolve "<<" merge keys before looking at the keys
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_RULE_TOO_DEEP = "the mapping file is nested too deeply to be a mapping; check its brackets"


def _safe_yaml(text: str, file: str):
    """Parse YAML text, refusing before any object is built a document that would grow too big.

    A few hundred bytes of nested aliases ("billion laughs") stand for billions of values;
    building them took the server from 0.4 to 3 GB. The node graph is composed first (its size
    follows the text's size), then measured as if every alias were copied out, and only a
    document within ``ASEMUS_MAX_MAPPING_NODES`` is constructed.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise _error(file, _RULE_TOO_DEEP) from None
        if node is None:
            return None
        limit = max_mapping_nodes()
        if _expanded_size(node, limit) > limit:
            raise _error(file, f"the mapping expands to more than {limit:,} values once its "
                               f"aliases (*name) are copied out; write the values out instead "
                               f"of nesting aliases (set ASEMUS_MAX_MAPPING_NODES to raise it)")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(root, limit: int) -> int:
    """Nodes in a composed YAML graph with shared (aliased) nodes counted once per use.

    Stops counting past ``limit``; a node that contains itself counts as unbounded.
    """
    sizes: dict[int, int] = {}
    # Iterative post-order walk: a deeply nested document must not exhaust Python's stack.
    stack: list[tuple[object, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            children = _children(node)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return limit + 1  # a recursive alias (&a [*a]) would never end
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                return limit + 1
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_mapping(path) -> Mapping:
    """Read and check a YAML or TOML mapping file.

    Raises:
        InputError: with ``file`` set to the mapping path, for a missing or unreadable file,
            invalid YAML/TOML (``row`` is the line), unknown keys (each named, with a suggestion)
            and values of the wrong type (``column`` is the key, e.g. ``values.category``).
    """
    path = Path(path)
    file = str(path)
    ext = path.suffix.lower()
    if ext not in MAPPING_EXTENSIONS:
        raise _error(file, "a mapping file must be YAML (.yaml, .yml) or TOML (.toml)",
                     value=path.name)
    try:
        # Size first: a mapping is a page of text; anything far larger is refused unread.
        size = path.stat().st_size
        limit = max_mapping_bytes()
        if size > limit:
            raise _error(file, f"the mapping file is {size / 1024:.1f} KB; the limit is "
                               f"{limit / 1024:g} KB (set ASEMUS_MAX_MAPPING_KB to raise it)")
        raw = path.read_bytes()
    except OSError as exc:
        raise _error(file, f"cannot read the mapping file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Hand-edited on Windows: German umlauts in cp1252 are common and unambiguous here.
        text = raw.decode("cp1252", errors="replace")

    if ext == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            line = re.search(r"at line (\d+)", msg)
            raise _error(file, "not valid TOML: " + re.sub(r"\s*\(at line.*\)$", "", msg),
                         row=int(line.group(1)) if line else None) from None
        except RecursionError:
            raise _error(file, _RULE_TOO_DEEP) from None
    else:
        try:
            data = _safe_yaml(text, file)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "syntax error"
            raise _error(file, f"not valid YAML: {problem}",
                         row=mark.line + 1 if mark else None) from None
        except yaml.YAMLError as exc:
            raise _error(file, f"not valid YAML: {exc}") from None

    if data is None:
        raise _error(file, "the mapping file is empty")
    if not isinstance(data, dict):
        raise _error(file, "a mapping file must hold keys such as 'columns' and 'values' at the "
                           "top level", value=_short(data))
    return _build(data, file)


def _build(data: dict, file: str) -> Mapping:
    issues: list[Issue] = []

    def bad(key: str, rule: str, value=None) -> None:
        issues.append(Issue(file=file, column=key, value=value, rule=rule))

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            bad(str(key), f"unknown key '{key}'{_did_you_mean(str(key), TOP_LEVEL_KEYS)}; allowed "
                          f"keys are: {', '.join(TOP_LEVEL_KEYS)}", key)

    table = data.get("table")
    if table is not None and not (isinstance(table, str) and table.strip()):
        bad("table", "'table' must be a table name such as objects or visitor_stats", table)
        table = None

    columns = _text_table(data.get("columns"), "columns",
                          "source column -> target column", bad, allow_none=False)
    targets: dict[str, str] = {}
    for source, target in columns.items():
        if target in targets:
            bad("columns", f"two source columns map to '{target}': '{targets[target]}' and "
                           f"'{source}'; map only one", target)
        targets[target] = source

    values: dict[str, dict[str, str | None]] = {}
    raw_values = _section(data, "values", "'values' must be a table of target column -> "
                                          "{source value: target value}", bad)
    for column, raw_recode in raw_values.items():
        key = f"values.{column}"
        recode = _text_table(raw_recode, key, "source value -> target value", bad, allow_none=True)
        normalized: dict[str, str] = {}
        for source in recode:
            norm = _norm_value(source)
            if norm in normalized:
                bad(key, f"'{normalized[norm]}' and '{source}' are the same value (matching "
                         f"ignores case and surrounding spaces); keep one", source)
            normalized[norm] = source
        values[str(column).strip()] = recode

    na_values: list[str] = []
    raw_na = data.get("na_values")
    if raw_na is not None:
        if not isinstance(raw_na, list):
            bad("na_values", "'na_values' must be a list such as [\"-\", \"n/a\"]", _short(raw_na))
        else:
            for item in raw_na:
                text = _scalar_text(item)
                if text is None or isinstance(item, (dict, list)):
                    bad("na_values", "every entry of 'na_values' must be a text or a number",
                        _short(item))
                else:
                    na_values.append(text)

    constants: dict[str, object] = {}
    raw_constants = _section(data, "constants", "'constants' must be a table of target column -> "
                                                "value", bad)
    for column, value in raw_constants.items():
        column = str(column).strip()
        if isinstance(value, (dict, list)):
            bad(f"constants.{column}", "a constant must be a single value (text, number, "
                                       "true/false or date)", _short(value))
        elif column in targets:
            bad(f"constants.{column}", f"'{column}' is both a constant and the target of "
                                       f"source column '{targets[column]}'; keep one", value)
        else:
            constants[column] = value

    dayfirst = False
    raw_dates = _section(data, "dates", "'dates' must be a table such as {dayfirst: true}", bad)
    for key in raw_dates:
        if key not in DATES_KEYS:
            bad(f"dates.{key}", f"unknown key '{key}' in 'dates'; allowed keys are: "
                                f"{', '.join(DATES_KEYS)}", key)
    value = raw_dates.get("dayfirst", False)
    if not isinstance(value, bool):
        bad("dates.dayfirst", "'dayfirst' must be true or false", value)
    else:
        dayfirst = value

    read: dict = {}
    raw_read = _section(data, "read", "'read' must be a table with encoding, delimiter and/or sheet",
                        bad)
    for key, value in raw_read.items():
        if key not in READ_KEYS:
            bad(f"read.{key}", f"unknown key '{key}' in 'read'"
                               f"{_did_you_mean(str(key), READ_KEYS)}; allowed keys are: "
                               f"{', '.join(READ_KEYS)}", key)
            continue
        text = _scalar_text(value)
        if text is None or isinstance(value, bool):
            bad(f"read.{key}", f"'{key}' must be a text", _short(value))
        elif key == "encoding":
            try:
                codecs.lookup(text)
                read[key] = text
            except LookupError:
                bad("read.encoding", "unknown encoding; use e.g. utf-8, cp1252 or latin-1",
                    text)
        elif key == "delimiter":
            delim = _DELIMITER_ALIASES.get(text.lower(), text)
            if len(delim) != 1 or delim in "\"\r\n":
                bad("read.delimiter", "the delimiter must be a single character such as "
                                      "\",\", \";\", \"|\" or \"\\t\" (tab)", text)
            else:
                read[key] = delim
        else:
            read[key] = text

    drop_unmapped = data.get("drop_unmapped")
    if drop_unmapped is not None and not isinstance(drop_unmapped, bool):
        bad("drop_unmapped", "'drop_unmapped' must be true or false", drop_unmapped)
        drop_unmapped = None
    if drop_unmapped and not columns:
        bad("drop_unmapped", "'drop_unmapped' is true but 'columns' lists no columns, so every "
                             "column would be dropped", True)

    transforms = parse_steps(data.get("transforms"), bad)

    if issues:
        raise InputError(issues=issues)
    return Mapping(table=table.strip() if table else None, columns=columns, values=values,
                   na_values=na_values, constants=constants, dayfirst=dayfirst, read=read,
                   drop_unmapped=drop_unmapped, path=file, transforms=transforms)


def _section(data: dict, key: str, rule: str, bad) -> dict:
    """The table under `key` ({} when absent); anything but a table is reported with `rule`."""
    raw = data.get(key)
    if raw is not None and not isinstance(raw, dict):
        bad(key, rule, _short(raw))
    return raw if isinstance(raw, dict) else {}


def _text_table(raw, key: str, what: str, bad, *, allow_none: bool) -> dict[str, str | None]:
    """Check a table of text -> text (numbers become text); report entries of the wrong type."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        bad(key, f"'{key}' must be a table of {what}", _short(raw))
        return {}
    out: dict[str, str | None] = {}
    for source, target in raw.items():
        source_text = _scalar_text(source)
        if source_text is None or not source_text.strip():
            bad(key, f"every entry of '{key}' needs a non-empty name on the left", _short(source))
            continue
        if target is None and allow_none:
            out[source_text.strip()] = None
            continue
        target_text = _scalar_text(target)
        if isinstance(target, (dict, list)) or target_text is None or not target_text.strip():
            bad(key, f"'{source_text}' must map to a single text ({what})", _short(target))
            continue
        out[source_text.strip()] = target_text.strip()
    return out


# --------------------------------------------------------------------------------------------
# Applying


def apply_mapping(df: pd.DataFrame, mapping: Mapping | None) -> pd.DataFrame:
    """Rename and recode a frame according to a mapping; returns a new frame.

    Steps, in order: match each ``columns`` key to a source header (exact first, then ignoring
    case, whitespace and Unicode normal form) and rename it; drop unmapped columns when
    ``drop_unmapped``; blank every cell equal to one of ``na_values``; run the ``transforms``
    in the order listed (:mod:`asemus_data.transforms`); recode ``values`` (exact match after
    strip, case-insensitive; unlisted values are kept for validation to judge); set
    ``constants``. Row order never changes and only keep/drop steps remove rows;
    ``attrs["source_rows"]`` is narrowed to the rows kept, ``attrs["left_out_rows"]`` lists the
    file rows removed and ``attrs["source_positions"]`` the position in ``df`` of every row.
    The columns ``_row`` and ``_reasons`` of a rejects file are ignored. The result keeps
    ``df.attrs`` and adds ``attrs["source_columns"]`` (target column -> source header, for
    messages), ``attrs["dayfirst"]`` and ``attrs["mapping"]``.

    Raises:
        InputError: naming the data file, for a mapped column missing from the source (the rule
            lists the available columns), an ambiguous header match, two columns that would end
            up with the same name, ``values`` for a column the result does not have, or a
            constant that would overwrite non-empty data.
    """
    if mapping is None:
        return df.copy()
    if any(c in df.columns for c in REJECT_COLUMNS):
        attrs = df.attrs
        df = df.drop(columns=[c for c in REJECT_COLUMNS if c in df.columns])
        df.attrs = attrs
    file = str(df.attrs.get("file", "(data)"))
    where = f"mapping {Path(mapping.path).name}" if mapping.path else "the mapping"
    available = [str(c) for c in df.columns]
    issues: list[Issue] = []

    rename: dict[int, str] = {}  # source position -> target name
    key_of: dict[int, str] = {}  # source position -> the mapping key that matched it
    source_of: dict[str, str] = {}  # target name -> source header
    for key, target in mapping.columns.items():
        pos = _match_column(key, available)
        if isinstance(pos, list):
            if pos:
                names = " and ".join(f"'{available[p]}'" for p in pos)
                issues.append(Issue(file=file, column=key, value=key,
                                    rule=f"{where} names column '{key}', which matches both "
                                         f"{names} when case and spaces are ignored; rename one "
                                         f"of them or spell '{key}' exactly"))
            else:
                issues.append(Issue(file=file, column=key, value=key,
                                    rule=f"{where} names column '{key}', which is not in the file"
                                         f"{_did_you_mean(key, available)}; the file's columns "
                                         f"are: {', '.join(available)}"))
            continue
        if pos in rename:
            issues.append(Issue(file=file, column=available[pos], value=key,
                                rule=f"{where} maps column '{available[pos]}' twice (as "
                                     f"'{key_of[pos]}' and '{key}'); keep one"))
            continue
        rename[pos] = target
        key_of[pos] = key
        source_of[target] = available[pos]

    picked: list[tuple[int, str]] = []
    for pos, col in enumerate(available):
        if pos in rename:
            picked.append((pos, rename[pos]))
        elif not mapping.drop_unmapped:
            picked.append((pos, col))
    first_with_name: dict[str, int] = {}
    for pos, target in picked:
        if target in first_with_name:
            other = available[first_with_name[target]]
            issues.append(Issue(file=file, column=target, value=available[pos],
                                rule=f"two columns would both be called '{target}' after "
                                     f"mapping: '{other}' and '{available[pos]}'; map or rename "
                                     f"one of them, or set drop_unmapped: true"))
        else:
            first_with_name[target] = pos
    if issues:
        raise InputError(issues=issues)

    out = df.iloc[:, [pos for pos, _ in picked]].copy()
    out.columns = [target for _, target in picked]
    # Every cell ends up str or None whatever dtype the caller's frame had (NaN becomes None).
    na = {_norm_value(v) for v in mapping.na_values}
    for col in out.columns:
        out[col] = _object_series(
            [None if _is_missing(v) or (na and _norm_value(v) in na) else v
             for v in out[col]], out)

    # Positions in ``df`` as the index, so rows that keep/drop remove can be traced to the file.
    out.index = pd.RangeIndex(len(out))
    if mapping.transforms:
        out, issues = apply_steps(out, df, mapping.transforms, file=file, where=where, na=na,
                                  source_of=source_of)
        if issues:
            raise InputError(issues=issues)
        if len(df) and not len(out):
            raise InputError([Issue(file=file, rule=f"the keep/drop steps of {where} left out "
                                                    f"every row (all {len(df):,}); check their "
                                                    f"conditions")])
    all_rows = df.attrs.get("source_rows") or list(range(2, len(df) + 2))
    rows = [all_rows[p] for p in out.index] if len(all_rows) == len(df) else all_rows

    for col, recode in mapping.values.items():
        if col not in out.columns:
            target = next((t for t, s in source_of.items()
                           if _norm_header(s) == _norm_header(col)), None)
            hint = f"; 'values' are keyed by target column, so use '{target}'" if target else ""
            issues.append(Issue(file=file, column=col, value=col,
                                rule=f"{where} gives 'values' for column '{col}', which the file "
                                     f"does not have after mapping{hint}; columns after mapping: "
                                     f"{', '.join(map(str, out.columns))}"))
            continue
        lookup = {_norm_value(src): dst for src, dst in recode.items()}
        out[col] = _object_series(
            [None if _is_missing(v) else lookup.get(_norm_value(v), v) for v in out[col]], out)

    for col, value in mapping.constants.items():
        text = _scalar_text(value)
        if col in out.columns:
            filled = [k for k, v in enumerate(out[col]) if not _is_missing(v) and v != text]
            if filled:
                k = filled[0]
                issues.append(Issue(file=file, row=rows[k] if k < len(rows) else None,
                                    column=col, value=out[col].iloc[k],
                                    rule=f"{where} sets constant '{col}' = {text!r}, but the "
                                         f"file's column '{col}' already holds other values; "
                                         f"remove the constant or the column"))
                continue
        out[col] = _object_series([text] * len(out), out)
        source_of[col] = f"(constant in {where})"
    if issues:
        raise InputError(issues=issues)

    positions = list(out.index)
    out = out.reset_index(drop=True)
    out.attrs = copy.deepcopy(df.attrs)
    if len(out) != len(df):
        out.attrs["source_rows"] = rows
        out.attrs["left_out_rows"] = sorted(set(all_rows) - set(rows))
    #: position in the file frame of every row, so a rejected row can be written back as read
    out.attrs["source_positions"] = positions
    out.attrs["source_columns"] = {col: source_of.get(col, col) for col in out.columns}
    out.attrs["dayfirst"] = mapping.dayfirst
    out.attrs["mapping"] = mapping.path
    if mapping.table:
        out.attrs["table"] = mapping.table
    return out


def read_with_mapping(path, mapping_path=None, *, display_name: str | None = None
                      ) -> tuple[pd.DataFrame, Mapping | None]:
    """Read a file with the mapping's ``read`` options and apply the mapping.

    Without ``mapping_path`` this is :func:`~asemus_data.readers.read_file` and the mapping
    returned is ``None``. Read options that do not apply to the format (a delimiter for an Excel
    file) are ignored, so one mapping serves both a CSV and an Excel export of the same source.
    """
    mapping = load_mapping(mapping_path) if mapping_path is not None else None
    options = dict(mapping.read) if mapping else {}
    df = read_file(path, display_name=display_name, **options)
    return apply_mapping(df, mapping), mapping


def resolve_table(mapping: Mapping | None, table: str | None = None) -> str | None:
    """The table to load into: ``table`` (e.g. from ``--table``) or the mapping's ``table``.

    Raises:
        InputError: when both are given and differ.
    """
    declared = mapping.table if mapping else None
    if declared and table and declared != table:
        raise _error(mapping.path or "(mapping)", f"the mapping is for table '{declared}' but the "
                                                  f"table asked for is '{table}'",
                     column="table", value=declared)
    return table or declared


# --------------------------------------------------------------------------------------------
# Helpers


def _error(file: str, rule: str, *, row=None, column=None, value=None) -> InputError:
    return InputError(issues=[Issue(file=file, rule=rule, row=row, column=column, value=value)])


def _norm_header(name: str) -> str:
    """Header key for loose matching: Unicode NFKC, case-folded, all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)).casefold())


def _norm_value(value) -> str:
    """Value key for recoding and na_values: Unicode NFC, stripped, case-folded."""
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def _match_column(key: str, available: list[str]) -> int | list[int]:
    """Position of the source column ``key`` names; a list (empty or ambiguous) if none."""
    if key in available:
        return available.index(key)
    wanted = _norm_header(key)
    hits = [i for i, col in enumerate(available) if _norm_header(col) == wanted]
    return hits[0] if len(hits) == 1 else hits


def _object_series(values: list, like: pd.DataFrame) -> pd.Series:
    # Series.map would let pandas infer its "str" dtype and turn None into NaN; keep None.
    return pd.Series(values, index=like.index, dtype=object)


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return value is pd.NA or value is pd.NaT


def _scalar_text(value) -> str | None:
    """A YAML/TOML scalar as the text it stands for in a data file; None for non-scalars."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.75)
    if not close:
        close = [c for c in map(str, choices) if _norm_header(c) == _norm_header(word)][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _short(value) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."
