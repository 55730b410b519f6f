"""Who may use each page and action: ONE table, for every URL name of ours.

A row names who is allowed; everyone else is refused (404, so existence never leaks; the anonymous
are sent to log in). Cells are roles (accounts.roles.Role) and relations to the record the URL
points at: the person it belongs to, their mentor, a member or moderator of the room, the author.
``PolicyMiddleware`` enforces the role cells on every request (a URL name with no row is refused);
each view's access helper enforces the relation cells on the object (``access_<thing>``), and
tests/config/test_access_policy.py runs the whole table against the real URL conf.
"""

from __future__ import annotations

from accounts.roles import Role

ANYONE = "anyone"  # no log-in needed
SIGNED_IN = "signed_in"  # any logged-in person
OWNER = "owner"  # the person the record belongs to
THEIR_MENTOR = "their_mentor"
ROOM_MEMBER = "room_member"
ROOM_MODERATOR = "room_moderator"
AUTHOR = "author"
RELATIONS = frozenset({OWNER, THEIR_MENTOR, ROOM_MEMBER, ROOM_MODERATOR, AUTHOR})

MENTEE = Role.MENTEE.value
PEER_MENTOR = Role.PEER_MENTOR.value
VOLUNTEER = Role.VOLUNTEER.value
COORDINATOR = Role.COORDINATOR.value
SAFEGUARDING_LEAD = Role.SAFEGUARDING_LEAD.value
MODERATOR = Role.MODERATOR.value
INVOLVEMENT_LEAD = Role.INVOLVEMENT_LEAD.value
ADMIN = Role.ADMIN.value

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


POLICY: dict[str, frozenset[str]] = {}


def our_url_names() -> set[str]:
    """Every URL name whose view is ours (Wagtail's, allauth's and Django's admin are theirs)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = (getattr(pattern.callback, "__module__", "") or "").split(".")[0]
                if module in OUR_MODULES:
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def allows_role_gate(url_name: str, user) -> bool:
    """The table's answer before the object is known: may ``user`` reach this view at all?"""
    rule = POLICY.get(url_name)
    if rule is None:
        return False
    if ANYONE in rule or not user.is_authenticated:
        return True  # the anonymous are LoginRequiredMiddleware's to send to log in
    if SIGNED_IN in rule or rule & RELATIONS:
        return True
    return bool(set(user.roles) & rule)
