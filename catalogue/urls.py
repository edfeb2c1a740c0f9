from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("past-dit-product/", views.eligibility_check, name="eligibility_check"),
    path("export.json", views.export_json, name="export_json"),
    path("<slug:slug>/", views.product_detail, name="product_detail"),
]
