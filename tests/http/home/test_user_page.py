"""1章 2-1 ユーザーページ: the seventeen areas ①–⑰."""

import pyotp
from sqlmodel import select

from nexi import db
from nexi.demo import DEMO_OTP_SECRET
from nexi.models import Customer


def test_the_header_shows_who_is_logged_in(portal):
    page = portal.login("demo-user")
    info = page.text(".user-info")
    assert "保険利用者名 株式会社サンプル精機" in info
    assert "保険利用者コード 123456789" in info
    assert "WebユーザーID demo-user" in info
    assert page.text(".customer-name") == "株式会社サンプル精機"
    assert page.text(".tools").startswith("画面印刷")
    assert [page.text(f".tools a[href='{href}']") for href in ("/guide/manual", "/guide/help", "/guide/contact")] == [
        "マニュアル （新しいウィンドウで開きます）",
        "ヘルプ （新しいウィンドウで開きます）",
        "お問い合わせ （新しいウィンドウで開きます）",
    ]


def test_the_last_login_is_the_previous_one_not_this_one(portal, other_portal, app):
    first = portal.login("demo-admin")
    assert "なし（初回のログイン）" in first.text(".last-login")
    second = other_portal.login("demo-admin")
    shown = second.text(".last-login dd")
    assert shown != "なし（初回のログイン）" and shown.startswith("20")


def test_every_area_of_the_user_page_is_there(portal):
    page = portal.login("demo-admin")
    headings = page.texts("#screen h2")
    for number, title in [
        ("⑥", "お知らせ"),
        ("⑦", "Web申込状況一覧"),
        ("⑧", "海外商社登録等のお手続き"),
        ("⑨", "保険申込み・変更のお手続き"),
        ("⑩", "個別保証枠のお手続き"),
        ("⑪", "企業総合保険特約のお手続き"),
        ("⑫", "事故に関するお手続き"),
        ("⑬", "電子申請のお手続き"),
        ("⑭", "保険料試算"),
        ("⑮", "各種情報照会"),
        ("⑯", "ユーザー管理のお手続き"),
        ("⑰", "ワンタイムパスワードの入力"),
    ]:
        assert f"{number}{title}" in [heading.replace(" ", "") for heading in headings], title
    assert page.one(".site-header button.button--logout").get_text() == "ログアウト"


def test_menus_list_every_procedure_of_the_manual(portal):
    page = portal.login("demo-admin")
    insurance = page.text("#area-insurance")
    for label in [
        "貿易一般保険（個別） 申込",
        "設備財包括保険 変更",
        "簡易通知型包括保険 申込（船積確定通知）",
        "中小企業・農林水産業輸出代金保険 申込",
    ]:
        assert label in insurance
    assert len(page.select("#area-insurance .menu-item")) == 11
    assert len(page.select("#area-limits .menu-item")) == 3
    assert len(page.select("#area-accidents .menu-item")) == 3


def test_entries_that_cannot_be_used_say_why_and_have_no_link(portal):
    page = portal.login("demo-user")
    users = {
        item.select_one(".menu-item__label").get_text(): item.select_one(".menu-item__reason").get_text()
        for item in page.select("#area-users .menu-item--disabled")
    }
    assert users["保険利用者情報変更申請"] == "（管理者のみご利用いただけます）"
    assert users["Webユーザー管理"] == "（管理者のみご利用いただけます）"
    assert "パスワード変更" not in users and "保険利用者情報照会" not in users  # built: linked (⑯, 3章)
    assert "準備中" not in page.text("main")  # every procedure of the manual is built
    assert len(page.select("#area-accidents button")) == 3  # 11章: A01–A03, linked


def test_admin_only_entries_name_the_role_for_general_users_only(portal, other_portal):
    def reasons(page):
        return dict(
            zip(
                page.texts("#area-comprehensive .menu-item__label"),
                page.texts("#area-comprehensive .menu-item__reason"),
                strict=True,
            )
        )

    assert reasons(portal.login("demo-user"))["特約年度更新"] == "（管理者のみご利用いただけます）"
    admin = other_portal.login("demo-admin")
    assert "特約年度更新" not in reasons(admin)
    assert "特約年度更新" in admin.texts("#area-comprehensive button")


def test_the_one_time_password_area_depends_on_the_user(portal, other_portal):
    plain_user = portal.login("demo-user")
    assert "ワンタイムパスワードをご利用の方のみ" in plain_user.text("#area-otp")
    otp_user = other_portal.login("demo-otp", otp=pyotp.TOTP(DEMO_OTP_SECRET).now())
    assert "利用中" in otp_user.text("#area-otp")
    assert "最終認証日時" in otp_user.text("#area-otp")


def test_premium_estimate_and_inquiries_open_pattern_two_screens(both):
    both.login("demo-admin")
    for endpoint, title in [("estimate.index", "保険料試算"), ("inquiry.index", "各種情報照会")]:
        page = both.go(endpoint)
        assert page.h1 == title
        assert page.one(".site-header button.button--logout").get_text() == "終了"
        assert "準備中" not in page.text("#screen")
        assert both.go("home.home").one(".site-header button.button--logout").get_text() == "ログアウト"


def test_the_end_button_of_pattern_two_logs_out(portal):
    portal.login("demo-admin")
    portal.go("estimate.index")
    assert portal.post("/logout", {}).h1 == "ログアウト"
    assert portal.get("/").h1 == "ログイン"


def test_the_user_page_shows_another_customers_name_for_its_users(portal, app):
    page = portal.login("other-admin")
    assert page.text(".customer-name") == "東和トレーディング株式会社"
    assert "987654321" in page.text(".user-info")
    with app.app_context():
        assert db.session().exec(select(Customer)).all()
