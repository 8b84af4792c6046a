"""How each outbox notice reads for its recipient: idea news, praise, kudos, redemptions, reminders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.i18n import Translator
from bot.messages import QUEUED_REPLY, Button, Reply
from bot.registry import NoticeRenderer
from handlers.idea_views import merge_lines, status_text
from handlers.phrases import plus_points, points_text, preview, quantity_text
from handlers.rewards import decision_buttons
from handlers.wheel import wheel_notice


def idea_status(t: Translator, data: dict[str, Any]) -> Reply:
    headline = t.t(
        ":bell: {by} moved your idea #{id} to {status}.",
        by=data["by"],
        id=data["idea_id"],
        status=status_text(t, data["to"]),
    )
    lines = [f"“{preview(data['text'])}”"]
    if data.get("note"):
        lines.append(t.t("Note: {note}", note=data["note"]))
    if data.get("points"):
        lines.append(t.t("{points}. Thank you for making a difference!", points=plus_points(t, data["points"])))
    return Reply(
        headline,
        tuple(lines),
        (Button(t.t("Show idea #{id}", id=data["idea_id"]), f"idea.show:{data['idea_id']}"),),
    )


def idea_supported(t: Translator, data: dict[str, Any]) -> Reply:
    """An idea someone voted for or supports is accepted, or implemented with its verified saving."""
    facts = {"id": data["idea_id"], "text": preview(data["text"])}
    if data["status"] != "implemented":
        return _supported_reply(
            t, data, t.t(":bulb: The idea you supported, #{id} “{text}”, is accepted.", **facts)
        )
    headline = t.t(":bulb: The idea you supported, #{id} “{text}”, is implemented — it works!", **facts)
    verified = [quantity_text(t, Decimal(saving["amount"]), saving["unit"]) for saving in data["verified"]]
    if verified:
        line = t.t("Verified saving: {quantities}", quantities=", ".join(verified))
    else:
        line = t.t("No saving is verified yet.")
    return _supported_reply(t, data, headline, line)


def _supported_reply(t: Translator, data: dict[str, Any], headline: str, *lines: str) -> Reply:
    return Reply(
        headline,
        (*lines, t.t("You get this because you supported the idea; turn such news off with /notices off.")),
        (Button(t.t("Show idea #{id}", id=data["idea_id"]), f"idea.show:{data['idea_id']}"),),
    )


def idea_merged(t: Translator, data: dict[str, Any]) -> Reply:
    if "moved" in data:
        headline = t.tn(
            ":twisted_rightwards_arrows: {by} merged idea #{id} into #{into}; {count} vote moved.",
            ":twisted_rightwards_arrows: {by} merged idea #{id} into #{into}; {count} votes moved.",
            data["moved"],
            by=data["by"],
            id=data["idea_id"],
            into=data["into_id"],
        )
    else:  # queued before notices said what moved
        headline = t.t(
            ":twisted_rightwards_arrows: {by} merged idea #{id} into #{into}; votes now count there.",
            by=data["by"],
            id=data["idea_id"],
            into=data["into_id"],
        )
    lines = (
        f"#{data['idea_id']} “{preview(data['text'])}”",
        f"#{data['into_id']} “{preview(data['into_text'])}”",
        *merge_lines(t, data),
    )
    return Reply(
        headline, lines, (Button(t.t("Show idea #{id}", id=data["into_id"]), f"idea.show:{data['into_id']}"),)
    )


def praise_received(t: Translator, data: dict[str, Any]) -> Reply:
    return Reply(
        t.t(":tada: {from_name} praises you: {message}", from_name=data["from"], message=data["message"]),
        (plus_points(t, data["points"]),) if data["points"] else (),
    )


def praise_shoutout(t: Translator, data: dict[str, Any]) -> Reply:
    return Reply(
        t.t(
            ":tada: {from_name} praises {target}: {message}",
            from_name=data["from"],
            target=data["to"],
            message=data["message"],
        ),
        public=True,
    )


def kudos_received(t: Translator, data: dict[str, Any]) -> Reply:
    return Reply(
        t.t(":seedling: Kudos from {from_name}: {reason}", from_name=data["from"], reason=data["reason"]),
        (plus_points(t, data["points"]),),
    )


def redemption_requested(t: Translator, data: dict[str, Any]) -> Reply:
    return Reply(
        t.t(
            ":inbox_tray: {person} asks for {reward} ({points}). Request #{id}.",
            person=data["person"],
            reward=data["reward"],
            points=points_text(t, data["cost"]),
            id=data["redemption_id"],
        ),
        buttons=tuple(decision_buttons(t, data["redemption_id"])),
    )


def redemption_decided(t: Translator, data: dict[str, Any]) -> Reply:
    if data["approved"]:
        text = t.t(
            ":gift: {by} approved your request for {reward}. Enjoy!", by=data["by"], reward=data["reward"]
        )
    else:
        text = t.tn(
            ":leftwards_arrow_with_hook: {by} declined your request for {reward}; {count} point is back.",
            ":leftwards_arrow_with_hook: {by} declined your request for {reward}; {count} points are back.",
            data["cost"],
            by=data["by"],
            reward=data["reward"],
        )
    lines = (t.t("Note: {note}", note=data["note"]),) if data.get("note") else ()
    return Reply(text, lines)


def queued_reply(t: Translator, payload: dict[str, Any]) -> Reply:
    """An answer queued as it was given (already in its reader's language)."""
    return Reply.from_dict(payload["reply"])


def reminder(t: Translator, data: dict[str, Any]) -> Reply:
    if data.get("by"):
        headline = t.t(":alarm_clock: Reminder from {name}: {text}", name=data["by"], text=data["text"])
    else:
        headline = t.t(":alarm_clock: Reminder: {text}", text=data["text"])
    return Reply(headline, public=True)


RENDERERS: dict[str, NoticeRenderer] = {
    QUEUED_REPLY: queued_reply,
    "idea_status": idea_status,
    "idea_merged": idea_merged,
    "idea_supported": idea_supported,
    "praise_received": praise_received,
    "praise_shoutout": praise_shoutout,
    "kudos_received": kudos_received,
    "redemption_requested": redemption_requested,
    "redemption_decided": redemption_decided,
    "reminder": reminder,
    "wheel": wheel_notice,
}
