import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reporting import exports, selectors
from reporting.periods import parse_period


class Command(BaseCommand):
    help = (
        "Drukt de indicatorwaarden van een jaar af als JSON of CSV (kleine aantallen "
        "onderdrukt). Voorbeeld: export_indicators --year 2025 --format json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--period", help="alleen deze periode, bijvoorbeeld 2025-Q2")
        parser.add_argument("--indicator", help="alleen deze indicatorcode")

    def handle(self, *args, year, format, period=None, indicator=None, **options):
        try:
            if period and parse_period(period).year != year:
                raise CommandError(f"Periode {period} ligt niet in {year}.")
            values = selectors.indicator_values(year=year, period=period, indicator=indicator)
            rows = selectors.published_rows(values)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if format == "json":
            self.stdout.write(exports.to_json(rows))
        else:
            # Same CSV as the download (Excel: ';', decimal comma, BOM); written as is.
            self.stdout.flush()
            sys.stdout.write(exports.to_csv(rows))
