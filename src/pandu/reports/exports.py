"""Any table of the dashboard as CSV or XLSX: a header row with the columns, then the rows.

Numbers stay numbers (a spreadsheet can sum them); a missing figure is an empty cell. The CSV is
UTF-8 with a byte-order mark so spreadsheet programmes read Indonesian and English names right.
"""

from __future__ import annotations

import csv
import io

from pandu.reports.tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells a spreadsheet would run as a formula (CSV injection); such text gets a leading quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table, *, title: str = "") -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    sheet.title = (table.key or "data")[:31]
    if title:
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe(v) for v in row])
    sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
