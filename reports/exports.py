"""A report as an Excel workbook: one sheet per table, its two-level header merged (the unit column over both header
rows, each group over its columns), numbers as numbers, set up to print landscape on one page wide with the header
repeated on every page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports.report import Report

THIN = Side(style="thin", color="444444")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def workbook(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in report.tables:
        sheet = book.create_sheet(title=table.title[:31])
        width = 1 + len(table.columns)
        sheet.cell(row=1, column=1, value=f"{report.institution.name} {report.period.label} {table.title}")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        sheet.cell(row=1, column=1).alignment = CENTRE
        sheet.cell(row=2, column=1, value=_("Department or body"))
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
        column = 2
        for group, columns in table.groups:
            sheet.cell(row=2, column=column, value=group)
            if len(columns) > 1:
                sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + len(columns) - 1)
            for offset, label in enumerate(columns):
                sheet.cell(row=3, column=column + offset, value=label)
            column += len(columns)
        for label, values in [*table.rows, (_("Total"), table.total)]:
            sheet.append([label, *values])
        last = sheet.max_row
        sheet.cell(row=last, column=1).font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2, max_row=last, max_col=width):
            for cell in row:
                cell.border = BOX
                if cell.row <= 3:
                    cell.font, cell.alignment = Font(bold=True), CENTRE
        sheet.column_dimensions["A"].width = 24
        for n in range(2, width + 1):
            sheet.column_dimensions[get_column_letter(n)].width = 11
        sheet.freeze_panes = "B4"
        sheet.print_title_rows = "2:3"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
