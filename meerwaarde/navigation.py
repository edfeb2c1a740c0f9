"""The main navigation: each entry shows only to users whose role may use it.

Project level (like urls.py), so it may name every app's pages. Later issues add entries.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Start"), "home", "accounts.use_app"),
    NavItem(_("Mijn werk"), "cases:my_work", "cases.view_my_work"),
    NavItem(_("Nieuwe aanmelding"), "cases:intake", "cases.register_intake"),
    NavItem(_("Trajecten"), "cases:case_list", "cases.view_case_list"),
    NavItem(_("Uren"), "hours:week", "cases.register_hours"),
    NavItem(_("Groepen en inloop"), "groupwork:overview", "cases.register_group_session"),
    NavItem(_("Buurtbemiddeling"), "mediation:overview", "cases.view_mediation_overview"),
    NavItem(_("Wachtlijsten"), "volunteers_matching:overview", "volunteers.use_volunteer_pages"),
    NavItem(_("Vrijwilligers"), "volunteers_registry:list", "volunteers.use_volunteer_pages"),
    NavItem(_("Uren importeren"), "imports:upload", "cases.import_hours"),
    NavItem(_("Rapportage"), "reporting:dashboard", "reporting.view_dashboard"),
    NavItem(_("Catalogus"), "catalogue:product_list", "catalogue.view_catalogue"),
    NavItem(_("AVG-verzoeken"), "cases:privacy_lookup", "accounts.access_admin"),
    NavItem(_("Beheer"), "admin:index", "accounts.access_admin"),
)


def nav_items_for(user) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # the app that serves this page is not installed yet
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
