"""Reading the spreadsheets institutions bring — a sheet of an .xlsx (the first unless one is named), or a CSV in
UTF-8 or GB18030 (what Chinese Excel saves) — as rows of strings; finding the columns by the template's header or a
common alias; and a ``Mapping`` that turns each row into fields the way the person importing said: which column
holds a field, a constant for a field the file lacks, a default for blanks, and what their words mean."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

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
    word: Callable[[str], str] = str.strip  # how a cell is written down before its value map is looked up


@dataclass(frozen=True)
class SheetKind:
    """A kind of file the product imports (risk points, cases, people…): its name on the command line and in the
    synonym table, what people call it, and its columns. Each app registers its own when it loads."""

    code: str
    label: str
    columns: list[Column]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SHEET_KINDS: dict[str, SheetKind] = {}


def register(kind: SheetKind) -> None:
    SHEET_KINDS[kind.code] = kind


class UnreadableFile(Exception):
    pass


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


FORMATS = (".xlsx", ".xls", ".csv")


def check_upload(upload) -> None:
    """An uploaded file any importer takes: .xlsx, .xls or .csv, and no larger than ``IMPORT_MAX_BYTES``."""
    if not upload.name.lower().endswith(FORMATS):
        raise forms.ValidationError(_("Upload an .xlsx, .xls or .csv file."))
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


def _xls_rows(book, sheet) -> Iterator[list]:
    import xlrd

    for r in range(sheet.nrows):
        row = []
        for c in sheet.row(r):
            if c.ctype == xlrd.XL_CELL_DATE:
                moment = xlrd.xldate_as_datetime(c.value, book.datemode)
                row.append(moment.date() if moment.time() == datetime.time() else moment)
            else:
                row.append(c.value)
        yield row


def _sheets(content: bytes, filename: str) -> dict[str, Callable[[], Iterator]]:
    """Each sheet's rows by the sheet's name, in the workbook's order, read only when asked for; a CSV is one sheet
    named "". Old Excel files (.xls, what many case systems still export) are read by xlrd."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return {n: (lambda n=n: workbook[n].iter_rows(values_only=True)) for n in workbook.sheetnames}
        if name.endswith(".xls"):
            import xlrd

            book = xlrd.open_workbook(file_contents=content, on_demand=True)
            return {n: (lambda n=n: _xls_rows(book, book.sheet_by_name(n))) for n in book.sheet_names()}
    except Exception as error:  # a corrupt spreadsheet raises many kinds of errors; all mean the same here
        raise UnreadableFile(_("The file could not be read: %(error)s") % {"error": error}) from error
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnreadableFile(_("The CSV file is neither UTF-8 nor GB18030 encoded."))
        return {"": lambda: csv.reader(io.StringIO(text))}
    raise UnreadableFile(_("Upload an .xlsx, .xls or .csv file."))


def best_sheet(
    content: bytes, filename: str, columns: list[Column], synonyms: dict[str, list[str]] | None = None
) -> str:
    """The sheet whose first row names the most of the columns (a workbook often opens on a notes or cover sheet);
    the first sheet when none names any, and "" for a CSV."""
    sheets = _sheets(content, filename)
    names = list(sheets)

    def recognised(name: str) -> int:
        return sum(i is not None for i in find_columns(columns, _first_row(sheets[name]()), synonyms).values())

    return names[0] if len(names) < 2 else max(names, key=lambda name: (recognised(name), -names.index(name)))


def _first_row(rows: Iterator) -> list[str]:
    for n, row in enumerate(rows):
        header = [cell(v) for v in row]
        if any(header) or n > 20:
            return header
    return []


def _read(content: bytes, filename: str, sheet: str, how: Callable[[Iterator], list]) -> list:
    """``how`` applied to the rows of the named sheet (the first when none is named) or of the CSV."""
    sheets = _sheets(content, filename)
    if sheet and sheet not in sheets:
        raise UnreadableFile(
            _("The workbook has no sheet “%(sheet)s”; its sheets are: %(names)s.")
            % {"sheet": sheet, "names": "、".join(sheets)}
        )
    try:
        return how(sheets[sheet or next(iter(sheets))]())
    except UnreadableFile:
        raise
    except Exception as error:  # a corrupt spreadsheet raises many kinds of errors; all mean the same here
        raise UnreadableFile(_("The file could not be read: %(error)s") % {"error": error}) from error


def read_header(content: bytes, filename: str, sheet: str = "") -> list[str]:
    """The header row of the sheet: its first non-empty row, read without the rest — enough to map the columns of a
    file too large to read in a request."""
    header = _read(content, filename, sheet, _first_row)
    if not any(header):
        raise UnreadableFile(_("The file has no data rows under its header."))
    return header


def read_rows(content: bytes, filename: str, sheet: str = "") -> list[list[str]]:
    """All non-empty rows of the sheet, as strings; the first is the header. At most ``IMPORT_MAX_ROWS`` rows under
    the header are read."""
    rows = _read(content, filename, sheet, lambda rows: _capped(rows, settings.IMPORT_MAX_ROWS))
    rows = [row for row in rows if any(row)]
    if len(rows) < 2:
        raise UnreadableFile(_("The file has no data rows under its header."))
    return rows


def norm(text: str) -> str:
    return re.sub(r"[\s*＊:：()（）]", "", text)


def find_columns(
    columns: list[Column], header: list[str], synonyms: dict[str, list[str]] | None = None
) -> dict[str, int | None]:
    """Which column of the file holds each field, by the template's header, a common alias, or a synonym the
    administrators added (``synonyms``: field → headers, see ``integrity.queries.header_synonyms``)."""
    positions = {norm(h): i for i, h in enumerate(header) if h}
    synonyms = synonyms or {}
    return {
        column.key: next(
            (
                positions[norm(name)]
                for name in (column.label, *column.aliases, *synonyms.get(column.key, ()))
                if norm(name) in positions
            ),
            None,
        )
        for column in columns
    }


@dataclass
class Mapping:
    """How each row of a file becomes fields: the column that holds each field (by position), a constant for a
    field the file does not have ("every row is post-level"), a default for a blank cell, and a value map from the
    file's words to the product's (高 → high). Plain data: an import keeps it, and offers it again for the same
    headers."""

    columns: dict[str, int | None] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def present(self, key: str) -> bool:
        """Whether the file (or a constant) says anything about the field: a field it does not mention is left as
        it is on the records a re-import updates."""
        return self.columns.get(key) is not None or key in self.constants

    def missing(self, columns: list[Column]) -> list[str]:
        return [c.label for c in columns if c.required and not self.present(c.key) and c.key not in self.defaults]

    def read(self, columns: list[Column], rows: list[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
        """(spreadsheet row number, {field: text}) per data row. A blank under a merged cell takes the value above
        it (within this file and sheet only), then the default; the value map applies last."""
        above: dict[str, str] = {}
        for number, row in enumerate(rows[1:], start=2):
            values = {}
            for column in columns:
                key = column.key
                if key in self.constants:
                    text = self.constants[key]
                else:
                    index = self.columns.get(key)
                    text = row[index] if index is not None and index < len(row) else ""
                    if column.fill_down:
                        text = above[key] = text or above.get(key, "")
                    text = text or self.defaults.get(key, "")
                values[key] = self.values.get(key, {}).get(column.word(text)) or text  # "" maps nothing yet
            yield number, values
