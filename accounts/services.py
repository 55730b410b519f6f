"""Actions on people: roles, profile, consent, their data.

Each function checks who may do it, changes state in a transaction, and writes the audit trail.
"""

from __future__ import annotations

import json
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, hooks
from accounts.models import CONSENT_WORDING, ConsentPurpose, ConsentRecord, Profile, User
from accounts.roles import STAFF_ROLES, Role


def can_manage_roles(user: User) -> bool:
    return user.has_role(Role.COORDINATOR, Role.ADMIN)


@transaction.atomic
def grant_role(*, user: User, role: str, by: User) -> None:
    """Give ``user`` the ``role``. Coordinators grant every role but admin; admins grant all."""
    if role not in Role.values:
        raise ValidationError(_("That is not a role here."))
    if not can_manage_roles(by) or (role == Role.ADMIN and not by.has_role(Role.ADMIN)):
        raise PermissionDenied
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role == Role.ADMIN:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.forget_roles()
    audit.record(actor=by, action="role.granted", target=user, subject=user, summary=role)


@transaction.atomic
def revoke_role(*, user: User, role: str, by: User) -> None:
    if role not in Role.values:
        raise ValidationError(_("That is not a role here."))
    if not can_manage_roles(by) or (role == Role.ADMIN and not by.has_role(Role.ADMIN)):
        raise PermissionDenied
    user.groups.remove(*Group.objects.filter(name=role))
    if role == Role.ADMIN:
        User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
    user.forget_roles()
    audit.record(actor=by, action="role.revoked", target=user, subject=user, summary=role)


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
    if by.pk != user.pk and not by.has_role(Role.COORDINATOR, Role.ADMIN):
        raise PermissionDenied
    if display_name is not None or pronouns is not None:
        if display_name is not None:
            if not display_name.strip():
                raise ValidationError({"display_name": _("Please give a name others can see.")})
            user.display_name = display_name.strip()[:60]
        if pronouns is not None:
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


# --- My data ------------------------------------------------------------------------------------


def _personal_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with a link to a person, and the names of the links that make a row theirs.

    Found by walking the models, so a new model is exported without anyone remembering to add it.
    A link can also mean "decided by" or "recorded by" (a coordinator's name on a volunteer's
    record): a model names the links that mean ownership in ``personal_data_links``, so a
    coordinator's download holds their own records, not the people they looked after.
    A model opts out with ``personal_data_export = False`` (the audit trail, safeguarding records:
    the organisation's records about its duty of care, disclosed on request by a person, not here).
    """
    found = []
    for model in apps.get_models():
        if model is User or not getattr(model, "personal_data_export", True):
            continue
        links = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.ForeignKey | models.OneToOneField)
            and field.related_model is User
            and field.concrete
        ]
        owned = getattr(model, "personal_data_links", None)
        if owned is not None:
            links = [name for name in links if name in owned]
        if links:
            found.append((model, links))
    return found


# Secrets of log-in machinery: never written into a download.
_NEVER_EXPORTED = {("mfa", "data"), ("usersessions", "session_key"), ("sessions", "session_key")}


def _exportable(obj: models.Model, field: models.Field) -> Any:
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return value


def export_personal_data(*, user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "joined": user.date_joined,
            "last_login": user.last_login,
            "roles": sorted(user.roles),
        }
    }
    for model, links in _personal_models():
        query = models.Q()
        for link in links:
            query |= models.Q(**{link: user})
        rows = []
        for obj in model._default_manager.filter(query).order_by("pk"):
            rows.append(
                {
                    field.name: _exportable(obj, field)
                    for field in obj._meta.concrete_fields
                    if (model._meta.app_label, field.name) not in _NEVER_EXPORTED
                    and field.name != "password"
                }
            )
        if rows:
            data[model._meta.label] = rows
    audit.record(actor=user, action="data.exported", target=user, subject=user)
    return data


def export_personal_data_json(*, user: User) -> str:
    return json.dumps(export_personal_data(user=user), cls=DjangoJSONEncoder, indent=2)


def close_sockets(*, user_id: int) -> None:
    """Close the person's open websockets (chat), after the current transaction commits.

    Every consumer joins the group ``user.<id>`` and closes itself on ``session.ended``: a socket
    must not outlive a logout, a password change, a ban or a deactivation.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    group = f"user.{user_id}"
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(group, {"type": "session.ended"}))


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
