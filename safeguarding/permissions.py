from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from safeguarding.models import Concern


def can_triage(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SAFEGUARDING_LEAD)


def can_raise(user: User) -> bool:
    """Anyone who holds a role here can raise a worry."""
    return user.is_authenticated and bool(user.roles)


def access_concern(user: User, pk: int) -> Concern:
    """The concern, for a safeguarding lead; 404 for everyone else (existence never leaks)."""
    if not can_triage(user):
        raise Http404
    try:
        return Concern.objects.select_related("subject", "raised_by", "assigned_to").get(pk=pk)
    except Concern.DoesNotExist:
        raise Http404 from None
