"""NEXI's 完了 of IA1 (DOMAIN.md S.3, 9-4, 9-5, C.6, §10): the 保険料 proposed by the §6 tariff and the
保険責任開始日 by the 9-4 rule (each changed only with a reason), 9-3 checked again, the policy with
its 証券番号, 決済スケジュール, 保険価額 and 保険期間, the earmark turned into 使用額; the customer sees
the result and no buyer-wide amount."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from nexi import db
from nexi.clock import today
from nexi.models import Buyer, ConfirmationState, EarmarkState, Instalment, Status
from tests.http.insurance.helpers import (
    ENDPOINT,
    confirmation,
    confirmed,
    credit,
    days,
    earmarks,
    ia1,
    policies,
    record,
)
from tests.http.staff.test_review import decide, open_review
from tests.support import countries
from tests.support.procedures import submit

pytestmark = pytest.mark.usefixtures("empty_contract_book")  # written against an empty contract book

PRE = {"cover": ["pre", "post"], "fob": "95,000.00", "advance": "5,000.00"}
SCHEDULE = [(days(60), "40,000.00"), (days(90), "55,000.00")]


def result_screen(staff, number):
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = open_review(staff, number)
    version = page.one("input[name=version]")["value"]
    return staff.go("staff.decide", {"decision": "complete", "version": version})


def test_completion_creates_the_policy_with_the_figures_of_the_application(app, portal, staff):
    number = confirmed(portal, staff)
    portal.login("demo-user")
    cover = credit(number) | {"pre_political": "90", "pre_commercial": "80"}
    web = submit(portal, ENDPOINT, ia1(money=PRE, cover=cover, schedule=SCHEDULE))
    page = result_screen(staff, web)
    proposed_premium = page.one("#premium")["value"]
    assert proposed_premium.isdigit() and int(proposed_premium) > 0
    start = today() + timedelta(days=5)  # the 5th day after the application day, not counting it
    assert page.one("#liability_from")["value"] == start.isoformat()
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": proposed_premium,
                                            "liability_from": start.isoformat()})  # fmt: skip
    assert record(app, web).status == Status.COMPLETED, page.messages + page.error_summary
    (policy,) = policies(app)
    assert re.fullmatch(rf"01{today().year}\d{{8}}", policy.number) and policy.number.endswith("00000001")
    assert policy.branch == "00" and policy.state == "有効"
    assert (policy.contract_amount, policy.advance, policy.fob) == (10_000_000, 500_000, 9_500_000)
    assert (policy.value_pre, policy.value_post) == (9_500_000, 9_500_000)  # 船前 FOB, 船後 契約金額 − 前受金
    assert policy.premium_jpy == int(proposed_premium)
    assert (policy.liability_from, policy.period_to.isoformat()) == (start, SCHEDULE[-1][0])
    assert policy.cover_pre and str(policy.pre_political) == "90" and str(policy.post_commercial) == "90"
    with app.app_context():
        rows = (
            db.session()
            .exec(select(Instalment).where(Instalment.policy_id == policy.id).order_by(Instalment.position))
            .all()
        )
        payer = db.session().exec(select(Buyer).where(Buyer.code == "304-000101")).one()
    assert [(row.position, row.due_on.isoformat(), row.amount) for row in rows] == [
        (1, SCHEDULE[0][0], 4_000_000), (2, SCHEDULE[1][0], 5_500_000)
    ]  # fmt: skip
    assert payer.last_activity_on == today()
    (mark,) = earmarks(app)
    held = confirmation(app, number)
    assert (mark.state, mark.policy_id) == (EarmarkState.USED, policy.id)
    assert (held.used, held.earmarked, held.state) == (9_500_000, 0, ConfirmationState.PART_USED)
    assert (policy.confirmation_id, policy.used_jpy, policy.credit_outstanding) == (held.id, mark.amount_jpy, 9_500_000)
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert policy.number in shown
    assert f"{int(proposed_premium):,}円" in shown
    assert f"{start.year}年{start.month}月{start.day}日" in shown
    assert "300,000,000" not in shown  # the buyer's 設定額 (C.4.1)


def test_the_policy_number_serial_counts_per_product_and_year(app, portal, staff):
    webs = []
    for _ in range(2):
        portal.login("demo-user")
        webs.append(submit(portal, ENDPOINT, ia1()))
    for web in webs:
        page = result_screen(staff, web)
        values = {name: page.one(f"#{name}")["value"] for name in ("premium", "liability_from")}
        page = staff.go("staff.decide_submit", {"action": "submit", **values})
        assert record(app, web).status == Status.COMPLETED, page.messages
    assert [policy.number[-8:] for policy in policies(app)] == ["00000001", "00000002"]
    assert all(len(policy.number) == 14 and policy.number[:6] == f"01{today().year}" for policy in policies(app))


def test_changing_the_premium_or_the_start_needs_a_reason(app, portal, staff):
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, ia1())
    page = result_screen(staff, web)
    proposed, start = page.one("#premium")["value"], page.one("#liability_from")["value"]
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": "1", "liability_from": days(30)})
    assert page.field_error("premium_reason") == "保険料を料率表の金額から変更する場合は、変更理由を入力してください"
    assert page.field_error("liability_reason") == "保険責任開始日を変更する場合は、変更理由を入力してください"
    assert record(app, web).status == Status.REVIEWING and policies(app) == []
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": "1", "premium_reason": "特別料率",
                                            "liability_from": start})  # fmt: skip
    assert record(app, web).status == Status.COMPLETED, page.error_summary
    (policy,) = policies(app)
    assert (policy.premium_jpy, policy.premium_reason) == (1, "特別料率")
    assert proposed != "1"


def test_completion_is_refused_when_the_acceptance_checks_fail_now(app, portal, staff):
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, ia1())
    countries.add_version(app, "304", today().isoformat(), policy="引受停止")  # the country closed meanwhile
    page = result_screen(staff, web)
    assert page.one("#premium")["value"] == ""  # no tariff for a country closed to cover
    start = page.one("#liability_from")["value"]
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": "4188", "premium_reason": "旧料率",
                                            "liability_from": start})  # fmt: skip
    assert any("9-3の引受条件を満たさなくなったため完了できません" in message for message in page.messages)
    assert record(app, web).status == Status.REVIEWING and policies(app) == []
