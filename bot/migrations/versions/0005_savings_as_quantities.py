"""savings as quantities: canonical units, a replaced value kept as history

Free-text savings are converted to their canonical unit where the unit can be read; those that
cannot keep their text (the card still shows them) and are reported. Of several values of one kind
on an idea, the newest stays current and the older ones are marked replaced by it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from bot.core.errors import DomainError
from bot.core.quantities import to_canonical


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

log = logging.getLogger("bot.migrations")

savings = sa.table(
    'savings',
    sa.column('id', sa.Integer),
    sa.column('idea_id', sa.Integer),
    sa.column('amount', sa.Numeric(18, 3)),
    sa.column('unit', sa.String),
    sa.column('kind', sa.String),
    sa.column('recorded_by_id', sa.Integer),
    sa.column('created_at', sa.DateTime),
    sa.column('replaced_at', sa.DateTime),
    sa.column('replaced_by_id', sa.Integer),
)
drafts = sa.table(
    'idea_drafts',
    sa.column('id', sa.Integer),
    sa.column('saving_amount', sa.Numeric(18, 3)),
    sa.column('saving_unit', sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table('savings', schema=None) as batch_op:
        batch_op.alter_column('amount', existing_type=sa.Numeric(precision=14, scale=2),
                              type_=sa.Numeric(precision=18, scale=3), existing_nullable=False)
        batch_op.add_column(sa.Column('replaced_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_savings_replaced_by_id_persons'), 'persons', ['replaced_by_id'], ['id'])
    with op.batch_alter_table('idea_drafts', schema=None) as batch_op:
        batch_op.alter_column('saving_amount', existing_type=sa.Numeric(precision=14, scale=2),
                              type_=sa.Numeric(precision=18, scale=3), existing_nullable=True)
    _convert_savings()
    _convert_drafts()
    _keep_the_newest_of_each_kind()


def _report(message: str) -> None:
    log.warning(message)
    op.get_context().config.print_stdout(message)


def _convert_savings() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(savings).order_by(savings.c.id)).all():
        try:
            canonical = to_canonical(row.amount, row.unit)
        except DomainError:
            _report(f"saving #{row.id} on idea #{row.idea_id} kept as typed: cannot read {row.amount} {row.unit!r}")
            continue
        bind.execute(
            savings.update().where(savings.c.id == row.id).values(amount=canonical.amount, unit=canonical.unit)
        )


def _convert_drafts() -> None:
    """A held draft's saving is checked again when it is submitted, so one we cannot read is dropped."""
    bind = op.get_bind()
    query = sa.select(drafts).where(drafts.c.saving_unit.is_not(None)).order_by(drafts.c.id)
    for row in bind.execute(query).all():
        try:
            canonical = to_canonical(row.saving_amount, row.saving_unit)
            values = {'saving_amount': canonical.amount, 'saving_unit': canonical.unit}
        except DomainError:
            _report(f"draft #{row.id}: saving dropped, cannot read {row.saving_amount} {row.saving_unit!r}")
            values = {'saving_amount': None, 'saving_unit': None}
        bind.execute(drafts.update().where(drafts.c.id == row.id).values(**values))


def _keep_the_newest_of_each_kind() -> None:
    bind = op.get_bind()
    newest: dict[tuple[int, str], sa.Row] = {}
    rows = bind.execute(sa.select(savings).order_by(savings.c.id.desc())).all()
    for row in rows:
        later = newest.setdefault((row.idea_id, row.kind), row)
        if later is not row:
            bind.execute(
                savings.update()
                .where(savings.c.id == row.id)
                .values(replaced_at=later.created_at, replaced_by_id=later.recorded_by_id)
            )


def downgrade() -> None:
    op.execute(savings.delete().where(savings.c.replaced_at.is_not(None)))
    with op.batch_alter_table('idea_drafts', schema=None) as batch_op:
        batch_op.alter_column('saving_amount', existing_type=sa.Numeric(precision=18, scale=3),
                              type_=sa.Numeric(precision=14, scale=2), existing_nullable=True)
    with op.batch_alter_table('savings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_savings_replaced_by_id_persons'), type_='foreignkey')
        batch_op.drop_column('replaced_by_id')
        batch_op.drop_column('replaced_at')
        batch_op.alter_column('amount', existing_type=sa.Numeric(precision=18, scale=3),
                              type_=sa.Numeric(precision=14, scale=2), existing_nullable=False)
