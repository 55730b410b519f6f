from django.urls import path

from chat import crisis_views, views

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
    path("<id:pk>/moderate/many/", views.moderate_bulk, name="moderate_bulk"),
    path("<id:pk>/settings/", views.room_settings, name="room_settings"),
    path("<id:pk>/members/add/", views.add_member, name="add_member"),
    path("<id:pk>/members/<id:user_id>/sanction/", views.sanction, name="sanction"),
    path("<id:pk>/members/<id:user_id>/mute/", views.mute_for_me, name="mute_for_me"),
    path("<id:pk>/hand/", views.hand, name="hand"),
    path("<id:pk>/hand/lower/", views.lower_hand, name="lower_hand"),
    path("<id:pk>/floor/", views.floor, name="floor"),
    path("<id:pk>/break/", views.take_break, name="take_break"),
    path("<id:pk>/break/end/", views.end_break, name="end_break"),
    path("join-requests/<id:pk>/decide/", views.decide_join, name="decide_join"),
    path("<id:pk>/sanctions/<id:sanction_id>/lift/", views.lift_sanction, name="lift_sanction"),
    path("sanctions/<id:sanction_id>/appeal/", views.appeal, name="appeal"),
    path("messages/<id:pk>/edit/", views.edit_message, name="edit"),
    path("messages/<id:pk>/delete/", views.delete_message, name="delete"),
    path("messages/<id:pk>/report/", views.report_message, name="report"),
    path("messages/<id:pk>/moderate/", views.moderate_message, name="moderate_message"),
    path("messages/<id:pk>/concern/", views.raise_concern, name="concern"),
    # Crisis routing (chat/crisis_views.py)
    path("crisis/", crisis_views.items, name="crisis_items"),
    path("crisis/<id:pk>/", crisis_views.item, name="crisis_item"),
    path("crisis/<id:pk>/claim/", crisis_views.claim, name="crisis_claim"),
    path("crisis/<id:pk>/handled/", crisis_views.handled, name="crisis_handled"),
    path("crisis/<id:pk>/concern/", crisis_views.concern, name="crisis_concern"),
    path("crisis/<id:pk>/check-in/", crisis_views.check_in, name="crisis_check_in"),
    path("check-ins/<id:pk>/", crisis_views.my_check_in, name="check_in"),
    path("check-in-wordings/", crisis_views.wordings, name="check_in_wordings"),
    path(
        "check-in-wordings/<id:pk>/delete/",
        crisis_views.delete_wording,
        name="delete_check_in_wording",
    ),
    path("on-call/", crisis_views.on_call, name="on_call"),
    path("on-call/<id:pk>/remove/", crisis_views.remove_shift, name="remove_shift"),
    path(
        "on-call/weekly/<id:pk>/remove/",
        crisis_views.remove_weekly_slot,
        name="remove_weekly_slot",
    ),
]
