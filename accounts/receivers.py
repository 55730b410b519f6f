"""Reactions to log-in events: no websocket outlives the session that opened it, and ending one
session closes that session's sockets only."""

from allauth.account.signals import password_changed, password_reset
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from accounts.services import close_session_sockets, close_sockets, end_all_sessions


@receiver(user_logged_out, dispatch_uid="accounts.close_sockets_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        close_session_sockets(session_key=session.session_key)
    elif user is not None and user.pk:
        close_sockets(user_id=user.pk)


@receiver(post_delete, sender=UserSession, dispatch_uid="accounts.close_sockets_of_ended_session")
def close_sockets_of_ended_session(sender, instance, **kwargs):
    # "End my other sessions" (allauth usersessions), deleting an account, an expired session
    # purged: the sockets that session opened close with it.
    close_session_sockets(session_key=instance.session_key)


@receiver(post_save, sender=User, dispatch_uid="accounts.end_sessions_on_deactivation")
def end_sessions_on_deactivation(sender, instance, created, **kwargs):
    # Deactivated from any screen (ours, the Django admin, Wagtail's user editor): every session
    # and socket of the person ends at once.
    if not created and not instance.is_active:
        end_all_sessions(user=instance)


@receiver(password_changed, dispatch_uid="accounts.end_sessions_on_password_change")
@receiver(password_reset, dispatch_uid="accounts.end_sessions_on_password_reset")
def end_sessions_on_password_change(sender, request, user, **kwargs):
    # allauth already logs out other web sessions; sockets need closing too.
    close_sockets(user_id=user.pk)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.audit_role_groups")
def audit_role_groups_changed_elsewhere(sender, instance, action, reverse, pk_set, **kwargs):
    """Every role change is in the audit trail. accounts.services audits its own (with who did
    it); a change made anywhere else (Wagtail's user editor, a shell, demo data) is recorded
    here, without an actor, so it can still be found."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    if reverse:  # a group's members changed: ``instance`` is the group
        users, roles = User.objects.filter(pk__in=pk_set), [instance.name]
    else:
        if getattr(instance, "_role_change_audited", False):
            return
        users, roles = (
            [instance],
            list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)),
        )
    verb = "added" if action == "post_add" else "removed"
    for user in users:
        for role in roles:
            if role in Role.values:
                audit.record(
                    actor=None,
                    action=f"role.{verb}_elsewhere",
                    target=user,
                    subject=user,
                    summary=role,
                )
