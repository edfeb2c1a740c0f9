"""Coördinatoren: the matching overview, a waiting case with its suggestions, a volunteer
proposed; the match opened and, in half of the cases, broken off again (with a reason, which
frees the place) or moved on to the introduction."""

import random
import re

from locust import task

from loadtest.forms import find_form, forms_of
from loadtest.users import LoadUser


class Coordinator(LoadUser):
    role = "coordinator"
    weight = 1

    @task
    def propose_a_volunteer(self) -> None:
        self.ensure_logged_in()
        overview = self.get("matching: overzicht", "/matching/")
        case_ids = sorted(set(re.findall(r'href="/matching/traject/(\d+)/', overview.text)))
        if not case_ids:
            self.refused("matching: overzicht", reason="geen wachtende trajecten in het overzicht")
            return
        self.wait()
        case_id = int(random.choice(case_ids))
        case_path = f"/matching/traject/{case_id}/"
        page = self.get("matching: traject en suggesties", case_path)
        proposals = [form for form in forms_of(page.text) if "/voorstellen/" in form.action]
        if not proposals:
            return
        self.wait()
        form = random.choice(proposals[:3])
        volunteer = int(form.value("volunteer"))
        answer = self.post("matching: voorstellen", form.action, form.data(), expect=(302,))
        if answer.location.startswith("/matching/koppeling/"):
            match_id = int(answer.location.strip("/").split("/")[-1])
            self.acknowledge(
                kind="match", match_id=match_id, case_id=case_id, volunteer_id=volunteer
            )
            match_page = self.get("matching: koppeling", answer.location)
            self.change_status(match_id, match_page.text)
        else:
            # Back on the case page with the reason (another coordinator took the last place).
            back = self.get("matching: traject en suggesties", answer.location)
            self.refused("matching: voorstellen", back.text)

    def change_status(self, match_id: int, page: str) -> None:
        choice = random.random()
        if choice >= 0.7:
            return
        to_status, reason = (
            ("afgebroken", "Klikte niet bij de kennismaking (belastingtest).")
            if choice < 0.5
            else ("kennismaking", "")
        )
        form = find_form(page, action_contains="/status/")
        self.wait()
        answer = self.post(
            "matching: status wijzigen",
            form.action,
            form.data(to_status=to_status, reason=reason),
            expect=(302, 400),
        )
        if answer.status == 302:
            self.acknowledge(kind="match_status", match_id=match_id, status=to_status)
        else:
            self.refused("matching: status wijzigen", answer.text)
