"""The volunteers' part of a client's file, for the AVG services in `cases`
(`cases.services.privacy`): registered in `VolunteersConfig.ready()` through
`meerwaarde.audit.avg_registry`, so `cases` never names a volunteers model."""

from meerwaarde.audit.avg_registry import AnonymisedModel, InzageCaseSection

from .models import Match

ANONYMISED: tuple[AnonymisedModel, ...] = (
    AnonymisedModel(
        "volunteers.Match",
        "case__client",
        cleared=frozenset({"end_reason", "evaluation_notes"}),
        kept=frozenset({"role", "status"}),
    ),
    AnonymisedModel(
        "volunteers.MatchStatusChange",
        "match__case__client",
        cleared=frozenset({"note"}),
        kept=frozenset({"from_status", "to_status"}),
    ),
    AnonymisedModel(
        "volunteers.VolunteerHours", "match__case__client", cleared=frozenset({"note"})
    ),
    # A client who is also a volunteer (wederkerigheid): the volunteer record is theirs as a
    # volunteer and follows the volunteers' own rules; the link would re-identify the client.
    AnonymisedModel("volunteers.Volunteer", "client", unlink=True),
)


def matches_by_case(client) -> dict[int, list[dict]]:
    """Matches of the client's cases, for the inzage; the volunteer by first name only
    (the rest is the volunteer's own data)."""
    result: dict[int, list[dict]] = {}
    for match in (
        Match.objects.filter(case__client=client)
        .select_related("volunteer")
        .order_by("proposed_on", "id")
    ):
        result.setdefault(match.case_id, []).append(
            {
                "volunteer_first_name": match.volunteer.first_name,
                "role": match.get_role_display(),
                "status": match.get_status_display(),
                "proposed_on": match.proposed_on,
                "started_on": match.started_on,
                "ended_on": match.ended_on,
                "end_reason": match.end_reason,
                "evaluation_notes": match.evaluation_notes,
            }
        )
    return result


INZAGE_CASE_SECTIONS = (InzageCaseSection(key="matches", rows_by_case=matches_by_case),)
