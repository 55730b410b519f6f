"""What partners and the gate tell people (imported from MentoringConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, Kind, register

register(
    Kind(
        name="partners.invitation",
        label=_("An invitation to Alongside as a partner worker"),
        template="mentoring/partners/notices/invitation.txt",
        channels=(EMAIL,),
        group=_("Partners"),
    ),
    Kind(
        name="partners.new_referral",
        label=_("A partner organisation referred someone"),
        template="mentoring/partners/notices/new_referral.txt",
        channels=(EMAIL, PUSH),
        group=_("Coordinating"),
    ),
    Kind(
        name="partners.person_agreed",
        label=_("Someone agreed to a partner's referral"),
        template="mentoring/partners/notices/person_agreed.txt",
        channels=(EMAIL, PUSH),
        group=_("Coordinating"),
    ),
    Kind(
        name="partners.referred_you",
        label=_("Someone referred you for a peer mentor"),
        template="mentoring/partners/notices/referred_you.txt",
        group=_("Mentoring"),
    ),
    Kind(
        name="partners.account_ready",
        label=_("Your Alongside account is ready"),
        template="mentoring/partners/notices/account_ready.txt",
        channels=(EMAIL,),
        group=_("Mentoring"),
    ),
)

register(
    Kind(
        name="partners.shortlist",
        label=_("Mentors to choose from"),
        template="mentoring/partners/notices/shortlist.txt",
        needs_answer=True,
        group=_("Mentoring"),
    ),
    Kind(
        name="partners.shortlist_answered",
        label=_("A mentee asked for someone else, or for you to choose"),
        template="mentoring/partners/notices/shortlist_answered.txt",
        channels=(EMAIL, PUSH),
        group=_("Coordinating"),
    ),
    Kind(
        name="partners.mentor_late",
        label=_("A chosen mentor has not answered in time"),
        template="mentoring/partners/notices/mentor_late.txt",
        channels=(EMAIL, PUSH),
        group=_("Coordinating"),
    ),
)

register(
    Kind(
        name="partners.choice_timed_out",
        label=_("The mentor you chose did not answer in time"),
        template="mentoring/partners/notices/choice_timed_out.txt",
        group=_("Mentoring"),
    ),
    Kind(
        name="partners.choice_declined",
        label=_("The mentor you chose cannot take you on"),
        template="mentoring/partners/notices/choice_declined.txt",
        group=_("Mentoring"),
    ),
    Kind(
        name="partners.proposal_lapsed",
        label=_("A proposal you did not answer in time has closed"),
        template="mentoring/partners/notices/proposal_lapsed.txt",
        channels=(EMAIL, PUSH),
        group=_("Mentoring"),
    ),
    Kind(
        name="partners.service_added",
        label=_("Your mentor added a local service to My people"),
        template="mentoring/partners/notices/service_added.txt",
        group=_("Mentoring"),
    ),
    Kind(
        name="partners.named_worker",
        label=_("Your mentor wants to add someone to My people"),
        template="mentoring/partners/notices/named_worker.txt",
        needs_answer=True,
        group=_("Mentoring"),
    ),
)
