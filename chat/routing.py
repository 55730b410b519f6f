from django.urls import path

from chat.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/chat/<int:room_id>/", RoomConsumer.as_asgi()),
]
