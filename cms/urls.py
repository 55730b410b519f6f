from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("search/", views.search, name="search"),
    path("glossary/", views.glossary_page, name="glossary"),
    path("local-services/", views.directory, name="directory"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("events/<id:page_id>/event.ics", views.event_ics, name="event_ics"),
    path("events/<id:page_id>/register/", views.event_register, name="event_register"),
    path("events/<id:page_id>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<id:page_id>/attendees/", views.event_attendees, name="event_attendees"),
    path(
        "events/<id:page_id>/attendees.csv",
        views.event_attendees_csv,
        name="event_attendees_csv",
    ),
]
