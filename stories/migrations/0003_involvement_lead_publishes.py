"""The last step of the story review workflow is the involvement lead's, not the chat
moderators': the person who gathers stories and their consent checks them and, after the
storyteller approved the words, approves the step, which publishes the story. The lead still
has no right to publish directly, so no story skips the storyteller's approval."""

from django.db import migrations

INVOLVEMENT_LEAD = "involvement_lead"


def involvement_lead_publishes(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    StoryModerationTask = apps.get_model("stories.StoryModerationTask")
    lead = Group.objects.get_or_create(name=INVOLVEMENT_LEAD)[0]
    for task in StoryModerationTask.objects.all():
        task.name = "Involvement lead publishes"
        task.save(update_fields=["name"])
        task.groups.set([lead])


class Migration(migrations.Migration):
    dependencies = [("stories", "0002_index_themes_workflow")]

    operations = [migrations.RunPython(involvement_lead_publishes, migrations.RunPython.noop)]
