"""Demo people, one per role, for `manage.py seed_demo` (laptops only)."""

from __future__ import annotations

import base64
import hashlib

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import DatabaseError, transaction

from accounts.models import ConsentPurpose, User
from accounts.roles import STAFF_ROLES, Role

DEMO_DOMAIN = "alongside.example"

# role -> (display name, pronouns). A mentee may also be a volunteer later: the pathway.
DEMO_PEOPLE = {
    Role.MENTEE: ("Jay", "he/him"),
    Role.PEER_MENTOR: ("Sam", "she/her"),
    Role.VOLUNTEER: ("Priya", "she/her"),
    Role.COORDINATOR: ("Dee", "she/her"),
    Role.SAFEGUARDING_LEAD: ("Marcus", "he/him"),
    Role.MODERATOR: ("Alex", "they/them"),
    Role.INVOLVEMENT_LEAD: ("Rosa", "she/her"),
    Role.ADMIN: ("Admin", ""),
    Role.PARTNER: ("Pat", "they/them"),  # a probation officer (mentoring.partners.demo)
}


def demo_email(role: str) -> str:
    return f"{role.replace('_', '-')}@{DEMO_DOMAIN}"


def demo_password(role: str) -> str:
    return f"demo-{role.replace('_', '-')}-2026"


def demo_totp_secret(email: str) -> str:
    """A fixed authenticator secret per demo person, so the printed one stays right."""
    digest = hashlib.sha256(f"alongside-demo-totp:{email}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


class NotADemoPerson(Exception):
    """demo_code was asked about someone seed_demo did not make: say so, reveal nothing."""


def demo_totp_secret_in_use(email: str) -> str:
    """The demo secret of a demo staff person, only if seed_demo set it up for them.

    The demo secrets are derived from the e-mail address in this file, so they are public. They
    are given out only when the account is one of the demo personas AND its authenticator holds
    exactly that secret (the mark seed_demo leaves, and seed_demo runs only with DEBUG=true). On
    a real site no account passes both checks, so nothing is revealed there.
    """
    email = email.strip().lower()
    staff_emails = {demo_email(role) for role in DEMO_PEOPLE if role in STAFF_ROLES}
    if email not in staff_emails:
        raise NotADemoPerson(
            f"{email} is not a demo staff person. demo_code only gives codes for: "
            + ", ".join(sorted(staff_emails))
            + "."
        )
    secret = demo_totp_secret(email)
    try:
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
    except DatabaseError:
        authenticator = None
    if authenticator is None or get_mfa_adapter().decrypt(authenticator.data["secret"]) != secret:
        raise NotADemoPerson(
            f"There is no demo person {email} on this site. Demo people exist only on a laptop "
            "after `make run` (which runs `manage.py seed_demo`)."
        )
    return secret


@transaction.atomic
def ensure_person(
    email: str, display_name: str, pronouns: str, password: str, roles: list[str]
) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, "pronouns": pronouns}
    )
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if role == Role.ADMIN and not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.forget_roles()
    if (
        set(roles) & STAFF_ROLES
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, demo_totp_secret(email))
    return user


def ensure_personas() -> dict[str, User]:
    personas = {}
    for role, (name, pronouns) in DEMO_PEOPLE.items():
        roles = [role]
        if role == Role.PEER_MENTOR:
            roles.append(Role.VOLUNTEER)  # a peer mentor is a volunteer who is trained and cleared
        personas[role] = ensure_person(demo_email(role), name, pronouns, demo_password(role), roles)
    return personas


__all__ = [
    "ConsentPurpose",
    "NotADemoPerson",
    "demo_email",
    "demo_password",
    "demo_totp_secret",
    "demo_totp_secret_in_use",
    "ensure_personas",
]
