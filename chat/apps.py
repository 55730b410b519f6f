from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Group chat")

    def ready(self) -> None:
        from chat import (
            notices,  # noqa: F401 - declares chat's kinds of notice
            receivers,
        )
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
        """Crises, reports and held messages, on the "Needs you today" card of moderators."""
        from chat.crisis import attention_items

        return attention_items(user)

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

    def retention_rules(self):
        from chat.retention import rules

        return rules()

    def daily(self, now):
        """Crises nobody picked up are escalated (also from a deferred task and
        `manage.py escalate_crises` on cron); blocked messages kept for moderators expire."""
        from chat.services import purge_blocked_attempts
        from chat.services.crisis import escalate_due

        escalate_due(now=now)
        purge_blocked_attempts(now=now)

    def due(self, now):
        """Every few minutes (``manage.py run_due``): crisis items nobody acted on in time are
        escalated (``manage.py escalate_crises`` does this alone)."""
        from chat.services.crisis import escalate_due

        return escalate_due(now=now)

    def seed_demo(self, personas, stdout):
        from chat.demo import seed

        seed(personas, stdout)

    def personal_data(self, user):
        from chat.personal_data import sections

        return sections(user)
