"""IA2 貿易一般保険（個別） 変更 (DOMAIN.md 9-5): the rules of a change as the customer meets them —
only the customer's own policies in 有効 or 一部決済, the fields of the chosen 変更種別 only, the
checks of each kind, 9-3 on the new 仕向国, the one-month filing period (期限超過), no change while a
loss notice exists, one pending change per policy, and the 重大な変更 warning."""

from datetime import date

import pytest
from sqlmodel import select

from nexi import db, policies
from nexi.models import Policy, PolicyState
from tests.http.insurance.helpers import (
    CONFIRM,
    IA2,
    IA2_TODAY,
    ia2,
    ia2_policy,
    made,
    record,
)
from tests.support import contracts
from tests.support.procedures import start, submit, walk


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", IA2_TODAY)


def step_two(portal, number: str, *kinds: str):
    """The 変更内容 step after choosing `kinds` for the policy."""
    start(portal, IA2)
    return portal.go("procedure.input_submit", {"action": "next", **ia2(number, *kinds)["target"]})


def test_only_the_customers_own_policies_in_force_are_offered(app, portal):
    own = ia2_policy(app, covered=False)
    other = ia2_policy(app, covered=False, other=True)
    cancelled = ia2_policy(app, covered=False)

    def cancel():
        row = db.session().exec(select(Policy).where(Policy.number == cancelled)).one()
        row.state = PolicyState.CANCELLED

    made(app, cancel)
    portal.login("demo-user")
    page = start(portal, IA2)
    offered = [option["value"] for option in page.soup.select("#policy_number option")]
    assert own in offered and other not in offered and cancelled not in offered
    for number in (other, cancelled):  # posted by hand, it is no choice
        page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "shipment")["target"]})
        assert page.field_error("policy_number") == "証券番号を一覧から選択してください"


def test_the_branch_must_be_one_of_the_policy(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    start(portal, IA2)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "shipment", branch="01")["target"]})
    assert page.field_error("branch") == f"証券番号「{number}」に枝番「01」の有効な保険はありません"


def test_the_date_of_the_event_is_not_in_the_future(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    start(portal, IA2)
    page = portal.go(
        "procedure.input_submit", {"action": "next", **ia2(number, "shipment", occurred_on="2026-04-21")["target"]}
    )
    assert page.field_error("occurred_on") == "変更事由発生日に未来の日付は入力できません"


@pytest.mark.parametrize(
    ("kinds", "message"),
    [(("cancel", "shipment"), "解約は他の変更種別と同時に選択できません"),
     (("increase", "decrease"), "金額増額と金額減額は同時に選択できません")],
)  # fmt: skip
def test_kinds_that_exclude_each_other(app, portal, kinds, message):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    start(portal, IA2)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, *kinds)["target"]})
    assert page.field_error("kinds") == message


def test_step_two_asks_only_the_fields_of_the_chosen_kinds(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    page = step_two(portal, number, "shipment", "destination")
    assert page.soup.select_one("#new_last_shipment_on") and page.soup.select_one("#new_destination")
    for name in ("increased_amount", "decreased_amount", "cancelled_on", "confirmation_number"):
        assert page.soup.select_one(f"#{name}") is None, name
    assert "現在の船積期日（最終）：2026年5月31日" in page.text("main")


@pytest.mark.parametrize(
    ("kind", "values", "field", "message"),
    [
        ("increase", {"increased_amount": "100,000.00"}, "increased_amount",
         "新契約金額は現在の契約金額（USD 100,000.00）より大きい金額で入力してください"),
        ("decrease", {"decreased_amount": "100,000.00"}, "decreased_amount",
         "新契約金額は現在の契約金額（USD 100,000.00）より小さい金額で入力してください"),
        ("decrease", {"decreased_amount": "0"}, "decreased_amount", "新契約金額（減額後）は0より大きい金額で入力してください"),
        ("cancel", {"cancelled_on": "2026-03-31"}, "cancelled_on", "解約日は契約締結日以降の日付を入力してください"),
        ("destination", {"new_destination": "304"}, "new_destination", "新仕向国は現在の仕向国と異なる国を選択してください"),
        ("shipment", {"new_last_shipment_on": "2026-05-31"}, "new_last_shipment_on",
         "新最終船積日は現在の船積期日（最終）（2026年5月31日）より後の日付を入力してください"),
    ],
)  # fmt: skip
def test_each_kind_checks_its_new_value_against_the_policy(app, portal, kind, values, field, message):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, kind, **values))
    assert page.field_error(field) == message
    shown = page.one(f"#{field}")
    kept = shown.select_one("option[selected]")["value"] if shown.name == "select" else shown["value"]
    assert kept == values[field]  # what was typed is kept


def test_a_new_destination_is_checked_as_9_3_checks_countries(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "destination", new_destination="224"))
    assert page.field_error("new_destination") == "仕向国（ロシア）は引受停止国のため、お申込みできません"
    page = walk(portal, IA2, ia2(number, "destination", new_destination="124"))
    assert "L/C条件（確認L/C）のある国です" in page.field_error("new_destination")
    page = walk(portal, IA2, ia2(number, "destination", new_destination="234"))
    assert page.h1.endswith(CONFIRM)
    assert "トルコは条件付引受国です。引受条件をご確認ください。" in page.text("main")


def test_a_change_filed_more_than_a_month_after_the_event_is_late(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "shipment", occurred_on="2026-03-19", new_last_shipment_on="2026-06-30"))
    assert "変更事由発生日から1か月を過ぎた届出です（目安：2026年4月19日まで）" in page.text("main")
    web = submit(portal, IA2, ia2(number, "shipment", occurred_on="2026-03-19", new_last_shipment_on="2026-06-30"))
    assert record(app, web).overdue
    other = ia2_policy(app, covered=False)
    web = submit(portal, IA2, ia2(other, "shipment", occurred_on="2026-03-20", new_last_shipment_on="2026-06-30"))
    assert not record(app, web).overdue  # within 1 month of 2026-03-20: through 2026-04-20


def test_no_change_while_a_loss_notice_exists_on_the_policy(app, portal, monkeypatch):
    number = ia2_policy(app, covered=False)
    with app.app_context():
        policy_id = db.session().exec(select(Policy.id).where(Policy.number == number)).one()
    monkeypatch.setattr(policies, "loss_notice_exists", lambda pid, instalment_id=None: pid == policy_id)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "shipment", new_last_shipment_on="2026-06-30"))
    assert page.field_error("policy_number") == "損失等発生通知のある保険は変更できません"


def test_one_pending_change_per_policy(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    submit(portal, IA2, ia2(number, "shipment", new_last_shipment_on="2026-06-30"))
    portal.login("demo-admin")  # the same customer's other user
    page = walk(portal, IA2, ia2(number, "destination", new_destination="234"))
    assert page.field_error("policy_number") == f"証券番号・枝番「{number}-00」の変更は、すでに申込み中です"


MATERIAL = "当初の契約金額の10%以上の増額（累計）となるため、重大な変更に当たります"


def test_an_increase_of_ten_percent_of_the_original_amount_is_material(app, portal):
    number = ia2_policy(app, covered=False, amount=10_000_000)
    portal.login("demo-user")
    # political cover only: no 確認 needed for the increment, so only the 重大な変更 rule speaks
    made(app, lambda: setattr(db.session().exec(select(Policy).where(Policy.number == number)).one(),
                              "post_commercial", 0))  # fmt: skip
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="109,999.99"))
    assert page.h1.endswith(CONFIRM) and MATERIAL not in page.text("main")
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="110,000.00"))
    assert page.h1.endswith(CONFIRM) and MATERIAL in page.text("main")


def test_the_increases_of_the_history_count_towards_a_material_change(app, portal):
    number = ia2_policy(app, covered=False, amount=10_600_000)

    def history():
        row = db.session().exec(select(Policy).where(Policy.number == number)).one()
        row.post_commercial = 0
        contracts.policy_change(row, "金額増額", {"contract_amount": 10_000_000}, {"contract_amount": 10_600_000})

    made(app, history)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="109,999.99"))  # +3.9 %: 9.9 % in all
    assert page.h1.endswith(CONFIRM) and MATERIAL not in page.text("main")
    page = walk(portal, IA2, ia2(number, "increase", increased_amount="110,000.00"))  # 10 % of the original
    assert MATERIAL in page.text("main")


def test_a_decrease_cannot_go_below_what_was_settled(app, portal):
    number = ia2_policy(app, covered=False, instalments=[(date(2026, 7, 1), 6_000_000), (date(2026, 8, 1), 4_000_000)])

    def settle():
        row = db.session().exec(select(Policy).where(Policy.number == number)).one()
        policies.settle(row.id, 6_000_000, date(2026, 4, 18))

    made(app, settle)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "decrease", decreased_amount="59,999.99"))
    assert page.field_error("decreased_amount").startswith("新契約金額は決済済みの金額（USD 60,000.00）")
    page = walk(portal, IA2, ia2(number, "decrease", decreased_amount="60,000.00"))
    assert page.h1.endswith(CONFIRM)  # a 一部決済 policy can still change


def test_a_settlement_extension_moves_one_open_instalment_later_within_730_days(app, portal):
    number = ia2_policy(app, covered=False)  # 決済期限 2026-07-01 and 2026-08-01, 最終船積日 2026-05-31
    portal.login("demo-user")
    page = step_two(portal, number, "settlement")
    offered = page.texts("#extended_instalment option")
    assert offered[1:] == [
        "第1回 2026年7月1日（未決済額 USD 50,000.00）",
        "第2回 2026年8月1日（未決済額 USD 50,000.00）",
    ]
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="1", new_due_on="2026-07-01"))
    assert page.field_error("new_due_on") == "新決済期限は現在の決済期限（2026年7月1日）より後の日付を入力してください"
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="1", new_due_on="2026-08-01"))
    assert (
        page.field_error("new_due_on") == "新決済期限は次の決済期限（第2回 2026年8月1日）より前の日付を入力してください"
    )
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="2", new_due_on="2028-05-31"))  # 731 days
    assert (
        page.field_error("new_due_on")
        == "新決済期限までのユーザンス（船積期日（最終）からの日数）は730日未満としてください"
    )
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="2", new_due_on="2028-05-30"))  # 730 days
    assert (
        page.field_error("new_due_on")
        == "新決済期限までのユーザンス（船積期日（最終）からの日数）は730日未満としてください"
    )
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="2", new_due_on="2028-05-29"))  # 729 days
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "第2回" in page.text("main")


def test_a_longer_usance_is_checked_against_the_countrys_maximum(app, portal):
    number = ia2_policy(app, covered=False)

    def to_turkey():  # 条件付引受, 最長ユーザンス 12 months
        db.session().exec(select(Policy).where(Policy.number == number)).one().destination = "234"

    made(app, to_turkey)
    portal.login("demo-user")
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="2", new_due_on="2027-06-01"))
    assert "トルコの最長ユーザンス（12か月）を超えるため、内諾番号を入力してください" in page.field_error(
        "approval_number"
    )
    page = walk(portal, IA2, ia2(number, "settlement", extended_instalment="2", new_due_on="2027-06-01",
                                 approval_number="N-123", approval_on="2026-04-10"))  # fmt: skip
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_a_currency_change_needs_another_currency_and_no_limit_in_use(app, portal):
    plain = ia2_policy(app, covered=False)
    covered = ia2_policy(app)
    portal.login("demo-user")
    start(portal, IA2)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(plain, "currency", "increase")["target"]})
    assert page.field_error("kinds").startswith("通貨変更と金額増額・金額減額は同時に選択できません")
    page = walk(portal, IA2, ia2(plain, "currency", new_currency="USD", new_currency_amount="90,000.00"))
    assert page.field_error("new_currency") == "新通貨は現在の通貨（USD）と異なる通貨を選択してください"
    page = walk(portal, IA2, ia2(covered, "currency", new_currency="EUR", new_currency_amount="92,000.00"))
    assert page.field_error("new_currency").startswith(
        "個別保証枠を使用している保険は、確認と通貨が異なることになるため"
    )
    page = walk(portal, IA2, ia2(plain, "currency", new_currency="EUR", new_currency_amount="92,000.00"))
    assert page.h1.endswith(CONFIRM), page.error_summary
