from django.urls import include, path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("refer-myself/", views.refer_self, name="refer_self"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<id:pk>/", views.referral_detail, name="referral"),
    path("referrals/<id:pk>/risk/", views.referral_risk, name="referral_risk"),
    path("referrals/<id:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("referrals/<id:pk>/do-not-match/", views.do_not_match, name="do_not_match"),
    path("matches/<id:pk>/", views.match_detail, name="match"),
    path("matches/<id:pk>/answer/", views.match_answer, name="match_answer"),
    path("matches/<id:pk>/agree/", views.match_agree, name="match_agree"),
    path("matches/<id:pk>/pause/", views.match_pause, name="match_pause"),
    path("matches/<id:pk>/resume/", views.match_resume, name="match_resume"),
    path("matches/<id:pk>/end/", views.match_end, name="match_end"),
    path("matches/<id:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<id:pk>/move/", views.meeting_move, name="meeting_move"),
    path("meetings/<id:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<id:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<id:pk>/notes/", views.meeting_notes, name="meeting_notes"),
    path("meetings/<id:pk>/concern/", views.meeting_concern, name="meeting_concern"),
    path("goals/", views.goals, name="goals"),
    path("goals/target/", views.weekly_target, name="weekly_target"),
    path("goals/<id:pk>/", views.goal_detail, name="goal"),
    path("goals/<id:pk>/steps/<id:step_pk>/", views.goal_step, name="goal_step"),
    path("check-in/", views.check_in, name="check_in"),
    path("what-my-mentor-sees/", views.sharing, name="sharing"),
    path("my-journey/", views.my_journey, name="journey"),
    path("my-people/", views.my_people, name="people"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("", include("mentoring.outcomes.urls")),
    path("partners/", include("mentoring.partners.urls")),
]
