"""Managers: the dashboard (`/rapportage/`), another period of it, now and then the home page."""

import random

from locust import task

from loadtest.forms import forms_of
from loadtest.users import LoadUser


class Manager(LoadUser):
    role = "manager"
    weight = 1

    @task
    def read_the_dashboard(self) -> None:
        self.ensure_logged_in()
        page = self.get("rapportage: dashboard", "/rapportage/")
        periods = [
            form.options["periode"] for form in forms_of(page.text) if form.options.get("periode")
        ]
        self.wait()
        if periods and periods[0]:
            self.get(
                "rapportage: andere periode",
                "/rapportage/",
                params={"periode": random.choice(periods[0])},
            )
        if random.random() < 0.2:
            self.wait()
            self.get("startpagina", "/")
