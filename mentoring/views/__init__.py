"""Mentoring pages. Thin: parse, one access helper, one service, render.

A service's PermissionDenied becomes a 404 (as the access helpers give), its ValidationError a
plain message on the form with nothing changed.
"""

from mentoring.views.base import home
from mentoring.views.goals import (
    check_in,
    goal_detail,
    goal_step,
    goals,
    my_journey,
    my_people,
    sharing,
    weekly_target,
)
from mentoring.views.matches import (
    match_agree,
    match_answer,
    match_detail,
    match_end,
    match_pause,
    match_resume,
    match_suggest_service,
)
from mentoring.views.meetings import (
    meeting_cancel,
    meeting_concern,
    meeting_detail,
    meeting_ics,
    meeting_move,
    meeting_new,
    meeting_notes,
    meeting_status,
)
from mentoring.views.referrals import (
    do_not_match,
    refer_self,
    referral_detail,
    referral_list,
    referral_new,
    referral_risk,
    suggestions,
)

__all__ = [
    "check_in",
    "do_not_match",
    "goal_detail",
    "goal_step",
    "goals",
    "home",
    "match_agree",
    "match_answer",
    "match_detail",
    "match_end",
    "match_pause",
    "match_resume",
    "match_suggest_service",
    "meeting_cancel",
    "meeting_concern",
    "meeting_detail",
    "meeting_ics",
    "meeting_move",
    "meeting_new",
    "meeting_notes",
    "meeting_status",
    "my_journey",
    "my_people",
    "refer_self",
    "referral_detail",
    "referral_list",
    "referral_new",
    "referral_risk",
    "sharing",
    "suggestions",
    "weekly_target",
]
