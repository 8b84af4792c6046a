"""The command menus: every registry command, per language and for private chats and groups."""

from __future__ import annotations

import pytest

from bot.core.clock import ManualClock
from handlers import REGISTRY
from tests.platform.telegram_harness import telegram_rig

SCOPES = [{"type": "all_private_chats"}, {"type": "all_group_chats"}]


@pytest.mark.parametrize("language", ["", "sv", "nb", "da"])
def test_set_my_commands_lists_every_command_per_language_and_scope(
    database_url: str, clock: ManualClock, language: str
) -> None:
    with telegram_rig(database_url, clock) as rig:
        menus = [rig.fake.commands(scope, language) for scope in SCOPES]
        english = rig.fake.commands(SCOPES[0], "")
    names = [spec.name for spec in REGISTRY.commands]
    for menu in menus:
        assert [entry["command"] for entry in menu] == names
        assert all(1 <= len(entry["description"]) <= 256 for entry in menu)
    idea = {entry["command"]: entry["description"] for entry in menus[0]}["idea"]
    if language:
        assert idea != "put an idea on the sustainability board"  # translated
    else:
        assert idea == "put an idea on the sustainability board"
    assert len(english) == len(names)
