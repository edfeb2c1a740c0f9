"""Downloads for managers, mounted at /rapportage/export/:
indicatoren.csv|xlsx and uren-per-product.csv|xlsx, with ?period= (and ?indicator=)."""

from django.urls import re_path

from . import views_exports

app_name = "reporting_exports"
urlpatterns = [
    re_path(
        r"^indicatoren\.(?P<file_format>csv|xlsx)$",
        views_exports.indicators_export,
        name="indicators",
    ),
    re_path(
        r"^uren-per-product\.(?P<file_format>csv|xlsx)$",
        views_exports.hours_per_product_export,
        name="hours_per_product",
    ),
]
