"""Clients, cases (with status history, referrals and outcomes) and staff hours."""

import datetime

from cases.choices import (
    CaseStatus,
    ConsentPurpose,
    HourKind,
    Partner,
    ReferralSource,
)
from cases.models import (
    Case,
    CaseOutcome,
    CaseStatusChange,
    Client,
    Consent,
    HourRegistration,
    Referral,
)
from catalogue.models import normalise_for_search
from demo.generator.base import (
    CASE_PRODUCTS,
    HOURS_CHOICES,
    HOURS_WEIGHTS,
    OTHER_TEAM,
    STATUS_MIX,
)
from demo.population import FIRST_NAMES, KERN_WEIGHTS, LAST_NAMES


class RegistrationRows:
    """Rows of the registrations; a part of the generate_data command (GeneratorBase)."""

    def _clients(self) -> None:
        rng = self.rng
        count = self.n("clients")
        next_id = self.copier.next_id(Client)
        kern_names = self.weighted(KERN_WEIGHTS, count)
        creators = self.workers_of_team
        self.client_kern: list[int] = []
        self.client_team: list[int] = []
        self.client_ids: list[int] = []
        rows = []
        consents = []
        letters = "ABCDEFGHJKLMNPRSTVWXZ"
        created_days = self.dates(count)
        for index in range(count):
            pk = next_id + index
            kern = self.kernen[kern_names[index]]
            team = self.team_of_kern.get(kern.name, self.teams[OTHER_TEAM])
            wijken = self.wijken.get(kern.pk)
            wijk = rng.choice(wijken).pk if wijken and rng.random() < 0.8 else None
            pc4 = rng.choice(kern.postcodes) if kern.postcodes else ""
            postcode = f"{pc4}{rng.choice(letters)}{rng.choice(letters)}" if pc4 else ""
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            full = f"{first} {last}"
            creator = rng.choice(creators[team.pk])
            created = self.at(created_days[index])
            rows.append(
                (
                    pk,
                    first,
                    "",
                    last,
                    self._birth_date(),
                    rng.choice(("vrouw", "vrouw", "man", "man", "")),
                    "Dorpsstraat" if pc4 else "",
                    rng.randint(1, 250),
                    "",
                    postcode,
                    pc4,
                    kern.name,
                    True,
                    kern.pk,
                    wijk,
                    "06" + str(rng.randint(10_000_000, 99_999_999)),
                    "",
                    rng.choice(("", "", "", "", "Arabisch, tolk nodig", "Turks", "Pools")),
                    "",
                    team.pk,
                    normalise_for_search(full),
                    creator,
                    created,
                    created,
                    1,
                )
            )
            consents.append(
                (
                    pk,
                    ConsentPurpose.REGISTRATION,
                    True,
                    "2026-1",
                    creator,
                    created,
                )
            )
            self.client_kern.append(kern.pk)
            self.client_team.append(team.pk)
            self.client_ids.append(pk)
        self.copier.copy(
            Client,
            [
                "id",
                "first_name",
                "last_name_prefix",
                "last_name",
                "birth_date",
                "gender",
                "street",
                "house_number",
                "house_number_addition",
                "postcode",
                "pc4",
                "city",
                "lives_in_haarlemmermeer",
                "kern",
                "wijk",
                "phone",
                "email",
                "language_needs",
                "external_reference",
                "team",
                "search_name",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
            rows,
        )
        self.copier.copy(
            Consent,
            ["client", "purpose", "given", "text_version", "recorded_by", "recorded_at"],
            consents,
        )

    def _cases(self) -> None:
        rng = self.rng
        count = self.n("cases")
        next_id = self.copier.next_id(Case)
        # Every client has a case; a fifth of them a second one.
        client_index = list(range(len(self.client_ids)))
        client_index += rng.choices(client_index, k=count - len(client_index))
        products = self.weighted(CASE_PRODUCTS, count)
        statuses = self.weighted(STATUS_MIX, count)
        registered = self.dates(count)
        sources = rng.choices(ReferralSource.values, k=count)
        year_end = datetime.date(self.year, 12, 31)
        rows, changes, outcomes, referrals = [], [], [], []
        self.cases = []  # (id, product slug, status, client index, registered_on, team)
        for index in range(count):
            pk = next_id + index
            ci = client_index[index]
            team = self.client_team[ci]
            worker = rng.choice(self.workers_of_team[team])
            status = statuses[index]
            registered_on = registered[index]
            closed_on = waiting_since = None
            if status in (CaseStatus.CLOSED, CaseStatus.REFERRED, CaseStatus.CANCELLED):
                closed_on = min(
                    registered_on + datetime.timedelta(days=rng.randint(7, 200)), year_end
                )
            if status == CaseStatus.WAITING_LIST:
                waiting_since = min(
                    registered_on + datetime.timedelta(days=rng.randint(0, 21)), year_end
                )
            caregiver = rng.random() < 0.14
            overburdened = caregiver and rng.random() < 0.14
            created = self.at(registered_on)
            rows.append(
                (
                    pk,
                    self.client_ids[ci],
                    self.products[products[index]].pk,
                    team,
                    worker,
                    status,
                    sources[index],
                    "",
                    "Hulpvraag bij aanmelding.",
                    '["financien"]' if rng.random() < 0.4 else "[]",
                    caregiver,
                    overburdened,
                    "[]",
                    registered_on,
                    waiting_since,
                    closed_on,
                    worker,
                    created,
                    created,
                    1,
                )
            )
            changes.append((pk, "", status, worker, created, ""))
            if status == CaseStatus.CLOSED:
                outcomes.append(
                    (
                        pk,
                        self.weighted({"ja": 60, "deels": 28, "nee": 12}, 1)[0],
                        rng.random() < 0.7,
                        "",
                        "",
                        worker,
                        self.at(closed_on),
                    )
                )
            if status == CaseStatus.REFERRED or rng.random() < 0.05:
                referrals.append(
                    (
                        pk,
                        rng.choice(Partner.values),
                        "",
                        closed_on or registered_on,
                        False,
                        "",
                        worker,
                        created,
                    )
                )
            self.cases.append((pk, products[index], status, ci, registered_on, team))
        self.copier.copy(
            Case,
            [
                "id",
                "client",
                "product",
                "team",
                "responsible_worker",
                "status",
                "referral_source",
                "referral_source_detail",
                "question",
                "life_domains",
                "is_caregiver",
                "caregiver_overburdened",
                "confirmed_criteria",
                "registered_on",
                "waiting_since",
                "closed_on",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
            rows,
        )
        self.copier.copy(
            CaseStatusChange,
            ["case", "from_status", "to_status", "changed_by", "changed_at", "note"],
            changes,
        )
        self.copier.copy(
            CaseOutcome,
            [
                "case",
                "goal_reached",
                "can_continue_independently",
                "referred_to",
                "note",
                "recorded_by",
                "recorded_at",
            ],
            outcomes,
        )
        self.copier.copy(
            Referral,
            [
                "case",
                "partner",
                "partner_detail",
                "date",
                "data_shared",
                "note",
                "created_by",
                "created_at",
            ],
            referrals,
        )

    # --- staff hours ----------------------------------------------------------------------

    def _hours(self) -> None:
        rng = self.rng
        count = self.n("hours")
        case_hours = int(count * 0.7)
        dates = self.dates(count)
        amounts = rng.choices(HOURS_CHOICES, weights=HOURS_WEIGHTS, k=count)
        kinds = self.weighted(
            {
                HourKind.DIRECT: 60,
                HourKind.COORDINATION: 15,
                HourKind.TRAVEL: 10,
                HourKind.GROUP: 8,
                HourKind.TRAINING: 7,
            },
            count,
        )
        other_products = [p.pk for slug, p in self.products.items() if slug not in CASE_PRODUCTS]
        all_workers = [pk for pks in self.workers_of_team.values() for pk in pks]
        kern_ids = [self.kernen[name].pk for name in KERN_WEIGHTS]
        kern_weights = list(KERN_WEIGHTS.values())
        cases = self.cases
        rows = []
        for index in range(count):
            if index < case_hours:
                case_id, slug, _status, ci, _registered, team = rng.choice(cases)
                worker = rng.choice(self.workers_of_team[team])
                product = self.products[slug].pk
                kern = self.client_kern[ci]
            else:
                case_id = None
                worker = rng.choice(all_workers)
                product = rng.choice(other_products)
                kern = (
                    rng.choices(kern_ids, weights=kern_weights, k=1)[0]
                    if rng.random() < 0.85
                    else None
                )
            rows.append(
                (
                    worker,
                    dates[index],
                    amounts[index],
                    product,
                    case_id,
                    kinds[index],
                    kern,
                    "",
                    "",
                    "",
                    worker,
                    self.now,
                    self.now,
                )
            )
        self.copier.copy(
            HourRegistration,
            [
                "worker",
                "date",
                "hours",
                "product",
                "case",
                "kind",
                "kern",
                "pc4",
                "client_reference",
                "note",
                "created_by",
                "created_at",
                "updated_at",
            ],
            rows,
        )

    # --- volunteers -----------------------------------------------------------------------
