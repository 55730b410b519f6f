"""The access-policy table (config/policy.py), run against the real URL conf in the demo world.

For every URL name of ours, each person — nobody logged in, one person per role, the person the
record belongs to, their mentor, and people from another match (the wrong match) — asks for the
page (or posts to it, for actions). What the table allows must open; what it refuses must answer
404 (or send the anonymous to log in) and change nothing. A URL name the table does not know fails.

``POLICY_OBSERVE=<file>`` writes what each URL name actually allowed instead of checking, to help
write the table for new pages (then read every cell before committing it).
"""

from __future__ import annotations

import json
import os
import sys

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from config.policy import ANYONE, POLICY, SIGNED_IN, our_url_names
from tests.config.policy_world import ANYONE_ELSE, build_world, target
from tests.factories import person

OBSERVE = os.environ.get("POLICY_OBSERVE")
URL_NAMES = sorted(our_url_names())
OUR_APPS = {"accounts", "notifications", "safeguarding", "volunteering", "mentoring", "chat"}
OUR_APPS |= {"stories", "cms", "impact"}


def test_every_url_name_has_a_row_and_every_row_a_url_name():
    missing = sorted(set(URL_NAMES) - set(POLICY))
    stale = sorted(set(POLICY) - set(URL_NAMES))
    assert not missing, f"URL names with no row in config/policy.py: {missing}"
    assert not stale, f"rows in config/policy.py for URL names that are gone: {stale}"


def expected(rule, user, relation) -> bool:
    partner = user is not None and Role.PARTNER in user.roles
    if ANYONE in rule:
        # A partner worker is kept to their own pages, public ones included (PARTNER rows).
        return not partner or Role.PARTNER in rule
    if user is None:
        return False
    if (SIGNED_IN in rule and not partner) or (relation and relation in rule):
        return True
    return bool(set(user.roles) & rule)


def _rows() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        # The audit trail records refused attempts too (every page a partner worker opens).
        if model._meta.app_label in OUR_APPS and model._meta.label != "accounts.AuditEvent"
    }


def _ask(client, url, *, rollback: bool):
    """GET the page (POST for an action); with ``rollback``, inside a savepoint rolled back."""
    with transaction.atomic():
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        transaction.set_rollback(rollback)
    return response


def _refused(response, signed_in: bool) -> bool:
    if response.status_code in (403, 404):
        return True
    login = reverse("account_login")
    to_log_in = response.status_code == 302 and response["Location"].startswith(login)
    # A signed-in person sent to log in again is being asked to confirm it is them (download
    # and delete my data ask for that), not refused.
    return to_log_in and not signed_in


def _people(world):
    from mentoring.models import Match

    other = (
        Match.objects.filter(status="active")
        .exclude(mentee=world.people[Role.MENTEE])
        .exclude(mentor=world.people[Role.PEER_MENTOR])
        .select_related("mentee", "mentor")
        .first()
    )
    people = [("anonymous", None)] + [(role, user) for role, user in world.people.items()]
    people += [("another mentee", other.mentee), ("another mentor", other.mentor)]
    # Someone who signed up themself and holds no role yet.
    people.append(("no role yet", person(display_name="Nell Newcomer")))
    return people


APPS = sorted({name.split(":")[0] if ":" in name else "config" for name in URL_NAMES})


@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS)
def test_the_table_holds(app, settings):
    world = build_world(settings)  # once per app: every request below is rolled back
    people = _people(world)
    wrong: list[str] = []
    for url_name in URL_NAMES:
        if (url_name.split(":")[0] if ":" in url_name else "config") == app:
            wrong += _check(url_name, world, people)
    assert not wrong, "Against the table in config/policy.py:\n" + "\n".join(wrong)


def _check(url_name, world, people) -> list[str]:
    kwargs, relations = target(url_name, _route_kwargs(url_name), world)
    url = reverse(url_name, kwargs=kwargs)
    rule = POLICY.get(url_name, frozenset())
    outcomes, wrong = {}, []
    before = _rows()
    for label, user in people:
        client = Client()
        if user is not None:
            client.force_login(user)
        relation = _relation(user, relations)
        should = expected(rule, user, relation)
        # What an allowed person does is rolled back; a refused one is not, so that anything it
        # changed would show in the row counts below.
        allowed = not _refused(
            _ask(client, url, rollback=should or bool(OBSERVE)), signed_in=user is not None
        )
        outcomes[label] = (allowed, relation)
        if allowed != should:
            said = "allowed" if allowed else "refused"
            wrong.append(f"{url_name} ({url}): {label} ({relation or 'no relation'}) {said}")
    if OBSERVE:
        _write_observation(url_name, outcomes)
        return []
    if _rows() != before:
        wrong.append(f"{url_name}: a refused request changed something")
    return wrong


def _relation(user, relations):
    if user is None:
        return None
    return relations.get(user.pk, ANYONE_ELSE)


def _route_kwargs(url_name: str) -> list[str]:
    from django.urls import get_resolver

    resolver = get_resolver()
    *namespaces, name = url_name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    possibilities = resolver.reverse_dict.getlist(name)
    return list(possibilities[0][0][0][1]) if possibilities else []


def _write_observation(url_name, outcomes):
    data = {}
    if os.path.exists(OBSERVE):
        with open(OBSERVE, encoding="utf-8") as handle:
            data = json.load(handle)
    data[url_name] = {label: [allowed, relation] for label, (allowed, relation) in outcomes.items()}
    with open(OBSERVE, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)


# Rows that let nobody in by role or relation: the view checks something of its own.
CHECKED_BY_THE_VIEW = {
    "chat:floor": "only the person the chair gave the floor to, at that moment",
    "chat:lower_hand": "only the chair of a meeting in the room, at that moment",
    "mentoring:outcomes:step": "only while the person's own questionnaire is open",
    "mentoring:partners:mine": "only a partner worker whose access is in force today",
    "mentoring:partners:shortlist": "only the person a shortlist was sent to, while it is open",
    "notifications:sms_inbound": "only the text provider, by its signature",
    "notifications:sms_status": "only the text provider, by its signature",
}


@pytest.mark.django_db
def test_every_row_opens_to_someone_and_the_size_is_reported(settings):
    """A row that lets nobody in is a page nobody can use, unless its view checks something of
    its own (named above). Writes the table's size and how many cells it allows."""
    world = build_world(settings)
    people = _people(world)
    allowed, nobody = 0, set()
    for url_name in URL_NAMES:
        _kwargs, relations = target(url_name, _route_kwargs(url_name), world)
        rule = POLICY.get(url_name, frozenset())
        opens = sum(
            bool(expected(rule, user, _relation(user, relations))) for _label, user in people
        )
        allowed += opens
        if not opens:
            nobody.add(url_name)
    assert nobody == set(CHECKED_BY_THE_VIEW)
    sys.stdout.write(
        f"\npolicy: url_names={len(URL_NAMES)} people={len(people)} "
        f"cells={len(URL_NAMES) * len(people)} allowed={allowed}\n"
    )
