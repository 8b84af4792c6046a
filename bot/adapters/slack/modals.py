"""The modals: a new idea (text, area, expected saving) and the reason for declining one; views and forms."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.adapters.slack.render import plain
from bot.adapters.web import parse_json
from bot.i18n import LABELS, Translator
from bot.messages import Reply

IDEA_MODAL = "idea_modal"
DECLINE_MODAL = "decline_reason"
DECLINE_ACTION = "idea.decline"
IDEA_LIMIT = 2000  # the core's limit on an idea, checked here too so the error shows on the field
REASON_LIMIT = 500  # the core's limit on a status note
AREAS = tuple(key for kind, key in LABELS if kind == "area")
_VALUE = "value"  # the action id of every input element: one input per block


@dataclass(frozen=True)
class Origin:
    """Where a modal was opened, so that its outcome is shown there (kept in the view's metadata)."""

    channel: str = ""
    response_url: str = ""
    idea_id: int = 0

    def dump(self) -> str:
        return json.dumps(asdict(self))

    @staticmethod
    def load(metadata: str) -> Origin:
        try:
            data = parse_json(metadata or "{}")
            return Origin(str(data["channel"]), str(data["response_url"]), int(data["idea_id"]))
        except (ValueError, KeyError, TypeError):  # parse_json refuses what int() would overflow on
            return Origin()


@dataclass(frozen=True)
class IdeaForm:
    """What the idea modal was given."""

    text: str
    area: str | None
    amount: str
    unit: str

    def command_text(self) -> str:
        return f"{self.text} #{self.area}" if self.area else self.text

    def saving_text(self, idea_id: int) -> str | None:
        """The `/saving` arguments for the expected saving, if one was given."""
        amount = _normalised_amount(self.amount) if self.amount else None
        return f"{idea_id} {amount} {self.unit} expected" if amount else None


def idea_modal(t: Translator, origin: Origin) -> dict[str, Any]:
    area_options = [{"text": _text(t.label("area", area), 75), "value": area} for area in AREAS]
    return {
        "type": "modal",
        "callback_id": IDEA_MODAL,
        "title": _text(t.t("New idea"), 24),
        "submit": _text(t.t("Submit"), 24),
        "close": _text(t.t("Cancel"), 24),
        "private_metadata": origin.dump(),
        "blocks": [
            _input(
                "text", t.t("Your idea"), _text_input(IDEA_LIMIT, t.t("e.g. Switch off the monitors at night"))
            ),
            _input(
                "area",
                t.t("Area"),
                {
                    "type": "static_select",
                    "placeholder": _text(t.t("Choose an area"), 150),
                    "options": area_options,
                },
                optional=True,
            ),
            _input("amount", t.t("Expected saving"), _text_input(40, t.t("e.g. 120")), optional=True),
            _input("unit", t.t("Unit of the saving"), _text_input(40, t.t("e.g. kWh/year")), optional=True),
        ],
    }


def decline_modal(t: Translator, origin: Origin) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": DECLINE_MODAL,
        "title": _text(t.t("Decline idea #{id}", id=origin.idea_id), 24),
        "submit": _text(t.t("Decline"), 24),
        "close": _text(t.t("Cancel"), 24),
        "private_metadata": origin.dump(),
        "blocks": [_input("reason", t.t("Why? The author will read this."), _text_input(REASON_LIMIT, ""))],
    }


def read_idea_form(view: dict[str, Any]) -> IdeaForm:
    return IdeaForm(
        text=_typed(view, "text"),
        area=_chosen(view, "area"),
        amount=_typed(view, "amount"),
        unit=_typed(view, "unit"),
    )


def idea_form_errors(t: Translator, form: IdeaForm) -> dict[str, str]:
    """Errors by block id, in the user's language; empty when the form may be submitted."""
    errors: dict[str, str] = {}
    length = len(form.command_text())
    if not form.text:
        errors["text"] = t.t("Please write your idea.")
    elif length > IDEA_LIMIT:
        errors["text"] = t.t(
            "That is {length} characters; the limit is {limit}. Please shorten it.",
            length=length,
            limit=IDEA_LIMIT,
        )
    if form.amount and _normalised_amount(form.amount) is None:
        errors["amount"] = t.t("Write the amount as a number, e.g. 120 or 3.5.")
    elif form.amount and not form.unit:
        errors["unit"] = t.t("Give the unit too, e.g. kWh/year.")
    elif form.unit and not form.amount:
        errors["amount"] = t.t("Give the amount too.")
    return errors


def read_decline_reason(view: dict[str, Any]) -> str:
    return _typed(view, "reason")


def decline_reason_errors(t: Translator, reason: str) -> dict[str, str]:
    return {} if reason else {"reason": t.t("Please say why.")}


def created_idea_id(reply: Reply | None) -> int | None:
    """The idea an `/idea` reply shows as created; None for a refusal or an offer to vote for a similar one."""
    if reply is None or reply.is_error or not reply.subject:
        return None
    kind, _, idea_id = reply.subject.partition(":")
    return int(idea_id) if kind == "idea" and idea_id.isdigit() else None


def _normalised_amount(typed: str) -> str | None:
    normalised = typed.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return normalised if Decimal(normalised).is_finite() else None
    except InvalidOperation:
        return None


def _typed(view: dict[str, Any], block_id: str) -> str:
    value = _element_state(view, block_id).get("value")
    return value.strip() if isinstance(value, str) else ""


def _chosen(view: dict[str, Any], block_id: str) -> str | None:
    option = _element_state(view, block_id).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if value in AREAS else None


def _element_state(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    state: dict[str, Any] = view.get("state", {}).get("values", {}).get(block_id, {}).get(_VALUE) or {}
    return state


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _text(label, 2000),
        "element": {**element, "action_id": _VALUE},
    }


def _text_input(max_length: int, placeholder: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": max_length,
        "multiline": max_length > 100,
    }
    if placeholder:
        element["placeholder"] = _text(placeholder, 150)
    return element


def _text(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, limit), "emoji": True}
