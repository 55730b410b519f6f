"""Background work for volunteering: e-mails sent after the change that caused them is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from accounts.models import User


@task()
def send_volunteer_email(*, user_id: int, subject: str, body: str) -> None:
    """E-mail one person. The words are plain and never carry sensitive details."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )
