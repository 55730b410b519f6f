from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.hooks import run_due


class Command(BaseCommand):
    help = (
        "The time-critical checks that have fallen due: crises nobody picked up, mentors who did "
        "not answer in time, reminders and held texts whose time has come. Run it from cron "
        "every few minutes; safe to run twice."
    )

    def handle(self, *args, **options):
        done = run_due(timezone.now())
        each = ", ".join(f"{label} {count}" for label, count in done.items())
        self.stdout.write(f"Did {sum(done.values())} due thing(s) ({each}).")
