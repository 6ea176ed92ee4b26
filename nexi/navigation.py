"""The navigation guard (manual 2-5, DESIGN.md "Navigation guard").

The manual forbids the browser's own navigation — back, forward, refresh, bookmarks, typed URLs,
several tabs — because screen data and authentication must stay consistent. Rather than hoping
users comply, the server makes each of those harmless:

* Where the user is lives in the login session row (`LoginSession.screen`, `.screen_args`,
  `.procedure`), so any screen can be rendered again from the server alone. The app has one
  address, ``/``: a GET of it renders the current screen.
* Every screen-changing request is a POST that carries the one navigation token valid now. A
  request with another token is refused at once. One with the current token runs, changing the
  state in memory only; the state is written once, before the response is rendered, by a single
  conditional UPDATE (``… SET token = :new, screen = … WHERE token = :sent``). Of two
  simultaneous requests exactly one such UPDATE succeeds: on SQLite the second request waits
  for the first from its very first statement (``BEGIN IMMEDIATE``, see nexi/db.py) and is
  refused; on PostgreSQL it may run its view, but its UPDATE waits for the first's row lock,
  matches nothing, and everything it did is rolled back before it is answered as a repeat.
* A request whose token is not the current one is never run. If it repeats the last request with
  the same data (a double click, a re-sent form) the user sees that request's result; otherwise
  (a page from the history, another tab, no token at all) the current screen is shown with a
  notice naming what happened. Retired tokens remember why they were retired, which tells "a page
  the user went back to" from "a page another tab has since replaced".
* Without JavaScript, a POST answers 303 to ``/`` and leaves a one-time ticket, so the GET that
  follows is recognised as the redirect; any other GET of ``/`` (refresh, back, a typed URL, a
  duplicated tab) is reported and rotates the token, so a tab left behind cannot act any more.
  With htmx, a POST answers with the next screen's fragment directly.
* Each misuse goes to the audit log, changes no data and loses nothing saved.
* A screen that fails to render from its saved state is replaced by the user page, with a
  message, rather than left to fail on every later request of the session.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps

from flask import current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam

from nexi import db
from nexi.audit import audit
from nexi.clock import real_now
from nexi.models import LoginSession
from nexi.rendering import Page, add_message, is_htmx, messages, redirect_page
from nexi.sessions import new_token, read_state

RETIRED_KEPT = 20
NOT_SIGNED = {"csrf_token", "_nav", "_nav_live"}


@dataclass(frozen=True)
class Screen:
    name: str
    render: Callable
    pattern: int | Callable[[], int]  # 画面パターン 1 or 2, or a function of the state (procedures)

    def layout(self) -> int:
        return self.pattern() if callable(self.pattern) else self.pattern


SCREENS: dict[str, Screen] = {}


class ScreenGone(Exception):
    """The state a screen needs is no longer there (e.g. a procedure ended elsewhere)."""


def screen(name: str, *, pattern: int | Callable[[], int] = 1):
    """Register the function that renders screen `name` from its saved arguments."""

    def register(render: Callable) -> Callable:
        SCREENS[name] = Screen(name, render, pattern)
        return render

    return register


# kind → (what happened, what to do instead)
MISUSE = {
    "history": (
        "ブラウザの「戻る」「進む」「更新」ボタンによる画面遷移が行われました。",
        "Webサービスでは、画面内のボタンやリンクで操作してください。現在の画面を表示しています。",
    ),
    "typed": (
        "URLの直接入力、お気に入り（ブックマーク）または履歴からの画面遷移が行われました。",
        "Webサービスでは、画面内のボタンやリンクで操作してください。現在の画面を表示しています。",
    ),
    "away": (
        "ブラウザの「戻る」「進む」ボタン、URLの直接入力、お気に入り（ブックマーク）または履歴による画面遷移が行われました。",
        "ログイン中はログイン画面に戻れません。画面内のボタンやリンクで操作してください。現在の画面を表示しています。",
    ),
    "stale": (
        "ブラウザの「戻る」「進む」ボタンで表示した以前の画面から操作が行われたため、その操作は実行されませんでした。",
        "現在の画面から操作をやり直してください。",
    ),
    "other_tab": (
        "複数のタブ・ウィンドウで操作が行われたため、その操作は実行されませんでした。",
        "Webサービスは1つのタブ・ウィンドウでご利用ください。この画面で操作を続けてください。",
    ),
    "duplicate": (
        "同じ操作が重ねて送信されました（ボタンの二度押し、または再送信）。",
        "2回目以降の送信は実行していません。最初の送信の結果を表示しています。",
    ),
    "invalid": (
        "画面の情報が正しくないため、操作は実行されませんでした。",
        "現在の画面から操作をやり直してください。",
    ),
}


def state() -> LoginSession:
    """The navigation state of the current login session."""
    return current_user.login_session


STATE_COLUMNS = (
    "token",
    "prev_token",
    "fingerprint",
    "retired",
    "screen",
    "screen_args",
    "procedure",
    "ticket",
    "notice",
    "last_seen_at",
)


class Superseded(Exception):
    """Another request with the same token was written first (PostgreSQL; see the docstring)."""


_TABLE = LoginSession.__table__


@cache
def _update(columns: tuple[str, ...], conditional: bool):
    """An UPDATE of these state columns, built once (these run on nearly every request)."""
    statement = _TABLE.update().where(_TABLE.c.id == bindparam("session_id"))
    values = {name: bindparam(f"new_{name}", type_=_TABLE.c[name].type) for name in columns}
    if conditional:
        statement = statement.where(_TABLE.c.token == bindparam("expected_token"), _TABLE.c.ended_at.is_(None))
        values["seq"] = _TABLE.c.seq + 1
    return statement.values(**values)


def _write(login_session: LoginSession, *columns: str, expected_token: str | None = None) -> bool:
    """Write state columns in one UPDATE. A guarded request writes them all, and only if the
    stored token is still the one it was sent (`expected_token`); other writes (a notice, a
    re-issued token) touch only their own columns, so they never undo a concurrent request's
    state. The row was read with Core, outside the ORM session (nexi/sessions.py): this is the
    only way the guard's state reaches the database."""
    columns = columns or STATE_COLUMNS
    params = {f"new_{name}": getattr(login_session, name) for name in columns}
    params["session_id"] = login_session.id
    if expected_token is not None:
        params["expected_token"] = expected_token
    statement = _update(tuple(columns), expected_token is not None)
    return db.session().connection().execute(statement, params).rowcount == 1


def finalize() -> None:
    """Write the state of a guarded request (once, before its response is rendered)."""
    pending = g.pop("guard", None)
    if pending is not None and not _write(state(), expected_token=pending):
        raise Superseded


def _fingerprint() -> str:
    digest = hashlib.sha256(request.endpoint.encode())
    for key in sorted(request.form):
        if key not in NOT_SIGNED:
            for value in request.form.getlist(key):
                digest.update(f"\0{key}\0{value}".encode())
    for key in sorted(request.files):
        for upload in request.files.getlist(key):
            digest.update(f"\0{key}\0{upload.filename}\0{upload.content_length}".encode())
    return digest.hexdigest()


def _sent_token() -> str | None:
    # htmx sends the page's live token (#nav-token, refreshed with every response); a plain form
    # sends the one written into it.
    return request.form.get("_nav_live") or request.form.get("_nav") or None


def _retire(login_session: LoginSession, token: str, why: str) -> None:
    login_session.retired = ([[token, why]] + list(login_session.retired or []))[:RETIRED_KEPT]


def _classify(login_session: LoginSession, sent: str | None, fingerprint: str) -> str:
    if not sent:
        return "invalid"
    if sent == login_session.prev_token and fingerprint == login_session.fingerprint:
        return "duplicate"
    for token, why in login_session.retired or []:
        if token == sent:
            return "other_tab" if why == "rerender" else "stale"
    return "invalid"


def _login_again():
    from nexi.sessions import login_manager

    return login_manager.unauthorized()


def _refusal():
    """The answer to a request that may not run (no login, or not the current token), or None."""
    if not current_user.is_authenticated:
        return _login_again()
    sent = _sent_token()
    if not sent or sent != state().token:
        return misuse(_classify(state(), sent, _fingerprint()))
    return None


# Screens a login is held on until it is done there (3-2: a 仮パスワード is changed before anything
# else). The chapter owning such a screen registers a function here that returns the screen the
# current login is held on, or None; the guard only enforces it: while held, a guarded request
# runs only a view marked `while_held` (the held screen's own), any other request and GET / show
# the held screen instead, and downloads are refused. Holds are kept per area (the customers',
# the staff's), as each area's logins have their own screens.
HOLDS: dict[str, list[Callable[[], str | None]]] = {"customer": [], "staff": []}


def held_on() -> str | None:
    """The screen the current login is held on, or None (see HOLDS)."""
    for hold in HOLDS[current_user.area]:
        name = hold()
        if name is not None:
            return name
    return None


def while_held(view: Callable) -> Callable:
    """Mark a guarded view as one that may run while the login is held on its screen."""
    view.while_held = True
    return view


def guarded(view: Callable) -> Callable:
    """Run a screen-changing POST only when it carries the current navigation token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        refused = _refusal()
        if refused is not None:
            return refused
        login_session = state()
        sent = _sent_token()
        fingerprint = _fingerprint()
        before = SCREENS.get(login_session.screen)
        g.pattern_before = before.layout() if before else None
        g.guard = sent
        _retire(login_session, sent, "navigate")
        login_session.prev_token, login_session.token = sent, new_token()
        login_session.fingerprint, login_session.last_seen_at = fingerprint, real_now()
        login_session.ticket, login_session.notice = False, None
        try:
            try:
                held = held_on()
                if held is not None and not getattr(view, "while_held", False):
                    response = show(held)
                else:
                    response = view(*args, **kwargs)
            except ScreenGone:
                response = show(current_user.home_screen)
            finalize()  # a view that answered without a screen (none should) still rotates
            return response
        except Superseded:
            db.session().rollback()
            g.pop("messages", None)
            current_user.login_session = fresh = read_state(login_session.id)
            return misuse(_classify(fresh, sent, fingerprint))

    wrapper.guarded = True
    return wrapper


def readonly(view: Callable) -> Callable:
    """A download (CSV, 控え, attachment): it needs the current navigation token, but neither
    rotates it nor changes the screen, so the page it was asked from stays usable."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        refused = _refusal()
        if refused is None and held_on() is not None:
            return respond()  # the held screen instead of the file (render_current shows it)
        return refused or view(*args, **kwargs)

    wrapper.guarded = True
    return wrapper


def _report(kind: str, **detail) -> list[dict]:
    """Audit a misuse and word the notice: what happened, what to do, and that a saved draft of
    the procedure on screen is safe."""
    login_session = state()
    audit(f"guard.{kind}", **current_user.actor, screen=login_session.screen, **detail)
    happened, advice = MISUSE[kind]
    notices = [{"text": advice, "title": happened, "level": "warning"}]
    running = login_session.procedure or {}
    if running.get("number") and running.get("at") != "complete" and login_session.screen.startswith("procedure."):
        notices.append(
            {
                "text": f"入力中の手続き（Web申込番号 {running['number']}）は一時保存されています。"
                "「Web申込状況一覧」からいつでも再開できます。",
                "title": None,
                "level": "info",
            }
        )
    return notices


def misuse(kind: str):
    """Show the current screen with a notice saying what happened; change nothing else."""
    messages().extend(_report(kind))
    g.widen = True  # the page on the user's screen may be anything: replace all of it
    return respond()


def show(name: str, **args):
    """Make `name` the current screen (with `args` to render it again) and answer the request."""
    login_session = state()
    login_session.screen = name
    login_session.screen_args = args
    if g.get("pattern_before") != SCREENS[name].layout():
        g.widen = True
    return respond()


def respond():
    """Answer a guarded request: the screen itself for htmx, a redirect to ``/`` otherwise."""
    login_session = state()
    if not is_htmx():
        login_session.ticket = True
        login_session.notice = {"messages": messages()} if messages() else None
    if g.get("guard") is not None:
        finalize()
    elif not is_htmx():  # a misuse answered by redirect: the notice waits for the GET
        _write(login_session, "ticket", "notice")
    if is_htmx():
        return render_current()
    return redirect(url_for(current_user.app_endpoint), 303)


UNRENDERABLE = "画面を表示できなかったため、ユーザーページを表示しています。"
UNRENDERABLE_STAFF = "画面を表示できなかったため、職員コンソールを表示しています。"


def render_current():
    """Render the current screen from the saved state alone.

    In this order: the guard's state is written (`finalize`, if this request has not yet written
    it), the screen reads what it shows (on SQLite, a list or the user page after
    `db.done_writing()`), the request commits (`db.commit_early()`: no lock is held while the
    templates render), and the templates render.

    A screen that cannot be rendered from its saved state (it fails, whatever the reason) is
    replaced by the user page, with a message: left stored, it would fail on every later request
    of the session, the login page included.
    """
    finalize()
    login_session = state()
    home = current_user.home_screen
    held = held_on()
    if held is not None and login_session.screen != held:  # GET / of a login held on a screen
        login_session.screen, login_session.screen_args = held, {}
        _write(login_session, "screen", "screen_args")
    found = SCREENS.get(login_session.screen)
    if found is None:  # a screen that no longer exists after an upgrade
        found = SCREENS[home]
    args = (login_session.screen_args or {}) if found.name == login_session.screen else {}
    shown = len(messages())
    try:
        return _render(found, args)
    except ScreenGone:
        login_session.screen, login_session.screen_args = home, {}
        _write(login_session, "screen", "screen_args")
        return _render(SCREENS[home], {})
    except Exception:
        if found.name == home and not args:
            raise  # nothing left to fall back to
        current_app.logger.exception("screen %s failed to render from %r", found.name, args)
    db.rollback()
    del messages()[shown:]  # what the failed screen meant to say
    login_session.screen, login_session.screen_args = home, {}
    _write(login_session)  # the whole state: the rollback may have undone this request's own write
    add_message(UNRENDERABLE if current_user.area == "customer" else UNRENDERABLE_STAFF, level="warning")
    g.widen = True  # whatever the failed screen was, the user page replaces all of the page
    return _render(SCREENS[home], {})


def _render(found: Screen, args: dict):
    g.current_screen = found
    page = found.render(**args)
    db.commit_early()
    return page.response() if isinstance(page, Page) else page


_CLAIM = (
    _TABLE.update()
    .where(_TABLE.c.id == bindparam("session_id"), _TABLE.c.ticket.is_(True))
    .values(ticket=False, notice=None, last_seen_at=bindparam("now", type_=_TABLE.c.last_seen_at.type))
)


def claim_ticket() -> bool:
    """Take the one-time ticket a redirecting POST left; False when there was none."""
    login_session = state()
    claimed = db.session().connection().execute(_CLAIM, {"session_id": login_session.id, "now": real_now()})
    if claimed.rowcount != 1:
        return False
    for message in (login_session.notice or {}).get("messages", []):
        messages().append(message)
    login_session.ticket, login_session.notice = False, None
    return True


def reissue(kind: str):
    """A GET of the app's address that no POST asked for: report it and re-render with a new token.

    The new token retires the one on any other tab showing this session, so that tab cannot act
    any more (its next request is reported as "another tab").
    """
    login_session = state()
    shown = login_session.token
    _retire(login_session, shown, "rerender")
    login_session.prev_token = None
    login_session.token = new_token()
    login_session.last_seen_at = real_now()
    # only if no other request moved the session on meanwhile (then its token stays current)
    _write(login_session, "retired", "prev_token", "token", "last_seen_at", expected_token=shown)
    messages().extend(_report(kind))
    return render_current()


def arrived_by_typing() -> bool:
    """The browser says the user typed the address or chose a bookmark (Fetch Metadata)."""
    return request.headers.get("Sec-Fetch-Site") == "none"


def redirect_misuse(kind: str):
    """A GET of an address that is not the app's (a deep screen URL, the login page while logged
    in): note the misuse for the next render and send the browser to the app's address."""
    login_session = state()
    login_session.notice = {"messages": _report(kind, path=request.path)}
    login_session.ticket = True
    _write(login_session, "notice", "ticket")
    return redirect_page(url_for(current_user.app_endpoint))
