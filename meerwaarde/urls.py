from django.contrib import admin
from django.urls import include, path

from meerwaarde import views

urlpatterns = [
    path("", include("home.urls")),
    path("health/", views.health, name="health"),
    path("account/", include("meerwaarde.accounts.urls")),
    path("catalogus/", include("catalogue.urls")),
    path("trajecten/", include("cases.urls")),
    path("uren/", include("cases.urls_hours")),
    path("uren/import/", include("cases.urls_imports")),
    path("groepen-en-inloop/", include("cases.urls_group_work")),
    path("buurtbemiddeling/", include("cases.urls_mediation")),
    path("vrijwilligers/", include("volunteers.urls_registry")),
    path("matching/", include("volunteers.urls_matching")),
    path("rapportage/", include("reporting.urls")),
    path("rapportage/export/", include("reporting.urls_exports")),
    path("api/", include("reporting.urls_api")),
    path("beheer/", admin.site.urls),
]

handler400 = "meerwaarde.views.bad_request"
handler403 = "meerwaarde.views.permission_denied"
handler404 = "meerwaarde.views.page_not_found"
handler500 = "meerwaarde.views.server_error"
