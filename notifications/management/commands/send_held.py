from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.delivery import release_held


class Command(BaseCommand):
    help = "Send texts and phone notifications that waited for the end of quiet hours."

    def handle(self, *args, **options):
        sent = release_held(now=timezone.now())
        self.stdout.write(f"Sent {sent} held notice(s).")
