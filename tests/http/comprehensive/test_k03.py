"""K03 企総登録内容変更・削除 (DOMAIN.md 8-3, S.3): a change of at least one term, a 引受停止 仕向国
refused, a deletion with its reason and the open-policy warning, one pending per registration, and
NEXI's 完了 applying the change or ending the registration (audit-logged)."""

from sqlmodel import select

from nexi import db, registrations
from nexi.models import AuditEvent, Status
from tests.http.comprehensive.helpers import (
    CONFIRM,
    K03,
    buyer_id,
    complete,
    customer_id,
    k03,
    record,
    registration,
    submit,
    walk,
)


def number(year: int) -> str:
    return f"T{year}00001"


def events(app, kind: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all())


def test_a_change_is_applied_by_nexi_and_logged(app, portal, staff, day):
    portal.login("demo-user")
    page = walk(portal, K03, {"target": k03(number(day))["target"]})
    assert "現在：304" in page.text() and "現在：90日" not in page.text()  # 304-000102: 送金, 180 days
    assert "現在：180日" in page.text()
    page = walk(portal, K03, k03(number(day), new_settlement_method="D/A", new_usance_days="120"))
    assert page.h1 == f"企総登録内容変更・削除{CONFIRM}", page.error_summary
    web = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert registration(app, "304-000102").settlement_method == "送金"  # effects only at 完了
    page = complete(staff, web)
    assert not page.error_summary, page.error_summary
    row = registration(app, "304-000102")
    assert (row.destination, row.settlement_method, row.max_usance_days, row.state) == ("304", "D/A", 120, "有効")
    assert record(app, web).status == Status.COMPLETED
    assert record(app, web).result["決済方法"] == "D/A" and "仕向国" not in record(app, web).result
    [event] = events(app, "staff.rider_buyer.changed")
    assert (event.detail["before"]["max_usance_days"], event.detail["after"]["max_usance_days"]) == (180, 120)


def test_a_change_needs_at_least_one_new_term(portal, day):
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day)))
    assert "変更する項目を1つ以上入力してください" in page.text()
    page = walk(portal, K03, k03(number(day), new_destination="304", new_usance_days="180"))
    assert "変更後の内容が現在の企総登録と同じです" in page.text()


def test_a_destination_under_suspension_is_refused(portal, day):
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day), new_destination="224"))
    assert "仕向国（ロシア）は引受停止国のため、変更できません" in page.text()


def test_the_usance_is_0_to_729_days(portal, day):
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day), new_usance_days="730"))
    assert not page.h1.endswith(CONFIRM) and "729" in page.text()


def test_a_deletion_needs_its_reason(portal, day):
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day), kind="削除", reason=""))
    assert "削除の理由を入力してください" in page.text()


def test_a_deletion_ends_the_registration(app, portal, staff, day, empty_contract_book):
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day), kind="削除"))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "有効な保険契約" not in page.text()  # no open policy: no warning
    web = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit"})
    assert not complete(staff, web).error_summary
    row = registration(app, "304-000102")
    assert row.state == "削除"
    with app.app_context():
        assert registrations.rider_registration(row.rider_id, row.buyer_id) is None
    assert events(app, "staff.rider_buyer.deleted")[0].detail["after"]["state"] == "削除"


def test_a_deletion_with_open_policies_on_the_buyer_warns(app, portal, day, empty_contract_book):
    from tests.support import contracts

    owner = customer_id(app)  # read before: a second session would wait for this one's write
    with app.test_request_context():
        from nexi.models import Buyer

        buyer = db.session().get(Buyer, buyer_id("304-000102"))
        contracts.policy(owner, buyer)  # 有効, no 特約 named
        db.session().commit()
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day), kind="削除"))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "このバイヤーを支払人とする有効な保険契約が1件あります" in page.text()
    page = portal.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1.endswith(CONFIRM)  # the warning must be acknowledged (C.2), then it may be filed
    assert portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"}).h1.endswith("（申込完了）")


def test_a_buyer_not_registered_under_the_rider_is_refused(portal, day):
    portal.login("demo-user")
    page = walk(portal, K03, k03(number(day), "304-000101", new_usance_days="30"))
    assert "「304-000101」はこの特約に企総登録されていません" in page.text()


def test_one_pending_change_per_registration(portal, other_portal, day):
    portal.login("demo-user")
    submit(portal, K03, k03(number(day), new_usance_days="30"))
    other_portal.login("demo-admin")
    page = walk(other_portal, K03, k03(number(day), kind="削除"))
    assert "この企総登録の内容変更・削除は、すでに申込み中です" in page.text()
    page = walk(other_portal, K03, k03(number(day), "111-000301", new_usance_days="30"))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_completion_refuses_a_registration_deleted_meanwhile(app, portal, staff, day):
    from tests.http.comprehensive.helpers import change_registration

    portal.login("demo-user")
    web = submit(portal, K03, k03(number(day), new_usance_days="30"))
    change_registration(app, "304-000102", state="削除")
    page = complete(staff, web)
    assert "対象の企総登録が見つかりません" in page.text()
    assert record(app, web).status == Status.REVIEWING
