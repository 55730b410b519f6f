from django.apps import AppConfig
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import NavItem, TodayCard

# What a person who joined on their own can do first. Pages are named by URL name only, so
# accounts imports none of the apps that own them; a page that is not installed is left out.
START_HERE = [
    (
        "mentoring:refer_self",
        _("Ask for a peer mentor"),
        _("Someone who has been there, to walk alongside you."),
    ),
    (
        "volunteering:apply",
        _("Apply to volunteer"),
        _("Give some time: events, groups, or mentoring once you are trained."),
    ),
    ("chat:rooms", _("Join a group"), _("Talk with others in a moderated group chat.")),
    (
        "stories:share",
        _("Share your story"),
        _("Tell how you got here. Nothing is published without your say-so."),
    ),
    ("/events/", _("Find an event"), _("Meet people at a café, a walk or a workshop.")),
]


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People")

    def ready(self):
        from django.urls import register_converter

        from accounts import receivers  # noqa: F401 - connects the log-in signal receivers
        from accounts.inputs import IdConverter

        # Every app's addresses take ids as <id:pk>: a 30-digit id is a 404, not a server error.
        register_converter(IdConverter, "id")

    def retention_rules(self):
        from accounts.retention import Rule, expire_audit_events

        return [
            Rule(
                key="accounts.audit",
                description=_(
                    "The record of actions (who looked at or changed a sensitive record, and "
                    "when): deleted %(period)s after each action, except the record of who "
                    "read or acted on a safeguarding concern, kept as long as the concern is."
                ),
                apply=expire_audit_events,
                default_months=72,
                order=90,
            )
        ]

    def daily(self, now):
        """The retention schedule (accounts/retention.py): every app's rules, audited."""
        from accounts import retention

        retention.run(now)

    def personal_data(self, user):
        from accounts.personal_data import account_sections

        return account_sections(user)

    def nav_items(self, user):
        from accounts.permissions import can_manage_roles

        if not user.is_authenticated:
            return []
        items = [
            NavItem(_("Today"), reverse("accounts:today"), order=0),
            NavItem(_("My profile"), reverse("accounts:profile"), order=90),
        ]
        if can_manage_roles(user):
            items.append(NavItem(_("People and roles"), reverse("accounts:people"), order=80))
        return items

    def today_cards(self, request):
        """Someone who signed up themself holds no role yet: show them the ways in. Asking for a
        mentor makes them a mentee; while that request is with the coordinators the card stays,
        saying so, and still offers the other ways in."""
        from accounts.hooks import start_notes
        from accounts.roles import Role

        roles = request.user.roles
        if roles - {Role.MENTEE}:
            return []
        begun = {note.replaces: note for note in start_notes(request.user)} if roles else {}
        if roles and not begun:
            return []
        items = []
        for name, label, why in START_HERE:
            if name in begun:
                note = begun[name]
                items.append({"url": note.url, "label": note.label, "why": note.why})
                continue
            try:
                url = name if name.startswith("/") else reverse(name)
            except NoReverseMatch:
                continue
            items.append({"url": url, "label": label, "why": why})
        return [
            TodayCard(_("Where to start"), "accounts/cards/start.html", {"items": items}, order=0)
        ]
