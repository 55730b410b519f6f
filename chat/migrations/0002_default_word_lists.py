"""The default word lists (chat.filters.DEFAULT_FILTERS), which moderators then edit."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from chat.filters import DEFAULT_FILTERS

    WordFilter = apps.get_model("chat", "WordFilter")
    existing = set(WordFilter.objects.values_list("phrase", flat=True))
    WordFilter.objects.bulk_create(
        WordFilter(phrase=phrase, action=action, note="default list")
        for action, phrases in DEFAULT_FILTERS.items()
        for phrase in phrases
        if phrase not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("chat", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
