"""Websocket routes of every app, in one place (chat owns its consumers).

Each consumer is given its rows of the access-policy table (config/policy.py SOCKET_POLICY): who
may send which frame type.
"""

from functools import partial

from chat.routing import websocket_urlpatterns as chat_patterns
from config.policy import frame_allowed

websocket_urlpatterns = [*chat_patterns(frame_allowed=partial(frame_allowed, "chat.room"))]
