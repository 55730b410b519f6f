"""Partner pages. Thin: parse, one access helper, one service, render. Missing and forbidden
give the same 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit
from accounts.forms import show_service_errors
from accounts.models import User
from accounts.organisations import Organisation, PartnerWorker
from accounts.roles import Role
from mentoring import services as mentoring_services
from mentoring.models import Referral, SuggestedService
from mentoring.partners import choice, forms, letters, people, selectors, services, sharing
from mentoring.partners.choices import (
    LAWFUL_BASIS_PLAIN,
    PARTNER_STATUS_HELP,
    ConsentHow,
    ConsentState,
    Direction,
)
from mentoring.partners.models import (
    MentorIntro,
    NamedWorker,
    PartnerReferral,
    Shortlist,
    ShortlistAnswer,
)
from mentoring.permissions import access_match, access_match_as_working_mentor, require_coordinator


def _posted(request):
    return request.POST if request.method == "POST" else None


def _require_worker(user):
    worker = selectors.current_worker(user)
    if worker is None:
        raise Http404
    return worker


# --- Partner workers ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def refer(request):
    worker = _require_worker(request.user)
    form = forms.PartnerReferralForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_from_partner(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. We will ask the person ourselves; nothing happens until they agree."),
            )
            return redirect("mentoring:partners:status", pk=referral.pk)
    return render(request, "mentoring/partners/refer.html", {"form": form, "worker": worker})


def my_referrals(request):
    _require_worker(request.user)
    rows = services.show_statuses_to_partner(by=request.user)
    return render(request, "mentoring/partners/my_referrals.html", {"rows": rows})


@never_cache
def referral_status(request, pk: int):
    _require_worker(request.user)
    referral = selectors.access_own_partner_referral(request.user, pk)
    shown = services.show_to_partner(referral=referral, by=request.user)
    return render(
        request,
        "mentoring/partners/status.html",
        {
            "referral": referral,
            "status": shown["status"],
            "help": PARTNER_STATUS_HELP[shown["status"]],
            "items": shown["items"],
        },
    )


# --- Coordinators: organisations, workers, agreements -------------------------------------------


@require_http_methods(["GET", "POST"])
def organisations(request):
    require_coordinator(request.user)
    form = forms.OrganisationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.add_organisation(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("mentoring:partners:organisation", pk=organisation.pk)
    return render(
        request,
        "mentoring/partners/organisations.html",
        {
            "organisations": Organisation.objects.all(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk: int):
    require_coordinator(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    invite_form = forms.InviteForm(request.POST if "invite" in request.POST else None)
    agreement_form = forms.AgreementForm(request.POST if "agreement" in request.POST else None)
    if request.method == "POST":
        try:
            if "invite" in request.POST and invite_form.is_valid():
                services.invite_partner_worker(
                    by=request.user, organisation=organisation, **invite_form.cleaned_data
                )
                messages.success(request, _("Invitation sent."))
                return redirect("mentoring:partners:organisation", pk=pk)
            if "agreement" in request.POST and agreement_form.is_valid():
                services.add_agreement(
                    by=request.user, organisation=organisation, **agreement_form.cleaned_data
                )
                messages.success(request, _("Agreement recorded."))
                return redirect("mentoring:partners:organisation", pk=pk)
        except ValidationError as error:
            show_service_errors(invite_form if "invite" in request.POST else agreement_form, error)
    return render(
        request,
        "mentoring/partners/organisation.html",
        {
            "organisation": organisation,
            "workers": organisation.workers.select_related("user"),
            "agreements": organisation.sharing_agreements.all(),
            "invite_form": invite_form,
            "agreement_form": agreement_form,
        },
    )


@require_POST
def end_access(request, pk: int):
    require_coordinator(request.user)
    worker = get_object_or_404(PartnerWorker, pk=pk)
    services.end_partner_access(by=request.user, worker=worker)
    messages.success(request, _("Their access has ended. They are logged out everywhere."))
    return redirect("mentoring:partners:organisation", pk=worker.organisation_id)


# --- Coordinators: partner referrals and consent ------------------------------------------------


def inbox(request):
    require_coordinator(request.user)
    referrals = PartnerReferral.objects.select_related("organisation", "worker").order_by(
        "consent", "-created_at", "-id"
    )
    return render(request, "mentoring/partners/inbox.html", {"referrals": referrals})


@never_cache
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """A partner referral as coordinators see it, risk information included (audited)."""
    require_coordinator(request.user)
    referral = get_object_or_404(
        PartnerReferral.objects.select_related("organisation", "worker", "person"), pk=pk
    )
    form = forms.ConsentForm(_posted(request), initial={"email": referral.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mentoring:partners:review", pk=pk)
    audit.record_view(
        actor=request.user, target=referral, subject=referral.person, what="partner referral"
    )
    return render(
        request,
        "mentoring/partners/review.html",
        {
            "referral": referral,
            "form": form,
            "waiting": referral.consent == ConsentState.WAITING,
            "status": selectors.partner_status(referral),
        },
    )


@require_http_methods(["GET", "POST"])
def disclosure_new(request):
    require_coordinator(request.user)
    form = forms.DisclosureForm(_posted(request), initial={"at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            sharing.record_disclosure(by=request.user, **data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Recorded in the information-sharing register."))
            return redirect("mentoring:partners:disclosure_new")
    return render(request, "mentoring/partners/disclosure_new.html", {"form": form})


def register(request):
    """The whole information-sharing register: the safeguarding lead's page."""
    if not request.user.has_role(Role.SAFEGUARDING_LEAD):
        raise Http404
    disclosures = selectors.whole_register()[:500]
    audit.record(actor=request.user, action="viewed", summary="information-sharing register")
    return render(
        request,
        "mentoring/partners/register.html",
        {"disclosures": disclosures, "Direction": Direction, "plain": LAWFUL_BASIS_PLAIN},
    )


# --- Through the gate ---------------------------------------------------------------------------


def coming_out_soon(request):
    require_coordinator(request.user)
    return render(
        request,
        "mentoring/partners/coming_out.html",
        {"rows": selectors.coming_out_soon(), "days": selectors.COMING_OUT_DAYS},
    )


@require_POST
def gate_checklist(request, pk: int):
    require_coordinator(request.user)
    referral = get_object_or_404(Referral, pk=pk)
    form = forms.GateChecklistForm(request.POST)
    if form.is_valid():
        try:
            services.tick_gate_checklist(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Checklist saved."))
    return redirect("mentoring:partners:coming_out")


# --- The person ---------------------------------------------------------------------------------


def _own(request, pk: int) -> PartnerReferral:
    referral = (
        PartnerReferral.objects.select_related("organisation", "worker")
        .filter(pk=pk, person=request.user)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


@require_http_methods(["GET", "POST"])
def mine(request, pk: int):
    """The person sees who referred them and what was passed on, says yes or no, corrects it,
    and chooses what their referrer may see besides the status."""
    referral = _own(request, pk)
    initial = {name: getattr(referral, name) for name in services.CORRECTABLE}
    correct_form = forms.CorrectionForm(
        request.POST if "correct" in request.POST else None, initial=initial
    )
    share_form = forms.ShareBackForm(
        request.POST if "share" in request.POST else None, initial={"items": referral.share_back}
    )
    if request.method == "POST":
        try:
            if "answer" in request.POST:
                services.record_consent(
                    referral=referral,
                    by=request.user,
                    agreed=request.POST["answer"] == "yes",
                    how=ConsentHow.ONLINE,
                )
                messages.success(request, _("Thank you. We have saved your answer."))
                return redirect("mentoring:partners:mine", pk=pk)
            if "correct" in request.POST and correct_form.is_valid():
                services.correct_referral(
                    referral=referral, by=request.user, **correct_form.cleaned_data
                )
                messages.success(request, _("Thank you. We have corrected it."))
                return redirect("mentoring:partners:mine", pk=pk)
            if "share" in request.POST and share_form.is_valid():
                services.set_share_back(
                    referral=referral, by=request.user, items=share_form.cleaned_data["items"]
                )
                messages.success(request, _("Saved."))
                return redirect("mentoring:partners:mine", pk=pk)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "mentoring/partners/mine.html",
        {
            "referral": referral,
            "waiting": referral.consent == ConsentState.WAITING,
            "agreed": referral.consent == ConsentState.AGREED,
            "correct_form": correct_form,
            "share_form": share_form,
        },
    )


# --- The mentee's choice ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def intro(request):
    """A peer mentor writes the few lines a mentee reads when choosing."""
    if not request.user.has_role(Role.PEER_MENTOR):
        raise Http404
    current = MentorIntro.objects.filter(mentor=request.user).first()
    form = forms.IntroForm(_posted(request), initial={"words": current.words if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            choice.set_intro(mentor=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mentoring:partners:intro")
    return render(request, "mentoring/partners/intro.html", {"form": form})


@require_http_methods(["GET", "POST"])
def shortlist_new(request, pk: int):
    require_coordinator(request.user)
    referral = get_object_or_404(Referral.objects.select_related("person"), pk=pk)
    top, others = mentoring_services.suggestions_for(referral)
    with_words = set(MentorIntro.objects.values_list("mentor_id", flat=True))
    ids = [s.mentor_id for s in [*top, *others] if s.mentor_id in with_words]
    people = User.objects.in_bulk(ids)
    form = forms.ShortlistOfferForm(
        _posted(request), choices=[(pk_, people[pk_].display_name) for pk_ in ids]
    )
    if request.method == "POST" and form.is_valid():
        try:
            choice.offer_shortlist(
                referral=referral,
                by=request.user,
                mentors=[people[pk_] for pk_ in form.cleaned_data["mentors"]],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Sent. They will choose, or tell us."))
            return redirect("mentoring:referral", pk=referral.pk)
    return render(
        request, "mentoring/partners/shortlist_new.html", {"referral": referral, "form": form}
    )


@require_http_methods(["GET", "POST"])
def shortlist(request, pk: int):
    """The mentee chooses: one of the mentors, someone else, or the coordinator chooses."""
    found = (
        Shortlist.objects.select_related("referral", "chosen")
        .filter(pk=pk, referral__person=request.user)
        .first()
    )
    if found is None:
        raise Http404
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        chosen = request.POST.get("mentor", "")
        mentor = found.mentors.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        try:
            if answer == "next":
                # Who to ask if the chosen mentor does not answer in time; none: a coordinator.
                if chosen.isdigit() and mentor is None:
                    raise ValidationError(_("Choose one of the mentors on your list."))
                choice.set_next_choice(shortlist=found, by=request.user, mentor=mentor)
            else:
                choice.answer_shortlist(
                    shortlist=found, by=request.user, answer=answer, mentor=mentor
                )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. We have saved your choice."))
        return redirect("mentoring:partners:shortlist", pk=pk)
    return render(
        request,
        "mentoring/partners/shortlist.html",
        {
            "shortlist": found,
            "profiles": choice.shortlist_profiles(found),
            "waiting": found.answer == ShortlistAnswer.WAITING,
            "due": choice.answer_due(found),
            "next_choices": choice.next_choices(found),
            "next_in_line": choice.next_in_line(found),
        },
    )


# --- A letter to someone still inside -----------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def letter(request, pk: int):
    """The mentor writes to their mentee before release day and downloads it to print."""
    match = access_match(request.user, pk)
    if not letters.can_write(request.user, match):
        raise Http404
    form = forms.LetterForm(_posted(request), initial={"body": letters.template_for(match)})
    if request.method == "POST" and form.is_valid():
        try:
            pdf = letters.make_letter(match=match, by=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="letter.pdf"'
            return response
    return render(
        request,
        "mentoring/partners/letter.html",
        {
            "match": match,
            "form": form,
            "to_name": match.mentee.display_name,
            "prison": match.referral.prison,
            "from_name": letters.first_name(match.mentor),
            "return_address": letters.return_address(),
        },
    )


# --- Named workers at local services ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def named_worker_new(request, pk: int):
    """The mentor names a worker at one of the services on their mentee's My people."""
    match = access_match_as_working_mentor(request.user, pk)
    rows = people.service_rows(match.mentee)
    form = forms.NamedWorkerForm(
        _posted(request), rows=rows, initial={"service": request.GET.get("service")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            people.add_named_worker(
                match=match, by=request.user, suggestion_id=data.pop("service"), **data
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Sent. %(name)s will see them once they say yes.")
                % {"name": match.mentee.display_name},
            )
            return redirect("mentoring:match", pk=match.pk)
    return render(
        request,
        "mentoring/partners/named_worker_new.html",
        {"match": match, "form": form, "rows": rows},
    )


def _own_suggestion(request, pk: int) -> SuggestedService:
    suggestion = SuggestedService.objects.filter(pk=pk, mentee=request.user).first()
    if suggestion is None:
        raise Http404
    return suggestion


@require_http_methods(["GET", "POST"])
def remove_service(request, pk: int):
    """The mentee takes a service off her My people, after saying she is sure."""
    suggestion = _own_suggestion(request, pk)
    found = [row for row in people.service_rows(request.user) if row.suggestion.pk == pk]
    if request.method == "POST":
        try:
            people.remove_service(suggestion=suggestion, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Removed from My people."))
        return redirect("mentoring:people")
    return render(
        request,
        "mentoring/partners/remove_service.html",
        {"suggestion": suggestion, "row": found[0] if found else None},
    )


@require_POST
def named_worker_answer(request, pk: int):
    """The mentee says yes or no to a named worker her mentor wants on her My people."""
    worker = NamedWorker.objects.filter(pk=pk, service__mentee=request.user).first()
    if worker is None:
        raise Http404
    answer = request.POST.get("answer", "")
    if answer not in ("yes", "no"):
        messages.error(request, _("Please choose yes or no."))
        return redirect("mentoring:people")
    try:
        people.answer_named_worker(worker=worker, by=request.user, agree=answer == "yes")
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you. %(name)s is now one of your people.") % {"name": worker.name}
            if answer == "yes"
            else _("Thank you. They will not be added."),
        )
    return redirect("mentoring:people")
