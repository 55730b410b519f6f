from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.hooks import run_daily


class Command(BaseCommand):
    help = "The once-a-day sweep: reminders and expiry warnings. Safe to run more than once a day."

    def handle(self, *args, **options):
        run_daily(timezone.now())
        self.stdout.write("Daily jobs enqueued.")
