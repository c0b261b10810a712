"""Import risk points, power items, cases or people from a file, the same way the import pages do.

    python manage.py import_data risk-points 风险点.xlsx --institution JZ --constant scope=岗位 --dry-run
    python manage.py import_data cases 案件.csv --institution 江州市人民检察院 --map number=部门受案号
    INITIAL_PASSWORD=… python manage.py import_data people 花名册.xlsx --institution JZ --as admin
    python manage.py import_data risk-points --fields

Columns are proposed from the same headers, aliases and synonyms (the administrators' additions) as in the
browser; ``--map`` names the file's header for a field, ``--constant`` gives every row a value the file lacks,
``--default`` fills blanks, ``--value-map`` says what a word means (``grade:★★★=high``). A field is named by its name
or its Chinese label. Without ``--dry-run`` it writes what the preview shows, in one transaction; it exits non-zero
when it wrote nothing because of errors.

People are imported as the administrator ``--as`` names (only into the bodies they manage; the roles a row asks
for become requests to the security administrator), all or nothing, with the initial password every new account
must change at its first login — read from ``INITIAL_PASSWORD`` or asked for, never given on the command line.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from cases.importing import KIND as CASE_KIND
from cases.importing import import_cases
from integrity import onboarding
from integrity.models import Institution, Officer
from integrity.queries import header_synonyms, scope_for
from integrity.spreadsheets import (
    SHEET_KINDS,
    Column,
    Mapping,
    UnreadableFile,
    best_sheet,
    find_columns,
    norm,
    read_rows,
)
from risks import catalog_import
from risks.choices import ImportKind
from risks.importing import plan
from risks.rules import DEFAULT_GRADE_WORDS

# KIND on the command line → the kind of file in the synonym table
KINDS = {
    "risk-points": ImportKind.RISK_POINTS.value,
    "power-items": ImportKind.POWER_ITEMS.value,
    "cases": CASE_KIND,
    "people": onboarding.KIND,
}


def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"{option} takes FIELD=VALUE, not “{value}”.")
        pairs.append((name.strip(), text.strip()))
    return pairs


class Command(BaseCommand):
    help = "Import risk points, power items, cases or people from an .xlsx, .xls or .csv file through a mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", nargs="?")
        parser.add_argument("--fields", action="store_true", help="list the fields: name, Chinese label, required")
        parser.add_argument("--institution", help="the institution's name or code")
        parser.add_argument("--sheet", default="", help="the workbook's sheet (default: the one that maps best)")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER")
        parser.add_argument("--constant", action="append", default=[], metavar="FIELD=VALUE")
        parser.add_argument("--default", action="append", default=[], metavar="FIELD=VALUE")
        parser.add_argument("--value-map", action="append", default=[], metavar="FIELD:WORD=VALUE")
        parser.add_argument("--create-missing", action="store_true", help="create unknown departments, power items")
        parser.add_argument("--skip-bad-rows", action="store_true", help="write the good rows, list the bad ones")
        parser.add_argument("--dry-run", action="store_true", help="show what would be written; write nothing")
        parser.add_argument("--as", dest="acting", metavar="USERNAME", help="people: the administrator importing")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        kind = KINDS[options["kind"]]
        columns = SHEET_KINDS[kind].columns
        if options["fields"]:
            for column in columns:
                required = _("required") if column.required else ""
                self.stdout.write(f"{column.key}\t{column.label}\t{required}".rstrip())
            return
        if not options["file"] or not options["institution"]:
            raise CommandError("Give the file and --institution (or --fields).")
        institution = Institution.objects.filter(
            Q(code=options["institution"]) | Q(name=options["institution"])
        ).first()
        if institution is None:
            raise CommandError(f"No institution is named or coded “{options['institution']}”.")
        try:
            with open(options["file"], "rb") as file:
                content = file.read()
            synonyms = header_synonyms(kind, institution)
            sheet = options["sheet"] or best_sheet(content, options["file"], columns, synonyms)
            rows = read_rows(content, options["file"], sheet)
        except (OSError, UnreadableFile) as error:
            raise CommandError(str(error)) from error
        mapping = self._mapping(columns, rows[0], synonyms, options)
        if options["kind"] == "cases":
            self._cases(institution, content, sheet, mapping, options)
        elif options["kind"] == "people":
            self._people(institution, rows, mapping, options)
        else:
            self._catalog(institution, rows, sheet, mapping, options)

    def _mapping(
        self, columns: list[Column], header: list[str], synonyms: dict[str, list[str]], options: dict[str, Any]
    ) -> Mapping:
        by_name = {name: c for c in columns for name in (c.key, c.label)}

        def field(name: str) -> Column:
            if name not in by_name:
                raise CommandError(f"Unknown field “{name}”; see --fields.")
            return by_name[name]

        mapping = Mapping(columns=find_columns(columns, header, synonyms))
        positions = {norm(h): i for i, h in enumerate(header) if h}
        for name, heading in _pairs(options["map"], "--map"):
            if norm(heading) not in positions:
                raise CommandError(f"The file has no column “{heading}”; its headers are: {'、'.join(header)}.")
            mapping.columns[field(name).key] = positions[norm(heading)]
        mapping.constants = {field(name).key: value for name, value in _pairs(options["constant"], "--constant")}
        mapping.defaults = {field(name).key: value for name, value in _pairs(options["default"], "--default")}
        if any(c.key == "grade" for c in columns):
            grade = field("grade")
            mapping.values["grade"] = {grade.word(word): str(value) for word, value in DEFAULT_GRADE_WORDS.items()}
        for entry in options["value_map"]:
            name, sep, rest = entry.partition(":")
            if not sep:
                raise CommandError(f"--value-map takes FIELD:WORD=VALUE, not “{entry}”.")
            column = field(name.strip())
            [(word, value)] = _pairs([rest], "--value-map")
            if column.key == "grade":  # the value as the product names it: high, or its Chinese label 高
                value = str(DEFAULT_GRADE_WORDS.get(value, value))
            mapping.values.setdefault(column.key, {})[column.word(word)] = value
        return mapping

    def _catalog(
        self, institution: Institution, rows: list[list[str]], sheet: str, mapping: Mapping, options: dict[str, Any]
    ) -> None:
        kind = ImportKind.RISK_POINTS if options["kind"] == "risk-points" else ImportKind.POWER_ITEMS
        checked = plan(kind, institution, rows, mapping, create_missing=options["create_missing"], sheet=sheet)
        counts = checked.counts
        for row in checked.errors:
            self.stdout.write(_("Row %(n)s: %(errors)s") % {"n": row.number, "errors": "；".join(row.errors)})
        new = {_("New departments"): checked.new_departments, _("New power items"): checked.new_power_items}
        for label, names in new.items():
            if names:
                self.stdout.write(f"{label}：{'、'.join(names)}")
        summary = _("%(create)s new, %(update)s updated, %(unchanged)s unchanged, %(skipped)s rows skipped") % counts
        if options["dry_run"]:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
            return
        if checked.errors and not options["skip_bad_rows"]:
            raise self._refused(len(checked.errors))
        if checked.kept:
            catalog_import.write_catalog(institution, checked, filename=options["file"], acting_user=None)
        self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))

    @staticmethod
    def _refused(errors: int) -> CommandError:
        return CommandError(
            _("Nothing was written: %(n)s rows have errors (--skip-bad-rows writes the others).") % {"n": errors}
        )

    def _cases(
        self, institution: Institution, content: bytes, sheet: str, mapping: Mapping, options: dict[str, Any]
    ) -> None:
        result = import_cases(
            institution,
            content,
            options["file"],
            acting_user=None,
            mapping=mapping,
            sheet=sheet,
            skip_bad_rows=options["skip_bad_rows"],
            dry_run=options["dry_run"],
        )
        for number, errors in result.errors:
            self.stdout.write(_("Row %(n)s: %(errors)s") % {"n": number, "errors": "；".join(errors)})
        counts = {"create": result.created, "update": result.updated, "skipped": len(result.errors)}
        if options["dry_run"]:  # conflicts are screened on the cases written
            summary = _("%(create)s new, %(update)s updated, %(skipped)s rows skipped") % counts
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
            return
        summary = _("%(create)s new, %(update)s updated, %(skipped)s rows skipped, %(conflicts)s conflicts") % {
            **counts,
            "conflicts": result.conflicts,
        }
        if not result.written:
            raise self._refused(len(result.errors))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))

    def _people(
        self, institution: Institution, rows: list[list[str]], mapping: Mapping, options: dict[str, Any]
    ) -> None:
        acting = Officer.objects.filter(username=options["acting"] or "", is_active=True).first()
        if acting is None or not scope_for(acting).is_administrator:
            raise CommandError("People are imported as an administrator: give --as USERNAME.")
        if options["skip_bad_rows"]:
            raise CommandError("A staff list is imported all or nothing: --skip-bad-rows does not apply.")
        checked = onboarding.plan(rows, acting_user=acting, default_institution=institution, mapping=mapping)
        if checked.missing_columns:
            raise CommandError(_("Missing columns: %(names)s.") % {"names": "、".join(checked.missing_columns)})
        for line, error in checked.errors:
            self.stdout.write(_("Row %(n)s: %(errors)s") % {"n": line, "errors": error})
        summary = _("%(new)s accounts to open, %(changed)s to change, %(requests)s roles to request") % {
            "new": len(checked.new_accounts), "changed": len(checked.changed_accounts),
            "requests": len(checked.requests),
        }  # fmt: skip
        if options["dry_run"]:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
            return
        if checked.errors:
            raise self._refused(len({line for line, _error in checked.errors}))
        counts = onboarding.apply(checked, initial_password=self._initial_password(), acting_user=acting)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported: %(created)d accounts opened, %(changed)d changed, %(departments)d departments and "
                    "%(posts)d posts added, %(requested)d roles requested of the security administrator."
                )
                % counts
            )
        )

    def _initial_password(self) -> str:
        password = os.environ.get("INITIAL_PASSWORD", "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError("Set INITIAL_PASSWORD: the new accounts' initial password.")
            password = getpass.getpass("Initial password: ")
            if getpass.getpass("Again: ") != password:
                raise CommandError("The two passwords differ.")
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
