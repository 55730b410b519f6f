from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

from stories.models import StoryPage


class StoriesFeed(Feed):
    title = _("Alongside: stories")
    link = "/stories/"
    description = _("Recovery stories, told by the people who lived them.")

    def items(self):
        return (
            StoryPage.objects.live()
            .public()
            .order_by("-first_published_at")
            .only("title", "url_path", "summary", "told_by", "first_published_at")[:20]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url or settings.SITE_URL

    def item_pubdate(self, item):
        return item.first_published_at

    def item_author_name(self, item):
        return item.told_by
