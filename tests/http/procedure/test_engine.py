"""2-3 手続きの基本的な流れ: the engine every procedure runs on, shown with B01 (the manual's own
example). Each test runs without JavaScript and with htmx."""

import re

from sqlmodel import select

from nexi import db
from nexi.models import Application, ApplicationEvent, Status
from tests.support.procedures import b01, start, walk


def applications(app):
    """The applications these tests make (the demo data has others)."""
    with app.app_context():
        return (
            db.session()
            .exec(select(Application).where(Application.target.startswith("NORTHWIND")).order_by(Application.id))
            .all()
        )


def test_the_flow_starts_with_its_explanation_then_the_first_step(both):
    both.login()
    page = both.go("buyers.register")
    assert page.h1 == "海外商社新規登録（手続きの流れ）"
    assert both.go("procedure.intro", {"action": "next"}).h1 == "海外商社新規登録（名称・所在地）"


def test_the_step_bar_lists_every_step_and_marks_the_current_one(both):
    both.login()
    page = start(both, "buyers.register")
    steps = page.texts(".steps li")
    assert [re.sub("（現在のステップ）", "", s).strip() for s in steps] == [
        "手続きの流れ",
        "名称・所在地",
        "本店・支店と企業情報",
        "名簿区分と信用調査報告書",
        "取引予定",
        "申込内容確認",
        "申込完了",
    ]
    assert page.text(".steps li[aria-current=step]").startswith("名称・所在地")


def test_a_step_with_errors_stays_with_japanese_messages_and_keeps_what_was_typed(both):
    both.login()
    start(both, "buyers.register")
    page = both.go(
        "procedure.input_submit",
        {"action": "next", "name_en": "", "country": "304", "address": "日本語住所", "city": "Seattle"},
    )
    assert page.h1 == "海外商社新規登録（名称・所在地）"
    assert page.field_error("name_en") == "英文名称を入力してください"
    assert page.field_error("address") == "住所は半角英数字・記号で入力してください"
    assert page.one("#country option[selected]")["value"] == "304"
    assert page.one("#city")["value"] == "Seattle"
    assert page.title.startswith("エラー：")
    assert page.error_summary[0] == "英文名称を入力してください"


def test_back_goes_one_step_back_and_keeps_the_input_of_both_steps(both):
    both.login()
    answers = b01()
    walk(both, "buyers.register", {"buyer": answers["buyer"]})
    page = both.go("procedure.input_submit", {"action": "back", "office_type": "head", "established": "1888"})
    assert page.h1 == "海外商社新規登録（名称・所在地）"
    assert page.one("#name_en")["value"] == "NORTHWIND TRADERS LTD"
    page = both.go("procedure.input_submit", {"action": "next", **answers["buyer"]})
    assert page.one("#established")["value"] == "1888"
    assert page.one("#office_type-0").has_attr("checked")


def test_back_from_the_first_step_leaves_the_procedure_saying_nothing_was_saved(both):
    both.login()
    start(both, "buyers.register")
    page = both.go("procedure.input_submit", {"action": "back"})
    assert page.h1 == "ユーザーページ"
    assert "保存されていません" in page.messages[0]


def test_enter_in_a_text_box_means_next(both):
    both.login()
    page = start(both, "buyers.register")
    first = page.select("form.step-form button[type=submit]")[0]
    assert (first["name"], first["value"]) == ("action", "next")


def test_first_arrival_at_confirm_numbers_and_saves_a_draft(app, both):
    both.login()
    page = walk(both, "buyers.register", b01())
    assert page.h1 == "海外商社新規登録（申込内容確認）"
    number = page.text(".panel .number")
    assert re.fullmatch(r"W\d{8}\d{6}", number)
    [application] = applications(app)
    assert application.number == number and application.status == Status.DRAFT
    assert application.data["values"]["buyer"]["name_en"] == "NORTHWIND TRADERS LTD"
    assert application.target == "NORTHWIND TRADERS LTD（アメリカ合衆国）"


def test_confirm_groups_the_answers_by_step_and_each_group_can_be_corrected(app, both):
    both.login()
    page = walk(both, "buyers.register", b01())
    assert page.texts(".summary-group h2") == [
        "名称・所在地",
        "本店・支店と企業情報",
        "名簿区分と信用調査報告書",
        "取引予定",
    ]
    rows = dict(zip(page.texts(".summary-group dt"), page.texts(".summary-group dd"), strict=True))
    assert (
        rows["国"] == "アメリカ合衆国（304）" and rows["予定契約金額"] == "100,000" and rows["本店・支店区分"] == "本店"
    )
    assert "本店バイヤーコード" not in rows  # a question that did not apply is not listed
    number = page.text(".panel .number")
    page = both.go("procedure.confirm_submit", {"action": "edit:company"})
    assert page.h1 == "海外商社新規登録（本店・支店と企業情報）"
    assert page.one("#established")["value"] == "1999"
    page = both.go("procedure.input_submit", {"action": "next", **b01()["company"], "established": "2001"})
    assert page.h1 == "海外商社新規登録（申込内容確認）"  # straight back, no walk through the later steps
    assert page.text(".panel .number") == number  # saved again under the same number
    [application] = applications(app)
    assert application.data["values"]["company"]["established"] == "2001"


def test_submitting_makes_it_submitted_and_shows_the_number(app, both):
    both.login()
    number = walk(both, "buyers.register", b01()).text(".panel .number")
    page = both.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1 == "海外商社新規登録（申込完了）"
    assert page.text(".panel__number") == number
    assert "NEXIによる確認が必要です" in page.screen_text
    [application] = applications(app)
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    with app.app_context():
        events = (
            db.session()
            .exec(
                select(ApplicationEvent.status)
                .where(ApplicationEvent.application_id == application.id)
                .order_by(ApplicationEvent.id)
            )
            .all()
        )
    assert events == [Status.DRAFT, Status.SUBMITTED]


def test_a_double_submit_creates_one_submission_and_shows_its_result(app, both):
    both.login()
    walk(both, "buyers.register", b01())
    token = both.token
    first = both.go("procedure.confirm_submit", {"action": "submit"}, token=token)
    second = both.go("procedure.confirm_submit", {"action": "submit"}, token=token)
    assert first.h1 == second.h1 == "海外商社新規登録（申込完了）"
    assert "二度押し" in second.messages[0]
    assert [a.status for a in applications(app)] == [Status.SUBMITTED]


def test_confirm_back_returns_to_the_last_step(both):
    both.login()
    walk(both, "buyers.register", b01())
    assert both.go("procedure.confirm_submit", {"action": "back"}).h1 == "海外商社新規登録（取引予定）"


def test_a_submitted_application_cannot_be_submitted_again_by_replaying_the_form(app, portal):
    portal.login()
    walk(portal, "buyers.register", b01())
    portal.go("procedure.confirm_submit", {"action": "submit"})
    page = portal.go("procedure.confirm_submit", {"action": "submit"})  # a fresh token, the old screen's form
    assert [a.status for a in applications(app)] == [Status.SUBMITTED]
    assert page.h1 == "海外商社新規登録（申込完了）"


def test_the_confirm_screen_is_rendered_again_from_the_server_after_a_refresh(portal):
    portal.login()
    number = walk(portal, "buyers.register", b01()).text(".panel .number")
    page = portal.get("/")
    assert page.h1 == "海外商社新規登録（申込内容確認）" and page.text(".panel .number") == number
    assert "一時保存されています" in " ".join(page.messages)


def test_an_idle_timeout_loses_unsaved_input_but_never_the_draft(app, portal):
    from tests.http.auth.test_session import age_sessions

    portal.login()
    number = walk(portal, "buyers.register", b01()).text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "edit:company"})
    # typed, then 戻る: kept in the session for the screens, not yet saved in the draft
    portal.go(
        "procedure.input_submit", {"action": "back", **b01()["company"], "representative": "CHANGED BUT NOT SAVED"}
    )
    age_sessions(app, 1801)
    assert portal.get("/").h1 == "ログイン"
    portal.login()
    detail = portal.go("status.detail", {"number": number})
    assert "NORTHWIND TRADERS LTD" in detail.screen_text and "CHANGED" not in detail.screen_text
    page = portal.go("status.resume", {"number": number})
    assert page.h1 == "海外商社新規登録（申込内容確認）" and page.text(".panel .number") == number


def test_every_input_field_has_a_help_popup_and_the_screen_a_help_link(both):
    both.login()
    page = start(both, "buyers.register")
    questions = page.screen.select(".question")
    assert len(questions) == 10
    for element in questions:
        assert element.select_one("details.help summary"), element.get_text()[:30]
    assert page.one("a.screen-help")["href"] == "/guide/help/B01"
