"""Every form of ours, fuzzed through the page that takes it (issue 13, TRUST.md catalogue F).

For each URL name that accepts a POST (found by walking the real URL conf), FORMS below says which
forms are posted to it. The fuzz posts hypothesis-generated junk for every field of those forms —
any text (control characters, right-to-left overrides, 100,000 characters), numbers out of range,
impossible dates, lists where one value is expected, wrong files, fields left out — as a person
the access-policy table allows to post there, in the demo world of tests/config/policy_world.py.

What must hold: no answer is a server error, and when the answer is a refusal (the form shown again
with its errors, an error message, a 4xx) nothing of ours was written — no INSERT, UPDATE or
DELETE on any table of our apps (the audit trail, which records refused attempts too, aside).

A URL name that takes a POST with no row in FORMS fails, and so does a form class of ours that no
row names (unless NOT_POSTED_TO_OUR_VIEWS says whose view posts it).
"""

from __future__ import annotations

import importlib
import inspect
import os
import pathlib
import re
from dataclasses import dataclass, field

import pytest
from django import forms as django_forms
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import DeleteAccountForm, ProfileForm, RolesForm
from accounts.roles import Role
from chat import crisis_forms
from chat import forms as chat_forms
from config.policy import OUR_MODULES, POLICY, named_views, our_url_names
from impact.forms import PeriodForm
from mentoring import forms as mentoring_forms
from mentoring.outcomes import forms as outcome_forms
from mentoring.partners import forms as partner_forms
from notifications.forms import PhoneCodeForm, PhoneForm, PreferencesForm
from safeguarding.forms import ActionForm, AssignForm, CloseForm, RaiseConcernForm, UrgencyForm
from stories.forms import ShareStoryForm
from tests.config.policy_world import build_world, target
from tests.config.test_access_policy import _route_kwargs, expected
from volunteering import forms as volunteering_forms

# Modest by default (the module takes a few minutes); FUZZ_EXAMPLES=200 digs deeper.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


@dataclass(frozen=True)
class Post:
    """What is sent to one URL: the fields of ``forms``, plus ``extra`` names the view reads
    from request.POST itself (buttons, hidden fields) with values it knows."""

    forms: tuple = ()
    extra: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)  # URL kwargs instead of the world's
    method: str = "post"


def _p(*form_classes, **extra) -> Post:
    return Post(forms=form_classes, extra=extra)


def _get(*form_classes, **extra) -> Post:
    """A page that reads a form, or its own fields, from the query string."""
    return Post(forms=form_classes, extra=extra, method="get")


c, cr, m, o, pa, v = (
    chat_forms,
    crisis_forms,
    mentoring_forms,
    outcome_forms,
    partner_forms,
    volunteering_forms,
)
YES_NO = ("yes", "no", "1", "0")

# URL name -> what is posted to it (a list when one URL takes several kinds of post), and the
# pages that read a query string (_get: there nothing may be written, refused or not).
FORMS: dict[str, list[Post]] = {
    "accounts:people": [_get(q=("jay",), page=("2",))],
    "chat:history": [_get(before=("1",), after=("1",))],
    "cms:search": [_get(q=("recovery",), page=("2",))],
    "mentoring:outcomes:time_to_help": [_get(page=("2",))],
    "notifications:inbox": [_get(page=("2",))],
    "safeguarding:list": [_get(show=("open", "closed", "all"), page=("2",))],
    "volunteering:rota": [_get(week=("2026-01-05",))],
    "accounts:delete_account": [_p(DeleteAccountForm)],
    "accounts:person_roles": [_p(RolesForm)],
    "accounts:profile": [_p(ProfileForm)],
    "chat:add_member": [_p(c.AddMemberForm)],
    "chat:appeal": [_p(c.AppealForm)],
    "chat:check_in": [_p(cr.ReplyForm)],
    "chat:check_in_wordings": [_p(cr.WordingForm, pk=("1", "2", "x"))],
    "chat:concern": [_p(c.ConcernForm)],
    "chat:crisis_check_in": [_p(cr.CheckInForm), _get(wording=("1",))],
    "chat:crisis_claim": [_p()],
    "chat:crisis_concern": [_p(cr.CrisisConcernForm)],
    "chat:crisis_handled": [_p(cr.HandledForm)],
    "chat:decide_join": [_p(approve=YES_NO)],
    "chat:delete": [_p(next=("room", "x"))],
    "chat:delete_check_in_wording": [_p()],
    "chat:delete_filter": [_p()],
    "chat:edit": [_p(c.EditForm)],
    "chat:end_break": [_p()],
    "chat:filters": [_p(c.WordFilterForm)],
    "chat:floor": [_p(user=("1", "2"))],
    "chat:lower_hand": [_p(user=("1", "2"))],
    "chat:hand": [_p(raised=YES_NO)],
    "chat:join": [_p(c.JoinForm)],
    "chat:leave": [_p()],
    "chat:lift_sanction": [_p(c.ReasonForm)],
    "chat:moderate_message": [_p(c.MessageActionForm)],
    "chat:moderate_bulk": [
        _p(message=("1", "x", "99999999999999999999"), action=("approve", "hide", "x"))
    ],
    "chat:mute_for_me": [_p(on=YES_NO)],
    "chat:new_room": [_p(c.RoomForm)],
    "chat:on_call": [_p(cr.ShiftForm), _p(cr.WeeklySlotForm, kind=("weekly",))],
    "chat:remove_shift": [_p()],
    "chat:remove_weekly_slot": [_p()],
    "chat:report": [_p(c.ReportForm)],
    "chat:room": [_p(c.PostForm), _get(before=("1",), support=("1",))],
    "chat:room_settings": [_p(c.RoomSettingsForm)],
    "chat:sanction": [_p(c.SanctionForm)],
    "chat:take_break": [_p(c.BreakForm)],
    "cms:event_cancel": [_p()],
    "cms:event_register": [_p()],
    "impact:report": [_get(PeriodForm, format=("csv",), table=("referrals", "x"))],
    "mentoring:check_in": [_p(m.CheckInForm)],
    "mentoring:do_not_match": [_p(m.DoNotMatchForm)],
    "mentoring:goal": [_p(m.GoalStatusForm, m.GoalStepForm, status=("done", "x"))],
    "mentoring:goal_step": [_p(done=YES_NO)],
    "mentoring:goals": [_p(m.GoalForm, m.WeeklyTargetForm)],
    "mentoring:match_agree": [_p()],
    "mentoring:match_answer": [_p(answer=YES_NO)],
    "mentoring:match_end": [_p(m.EndForm)],
    "mentoring:match_pause": [_p(m.PauseForm)],
    "mentoring:match_resume": [_p()],
    "mentoring:meeting_cancel": [_p()],
    "mentoring:meeting_concern": [_p(m.ConcernForm)],
    "mentoring:meeting_move": [_p(m.MeetingForm)],
    "mentoring:meeting_new": [_p(m.MeetingForm)],
    "mentoring:meeting_notes": [_p(m.MeetingNoteForm)],
    "mentoring:meeting_status": [_p(m.MeetingStatusForm)],
    "mentoring:outcomes:close": [_p(o.CloseForm)],
    "mentoring:outcomes:feedback": [_p(o.FeedbackForm)],
    "mentoring:outcomes:forget": [_p()],
    "mentoring:outcomes:milestones": [_p(o.MilestoneForm, o.StartAgainForm)],
    "mentoring:outcomes:questionnaire": [_p(o.StartForm)],
    "mentoring:outcomes:reflection": [_p(o.ReflectionForm)],
    "mentoring:outcomes:sharing": [_p(o.SharingForm)],
    "mentoring:outcomes:start": [_p(o.StartForm)],
    "mentoring:outcomes:start_again": [_p()],
    "mentoring:outcomes:start_again_clock": [_p(o.StartAgainForm)],
    # The questions' fields are built from the questionnaire; "answer" is each one's name.
    "mentoring:outcomes:step": [_p(answer=("1", "5"), action=("skip", "next"), last=("1",))],
    "mentoring:partners:disclosure_new": [_p(pa.DisclosureForm)],
    "mentoring:partners:end_access": [_p()],
    "mentoring:partners:gate_checklist": [_p(pa.GateChecklistForm)],
    "mentoring:partners:intro": [_p(pa.IntroForm)],
    "mentoring:partners:mine": [
        _p(pa.CorrectionForm, pa.ShareBackForm, answer=YES_NO, correct=("1",), share=("1",))
    ],
    "mentoring:partners:organisation": [
        _p(pa.InviteForm, pa.AgreementForm, invite=("1",), agreement=("1",))
    ],
    "mentoring:partners:organisations": [_p(pa.OrganisationForm)],
    "mentoring:partners:refer": [_p(pa.PartnerReferralForm)],
    "mentoring:partners:review": [_p(pa.ConsentForm)],
    "mentoring:partners:shortlist": [
        _p(answer=("choose", "other", "coordinator", "next"), mentor=("1", ""))
    ],
    "mentoring:partners:letter": [_p(pa.LetterForm)],
    "mentoring:partners:named_worker_new": [_p(pa.NamedWorkerForm)],
    "mentoring:partners:remove_service": [_p()],
    "mentoring:partners:named_worker_answer": [_p(answer=YES_NO)],
    "mentoring:partners:shortlist_new": [_p(pa.ShortlistOfferForm)],
    "mentoring:match_suggest_service": [_p(service=("1", "x", ""))],
    "mentoring:refer_self": [_p(m.ReferralForm)],
    "mentoring:referral_new": [_p(m.CoordinatorReferralForm)],
    "mentoring:referral_risk": [_p(m.RiskNoteForm)],
    "mentoring:sharing": [_p(m.SharingForm)],
    "mentoring:suggestions": [_p(m.ProposeForm, m.DoNotMatchForm)],
    "mentoring:weekly_target": [_p(m.WeeklyTargetForm)],
    "calendar:settings": [_p(action=("off", "new"))],
    "notifications:mark_all_read": [_p()],
    "notifications:mark_read": [_p()],
    "notifications:phone": [_p(PhoneForm)],
    "notifications:phone_confirm": [_p(PhoneCodeForm)],
    "notifications:preferences": [_p(PreferencesForm)],
    "notifications:push_subscription": [_p(endpoint=("https://push.example/1",), keys=("{}",))],
    "notifications:sms_inbound": [_p(From=("+447700900123",), Body=("STOP",), MessageSid=("S",))],
    "notifications:sms_status": [
        _p(MessageSid=("S",), MessageStatus=("failed",), ErrorCode=("1",))
    ],
    "notifications:texts": [_p(texts=("stop", "start"))],
    "safeguarding:raise": [_p(RaiseConcernForm)],
    "safeguarding:update": [
        Post(forms=(UrgencyForm,), kwargs={"step": "urgency"}),
        Post(forms=(AssignForm,), kwargs={"step": "assign"}),
        Post(forms=(ActionForm,), kwargs={"step": "action"}),
        Post(forms=(CloseForm,), kwargs={"step": "close"}),
        Post(forms=(ActionForm,), kwargs={"step": "nonsense"}),
    ],
    "stories:review": [_p(decision=("approve", "reject"), comment=("ok",))],
    "stories:share": [_p(ShareStoryForm)],
    "stories:withdraw": [_p(confirm=("yes", "no"))],
    "volunteering:add_dbs_check": [_p(v.DBSCheckForm)],
    "volunteering:add_reference": [_p(v.ReferenceForm)],
    "volunteering:add_training": [_p(v.TrainingForm)],
    "volunteering:apply": [_p(v.ApplyForm)],
    "volunteering:approvals": [_p(v.DecideHoursForm)],
    "volunteering:cancel_shift": [_p()],
    "volunteering:change_shift": [_p(v.ShiftChangeForm)],
    "volunteering:move_stage": [_p(v.StageForm)],
    "volunteering:my_hours": [_p(v.LogHoursForm), _get(shift=("1",))],
    "volunteering:my_training": [_p(v.TrainingForm)],
    "volunteering:new_risk_assessment": [_p(v.RiskAssessmentForm)],
    "volunteering:new_shift": [_p(v.ShiftForm)],
    "volunteering:record_step": [_p(v.StepForm)],
    "volunteering:reference_received": [_p(v.ReferenceReceivedForm)],
    "volunteering:shift_sign_up": [_p(v.ShiftSignupForm)],
    "volunteering:shift_withdraw": [_p()],
    "volunteering:verify_training": [_p(action=("revoke", "verify"))],
}

# Form classes of ours that no view of ours posts (someone else's view does).
NOT_POSTED_TO_OUR_VIEWS = {
    "accounts.forms.SignupForm": "allauth's sign-up view",
    "cms.forms.ImageForm": "Wagtail's image admin",
    "cms.forms.DirectoryFilterForm": "the directory page's GET filters (Wagtail's page view)",
    "stories.admin_forms.StoryPageForm": "Wagtail's page editor",
    "stories.admin_forms.StoryConsentForm": "Wagtail's snippet editor",
}

# Tables a refused post may still write to ("*": from any URL), and why.
WRITES_ON_REFUSAL = {
    ("*", "accounts_auditevent"): "the audit trail records refused attempts too",
    # Showing the page again (as a GET does) makes the empty profile a first visit lacks.
    ("accounts:profile", "accounts_profile"): "an empty profile, made on the first visit",
    # The room is shown again with the refusal: what it shows is marked read, as on a GET.
    ("chat:room", "chat_membership"): "the read position of the messages shown",
}


# --- Finding what takes a POST ------------------------------------------------------------------


def _callbacks() -> dict[str, object]:
    return named_views()


def _allowed_methods(callback) -> set[str] | None:
    """The methods of require_http_methods/require_POST/require_GET, if the view has one."""
    view = callback
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(x, str) and x.isupper() for x in value)
            ):
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return None


def accepts_post(callback) -> bool:
    methods = _allowed_methods(callback)
    if methods is not None:
        return "POST" in methods
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    view = inspect.unwrap(callback)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    return bool(re.search(r"request\.(POST|method)", source))


def _our_form_classes() -> set[str]:
    found = set()
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in OUR_MODULES:
            continue
        root = pathlib.Path(config.path)
        for path in root.rglob("*forms.py"):
            if "migrations" in path.parts:
                continue
            module_name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
            module = importlib.import_module(module_name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, django_forms.BaseForm)
                    and value.__module__ == module_name
                ):
                    found.add(f"{module_name}.{value.__name__}")
    return found


def test_every_url_that_takes_a_post_has_a_row():
    callbacks = _callbacks()
    ours = our_url_names()
    posting = {name for name in ours if accepts_post(callbacks[name])}
    posted = {name for name, posts in FORMS.items() if any(p.method == "post" for p in posts)}
    missing = sorted(posting - posted)
    stale = sorted(set(FORMS) - ours)
    assert len(posting) > 100, "the walk found too few views that take a POST"
    assert not missing, f"URL names that take a POST with no row in FORMS: {missing}"
    assert not stale, f"rows in FORMS for URL names that are gone: {stale}"


def test_every_form_of_ours_is_fuzzed():
    named = {
        f"{form.__module__}.{form.__name__}"
        for posts in FORMS.values()
        for post in posts
        for form in post.forms
    }
    left = sorted(_our_form_classes() - named - set(NOT_POSTED_TO_OUR_VIEWS))
    assert not left, f"form classes no row of FORMS posts: {left}"


# --- Junk -----------------------------------------------------------------------------------------

# A browser cannot send a lone surrogate (and the test client cannot encode one).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=120)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\x00\x01\x1b[31m",
        "a\u202eevil",
        "\u200b",
        "ﬁle ＳＵＩＣＩＤＥ",
        "line\r\nInjected: header",
        "<script>alert(1)</script>",
        "x" * 100_000,
        "-1",
        "0",
        "²",
        "1e309",
        "NaN",
        "99999999999999999999999999999",
        "9223372036854775808",
        "-9223372036854775809",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2026-02-30",
        "2026-13-01",
        "31/12/9999",
        "24:00",
        "23:61",
        "9999-12-31T23:59",
        "9999-12-31 23:59:59",
        "true",
        "on",
        "[]",
        "{}",
    ]
)
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str) | st.floats().map(str)
DATES = st.dates().map(lambda d: d.isoformat()) | st.datetimes().map(lambda d: d.isoformat())


def _scalar(extra: st.SearchStrategy | None = None) -> st.SearchStrategy:
    options = [ANY_TEXT, SPECIAL, NUMBERS, DATES]
    if extra is not None:
        options.insert(0, extra)
    return st.one_of(*options)


def _known_values(form_field) -> list[str]:
    """Values the field would accept: its choices, or ids of rows it may point at."""
    if isinstance(form_field, django_forms.ModelChoiceField):
        if form_field.queryset is None:  # set when the form is made
            return ["1", "2"]
        model = form_field.queryset.model
        return [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk")[:6]]
    choices = getattr(form_field, "choices", None)
    if choices:
        flat = []
        for value, label in choices:
            if isinstance(label, list | tuple):
                flat += [str(v) for v, _ in label]
            else:
                flat.append(str(value))
        return [value for value in flat if value][:20]
    if isinstance(form_field, django_forms.BooleanField):
        return ["on", "true", "1"]
    return []


def _field_values(form_field) -> st.SearchStrategy:
    known = _known_values(form_field)
    scalar = _scalar(st.sampled_from(known) if known else None)
    if isinstance(form_field, django_forms.FileField):
        uploads = st.tuples(
            st.sampled_from(["a.png", "a.jpg", "a.pdf", "a.exe", "", "../../etc/passwd"]),
            st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"\xff\xd8\xff"]),
            st.binary(max_size=200),
        ).map(lambda t: ("file", t))
        return uploads | scalar
    # Several values where one is expected (and one where several are).
    return scalar | st.lists(scalar, min_size=0, max_size=3)


def _fields_of(post: Post) -> dict[str, object]:
    fields: dict[str, object] = {}
    for form_class in post.forms:
        fields.update(form_class.base_fields)
    return fields


def _strategy(post: Post) -> st.SearchStrategy:
    optional = {name: _field_values(f) for name, f in _fields_of(post).items()}
    for name, values in post.extra.items():
        optional[name] = _scalar(st.sampled_from(values)) | st.lists(_scalar(), max_size=2)
    return st.fixed_dictionaries(
        {}, optional={**optional, "unexpected": _scalar()} if optional else {"x": _scalar()}
    )


def _materialise(data: dict) -> dict:
    """Uploads become files (made fresh: a file is read once)."""
    out = {}
    for name, value in data.items():
        if isinstance(value, tuple) and value[0] == "file":
            filename, head, body = value[1]
            out[name] = SimpleUploadedFile(filename or "x", head + body)
        else:
            out[name] = value
    return out


# --- Who posts, and what changed ------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo world, built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(django_settings)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _poster(url_name: str, relations: dict[int, str], world):
    """The first person the table allows to use the URL, the record's own people first; when
    the table allows nobody (a provider's signature, a state the demo lacks), the mentee."""
    rule = POLICY.get(url_name, frozenset())
    people = list(world.people.values())
    people.sort(key=lambda user: relations.get(user.pk) is None)
    for user in people:
        if expected(rule, user, relations.get(user.pk)):
            return user
    return None if url_name.startswith("notifications:sms_") else world.people[Role.MENTEE]


def _our_tables(url_name: str = "*") -> set[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.split(".")[0] in OUR_MODULES
    }
    return tables - {table for name, table in WRITES_ON_REFUSAL if name in ("*", url_name)}


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)


class Writes:
    """Every INSERT, UPDATE or DELETE on one of our tables while it is on."""

    def __init__(self, tables: set[str]):
        self.tables, self.seen = tables, []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(1) in self.tables:
            self.seen.append(sql[:120])
        return execute(sql, params, many, context)


def _refused(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    if any(message.level >= message_levels.ERROR for message in queued):
        return True
    if response.status_code == 200 and response.context is not None:
        contexts = response.context if isinstance(response.context, list) else [response.context]
        for context in contexts:
            for value in context.flatten().values():
                if isinstance(value, django_forms.BaseForm) and value.is_bound and value.errors:
                    return True
    return False


CASES = [
    pytest.param(url_name, index, id=f"{url_name}#{index}" if len(posts) > 1 else url_name)
    for url_name, posts in sorted(FORMS.items())
    for index in range(len(posts))
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "index"), CASES)
def test_junk_never_fails_and_a_refusal_changes_nothing(world, url_name, index):
    post = FORMS[url_name][index]
    kwargs, relations = target(url_name, _route_kwargs(url_name), world)
    kwargs.update(post.kwargs)
    url = reverse(url_name, kwargs=kwargs)
    user = _poster(url_name, relations, world)
    tables = _our_tables(url_name)
    junk = _strategy(post)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def fuzz(data):
        fields = data.draw(junk, label="fields")
        for cache in caches.all():
            cache.clear()  # a rate limit left by the last example would refuse everything
        with transaction.atomic():
            client = Client()
            if user is not None:
                client.force_login(user)
            writes = Writes(tables)
            with connection.execute_wrapper(writes):
                send = client.get if post.method == "get" else client.post
                response = send(url, _materialise(fields))
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{url_name}: {response.status_code} for {fields!r}"
        if post.method == "get" or _refused(response):
            assert not writes.seen, f"{url_name}: refused {fields!r} but wrote {writes.seen}"

    fuzz()


@pytest.mark.django_db
def test_the_writes_recorder_sees_our_tables(world):
    # The check above can only fail if the recorder notices writes: it must see this one.
    from accounts.models import User

    writes = Writes(_our_tables())
    with transaction.atomic(), connection.execute_wrapper(writes):
        User.objects.filter(pk=world.people[Role.MENTEE].pk).update(display_name="Jay")
        transaction.set_rollback(True)
    assert writes.seen
