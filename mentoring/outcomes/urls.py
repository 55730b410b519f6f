from django.urls import path

from mentoring.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("how-things-are/", views.self_check_start, name="start"),
    path("how-things-are/mine/", views.self_check_mine, name="mine"),
    path("how-things-are/stop-keeping/", views.self_check_forget, name="forget"),
    path("questionnaires/<slug:slug>/", views.self_check_start, name="questionnaire"),
    path("how-things-are/what-my-mentor-sees/", views.self_check_sharing, name="sharing"),
    path("how-things-are/<id:pk>/<id:number>/", views.self_check_step, name="step"),
    path("matches/need-a-check-in/", views.needs_check_in, name="needs_check_in"),
    path("matches/<id:pk>/how-things-are/", views.match_self_checks, name="match_self_checks"),
    path("matches/<id:pk>/close/", views.match_close, name="close"),
    path("matches/<id:pk>/reflection/", views.reflection, name="reflection"),
    path("matches/<id:pk>/start-again/", views.start_again, name="start_again"),
    path("meetings/<id:pk>/how-did-it-go/", views.meeting_feedback, name="feedback"),
    path("referrals/time-to-help/", views.time_to_help, name="time_to_help"),
    path("my-milestones/", views.milestones, name="milestones"),
    path(
        "my-milestones/<id:pk>/start-again/", views.milestone_start_again, name="start_again_clock"
    ),
]
