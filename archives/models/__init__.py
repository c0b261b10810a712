"""Records that feed the archives, personal matters reports, the quarterly assessment, and printed
archives."""

from archives.models.archives import ArchivePolicy, BarOverride, PrintedDocument, PrintJob
from archives.models.assessments import Adjustment, DutyAccount, DutyStatement, QuarterlyAssessment
from archives.models.records import MattersReport, OfficerRecord, RecordAmendment, Talk, TalkDue

__all__ = [
    "Adjustment",
    "ArchivePolicy",
    "BarOverride",
    "DutyAccount",
    "DutyStatement",
    "MattersReport",
    "OfficerRecord",
    "PrintJob",
    "PrintedDocument",
    "QuarterlyAssessment",
    "RecordAmendment",
    "Talk",
    "TalkDue",
]
