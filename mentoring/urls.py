from django.urls import include, path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("refer-myself/", views.refer_self, name="refer_self"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/risk/", views.referral_risk, name="referral_risk"),
    path("referrals/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("referrals/<int:pk>/do-not-match/", views.do_not_match, name="do_not_match"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/answer/", views.match_answer, name="match_answer"),
    path("matches/<int:pk>/agree/", views.match_agree, name="match_agree"),
    path("matches/<int:pk>/pause/", views.match_pause, name="match_pause"),
    path("matches/<int:pk>/resume/", views.match_resume, name="match_resume"),
    path("matches/<int:pk>/end/", views.match_end, name="match_end"),
    path("matches/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/notes/", views.meeting_notes, name="meeting_notes"),
    path("meetings/<int:pk>/concern/", views.meeting_concern, name="meeting_concern"),
    path("goals/", views.goals, name="goals"),
    path("goals/target/", views.weekly_target, name="weekly_target"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/steps/<int:step_pk>/", views.goal_step, name="goal_step"),
    path("check-in/", views.check_in, name="check_in"),
    path("what-my-mentor-sees/", views.sharing, name="sharing"),
    path("my-journey/", views.my_journey, name="journey"),
    path("my-people/", views.my_people, name="people"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("partners/", include("mentoring.partners.urls")),
]
