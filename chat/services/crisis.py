"""Crisis routing that never depends on who is online.

Crisis words in any room open a crisis item (one per person and room while it is open): it waits at
the top of the room's moderation queue, the people on call are told through notifications (the
safeguarding leads when nobody is on call), and moderators who are online see a live alert. If
nobody claims or handles it within ``CHAT_CRISIS_ESCALATE_MINUTES``, a safeguarding concern is
raised and the leads are told. Three mechanisms make sure escalation happens: a django-tasks task
deferred to the moment it is due (when the backend can defer), ``escalate_due`` in chat's daily
sweep, and ``manage.py escalate_crises`` for cron every few minutes. Each is safe to run twice.

Every action writes the room's moderation log (``_log``) and the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from chat.models import (
    CheckIn,
    CheckInReply,
    CheckInWording,
    CrisisItem,
    MemberRole,
    Membership,
    Message,
    ModerationAction,
    Room,
    RoomKind,
)
from chat.services.base import _log

# The on-call rota lives in oncall.py; its names are re-exported here (callers use crisis.<name>).
from chat.services.oncall import (  # noqa: F401
    ROTA_ROLES,
    add_shift,
    add_weekly_slot,
    can_be_on_call,
    can_manage_rota,
    on_call,
    remove_shift,
    remove_weekly_slot,
    safeguarding_leads,
    weekly_on_call,
    who_to_tell,
)

# Who may act on any crisis item, whichever room it is in (besides that room's moderators).
CRISIS_ROLES = (Role.MODERATOR, Role.COORDINATOR, Role.SAFEGUARDING_LEAD, Role.ADMIN)
MAX_WORDS = 1000


def escalate_after() -> timedelta:
    return timedelta(minutes=settings.CHAT_CRISIS_ESCALATE_MINUTES)


def item_url(item: CrisisItem) -> str:
    return reverse("chat:crisis_item", args=[item.pk])


# --- Who -----------------------------------------------------------------------------------------


def can_act_on(user: User, item: CrisisItem) -> bool:
    """The room's moderators, and the organisation's moderators, coordinators and safeguarding
    leads (a pair room has no moderator of its own)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(*CRISIS_ROLES):
        return True
    return Membership.objects.filter(
        room_id=item.room_id, user=user, role=MemberRole.MODERATOR
    ).exists()


def _require(user: User, item: CrisisItem) -> None:
    if not can_act_on(user, item):
        raise PermissionDenied


# --- A crisis arrives ----------------------------------------------------------------------------


def open_crisis(*, room: Room, message: Message) -> list[tuple[str, dict]]:
    """Crisis words in ``message``: log it, open (or join) the person's crisis item, tell whoever
    is on call, raise a concern at once in a room no moderator watches, and return the live alerts
    for the room's moderators (sent by the caller after commit).

    Call inside the transaction that saved ``message`` (``post_message`` holds the author's
    membership row locked, so two messages from one person cannot both open an item).
    """
    now = message.created_at
    author = message.author
    _log(
        room=room,
        actor=None,
        action="crisis.alert",
        subject=author,
        message=message,
        reason="crisis words",
    )
    item = CrisisItem.objects.open().filter(room=room, person=author).first()
    created = item is None
    if created:
        item = CrisisItem.objects.create(room=room, message=message, person=author, created_at=now)
    moderator_ids = list(
        Membership.objects.filter(room=room, role=MemberRole.MODERATOR).values_list(
            "user_id", flat=True
        )
    )
    leads_told = False
    if room.kind == RoomKind.PAIR or not moderator_ids:
        leads_told = _concern_for_unwatched_room(item, room=room, message=message)
    if created:
        _tell_on_call(item, room=room, now=now, leads_told=leads_told)
        _schedule_escalation(item)
    url = item_url(item)
    return [
        (
            f"user.{user_id}",
            {"type": "chat.alert", "room": room.pk, "message": message.pk, "url": url},
        )
        for user_id in moderator_ids
    ]


def _tell_on_call(item: CrisisItem, *, room: Room, now: datetime, leads_told: bool) -> None:
    from notifications import notify

    people, fallback = who_to_tell(room=room, now=now)
    if fallback and leads_told:
        return  # the concern just raised has told the leads already
    notify(
        to=people,
        kind="chat.crisis",
        key=f"crisis:{item.pk}",
        context={"url": item_url(item), "room": room.name, "nobody_on_call": fallback},
    )


def _schedule_escalation(item: CrisisItem) -> None:
    from chat.tasks import escalate_crisis

    if not escalate_crisis.get_backend().supports_defer:
        return  # the sweep and the cron command cover it
    due = item.created_at + escalate_after()
    item_id = item.pk
    transaction.on_commit(
        lambda: escalate_crisis.using(run_after=due).enqueue(item_id=item_id), robust=True
    )


def _concern_for_unwatched_room(item: CrisisItem, *, room: Room, message: Message) -> bool:
    """A room without moderators (a mentoring pair's) raises a concern at once, at most once a day
    per person and room: nobody else would know. Returns whether it raised one."""
    from safeguarding.models import AUTOMATIC_REF, Source
    from safeguarding.services import raise_concern

    already = ModerationAction.objects.filter(
        room=room,
        subject=message.author,
        action="crisis.concern",
        created_at__gte=timezone.now() - timedelta(days=1),
    ).exists()
    if already:
        return False
    # The words stay in the chat: the lead reads who and where, and reaches out.
    concern = raise_concern(
        raised_by=None,
        subject=message.author,
        summary=_(
            "Words that can mean someone is in crisis were used in a chat that no moderator "
            "watches (%(room)s, message %(id)s). They were shown where to get help at once. "
            "Please check in with them, or with their peer mentor or coordinator."
        )
        % {"room": room.get_kind_display(), "id": message.pk},
        source=Source.CHAT_MESSAGE,
        source_ref=f"{AUTOMATIC_REF}message:{message.pk}",
    )
    if item.concern_id is None:
        item.concern_id = concern.pk
        item.save(update_fields=["concern_id"])
    _log(
        room=room,
        actor=None,
        action="crisis.concern",
        subject=message.author,
        message=message,
        reason="safeguarding leads alerted",
    )
    return True


# --- Moderators act ------------------------------------------------------------------------------


def _locked(item: CrisisItem) -> CrisisItem:
    return (
        CrisisItem.objects.select_for_update(of=("self",))
        .select_related("room", "person", "message")
        .get(pk=item.pk)
    )


def _claim(item: CrisisItem, by: User, now: datetime) -> None:
    if item.claimed_at is None:
        item.claimed_by, item.claimed_at = by, now
        item.save(update_fields=["claimed_by", "claimed_at"])


@transaction.atomic
def claim_crisis(*, item: CrisisItem, by: User) -> CrisisItem:
    """ "I'm looking at this": the item is theirs, and it no longer escalates."""
    _require(by, item)
    item = _locked(item)
    if item.handled_at:
        raise ValidationError({"item": _("This has been handled already.")})
    if item.claimed_by_id and item.claimed_by_id != by.pk:
        raise ValidationError(
            {"item": _("%(name)s is looking at this already.") % {"name": item.claimed_by}}
        )
    _claim(item, by, timezone.now())
    _log(
        room=item.room,
        actor=by,
        action="crisis.claimed",
        subject=item.person,
        message=item.message,
        reason="looking at it",
    )
    return item


@transaction.atomic
def handle_crisis(*, item: CrisisItem, by: User, note: str = "") -> CrisisItem:
    """Mark the item handled, with an optional note for the log."""
    from notifications.services import resolve_for_everyone

    _require(by, item)
    item = _locked(item)
    if item.handled_at:
        return item
    now = timezone.now()
    _claim(item, by, now)
    item.handled_by, item.handled_at, item.note = by, now, (note or "").strip()[:500]
    item.save(update_fields=["handled_by", "handled_at", "note"])
    _log(
        room=item.room,
        actor=by,
        action="crisis.handled",
        subject=item.person,
        message=item.message,
        reason=item.note or "handled",
    )
    resolve_for_everyone(kind="chat.crisis", key=f"crisis:{item.pk}")
    return item


def concern_from_crisis(*, item: CrisisItem, by: User, summary: str):
    """Raise a safeguarding concern about the person now (the moderator's own words)."""
    from safeguarding.models import Source
    from safeguarding.services import raise_concern

    _require(by, item)
    with transaction.atomic():
        item = _locked(item)
        concern = raise_concern(
            raised_by=by,
            summary=summary,
            subject=item.person,
            source=Source.CHAT_MESSAGE,
            source_ref=f"chat-crisis:{item.pk}",
        )
        _claim(item, by, timezone.now())
        item.concern_id = concern.pk
        item.save(update_fields=["concern_id"])
        _log(
            room=item.room,
            actor=by,
            action="concern.raised",
            subject=item.person,
            message=item.message,
            reason=_("safeguarding concern raised"),
        )
    return concern


# --- Private check-ins ---------------------------------------------------------------------------


def _clean_words(text: str, field: str = "body") -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({field: _("Please write something first.")})
    if len(text) > MAX_WORDS:
        raise ValidationError({field: _("Please keep it to %(n)s characters.") % {"n": MAX_WORDS}})
    return text


@transaction.atomic
def send_check_in(*, item: CrisisItem, by: User, body: str) -> CheckIn:
    """Send the person a private check-in (as a notification and a private page). Counts as
    acting on the item: it no longer escalates."""
    from notifications import notify

    _require(by, item)
    body = _clean_words(body)
    item = _locked(item)
    _claim(item, by, timezone.now())
    check_in = CheckIn.objects.create(item=item, sent_by=by, to=item.person, body=body)
    _log(
        room=item.room,
        actor=by,
        action="crisis.check_in",
        subject=item.person,
        message=item.message,
        reason="private check-in sent",
    )
    notify(
        to=item.person,
        kind="chat.check_in",
        key=f"check-in:{check_in.pk}",
        context={"url": reverse("chat:check_in", args=[check_in.pk])},
    )
    return check_in


@transaction.atomic
def reply_to_check_in(*, check_in: CheckIn, by: User, reply: str, words: str = "") -> CheckIn:
    """The person answers with one tap or in words; the moderator who asked is told, and the
    reply is in the moderation log. "I'm not safe" also reaches the safeguarding leads."""
    from notifications import notify

    if check_in.to_id != by.pk:
        raise PermissionDenied
    if reply not in CheckInReply.values:
        raise ValidationError({"reply": _("Please choose an answer.")})
    words = (words or "").replace("\x00", "").strip()[:MAX_WORDS]
    if reply == CheckInReply.WORDS:
        words = _clean_words(words, "words")
    check_in = CheckIn.objects.select_for_update().select_related("item__room").get(pk=check_in.pk)
    now = timezone.now()
    check_in.reply, check_in.reply_text, check_in.replied_at = reply, words, now
    check_in.save(update_fields=["reply", "reply_text", "replied_at"])
    item = check_in.item
    label = CheckInReply(reply).label
    _log(
        room=item.room,
        actor=by,
        action="crisis.check_in_reply",
        subject=by,
        message=item.message,
        reason=f"{label}: {words}" if words and reply != CheckInReply.WORDS else words or label,
    )
    people = [check_in.sent_by] if check_in.sent_by else []
    if reply == CheckInReply.NOT_SAFE:
        people += on_call(room=item.room, now=now)
        _concern_after_reply(check_in, item)
    notify(
        to=people or safeguarding_leads(),
        kind="chat.check_in_reply",
        key=f"check-in-reply:{check_in.pk}:{int(now.timestamp() * 1000)}",
        context={"url": item_url(item), "answer": str(label), "name": by.display_name},
    )
    return check_in


def _concern_after_reply(check_in: CheckIn, item: CrisisItem) -> None:
    from notifications import notify
    from safeguarding.models import AUTOMATIC_REF, Source
    from safeguarding.services import raise_concern

    if item.concern_id is None:
        concern = raise_concern(
            raised_by=None,
            subject=check_in.to,
            summary=_(
                "After a message with crisis words in chat (%(room)s), a moderator checked in "
                "privately and the person answered that they are not safe. Please reach out now."
            )
            % {"room": item.room.get_kind_display()},
            source=Source.CHAT_MESSAGE,
            source_ref=f"{AUTOMATIC_REF}chat-check-in:{check_in.pk}",
        )
        CrisisItem.objects.filter(pk=item.pk).update(concern_id=concern.pk)
    notify(
        to=safeguarding_leads(),
        kind="chat.crisis_escalated",
        key=f"not-safe:{check_in.pk}",
        context={"url": item_url(item), "why": "not_safe"},
    )


@transaction.atomic
def save_wording(*, by: User, label: str, body: str, pk: int | None = None) -> CheckInWording:
    """Add or change a pre-written check-in."""
    if not can_manage_rota(by):
        raise PermissionDenied
    label = (label or "").strip()[:80]
    if not label:
        raise ValidationError({"label": _("Please give it a short name.")})
    body = _clean_words(body)
    if pk:
        wording = CheckInWording.objects.select_for_update().filter(pk=pk).first()
        if wording is None:
            raise PermissionDenied
        wording.label, wording.body = label, body
        wording.save()
    else:
        position = CheckInWording.objects.count()
        wording = CheckInWording.objects.create(label=label, body=body, position=position)
    _log(room=None, actor=by, action="check_in_wording.saved", reason=label)
    return wording


@transaction.atomic
def delete_wording(*, by: User, pk: int) -> None:
    if not can_manage_rota(by):
        raise PermissionDenied
    wording = CheckInWording.objects.filter(pk=pk).first()
    if wording is not None:
        _log(room=None, actor=by, action="check_in_wording.deleted", reason=wording.label)
        wording.delete()


# --- Escalation ----------------------------------------------------------------------------------


def escalate_item(*, item_id: int, now: datetime | None = None) -> bool:
    """Escalate one item if it is due and nobody has acted: raise a safeguarding concern (unless
    one exists) and tell the leads. Returns whether it escalated. Safe to run twice."""
    from notifications import notify
    from safeguarding.models import AUTOMATIC_REF, Source
    from safeguarding.services import raise_concern

    now = now or timezone.now()
    minutes = settings.CHAT_CRISIS_ESCALATE_MINUTES
    with transaction.atomic():
        item = (
            CrisisItem.objects.select_for_update(of=("self",))
            .select_related("room", "person", "message")
            .filter(pk=item_id)
            .first()
        )
        if item is None or item.handled_at or item.claimed_at or item.escalated_at:
            return False
        if now - item.created_at < escalate_after():
            return False
        if item.concern_id is None:
            concern = raise_concern(
                raised_by=None,
                subject=item.person,
                summary=_(
                    "Words that can mean someone is in crisis were used in chat (%(room)s) and "
                    "nobody picked it up within %(n)s minutes. They were shown where to get help "
                    "at once. Please reach out to them now."
                )
                % {"room": item.room.get_kind_display(), "n": minutes},
                source=Source.CHAT_MESSAGE,
                source_ref=f"{AUTOMATIC_REF}chat-crisis:{item.pk}",
            )
            item.concern_id = concern.pk
        item.escalated_at = now
        item.save(update_fields=["concern_id", "escalated_at"])
        _log(
            room=item.room,
            actor=None,
            action="crisis.escalated",
            subject=item.person,
            message=item.message,
            reason=f"nobody acted within {minutes} minutes",
        )
        notify(
            to=safeguarding_leads(),
            kind="chat.crisis_escalated",
            key=f"crisis:{item.pk}",
            context={"url": item_url(item), "minutes": minutes, "why": "nobody_acted"},
        )
    return True


def escalate_due(*, now: datetime | None = None) -> int:
    """Escalate every item that has waited too long with nobody acting. Returns how many."""
    now = now or timezone.now()
    due = (
        CrisisItem.objects.unacted()
        .filter(escalated_at=None, created_at__lte=now - escalate_after())
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return sum(escalate_item(item_id=pk, now=now) for pk in list(due))


# --- Counts --------------------------------------------------------------------------------------


def crises_waiting(user: User) -> int:
    """Open crisis items this person can act on. One query."""
    items = CrisisItem.objects.open()
    if not user.has_role(*CRISIS_ROLES):
        items = items.filter(
            room__memberships__user=user, room__memberships__role=MemberRole.MODERATOR
        )
    return items.count()
