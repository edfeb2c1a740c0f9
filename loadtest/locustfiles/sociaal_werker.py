"""Sociaal werkers: hours through the week overview (60 %), a new intake with a new client,
the criteria checklist (an htmx fragment) and consent (25 %), and *Mijn werk* (15 %)."""

import datetime
import random
import secrets

from locust import task

from loadtest.forms import find_form, forms_of
from loadtest.users import LoadUser, plan

HOUR_VALUES = ["0,25", "0,5", "0,75", "1", "1,25", "1,5", "2"]
FIRST_NAMES = ["Anna", "Bram", "Fatima", "Henk", "Ilse", "Jan", "Karin", "Mohamed", "Noor", "Piet"]
LAST_NAMES = ["Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Yilmaz", "Bos"]


class SociaalWerker(LoadUser):
    role = "sociaal_werker"
    weight = 3  # 60 % of the users, as coordinators and managers are 20 % each

    @task(12)
    def register_hours(self) -> None:
        self.ensure_logged_in()
        page = self.get("uren: weekoverzicht", "/uren/")
        form = find_form(page.text, testid="hours-form")
        self.wait()
        products = [value for value in form.options["product"] if value]
        day = datetime.date.today() - datetime.timedelta(days=random.randint(0, 60))
        note = self.marker("uren")
        hours = random.choice(HOUR_VALUES)
        data = form.data(
            date=day.isoformat(), product=random.choice(products), hours=hours, note=note, case=""
        )
        answer = self.post("uren: opslaan", form.action, data)
        if answer.status == 302 and answer.location.startswith("/uren/"):
            self.acknowledge(kind="hours", marker=note, username=self.username, hours=hours)
            self.get("uren: weekoverzicht", answer.location)
        elif answer.status == 200:
            self.refused("uren: opslaan", answer.text)

    @task(5)
    def register_intake(self) -> None:
        self.ensure_logged_in()
        page = self.get("aanmelding: formulier", "/trajecten/aanmelding/")
        form = find_form(page.text, form_id="intake-form")
        product = str(random.choice(plan()["intake_products"]))
        youngest, oldest = plan()["intake_ages"]
        birth_date = datetime.date.today() - datetime.timedelta(
            days=random.randint(youngest * 366, oldest * 365 - 1)
        )
        checklist = self.get(
            "aanmelding: criteria",
            "/trajecten/aanmelding/criteria/",
            params={
                "product": product,
                "birth_date": birth_date.isoformat(),
                "lives_in_haarlemmermeer": "on",
            },
        )
        # The worker ticks every criterion the checklist shows.
        criteria = forms_of(f"<form>{checklist.text}</form>")[0].options["confirmed_criteria"]
        self.wait()
        question = self.marker("aanmelding")
        data = form.data(
            first_name=random.choice(FIRST_NAMES),
            last_name=f"{random.choice(LAST_NAMES)}-{secrets.token_hex(3)}",
            birth_date=birth_date.isoformat(),
            product=product,
            referral_source=random.choice([v for v in form.options["referral_source"] if v]),
            question=question,
            confirmed_criteria=criteria,
            consent_registration="on",
        )
        answer = self.post("aanmelding: opslaan", "/trajecten/aanmelding/", data)
        if answer.status == 200 and "mogelijk al bekend" in answer.text:
            # A possible duplicate: the worker confirms it is another person, as on the page.
            again = find_form(answer.text, form_id="intake-form")
            answer = self.post(
                "aanmelding: opslaan",
                "/trajecten/aanmelding/",
                again.data(confirm_new_client="on", confirmed_criteria=criteria),
            )
        if answer.status == 302 and answer.location.startswith("/trajecten/"):
            case_id = int(answer.location.strip("/").split("/")[-1])
            self.acknowledge(kind="intake", marker=question, case_id=case_id)
            self.get("traject: pagina", answer.location)
        elif answer.status == 200:
            self.refused("aanmelding: opslaan", answer.text)

    @task(3)
    def my_work(self) -> None:
        self.ensure_logged_in()
        self.get("trajecten: mijn werk", "/trajecten/mijn-werk/")
