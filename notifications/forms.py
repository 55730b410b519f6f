from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import kinds as kinds_registry
from notifications.kinds import CHANNEL_LABELS
from notifications.phones import uk_mobile


class PreferencesForm(forms.Form):
    """One row of tick boxes per kind of notice; kinds that cannot be switched off are shown,
    fixed. The inbox always has everything."""

    show_details = forms.BooleanField(
        required=False,
        label=_("Show details in texts, phone notifications and e-mail subjects"),
        help_text=_(
            "Off: they only say \u201cAlongside: you have a new message\u201d, so nobody who sees "
            "your phone learns anything. On: they say what it is about, such as a meeting time."
        ),
    )
    quiet_start = forms.TimeField(
        label=_("Quiet from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No texts or phone notifications from this time, unless it is urgent."),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, prefs, channels_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_rows = []
        for kind in kinds_registry.all_kinds():
            name = f"kind__{kind.name}"
            choices = [(c, CHANNEL_LABELS[c]) for c in kind.channels]
            field = forms.MultipleChoiceField(
                required=False,
                label=kind.label,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                initial=channels_for(kind),
                disabled=not kind.optional,
                help_text="" if kind.optional else _("You cannot switch this off."),
            )
            self.fields[name] = field
            self.kind_rows.append((kind, name))

    def chosen_channels(self) -> dict[str, list[str]]:
        return {kind.name: list(self.cleaned_data.get(name) or []) for kind, name in self.kind_rows}

    def clean(self):
        data = super().clean()
        if data.get("quiet_start") and data.get("quiet_start") == data.get("quiet_end"):
            self.add_error("quiet_end", _("Choose a different time from \u201cquiet from\u201d."))
        return data


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile number"),
        max_length=30,
        help_text=_("A UK mobile, such as 07123 456789. We text it a code to check it is yours."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Enter your mobile number.")},
    )

    def clean_phone(self) -> str:
        number = uk_mobile(self.cleaned_data["phone"])
        if number is None:
            raise forms.ValidationError(_("Enter a UK mobile number, such as 07123 456789."))
        return number


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code we texted you"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
        error_messages={"required": _("Enter the 6-digit code from the text.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("The code is 6 numbers, such as 123456."))
        return code
