"""The roles and training courses every Alongside programme starts with. Coordinators can change
them afterwards in the admin; this migration only creates what is missing."""

from django.db import migrations

from volunteering.defaults import ensure_default_roles


def create(apps, schema_editor):
    ensure_default_roles(
        apps.get_model("volunteering", "TrainingCourse"),
        apps.get_model("volunteering", "VolunteerRole"),
    )


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
