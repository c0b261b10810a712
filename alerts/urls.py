from django.urls import path

from alerts import views

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
    path("abnormal-reports/", views.abnormal_report, name="abnormal_report"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/<str:step>/", views.clue_action, name="clue_action"),
    path("notifications/", views.notifications, name="notifications"),
]
