from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import NavItem


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People")

    def ready(self):
        from django.urls import register_converter

        from accounts import receivers  # noqa: F401 - connects the log-in signal receivers
        from accounts.inputs import IdConverter

        # Every app's addresses take ids as <id:pk>: a 30-digit id is a 404, not a server error.
        register_converter(IdConverter, "id")

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
