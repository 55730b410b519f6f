"""The admin for involvement leads: glossary and area snippets; public pages marked cacheable."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.middleware import MARK
from cms.models import GlossaryTerm, ServiceArea


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Glossary")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["acronym", "meaning"]
    search_fields = ["acronym", "meaning"]


register_snippet(GlossaryTermViewSet)


class ServiceAreaViewSet(SnippetViewSet):
    """The towns and parts of town the directory of local services covers."""

    model = ServiceArea
    icon = "site"
    menu_label = _("Areas served")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(ServiceAreaViewSet)


@hooks.register("before_serve_page")
def mark_cacheable(page, request, serve_args, serve_kwargs):
    # Wagtail's own view-restriction hook answers before a restricted page is served; the cache
    # middleware also refuses any response that sets a cookie or is not a 200.
    setattr(request, MARK, True)
