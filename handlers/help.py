"""/help: the command list generated from the registry, grouped by who may use each command."""

from __future__ import annotations

from bot.context import CommandInfo, HandlerContext
from bot.core.people import MANAGER_ROLES, REVIEWER_ROLES
from bot.i18n import N_
from bot.messages import Reply
from bot.registry import Audience
from handlers.idea_views import area_tags

AUDIENCE_TITLES: dict[Audience, str] = {
    "everyone": N_("For everyone"),
    "reviewers": N_("For managers and environmental representatives"),
    "managers": N_("For managers"),
    "admins": N_("For admins"),
}
AUDIENCE_ROLES: dict[Audience, frozenset[str]] = {
    "everyone": frozenset({"admin", "manager", "representative", "member"}),
    "reviewers": REVIEWER_ROLES,
    "managers": MANAGER_ROLES,
    "admins": frozenset({"admin"}),
}

_LISTS_AREAS = frozenset({"idea", "ideas"})  # their help names the area tags they understand


def show_help(ctx: HandlerContext, text: str) -> Reply:
    """What I can do for you; `/help <command>` for one command."""
    t = ctx.t
    wanted = text.strip().lstrip("/").lower()
    if wanted:
        spec = ctx.registry.command(wanted)
        if spec is None:
            return Reply(
                t.t("There is no command /{name}. Type /help to see them all.", name=wanted), is_error=True
            )
        details = [t.t("Areas: {tags}", tags=area_tags(t))] if spec.name in _LISTS_AREAS else []
        return Reply(t.t(spec.usage), (t.t(spec.summary), *details))
    lines: list[str] = []
    for audience, title in AUDIENCE_TITLES.items():
        if ctx.person.role not in AUDIENCE_ROLES[audience]:
            continue
        specs = [spec for spec in ctx.registry.commands if spec.audience == audience]
        if specs:
            lines.append(t.t(title))
            lines.extend(_help_line(ctx, spec) for spec in specs)
    return Reply(
        text=t.t(":seedling: engagebot keeps our sustainability work going. Commands:"), lines=tuple(lines)
    )


def _help_line(ctx: HandlerContext, spec: CommandInfo) -> str:
    return f"{ctx.t.t(spec.usage)} · {ctx.t.t(spec.summary)}"
