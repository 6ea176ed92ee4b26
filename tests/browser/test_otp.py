"""3-3 in a browser, JavaScript on and off: an account whose ワンタイムパスワード was switched on enrols
at its next login (the code computed from the secret the page shows), and the login after that asks
for a code. The second login moves the time step (the code of the next step, which the server
accepts as one step early) instead of waiting 30 seconds."""

import time

import pyotp
from sqlmodel import select

from nexi import db
from nexi.models import WebUser
from tests.browser.conftest import login, text


def test_enrol_at_login_then_the_next_login_asks_for_the_code(app, ui, check_accessibility):
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-user")).one()
        user.otp_enabled = True
        db.session().add(user)
        db.session().commit()

    login(ui, "demo-user")
    assert text(ui.locator("h1")) == "ワンタイムパスワード登録"
    assert ui.locator("figure.otp-qr svg").count() == 1
    check_accessibility(ui)
    totp = pyotp.TOTP(text(ui.locator(".otp-secret")).replace(" ", ""))
    ui.fill("#code", totp.now())
    ui.click("button:text-is('登録')")
    ui.wait_for_selector("h1:text-is('ユーザーページ')")
    assert "利用中" in text(ui.locator("#area-otp"))

    ui.click(".site-header button:text-is('ログアウト')")
    ui.wait_for_selector("h1:text-is('ログアウト')")
    login(ui, "demo-user")
    assert text(ui.locator("h1")) == "ワンタイムパスワード入力"
    ui.fill("#code", totp.at(time.time() + 30))
    ui.click("button:text-is('認証')")
    ui.wait_for_selector("h1:text-is('ユーザーページ')")
    check_accessibility(ui)
