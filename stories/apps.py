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
        """Stories you told: read the text when it awaits you, withdraw consent at any time. For
        involvement leads, the stories waiting for them."""
        from django.db.models import Q
        from wagtail.models import TaskState

        from accounts.hooks import TodayCard
        from stories.models import StoryPage

        cards = self._waiting_for_involvement_lead(request.user)

        stories = list(
            StoryPage.objects.filter(storyteller=request.user)
            .filter(Q(live=True) | Q(consent__withdrawn_at__isnull=True))
            .only("title", "live", "url_path")
            .order_by("title")[:10]
        )
        if not stories:
            return cards
        reviews = dict(
            TaskState.objects.filter(
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__object_id__in=[str(story.pk) for story in stories],
                task__content_type__model="storytellerapprovaltask",
            ).values_list("workflow_state__object_id", "pk")
        )
        rows = [{"story": story, "review_id": reviews.get(str(story.pk))} for story in stories]
        return [
            *cards,
            TodayCard(_("Your stories"), "stories/cards/stories.html", {"rows": rows}, order=45),
        ]

    def _waiting_for_involvement_lead(self, user) -> list:
        """Stories members shared that nobody has taken up yet (no consent on record, no review
        started), and stories whose storyteller approved the words, waiting to be published."""
        from wagtail.models import WorkflowState

        from accounts.hooks import TodayCard
        from accounts.roles import Role
        from stories.models import StoryPage

        if not user.has_role(Role.INVOLVEMENT_LEAD):
            return []
        in_review = [
            (int(pk), task)
            for pk, task in WorkflowState.objects.filter(
                status=WorkflowState.STATUS_IN_PROGRESS
            ).values_list("object_id", "current_task_state__task__content_type__model")
            if pk.isdigit()
        ]
        reviewing = {pk for pk, _task in in_review}
        publishing = [pk for pk, task in in_review if task == "storymoderationtask"]
        shared = list(
            StoryPage.objects.filter(live=False, storyteller__isnull=False, consent__isnull=True)
            .exclude(pk__in=reviewing)
            .only("title")
            .order_by("-pk")[:10]
        )
        to_publish = list(StoryPage.objects.filter(pk__in=publishing).only("title")[:10])
        if not shared and not to_publish:
            return []
        return [
            TodayCard(
                _("Stories waiting for you"),
                "stories/cards/waiting.html",
                {"shared": shared, "to_publish": to_publish},
                order=30,
            )
        ]

    def seed_demo(self, personas, stdout):
        from stories.demo import seed

        seed(personas, stdout)

    def personal_data(self, user):
        from stories.personal_data import sections

        return sections(user)
