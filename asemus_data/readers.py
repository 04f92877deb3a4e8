"""Read any input file (CSV, Excel, Parquet, GeoJSON) into a DataFrame of strings.

Museums and ministries send exports in every shape. :func:`read_file` turns each of them into the
same thing: a DataFrame whose cells are ``str`` or ``None`` (no type inference; "007" stays "007"),
whose header names are stripped, with entirely empty rows dropped. Every returned row remembers
where it came from, so that later checks can point a person at the right line:

* ``df.attrs["file"]``: the display name of the file;
* ``df.attrs["source_rows"]``: for each returned row, its row number as seen in a spreadsheet
  (the header is row 1, the first data row is row 2).

Anything wrong with the file itself raises :class:`~asemus_data.errors.InputError` with an
:class:`~asemus_data.errors.Issue` that names the file, row, column, value and rule. Nothing in
a file is ever evaluated: formulas are refused, and text such as ``=cmd|' /C calc'!A0`` is kept
as text.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import math
import os
import re
import warnings
from pathlib import Path

import pandas as pd

from .errors import InputError, Issue
from .paths import (
    max_cells,
    max_file_bytes,
    max_json_bytes,
    max_rows,
    max_unzipped_bytes,
)

CSV_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
PARQUET_EXTENSIONS = (".parquet",)
GEOJSON_EXTENSIONS = (".geojson", ".json")
SUPPORTED_FORMATS = ("CSV (.csv, .tsv, .txt), Excel (.xlsx, .xlsm), Parquet (.parquet) "
                     "or GeoJSON (.geojson, .json)")

#: Delimiters considered when sniffing a CSV file, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
#: Workbook sheets that hold instructions rather than data (compared case-insensitively).
SKIPPED_SHEETS = ("readme", "instructions")

RULE_NO_DATA = "the file has no data rows"
RULE_BINARY = "this is not a text file (binary content); export it as CSV or Excel"
RULE_FORMULA = "cell holds a formula; paste values only (formulas are never evaluated)"
RULE_MERGED_HEADER = "merged header cells; give every column its own header cell"
RULE_TOO_DEEP = ("the file is nested too deeply to be a table of records (lists or objects "
                 "inside each other hundreds of levels deep); check the file")

_SNIFF_BYTES = 64 * 1024
_SNIFF_CHARS = 32 * 1024
_MB = 1024 * 1024
# Control bytes that never occur in text exports (tab, LF, VT, FF and CR do: FileMaker uses VT for
# line breaks inside a field).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13)) + b"\x7f"
# A share of control bytes above this marks a file as binary even without NUL bytes.
_MAX_CONTROL_SHARE = 0.05
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def read_file(path, *, display_name: str | None = None, max_bytes: int | None = None,
              encoding: str | None = None, delimiter: str | None = None,
              sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV/TSV/TXT, Excel, Parquet or GeoJSON file into a DataFrame of strings.

    Args:
        path: the file to read; the format follows the extension (case-insensitive).
        display_name: the name used in error messages and ``df.attrs["file"]`` (for uploads whose
            temporary path means nothing to a person); defaults to the file name.
        max_bytes: refuse files larger than this, checked before reading anything; defaults to
            :func:`asemus_data.paths.max_file_bytes` (``ASEMUS_MAX_FILE_MB``, 100 MB).
        encoding: CSV only: the text encoding; sniffed when omitted (UTF-8 with or without BOM,
            UTF-16 with BOM, then cp1252, then Latin-1).
        delimiter: CSV only: one of ``, ; \\t |`` (``"tab"`` is accepted); sniffed when omitted.
        sheet: Excel only: the sheet to read; defaults to the first sheet that is not named
            "README" or "Instructions".

    Returns:
        A DataFrame with one object column per source column holding ``str`` or ``None``, a
        0-based RangeIndex, ``attrs["file"]`` (display name), ``attrs["source_rows"]`` (the
        spreadsheet row number of every returned row), ``attrs["header_row"]`` and
        ``attrs["format"]``, plus ``attrs["encoding"]``/``attrs["delimiter"]`` for CSV and
        ``attrs["sheet"]`` for Excel.

    Raises:
        InputError: the file is missing, too large, of an unsupported type, binary, empty, or
            malformed (duplicate or missing header names, ragged rows, formulas, merged header
            cells, non-point geometries, ...).
    """
    path = Path(path)
    name = display_name or path.name
    ext = path.suffix.lower()
    readers = {**{e: "csv" for e in CSV_EXTENSIONS}, **{e: "excel" for e in EXCEL_EXTENSIONS},
               **{e: "parquet" for e in PARQUET_EXTENSIONS},
               **{e: "geojson" for e in GEOJSON_EXTENSIONS}}
    if ext not in readers:
        hint = "; save it as .xlsx" if ext == ".xls" else ""
        raise _error(name, f"unsupported file type '{ext or '(no extension)'}'; supported formats "
                           f"are {SUPPORTED_FORMATS}{hint}", value=path.name)
    if not path.is_file():
        raise _error(name, "the file does not exist", value=str(path))
    # Size first: a huge file is refused without reading a single byte of it.
    size = os.path.getsize(path)
    limit = max_file_bytes() if max_bytes is None else int(max_bytes)
    if size > limit:
        raise _error(name, f"the file is {_size_text(size)}; the limit is {_limit_text(limit)} "
                           f"(set ASEMUS_MAX_FILE_MB to raise it)")
    if size == 0:
        raise _error(name, RULE_NO_DATA)

    kind = readers[ext]
    try:
        if kind == "csv":
            df = _read_csv(path, name, ext, encoding, delimiter)
        elif kind == "excel":
            df = _read_excel(path, name, sheet)
        elif kind == "parquet":
            df = _read_parquet(path, name)
        else:
            df = _read_geojson(path, name)
    except OSError as exc:  # permissions, a file removed mid-read, a network drive gone
        raise _error(name, f"cannot read the file: {exc.strerror or exc}") from None
    except RecursionError:  # a value nested hundreds of levels deep (JSON lists in lists, ...)
        raise _error(name, RULE_TOO_DEEP) from None
    df.attrs["file"] = name
    df.attrs["format"] = kind
    return df


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes as lowercase hex, read in 1 MB chunks (constant memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_MB), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Shared helpers


def _error(file: str, rule: str, *, row: int | None = None, column: str | None = None,
           value: object = None) -> InputError:
    return InputError(issues=[Issue(file=file, rule=rule, row=row, column=column, value=value)])


def _limit_error(name: str, what: str, setting: str, *, row: int | None = None,
                 value: object = None) -> InputError:
    """A file refused for its size, naming the limit and the setting that raises it."""
    return _error(name, f"{what}; this is the limit for one file, so nothing was read (set "
                        f"{setting} to raise it, or split the file)", row=row, value=value)


def _size_text(n: int, *, trim: bool = False) -> str:
    """'1.5 MB', '12.0 KB' or '80 bytes'; `trim` drops a trailing '.0' (a limit reads '5 MB')."""
    if n < 1024:
        return f"{n} bytes"
    value, unit = (n / _MB, "MB") if n >= _MB // 10 else (n / 1024, "KB")
    return f"{round(value, 1):g} {unit}" if trim else f"{value:.1f} {unit}"


def _limit_text(n: int) -> str:
    return _size_text(n, trim=True)


def _column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    # openpyxl only when a spreadsheet is read: the CLI's --help and a CSV validation stay quick
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)


def _text(value, *, excel: bool = False) -> str | None:
    """One cell as text: None for empty, ISO for dates, no '.0' on whole numbers."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Excel shows 15 significant digits; beyond that a stored double is binary noise.
        return f"{value:.15g}" if excel else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return None if value.is_nan() else str(value)
    if isinstance(value, bytes):
        return _text(value.decode("utf-8", errors="replace"))
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return _text(str(value))


def _frame(name: str, header_row: int, header: list, records: list[tuple[int, list]],
           *, label=None) -> pd.DataFrame:
    """Build the result frame from a header and (row number, cells) records.

    Cells must already be ``str`` or ``None`` and every record as long as the header. Columns
    without a header name are dropped when they are empty and refused when they hold values;
    duplicate names are refused; entirely empty rows are dropped.
    """
    label = label or (lambda i: f"column {i + 1} ({_column_letter(i)})")
    names = [(h or "").strip() for h in header]
    issues: list[Issue] = []
    keep: list[int] = []
    for i, col in enumerate(names):
        if col:
            keep.append(i)
            continue
        hit = next(((r, cells[i]) for r, cells in records if cells[i] is not None), None)
        if hit is not None:
            issues.append(Issue(file=name, row=hit[0], value=hit[1],
                                rule=f"{label(i)} has values but no header name; give it a "
                                     f"header or delete the column"))
    seen: dict[str, int] = {}
    for i in keep:
        col = names[i]
        if col in seen:
            issues.append(Issue(file=name, row=header_row, column=col, value=col,
                                rule=f"duplicate column name '{col}' ({label(seen[col])} and "
                                     f"{label(i)}); every column needs its own name"))
        else:
            seen[col] = i
    if issues:
        raise InputError(issues=issues)

    rows: list[list] = []
    source_rows: list[int] = []
    every_column = keep == list(range(len(names)))
    for rowno, cells in records:
        picked = cells if every_column else [cells[i] for i in keep]
        if picked.count(None) < len(picked):
            rows.append(picked)
            source_rows.append(rowno)
    if not rows:
        raise _error(name, RULE_NO_DATA)
    df = pd.DataFrame(rows, columns=[names[i] for i in keep], dtype=object)
    df.attrs["source_rows"] = source_rows
    df.attrs["header_row"] = header_row
    return df


# --------------------------------------------------------------------------------------------
# CSV


def _read_csv(path: Path, name: str, ext: str, encoding: str | None,
              delimiter: str | None) -> pd.DataFrame:
    raw = path.read_bytes()
    notes: list[Issue] = []
    text, used_encoding = _decode(raw, name, encoding, notes)
    del raw  # held twice (bytes and text) no longer than needed
    text = text.removeprefix("\ufeff")
    text, provenance = _provenance_lines(text)
    if not text or text.isspace():
        raise _error(name, RULE_NO_DATA)
    delim = _resolve_delimiter(name, delimiter) if delimiter else _sniff_delimiter(text, ext)
    _check_csv_size(text, delim, name)
    # Memory: each row becomes its cells as it is parsed, and a short value that repeats (a
    # country, a year, a status) is kept once: a million rows took 0.9 GB without.
    shared: dict[str, str] = {}

    def cells_of(fields: list[str]) -> list:
        out = []
        for f in fields:
            if not f.strip():
                out.append(None)
                continue
            if "\r" in f:
                f = f.replace("\r\n", "\n")
            if len(f) > 32:
                out.append(f)
            elif len(shared) < 65_536:  # repeated values fill it first; unique ones would bloat it
                out.append(shared.setdefault(f, f))
            else:
                out.append(shared.get(f, f))
        return out

    records = _parse_csv(text, delim, name, convert=cells_of)
    del text

    header_at = next((k for k, (_, cells) in enumerate(records)
                      if any(c is not None for c in cells)), None)
    if header_at is None:
        raise _error(name, RULE_NO_DATA)
    header_row, header = records[header_at]
    header = [h or "" for h in header]
    width = len(header)
    issues: list[Issue] = []
    data: list[tuple[int, list]] = []
    for k in range(header_at + 1, len(records)):
        rowno, cells = records[k]
        records[k] = None
        extra = [c for c in cells[width:] if c is not None] if len(cells) > width else None
        if extra:
            # Trailing empty fields (a stray delimiter at the end of a line) are harmless.
            shown = "tab" if delim == "\t" else f"'{delim}'"
            issues.append(Issue(file=name, row=rowno, value=extra[0],
                                rule=f"the row has {len(cells)} fields but the header has {width}; "
                                     f"quote values that contain {shown}"))
            continue
        if len(cells) != width:
            cells = cells[:width] + [None] * (width - len(cells))
        data.append((rowno, cells))
    if issues:
        raise InputError(issues=issues)
    df = _frame(name, header_row, header, data, label=lambda i: f"column {i + 1}")
    df.attrs["encoding"] = used_encoding
    df.attrs["delimiter"] = delim
    if provenance:
        df.attrs["provenance"] = provenance
    if notes:
        df.attrs["read_warnings"] = notes
    return df


#: A provenance line above the header, as the dashboard's exports write it ("# Source: ...").
_PROVENANCE_LINE = re.compile(r"# ?[A-Za-z][\w ]{0,30}: ")


def _provenance_lines(text: str) -> tuple[str, list[str]]:
    """Blank the ``# Label: text`` lines above the header and return them (without '# ').

    They are blanked rather than cut so that row numbers in messages still match the file.
    Only that form is taken: a header such as ``# of objects,name`` stays a header.
    """
    lines: list[str] = []
    pos = 0
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if not _PROVENANCE_LINE.match(line):
            break
        lines.append(line.rstrip("\r")[1:].strip())
        if end < 0:
            pos = len(text)
            break
        pos = end + 1
    if not lines:
        return text, []
    return "\n" * len(lines) + text[pos:], lines


def _decode(raw: bytes, name: str, encoding: str | None,
            notes: list[Issue] | None = None) -> tuple[str, str]:
    """Decode CSV bytes. An explicit ``encoding`` wins; otherwise: a BOM (UTF-8, UTF-16), UTF-8,
    then the detector (charset-normalizer) for UTF-16 without BOM and East Asian encodings
    (Shift-JIS, GB18030, Big5, EUC-KR, ...), then cp1252, then Latin-1. An uncertain guess adds
    a warning to ``notes``."""
    # Excel's "Unicode Text" export is UTF-16 with a BOM: full of NUL bytes, but text.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and encoding is None:
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    sample = raw[:_SNIFF_BYTES]
    if not (encoding or "").lower().replace("-", "").startswith("utf16"):
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if b"\x00" in sample or controls > _MAX_CONTROL_SHARE * len(sample):
            # UTF-16 without a byte-order mark is full of NUL bytes too; only a text reading
            # of it (by the detector, then checked for control characters) saves it.
            guessed = None if encoding else _guess_encoding(raw, name, notes, wide=True)
            if guessed is None:
                raise _error(name, RULE_BINARY)
            return guessed

    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _error(name, f"unknown text encoding '{encoding}'; use e.g. utf-8, cp1252 or "
                               f"latin-1", value=encoding) from None
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            byte = raw[exc.start]
            raise _error(name, f"the file is not valid {encoding} text (byte 0x{byte:02x} cannot "
                               f"be decoded); re-save it as UTF-8 or give the right encoding",
                         row=line, value=_line_at(raw, exc.start)) from None

    try:
        if raw.startswith(codecs.BOM_UTF8):
            return raw.decode("utf-8-sig"), "utf-8-sig"
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _refuse_mixed_encoding(raw, name, exc.start)
    guessed = _guess_encoding(raw, name, notes, wide=False)
    if guessed is not None:
        return guessed
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five byte values are undefined in cp1252; Latin-1 decodes every byte.
        return raw.decode("latin-1"), "latin-1"


#: Encodings the detector may choose. Single-byte Western files are left to cp1252 / Latin-1:
#: on them detectors guess among dozens of code pages (cp775, mac_latin2, ...) and a wrong guess
#: would silently change letters, whereas cp1252 is what Western spreadsheet exports use.
_WIDE_ENCODINGS = {"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}
_EAST_ASIAN_ENCODINGS = {
    "cp932": "Japanese (Shift-JIS)", "shift_jis": "Japanese (Shift-JIS)",
    "shift_jis_2004": "Japanese (Shift-JIS)", "shift_jisx0213": "Japanese (Shift-JIS)",
    "euc_jp": "Japanese (EUC-JP)", "euc_jis_2004": "Japanese (EUC-JP)",
    "euc_jisx0213": "Japanese (EUC-JP)", "iso2022_jp": "Japanese (ISO-2022-JP)",
    "gb18030": "Chinese (GB18030)", "gbk": "Chinese (GBK)", "gb2312": "Chinese (GB2312)",
    "hz": "Chinese (HZ)", "big5": "Chinese (Big5)", "big5hkscs": "Chinese (Big5-HKSCS)",
    "cp950": "Chinese (Big5)", "cp949": "Korean (EUC-KR)", "euc_kr": "Korean (EUC-KR)",
    "johab": "Korean (Johab)", "iso2022_kr": "Korean (ISO-2022-KR)",
}
_GUESS_BYTES = 256 * 1024
#: A detector's mess ratio above this (0 = clean text) makes its guess uncertain.
_UNCERTAIN_CHAOS = 0.1


def _guess_encoding(raw: bytes, name: str, notes: list[Issue] | None, *, wide: bool
                    ) -> tuple[str, str] | None:
    """The detector's reading of bytes that are not UTF-8: (text, encoding) for UTF-16/32
    without BOM (``wide``) or an East Asian encoding; None to fall back (binary, or Western).

    The guess is made on a sample, then the whole file must decode strictly in it. A close
    second reading in another language, or a messy best one, adds a warning to ``notes``.
    """
    # the detector only for files that are not UTF-8 (keeps plain CSV reads light)
    from charset_normalizer import from_bytes

    sample = raw[:_GUESS_BYTES]
    if len(raw) > _GUESS_BYTES:
        cut = sample.rfind(b"\n")
        sample = sample[:cut + (2 if wide else 1)] if cut > 0 else sample
        if wide and len(sample) % 2:
            sample = sample[:-1]
    try:
        results = list(from_bytes(sample))
    except Exception:  # noqa: BLE001 - a detector failure means "no guess", never a crash
        return None
    allowed = _WIDE_ENCODINGS if wide else set(_EAST_ASIAN_ENCODINGS)
    results = [r for r in results if r.encoding in allowed]
    if not results:
        return None
    best = results[0]
    try:
        text = raw.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if wide:
        controls = sum(1 for ch in text[:_SNIFF_CHARS] if ch < " " and ch not in "\t\n\v\f\r")
        if controls > _MAX_CONTROL_SHARE * min(len(text), _SNIFF_CHARS) or "\n" not in text:
            return None
        return text, best.encoding
    label = _EAST_ASIAN_ENCODINGS[best.encoding]
    rivals = [r for r in results[1:] if r.chaos <= best.chaos + 0.02
              and _EAST_ASIAN_ENCODINGS[r.encoding].split(" ")[0] != label.split(" ")[0]]
    if notes is not None and (rivals or best.chaos > _UNCERTAIN_CHAOS):
        also = (f"; it also reads as {_EAST_ASIAN_ENCODINGS[rivals[0].encoding]}"
                if rivals else "")
        notes.append(Issue(file=name, value=best.encoding, rule=(
            f"no encoding was given and the guess is uncertain: read as {label}{also}. If names "
            f"look garbled, give the encoding (read: encoding: in a mapping file, e.g. "
            f"{rivals[0].encoding if rivals else 'cp932'}) or re-save the file as UTF-8")))
    return text, best.encoding


def _line_at(raw: bytes, pos: int) -> str:
    start = raw.rfind(b"\n", 0, pos) + 1
    end = raw.find(b"\n", pos)
    return raw[start:end if end >= 0 else len(raw)].decode("cp1252", errors="replace").strip()


def _refuse_mixed_encoding(raw: bytes, name: str, first_bad: int) -> None:
    """Refuse a file that is partly UTF-8 and partly another encoding.

    Concatenated exports do this; decoding the whole file as cp1252 would silently turn every
    UTF-8 "é" into "Ã©". A line of a genuine cp1252 file is almost never valid UTF-8 when it
    holds non-ASCII letters, so two such lines are strong evidence.
    """
    utf8_lines = 0
    for line in raw.splitlines():
        if _NON_ASCII.search(line):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            utf8_lines += 1
            if utf8_lines >= 2:
                row = raw.count(b"\n", 0, first_bad) + 1
                raise _error(name, "the file mixes UTF-8 with another encoding (cp1252/Latin-1); "
                                   "re-save the whole file as UTF-8, or give the encoding "
                                   "explicitly (read: encoding in the mapping file)",
                             row=row, value=_line_at(raw, first_bad))


def _resolve_delimiter(name: str, delimiter: str) -> str:
    aliases = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    delim = aliases.get(delimiter.lower(), delimiter)
    if len(delim) != 1 or delim in "\"\r\n":
        raise _error(name, "the delimiter must be a single character such as , ; | or tab",
                     value=delimiter)
    return delim


def _sniff_delimiter(text: str, ext: str) -> str:
    """Pick the delimiter among , ; tab | from the csv.Sniffer and the header line.

    The header line is the tie-breaker of record: column names rarely contain delimiters, so the
    candidate occurring most often in it wins unless the sniffer's pick occurs just as often.
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[:sample.rfind("\n")]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    header = next((ln for ln in _text_lines(text) if ln.strip()), "")
    counts = {d: _count_unquoted(header, d) for d in DELIMITERS}
    best = max(counts.values())
    default = "\t" if ext == ".tsv" else ","
    if best == 0:
        return default
    if sniffed in counts and counts[sniffed] == best:
        return sniffed
    if counts[default] == best:
        return default
    return next(d for d in DELIMITERS if counts[d] == best)


def _count_unquoted(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


def _check_csv_size(text: str, delim: str, name: str) -> None:
    """Refuse a CSV with more rows or cells than the limits before building any row.

    Parsed rows cost some 60 bytes a cell in Python (a 70 MB, 3-million-row file took 4.7 GB),
    so the count comes first: a record never spans fewer than one line, so a file with few
    enough lines is within the limits without looking further; otherwise the records are counted
    by a parse that keeps nothing and stops at the first row past the limit.
    """
    rows_limit, cells_limit = max_rows(), max_cells()
    lines = text.count("\n") + 1
    header = next((ln for ln in text[:_SNIFF_CHARS].splitlines() if ln.strip()), "")
    width = _count_unquoted(header, delim) + 1
    if lines <= rows_limit and lines * width <= cells_limit:
        return
    reader = csv.reader(_text_lines(text), delimiter=delim, quotechar='"', doublequote=True,
                        strict=False)
    rows = cells = 0
    try:
        for fields in reader:
            if not rows and not any(f.strip() for f in fields):
                continue  # blank lines above the header
            rows += 1
            cells += len(fields)
            if rows - 1 > rows_limit:
                raise _limit_error(name, f"the file has more than {rows_limit:,} data rows",
                                   "ASEMUS_MAX_ROWS")
            if cells > cells_limit:
                raise _limit_error(name, f"the file has more than {cells_limit:,} cells (rows x "
                                         f"columns)", "ASEMUS_MAX_CELLS", row=rows)
    except csv.Error:
        return  # the parse proper reports the malformed row with its number


def _text_lines(text: str):
    """The lines of ``text`` for csv.reader, ends kept, without a copy of the whole text.

    io.StringIO would hold a second copy at four bytes a character (270 MB for a 68 MB file);
    when every CR is part of a CRLF, slicing at LF gives the same lines. Old Mac files (lone CR)
    still go through StringIO, which splits at any line end."""
    if text.count("\r") != text.count("\r\n"):
        yield from io.StringIO(text, newline="")
        return
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _parse_csv(text: str, delim: str, name: str, convert=None) -> list[tuple[int, list]]:
    """Split CSV text into (spreadsheet row number, fields) records, blank lines included;
    ``convert`` turns each row's fields into its cells as it is read."""

    def parse(strict: bool):
        reader = csv.reader(_text_lines(text), delimiter=delim, quotechar='"',
                            doublequote=True, strict=strict)
        out: list[tuple[int, list]] = []
        try:
            for fields in reader:
                out.append((len(out) + 1, convert(fields) if convert else fields))
        except csv.Error as exc:
            return out, exc
        return out, None

    records, exc = parse(strict=True)
    if exc is None:
        return records
    row = len(records) + 1
    msg = str(exc)
    if "unexpected end of data" in msg:
        raise _error(name, "a double quote opened in this row is never closed, so the rest of the "
                           "file would be read as one value; close or remove the quote", row=row)
    if "field larger than field limit" in msg:
        raise _error(name, f"a value is longer than {csv.field_size_limit()} characters (often an "
                           f"unbalanced double quote swallowing the following rows)", row=row)
    # Sloppy but readable quoting such as "12"" vase" or "a"b: let the lenient parser have it.
    records, exc = parse(strict=False)
    if exc is not None:
        raise _error(name, f"cannot read this row as CSV: {exc}", row=len(records) + 1)
    return records


# --------------------------------------------------------------------------------------------
# Excel


def _read_excel(path: Path, name: str, sheet: str | None) -> pd.DataFrame:
    # openpyxl only when a spreadsheet is read: the CLI's --help and a CSV validation stay quick
    import openpyxl

    _check_workbook(path, name, sheet)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extensions (data validation, ...); irrelevant here.
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=False, data_only=False)
    except Exception:  # noqa: BLE001 - any failure to parse the zip/XML means the same to a person
        raise _error(name, _UNREADABLE_WORKBOOK) from None
    try:
        ws = _pick_sheet(wb, name, sheet)
        return _sheet_frame(ws, name)
    finally:
        wb.close()


_UNREADABLE_WORKBOOK = ("this file cannot be opened as an Excel workbook (.xlsx/.xlsm); it may be "
                        "damaged, password-protected or an old .xls file renamed; open it in "
                        "Excel and save it again as .xlsx")
_XML_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")


def _check_workbook(path: Path, name: str, sheet: str | None) -> None:
    """Refuse a workbook too big to load, from its zip directory and one streamed pass over the
    sheets' XML, before openpyxl builds an object per cell (~0.4 KB each: a 1.5 MB file that
    unpacks to 3 million rows took 3.9 GB and 5 minutes).

    The sheets' stated dimensions can lie, so rows and cells are counted in the XML itself. Every
    sheet counts towards the cells: openpyxl loads them all, not only the one that is read.
    """
    # openpyxl only when a spreadsheet is read: the CLI's --help and a CSV validation stay quick
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(path) as zf:
            unzipped = sum(info.file_size for info in zf.infolist())
            limit = max_unzipped_bytes()
            if unzipped > limit:
                raise _limit_error(name, f"the workbook unpacks to {_size_text(unzipped)}; the "
                                         f"limit is {_limit_text(limit)}",
                                   "ASEMUS_MAX_UNZIPPED_MB")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # read-only mode parses the workbook's sheet list, not the sheets themselves
                wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
            try:
                picked = _pick_sheet(wb, name, sheet).title
                members = [(ws.title, getattr(ws, "_worksheet_path", None))
                           for ws in wb.worksheets]
            finally:
                wb.close()
            counts = {}
            for title, member in members:
                if member is not None:
                    with zf.open(member.lstrip("/")) as fh:
                        counts[title] = _count_sheet_xml(fh)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - the full load below reports an unreadable workbook
        return
    rows_limit, cells_limit = max_rows(), max_cells(excel=True)
    rows = counts.get(picked, (0, 0))[0]
    if rows - 1 > rows_limit:
        raise _limit_error(name, f"the sheet '{picked}' has {rows - 1:,} rows below its first row; "
                                 f"the limit is {rows_limit:,}", "ASEMUS_MAX_ROWS", value=picked)
    cells = sum(c for _, c in counts.values())
    if cells > cells_limit:
        biggest = max(counts, key=lambda t: counts[t][1])
        where = (f"the sheet '{biggest}' has" if len(counts) == 1 else
                 f"its sheets have (the most: '{biggest}', {counts[biggest][1]:,})")
        raise _limit_error(name, f"{where} {cells:,} cells; the limit for Excel is "
                                 f"{cells_limit:,} (or save the data as CSV)",
                           "ASEMUS_MAX_EXCEL_CELLS", value=biggest)


def _count_sheet_xml(fh) -> tuple[int, int]:
    """Count <row> and <c> elements of a worksheet's XML stream in constant memory."""
    rows = cells = 0
    prefix = None
    carry = b""
    while True:
        chunk = fh.read(_MB)
        buf = carry + chunk
        if prefix is None:
            m = _XML_PREFIX.search(buf)
            if m is None and chunk:
                carry = buf[-4096:]
                continue
            prefix = (m.group(1) or b"") if m else b""
            row_tags = [b"<" + prefix + b"row" + end for end in (b" ", b">", b"/")]
            cell_tags = [b"<" + prefix + b"c" + end for end in (b" ", b">", b"/")]
        # A tag cut by the chunk boundary starts at the last '<': count it with the next chunk.
        cut = buf.rfind(b"<") if chunk else len(buf)
        if cut < 0:
            cut = len(buf)
        head, carry = buf[:cut], buf[cut:]
        rows += sum(head.count(t) for t in row_tags)
        cells += sum(head.count(t) for t in cell_tags)
        if not chunk:
            return rows, cells


def _pick_sheet(wb, name: str, sheet: str | None):
    sheets = list(wb.worksheets)
    if sheet is not None:
        wanted = str(sheet).strip()
        found = next((ws for ws in sheets if ws.title == wanted), None) or next(
            (ws for ws in sheets if ws.title.strip().casefold() == wanted.casefold()), None)
        if found is None:
            raise _error(name, f"the workbook has no sheet named '{wanted}'; its sheets are: "
                               + ", ".join(ws.title for ws in sheets), value=wanted)
        return found
    data = [ws for ws in sheets if ws.title.strip().casefold() not in SKIPPED_SHEETS]
    visible = [ws for ws in data if ws.sheet_state == "visible"]
    if not data:
        raise _error(name, "the workbook has no data sheet (only README/Instructions)")
    return (visible or data)[0]


def _sheet_frame(ws, name: str) -> pd.DataFrame:
    grid: dict[int, list] = {}
    formulas = []
    for row in ws.iter_rows():
        cells = []
        for cell in row:
            if cell.data_type == "f":
                formulas.append(cell)
                cells.append(None)
            else:
                cells.append(_text(cell.value, excel=True))
        grid[row[0].row if row else len(grid) + 1] = cells
    width = max((len(c) for c in grid.values()), default=0)

    header_row = next((r for r, cells in sorted(grid.items()) if any(c is not None for c in cells)),
                      None)
    if header_row is None and not formulas:
        raise _error(name, RULE_NO_DATA, value=ws.title)
    header_row = header_row or min(cell.row for cell in formulas)
    header = grid.get(header_row, []) + [None] * width
    header = header[:width]

    def column_name(col_idx: int) -> str:
        text = (header[col_idx - 1] or "").strip() if col_idx - 1 < len(header) else ""
        return text or _column_letter(col_idx - 1)

    issues: list[Issue] = []
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.min_row <= header_row <= rng.max_row:
            issues.append(Issue(file=name, row=header_row, column=column_name(rng.min_col),
                                value=rng.coord, rule=RULE_MERGED_HEADER))
    for cell in formulas:
        formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", None)
        issues.append(Issue(file=name, row=cell.row, column=column_name(cell.column),
                            value=formula if formula is not None else str(cell.value),
                            rule=RULE_FORMULA))
    if issues:
        raise InputError(issues=issues)

    # A merged block in the data shows its value in every covered cell; keep what a person sees.
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= header_row:
            continue
        top_left = grid.get(rng.min_row, [None] * width)[rng.min_col - 1]
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                grid[r][c - 1] = top_left

    records = [(r, cells + [None] * (width - len(cells)))
               for r, cells in sorted(grid.items()) if r > header_row]
    df = _frame(name, header_row, header, records)
    df.attrs["sheet"] = ws.title
    return df


# --------------------------------------------------------------------------------------------
# Parquet


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    # pyarrow only when a Parquet file is read (heavy to import)
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError):
        raise _error(name, "this file cannot be read as Parquet; it may be damaged or not a "
                           "Parquet file") from None
    # The footer states rows, columns and unpacked sizes: refuse before reading a single value.
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if meta.num_rows > max_rows():
        raise _limit_error(name, f"the file has {meta.num_rows:,} rows; the limit is "
                                 f"{max_rows():,}", "ASEMUS_MAX_ROWS")
    if meta.num_rows * meta.num_columns > max_cells():
        raise _limit_error(name, f"the file has {meta.num_rows * meta.num_columns:,} cells (rows x "
                                 f"columns); the limit is {max_cells():,}", "ASEMUS_MAX_CELLS")
    if unpacked > max_unzipped_bytes():
        raise _limit_error(name, f"the file unpacks to {_size_text(unpacked)}; the limit is "
                                 f"{_limit_text(max_unzipped_bytes())}", "ASEMUS_MAX_UNZIPPED_MB")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError):
        raise _error(name, "this file cannot be read as Parquet; it may be damaged or not a "
                           "Parquet file") from None
    keep = [i for i, col in enumerate(table.schema.names)
            if not col.startswith("__index_level_")]  # pandas' saved index, not data
    header = [table.schema.names[i] for i in keep]
    columns = [[_text(v) for v in table.column(i).to_pylist()] for i in keep]
    # Parquet has no rows a person can see; number them as if exported with a header row.
    records = [(k + 2, [col[k] for col in columns]) for k in range(table.num_rows)]
    return _frame(name, 1, header, records)


# --------------------------------------------------------------------------------------------
# GeoJSON


def _read_geojson(path: Path, name: str) -> pd.DataFrame:
    # JSON is parsed whole into Python objects (a 69 MB FeatureCollection took 1.1 GB): its own,
    # lower size limit keeps one upload's memory bounded.
    size, limit = path.stat().st_size, max_json_bytes()
    if size > limit:
        raise _limit_error(name, f"the JSON file is {_size_text(size)}; the limit for JSON is "
                                 f"{_limit_text(limit)} (it is read whole into memory; CSV or "
                                 f"Parquet have no such limit)", "ASEMUS_MAX_JSON_MB")
    raw = path.read_bytes()
    if b"\x00" in raw[:_SNIFF_BYTES]:
        raise _error(name, RULE_BINARY)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(name, "GeoJSON must be UTF-8 text; re-save it as UTF-8",
                     row=raw.count(b"\n", 0, exc.start) + 1) from None
    if not text.strip():
        raise _error(name, RULE_NO_DATA)
    try:
        # Numbers stay exactly as written ("1.50" stays "1.50"), like every other format.
        doc = json.loads(text, parse_float=_JsonNumber, parse_int=_JsonNumber)
    except json.JSONDecodeError as exc:
        raise _error(name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                     row=exc.lineno) from None
    except RecursionError:
        raise _error(name, RULE_TOO_DEEP) from None

    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise _error(name, "the FeatureCollection has no 'features' list", column="features")
    elif isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    elif isinstance(doc, list):
        # A plain JSON list of records (as many collection APIs export) reads like GeoJSON
        # features without geometry.
        features = [{"type": "Feature", "properties": item, "geometry": None}
                    if isinstance(item, dict) else item for item in doc]
    else:
        raise _error(name, "expected a GeoJSON FeatureCollection (or a JSON list of records)",
                     value=doc.get("type") if isinstance(doc, dict) else type(doc).__name__)

    if len(features) > max_rows():
        raise _limit_error(name, f"the file has {len(features):,} features; the limit is "
                                 f"{max_rows():,}", "ASEMUS_MAX_ROWS")
    issues: list[Issue] = []
    header: dict[str, None] = {}
    rows: list[tuple[int, dict]] = []
    has_points = False
    for k, feature in enumerate(features):
        rowno = k + 2
        if not isinstance(feature, dict):
            issues.append(Issue(file=name, row=rowno, value=_text(feature),
                                rule="each feature must be a JSON object"))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            issues.append(Issue(file=name, row=rowno, column="properties", value=_text(props),
                                rule="'properties' must be a JSON object"))
            continue
        record = {str(key).strip(): _json_cell(value) for key, value in props.items()}
        geom = feature.get("geometry")
        if geom is not None:
            gtype = geom.get("type") if isinstance(geom, dict) else None
            if gtype != "Point":
                issues.append(Issue(file=name, row=rowno, column="geometry", value=gtype or geom,
                                    rule="only Point geometries are supported; give each feature "
                                         "one point (longitude, latitude)"))
                continue
            coords = geom.get("coordinates")
            if not (isinstance(coords, list) and len(coords) >= 2 and _is_number(coords[0])
                    and _is_number(coords[1])):
                issues.append(Issue(file=name, row=rowno, column="geometry",
                                    value=_json_cell(coords),
                                    rule="a Point needs numeric coordinates [longitude, latitude]"))
                continue
            for axis in ("longitude", "latitude"):
                if record.get(axis) is not None:
                    issues.append(Issue(file=name, row=rowno, column=axis, value=record[axis],
                                        rule=f"'{axis}' is given both as a property and by the "
                                             f"Point geometry; keep only one"))
            record["longitude"], record["latitude"] = str(coords[0]), str(coords[1])
            has_points = True
        header.update(dict.fromkeys(k for k in record if k not in ("longitude", "latitude")))
        rows.append((rowno, record))
    if issues:
        raise InputError(issues=issues)

    columns = list(header)
    if has_points or any("longitude" in r or "latitude" in r for _, r in rows):
        columns += ["longitude", "latitude"]
    records = [(rowno, [rec.get(c) for c in columns]) for rowno, rec in rows]
    if not columns:
        raise _error(name, RULE_NO_DATA)
    return _frame(name, 1, columns, records)


class _JsonNumber(str):
    """A JSON number kept as the text it was written as."""


def _json_cell(value) -> str | None:
    if isinstance(value, (dict, list)):
        return _json_text(value)
    if isinstance(value, _JsonNumber):
        return str(value)  # a plain str, not the marker subclass
    return _text(value)


def _json_text(value) -> str:
    """Serialise nested JSON back to text, numbers unquoted and exactly as written."""
    if isinstance(value, _JsonNumber):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_json_text(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _is_number(value) -> bool:
    try:
        return math.isfinite(float(value)) and not isinstance(value, bool)
    except (TypeError, ValueError):
        return False
