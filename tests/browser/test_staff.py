"""S.1 in a browser, JavaScript on and off: a new staff member's first login (TOTP enrolment, then
the forced password change, then the console), and a 管理担当 unlocking a locked staff account.
axe runs on every page the test visits (the HTML checker on the same screens: tests/html)."""

import pyotp
from sqlmodel import select

from nexi import db
from nexi.clock import real_now
from nexi.models import LoginFailure
from tests.browser.conftest import text
from tests.support.staff import SECRETS, code, forget_last_step

TEMPORARY = "Temporary pass 2026"


def _staff_login(ui, login_id, password):
    ui.goto("/staff/login")
    ui.fill("#login_id", login_id)
    ui.fill("#password", password)
    ui.click("button:text-is('ログイン')")
    ui.wait_for_load_state()


def _shows(ui, heading):
    ui.wait_for_selector(f"h1:text-is('{heading}')")


def test_first_login_enrols_changes_the_password_then_a_manager_unlocks_a_colleague(app, ui, check_accessibility):
    with app.app_context():
        from nexi.blueprints.staff import service

        service.create("new-staff", "新井 職員", ["審査担当"], TEMPORARY)
        now = real_now()
        db.session().add(LoginFailure(login_key="STAFF:demo-reviewer", count=5, last_failed_at=now, locked_at=now))
        db.session().commit()

    ui.goto("/staff/login")
    check_accessibility(ui)
    _staff_login(ui, "new-staff", TEMPORARY)
    _shows(ui, "ワンタイムパスワード登録")
    assert ui.locator("figure.otp-qr svg").count() == 1
    check_accessibility(ui)
    secret = text(ui.locator(".otp-secret")).replace(" ", "")
    ui.fill("#code", pyotp.TOTP(secret).now())
    ui.click("button:text-is('登録')")
    _shows(ui, "パスワード変更")
    assert "仮パスワードでログインしています" in text(ui.locator(".forced-change"))
    check_accessibility(ui)
    ui.fill("#new_password", "my own long password 2026")
    ui.fill("#new_password_confirm", "my own long password 2026")
    ui.click("button:text-is('変更する')")
    _shows(ui, "職員コンソール")
    assert text(ui.locator(".staff-name")) == "新井 職員"
    assert text(ui.locator(".staff-roles")) == "審査担当"
    assert ui.locator("button:text-is('職員アカウント管理')").count() == 0  # not a 管理担当
    check_accessibility(ui)
    ui.click(".site-header button:text-is('ログアウト')")
    _shows(ui, "職員ログイン")

    forget_last_step(app, "demo-manager")
    _staff_login(ui, "demo-manager", "DemoPass#2026")
    _shows(ui, "ワンタイムパスワード入力")
    check_accessibility(ui)
    ui.fill("#code", code(SECRETS["demo-manager"]))
    ui.click("button:text-is('認証')")
    _shows(ui, "職員コンソール")
    ui.click("button:text-is('職員アカウント管理')")
    _shows(ui, "職員アカウント管理")
    check_accessibility(ui)
    row = ui.locator("tbody tr", has=ui.locator("button:text-is('demo-reviewer')"))
    assert text(row.locator(".staff-status")) == "ロック中"
    ui.click("button:text-is('demo-reviewer')")
    _shows(ui, "職員アカウント詳細")
    check_accessibility(ui)
    ui.click("button:text-is('ロック解除')")
    _shows(ui, "ロック解除（確認）")
    check_accessibility(ui)
    ui.click("button:text-is('実行する')")
    _shows(ui, "ロック解除（完了）")
    check_accessibility(ui)
    with app.app_context():
        assert (
            db.session().exec(select(LoginFailure).where(LoginFailure.login_key == "STAFF:demo-reviewer")).first()
            is None
        )
    ui.click("button:text-is('職員アカウント詳細へ')")
    _shows(ui, "職員アカウント詳細")
    assert "有効" in text(ui.locator(".staff-status"))
