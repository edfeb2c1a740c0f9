from django.urls import path

from .views import mediation

app_name = "mediation"

urlpatterns = [
    path("", mediation.overview, name="overview"),
    path("<int:case_id>/", mediation.case_page, name="case"),
    path("<int:case_id>/partij/<int:number>/", mediation.save_party, name="save_party"),
    path("<int:case_id>/stap/", mediation.record_step, name="record_step"),
]
