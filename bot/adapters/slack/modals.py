"""The modals: a new idea, the reason for declining one, a new campaign and a new goal; views and forms."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from bot.adapters.slack.render import plain
from bot.adapters.web import parse_json
from bot.core.amounts import parse_amount
from bot.core.errors import DomainError
from bot.core.limits import MAX_IDEA_LENGTH, MAX_NOTE_LENGTH, MAX_SAVING_UNIT_LENGTH
from bot.i18n import LABELS, Translator

IDEA_MODAL = "idea_modal"
DECLINE_MODAL = "decline_reason"
DECLINE_ACTION = "idea.decline"
CAMPAIGN_MODAL = "campaign_modal"
CAMPAIGN_FIELDS = ("name", "description", "area", "start", "end", "units", "actions", "reminder")
GOAL_MODAL = "goal_modal"
GOAL_FIELDS = ("unit", "title", "metric", "baseline", "target", "deadline", "owner", "dimension")
DIMENSIONS = tuple(key for kind, key in LABELS if kind == "dimension")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AREAS = tuple(key for kind, key in LABELS if kind == "area")
_VALUE = "value"  # the action id of every input element: one input per block


@dataclass(frozen=True)
class Origin:
    """Where a modal was opened, so that its outcome is shown there (kept in the view's metadata)."""

    channel: str = ""
    response_url: str = ""
    idea_id: int = 0
    status: str = ""  # the status the idea's card showed when its decline button was pressed

    def dump(self) -> str:
        return json.dumps(asdict(self))

    @staticmethod
    def load(metadata: str) -> Origin:
        try:
            data = parse_json(metadata or "{}")
            return Origin(
                str(data["channel"]),
                str(data["response_url"]),
                int(data["idea_id"]),
                str(data.get("status", "")),
            )
        except (
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
        ):  # parse_json refuses what int() would overflow on
            return Origin()


@dataclass(frozen=True)
class IdeaForm:
    """What the idea modal was given."""

    text: str
    area: str | None
    amount: str
    unit: str

    def fields(self) -> dict[str, str]:
        """The `/idea` command's form: the area and the expected saving, where given."""
        given = {"area": self.area or "", "saving_amount": self.amount, "saving_unit": self.unit}
        return {name: value for name, value in given.items() if value}


def idea_modal(t: Translator, origin: Origin) -> dict[str, Any]:
    return _modal(
        t,
        IDEA_MODAL,
        t.t("New idea"),
        origin,
        [
            _input(
                "text",
                t.t("Your idea"),
                _text_input(MAX_IDEA_LENGTH, t.t("e.g. Switch off the monitors at night")),
            ),
            _area_input(t),
            _input("amount", t.t("Expected saving"), _text_input(40, t.t("e.g. 120")), optional=True),
            _input(
                "unit",
                t.t("Unit of the saving"),
                _text_input(MAX_SAVING_UNIT_LENGTH, t.t("e.g. kWh/year")),
                optional=True,
            ),
        ],
    )


def decline_modal(t: Translator, origin: Origin) -> dict[str, Any]:
    reason = _input("reason", t.t("Why? The author will read this."), _text_input(MAX_NOTE_LENGTH, ""))
    title = t.t("Decline idea #{id}", id=origin.idea_id)
    return _modal(t, DECLINE_MODAL, title, origin, [reason], submit=t.t("Decline"))


def _modal(
    t: Translator,
    callback_id: str,
    title: str,
    origin: Origin,
    blocks: list[dict[str, Any]],
    submit: str | None = None,
) -> dict[str, Any]:
    """A modal with its title, Submit (or `submit`) and Cancel, remembering where it was opened."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(title, 24),
        "submit": _text(submit or t.t("Submit"), 24),
        "close": _text(t.t("Cancel"), 24),
        "private_metadata": origin.dump(),
        "blocks": blocks,
    }


def _select(placeholder: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "static_select", "placeholder": _text(placeholder, 150), "options": options}


def _area_input(t: Translator) -> dict[str, Any]:
    options = [{"text": _text(t.label("area", area), 75), "value": area} for area in AREAS]
    return _input("area", t.t("Area"), _select(t.t("Choose an area"), options), optional=True)


def _date_errors(t: Translator, form: CampaignForm, fields: tuple[str, ...]) -> dict[str, str]:
    """Days written as the core reads them; the rest is the core's to judge once submitted."""
    return {
        field: t.t("{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07.", value=form.values[field])
        for field in fields
        if form.values.get(field) and not _ISO_DATE.fullmatch(form.values[field])
    }


@dataclass(frozen=True)
class CampaignForm:
    """What the campaign (or goal) modal was given, by field, named as its command's dialogue's steps."""

    values: dict[str, str]

    def fields(self) -> dict[str, str]:
        return {name: value for name, value in self.values.items() if value}


def campaign_modal(t: Translator, origin: Origin) -> dict[str, Any]:
    """A campaign written out at once: the same questions the dialogue asks one by one elsewhere."""
    return _modal(
        t,
        CAMPAIGN_MODAL,
        t.t("New campaign"),
        origin,
        [
            _input("name", t.t("Name"), _text_input(200, t.t("e.g. Cup week"))),
            _input("description", t.t("Description"), _text_input(2000, "")),
            _area_input(t),
            _input("start", t.t("First day (YYYY-MM-DD)"), _text_input(10, "2026-12-07")),
            _input("end", t.t("Last day (YYYY-MM-DD)"), _text_input(10, "2026-12-11")),
            _input("units", t.t("Units taking part (empty: everyone)"), _text_input(100, ""), optional=True),
            _input(
                "actions",
                t.t("Actions, one per line: name: points, times a day, impact"),
                _text_input(2000, t.t("cycled to work: 10, 1, 2.1 kg CO2e")),
            ),
            _input(
                "reminder",
                t.t("Reminders (cron, e.g. 0 9 * * mon-fri)"),
                _text_input(100, "0 9 * * mon-fri"),
                optional=True,
            ),
        ],
    )


def read_campaign_form(view: dict[str, Any]) -> CampaignForm:
    values = {name: _typed(view, name) for name in CAMPAIGN_FIELDS if name != "area"}
    return CampaignForm({**values, "area": _chosen(view, "area") or ""})


def campaign_form_errors(t: Translator, form: CampaignForm) -> dict[str, str]:
    return _date_errors(t, form, ("start", "end"))


def goal_modal(t: Translator, origin: Origin) -> dict[str, Any]:
    """A goal written out at once: the questions `/goal new` asks one by one elsewhere."""
    dimension_options = [{"text": _text(t.label("dimension", key), 75), "value": key} for key in DIMENSIONS]
    return _modal(
        t,
        GOAL_MODAL,
        t.t("New goal"),
        origin,
        [
            _input("unit", t.t("Unit (or organisation)"), _text_input(100, t.t("e.g. North"))),
            _input("title", t.t("Title"), _text_input(200, t.t("e.g. Less electricity at the office"))),
            _input("metric", t.t("Metric: the unit first, then what"), _text_input(100, t.t("e.g. kWh"))),
            _input("baseline", t.t("Baseline and its year"), _text_input(60, t.t("e.g. 200 MWh 2025"))),
            _input("target", t.t("Target"), _text_input(60, t.t("e.g. 150 MWh"))),
            _input("deadline", t.t("Deadline (YYYY-MM-DD)"), _text_input(10, "2027-12-31")),
            _input("owner", t.t("Owner"), _text_input(100, ""), optional=True),
            _input("dimension", t.t("Dimension"), _select(t.t("Choose"), dimension_options)),
        ],
    )


def read_goal_form(view: dict[str, Any]) -> CampaignForm:
    values = {name: _typed(view, name) for name in GOAL_FIELDS if name != "dimension"}
    return CampaignForm({**values, "dimension": _chosen(view, "dimension", DIMENSIONS) or ""})


def goal_form_errors(t: Translator, form: CampaignForm) -> dict[str, str]:
    return _date_errors(t, form, ("deadline",))


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
    if not form.text:
        errors["text"] = t.t("Please write your idea.")
    elif len(form.text) > MAX_IDEA_LENGTH:
        errors["text"] = t.t(
            "That is {length} characters; the limit is {limit}. Please shorten it.",
            length=len(form.text),
            limit=MAX_IDEA_LENGTH,
        )
    amount_error = _amount_error(t, form.amount) if form.amount else None
    if amount_error:
        errors["amount"] = amount_error
    elif form.amount and not form.unit:
        errors["unit"] = t.t("Give the unit too, e.g. kWh/year.")
    elif form.unit and not form.amount:
        errors["amount"] = t.t("Give the amount too.")
    return errors


def read_decline_reason(view: dict[str, Any]) -> str:
    return _typed(view, "reason")


def decline_reason_errors(t: Translator, reason: str) -> dict[str, str]:
    return {} if reason else {"reason": t.t("Please say why.")}


def _amount_error(t: Translator, typed: str) -> str | None:
    """The core's own reading of the amount in the reader's language (the unit is the core's to judge)."""
    try:
        parse_amount(typed, t.locale)
    except DomainError as error:
        return t.t(error.message, **error.params)
    return None


def _typed(view: dict[str, Any], block_id: str) -> str:
    value = _element_state(view, block_id).get("value")
    return value.strip() if isinstance(value, str) else ""


def _chosen(view: dict[str, Any], block_id: str, choices: tuple[str, ...] = AREAS) -> str | None:
    option = _element_state(view, block_id).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if value in choices else None


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
