from django.urls import path

from archives import account_views, views

app_name = "archives"

urlpatterns = [
    path("officers/<int:pk>/records/", views.records, name="records"),
    path("officers/<int:pk>/bar-override/", views.override_bar, name="override_bar"),
    path("officers/<int:pk>/<str:kind>/", views.archive, name="archive"),
    path("officers/<int:pk>/<str:kind>/pdf/", views.print_one, name="print_one"),
    path("matters/", views.matters, name="matters"),
    path("matters/<int:pk>/review/", views.matter_review, name="matter_review"),
    path("duty-accounts/", account_views.duty_accounts, name="duty_accounts"),
    path("duty-accounts/<int:pk>/", account_views.duty_account, name="duty_account"),
    path("duty-accounts/<int:pk>/review/", account_views.review_duty_account, name="duty_account_review"),
    path("quarters/", views.quarters, name="quarters"),
    path("talks/", views.talk_round, name="talk_round"),
    path("quarters/<int:pk>/", views.quarter_detail, name="quarter_detail"),
    path("verify/", views.verify, name="verify"),
    path("printed/<str:number>/", views.printed, name="printed"),
    path("batch/", views.batch, name="batch"),
    path("batch/<int:pk>/", views.print_job, name="print_job"),
    path("batch/<int:pk>/download/", views.download, name="download"),
]
