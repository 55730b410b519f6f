import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import NotADemoPerson, demo_totp_secret_in_use


class Command(BaseCommand):
    help = (
        "Print the current two-step log-in code of a demo staff person made by seed_demo. "
        "It refuses for anyone else, so it reveals nothing on a real site."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            secret = demo_totp_secret_in_use(email)
        except NotADemoPerson as refusal:
            raise CommandError(str(refusal)) from None
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
