"""Reading the spreadsheets institutions bring — a sheet of an .xlsx (the first unless one is named), or a CSV in
UTF-8 or GB18030 (what Chinese Excel saves) — as rows of strings; finding the columns by the template's header or a
common alias; and a ``Mapping`` that turns each row into fields the way the person importing said: which column
holds a field, a constant for a field the file lacks, a default for blanks, and what their words mean."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
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
    label: str | Promise
    columns: list[Column]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SHEET_KINDS: dict[str, SheetKind] = {}


def register(kind: SheetKind) -> None:
    SHEET_KINDS[kind.code] = kind


class UnreadableFile(Exception):
    pass


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


FORMATS = (".xlsx", ".xls", ".csv")


def check_upload(upload: UploadedFile) -> None:
    """An uploaded file any importer takes: .xlsx, .xls or .csv, and no larger than ``IMPORT_MAX_BYTES``."""
    if not (upload.name or "").lower().endswith(FORMATS):
        raise forms.ValidationError(_("Upload an .xlsx, .xls or .csv file."))
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(mb)s MB: split it, or ask the administrator to raise IMPORT_MAX_BYTES.")
            % {"mb": limit // (1024 * 1024)}
        )


def _checked(rows: Iterator, limit: int) -> Iterator[list[str]]:
    """The rows as strings, read one by one as they are asked for and stopping at the cap: a small file that
    unpacks to millions of rows (a zip bomb) is refused after ``limit`` rows, not read to its end. A corrupt file
    found mid-way is unreadable, whatever the reader raised."""
    try:
        for n, row in enumerate(rows):
            if n > limit:
                raise UnreadableFile(
                    _("The file has more than %(n)s rows: split it, or ask the administrator to raise IMPORT_MAX_ROWS.")
                    % {"n": f"{limit:,}"}
                )
            yield [cell(v) for v in row]
    except UnreadableFile:
        raise
    except Exception as error:  # a corrupt spreadsheet raises many kinds of errors; all mean the same here
        raise UnreadableFile(_("The file could not be read: %(error)s") % {"error": error}) from error


def _xls_rows(book: Any, sheet: Any) -> Iterator[list]:
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


class _Source(NamedTuple):
    rows: Callable[[], Iterator]  # the sheet's rows, read as they are asked for
    size: Callable[[], int]  # how many rows the file says the sheet has (blank ones too; 0 when it does not say)


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or GB18030 (what Chinese Excel saves, GBK's superset), checked
    over the whole file a megabyte at a time without keeping the text: the rows are decoded again as they are read."""
    step = 1 << 20
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), step):
                decoder.decode(content[start : start + step], final=start + step >= len(content))
        except UnicodeDecodeError:
            continue
        return encoding
    raise UnreadableFile(_("The CSV file is neither UTF-8 nor GB18030 encoded."))


def _xlsx_sheet(workbook: Any, name: str) -> _Source:
    return _Source(lambda: workbook[name].iter_rows(values_only=True), lambda: workbook[name].max_row or 0)


def _xls_sheet(book: Any, name: str) -> _Source:
    return _Source(lambda: _xls_rows(book, book.sheet_by_name(name)), lambda: book.sheet_by_name(name).nrows)


def _sheets(content: bytes, filename: str) -> dict[str, _Source]:
    """Each sheet by its name, in the workbook's order, read only when asked for; a CSV is one sheet named "". Old
    Excel files (.xls, what many case systems still export) are read by xlrd."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return {n: _xlsx_sheet(workbook, n) for n in workbook.sheetnames}
        if name.endswith(".xls"):
            import xlrd

            book = xlrd.open_workbook(file_contents=content, on_demand=True)
            return {n: _xls_sheet(book, n) for n in book.sheet_names()}
    except Exception as error:  # a corrupt spreadsheet raises many kinds of errors; all mean the same here
        raise UnreadableFile(_("The file could not be read: %(error)s") % {"error": error}) from error
    if name.endswith(".csv"):
        encoding = _encoding(content)
        return {
            "": _Source(
                lambda: csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")),
                lambda: content.count(b"\n") + 1,  # a newline byte is never part of a GB18030 character
            )
        }
    raise UnreadableFile(_("Upload an .xlsx, .xls or .csv file."))


def best_sheet(
    content: bytes, filename: str, columns: list[Column], synonyms: dict[str, list[str]] | None = None
) -> str:
    """The sheet whose first row names the most of the columns (a workbook often opens on a notes or cover sheet);
    the first sheet when none names any, and "" for a CSV."""
    sheets = _sheets(content, filename)
    names = list(sheets)

    def recognised(name: str) -> int:
        return sum(i is not None for i in find_columns(columns, _first_row(sheets[name].rows()), synonyms).values())

    return names[0] if len(names) < 2 else max(names, key=lambda name: (recognised(name), -names.index(name)))


def _first_row(rows: Iterator) -> list[str]:
    for n, row in enumerate(rows):
        header = [cell(v) for v in row]
        if any(header) or n > 20:
            return header
    return []


def _source(content: bytes, filename: str, sheet: str) -> _Source:
    """The named sheet (the first when none is named), or the CSV."""
    sheets = _sheets(content, filename)
    if sheet and sheet not in sheets:
        raise UnreadableFile(
            _("The workbook has no sheet “%(sheet)s”; its sheets are: %(names)s.")
            % {"sheet": sheet, "names": "、".join(sheets)}
        )
    return sheets[sheet or next(iter(sheets))]


def read_header(content: bytes, filename: str, sheet: str = "") -> list[str]:
    """The header row of the sheet: its first non-empty row, read without the rest — enough to map the columns of a
    file too large to read in a request."""
    header = _first_row(_checked(_source(content, filename, sheet).rows(), settings.IMPORT_MAX_ROWS))
    if not any(header):
        raise UnreadableFile(_("The file has no data rows under its header."))
    return header


@dataclass
class Sheet:
    """A sheet opened for reading: its header (its first non-empty row), the non-empty rows under it as an
    iterator that reads the file as it goes (at most ``IMPORT_MAX_ROWS``), and how many rows the file says it has
    (for a progress bar; blank rows too, 0 when the file does not say)."""

    header: list[str]
    rows: Iterator[list[str]]
    size: int


def open_sheet(content: bytes, filename: str, sheet: str = "") -> Sheet:
    """The sheet, read row by row as its rows are taken: an importer holding a chunk of rows at a time holds that
    much of the file, however long it is. A sheet with no row under its header is unreadable."""
    source = _source(content, filename, sheet)
    rows = (row for row in _checked(source.rows(), settings.IMPORT_MAX_ROWS) if any(row))
    header, first = next(rows, None), next(rows, None)
    if header is None or first is None:
        raise UnreadableFile(_("The file has no data rows under its header."))
    return Sheet(header, chain([first], rows), max(source.size() - 1, 0))


def read_rows(content: bytes, filename: str, sheet: str = "") -> list[list[str]]:
    """All non-empty rows of the sheet, as strings; the first is the header. At most ``IMPORT_MAX_ROWS`` rows under
    the header are read."""
    opened = open_sheet(content, filename, sheet)
    return [opened.header, *opened.rows]


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
