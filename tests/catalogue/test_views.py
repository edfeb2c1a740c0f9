import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import HourBudget, HourUnit, Product
from catalogue.services import save_hour_budget
from meerwaarde.accounts.models import Role

LIST_URL = reverse("catalogue:product_list")
CHECK_URL = reverse("catalogue:eligibility_check")
EXPORT_URL = reverse("catalogue:export_json")


def result_slugs(response) -> set[str]:
    return {p.slug for p in response.context["products"]}


@pytest.fixture
def worker_client(client, login, make_user, catalogue):
    return login(make_user(role=Role.SOCIAL_WORKER))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [LIST_URL, CHECK_URL, EXPORT_URL, reverse("catalogue:product_detail", args=["menes"])],
)
def test_every_role_may_use_the_catalogue(client, login, make_user, catalogue, any_role, url):
    login(make_user(role=any_role))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST_URL, CHECK_URL, EXPORT_URL])
def test_anonymous_users_are_sent_to_login_and_roleless_users_refused(
    client, login, make_user, url
):
    response = client.get(url)
    assert response.status_code == 302 and "/account/inloggen/" in response.url
    login(make_user(role=""))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_list_shows_all_products_with_a_count(worker_client):
    response = worker_client.get(LIST_URL)
    assert len(response.context["products"]) == 43
    assert "43 producten gevonden" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("buurtbemiddeling", {"buurt-en-groepsbemiddeling"}),
        ("Home-Start", {"home-start-en-home-start-plus"}),
        ("BUURTBEMIDDELING", {"buurt-en-groepsbemiddeling"}),
        ("triple p", {"opvoedondersteuning"}),  # only in the method
        ("laaggeletterd", {"partner-in-het-taalhuis"}),  # in the target group
    ],
)
def test_search_finds_by_name_goal_target_group_and_method(worker_client, query, expected):
    assert expected <= result_slugs(worker_client.get(LIST_URL, {"q": query}))


@pytest.mark.django_db
def test_search_ignores_accents(worker_client):
    with_accent = result_slugs(worker_client.get(LIST_URL, {"q": "coördinatie"}))
    without = result_slugs(worker_client.get(LIST_URL, {"q": "coordinatie"}))
    assert with_accent == without and with_accent


@pytest.mark.django_db
def test_search_needs_every_word(worker_client):
    assert result_slugs(worker_client.get(LIST_URL, {"q": "mentor jongeren"})) >= {"matchmentor"}
    assert result_slugs(worker_client.get(LIST_URL, {"q": "mentor xyzzy"})) == set()
    assert "0 producten gevonden" in worker_client.get(LIST_URL, {"q": "xyzzy"}).content.decode()


@pytest.mark.django_db
def test_filter_by_cluster(worker_client):
    slugs = result_slugs(worker_client.get(LIST_URL, {"cluster": "ouderen"}))
    assert slugs == set(Product.objects.filter(cluster="ouderen").values_list("slug", flat=True))
    assert "preventieve-huisbezoeken" in slugs


@pytest.mark.django_db
def test_filter_by_age(worker_client):
    fifteen = result_slugs(worker_client.get(LIST_URL, {"leeftijd": 15}))
    assert {"stacks", "matchmentor", "track-the-talent"} <= fifteen
    assert "meerbabbels" not in fifteen and "formulierenbrigade" not in fifteen
    eighty = result_slugs(worker_client.get(LIST_URL, {"leeftijd": 80}))
    assert "preventieve-huisbezoeken" in eighty and "stacks" not in eighty
    assert "preventieve-huisbezoeken" not in result_slugs(
        worker_client.get(LIST_URL, {"leeftijd": 60})
    )


@pytest.mark.django_db
def test_filter_by_volunteers(worker_client):
    with_volunteers = result_slugs(worker_client.get(LIST_URL, {"vrijwilligers": "ja"}))
    without = result_slugs(worker_client.get(LIST_URL, {"vrijwilligers": "nee"}))
    assert "home-start-en-home-start-plus" in with_volunteers
    assert "1-5-gesprekken" in without
    assert not with_volunteers & without and len(with_volunteers | without) == 43


@pytest.mark.django_db
@pytest.mark.parametrize("age", ["abc", "-3", "500", "1e3"])
def test_bad_filter_input_gets_a_dutch_message(worker_client, age):
    response = worker_client.get(LIST_URL, {"leeftijd": age})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Controleer de filters" in content
    assert "Leeftijd van de persoon" in content


@pytest.mark.django_db
def test_htmx_requests_get_only_the_results(worker_client):
    response = worker_client.get(LIST_URL, {"q": "stacks"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert "1 product gevonden" in content


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_results(worker_client, django_assert_max_num_queries):
    worker_client.get(LIST_URL)  # warm the session
    with django_assert_max_num_queries(10) as few:
        worker_client.get(LIST_URL, {"q": "stacks"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        worker_client.get(LIST_URL)


@pytest.mark.django_db
def test_detail_shows_every_section_and_the_budget(worker_client, catalogue):
    product = catalogue["menes"]
    response = worker_client.get(reverse("catalogue:product_detail", args=[product.slug]))
    content = response.content.decode()
    for heading in (
        "Doel",
        "Doelgroep",
        "Maatschappelijk effect microniveau",
        "Maatschappelijk effect macroniveau",
        "Criteria om deel te nemen",
        "Werkwijze/methodiek",
        "Ureninzet",
        "Wie komt in aanmerking",
    ):
        assert heading in content
    assert "1.600 uur per jaar" in content
    assert "1.600 uur inzet op jaarbasis" in content
    assert "12 tot en met 23 jaar" in content


@pytest.mark.django_db
def test_detail_shows_decimal_norms_the_dutch_way(worker_client, catalogue):
    save_hour_budget(
        budget=HourBudget(
            product=catalogue["buurt-en-groepsbemiddeling"],
            year=__import__("datetime").date.today().year,
            planned_units=250,
        )
    )
    content = worker_client.get(
        reverse("catalogue:product_detail", args=["buurt-en-groepsbemiddeling"])
    ).content.decode()
    assert "5,4 uur per melding" in content
    assert "1.350" in content  # 250 meldingen × 5,4 uur
    assert "Bemiddelaars hebben gesprek met partij 1." in content


@pytest.mark.django_db
def test_detail_query_count_is_constant(worker_client, django_assert_max_num_queries):
    worker_client.get(LIST_URL)
    with django_assert_max_num_queries(10) as small:
        worker_client.get(reverse("catalogue:product_detail", args=["stacks"]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        worker_client.get(reverse("catalogue:product_detail", args=["buurt-en-groepsbemiddeling"]))


@pytest.mark.django_db
def test_unknown_and_inactive_products_are_404(worker_client, catalogue):
    assert (
        worker_client.get(reverse("catalogue:product_detail", args=["bestaat-niet"])).status_code
        == 404
    )
    Product.objects.filter(slug="stacks").update(is_active=False)
    assert (
        worker_client.get(reverse("catalogue:product_detail", args=["stacks"])).status_code == 404
    )
    assert "stacks" not in result_slugs(worker_client.get(LIST_URL))


@pytest.mark.django_db
def test_eligibility_check_lists_fitting_products_with_checklist(worker_client):
    response = worker_client.get(
        CHECK_URL, {"geboortedatum": "1990-04-01", "woonplaats": "ja", "kinderen": "2, 9"}
    )
    fitting = {r.product.slug for r in response.context["fitting"]}
    not_fitting = {r.product.slug for r in response.context["not_fitting"]}
    assert "home-start-en-home-start-plus" in fitting
    assert "stacks" in not_fitting and "preventieve-huisbezoeken" in not_fitting
    content = response.content.decode()
    assert "Te beoordelen bij de intake" in content
    assert "Gezin staat open voor ondersteuning door Home-Start" in content


@pytest.mark.django_db
def test_eligibility_accepts_dutch_dates(worker_client):
    response = worker_client.get(CHECK_URL, {"geboortedatum": "14-03-1958"})
    assert response.context["form"].is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"geboortedatum": ""}, "Vul de geboortedatum in."),
        ({"geboortedatum": "31-02-1990"}, "Vul een bestaande datum in"),
        ({"geboortedatum": "2999-01-01"}, "De geboortedatum ligt in de toekomst."),
        ({"geboortedatum": "1800-01-01"}, "afgelopen 120 jaar"),
        ({"geboortedatum": "1990-01-01", "kinderen": "twee"}, "Vul leeftijden in hele jaren in"),
        ({"geboortedatum": "1990-01-01", "kinderen": "4, 45"}, "hooguit 30 jaar"),
        ({"geboortedatum": "1990-01-01", "woonplaats": "mars"}, "Selecteer een geldige keuze"),
    ],
)
def test_eligibility_bad_input_gets_a_dutch_message(worker_client, data, message):
    response = worker_client.get(CHECK_URL, {"woonplaats": "", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "fitting" not in response.context


EXPORT_KEYS = {
    "slug",
    "name",
    "cluster",
    "goal",
    "target_group",
    "effects_micro",
    "effects_macro",
    "criteria",
    "method",
    "min_age",
    "max_age",
    "hour_budget",
}


def assert_export_schema(data):
    assert isinstance(data, list) and len(data) == 43
    for item in data:
        assert set(item) == EXPORT_KEYS
        for key in ("slug", "name", "cluster", "goal", "target_group"):
            assert isinstance(item[key], str) and item[key]
        for key in ("effects_micro", "effects_macro", "criteria", "method"):
            assert isinstance(item[key], list) and all(isinstance(x, str) for x in item[key])
        for key in ("min_age", "max_age"):
            assert item[key] is None or (
                isinstance(item[key], int) and not isinstance(item[key], bool)
            )
        budget = item["hour_budget"]
        assert set(budget) == {"hours", "unit", "participants", "text"}
        assert budget["hours"] is None or isinstance(budget["hours"], int | float)
        assert budget["participants"] is None or isinstance(budget["participants"], int | float)
        assert budget["unit"] in HourUnit.values
        assert isinstance(budget["text"], str) and budget["text"]


@pytest.mark.django_db
def test_export_endpoint_returns_the_schema(worker_client):
    response = worker_client.get(EXPORT_URL)
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert_export_schema(data)
    by_slug = {item["slug"]: item for item in data}
    assert by_slug["buurt-en-groepsbemiddeling"]["hour_budget"] == {
        "hours": 5.4,
        "unit": "per_melding",
        "participants": None,
        "text": "5,4 uur per melding",
    }
    assert by_slug["matchmentor"]["min_age"] == 10 and by_slug["matchmentor"]["max_age"] == 23
    assert (
        by_slug["preventieve-huisbezoeken"]["min_age"],
        by_slug["preventieve-huisbezoeken"]["max_age"],
    ) == (79, 80)
    assert by_slug["groepsgerichte-activiteiten"]["hour_budget"]["participants"] == 12
    assert (
        "- Bemiddelaars hebben gesprek met partij 1."
        in by_slug["buurt-en-groepsbemiddeling"]["method"]
    )


@pytest.mark.django_db
def test_export_command_prints_the_same_json(worker_client):
    out = StringIO()
    call_command("export_catalogue", stdout=out)
    printed = json.loads(out.getvalue())
    assert_export_schema(printed)
    assert printed == json.loads(worker_client.get(EXPORT_URL).content)
