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
