"""Pages for publishing tests: built on the site the migrations create (home, events, stories)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from cms.models import CustomImage, EventIndexPage, EventPage, HomePage
from stories.models import StoryConsent, StoryIndexPage, StoryPage, StoryTheme


def home() -> HomePage:
    return HomePage.objects.get()


def event(*, title="Coffee morning", capacity=2, audience="anyone", days=3, live=True, **fields):
    start = timezone.now() + timedelta(days=days)
    page = EventPage(
        title=title,
        start=start,
        end=start + timedelta(hours=2),
        place="Community hall, step-free",
        capacity=capacity,
        audience=audience,
        summary="Tea and a chat.",
        live=False,
        **fields,
    )
    EventIndexPage.objects.get().add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
        page.refresh_from_db()
    return page


def story(
    *,
    title="Finding my feet",
    consent=True,
    checklist=True,
    publish=True,
    storyteller=None,
    content_note="",
    body_text="I left HMP Leeds with a DRR and nowhere to go.",
    themes=("recovery",),
) -> StoryPage:
    page = StoryPage(
        title=title,
        told_by="Kim",
        storyteller=storyteller,
        summary="How a peer mentor helped.",
        content_note=content_note,
        body=[("paragraph", f"<p>{body_text}</p>")],
        no_other_person_named=checklist,
        no_identifying_places=checklist,
        faces_blurred=checklist,
        live=False,
    )
    StoryIndexPage.objects.get().add_child(instance=page)
    page.themes.set(StoryTheme.objects.filter(slug__in=themes))
    page.save()
    if consent:
        give_consent(page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def give_consent(page: StoryPage) -> StoryConsent:
    today = timezone.localdate()
    return StoryConsent.objects.create(
        story=page,
        consented_by="Kim S.",
        given_on=today,
        method="written",
        placements=["website"],
        review_on=today + timedelta(days=365),
    )


def jpeg_bytes(*, gps: bool = False, size=(64, 48)) -> bytes:
    image = PILImage.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = PILImage.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
        gps_ifd = {1: "N", 2: (53.0, 48.0, 0.0), 3: "W", 4: (1.0, 32.0, 0.0)}
        exif[0x8825] = gps_ifd
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def image(title="Hands around a mug", *, gps=False) -> CustomImage:
    return CustomImage.objects.create(
        title=title,
        description="Two hands holding a mug of tea",
        file=SimpleUploadedFile("photo.jpg", jpeg_bytes(gps=gps), content_type="image/jpeg"),
    )


def ensure_site() -> None:
    """Rebuild the site the data migrations make, after a transactional test flushed it.

    Browser tests need ``transaction=True``; the flush at the end of any such test empties every
    table, and serialized rollback cannot restore it once post_migrate has recreated content
    types. So the site is rebuilt from the same migration functions, on today's models.
    """
    import importlib

    from django.apps import apps
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    if HomePage.objects.exists():
        return
    locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root", locale=locale)
    cms = importlib.import_module("cms.migrations.0002_site_pages_roles_glossary")
    stories = importlib.import_module("stories.migrations.0002_index_themes_workflow")
    publishers = importlib.import_module("stories.migrations.0003_involvement_lead_publishes")
    for step in (
        cms.build_site,
        cms.grant_permissions,
        stories.build,
        stories.grant_permissions,
        publishers.involvement_lead_publishes,
    ):
        step(apps, None)


def service_area(name: str):
    from cms.models import ServiceArea

    return ServiceArea.objects.get_or_create(name=name)[0]


def directory():
    from cms.models import ServiceDirectoryPage

    found = ServiceDirectoryPage.objects.first()
    if found is not None:
        return found
    page = ServiceDirectoryPage(title="Local services", slug="local-services", live=False)
    home().add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def local_service(
    title="Market Street Housing Advice",
    *,
    needs=("housing",),
    areas=("Hackney",),
    everywhere=False,
    publish=True,
    **fields,
):
    """A service published in the directory, the way an editor publishes it (a revision)."""
    from cms.models import LocalServiceNeed, LocalServicePage

    page = LocalServicePage(
        title=title,
        serves_everywhere=everywhere,
        phone=fields.pop("phone", "020 7946 0001"),
        opening_times=fields.pop("opening_times", "Mondays, 10am to 1pm"),
        live=False,
        **fields,
    )
    page.need_rows = [LocalServiceNeed(need=need) for need in needs]
    page.areas = [service_area(name) for name in areas]
    directory().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
