from django.urls import path

from volunteering import views

app_name = "volunteering"

urlpatterns = [
    # Volunteers (and anyone applying)
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("training/", views.my_training, name="my_training"),
    path("training/<id:pk>/certificate/", views.certificate, name="certificate"),
    path("shifts/", views.shifts, name="shifts"),
    path("shifts/<id:pk>/", views.shift_detail, name="shift"),
    path("shifts/<id:pk>/shift.ics", views.shift_ics, name="shift_ics"),
    path("shifts/<id:pk>/sign-up/", views.shift_sign_up, name="shift_sign_up"),
    path("shifts/<id:pk>/withdraw/", views.shift_withdraw, name="shift_withdraw"),
    path("hours/", views.my_hours, name="my_hours"),
    path("record/", views.my_record, name="my_record"),
    # Coordinators
    path("pipeline/", views.pipeline, name="pipeline"),
    path("people/<id:user_pk>/", views.volunteer_file, name="volunteer"),
    path("people/<id:user_pk>/stage/", views.move_stage, name="move_stage"),
    path("people/<id:user_pk>/step/", views.record_step, name="record_step"),
    path("people/<id:user_pk>/references/", views.add_reference, name="add_reference"),
    path(
        "people/<id:user_pk>/references/<id:pk>/",
        views.reference_received,
        name="reference_received",
    ),
    path("people/<id:user_pk>/dbs/", views.add_dbs_check, name="add_dbs_check"),
    path("people/<id:user_pk>/training/", views.add_training, name="add_training"),
    path("training/<id:pk>/verify/", views.verify_training, name="verify_training"),
    path("dbs/<id:dbs_pk>/risk-assessment/", views.new_risk_assessment, name="new_risk_assessment"),
    path("risk-assessments/<id:pk>/", views.risk_assessment, name="risk_assessment"),
    path("rota/", views.rota, name="rota"),
    path("rota/new/", views.new_shift, name="new_shift"),
    path("rota/<id:pk>/change/", views.change_shift, name="change_shift"),
    path("rota/<id:pk>/cancel/", views.cancel_shift, name="cancel_shift"),
    path("approvals/", views.approvals, name="approvals"),
    path("reports/", views.reports, name="reports"),
    path("reports/hours.csv", views.reports_csv, name="reports_csv"),
]
