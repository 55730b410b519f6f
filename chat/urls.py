from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("", views.rooms, name="rooms"),
    path("new/", views.new_room, name="new_room"),
    path("word-lists/", views.word_filters, name="filters"),
    path("word-lists/<int:pk>/delete/", views.delete_filter, name="delete_filter"),
    path("<int:pk>/", views.room, name="room"),
    path("<int:pk>/history/", views.history_json, name="history"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/settings/", views.room_settings, name="room_settings"),
    path("<int:pk>/members/add/", views.add_member, name="add_member"),
    path("<int:pk>/members/<int:user_id>/sanction/", views.sanction, name="sanction"),
    path("<int:pk>/members/<int:user_id>/mute/", views.mute_for_me, name="mute_for_me"),
    path("<int:pk>/hand/", views.hand, name="hand"),
    path("<int:pk>/floor/", views.floor, name="floor"),
    path("<int:pk>/break/", views.take_break, name="take_break"),
    path("<int:pk>/break/end/", views.end_break, name="end_break"),
    path("join-requests/<int:pk>/decide/", views.decide_join, name="decide_join"),
    path("<int:pk>/sanctions/<int:sanction_id>/lift/", views.lift_sanction, name="lift_sanction"),
    path("sanctions/<int:sanction_id>/appeal/", views.appeal, name="appeal"),
    path("messages/<int:pk>/edit/", views.edit_message, name="edit"),
    path("messages/<int:pk>/delete/", views.delete_message, name="delete"),
    path("messages/<int:pk>/report/", views.report_message, name="report"),
    path("messages/<int:pk>/moderate/", views.moderate_message, name="moderate_message"),
    path("messages/<int:pk>/concern/", views.raise_concern, name="concern"),
]
