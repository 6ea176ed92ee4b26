"""IA2 支払人・決済条件変更 (DOMAIN.md 9-5, 9-3, §10): offered for a changeable policy with its own
fields (新支払人, 決済方法, ユーザンス); 9-3 runs again on the new 支払人 (引受停止 → error at
新支払人, 不可 → warning and 信用付保率 0 at 完了, EE–EF with credit cover → a 確認 of the new
支払人 with enough 残額, earmarked at 申込む); 完了 releases the old 確認's 使用額, turns the new
earmark into 使用額 and writes the 変更履歴."""

from datetime import date

import pytest
from sqlmodel import select

from nexi import db, limits
from nexi.models import Buyer, Confirmation, Earmark, EarmarkState, Instalment, PolicyChange, Status
from tests.http.insurance.helpers import CONFIRM, IA2, IA2_TODAY, complete, ia2, ia2_policy, made, policy_row, record
from tests.http.staff.test_review import decide
from tests.support import contracts
from tests.support.procedures import start, submit, walk

OLD_PAYER = "304-000101"


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", IA2_TODAY)


def new_buyer(app, code: str, rating: str, country: str = "304") -> None:
    made(app, lambda: contracts.registered_buyer(code, country, rating, limit_amount=3_000_000_000))


def new_confirmation(app, code: str, amount: int) -> str:
    """A 確認 of `amount` cents on the buyer `code` for the demo customer: its 確認管理番号."""

    def make():
        ((own_id, _),) = contracts.customers(1)
        buyer = db.session().exec(select(Buyer).where(Buyer.code == code)).one()
        return contracts.confirmation(buyer, own_id, amount, approved_on=date(2026, 4, 15)).number

    return made(app, make)


# ia2_policy's schedule (USD 100,000.00 in two 決済期限, nothing settled), entered again as it is
SCHEDULE = {"new_settlement_count": "2", "new_schedule-0-due_on": "2026-07-01", "new_schedule-0-amount": "50,000.00",
            "new_schedule-1-due_on": "2026-08-01", "new_schedule-1-amount": "50,000.00"}  # fmt: skip


def payer(number: str, code: str = "", method: str = "送金", usance: str = "90", **more) -> dict:
    content = SCHEDULE | {"new_payer_code": code, "new_settlement_method": method, "new_usance_days": usance} | more
    return ia2(number, "payer", **content)


def held(app, number: str) -> Confirmation:
    with app.app_context():
        return db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()


def own_used(app, code: str) -> int:
    """The demo customer's own 使用額 (JPY) on the buyer `code`."""
    with app.app_context():
        ((own_id, _),) = contracts.customers(1)
        buyer = db.session().exec(select(Buyer).where(Buyer.code == code)).one()
        return limits.own_amounts(buyer.id, own_id)[1]


def test_the_kind_is_offered_with_its_own_fields_for_a_changeable_policy(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    page = start(portal, IA2)
    labels = {box["value"]: page.text(f"label[for='{box['id']}']") for box in page.soup.select("input[name=kinds]")}
    assert labels["payer"] == "支払人・決済条件変更"
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "payer")["target"]})
    for name in ("new_payer_code", "new_settlement_method", "new_usance_days"):
        assert page.soup.select_one(f"#{name}") is not None, name
    assert page.soup.select_one("#new_destination") is None
    assert f"現在の支払人：{OLD_PAYER}" in page.text("main") and "現在の決済方法：送金" in page.text("main")
    start(portal, IA2)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "destination")["target"]})
    assert page.soup.select_one("#new_payer_code") is None  # only for the kind


def test_the_kind_does_not_go_with_an_increase(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    start(portal, IA2)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "payer", "increase")["target"]})
    assert page.field_error("kinds") == "支払人・決済条件変更と金額増額は同時に選択できません（順にお届けください）"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "304-999999"}, "new_payer_code", "新支払人「304-999999」は海外商社名簿に登録されていません"),
        ({"code": "224-900001"}, "new_payer_code", "支払人の国（ロシア）は引受停止国のため、お申込みできません"),
        ({"usance": "730"}, "new_usance_days", None),
        ({}, "new_settlement_method", "支払人・決済方法・ユーザンスのいずれかを現在と異なる内容にしてください"),
        ({"method": "L/C一覧払"}, "new_settlement_method",
         "L/C発行・確認銀行の登録がない保険は、L/C決済に変更できません（NEXIにご相談ください）"),
    ],
)  # fmt: skip
def test_the_new_payer_and_terms_are_checked_at_their_field(app, portal, values, field, message):
    number = ia2_policy(app, covered=False)
    new_buyer(app, "224-900001", "EA", country="224")
    portal.login("demo-user")
    page = walk(portal, IA2, payer(number, **values))
    error = page.field_error(field)
    assert error and (message is None or error == message), page.error_summary
    if "code" in values:
        assert page.one("#new_payer_code")["value"] == values["code"]  # what was typed is kept


def test_a_new_payer_under_a_limit_needs_its_own_confirmation_with_enough_left(app, portal):
    number = ia2_policy(app)  # USD 100,000.00 credit-covered from a 確認 on 304-000101
    new_buyer(app, "304-900001", "EE")
    small = new_confirmation(app, "304-900001", 9_999_999)
    old = new_confirmation(app, OLD_PAYER, 10_000_000)
    portal.login("demo-user")
    page = walk(portal, IA2, payer(number, "304-900001"))
    assert page.field_error("confirmation_number") == (
        "支払人（格付EE・EA・EM・EF）の信用危険をてん補するには、個別保証枠の確認管理番号が必要です"
    )
    page = walk(portal, IA2, payer(number, "304-900001", confirmation_number=old))
    assert page.field_error("confirmation_number") == "確認管理番号の確認は、支払人が異なります"
    page = walk(portal, IA2, payer(number, "304-900001", confirmation_number=small))
    assert page.field_error("confirmation_number") == "確認の残額が信用危険てん補対象の残額に足りません"


def test_the_limit_moves_to_the_new_payers_confirmation(app, portal, staff):
    number = ia2_policy(app)  # 使用額 ¥15,000,000 (USD 100,000.00 at 150) on 304-000101
    new_buyer(app, "304-900001", "EE")
    quoted = new_confirmation(app, "304-900001", 12_000_000)
    before = policy_row(app, number)
    assert own_used(app, OLD_PAYER) == 15_000_000
    portal.login("demo-user")
    answers = payer(number, "304-900001", method="D/A", usance="120", confirmation_number=quoted)
    page = walk(portal, IA2, answers)
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "現在の確認で使用している個別保証枠の使用額は戻されます" in page.text("main")
    web = submit(portal, IA2, answers)
    application = record(app, web)
    with app.app_context():
        (mark,) = db.session().exec(select(Earmark).where(Earmark.application_id == application.id)).all()
    assert (mark.amount, mark.state) == (10_000_000, EarmarkState.OPEN)  # the credit-covered outstanding
    assert held(app, quoted).earmarked == 10_000_000
    assert own_used(app, OLD_PAYER) == 15_000_000  # nothing moves before 完了
    complete(staff, number=web, premium_change="0")
    assert record(app, web).status == Status.COMPLETED
    after = policy_row(app, number)
    with app.app_context():
        new_id = db.session().exec(select(Buyer.id).where(Buyer.code == "304-900001")).one()
        activity = db.session().get(Buyer, new_id).last_activity_on
    assert (after.payer_id, after.settlement_method, after.usance_days) == (new_id, "D/A", 120)
    assert after.confirmation_id == held(app, quoted).id and after.confirmation_id != before.confirmation_id
    assert (after.credit_outstanding, after.used_jpy) == (10_000_000, 15_000_000)
    assert own_used(app, OLD_PAYER) == 0 and own_used(app, "304-900001") == 15_000_000
    assert (held(app, quoted).earmarked, held(app, quoted).used) == (0, 10_000_000)
    assert activity.isoformat() == IA2_TODAY[:10]
    with app.app_context():
        (change,) = db.session().exec(select(PolicyChange).where(PolicyChange.policy_id == after.id)).all()
    assert change.kinds == "支払人・決済条件変更"
    schedule = [["2026-07-01", 5_000_000], ["2026-08-01", 5_000_000]]
    assert change.before == {"payer_code": OLD_PAYER, "settlement_method": "送金", "usance_days": 90,
                             "schedule": schedule, "period_to": "2026-08-01"}  # fmt: skip
    assert change.after == {"payer_code": "304-900001", "settlement_method": "D/A", "usance_days": 120,
                            "schedule": schedule, "period_to": "2026-08-01"}  # fmt: skip
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert f"支払人 {OLD_PAYER} → 304-900001" in shown and "決済方法 送金 → D/A" in shown
    assert "ユーザンス 90日 → 120日" in shown


def test_a_rejected_payer_change_gives_the_earmark_back(app, portal, staff):
    number = ia2_policy(app)
    new_buyer(app, "304-900001", "EE")
    quoted = new_confirmation(app, "304-900001", 12_000_000)
    portal.login("demo-user")
    web = submit(portal, IA2, payer(number, "304-900001", confirmation_number=quoted))
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    decide(staff, web, "reject", comment="内容に誤りがあります")
    assert held(app, quoted).earmarked == 0
    assert policy_row(app, number).used_jpy == 15_000_000 and own_used(app, OLD_PAYER) == 15_000_000


def test_a_payer_without_credit_cover_is_a_warning_and_its_credit_rate_becomes_zero(app, portal, staff):
    number = ia2_policy(app)
    new_buyer(app, "304-900002", "EC")
    portal.login("demo-user")
    page = walk(portal, IA2, payer(number, "304-900002"))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "支払人の格付（EC）は信用危険のてん補ができないため、信用危険付保率は0%" in page.text("main")
    web = submit(portal, IA2, payer(number, "304-900002"))
    complete(staff, number=web, premium_change="0")
    after = policy_row(app, number)
    assert after.post_commercial == 0 and (after.credit_outstanding, after.used_jpy) == (0, 0)
    assert own_used(app, OLD_PAYER) == 0
    with app.app_context():
        (change,) = db.session().exec(select(PolicyChange).where(PolicyChange.policy_id == after.id)).all()
    assert change.before["post_commercial"] == "90" and change.after["post_commercial"] == "0"


def test_a_cancelled_policy_cannot_change_its_payer(app, portal):
    number = ia2_policy(app, covered=False)

    def cancel():
        from nexi.models import Policy

        db.session().exec(select(Policy).where(Policy.number == number)).one().state = "解約"

    made(app, cancel)
    portal.login("demo-user")
    start(portal, IA2)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "payer")["target"]})
    assert page.field_error("policy_number") == "証券番号を一覧から選択してください"


def test_the_payer_change_screens_render_within_the_budget(app, portal, staff):
    from tests.http.staff.test_review import open_review
    from tests.http.test_statement_budget import BUDGET, statements

    number = ia2_policy(app)
    for _ in range(3):
        ia2_policy(app)
    new_buyer(app, "304-900001", "EE")
    quoted = new_confirmation(app, "304-900001", 12_000_000)
    portal.login("demo-admin")
    states = []
    page = portal.go(IA2)
    if "手続きの流れ" in page.h1:
        portal.go("procedure.intro", {"action": "next"})
    for values in payer(number, "304-900001", method="D/A", usance="120", confirmation_number=quoted).values():
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
        states.append(portal.state())
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    web = portal.state()["procedure"]["number"]
    counts = {}
    for state in states:
        count, shown = statements(portal, state)
        counts[f"{state['screen']} {shown.h1}"] = count
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    page = open_review(staff, web)
    version = page.one("input[name=version]")["value"]
    staff.go("staff.decide", {"decision": "complete", "version": version})
    count, shown = statements(staff, staff.state())
    counts[shown.h1] = count
    assert "新支払人 304-900001 TEST BUYER LTD（格付EE）" in shown.text("main")
    assert all(count <= BUDGET for count in counts.values()), list(counts.items())


def test_a_new_payer_outside_the_limits_releases_the_old_use(app, portal, staff):
    number = ia2_policy(app)
    new_buyer(app, "304-900003", "GE")  # 信用危険 可 without a 個別保証枠
    portal.login("demo-user")
    page = walk(portal, IA2, payer(number, "304-900003"))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "現在の確認で使用している個別保証枠の使用額は戻されます" in page.text("main")
    web = submit(portal, IA2, payer(number, "304-900003"))
    complete(staff, number=web, premium_change="0")
    after = policy_row(app, number)
    assert (after.credit_outstanding, after.used_jpy, after.confirmation_id) == (0, 0, None)
    assert after.post_commercial == 90 and own_used(app, OLD_PAYER) == 0


# --- the 決済スケジュール of the unsettled part, entered again (9-5) ------------------------------------


def test_the_new_schedule_sums_to_what_is_unsettled_in_date_order_from_the_first_shipment(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    page = walk(portal, IA2, payer(number, method="D/A", **{"new_schedule-1-amount": "50,000.01"}))
    assert (
        page.field_error("new_schedule")
        == "新決済スケジュールの金額の合計は、未決済額の合計（USD 100,000.00）としてください"
    )
    assert page.one("#new_schedule-1-amount")["value"] == "50,000.01"
    page = walk(portal, IA2, payer(number, method="D/A", **{"new_schedule-1-due_on": "2026-07-01"}))
    assert (
        page.field_error("new_schedule") == "新決済スケジュールの決済期限は古い順に、同じ日付を重ねずに入力してください"
    )
    page = walk(portal, IA2, payer(number, method="D/A", **{"new_schedule-0-due_on": "2026-04-30"}))
    assert page.field_error("new_schedule") == (
        "新決済スケジュールの決済期限は初回船積日（2026年5月1日）以降の日付を入力してください"
    )
    page = walk(portal, IA2, payer(number, method="D/A", new_settlement_count=""))
    assert page.field_error("new_settlement_count") == "新決済回数を入力してください"


def test_rows_start_from_the_unsettled_instalments_or_equal_shares(app, portal):
    number = ia2_policy(app, covered=False)
    portal.login("demo-user")
    content = {"new_payer_code": "", "new_settlement_method": "D/A", "new_usance_days": "90"}
    # the count typed, no rows yet: as many as the unsettled 決済期限, they are taken as they are
    page = walk(portal, IA2, ia2(number, "payer", new_settlement_count="2", **content))
    assert page.h1.endswith("（申込内容確認）"), page.error_summary
    for shown in ("第1回 決済期限 2026年7月1日 金額 50,000.00", "第2回 決済期限 2026年8月1日 金額 50,000.00"):
        assert shown in page.screen_text
    page = walk(portal, IA2, ia2(number, "payer", new_settlement_count="3", **content))
    assert [page.one(f"#new_schedule-{i}-amount")["value"] for i in range(3)] == ["33,333.33", "33,333.33", "33,333.34"]


def test_completion_replaces_the_unsettled_instalments_after_the_settled_part(app, portal, staff):
    number = ia2_policy(app, covered=False)
    with app.app_context():
        first = db.session().exec(select(Instalment).where(Instalment.position == 1,
                                  Instalment.policy_id == policy_row(app, number).id)).one()  # fmt: skip
        first.settled, first.settled_on = 2_000_000, date(2026, 7, 1)  # USD 20,000.00 of the first paid
        db.session().commit()
    portal.login("demo-user")
    rows = {"new_settlement_count": "3", "new_schedule-0-due_on": "2026-08-15", "new_schedule-0-amount": "30,000.00",
            "new_schedule-1-due_on": "2026-09-15", "new_schedule-1-amount": "30,000.00",
            "new_schedule-2-due_on": "2026-10-15", "new_schedule-2-amount": "20,000.00"}  # fmt: skip
    web = submit(portal, IA2, payer(number, method="D/A", **rows))
    staff.login("demo-reviewer")
    complete(staff, number=web, premium_change="0")
    with app.app_context():
        policy = policy_row(app, number)
        found = db.session().exec(select(Instalment).where(Instalment.policy_id == policy.id)
                                  .order_by(Instalment.position)).all()  # fmt: skip
        assert [(row.position, row.due_on.isoformat(), row.amount, row.settled) for row in found] == [
            (1, "2026-07-01", 2_000_000, 2_000_000),
            (2, "2026-08-15", 3_000_000, 0),
            (3, "2026-09-15", 3_000_000, 0),
            (4, "2026-10-15", 2_000_000, 0),
        ]
        assert policy.period_to == date(2026, 10, 15)
    shown = portal.go("status.detail", {"number": web}).text("#result-title + dl")
    assert "決済スケジュール 2026年7月1日 USD 20,000.00、2026年8月15日 USD 30,000.00" in shown
