"""Settings: every field is documented in .env.example, and values parse as documented there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, setting_name

EXAMPLE = Path(__file__).parent.parent / ".env.example"


def documented() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in EXAMPLE.read_text().splitlines() if line and line[0] != "#")
    return dict(pairs)


def test_every_setting_is_in_env_example() -> None:
    assert {setting_name(field) for field in Settings.model_fields} == set(documented())


def test_the_example_values_are_valid() -> None:
    settings = Settings(_env_file=EXAMPLE)  # type: ignore[call-arg]
    assert settings.admins == ["console:astrid"]
    assert settings.policy().points.idea_accepted == 20


def test_lists_are_comma_separated_and_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_ADMINS", "slack:U1, telegram:42")
    assert Settings(_env_file=None).admins == ["slack:U1", "telegram:42"]  # type: ignore[call-arg]
    monkeypatch.setenv("ENGAGEBOT_DEFAULT_LOCALE", "de")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("ENGAGEBOT_DEFAULT_LOCALE", "sv")
    monkeypatch.setenv("ENGAGEBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_log_level_has_an_older_alias_and_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_LOG_LEVEL", "debug")
    assert Settings(_env_file=None).log_level == "DEBUG"  # type: ignore[call-arg]
    monkeypatch.setenv("LOG_LEVEL", " warning ")
    assert Settings(_env_file=None).log_level == "WARNING"  # type: ignore[call-arg]
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match="LOG_FORMAT"):
        Settings(_env_file=None)  # type: ignore[call-arg]
