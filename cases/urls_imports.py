from django.urls import path

from cases.views import imports

app_name = "imports"

urlpatterns = [
    path("", imports.upload, name="upload"),
    path("<int:job_id>/", imports.job_detail, name="job"),
    path("<int:job_id>/status/", imports.job_status, name="job_status"),
]
