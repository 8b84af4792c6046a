"""DomainError: a refusal with an English message id and parameters, translated for the reader."""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    """A word the reader's language decides, such as a status or a role name."""

    kind: str  # "status", "role", "unit_kind", "saving_kind", "reason", "period"
    key: str


class Text(NamedTuple):
    """A message id put into another message and translated with it, such as a command's usage line."""

    message: str


ParamValue = str | int | Label | Text


class DomainError(Exception):
    """Raised by a service when a rule refuses a request; the transaction is rolled back."""

    def __init__(self, message: str, **params: ParamValue) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
