from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.hooks import AttentionItem, NavItem
from accounts.roles import Role


def _hours_waiting(totals: tuple[int, int]) -> AttentionItem:
    """The big number is the entries to decide; the label gives the hours they add up to
    (a count of entries next to "Hours" read as that many hours)."""
    from volunteering.services import format_minutes

    entries, minutes = totals
    label = ngettext(
        "Entry of hours waiting for approval",
        "Entries of hours waiting for approval",
        entries,
    )
    if entries:
        label = _("%(what)s: %(total)s in all") % {
            "what": label,
            "total": format_minutes(minutes),
        }
    return AttentionItem(label, entries, reverse("volunteering:approvals"), order=20)


class ImpactConfig(AppConfig):
    """Read-only figures across the programme. Nothing imports this app."""

    name = "impact"
    verbose_name = _("Impact")

    def nav_items(self, user):
        if user.is_authenticated and user.has_role(Role.COORDINATOR, Role.ADMIN):
            return [NavItem(_("Impact"), reverse("impact:report"), order=80)]
        return []

    def attention_items(self, user):
        """What needs a coordinator today: one query per item (seven in all).

        Coordinators only: each link leads to a coordinator's page, which an admin without the
        coordinator role could not open.
        """
        if not user.is_authenticated or not user.has_role(Role.COORDINATOR):
            return []
        from impact import selectors

        referrals = reverse("mentoring:referrals")
        reports = reverse("volunteering:reports")
        return [
            AttentionItem(
                _("Referrals waiting for a match"),
                selectors.waiting_referrals_count(),
                referrals,
                order=10,
            ),
            AttentionItem(
                _("Proposals waiting for an answer"),
                selectors.proposals_waiting_count(),
                referrals,
                order=11,
            ),
            AttentionItem(
                _("Matches with two missed meetings in a row"),
                selectors.missed_twice_in_a_row_count(),
                reverse("impact:missed_twice"),
                order=12,
            ),
            _hours_waiting(selectors.pending_hours()),
            AttentionItem(
                _("DBS (criminal record) checks running out in 60 days"),
                selectors.expiring_dbs_checks().count(),
                reports,
                order=21,
            ),
            AttentionItem(
                _("Training running out in 60 days"),
                selectors.expiring_training().count(),
                reports,
                order=22,
            ),
            AttentionItem(
                _("Volunteers with no shift in 90 days"),
                selectors.volunteers_without_recent_shift().count(),
                reverse("impact:no_recent_shift"),
                order=23,
            ),
        ]

    def seed_demo(self, personas, stdout):
        from impact.demo import seed

        seed(personas, stdout)
