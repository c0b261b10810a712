"""The Django admin, for administrators: scoped to the institutions they administer; creations go
through the actions; nothing is deleted except a role, which is revoked (and kept in its history)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrity.admin.bases import (
    AdministratorOnly,
    EveryoneOrOwnAdmin,
    EveryoneOrOwnForm,
    InstitutionPolicyAdmin,
    SecurityOnly,
    keeps_everyones,
)
from integrity.admin.organisation import (
    DepartmentAdmin,
    InstitutionAdmin,
    OfficerAdmin,
    OfficerCreationForm,
    PostAdmin,
    RoleAssignmentAdmin,
    RoleAssignmentForm,
    RoleInline,
)
from integrity.admin.settings import (
    CalendarDayAdmin,
    CalendarDayForm,
    CalendarYearAdmin,
    HeaderSynonymAdmin,
    HeaderSynonymForm,
    SecurityPolicyAdmin,
    SecurityPolicyForm,
)

__all__ = [
    "AdministratorOnly",
    "CalendarDayAdmin",
    "CalendarDayForm",
    "CalendarYearAdmin",
    "DepartmentAdmin",
    "EveryoneOrOwnAdmin",
    "EveryoneOrOwnForm",
    "HeaderSynonymAdmin",
    "HeaderSynonymForm",
    "InstitutionAdmin",
    "InstitutionPolicyAdmin",
    "OfficerAdmin",
    "OfficerCreationForm",
    "PostAdmin",
    "RoleAssignmentAdmin",
    "RoleAssignmentForm",
    "RoleInline",
    "SecurityOnly",
    "SecurityPolicyAdmin",
    "SecurityPolicyForm",
    "keeps_everyones",
]


# The authenticator keys are nobody's to read: django-otp's own admin pages are not offered.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
