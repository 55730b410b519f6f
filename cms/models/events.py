"""Events, and the places people hold at them."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import PARAGRAPH_FEATURES, BodyBlock
from cms.models.base import BasePage
from notifications.places import Place

# --- Events --------------------------------------------------------------------------------------


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    MEMBERS = "members", _("Members of Alongside")
    PEER_MENTORS = "peer_mentors", _("Peer mentors")


class EventPageQuerySet(PageQuerySet):
    def upcoming(self):
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self):
        return self.filter(end__lt=timezone.now()).order_by("-start")


class EventPage(BasePage):
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Name and address, or 'Online'.")
    )
    access_information = models.TextField(
        _("access information"),
        blank=True,
        help_text=_("Step-free access, toilets, quiet room, parking, nearest bus stop…"),
    )
    online_details = models.CharField(
        _("how to join online"),
        max_length=200,
        blank=True,
        help_text=_("Shown only to people who have a place."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), default=20, null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    audience = models.CharField(
        _("who may come"), max_length=20, choices=Audience.choices, default=Audience.ANYONE
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    objects = PageManager.from_queryset(EventPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end")], heading=_("When"), classname="collapsible"
        ),
        MultiFieldPanel(
            [
                FieldPanel("online"),
                FieldPanel("place"),
                FieldPanel("access_information"),
                FieldPanel("online_details"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("capacity"),
        FieldPanel("audience"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("place")]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("event")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.pk and self.capacity is not None:
            from cms.services import check_event_capacity

            try:
                check_event_capacity(event=self, capacity=self.capacity)
            except ValidationError as error:
                raise ValidationError({"capacity": error.messages}) from error

    def get_context(self, request, *args, **kwargs):
        from cms.permissions import may_register, may_see_attendees

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        if user.is_authenticated:
            context.update(
                registration=self.registrations.with_waiting_position().filter(user=user).first(),
                may_register=may_register(user, self),
                may_see_attendees=may_see_attendees(user),
            )
        return context

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()


class EventIndexPage(BasePage):
    intro = RichTextField(features=PARAGRAPH_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]
    subpage_types = ["cms.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("events list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.child_of(self).live().public()
        context["upcoming"] = events.upcoming()[:50]
        context["past"] = Paginator(events.past(), 10).get_page(request.GET.get("page"))
        return context


class EventRegistration(Place):
    """A place at an event, or a spot on its waiting list (``notifications.places``)."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    updated_at = models.DateTimeField(auto_now=True)

    holder_field = "event"
    person_field = "user"

    class Meta(Place.Meta):
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["event", "status", "joined_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id} ({self.status})"
