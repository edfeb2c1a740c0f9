"""urls_exports"""

from django.urls import path  # noqa: F401

app_name = "reporting_exports"
urlpatterns: list = []
