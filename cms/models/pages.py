"""The home page, standard pages and the glossary."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import PARAGRAPH_FEATURES, BodyBlock
from cms.models.base import BasePage
from cms.models.events import EventPage

# --- Pages ---------------------------------------------------------------------------------------


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
