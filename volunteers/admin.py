from django.contrib import admin

from .models import ScreeningRule, SuggestionWeights, TrainingType


@admin.register(TrainingType)
class TrainingTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_for_months"]


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(admin.ModelAdmin):
    list_display = ["product", "vog_required", "vog_max_age_months"]
    filter_horizontal = ["required_trainings"]


@admin.register(SuggestionWeights)
class SuggestionWeightsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "same_kern", "serves_kern", "language", "free_place"]

    def has_add_permission(self, request):
        return not SuggestionWeights.objects.exists()
