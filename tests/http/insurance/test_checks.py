"""IA1's acceptance checks (DOMAIN.md 9-3) and its 申込期限 (9-4 個別), against today's register and
masters: each an error at its field or a warning on 確認."""

from datetime import timedelta

from sqlmodel import select

from nexi import cache, db
from nexi.clock import add_months, today
from nexi.models import Application, Buyer, Confirmation, Status
from tests.http.insurance.helpers import (
    CONFIRM,
    ENDPOINT,
    confirmed,
    credit,
    days,
    ia1,
    reach_confirm,
    record,
)
from tests.support import contracts
from tests.support.procedures import submit

TURKEY = "234-001001"  # EM, スリーピング候補, in a 条件付引受 country (50億円, 12 months)


def with_buyer(app, code, country, rating, **values):
    with app.app_context():
        contracts.registered_buyer(code, country, rating, **values)
        db.session().commit()
    cache.clear()


def warnings(page) -> str:
    return page.text("#screen")


def test_a_party_or_destination_in_a_suspended_country_is_refused(app, portal):
    with_buyer(app, "224-000009", "224", "EE")
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(contract={"destination": "224"}))
    assert page.field_error("destination") == "仕向国（ロシア）は引受停止国のため、お申込みできません"
    for field, label in (("counterparty_code", "契約相手方"), ("payer_code", "支払人"), ("guarantor_code", "保証人")):
        page = reach_confirm(portal, ia1(contract={field: "224-000009"}))
        assert page.field_error(field) == f"{label}の国（ロシア）は引受停止国のため、お申込みできません"
    page = reach_confirm(portal, ia1(money={"settlement_method": "L/C一覧払", "lc_bank_code": "224-000009"}))
    assert page.field_error("lc_bank_code") == "L/C発行・確認銀行の国（ロシア）は引受停止国のため、お申込みできません"


def test_a_sleeping_candidate_is_warned_of_with_its_release_deadline(app, portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(contract={"counterparty_code": "601-000901", "destination": "601"}))
    assert page.h1.endswith(CONFIRM), page.error_summary
    with app.app_context():
        deadline = db.session().exec(select(Buyer.release_deadline).where(Buyer.code == "601-000901")).one()
    assert (
        f"契約相手方（601-000901）はスリーピング候補バイヤーです。解除申請期限（{deadline.year}年{deadline.month}月{deadline.day}日）"
        in warnings(page)
    )


def test_a_conditional_country_is_warned_of_and_for_lc_deals_the_banks_country_decides(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(contract={"counterparty_code": TURKEY}))
    assert "トルコは条件付引受国です。" in warnings(page)
    lc = {"settlement_method": "L/C一覧払", "lc_bank_code": "205-000501"}  # a London bank
    page = reach_confirm(portal, ia1(contract={"counterparty_code": TURKEY}, money=lc))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "トルコは条件付引受国です。" not in warnings(page)


def test_beyond_the_case_limit_or_the_longest_usance_a_prior_approval_is_required(portal):
    portal.login("demo-user")
    big = {"currency": "JPY", "contract_amount": "5,000,000,001"}  # > 50億円
    page = reach_confirm(
        portal, ia1(contract={"counterparty_code": TURKEY}, money=big, schedule=[(days(60), "5,000,000,001")])
    )
    assert page.field_error("approval_number").startswith(
        "契約金額（円換算 5,000,000,001円）がトルコの案件枠（50億円）を超えるため"
    )
    assert page.field_error("approval_on").endswith("内諾年月日を入力してください")
    at_limit = {"currency": "JPY", "contract_amount": "5,000,000,000"}
    page = reach_confirm(
        portal, ia1(contract={"counterparty_code": TURKEY}, money=at_limit, schedule=[(days(60), "5,000,000,000")])
    )
    assert page.h1.endswith(CONFIRM), page.error_summary
    last = today() + timedelta(days=20)
    limit_days = (add_months(last, 12) - last).days
    over = {"usance_days": str(limit_days + 1)}
    page = reach_confirm(portal, ia1(contract={"counterparty_code": TURKEY}, money=over))
    assert "ユーザンス" in page.field_error("approval_number") and "最長ユーザンス（12か月）" in page.field_error(
        "approval_number"
    )
    page = reach_confirm(portal, ia1(contract={"counterparty_code": TURKEY}, money={"usance_days": str(limit_days)}))
    assert page.h1.endswith(CONFIRM), page.error_summary
    page = reach_confirm(portal, ia1(contract={"counterparty_code": TURKEY}, money=over,
                                     cover={"approval_number": "N-1", "approval_on": today().isoformat()}))  # fmt: skip
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_an_lc_condition_needs_a_confirmed_lc(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(contract={"destination": "124"}))  # パキスタン: 確認L/C
    assert page.field_error("settlement_method").startswith("パキスタンはL/C条件（確認L/C）のある国です。")
    lc = {"settlement_method": "L/C一覧払", "lc_bank_code": "205-000501"}
    page = reach_confirm(portal, ia1(contract={"destination": "124"}, money=lc))
    assert page.field_error("settlement_method").startswith("パキスタンはL/C条件")
    page = reach_confirm(portal, ia1(contract={"destination": "124"}, money=lc | {"lc_confirmed": "y"}))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_a_payer_whose_credit_risk_is_not_coverable_gets_political_cover_only(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(contract={"counterparty_code": "110-000701", "destination": "110"},
                                     cover={"post_commercial": ""}))  # fmt: skip
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert (
        "支払人の格付（EC）は信用危険のてん補ができないため、信用危険付保率は0%（非常危険のみ）となります。"
        in warnings(page)
    )
    assert "船後 信用危険付保率 0%" in page.screen_text
    page = reach_confirm(portal, ia1(contract={"counterparty_code": "110-000701", "destination": "110"},
                                     cover={"post_commercial": "90"}))  # fmt: skip
    assert page.field_error("post_commercial") == "船後 信用危険付保率を一覧から選択してください"


def test_credit_cover_of_a_limit_rated_payer_needs_a_confirmation(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(cover={"post_commercial": "90"}))
    assert page.field_error("confirmation_number") == (
        "支払人（格付EA）の信用危険をてん補するには、個別保証枠の確認管理番号が必要です"
    )
    page = reach_confirm(portal, ia1(cover=credit("K2026999999")))
    assert page.field_error("confirmation_number") == "確認管理番号「K2026999999」の確認が見つかりません"


def test_an_lc_of_a_g_or_sa_bank_exempts_and_another_bank_is_warned_of(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(money={"settlement_method": "L/C一覧払", "lc_bank_code": "205-000501"},
                                     cover={"post_commercial": "90"}))  # fmt: skip
    assert page.h1.endswith(CONFIRM), page.error_summary
    page = reach_confirm(portal, ia1(money={"settlement_method": "L/C一覧払", "lc_bank_code": "304-000102"},
                                     cover={"post_commercial": "90"}))  # fmt: skip
    assert page.field_error("confirmation_number").startswith("支払人（格付EA）の信用危険をてん補するには")
    page = reach_confirm(portal, ia1(money={"settlement_method": "L/C一覧払", "lc_bank_code": "304-000102"}))
    assert "L/C発行・確認銀行の格付（EE）はG格付・SA格付ではないため" in warnings(page)


def test_the_confirmation_must_be_own_of_the_payer_product_and_currency_unexpired_and_enough(app, portal, staff):
    number = confirmed(portal, staff, amount="50,000.00")
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(cover=credit(number)))
    assert page.field_error("confirmation_number") == "確認の残額が船後保険価額（契約金額－前受金）に足りません"
    page = reach_confirm(portal, ia1(cover=credit(number), schedule=[(days(60), "25,000.00"), (days(90), "25,000.00")],
                                     money={"contract_amount": "50,000.00"}))  # fmt: skip
    assert page.h1.endswith(CONFIRM), page.error_summary
    small = {"contract_amount": "50,000.00"}
    rows = [(days(60), "50,000.00")]
    for change, message in (({"counterparty_code": "304-000102"}, "確認管理番号の確認は、支払人が異なります"),):
        page = reach_confirm(portal, ia1(contract=change, money=small, cover=credit(number), schedule=rows))
        assert page.field_error("confirmation_number") == message
    page = reach_confirm(portal, ia1(money=small | {"currency": "EUR"}, cover=credit(number), schedule=rows))
    assert page.field_error("confirmation_number") == "確認管理番号の確認は、通貨が異なります（確認の通貨：USD）"
    with app.app_context():
        held = db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()
        held.valid_until = today() - timedelta(days=1)
        db.session().commit()
    page = reach_confirm(portal, ia1(money=small, cover=credit(number), schedule=rows))
    assert page.field_error("confirmation_number").endswith("有効期限切れまたは使用済みのため使用できません")
    with app.app_context():
        held = db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()
        held.valid_until, held.product = today(), "02"
        db.session().commit()
    page = reach_confirm(portal, ia1(money=small, cover=credit(number), schedule=rows))
    assert page.field_error("confirmation_number") == "確認管理番号の確認は、保険種別が異なります"
    other = type(portal)(app, app.test_client(), "plain")
    other.login("other-admin")  # another customer's 確認 is not found
    page = reach_confirm(other, ia1(contract={"insured": _code_of(app, "other-admin")}, money=small,
                                    cover=credit(number), schedule=rows))  # fmt: skip
    assert page.field_error("confirmation_number") == f"確認管理番号「{number}」の確認が見つかりません"


def _code_of(app, login_id):
    from nexi.models import Customer, WebUser

    with app.app_context():
        return (
            db.session()
            .exec(
                select(Customer.code)
                .join(WebUser, WebUser.customer_id == Customer.id)
                .where(WebUser.login_id == login_id)
            )
            .one()
        )


def test_the_application_is_due_before_the_first_shipment(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(money={"first_shipment_on": today().isoformat()},
                                     schedule=[(days(60), "50,000.00"), (days(90), "50,000.00")]))  # fmt: skip
    assert page.field_error("first_shipment_on").startswith("申込期限（船積期日（初回）")
    page = reach_confirm(portal, ia1(money={"first_shipment_on": days(1)}))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_more_than_a_month_after_the_contract_is_late_with_a_warning(app, portal):
    portal.login("demo-user")
    contracted = add_months(today(), -1) - timedelta(days=1)
    page = reach_confirm(portal, ia1(contract={"contracted_on": contracted.isoformat()}))
    assert "契約締結日から1か月を過ぎたお申込みです" in warnings(page)
    number = submit(portal, ENDPOINT, ia1(contract={"contracted_on": contracted.isoformat()}))
    assert record(app, number).overdue and record(app, number).status == Status.SUBMITTED
    number = submit(portal, ENDPOINT, ia1(contract={"contracted_on": add_months(today(), -1).isoformat()}))
    assert not record(app, number).overdue
    assert Application


def test_confirm_shows_the_reference_premium_of_the_tariff(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1())
    assert "参考保険料（NEXIの審査により変わることがあります）：" in page.screen_text


def test_no_screen_of_the_customer_states_a_buyer_wide_amount(app, portal, staff):
    """C.4.1: the payer's 設定額 (¥300,000,000) and 残高 appear nowhere the customer looks."""
    number = confirmed(portal, staff, amount="50,000.00")
    portal.login("demo-user")
    pages = [reach_confirm(portal, ia1(cover=credit(number)))]  # 残額 short: the message names no amount
    pages.append(reach_confirm(portal, ia1(cover={"post_commercial": "90"})))
    for page in pages:
        shown = page.screen_text
        assert "300,000,000" not in shown and "残高" not in shown and "設定額" not in shown
