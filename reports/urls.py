from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("report.xlsx", views.download, {"export_format": "xlsx"}, name="xlsx"),
    path("report.pdf", views.download, {"export_format": "pdf"}, name="pdf"),
]
