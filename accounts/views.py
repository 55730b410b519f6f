import time
from functools import wraps
from urllib.parse import urlencode

from allauth.account import app_settings as allauth_account_settings
from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from accounts import retention, services
from accounts.forms import DeleteAccountForm, ProfileForm, RolesForm, show_service_errors
from accounts.hooks import attention_items, my_data_sections, today_cards
from accounts.models import ConsentPurpose, User
from accounts.permissions import access_person_for_roles, can_manage_roles
from accounts.roles import ROLE_DESCRIPTIONS, Role


def today(request):
    return render(
        request,
        "accounts/today.html",
        {"attention": attention_items(request.user), "cards": today_cards(request)},
    )


@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    current = services.profile_for(user)
    initial = {
        "display_name": user.display_name,
        "pronouns": user.pronouns,
        "area": current.area,
        "languages": ", ".join(current.languages),
        "interests": ", ".join(current.interests),
        "availability": current.availability,
        "accessibility_needs": current.accessibility_needs,
        "lived_experience": current.lived_experience,
        "lived_experience_consent": services.has_consent(user, ConsentPurpose.LIVED_EXPERIENCE),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_profile(
                user=user,
                lived_experience_consent=data["lived_experience_consent"],
                display_name=data["display_name"],
                pronouns=data["pronouns"],
                **form.profile_fields(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def _fresh_code_login(request) -> bool:
    """True when this session logged in with an e-mailed code in the last few minutes."""
    window = allauth_account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "code" and time.time() - record.get("at", 0) < window
        for record in get_authentication_records(request, request.user)
    )


def confirm_its_you(view):
    """Ask the person to show it is them before ``view`` runs: their password (or their
    authenticator app) through allauth's reauthentication, which then carries on with the
    request, a POST included. Someone who logs in only by e-mailed code has no password to give:
    unless they entered a code in the last few minutes they are logged out and asked for a fresh
    one, then come back to My data."""
    by_password = reauthentication_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if get_adapter().get_reauthentication_methods(request.user):
            return by_password(request, *args, **kwargs)
        if _fresh_code_login(request):
            return view(request, *args, **kwargs)
        logout(request)
        messages.info(request, _("To keep your data safe, we need to check it is you first."))
        query = urlencode({"next": reverse("accounts:my_data")})
        return redirect(f"{reverse('account_request_login_code')}?{query}")

    return wrapper


def my_data(request):
    return render(
        request,
        "accounts/my_data.html",
        {
            "delete_form": DeleteAccountForm(),
            "sections": my_data_sections(request),
            "retention_rules": retention.rules(),
        },
    )


@confirm_its_you
def my_data_download(request):
    body = services.export_personal_data_json(user=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="alongside-my-data-{stamp}.json"'
    return response


@require_POST
@confirm_its_you
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/my_data.html", {"delete_form": form}, status=400)
    user = request.user
    logout(request)
    services.delete_account(user=user)
    return render(request, "accounts/deleted.html")


def people(request):
    if not can_manage_roles(request.user):
        raise Http404
    query = (request.GET.get("q") or "").strip()[:100]
    people = User.objects.filter(is_active=True).prefetch_related(
        Prefetch("groups", to_attr="role_groups")
    )
    if query:
        people = people.filter(display_name__icontains=query) | people.filter(
            email__icontains=query
        )
    page = Paginator(people.order_by("display_name", "id"), 50).get_page(request.GET.get("page"))
    labels = dict(Role.choices)
    rows = [
        (person, [labels[g.name] for g in person.role_groups if g.name in labels])
        for person in page
    ]
    return render(request, "accounts/people.html", {"page": page, "rows": rows, "query": query})


@require_http_methods(["GET", "POST"])
def person_roles(request, pk: int):
    person = access_person_for_roles(request.user, pk)
    form = RolesForm(request.POST or None, initial={"roles": sorted(person.roles)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_roles(user=person, roles=set(form.cleaned_data["roles"]), by=request.user)
        except PermissionDenied as refusal:
            person.forget_roles()
            form.add_error(None, str(refusal) or _("You cannot make that change."))
        else:
            messages.success(request, _("Roles saved for %(name)s.") % {"name": person})
            return redirect("accounts:people")
    descriptions = [(Role(value).label, ROLE_DESCRIPTIONS[Role(value)]) for value in Role.values]
    return render(
        request,
        "accounts/person_roles.html",
        {"person": person, "form": form, "descriptions": descriptions},
    )


@login_not_required
@cache_control(max_age=86400, public=True)
def manifest(request):
    body = render_to_string("pwa/manifest.webmanifest", request=request)
    return HttpResponse(body, content_type="application/manifest+json")


@login_not_required
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    body = render_to_string("pwa/sw.js", request=request)
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
def offline(request):
    return render(request, "pwa/offline.html")
