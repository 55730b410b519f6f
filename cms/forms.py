from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from accounts.directory import ServiceNeed
from cms.images import check_image


class ImageForm(BaseImageForm):
    """Wagtail's image form, plus: the file's type by its content, and no pixel bombs."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and hasattr(file, "seek") and not getattr(file, "_committed", False):
            check_image(file)
        return file


class DirectoryFilterForm(forms.Form):
    """The directory's two filters. Plain GET, so it works without JavaScript and a search can
    be bookmarked or shared."""

    need = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=[("", _("Any kind of help")), *ServiceNeed.choices],
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Where do you live?"),
        queryset=None,
        to_field_name="slug",
        empty_label=_("Anywhere"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from cms.models import ServiceArea

        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ServiceArea.objects.all()
