"""IA1's 9-1 fields (DOMAIN.md 9-1, 9-2): prefill, formats and the rules between the answers; each
message at its field with what was typed kept."""

from nexi.clock import today
from tests.http.insurance.helpers import CONFIRM, ENDPOINT, days, ia1, reach_confirm
from tests.support.procedures import start


def error(portal, field, **steps):
    page = reach_confirm(portal, ia1(**steps))
    assert not page.h1.endswith(CONFIRM), f"{field}: reached 確認"
    return page.field_error(field)


def test_the_menu_entry_opens_the_procedure_with_the_insured_and_the_contact_prefilled(portal):
    page = portal.login("demo-user")
    entry = page.one("#area-insurance button[formaction$='/insurance/individual']")  # ⑨'s entry links now
    assert entry.get_text() == "貿易一般保険（個別） 申込"
    page = start(portal, ENDPOINT)
    assert page.h1 == "貿易一般保険（個別） 申込（契約・当事者）"
    insured = page.one("#insured")
    assert insured["value"] == "123456789" and insured.has_attr("readonly")
    assert [option["value"] for option in page.select("#department option")][1:] == ["EXP01", "EXP02", "PLT1"]
    portal.go("procedure.input_submit", {"action": "next", **ia1()["contract"]})
    page = portal.go("procedure.input_submit", {"action": "next", **ia1()["money"]})
    assert page.one("#contact_name")["value"] == "佐藤 花子"  # the logged-in user (9-1)


def test_the_insured_is_the_customers_own_code(portal):
    portal.login("demo-user")
    assert (
        error(portal, "insured", contract={"insured": "987654321"})
        == "被保険者はご自身の保険利用者コードから変更できません"
    )


def test_the_contract_date_is_not_in_the_future_and_the_effective_date_not_before_it(portal):
    portal.login("demo-user")
    assert (
        error(portal, "contracted_on", contract={"contracted_on": days(1)}) == "契約締結日に未来の日付は入力できません"
    )
    page = reach_confirm(portal, ia1(contract={"effective_on": days(-1)}))
    assert page.field_error("effective_on") == "発効日は契約締結日以降の日付を入力してください"
    assert page.one("#effective_on")["value"] == days(-1)


def test_parties_must_be_registered_and_not_deleted(portal):
    portal.login("demo-user")
    assert error(portal, "counterparty_code", contract={"counterparty_code": "999-999999"}) == (
        "契約相手方「999-999999」は海外商社名簿に登録されていません"
    )
    assert error(portal, "payer_code", contract={"payer_code": "224-000001"}) == (
        "支払人「224-000001」は海外商社名簿に登録されていません"  # deleted (削除)
    )
    assert error(portal, "guarantor_code", contract={"guarantor_code": "999-999998"}).startswith("保証人「999-999998」")


def test_an_intermediary_trade_asks_the_shipment_country_and_the_buying_party(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(contract={"contract_type": "15"}))
    assert page.field_error("shipment_country") == "船積国を選択してください"
    assert page.field_error("buyer_code_intermediary") == "買契約相手方を入力してください"
    page = reach_confirm(portal, ia1(contract={"contract_type": "15", "shipment_country": "105",
                                              "buyer_code_intermediary": "105-000201"}))  # fmt: skip
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_fob_is_asked_for_pre_shipment_cover_and_at_most_the_contract_amount(portal):
    portal.login("demo-user")
    pre = {"cover": ["pre", "post"]}
    assert error(portal, "fob", money=pre) == "FOB価額を入力してください"
    assert error(portal, "fob", money=pre | {"fob": "100,000.01"}) == "FOB価額は契約金額以下で入力してください"


def test_post_shipment_cover_is_always_chosen(portal):
    portal.login("demo-user")
    assert (
        error(portal, "cover", money={"cover": "pre", "fob": "1,000.00"})
        == "付保は船後（船積後）を必ず選択してください"
    )


def test_the_advance_is_below_the_contract_amount(portal):
    portal.login("demo-user")
    assert (
        error(portal, "advance", money={"advance": "100,000.00"}) == "前受金は契約金額より少ない金額で入力してください"
    )


def test_the_last_shipment_is_not_before_the_first(portal):
    portal.login("demo-user")
    assert error(portal, "last_shipment_on", money={"last_shipment_on": days(9)}) == (
        "船積期日（最終）は船積期日（初回）以降の日付を入力してください"
    )


def test_the_schedule_adds_up_runs_in_order_and_starts_with_the_first_shipment(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(schedule=[(days(60), "50,000.00"), (days(90), "40,000.00")]))
    assert page.field_error("schedule") == "決済スケジュールの金額の合計が契約金額から前受金を引いた金額と一致しません"
    page = reach_confirm(portal, ia1(schedule=[(days(90), "50,000.00"), (days(60), "50,000.00")]))
    assert page.field_error("schedule") == "決済期限は古い順に、同じ日付を重ねずに入力してください"
    page = reach_confirm(portal, ia1(schedule=[(days(5), "50,000.00"), (days(60), "50,000.00")]))
    assert page.field_error("schedule") == "決済期限は船積期日（初回）以降の日付を入力してください"


def test_the_number_of_instalments_is_1_to_60(portal):
    portal.login("demo-user")
    assert error(portal, "settlement_count", money={"settlement_count": "61"}).startswith("決済回数は1")


def test_equal_instalments_are_prefilled_with_the_remainder_on_the_last_row(portal):
    portal.login("demo-user")
    start(portal, ENDPOINT)
    portal.go("procedure.input_submit", {"action": "next", **ia1()["contract"]})
    money = {key: value for key, value in ia1()["money"].items() if not key.startswith("schedule-")}
    page = portal.go(
        "procedure.input_submit", {"action": "rows", **money, "settlement_form": "1", "settlement_count": "3"}
    )
    amounts = [page.one(f"#schedule-{index}-amount")["value"] for index in range(3)]
    assert amounts == ["33,333.33", "33,333.33", "33,333.34"]


def test_usance_is_0_to_729_days(portal):
    portal.login("demo-user")
    assert error(portal, "usance_days", money={"usance_days": "730"}).startswith("ユーザンス（日）は0")


def test_the_cover_percentages_are_those_of_9_2(portal):
    portal.login("demo-user")
    page = reach_confirm(
        portal, ia1(money={"cover": ["pre", "post"], "fob": "90,000.00"}, cover={"post_commercial": "50"})
    )
    assert page.field_error("post_commercial") == "船後 信用危険付保率を一覧から選択してください"
    assert [o["value"] for o in page.select("#post_political option")][1:] == ["100", "97.5"]
    assert [o["value"] for o in page.select("#pre_political option")][1:] == [
        "95",
        "90",
        "85",
        "80",
        "75",
        "70",
        "65",
        "60",
    ]
    page = reach_confirm(portal, ia1(money={"cover": ["pre", "post"], "fob": "90,000.00"},
                                     cover={"pre_political": "60", "pre_commercial": "80"}))  # fmt: skip
    assert page.field_error("pre_commercial") == "船前 信用危険付保率は船前 非常危険付保率以下を選択してください"


def test_the_foreign_currency_rider_is_only_for_a_foreign_currency(portal):
    portal.login("demo-user")
    jpy = {"currency": "JPY", "contract_amount": "10,000,000", "foreign_currency_rider": "y"}
    page = reach_confirm(portal, ia1(money=jpy, schedule=[(days(60), "10,000,000")]))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "外貨建対応特約" not in page.texts("#screen dt")
    page = reach_confirm(portal, ia1(money={"foreign_currency_rider": "y"}))
    assert "外貨建対応特約" in page.texts("#screen dt")


def test_an_lc_settlement_names_its_bank_and_the_numbers_have_their_formats(portal):
    portal.login("demo-user")
    assert (
        error(portal, "lc_bank_code", money={"settlement_method": "L/C一覧払"}) == "L/C発行・確認銀行を入力してください"
    )
    assert error(portal, "confirmation_number", cover={"confirmation_number": "K123"}) == (
        "個別保証枠 確認管理番号は「K2026000123」の形式で入力してください"
    )
    assert error(portal, "contact_phone", cover={"contact_phone": "12345"}).startswith("電話は10～13桁")
    assert error(portal, "contact_email", cover={"contact_email": "yamada"}) == "e-mailを正しい形式で入力してください"
    assert today()


def test_a_blank_payer_is_the_counterparty_and_confirm_says_so(portal):
    portal.login("demo-user")
    page = reach_confirm(portal, ia1())
    rows = dict(zip(page.texts("#screen dt"), page.texts("#screen dd"), strict=False))
    assert rows["支払人"] == "（契約相手方と同じ）"
    assert rows["部門"] == "（選択なし）"
    page = reach_confirm(portal, ia1(contract={"department": "EXP02", "payer_code": "304-000102"}))
    rows = dict(zip(page.texts("#screen dt"), page.texts("#screen dd"), strict=False))
    assert (rows["支払人"], rows["部門"]) == ("304-000102", "EXP02")


def test_a_department_of_another_customer_is_no_choice(portal):
    portal.login("demo-user")
    assert error(portal, "department", contract={"department": "TRD1"}) == "部門を一覧から選択してください"
