"""Printing one archive (廉政档案、业绩档案) as a numbered PDF whose hash is kept, once per run, and verifying a
printed number against what the archive says now."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from archives.canonical import archive_data
from archives.choices import ArchiveKind
from archives.models import (
    PrintedDocument,
    PrintJob,
)
from archives.queries import Archive, build
from archives.seals import CODE as SEALED
from integrity import audit, digests, seals
from integrity.choices import AuditEventKind
from integrity.models import Officer, RecordSeal

PRINT_DIR = "prints"


# --- printing ------------------------------------------------------------------------------------------------


# The edition of the archives' layout: 2 added the case risk assessments to the performance archive; from 3 the
# document hash is taken of the archive's canonical data rather than of its HTML in the default language; 4 added the
# leaders' accounts of duty and integrity to the integrity archive. A printed document keeps the edition it was
# printed in, and is verified against it.
LAYOUT = 4


def archive_body(archive: Any, layout: int = LAYOUT) -> str:
    """The archive's content as HTML: the same fragment the page shows and the PDF prints."""
    return render_to_string("archives/archive_body.html", {"archive": archive, "s": archive.sections, "layout": layout})


def hashed_content(archive: Any, layout: int) -> bytes:
    """What a document's hash covers: the archive's canonical data (``archives.canonical``) — the same in every
    language — or, for documents printed before layout 3, its HTML in the default language."""
    if layout >= 3:
        return digests.canonical(archive_data(archive, layout))
    with translation.override(settings.LANGUAGE_CODE):
        return archive_body(archive, layout).encode("utf-8")


def document_digest(archive: Any, layout: int = LAYOUT) -> str:
    return digests.digest(hashed_content(archive, layout))


def _number(kind: str) -> str:
    prefix = "ZF" if kind == ArchiveKind.PERFORMANCE else "LZ"
    return f"{prefix}{timezone.localdate():%Y%m%d}-{secrets.token_hex(4).upper()}"


def render_pdf(
    archive: Archive, body: str, *, number: str, digest: str, printed_by: Officer, printed_at: datetime.datetime
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "archives/pdf.html",
        {
            "archive": archive,
            "body": body,
            "number": number,
            "digest": digests.value(digest),
            "algorithm": digests.label(digest),
            "printed_by": printed_by,
            "printed_at": timezone.localtime(printed_at),
            "title": ArchiveKind(archive.kind).label,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


class PrintedByAnotherRun(Exception):
    """A batch's officer already has their document: another run of the job printed it meanwhile."""


def print_archive(
    officer: Officer,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    *,
    acting_user: Officer,
    job: PrintJob | None = None,
) -> tuple[PrintedDocument, bytes]:
    """Print an archive: number it, hash its content, render the PDF with the printer's watermark, keep a copy,
    and log the print."""
    archive = build(kind, officer, start, end)
    body = archive_body(archive)
    digest = document_digest(archive)
    now = timezone.now()
    for _attempt in range(5):
        number = _number(kind)
        pdf = render_pdf(archive, body, number=number, digest=digest, printed_by=acting_user, printed_at=now)
        path = Path(PRINT_DIR) / f"{number}.pdf"
        if job is not None and job.documents.filter(officer=officer).exists():
            raise PrintedByAnotherRun(officer)
        try:
            with transaction.atomic():
                document = PrintedDocument.objects.create(
                    number=number,
                    digest=digest,
                    officer=officer,
                    kind=kind,
                    start=start,
                    end=end,
                    printed_by=acting_user,
                    job=job,
                    file=str(path),
                    layout=LAYOUT,
                )
                seals.seal(SEALED, document.pk, officer_id=officer.pk, reference=document.number)
                # Written before the row commits: a document on record always has its file (a worker dying here
                # leaves a file nobody refers to, and the officer still to print).
                target = Path(settings.MEDIA_ROOT) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(pdf)
        except IntegrityError:
            continue  # the random number was taken, or another run printed this officer of the job: see above
        audit.record(
            AuditEventKind.PRINTED, actor=acting_user, target=f"archive:{kind}:{officer.pk}", number=number,
            start=start.isoformat(), end=end.isoformat(),
        )  # fmt: skip
        return document, pdf
    raise RuntimeError("could not draw a free document number")


@dataclass(frozen=True)
class Verification:
    """What a printed number's check found: the document (None when no such number is on file), whether it is still
    as printed (its seal), whether the records still give the content printed, and — for a number whose document row
    is gone — the seal it left behind."""

    document: PrintedDocument | None
    matches: bool = False
    sealed: bool = False
    deleted: RecordSeal | None = None

    @property
    def algorithm(self) -> str:
        return digests.label(self.document.digest) if self.document else ""


def verify(number: str) -> Verification:
    """Look a printed number up: check its seal, then that the records still give the content that was printed."""
    number = number.strip().upper()
    document = PrintedDocument.objects.filter(number=number).select_related("officer__institution").first()
    if document is None:
        deleted = RecordSeal.objects.filter(kind=SEALED, reference=number).first()
        return Verification(None, deleted=deleted)
    seal = seals.seal_of(SEALED, document.pk)
    sealed = seal is not None and not list(seals.check([seal]))
    archive = build(document.kind, document.officer, document.start, document.end)
    matches = digests.matches(hashed_content(archive, document.layout), document.digest)
    return Verification(document, matches=matches, sealed=sealed)
