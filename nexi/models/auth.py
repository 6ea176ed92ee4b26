"""Login sessions (with the navigation guard's state), login failure counts, the logins waiting
for their one-time password and the login attempts per address (DOMAIN.md 3-1, 3-3)."""

from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime

SEALED_CIPHER = "nexi_sealed_cipher"  # the app extension a SealedText column encrypts with


class Sealed:
    """A secret as a `SealedText` column holds it: encrypted, opened only by `reveal()`. A row read on
    every request (the logged-in user) never decrypts its secret unless it is used."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def reveal(self) -> str:
        return current_app.extensions[SEALED_CIPHER].unseal(self.token)

    def __repr__(self) -> str:
        return "Sealed(…)"

    def __eq__(self, other) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class SealedText(TypeDecorator):
    """A secret encrypted at rest (nexi/auth/otp.py holds the key): a plain string written is
    encrypted, a `Sealed` written back is stored as it is, and reading gives a `Sealed`."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, Sealed):
            return None if value is None else value.token
        return current_app.extensions[SEALED_CIPHER].seal(value)

    def process_result_value(self, value, dialect):
        return None if value is None else Sealed(value)


class LoginSession(SQLModel, table=True):
    """One complete login, kept on the server; the browser holds only a random id whose hash is `id`.

    The columns after `ended_reason` are the navigation guard's state (nexi/navigation.py): where
    the user is, the one token that is valid now, and what is needed to recognise a repeated or
    stale request.
    """

    __tablename__ = "login_session"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's session id
    # Exactly one of the two: a customer's login or a NEXI staff login (nexi/sessions.py loads
    # each area's rows only through its own column, so one never stands for the other).
    user_id: int | None = Field(default=None, foreign_key="web_user.id", index=True)
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
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
    """Consecutive failures per submitted ID string, whether or not such a user exists. Staff IDs
    are counted under their own keys (nexi/auth/lockout.py STAFF), apart from the customers'."""

    __tablename__ = "login_failure"

    login_key: str = Field(primary_key=True, max_length=64)
    count: int = 0
    last_failed_at: datetime = Field(sa_type=UTCDateTime)
    locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginChallenge(SQLModel, table=True):
    """A login whose password was right and whose one-time password is still owed (3-1, 3-3).

    Kept on the server: the browser holds only a random id whose hash is `id`, so no cookie, signed
    or not, can claim "password already checked". `secret` is the one being enrolled when the
    account has none yet (shown again if the page is refreshed, new at each login)."""

    __tablename__ = "login_challenge"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the random id in the cookie session
    user_id: int | None = Field(default=None, foreign_key="web_user.id", index=True)  # or, for staff:
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    login_key: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    secret: str | None = Field(default=None, sa_type=SealedText)


class LoginThrottle(SQLModel, table=True):
    """Login attempts (password or one-time password) per client address and fixed time window:
    kept in the database, so the limit holds across workers and hosts."""

    __tablename__ = "login_throttle"

    address: str = Field(primary_key=True, max_length=45)
    window: int = Field(primary_key=True)  # the window's number: epoch seconds // its length
    count: int = 0
