from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = [
    path("", views.report, name="report"),
    path("volunteers-without-shifts/", views.no_recent_shift, name="no_recent_shift"),
    path("meetings-missed/", views.missed_twice, name="missed_twice"),
]
