"""Security baseline: headers, cookies, CSRF, secrets in production, no 500 on bad input."""

import pytest

from nexi import config


def test_every_response_carries_the_security_headers(portal):
    for response in (portal.client.get("/login"), portal.client.get("/guide/manual")):
        csp = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_authenticated_responses_are_never_stored(portal):
    portal.login()
    for response in (
        portal.client.get("/"),
        portal.client.post(
            "/notices", data={"csrf_token": portal.csrf, "_nav_live": portal.token}, headers={"HX-Request": "true"}
        ),
    ):
        assert response.headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_http_only_and_same_site(portal):
    portal.login()
    cookie = portal.client.get_cookie("nexi_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure


def test_production_requires_a_secret_key_and_sends_secure_cookies():
    with pytest.raises(RuntimeError, match="NEXI_SECRET_KEY"):
        config.load({"NEXI_ENV": "production"})
    settings = config.load({"NEXI_ENV": "production", "NEXI_SECRET_KEY": "x" * 40, "NEXI_OTP_KEY": "A" * 43 + "="})
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SECRET_KEY"] == "x" * 40


def test_a_malformed_setting_stops_the_app_with_its_name():
    with pytest.raises(RuntimeError, match="NEXI_LOCKOUT_THRESHOLD"):
        config.load({"NEXI_LOCKOUT_THRESHOLD": "five"})


def test_a_post_without_the_csrf_token_is_refused_in_japanese(portal):
    portal.get("/login")
    response = portal.client.post("/login", data={"login_id": "demo-admin", "password": "DemoPass#2026"})
    assert response.status_code == 400
    assert "セキュリティ確認に失敗した" in response.get_data(as_text=True)
    page = portal.login()
    assert page.h1 == "ユーザーページ"
    before = portal.token
    refused = portal.post("/notices", {}, csrf="forged", expect=400)
    assert "セキュリティ確認に失敗した" in refused.text("main")
    assert portal.go("home.notices", token=before).h1 == "掲載中のお知らせ一覧"


def test_htmx_requests_send_the_csrf_token_as_a_header(portal):
    portal.login()
    response = portal.client.post(
        "/notices",
        data={"_nav_live": portal.token},
        headers={"HX-Request": "true", "X-CSRFToken": portal.csrf},
    )
    assert response.status_code == 200 and "掲載中のお知らせ一覧" in response.get_data(as_text=True)


def test_an_htmx_request_with_a_bad_csrf_token_is_redirected(portal):
    portal.login()
    response = portal.client.post(
        "/notices", data={"_nav_live": portal.token}, headers={"HX-Request": "true", "X-CSRFToken": "forged"}
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"]


@pytest.mark.parametrize(
    "data",
    [
        {"login_id": "x" * 5000, "password": "y"},
        {"login_id": "\x00\x01", "password": "\x00"},
        {"login_id": "<script>alert(1)</script>", "password": "p"},
        {"login_id": ["a", "b"], "password": ["c", "d"]},
    ],
)
def test_strange_login_input_never_fails_the_server(portal, data):
    page = portal.get("/login")
    response = portal.client.post("/login", data={"csrf_token": page.csrf_token, **data}, follow_redirects=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_unknown_addresses_get_a_japanese_not_found_page(portal):
    page = portal.get("/no-such-page", expect=404)
    assert page.h1 == "ページが見つかりません"


def test_a_too_large_request_gets_a_japanese_message(portal, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    page = portal.get("/login")
    response = portal.client.post("/login", data={"csrf_token": page.csrf_token, "login_id": "x" * 5000})
    assert response.status_code == 413
    assert "大きすぎます" in response.get_data(as_text=True)
