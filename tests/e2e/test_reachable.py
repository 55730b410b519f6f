"""Every page a person may use is reached from their Today page by links alone.

For each demo person (``manage.py seed_demo``: one per role, and someone who signed up themself
and holds no role yet) the Django test client starts at Today and follows every link it is shown
(``<a href>`` on each page reached, redirects, and the GET forms' actions), never logging out,
never leaving the site, never pressing a POST button: a POST form's action counts as offered
when it is an address of the site that does not refuse the person (asked for once with a GET,
rolled back; a POST-only view answers 405, a page shut to them 404). Each page reached is named
by ``django.urls.resolve``. The world is ``tests/config/policy_world.py``'s (``seed_demo`` and a
little more: a crisis item, a concern, a notice, a story waiting for its storyteller).

It fails when:

- a role does not reach a URL name its row in ``REACHES`` lists (nothing links to that page);
- a URL name of the project is in no role's row and not in ``NOT_BY_LINKS`` (a new page must say
  who reaches it, or why nobody does by a link);
- a link shown to someone answers 4xx or 5xx, or a button shown to them posts to an address
  that refuses them (a door shown to a person must open).

Bounded: each address once per person, at most ``PER_NAME`` addresses of one URL name (detail
pages; ``PER_WAGTAIL_PAGES`` of the site's Wagtail pages); Wagtail's and Django's admin only to
their first page. ``REACHABLE_OBSERVE=<file>`` writes what each person reached.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from accounts.roles import Role
from tests.config.policy_world import build_world
from tests.factories import person

OBSERVE = os.environ.get("REACHABLE_OBSERVE")
PER_NAME = 3
PER_WAGTAIL_PAGES = 30
NEWCOMER = "newcomer"  # signed up themself: no role yet


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.get_forms: list[str] = []
        self.post_forms: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            action = attrs.get("action") or ""
            if (attrs.get("method") or "get").lower() == "post":
                self.post_forms.append(action)
            else:
                self.get_forms.append(action)


def _ours(href: str, base: str) -> str | None:
    """The site-relative address of ``href`` (with its query), or None for another site."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "sms:", "javascript:", "webcal:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    ours = {"testserver", urlsplit(django_settings.SITE_URL).netloc}
    if parts.scheme not in ("http", "https") or parts.netloc not in ours:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


# Every signed-in person but a partner worker: their own account pages, the public site.
ACCOUNT = {
    "accounts:today",
    "accounts:profile",
    "accounts:my_data",
    "accounts:my_data_download",
    "accounts:delete_account",
    "notifications:inbox",
    "notifications:preferences",
    "notifications:phone",
    "account_email",
    "account_change_password",
    "account_reset_password",
    "account_reauthenticate",
    "mfa_index",
    "usersessions_list",
}
# Staff must log in in two steps (seed_demo sets it up for them); others may switch it on.
TWO_STEP = {"mfa_reauthenticate", "mfa_deactivate_totp", "mfa_generate_recovery_codes"}
NO_TWO_STEP = {"mfa_activate_totp"}
PUBLIC = {
    "wagtail_serve",
    "cms:glossary",
    "cms:search",
    "cms:events_ics",
    "cms:event_ics",
    "cms:event_register",
    "stories:feed",
    "stories:share",
    "chat:rooms",
}
EVERYONE = ACCOUNT | PUBLIC | {"cms:directory"}  # "Local services" in the menu
WORRY = {"safeguarding:raise"}
IN_THE_ROOM = {
    "chat:room",
    "chat:edit",
    "chat:delete",
    "chat:report",
    "chat:leave",
    "chat:take_break",
    "chat:mute_for_me",
}
CRISIS = {"chat:crisis_items", "chat:crisis_item", "chat:crisis_check_in", "chat:crisis_concern"}
CRISIS |= {"chat:crisis_handled"}
ROTA = {
    "chat:on_call",
    "chat:remove_shift",
    "chat:check_in_wordings",
    "chat:delete_check_in_wording",
}
# What a coordinator and an admin both reach: people and roles, rooms, attendees, the report.
STAFF_DESK = {
    "accounts:people",
    "accounts:person_roles",
    "chat:join",
    "chat:new_room",
    "cms:event_attendees",
    "cms:event_attendees_csv",
    "impact:report",
}
VOLUNTEER = {
    "volunteering:home",
    "volunteering:shifts",
    "volunteering:shift",
    "volunteering:shift_sign_up",
    "volunteering:my_hours",
    "volunteering:my_record",
    "volunteering:my_training",
    "volunteering:shift_ics",
    "calendar:settings",
}

# Who must reach what from Today by links (a POST action counts when its button is on a page
# reached). A role may reach more; it must reach at least these.
REACHES: dict[str, set[str]] = {
    Role.MENTEE: EVERYONE
    | NO_TWO_STEP
    | WORRY
    | IN_THE_ROOM
    | {
        "mentoring:home",
        "mentoring:match",
        "mentoring:meeting",
        "mentoring:meeting_cancel",
        "mentoring:meeting_ics",
        "calendar:settings",
        "mentoring:check_in",
        "mentoring:goals",
        "mentoring:goal",
        "mentoring:goal_step",
        "mentoring:weekly_target",
        "mentoring:journey",
        "mentoring:people",
        "mentoring:sharing",
        "mentoring:outcomes:mine",
        "mentoring:outcomes:sharing",
        "mentoring:outcomes:forget",
        "mentoring:outcomes:milestones",
        "mentoring:outcomes:start_again_clock",
        "chat:check_in",
        "chat:appeal",
        "stories:review",
        "stories:withdraw",
        "volunteering:apply",
        "notifications:open",
        "notifications:mark_read",
        "notifications:mark_all_read",
        "notifications:texts",
    },
    Role.PEER_MENTOR: EVERYONE
    | NO_TWO_STEP
    | WORRY
    | IN_THE_ROOM
    | VOLUNTEER
    | {
        "mentoring:home",
        "mentoring:match",
        "mentoring:match_pause",
        "mentoring:meeting",
        "mentoring:meeting_new",
        "mentoring:meeting_move",
        "mentoring:meeting_cancel",
        "mentoring:meeting_status",
        "mentoring:meeting_notes",
        "mentoring:meeting_concern",
        "mentoring:outcomes:match_self_checks",
        "mentoring:partners:intro",
        "mentoring:meeting_ics",
        "calendar:settings",
        "mentoring:outcomes:milestones",
        "notifications:texts",
    },
    Role.VOLUNTEER: EVERYONE
    | NO_TWO_STEP
    | WORRY
    | VOLUNTEER
    | {"volunteering:certificate", "chat:join", "notifications:texts"},
    Role.COORDINATOR: EVERYONE
    | TWO_STEP
    | WORRY
    | CRISIS
    | ROTA
    | STAFF_DESK
    | {
        "impact:missed_twice",
        "impact:no_recent_shift",
        "mentoring:referrals",
        "mentoring:referral_new",
        "mentoring:referral",
        "mentoring:referral_risk",
        "mentoring:suggestions",
        "mentoring:do_not_match",
        "mentoring:match",
        "mentoring:match_pause",
        "mentoring:match_end",
        "mentoring:meeting",
        "mentoring:meeting_new",
        "mentoring:meeting_status",
        "mentoring:meeting_concern",
        "mentoring:outcomes:close",
        "mentoring:outcomes:match_self_checks",
        "mentoring:outcomes:needs_check_in",
        "mentoring:outcomes:time_to_help",
        "mentoring:partners:inbox",
        "mentoring:partners:review",
        "mentoring:partners:organisations",
        "mentoring:partners:organisation",
        "mentoring:partners:end_access",
        "mentoring:partners:coming_out",
        "mentoring:partners:gate_checklist",
        "mentoring:partners:disclosure_new",
        "mentoring:partners:shortlist_new",
        "volunteering:pipeline",
        "volunteering:volunteer",
        "volunteering:move_stage",
        "volunteering:record_step",
        "volunteering:add_reference",
        "volunteering:add_dbs_check",
        "volunteering:add_training",
        "volunteering:certificate",
        "volunteering:rota",
        "volunteering:new_shift",
        "volunteering:shift",
        "volunteering:shift_sign_up",
        "volunteering:change_shift",
        "volunteering:cancel_shift",
        "volunteering:approvals",
        "volunteering:reports",
        "volunteering:reports_csv",
        "notifications:texts",
    },
    Role.SAFEGUARDING_LEAD: EVERYONE
    | TWO_STEP
    | WORRY
    | CRISIS
    | {
        "safeguarding:list",
        "safeguarding:detail",
        "safeguarding:update",
        "mentoring:partners:register",
        "notifications:open",
        "notifications:mark_read",
        "notifications:mark_all_read",
        "chat:join",
    },
    Role.MODERATOR: EVERYONE
    | TWO_STEP
    | WORRY
    | CRISIS
    | ROTA
    | IN_THE_ROOM
    | {
        "chat:moderate",
        "chat:moderate_message",
        "chat:concern",
        "chat:room_settings",
        "chat:add_member",
        "chat:sanction",
        "chat:decide_join",
        "chat:filters",
        "chat:delete_filter",
    },
    Role.INVOLVEMENT_LEAD: EVERYONE | TWO_STEP | WORRY | {"wagtailadmin_home", "chat:join"},
    Role.ADMIN: EVERYONE
    | TWO_STEP
    | WORRY
    | CRISIS
    | ROTA
    | STAFF_DESK
    | {
        "wagtailadmin_home",
        "chat:filters",
        "chat:delete_filter",
    },
    # Kept to their own few pages (mentoring.partners.middleware.PARTNER_ALLOWED).
    # Their access is ended by a coordinator; texts are not for them.
    Role.PARTNER: (ACCOUNT - {"accounts:delete_account", "notifications:phone"})
    | TWO_STEP
    | {
        "mentoring:partners:refer",
        "mentoring:partners:referrals",
        "mentoring:partners:status",
    },
    NEWCOMER: EVERYONE
    | {"mentoring:refer_self", "volunteering:apply", "chat:join", "mfa_activate_totp"},
}

# URL names nobody reaches by following links from Today in the demo world, and why.
NOT_BY_LINKS: dict[str, str] = {
    # Machines, not people.
    "account_logout": "every menu links it; the crawl does not follow it, to stay logged in",
    "manifest": "the app manifest, read by the browser from <link rel=manifest>",
    "service_worker": "the service worker script, registered by the site's JavaScript",
    "offline": "the page the service worker shows when the phone has no signal",
    "sitemap": "for search engines",
    "cms:ping": "a health check for the server's monitoring",
    "notifications:sms_status": "the text provider's delivery webhook",
    "notifications:sms_inbound": "the text provider's webhook for replies",
    "notifications:push_subscription": "JSON the site's JavaScript posts when push is switched on",
    "chat:history": "older messages, fetched by the chat's JavaScript",
    "mentoring:match_suggest_service": "on the match page once the mentee agrees to suggestions "
    "of local services (demo Jay has not)",
    "calendar:feed": "fetched by a calendar app from the webcal:// link on My calendar",
    "earlier_meetings_feed": "the mentoring feed's address before the one calendar (old links)",
    "earlier_shifts_feed": "the shifts feed's address before the one calendar (old links)",
    # Reached from an e-mail or a notice, or after a step the crawl does not take.
    "account_login": "for people not logged in (the crawl starts logged in)",
    "account_signup": "for people not logged in",
    "account_inactive": "shown to an account that was switched off",
    "account_email_verification_sent": "after signing up, before the address is confirmed",
    "account_set_password": "for an account with no password yet (invited by a coordinator)",
    "account_confirm_login_code": "after asking for a log-in code by e-mail",
    "account_request_login_code": "on the log-in page, for people not logged in",
    "account_reset_password_done": "after asking for a password reset (a POST)",
    "account_reset_password_from_key": "from the password-reset e-mail",
    "account_reset_password_from_key_done": "after setting a new password from the e-mail",
    "mfa_authenticate": "the second step of logging in",
    "mfa_view_recovery_codes": "after making recovery codes (a POST)",
    "mfa_download_recovery_codes": "after making recovery codes (a POST)",
    "wagtaildocs_serve": "a document's file, linked from pages in the admin's document library",
    "wagtaildocs_authenticate_with_password": "a password-protected document: the demo has none",
    "notifications:phone_confirm": "after a phone number is given (a POST sends the code)",
    "mentoring:match_answer": "the mentor's yes or no on a proposal: Sam's match is under way",
    "mentoring:match_agree": "the mentee's yes to a mentor who said yes: Jay's match is under way",
    "mentoring:match_resume": "on a paused match: the demo has none",
    "mentoring:outcomes:start": "offered when a self-check is due; Jay's is not due in the demo",
    "mentoring:outcomes:step": "the questions of a self-check, after starting one (a POST)",
    "mentoring:outcomes:questionnaire": "a questionnaire other than the self-check, by its "
    "slug: no page offers one yet",
    "mentoring:outcomes:feedback": "on a meeting that has just happened and has no feedback",
    "mentoring:outcomes:reflection": "offered when a match has ended",
    "mentoring:outcomes:start_again": "offered when a match has ended",
    "mentoring:partners:mine": "a person referred by a partner: the demo's has no account",
    "mentoring:partners:shortlist": "a mentee offered a choice of mentors: the demo has none",
    "mentoring:partners:letter": "on the match page while the mentee is still inside: demo Jay "
    "is out",
    "mentoring:partners:named_worker_new": "on the match page once the mentee agrees to "
    "suggestions of local services (demo Jay has not)",
    "mentoring:partners:remove_service": "on My people next to a service the mentor added: demo "
    "Jay has none",
    "mentoring:partners:named_worker_answer": "on My people when the mentor names a worker at "
    "a service: demo Jay has none",
    "volunteering:shift_withdraw": "once signed up to a shift (a POST)",
    "volunteering:reference_received": "a reference not yet back: the demo's are all back",
    "volunteering:verify_training": "training not yet checked: the demo's is all checked",
    "volunteering:new_risk_assessment": "a DBS check that discloses something: the demo has none",
    "volunteering:risk_assessment": "on a DBS check that discloses something: the demo has none",
    "cms:event_cancel": "once registered for an event (a POST)",
    "chat:crisis_claim": "an unclaimed crisis item: the demo's was claimed by a check-in",
    "chat:hand": "in a room in meeting mode: the demo has none",
    "chat:floor": "in a room in meeting mode: the demo has none",
    "chat:lower_hand": "in a room in meeting mode: the demo has none",
    "chat:moderate_bulk": "messages waiting in the moderation queue: the demo's queue is empty",
    "chat:end_break": "while taking a break from a room (a POST starts one)",
    "chat:lift_sanction": "a mute, removal or ban in force: the demo's sanction is a warning",
    "chat:remove_weekly_slot": "a weekly on-call slot: the demo's rota has one-off shifts only",
}

# Wagtail's admin and Django's are other projects' pages (reached only to their first page,
# which REACHES names); their hundreds of URL names are theirs, not ours to list one by one.
OTHERS_PREFIXES = {
    "admin/": "Wagtail's admin (its first page, wagtailadmin_home, is in REACHES)",
    "django-admin/": "Django's back office: a site admin types its address; nothing links there",
}
ADMIN_FIRST_PAGES = {"wagtailadmin_home"}
SKIP_NAMES = {"account_logout"}  # the crawl stays logged in


def url_names() -> set[str]:
    """Every named URL of the project, but those under ``OTHERS_PREFIXES``."""
    names: set[str] = set()

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, full, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                route = prefix + str(pattern.pattern)
                if name in ADMIN_FIRST_PAGES or not route.startswith(tuple(OTHERS_PREFIXES)):
                    names.add(name)

    walk(get_resolver().url_patterns, None, "")
    return names


def crawl(user) -> tuple[set[str], list[str]]:
    """(URL names reached by links or offered as a POST button, problems met on the way)."""
    client = Client()
    client.force_login(user)
    start = reverse("accounts:today")
    queue: list[tuple[str, str]] = [(start, "(start)")]
    seen: set[str] = {start}
    per_name: dict[str, int] = defaultdict(int)
    reached: set[str] = set()
    problems: list[str] = []
    asked: set[str] = set()
    while queue:
        path, came_from = queue.pop(0)
        response = client.get(path)
        name = _name(path) or "?"
        if response.status_code >= 400:
            problems.append(
                f"{path} ({name}) answers {response.status_code}; linked from {came_from}"
            )
            continue
        reached.add(name)
        parser = _Links()
        if response.status_code in (301, 302, 303, 307, 308):
            found = [response["Location"]]
        elif (
            path.lstrip("/").startswith(tuple(OTHERS_PREFIXES))  # the admins: first page only
            or "html" not in response.get("Content-Type", "")
        ):
            continue
        else:
            parser.feed(response.content.decode())
            found = parser.links + parser.get_forms
        for href in found:
            target = _ours(href, path)
            if target is None or target in seen:
                continue
            seen.add(target)
            target_name = _name(target)
            if target_name in SKIP_NAMES:
                continue
            if target_name is None:
                problems.append(f"{target} is no address of the site; linked from {path}")
                continue
            cap = PER_WAGTAIL_PAGES if target_name == "wagtail_serve" else PER_NAME
            if per_name[target_name] >= cap:
                continue
            per_name[target_name] += 1
            queue.append((target, path))
        for action in parser.post_forms:
            target = _ours(action or path, path)
            if target is None:
                continue
            target_name = _name(target)
            if target_name in SKIP_NAMES:
                continue
            if target_name is None:
                problems.append(f"a form on {path} posts to {target}, no address of the site")
            elif target not in asked:
                # Not pressed, but asked for (rolled back): a button whose address refuses the
                # person before the view even looks at the method is a door that is shut.
                asked.add(target)
                with transaction.atomic():
                    status = client.get(target).status_code
                    transaction.set_rollback(True)
                if status in (403, 404) or status >= 500:
                    problems.append(f"a button on {path} posts to {target}, which answers {status}")
                else:
                    reached.add(target_name)
    return reached, problems


def test_every_url_name_is_reached_by_someone_or_says_why_not():
    listed = set().union(*REACHES.values())
    names = url_names()
    missing = sorted(names - listed - set(NOT_BY_LINKS))
    assert not missing, (
        "URL names in no role's REACHES and not in NOT_BY_LINKS (say who reaches them by a "
        f"link, or why nobody does): {missing}"
    )
    both = sorted(listed & set(NOT_BY_LINKS))
    assert not both, f"in REACHES and in NOT_BY_LINKS: {both}"
    stale = sorted((listed | set(NOT_BY_LINKS)) - names)
    assert not stale, f"listed but no URL name of the project: {stale}"


@pytest.mark.django_db
def test_every_role_reaches_its_pages_by_links_and_no_link_is_broken(settings):
    world = build_world(settings)
    people = {str(role): user for role, user in world.people.items()}
    # Someone who signed up themself: no role yet.
    people[NEWCOMER] = person(display_name="Nell Newcomer")
    wrong: list[str] = []
    observed = {}
    for role, user in people.items():
        reached, problems = crawl(user)
        observed[role] = sorted(reached)
        wrong += [f"{role}: {problem}" for problem in problems]
        not_reached = sorted(REACHES[role] - reached)
        if not_reached:
            wrong.append(f"{role} reaches no link to: {not_reached}")
    if OBSERVE:
        with open(OBSERVE, "w") as out:
            json.dump(observed, out, indent=1)
    assert not wrong, "\n".join(wrong)
