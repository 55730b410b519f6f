"""Mentoring actions. Each one authorises, validates, changes state in a transaction, audits and
notifies after commit. Preconditions are in the docstrings; a broken one raises PermissionDenied
(the view turns it into a 404) or ValidationError (a plain message, nothing changed).
"""

from mentoring.services.base import when_words
from mentoring.services.goals import (
    add_goal,
    add_goal_step,
    check_in,
    set_goal_status,
    set_sharing,
    set_step_done,
    set_weekly_target,
    suggest_service,
)
from mentoring.services.matches import (
    SHORTLIST,
    TOP,
    agree_to_match,
    answer_proposal,
    check_pair,
    end_match,
    pause_match,
    propose_match,
    resume_match,
    suggestions_for,
)
from mentoring.services.meetings import (
    answer_meeting_reminder,
    can_cancel_meeting,
    can_move_meeting,
    cancel_meeting,
    enqueue_reminders,
    move_meeting,
    raise_meeting_concern,
    schedule_meeting,
    set_meeting_status,
    write_meeting_note,
)
from mentoring.services.referrals import (
    DEFAULT_SHARED,
    REFERRAL_FIELDS,
    add_risk_note,
    record_do_not_match,
    refer,
)

__all__ = [
    "DEFAULT_SHARED",
    "REFERRAL_FIELDS",
    "SHORTLIST",
    "TOP",
    "add_goal",
    "add_goal_step",
    "add_risk_note",
    "agree_to_match",
    "answer_meeting_reminder",
    "answer_proposal",
    "can_cancel_meeting",
    "can_move_meeting",
    "cancel_meeting",
    "check_in",
    "check_pair",
    "end_match",
    "enqueue_reminders",
    "move_meeting",
    "pause_match",
    "propose_match",
    "raise_meeting_concern",
    "record_do_not_match",
    "refer",
    "resume_match",
    "schedule_meeting",
    "set_goal_status",
    "set_meeting_status",
    "set_sharing",
    "set_step_done",
    "set_weekly_target",
    "suggest_service",
    "suggestions_for",
    "when_words",
    "write_meeting_note",
]
