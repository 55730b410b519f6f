"""Recovery stories, told with the storyteller's consent and withdrawn the moment they ask.

A story may only be live while (1) a consent record that has not been withdrawn exists for it and
(2) its anonymisation checklist is complete. ``StoryPage.clean`` enforces that on every save of a
live page, so no route (admin, workflow, scheduled publishing, shell) can publish past it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Page, Task, TaskState
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.models import BasePage
from stories.admin_forms import StoryConsentForm, StoryPageForm
from stories.choices import ConsentMethod, Placement

# Paths under /stories/ that stories.urls serves: a story may not take them as its slug.
RESERVED_SLUGS = frozenset({"feed", "share", "review"})


class StoryTheme(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("story theme")

    def __str__(self) -> str:
        return self.name


class StoryIndexPage(BasePage):
    subpage_types = ["stories.StoryPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("summary")]

    class Meta:
        verbose_name = _("stories list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = (
            StoryPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-first_published_at")
            .only("title", "url_path", "summary", "told_by", "content_note", "first_published_at")
        )
        themes = list(StoryTheme.objects.all())
        current = request.GET.get("theme", "")
        if current:
            stories = stories.filter(themes__slug=current)
        context.update(
            themes=themes,
            current_theme=next((theme for theme in themes if theme.slug == current), None),
            stories=Paginator(stories, 12).get_page(request.GET.get("page")),
        )
        return context


class StoryPage(BasePage):
    told_by = models.CharField(
        _("told by"),
        max_length=60,
        help_text=_("A pseudonym or a first name only, as the storyteller chose."),
    )
    storyteller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("storyteller's account"),
        help_text=_(
            "Optional. When set, the storyteller approves the text before the involvement lead "
            "publishes, and can withdraw consent from their own home page."
        ),
    )
    themes = ParentalManyToManyField(StoryTheme, blank=True, verbose_name=_("themes"))
    content_note = models.CharField(
        _("content note"),
        max_length=200,
        blank=True,
        help_text=_("Shown before the story, for example 'mentions overdose and self-harm'."),
    )
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("main image"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("the story"))
    no_other_person_named = models.BooleanField(
        _("No other person is named or can be recognised"), default=False
    )
    no_identifying_places = models.BooleanField(
        _("No place that could identify the storyteller (street, estate, prison wing, hostel)"),
        default=False,
    )
    faces_blurred = models.BooleanField(
        _("Faces are blurred in every image (or there are no photos of people)"), default=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("told_by"),
        FieldPanel("storyteller"),
        FieldPanel("summary"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("content_note"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("no_other_person_named"),
                FieldPanel("no_identifying_places"),
                FieldPanel("faces_blurred"),
            ],
            heading=_("Anonymisation checklist (all needed before publishing)"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("told_by"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types: list = []
    base_form_class = StoryPageForm
    route_select_related = ("image",)

    class Meta:
        verbose_name = _("story")

    def publish_blockers(self) -> list[str]:
        """Why this story may not be live yet, in plain words (empty when it may)."""
        blockers = []
        if not self.pk or not StoryConsent.objects.filter(story_id=self.pk).active().exists():
            blockers.append(gettext("There is no consent record for this story."))
        if not (self.no_other_person_named and self.no_identifying_places and self.faces_blurred):
            blockers.append(gettext("The anonymisation checklist is not complete."))
        return blockers

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": gettext("This address is used by the site already.")})
        # A new page is validated with Wagtail's default live=True before the admin saves it
        # as a draft; it gets its pk (and so can have consent) first. save() covers the rest.
        if self.live and self.pk and (blockers := self.publish_blockers()):
            raise ValidationError(blockers)

    def save(self, *args, **kwargs):
        if self._state.adding and self.live:
            # Consent is recorded against a saved story: a story can never be born live.
            raise ValidationError(gettext("There is no consent record for this story."))
        return super().save(*args, **kwargs)


class StoryConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class StoryConsent(models.Model):
    """The storyteller's consent to one story. Not part of page revisions on purpose: a withdrawal
    must hold whatever revision anyone later tries to publish."""

    story = models.OneToOneField(
        StoryPage, on_delete=models.CASCADE, related_name="consent", verbose_name=_("story")
    )
    consented_by = models.CharField(
        _("who consented"),
        max_length=100,
        help_text=_("The name the involvement lead knows them by. Never shown on the site."),
    )
    given_on = models.DateField(_("when"), default=timezone.localdate)
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    placements = models.JSONField(_("where it may appear"), default=list)
    review_on = models.DateField(_("review consent by"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = StoryConsentQuerySet.as_manager()
    base_form_class = StoryConsentForm

    class Meta:
        verbose_name = _("story consent")

    def __str__(self) -> str:
        return gettext("Consent for “%(story)s”") % {"story": self.story.title}

    def clean(self):
        if self.placements and not set(self.placements) <= set(Placement.values):
            raise ValidationError({"placements": gettext("Choose from the places listed.")})
        if self.given_on and self.review_on and self.review_on <= self.given_on:
            raise ValidationError({"review_on": gettext("The review date must be after consent.")})


class StorytellerApprovalTask(Task):
    """The storyteller reads the text and approves it on a page of their own, outside the admin.

    Stories without a storyteller account skip this step.
    """

    class Meta:
        verbose_name = _("Storyteller approval")

    @classmethod
    def get_description(cls):
        return _("The storyteller approves the text on their own page (skipped without an account)")

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        storyteller_id = getattr(obj.specific, "storyteller_id", None)
        if storyteller_id is None:
            return TaskState.objects.create(
                workflow_state=workflow_state,
                revision=obj.get_latest_revision(),
                task=self,
                status=TaskState.STATUS_SKIPPED,
                finished_at=timezone.now(),
            )
        task_state = super().start(workflow_state, user=user)
        from stories.services import notify_storyteller_of_review

        notify_storyteller_of_review(task_state=task_state, storyteller_id=storyteller_id)
        return task_state

    def get_actions(self, obj, user):
        # Staff cannot approve on the storyteller's behalf; they can only ask for it again.
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()


class StoryModerationTask(AbstractGroupApprovalTask):
    """The involvement lead publishes (the task's group; migration 0003). Approving is not
    offered while consent or the checklist is missing."""

    class Meta:
        verbose_name = _("Involvement lead publishes story")

    @classmethod
    def get_description(cls):
        return _("The involvement lead checks the story and publishes it")

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        specific = obj.specific if hasattr(obj, "specific") else obj
        blockers = specific.publish_blockers() if hasattr(specific, "publish_blockers") else []
        if blockers:
            actions = [action for action in actions if not action[0].startswith("approve")]
        return actions
