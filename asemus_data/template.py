"""The member survey workbook: one sheet per table a museum can submit, each column described,
allowed values offered as drop-downs, an example row. A filled workbook imports as it is."""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .schemas import TABLES, column_info

TEMPLATE_MARKER_SHEET = "_asemus_template"
#: Spreadsheet rows below the header that hold the description and the example (not data).
TEMPLATE_SKIP_ROWS = {2, 3}
FIRST_DATA_ROW = 4
LAST_VALIDATED_ROW = 2000
#: Columns the importer fills itself; the survey does not ask for them.
_NOT_ASKED = {"status", "country_code", "region", "coord_precision", "origin_country_code",
              "member_status"}

_HEAD = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_NOTE = Font(italic=True, color="555555", size=9)
_EXAMPLE = Font(italic=True, color="7F7F7F")

INSTRUCTIONS = """ASEMUS Mapping of Asian Collections: member survey

Fill one sheet per kind of record you can share. Row 1 holds the column names (do not change
them); row 2 describes each column; row 3 is an example (leave it, it is skipped on import).
Write your rows from row 4 down. Columns with a drop-down accept only the listed values.

- institutions: your museum (one row), with its city and country.
- collections: your Asian holdings, one row per collection (origin, category, period, objects).
- objects: object-level records (e.g. masterpieces), if you can share them.
- exhibitions / exhibition_venues: exhibitions with Asian material and where they travelled.
- collaborations: ties with other ASEMUS museums (exchanges, loans, joint exhibitions).

Dates: write the date as you record it in 'date_text' ("Qing dynasty", "c. 1850",
"18th-19th century"); the years are read from it. Numbers: digits only.
Never start a text cell with = + - or @ (spreadsheets may run it as a formula).
Check the file before sending: python -m asemus_data validate FILE --table TABLE
"""


def survey_columns(table: str):
    info = column_info(table)
    return info[~info.column.isin(_NOT_ASKED)].reset_index(drop=True)


def template_bytes() -> bytes:
    """The survey workbook as bytes (for a download button)."""
    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


def write_template(out):
    """Write the survey workbook to ``out`` (a path or a binary file object) and return it."""
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    for i, line in enumerate(INSTRUCTIONS.splitlines(), start=1):
        readme.cell(row=i, column=1, value=line)
    readme.column_dimensions["A"].width = 110
    readme["A1"].font = Font(bold=True, size=14)

    lists = wb.create_sheet("lists")
    list_col = 0
    for table, spec in TABLES.items():
        if not spec.survey:
            continue
        ws = wb.create_sheet(table)
        cols = survey_columns(table)
        for j, c in enumerate(cols.itertuples(), start=1):
            letter = get_column_letter(j)
            head = ws.cell(row=1, column=j, value=c.column)
            head.font, head.fill = _HEAD, _HEAD_FILL
            note = c.description + (" Required." if c.required else "")
            head.comment = Comment(note, "ASEMUS")
            desc = ws.cell(row=2, column=j, value=note)
            desc.font, desc.alignment = _NOTE, Alignment(wrap_text=True, vertical="top")
            ex = ws.cell(row=3, column=j, value=c.example)
            ex.font = _EXAMPLE
            ws.column_dimensions[letter].width = max(14, min(40, len(c.column) + 6))
            if c.allowed:
                list_col += 1
                ll = get_column_letter(list_col)
                lists.cell(row=1, column=list_col, value=f"{table}.{c.column}")
                for k, v in enumerate(c.allowed, start=2):
                    lists.cell(row=k, column=list_col, value=v)
                dv = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                                    formula1=f"=lists!${ll}$2:${ll}${len(c.allowed) + 1}",
                                    errorTitle="Not an allowed value",
                                    error="Choose a value from the list.")
                ws.add_data_validation(dv)
                dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_VALIDATED_ROW}")
        ws.row_dimensions[2].height = 60
        ws.freeze_panes = "A4"
    lists.sheet_state = "hidden"
    marker = wb.create_sheet(TEMPLATE_MARKER_SHEET)
    marker["A1"] = "asemus-survey-template"
    marker["A2"] = "header_rows"
    marker["B2"] = 3
    marker.sheet_state = "hidden"
    if isinstance(out, (str, Path)):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
