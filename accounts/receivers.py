"""Reactions to log-in events: no websocket outlives the session that opened it."""

from allauth.account.signals import password_changed, password_reset
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from accounts.services import close_sockets


@receiver(user_logged_out, dispatch_uid="accounts.close_sockets_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is not None and user.pk:
        close_sockets(user_id=user.pk)


@receiver(password_changed, dispatch_uid="accounts.end_sessions_on_password_change")
@receiver(password_reset, dispatch_uid="accounts.end_sessions_on_password_reset")
def end_sessions_on_password_change(sender, request, user, **kwargs):
    # allauth already logs out other web sessions; sockets need closing too.
    close_sockets(user_id=user.pk)
