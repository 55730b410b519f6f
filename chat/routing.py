from django.conf import settings
from django.urls import path

from chat.consumers import BareBroadcastConsumer, FrameRule, RoomConsumer


def websocket_urlpatterns(*, frame_allowed: FrameRule) -> list:
    """Chat's routes; ``frame_allowed`` answers, for the room socket, who may send each frame type
    (the access-policy table's rows, given by config/websocket_urls.py)."""
    patterns = [
        path("ws/chat/<id:room_id>/", RoomConsumer.as_asgi(frame_allowed=frame_allowed)),
    ]
    if settings.CHAT_BENCH_ROUTES:
        # bench/chat_load.py's bare broadcast baseline: only with CHAT_BENCH_ROUTES=true.
        patterns.append(path("ws/bench/bare/<id:room_id>/", BareBroadcastConsumer.as_asgi()))
    return patterns
