from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("", views.rooms, name="rooms"),
    path("new/", views.new_room, name="new_room"),
    path("word-lists/", views.word_filters, name="filters"),
    path("word-lists/<id:pk>/delete/", views.delete_filter, name="delete_filter"),
    path("<id:pk>/", views.room, name="room"),
    path("<id:pk>/history/", views.history_json, name="history"),
    path("<id:pk>/join/", views.join, name="join"),
    path("<id:pk>/leave/", views.leave, name="leave"),
    path("<id:pk>/moderate/", views.moderate, name="moderate"),
    path("<id:pk>/settings/", views.room_settings, name="room_settings"),
    path("<id:pk>/members/add/", views.add_member, name="add_member"),
    path("<id:pk>/members/<id:user_id>/sanction/", views.sanction, name="sanction"),
    path("<id:pk>/hand/", views.hand, name="hand"),
    path("<id:pk>/floor/", views.floor, name="floor"),
    path("<id:pk>/break/", views.take_break, name="take_break"),
    path("<id:pk>/break/end/", views.end_break, name="end_break"),
    path("join-requests/<id:pk>/decide/", views.decide_join, name="decide_join"),
    path("messages/<id:pk>/edit/", views.edit_message, name="edit"),
    path("messages/<id:pk>/delete/", views.delete_message, name="delete"),
    path("messages/<id:pk>/report/", views.report_message, name="report"),
    path("messages/<id:pk>/moderate/", views.moderate_message, name="moderate_message"),
    path("messages/<id:pk>/concern/", views.raise_concern, name="concern"),
]
