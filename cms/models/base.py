"""What every page builds on: images, the page cache generation, site settings and the base page."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, Site
from wagtail.search import index

from cms.blocks import LinkBlock
from cms.images import reencode_without_metadata

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


# --- The base page -------------------------------------------------------------------------------


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
