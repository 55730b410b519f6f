from django.urls import path

from chat import crisis_views, views

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
    path("<int:pk>/hand/", views.hand, name="hand"),
    path("<int:pk>/floor/", views.floor, name="floor"),
    path("<int:pk>/break/", views.take_break, name="take_break"),
    path("<int:pk>/break/end/", views.end_break, name="end_break"),
    path("messages/<int:pk>/edit/", views.edit_message, name="edit"),
    path("messages/<int:pk>/delete/", views.delete_message, name="delete"),
    path("messages/<int:pk>/report/", views.report_message, name="report"),
    path("messages/<int:pk>/moderate/", views.moderate_message, name="moderate_message"),
    path("messages/<int:pk>/concern/", views.raise_concern, name="concern"),
    # Crisis routing (chat/crisis_views.py)
    path("crisis/", crisis_views.items, name="crisis_items"),
    path("crisis/<int:pk>/", crisis_views.item, name="crisis_item"),
    path("crisis/<int:pk>/claim/", crisis_views.claim, name="crisis_claim"),
    path("crisis/<int:pk>/handled/", crisis_views.handled, name="crisis_handled"),
    path("crisis/<int:pk>/concern/", crisis_views.concern, name="crisis_concern"),
    path("crisis/<int:pk>/check-in/", crisis_views.check_in, name="crisis_check_in"),
    path("check-ins/<int:pk>/", crisis_views.my_check_in, name="check_in"),
    path("check-in-wordings/", crisis_views.wordings, name="check_in_wordings"),
    path(
        "check-in-wordings/<int:pk>/delete/",
        crisis_views.delete_wording,
        name="delete_check_in_wording",
    ),
    path("on-call/", crisis_views.on_call, name="on_call"),
    path("on-call/<int:pk>/remove/", crisis_views.remove_shift, name="remove_shift"),
]
