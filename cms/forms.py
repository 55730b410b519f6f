from wagtail.images.forms import BaseImageForm

from cms.images import check_image


class ImageForm(BaseImageForm):
    """Wagtail's image form, plus: the file's type by its content, and no pixel bombs."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and hasattr(file, "seek") and not getattr(file, "_committed", False):
            check_image(file)
        return file
