from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from meerwaarde.accounts.models import Role, User


class Command(BaseCommand):
    help = (
        "Maakt het API-account van de gemeente aan (of gebruikt het bestaande) en drukt het "
        "token af. Het account kan niet inloggen in de applicatie en ziet alleen de "
        "geaggregeerde indicatoren. Voorbeeld: create_api_token --username gemeente"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="gemeente", help="standaard: gemeente")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="vervang het token (het oude werkt daarna niet meer)",
        )

    @transaction.atomic
    def handle(self, *args, username, rotate=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=Role.MUNICIPALITY_API)
            # Token only: no password, so no way into the web application.
            user.set_unusable_password()
            user.save()
            self.stderr.write(f"API-account {username} aangemaakt.")
        elif user.role != Role.MUNICIPALITY_API:
            raise CommandError(
                f"Gebruiker {username} bestaat al en is geen API-account van de gemeente; "
                "kies een andere gebruikersnaam."
            )
        elif not user.is_active:
            raise CommandError(f"API-account {username} is gedeactiveerd.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if not created:
            self.stderr.write(f"Bestaand token van {username}.")
        self.stdout.write(token.key)
