"""Server-side login sessions behind Flask-Login (DOMAIN.md 3-1).

The signed session cookie carries only a random session id; the row it names (`LoginSession`, by
the id's SHA-256) says whether the login is still alive. Logging out, a newer login of the same
user, the idle timeout and the absolute lifetime (`NEXI_SESSION_MAX_SECONDS` since the login,
however active) end the row, so a copied cookie is worthless afterwards.

The NEXI staff area (`/staff`, DOMAIN.md S.1) has sessions of its own: another cookie (its own
name and signing salt, `AreaSessionInterface`), rows that name a staff member instead of a Web
user, and a loader that reads only those. A customer's session never authenticates a staff
request, nor a staff session a customer's: each area reads its own cookie, and each loader joins
its rows through its own column only.
"""

import hashlib
import secrets
from datetime import timedelta
from types import SimpleNamespace

from flask import Flask, current_app, g, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlmodel import col, update

from nexi import customers, db
from nexi.audit import audit
from nexi.clock import real_now, today
from nexi.models import Customer, LoginSession, StaffUser, WebUser
from nexi.models.staff import role_names

login_manager = LoginManager()
STAFF_PREFIX = "/staff"


def staff_area() -> bool:
    """Whether this request is one of the NEXI staff area (its own cookie, sessions and screens)."""
    return has_request_context() and (request.path == STAFF_PREFIX or request.path.startswith(STAFF_PREFIX + "/"))


class AreaSessionInterface(SecureCookieSessionInterface):
    """The signed cookie session, one cookie per area: the staff area's has its own name and
    signing salt, so a customer's cookie (or its value copied into the other name) opens nothing
    there, and the reverse."""

    @property
    def salt(self) -> str:
        return "nexi-staff-session" if staff_area() else "cookie-session"

    def get_cookie_name(self, app: Flask) -> str:
        return app.config["STAFF_SESSION_COOKIE_NAME"] if staff_area() else super().get_cookie_name(app)


# Why the user is back at the login screen → what it says about it.
LOGIN_NOTICES = {
    "timeout": "一定時間操作が行われなかったため、セッションの有効期限が切れました。入力中の内容は破棄されました。"
    "確認画面まで進んだ手続きはWeb申込状況一覧から再開できます。再度ログインしてください。",
    "superseded": "同じWebユーザーIDで新たにログインされたため、このセッションは終了しました。",
    "disabled": "このWebユーザーIDは利用できなくなりました。管理者にお問い合わせください。",
    "otp_expired": "ワンタイムパスワードの入力時間が過ぎました。もう一度ログインしてください。",
    "expired": "ログインしてから一定時間が経過したため、セッションを終了しました。入力中の内容は破棄されました。"
    "確認画面まで進んだ手続きはWeb申込状況一覧から再開できます。再度ログインしてください。",
}


class Principal(UserMixin):
    """The logged-in Web user, with its 保険利用者 and its login session."""

    area = "customer"
    home_screen = "home.index"  # where the navigation guard falls back to
    app_endpoint = "home.current"  # the area's one address
    login_endpoint = "auth.login"

    def __init__(self, sid: str, login_session: LoginSession, user: WebUser, customer: Customer):
        self.sid = sid
        self.login_session = login_session
        self.user = user
        self.customer = customer

    def get_id(self) -> str:
        return self.sid

    @property
    def actor(self) -> dict:
        """Who acts, as `audit()` takes it."""
        return {"user": self.user}


class StaffPrincipal(UserMixin):
    """The logged-in NEXI staff member and its login session (S.1): no Web user, no 保険利用者."""

    area = "staff"
    home_screen = "staff.home"
    app_endpoint = "staff.current"
    login_endpoint = "staff.login"

    def __init__(self, sid: str, login_session: LoginSession, staff: StaffUser):
        self.sid = sid
        self.login_session = login_session
        self.staff = staff

    def get_id(self) -> str:
        return self.sid

    @property
    def actor(self) -> dict:
        return {"staff": self.staff}


def session_key(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Loaded(SimpleNamespace):
    """One row of a login's tables, read with SQLAlchemy Core: the model's attributes without the
    ORM's bookkeeping. Every request after login reads three rows, and ORM objects cost a
    noticeable share of a small fragment (the bench shows it). Nothing writes them back by
    itself: the navigation guard writes the session's row with its token check and `end()` with
    an UPDATE. A screen that changes the user or the company (none does yet) loads the model."""


class LoadedUser(Loaded):
    is_admin = vars(WebUser)["is_admin"]  # the model's own property: one definition of 管理者


class LoadedStaff(Loaded):
    @property
    def roles(self) -> list[str]:
        return role_names(self)


_TABLES = ((LoginSession.__table__, Loaded), (WebUser.__table__, LoadedUser), (Customer.__table__, Loaded))


def _spans():
    """Where each table's columns sit in the joined row: (kind, column names, first, past the last)."""
    first = 0
    for table, kind in _TABLES:
        yield kind, tuple(table.c.keys()), first, first + len(table.c)
        first += len(table.c)


_SPANS = tuple(_spans())


def _split(row) -> list[Loaded]:
    """The columns of one joined row, back into one object per table."""
    return [kind(**dict(zip(names, row[first:last], strict=True))) for kind, names, first, last in _SPANS]


# Built once: every request after login runs it.
_login, _user, _customer = (table for table, _ in _TABLES)
_LOAD = (
    select(*_login.c, *_user.c, *_customer.c)
    .select_from(
        _login.join(_user, _user.c.id == _login.c.user_id).join(_customer, _customer.c.id == _user.c.customer_id)
    )
    .where(_login.c.id == bindparam("session_id"))
)
_STATE = select(*_login.c).where(_login.c.id == bindparam("session_id"))
_staff = StaffUser.__table__
_STAFF_LOAD = (
    select(*_login.c, *_staff.c)
    .select_from(_login.join(_staff, _staff.c.id == _login.c.staff_user_id))
    .where(_login.c.id == bindparam("session_id"))
)
_STAFF_SPLIT = len(_login.c)


def read_state(key: str) -> Loaded:
    """The login session's row as it is now (the navigation guard, after losing a race)."""
    return Loaded(**db.session().connection().execute(_STATE, {"session_id": key}).one()._asdict())


def _ended(login_session: Loaded, account: Loaded) -> bool:
    """Whether the login is over (ending it now if it just ran out); the reason goes to g."""
    if login_session.ended_at is not None:
        g.session_end = login_session.ended_reason
        return True
    now = real_now()
    config = current_app.config
    idle = timedelta(seconds=config["NEXI_IDLE_TIMEOUT_SECONDS"])
    ending = None
    if not account.active:
        ending = "disabled"
    elif now - login_session.created_at > timedelta(seconds=config["NEXI_SESSION_MAX_SECONDS"]):
        ending = "expired"  # however active: a stolen session id does not live for ever
    elif now - login_session.last_seen_at > idle:
        ending = "timeout"
    if ending is not None:
        end(login_session, ending)
        g.session_end = ending
    return ending is not None


def _load_staff(sid: str):
    row = db.session().connection().execute(_STAFF_LOAD, {"session_id": session_key(sid)}).first()
    if row is None:
        return None
    login_session = Loaded(**dict(zip(_login.c.keys(), row[:_STAFF_SPLIT], strict=True)))
    staff = LoadedStaff(**dict(zip(_staff.c.keys(), row[_STAFF_SPLIT:], strict=True)))
    return None if _ended(login_session, staff) else StaffPrincipal(sid, login_session, staff)


@login_manager.user_loader
def _load(sid: str):
    if staff_area():
        return _load_staff(sid)
    row = db.session().connection().execute(_LOAD, {"session_id": session_key(sid)}).first()
    if row is None:
        return None
    login_session, user, customer = _split(row)
    if _ended(login_session, user):
        return None
    if customer.next_change_on is not None and customer.next_change_on <= today():
        # a recorded change of the company (U01) has come into effect: every screen shows it now
        customer = customers.apply_due(customer.id)
    return Principal(sid, login_session, user, customer)


@login_manager.unauthorized_handler
def _unauthorized():
    from nexi.rendering import is_htmx, redirect_page

    reason = g.get("session_end")
    if reason is not None:
        session.clear()  # the login it named is over: forget it in the browser too
    if reason in LOGIN_NOTICES:
        session["login_notice"] = reason
    login = url_for("staff.login" if staff_area() else "auth.login")
    return redirect_page(login) if is_htmx() else redirect(login)


def _begin(owner, account, **columns) -> tuple[str, LoginSession]:
    """A new login session of `account` (`owner`: its column in login_session); its older ones end."""
    now = real_now()
    database = db.session()
    database.exec(
        update(LoginSession)
        .where(owner == account.id, col(LoginSession.ended_at).is_(None))
        .values(ended_at=now, ended_reason="superseded")
    )
    sid = secrets.token_urlsafe(32)
    login_session = LoginSession(
        id=session_key(sid),
        created_at=now,
        last_seen_at=now,
        previous_login_at=account.last_login_at,
        token=new_token(),
        ticket=True,
        **columns,
    )
    account.last_login_at = now
    database.add(login_session)
    database.add(account)
    session.clear()  # a fresh cookie: nothing from before the login survives, CSRF token included
    return sid, login_session


def start(user: WebUser) -> LoginSession:
    """Begin a complete login: end the user's older sessions, rotate the session id, log in."""
    sid, login_session = _begin(col(LoginSession.user_id), user, user_id=user.id)
    customer = db.session().get(Customer, user.customer_id)
    login_user(Principal(sid, login_session, user, customer))
    audit("login.success", user=user, login_key=user.login_key)
    return login_session


def start_staff(staff: StaffUser, home_screen: str = StaffPrincipal.home_screen) -> LoginSession:
    """Begin a complete login of a NEXI staff member (S.1), in the staff area's own session."""
    sid, login_session = _begin(col(LoginSession.staff_user_id), staff, staff_user_id=staff.id, screen=home_screen)
    login_user(StaffPrincipal(sid, login_session, staff))
    audit("staff.login.success", staff=staff, login_key=staff.login_key)
    return login_session


def end_staff_sessions(staff_id: int, reason: str, *, keep: str | None = None) -> None:
    """End a staff member's login sessions at once (all but `keep`, the current one)."""
    statement = update(LoginSession).where(
        col(LoginSession.staff_user_id) == staff_id, col(LoginSession.ended_at).is_(None)
    )
    if keep is not None:
        statement = statement.where(col(LoginSession.id) != keep)
    db.session().exec(statement.values(ended_at=real_now(), ended_reason=reason))


def end(login_session: LoginSession, reason: str) -> None:
    login_session.ended_at = real_now()
    login_session.ended_reason = reason
    db.session().execute(
        update(LoginSession)
        .where(col(LoginSession.id) == login_session.id)
        .values(ended_at=login_session.ended_at, ended_reason=reason)
        .execution_options(synchronize_session=False)
    )


def logout() -> None:
    """End the current login on the server and forget it in the browser."""
    if current_user.is_authenticated:
        end(current_user.login_session, "logout")
        audit("logout", **current_user.actor)
    logout_user()
    session.clear()


def init_app(app: Flask) -> None:
    app.session_interface = AreaSessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session already binds the login
