"""A test client for the NEXI staff area (S.1), as a browser would use it: the staff login (password,
then TOTP), and screens by endpoint with the tokens, like `Portal` for the customers."""

import pyotp
from flask import url_for
from sqlmodel import col, select, update

from nexi import db
from nexi.demo import DEMO_PASSWORD
from nexi.demo.staff import MANAGER_SECRET, REVIEWER_SECRET
from nexi.models import LoginSession, StaffUser
from tests.support.portal import Portal

SECRETS = {"demo-reviewer": REVIEWER_SECRET, "demo-manager": MANAGER_SECRET}
STAFF_COOKIE = "nexi_staff_session"


def code(secret: str, steps: int = 0) -> str:
    """The TOTP code of `secret` now (or `steps` steps later)."""
    import time

    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def forget_last_step(app, login_id: str) -> None:
    """Let the current code be used again (a test logs the same staff member in more than once)."""
    with app.app_context():
        db.session().exec(update(StaffUser).where(col(StaffUser.login_id) == login_id).values(otp_last_step=None))
        db.session().commit()


class StaffPortal(Portal):
    def password_step(self, login_id: str, password: str = DEMO_PASSWORD):
        """The password step: the answer's redirect (to the login page's next step)."""
        page = self.get(self.url("staff.login"))
        response = self.client.post(
            self.url("staff.login_submit"),
            data={"csrf_token": page.csrf_token, "login_id": login_id, "password": password},
        )
        assert response.status_code == 303
        self.login_id = login_id
        return self.get(response.headers["Location"])

    def otp_step(self, otp: str):
        page = self.last
        response = self.client.post(self.url("staff.otp_submit"), data={"csrf_token": page.csrf_token, "code": otp})
        assert response.status_code == 303
        return self.get(response.headers["Location"])

    def login(self, login_id: str = "demo-manager", password: str = DEMO_PASSWORD, otp: str | None = None):
        """A complete staff login; for the demo staff the TOTP code is computed from their secret."""
        page = self.password_step(login_id, password)
        if otp is None and login_id in SECRETS:
            forget_last_step(self.app, login_id)
            otp = code(SECRETS[login_id])
        if otp is None or page.h1 not in ("ワンタイムパスワード入力", "ワンタイムパスワード登録"):
            return page
        return self.otp_step(otp)

    def _session_row(self):
        assert self.login_id, "not logged in"
        return (
            select(LoginSession)
            .join(StaffUser, col(StaffUser.id) == col(LoginSession.staff_user_id))
            .where(col(StaffUser.login_id) == self.login_id, col(LoginSession.ended_at).is_(None))
        )

    def show(self, screen: str, screen_args: dict | None = None, procedure: dict | None = None, **kwargs):
        self.put_state(screen=screen, screen_args=screen_args or {}, procedure=procedure, ticket=True, notice=None)
        return self.get(self.url("staff.current"), **kwargs)

    def current(self, **kwargs):
        return self.get(self.url("staff.current"), **kwargs)


def staff_account(app, login_id: str) -> StaffUser:
    with app.app_context():
        staff = db.session().exec(select(StaffUser).where(col(StaffUser.login_id) == login_id)).one()
        db.session().expunge(staff)
        return staff


def url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)
