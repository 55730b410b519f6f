"""One record of sanctions: every old Ban row becomes a ban Sanction (unless one is already in
force for the person and the room), then the Ban table goes."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def bans_into_sanctions(apps, schema_editor):
    Ban = apps.get_model("chat", "Ban")
    Sanction = apps.get_model("chat", "Sanction")
    now = timezone.now()
    for ban in Ban.objects.all().iterator():
        in_force = Sanction.objects.filter(
            Q(until=None) | Q(until__gt=now),
            room_id=ban.room_id,
            user_id=ban.user_id,
            level="ban",
            lifted_at=None,
        ).exists()
        if not in_force:
            Sanction.objects.create(
                room_id=ban.room_id,
                user_id=ban.user_id,
                level="ban",
                reason=ban.reason or "banned",
                created_at=ban.created_at,
                by=None,
            )


def sanctions_into_bans(apps, schema_editor):
    Ban = apps.get_model("chat", "Ban")
    Sanction = apps.get_model("chat", "Sanction")
    now = timezone.now()
    in_force = Sanction.objects.filter(Q(until=None) | Q(until__gt=now), level="ban", lifted_at=None)
    for sanction in in_force.order_by("id").iterator():
        Ban.objects.get_or_create(
            room_id=sanction.room_id,
            user_id=sanction.user_id,
            defaults={"reason": sanction.reason, "created_at": sanction.created_at},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0006_merge_0004_safety_0005_check_in_wordings"),
    ]

    operations = [
        migrations.RunPython(bans_into_sanctions, sanctions_into_bans),
        migrations.DeleteModel(name="Ban"),
    ]
