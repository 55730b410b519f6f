"""What people type for outcomes, with plain messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import inputs
from mentoring.outcomes.models import ClockKind, Face
from mentoring.outcomes.questionnaires import Item


class StartForm(forms.Form):
    agree = forms.BooleanField(required=False)
    with_mentor = forms.TypedChoiceField(
        label=_("Who is doing this?"),
        choices=[("no", _("Just me")), ("yes", _("Me, with my mentor"))],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )


def answer_form(item: Item, data=None, initial=None) -> forms.Form:
    """One question on one screen: the answers as big radio buttons and a line in my words."""

    class AnswerForm(forms.Form):
        value = forms.TypedChoiceField(
            label=item.text,
            help_text=item.hint,
            choices=[(choice.value, choice.label) for choice in item.scale.choices],
            coerce=int,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "big-choices"}),
        )
        words = forms.CharField(
            label=_("In your own words (optional)"), max_length=280, required=False
        )

    return AnswerForm(data, initial=initial, prefix="q")


class SharingForm(forms.Form):
    domains = forms.MultipleChoiceField(
        label=_("My mentor may see"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = choices


class FeedbackForm(forms.Form):
    face = forms.TypedChoiceField(
        label=_("How did it go?"),
        choices=[(Face.GOOD, _("Good")), (Face.OK, _("OK")), (Face.POOR, _("Not good"))],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "faces"}),
    )
    line = forms.CharField(label=_("Anything to add (optional)"), max_length=280, required=False)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why is the match closing?"))
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = choices


class ReflectionForm(forms.Form):
    helped = forms.CharField(
        label=_("What helped?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    change = forms.CharField(
        label=_("What would you change?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which date"), choices=ClockKind.choices)
    started_on = inputs.DateField(
        label=_("The date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    shared_with_mentor = forms.BooleanField(label=_("My mentor may see this"), required=False)


class StartAgainForm(forms.Form):
    on = inputs.DateField(
        label=_("Starting again on"), widget=forms.DateInput(attrs={"type": "date"})
    )
