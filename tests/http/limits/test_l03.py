"""L03 決済通知 (DOMAIN.md 10-3), flow A: settled amounts recorded per 決済期限 (the chosen one, or in
due order), the policy's credit-covered outstanding and 使用額円 reduced by the floored yen (all that
is left once the outstanding reaches 0), the 状態 of 9-5 following; a 決済期限 with a loss notice
takes none; only the customer's own policies are offered or accepted."""

from datetime import date

import pytest
from sqlmodel import select

from nexi import db, policies
from nexi.models import Instalment, Policy, PolicyState, Status
from tests.http.limits.test_l02 import (
    change_policy,
    covered_policy_of,
    made,
    own_and_other,
    policy_row,
    screen_statements,
    status_of,
)
from tests.support import contracts, losses
from tests.support.procedures import submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")  # written against an empty contract book

ENDPOINT = "limits.settlement"
SCHEDULE = [(date(2026, 8, 1), 3_000_000), (date(2026, 9, 1), 3_000_000), (date(2026, 10, 1), 4_000_000)]
USED = 15_123_000  # floor(USD 100,000.00 × 151.23)


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


@pytest.fixture
def key(app):
    (mine, user), _other = own_and_other(app)
    return covered_policy_of(app, mine, user, SCHEDULE)


def answers(key, **settlement) -> dict:
    return {
        "policy": {"policy_number": key},
        "settlement": {"instalment": "", "settle_kind": "一部", "settled_on": "2026-09-10", "amount": ""} | settlement,
    }


def instalments(app, key) -> list[Instalment]:
    with app.app_context():
        row = policy_row(app, key)
        query = select(Instalment).where(Instalment.policy_id == row.id).order_by(Instalment.position)
        return list(db.session().exec(query).all())


def settled(app, key) -> list[int]:
    return [row.settled for row in instalments(app, key)]


def test_the_menu_entry_opens_the_procedure(portal):
    portal.login("demo-user")
    assert "決済通知" in portal.go(ENDPOINT).h1


def test_only_own_policies_with_an_open_instalment_are_offered(app, portal, key):
    (mine, user), (other, other_user) = own_and_other(app)
    theirs = covered_policy_of(app, other, other_user, SCHEDULE)
    done = covered_policy_of(app, mine, user, SCHEDULE)
    cancelled = covered_policy_of(app, mine, user, SCHEDULE)
    with app.app_context():
        for row in db.session().exec(select(Instalment).where(Instalment.policy_id == policy_row(app, done).id)):
            row.settled = row.amount
        db.session().commit()
    change_policy(app, done, state=PolicyState.SETTLED)
    change_policy(app, cancelled, state=PolicyState.CANCELLED)
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, {"policy": {}})
    values = [option["value"] for option in page.select("#policy_number option") if option["value"]]
    assert values == [key]
    assert "未決済額 USD 100,000.00" in page.text("#policy_number")
    for refused in (theirs, done, cancelled):
        page = walk(portal, ENDPOINT, answers(refused, amount="1.00"))
        assert page.field_error("policy_number") == "証券番号・枝番を一覧から選択してください"


def test_a_loss_policy_still_takes_settlements_on_its_other_instalments(app, portal, key, monkeypatch):
    first = instalments(app, key)[0].id
    made(app, lambda: losses.loss_on(policy_row(app, key).id, first))
    change_policy(app, key, state=PolicyState.LOSS)
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(key))
    assert [option["value"] for option in page.select("#instalment option")] == ["", "2", "3"]
    page = walk(portal, ENDPOINT, answers(key, instalment="1", amount="1.00"))
    assert page.field_error("instalment") == "対象決済期限を一覧から選択してください"
    page = walk(portal, ENDPOINT, answers(key, amount="70,000.01"))  # all open ones without a loss: 70,000.00
    assert page.field_error("amount") == "決済金額は未決済額（USD 70,000.00）以下で入力してください"
    submit(portal, ENDPOINT, answers(key, settle_kind="全額"))
    assert settled(app, key) == [0, 3_000_000, 4_000_000]
    assert policy_row(app, key).state == PolicyState.LOSS  # 事故 comes before 決済済 (9-5)


def test_the_settlement_date_is_at_most_today_and_not_before_the_first_shipment(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(key, settled_on="2026-09-16", amount="1.00"))
    assert page.field_error("settled_on") == "決済日は本日以前の日付を入力してください"
    page = walk(portal, ENDPOINT, answers(key, settled_on="2026-04-30", amount="1.00"))
    assert page.field_error("settled_on") == "決済日は初回船積日（2026年5月1日）以降の日付を入力してください"
    for day in ("2026-05-01", "2026-09-15"):
        assert walk(portal, ENDPOINT, answers(key, settled_on=day, amount="1.00")).h1.endswith("（申込内容確認）")


def test_the_amount_is_at_most_the_outstanding_of_the_chosen_instalment(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(key, instalment="2", amount="30,000.01"))
    assert page.field_error("amount") == "決済金額は未決済額（USD 30,000.00）以下で入力してください"
    assert page.one("#amount")["value"] == "30,000.01"
    page = walk(portal, ENDPOINT, answers(key, amount="100,000.01"))
    assert page.field_error("amount") == "決済金額は未決済額（USD 100,000.00）以下で入力してください"
    page = walk(portal, ENDPOINT, answers(key, amount=""))
    assert page.field_error("amount") == "決済金額を入力してください"
    page = walk(portal, ENDPOINT, answers(key, amount="0"))
    assert page.field_error("amount") == "決済金額は0より大きい金額で入力してください"
    page = walk(portal, ENDPOINT, answers(key, amount="1.001"))
    assert page.field_error("amount") == "USDの金額は小数点以下2桁までで入力してください"


def test_a_full_settlement_is_the_outstanding_prefilled_or_left_blank(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, {"policy": {"policy_number": key}})
    assert page.one("#amount")["value"] == "100,000.00"  # prefilled: the outstanding of all open ones
    page = walk(portal, ENDPOINT, answers(key, instalment="2", settle_kind="全額", amount="100,000.00"))
    assert page.field_error("amount") == "決済区分が「全額」の場合、決済金額は未決済額（USD 30,000.00）です"
    page = walk(portal, ENDPOINT, answers(key, instalment="2", settle_kind="全額"))
    assert page.h1.endswith("（申込内容確認）"), page.error_summary
    assert "決済金額 30,000.00" in page.screen_text  # 確認 shows the amount it takes
    number = page.text(".panel .number")
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.h1.endswith("（申込完了）")
    assert settled(app, key) == [0, 3_000_000, 0]
    assert "決済金額 30,000.00" in portal.go("status.detail", {"number": number}).screen_text  # kept as answered
    row = policy_row(app, key)
    assert (row.state, row.credit_outstanding, row.used_jpy) == ("一部決済", 7_000_000, USED - 4_536_900)


def test_a_blank_instalment_applies_the_amount_in_due_order_and_releases_the_floored_yen(app, portal, key):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, answers(key, amount="33,333.33"))
    assert status_of(app, number) == Status.COMPLETED  # flow A
    assert settled(app, key) == [3_000_000, 333_333, 0]
    assert [row.settled_on for row in instalments(app, key)][:2] == [date(2026, 9, 10)] * 2
    row = policy_row(app, key)
    assert (row.state, row.credit_outstanding, row.used_jpy) == ("一部決済", 6_666_667, USED - 5_040_999)
    shown = portal.go("status.detail", {"number": number}).text("#result-title + dl")
    assert "第1回 2026年8月1日 USD 30,000.00" in shown and "第2回 2026年9月1日 USD 3,333.33" in shown


def test_settling_everything_releases_all_that_is_left_and_the_policy_is_settled(app, portal, key):
    portal.login("demo-user")
    for amount in ("33,333.33", "33,333.33"):
        submit(portal, ENDPOINT, answers(key, amount=amount))
    row = policy_row(app, key)
    assert row.used_jpy == USED - 2 * 5_040_999  # ¥5,041,002 left; floor(33,333.34 × 151.23) = ¥5,041,000
    submit(portal, ENDPOINT, answers(key, settle_kind="全額"))
    row = policy_row(app, key)
    assert (row.state, row.credit_outstanding, row.used_jpy) == ("決済済", 0, 0)  # no residue left behind
    assert settled(app, key) == [3_000_000, 3_000_000, 4_000_000]
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, {"policy": {}})
    assert [option["value"] for option in page.select("#policy_number option") if option["value"]] == []


def test_the_yen_released_are_capped_at_what_the_policy_stores(app, portal, key):
    change_policy(app, key, used_jpy=1_000)
    portal.login("demo-user")
    submit(portal, ENDPOINT, answers(key, amount="10,000.00"))
    row = policy_row(app, key)
    assert (row.credit_outstanding, row.used_jpy) == (9_000_000, 0)  # never below 0


def test_a_policy_without_credit_cover_records_the_settlement_alone(app, portal):
    (mine, _user), _other = own_and_other(app)

    def make():
        row = contracts.policy(mine, contracts.buyer_with_limit(10**9), amount=5_000_000)
        contracts.add_instalments(row, [(date(2026, 8, 1), 5_000_000)])
        return f"{row.number}-{row.branch}"

    key = made(app, make)
    portal.login("demo-user")
    submit(portal, ENDPOINT, answers(key, settle_kind="全額"))
    row = policy_row(app, key)
    assert (row.state, row.credit_outstanding, row.used_jpy) == ("決済済", 0, 0)


def test_an_instalment_settled_meanwhile_stops_the_submission(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(key, instalment="1", amount="30,000.00"))
    assert page.h1.endswith("（申込内容確認）")
    with app.app_context():
        row = db.session().exec(select(Instalment).where(Instalment.id == instalments(app, key)[0].id)).one()
        row.settled = row.amount
        db.session().commit()
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.field_error("instalment") == "対象決済期限を一覧から選択してください"
    assert settled(app, key) == [3_000_000, 0, 0] and policy_row(app, key).used_jpy == USED


def test_the_state_is_the_first_that_applies():
    policy = Policy(state=PolicyState.IN_FORCE)
    rows = [Instalment(amount=10, settled=0), Instalment(amount=10, settled=0)]
    assert policies.state_of(policy, rows, False) == "有効"
    rows[0].settled = 1
    assert policies.state_of(policy, rows, False) == "一部決済"
    rows[0].settled = rows[1].settled = 10
    assert policies.state_of(policy, rows, False) == "決済済"
    assert policies.state_of(policy, rows, True) == "事故"
    assert policies.state_of(Policy(state=PolicyState.CANCELLED), rows, True) == "解約"


def test_the_screens_read_as_many_statements_whatever_the_number_of_policies(app, portal, key):
    (mine, user), _other = own_and_other(app)
    steps = list(answers(key, amount="1.00").values())
    portal.login("demo-user")
    few = screen_statements(portal, ENDPOINT, steps)
    for _ in range(12):
        covered_policy_of(app, mine, user, SCHEDULE)
    many = screen_statements(portal, ENDPOINT, steps)
    assert few == many and max(many) <= 6, (few, many)
