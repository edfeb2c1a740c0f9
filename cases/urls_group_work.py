from django.urls import path

from .views import group_work

app_name = "groupwork"

urlpatterns = [
    path("", group_work.overview, name="overview"),
    path("activiteit/nieuw/", group_work.activity_create, name="activity_create"),
    path("activiteit/<int:pk>/", group_work.activity_detail, name="activity_detail"),
    path("activiteit/<int:pk>/bijeenkomst/", group_work.session_create, name="session_create"),
    path("inloopcontact/", group_work.contact_create, name="contact_create"),
]
