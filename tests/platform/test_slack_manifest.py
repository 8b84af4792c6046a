"""slack/manifest.yml offers exactly the registry's commands, the shortcut, and the events and scopes used."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.adapters.slack.listeners import SAVE_AS_IDEA
from bot.registry import CommandSpec
from handlers import REGISTRY

MANIFEST = (Path(__file__).parents[2] / "slack" / "manifest.yml").read_text(encoding="utf-8")
_COMMAND = re.compile(r"^    - command: /(\S+)\n((?:      \w+: .+\n)*)", re.MULTILINE)
_FIELD = re.compile(r"^      (\w+): (.+)$", re.MULTILINE)


def slash_commands() -> dict[str, dict[str, object]]:
    """The manifest's slash commands by name, their fields parsed (quoted values are JSON strings)."""
    return {
        name: {key: json.loads(value) for key, value in _FIELD.findall(fields)}
        for name, fields in _COMMAND.findall(MANIFEST)
    }


def listed(section: str) -> list[str]:
    """The items of the YAML list that follows `section:`."""
    match = re.search(rf"^( *){section}:\n((?:\1  - .+\n)+)", MANIFEST, re.MULTILINE)
    assert match is not None, section
    return [line.split("- ", 1)[1] for line in match.group(2).splitlines()]


def usage_hint(spec: CommandSpec) -> str:
    return spec.usage.replace(f"/{spec.name} ", "").removeprefix(f"/{spec.name}").strip()


def test_the_manifest_lists_exactly_the_registrys_commands() -> None:
    expected = {
        spec.name: {
            "description": spec.summary,
            **({"usage_hint": usage_hint(spec)} if usage_hint(spec) else {}),
            "should_escape": True,  # mentions arrive as user ids
        }
        for spec in REGISTRY.commands
    }

    assert slash_commands() == expected


def test_the_manifest_has_the_shortcut_events_and_scopes_the_adapter_uses() -> None:
    assert f"callback_id: {SAVE_AS_IDEA}" in MANIFEST
    assert listed("bot_events") == [
        "app_home_opened",
        "app_mention",
        "message.im",
        "message.channels",
        "message.groups",
        "reaction_added",
    ]
    assert set(listed("bot")) == {
        "commands",
        "chat:write",
        "chat:write.public",
        "im:write",
        "im:history",
        "channels:history",
        "groups:history",
        "reactions:read",
        "users:read",
        "app_mentions:read",
        "files:write",
    }
    assert "home_tab_enabled: true" in MANIFEST and "messages_tab_enabled: true" in MANIFEST
    assert "socket_mode_enabled: true" in MANIFEST and "is_enabled: true" in MANIFEST
