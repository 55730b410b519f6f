from django.urls import path

from volunteering import views

app_name = "volunteering"

urlpatterns = [
    # Volunteers (and anyone applying)
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("training/", views.my_training, name="my_training"),
    path("training/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("shifts/", views.shifts, name="shifts"),
    path("shifts/<int:pk>/", views.shift_detail, name="shift"),
    path("shifts/<int:pk>/sign-up/", views.shift_sign_up, name="shift_sign_up"),
    path("shifts/<int:pk>/withdraw/", views.shift_withdraw, name="shift_withdraw"),
    path("hours/", views.my_hours, name="my_hours"),
    path("record/", views.my_record, name="my_record"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>/shifts.ics", views.calendar_feed, name="calendar_feed"),
    # Coordinators
    path("pipeline/", views.pipeline, name="pipeline"),
    path("people/<int:user_pk>/", views.volunteer_file, name="volunteer"),
    path("people/<int:user_pk>/stage/", views.move_stage, name="move_stage"),
    path("people/<int:user_pk>/step/", views.record_step, name="record_step"),
    path("people/<int:user_pk>/references/", views.add_reference, name="add_reference"),
    path(
        "people/<int:user_pk>/references/<int:pk>/",
        views.reference_received,
        name="reference_received",
    ),
    path("people/<int:user_pk>/dbs/", views.add_dbs_check, name="add_dbs_check"),
    path("people/<int:user_pk>/training/", views.add_training, name="add_training"),
    path("training/<int:pk>/verify/", views.verify_training, name="verify_training"),
    path(
        "dbs/<int:dbs_pk>/risk-assessment/", views.new_risk_assessment, name="new_risk_assessment"
    ),
    path("risk-assessments/<int:pk>/", views.risk_assessment, name="risk_assessment"),
    path("rota/", views.rota, name="rota"),
    path("rota/new/", views.new_shift, name="new_shift"),
    path("rota/<int:pk>/change/", views.change_shift, name="change_shift"),
    path("rota/<int:pk>/cancel/", views.cancel_shift, name="cancel_shift"),
    path("approvals/", views.approvals, name="approvals"),
    path("reports/", views.reports, name="reports"),
    path("reports/hours.csv", views.reports_csv, name="reports_csv"),
]
