"""StreamField blocks for every page of the public site.

Nothing here embeds from a third party: no embeds, no raw HTML. Images need alt text (the image
model requires it), and a block may override it for the context it appears in.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Sub-section"))], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=120, label=_("Who said it"))

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Text"))
    page = blocks.PageChooserBlock(required=False, label=_("Page on this site"))
    url = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Or a link on this site"),
        help_text=_("For example /accounts/signup/."),
    )

    class Meta:
        icon = "link"
        template = "cms/blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, label=_("Paragraph"), template="cms/blocks/paragraph.html"
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class LinkBlock(blocks.StructBlock):
    """A link in the site's navigation or footer: a label and a path on this site."""

    label = blocks.CharBlock(max_length=60, label=_("Label"))
    url = blocks.RegexBlock(
        regex=r"^/[^\s]*$",
        max_length=200,
        label=_("Path on this site"),
        help_text=_("Starts with /, for example /stories/."),
        error_messages={"invalid": _("Use a path on this site that starts with /.")},
    )

    class Meta:
        icon = "link"
