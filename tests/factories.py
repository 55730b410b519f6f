"""Factories shared by every app's tests; an app's own live in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import STAFF_ROLES

TEST_PASSWORD = "correct horse battery staple"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


def person(*roles: str, totp: bool = True, **fields) -> User:
    """A person holding ``roles``. Staff roles get an authenticator app, as the site requires."""
    user = UserFactory(**fields)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.forget_roles()
    if totp and set(roles) & STAFF_ROLES:
        TOTP.activate(user, TEST_TOTP_SECRET)
    return user


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
