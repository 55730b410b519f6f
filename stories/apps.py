from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self):
        from stories import notices  # noqa: F401 - declares what stories tell people

    def nav_items(self, user):
        from accounts.hooks import NavItem

        if not user.is_authenticated:
            return []
        return [NavItem(_("Share your story"), "/stories/share/", 70)]

    def today_cards(self, request):
        """Stories you told: read the text when it awaits you, withdraw consent at any time."""
        from django.db.models import Q
        from wagtail.models import TaskState

        from accounts.hooks import TodayCard
        from stories.models import StoryPage

        stories = list(
            StoryPage.objects.filter(storyteller=request.user)
            .filter(Q(live=True) | Q(consent__withdrawn_at__isnull=True))
            .only("title", "live", "url_path")
            .order_by("title")[:10]
        )
        if not stories:
            return []
        reviews = dict(
            TaskState.objects.filter(
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__object_id__in=[str(story.pk) for story in stories],
                task__content_type__model="storytellerapprovaltask",
            ).values_list("workflow_state__object_id", "pk")
        )
        rows = [{"story": story, "review_id": reviews.get(str(story.pk))} for story in stories]
        return [
            TodayCard(_("Your stories"), "stories/cards/stories.html", {"rows": rows}, order=45)
        ]

    def seed_demo(self, personas, stdout):
        from stories.demo import seed

        seed(personas, stdout)

    def personal_data(self, user):
        from stories.personal_data import sections

        return sections(user)
