from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Group chat")

    def ready(self) -> None:
        from chat import notices, receivers  # noqa: F401 - notices declares what chat tells people
        from mentoring import signals

        signals.match_activated.connect(receivers.on_match_activated, dispatch_uid="chat.pair")
        signals.match_paused.connect(receivers.on_match_paused, dispatch_uid="chat.pair_pause")
        signals.match_ended.connect(receivers.on_match_ended, dispatch_uid="chat.pair_end")

    def nav_items(self, user):
        from django.urls import reverse

        from accounts.hooks import NavItem

        if not user.is_authenticated:
            return []
        return [NavItem(label=str(_("Chat")), url=reverse("chat:rooms"), order=40)]

    def attention_items(self, user):
        """Reports waiting, on the "Needs you today" card of those who can moderate rooms."""
        from django.urls import reverse

        from accounts.hooks import AttentionItem
        from accounts.roles import Role
        from chat.selectors import reports_waiting

        if not user.is_authenticated or not user.has_role(Role.MODERATOR, Role.COORDINATOR):
            return []
        return [
            AttentionItem(
                str(_("Chat reports waiting")),
                reports_waiting(user),
                reverse("chat:rooms"),
                order=30,
            )
        ]

    def today_cards(self, request):
        from django.urls import reverse

        from accounts.hooks import TodayCard
        from chat.selectors import today_summary

        summary = today_summary(request.user)
        if not summary["unread"] and not summary["waiting"]:
            return []
        return [
            TodayCard(
                title=str(_("Chat")),
                template="chat/today_card.html",
                context=summary,
                order=40,
                url=reverse("chat:rooms"),
            )
        ]

    def daily(self, now):
        """Blocked messages are kept for moderators for a while, then deleted."""
        from chat.services import purge_blocked_attempts

        purge_blocked_attempts(now=now)

    def seed_demo(self, personas, stdout):
        from chat.demo import seed

        seed(personas, stdout)

    def personal_data(self, user):
        from chat.personal_data import sections

        return sections(user)
