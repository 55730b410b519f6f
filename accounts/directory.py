"""The shared words of the directory of local services, and what one service looks like to an
app that cannot import the site.

The directory itself is published by ``cms`` (Wagtail pages). Mentoring, which may not import
``cms``, asks for services through ``accounts.hooks.local_services`` and gets back
``ServiceSummary`` values: plain data, no pages, no queries left to run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceNeed(models.TextChoices):
    """What a local service helps with, in plain words. A fixed list, so a search by need finds
    every service that helps with it whoever wrote the page."""

    HOUSING = "housing", _("Housing and somewhere to stay")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drug and alcohol treatment")
    BENEFITS = "benefits", _("Benefits")
    DEBT = "debt", _("Debt and money worries")
    WORK = "work", _("Work and training")
    FAMILY = "family", _("Family and children")
    HEALTH = "health", _("Health and mental health")
    ID_DOCUMENTS = "id_documents", _("ID documents and a bank account")
    FOOD = "food", _("Food and clothes")


@dataclass(frozen=True)
class ServiceSummary:
    """One published local service, as another app may show it."""

    id: int
    name: str
    url: str
    helps_with: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    serves_everywhere: bool = False
    phone: str = ""
    address: str = ""
    website: str = ""
    opening_times: str = ""
    self_referral: bool = False
    notes: str = ""

    @property
    def areas_text(self) -> str:
        if self.serves_everywhere:
            return str(_("Anywhere (by phone or online)"))
        return ", ".join(self.areas)
