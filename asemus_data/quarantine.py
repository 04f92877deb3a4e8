"""Partial imports: keep the rows that pass validation, set the others aside with their reasons.

:func:`partition` validates a mapped frame and, instead of refusing the whole file for one bad
row, removes the rows with problems and validates the rest again (until it is clean: removing an
institution can leave a row of the same file pointing at nothing). :func:`rejects_frame` gives
the refused rows **as they were read from the file** (before the mapping), with two more
columns, ``_row`` (the row in the file) and ``_reasons``; :func:`rejects_bytes` writes them as a
CSV in the file's own encoding and delimiter, so that once fixed the rejects file imports again
through the same mapping (which ignores ``_row`` and ``_reasons``).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .errors import InputError, Issue
from .export import neutralise
from .mapping import REJECT_COLUMNS
from .validate import Validation, validate_frame

#: Suffixes a rejects file may have (it is always a CSV).
REJECT_SUFFIXES = (".csv", ".tsv", ".txt")
_MAX_PASSES = 10


@dataclass
class Partition:
    """The clean part of a file and the rows set aside."""

    validation: Validation  # of the clean rows only (ok, or the file is refused as a whole)
    #: position in the mapped frame -> the problems of that row
    rejected: dict[int, list[Issue]] = field(default_factory=dict)
    kept: list[int] = field(default_factory=list)


def partition(df: pd.DataFrame, table: str, *, known_institutions: set[str] | None,
              allow_formula_text: bool = False, dayfirst: bool = True,
              taken_ids: Callable[[list[str]], set[str]] | None = None) -> Partition:
    """Validate ``df`` for ``table`` and separate the rows with problems from the clean ones.

    ``taken_ids(ids)`` returns those of ``ids`` already in the store's table; such rows are set
    aside too ("id already in the store"). Problems that concern the whole file (a missing
    required column, an unreadable header) still refuse the file.

    Raises:
        InputError: for problems not tied to a data row.
    """
    rows = list(df.attrs.get("source_rows") or range(2, len(df) + 2))
    file = str(df.attrs.get("file") or "<data>")
    rejected: dict[int, list[Issue]] = {}
    kept = list(range(len(df)))
    for _ in range(_MAX_PASSES):
        sub = _subset(df, kept, rows)
        v = validate_frame(sub, table, known_institutions=known_institutions,
                           allow_formula_text=allow_formula_text, dayfirst=dayfirst)
        pos_of = {rows[p]: p for p in kept}
        whole_file = [i for i in v.errors if i.row not in pos_of]
        if whole_file:
            raise InputError(whole_file)
        bad = {pos_of[i.row] for i in v.errors}
        for i in v.errors:
            rejected.setdefault(pos_of[i.row], []).append(i)
        if not bad and taken_ids is not None and "id" in v.frame.columns and len(v.frame):
            ids = [str(x) for x in v.frame["id"]]
            taken = taken_ids(ids)
            for _k, (p, ident) in enumerate(zip(kept, ids)):
                if ident in taken:
                    bad.add(p)
                    rejected.setdefault(p, []).append(Issue(
                        file, "id already in the store: this row was imported before, or its "
                              "id is taken", row=rows[p], column="id", value=ident))
        if not bad:
            return Partition(v, rejected, kept)
        kept = [p for p in kept if p not in bad]
        if not kept:
            return Partition(Validation(table, file, sub.iloc[0:0]), rejected, kept)
    raise InputError([Issue(file, "the rows kept still failed validation after "
                                  f"{_MAX_PASSES} passes; import without --quarantine to see "
                                  "every problem")])


def _subset(df: pd.DataFrame, positions: list[int], rows: list[int]) -> pd.DataFrame:
    attrs = dict(df.attrs)
    out = df.iloc[positions].reset_index(drop=True)
    attrs["source_rows"] = [rows[p] for p in positions]
    out.attrs = attrs
    return out


def reasons_text(issues: list[Issue]) -> str:
    """The problems of one row as one cell: "column 'x', value 'y': rule; ..."."""
    parts = []
    for i in issues:
        head = []
        if i.column is not None:
            head.append(f"column '{i.column}'")
        if not _missing(i.value) and str(i.value) != "":
            v = str(i.value)
            head.append(f"value {v[:60]!r}" + ("..." if len(v) > 60 else ""))
        parts.append((", ".join(head) + ": " if head else "") + i.rule)
    return "; ".join(dict.fromkeys(parts))


def rejects_frame(raw: pd.DataFrame, mapped: pd.DataFrame,
                  rejected: dict[int, list[Issue]]) -> pd.DataFrame:
    """The refused rows of ``mapped`` as they were read (``raw``, the reader's frame), in file
    order, with ``_row`` and ``_reasons``."""
    positions = mapped.attrs.get("source_positions") or list(range(len(mapped)))
    rows = list(mapped.attrs.get("source_rows") or range(2, len(mapped) + 2))
    order = sorted(rejected, key=lambda p: rows[p])
    cols = [c for c in raw.columns if c not in REJECT_COLUMNS]
    out = raw.iloc[[positions[p] for p in order]][cols].reset_index(drop=True)
    out["_row"] = [rows[p] for p in order]
    out["_reasons"] = [reasons_text(rejected[p]) for p in order]
    return out


def rejects_bytes(frame: pd.DataFrame, *, encoding: str | None = None,
                  delimiter: str | None = None) -> bytes:
    """A rejects frame as CSV bytes, in the source's encoding and delimiter (UTF-8 with BOM and
    ',' by default). Cells that a spreadsheet would run as formulas get a leading apostrophe:
    the file is made to be opened, fixed and saved in a spreadsheet program."""
    encoding = encoding or "utf-8-sig"
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter or ",", lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    for rec in frame.itertuples(index=False):
        writer.writerow([neutralise(v) if isinstance(v, str) else "" if _missing(v) else v
                         for v in rec])
    return buf.getvalue().encode(encoding, errors="replace")


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
