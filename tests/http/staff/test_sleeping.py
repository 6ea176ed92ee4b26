"""S.5 the sleeping-buyer cycle on the console: the buyers without activity for NEXI_SLEEPING_MONTHS,
公開 of a batch with its 解除申請期限 (candidates and a draft お知らせ customers do not see), and
after the deadline 削除の実行 — candidates without a 完了 B05 removed, those with one pending
skipped, by staff or by run-daily where NEXI_SLEEPING_AUTO_REMOVE is on; idempotent."""

from datetime import timedelta

import pytest
from sqlmodel import col, select, update

from nexi import db
from nexi.clock import today
from nexi.models import AuditEvent, Buyer, BuyerStatus, Notice, SleepingBatch
from tests.http.procedure.test_buyers import b05
from tests.http.staff.test_review import decide
from tests.support.procedures import submit
from tests.support.staff import StaffPortal

DORMANT = ["110-000701", "410-000801"]  # the demo's dormant buyers, the longest idle first


def buyer(app, code) -> Buyer:
    with app.app_context():
        return db.session().exec(select(Buyer).where(Buyer.code == code)).one()


def set_buyer(app, code, **values) -> None:
    with app.app_context():
        db.session().exec(update(Buyer).where(col(Buyer.code) == code).values(**values))
        db.session().commit()


def audits(app, kind) -> list[AuditEvent]:
    with app.app_context():
        return db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all()


def ids(app, codes) -> list[str]:
    return [str(buyer(app, code).id) for code in codes]


def deadline(days=1) -> str:
    return (today() + timedelta(days=days)).isoformat()


def publish(staff, app, codes, *, days=1):
    staff.go("staff.sleeping")
    page = staff.go(
        "staff.sleeping_check",
        {"action": "next", "buyer": ids(app, codes), "scope": "selected", "release_deadline": deadline(days)},
    )
    assert page.h1 == "スリーピング候補の公開（確認）", page.error_summary
    return staff.go("staff.sleeping_publish", {"action": "submit"})


def later(app, monkeypatch, days):
    """The business clock `days` after today (the deadline passed)."""
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{today() + timedelta(days=days)}T10:00:00+09:00")


# --- 抽出 ------------------------------------------------------------------------------------------


def test_the_list_holds_the_registered_buyers_idle_for_the_threshold(app, staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.sleeping")
    assert page.h1 == "スリーピング候補の抽出"
    assert page.texts("table.table--dormant tbody th") == DORMANT  # not the candidates, not the deleted one
    assert page.one("#release_deadline")["value"] == deadline(60)  # NEXI_SLEEPING_RELEASE_DAYS


def test_the_threshold_is_the_setting_and_a_missing_activity_reads_the_registration(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_SLEEPING_MONTHS", 30)
    staff.login("demo-manager")
    assert staff.go("staff.sleeping").texts("table.table--dormant tbody th") == []  # 800 days < 30 months
    set_buyer(app, "304-000102", last_activity_on=None)  # registered 800 days ago
    monkeypatch.setitem(app.config, "NEXI_SLEEPING_MONTHS", 24)
    assert "304-000102" in staff.go("staff.sleeping").texts("table.table--dormant tbody th")
    set_buyer(app, "110-000701", last_activity_on=today())  # a 完了 or a staff change restarts the clock
    assert "110-000701" not in staff.go("staff.sleeping").texts("table.table--dormant tbody th")


def test_nothing_chosen_or_a_deadline_not_after_today_is_refused(app, staff):
    staff.login("demo-manager")
    staff.go("staff.sleeping")
    page = staff.go(
        "staff.sleeping_check", {"action": "next", "scope": "selected", "release_deadline": today().isoformat()}
    )
    assert page.h1 == "スリーピング候補の抽出"
    assert page.field_error("release_deadline") == "解除申請期限は明日以降の日付を入力してください"
    assert page.one("#release_deadline")["value"] == today().isoformat()
    page = staff.go(
        "staff.sleeping_check",
        {"action": "next", "scope": "selected", "release_deadline": deadline(), "buyer": []},
    )
    assert page.field_error("scope") == "公開するバイヤーにチェックを入れてください"


def test_a_buyer_the_list_did_not_offer_is_not_published(app, staff):
    staff.login("demo-manager")
    staff.go("staff.sleeping")
    page = staff.go(
        "staff.sleeping_check",
        {"action": "next", "scope": "selected", "release_deadline": deadline(), "buyer": ids(app, ["304-000101"])},
    )
    assert page.h1 == "スリーピング候補の抽出" and any("公開しませんでした" in m for m in page.messages)
    assert buyer(app, "304-000101").status == BuyerStatus.REGISTERED


# --- 公開 ------------------------------------------------------------------------------------------


def test_publishing_makes_candidates_and_a_draft_notice_customers_do_not_see(app, staff_both, portal):
    staff_both.login("demo-manager")
    page = publish(staff_both, app, ["410-000801"], days=30)
    assert page.h1 == "スリーピング候補の公開バッチ"
    assert page.texts("table.table--batch-buyers tbody th") == ["410-000801"]
    published = buyer(app, "410-000801")
    assert (published.status, published.release_deadline) == (BuyerStatus.SLEEPING, today() + timedelta(days=30))
    assert buyer(app, "110-000701").status == BuyerStatus.REGISTERED  # not chosen
    with app.app_context():
        batch = db.session().get(SleepingBatch, published.sleeping_batch_id)
        notice = db.session().get(Notice, batch.notice_id)
    assert batch.buyer_count == 1 and notice.draft
    day = today() + timedelta(days=30)
    assert notice.title == f"スリーピング候補バイヤーのお知らせ（解除申請期限 {day.year}年{day.month}月{day.day}日）"
    assert "410-000801　MINISTRY OF HEALTH OF THE STATE OF SAO PAULO（ブラジル）" in notice.body
    assert "解除申請" in notice.body
    portal.login("demo-admin")
    assert notice.title not in portal.go("home.notices").text("main")
    (event,) = audits(app, "staff.sleeping.published")
    assert event.detail["before"] == {"410-000801": "登録"}
    assert event.detail["after"]["buyers"] == {"410-000801": "スリーピング候補"}


def test_all_the_dormant_buyers_can_be_published_at_once(app, staff):
    staff.login("demo-manager")
    staff.go("staff.sleeping")
    page = staff.go("staff.sleeping_check", {"action": "next", "scope": "all", "release_deadline": deadline()})
    assert page.texts("table.table--publish tbody th") == DORMANT
    staff.go("staff.sleeping_publish", {"action": "submit"})
    assert all(buyer(app, code).status == BuyerStatus.SLEEPING for code in DORMANT)
    assert staff.go("staff.sleeping").texts("table.table--dormant tbody th") == []


def test_the_confirmation_is_a_capped_list_and_all_are_published(app, staff, monkeypatch):
    from nexi.blueprints.staff import sleeping

    monkeypatch.setattr(sleeping, "CONFIRM_SHOWN", 1)
    staff.login("demo-manager")
    staff.go("staff.sleeping")
    page = staff.go("staff.sleeping_check", {"action": "next", "scope": "all", "release_deadline": deadline()})
    assert page.texts("table.table--publish tbody th") == DORMANT[:1]
    assert "次の2件の海外商社" in page.text(".confirm-lead") and "ほか1件" in page.text(".publish-more")
    staff.go("staff.sleeping_publish", {"action": "submit"})
    assert all(buyer(app, code).status == BuyerStatus.SLEEPING for code in DORMANT)


def test_a_long_list_keeps_the_notice_within_its_limit(app, staff):
    from nexi.register import NOTICE_BODY_MAX, sleeping_notice

    many = [Buyer(code=f"304-{i:06d}", name_en="X" * 130, country_code="304") for i in range(60)]
    with app.test_request_context():
        body = sleeping_notice(many, today())["body"]
    assert len(body) <= NOTICE_BODY_MAX and body.rstrip().endswith("ご確認いただけます）")


def test_publishing_twice_publishes_once(app, staff):
    staff.login("demo-manager")
    staff.go("staff.sleeping")
    staff.go(
        "staff.sleeping_check",
        {"action": "next", "scope": "selected", "release_deadline": deadline(), "buyer": ids(app, DORMANT)},
    )
    staff.go("staff.sleeping_publish", {"action": "submit"})
    staff.go("staff.sleeping_publish", {"action": "submit"})  # a repeat: the state moved on
    with app.app_context():
        assert len(db.session().exec(select(SleepingBatch).where(col(SleepingBatch.notice_id).is_not(None))).all()) == 1


# --- 削除の実行 ------------------------------------------------------------------------------------


def candidates_with_b05(app, portal, reviewer, monkeypatch):
    """Three candidates of one batch due tomorrow: 110-000701 with a B05 pending, 304-000102 with
    a B05 完了 (released), 410-000801 without any. Returns the pending B05's number."""
    set_buyer(app, "304-000102", last_activity_on=today() - timedelta(days=900))
    manager = StaffPortal(app, app.test_client())
    manager.login("demo-manager")
    publish(manager, app, [*DORMANT, "304-000102"])
    portal.login("demo-admin")
    pending = submit(portal, "buyers.sleeping_release", b05(buyer_code="110-000701"))
    released = submit(portal, "buyers.sleeping_release", b05(buyer_code="304-000102"))
    reviewer.login("demo-reviewer")
    decide(reviewer, pending, "accept")
    decide(reviewer, released, "accept")
    decide(reviewer, released, "complete")
    assert buyer(app, "304-000102").status == BuyerStatus.REGISTERED
    return pending


def open_batch(staff, app, code):
    staff.go("staff.sleeping_batches")
    return staff.go("staff.sleeping_batch", {"batch": str(buyer(app, code).sleeping_batch_id)})


def test_removal_is_neither_offered_nor_accepted_before_the_deadline(app, staff, other_staff, portal, monkeypatch):
    candidates_with_b05(app, portal, other_staff, monkeypatch)
    staff.login("demo-manager")
    page = open_batch(staff, app, "410-000801")
    assert "削除の実行" not in page.texts("button")
    assert "審査中" in page.text("table.table--batch-buyers")
    page = staff.go("staff.sleeping_remove")
    assert any("過ぎるまで" in m for m in page.messages)
    later(app, monkeypatch, 1)  # the deadline day itself: B05 is open until 23:59:59
    assert "削除の実行" not in open_batch(staff, app, "410-000801").texts("button")
    staff.show("staff.sleeping_remove_confirm", {"batch_id": buyer(app, "410-000801").sleeping_batch_id})
    staff.go("staff.sleeping_remove_apply", {"action": "apply"})
    assert buyer(app, "410-000801").status == BuyerStatus.SLEEPING


def test_after_the_deadline_removal_skips_a_pending_b05_and_is_idempotent(app, staff, other_staff, portal, monkeypatch):
    pending = candidates_with_b05(app, portal, other_staff, monkeypatch)
    later(app, monkeypatch, 2)
    staff.login("demo-manager")
    page = open_batch(staff, app, "410-000801")
    page = staff.go("staff.sleeping_remove")
    assert page.h1 == "スリーピング候補の削除（確認）"
    assert buyer(app, "410-000801").status == BuyerStatus.SLEEPING  # nothing before the confirmation
    page = staff.go("staff.sleeping_remove_apply", {"action": "apply"})
    assert any("1件のスリーピング候補" in m and "審査中の1件" in m for m in page.messages)
    removed = buyer(app, "410-000801")
    assert (removed.status, removed.deleted_reason, removed.deleted_on) == (
        BuyerStatus.DELETED,
        "スリーピング",
        later_day(2),
    )
    assert buyer(app, "110-000701").status == BuyerStatus.SLEEPING  # its B05 is pending
    assert buyer(app, "304-000102").status == BuyerStatus.REGISTERED  # released by its B05
    (event,) = audits(app, "staff.sleeping.removed")
    assert event.detail["removed"] == ["410-000801"] and event.detail["skipped"] == ["110-000701"]

    staff.go("staff.sleeping_remove")
    staff.go("staff.sleeping_remove_apply", {"action": "apply"})  # again: nothing more
    assert buyer(app, "110-000701").status == BuyerStatus.SLEEPING
    with app.app_context():
        batch = db.session().get(SleepingBatch, removed.sleeping_batch_id)
    assert batch.removed_count == 1

    decide(other_staff, pending, "reject", comment="取引予定が確認できません")
    staff.go("staff.sleeping_batches")
    page = open_batch(staff, app, "110-000701")
    staff.go("staff.sleeping_remove")
    staff.go("staff.sleeping_remove_apply", {"action": "apply"})  # a later run takes it
    assert buyer(app, "110-000701").status == BuyerStatus.DELETED
    assert "削除の実行" not in open_batch(staff, app, "110-000701").texts("button")  # none left


def test_a_b05_filed_while_the_removal_runs_is_skipped_and_the_audit_says_so(app, staff, monkeypatch):
    """The demo batch of 305-001101 is past its deadline; a B05 about it lands between the read
    of the pending ones and the UPDATE: the buyer stays, and neither the message nor the audit
    counts it as removed."""
    from nexi import register

    real, calls = register.pending_releases, []

    def pending_releases():
        calls.append(1)
        if len(calls) != 2:  # the read, and the batch shown afterwards
            return real()
        return real().union(select(Buyer.code).where(col(Buyer.code) == "305-001101"))  # the UPDATE

    staff.login("demo-manager")
    open_batch(staff, app, "305-001101")
    assert staff.go("staff.sleeping_remove").h1 == "スリーピング候補の削除（確認）"
    monkeypatch.setattr(register, "pending_releases", pending_releases)
    page = staff.go("staff.sleeping_remove_apply", {"action": "apply"})
    assert page.h1 == "スリーピング候補の公開バッチ"
    assert buyer(app, "305-001101").status == BuyerStatus.SLEEPING
    assert any("0件のスリーピング候補" in m and "審査中の1件" in m for m in page.messages), page.messages
    (event,) = audits(app, "staff.sleeping.removed")
    assert event.detail["removed"] == [] and event.detail["skipped"] == ["305-001101"]


def later_day(days):
    return today() + timedelta(days=days)


@pytest.mark.parametrize("switched_on", [False, True])
def test_run_daily_removes_only_where_the_setting_is_on(app, monkeypatch, switched_on):
    monkeypatch.setitem(app.config, "NEXI_SLEEPING_AUTO_REMOVE", switched_on)
    # The demo's batch of 305-001101 passed its deadline 3 days ago; 234-001001's is in 5 days.
    result = app.test_cli_runner().invoke(args=["run-daily"])
    assert result.exit_code == 0, result.output
    assert (buyer(app, "305-001101").status == BuyerStatus.DELETED) is switched_on
    assert buyer(app, "234-001001").status == BuyerStatus.SLEEPING
    if switched_on:
        assert "削除したスリーピング候補バイヤー: 1件" in result.output
        again = app.test_cli_runner().invoke(args=["run-daily"])
        assert "削除したスリーピング候補バイヤー: 0件" in again.output
        (event,) = audits(app, "staff.sleeping.removed")
        assert event.detail["by_command"] is True and event.staff_user_id is None
    else:
        assert "スリーピング" not in result.output


def test_run_daily_skips_a_pending_b05_too(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_SLEEPING_AUTO_REMOVE", True)
    portal.login("demo-admin")
    submit(portal, "buyers.sleeping_release", b05(buyer_code="234-001001"))
    day = (today() + timedelta(days=6)).isoformat()
    app.test_cli_runner().invoke(args=["run-daily", "--date", day])
    assert buyer(app, "234-001001").status == BuyerStatus.SLEEPING
    assert buyer(app, "305-001101").status == BuyerStatus.DELETED


# --- 公開履歴 and roles -------------------------------------------------------------------------------


def test_the_batches_list_offers_removal_where_the_deadline_passed(app, staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.sleeping_batches")
    assert page.h1 == "スリーピング候補の公開履歴"
    rows = page.select("table.table--batches tbody tr")
    assert len(rows) == 3
    statuses = [row.select_one(".batch-status").get_text(strip=True) for row in rows]
    assert sorted(statuses) == ["削除待ち", "解除申請受付中", "解除申請受付中"]
    (offered,) = page.select("button[formaction]")
    assert offered.get_text() == "削除の実行" and "削除待ち" in offered.find_parent("tr").get_text()
    future = str(buyer(app, "234-001001").sleeping_batch_id)
    page = staff_both.go("staff.sleeping_remove", {"batch": future})  # a batch the list did not offer it for
    assert page.h1 == "スリーピング候補の公開バッチ" and any("過ぎるまで" in m for m in page.messages)
    staff_both.go("staff.sleeping_batches")
    page = staff_both.go("staff.sleeping_remove", {"batch": offered["value"]})
    assert page.h1 == "スリーピング候補の削除（確認）"
    staff_both.go("staff.sleeping_remove_apply", {"action": "apply"})
    assert buyer(app, "305-001101").status == BuyerStatus.DELETED


ACTIONS = [
    ("staff.sleeping", {}),
    ("staff.sleeping_page", {"page": "2"}),
    ("staff.sleeping_check", {"action": "next", "scope": "all", "release_deadline": "2099-01-01"}),
    ("staff.sleeping_publish", {"action": "submit"}),
    ("staff.sleeping_batches", {}),
    ("staff.sleeping_batches_page", {"page": "1"}),
    ("staff.sleeping_batch", {"batch": "1"}),
    ("staff.sleeping_batch_page", {"page": "1"}),
    ("staff.sleeping_remove", {}),
    ("staff.sleeping_remove_apply", {"action": "apply"}),
]


def test_a_reviewer_is_refused_every_action_and_screen(app, staff):
    staff.login("demo-reviewer")
    for endpoint, data in ACTIONS:
        page = staff.go(endpoint, data)
        assert page.h1 == "職員コンソール", endpoint
        assert any("管理担当のみ" in message for message in page.messages), endpoint
    batch_id = buyer(app, "305-001101").sleeping_batch_id
    for screen, args in [
        ("staff.sleeping", {"page": 1, "values": {}}),
        ("staff.sleeping_batches", {"page": 1}),
        ("staff.sleeping_batch", {"batch_id": batch_id, "page": 1}),
        ("staff.sleeping_remove_confirm", {"batch_id": batch_id}),
    ]:
        assert staff.show(screen, args).h1 == "職員コンソール", screen
    staff.show("staff.sleeping_remove_confirm", {"batch_id": batch_id})
    staff.go("staff.sleeping_remove_apply", {"action": "apply"})
    assert buyer(app, "305-001101").status == BuyerStatus.SLEEPING
