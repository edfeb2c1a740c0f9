"""Screening rules: who may be matched on a product, and if not, why (in Dutch).

`screening_problems` explains one volunteer; `screened_volunteers` is the same rule as a
queryset, so suggestions can filter in the database."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from catalogue.models import Product

from .models import (
    OCCUPYING_MATCH_STATUSES,
    ScreeningRule,
    Volunteer,
    VolunteerStatus,
    VolunteerTraining,
)


def rule_for(product: Product) -> ScreeningRule | None:
    return (
        ScreeningRule.objects.filter(product=product).prefetch_related("required_trainings").first()
    )


def vog_cutoff(rule: ScreeningRule, on: datetime.date) -> datetime.date:
    return on - relativedelta(months=rule.vog_max_age_months)


def training_cutoff(training, on: datetime.date) -> datetime.date | None:
    if training.valid_for_months is None:
        return None
    return on - relativedelta(months=training.valid_for_months)


def screening_problems(volunteer: Volunteer, product: Product, *, on: datetime.date) -> list[str]:
    """Why this volunteer may not be matched on this product today; empty when they may."""
    problems = []
    if volunteer.status != VolunteerStatus.ACTIVE:
        problems.append(
            _("Status is '%(status)s', niet 'actief'.")
            % {"status": VolunteerStatus(volunteer.status).label.lower()}
        )
    if not volunteer.products.filter(pk=product.pk).exists():
        problems.append(_("Werkt niet voor %(product)s.") % {"product": product.name})
    rule = rule_for(product)
    if rule is None:
        return problems
    if rule.vog_required:
        if volunteer.vog_date is None:
            problems.append(_("Geen VOG."))
        elif volunteer.vog_date < vog_cutoff(rule, on):
            problems.append(
                _("VOG van %(date)s is ouder dan %(months)s maanden.")
                % {
                    "date": volunteer.vog_date.strftime("%d-%m-%Y"),
                    "months": rule.vog_max_age_months,
                }
            )
    completed = {}
    for record in volunteer.trainings.all():
        if (
            record.training_id not in completed
            or record.completed_on > completed[record.training_id]
        ):
            completed[record.training_id] = record.completed_on
    for training in rule.required_trainings.all():
        done_on = completed.get(training.pk)
        cutoff = training_cutoff(training, on)
        if done_on is None:
            problems.append(_("Training '%(training)s' ontbreekt.") % {"training": training.name})
        elif cutoff is not None and done_on < cutoff:
            problems.append(_("Training '%(training)s' is verlopen.") % {"training": training.name})
    return problems


def screened_volunteers(product: Product, *, on: datetime.date) -> QuerySet[Volunteer]:
    """Active volunteers of the product who meet its screening rule on `on`."""
    volunteers = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE, products=product)
    rule = rule_for(product)
    if rule is None:
        return volunteers
    if rule.vog_required:
        volunteers = volunteers.filter(vog_date__isnull=False, vog_date__gte=vog_cutoff(rule, on))
    for training in rule.required_trainings.all():
        done = VolunteerTraining.objects.filter(volunteer=OuterRef("pk"), training=training)
        cutoff = training_cutoff(training, on)
        if cutoff is not None:
            done = done.filter(completed_on__gte=cutoff)
        volunteers = volunteers.filter(Exists(done))
    return volunteers


def with_free_places(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Annotates `occupied` (proposed, introduction and active matches) and `free_places`,
    and keeps only volunteers below their maximum."""
    return (
        volunteers.annotate(
            occupied=Count(
                "matches", filter=Q(matches__status__in=OCCUPYING_MATCH_STATUSES), distinct=True
            )
        )
        .annotate(free_places=F("max_matches") - F("occupied"))
        .filter(free_places__gt=0)
    )
