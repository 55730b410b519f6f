"""The directory of local services and the areas they serve."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from accounts.directory import ServiceNeed, ServiceSummary
from cms.blocks import PARAGRAPH_FEATURES
from cms.models.base import BasePage

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
