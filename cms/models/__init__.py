"""The public site: home, standard pages, glossary, events, the directory of local services,
images and site settings."""

from cms.models.base import (
    GENERATION_ATTR,
    RENDITION_SPECS,
    BasePage,
    CustomImage,
    CustomRendition,
    PageCacheGeneration,
    SiteSettings,
)
from cms.models.directory import (
    LocalServiceNeed,
    LocalServicePage,
    LocalServicePageForm,
    LocalServiceQuerySet,
    ServiceArea,
    ServiceDirectoryPage,
    normalise_area,
)
from cms.models.events import (
    Audience,
    EventIndexPage,
    EventPage,
    EventPageQuerySet,
    EventRegistration,
)
from cms.models.pages import GlossaryPage, GlossaryTerm, HomePage, StandardPage

__all__ = [
    "GENERATION_ATTR",
    "RENDITION_SPECS",
    "Audience",
    "BasePage",
    "CustomImage",
    "CustomRendition",
    "EventIndexPage",
    "EventPage",
    "EventPageQuerySet",
    "EventRegistration",
    "GlossaryPage",
    "GlossaryTerm",
    "HomePage",
    "LocalServiceNeed",
    "LocalServicePage",
    "LocalServicePageForm",
    "LocalServiceQuerySet",
    "PageCacheGeneration",
    "ServiceArea",
    "ServiceDirectoryPage",
    "SiteSettings",
    "StandardPage",
    "normalise_area",
]
