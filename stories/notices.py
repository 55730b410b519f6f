"""What stories tell people. Each kind is declared once; its words are in
``stories/templates/stories/notices/``."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, Kind, register

GROUP = _("Stories")

register(
    Kind(
        name="stories.shared",
        label=_("A member shared a story (involvement leads)"),
        template="stories/notices/shared.txt",
        channels=(EMAIL, PUSH),
        group=GROUP,
    ),
    Kind(
        name="stories.ready_to_read",
        label=_("Your story is ready for you to read"),
        template="stories/notices/ready_to_read.txt",
        channels=(EMAIL, PUSH),
        needs_answer=True,
        group=GROUP,
    ),
    Kind(
        name="stories.consent_withdrawn",
        label=_("A storyteller took their story down (involvement leads)"),
        template="stories/notices/consent_withdrawn.txt",
        channels=(EMAIL, PUSH),
        group=GROUP,
    ),
)
