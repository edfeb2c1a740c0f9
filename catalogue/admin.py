from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import ProductAdminForm
from .models import Area, HourBudget, Location, Product


class HourBudgetInline(admin.TabularInline):
    model = HourBudget
    extra = 0
    fields = ["year", "planned_units", "hours_per_unit", "agreed_hours", "budgeted_hours", "notes"]
    readonly_fields = ["budgeted_hours"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = [
        "name",
        "cluster",
        "norm_hours",
        "norm_unit",
        "works_with_volunteers",
        "is_active",
    ]
    list_filter = ["cluster", "norm_unit", "works_with_volunteers", "is_active"]
    search_fields = ["name", "goal", "target_group"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
    inlines = [HourBudgetInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "cluster", "position", "is_active", "keywords"]}),
        (
            _("Inhoud"),
            {
                "fields": [
                    "goal",
                    "target_group",
                    "effects_micro",
                    "effects_macro",
                    "criteria",
                    "method",
                ]
            },
        ),
        (
            _("Ureninzet"),
            {
                "fields": [
                    "hour_budget_text",
                    "norm_hours",
                    "norm_unit",
                    "participants_per_unit",
                    "coordination_hours",
                ]
            },
        ),
        (
            _("Wie komt in aanmerking"),
            {
                "fields": [
                    "min_age",
                    "max_age",
                    "turns_age_this_year",
                    "requires_living_in_haarlemmermeer",
                    "child_under_age",
                    "judgement_criteria",
                ]
            },
        ),
        (
            _("Vrijwilligers"),
            {"fields": ["works_with_volunteers", "volunteer_matching", "coordinators"]},
        ),
        (_("Bewaartermijn (AVG)"), {"fields": ["retention_years"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The data file must not overwrite what the functioneel beheerder changed here.
        obj.edited_in_admin = True
        changed = services.save_product(product=obj)
        if changed:
            self.message_user(
                request,
                _("De urenbegroting van %(years)s volgt de nieuwe norm.")
                % {"years": ", ".join(str(budget.year) for budget in changed)},
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not HourBudget:
            super().save_formset(request, form, formset, change)
            return
        # Budgets go through the catalogue service, so reporting hears of the change.
        budgets = formset.save(commit=False)
        for budget in formset.deleted_objects:
            services.delete_hour_budget(budget=budget)
        for budget in budgets:
            services.save_hour_budget(budget=budget)
        formset.save_m2m()


@admin.register(HourBudget)
class HourBudgetAdmin(admin.ModelAdmin):
    list_display = ["product", "year", "planned_units", "budgeted_hours"]
    list_filter = ["year", "product__cluster"]
    search_fields = ["product__name"]
    list_select_related = ["product"]
    readonly_fields = ["budgeted_hours"]

    # Writes go through the catalogue service, so reporting hears of the change.
    def save_model(self, request, obj, form, change):
        services.save_hour_budget(budget=obj)

    def delete_model(self, request, obj):
        services.delete_hour_budget(budget=obj)

    def delete_queryset(self, request, queryset):
        for budget in queryset:
            services.delete_hour_budget(budget=budget)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    list_select_related = ["area"]
