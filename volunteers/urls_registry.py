from django.urls import path

from .views import registry as views

app_name = "volunteers_registry"

urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("nieuw/", views.volunteer_create, name="create"),
    path("verloopt/", views.expiring, name="expiring"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.volunteer_edit, name="edit"),
    path("<int:pk>/training/", views.add_training, name="add_training"),
    path("<int:pk>/uren/", views.add_hours, name="add_hours"),
    path("<int:pk>/uren/<int:hours_pk>/wijzigen/", views.edit_hours, name="edit_hours"),
    path("<int:pk>/uren/<int:hours_pk>/verwijderen/", views.delete_hours, name="delete_hours"),
]
