from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.inputs import ChoiceOfRecord
from accounts.models import User
from accounts.roles import Role
from safeguarding.models import Urgency


class RaiseConcernForm(forms.Form):
    subject_label = forms.CharField(
        label=_("Who is this about?"),
        max_length=120,
        help_text=_("Their name as you know them."),
    )
    summary = forms.CharField(
        label=_("What happened, or what worries you?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you saw or heard, in your own words. Include when it happened."),
    )


class UrgencyForm(forms.Form):
    urgency = forms.ChoiceField(label=_("How urgent is this?"), choices=Urgency.choices)


class AssignForm(forms.Form):
    assigned_to = ChoiceOfRecord(
        label=_("Who takes this on?"),
        queryset=User.objects.filter(
            is_active=True, groups__name=Role.SAFEGUARDING_LEAD
        ).distinct(),
    )


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("What was done?"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
