"""Login attempts per client address (issue 14): counted in the database, refused past the limit."""

from sqlmodel import select

from nexi import db
from nexi.models.auth import LoginThrottle

THROTTLED = "短時間に多くのログインが試みられたため"


def test_past_the_limit_an_address_is_refused_before_any_password_is_checked(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOGIN_RATE", 3)
    pages = [portal.login(f"someone-{n}", "wrong password") for n in range(3)]
    assert all(THROTTLED not in " ".join(page.error_summary) for page in pages)
    page = portal.login("demo-admin")  # the right password, from the same address
    assert page.h1 == "ログイン"
    assert THROTTLED in " ".join(page.error_summary)


def test_the_count_is_per_address_and_shared_by_every_client(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOGIN_RATE", 2)
    from tests.support.portal import Portal

    def login_from(address):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return Portal(app, client).login("demo-admin")

    assert login_from("192.0.2.1").h1 == "ユーザーページ"
    assert login_from("192.0.2.1").h1 == "ユーザーページ"  # another browser, the same address
    assert login_from("192.0.2.1").h1 == "ログイン"
    assert login_from("192.0.2.2").h1 == "ユーザーページ"
    with app.app_context():
        counts = {row.address: row.count for row in db.session().exec(select(LoginThrottle))}
    assert counts == {"192.0.2.1": 3, "192.0.2.2": 1}


def test_one_time_passwords_count_too(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOGIN_RATE", 2)
    portal.login("demo-otp")  # the first attempt
    assert THROTTLED not in " ".join(portal.post("/login/otp", {"code": "000000"}).error_summary)  # the second
    page = portal.post("/login/otp", {"code": "000000"})
    assert page.h1 == "ワンタイムパスワード入力"
    assert THROTTLED in " ".join(page.error_summary)


def test_a_new_window_starts_afresh(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOGIN_RATE", 1)
    assert portal.login("demo-admin").h1 == "ユーザーページ"
    with app.app_context():
        row = db.session().exec(select(LoginThrottle)).one()
        row.window -= 1
        db.session().add(row)
        db.session().commit()
    assert portal.login("demo-admin").h1 == "ユーザーページ"
    with app.app_context():
        assert len(db.session().exec(select(LoginThrottle)).all()) == 1  # the finished window is gone
