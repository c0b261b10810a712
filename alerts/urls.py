from django.urls import path

from alerts import circular_views, intake_views, views, visit_views

app_name = "alerts"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("lights/", views.LightListView.as_view(), name="light_list"),
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/new/", views.warning_propose, name="warning_propose"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/approve/", views.warning_approve, name="warning_approve"),
    path("warnings/<int:pk>/raise/", views.warning_raise, name="warning_raise"),
    path("actions/<int:pk>/result/", views.action_result, name="action_result"),
    path("clues/", views.ClueListView.as_view(), name="clue_list"),
    path("clues/new/", views.clue_register, name="clue_register"),
    path("clues/options/", views.clue_options, name="clue_options"),
    path("intake/", intake_views.petition_intake, name="intake"),
    path("abnormal-reports/", views.abnormal_report, name="abnormal_report"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/<str:step>/", views.clue_action, name="clue_action"),
    path("circulars/", circular_views.CircularListView.as_view(), name="circular_list"),
    path("circulars/new/", circular_views.circular_edit, name="circular_new"),
    path("circulars/<int:pk>/", circular_views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/edit/", circular_views.circular_edit, name="circular_edit"),
    path("circulars/<int:pk>/print/", circular_views.circular_print, name="circular_print"),
    path("circulars/<int:pk>/<str:step>/", circular_views.circular_action, name="circular_action"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("notifications/", views.notifications, name="notifications"),
]
