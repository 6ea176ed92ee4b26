"""S.4 格付の変更, 設定額の変更 and 削除 on the staff console: the history, the 設定額 floor (使用額 +
予約額), confirmation, and no change lost to or made over another one (split from test_buyers.py)."""

import pytest
from sqlmodel import col, update

from nexi import db, register
from nexi.clock import today
from nexi.models import Buyer, BuyerStatus
from tests.http.staff.test_buyers import audits, buyer, change, open_buyer, ratings, search  # noqa: F401
from tests.http.staff.test_review import decide
from tests.support.procedures import submit

# --- 格付の変更 -------------------------------------------------------------------------------------


def test_re_rating_keeps_the_history_and_is_audited(app, staff_both):
    staff_both.login("demo-manager")
    page = change(staff_both, "304-000101", "rate", rating="EM", rated_on=today().isoformat(),
                  limit_amount="200,000,000", reason="決算内容の悪化")  # fmt: skip
    assert page.h1 == "格付の変更（確認）", page.error_summary
    assert "決算内容の悪化" in page.text(".buyer-change")
    page = staff_both.go("staff.buyer_change_apply", {"action": "apply"})
    assert page.h1 == "バイヤー詳細" and any("格付を変更しました" in m for m in page.messages)
    assert page.texts("table.table--ratings tbody td:first-child") == ["EM", "EA"]
    assert "職員（" in page.text("table.table--ratings tbody tr") and "決算内容の悪化" in page.text(
        "table.table--ratings"
    )
    changed = buyer(app, "304-000101")
    assert (changed.rating, changed.rated_on, changed.limit_amount) == ("EM", today(), 200_000_000)
    (event,) = audits(app, "staff.buyer.rated")
    assert event.detail["before"]["rating"] == "EA" and event.detail["after"]["rating"] == "EM"
    assert event.detail["before"]["limit_amount"] == 300_000_000


def test_re_rating_asks_for_a_reason_and_an_amount_where_one_is_needed(staff):
    staff.login("demo-manager")
    page = change(staff, "111-000301", "rate", rating="EE", rated_on="2026-13-01", limit_amount="", reason="")
    assert page.h1 == "格付の変更"
    assert page.field_error("reason") == "理由を入力してください"
    assert page.field_error("limit_amount") == "格付EEの海外商社には設定額を入力してください"
    assert page.field_error("rated_on")
    assert page.one("#rated_on")["value"] == "2026-13-01"


@pytest.mark.usefixtures("empty_contract_book")  # 304-000101 holds nothing of the demo book
def test_a_downgrade_out_of_the_limit_ratings_ends_the_limit(app, staff):
    staff.login("demo-manager")
    change(staff, "304-000101", "rate", rating="EC", rated_on=today().isoformat(), reason="信用不安")
    staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert (buyer(app, "304-000101").rating, buyer(app, "304-000101").limit_amount) == ("EC", None)


def test_a_b02_completion_adds_to_the_history(app, portal, staff):
    portal.login("demo-admin")
    number = submit(portal, "buyers.rating_change", {
        "target": {"buyer_code": "304-000101", "reason": "財務内容の改善"},
        "report": {"report_mode": "request", "fee_ack": "y"},
    })  # fmt: skip
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    decide(staff, number, "complete", rating="EE", rated_on=today().isoformat(), limit_amount="400000000")
    assert [entry.rating for entry in ratings(app, "304-000101")] == ["EA", "EE"]
    manager = type(staff)(app, app.test_client())
    manager.login("demo-manager")
    page = open_buyer(manager, "304-000101")
    assert page.texts("table.table--ratings tbody td:first-child") == ["EE", "EA"]
    assert f"Web申込番号 {number}" in page.text("table.table--ratings tbody tr")


# --- 設定額の変更 -----------------------------------------------------------------------------------


def test_the_set_amount_is_never_below_what_is_used_and_reserved(app, staff, monkeypatch):
    monkeypatch.setattr(register, "committed", lambda buyer: 120_000_000)
    staff.login("demo-manager")
    page = change(staff, "304-000101", "limit", limit_amount="100,000,000")
    assert page.h1 == "設定額の変更"
    assert page.field_error("limit_amount") == "設定額は使用額と予約額の合計（120,000,000円）以上で入力してください"
    assert page.one("#limit_amount")["value"] == "100,000,000"
    page = staff.go("staff.buyer_change_check", {"action": "next", "limit_amount": "120,000,000"})
    assert page.h1 == "設定額の変更（確認）"
    page = staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert buyer(app, "304-000101").limit_amount == 120_000_000
    (event,) = audits(app, "staff.buyer.limit_set")
    assert (event.detail["before"]["limit_amount"], event.detail["after"]["limit_amount"]) == (300_000_000, 120_000_000)


@pytest.mark.usefixtures("empty_contract_book")  # 304-000101 holds nothing of the demo book
def test_the_floor_is_checked_again_when_the_change_is_applied(app, staff, monkeypatch):
    staff.login("demo-manager")
    assert change(staff, "304-000101", "limit", limit_amount="1000").h1 == "設定額の変更（確認）"
    monkeypatch.setattr(register, "committed", lambda buyer: 5000)  # a use recorded meanwhile
    page = staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert page.h1 == "設定額の変更" and "5,000円" in page.field_error("limit_amount")
    assert buyer(app, "304-000101").limit_amount == 300_000_000


def test_a_re_rating_keeps_to_the_floor_too(app, staff, monkeypatch):
    monkeypatch.setattr(register, "committed", lambda buyer: 500_000_000)
    staff.login("demo-manager")
    page = change(staff, "304-000101", "rate", rating="EE", rated_on=today().isoformat(),
                  limit_amount="400000000", reason="見直し")  # fmt: skip
    assert "500,000,000円" in page.field_error("limit_amount")


def test_a_buyer_outside_the_limit_ratings_has_no_amount_to_set(app, staff):
    staff.login("demo-manager")
    page = open_buyer(staff, "205-000501")
    page = staff.go("staff.buyer_change", {"action": "limit"})
    assert page.h1 == "バイヤー詳細" and any("個別保証枠を設定しません" in m for m in page.messages)


# --- 削除 ------------------------------------------------------------------------------------------


def test_deleting_needs_a_reason_and_a_confirmation(app, staff_both):
    staff_both.login("demo-manager")
    page = change(staff_both, "111-000301", "delete", reason="")
    assert page.field_error("reason") == "削除の理由を入力してください"
    page = staff_both.go("staff.buyer_change_check", {"action": "next", "reason": "事業停止"})
    assert page.h1 == "削除（確認）"
    assert buyer(app, "111-000301").status == BuyerStatus.REGISTERED  # nothing yet
    page = staff_both.go("staff.buyer_change_apply", {"action": "apply"})
    deleted = buyer(app, "111-000301")
    assert (deleted.status, deleted.deleted_reason, deleted.deleted_on) == (BuyerStatus.DELETED, "事業停止", today())
    assert page.texts("button[name=action]") == []  # a deleted buyer offers no change
    (event,) = audits(app, "staff.buyer.deleted")
    assert event.detail["before"]["status"] == "登録" and event.detail["after"]["status"] == "削除"


def test_a_change_to_a_buyer_deleted_meanwhile_changes_nothing(app, staff):
    staff.login("demo-manager")
    assert change(staff, "111-000301", "rate", rating="EE", rated_on=today().isoformat(),
                  limit_amount="1", reason="見直し").h1 == "格付の変更（確認）"  # fmt: skip
    with app.app_context():
        db.session().exec(update(Buyer).where(col(Buyer.code) == "111-000301").values(status=BuyerStatus.DELETED))
        db.session().commit()
    page = staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert page.h1 == "バイヤー詳細"
    assert buyer(app, "111-000301").rating == "EA" and len(ratings(app, "111-000301")) == 1


def test_a_change_made_by_someone_else_since_the_input_is_not_overwritten(app, staff):
    staff.login("demo-manager")
    assert change(staff, "304-000101", "rate", rating="EM", rated_on=today().isoformat(),
                  limit_amount="300,000,000", reason="見直し").h1 == "格付の変更（確認）"  # fmt: skip
    with app.app_context():  # another staff member's 設定額の変更 meanwhile
        db.session().exec(update(Buyer).where(col(Buyer.code) == "304-000101").values(limit_amount=500_000_000))
        db.session().commit()
    page = staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert page.h1 == "バイヤー詳細"
    assert any("表示したあとに削除または変更されたため" in message for message in page.messages)
    kept = buyer(app, "304-000101")
    assert (kept.rating, kept.limit_amount) == ("EA", 500_000_000)
    assert not audits(app, "staff.buyer.rated")


@pytest.mark.usefixtures("empty_contract_book")  # 304-000101 holds nothing of the demo book
def test_a_change_committed_while_the_action_runs_is_not_overwritten(app, staff, monkeypatch):
    """The UPDATE itself checks the buyer is still as read: a re-rating out of the limit ratings
    committed between the read and the write leaves no 設定額 on it."""
    staff.login("demo-manager")
    assert change(staff, "304-000101", "limit", limit_amount="5,000").h1 == "設定額の変更（確認）"

    def meanwhile(_buyer):
        db.session().execute(
            update(Buyer).where(col(Buyer.code) == "304-000101").values(rating="SA", limit_amount=None),
            execution_options={"synchronize_session": False},
        )
        return 0

    monkeypatch.setattr(register, "committed", meanwhile)
    page = staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert any("表示したあとに削除または変更されたため" in message for message in page.messages)
    assert (buyer(app, "304-000101").rating, buyer(app, "304-000101").limit_amount) == ("SA", None)
    assert not audits(app, "staff.buyer.limit_set")


def test_the_change_is_for_the_buyer_shown_whatever_is_posted(app, staff):
    staff.login("demo-manager")
    open_buyer(staff, "111-000301")
    other = str(buyer(app, "304-000101").id)
    staff.go("staff.buyer_change", {"action": "delete", "buyer": other, "buyer_id": other})
    staff.go("staff.buyer_change_check", {"action": "next", "reason": "閉鎖", "buyer": other})
    staff.go("staff.buyer_change_apply", {"action": "apply", "buyer": other})
    assert buyer(app, "111-000301").status == BuyerStatus.DELETED
    assert buyer(app, "304-000101").status == BuyerStatus.REGISTERED


def test_an_id_not_in_the_register_finds_nothing(staff):
    staff.login("demo-manager")
    staff.go("staff.buyers")
    for posted in ("999999", "abc", "-1", "1" * 30):
        page = staff.go("staff.buyer", {"buyer": posted})
        assert page.h1 == "バイヤー検索"
