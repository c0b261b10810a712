"""Organisation and people: institutions in their hierarchy, departments, posts, officers and their
roles."""

from integrity.models.calendar import CalendarDay, CalendarYear
from integrity.models.organisation import (
    PATH_SEGMENT_WIDTH,
    Department,
    Institution,
    Officer,
    Post,
    PostAssignment,
    RoleAssignment,
    RoleRequest,
    deadlines_counted,
    everyone_or_below,
)
from integrity.models.security import (
    AuditCheckpoint,
    AuditEvent,
    PasswordHistory,
    RecordSeal,
    SecurityPolicy,
    second_factor_default,
)
from integrity.models.uploads import HeaderSynonym, MappedUpload, StaffImport

__all__ = [
    "PATH_SEGMENT_WIDTH",
    "AuditCheckpoint",
    "AuditEvent",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "HeaderSynonym",
    "Institution",
    "MappedUpload",
    "Officer",
    "PasswordHistory",
    "Post",
    "PostAssignment",
    "RecordSeal",
    "RoleAssignment",
    "RoleRequest",
    "SecurityPolicy",
    "StaffImport",
    "deadlines_counted",
    "everyone_or_below",
    "second_factor_default",
]
