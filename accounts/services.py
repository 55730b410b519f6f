"""Actions on people: roles, profile, consent, their data.

Each function checks who may do it, changes state in a transaction, and writes the audit trail.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, hooks
from accounts.hooks import personal_data
from accounts.inputs import NAME_REFUSED, has_unsafe_characters
from accounts.links import public_url
from accounts.models import CONSENT_WORDING, ConsentPurpose, ConsentRecord, Profile, User
from accounts.permissions import (
    ADMIN_GRANTED_ROLES,
    can_manage_roles,
    why_role_change_refused,
)
from accounts.roles import STAFF_ROLES, Role


def _check_role_change(*, user: User, role: str, by: User) -> None:
    if role not in Role.values:
        raise ValidationError(_("That is not a role here."))
    refusal = why_role_change_refused(by=by, user=user, role=role)
    if refusal:
        raise PermissionDenied(refusal)


def _audit_role_change(*, user: User, role: str, by: User, action: str) -> None:
    audit.record(actor=by, action=action, target=user, subject=user, summary=role)
    if role in ADMIN_GRANTED_ROLES:
        # TODO(notifications): tell every safeguarding lead (and the admins) that ``by`` gave or
        # took away ``role`` for ``user``, through the notifications app once it lands, e.g.
        # notifications.services.tell_role_holders(role=Role.SAFEGUARDING_LEAD, ...) on commit.
        pass


@transaction.atomic
def grant_role(*, user: User, role: str, by: User) -> None:
    """Give ``user`` the ``role`` (accounts.permissions.why_role_change_refused says who may).

    Raises PermissionDenied with a plain reason when ``by`` may not; audited as role.granted.
    """
    _check_role_change(user=user, role=role, by=by)
    group, _created = Group.objects.get_or_create(name=role)
    user._role_change_audited = True  # accounts.receivers audits changes made anywhere else
    try:
        user.groups.add(group)
    finally:
        del user._role_change_audited
    if role == Role.ADMIN:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.forget_roles()
    _audit_role_change(user=user, role=role, by=by, action="role.granted")


@transaction.atomic
def revoke_role(*, user: User, role: str, by: User) -> None:
    _check_role_change(user=user, role=role, by=by)
    user._role_change_audited = True
    try:
        user.groups.remove(*Group.objects.filter(name=role))
    finally:
        del user._role_change_audited
    if role == Role.ADMIN:
        User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
    user.forget_roles()
    _audit_role_change(user=user, role=role, by=by, action="role.revoked")


@transaction.atomic
def set_roles(*, user: User, roles: set[str], by: User) -> None:
    """Make ``user``'s roles exactly ``roles``: all the changes, or none of them."""
    current = set(user.roles)
    for role in sorted(roles - current):
        grant_role(user=user, role=role, by=by)
    for role in sorted(current - roles):
        revoke_role(user=user, role=role, by=by)


def new_account(*, email: str, display_name: str, role: str) -> User:
    """An account made for someone by a coordinator (who has checked who may): no password yet,
    its e-mail address taken as confirmed (the person proves it by opening the invitation or by
    asking for a log-in code), holding ``role``. Call inside the caller's transaction; the caller
    audits it and sends the invitation (``set_password_link``)."""
    user = User.objects.create_user(email=email, password=None, display_name=display_name[:60])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.forget_roles()
    return user


def set_password_link(user: User) -> str:
    """An absolute link (from SITE_URL) to choose a password: allauth's reset-by-key page. It
    stops working once used, once the person logs in, and after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return public_url(path)


def profile_for(user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def has_consent(user: User, purpose: str) -> bool:
    return ConsentRecord.objects.active().filter(user=user, purpose=purpose).exists()


@transaction.atomic
def give_consent(*, user: User, purpose: str) -> ConsentRecord:
    version, _wording = CONSENT_WORDING[ConsentPurpose(purpose)]
    existing = ConsentRecord.objects.active().filter(user=user, purpose=purpose).first()
    if existing and existing.wording_version == version:
        return existing
    if existing:
        existing.withdrawn_at = timezone.now()
        existing.save(update_fields=["withdrawn_at"])
    consent = ConsentRecord.objects.create(user=user, purpose=purpose, wording_version=version)
    audit.record(actor=user, action="consent.given", target=consent, subject=user, summary=purpose)
    return consent


@transaction.atomic
def withdraw_consent(*, user: User, purpose: str) -> None:
    """Withdraw consent; data kept only under that consent is erased at once."""
    changed = (
        ConsentRecord.objects.active()
        .filter(user=user, purpose=purpose)
        .update(withdrawn_at=timezone.now())
    )
    if purpose == ConsentPurpose.LIVED_EXPERIENCE:
        Profile.objects.filter(user=user).update(lived_experience=[])
    hooks.consent_withdrawn(user, purpose)
    if changed:
        audit.record(
            actor=user, action="consent.withdrawn", target=user, subject=user, summary=purpose
        )


@transaction.atomic
def update_profile(
    *,
    user: User,
    by: User,
    display_name: str | None = None,
    pronouns: str | None = None,
    **fields: Any,
) -> Profile:
    """Change a profile. Lived experience needs the person's consent on record."""
    if by.pk != user.pk and not can_manage_roles(by):
        raise PermissionDenied
    if display_name is not None or pronouns is not None:
        if display_name is not None:
            if not display_name.strip():
                raise ValidationError({"display_name": _("Please give a name others can see.")})
            if has_unsafe_characters(display_name):
                raise ValidationError({"display_name": NAME_REFUSED})
            user.display_name = display_name.strip()[:60]
        if pronouns is not None:
            if has_unsafe_characters(pronouns):
                raise ValidationError({"pronouns": NAME_REFUSED})
            user.pronouns = pronouns.strip()[:30]
        user.save(update_fields=["display_name", "pronouns"])
    profile = profile_for(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.lived_experience and not has_consent(user, ConsentPurpose.LIVED_EXPERIENCE):
        raise ValidationError(
            {
                "lived_experience": _(
                    "To keep your lived experience we need your agreement. Tick the box to agree, "
                    "or leave these empty."
                )
            }
        )
    profile.full_clean()
    profile.save()
    audit.record(actor=by, action="profile.changed", target=profile, subject=user)
    return profile


@transaction.atomic
def save_profile(
    *,
    user: User,
    lived_experience_consent: bool,
    display_name: str | None = None,
    pronouns: str | None = None,
    **fields: Any,
) -> Profile:
    """The person saves their own profile page: their agreement to keep their lived experience
    (given or withdrawn) and the profile itself, together or not at all. A refused profile (bad
    name, lived experience without agreement) leaves the agreement as it was."""
    if lived_experience_consent:
        give_consent(user=user, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    else:
        withdraw_consent(user=user, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    return update_profile(
        user=user, by=user, display_name=display_name, pronouns=pronouns, **fields
    )


# --- My data ------------------------------------------------------------------------------------


def export_personal_data(*, user: User) -> dict[str, Any]:
    """The person's own data, as each app declares it (accounts/personal_data.py).

    Only what an app's ``personal_data`` hook names is in it; nothing is found by walking models.
    """
    data: dict[str, Any] = {}
    for section in personal_data(user):
        if section.key in data:
            raise ValueError(f"Two apps export a section called {section.key!r}.")
        data[section.key] = section.rows
    data["account"] = data["account"][0]
    audit.record(actor=user, action="data.exported", target=user, subject=user)
    return data


def export_personal_data_json(*, user: User) -> str:
    return json.dumps(export_personal_data(user=user), cls=DjangoJSONEncoder, indent=2)


def session_group(session_key: str) -> str:
    """The channel-layer group of the sockets one web session opened (``session.<hash>``).

    Named from a hash: a group name travels through Redis and logs, a session key must not.
    """
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def _send_session_ended(group: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(group, {"type": "session.ended"}))


def close_sockets(*, user_id: int) -> None:
    """Close every open websocket of the person, in all their sessions, after commit.

    Every consumer joins ``user.<id>`` and ``session.<hash>`` and closes itself on
    ``session.ended``: no socket outlives a password change, a ban or a deactivation.
    """
    _send_session_ended(f"user.{user_id}")


def close_session_sockets(*, session_key: str | None) -> None:
    """Close the websockets one session opened, and no others (after commit): logging out on a
    phone leaves the laptop's chat open."""
    if session_key:
        _send_session_ended(session_group(session_key))


def socket_allowed(*, user: User, session) -> bool:
    """The pages' log-in rules, for a websocket handshake (accounts.middleware has the pages').

    Staff must have set up two-step log-in, and a staff session idle for longer than
    STAFF_SESSION_IDLE_SECONDS is over. Call from a sync thread: it reads the database.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.is_staff_role:
        return True
    if staff_without_two_factor(user):
        return False
    last_seen = session.get("last_seen") if session is not None else None
    return last_seen is None or time.time() - last_seen <= settings.STAFF_SESSION_IDLE_SECONDS


def end_all_sessions(*, user: User) -> None:
    """Log the person out everywhere: web sessions and open websockets."""
    for session in UserSession.objects.filter(user=user):
        session.end()
    close_sockets(user_id=user.pk)


@transaction.atomic
def deactivate(*, user: User, by: User) -> None:
    """Stop a person logging in (admins only); their sessions and sockets end at once."""
    if not by.has_role(Role.ADMIN) or by.pk == user.pk:
        raise PermissionDenied
    User.objects.filter(pk=user.pk).update(is_active=False)
    end_all_sessions(user=user)
    audit.record(actor=by, action="account.deactivated", target=user, subject=user)


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the person and everything that is theirs.

    Records the organisation must keep (the audit trail, safeguarding concerns) lose their link to
    the person; see "What we keep" on the My data page.
    """
    audit.record(actor=None, action="account.deleted", summary=f"account #{user.pk} deleted itself")
    end_all_sessions(user=user)
    user.delete()


def staff_without_two_factor(user: User) -> bool:
    """True when a person holds a staff role but has not set up an authenticator app yet."""
    if not user.is_authenticated or not (user.roles & STAFF_ROLES):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
