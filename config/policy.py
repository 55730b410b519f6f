"""Who may use each page and action: ONE table, for every URL name of ours.

A row names who is allowed; everyone else is refused (404, so existence never leaks; the anonymous
are sent to log in). Cells are roles (accounts.roles.Role) and relations to the record the URL
points at: the person it belongs to, their mentor, a member or moderator of the room, the author.
Each view's access helper enforces its row (``access_<thing>``, the role gates in
accounts.permissions), and tests/config/test_access_policy.py runs the whole table against the
real URL conf, as every role and relation, in the demo world.

Websocket frame types are in the same table (SOCKET_POLICY, below): the consumers are given their
rows when they are routed (config/websocket_urls.py) and ask them for every frame.
"""

from __future__ import annotations

from accounts.roles import Role

ANYONE = "anyone"  # no log-in needed (a partner worker only where the row names PARTNER too)
SIGNED_IN = "signed_in"  # any logged-in person but a partner worker (they see only PARTNER rows)
OWNER = "owner"  # the person the record belongs to
THEIR_MENTOR = "their_mentor"
ROOM_MEMBER = "room_member"
ROOM_MODERATOR = "room_moderator"
AUTHOR = "author"
THEIR_PARTNER = "their_partner"  # the partner worker who referred the person
RELATIONS = frozenset({OWNER, THEIR_MENTOR, ROOM_MEMBER, ROOM_MODERATOR, AUTHOR, THEIR_PARTNER})

MENTEE = Role.MENTEE.value
PEER_MENTOR = Role.PEER_MENTOR.value
VOLUNTEER = Role.VOLUNTEER.value
COORDINATOR = Role.COORDINATOR.value
SAFEGUARDING_LEAD = Role.SAFEGUARDING_LEAD.value
MODERATOR = Role.MODERATOR.value
INVOLVEMENT_LEAD = Role.INVOLVEMENT_LEAD.value
ADMIN = Role.ADMIN.value
PARTNER = Role.PARTNER.value

OUR_MODULES = {
    "accounts",
    "notifications",
    "safeguarding",
    "volunteering",
    "mentoring",
    "chat",
    "stories",
    "cms",
    "impact",
}


def allow(*cells: str) -> frozenset[str]:
    return frozenset(cells)


# Written from what each page does in the demo world (tests/config/test_access_policy.py can
# print that with POLICY_OBSERVE) and read cell by cell; the test holds the code to it.
POLICY: dict[str, frozenset[str]] = {
    "accounts:delete_account": allow(SIGNED_IN),
    "accounts:my_data": allow(SIGNED_IN, PARTNER),
    "accounts:my_data_download": allow(SIGNED_IN, PARTNER),
    "accounts:people": allow(ADMIN, COORDINATOR),
    "accounts:person_roles": allow(ADMIN, COORDINATOR),
    "accounts:profile": allow(SIGNED_IN, PARTNER),
    "accounts:today": allow(SIGNED_IN, PARTNER),
    # The one calendar: the page with the person's own address, and the feed, whose secret
    # address is its only key (the earlier meetings and shifts addresses serve the same feed).
    "calendar:feed": allow(ANYONE),
    "calendar:settings": allow(SIGNED_IN),
    "chat:add_member": allow(ROOM_MODERATOR),
    "chat:appeal": allow(OWNER),
    "chat:check_in": allow(OWNER),
    "chat:check_in_wordings": allow(ADMIN, COORDINATOR, MODERATOR),
    "chat:concern": allow(ROOM_MODERATOR),
    "chat:crisis_check_in": allow(ADMIN, COORDINATOR, ROOM_MODERATOR, SAFEGUARDING_LEAD),
    "chat:crisis_claim": allow(ADMIN, COORDINATOR, ROOM_MODERATOR, SAFEGUARDING_LEAD),
    "chat:crisis_concern": allow(ADMIN, COORDINATOR, ROOM_MODERATOR, SAFEGUARDING_LEAD),
    "chat:crisis_handled": allow(ADMIN, COORDINATOR, ROOM_MODERATOR, SAFEGUARDING_LEAD),
    "chat:crisis_item": allow(ADMIN, COORDINATOR, ROOM_MODERATOR, SAFEGUARDING_LEAD),
    "chat:crisis_items": allow(ADMIN, COORDINATOR, MODERATOR, SAFEGUARDING_LEAD),
    "chat:decide_join": allow(ROOM_MODERATOR),
    "chat:delete": allow(AUTHOR),
    "chat:delete_check_in_wording": allow(ADMIN, COORDINATOR, MODERATOR),
    "chat:delete_filter": allow(ADMIN, ROOM_MODERATOR),
    "chat:edit": allow(AUTHOR),
    "chat:end_break": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "chat:filters": allow(ADMIN, MODERATOR),
    "chat:floor": allow(),  # the chair in meeting mode; the demo room has no meeting on
    "chat:lower_hand": allow(),  # the chair in meeting mode, as chat:floor
    "chat:hand": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "chat:history": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "chat:join": allow(SIGNED_IN),
    "chat:leave": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "chat:lift_sanction": allow(ROOM_MODERATOR),
    "chat:moderate": allow(ROOM_MODERATOR),
    "chat:moderate_message": allow(ROOM_MODERATOR),
    "chat:moderate_bulk": allow(ROOM_MODERATOR),
    "chat:mute_for_me": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "chat:new_room": allow(ADMIN, COORDINATOR),
    "chat:on_call": allow(ADMIN, COORDINATOR, MODERATOR),
    "chat:remove_shift": allow(ADMIN, COORDINATOR, MODERATOR),
    "chat:remove_weekly_slot": allow(ADMIN, COORDINATOR, MODERATOR),
    "chat:report": allow(AUTHOR, ROOM_MEMBER, ROOM_MODERATOR),
    "chat:room": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "chat:room_settings": allow(ROOM_MODERATOR),
    "chat:rooms": allow(SIGNED_IN),
    "chat:sanction": allow(ROOM_MODERATOR),
    "chat:take_break": allow(ROOM_MEMBER, ROOM_MODERATOR),
    "cms:event_attendees": allow(ADMIN, COORDINATOR),
    "cms:event_attendees_csv": allow(ADMIN, COORDINATOR),
    "cms:event_cancel": allow(SIGNED_IN),
    "cms:event_ics": allow(ANYONE),
    "cms:event_register": allow(SIGNED_IN),
    "cms:events_ics": allow(ANYONE),
    "cms:directory": allow(ANYONE),
    "cms:glossary": allow(ANYONE),
    "cms:ping": allow(ANYONE),
    "cms:search": allow(ANYONE),
    "impact:missed_twice": allow(COORDINATOR),
    "impact:no_recent_shift": allow(COORDINATOR),
    "impact:report": allow(ADMIN, COORDINATOR),
    "earlier_meetings_feed": allow(ANYONE),
    "earlier_shifts_feed": allow(ANYONE),
    "manifest": allow(ANYONE, PARTNER),
    "mentoring:check_in": allow(MENTEE),
    "mentoring:do_not_match": allow(COORDINATOR),
    "mentoring:goal": allow(COORDINATOR, OWNER),
    "mentoring:goal_step": allow(OWNER),
    "mentoring:goals": allow(MENTEE),
    "mentoring:home": allow(SIGNED_IN),
    "mentoring:journey": allow(MENTEE),
    "mentoring:match": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:match_agree": allow(OWNER),
    "mentoring:match_answer": allow(THEIR_MENTOR),
    "mentoring:match_end": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:match_pause": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:match_resume": allow(COORDINATOR, THEIR_MENTOR),
    "mentoring:match_suggest_service": allow(THEIR_MENTOR),
    "mentoring:meeting": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:meeting_cancel": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:meeting_concern": allow(COORDINATOR, THEIR_MENTOR),
    "mentoring:meeting_ics": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:meeting_move": allow(COORDINATOR, OWNER, THEIR_MENTOR),
    "mentoring:meeting_new": allow(COORDINATOR, THEIR_MENTOR),
    "mentoring:meeting_notes": allow(THEIR_MENTOR),
    "mentoring:meeting_status": allow(COORDINATOR, THEIR_MENTOR),
    "mentoring:outcomes:close": allow(COORDINATOR),
    "mentoring:outcomes:feedback": allow(OWNER, THEIR_MENTOR),
    "mentoring:outcomes:forget": allow(MENTEE),
    "mentoring:outcomes:match_self_checks": allow(COORDINATOR, THEIR_MENTOR),
    "mentoring:outcomes:milestones": allow(MENTEE, PEER_MENTOR),
    "mentoring:outcomes:mine": allow(MENTEE),
    "mentoring:outcomes:needs_check_in": allow(COORDINATOR),
    "mentoring:outcomes:questionnaire": allow(MENTEE, OWNER),
    "mentoring:outcomes:reflection": allow(OWNER, THEIR_MENTOR),
    "mentoring:outcomes:sharing": allow(MENTEE),
    "mentoring:outcomes:start": allow(MENTEE),
    "mentoring:outcomes:start_again": allow(OWNER, THEIR_MENTOR),
    "mentoring:outcomes:start_again_clock": allow(OWNER),
    "mentoring:outcomes:step": allow(),  # REVIEW: the person answering; the demo answer is not open
    "mentoring:outcomes:time_to_help": allow(COORDINATOR),
    "mentoring:partners:coming_out": allow(COORDINATOR),
    "mentoring:partners:disclosure_new": allow(COORDINATOR),
    "mentoring:partners:end_access": allow(COORDINATOR),
    "mentoring:partners:gate_checklist": allow(COORDINATOR),
    "mentoring:partners:inbox": allow(COORDINATOR),
    "mentoring:partners:intro": allow(PEER_MENTOR),
    # the referred person; the demo partner referral has no account yet
    "mentoring:partners:mine": allow(),
    "mentoring:partners:organisation": allow(COORDINATOR),
    "mentoring:partners:organisations": allow(COORDINATOR),
    "mentoring:partners:refer": allow(PARTNER),
    "mentoring:partners:referrals": allow(PARTNER),
    "mentoring:partners:register": allow(SAFEGUARDING_LEAD),
    "mentoring:partners:review": allow(COORDINATOR),
    # the mentee it was offered to; the demo has no shortlist
    "mentoring:partners:shortlist": allow(),
    # A letter to someone still inside: their mentor (and coordinators) while before release.
    "mentoring:partners:letter": allow(COORDINATOR, THEIR_MENTOR),
    # Local services on My people: the mentee removes one, and says yes or no to a named worker
    # her mentor proposes there.
    "mentoring:partners:named_worker_new": allow(THEIR_MENTOR),
    "mentoring:partners:remove_service": allow(OWNER),
    "mentoring:partners:named_worker_answer": allow(OWNER),
    "mentoring:partners:shortlist_new": allow(COORDINATOR),
    "mentoring:partners:status": allow(THEIR_PARTNER),
    "mentoring:people": allow(MENTEE),
    "mentoring:refer_self": allow(SIGNED_IN),
    "mentoring:referral": allow(COORDINATOR, OWNER),
    "mentoring:referral_new": allow(COORDINATOR),
    "mentoring:referral_risk": allow(COORDINATOR),
    "mentoring:referrals": allow(COORDINATOR),
    "mentoring:sharing": allow(MENTEE),
    "mentoring:suggestions": allow(COORDINATOR),
    "mentoring:weekly_target": allow(MENTEE),
    "notifications:inbox": allow(SIGNED_IN, PARTNER),
    "notifications:mark_all_read": allow(SIGNED_IN, PARTNER),
    "notifications:mark_read": allow(OWNER),
    "notifications:open": allow(OWNER),
    "notifications:phone": allow(SIGNED_IN),
    "notifications:phone_confirm": allow(SIGNED_IN),
    "notifications:preferences": allow(SIGNED_IN, PARTNER),
    "notifications:push_subscription": allow(SIGNED_IN),
    # only the text provider, by its signature: every person is refused
    "notifications:sms_inbound": allow(),
    # only the text provider, by its signature: every person is refused
    "notifications:sms_status": allow(),
    "notifications:texts": allow(SIGNED_IN),
    "offline": allow(ANYONE, PARTNER),
    "safeguarding:detail": allow(SAFEGUARDING_LEAD),
    "safeguarding:list": allow(SAFEGUARDING_LEAD),
    "safeguarding:raise": allow(
        ADMIN,
        COORDINATOR,
        INVOLVEMENT_LEAD,
        MENTEE,
        MODERATOR,
        PEER_MENTOR,
        SAFEGUARDING_LEAD,
        VOLUNTEER,
    ),
    "safeguarding:update": allow(SAFEGUARDING_LEAD),
    "service_worker": allow(ANYONE, PARTNER),
    "sitemap": allow(ANYONE),
    "stories:feed": allow(ANYONE),
    "stories:review": allow(OWNER),
    "stories:share": allow(SIGNED_IN),
    "stories:withdraw": allow(INVOLVEMENT_LEAD, OWNER),
    "volunteering:add_dbs_check": allow(COORDINATOR),
    "volunteering:add_reference": allow(COORDINATOR),
    "volunteering:add_training": allow(COORDINATOR),
    "volunteering:apply": allow(SIGNED_IN),
    "volunteering:approvals": allow(COORDINATOR),
    "volunteering:cancel_shift": allow(COORDINATOR),
    "volunteering:certificate": allow(COORDINATOR, OWNER),
    "volunteering:change_shift": allow(COORDINATOR),
    "volunteering:home": allow(SIGNED_IN),
    "volunteering:move_stage": allow(COORDINATOR),
    "volunteering:my_hours": allow(PEER_MENTOR, VOLUNTEER),
    "volunteering:my_record": allow(PEER_MENTOR, VOLUNTEER),
    "volunteering:my_training": allow(PEER_MENTOR, VOLUNTEER),
    "volunteering:new_risk_assessment": allow(COORDINATOR),
    "volunteering:new_shift": allow(COORDINATOR),
    "volunteering:pipeline": allow(COORDINATOR),
    "volunteering:record_step": allow(COORDINATOR),
    "volunteering:reference_received": allow(COORDINATOR),
    "volunteering:reports": allow(COORDINATOR),
    "volunteering:reports_csv": allow(COORDINATOR),
    "volunteering:risk_assessment": allow(COORDINATOR),
    "volunteering:rota": allow(COORDINATOR),
    "volunteering:shift": allow(COORDINATOR, PEER_MENTOR, VOLUNTEER),
    "volunteering:shift_ics": allow(COORDINATOR, PEER_MENTOR, VOLUNTEER),
    "volunteering:shift_sign_up": allow(COORDINATOR, PEER_MENTOR, VOLUNTEER),
    "volunteering:shift_withdraw": allow(COORDINATOR, PEER_MENTOR, VOLUNTEER),
    "volunteering:shifts": allow(PEER_MENTOR, VOLUNTEER),
    "volunteering:verify_training": allow(COORDINATOR),
    "volunteering:volunteer": allow(COORDINATOR),
}


# Websocket frames, per socket (its consumer's SOCKET): each frame type a client may send on an
# open socket and who may send it. The consumer asks frame_allowed() for every frame; a type with
# no row is unknown, and a person who may send no type at all is refused at the handshake. The
# cells are the same as above (a partner worker only where a row names PARTNER: in none, so they
# are refused every type, even if someone added them to a room). Rows are tested by
# tests/chat/test_socket_policy.py, which fails on a frame type the consumer takes and no row has.
SOCKET_POLICY: dict[str, dict[str, frozenset[str]]] = {
    "chat.room": {
        "send": allow(ROOM_MEMBER, ROOM_MODERATOR),
        "resume": allow(ROOM_MEMBER, ROOM_MODERATOR),
        "read": allow(ROOM_MEMBER, ROOM_MODERATOR),
        "ping": allow(ROOM_MEMBER, ROOM_MODERATOR),
    },
}


def frame_allowed(
    socket: str, frame_type: str, *, roles: frozenset[str], relation: str | None
) -> bool | None:
    """May a person holding ``roles``, standing in ``relation`` to the socket's record (a room
    member or moderator), send ``frame_type`` on ``socket``? None when the socket takes no such
    frame."""
    rule = SOCKET_POLICY.get(socket, {}).get(frame_type)
    if rule is None:
        return None
    if PARTNER in roles:
        return PARTNER in rule
    return SIGNED_IN in rule or (relation is not None and relation in rule) or bool(roles & rule)


def named_views() -> dict[str, object]:
    """Every named URL of the site -> its view (the first, where a name is used twice)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, object] = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, pattern.callback)

    walk(get_resolver().url_patterns, None)
    return found


def our_url_names() -> set[str]:
    """Every URL name whose view is ours (Wagtail's, allauth's and Django's admin are theirs)."""
    return {
        name
        for name, view in named_views().items()
        if (getattr(view, "__module__", "") or "").split(".")[0] in OUR_MODULES
    }
