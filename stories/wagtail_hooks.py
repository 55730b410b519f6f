"""Stories in the admin: consent records, themes, and the publish guard."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from stories.models import StoryConsent, StoryPage, StoryTheme


class StoryConsentViewSet(SnippetViewSet):
    model = StoryConsent
    icon = "tick-inverse"
    menu_label = _("Consent records")
    list_display = ["story", "method", "given_on", "review_on", "withdrawn_at"]
    panels = [
        PageChooserPanel("story", page_type="stories.StoryPage"),
        FieldPanel("consented_by"),
        FieldPanel("given_on"),
        FieldPanel("method"),
        FieldPanel("placements"),
        FieldPanel("review_on"),
    ]

    def get_queryset(self, request):
        return StoryConsent.objects.select_related("story")


class StoryThemeViewSet(SnippetViewSet):
    model = StoryTheme
    icon = "tag"
    menu_label = _("Themes")


class StoriesAdminGroup(SnippetViewSetGroup):
    menu_label = _("Stories")
    menu_icon = "openquote"
    menu_order = 250
    items = (StoryConsentViewSet, StoryThemeViewSet)


register_snippet(StoriesAdminGroup)


@hooks.register("before_publish_page")
def refuse_story_without_consent(request, page):
    """Say plainly why a story cannot go live (the model refuses it on every other route too)."""
    specific = page.specific if not isinstance(page, StoryPage) else page
    if isinstance(specific, StoryPage) and (blockers := specific.publish_blockers()):
        for blocker in blockers:
            messages.error(request, blocker)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("cms_home_stories")
def featured_stories(request):
    return (
        StoryPage.objects.live()
        .public()
        .order_by("-first_published_at")
        .only("title", "url_path", "summary", "told_by", "content_note")[:3]
    )


@hooks.register("insert_editor_js")
def name_rich_text_editors():
    """Give each rich-text editor in the page editor a name screen readers can say."""
    return format_html('<script src="{}" defer></script>', static("js/admin-editor-names.js"))
