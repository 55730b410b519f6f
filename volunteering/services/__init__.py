"""Actions on volunteering records, one module per concern; import them from here
(``from volunteering import services``). The clearance check other apps rely on is re-exported
here too.

Every function that changes something authorises, validates, changes inside a transaction, audits
and notifies after commit. Read-only queries shared by views and reports live in selectors.py.
"""

from volunteering.clearance import Clearance, clearance, clearances, plain_date
from volunteering.services.hours import MINUTES_IN_A_DAY, decide_hours, format_minutes, log_hours
from volunteering.services.onboarding import (
    DEFAULT_RECHECK_YEARS,
    STEPS,
    add_reference,
    apply_to_volunteer,
    move_to_stage,
    record_dbs_check,
    record_reference,
    record_risk_assessment,
    record_step,
    record_training,
    verify_training,
)
from volunteering.services.reminders import (
    REMINDER_DAYS,
    send_expiry_reminders,
    send_shift_reminders,
    shift_reminder_key,
)
from volunteering.services.shifts import (
    LATE_WITHDRAWAL,
    MAX_REPEAT_WEEKS,
    SHIFT_PLACES,
    answer_shift_reminder,
    cancel_shift,
    create_shifts,
    sign_up,
    update_shift,
    withdraw,
)

__all__ = [
    "DEFAULT_RECHECK_YEARS",
    "LATE_WITHDRAWAL",
    "MAX_REPEAT_WEEKS",
    "MINUTES_IN_A_DAY",
    "REMINDER_DAYS",
    "SHIFT_PLACES",
    "STEPS",
    "Clearance",
    "add_reference",
    "answer_shift_reminder",
    "apply_to_volunteer",
    "cancel_shift",
    "clearance",
    "clearances",
    "create_shifts",
    "decide_hours",
    "format_minutes",
    "log_hours",
    "move_to_stage",
    "plain_date",
    "record_dbs_check",
    "record_reference",
    "record_risk_assessment",
    "record_step",
    "record_training",
    "send_expiry_reminders",
    "send_shift_reminders",
    "shift_reminder_key",
    "sign_up",
    "update_shift",
    "verify_training",
    "withdraw",
]
