from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<id:pk>/", views.open_notification, name="open"),
    path("<id:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/phone/", views.phone, name="phone"),
    path("preferences/phone/confirm/", views.phone_confirm, name="phone_confirm"),
    path("preferences/texts/", views.texts, name="texts"),
    path("preferences/push/", views.push_subscription, name="push_subscription"),
    path("sms/status/", views.sms_status, name="sms_status"),
    path("sms/inbound/", views.sms_inbound, name="sms_inbound"),
]
