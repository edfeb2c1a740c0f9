import datetime

from django.contrib.auth.decorators import permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .eligibility import check_products
from .export import catalogue_export
from .forms import CatalogueFilterForm, EligibilityForm
from .models import Product

view_catalogue = permission_required("catalogue.view_catalogue", raise_exception=True)


@require_GET
@view_catalogue
def product_list(request):
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        products = list(selectors.search_products(**form.filters()))
    elif form.is_bound:
        products = []
    else:
        products = list(selectors.search_products())
    template = (
        "catalogue/_product_results.html"
        if request.headers.get("HX-Request")
        else "catalogue/product_list.html"
    )
    return render(request, template, {"form": form, "products": products})


@require_GET
@view_catalogue
def product_detail(request, slug: str):
    year = datetime.date.today().year
    try:
        product = selectors.product_detail(slug=slug, year=year)
    except Product.DoesNotExist as error:
        raise Http404 from error
    budget = product.current_budgets[0] if product.current_budgets else None
    return render(
        request,
        "catalogue/product_detail.html",
        {"product": product, "budget": budget, "year": year},
    )


@require_GET
@view_catalogue
def eligibility_check(request):
    today = datetime.date.today()
    form = EligibilityForm(request.GET or None, today=today)
    context = {"form": form, "today": today}
    if form.is_bound and form.is_valid():
        fitting, not_fitting = check_products(
            selectors.active_products(), form.person(), reference_date=today
        )
        context.update(fitting=fitting, not_fitting=not_fitting, checked=True)
    return render(request, "catalogue/eligibility.html", context)


@require_GET
@view_catalogue
def export_json(request):
    response = JsonResponse(
        catalogue_export(), safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'inline; filename="catalogus.json"'
    return response
