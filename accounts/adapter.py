from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to Alongside: people are addressed by the name they chose."""

    def populate_username(self, request, user):
        # There is no username; people log in by e-mail.
        return None

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = (
            form.cleaned_data.get("display_name") or ""
        ).strip() or user.email.split("@")[0][:60]
        user.pronouns = (form.cleaned_data.get("pronouns") or "").strip()
        if commit:
            user.save()
        return user
