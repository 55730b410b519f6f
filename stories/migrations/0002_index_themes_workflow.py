"""The stories list under the home page, its themes, the story review workflow (storyteller
approves → moderator publishes) and the permissions involvement leads need for consent records."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

THEMES = [
    ("Recovery", "recovery"),
    ("Prison and release", "prison"),
    ("Housing", "housing"),
    ("Family", "family"),
    ("Work and learning", "work"),
    ("Mental health", "mental-health"),
    ("Peer mentoring", "peer-mentoring"),
]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
        if not number:
            return digits.rjust(4, "0")


def build(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    StoryIndexPage = apps.get_model("stories.StoryIndexPage")
    StoryTheme = apps.get_model("stories.StoryTheme")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    StorytellerApprovalTask = apps.get_model("stories.StorytellerApprovalTask")
    StoryModerationTask = apps.get_model("stories.StoryModerationTask")
    Group = apps.get_model("auth.Group")

    for name, slug in THEMES:
        StoryTheme.objects.get_or_create(slug=slug, defaults={"name": name})

    home = apps.get_model("cms.HomePage").objects.first()
    if home is None or StoryIndexPage.objects.exists():
        return
    last = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path")
    position = int(last[0].path[-4:], 36) + 1 if last else 1
    content_type, _ = ContentType.objects.get_or_create(app_label="stories", model="storyindexpage")
    index = StoryIndexPage.objects.create(
        title="Stories",
        draft_title="Stories",
        slug="stories",
        content_type=content_type,
        path=home.path + _base36(position),
        depth=home.depth + 1,
        numchild=0,
        url_path=home.url_path + "stories/",
        live=True,
        has_unpublished_changes=False,
        locale_id=home.locale_id,
        summary="Told by the people who lived them, with their consent.",
    )
    Page.objects.filter(pk=home.pk).update(
        numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    )

    moderators = Group.objects.get_or_create(name="moderator")[0]
    storyteller_task = StorytellerApprovalTask.objects.create(
        name="Storyteller approves the text",
        content_type=ContentType.objects.get_or_create(
            app_label="stories", model="storytellerapprovaltask"
        )[0],
        active=True,
    )
    moderation_task = StoryModerationTask.objects.create(
        name="Moderator publishes",
        content_type=ContentType.objects.get_or_create(
            app_label="stories", model="storymoderationtask"
        )[0],
        active=True,
    )
    moderation_task.groups.add(moderators)
    workflow = Workflow.objects.create(name="Story review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=storyteller_task, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=moderation_task, sort_order=1)
    WorkflowPage.objects.create(workflow=workflow, page_id=index.pk)


def grant_permissions(apps, schema_editor):
    create_permissions(global_apps.get_app_config("stories"), apps=apps, verbosity=0)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    lead = Group.objects.get_or_create(name="involvement_lead")[0]
    lead.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="stories",
            codename__in=[
                "add_storyconsent",
                "change_storyconsent",
                "view_storyconsent",
                "add_storytheme",
                "change_storytheme",
                "view_storytheme",
            ],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("cms", "0002_site_pages_roles_glossary"),
    ]

    operations = [
        migrations.RunPython(build, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
