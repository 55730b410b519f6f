"""What partners add to the shared screens (called from MentoringConfig's hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import AttentionItem, NavItem, TodayCard
from accounts.roles import Role
from mentoring.partners import selectors
from mentoring.partners.choices import LAWFUL_BASIS_PLAIN
from mentoring.partners.models import PartnerReferral


def nav_items(user) -> list[NavItem]:
    items = []
    if user.has_role(Role.PARTNER):
        items += [
            NavItem(_("Refer someone"), reverse("mentoring:partners:refer"), order=10),
            NavItem(_("Your referrals"), reverse("mentoring:partners:referrals"), order=11),
        ]
    if user.has_role(Role.COORDINATOR):
        items += [
            NavItem(_("Partners"), reverse("mentoring:partners:organisations"), order=14),
            NavItem(_("Coming out soon"), reverse("mentoring:partners:coming_out"), order=15),
        ]
    if user.has_role(Role.PEER_MENTOR):
        items.append(NavItem(_("About me for mentees"), reverse("mentoring:partners:intro"), 19))
    if user.has_role(Role.SAFEGUARDING_LEAD):
        items.append(
            NavItem(_("Information-sharing register"), reverse("mentoring:partners:register"), 30)
        )
    return items


def nav_filter(user, items: list[NavItem]) -> list[NavItem]:
    """A partner worker is offered only the pages they may open."""
    if not (user.is_authenticated and user.has_role(Role.PARTNER)):
        return items
    from django.urls import Resolver404, resolve

    from mentoring.partners.middleware import PARTNER_ALLOWED

    kept = []
    for item in items:
        try:
            name = resolve(item.url.split("?")[0]).view_name
        except Resolver404:
            continue
        if name in PARTNER_ALLOWED:
            kept.append(item)
    return kept


def today_cards(user) -> list[TodayCard]:
    if not user.has_role(Role.PARTNER):
        return []
    # Names only: a status is shown (and written to the register) on the worker's own pages.
    referrals = list(PartnerReferral.objects.filter(worker=user).only("pk", "name")[:5])  # 1
    return [
        TodayCard(
            title=_("Your referrals"),
            template="mentoring/partners/cards/partner.html",
            context={"referrals": referrals},
            order=3,
            url=reverse("mentoring:partners:referrals"),
        )
    ]


def my_data_sections(user) -> list[TodayCard]:
    """The person's own information-sharing register, in plain words."""
    disclosures = list(selectors.register_for(user)[:200])
    for disclosure in disclosures:
        disclosure.plain_basis = LAWFUL_BASIS_PLAIN.get(disclosure.lawful_basis, "")
    referrals = list(PartnerReferral.objects.filter(person=user).select_related("organisation"))
    return [
        TodayCard(
            title=_("Who we shared your information with"),
            template="mentoring/partners/my_data_section.html",
            context={"disclosures": disclosures, "referrals": referrals},
            order=20,
        )
    ]


def attention_items(user) -> list[AttentionItem]:
    """For coordinators: partner referrals waiting for the person (1 query), and people coming
    out in the next four weeks without a first meeting at the gate (1 query)."""
    if not user.has_role(Role.COORDINATOR):
        return []
    return [
        AttentionItem(
            _("Partner referrals waiting for the person"),
            selectors.waiting_for_person_count(),
            reverse("mentoring:partners:inbox"),
            order=22,
        ),
        AttentionItem(
            _("Coming out soon with no meeting at the gate"),
            selectors.coming_out_without_gate_meeting_count(),
            reverse("mentoring:partners:coming_out"),
            order=23,
        ),
    ]
