from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import AttentionItem, NavItem, TodayCard
from accounts.roles import Role


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = _("Safeguarding")

    def ready(self):
        from safeguarding import notices  # noqa: F401 - declares what safeguarding tells people

    def audit_trail_kept(self):
        """Who raised, read, triaged and closed a concern is kept as long as the concern is,
        not deleted with the rest of the audit trail after its period (accounts/retention.py)."""
        from safeguarding.models import Concern

        return [Concern]

    def seed_demo(self, personas, stdout):
        from safeguarding.demo import seed

        seed(personas, stdout)

    def nav_items(self, user):
        if not user.is_authenticated:
            return []
        items = []
        if user.has_role(Role.SAFEGUARDING_LEAD):
            items.append(NavItem(_("Safeguarding"), reverse("safeguarding:list"), order=20))
        return items

    def attention_items(self, user):
        if not user.is_authenticated or not user.has_role(Role.SAFEGUARDING_LEAD):
            return []
        from safeguarding.models import Concern

        return [
            AttentionItem(
                _("Safeguarding concerns open"),
                Concern.objects.open().count(),
                reverse("safeguarding:list"),
                order=1,
            )
        ]

    def today_cards(self, request):
        from safeguarding.models import Concern

        user = request.user
        cards = []
        if user.has_role(Role.SAFEGUARDING_LEAD):
            new = Concern.objects.new().count()
            open_ = Concern.objects.open().count()
            cards.append(
                TodayCard(
                    title=_("Safeguarding"),
                    template="safeguarding/card.html",
                    context={"new": new, "open": open_},
                    order=1,
                    url=reverse("safeguarding:list"),
                )
            )
        if user.roles and not user.has_role(Role.PARTNER):  # partners may not raise one here
            cards.append(
                TodayCard(
                    title=_("Worried about someone?"),
                    template="safeguarding/raise_card.html",
                    order=95,
                    url=reverse("safeguarding:raise"),
                )
            )
        return cards
