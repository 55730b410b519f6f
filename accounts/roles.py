"""The roles a person can hold, several at once.

A role is stored as membership of a Django group of the same name, so Wagtail and Django
permissions attach to roles through ordinary group permissions (for example involvement leads get
Wagtail's editor permissions in a cms migration). Grant and revoke through accounts.services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    PEER_MENTOR = "peer_mentor", _("Peer mentor")
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Coordinator")
    SAFEGUARDING_LEAD = "safeguarding_lead", _("Safeguarding lead")
    MODERATOR = "moderator", _("Moderator")
    INVOLVEMENT_LEAD = "involvement_lead", _("Involvement lead")
    ADMIN = "admin", _("Admin")
    PARTNER = "partner", _("Partner worker")


# Roles that can open other people's records: they must use two-factor log-in and their sessions
# end sooner when idle.
STAFF_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.SAFEGUARDING_LEAD,
        Role.MODERATOR,
        Role.INVOLVEMENT_LEAD,
        Role.ADMIN,
        # Probation, prison and treatment workers who refer people and see how it is going.
        Role.PARTNER,
    }
)

ROLE_DESCRIPTIONS = {
    Role.MENTEE: _("Gets support from a peer mentor."),
    Role.PEER_MENTOR: _("Has been there, and walks alongside someone who is there now."),
    Role.VOLUNTEER: _("Gives time: shifts, events, groups."),
    Role.COORDINATOR: _("Runs the programme: referrals, matches, volunteers and shifts."),
    Role.SAFEGUARDING_LEAD: _("Looks after worries about people's safety."),
    Role.MODERATOR: _("Keeps group chats safe."),
    Role.INVOLVEMENT_LEAD: _("Publishes stories and events with the people who tell them."),
    Role.ADMIN: _("Looks after the whole site."),
    Role.PARTNER: _(
        "Works for a partner organisation (probation, a prison, a drug and alcohol service, "
        "housing): refers people and sees only how their referrals are going."
    ),
}
