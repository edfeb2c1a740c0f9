from django.urls import path

from .views import cases, clients, intake, my_work, privacy

app_name = "cases"

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("mijn-werk/", my_work.my_work, name="my_work"),
    path("aanmelding/", intake.intake, name="intake"),
    path("aanmelding/criteria/", intake.intake_criteria, name="intake_criteria"),
    path("aanmelding/dubbelen/", intake.intake_duplicates, name="intake_duplicates"),
    path("aanmelding/clienten/", intake.client_search, name="client_search"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/status/", cases.change_status, name="change_status"),
    path("<int:pk>/contact/", cases.add_contact, name="add_contact"),
    path("<int:pk>/doorverwijzing/", cases.add_referral, name="add_referral"),
    path("<int:pk>/afsluiten/", cases.close_case, name="close_case"),
    path("clienten/", clients.client_list, name="client_list"),
    path("clienten/<int:pk>/", clients.client_detail, name="client_detail"),
    path("clienten/<int:pk>/wijzigen/", clients.client_edit, name="client_edit"),
    path("clienten/<int:pk>/toestemming/", clients.consent_record, name="consent_record"),
    path("clienten/<int:pk>/huishouden/", clients.household_link, name="household_link"),
    path("clienten/<int:pk>/huishouden/verlaten/", clients.household_leave, name="household_leave"),
    # AVG requests: inzage (printable page and JSON) and verwijdering (anonymisation).
    path("clienten/avg/", privacy.privacy_lookup, name="privacy_lookup"),
    path("clienten/<int:pk>/inzage/", privacy.client_inzage, name="client_inzage"),
    path("clienten/<int:pk>/inzage.json", privacy.client_inzage_json, name="client_inzage_json"),
    path("clienten/<int:pk>/anonimiseren/", privacy.client_anonymise, name="client_anonymise"),
    path(
        "clienten/<int:pk>/toestemming/<int:consent_pk>/intrekken/",
        clients.consent_withdraw,
        name="consent_withdraw",
    ),
]
