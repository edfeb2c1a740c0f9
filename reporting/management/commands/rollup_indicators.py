from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reporting import services
from reporting.models import Indicator
from reporting.periods import parse_period, periods_of_year


class Command(BaseCommand):
    help = (
        "Rekent de indicatoren van een jaar (of één periode daarvan) synchroon opnieuw uit en "
        "toont wat er berekend is. Voorbeeld: rollup_indicators --year 2025 --period 2025-Q2"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="bijvoorbeeld 2025")
        parser.add_argument(
            "--period", help="alleen deze periode: 2025, 2025-H1, 2025-Q2 of 2025-03"
        )

    def handle(self, *args, year, period=None, **options):
        try:
            if period:
                chosen = parse_period(period)
                if chosen.year != year:
                    raise CommandError(f"Periode {period} ligt niet in {year}.")
                periods = [chosen]
            else:
                if not 2000 <= year <= 2100:
                    raise CommandError(f"Het jaar {year} valt buiten 2000–2100.")
                periods = periods_of_year(year)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        summary = services.rollup(periods)
        names = dict(Indicator.objects.values_list("code", "name"))
        self.stdout.write(
            f"Berekend: {len(summary.periods)} perioden, {summary.values_written} waarden."
        )
        if summary.skipped_final:
            self.stdout.write(
                "Overgeslagen (definitief): " + ", ".join(sorted(summary.skipped_final))
            )
        shown = [p.key for p in periods if p.key in summary.periods]
        for key in shown:
            self.stdout.write(f"\n{key}")
            for (code, period_key), value in sorted(summary.totals.items()):
                if period_key == key:
                    text = "–" if value is None else str(value).replace(".", ",")
                    self.stdout.write(f"  {code:<28} {text:>12}  {names.get(code, '')}")
