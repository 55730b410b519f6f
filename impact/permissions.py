"""Who may read the programme's figures. Everyone else gets the same 404 as a missing page."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from accounts.permissions import require_coordinator
from accounts.roles import Role


def may_read_reports(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR, Role.ADMIN)


def require_report_reader(user: User) -> None:
    """Coordinators and admins: the aggregate figures, never a name."""
    if not may_read_reports(user):
        raise Http404


# Coordinators only: the lists behind "Needs you today" name people. One rule for every app.
__all__ = ["may_read_reports", "require_coordinator", "require_report_reader"]
