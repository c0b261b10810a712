"""List exports that open cleanly in Chinese Excel and run nothing.

CSV is UTF-8 with a byte-order mark, which is what tells Excel the encoding (without it Excel reads GBK and shows
mojibake). No cell is ever read as a formula: a text beginning with ``=``, ``+``, ``-``, ``@`` or a control
character — a party's name, a clue's source, an imported title — is written as text (in CSV with a leading
apostrophe, the usual defence; in XLSX as a string cell, shown exactly as it is). Times are the institution's local
time: a spreadsheet has no time zones.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

from django.utils import timezone
from django_tables2.export import TableExport
from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value)


def _local(value: object) -> object:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


class SafeExport(TableExport):
    def export(self):
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
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    cell = sheet.cell(row=r, column=c, value=_local(value))
                    if is_formula_like(value):
                        cell.data_type = "s"  # the text as it is, never a formula
            sheet.freeze_panes = "A2"
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()
        return super().export()
