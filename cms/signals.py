"""Keep the anonymous page cache honest and renditions ready when pages change."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.signals import page_published, page_unpublished, post_page_move


def _invalidate(**kwargs):
    from cms.services import invalidate_page_cache

    invalidate_page_cache()


def _published(sender, instance, **kwargs):
    from cms.tasks import generate_page_renditions

    _invalidate()
    transaction.on_commit(lambda: generate_page_renditions.enqueue(page_id=instance.pk))


def _settings_changed(created=False, **kwargs):
    # The first visit creates the (empty) settings row: nothing cached can be stale yet.
    if not created:
        _invalidate()


def _glossary_changed(**kwargs):
    from cms.glossary import forget_terms

    forget_terms()
    _invalidate()


def _event_published(sender, instance, **kwargs):
    from cms.services import event_places_changed

    event_places_changed(event=instance)


def _event_taken_down(sender, instance, **kwargs):
    # Unpublished or deleted before it happens: the event is cancelled for everyone on it.
    from cms.services import cancel_event

    cancel_event(event=instance)


def connect() -> None:
    from wagtail.models import Page

    from cms.models import EventPage, GlossaryTerm, SiteSettings

    page_published.connect(_published, dispatch_uid="cms.page_published")
    page_unpublished.connect(_invalidate, dispatch_uid="cms.page_unpublished")
    post_page_move.connect(_invalidate, dispatch_uid="cms.page_moved")
    post_delete.connect(_invalidate, sender=Page, dispatch_uid="cms.page_deleted")
    page_published.connect(_event_published, sender=EventPage, dispatch_uid="cms.event_published")
    page_unpublished.connect(
        _event_taken_down, sender=EventPage, dispatch_uid="cms.event_unpublished"
    )
    pre_delete.connect(_event_taken_down, sender=EventPage, dispatch_uid="cms.event_deleted")
    post_save.connect(_settings_changed, sender=SiteSettings, dispatch_uid="cms.settings_saved")
    post_save.connect(_glossary_changed, sender=GlossaryTerm, dispatch_uid="cms.glossary_saved")
    post_delete.connect(_glossary_changed, sender=GlossaryTerm, dispatch_uid="cms.glossary_gone")
