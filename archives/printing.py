"""Batch printing: a department's archives, one PDF per officer, printed in chunks by as many workers as serve the
``printing`` queue, then merged into one file.

A job is taken by a conditional update (``claim``); its officers still missing are sent out in chunks
(``archives.tasks``); each chunk prints whom nobody has printed yet, and the database holds every officer to one
document per job (``printed_once_per_job``), so a chunk delivered twice, or a run taking over a dead one, prints
nobody twice. The chunk that accounts for the last officer sends the merge, which streams the documents into one
file without holding them in memory.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from archives import documents
from archives.choices import JobStatus
from archives.models import PrintJob
from integrity.models import Officer

STALE_JOB = datetime.timedelta(minutes=10)  # a chunk's officer prints in about a second and says so
CHUNK = 20  # officers per task: a chunk takes well under a minute, far inside the broker's visibility timeout


def claim(job: PrintJob) -> bool:
    """Take the job for this run, by one conditional update: a queued job, or one whose run has said nothing for
    ``STALE_JOB`` (its workers died). A second delivery while a run is alive gets nothing to do."""
    now = timezone.now()
    waiting = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING) & (
        Q(heartbeat__isnull=True) | Q(heartbeat__lt=now - STALE_JOB)
    )
    return PrintJob.objects.filter(waiting, pk=job.pk).update(status=JobStatus.RUNNING, heartbeat=now) == 1


def stale_jobs() -> QuerySet[PrintJob]:
    """Jobs whose run has died or whose message was lost: what the sweep hands to ``claim`` again."""
    before = timezone.now() - STALE_JOB
    return PrintJob.objects.filter(
        Q(status=JobStatus.QUEUED, created_at__lt=before)
        | Q(status=JobStatus.RUNNING) & (Q(heartbeat__isnull=True) | Q(heartbeat__lt=before))
    )


def missing(job: PrintJob) -> list[int]:
    """The job's officers with neither a document nor a failure, in the merged file's order."""
    failed = {failure["officer_id"] for failure in job.failures}
    return [
        pk
        for pk in Officer.objects.filter(pk__in=job.officer_ids)
        .exclude(printed_archives__job=job)
        .order_by("username")
        .values_list("pk", flat=True)
        if pk not in failed
    ]


def chunks(items: list, size: int | None = None) -> list[list]:
    size = size or CHUNK
    return [items[start : start + size] for start in range(0, len(items), size)]


def print_chunk(job: PrintJob, officer_ids: list[int]) -> int:
    """Print the job's archive of each officer here that nobody has printed yet; one officer's failure is recorded
    and the others go on. Returns how many this run printed."""
    printed = 0
    for officer in Officer.objects.filter(pk__in=missing(job)).filter(pk__in=officer_ids).order_by("username"):
        try:
            documents.print_archive(officer, job.kind, job.start, job.end, acting_user=job.requested_by, job=job)
        except documents.PrintedByAnotherRun:
            continue
        except Exception as error:  # one officer's failure must not lose the others; it is reported
            _fail(job, officer, error)
        else:
            printed += 1
            PrintJob.objects.filter(pk=job.pk).update(done=F("done") + 1, heartbeat=timezone.now())
    return printed


def _fail(job: PrintJob, officer: Officer, error: Exception) -> None:
    with transaction.atomic():  # chunks fail at the same time: the list is read and written under the row's lock
        locked = PrintJob.objects.select_for_update().get(pk=job.pk)
        if officer.pk not in {failure["officer_id"] for failure in locked.failures}:
            locked.failures = [
                *locked.failures,
                {"officer_id": officer.pk, "name": officer.full_name, "error": str(error)[:200]},
            ]
        locked.heartbeat = timezone.now()
        locked.save(update_fields=["failures", "heartbeat"])


def accounted_for(job: PrintJob) -> bool:
    job.refresh_from_db(fields=["failures", "status"])
    return job.status == JobStatus.RUNNING and not missing(job)


def merge(job: PrintJob) -> PrintJob:
    """Stream the job's documents, in the officers' order, into one PDF and mark the job done. Running it twice
    gives the same file."""
    printed = job.documents.order_by("officer__username").values_list("file", "officer__full_name")
    merged = Path(documents.PRINT_DIR) / f"batch-{job.pk}.pdf"
    target = Path(settings.MEDIA_ROOT) / merged
    target.parent.mkdir(parents=True, exist_ok=True)
    merge_pdfs([Path(settings.MEDIA_ROOT) / file for file, _name in printed], target, [name for _file, name in printed])
    PrintJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, merged=str(merged), done=job.documents.count(), heartbeat=timezone.now()
    )
    job.refresh_from_db()
    return job


def merge_pdfs(paths: list[Path], target: Path, titles: list[str] | None = None) -> None:
    """Write the PDFs one after another into ``target``, one source at a time: each source's pages and what they use
    are copied object by object, their stream data as it is (still compressed), and the source is closed before the
    next is opened; what stays in memory is one number per object written. ``titles`` give each source a bookmark.
    The file appears whole or not at all."""
    partial = target.with_name(f".{target.name}.part")
    with open(partial, "wb") as out:
        _Concatenation(out).write(paths, titles or [])
    os.replace(partial, target)


class _Concatenation:
    """A PDF written straight to a file (PDF 1.7, a classic cross-reference table): object 1 is the catalogue,
    2 the page tree, 3 the outline; the sources' objects follow under new numbers."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offsets: list[int] = []  # of object n + 1
        self.pages: list[int] = []

    def write(self, paths: list[Path], titles: list[str]) -> None:
        import pikepdf

        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.offsets = [0, 0, 0]  # reserved: written last, when the pages are known
        firsts = []
        for path in paths:
            with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as source:
                firsts.append(len(self.pages))
                self._copy_pages(source)
        bookmarks = self._outline([(title, self.pages[first]) for title, first in zip(titles, firsts, strict=False)])
        outline = b"/Outlines 3 0 R/PageMode/UseOutlines" if bookmarks else b""
        self._put(1, b"<</Type/Catalog/Pages 2 0 R%s>>" % outline)
        kids = b" ".join(b"%d 0 R" % page for page in self.pages)
        self._put(2, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(self.pages), kids))
        self._put(3, bookmarks or b"<</Type/Outlines/Count 0>>")
        xref = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.offsets) + 1))
        self.out.write(b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets))
        self.out.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(self.offsets) + 1, xref))

    def _copy_pages(self, source: Any) -> None:  # a pikepdf.Pdf
        import pikepdf

        numbers: dict[tuple[int, int], int] = {source.Root.Pages.objgen: 2}  # the source's objects → ours
        waiting: list = []

        def ref(value: Any) -> bytes:
            if value.objgen not in numbers:
                self.offsets.append(0)
                numbers[value.objgen] = len(self.offsets)
                waiting.append(value)
            return b"%d 0 R" % numbers[value.objgen]

        inherited = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
        for page in source.pages:
            ref(page.obj)
            self.pages.append(numbers[page.obj.objgen])
        while waiting:
            value = waiting.pop()
            if value._type_code == pikepdf.ObjectType.stream:
                raw = value.read_raw_bytes()
                entries = {**dict(value.stream_dict.items()), "/Length": len(raw)}
                self._put(numbers[value.objgen], _dictionary(entries, ref) + b"\nstream\n" + raw + b"\nendstream")
                continue
            if value.get("/Type") == pikepdf.Name.Page:  # what it inherits from the source's tree, it now carries
                entries = dict(value.items())
                parent = value.get("/Parent")
                while parent is not None:
                    for key in inherited:
                        if key not in entries and key in parent:
                            entries[key] = parent[key]
                    parent = parent.get("/Parent")
                entries["/Parent"] = _Reference(2)
                self._put(numbers[value.objgen], _dictionary(entries, ref))
                continue
            self._put(numbers[value.objgen], _direct(value, ref, top=True))

    def _outline(self, marks: list[tuple[str, int]]) -> bytes:
        """One bookmark per source, at its first page: the outline's items are written now, its root by the caller."""
        if not marks:
            return b""
        first = len(self.offsets) + 1
        self.offsets.extend([0] * len(marks))
        for n, (title, page) in enumerate(marks):
            links = b"".join(
                b"/%s %d 0 R" % (key, first + n + step)
                for key, step, present in ((b"Prev", -1, n > 0), (b"Next", 1, n < len(marks) - 1))
                if present
            )
            text = b"<FEFF" + title.encode("utf-16-be").hex().upper().encode() + b">"
            self._put(first + n, b"<</Title %s/Parent 3 0 R%s/Dest[%d 0 R/Fit]>>" % (text, links, page))
        last = first + len(marks) - 1
        return b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (first, last, len(marks))

    def _put(self, number: int, body: bytes) -> None:
        self.offsets[number - 1] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")


class _Reference:
    def __init__(self, number: int) -> None:
        self.number = number


def _direct(value: Any, ref: Callable[[Any], bytes], top: bool = False) -> bytes:
    """A PDF object in PDF syntax, with the indirect objects it refers to numbered by ``ref``."""
    import pikepdf

    if isinstance(value, _Reference):
        return b"%d 0 R" % value.number
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal):
        return format(value, "f").encode()
    if value is None:
        return b"null"
    if not top and value.is_indirect:
        return ref(value)
    if value._type_code == pikepdf.ObjectType.dictionary:
        return _dictionary(dict(value.items()), ref)
    if value._type_code == pikepdf.ObjectType.array:
        return b"[" + b" ".join(_direct(item, ref) for item in value) + b"]"
    return value.unparse()  # a name, a string, a real


def _dictionary(entries: dict, ref: Callable[[Any], bytes]) -> bytes:
    import pikepdf

    return (
        b"<<"
        + b"".join(pikepdf.Name(key).unparse() + b" " + _direct(value, ref) + b"\n" for key, value in entries.items())
        + b">>"
    )
