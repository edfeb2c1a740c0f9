from django.urls import path

from .views import matching as views

app_name = "volunteers_matching"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("traject/<int:case_id>/", views.case_detail, name="case"),
    path("traject/<int:case_id>/voorstellen/", views.propose, name="propose"),
    path("koppeling/<int:pk>/", views.match_detail, name="match"),
    path("koppeling/<int:pk>/status/", views.match_status, name="match_status"),
    path("koppeling/<int:pk>/evaluatie/", views.match_evaluation, name="match_evaluation"),
]
