"""List exports that open cleanly in Chinese Excel and run nothing.

CSV is UTF-8 with a byte-order mark, which is what tells Excel the encoding (without it Excel reads GBK and shows
mojibake). No cell is ever read as a formula: a text beginning with ``=``, ``+``, ``-``, ``@`` or a control
character — a party's name, a clue's source, an imported title — is written as text (in CSV with a leading
apostrophe, the usual defence; in XLSX as a string cell, shown exactly as it is). Times are the institution's local
time: a spreadsheet has no time zones.

In XLSX a date reads as a date and a number as a number — the lists render them as text (``2026-11-02``, ``95.5``),
and they are read back here; an identifier that looks like a number (a phone number, a staff number with a leading
zero) stays text. The header row stays in view and each column is as wide as its content.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from integrity.spreadsheets import Sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$")
# A quantity: no leading zero, at most nine digits before the point (longer ones are identifiers).
_QUANTITY = re.compile(r"^-?(0|[1-9]\d{0,8})(\.\d+)?$")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value)


def typed(value: object) -> object:
    """A cell's value as the spreadsheet should hold it: dates and numbers rendered as text read back."""
    if not isinstance(value, str):
        return _local(value)
    text = value.strip()
    try:
        if _DATE.match(text):
            return datetime.date.fromisoformat(text)
        if _DATETIME.match(text):
            return datetime.datetime.fromisoformat(text)
    except ValueError:
        return value
    if _QUANTITY.match(text):
        return float(text) if "." in text else int(text)
    return value


def _width(value: object) -> int:
    text = str(value or "")
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)  # a CJK character takes two columns


def _local(value: object) -> object:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def text_workbook(rows: list[list], title: str) -> bytes:
    """An .xlsx of the rows as they are (the first is the header, frozen): text that looks like a formula stays
    text. For files handed back to the person who brought them, like an import's error rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if is_formula_like(value):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def error_file(sheet: Sheet, errors: dict[int, list[str]], filename: str) -> HttpResponse:
    """The rows of an import that have errors, to fix and import again: the row's number in the file, what is
    wrong, then the row as it was. The file is read as it goes, up to the last row with errors, and only the rows
    with errors are held."""
    kept: list[list[Any]] = [[_("Row"), _("Errors"), *sheet.header]]
    last = max(errors, default=0)
    for number, row in enumerate(sheet.rows, start=2):
        if number > last:  # the rest of the file has no row to list
            break
        if number in errors:
            kept.append([number, "；".join(errors[number]), *row])
    response = HttpResponse(text_workbook(kept, str(_("Errors"))), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SafeExport(TableExport):
    def export(self) -> str | bytes:
        rows = [list(self.dataset.headers or [])] + [list(row) for row in self.dataset]
        if self.format == "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            for row in rows:
                writer.writerow("'" + v if is_formula_like(v) else _local(v) for v in row)
            return "\ufeff" + out.getvalue()
        if self.format == "xlsx":
            book = Workbook()
            sheet = book.active
            sheet.title = (self.dataset.title or "export")[:31]
            widths: dict[int, int] = {}
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    widths[c] = max(widths.get(c, 0), _width(value))
                    if is_formula_like(value):
                        cell = sheet.cell(row=r, column=c, value=value)
                        cell.data_type = "s"  # the text as it is, never a formula
                        continue
                    cell = sheet.cell(row=r, column=c, value=typed(value) if r > 1 else value)
                    if isinstance(cell.value, datetime.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(cell.value, datetime.date):
                        cell.number_format = "yyyy-mm-dd"
            for c, width in widths.items():
                sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
            sheet.freeze_panes = "A2"
            binary = io.BytesIO()
            book.save(binary)
            return binary.getvalue()
        return super().export()
