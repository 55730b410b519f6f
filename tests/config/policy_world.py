"""The demo world the access-policy test runs in, and who stands in which relation to what.

``seed_demo`` gives one person per role and a year of history (Jay is mentored by Sam; Priya
volunteers; Alex moderates the recovery group). This adds what the demo lacks (a concern, a risk
assessment, a notice) and names, for each URL name, the object its URL points at and who is
"the person it belongs to" and "their mentor" for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from accounts.roles import Role

OWNER = "owner"
THEIR_MENTOR = "their_mentor"
ROOM_MEMBER = "room_member"
ROOM_MODERATOR = "room_moderator"
AUTHOR = "author"
THEIR_PARTNER = "their_partner"
ANYONE_ELSE = "anyone_else"


@dataclass
class World:
    people: dict[str, User]
    objects: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]


def build_world(settings) -> World:
    settings.DEBUG = True
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    settings.DEBUG = False
    people = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    for user in people.values():
        user.forget_roles()
    world = World(people=people)
    _find_objects(world)
    return world


def _find_objects(world: World) -> None:
    from chat.models import Membership, Message, Room
    from cms.models import EventPage
    from mentoring.models import Goal, GoalStep, Match, Meeting, Referral
    from notifications.models import CalendarFeed, Notification
    from safeguarding.models import Concern
    from stories.models import StoryPage
    from volunteering.models import DBSCheck, Reference, Shift, TrainingCompletion

    jay, sam = world.people[Role.MENTEE], world.people[Role.PEER_MENTOR]
    priya, dee = world.people[Role.VOLUNTEER], world.people[Role.COORDINATOR]
    o = world.objects
    o["match"] = Match.objects.get(mentee=jay, mentor=sam)
    o["meeting"] = Meeting.objects.filter(match=o["match"]).order_by("-starts_at").first()
    o["referral"] = Referral.objects.filter(person=jay).first()
    o["goal_step"] = GoalStep.objects.filter(goal__mentee=jay).select_related("goal").first()
    o["goal"] = o["goal_step"].goal if o["goal_step"] else Goal.objects.filter(mentee=jay).first()
    o["shift"] = Shift.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    o["training"] = TrainingCompletion.objects.filter(user=priya).first()
    o["dbs"] = DBSCheck.objects.filter(volunteer=priya).first() or DBSCheck.objects.first()
    o["reference"] = Reference.objects.filter(volunteer=priya).first() or (
        Reference.objects.create(volunteer=priya, referee_name="A former manager")
    )
    o["room"] = Room.objects.first()
    o["message"] = Message.objects.filter(room=o["room"], author=jay).first() or (
        Message.objects.filter(room=o["room"]).first()
    )
    o["event"] = EventPage.objects.live().filter(start__gte=timezone.now()).first()
    o["story"] = StoryPage.objects.first()
    o["concern"] = Concern.objects.create(
        raised_by=sam, subject_label="Jay", summary="Worried after the meeting"
    )
    o["notification"] = Notification.objects.create(
        recipient=jay, kind="notifications.text_reply", key="policy", url="/me/", title="A notice"
    )
    o["risk_assessment"] = _risk_assessment(o["dbs"], dee)
    if o["training"] is not None and not o["training"].certificate:
        o["training"].certificate.save("certificate.txt", ContentFile(b"certificate"), save=False)
        o["training"].certificate_type = "text/plain"
        o["training"].save()
    o["calendar_feed"] = CalendarFeed.objects.get_or_create(user=jay)[0]
    o["review"] = _story_review(jay, world.people[Role.INVOLVEMENT_LEAD])
    _more_objects(world)
    memberships = Membership.objects.filter(room=o["room"])
    o["room_moderators"] = set(
        memberships.filter(role="moderator").values_list("user_id", flat=True)
    )
    o["room_members"] = set(
        Membership.objects.filter(room=o["room"]).values_list("user_id", flat=True)
    )


def _more_objects(world: World) -> None:
    """Records of the newer pages: crises and sanctions in chat, outcomes, partners."""
    from accounts.organisations import Organisation, PartnerWorker
    from chat.models import CheckInWording, JoinRequest, OnCallShift, Sanction, WeeklyOnCall
    from chat.services import crisis, post_message
    from mentoring.models import Referral
    from mentoring.outcomes.models import MilestoneClock, Response
    from mentoring.partners.models import PartnerReferral, Shortlist

    o, people = world.objects, world.people
    jay, alex = people[Role.MENTEE], people[Role.MODERATOR]
    room = o["room"]
    post_message(room=room, author=jay, body="I want to end my life", client_id="policy-1")
    o["crisis"] = crisis.CrisisItem.objects.filter(room=room, person=jay).first()
    o["check_in"] = crisis.send_check_in(item=o["crisis"], by=alex, body="Are you safe?")
    o["wording"] = CheckInWording.objects.first()
    o["on_call"] = OnCallShift.objects.create(
        person=alex, starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(hours=8)
    )
    o["weekly_on_call"] = WeeklyOnCall.objects.create(
        person=alex,
        weekday=0,
        starts=timezone.datetime.min.time(),
        ends=timezone.datetime.max.time(),
    )
    asker = people[Role.INVOLVEMENT_LEAD]
    o["join_request"] = JoinRequest.objects.create(room=room, user=asker)
    o["sanction"] = Sanction.objects.create(
        room=room, user=jay, level="warning", reason="Be kind", by=alex
    )
    o["response"] = Response.objects.filter(person=jay).first() or Response.objects.create(
        person=jay, questionnaire="how-things-are"
    )
    o["clock"] = MilestoneClock.objects.get_or_create(
        person=jay, kind="recovery", defaults={"started_on": timezone.localdate()}
    )[0]
    o["partner_referral"] = PartnerReferral.objects.first()
    o["organisation"] = Organisation.objects.first()
    o["partner_worker"] = PartnerWorker.objects.first()
    o["shortlist"] = Shortlist.objects.filter(referral__person=jay).first()
    Referral.objects.filter(pk=o["referral"].pk).update(
        release_date=timezone.localdate() + timezone.timedelta(days=10)
    )
    o["release_referral"] = o["referral"]
    # A service Sam added to Jay's My people, and a worker there waiting for Jay's OK.
    from mentoring.models import SuggestedService
    from mentoring.partners.models import NamedWorker

    o["suggested_service"] = SuggestedService.objects.create(
        mentee=jay, service_id=999_999, suggested_by=people[Role.PEER_MENTOR]
    )
    o["named_worker"] = NamedWorker.objects.create(
        service=o["suggested_service"], name="Kim", role="Housing officer", how_to_reach="Desk 3"
    )


def _story_review(storyteller, involvement_lead):
    """A story waiting for its storyteller's approval (Wagtail's workflow, as in the admin)."""
    from tests.cms import factories

    story = factories.story(storyteller=storyteller, publish=False)
    return story.get_workflow().start(story, involvement_lead).current_task_state


def _risk_assessment(dbs, coordinator):
    from volunteering.models import RiskAssessment, RiskDecision, VolunteerRole

    return RiskAssessment.objects.create(
        dbs_check=dbs,
        role=VolunteerRole.objects.first(),
        assessor=coordinator,
        decision=RiskDecision.values[0],
        notes="policy test",
    )


def target(url_name: str, route_kwargs: list[str], world: World) -> tuple[dict, dict[int, str]]:
    """The kwargs of ``url_name``'s URL in the demo world, and each person's relation to it."""
    o, people = world.objects, world.people
    jay, sam = people[Role.MENTEE], people[Role.PEER_MENTOR]
    priya = people[Role.VOLUNTEER]
    app = url_name.split(":")[0]
    mentee_side = {jay.pk: OWNER, sam.pk: THEIR_MENTOR}
    relations: dict[int, str] = {}
    kwargs: dict = {}
    for name in route_kwargs:
        kwargs[name] = _value(url_name, name, world)
    if not kwargs:
        relations = {}  # a list or form of one's own: roles decide, not relations
    elif app == "mentoring" and (
        not url_name.startswith("mentoring:partners:") or url_name in PARTNER_MATCH_URLS
    ):
        relations = mentee_side
    elif app == "volunteering" and (url_name in OWN_RECORDS or "user_pk" in kwargs):
        relations = {priya.pk: OWNER}
    elif app == "notifications":
        relations = {jay.pk: OWNER}
    elif app == "accounts" and "pk" in kwargs:
        relations = {jay.pk: OWNER}
    elif app == "safeguarding":
        relations = {sam.pk: AUTHOR}
    elif url_name == "stories:review":
        relations = {jay.pk: OWNER}
    elif url_name.startswith("mentoring:partners:") and o["partner_referral"] is not None:
        referral = o["partner_referral"]
        relations = {referral.worker_id: THEIR_PARTNER}
        if referral.person_id:
            relations[referral.person_id] = OWNER
    elif url_name in ("chat:check_in", "chat:appeal"):
        relations = {jay.pk: OWNER}
    elif url_name in (
        "chat:delete_check_in_wording",
        "chat:remove_shift",
        "chat:remove_weekly_slot",
    ):
        relations = {}
    elif app == "chat" and ("pk" in kwargs or "user_id" in kwargs):
        relations = dict.fromkeys(o["room_members"], ROOM_MEMBER)
        relations.update(dict.fromkeys(o["room_moderators"], ROOM_MODERATOR))
        if url_name in MESSAGE_URLS and o["message"] is not None:
            relations[o["message"].author_id] = AUTHOR
        if "user_id" in kwargs and url_name == "chat:mute_for_me":
            relations[kwargs["user_id"]] = ANYONE_ELSE  # nobody mutes themself
    elif app == "stories" and o["story"] is not None and o["story"].storyteller_id:
        relations = {o["story"].storyteller_id: OWNER}
    return kwargs, relations


# Partner pages about a match and the mentee's own people, not about a partner's referral.
PARTNER_MATCH_URLS = {
    "mentoring:partners:letter",
    "mentoring:partners:named_worker_new",
    "mentoring:partners:remove_service",
    "mentoring:partners:named_worker_answer",
}
OWN_RECORDS = {"volunteering:certificate", "volunteering:verify_training"}
MESSAGE_URLS = {"chat:edit", "chat:delete", "chat:report", "chat:moderate_message", "chat:concern"}

# (URL name or "*", kwarg) -> how to find the value in the world.
_VALUES = {
    ("accounts:person_roles", "pk"): lambda w: w.people[Role.MENTEE].pk,
    ("notifications:*", "pk"): lambda w: w["notification"].pk,
    ("safeguarding:*", "pk"): lambda w: w["concern"].pk,
    ("safeguarding:update", "step"): lambda w: "urgency",
    ("volunteering:certificate", "pk"): lambda w: w["training"].pk,
    ("volunteering:verify_training", "pk"): lambda w: w["training"].pk,
    ("volunteering:*", "user_pk"): lambda w: w.people[Role.VOLUNTEER].pk,
    ("volunteering:reference_received", "pk"): lambda w: w["reference"].pk,
    ("volunteering:new_risk_assessment", "dbs_pk"): lambda w: w["dbs"].pk,
    ("volunteering:risk_assessment", "pk"): lambda w: w["risk_assessment"].pk,
    ("volunteering:*", "pk"): lambda w: w["shift"].pk,
    ("calendar:feed", "token"): lambda w: w["calendar_feed"].token,
    ("earlier_meetings_feed", "token"): lambda w: w["calendar_feed"].token,
    ("earlier_shifts_feed", "token"): lambda w: w["calendar_feed"].token,
    ("mentoring:referral", "pk"): lambda w: w["referral"].pk,
    ("mentoring:referral_risk", "pk"): lambda w: w["referral"].pk,
    ("mentoring:suggestions", "pk"): lambda w: w["referral"].pk,
    ("mentoring:do_not_match", "pk"): lambda w: w["referral"].pk,
    ("mentoring:goal", "pk"): lambda w: w["goal"].pk,
    ("mentoring:goal_step", "pk"): lambda w: w["goal"].pk,
    ("mentoring:goal_step", "step_pk"): lambda w: w["goal_step"].pk,
    ("mentoring:meeting", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:meeting_status", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:meeting_notes", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:meeting_concern", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:meeting_ics", "pk"): lambda w: w["meeting"].pk,
    # A meeting's id, not the match's: on PostgreSQL the two differ once other tests ran.
    ("mentoring:meeting_cancel", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:meeting_move", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:*", "pk"): lambda w: w["match"].pk,
    ("chat:*", "user_id"): lambda w: w.people[Role.MENTEE].pk,
    ("chat:*", "pk"): lambda w: w["room"].pk,
    ("stories:review", "task_state_id"): lambda w: w["review"].pk,
    ("stories:*", "page_id"): lambda w: w["story"].pk,
    ("cms:*", "page_id"): lambda w: w["event"].pk,
    ("chat:appeal", "sanction_id"): lambda w: w["sanction"].pk,
    ("chat:lift_sanction", "sanction_id"): lambda w: w["sanction"].pk,
    ("chat:check_in", "pk"): lambda w: w["check_in"].pk,
    ("chat:crisis_item", "pk"): lambda w: w["crisis"].pk,
    ("chat:crisis_claim", "pk"): lambda w: w["crisis"].pk,
    ("chat:crisis_concern", "pk"): lambda w: w["crisis"].pk,
    ("chat:crisis_handled", "pk"): lambda w: w["crisis"].pk,
    ("chat:crisis_check_in", "pk"): lambda w: w["crisis"].pk,
    ("chat:decide_join", "pk"): lambda w: w["join_request"].pk,
    ("chat:remove_shift", "pk"): lambda w: w["on_call"].pk,
    ("chat:remove_weekly_slot", "pk"): lambda w: w["weekly_on_call"].pk,
    ("chat:delete_wording", "pk"): lambda w: w["wording"].pk,
    ("mentoring:outcomes:step", "pk"): lambda w: w["response"].pk,
    ("mentoring:outcomes:step", "number"): lambda w: 1,
    ("mentoring:outcomes:questionnaire", "slug"): lambda w: "how-things-are",
    ("mentoring:outcomes:feedback", "pk"): lambda w: w["meeting"].pk,
    ("mentoring:outcomes:start_again_clock", "pk"): lambda w: w["clock"].pk,
    ("mentoring:outcomes:*", "pk"): lambda w: w["match"].pk,
    ("mentoring:partners:end_access", "pk"): lambda w: w["partner_worker"].pk,
    ("mentoring:partners:organisation", "pk"): lambda w: w["organisation"].pk,
    ("mentoring:partners:gate_checklist", "pk"): lambda w: w["release_referral"].pk,
    ("mentoring:partners:shortlist_new", "pk"): lambda w: w["referral"].pk,
    ("mentoring:partners:shortlist", "pk"): lambda w: w["shortlist"].pk if w["shortlist"] else 0,
    ("mentoring:partners:letter", "pk"): lambda w: w["match"].pk,
    ("mentoring:partners:named_worker_new", "pk"): lambda w: w["match"].pk,
    ("mentoring:partners:remove_service", "pk"): lambda w: w["suggested_service"].pk,
    ("mentoring:partners:named_worker_answer", "pk"): lambda w: w["named_worker"].pk,
    ("mentoring:partners:*", "pk"): lambda w: w["partner_referral"].pk,
}


def _value(url_name: str, kwarg: str, world: World):
    app = url_name.rpartition(":")[0]
    if url_name in MESSAGE_URLS and kwarg == "pk":
        return world["message"].pk
    for key in ((url_name, kwarg), (f"{app}:*", kwarg)):
        if key in _VALUES:
            return _VALUES[key](world)
    raise LookupError(f"policy_world: say how to find {kwarg!r} for {url_name}")
