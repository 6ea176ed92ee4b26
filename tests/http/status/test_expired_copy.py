"""4-4 控え of a draft past its expiry (issue 13): the detail offers what the download accepts,
both by the shown 状況 — 期限切れ as soon as the 30 days are over, before the daily job marks it."""

from sqlmodel import select

from nexi import db
from nexi.models import Application, Status


def draft(app, procedure: str) -> Application:
    """B05: the demo's draft saved 45 days ago (past its expiry); B01: one saved 2 days ago."""
    with app.app_context():
        return (
            db.session()
            .exec(select(Application).where(Application.status == Status.DRAFT, Application.procedure == procedure))
            .one()
        )


def copy(portal, number):
    return portal.client.post("/status/copy", data={"csrf_token": portal.csrf, "_nav": portal.token, "number": number})


def test_a_draft_past_its_expiry_offers_its_copy_and_the_copy_downloads(app, both):
    expired = draft(app, "B05")
    both.login("demo-user")
    page = both.go("status.detail", {"number": expired.number})
    assert "期限切れ" in page.text(".summary-list")
    assert page.texts(".actions button") == ["控えをダウンロード"]
    response = copy(both, expired.number)
    assert response.status_code == 200
    assert f'filename="{expired.number}.html"' in response.headers["Content-Disposition"]
    assert "期限切れ" in response.get_data(as_text=True)
    assert both.go("status.detail", {"number": expired.number}).h1 == "申込内容照会"  # the token still works


def test_a_draft_within_its_days_offers_no_copy_and_none_downloads(app, portal):
    current = draft(app, "B01")
    portal.login("demo-user")
    page = portal.go("status.detail", {"number": current.number})
    assert "控えをダウンロード" not in page.texts(".actions button")
    response = copy(portal, current.number)
    assert response.status_code == 404
    assert "指定されたファイルは見つかりません" in response.get_data(as_text=True)
