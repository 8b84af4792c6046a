"""REGISTRY: the single explicit list of commands, button actions, message listeners and notices."""

from __future__ import annotations

from bot.i18n import N_
from bot.registry import ActionSpec, CommandSpec, ListenerSpec, Registry
from campaigns import competitions as competition_notices
from handlers import (
    board_links,
    campaign_dialogue,
    campaign_notices,
    campaign_views,
    campaigns,
    competitions,
    digest,
    digest_views,
    first_steps,
    goal_dialogue,
    goals,
    help,
    ideas,
    languages,
    link,
    notice_settings,
    notices,
    people,
    points,
    poll_follow_ups,
    poll_notices,
    polls,
    praise,
    reminders,
    review,
    rewards,
    savings,
    survey,
    survey_notices,
    survey_views,
    wheel,
)
from handlers.poll_options import POLL_USAGE

REGISTRY = Registry(
    commands=(
        CommandSpec("help", help.show_help, N_("/help [command]"), N_("what I can do for you"), read_only=True),
        CommandSpec(
            "idea",
            ideas.submit,
            ideas.IDEA_USAGE,
            N_("put an idea on the sustainability board"),
            look_ahead=ideas.look_ahead,
        ),
        CommandSpec(
            "ideas", ideas.board, ideas.IDEAS_USAGE, N_("see the board, or one idea's card"), read_only=True
        ),
        CommandSpec(
            "boardlink",
            board_links.board_link,
            board_links.BOARDLINK_USAGE,
            N_("a link to the live board page for an office screen"),
        ),
        CommandSpec("vote", ideas.vote, ideas.VOTE_USAGE, N_("support an idea (once; not your own)")),
        CommandSpec(
            "points",
            points.show_points,
            points.POINTS_USAGE,
            N_("balance, rank and latest points"),
            read_only=True,
        ),
        CommandSpec(
            "leaderboard",
            points.leaderboard,
            points.LEADERBOARD_USAGE,
            N_("top people and units"),
            read_only=True,
        ),
        CommandSpec("kudos", praise.give_kudos, praise.KUDOS_USAGE, N_("thank a colleague (a few a day)")),
        CommandSpec(
            "rewards", rewards.show_catalogue, N_("/rewards"), N_("what your points can buy"), read_only=True
        ),
        CommandSpec("redeem", rewards.redeem, rewards.REDEEM_USAGE, N_("ask for a reward")),
        CommandSpec(
            "redemptions",
            rewards.list_waiting,
            rewards.REDEMPTIONS_USAGE,
            N_("requests waiting: yours, or for you to decide"),
            read_only=True,
        ),
        CommandSpec(
            "mine", rewards.list_mine, N_("/mine"), N_("your reward requests, to cancel one"), read_only=True
        ),
        CommandSpec("cancel", rewards.cancel, rewards.CANCEL_USAGE, N_("take back your reward request")),
        CommandSpec("me", people.whoami, N_("/me"), N_("your name, role, unit and language"), read_only=True),
        CommandSpec(
            "lang",
            languages.set_language,
            languages.LANG_USAGE,
            N_("choose the language I answer in; admins choose the organisation's and a unit's"),
        ),
        CommandSpec(
            "privacy", people.privacy, people.PRIVACY_USAGE, N_("your name in posts, or “a colleague” instead")
        ),
        CommandSpec(
            "notices",
            notice_settings.notices,
            notice_settings.NOTICES_USAGE,
            N_("news of the ideas you voted for or support: on or off"),
        ),
        CommandSpec(
            "remind", reminders.remind, reminders.REMIND_USAGE, N_("a reminder, once or on a schedule")
        ),
        CommandSpec(
            "reminders",
            reminders.list_reminders,
            reminders.REMINDERS_USAGE,
            N_("your reminders (and your units'), to move or cancel one"),
        ),
        CommandSpec("link", link.link_accounts, link.LINK_USAGE, N_("join your Slack and Telegram accounts")),
        CommandSpec(
            "unit",
            people.manage_units,
            people.UNIT_USAGE,
            N_("the units, or one up close; admins build and correct them"),
        ),
        CommandSpec(
            "competition",
            competitions.competition,
            competitions.COMPETITION_USAGE,
            N_("team and personal competitions: standings, or set one up"),
        ),
        CommandSpec(
            "competitions",
            competitions.list_competitions,
            competitions.COMPETITIONS_USAGE,
            N_("competitions running and finished"),
            read_only=True,
        ),
        CommandSpec("status", ideas.change_status, ideas.STATUS_USAGE, N_("move an idea along"), "reviewers"),
        CommandSpec(
            "saving",
            savings.record_saving,
            savings.SAVING_USAGE,
            N_("record a saving for an idea"),
            "reviewers",
        ),
        CommandSpec("merge", ideas.merge, ideas.MERGE_USAGE, N_("merge a duplicate idea"), "reviewers"),
        CommandSpec(
            "praise", praise.give_praise, praise.PRAISE_USAGE, N_("a shout-out with points"), "managers"
        ),
        CommandSpec(
            "review",
            review.review,
            review.REVIEW_USAGE,
            N_("the year in figures, with targets proposed for the next"),
            "managers",
            read_only=True,
        ),
        CommandSpec("approve", rewards.approve, rewards.APPROVE_USAGE, N_("approve a request"), "managers"),
        CommandSpec("decline", rewards.decline, rewards.DECLINE_USAGE, N_("decline and refund"), "managers"),
        CommandSpec(
            "wheel", wheel.show_wheel, wheel.WHEEL_USAGE, N_("the year wheel: the environmental calendar")
        ),
        CommandSpec(
            "campaigns", campaigns.listing, N_("/campaigns"), N_("running and past campaigns"), read_only=True
        ),
        CommandSpec(
            "campaign",
            campaigns.campaign,
            campaigns.CAMPAIGN_USAGE,
            N_("start, show, end or call off a campaign"),
        ),
        CommandSpec(
            "did",
            campaigns.did,
            campaigns.DID_USAGE,
            N_("log a campaign action you did, or undo today's latest"),
        ),
        CommandSpec(
            "goal",
            goals.goal,
            goals.GOAL_USAGE,
            N_("set, show, change or remove a goal; tie an idea or campaign to it"),
        ),
        CommandSpec(
            "goals", goals.list_goals, goals.GOALS_USAGE, N_("goals and how far they have come"), read_only=True
        ),
        CommandSpec(
            "progress",
            goals.progress,
            goals.PROGRESS_USAGE,
            N_("this month's progress; reviewers record a goal's measurement or take one back"),
        ),
        CommandSpec(
            "poll",
            polls.ask,
            POLL_USAGE,
            N_("ask a question with options; close it early; /poll <id> missing or remind: who has not voted"),
            "reviewers",
        ),
        CommandSpec("polls", polls.list_open, polls.POLLS_USAGE, N_("the polls open now"), read_only=True),
        CommandSpec(
            "survey",
            survey.survey_command,
            survey.SURVEY_USAGE,
            N_("the current-state survey: answer it; reviewers start it, follow it up and read the results"),
        ),
        CommandSpec(
            "digest",
            digest.digest,
            digest.DIGEST_USAGE,
            N_("this month's progress; reviewers post it, admins schedule it"),
        ),
        CommandSpec("role", people.set_role, people.ROLE_USAGE, N_("give someone a role"), "admins"),
        CommandSpec(
            "reward", rewards.manage_catalogue, rewards.REWARD_USAGE, N_("keep the catalogue"), "admins"
        ),
    ),
    actions=(
        ActionSpec("idea.vote", ideas.vote_button),
        ActionSpec("idea.draft", ideas.submit_draft),
        ActionSpec("idea.status", ideas.status_button),
        ActionSpec("idea.decline", ideas.decline_button),
        ActionSpec("idea.show", ideas.show_button, read_only=True),
        ActionSpec("ideas.page", ideas.board_page_button, read_only=True),
        ActionSpec("reward.redeem", rewards.redeem_button),
        ActionSpec("redemption.approve", rewards.approve_button),
        ActionSpec("redemption.decline", rewards.decline_button),
        ActionSpec("redemption.cancel", rewards.cancel_button),
        ActionSpec("reminder.cancel", reminders.cancel_button),
        ActionSpec(campaign_views.DID_ACTION, campaigns.did_button),
        ActionSpec("poll.vote", polls.vote_button),
        ActionSpec("poll.answer", polls.native_answer),
        ActionSpec("poll.results", polls.results_button, read_only=True),
        ActionSpec("poll.show", polls.show_button, read_only=True),
        ActionSpec(poll_follow_ups.REMIND_ACTION, poll_follow_ups.remind_button),
        ActionSpec(survey_views.ANSWER_ACTION, survey.answer_button),
        ActionSpec(survey_views.NEXT_ACTION, survey.next_button, read_only=True),
    ),
    listeners=(
        ListenerSpec(praise.mentions_with_kudos_emoji, praise.emoji_kudos),
        # Before the hint: an open campaign draft takes the person's next plain messages as its answers.
        ListenerSpec(campaign_dialogue.in_a_direct_conversation, campaign_dialogue.answer),
        ListenerSpec(campaign_dialogue.in_a_direct_conversation, goal_dialogue.answer),
        ListenerSpec(first_steps.with_the_bot_alone, first_steps.hint),
    ),
    notices={
        **notices.RENDERERS,
        **campaign_notices.RENDERERS,
        **competition_notices.RENDERERS,
        **poll_notices.RENDERERS,
        **survey_notices.RENDERERS,
        **digest_views.RENDERERS,
    },
)
