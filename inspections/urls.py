from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="list"),
    path("new/", views.inspection_new, name="new"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path("<int:pk>/report/", views.inspection_report, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("items/<int:pk>/", views.item_check, name="item"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
