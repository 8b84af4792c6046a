"""SQLAlchemy models: people, units, ideas, the ledger, rewards, inbox, outbox, schedule, campaigns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (SQLite keeps none) and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the core works in aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


def table_of(model: type[Base]) -> Table:
    """The model's table, for statements on hot paths that need no objects: on the table they skip
    the ORM's handling, which cost more than the statement (an UPDATE 250 µs against 90 µs)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="member")
    locale: Mapped[str | None] = mapped_column(String(8))  # the person's own choice (/lang)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime]
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())  # /privacy hide
    privacy_changed_at: Mapped[datetime | None] = mapped_column(index=True)  # open board pages look at it
    # `/notices`: news of the ideas they voted for or support. None: never chosen, so on.
    supporter_notices: Mapped[bool | None]


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        Index("ix_accounts_platform_handle", "platform", "handle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    handle: Mapped[str | None] = mapped_column(String(100))  # lower-case, without "@"
    locale: Mapped[str | None] = mapped_column(String(8))  # as the platform reports it
    last_seen_at: Mapped[datetime]


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120), unique=True)  # case-folded name
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", use_alter=True, name="fk_units_representative_id_persons")
    )
    created_at: Mapped[datetime]
    language: Mapped[str | None] = mapped_column(String(8))  # posts to its channels; None: its parent's


class UnitMove(Base):
    """A person moving from one unit to another (or from none): who was in which unit when."""

    __tablename__ = "unit_moves"
    __table_args__ = (Index("ix_unit_moves_moved_at", "moved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    moved_at: Mapped[datetime]


class UnitChannel(Base):
    __tablename__ = "unit_channels"
    __table_args__ = (UniqueConstraint("platform", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[str] = mapped_column(String(100))


class Idea(Base):
    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_note: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"))
    source_link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IdeaStatusChange(Base):
    __tablename__ = "idea_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime]


class IdeaEdit(Base):
    """The text and area an idea had before its author edited it (the author is the only one who may)."""

    __tablename__ = "idea_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    old_text: Mapped[str] = mapped_column(Text)
    old_area: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]


class IdeaDraft(Base):
    """An idea held back until its author submits it: because it resembles another (`similar_idea_id`),
    or because it was written to the bot without /idea and waits behind a "Save as idea" button."""

    __tablename__ = "idea_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(40))  # given on its own, as the idea modal does
    saving_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))  # the expected saving, if any
    saving_unit: Mapped[str | None] = mapped_column(String(30))  # canonical, as in Saving
    similar_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"))
    created_at: Mapped[datetime]


class Vote(Base):
    __tablename__ = "votes"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)  # open board pages look at the latest


class Saving(Base):
    """An idea's expected or verified saving; a newer one of the same kind replaces it (kept as history)."""

    __tablename__ = "savings"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    # A canonical unit (kWh, kg CO2e/year, … see core.quantities); free text only in rows from before
    # units were read that the migration to 0005 could not convert.
    unit: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10))  # expected | verified
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime]
    replaced_at: Mapped[datetime | None]  # set when a newer value replaced it or it was removed
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))


class LedgerEntry(Base):
    """One award or spend of points. Rows are only ever added; a balance is their sum."""

    __tablename__ = "ledger"
    __table_args__ = (UniqueConstraint("person_id", "reason", "reference", name="uq_ledger_award_key"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str] = mapped_column(String(80))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime]


class PersonPointTotal(Base):
    """Points earned per person and period ("all", "2026", "2026-11", "2026-W47"), kept with the ledger."""

    __tablename__ = "person_point_totals"
    __table_args__ = (Index("ix_person_point_totals_period_points", "period", "points"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    points: Mapped[int]


class UnitPointTotal(Base):
    """Points earned by a unit's members per period, credited to the unit and its ancestors."""

    __tablename__ = "unit_point_totals"
    __table_args__ = (Index("ix_unit_point_totals_period_points", "period", "points"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    points: Mapped[int]


class Kudos(Base):
    __tablename__ = "kudos"
    __table_args__ = (Index("ix_kudos_giver_day", "giver_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    via: Mapped[str] = mapped_column(String(10))  # command | emoji
    day: Mapped[date] = mapped_column(Date)  # local day the allowance counts against
    created_at: Mapped[datetime]


class Praise(Base):
    __tablename__ = "praise"

    id: Mapped[int] = mapped_column(primary_key=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Reward(Base):
    __tablename__ = "rewards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    cost: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime]
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    retired_at: Mapped[datetime | None]


class Redemption(Base):
    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    cost: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending | approved | declined | cancelled
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """A notice waiting to be sent; written in the same transaction as the change it reports."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "platform", "status", "available_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(100))  # user or channel id on the platform
    target_kind: Mapped[str] = mapped_column(String(10))  # person | channel
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    locale: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(15), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(40))  # the sender holding the claim
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class InboxDelivery(Base):
    """An inbound delivery (a Slack request or event, a Telegram update), stored before it is acknowledged.

    Workers claim pending rows and mark each handled in the transaction that applies its effects,
    so a crash after the acknowledgement loses nothing and a repeated delivery is dropped here.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "delivery_key", name="uq_inbox_delivery_key"),
        Index("ix_inbox_status_id", "status", "id"),
        Index("ix_inbox_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    delivery_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # what the platform sent: command, event, interaction, update
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | handled | failed
    attempts: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    handled_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class LinkCode(Base):
    """A one-time code that joins the account that asked for it with the account that sends it back."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))  # where the code was asked for
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ProcessedEvent(Base):
    """Inbound deliveries already handled, so a retried or duplicated event is ignored."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime]


class FollowUp(Base):
    """A reminder sent once to those who have not answered a poll or a survey yet: when it went."""

    __tablename__ = "follow_ups"

    subject: Mapped[str] = mapped_column(String(20), primary_key=True)  # poll | survey
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    sent_at: Mapped[datetime]


class ScheduledItem(Base):
    """Something due at a time: a reminder, a poll's close, a campaign's start or end, a wheel entry.

    `due_at` is the next time it fires (None once it is done); every replica's tick claims due rows,
    fires them and moves `due_at` on in one transaction, so each time fires once between them.
    """

    __tablename__ = "schedule"
    __table_args__ = (
        Index("ix_schedule_due", "state", "due_at"),
        Index("ix_schedule_kind_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[int | None]  # the row it belongs to (a poll, a campaign), by kind
    rule: Mapped[dict[str, Any]]  # campaigns.recurrence.Rule as stored
    payload: Mapped[dict[str, Any]]  # what the kind needs when it fires (a reminder's text and target)
    state: Mapped[str] = mapped_column(String(10), default="active")  # active | done | cancelled
    due_at: Mapped[datetime | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    fired_count: Mapped[int] = mapped_column(default=0)
    last_fired_at: Mapped[datetime | None]
    missed_count: Mapped[int] = mapped_column(default=0)
    last_missed_at: Mapped[datetime | None]  # the latest time that passed while no replica ran, beyond grace
    created_at: Mapped[datetime]


class Campaign(Base):
    """A time-boxed campaign (bike-to-work week, energy-saving week …): planned → running → finished,
    or cancelled. Its name and description are stored in the language they were written in."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(40))
    template: Mapped[str | None] = mapped_column(String(40))  # the template it was made from, if any
    state: Mapped[str] = mapped_column(String(10), index=True)  # planned | running | finished | cancelled
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]  # exclusive: the campaign's last day is the day before, locally
    reminder_cron: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # who cancelled it
    changed_at: Mapped[datetime | None]


class CampaignUnit(Base):
    """A unit taking part in a campaign (with the units below it); a campaign with none is for everyone."""

    __tablename__ = "campaign_units"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class CampaignAction(Base):
    """Something members do in a campaign: its names by language, points, a daily cap and an impact."""

    __tablename__ = "campaign_actions"
    __table_args__ = (UniqueConstraint("campaign_id", "position", name="uq_campaign_actions_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # its number in the campaign, from 1
    names: Mapped[dict[str, Any]]  # locale → name; a typed campaign has its author's language only
    points: Mapped[int]
    daily_cap: Mapped[int]  # how many times one person may log it in one local day
    impact_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))  # per time logged, canonical
    impact_unit: Mapped[str | None] = mapped_column(String(30))


class CampaignLog(Base):
    """One time a person did a campaign action: the `n`-th that local day (within the action's cap)."""

    __tablename__ = "campaign_logs"
    __table_args__ = (
        UniqueConstraint("action_id", "person_id", "day", "n", name="uq_campaign_logs_slot"),
        Index("ix_campaign_logs_campaign_person", "campaign_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("campaign_actions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    day: Mapped[date] = mapped_column(Date)
    n: Mapped[int]
    points: Mapped[int]  # as paid
    created_at: Mapped[datetime]


class CampaignDraft(Base):
    """A campaign being made step by step in a dialogue: one per person, the answers so far in `data`."""

    __tablename__ = "campaign_drafts"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class Competition(Base):
    """A contest between units (points per head) or between people, over a period or one campaign.

    `ends_at` is exclusive; `state` moves once from running to finished (by the end firing or by hand).
    """

    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(10))  # units | people
    campaign_id: Mapped[int | None]  # scores only that campaign's points when set
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    threshold: Mapped[int]  # the participation (percent of members) a unit needs to be ranked
    standings: Mapped[str] = mapped_column(String(10))  # weekly | daily | none
    state: Mapped[str] = mapped_column(String(10), default="running")  # running | finished
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None]
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class CompetitionUnit(Base):
    """A unit taking part (units mode), or whose members take part (people mode; none: everyone)."""

    __tablename__ = "competition_units"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)


class CompetitionPrize(Base):
    """What a place wins, as the manager named it."""

    __tablename__ = "competition_prizes"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    place: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


class Poll(Base):
    """A question with options, posted to one or more conversations on any platform, closed once.

    `secret` keys an anonymous poll's ballots while it is open and is destroyed (NULL) at close,
    when the ballots are counted into `PollOption.votes` and deleted (bot/core/poll_ballots.py).
    """

    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    anonymous: Mapped[bool]
    multiple: Mapped[bool]
    hidden: Mapped[bool]
    points: Mapped[int] = mapped_column(default=0)  # for taking part, once per person
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    secret: Mapped[str | None] = mapped_column(String(64))
    closes_at: Mapped[datetime | None]
    voters: Mapped[int | None]  # counted at close
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class PollOption(Base):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1, 2, … as shown
    label: Mapped[str] = mapped_column(String(100))
    votes: Mapped[int | None]  # counted at close


class PollTarget(Base):
    """A conversation a poll was posted to; its results are posted there too."""

    __tablename__ = "poll_targets"
    __table_args__ = (UniqueConstraint("poll_id", "platform", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[str] = mapped_column(String(100))


class PollVote(Base):
    """A choice in a public poll: who chose what (a set of rows per person when several may be chosen)."""

    __tablename__ = "poll_votes"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id", ondelete="CASCADE"), primary_key=True)


class PollBallot(Base):
    """A choice in an anonymous, open poll, under a keyed hash of the voter; no person, no time.

    Without a rowid on SQLite the rows are kept in key order, not in the order they were cast, so
    their order cannot be matched against the ledger's. All of them are deleted at close.
    """

    __tablename__ = "poll_ballots"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    voter_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id", ondelete="CASCADE"), primary_key=True)


class PollNativeCopy(Base):
    """A poll sent as Telegram's own poll: where it went and, for an anonymous one, Telegram's counts.

    `counts` and `voters` are only ever the totals Telegram reports for an anonymous copy (who voted
    is not told to the bot); `counted_update` is the update they came from, so an older one repeated
    never overwrites a newer count.
    """

    __tablename__ = "poll_native_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[str] = mapped_column(String(100))
    message_id: Mapped[int] = mapped_column(BigInteger)
    native_id: Mapped[str] = mapped_column(String(100), unique=True)
    counts: Mapped[list[int] | None] = mapped_column(JSON)
    voters: Mapped[int | None]
    counted_update: Mapped[int | None] = mapped_column(BigInteger)


class Survey(Base):
    """A current-state survey: statements answered 1–5 by the members of its units (none: everyone).

    `open_slot` is True while the survey is open and NULL once closed: unique, so the organisation
    has at most one open survey, also when two admins start one at the same moment.
    """

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    open_slot: Mapped[bool | None] = mapped_column(unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class SurveyUnit(Base):
    """A unit whose members (its subtree's) are asked; a survey with none asks everyone."""

    __tablename__ = "survey_units"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)


class SurveyItem(Base):
    """One question of a survey, by key: a statement of a category, or (no statement) the category's
    interest question. The texts live with the statement set, in every language."""

    __tablename__ = "survey_items"
    __table_args__ = (UniqueConstraint("survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1, 2, … as asked
    category: Mapped[str] = mapped_column(String(40))
    statement: Mapped[str | None] = mapped_column(String(40))  # None: "how important is this area to you?"


class SurveyAnswer(Base):
    """A person's answer to one item, 1–5 or None (skipped); changed in place until the survey closes.

    `unit_id` is the person's unit when they answered: results per unit count it there.
    """

    __tablename__ = "survey_answers"

    item_id: Mapped[int] = mapped_column(ForeignKey("survey_items.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[int | None]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime]


class Goal(Base):
    """A measurable goal of a unit (or, with no unit, of the organisation): a metric in a canonical unit,
    a baseline with its year, a target and a deadline. `metric_kind` is amount (summed in a roll-up)
    or rate (averaged by members, e.g. % sorted)."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    metric_unit: Mapped[str] = mapped_column(String(30))  # canonical: kWh, kg, km, l, kg CO2e, %
    metric_label: Mapped[str] = mapped_column(String(100))  # what is counted: "residual waste", "sorted"
    metric_kind: Mapped[str] = mapped_column(String(10))  # amount | rate
    baseline: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    baseline_year: Mapped[int]
    target: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    deadline: Mapped[date] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    dimension: Mapped[str] = mapped_column(String(12))  # ecological | economic | social
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    reached_at: Mapped[datetime | None]  # when a measurement first reached the target (celebrated once)


class GoalMeasurement(Base):
    """A measured value of a goal's metric on a day, in its canonical unit: verified by being measured.
    Never changed, only removed (then kept as history)."""

    __tablename__ = "goal_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    measured_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    # A measurement taken back (a typo, the wrong day) is kept, marked removed, and no longer counts.
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    removed_at: Mapped[datetime | None]


class GoalRemoval(Base):
    """A goal removed (set by mistake, or no longer pursued), by whom, when and why: the goal is kept, out
    of every figure but the review pack's. One row a goal, so that of two removals at once one is kept."""

    __tablename__ = "goal_removals"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]


class GoalChange(Base):
    """One field of a goal changed (a typo in the title, a target or deadline moved, a new owner): who, when,
    from what to what, written as text (a figure in the metric's canonical unit, a day, a person's id)."""

    __tablename__ = "goal_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(12))  # title | target | deadline | owner
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str | None] = mapped_column(String(200))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class GoalLink(Base):
    """An idea or a campaign tied to a goal: its savings or impact count toward the goal."""

    __tablename__ = "goal_links"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # idea | campaign
    ref_id: Mapped[int] = mapped_column(primary_key=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class BoardLink(Base):
    """A read-only link to the board page of a unit (or the organisation): only the token's hash is kept."""

    __tablename__ = "board_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]


class Setting(Base):
    """One setting of the organisation kept in the database (`language`: what its posts are written in)."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime]
