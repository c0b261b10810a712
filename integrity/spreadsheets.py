"""Reading the spreadsheets institutions bring — the first sheet of an .xlsx, or a CSV in UTF-8 or GB18030 (what
Chinese Excel saves) — as rows of strings, and finding the columns by the template's header or a common alias."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header, in Chinese as institutions write it
    required: bool = False
    aliases: tuple[str, ...] = ()
    fill_down: bool = False  # blank means "same as the row above" (merged cells)


class UnreadableFile(Exception):
    pass


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_upload(upload) -> None:
    """An uploaded file any importer takes: .xlsx or .csv, and no larger than ``IMPORT_MAX_BYTES``."""
    if not upload.name.lower().endswith((".xlsx", ".csv")):
        raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(mb)s MB: split it, or ask the administrator to raise IMPORT_MAX_BYTES.")
            % {"mb": limit // (1024 * 1024)}
        )


def _capped(rows: Iterator, limit: int) -> list[list[str]]:
    """The rows read one by one, stopping at the cap: a small file that unpacks to millions of rows (a zip bomb)
    is refused after ``limit`` rows, not read to its end."""
    out = []
    for row in rows:
        if len(out) > limit:
            raise UnreadableFile(
                _("The file has more than %(n)s rows: split it, or ask the administrator to raise IMPORT_MAX_ROWS.")
                % {"n": f"{limit:,}"}
            )
        out.append([cell(v) for v in row])
    return out


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """All non-empty rows of the first sheet (xlsx) or of the CSV, as strings; the first is the header. At most
    ``IMPORT_MAX_ROWS`` rows under the header are read."""
    limit = settings.IMPORT_MAX_ROWS
    try:
        if filename.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            rows = _capped(sheet.iter_rows(values_only=True), limit)
        elif filename.lower().endswith(".csv"):
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = content.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise UnreadableFile(_("The CSV file is neither UTF-8 nor GB18030 encoded."))
            rows = _capped(csv.reader(io.StringIO(text)), limit)
        else:
            raise UnreadableFile(_("Upload an .xlsx or .csv file."))
    except UnreadableFile:
        raise
    except Exception as error:  # a corrupt spreadsheet raises many kinds of errors; all mean the same here
        raise UnreadableFile(_("The file could not be read: %(error)s") % {"error": error}) from error
    rows = [row for row in rows if any(row)]
    if len(rows) < 2:
        raise UnreadableFile(_("The file has no data rows under its header."))
    return rows


def norm(text: str) -> str:
    return re.sub(r"[\s*＊:：()（）]", "", text)


def find_columns(columns: list[Column], header: list[str]) -> dict[str, int | None]:
    """Which column of the file holds each field, by the template's header or a common alias."""
    positions = {norm(h): i for i, h in enumerate(header) if h}
    return {
        column.key: next(
            (positions[norm(name)] for name in (column.label, *column.aliases) if norm(name) in positions), None
        )
        for column in columns
    }
