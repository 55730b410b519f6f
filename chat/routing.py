from django.conf import settings
from django.urls import path

from chat.consumers import BareBroadcastConsumer, RoomConsumer

websocket_urlpatterns = [
    path("ws/chat/<id:room_id>/", RoomConsumer.as_asgi()),
]

if settings.CHAT_BENCH_ROUTES:
    # bench/chat_load.py's bare broadcast baseline: only with CHAT_BENCH_ROUTES=true.
    websocket_urlpatterns.append(
        path("ws/bench/bare/<id:room_id>/", BareBroadcastConsumer.as_asgi())
    )
