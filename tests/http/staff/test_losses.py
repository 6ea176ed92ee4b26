"""S.9 事故の状況 on the console, for 審査担当: the 事故 of every customer (searched by 事故番号,
保険利用者コード, 状況; paged), a 事故's detail, and the two changes of 11 — 「請求済にする」 from 受理 or
請求可能 (請求日 ≤ today, not before the 受理), 「支払済にする」 from 請求済 (支払日 from the 請求日 to
today, 支払保険金額 > 0) — each through 確認, as one conditional UPDATE (a second staff member acting
at the same time changes nothing and is told 「他の担当者が先に処理しました」), audited; refused from
any other 状況; the customer sees the new 状況 in 5-4 at once."""

from datetime import date

import pytest
from sqlmodel import col, select, update

from nexi import db
from nexi.models import AuditEvent, Customer, Loss, LossState, StaffUser
from tests.support import contracts
from tests.support.losses import accepted_loss
from tests.support.pages import normalize
from tests.support.staff import staff_account

RACED = "他の担当者が先に処理しました"
EMPTY = {"number": "", "customer_code": "", "state": ""}


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


@pytest.fixture
def book(app, empty_contract_book) -> dict:
    """Two 事故 of the first customer (受理; 請求可能) and one of the second (受理)."""
    with app.test_request_context():
        (first, first_user), (second, second_user) = contracts.customers(2)
        buyer = contracts.registered_buyer("304-990021", "304", "EA", name="LAMBDA TRADING LTD")
        waiting = accepted_loss(first, first_user, buyer)
        claimable = accepted_loss(first, first_user, buyer, cause="11")
        theirs = accepted_loss(second, second_user, buyer)
        db.session().commit()
        codes = {c.id: c.code for c in db.session().exec(select(Customer)).all()}
        return {
            "waiting": waiting.id, "claimable": claimable.id, "theirs": theirs.id,
            "numbers": {waiting.id: waiting.number, claimable.id: claimable.number, theirs.id: theirs.number},
            "codes": (codes[first], codes[second]),
        }  # fmt: skip


def loss(app, loss_id) -> Loss:
    with app.app_context():
        found = db.session().get(Loss, loss_id)
        db.session().expunge(found)
        return found


def events(app, kind: str) -> list[dict]:
    with app.app_context():
        return list(db.session().exec(select(AuditEvent.detail).where(AuditEvent.kind == kind)).all())


def listed(page) -> list[str]:
    return page.texts("table.table--staff-losses tbody th")


def open_detail(staff, loss_id):
    staff.go("staff.losses")
    return staff.go("staff.loss", {"loss": str(loss_id)})


def version_of(page) -> str:
    return page.one("form.loss-action input[name=version]")["value"]


def claim(staff, loss_id, day: str):
    """From the list to the 確認 of 「請求済にする」 with the 請求日 `day`."""
    page = open_detail(staff, loss_id)
    return staff.go("staff.loss_action", {"action": "claim", "version": version_of(page), "claimed_on": day})


def pay(staff, loss_id, day: str, amount: str):
    page = open_detail(staff, loss_id)
    data = {"action": "pay", "version": version_of(page), "paid_on": day, "paid_jpy": amount}
    return staff.go("staff.loss_action", data)


def claimed(app, loss_id, day=date(2026, 9, 10)) -> None:
    with app.app_context():
        db.session().exec(
            update(Loss)
            .where(col(Loss.id) == loss_id)
            .values(state=LossState.CLAIMED, claimed_on=day, version=Loss.version + 1)
        )
        db.session().commit()


# --- the console's menu and the role --------------------------------------------------------------


def test_the_area_is_on_the_reviewer_s_console_and_refused_to_a_manager(app, book, staff):
    staff.login("demo-reviewer")
    assert "事故の状況（請求済・支払済）" in staff.current().button_names()
    manager = type(staff)(app, app.test_client())
    page = manager.login("demo-manager")
    assert "事故の状況（請求済・支払済）" not in page.button_names()
    page = manager.go("staff.losses")
    assert page.h1 == "職員コンソール" and any("審査担当のみ" in message for message in page.messages)


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_every_customer_s_losses_newest_first(app, book, staff_both):
    staff_both.login("demo-reviewer")
    page = staff_both.go("staff.losses")
    assert page.h1 == "事故の状況"
    numbers = book["numbers"]
    assert listed(page) == sorted(numbers.values(), reverse=True)
    row = page.one(f"table.table--staff-losses button[value='{book['theirs']}']").find_parent("tr")
    cells = [normalize(cell.get_text(" ")) for cell in row.select("th, td")]
    assert cells[0] == numbers[book["theirs"]] and cells[1].startswith(book["codes"][1])
    assert cells[3:] == ["船積後損失等発生通知", "決済期限 2026/08/29", "USD 100,000.00", "2027/05/29", "受理", ""]


def test_the_list_is_searched_by_number_customer_code_or_state_and_bad_input_is_kept(app, book, staff):
    staff.login("demo-reviewer")
    staff.go("staff.losses")
    numbers = book["numbers"]
    found = staff.go("staff.loss_search", EMPTY | {"number": numbers[book["theirs"]].lower()})
    assert listed(found) == [numbers[book["theirs"]]]
    found = staff.go("staff.loss_search", EMPTY | {"customer_code": book["codes"][0][:4]})
    assert sorted(listed(found)) == sorted([numbers[book["waiting"]], numbers[book["claimable"]]])
    assert listed(staff.go("staff.loss_search", EMPTY | {"state": "支払済"})) == []
    assert listed(staff.go("staff.loss_search", EMPTY | {"state": "請求可能"})) == [numbers[book["claimable"]]]
    page = staff.go("staff.loss_search", EMPTY | {"number": "X123", "customer_code": "12a"})
    assert page.field_error("number") == "事故番号は「A2026000045」の形式（Aと10桁の数字）で入力してください"
    assert page.field_error("customer_code") and page.one("#customer_code")["value"] == "12a"
    assert listed(page) == [numbers[book["claimable"]]]  # the result of the last valid search stays


def test_the_list_is_paged_with_its_criteria_kept(app, book, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 2)
    staff.login("demo-reviewer")
    first = staff.go("staff.losses")
    assert len(listed(first)) == 2 and "3件（1/2ページ" in first.text(".result-count")
    second = staff.go("staff.loss_page", {"page": "2"})
    assert listed(second) == [min(book["numbers"].values())]
    assert staff.current().text(".result-count") == second.text(".result-count")  # a refresh: the same page


def test_an_unknown_loss_is_refused_with_a_message(book, staff):
    staff.login("demo-reviewer")
    staff.go("staff.losses")
    page = staff.go("staff.loss", {"loss": "999999"})
    assert page.h1 == "事故の状況" and "指定された事故は見つかりません。" in " ".join(page.messages)


# --- 請求済にする -----------------------------------------------------------------------------------


def test_the_detail_of_an_accepted_loss_offers_the_claim_and_leads_back_to_the_list(app, book, staff_both):
    staff_both.login("demo-reviewer")
    staff_both.go("staff.losses")
    staff_both.go("staff.loss_search", EMPTY | {"state": "受理"})
    page = staff_both.go("staff.loss", {"loss": str(book["waiting"])})
    assert page.h1 == "事故の詳細"
    assert f"事故番号 {book['numbers'][book['waiting']]}" in page.screen_text
    assert normalize(page.text("#loss-action-title")) == "請求済にする"
    assert page.one("#claimed_on")["value"] == "2026-09-15"  # today, to be changed
    assert not page.select("#paid_on")
    back = staff_both.go("staff.loss_back")
    assert back.h1 == "事故の状況" and back.one("#state option[selected]")["value"] == "受理"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("", "請求日を入力してください"),
        ("2026-09-16", "請求日は本日以前の日付を入力してください"),
        ("2026-09-14", "請求日は事故の受理日（2026年9月15日）以降の日付を入力してください"),
    ],
)
def test_a_bad_claim_date_is_refused_next_to_the_field(app, book, staff, day, message):
    staff.login("demo-reviewer")
    page = claim(staff, book["waiting"], day)
    assert page.h1 == "事故の詳細" and page.field_error("claimed_on") == message
    assert page.one("#claimed_on")["value"] == day
    assert loss(app, book["waiting"]).state == LossState.ACCEPTED


@pytest.mark.parametrize("which", ["waiting", "claimable"])
def test_a_claim_goes_through_its_confirmation_and_is_audited(app, book, staff_both, portal, which):
    staff_both.login("demo-reviewer")
    before = loss(app, book[which])
    page = claim(staff_both, book[which], "2026-09-15")
    assert page.h1 == "請求済にする（確認）"
    assert normalize(page.text("dl.loss-change")) == "請求日 2026年9月15日"
    assert loss(app, book[which]).state == before.state  # nothing yet
    page = staff_both.go("staff.loss_apply", {"action": "apply"})
    assert page.h1 == "事故の詳細"
    assert f"事故 {before.number} を請求済にしました。" in " ".join(page.messages)
    assert page.text("dd.loss-state") == "請求済" and page.text("dd.loss-claimed-on") == "2026年09月15日"
    assert normalize(page.text("#loss-action-title")) == "支払済にする"  # what comes next
    after = loss(app, book[which])
    assert (after.state, after.claimed_on, after.version) == (LossState.CLAIMED, date(2026, 9, 15), before.version + 1)
    [event] = events(app, "staff.loss.claimed")
    assert event["loss"] == before.number
    assert event["before"]["state"] == before.state and event["before"]["claimed_on"] is None
    assert event["after"] == event["before"] | {
        "state": "請求済", "claimed_on": "2026-09-15", "version": before.version + 1,
    }  # fmt: skip
    # the customer sees it at once (5-4)
    portal.login("demo-admin")
    portal.go("inquiry.index")
    portal.go("inquiry.losses")
    detail = portal.go("inquiry.loss", {"loss": before.number})
    assert "状況 請求済" in detail.screen_text and "請求日 2026年09月15日" in detail.screen_text


def test_correcting_from_the_confirmation_keeps_what_was_typed(app, book, staff):
    staff.login("demo-reviewer")
    claim(staff, book["waiting"], "2026-09-15")
    page = staff.go("staff.loss_apply", {"action": "back"})
    assert page.h1 == "事故の詳細" and page.one("#claimed_on")["value"] == "2026-09-15"
    assert loss(app, book["waiting"]).state == LossState.ACCEPTED and not events(app, "staff.loss.claimed")


# --- 支払済にする -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "amount", "field", "message"),
    [
        ("2026-09-09", "1000", "paid_on", "支払日は請求日（2026年9月10日）以降の日付を入力してください"),
        ("2026-09-16", "1000", "paid_on", "支払日は本日以前の日付を入力してください"),
        ("2026-09-15", "", "paid_jpy", "支払保険金額（円）を入力してください"),
        ("2026-09-15", "0", "paid_jpy", "支払保険金額（円）は1円以上で入力してください"),
        ("2026-09-15", "-5", "paid_jpy", "支払保険金額（円）は1円以上で入力してください"),
        ("2026-09-15", "12万", "paid_jpy", "支払保険金額（円）は半角数字で入力してください"),
        ("2026-09-15", "10000000000000000", "paid_jpy", "支払保険金額（円）は16桁以内で入力してください"),
    ],
)
def test_a_bad_payment_is_refused_next_to_its_field(app, book, staff, day, amount, field, message):
    claimed(app, book["waiting"])
    staff.login("demo-reviewer")
    page = pay(staff, book["waiting"], day, amount)
    assert page.h1 == "事故の詳細" and page.field_error(field) == message
    assert page.one("#paid_jpy")["value"] == amount
    assert loss(app, book["waiting"]).state == LossState.CLAIMED


def test_a_payment_goes_through_its_confirmation_and_is_audited(app, book, staff_both):
    claimed(app, book["waiting"])
    staff_both.login("demo-reviewer")
    page = pay(staff_both, book["waiting"], "2026-09-14", "12,345,678")
    assert page.h1 == "支払済にする（確認）"
    assert normalize(page.text("dl.loss-change")) == "支払日 2026年9月14日 支払保険金額（円） 12,345,678円"
    page = staff_both.go("staff.loss_apply", {"action": "apply"})
    assert page.text("dd.loss-state") == "支払済" and page.text("dd.loss-paid") == "12,345,678円"
    assert page.text("dd.loss-paid-on") == "2026年09月14日"
    assert page.text(".loss-no-action") == "状況が「支払済」の事故の状況は変更できません。"
    after = loss(app, book["waiting"])
    assert (after.state, after.paid_on, after.paid_jpy) == (LossState.PAID, date(2026, 9, 14), 12_345_678)
    [event] = events(app, "staff.loss.paid")
    assert event["before"]["state"] == "請求済" and event["before"]["paid_jpy"] is None
    assert event["after"] == event["before"] | {
        "state": "支払済", "paid_on": "2026-09-14", "paid_jpy": 12_345_678, "version": event["before"]["version"] + 1,
    }  # fmt: skip


# --- the wrong 状況 ---------------------------------------------------------------------------------


def test_an_action_is_refused_from_a_state_that_does_not_allow_it(app, book, staff):
    staff.login("demo-reviewer")
    page = open_detail(staff, book["waiting"])
    # 支払済にする posted on a 受理 事故 (the detail offers only 請求済にする)
    data = {"action": "pay", "version": version_of(page), "paid_on": "2026-09-15", "paid_jpy": "1000"}
    page = staff.go("staff.loss_action", data)
    assert "状況が「受理」の事故は「支払済にする」ことはできません。" in " ".join(page.messages)
    assert loss(app, book["waiting"]).state == LossState.ACCEPTED
    # 請求済にする posted on a 請求済 one
    claimed(app, book["claimable"])
    page = open_detail(staff, book["claimable"])
    data = {"action": "claim", "version": version_of(page), "claimed_on": "2026-09-15"}
    page = staff.go("staff.loss_action", data)
    assert "状況が「請求済」の事故は「請求済にする」ことはできません。" in " ".join(page.messages)
    assert loss(app, book["claimable"]).claimed_on == date(2026, 9, 10)
    assert not events(app, "staff.loss.claimed") and not events(app, "staff.loss.paid")


@pytest.mark.parametrize("final", [LossState.PAID, LossState.LAPSED])
def test_a_paid_or_lapsed_loss_offers_no_action_and_refuses_one_posted(app, book, staff, final):
    with app.app_context():
        db.session().exec(update(Loss).where(col(Loss.id) == book["waiting"]).values(state=final))
        db.session().commit()
    staff.login("demo-reviewer")
    page = open_detail(staff, book["waiting"])
    assert not page.select("form.loss-action") and f"状況が「{final}」の事故" in page.text(".loss-no-action")
    version = str(loss(app, book["waiting"]).version)
    for data in ({"action": "claim", "claimed_on": "2026-09-15"}, {"action": "pay", "paid_on": "2026-09-15",
                                                                  "paid_jpy": "1"}):  # fmt: skip
        page = staff.go("staff.loss_action", data | {"version": version})
        assert any("ことはできません" in message for message in page.messages)
    assert loss(app, book["waiting"]).state == final


# --- two staff members at once --------------------------------------------------------------------


@pytest.fixture
def two_reviewers(app):
    """demo-manager holds 審査担当 too: a second staff member for the same 事故."""
    with app.app_context():
        db.session().exec(update(StaffUser).where(col(StaffUser.login_id) == "demo-manager").values(reviewer=True))
        db.session().commit()


def test_a_second_staff_member_confirming_the_same_action_changes_nothing(app, book, staff, other_staff, two_reviewers):
    staff.login("demo-reviewer")
    other_staff.login("demo-manager")
    assert claim(staff, book["waiting"], "2026-09-15").h1 == "請求済にする（確認）"
    assert claim(other_staff, book["waiting"], "2026-09-15").h1 == "請求済にする（確認）"
    assert "請求済にしました" in " ".join(staff.go("staff.loss_apply", {"action": "apply"}).messages)
    page = other_staff.go("staff.loss_apply", {"action": "apply"})
    assert page.h1 == "事故の詳細" and any(RACED in message for message in page.messages)
    assert page.text("dd.loss-state") == "請求済"  # the latest 状況 is shown
    assert loss(app, book["waiting"]).version == 1  # changed once
    with app.app_context():
        [who] = db.session().exec(select(AuditEvent.staff_user_id).where(AuditEvent.kind == "staff.loss.claimed"))
    assert who == staff_account(app, "demo-reviewer").id  # by the first one only


def test_an_action_from_a_detail_shown_before_another_staff_member_acted_changes_nothing(
    app, book, staff, other_staff, two_reviewers
):
    staff.login("demo-reviewer")
    other_staff.login("demo-manager")
    shown = open_detail(other_staff, book["waiting"])
    claim(staff, book["waiting"], "2026-09-15")
    staff.go("staff.loss_apply", {"action": "apply"})
    # the second one's detail still offers 請求済にする, on the version it showed
    data = {"action": "claim", "version": version_of(shown), "claimed_on": "2026-09-15"}
    page = other_staff.go("staff.loss_action", data)
    assert any(RACED in message for message in page.messages) and page.text("dd.loss-state") == "請求済"
    assert page.h1 == "事故の詳細" and normalize(page.text("#loss-action-title")) == "支払済にする"
    assert loss(app, book["waiting"]).version == 1 and len(events(app, "staff.loss.claimed")) == 1


def test_every_screen_is_valid_html(app, book, staff, tmp_path):
    from pathlib import Path

    from tests.html.test_validity import run_vnu

    claimed(app, book["claimable"])
    staff.login("demo-reviewer")
    pages = {"list": staff.go("staff.losses")}
    pages["refused"] = staff.go("staff.loss_search", EMPTY | {"number": "x"})
    pages["detail"] = open_detail(staff, book["waiting"])
    pages["claim_error"] = claim(staff, book["waiting"], "2099-01-01")
    pages["claim_confirm"] = claim(staff, book["waiting"], "2026-09-15")
    pages["pay_confirm"] = pay(staff, book["claimable"], "2026-09-15", "1000")
    for name, page in pages.items():
        (Path(tmp_path) / f"{name}.html").write_text(page.html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    assert not errors, [(Path(e["url"]).name, e.get("lastLine"), e["message"]) for e in errors][:40]
