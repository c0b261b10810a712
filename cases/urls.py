from django.urls import path

from cases import assessment_views, declaration_views, import_views, views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("import/", import_views.case_import, name="case_import"),
    path("import/<int:pk>/", import_views.case_import_job, name="case_import_job"),
    path("import/<int:pk>/errors.xlsx", import_views.case_import_errors, name="case_import_errors"),
    path("review/", assessment_views.review_queue, name="review_queue"),
    path("declarations/yes/", assessment_views.yes_declarations, name="yes_declarations"),
    path("assessments/", assessment_views.AssessmentListView.as_view(), name="assessment_list"),
    path("relations/", declaration_views.relations, name="relations"),
    path("relations/<int:pk>/review/", declaration_views.relation_review, name="relation_review"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/move/", views.case_move, name="case_move"),
    path("<int:pk>/cards/<int:party>/", views.card_pdf, name="card_pdf"),
    path("<int:pk>/assessment/", assessment_views.assessment_start, name="assessment_start"),
    path("<int:pk>/facts-changed/", assessment_views.assessment_facts, name="assessment_facts"),
    path("declarations/<int:pk>/", declaration_views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/submit/", declaration_views.declaration_submit, name="declaration_submit"),
    path("declarations/<int:pk>/amend/", declaration_views.declaration_amend, name="declaration_amend"),
    path("declarations/<int:pk>/review/", declaration_views.declaration_review, name="declaration_review"),
    path("declarations/<int:pk>/decide/", declaration_views.declaration_decide, name="declaration_decide"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/decide/", assessment_views.assessment_decide, name="assessment_decide"),
    path("assessments/<int:pk>/feedback/", assessment_views.assessment_feedback, name="assessment_feedback"),
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/answer/", views.notice_answer, name="notice_answer"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
]
