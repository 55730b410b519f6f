"""One record of sanctions: the old Ban table's rows become ban sanctions (chat 0007), so a person
banned before keeps being kept out, and nobody is banned twice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("chat", "0006_merge_0004_safety_0005_check_in_wordings")]
AFTER = [("chat", "0007_ban_into_sanction")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_bans_become_ban_sanctions_once():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Room, Ban = old.get_model("chat", "Room"), old.get_model("chat", "Ban")
    Sanction = old.get_model("chat", "Sanction")
    room = Room.objects.create(name="Thursday group")
    only_ban = User.objects.create(email="old@example.org", display_name="Old ban")
    both = User.objects.create(email="both@example.org", display_name="Both")
    Ban.objects.create(room=room, user=only_ban, reason="offered drugs")
    Ban.objects.create(room=room, user=both, reason="threats")
    Sanction.objects.create(room=room, user=both, level="ban", reason="threats")
    try:
        new = migrate(AFTER)
        Sanction = new.get_model("chat", "Sanction")
        bans = Sanction.objects.filter(room_id=room.pk, level="ban", lifted_at=None)
        assert sorted(bans.values_list("user_id", "reason")) == sorted(
            [(only_ban.pk, "offered drugs"), (both.pk, "threats")]
        )
        assert "chat_ban" not in connection.introspection.table_names()
    finally:
        migrate(connection_leaf())


def connection_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
