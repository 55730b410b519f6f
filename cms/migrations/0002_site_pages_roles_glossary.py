"""Replace Wagtail's "Welcome" page with our home page, add the events list and the glossary,
seed the glossary, and give roles their Wagtail permissions.

Involvement leads: the admin, add and edit pages and images under the site, submit for
moderation (no publish), the glossary and site settings; nothing about users. Moderators: the
admin, publish pages (through the workflow), choose images.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GLOSSARY = [
    ("DIP", "Drug Interventions Programme", "Help with drugs offered after arrest or in court."),
    ("DRR", "Drug Rehabilitation Requirement", "A court order to have drug treatment and tests."),
    ("ATR", "Alcohol Treatment Requirement", "A court order to have treatment for alcohol."),
    ("PPO", "Prolific and Priority Offender", "A scheme giving people who offend often extra support and supervision."),
    ("OASys", "Offender Assessment System", "The form probation uses to assess risks and needs."),
    ("CARAT", "Counselling, Assessment, Referral, Advice and Throughcare", "The drug service that used to work inside prisons."),
    ("ETE", "Education, Training and Employment", "Help to learn, train or find work."),
    ("DBS", "Disclosure and Barring Service", "The criminal record check for some jobs and volunteering."),
    ("MAPPA", "Multi-Agency Public Protection Arrangements", "How police, probation and prisons manage some people's risk together."),
    ("IOM", "Integrated Offender Management", "Police, probation and others working together with people who offend often."),
    ("CRC", "Community Rehabilitation Company", "The private probation companies that existed from 2014 to 2021."),
    ("HMPPS", "His Majesty's Prison and Probation Service", "The government service that runs prisons and probation."),
    ("ROTL", "Release on Temporary Licence", "Leaving prison for a short time, for work or family, before release."),
    ("OST", "Opioid Substitution Therapy", "Prescribed medicine such as methadone or buprenorphine."),
    ("NA", "Narcotics Anonymous", "Free self-help groups for people recovering from drugs."),
    ("AA", "Alcoholics Anonymous", "Free self-help groups for people recovering from alcohol."),
    ("SMART", "Self-Management and Recovery Training", "Recovery groups built on practical tools."),
]

INVOLVEMENT_LEAD = "involvement_lead"
MODERATOR = "moderator"


def _page(apps, model, *, parent_path, position, title, slug, url_path, depth, locale, extra=None):
    ContentType = apps.get_model("contenttypes.ContentType")
    Model = apps.get_model(*model.split("."))
    content_type, _ = ContentType.objects.get_or_create(
        app_label=model.split(".")[0], model=model.split(".")[1].lower()
    )
    return Model.objects.create(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        path=f"{parent_path}{position:04d}",
        depth=depth,
        numchild=0,
        url_path=url_path,
        live=True,
        has_unpublished_changes=False,
        locale=locale,
        **(extra or {}),
    )


def build_site(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    PageCacheGeneration = apps.get_model("cms.PageCacheGeneration")
    GlossaryTerm = apps.get_model("cms.GlossaryTerm")

    PageCacheGeneration.objects.get_or_create(pk=1)
    for acronym, meaning, explanation in GLOSSARY:
        GlossaryTerm.objects.get_or_create(
            acronym=acronym, defaults={"meaning": meaning, "explanation": explanation}
        )

    root = Page.objects.filter(depth=1).first()
    if root is None or apps.get_model("cms.HomePage").objects.exists():
        return
    locale = Locale.objects.first()
    welcome = Page.objects.filter(depth=2, content_type__app_label="wagtailcore").first()
    last_child = Page.objects.filter(depth=2).order_by("-path").first()
    position = int(last_child.path[4:8], 36) + 1 if last_child else 1
    home = _page(
        apps,
        "cms.HomePage",
        parent_path=root.path,
        position=position,
        title="Alongside",
        slug="home",
        url_path="/home/",
        depth=2,
        locale=locale,
        extra={
            "summary": "Peer mentoring and volunteering, with people who have been there.",
            "intro": "<p>Alongside connects people leaving prison or in recovery with peer "
            "mentors who have walked the same road.</p>",
            "body": "[]",
        },
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page_id": home.pk, "hostname": "localhost", "site_name": "Alongside"},
    )
    Site.objects.filter(root_page_id=getattr(welcome, "pk", None)).update(root_page_id=home.pk)
    if welcome is not None:
        welcome.delete()
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])

    _page(
        apps,
        "cms.EventIndexPage",
        parent_path=home.path,
        position=1,
        title="Events",
        slug="events",
        url_path="/home/events/",
        depth=3,
        locale=locale,
        extra={"summary": "Coffee mornings, training and days out.", "intro": ""},
    )
    _page(
        apps,
        "cms.GlossaryPage",
        parent_path=home.path,
        position=2,
        title="Words and acronyms",
        slug="glossary",
        url_path="/home/glossary/",
        depth=3,
        locale=locale,
        extra={"summary": "What the letters mean, in plain words.", "intro": ""},
    )
    Page.objects.filter(pk=home.pk).update(numchild=2)


def grant_permissions(apps, schema_editor):
    for label in ("cms", "wagtailadmin", "wagtailcore", "wagtailimages"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    lead, _ = Group.objects.get_or_create(name=INVOLVEMENT_LEAD)
    moderator, _ = Group.objects.get_or_create(name=MODERATOR)
    home = apps.get_model("cms.HomePage").objects.first()
    root_collection = Collection.objects.filter(depth=1).first()

    lead.permissions.add(
        perm("wagtailadmin", "access_admin"),
        perm("cms", "add_glossaryterm"),
        perm("cms", "change_glossaryterm"),
        perm("cms", "view_glossaryterm"),
        perm("cms", "change_sitesettings"),
    )
    moderator.permissions.add(perm("wagtailadmin", "access_admin"))
    if home is not None:
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=lead, page_id=home.pk, permission=perm("wagtailcore", codename)
            )
        for codename in ("change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=moderator, page_id=home.pk, permission=perm("wagtailcore", codename)
            )
    if root_collection is not None:
        for group, codenames in (
            (lead, ("add_image", "change_image", "choose_image")),
            (moderator, ("choose_image",)),
        ):
            # Wagtail checks image permissions on wagtailimages.Image whatever the image model.
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=perm("wagtailimages", codename),
                )
    # Wagtail's default "Moderators approval" workflow covers every page: our moderators approve.
    for task in GroupApprovalTask.objects.filter(groups__name="Moderators"):
        task.groups.add(moderator)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(build_site, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
