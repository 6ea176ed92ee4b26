"""2-3 手続きの基本的な流れ: the engine every procedure runs on, shown with the engine's own test
procedure (tests/support/sample.py, T01), so that no chapter's labels are needed. Each test runs
without JavaScript and with htmx."""

import re

from sqlmodel import select

from nexi import db
from nexi.models import Application, ApplicationEvent, Status
from tests.support.procedures import start, walk
from tests.support.sample import ANSWERS

START = "testing.sample"


def applications(app):
    """The applications these tests make (T01 is declared for the tests alone)."""
    with app.app_context():
        return (
            db.session().exec(select(Application).where(Application.procedure == "T01").order_by(Application.id)).all()
        )


def test_the_flow_starts_with_its_explanation_then_the_first_step(sample_both):
    sample_both.login()
    page = sample_both.go(START)
    assert page.h1 == "テスト手続（手続きの流れ）"
    assert "テスト用の手続きです。" in page.screen_text
    assert sample_both.go("procedure.intro", {"action": "next"}).h1 == "テスト手続（対象）"


def test_the_step_bar_lists_every_step_and_marks_the_current_one(sample_both):
    sample_both.login()
    page = start(sample_both, START)
    steps = page.texts(".steps li")
    assert [re.sub("（現在のステップ）", "", s).strip() for s in steps] == [
        "手続きの流れ",
        "対象",
        "金額と決済",  # 追加情報 applies only when 区分 includes it (test_engine_features)
        "申込内容確認",
        "申込完了",
    ]
    assert page.text(".steps li[aria-current=step]").startswith("対象")


def test_a_step_with_errors_stays_with_japanese_messages_and_keeps_what_was_typed(sample_both):
    sample_both.login()
    page = start(sample_both, START)
    own = page.select("#reference option")[1]["value"]  # the customer's own completed application
    page = sample_both.go(
        "procedure.input_submit",
        {**ANSWERS["target"], "action": "next", "contact": "", "target_code": "日本語", "reference": own,
         "due": "2099-13-01", "mode": "auto"},
    )  # fmt: skip
    assert page.h1 == "テスト手続（対象）"
    assert page.field_error("contact") == "担当者を入力してください"
    assert page.field_error("target_code") == "対象コードは半角英数字・記号で入力してください"
    assert page.field_error("due") == "提出期限は「2026-04-15」の形式で、正しい日付を入力してください"
    assert page.one("#due")["value"] == "2099-13-01"
    assert page.one("#reference option[selected]")["value"] == own
    assert page.one("#target_code")["value"] == "日本語"
    assert page.one("#mode-1").has_attr("checked")
    assert page.title.startswith("エラー：")
    assert page.error_summary[0] == "担当者を入力してください"


def test_back_goes_one_step_back_and_keeps_the_input_of_both_steps(sample_both):
    sample_both.login()
    walk(sample_both, START, {"target": ANSWERS["target"]})
    page = sample_both.go("procedure.input_submit", {"action": "back", "currency": "EUR", "contract": "2,000"})
    assert page.h1 == "テスト手続（対象）"
    assert page.one("#target_code")["value"] == "X-1"
    assert page.one("#verdict-0").has_attr("checked")
    page = sample_both.go("procedure.input_submit", {"action": "next", **ANSWERS["target"]})
    assert page.h1 == "テスト手続（金額と決済）"
    assert page.one("#contract")["value"] == "2,000"
    assert page.one("#currency option[selected]")["value"] == "EUR"


def test_back_from_the_first_step_leaves_the_procedure_saying_nothing_was_saved(sample_both):
    sample_both.login()
    start(sample_both, START)
    page = sample_both.go("procedure.input_submit", {"action": "back"})
    assert page.h1 == "ユーザーページ"
    assert "保存されていません" in page.messages[0]


def test_enter_in_a_text_box_means_next(sample_both):
    sample_both.login()
    page = start(sample_both, START)
    first = page.select("form.step-form button[type=submit]")[0]
    assert (first["name"], first["value"]) == ("action", "next")


def test_first_arrival_at_confirm_numbers_and_saves_a_draft(sample_app, sample_both):
    sample_both.login()
    page = walk(sample_both, START, ANSWERS)
    assert page.h1 == "テスト手続（申込内容確認）"
    number = page.text(".panel .number")
    assert re.fullmatch(r"W\d{8}\d{6}", number)
    [application] = applications(sample_app)
    assert application.number == number and application.status == Status.DRAFT
    assert application.data["values"]["target"]["target_code"] == "X-1"
    assert application.target == "テスト X-1"


def test_confirm_groups_the_answers_by_step_and_each_group_can_be_corrected(sample_app, sample_both):
    sample_both.login()
    page = walk(sample_both, START, ANSWERS)
    assert page.texts(".summary-group h2") == ["対象", "金額と決済"]
    rows = dict(zip(page.texts(".summary-group dt"), page.texts(".summary-group dd"), strict=True))
    assert rows["処理"] == "NEXI確認" and rows["契約金額"] == "1,000.50" and rows["提出期限"] == "2099年12月31日"
    assert "備考" not in rows  # a question that did not apply is not listed
    number = page.text(".panel .number")
    page = sample_both.go("procedure.confirm_submit", {"action": "edit:target"})
    assert page.h1 == "テスト手続（対象）"
    assert page.one("#contact")["value"] == "山田 太郎"
    page = sample_both.go("procedure.input_submit", {"action": "next", **ANSWERS["target"], "contact": "佐藤 花子"})
    assert page.h1 == "テスト手続（申込内容確認）"  # straight back, no walk through the later steps
    assert page.text(".panel .number") == number  # saved again under the same number
    [application] = applications(sample_app)
    assert application.data["values"]["target"]["contact"] == "佐藤 花子"


def test_submitting_makes_it_submitted_and_shows_the_number(sample_app, sample_both):
    sample_both.login()
    number = walk(sample_both, START, ANSWERS).text(".panel .number")
    page = sample_both.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1 == "テスト手続（申込完了）"
    assert page.text(".panel__number") == number
    assert "NEXIによる確認が必要です" in page.screen_text
    [application] = applications(sample_app)
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    with sample_app.app_context():
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


def test_a_double_submit_creates_one_submission_and_shows_its_result(sample_app, sample_both):
    sample_both.login()
    walk(sample_both, START, ANSWERS)
    token = sample_both.token
    first = sample_both.go("procedure.confirm_submit", {"action": "submit"}, token=token)
    second = sample_both.go("procedure.confirm_submit", {"action": "submit"}, token=token)
    assert first.h1 == second.h1 == "テスト手続（申込完了）"
    assert "二度押し" in second.messages[0]
    assert [a.status for a in applications(sample_app)] == [Status.SUBMITTED]


def test_confirm_back_returns_to_the_last_step(sample_both):
    sample_both.login()
    walk(sample_both, START, ANSWERS)
    assert sample_both.go("procedure.confirm_submit", {"action": "back"}).h1 == "テスト手続（金額と決済）"


def test_a_submitted_application_cannot_be_submitted_again_by_replaying_the_form(sample_app, sample_portal):
    sample_portal.login()
    walk(sample_portal, START, ANSWERS)
    sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    page = sample_portal.go("procedure.confirm_submit", {"action": "submit"})  # a fresh token, the old form
    assert [a.status for a in applications(sample_app)] == [Status.SUBMITTED]
    assert page.h1 == "テスト手続（申込完了）"


def test_the_confirm_screen_is_rendered_again_from_the_server_after_a_refresh(sample_portal):
    sample_portal.login()
    number = walk(sample_portal, START, ANSWERS).text(".panel .number")
    page = sample_portal.get("/")
    assert page.h1 == "テスト手続（申込内容確認）" and page.text(".panel .number") == number
    assert "一時保存されています" in " ".join(page.messages)


def test_an_idle_timeout_loses_unsaved_input_but_never_the_draft(sample_app, sample_portal):
    from tests.http.auth.test_session import age_sessions

    sample_portal.login()
    number = walk(sample_portal, START, ANSWERS).text(".panel .number")
    sample_portal.go("procedure.confirm_submit", {"action": "edit:money"})
    # typed, then 戻る: kept in the session for the screens, not yet saved in the draft
    sample_portal.go("procedure.input_submit", {"action": "back", **ANSWERS["money"], "fee": "98765"})
    assert sample_portal.state()["procedure"]["values"]["money"]["fee"] == "98765"
    age_sessions(sample_app, 1801)
    assert sample_portal.get("/").h1 == "ログイン"
    sample_portal.login()
    detail = sample_portal.go("status.detail", {"number": number})
    assert "テスト X-1" in detail.screen_text and "3,000" in detail.screen_text
    assert "98,765" not in detail.screen_text and "98765" not in detail.screen_text
    page = sample_portal.go("status.resume", {"number": number})
    assert page.h1 == "テスト手続（申込内容確認）" and page.text(".panel .number") == number


def test_every_input_field_has_a_help_popup_and_the_screen_a_help_link(sample_both):
    sample_both.login()
    page = start(sample_both, START)
    questions = page.screen.select(".question")
    assert len(questions) == 10
    for element in questions:
        assert element.select_one("details.help summary"), element.get_text()[:30]
    assert page.one("a.screen-help")["href"] == "/guide/help/T01"
