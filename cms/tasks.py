"""Background work for the public site: image renditions. (Reminders and places offered are
notices: ``cms.services`` calls ``notifications.notify``.)"""

from __future__ import annotations

from django_tasks import task

from cms.models import RENDITION_SPECS


@task()
def generate_page_renditions(page_id: int) -> int:
    """Make every rendition a published page's templates ask for, so no visitor waits for them."""
    from wagtail.models import Page

    from cms.renditions import images_of

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    count = 0
    for image in images_of(page.specific):
        image.get_renditions(*RENDITION_SPECS)
        count += 1
    return count
