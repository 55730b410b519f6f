"""The public site: home, standard pages, glossary, events, the directory of local services,
images and site settings."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from accounts.directory import ServiceNeed, ServiceSummary
from cms.blocks import PARAGRAPH_FEATURES, BodyBlock, LinkBlock
from cms.images import reencode_without_metadata
from notifications.places import Place

# Renditions every template asks for; generated when a page is published (cms.signals), so a
# visitor never waits for Pillow.
RENDITION_SPECS = ("width-400|format-webp", "width-800|format-webp", "fill-1200x630|format-jpeg")


# --- Images --------------------------------------------------------------------------------------


class CustomImage(AbstractImage):
    """An image whose alt text is required and whose file has no metadata (GPS, camera, time)."""

    description = models.CharField(
        _("alt text"),
        max_length=255,
        help_text=_(
            "Describe the image for someone who cannot see it. Never name a person or a place "
            "that could identify a storyteller."
        ),
    )
    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")

    def save(self, *args, **kwargs):
        # A freshly assigned file has not been written yet: re-encode it first, whatever route
        # (admin upload, multiple upload, shell, seed) brought it here.
        if self.file and not getattr(self.file, "_committed", True):
            self.file = reencode_without_metadata(self.file)
            self.file_size = self.file.size
            self._set_file_hash()
        super().save(*args, **kwargs)


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# --- Cache generation ----------------------------------------------------------------------------


class PageCacheGeneration(models.Model):
    """The number the anonymous page cache files pages under; it changes on every publish and
    unpublish, so every server process stops serving the old pages at once.

    With a shared cache (Redis) the number lives there, and reading it costs no database query;
    without one (a single process on a laptop, or tests) it lives in this one row.
    """

    CACHE_KEY = "cms:page-generation"

    generation = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return str(self.generation)

    @classmethod
    def current(cls) -> int:
        if settings.PAGE_CACHE_GENERATION_IN_CACHE:
            generation = cache.get(cls.CACHE_KEY)
            if generation is None:
                # First read, or the cache was emptied: start from a number no page used.
                cache.add(cls.CACHE_KEY, secrets.randbits(62), None)
                generation = cache.get(cls.CACHE_KEY)
            return generation
        return cls.objects.filter(pk=1).values_list("generation", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        if settings.PAGE_CACHE_GENERATION_IN_CACHE:
            # Now, and again once the change is committed: a page rendered in between (from the
            # old, still committed content) is filed under a number that is dead by then.
            cls._bump_shared()
            transaction.on_commit(cls._bump_shared, robust=True)
            return
        # A random number rather than +1: after a database restore the generation must not
        # come back to a value whose pages are still in the cache.
        cls.objects.update_or_create(pk=1, defaults={"generation": secrets.randbits(62)})

    @classmethod
    def _bump_shared(cls) -> None:
        try:
            cache.incr(cls.CACHE_KEY)
        except ValueError:  # not there (first bump, or the cache was emptied)
            cache.add(cls.CACHE_KEY, secrets.randbits(62), None)


# Set on the request by the anonymous page cache middleware: the generation it read.
GENERATION_ATTR = "_cms_page_cache_generation"


# --- Site settings -------------------------------------------------------------------------------


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What involvement leads may change about the whole site without a developer."""

    nav_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("Site sections"))
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("Footer links"))
    help_name = models.CharField(
        _("extra help line: name"), max_length=80, blank=True, help_text=_("For example a local")
    )
    help_phone = models.CharField(_("extra help line: phone"), max_length=30, blank=True)
    help_text = models.CharField(_("extra help line: when and what"), max_length=200, blank=True)

    panels = [
        FieldPanel("nav_links"),
        FieldPanel("footer_links"),
        MultiFieldPanel(
            [FieldPanel("help_name"), FieldPanel("help_phone"), FieldPanel("help_text")],
            heading=_("Need help now? An extra line of your own"),
        ),
    ]

    class Meta:
        verbose_name = _("Site settings")

    @classmethod
    def cached_for_request(cls, request) -> SiteSettings:
        """The settings, from the cache when the anonymous page cache already read the
        generation for this request (its key changes whenever the settings are saved)."""
        generation = getattr(request, GENERATION_ATTR, None)
        if generation is None:
            return cls.for_request(request)
        site = Site.find_for_request(request)
        key = f"cms:site-settings:{generation}:{site.pk if site else 0}"
        found = cache.get(key)
        if found is None:
            found = cls.for_request(request)
            cache.set(key, found, settings.PAGE_CACHE_SECONDS)
        return found

    @property
    def help_lines(self) -> list[dict]:
        lines = list(settings.CRISIS_SUPPORT_LINES)
        if self.help_name and self.help_phone:
            lines.append({"name": self.help_name, "phone": self.help_phone, "text": self.help_text})
        return lines


# --- Pages ---------------------------------------------------------------------------------------


class BasePage(Page):
    """Shared by our pages: a plain summary used in lists, search results and Open Graph."""

    # Related rows a page's template always shows: fetched with the page when it is routed.
    route_select_related: tuple[str, ...] = ()

    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two plain sentences, shown in lists and when the page is shared."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["site_settings"] = SiteSettings.cached_for_request(request)
        return context


class HomePage(BasePage):
    intro = RichTextField(features=PARAGRAPH_FEATURES, blank=True, verbose_name=_("what this is"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("more"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find the page by its whole path in two queries instead of two per path segment."""
        if not path_components:
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        found = Page.objects.filter(url_path=url_path).only("id", "content_type_id").first()
        if found is None:
            return super().route(request, path_components)  # 404, or a routable ancestor
        model = found.specific_class
        related = getattr(model, "route_select_related", ())
        page = model.objects.select_related(*related).get(pk=found.pk)
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Stories depend on cms, never the reverse: the stories app offers its featured stories
        # through a Wagtail hook.
        context["stories"] = [
            item for hook in hooks.get_hooks("cms_home_stories") for item in hook(request)
        ][:3]
        context["events"] = EventPage.objects.live().public().upcoming()[:3]
        return context


class StandardPage(BasePage):
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


# --- Glossary ------------------------------------------------------------------------------------


class GlossaryTerm(models.Model):
    """An acronym people meet in the justice and recovery field, and its plain meaning."""

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    meaning = models.CharField(_("what it stands for"), max_length=200)
    explanation = models.TextField(_("in plain words"), blank=True)

    panels = [FieldPanel("acronym"), FieldPanel("meaning"), FieldPanel("explanation")]

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("glossary term")

    def __str__(self) -> str:
        return f"{self.acronym} – {self.meaning}"


class GlossaryPage(BasePage):
    intro = RichTextField(features=PARAGRAPH_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("glossary page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["terms"] = GlossaryTerm.objects.all()
        return context


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


# --- Directory of local services -----------------------------------------------------------------


def normalise_area(text: str) -> str:
    """An area as people write it, compared without case or extra spaces ("  hackney " is
    Hackney), the way matching compares a mentee's and a mentor's areas."""
    return " ".join((text or "").split()).casefold()


class ServiceArea(models.Model):
    """A town or part of town a service covers. Editors keep the list; a mentee's area (written
    in her own words) finds the area of the same name."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name for web addresses"), max_length=80, unique=True)
    key = models.CharField(max_length=80, unique=True, editable=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from django.utils.text import slugify

        self.key = normalise_area(self.name)
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class LocalServicePageForm(WagtailAdminPageForm):
    """The page form, with what a service helps with as one set of checkboxes."""

    needs = forms.MultipleChoiceField(
        label=_("What they help with"),
        choices=ServiceNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every kind of help a person can get there."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["needs"].initial = self.instance.need_values

    def save(self, commit=True):
        page = super().save(commit=False)
        kept = {row.need: row for row in page.need_rows.all()}
        chosen = self.cleaned_data["needs"]
        page.need_rows = [kept.get(need) or LocalServiceNeed(need=need) for need in chosen]
        if commit:
            page.save()
        return page


class LocalServiceQuerySet(PageQuerySet):
    def published(self):
        return self.live().public()

    def helping_with(self, needs):
        """Services that help with any of ``needs`` (one subquery: no duplicate rows)."""
        return self.filter(pk__in=LocalServiceNeed.objects.filter(need__in=needs).values("page"))

    def serving(self, areas):
        """Services covering any of these ``ServiceArea`` rows, and those for everywhere."""
        covering = LocalServicePage.areas.through.objects.filter(servicearea__in=areas)
        return self.filter(
            models.Q(pk__in=covering.values("localservicepage")) | models.Q(serves_everywhere=True)
        )

    def for_cards(self):
        """What a card shows, in two more queries whatever the number of services."""
        return self.prefetch_related("need_rows", "areas").order_by("title", "id")


class LocalServicePage(BasePage):
    """One local service: who they are, what they help with, where, and how to reach them."""

    areas = ParentalManyToManyField(
        ServiceArea, blank=True, related_name="services", verbose_name=_("areas served")
    )
    serves_everywhere = models.BooleanField(
        _("anyone can use it, wherever they live"),
        default=False,
        help_text=_("A national phone line or an online service."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_times = models.TextField(_("opening times"), blank=True)
    self_referral = models.BooleanField(
        _("you can refer yourself"),
        default=False,
        help_text=_("People can contact them directly, without a worker referring them."),
    )
    just_turn_up = models.BooleanField(
        _("you can just turn up"), default=False, help_text=_("A drop-in: no appointment needed.")
    )
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    getting_there = models.TextField(_("how to get there"), blank=True)
    notes = models.TextField(
        _("more about them, in plain words"),
        blank=True,
        help_text=_("Explain any acronym. Say what a first visit is like."),
    )

    objects = PageManager.from_queryset(LocalServiceQuerySet)()
    base_form_class = LocalServicePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("needs"),
        MultiFieldPanel(
            [
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("serves_everywhere"),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("address"),
                FieldPanel("website"),
                FieldPanel("opening_times"),
            ],
            heading=_("How to contact them"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("self_referral"),
                FieldPanel("just_turn_up"),
                FieldPanel("what_to_bring"),
                FieldPanel("getting_there"),
            ],
            heading=_("Going there"),
        ),
        FieldPanel("notes"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("needs_text"),
        index.SearchField("notes"),
        index.SearchField("address"),
        index.RelatedFields("areas", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.ServiceDirectoryPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("local service")

    @property
    def need_values(self) -> list[str]:
        order = list(ServiceNeed.values)
        found = {row.need for row in self.need_rows.all()}
        return sorted(found, key=order.index)

    def get_needs_display(self) -> list[str]:
        labels = dict(ServiceNeed.choices)
        return [str(labels[need]) for need in self.need_values]

    def needs_text(self) -> str:
        return " ".join(self.get_needs_display())

    def area_names(self) -> list[str]:
        return [area.name for area in self.areas.all()]

    def as_summary(self) -> ServiceSummary:
        return ServiceSummary(
            id=self.pk,
            name=self.title,
            url=self.url or "",
            helps_with=self.get_needs_display(),
            areas=self.area_names(),
            serves_everywhere=self.serves_everywhere,
            phone=self.phone,
            address=self.address,
            website=self.website,
            opening_times=self.opening_times,
            self_referral=self.self_referral,
            notes=self.notes,
        )


class LocalServiceNeed(models.Model):
    """One kind of help a service gives: rows, so a search by need is an indexed lookup."""

    page = ParentalKey(LocalServicePage, on_delete=models.CASCADE, related_name="need_rows")
    need = models.CharField(_("helps with"), max_length=20, choices=ServiceNeed.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "need"], name="one_row_per_service_need")
        ]
        indexes = [models.Index(fields=["need", "page"])]

    def __str__(self) -> str:
        return self.get_need_display()


class ServiceDirectoryPage(BasePage):
    """The directory: every local service, found by what it helps with and where."""

    intro = RichTextField(features=PARAGRAPH_FEATURES, blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]
    subpage_types = ["cms.LocalServicePage"]
    max_count = 1

    PER_PAGE = 20

    class Meta:
        verbose_name = _("directory of local services")

    def get_context(self, request, *args, **kwargs):
        from cms.forms import DirectoryFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = DirectoryFilterForm(request.GET or None)
        services = LocalServicePage.objects.child_of(self).published()
        filtered = False
        if form.is_bound and form.is_valid():
            if need := form.cleaned_data["need"]:
                services = services.helping_with([need])
                filtered = True
            if area := form.cleaned_data["area"]:
                services = services.serving([area])
                filtered = True
        page = Paginator(services.for_cards(), self.PER_PAGE).get_page(request.GET.get("page"))
        context.update(form=form, services=page, filtered=filtered)
        return context
