"""IA2's limit effects and NEXI's 完了 (DOMAIN.md 9-5, S.3 I*2, §10): a credit-covered increment
quotes the customer's own 確認 with enough 残額, is earmarked at 申込む and given back at 不承認;
完了 applies the change to the policy (and its 決済スケジュール), turns the earmark into 使用額,
releases 使用額 for 金額減額 and 解約, writes the 変更履歴 and sets the 追加/返還保険料, a 重大な変更
only once acknowledged; the customer reads what changed."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Confirmation, Earmark, EarmarkState, Instalment, Policy, PolicyChange, Status
from tests.http.insurance.helpers import (
    IA2,
    IA2_TODAY,
    complete,
    ia2,
    ia2_confirmation,
    ia2_policy,
    policy_row,
    record,
)
from tests.http.staff.test_review import decide, open_review
from tests.support.procedures import submit, walk


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", IA2_TODAY)


def rows(app, model, **where):
    with app.app_context():
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(db.session().exec(query.order_by(model.id)).all())


def instalments(app, policy_id):
    with app.app_context():
        found = db.session().exec(
            select(Instalment).where(Instalment.policy_id == policy_id).order_by(Instalment.position)
        )
        return [(row.position, row.amount) for row in found]


def held(app, number) -> Confirmation:
    (found,) = rows(app, Confirmation, number=number)
    return found


def result_page(staff, web):
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    page = open_review(staff, web)
    version = page.one("input[name=version]")["value"]
    return staff.go("staff.decide", {"decision": "complete", "version": version})


def test_a_credit_covered_increment_needs_an_own_confirmation_with_enough_left(app, portal):
    number = ia2_policy(app)
    small = ia2_confirmation(app, 999_999)
    others = ia2_confirmation(app, 5_000_000, other=True)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="110,000.00"))
    assert (
        page.field_error("confirmation_number")
        == "信用危険をてん補している保険の金額増額には、個別保証枠の確認管理番号が必要です"
    )
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="110,000.00", confirmation_number=others))
    assert page.field_error("confirmation_number") == f"確認管理番号「{others}」の確認が見つかりません"
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="110,000.00", confirmation_number=small))
    assert page.field_error("confirmation_number") == "確認の残額が増額分に足りません"


def test_the_increment_is_earmarked_at_submission_and_given_back_when_rejected(app, portal, staff):
    number = ia2_policy(app)
    quoted = ia2_confirmation(app, 5_000_000)
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "increase", increased_amount="105,000.00", confirmation_number=quoted))
    application = record(app, web)
    (mark,) = rows(app, Earmark, application_id=application.id)
    assert (mark.amount, mark.amount_jpy, mark.state) == (500_000, 750_000, EarmarkState.OPEN)  # USD 5,000 at 150
    assert held(app, quoted).earmarked == 500_000
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    decide(staff, web, "reject", comment="内容に誤りがあります")
    (mark,) = rows(app, Earmark, application_id=application.id)
    assert mark.state == EarmarkState.RELEASED and held(app, quoted).earmarked == 0
    assert policy_row(app, number).contract_amount == 10_000_000  # nothing changed


def test_completion_of_an_increase_turns_the_earmark_into_use_and_records_the_change(app, portal, staff):
    number = ia2_policy(app)
    quoted = ia2_confirmation(app, 5_000_000)
    before = policy_row(app, number)
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "increase", increased_amount="105,000.00", confirmation_number=quoted))
    page = result_page(staff, web)
    proposed = int(page.one("#premium_change")["value"])
    assert proposed > 0  # the §6 tariff's difference for USD 5,000 more
    assert page.soup.select_one("#material_ack") is None  # +5 %: not 重大
    page = staff.go("staff.decide_submit", {"action": "submit", "premium_change": "12,000"})
    assert record(app, web).status == Status.COMPLETED, page.messages + page.error_summary
    after = policy_row(app, number)
    assert (after.contract_amount, after.value_post) == (10_500_000, 10_500_000)
    assert (after.credit_outstanding, after.used_jpy) == (10_500_000, before.used_jpy + 750_000)
    assert instalments(app, after.id) == [(1, 5_000_000), (2, 5_500_000)]  # the increment on the last 決済期限
    assert held(app, quoted).used == 500_000 and held(app, quoted).earmarked == 0
    (change,) = rows(app, PolicyChange, policy_id=after.id)
    assert (change.kinds, change.premium_change_jpy, change.material) == ("金額増額", 12_000, False)
    assert change.before == {"contract_amount": 10_000_000, "value_post": 10_000_000}
    assert change.after == {"contract_amount": 10_500_000, "value_post": 10_500_000}
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "契約金額 USD 100,000.00 → USD 105,000.00" in shown and "追加保険料 12,000円" in shown


def test_a_material_change_is_applied_only_once_acknowledged(app, portal, staff):
    number = ia2_policy(app)
    quoted = ia2_confirmation(app, 5_000_000)
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "increase", increased_amount="140,000.00", confirmation_number=quoted))
    page = result_page(staff, web)
    assert "重大な変更 該当" in page.text("main")
    page = staff.go("staff.decide_submit", {"action": "submit", "premium_change": "0"})
    assert page.field_error("material_ack") == "重大な変更に当たるため、確認のチェックを入れてください"
    assert record(app, web).status == Status.REVIEWING
    staff.go("staff.decide_submit", {"action": "submit", "premium_change": "0", "material_ack": "y"})
    assert record(app, web).status == Status.COMPLETED
    (change,) = rows(app, PolicyChange, policy_id=policy_row(app, number).id)
    assert change.material
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "重大な変更 該当" in shown and "追加/返還保険料 なし" in shown


def test_a_decrease_releases_the_use_of_the_credit_covered_decrease(app, portal, staff):
    number = ia2_policy(app)  # USD 100,000.00 all credit-covered, 使用額 ¥15,000,000 at 150
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "decrease", decreased_amount="70,000.00"))
    complete(staff, number=web, premium_change="-3,000")
    assert record(app, web).status == Status.COMPLETED
    after = policy_row(app, number)
    assert (after.contract_amount, after.value_post) == (7_000_000, 7_000_000)
    assert (after.credit_outstanding, after.used_jpy) == (7_000_000, 10_500_000)
    assert instalments(app, after.id) == [(1, 5_000_000), (2, 2_000_000)]  # taken from the last first
    (change,) = rows(app, PolicyChange, policy_id=after.id)
    assert (change.kinds, change.premium_change_jpy) == ("金額減額", -3_000)
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "契約金額 USD 100,000.00 → USD 70,000.00" in shown and "返還保険料 3,000円" in shown


def test_cancellation_releases_all_use_and_the_policy_is_cancelled(app, portal, staff):
    number = ia2_policy(app)
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "cancel", cancelled_on="2026-04-18"))
    page = result_page(staff, web)
    assert page.one("#premium_change")["value"] == "0"  # no tariff proposal for a 解約
    staff.go("staff.decide_submit", {"action": "submit", "premium_change": "0"})
    after = policy_row(app, number)
    assert after.state == "解約" and (after.credit_outstanding, after.used_jpy) == (0, 0)
    (change,) = rows(app, PolicyChange, policy_id=after.id)
    assert change.before == {"state": "有効"} and change.after == {"state": "解約", "cancelled_on": "2026-04-18"}
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "状態 有効 → 解約" in shown and "解約日 2026年4月18日" in shown
    page = portal.go(IA2)  # a cancelled policy can change no more
    if "手続きの流れ" in page.h1:
        page = portal.go("procedure.intro", {"action": "next"})
    assert number not in [option["value"] for option in page.soup.select("#policy_number option")]


def test_destination_and_shipment_changes_are_applied_together(app, portal, staff):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    answers = ia2(number, "destination", "shipment", new_destination="234", new_last_shipment_on="2026-06-15")
    web = submit(portal, IA2, answers)
    complete(staff, number=web, premium_change="500")
    after = policy_row(app, number)
    assert (after.destination, after.last_shipment_on.isoformat()) == ("234", "2026-06-15")
    (change,) = rows(app, PolicyChange, policy_id=after.id)
    assert change.kinds == "仕向地変更・船積期日延長"
    assert change.after == {"destination": "234", "last_shipment_on": "2026-06-15"}
    with app.app_context():
        payer = db.session().get(Policy, after.id)
        from nexi.models import Buyer

        assert db.session().get(Buyer, payer.payer_id).last_activity_on.isoformat() == IA2_TODAY[:10]
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "船積期日（最終） 2026年5月31日 → 2026年6月15日" in shown and "追加保険料 500円" in shown


def test_the_completion_is_refused_when_the_policy_was_cancelled_meanwhile(app, portal, staff):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "shipment", new_last_shipment_on="2026-06-15"))
    with app.app_context():
        row = db.session().exec(select(Policy).where(Policy.number == number)).one()
        row.state = "解約"
        db.session().commit()
    result_page(staff, web)
    page = staff.go("staff.decide_submit", {"action": "submit", "premium_change": "0"})
    assert "保険の状態が「解約」のため変更できません" in " ".join(page.messages)
    assert record(app, web).status == Status.REVIEWING


def test_a_settlement_extension_moves_the_instalment_and_the_period(app, portal, staff):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "settlement", extended_instalment="2", new_due_on="2026-10-30"))
    complete(staff, number=web, premium_change="0")
    after = policy_row(app, number)
    assert after.period_to.isoformat() == "2026-10-30"
    with app.app_context():
        found = db.session().exec(
            select(Instalment).where(Instalment.policy_id == after.id).order_by(Instalment.position)
        )
        assert [row.due_on.isoformat() for row in found] == ["2026-07-01", "2026-10-30"]
    (change,) = rows(app, PolicyChange, policy_id=after.id)
    assert change.kinds == "決済期日延長" and change.after["instalments"] == {"2": "2026-10-30"}
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "決済期限（第2回） 2026年8月1日 → 2026年10月30日" in shown


def test_a_currency_change_restates_the_amounts_in_proportion(app, portal, staff):
    number = ia2_policy(app, covered=False, amount=10_000_000)  # USD 50,000.00 + 50,000.00
    portal.login("demo-user")
    web = submit(portal, IA2, ia2(number, "currency", new_currency="JPY", new_currency_amount="15,000,001"))
    complete(staff, number=web, premium_change="0")
    after = policy_row(app, number)
    assert (after.currency, after.contract_amount, after.value_post) == ("JPY", 15_000_001, 15_000_001)
    assert instalments(app, after.id) == [(1, 7_500_000), (2, 7_500_001)]  # floored, the remainder on the last
    (change,) = rows(app, PolicyChange, policy_id=after.id)
    assert change.kinds == "通貨変更" and (change.before["currency"], change.after["currency"]) == ("USD", "JPY")
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "通貨 USD → JPY" in shown and "契約金額 USD 100,000.00 → JPY 15,000,001" in shown


def test_a_resubmission_earmarks_the_edited_increment_instead(app, portal, staff, monkeypatch):
    number = ia2_policy(app)
    quoted = ia2_confirmation(app, 5_000_000)
    portal.login("demo-user")
    answers = ia2(number, "increase", increased_amount="105,000.00", confirmation_number=quoted)
    web = submit(portal, IA2, answers)
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    decide(staff, web, "return", comment="増額後の金額をご確認ください")
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-04-21T10:00:00")  # the engine tells a resubmission by its time
    portal.login("demo-user")
    portal.go("status.detail", {"number": web})
    page = portal.go("status.resume", {"number": web, "action": "resubmit"})
    assert page.h1.endswith("（対象・変更種別）"), page.h1
    portal.go("procedure.input_submit", {"action": "next", **answers["target"]})
    page = portal.go(
        "procedure.input_submit", {"action": "next", **answers["content"], "increased_amount": "103,000.00"}
    )
    assert page.h1.endswith("（申込内容確認）"), page.error_summary
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    application = record(app, web)
    assert application.status == Status.SUBMITTED
    marks = rows(app, Earmark, application_id=application.id)
    assert [(mark.amount, mark.state) for mark in marks] == [
        (500_000, EarmarkState.RELEASED),
        (300_000, EarmarkState.OPEN),
    ]
    assert held(app, quoted).earmarked == 300_000
