"""A test client that uses the portal as a browser would: by screen, with tokens, in either transport.

`portal.go("home.notices", page=2)` posts to that endpoint with the current CSRF and navigation
tokens, the way the screen's own form does, and returns the next screen: without JavaScript by
following the redirect to the app's address, with htmx as the fragment the server sends back.
"""

from flask import url_for
from sqlmodel import col, select, update

from nexi import db
from nexi.demo import DEMO_PASSWORD
from nexi.models import LoginSession, WebUser
from tests.support.pages import Page

NAVIGATION_STATE = ("screen", "screen_args", "procedure")


class Portal:
    def __init__(self, app, client, transport: str = "plain"):
        self.app = app
        self.client = client
        self.transport = transport
        self.token: str | None = None
        self.csrf: str | None = None
        self.last: Page | None = None
        self.login_id: str | None = None

    def url(self, endpoint: str, **values) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def _page(self, response, check: bool = True) -> Page:
        page = Page(response)
        if response.mimetype == "text/html" and page.html.strip():
            if check:
                page.check()
            self.token = page.nav_token or self.token
            self.csrf = page.csrf_token or self.csrf
            self.last = page
        return page

    def get(self, path: str, *, headers=None, expect: int | None = 200, follow: bool = True) -> Page:
        response = self.client.get(path, headers=headers or {}, follow_redirects=follow)
        if expect is not None:
            assert response.status_code == expect, f"GET {path}: {response.status_code}"
        return self._page(response)

    def login(self, login_id: str = "demo-admin", password: str = DEMO_PASSWORD, otp: str | None = None) -> Page:
        page = self.get(self.url("auth.login"))
        response = self.client.post(
            self.url("auth.login_submit"),
            data={"csrf_token": page.csrf_token, "login_id": login_id, "password": password},
        )
        assert response.status_code == 303
        self.login_id = login_id
        if response.headers["Location"].endswith(self.url("auth.otp")):
            otp_page = self.get(self.url("auth.otp"))
            if otp is None:
                return otp_page
            response = self.client.post(
                self.url("auth.otp_submit"), data={"csrf_token": otp_page.csrf_token, "code": otp}
            )
        return self.get(response.headers["Location"])

    def post(
        self,
        path: str,
        data=None,
        *,
        htmx: bool | None = None,
        headers=None,
        token=None,
        csrf=None,
        follow: bool = True,
        expect: int | None = None,
        check: bool = True,
    ) -> Page:
        """POST like the screen's form; `token=False` leaves the navigation token out."""
        htmx = self.transport == "htmx" if htmx is None else htmx
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf if csrf is None else csrf)
        sent_token = self.token if token is None else token
        if sent_token is not False:
            payload.setdefault("_nav_live" if htmx else "_nav", sent_token)
        request_headers = dict(headers or {})
        if htmx:
            request_headers.setdefault("HX-Request", "true")
            request_headers.setdefault("HX-Target", "screen")
        response = self.client.post(path, data=payload, headers=request_headers)
        if not htmx and follow and response.status_code in (302, 303):
            assert expect in (None, 303), f"POST {path}: redirected, expected {expect}"
            return self.get(response.headers["Location"])
        if expect is not None:
            assert response.status_code == expect, f"POST {path}: {response.status_code}"
        return self._page(response, check=check)

    def go(self, endpoint: str, data=None, **kwargs) -> Page:
        return self.post(self.url(endpoint), data, **kwargs)

    # The navigation state on the server (nexi/navigation.py) ---------------------------------

    def _session_row(self):
        assert self.login_id, "not logged in"
        return (
            select(LoginSession)
            .join(WebUser, col(WebUser.id) == col(LoginSession.user_id))
            .where(col(WebUser.login_id) == self.login_id, col(LoginSession.ended_at).is_(None))
        )

    def state(self) -> dict:
        """Where this login is: its screen, the screen's arguments and the procedure running."""
        with self.app.app_context():
            row = db.session().exec(self._session_row()).one()
            return {name: getattr(row, name) for name in NAVIGATION_STATE}

    def server_token(self) -> str:
        """The navigation token valid now, as the server has it (without parsing a page)."""
        with self.app.app_context():
            return db.session().exec(self._session_row()).one().token

    def send(self, endpoint: str, data=None, *, follow: bool = True):
        """POST to `endpoint` with the current tokens (and follow any redirect), without parsing
        the answer: the raw response, for sweeps that post many times."""
        payload = {"csrf_token": self.csrf, "_nav": self.server_token(), **(data or {})}
        return self.client.post(self.url(endpoint), data=payload, follow_redirects=follow)

    def put_state(self, **columns) -> None:
        """Write columns of this login's session row, e.g. `screen=…, screen_args={…}`."""
        with self.app.app_context():
            row = db.session().exec(self._session_row()).one()
            db.session().exec(update(LoginSession).where(col(LoginSession.id) == row.id).values(**columns))
            db.session().commit()

    def show(self, screen: str, screen_args: dict | None = None, procedure: dict | None = None, **kwargs) -> Page:
        """Render `screen` the way the redirect after a POST does: the state written as the
        guard would write it, a ticket for the GET that follows, then `GET /`."""
        self.put_state(screen=screen, screen_args=screen_args or {}, procedure=procedure, ticket=True, notice=None)
        return self.get(self.url("home.current"), **kwargs)
