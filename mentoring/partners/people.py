"""Local services and the workers there, on the mentee's "My people".

Her mentor adds services (``mentoring.services.suggest_service``) while she agrees
(``SharedItem.LOCAL_SERVICES``); she can remove any of them herself. Her mentor may also name a
worker at one of those services, but that worker is one of her people only once she says yes:
until then she sees them as "waiting for your OK".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import notifications
from accounts import audit
from accounts.directory import ServiceSummary
from accounts.models import User
from mentoring import local_services
from mentoring.models import Match, SuggestedService
from mentoring.partners.models import NamedWorker, NamedWorkerState
from mentoring.permissions import MENTOR_WORKING


@dataclass
class ServiceRow:
    """One service on her My people, with the named workers there she agreed to and those
    waiting for her OK."""

    suggestion: SuggestedService
    service: ServiceSummary
    agreed: list[NamedWorker] = field(default_factory=list)
    waiting: list[NamedWorker] = field(default_factory=list)


def service_rows(mentee: User) -> list[ServiceRow]:
    """Her services (while she agrees), each with its named workers. Two queries and the
    directory's own."""
    summaries = {service.id: service for service in local_services.on_my_people(mentee)}
    if not summaries:
        return []
    suggestions = SuggestedService.objects.filter(mentee=mentee, service_id__in=list(summaries))
    rows = {s.pk: ServiceRow(s, summaries[s.service_id]) for s in suggestions}
    workers = NamedWorker.objects.filter(service_id__in=list(rows)).exclude(
        state=NamedWorkerState.DECLINED
    )
    for worker in workers:
        row = rows[worker.service_id]
        (row.agreed if worker.state == NamedWorkerState.AGREED else row.waiting).append(worker)
    return sorted(rows.values(), key=lambda row: (row.service.name, row.suggestion.pk))


@transaction.atomic
def remove_service(*, suggestion: SuggestedService, by: User) -> None:
    """She takes a service off her My people (and any workers named there with it).
    Precondition: ``by`` is the mentee it was suggested to."""
    suggestion = SuggestedService.objects.select_for_update().filter(pk=suggestion.pk).first()
    if suggestion is None:
        raise ValidationError(_("That service is not on your page any more."))
    if suggestion.mentee_id != by.pk:
        raise PermissionDenied
    for worker_pk in suggestion.workers.values_list("pk", flat=True):
        notifications.resolve(to=by, kind="partners.named_worker", key=f"named_worker:{worker_pk}")
    audit.record(
        actor=by,
        action="mentoring.service_removed",
        target=suggestion,
        subject=by,
        summary=str(suggestion.service_id),
    )
    suggestion.delete()


@transaction.atomic
def add_named_worker(
    *, match: Match, by: User, suggestion_id: int, name: str, role: str, how_to_reach: str
) -> NamedWorker:
    """Her mentor names a worker at one of the services on her My people; she is asked.

    Preconditions: ``by`` is the match's mentor while they work together; she agrees to
    suggestions of local services; the service is on her My people.
    """
    if match.mentor_id != by.pk or match.status not in MENTOR_WORKING:
        raise PermissionDenied
    if not local_services.agreed(match.mentee_id):
        raise ValidationError(_("They have not asked for suggestions of local services."))
    suggestion = SuggestedService.objects.filter(
        mentee_id=match.mentee_id, pk=suggestion_id
    ).first()
    if suggestion is None:
        raise ValidationError({"service": _("Choose one of the services on their My people.")})
    fields = {"name": name, "role": role, "how_to_reach": how_to_reach}
    fields = {key: (value or "").strip() for key, value in fields.items()}
    missing = {key: _("Please fill this in.") for key, value in fields.items() if not value}
    if missing:
        raise ValidationError(missing)
    worker = NamedWorker.objects.create(service=suggestion, suggested_by=by, **fields)
    audit.record(actor=by, action="mentoring.worker_named", target=worker, subject=match.mentee)
    notifications.notify(
        to=match.mentee,
        kind="partners.named_worker",
        key=f"named_worker:{worker.pk}",
        context={"url": reverse("mentoring:people"), "mentor_name": match.mentor.display_name},
    )
    return worker


@transaction.atomic
def answer_named_worker(*, worker: NamedWorker, by: User, agree: bool) -> NamedWorker:
    """She says yes (they show as one of her people) or no (they do not).
    Precondition: ``by`` is the mentee whose My people it is."""
    worker = (
        NamedWorker.objects.select_for_update(of=("self",))
        .select_related("service")
        .get(pk=worker.pk)
    )
    if worker.service.mentee_id != by.pk:
        raise PermissionDenied
    if worker.state != NamedWorkerState.WAITING:
        raise ValidationError(_("You have already answered."))
    worker.state = NamedWorkerState.AGREED if agree else NamedWorkerState.DECLINED
    worker.answered_at = timezone.now()
    worker.save(update_fields=["state", "answered_at"])
    audit.record(
        actor=by,
        action="mentoring.worker_agreed" if agree else "mentoring.worker_declined",
        target=worker,
        subject=by,
    )
    notifications.resolve(to=by, kind="partners.named_worker", key=f"named_worker:{worker.pk}")
    return worker
