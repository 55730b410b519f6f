import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent
from accounts.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_coordinator_grants_and_revokes_roles_with_an_audit_trail(coordinator, outsider):
    services.grant_role(user=outsider, role=Role.VOLUNTEER, by=coordinator)
    assert outsider.has_role(Role.VOLUNTEER)
    services.revoke_role(user=outsider, role=Role.VOLUNTEER, by=coordinator)
    assert not outsider.has_role(Role.VOLUNTEER)
    actions = list(AuditEvent.objects.filter(subject=outsider).values_list("action", flat=True))
    assert sorted(actions) == ["role.granted", "role.revoked"]


def test_only_an_admin_makes_an_admin(coordinator, admin_user, outsider):
    with pytest.raises(PermissionDenied):
        services.grant_role(user=outsider, role=Role.ADMIN, by=coordinator)
    services.grant_role(user=outsider, role=Role.ADMIN, by=admin_user)
    outsider.refresh_from_db()
    assert outsider.is_superuser


@pytest.mark.parametrize("role", [Role.MENTEE, Role.PEER_MENTOR, Role.MODERATOR])
def test_people_without_the_right_role_cannot_grant_roles(role, outsider):
    with pytest.raises(PermissionDenied):
        services.grant_role(user=outsider, role=Role.COORDINATOR, by=person(role))


def test_people_page_is_for_coordinators(client, client_of, mentee, moderator, coordinator):
    url = reverse("accounts:people")
    assert client.get(url).status_code == 302
    assert client_of(mentee).get(url).status_code == 404
    assert client_of(moderator).get(url).status_code == 404
    assert client_of(coordinator).get(url).status_code == 200


def test_person_roles_page_refuses_others_and_saves_for_coordinators(
    client_of, coordinator, mentee, outsider
):
    url = reverse("accounts:person_roles", args=[outsider.pk])
    assert client_of(mentee).get(url).status_code == 404
    response = client_of(coordinator).post(url, {"roles": [Role.VOLUNTEER, Role.MENTEE]})
    assert response.status_code == 302
    outsider.forget_roles()
    assert outsider.roles == {Role.VOLUNTEER, Role.MENTEE}


def test_people_page_query_count_does_not_grow(client_of, coordinator, django_assert_num_queries):
    client = client_of(coordinator)
    client.get(reverse("accounts:people"))  # warm the session
    # session, user, the user's roles, the staff authenticator check, count for the paginator,
    # the page of people, their groups (one prefetch).
    for _ in range(3):
        person(Role.MENTEE)
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(8):
        client.get(reverse("accounts:people"))
    for _ in range(20):
        person(Role.VOLUNTEER, Role.MENTEE)
    with django_assert_num_queries(8):
        response = client.get(reverse("accounts:people"))
    assert response.status_code == 200


# --- Who may grant what (issue 13) ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_LEAD, Role.ADMIN])
def test_a_coordinator_cannot_make_anyone_safeguarding_lead_or_admin(role, coordinator, outsider):
    for target in (coordinator, outsider):
        with pytest.raises(PermissionDenied):
            services.grant_role(user=target, role=role, by=coordinator)
        target.forget_roles()
        assert role not in target.roles


def test_a_coordinator_cannot_take_the_safeguarding_lead_role_away(coordinator, safeguarding_lead):
    with pytest.raises(PermissionDenied):
        services.revoke_role(user=safeguarding_lead, role=Role.SAFEGUARDING_LEAD, by=coordinator)


def test_an_admin_makes_a_safeguarding_lead_and_it_is_audited(admin_user, outsider):
    services.grant_role(user=outsider, role=Role.SAFEGUARDING_LEAD, by=admin_user)
    assert outsider.has_role(Role.SAFEGUARDING_LEAD)
    event = AuditEvent.objects.get(action="role.granted", subject=outsider)
    assert event.actor == admin_user and event.summary == Role.SAFEGUARDING_LEAD


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_LEAD, Role.ADMIN, Role.MODERATOR])
def test_nobody_gives_themself_a_staff_role(role, admin_user, coordinator):
    for me in (admin_user, coordinator):
        if role in me.roles:
            continue
        with pytest.raises(PermissionDenied):
            services.grant_role(user=me, role=role, by=me)


def test_an_admin_does_not_remove_their_own_admin_role(admin_user):
    with pytest.raises(PermissionDenied):
        services.revoke_role(user=admin_user, role=Role.ADMIN, by=admin_user)
    admin_user.forget_roles()
    assert admin_user.has_role(Role.ADMIN)


def test_coordinator_ticking_safeguarding_lead_on_their_own_page_is_told_why_and_nothing_changes(
    client_of, coordinator
):
    url = reverse("accounts:person_roles", args=[coordinator.pk])
    response = client_of(coordinator).post(
        url, {"roles": [Role.COORDINATOR, Role.VOLUNTEER, Role.SAFEGUARDING_LEAD]}
    )
    assert response.status_code == 200
    assert "Only an admin can give or take away" in response.content.decode()
    coordinator.forget_roles()
    # All or nothing: the volunteer role that would have been fine was not given either.
    assert coordinator.roles == {Role.COORDINATOR}
    assert not AuditEvent.objects.filter(action="role.granted").exists()


def test_role_changes_made_outside_the_people_page_are_still_audited(outsider):
    from django.contrib.auth.models import Group

    outsider.groups.add(Group.objects.get_or_create(name=Role.SAFEGUARDING_LEAD)[0])
    event = AuditEvent.objects.get(action="role.added_elsewhere")
    assert event.subject == outsider and event.summary == Role.SAFEGUARDING_LEAD


def test_the_django_admin_cannot_change_roles_or_admin_flags(client_of, admin_user, outsider):
    response = client_of(admin_user).post(
        reverse("admin:accounts_user_change", args=[outsider.pk]),
        {
            "email": outsider.email,
            "display_name": outsider.display_name,
            "pronouns": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code in (200, 302)
    outsider.refresh_from_db()
    assert not outsider.is_superuser and not outsider.is_staff


def test_every_app_uses_the_one_coordinator_gate():
    import impact.permissions
    import mentoring.permissions
    import volunteering.permissions
    from accounts import permissions

    for module in (mentoring.permissions, volunteering.permissions, impact.permissions):
        assert module.require_coordinator is permissions.require_coordinator
    for module in (mentoring.permissions, volunteering.permissions):
        assert module.is_coordinator is permissions.is_coordinator
