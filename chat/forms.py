from django import forms
from django.utils.translation import gettext_lazy as _

from chat.models import (
    MAX_BODY,
    FilterAction,
    MemberRole,
    ReportCategory,
    RoomKind,
    SanctionLevel,
)
from chat.services import BREAK_CHOICES_MINUTES


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}),
        error_messages={
            "required": _("Please write something first."),
            "max_length": _("Messages can be up to %(limit_value)d characters."),
        },
    )
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class EditForm(forms.Form):
    body = PostForm.base_fields["body"]


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is wrong with this message?"),
        choices=ReportCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong.")},
    )
    reason = forms.CharField(
        label=_('Anything else the moderators should know (needed for "Something else")'),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the room's moderators see your report."),
    )


class JoinForm(forms.Form):
    agreed = forms.BooleanField(
        label=_("I have read the house rules and I agree to them"),
        error_messages={"required": _("Please read the house rules and tick to agree.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (for the moderation log)"),
        max_length=300,
        error_messages={"required": _("Please say why, in a few words.")},
    )


class MessageActionForm(ReasonForm):
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Show it (approve)")),
            ("hide", _("Hide it")),
            ("restore", _("Show it again")),
            ("delete", _("Delete it")),
            ("dismiss", _("Keep it and close the reports")),
        ]
    )


class ConcernForm(forms.Form):
    summary = forms.CharField(
        label=_("What worries you"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please say what happened or what worries you.")},
    )


class SanctionForm(ReasonForm):
    level = forms.ChoiceField(label=_("Step"), choices=SanctionLevel.choices)
    minutes = forms.IntegerField(
        label=_("For how many minutes (timed mute only)"),
        required=False,
        min_value=1,
        max_value=60 * 24 * 30,
    )


class RoomSettingsForm(ReasonForm):
    locked = forms.BooleanField(label=_("Read-only (only moderators can post)"), required=False)
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode: seconds between each person's messages (0 is off)"),
        min_value=0,
        max_value=3600,
    )
    meeting_mode = forms.BooleanField(
        label=_("Meeting mode (you chair; people raise a hand to speak)"), required=False
    )


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"))
    role = forms.ChoiceField(label=_("Role in the room"), choices=MemberRole.choices)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("What the group is for"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in RoomKind.choices if c[0] != RoomKind.PAIR],
    )
    is_open = forms.BooleanField(label=_("Anyone signed in may join"), required=False)


class WordFilterForm(forms.Form):
    phrase = forms.CharField(label=_("Word or phrase"), max_length=80)
    action = forms.ChoiceField(label=_("What happens"), choices=FilterAction.choices)
    note = forms.CharField(label=_("Why it is on the list"), max_length=120, required=False)


class BreakForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        choices=[
            (BREAK_CHOICES_MINUTES[0], _("An hour")),
            (BREAK_CHOICES_MINUTES[1], _("A day")),
            (BREAK_CHOICES_MINUTES[2], _("A week")),
        ],
    )
    everywhere = forms.BooleanField(label=_("From all chat, not just this room"), required=False)
