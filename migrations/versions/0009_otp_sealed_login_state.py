"""One-time password secrets encrypted at rest; the login state waiting for its one-time password
and the login attempts per address kept on the server (issue 14, DOMAIN.md 3-1, 3-3).

web_user.otp_secret widens to hold a Fernet token, and every secret stored in plain text until
now is encrypted with the app's key (NEXI_OTP_KEY, or the one derived from NEXI_SECRET_KEY outside
production): run it through `flask --app nexi db-upgrade`, which supplies the key.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import nexi.models.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80, then the timestamp)
USERS = sa.table("web_user", sa.column("id", sa.Integer), sa.column("otp_secret", sa.String))


def _otp():
    from flask import has_app_context

    if not has_app_context():
        raise RuntimeError("0009 encrypts OTP secrets with the app's key: run `flask --app nexi db-upgrade`")
    from nexi.auth import otp

    return otp


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(USERS).where(USERS.c.otp_secret.is_not(None))).all()
    for row in rows:
        new = change(row.otp_secret)
        if new != row.otp_secret:
            connection.execute(USERS.update().where(USERS.c.id == row.id).values(otp_secret=new))


def upgrade() -> None:
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.alter_column(
            "otp_secret", existing_type=sa.String(length=64), type_=sa.String(length=255), existing_nullable=True
        )
    connection = op.get_bind()
    if connection.execute(sa.select(sa.func.count()).select_from(USERS).where(USERS.c.otp_secret.is_not(None))).scalar():
        otp = _otp()
        _rewrite(lambda value: value if value.startswith(FERNET_PREFIX) else otp.seal(value))
    op.create_table(
        "login_challenge",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("login_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", nexi.models.types.UTCDateTime(), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["web_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_challenge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_challenge_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_challenge_created_at"), ["created_at"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address", "window"),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("login_challenge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_challenge_created_at"))
        batch_op.drop_index(batch_op.f("ix_login_challenge_user_id"))
    op.drop_table("login_challenge")
    connection = op.get_bind()
    if connection.execute(sa.select(sa.func.count()).select_from(USERS).where(USERS.c.otp_secret.is_not(None))).scalar():
        otp = _otp()
        _rewrite(lambda value: otp.unseal(value) if value.startswith(FERNET_PREFIX) else value)
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.alter_column(
            "otp_secret", existing_type=sa.String(length=255), type_=sa.String(length=64), existing_nullable=True
        )
