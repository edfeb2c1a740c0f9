from django.urls import path

from cases.views import hours

app_name = "hours"

urlpatterns = [
    path("", hours.week, name="week"),
    path("toevoegen/", hours.add, name="add"),
    path("<int:pk>/wijzigen/", hours.edit, name="edit"),
    path("<int:pk>/verwijderen/", hours.delete, name="delete"),
]
