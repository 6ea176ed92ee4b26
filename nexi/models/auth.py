"""Login sessions (with the navigation guard's state) and login failure counts (DOMAIN.md 3-1)."""

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class LoginSession(SQLModel, table=True):
    """One complete login, kept on the server; the browser holds only a random id whose hash is `id`.

    The columns after `ended_reason` are the navigation guard's state (nexi/navigation.py): where
    the user is, the one token that is valid now, and what is needed to recognise a repeated or
    stale request.
    """

    __tablename__ = "login_session"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's session id
    user_id: int = Field(foreign_key="web_user.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    previous_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # ⑤ 最終ログイン日時
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_reason: str | None = Field(default=None, max_length=20)

    token: str = Field(max_length=32)
    prev_token: str | None = Field(default=None, max_length=32)
    seq: int = 0
    fingerprint: str | None = Field(default=None, max_length=64)  # of the last request served
    retired: list = Field(default_factory=list, sa_type=JSON)  # [[token, why it was retired], …]
    screen: str = Field(default="home.index", max_length=60)
    screen_args: dict = Field(default_factory=dict, sa_type=JSON)
    procedure: dict | None = Field(default=None, sa_type=JSON)
    ticket: bool = False  # one GET of the app's address is owed to the POST that redirected there
    notice: dict | None = Field(default=None, sa_type=JSON)  # a guard notice waiting to be shown


class LoginFailure(SQLModel, table=True):
    """Consecutive failures per submitted ID string, whether or not such a user exists."""

    __tablename__ = "login_failure"

    login_key: str = Field(primary_key=True, max_length=64)
    count: int = 0
    last_failed_at: datetime = Field(sa_type=UTCDateTime)
    locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
