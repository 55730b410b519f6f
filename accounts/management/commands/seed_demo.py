from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_email, demo_password, demo_totp_secret, ensure_personas
from accounts.hooks import seed_demo
from accounts.roles import STAFF_ROLES, Role


class Command(BaseCommand):
    help = "Create demo people (one per role) and sample content. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the log-ins.")

    def handle(self, *args, quiet=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo makes accounts with published passwords: it only runs with DEBUG=true."
            )
        personas = ensure_personas()
        seed_demo(personas, self.stdout)
        if quiet:
            return
        self.stdout.write("\nDemo log-ins (this computer only):\n")
        for role in Role.values:
            email = demo_email(role)
            line = f"  {Role(role).label:<18} {email:<36} password: {demo_password(role)}"
            self.stdout.write(line)
            if role in STAFF_ROLES:
                self.stdout.write(
                    f"  {'':<18} two-step code: add secret {demo_totp_secret(email)} to an "
                    f"authenticator app, or run: python manage.py demo_code {email}"
                )
