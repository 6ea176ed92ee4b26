"""4-4 Detail and actions: 照会, 再開, 削除, 取下げ, 修正して再申込 and 控え — each offered only to
whom and when the manual allows, asked before anything irreversible, and scoped to the company."""

from sqlmodel import select

from nexi import db
from nexi.models import Application, ApplicationEvent, Status


def find(app, status, login_id=None, procedure=None):
    from nexi.models import WebUser

    with app.app_context():
        query = select(Application).where(Application.status == status)
        if login_id:
            query = query.join(WebUser, WebUser.id == Application.user_id).where(WebUser.login_key == login_id)
        if procedure:
            query = query.where(Application.procedure == procedure)
        return db.session().exec(query).first()


def status_of(app, number):
    with app.app_context():
        application = db.session().exec(select(Application).where(Application.number == number)).first()
        return application.status if application else None


def test_the_detail_shows_the_answers_history_and_nexis_comment(app, both):
    returned = find(app, Status.RETURNED)
    both.login("demo-user")
    page = both.go("status.detail", {"number": returned.number})
    assert page.h1 == "申込内容照会"
    assert "差戻し" in page.text(".summary-list")
    assert "不鮮明" in page.text(".message")
    assert page.texts(".summary-group h2") == ["変更内容"]
    history = page.texts("#screen table tbody tr") if not page.is_fragment else page.texts("table tbody tr")
    assert [row.split()[2] for row in history] == ["一時保存", "申込済", "審査中", "差戻し"]
    assert page.texts(".actions button") == ["修正して再申込", "取下げ", "控えをダウンロード"]


def test_actions_follow_the_table_of_the_manual(app, portal, other_portal):
    portal.login("demo-admin")
    other_portal.login("demo-user")
    draft = find(app, Status.DRAFT, "demo-user", "B01")
    returned = find(app, Status.RETURNED)
    reviewing = find(app, Status.REVIEWING)
    assert other_portal.go("status.detail", {"number": draft.number}).texts(".actions button") == ["再開", "削除"]
    assert portal.go("status.detail", {"number": draft.number}).texts(".actions button") == ["削除"]
    assert portal.go("status.detail", {"number": returned.number}).texts(".actions button") == [
        "取下げ",
        "控えをダウンロード",
    ]
    assert portal.go("status.detail", {"number": reviewing.number}).texts(".actions button") == ["控えをダウンロード"]


def test_resume_opens_the_draft_at_confirm_and_it_can_be_submitted(app, both):
    draft = find(app, Status.DRAFT, "demo-user", "B01")
    both.login("demo-user")
    page = both.go("status.resume", {"number": draft.number})
    assert page.h1 == "海外商社新規登録（申込内容確認）" and page.text(".panel .number") == draft.number
    both.go("procedure.confirm_submit", {"action": "submit"})
    assert status_of(app, draft.number) == Status.SUBMITTED


def test_resubmitting_a_returned_application_starts_at_the_first_step_with_the_comment(app, both):
    from tests.support.files import pdf, upload

    returned = find(app, Status.RETURNED)
    both.login("demo-user")
    page = both.go("status.resume", {"number": returned.number, "action": "resubmit"})
    assert page.h1 == "名称・住所の変更・追加（変更内容）"
    assert "不鮮明" in page.text(".message")
    assert page.one("#new_city")["value"] == "Samut Prakan"
    values = returned.data["values"]["change"]
    page = both.go(
        "procedure.input_submit", {"action": "next", **values, "evidence_files": [upload(pdf(), "clear-copy.pdf")]}
    )
    assert page.h1 == "名称・住所の変更・追加（申込内容確認）" and page.text(".panel .number") == returned.number
    assert status_of(app, returned.number) == Status.RETURNED  # still 差戻し until 申込む (C.2)
    both.go("procedure.confirm_submit", {"action": "submit"})
    assert status_of(app, returned.number) == Status.SUBMITTED


def test_delete_asks_first_then_deletes_the_draft(app, both):
    draft = find(app, Status.DRAFT, "demo-user", "B01")
    both.login("demo-user")
    page = both.go("status.delete", {"number": draft.number})
    assert "削除しますか" in page.text(".panel")
    assert status_of(app, draft.number) == Status.DRAFT
    page = both.go("status.delete", {"number": draft.number, "confirmed": "yes"})
    assert page.h1 == "Web申込状況一覧" and "削除しました" in page.messages[0]
    assert status_of(app, draft.number) is None


def test_withdraw_asks_first_and_only_before_nexi_takes_it_up(app, both):
    submitted = find(app, Status.SUBMITTED, "demo-admin")
    reviewing = find(app, Status.REVIEWING)
    both.login("demo-admin")
    assert "取り下げますか" in both.go("status.withdraw", {"number": submitted.number}).text(".panel")
    both.go("status.withdraw", {"number": submitted.number, "confirmed": "yes"})
    assert status_of(app, submitted.number) == Status.WITHDRAWN
    page = both.go("status.withdraw", {"number": reviewing.number, "confirmed": "yes"})
    assert "その操作は行えません" in page.messages[0]
    assert status_of(app, reviewing.number) == Status.REVIEWING
    with app.app_context():
        kinds = (
            db.session()
            .exec(select(ApplicationEvent.status).join(Application).where(Application.number == submitted.number))
            .all()
        )
    assert kinds[-1] == Status.WITHDRAWN


def test_a_draft_deleted_by_the_admin_cannot_be_submitted_by_its_creator(app, portal, other_portal):
    draft = find(app, Status.DRAFT, "demo-user", "B01")
    other_portal.login("demo-user")
    other_portal.go("status.resume", {"number": draft.number})
    portal.login("demo-admin")
    portal.go("status.delete", {"number": draft.number, "confirmed": "yes"})
    page = other_portal.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1 == "ユーザーページ"
    assert "削除または取下げされた" in page.messages[0]
    assert status_of(app, draft.number) is None


def test_another_company_finds_nothing_by_number(app, both):
    submitted = find(app, Status.SUBMITTED, "demo-admin")
    both.login("other-admin")
    for endpoint, extra in [
        ("status.detail", {}),
        ("status.resume", {}),
        ("status.delete", {"confirmed": "yes"}),
        ("status.withdraw", {"confirmed": "yes"}),
    ]:
        page = both.go(endpoint, {"number": submitted.number, **extra})
        assert "見つかりません" in " ".join(page.messages), endpoint
        assert submitted.number not in page.screen_text
    assert status_of(app, submitted.number) == Status.SUBMITTED
    response = both.client.post(
        "/status/copy", data={"csrf_token": both.csrf, "_nav": both.token, "number": submitted.number}
    )
    assert response.status_code == 404


def test_a_general_user_cannot_reach_a_colleagues_application(app, both):
    colleague = find(app, Status.SUBMITTED, "demo-admin")
    both.login("demo-user")
    page = both.go("status.detail", {"number": colleague.number})
    assert "見つかりません" in page.messages[0]


def test_the_copy_is_a_printable_file_named_after_the_number(app, portal):
    submitted = find(app, Status.SUBMITTED, "demo-admin")
    portal.login("demo-admin")
    portal.go("status.detail", {"number": submitted.number})
    response = portal.client.post(
        "/status/copy", data={"csrf_token": portal.csrf, "_nav": portal.token, "number": submitted.number}
    )
    assert response.status_code == 200
    assert f'filename="{submitted.number}.html"' in response.headers["Content-Disposition"]
    from bs4 import BeautifulSoup

    copy = BeautifulSoup(response.data.decode(), "html5lib")
    assert submitted.number in copy.select_one(".number").get_text()
    assert copy.select_one("h2") is not None and copy.select("table tbody tr")
