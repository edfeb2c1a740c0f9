"""The manager dashboard, mounted at /rapportage/."""

from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("herberekenen/", views.recompute, name="recompute"),
    path("herberekenen/<int:run_id>/status/", views.run_status, name="run_status"),
    path("periode-sluiten/", views.close_period, name="close_period"),
]
