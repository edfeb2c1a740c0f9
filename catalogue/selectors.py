import datetime

from django.db.models import Prefetch, Q, QuerySet

from .models import Area, AreaKind, HourBudget, Product, normalise_for_search


def active_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def search_products(
    *,
    query: str = "",
    cluster: str = "",
    age: int | None = None,
    works_with_volunteers: bool | None = None,
) -> QuerySet[Product]:
    """Active products matching every word of the query (name, alternative names, goal,
    target group, method; case and accents ignored) and the filters."""
    products = active_products()
    for word in normalise_for_search(query).split():
        products = products.filter(search_text__contains=word)
    if cluster:
        products = products.filter(cluster=cluster)
    if works_with_volunteers is not None:
        products = products.filter(works_with_volunteers=works_with_volunteers)
    if age is not None:
        products = products.filter(
            (Q(min_age__isnull=True) | Q(min_age__lte=age))
            & (Q(max_age__isnull=True) | Q(max_age__gte=age))
            & (Q(turns_age_this_year__isnull=True) | Q(turns_age_this_year__in=[age, age + 1]))
        )
    return products.only(
        "name",
        "slug",
        "cluster",
        "target_group",
        "works_with_volunteers",
        "position",
        "min_age",
        "max_age",
        "turns_age_this_year",
        "norm_hours",
        "norm_unit",
    )


def product_detail(*, slug: str, year: int | None = None) -> Product:
    year = year or datetime.date.today().year
    return (
        active_products()
        .prefetch_related(
            Prefetch(
                "budgets",
                queryset=HourBudget.objects.filter(year=year),
                to_attr="current_budgets",
            )
        )
        .get(slug=slug)
    )


def kernen() -> QuerySet[Area]:
    return Area.objects.filter(kind=AreaKind.KERN, is_active=True).order_by("name")


def products_for_export() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).order_by("position", "name")
