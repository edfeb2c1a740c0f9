"""The municipality's API, mounted at /api/: token authentication, no session."""

from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("v1/indicators/", api.IndicatorValueList.as_view(), name="indicators"),
    path("schema/", api.SchemaView.as_view(), name="schema"),
]
