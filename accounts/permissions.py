from django.http import Http404

from accounts.models import User
from accounts.roles import Role


def access_person_for_roles(user: User, pk: int) -> User:
    """A person whose roles ``user`` may manage (coordinators and admins); otherwise 404."""
    if not user.has_role(Role.COORDINATOR, Role.ADMIN):
        raise Http404
    try:
        return User.objects.get(pk=pk, is_active=True)
    except User.DoesNotExist:
        raise Http404 from None
