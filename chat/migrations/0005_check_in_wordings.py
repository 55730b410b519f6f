"""The first pre-written check-ins, following the National Suicide Prevention Alliance's guidance
for online communities: warm, direct and without judgement, asking plainly about safety, pointing to
help, and honest that we may have to share a worry to keep someone safe. Moderators edit them."""

from django.db import migrations

HONEST = (
    "What you tell us stays with the moderators, unless we think you or someone else is in "
    "danger: then we may need to tell our safeguarding lead so they can help, and we will tell "
    "you if we do."
)

WORDINGS = [
    (
        "Are you safe?",
        "Hi, it's one of the moderators. We saw your message and we wanted to check in with you "
        "privately, because we care about how you are. Are you safe right now? Are you thinking "
        "about ending your life? It is OK to tell us - we won't judge you. If you are in danger "
        "now, please call 999. Samaritans are there any time, day or night, on 116 123. "
        + HONEST,
    ),
    (
        "Taken too much",
        "Hi, it's one of the moderators. We saw your message and we are worried about you. Have "
        "you taken too much of something, or are you thinking about it? If you or someone with "
        "you has taken too much, call 999 now and tell them what was taken. Are you safe right "
        "now? FRANK can talk about drugs any time on 0300 123 6600. " + HONEST,
    ),
    (
        "Gentle check-in",
        "Hi, it's one of the moderators. We noticed your message and wanted to ask, just between "
        "us, how you are doing right now. Sometimes things get too much, and you don't have to "
        "carry it on your own. Are you safe? You can reply with one tap below, or write to us. If "
        "you would rather talk to someone now, Samaritans are on 116 123 and you can text SHOUT "
        "to 85258. " + HONEST,
    ),
]


def seed(apps, schema_editor):
    CheckInWording = apps.get_model("chat", "CheckInWording")
    if CheckInWording.objects.exists():
        return
    CheckInWording.objects.bulk_create(
        CheckInWording(label=label, body=body, position=n)
        for n, (label, body) in enumerate(WORDINGS)
    )


class Migration(migrations.Migration):
    dependencies = [("chat", "0004_crisis_routing")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
