from django.core.management.base import BaseCommand

from volunteers.reference_data import load_screening_reference


class Command(BaseCommand):
    help = "Laadt trainingen en screeningseisen per product (idempotent)."

    def handle(self, *args, **options):
        trainings, rules = load_screening_reference()
        self.stdout.write(f"Screening: {trainings} nieuwe trainingen, {rules} nieuwe eisen.")
