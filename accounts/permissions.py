"""Role gates for every app, in one place, and who may open whose roles.

Each app's permissions module imports these instead of writing its own: two copies of "is this a
coordinator" drifted before (one let admins in, one did not). An admin looks after the site, not
people's cases: an admin who also coordinates holds both roles.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role

# Roles only an admin gives or takes away: they open safeguarding records or the whole site.
ADMIN_GRANTED_ROLES = frozenset({Role.SAFEGUARDING_LEAD, Role.ADMIN})


def is_coordinator(user: User) -> bool:
    """Holds the coordinator role (runs referrals, matches, volunteers and shifts)."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def require_coordinator(user: User) -> None:
    """Coordinators only; anyone else gets the same 404 as a missing page."""
    if not is_coordinator(user):
        raise Http404


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_manage_roles(user: User) -> bool:
    """Opens the "People and roles" pages: coordinators and admins."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR, Role.ADMIN)


def why_role_change_refused(*, by: User, user: User, role: str) -> str:
    """Plain words for why ``by`` may not give ``user`` the ``role`` (or take it away), or "".

    - Only an admin gives or takes away the safeguarding lead and admin roles.
    - Coordinators give or take away every other role.
    - Nobody gives themself a staff role, and an admin does not remove their own admin role
      (another admin does: the site must not lose its last admin by a slip).
    """
    if not can_manage_roles(by):
        return _("Only coordinators and admins can change roles.")
    if role in ADMIN_GRANTED_ROLES and not is_admin(by):
        return _("Only an admin can give or take away the safeguarding lead and admin roles.")
    if by.pk == user.pk and role in STAFF_ROLES:
        return _("You cannot change your own staff roles. Ask an admin.")
    return ""


def access_person_for_roles(user: User, pk: int) -> User:
    """A person whose roles ``user`` may manage (coordinators and admins); otherwise 404."""
    if not can_manage_roles(user):
        raise Http404
    try:
        return User.objects.get(pk=pk, is_active=True)
    except User.DoesNotExist:
        raise Http404 from None
