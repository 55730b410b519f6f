from django.urls import path

from mentoring.partners import views

app_name = "partners"

urlpatterns = [
    # Partner workers
    path("refer/", views.refer, name="refer"),
    path("my-referrals/", views.my_referrals, name="referrals"),
    path("my-referrals/<id:pk>/", views.referral_status, name="status"),
    # Coordinators
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation"),
    path("workers/<id:pk>/end/", views.end_access, name="end_access"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<id:pk>/", views.review, name="review"),
    path("register/new/", views.disclosure_new, name="disclosure_new"),
    path("coming-out-soon/", views.coming_out_soon, name="coming_out"),
    path("coming-out-soon/<id:pk>/", views.gate_checklist, name="gate_checklist"),
    # The safeguarding lead
    path("register/", views.register, name="register"),
    # The mentee's choice
    path("about-me/", views.intro, name="intro"),
    path("shortlists/new/<id:pk>/", views.shortlist_new, name="shortlist_new"),
    path("shortlists/<id:pk>/", views.shortlist, name="shortlist"),
    # A letter to someone still inside
    path("matches/<id:pk>/letter/", views.letter, name="letter"),
    # Local services and named workers on My people
    path("matches/<id:pk>/named-worker/", views.named_worker_new, name="named_worker_new"),
    path("my-people/services/<id:pk>/remove/", views.remove_service, name="remove_service"),
    path("my-people/workers/<id:pk>/", views.named_worker_answer, name="named_worker_answer"),
    # The person referred
    path("referred/<id:pk>/", views.mine, name="mine"),
]
