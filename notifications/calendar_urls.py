"""The person's one calendar, at /me/calendar/ (its own namespace: it is not a notice)."""

from django.urls import path

from notifications import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_settings, name="settings"),
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]
