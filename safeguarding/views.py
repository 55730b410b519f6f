from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import show_service_errors
from safeguarding import services
from safeguarding.forms import ActionForm, AssignForm, CloseForm, RaiseConcernForm, UrgencyForm
from safeguarding.models import Concern, Status
from safeguarding.permissions import access_concern, can_raise, can_triage


@require_http_methods(["GET", "POST"])
def raise_concern(request):
    if not can_raise(request.user):
        raise Http404
    form = RaiseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_concern(raised_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. A safeguarding lead has been told and will look at this today."),
            )
            return redirect("accounts:today")
    return render(request, "safeguarding/raise.html", {"form": form})


def concern_list(request):
    if not can_triage(request.user):
        raise Http404
    show = request.GET.get("show", "open")
    concerns = Concern.objects.select_related("assigned_to")
    concerns = concerns.filter(status=Status.CLOSED) if show == "closed" else concerns.open()
    page = Paginator(concerns, 30).get_page(request.GET.get("page"))
    return render(request, "safeguarding/list.html", {"page": page, "show": show})


def concern_detail(request, pk: int):
    concern = access_concern(request.user, pk)
    services.view_concern(concern=concern, by=request.user)
    return render(
        request,
        "safeguarding/detail.html",
        {
            "concern": concern,
            "actions": concern.actions.select_related("by"),
            "urgency_form": UrgencyForm(initial={"urgency": concern.urgency}),
            "assign_form": AssignForm(initial={"assigned_to": concern.assigned_to_id}),
            "action_form": ActionForm(),
            "close_form": CloseForm(),
        },
    )


_STEPS = {
    "urgency": (UrgencyForm, services.set_urgency, "urgency"),
    "assign": (AssignForm, services.assign, "assigned_to"),
    "action": (ActionForm, services.record_action, "note"),
    "close": (CloseForm, services.close, "outcome"),
}


@require_POST
def concern_update(request, pk: int, step: str):
    concern = access_concern(request.user, pk)
    if step not in _STEPS:
        raise Http404
    form_class, service, field = _STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        keyword = {"assigned_to": "to"}.get(field, field)
        try:
            service(concern=concern, by=request.user, **{keyword: form.cleaned_data[field]})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please check what you entered and try again."))
    return redirect("safeguarding:detail", pk=concern.pk)
