"""The procedure engine's features, on its own test procedure (tests/support/sample.py, T01):
prefill, conditions (steps, multi-select), rows, money, flow A or R by the input, findings of
three severities, the deadline flag, exclusivity, scoped choices, 管理者のみ and pattern 2, 完了."""

from sqlmodel import col, select

from nexi import db
from nexi.models import Application, Status
from nexi.procedures import flow
from tests.support.sample import ANSWERS


def to_step(portal, endpoint="testing.sample"):
    page = portal.go(endpoint)
    assert page.h1.endswith("（手続きの流れ）")
    return portal.go("procedure.intro", {"action": "next"})


def answers(step: str, **changes) -> dict:
    return {"action": "next", **ANSWERS[step], **changes}


def reach_confirm(portal, target=None, money=None, extra=None):
    to_step(portal)
    page = portal.go("procedure.input_submit", answers("target", **(target or {})))
    if page.error_summary:
        return page
    page = portal.go("procedure.input_submit", answers("money", **(money or {})))
    if extra is not None and not page.error_summary:
        page = portal.go("procedure.input_submit", {"action": "next", **extra})
    return page


def record(app, number: str) -> Application:
    with app.app_context():
        return db.session().exec(select(Application).where(Application.number == number)).one()


def test_the_first_step_is_prefilled_from_the_customer_and_the_user(sample_both):
    sample_both.login()
    page = to_step(sample_both)
    assert page.h1 == "テスト手続（対象）"
    assert page.one("#insured")["value"] == "123456789"
    assert page.one("#contact")["value"] == "デモ 管理者" or page.one("#contact")["value"]


def test_a_step_applies_only_when_its_condition_holds_for_a_ticked_checkbox(sample_portal):
    sample_portal.login()
    page = reach_confirm(sample_portal, target={"kinds": ["basic", "extra"]})
    assert page.h1 == "テスト手続（追加情報）"
    assert "追加情報" in page.texts(".steps li")[3]
    page = sample_portal.go("procedure.input_submit", {"action": "next", "extra": "詳細"})
    assert page.h1 == "テスト手続（申込内容確認）"
    assert [h.strip() for h in page.texts(".summary-group h2")] == ["対象", "金額と決済", "追加情報"]


def test_a_step_that_no_longer_applies_is_left_out_with_its_answers(sample_portal):
    sample_portal.login()
    reach_confirm(sample_portal, target={"kinds": ["basic", "extra"]}, extra={"extra": "詳細"})
    sample_portal.go("procedure.confirm_submit", {"action": "edit:target"})
    page = sample_portal.go("procedure.input_submit", answers("target", kinds=["basic"]))
    assert page.h1 == "テスト手続（申込内容確認）"
    assert "追加情報" not in page.texts(".summary-group h2")


def test_a_question_is_asked_when_one_of_the_ticked_values_is_its_condition(sample_portal):
    sample_portal.login()
    to_step(sample_portal)
    page = sample_portal.go("procedure.input_submit", answers("target", kinds=["basic", "note"], note=""))
    assert page.field_error("note") == "備考を入力してください"
    reveal = page.one("#note").find_parent(class_="question")["data-reveal"]
    assert reveal == '{"field":"kinds","values":["note"]}'
    page = sample_portal.go("procedure.input_submit", answers("target", kinds=["basic"], note="残った入力"))
    assert page.h1 == "テスト手続（金額と決済）"


def test_a_ticked_checkbox_group_is_kept_as_a_list_even_with_one_value(sample_portal):
    sample_portal.login()
    to_step(sample_portal)
    sample_portal.go("procedure.input_submit", answers("target", kinds="basic"))
    assert sample_portal.state()["procedure"]["values"]["target"]["kinds"] == ["basic"]


def test_the_rows_follow_the_count_on_a_round_trip_with_prefilled_dates(sample_both):
    sample_both.login()
    to_step(sample_both)
    sample_both.go("procedure.input_submit", answers("target"))
    page = sample_both.go("procedure.input_submit", {"action": "rows", "currency": "USD", "count": "3"})
    assert page.h1 == "テスト手続（金額と決済）"
    assert len(page.select("table.rows tbody tr")) == 3
    assert [page.one(f"#schedule-{i}-due_date")["value"] for i in range(3)] == [
        "2027-01-28",
        "2027-02-28",
        "2027-03-28",
    ]
    assert page.one("label[for=schedule-2-amount]").get_text() == "第3回 金額"
    assert not page.error_summary  # 行数を反映 validates nothing
    page = sample_both.go("procedure.input_submit", {"action": "rows", "currency": "USD", "count": "1"})
    assert len(page.select("table.rows tbody tr")) == 1


def test_the_rows_are_checked_cell_by_cell_and_as_a_whole(sample_portal):
    sample_portal.login()
    to_step(sample_portal)
    sample_portal.go("procedure.input_submit", answers("target"))
    page = sample_portal.go(
        "procedure.input_submit",
        answers("money", **{"schedule-1-amount": "", "schedule-0-due_date": "2027-03-01"}),
    )
    assert page.field_error("schedule-1-amount") == "金額を入力してください"
    assert "第2回：金額を入力してください" in page.error_summary
    page = sample_portal.go("procedure.input_submit", answers("money", **{"schedule-1-amount": "1"}))
    assert page.field_error("schedule") == "決済スケジュールの金額の合計が契約金額と一致しません"
    page = sample_portal.go("procedure.input_submit", answers("money", **{"schedule-1-due_date": "2027-01-28"}))
    assert page.field_error("schedule") == "決済期限は古い順に、同じ日付を重ねずに入力してください"


def test_at_most_sixty_rows(sample_portal):
    sample_portal.login()
    to_step(sample_portal)
    sample_portal.go("procedure.input_submit", answers("target"))
    page = sample_portal.go("procedure.input_submit", {"action": "rows", "count": "61"})
    assert len(page.select("table.rows tbody tr")) == 60
    page = sample_portal.go("procedure.input_submit", answers("money", count="61"))
    assert page.field_error("count") == "決済回数は1から60までの数値で入力してください"


def test_money_is_positive_in_its_currencys_decimals_or_zero_where_allowed(sample_portal):
    sample_portal.login()
    to_step(sample_portal)
    sample_portal.go("procedure.input_submit", answers("target"))
    money = {"count": "1", "schedule-0-due_date": "2027-01-28"}
    page = sample_portal.go(
        "procedure.input_submit", answers("money", contract="0.50", **money, **{"schedule-0-amount": "0.50"})
    )
    assert page.h1 == "テスト手続（申込内容確認）"  # 0.50 USD is an amount; 前受金 0 is allowed
    sample_portal.go("procedure.confirm_submit", {"action": "edit:money"})
    page = sample_portal.go("procedure.input_submit", answers("money", contract="0", fee="10.5", advance="-1"))
    assert page.field_error("contract") == "契約金額は0より大きい金額で入力してください"
    assert page.field_error("fee") == "JPYの金額は小数点以下を入力できません"  # fixed by the target
    assert page.field_error("advance") == "前受金は13桁以内の半角数字で入力してください"
    page = sample_portal.go("procedure.input_submit", answers("money", currency="JPY", contract="1000.5"))
    assert page.field_error("contract") == "JPYの金額は小数点以下を入力できません"
    assert page.field_error("schedule-0-amount") == "JPYの金額は小数点以下を入力できません"  # the step's 通貨


def test_a_month_is_shown_in_japanese_and_bounded(sample_portal):
    sample_portal.login()
    to_step(sample_portal)
    page = sample_portal.go("procedure.input_submit", answers("target", month="2100-01"))
    assert page.field_error("month") == "予定年月は1900年1月から2099年12月までの年月で入力してください"
    page = reach_confirm(sample_portal, target={"month": "２０２７/３"})
    assert "2027年3月" in page.text(".summary-group")


def test_findings_block_warn_with_an_acknowledgement_and_inform(sample_portal):
    sample_portal.login()
    page = reach_confirm(sample_portal, target={"verdict": "bad"})
    assert page.h1 == "テスト手続（対象）"
    assert page.field_error("verdict") == "判定が「不可」の申込みはできません"
    sample_portal.go("procedure.input_submit", answers("target", verdict="warn"))
    page = sample_portal.go("procedure.input_submit", answers("money"))
    assert page.texts(".infos li") == ["この手続きはテスト用です。"]
    assert page.texts(".warnings li") == ["判定が「注意」です。内容をご確認ください。"]
    refused = sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    assert refused.field_error("acknowledge") == "「上記の注意事項を確認しました」にチェックを入れてください"
    done = sample_portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert done.h1 == "テスト手続（申込完了）"


def test_flow_r_waits_for_nexi_and_its_completion_hook_records_the_result(sample_app, sample_portal):
    sample_portal.login()
    number = reach_confirm(sample_portal).text(".panel .number")
    page = sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    assert "NEXIによる確認が必要です" in page.text("main")
    application = record(sample_app, number)
    assert application.status == Status.SUBMITTED and application.needs_review
    with sample_app.app_context():  # as the staff console will: no customer's session
        flow.complete(db.session().get(Application, application.id), {"result_code": "R-1"})
        db.session().commit()
    done = record(sample_app, number)
    assert done.status == Status.COMPLETED and done.result == {"結果コード": "R-1"}


def test_flow_a_by_the_input_completes_at_once_with_its_hook(sample_app, sample_portal):
    sample_portal.login()
    number = reach_confirm(sample_portal, target={"mode": "auto"}).text(".panel .number")
    page = sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    assert "NEXIによる確認は必要ありません" in page.text("main")
    application = record(sample_app, number)
    assert application.status == Status.COMPLETED and not application.needs_review
    assert application.result == {"結果コード": "AUTO-" + number[-6:]}


def test_a_passed_deadline_warns_and_sets_overdue_at_the_first_submission(sample_app, sample_portal):
    sample_portal.login()
    page = reach_confirm(sample_portal, target={"due": "2020-01-31"})
    assert "提出期限（2020年1月31日）を過ぎています。期限超過として扱われます。" in page.texts(".warnings li")
    number = page.text(".panel .number")
    sample_portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert record(sample_app, number).overdue
    on_time = reach_confirm(sample_portal, target={"target_code": "X-2"}).text(".panel .number")
    sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    assert not record(sample_app, on_time).overdue


def test_one_pending_application_per_target_within_the_customer(sample_app, sample_portal, other_portal):
    sample_portal.login()
    reach_confirm(sample_portal)
    sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    page = reach_confirm(sample_portal)
    assert page.h1 == "テスト手続（対象）"
    assert page.field_error("target_code") == "対象コード「X-1」のテスト手続は、すでに申込み中です"
    other = type(sample_portal)(sample_app, sample_app.test_client(), "plain")
    other.login("other-admin")
    assert reach_confirm(other).h1 == "テスト手続（申込内容確認）"  # another customer's does not count


def test_of_two_simultaneous_applications_for_one_target_one_wins(sample_app, sample_portal):
    sample_portal.login()
    first = reach_confirm(sample_portal).text(".panel .number")
    second_tab = type(sample_portal)(sample_app, sample_app.test_client(), "plain")
    second_tab.login("demo-user")  # a 一般 user of the same customer, both at 確認 together
    second = reach_confirm(second_tab).text(".panel .number")
    assert sample_portal.go("procedure.confirm_submit", {"action": "submit"}).h1 == "テスト手続（申込完了）"
    page = second_tab.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1 == "テスト手続（対象）"
    assert page.field_error("target_code") == "対象コード「X-1」のテスト手続は、すでに申込み中です"
    assert record(sample_app, first).status == Status.SUBMITTED
    assert record(sample_app, second).status == Status.DRAFT


def test_scoped_choices_offer_only_the_customers_own_records_again_at_submission(sample_app, sample_portal):
    with sample_app.app_context():
        own = (
            db.session()
            .exec(
                select(Application.number).where(Application.customer_id == 1, Application.status == Status.COMPLETED)
            )
            .first()
        )
        foreign = db.session().exec(select(Application.number).where(col(Application.customer_id) != 1)).first()
    sample_portal.login()
    page = to_step(sample_portal)
    offered = [option["value"] for option in page.select("#reference option")]
    assert own in offered and foreign not in offered
    page = sample_portal.go("procedure.input_submit", answers("target", reference=foreign))
    assert page.field_error("reference") == "参照する申込みを一覧から選択してください"
    reach_confirm(sample_portal, target={"reference": own})
    state = sample_portal.state()["procedure"]
    state["values"]["target"]["reference"] = foreign  # as if posted from elsewhere and kept
    sample_portal.put_state(procedure=state)
    page = sample_portal.go("procedure.confirm_submit", {"action": "submit"})
    assert page.field_error("reference") == "参照する申込みを一覧から選択してください"


def test_an_admin_only_procedure_on_pattern_two_is_one_declaration_away(sample_portal):
    sample_portal.login("demo-user")
    page = sample_portal.go("testing.sample_admin")
    assert page.h1 == "ユーザーページ"
    assert "この手続きは管理者のみご利用いただけます。" in page.messages
    sample_portal.login("demo-admin")
    page = sample_portal.go("testing.sample_admin")
    assert page.h1 == "テスト手続（管理者）（手続きの流れ）"
    assert page.text(".button--logout") == "終了"  # screen pattern 2 (C.7)
