from django.urls import path

from stories import views

app_name = "stories"

# /stories/ itself and /stories/<slug>/ are Wagtail pages; these paths never clash with a slug
# because a story's slug cannot contain a slash after one of these words.
urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("share/", views.share, name="share"),
    path("review/<id:task_state_id>/", views.review, name="review"),
    path("<id:page_id>/withdraw/", views.withdraw, name="withdraw"),
]
