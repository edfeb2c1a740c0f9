"""Ranked volunteer suggestions for a waiting case, scored in the database.

One annotated queryset scores every screened volunteer with a free place; only the
returned rows get their reasons written out in words."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Case as Conditional
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case

from .models import Availability, Match, SuggestionWeights, Volunteer, VolunteerTraining
from .screening import screened_volunteers, with_free_places

# Words in a client's language text that are not languages.
NOT_A_LANGUAGE = {
    "tolk",
    "nodig",
    "geen",
    "niet",
    "wel",
    "een",
    "beetje",
    "goed",
    "slecht",
    "spreekt",
    "alleen",
    "taal",
    "talen",
    "met",
    "via",
    "graag",
    "voorkeur",
    "en",
    "of",
}
MAX_SLOTS_IN_REASON = 3


@dataclass
class Suggestion:
    volunteer: Volunteer
    score: int
    reasons: list[str] = field(default_factory=list)


def language_words(language_needs: str) -> list[str]:
    """The words of the client's language text that may name a language."""
    words = re.findall(r"[^\W\d_]+", language_needs or "")
    seen = []
    for word in words:
        word = word.lower()
        if len(word) >= 3 and word not in NOT_A_LANGUAGE and word not in seen:
            seen.append(word)
    return seen


def _count(model, **filters) -> Coalesce:
    counted = (
        model.objects.filter(volunteer=OuterRef("pk"), **filters)
        .order_by()
        .values("volunteer")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _points(condition, weight: int) -> Conditional:
    return Conditional(
        When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField()
    )


def scored_candidates(*, case: Case, on: datetime.date):
    """Screened volunteers of the case's product with a free place, not yet on this case,
    annotated with the score parts and `score`, best first."""
    weights = SuggestionWeights.current()
    client = case.client
    volunteers = with_free_places(screened_volunteers(case.product, on=on)).exclude(
        Exists(Match.objects.filter(case=case, volunteer=OuterRef("pk")))
    )
    if client.kern_id:
        same_kern = Q(kern_id=client.kern_id)
        serves_kern = Q(
            Exists(
                Volunteer.kernen_served.through.objects.filter(
                    volunteer_id=OuterRef("pk"), area_id=client.kern_id
                )
            )
        )
    else:
        same_kern = serves_kern = Q(pk__in=[])
    words = language_words(client.language_needs)
    speaks = Q(pk__in=[])
    for word in words:
        speaks |= Q(languages__icontains=word)
    return volunteers.annotate(
        same_kern_points=_points(same_kern, weights.same_kern),
        serves_kern_points=_points(serves_kern, weights.serves_kern),
        language_points=_points(speaks, weights.language),
        slot_count=_count(Availability),
        training_count=_count(VolunteerTraining),
        score=F("same_kern_points")
        + F("serves_kern_points")
        + F("language_points")
        + F("free_places") * weights.free_place
        + F("slot_count") * weights.availability
        + F("training_count") * weights.extra_training,
    ).order_by("-score", "-free_places", "last_name", "first_name", "pk")


def _spoken_languages(volunteer: Volunteer, words: list[str]) -> list[str]:
    spoken = []
    for language in volunteer.languages or []:
        name = str(language)
        if any(word in name.lower() for word in words):
            spoken.append(name)
    return spoken


def reasons_for(volunteer: Volunteer, *, case: Case, words: list[str]) -> list[str]:
    """The annotated score parts of one suggested volunteer, in words."""
    reasons = []
    kern = case.client.kern
    if volunteer.same_kern_points:
        reasons.append(_("woont in dezelfde kern"))
    if volunteer.serves_kern_points and kern is not None:
        reasons.append(_("wil in %(kern)s werken") % {"kern": kern.name})
    for language in _spoken_languages(volunteer, words) if volunteer.language_points else []:
        reasons.append(_("spreekt %(language)s") % {"language": language})
    if volunteer.vog_date:
        reasons.append(_("VOG geldig"))
    if volunteer.training_count:
        reasons.append(
            ngettext(
                "%(count)s training gevolgd",
                "%(count)s trainingen gevolgd",
                volunteer.training_count,
            )
            % {"count": volunteer.training_count}
        )
    slots = list(volunteer.availability.all())
    if slots:
        shown = ", ".join(str(slot) for slot in slots[:MAX_SLOTS_IN_REASON])
        if len(slots) > MAX_SLOTS_IN_REASON:
            shown += " " + _("en %(count)s dagdelen meer") % {
                "count": len(slots) - MAX_SLOTS_IN_REASON
            }
        reasons.append(_("beschikbaar op %(slots)s") % {"slots": shown})
    reasons.append(
        ngettext("nog %(count)s plek vrij", "nog %(count)s plekken vrij", volunteer.free_places)
        % {"count": volunteer.free_places}
    )
    return reasons


def suggest_volunteers(*, case: Case, on: datetime.date, limit: int = 10) -> list[Suggestion]:
    """The best `limit` candidates for the case, with their score and the reasons."""
    words = language_words(case.client.language_needs)
    rows = list(scored_candidates(case=case, on=on).prefetch_related("availability")[:limit])
    return [
        Suggestion(volunteer=row, score=row.score, reasons=reasons_for(row, case=case, words=words))
        for row in rows
    ]
