"""What outcomes tells people (declared once; imported from MentoringConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import EMAIL, PUSH, SMS, Kind, register

register(
    Kind(
        name="mentoring.self_check_due",
        label=_("A reminder when your monthly \u201cHow things are\u201d is due"),
        template="mentoring/kinds/self_check_due.txt",
        channels=(EMAIL, SMS, PUSH),
        group=_("Mentoring"),
    ),
)
