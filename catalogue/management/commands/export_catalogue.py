import json

from django.core.management.base import BaseCommand

from catalogue.export import catalogue_export


class Command(BaseCommand):
    help = "Schrijft de productcatalogus als JSON naar standaarduitvoer."

    def add_arguments(self, parser):
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, indent: int, **options):
        self.stdout.write(json.dumps(catalogue_export(), ensure_ascii=False, indent=indent or None))
