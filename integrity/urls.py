from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from integrity import identity, onboarding_views, second_factor_views, views

app_patterns = (
    [
        path("people/", views.OfficerListView.as_view(), name="officer_list"),
        path("people/options/", views.officer_options, name="officer_options"),
        path("people/<int:pk>/", views.officer_detail, name="officer_detail"),
        path("people/import/", onboarding_views.officer_import, name="officer_import"),
        path("people/import/template.xlsx", onboarding_views.onboarding_template, name="onboarding_template"),
        path("people/import/<int:pk>/", onboarding_views.officer_import_detail, name="officer_import_detail"),
        path("people/role-requests/", onboarding_views.role_requests, name="role_requests"),
        path("people/role-requests/<int:pk>/", onboarding_views.role_request_decide, name="role_request_decide"),
        path("people/<int:pk>/post/", views.officer_assign_post, name="officer_assign_post"),
        path("people/<int:pk>/leave/", views.officer_leave, name="officer_leave"),
        path("org/", views.InstitutionListView.as_view(), name="institution_list"),
        path("audit/", views.AuditLogView.as_view(), name="audit_log"),
        path("org/<int:pk>/", views.institution_detail, name="institution_detail"),
        path("org/departments/<int:pk>/", views.department_detail, name="department_detail"),
        path("org/departments/options/", views.department_options, name="department_options"),
    ],
    "integrity",
)

urlpatterns = [
    path("", include("desk.urls")),
    path("me/", views.my_profile, name="my_profile"),
    path("todo/", views.todos, name="todos"),
    path("todo/count/", views.todo_count, name="todo_count"),
    path("todo/<str:code>/", views.todos_of_kind, name="todos_of_kind"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("sso/login/", identity.sign_in, name="sso_login"),
    path("sso/callback/", identity.callback, name="sso_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("second-factor/", second_factor_views.second_factor_page, name="second_factor"),
    path("second-factor/qr.svg", second_factor_views.second_factor_qr, name="second_factor_qr"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Visitors switch language on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include(app_patterns)),
    path("risks/", include("risks.urls")),
    path("cases/", include("cases.urls")),
    path("alerts/", include("alerts.urls")),
    path("inspections/", include("inspections.urls")),
    path("archives/", include("archives.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded and printed files are never served from a public path, not even in development: each is handed out by a
# view that checks who asks (a printed archive by ``archives:printed``, a batch by ``archives:download``).
