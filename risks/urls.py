from django.urls import path

from risks import import_views, letter_views, proposal_views, review_views, table_views, views

app_name = "risks"

urlpatterns = [
    path("catalog/", views.PowerItemListView.as_view(), name="power_item_list"),
    path("letters/<int:department>/", letter_views.letter, name="letter"),
    path("catalog/new/", views.power_item_create, name="power_item_create"),
    path("catalog/<int:pk>/", views.power_item_detail, name="power_item_detail"),
    path("catalog/<int:pk>/edit/", views.power_item_edit, name="power_item_edit"),
    path("points/", views.RiskPointListView.as_view(), name="risk_point_list"),
    path("points/published/", views.PublishedRiskPointListView.as_view(), name="published_list"),
    path("points/matrix/", views.risk_matrix, name="matrix"),
    path("points/new/", views.risk_point_create, name="risk_point_create"),
    path("points/<int:pk>/", views.risk_point_detail, name="risk_point_detail"),
    path("points/<int:pk>/edit/", views.risk_point_edit, name="risk_point_edit"),
    path("reviews/<int:pk>/", review_views.record, name="risk_point_review"),
    path("points/<int:pk>/<str:step>/", views.risk_point_move, name="risk_point_move"),
    path("policy/", views.policy_view, name="policy"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/template/<str:kind>.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
    path("my/table/", table_views.my_risk_table, name="my_table"),
    path("tables/<int:pk>/", table_views.risk_table_detail, name="risk_table_detail"),
    path("tables/<int:pk>/save/", table_views.risk_table_save, name="risk_table_save"),
    path("tables/<int:pk>/submit/", table_views.risk_table_submit, name="risk_table_submit"),
    path("tables/<int:pk>/review/", table_views.risk_table_review, name="risk_table_review"),
    path("my/check/", table_views.my_check, name="my_check"),
    path("checks/", table_views.CheckListView.as_view(), name="check_list"),
    path("checks/<int:pk>/", table_views.check_detail, name="check_detail"),
    path("checks/<int:pk>/submit/", table_views.check_submit, name="check_submit"),
    path("checks/<int:pk>/amend/", table_views.check_amend, name="check_amend"),
    path("checks/<int:pk>/review/", table_views.check_review, name="check_review"),
    path("review/", table_views.review_queue, name="review_queue"),
    path("proposals/", proposal_views.proposals, name="proposals"),
    path("proposals/<int:pk>/", proposal_views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/decide/", proposal_views.proposal_decide, name="proposal_decide"),
    path("completion/", table_views.completion, name="completion"),
]
