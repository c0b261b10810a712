from django.urls import path

from desk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help_index"),
    path("help/<slug:slug>/", views.help_page, name="help"),
    path("help/img/<str:name>", views.help_image, name="help_image"),
]
