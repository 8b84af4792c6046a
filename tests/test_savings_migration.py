"""Migration 0005 converts free-text savings to canonical units, keeps the newest of a kind, reports others."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.core import migrate
from bot.core.db import make_engine

ROWS = [  # id, idea, amount, unit as typed before units were read, kind, created
    (1, 1, "120", "kWh/month", "expected", "2026-11-01 10:00:00"),
    (2, 1, "2.9", "MWh/år", "verified", "2026-11-02 10:00:00"),
    (3, 1, "3000", "kWh/year", "verified", "2026-11-03 10:00:00"),
    (4, 2, "1.8", "t CO2/year", "expected", "2026-11-04 10:00:00"),
    (5, 2, "40", "bananas", "verified", "2026-11-05 10:00:00"),
]


def test_free_text_savings_are_converted_and_the_unreadable_reported(
    database_url: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, display_name, role, locale, created_at)"
                " VALUES (1, 'Astrid', 'member', 'en', '2026-11-01 09:00:00')"
            )
        )
        for idea in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO ideas (id, author_id, text, status, created_at, updated_at)"
                    " VALUES (:id, 1, 'An idea', 'new', '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
                ),
                {"id": idea},
            )
        for row in ROWS:
            connection.execute(
                text(
                    "INSERT INTO savings (id, idea_id, amount, unit, kind, recorded_by_id, created_at)"
                    " VALUES (:id, :idea, :amount, :unit, :kind, 1, :created)"
                ),
                dict(zip(("id", "idea", "amount", "unit", "kind", "created"), row, strict=True)),
            )
    with caplog.at_level(logging.WARNING, logger="bot.migrations"):
        assert migrate.upgrade(engine) is True
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT id, amount, unit, replaced_at, replaced_by_id FROM savings ORDER BY id")
        ).all()
    engine.dispose()
    assert [
        (id_, float(amount), unit, replaced is not None, by) for id_, amount, unit, replaced, by in stored
    ] == [
        (1, 1440.0, "kWh/year", False, None),
        (2, 2900.0, "kWh/year", True, 1),  # replaced by the newer verified value
        (3, 3000.0, "kWh/year", False, None),
        (4, 1800.0, "kg CO2e/year", False, None),
        (5, 40.0, "bananas", False, None),  # kept as typed, still shown on the card
    ]
    report = "saving #5 on idea #2 kept as typed: cannot read 40.000 'bananas'"
    assert report in capsys.readouterr().out
    assert [record.getMessage() for record in caplog.records] == [report]
