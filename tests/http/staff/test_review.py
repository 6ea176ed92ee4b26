"""S.2 / S.3 / §4-2: the review queue and NEXI's decisions, and what the customer sees of them."""

from datetime import timedelta

from sqlmodel import col, select, update

from nexi import db, review
from nexi.clock import now, today
from nexi.models import Application, ApplicationEvent, AuditEvent, Buyer, BuyerRating, Status
from tests.support.procedures import b01, submit
from tests.support.staff import staff_account

RACED = "他の担当者が先に処理しました"


def application(app, number) -> Application:
    with app.app_context():
        found = db.session().exec(select(Application).where(Application.number == number)).one()
        db.session().expunge(found)
        return found


def open_review(staff, number):
    staff.go("staff.queue")
    return staff.go("staff.detail", {"number": number})


def decide(staff, number, key, **values):
    """From the detail: the decision's button, then (but for 受付) its screen, 「…する」."""
    page = open_review(staff, number)
    version = page.one("input[name=version]")["value"]
    page = staff.go("staff.decide", {"decision": key, "version": version})
    if key == "accept":
        return page
    return staff.go("staff.decide_submit", {"action": "submit", **values})


def submitted_b01(portal) -> str:
    portal.login("demo-admin")
    return submit(portal, "buyers.register", b01())


def test_the_queue_lists_open_applications_of_every_customer_oldest_first(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    page = staff.go("staff.queue")
    numbers = page.texts("table.table--queue tbody th")
    assert number in numbers
    with app.app_context():
        listed = (
            db.session()
            .exec(select(Application.number, Application.listed_at).where(col(Application.number).in_(numbers)))
            .all()
        )
        statuses = set(db.session().exec(select(Application.status).where(col(Application.number).in_(numbers))).all())
    assert [n for n, _ in sorted(listed, key=lambda row: (row[1], row[0]))] == numbers
    assert statuses <= {Status.SUBMITTED, Status.REVIEWING, Status.RETURNED}
    row = next(tr for tr in page.select("table.table--queue tbody tr") if number in tr.get_text())
    assert "株式会社サンプル精機" in row.get_text() and "海外商社新規登録" in row.get_text()


def test_the_queue_filters_by_status_procedure_customer_and_overdue(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    staff.go("staff.queue")
    page = staff.go("staff.queue_search", {"statuses": ["completed"]})
    assert number not in page.texts("tbody th")
    page = staff.go("staff.queue_search", {"procedure": "B01"})
    assert number in page.texts("tbody th") and set(page.texts("tbody td:nth-of-type(2)")) <= {"海外商社新規登録"}
    page = staff.go("staff.queue_search", {"customer": "999999999"})
    assert page.text(".result-count") == "条件に合う申込みはありません。"
    page = staff.go("staff.queue_search", {"customer": "12x"})
    assert page.field_error("customer") == "保険利用者コードは9桁の数字で入力してください"
    assert page.one("#customer")["value"] == "12x"
    with app.app_context():
        db.session().exec(update(Application).where(col(Application.number) == number).values(overdue=True))
        db.session().commit()
    page = staff.go("staff.queue_search", {"overdue": ["yes"]})
    assert page.texts("tbody th") == [number]


def test_accept_then_complete_registers_the_buyer_and_the_customer_sees_it(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    page = decide(staff, number, "accept")
    assert "受け付けました" in " ".join(page.messages)
    accepted = application(app, number)
    assert accepted.status == Status.REVIEWING
    assert accepted.assignee_id == staff_account(app, "demo-reviewer").id
    assert "審査中" in portal.go("status.detail", {"number": number}).text()

    page = decide(staff, number, "complete", rating="EA", rated_on=today().isoformat(), limit_amount="30000000")
    assert "完了しました" in " ".join(page.messages), page.error_summary
    done = application(app, number)
    assert done.status == Status.COMPLETED
    code = done.result["バイヤーコード"]
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == code)).one()
        assert (buyer.rating, buyer.limit_amount, buyer.last_activity_on) == ("EA", 30000000, today())
        assert db.session().exec(select(BuyerRating.rating).where(BuyerRating.buyer_id == buyer.id)).all() == ["EA"]
    detail = portal.go("status.detail", {"number": number})
    assert "完了" in detail.text(".tag--status") and code in detail.text("#result-title + dl")
    assert "30000000" not in detail.text() and "30,000,000" not in detail.text()  # 設定額 stays NEXI's (C.4.1)
    history = detail.texts("section[aria-labelledby=history-title] tbody td:nth-of-type(3)")
    assert history[-2:] == ["NEXI", "NEXI"] and "清水" not in detail.text() and "木村" not in detail.text()


def test_complete_checks_the_result_inputs_and_keeps_what_was_typed(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = decide(staff, number, "complete", rating="EA", rated_on=today().isoformat(), limit_amount="")
    assert page.h1 == "完了"
    assert page.field_error("rating") == "格付EAの海外商社には設定額を入力してください"
    assert page.one("#rating option[selected]")["value"] == "EA"
    assert application(app, number).status == Status.REVIEWING


def test_a_return_needs_a_comment_and_the_customer_resubmits_under_the_same_number(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = decide(staff, number, "return", comment="")
    assert page.field_error("comment") == "差戻しのコメントを入力してください"
    page = staff.go("staff.decide_submit", {"action": "submit", "comment": "あ" * 2001})
    assert page.field_error("comment") == "差戻しのコメントは2000文字以内で入力してください"
    page = staff.go("staff.decide_submit", {"action": "submit", "comment": "住所の表記を確認してください。"})
    assert application(app, number).status == Status.RETURNED

    detail = portal.go("status.detail", {"number": number})
    assert "住所の表記を確認してください。" in detail.text(".message--warning")
    page = portal.go("status.resume", {"number": number, "action": "resubmit"})
    assert "住所の表記を確認してください。" in page.text()
    while "申込内容確認" not in page.h1:
        page = portal.go("procedure.input_submit", {"action": "next", **page.form_values()})
        assert not page.error_summary, page.error_summary
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert application(app, number).status == Status.SUBMITTED

    decide(staff, number, "accept")
    page = decide(staff, number, "complete", rating="SA", rated_on=today().isoformat())
    assert application(app, number).status == Status.COMPLETED, page.error_summary


def test_reject_and_withdraw_need_their_comment_and_the_customer_sees_it(app, portal, staff):
    first, second = submitted_b01(portal), submit(portal, "buyers.register", b01(buyer={"name_en": "OTHER CO LTD"}))
    staff.login("demo-reviewer")
    for number, key, label in ((first, "reject", "不承認の理由"), (second, "withdraw", "取下げのコメント")):
        decide(staff, number, "accept")
        page = decide(staff, number, key, comment="")
        assert page.field_error("comment").startswith(label)
        staff.go("staff.decide_submit", {"action": "submit", "comment": f"{label}です。"})
    assert (application(app, first).status, application(app, second).status) == (Status.REJECTED, Status.WITHDRAWN)
    assert "不承認の理由です。" in portal.go("status.detail", {"number": first}).text(".message--warning")
    assert "取下げのコメントです。" in portal.go("status.detail", {"number": second}).text(".message--warning")


def test_a_decision_on_a_changed_application_changes_nothing(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    page = open_review(staff, number)
    version = page.one("input[name=version]")["value"]
    # Another staff member takes it up meanwhile.
    with app.app_context():
        db.session().exec(
            update(Application)
            .where(col(Application.number) == number)
            .values(status=Status.REVIEWING, version=Application.version + 1)
        )
        db.session().commit()
    page = staff.go("staff.decide", {"decision": "accept", "version": version})
    assert any(RACED in message for message in page.messages)
    assert application(app, number).assignee_id is None


def test_the_same_decision_twice_is_taken_once(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    with app.app_context():
        found = db.session().exec(select(Application).where(Application.number == number)).one()
        reviewer = db.session().get(type(staff_account(app, "demo-reviewer")), staff_account(app, "demo-reviewer").id)
        version = found.version
        review.decide(found, version, "accept", reviewer)
        try:
            review.decide(found, version, "accept", reviewer)
            raise AssertionError("decided twice")
        except review.Conflict as conflict:
            assert RACED in str(conflict)
        db.session().commit()
        events = (
            db.session().exec(select(ApplicationEvent.status).where(ApplicationEvent.application_id == found.id)).all()
        )
    assert events.count(Status.REVIEWING) == 1


def test_a_decided_application_offers_no_decision_and_accepts_none(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    decide(staff, number, "reject", comment="対象外です。")
    page = open_review(staff, number)
    assert not page.select("button[name=decision]")
    version = str(application(app, number).version)
    page = staff.go("staff.decide", {"decision": "complete", "version": version})
    assert any(RACED in message for message in page.messages)
    assert application(app, number).status == Status.REJECTED


def test_the_internal_memo_never_reaches_the_customer(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    open_review(staff, number)
    page = staff.go("staff.memo", {"body": "与信資料を追加で確認中（社内）"})
    assert "与信資料を追加で確認中(社内)" in page.text(".memo-list")  # NFKC, as every text input
    decide(staff, number, "accept")
    decide(staff, number, "return", comment="資料を追加してください。", memo="差戻し理由の社内メモ")
    assert "差戻し理由の社内メモ" in open_review(staff, number).text(".memo-list")
    customer_views = [
        portal.go("status.detail", {"number": number}).text(),
        portal.go("home.home").text(),
        portal.go("status.index").text(),
        portal.go("status.copy", {"number": number}, check=False).response.get_data(as_text=True),
        portal.go("status.csv", check=False).response.get_data(as_text=True),
    ]
    for text in customer_views:
        assert "社内メモ" not in text and "与信資料" not in text


def test_the_customer_list_and_user_page_show_the_outcome_at_once(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    decide(staff, number, "return", comment="確認してください。")
    rows = [tr.get_text(" ") for tr in portal.go("status.index").select("tbody tr") if number in tr.get_text()]
    assert rows and "差戻し" in rows[0]
    assert number in portal.go("home.home").text()


def test_a_manager_cannot_decide_and_a_reviewer_is_audited(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-manager")
    page = staff.go("staff.queue")
    assert page.h1 == "職員コンソール" and "審査担当のみ" in " ".join(page.messages)
    page = staff.go("staff.decide", {"decision": "accept", "version": "1"})
    assert page.h1 == "職員コンソール"
    assert application(app, number).status == Status.SUBMITTED


def test_every_decision_is_audited_with_before_and_after(app, portal, staff):
    number = submitted_b01(portal)
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    with app.app_context():
        event = db.session().exec(select(AuditEvent).where(AuditEvent.kind == "staff.review.accept")).one()
    assert event.detail["number"] == number
    assert event.detail["before"]["status"] == Status.SUBMITTED and event.detail["after"]["status"] == Status.REVIEWING
    assert event.staff_user_id == staff_account(app, "demo-reviewer").id


def test_a_hook_that_cannot_apply_leaves_the_application_as_it_was(app, portal, staff):
    portal.login("demo-admin")
    code = "304-000101"
    number = submit(portal, "buyers.rating_change", {
        "target": {"buyer_code": code, "reason": "財務内容の改善"},
        "report": {"report_mode": "request", "fee_ack": "y"},
    })  # fmt: skip
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    with app.app_context():
        db.session().exec(update(Buyer).where(col(Buyer.code) == code).values(code="999-999999"))
        db.session().commit()
    page = decide(staff, number, "complete", rating="SA", rated_on=today().isoformat())
    assert any("完了できませんでした" in message for message in page.messages)
    assert application(app, number).status == Status.REVIEWING


def test_flow_a_records_are_read_only_and_ticked_once(app, portal, staff):
    number = submitted_b01(portal)
    with app.app_context():
        db.session().exec(
            update(Application)
            .where(col(Application.number) == number)
            .values(status=Status.COMPLETED, needs_review=False, updated_at=now() - timedelta(minutes=1))
        )
        db.session().commit()
    staff.login("demo-reviewer")
    staff.go("staff.queue")
    page = staff.go("staff.queue_search", {"unconfirmed": ["yes"], "statuses": ["completed"]})
    assert number in page.texts("tbody th")
    page = staff.go("staff.detail", {"number": number})
    assert not page.select("button[name=decision]") and "未確認" in page.text()
    page = staff.go("staff.confirm")
    assert "確認済にしました" in " ".join(page.messages) and "確認済（" in page.text()
    assert application(app, number).confirmed_at is not None
    assert not page.select("form[action$='/review/confirm'] button")
