"""L02 枠戻し (DOMAIN.md 10-2): 予約分 is flow A and gives back a 確認's 残額 and 予約残円 at once
(全部 → 枠戻し済); 使用分 is flow R and NEXI's 完了 lowers a policy's credit-covered outstanding and
使用額円. Only the customer's own 確認 and policies are offered or accepted; amounts never exceed
what is left, and the yen follow the JPY accounting rules (floor, capped at what is stored)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from nexi import db, limits
from nexi.models import Application, Buyer, Confirmation, Policy, Status
from tests.http.staff.test_review import decide
from tests.support import contracts
from tests.support.procedures import submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")  # written against an empty contract book

ENDPOINT = "limits.give_back"
TODAY = date(2026, 9, 15)
RATE = Decimal("151.23")


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


def made(app, make):
    """Run a factory against the database and commit; returns what it gives, as plain values."""
    with app.test_request_context():
        result = make()
        db.session().commit()
        return result


def own_and_other(app):
    """(the demo customer's (id, user id), the other customer's)."""
    return made(app, lambda: contracts.customers(2))


def confirmation_of(app, customer_id, amount=10_000_000, *, rate=RATE, approved_on=date(2026, 9, 1)) -> str:
    def make():
        buyer = contracts.buyer_with_limit(3_000_000_000)
        return contracts.confirmation(buyer, customer_id, amount, rate=rate, approved_on=approved_on).number

    return made(app, make)


def covered_policy_of(app, customer_id, user_id, instalments, *, rate=RATE, **kwargs) -> str:
    def make():
        buyer = contracts.buyer_with_limit(3_000_000_000)
        total = sum(amount for _due, amount in instalments)
        confirmation = contracts.confirmation(buyer, customer_id, total, rate=rate, approved_on=date(2026, 9, 1))
        row = contracts.covered_policy(customer_id, user_id, buyer, confirmation, instalments, **kwargs)
        return f"{row.number}-{row.branch}"

    return made(app, make)


def read(app, model, **where):
    with app.app_context():
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session().exec(query).one()


def policy_row(app, key) -> Policy:
    number, branch = key.split("-")
    return read(app, Policy, number=number, branch=branch)


def change_policy(app, key, **values) -> None:
    with app.app_context():
        row = db.session().exec(select(Policy).where(Policy.number == key.split("-")[0])).one()
        for name, value in values.items():
            setattr(row, name, value)
        db.session().commit()


def screen_statements(portal, endpoint: str, steps: list[dict]) -> list[int]:
    """Statements of rendering each input step and 確認 of a procedure (as the redirect after a POST does)."""
    from tests.http.test_statement_budget import statements

    counts = []
    page = portal.go(endpoint)
    if "手続きの流れ" in page.h1:
        portal.go("procedure.intro", {"action": "next"})
    for values in steps:
        counts.append(statements(portal, portal.state())[0])
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
    counts.append(statements(portal, portal.state())[0])
    return counts


def reserved(number, **content) -> dict:
    return {
        "target": {"target_kind": "予約分", "confirmation_number": number},
        "content": {"return_kind": "一部", "amount": "", "reason": "契約不成立"} | content,
    }


def used(key, **content) -> dict:
    return {
        "target": {"target_kind": "使用分", "policy_number": key},
        "content": {"return_kind": "一部", "amount": "", "reason": "金額減少"} | content,
    }


def status_of(app, number) -> str:
    return read(app, Application, number=number).status


# --- 予約分 ---------------------------------------------------------------------------------------------


def test_the_menu_entry_opens_the_procedure(portal):
    portal.login("demo-user")
    assert "枠戻し" in portal.go(ENDPOINT).h1


def test_only_the_customers_own_open_confirmations_with_a_remaining_are_offered(app, portal):
    (mine, user), (other, _other_user) = own_and_other(app)
    offered = confirmation_of(app, mine)
    theirs = confirmation_of(app, other)
    lapsed = confirmation_of(app, mine, approved_on=date(2026, 6, 1))  # valid through 2026-08-31
    given = confirmation_of(app, mine)
    earmarked = confirmation_of(app, mine)
    with app.test_request_context():
        limits.give_back(read(app, Confirmation, number=given).id, None, 2)
        row = db.session().exec(select(Confirmation).where(Confirmation.number == earmarked)).one()
        contracts.earmarked(row, mine, user, 10_000_000)  # 一部使用 with nothing left but a pending earmark
        db.session().commit()
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, {"target": {"target_kind": "予約分"}})
    values = [option["value"] for option in page.select("#confirmation_number option") if option["value"]]
    assert values == [offered]
    assert "USD 100,000.00" in page.text("#confirmation_number")  # its 残額, in its currency
    for refused in (theirs, lapsed, given, earmarked):
        page = walk(portal, ENDPOINT, reserved(refused))
        assert page.field_error("confirmation_number") == "確認管理番号を一覧から選択してください"


def test_the_amount_is_in_the_confirmations_currency_and_at_most_its_remaining(app, portal):
    (mine, _user), _other = own_and_other(app)
    number = confirmation_of(app, mine, 10_000_000)  # USD 100,000.00
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, reserved(number, amount="100,000.01"))
    assert page.field_error("amount") == "戻し金額は確認の残額（USD 100,000.00）以下で入力してください"
    assert page.one("#amount")["value"] == "100,000.01"  # what was typed is kept
    assert "USDで入力してください（確認の残額：USD 100,000.00）" in page.text("#amount-hint")
    page = walk(portal, ENDPOINT, reserved(number, amount="10.001"))
    assert page.field_error("amount") == "USDの金額は小数点以下2桁までで入力してください"
    page = walk(portal, ENDPOINT, reserved(number, amount="0"))
    assert page.field_error("amount") == "戻し金額は0より大きい金額で入力してください"
    page = walk(portal, ENDPOINT, reserved(number, amount=""))
    assert page.field_error("amount") == "戻し金額を入力してください"
    assert walk(portal, ENDPOINT, reserved(number, amount="100,000.00")).h1.endswith("（申込内容確認）")


def test_a_whole_return_needs_no_amount_and_other_reasons_need_their_text(app, portal):
    (mine, _user), _other = own_and_other(app)
    number = confirmation_of(app, mine)
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, reserved(number, return_kind="全部", reason="その他"))
    assert page.field_error("reason_text") == "その他の理由を入力してください"
    page = walk(portal, ENDPOINT, reserved(number, return_kind="全部", reason="その他", reason_text="x" * 501))
    assert page.field_error("reason_text") == "その他の理由は500文字以内で入力してください"
    page = walk(portal, ENDPOINT, reserved(number, return_kind="全部", reason="その他", reason_text="取引先の事情"))
    assert page.h1.endswith("（申込内容確認）"), page.error_summary
    assert "取引先の事情" in page.screen_text


def test_a_partial_return_completes_at_once_and_takes_the_floored_yen(app, portal):
    (mine, _user), _other = own_and_other(app)
    number = confirmation_of(app, mine, 10_000_001)  # USD 100,000.01 × 151.23 → ¥15,123,001 (floor)
    before = read(app, Confirmation, number=number)
    assert before.reserved_jpy == 15_123_001
    portal.login("demo-user")
    filed = submit(portal, ENDPOINT, reserved(number, amount="33,333.33"))
    assert status_of(app, filed) == Status.COMPLETED  # flow A: no NEXI review
    after = read(app, Confirmation, number=number)
    assert limits.remaining(after) == 10_000_001 - 3_333_333
    assert after.reserved_jpy == 15_123_001 - 5_040_999  # floor(33,333.33 × 151.23 = 5,040,999.4959)
    assert after.state == "確認済"
    shown = portal.go("status.detail", {"number": filed}).text("#result-title + dl")
    assert "USD 33,333.33" in shown and "USD 66,666.68" in shown


def test_a_whole_return_ends_the_confirmation_and_releases_all_it_holds(app, portal):
    (mine, user), _other = own_and_other(app)
    number = confirmation_of(app, mine, 10_000_000)
    with app.test_request_context():  # part of it is earmarked by a pending application
        row = db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()
        contracts.earmarked(row, mine, user, 4_000_000)
        db.session().commit()
    portal.login("demo-user")
    filed = submit(portal, ENDPOINT, reserved(number, return_kind="全部"))
    assert status_of(app, filed) == Status.COMPLETED
    after = read(app, Confirmation, number=number)
    assert (after.state, after.reserved_jpy, limits.remaining(after), after.earmarked) == ("枠戻し済", 0, 0, 4_000_000)
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == "304-000101")).one()
        assert limits.amounts(buyer).reserved == 6_049_200  # only the earmark, floor(40,000.00 × 151.23)
    shown = portal.go("status.detail", {"number": filed}).screen_text
    assert number in shown  # the 確認 is no longer offered, yet its answer still reads


def test_a_confirmation_taken_meanwhile_stops_the_submission_with_nothing_changed(app, portal):
    (mine, _user), _other = own_and_other(app)
    number = confirmation_of(app, mine, 10_000_000)
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, reserved(number, amount="60,000.00"))
    assert page.h1.endswith("（申込内容確認）")
    filed = page.text(".panel .number")
    with app.test_request_context():  # another 枠戻し takes half of it first
        limits.give_back(read(app, Confirmation, number=number).id, 5_000_000, 2)
        db.session().commit()
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.field_error("amount") == "戻し金額は確認の残額（USD 50,000.00）以下で入力してください"
    assert status_of(app, filed) == Status.DRAFT
    assert limits.remaining(read(app, Confirmation, number=number)) == 5_000_000  # never below 0


# --- 使用分 -------------------------------------------------------------------------------------------


def test_only_the_customers_own_policies_holding_use_are_offered(app, portal):
    (mine, user), (other, other_user) = own_and_other(app)
    offered = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 5_000_000)])
    theirs = covered_policy_of(app, other, other_user, [(date(2026, 12, 1), 5_000_000)])
    uncovered = made(app, lambda: contracts.policy(mine, contracts.buyer_with_limit(10**9)).number + "-00")
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, {"target": {"target_kind": "使用分"}})
    values = [option["value"] for option in page.select("#policy_number option") if option["value"]]
    assert values == [offered]
    for refused in (theirs, uncovered):
        page = walk(portal, ENDPOINT, used(refused, amount="1.00"))
        assert page.field_error("policy_number") == "証券番号・枝番を一覧から選択してください"


def test_use_waits_for_nexi_whose_completion_lowers_the_cover_and_the_floored_yen(app, portal, staff):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_001)])  # ¥15,123,001
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, used(key, amount="100,000.02"))
    assert page.field_error("amount") == "戻し金額は信用危険てん補対象の残額（USD 100,000.01）以下で入力してください"
    filed = submit(portal, ENDPOINT, used(key, amount="33,333.33"))
    assert status_of(app, filed) == Status.SUBMITTED  # flow R
    assert policy_row(app, key).used_jpy == 15_123_001  # nothing changes before NEXI's 完了
    staff.login("demo-reviewer")
    decide(staff, filed, "accept")
    page = decide(staff, filed, "complete")
    assert status_of(app, filed) == Status.COMPLETED, page.error_summary
    after = policy_row(app, key)
    assert (after.credit_outstanding, after.used_jpy) == (10_000_001 - 3_333_333, 15_123_001 - 5_040_999)


def test_a_whole_return_of_use_releases_all_it_stores(app, portal, staff):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    portal.login("demo-user")
    filed = submit(portal, ENDPOINT, used(key, return_kind="全部"))
    staff.login("demo-reviewer")
    decide(staff, filed, "accept")
    decide(staff, filed, "complete")
    after = policy_row(app, key)
    assert (after.credit_outstanding, after.used_jpy) == (0, 0)


def test_the_released_yen_are_capped_at_what_the_policy_stores(app, portal, staff):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    change_policy(app, key, used_jpy=1_000)  # fewer yen than floor(amount × rate) of the part given back
    portal.login("demo-user")
    filed = submit(portal, ENDPOINT, used(key, amount="50,000.00"))
    staff.login("demo-reviewer")
    decide(staff, filed, "accept")
    decide(staff, filed, "complete")
    after = policy_row(app, key)
    assert (after.credit_outstanding, after.used_jpy) == (5_000_000, 0)  # never below 0


def test_a_use_no_longer_there_at_completion_is_refused_to_nexi(app, portal, staff):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    portal.login("demo-user")
    filed = submit(portal, ENDPOINT, used(key, amount="80,000.00"))
    with app.test_request_context():  # a 決済通知 released half of it meanwhile
        limits.release_use(policy_row(app, key).id, 5_000_000, 2)
        db.session().commit()
    staff.login("demo-reviewer")
    decide(staff, filed, "accept")
    page = decide(staff, filed, "complete")
    assert "戻し金額が保険の信用危険てん補対象の残額（USD 50,000.00）を超えています" in " ".join(page.messages)
    assert status_of(app, filed) == Status.REVIEWING
    assert policy_row(app, key).credit_outstanding == 5_000_000


def test_one_pending_return_of_use_per_policy(app, portal):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    portal.login("demo-user")
    submit(portal, ENDPOINT, used(key, amount="10,000.00"))
    portal.login("demo-admin")
    page = walk(portal, ENDPOINT, used(key, amount="10,000.00"))
    assert page.field_error("policy_number") == f"証券番号・枝番「{key}」の枠戻し（使用分）は、すでに申込み中です"


def test_the_flow_follows_the_target(app, portal):
    """予約分 completes at 申込む (flow A); 使用分 is reviewed by NEXI (flow R) — the 確認 screen says so."""
    (mine, user), _other = own_and_other(app)
    number = confirmation_of(app, mine)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, reserved(number, amount="1.00"))
    assert "直ちに確認の残額が減少します" in page.screen_text
    page = walk(portal, ENDPOINT, used(key, amount="1.00"))
    assert "NEXIが確認した後に" in page.screen_text
    assert status_of(app, submit(portal, ENDPOINT, used(key, amount="1.00"))) == Status.SUBMITTED
    assert status_of(app, submit(portal, ENDPOINT, reserved(number, amount="1.00"))) == Status.COMPLETED


def test_the_submit_hook_refuses_what_no_longer_fits_under_its_lock(app, portal, monkeypatch):
    """申込む checks the 確認 again under its lock (a simultaneous 枠戻し or earmark may have taken
    it after the forms were validated): it stops at the field with nothing changed."""
    from nexi.procedures.limits import give_back

    (mine, _user), _other = own_and_other(app)
    number = confirmation_of(app, mine, 10_000_000)
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, reserved(number, amount="60,000.00"))
    filed = page.text(".panel .number")
    with app.test_request_context():
        limits.give_back(read(app, Confirmation, number=number).id, 5_000_000, 2)
        db.session().commit()
    monkeypatch.setattr(give_back.ContentForm, "validate_amount", lambda form, field: None)
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.field_error("amount") == "戻し金額が確認の残額（USD 50,000.00）を超えています。"
    assert status_of(app, filed) == Status.DRAFT
    after = read(app, Confirmation, number=number)
    assert (limits.remaining(after), after.returned) == (5_000_000, 5_000_000)


def test_the_screens_read_as_many_statements_whatever_the_number_of_confirmations_and_policies(app, portal):
    (mine, user), _other = own_and_other(app)
    number = confirmation_of(app, mine)
    key = covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    portal.login("demo-user")

    def counts():
        return [
            screen_statements(portal, ENDPOINT, list(answers.values()))
            for answers in (reserved(number, amount="1.00"), used(key, amount="1.00"))
        ]

    few = counts()
    for _ in range(12):
        confirmation_of(app, mine)
        covered_policy_of(app, mine, user, [(date(2026, 12, 1), 10_000_000)])
    many = counts()
    assert few == many and max(max(counts) for counts in many) <= 6, (few, many)


def test_a_return_works_with_javascript_on_and_off(app, both):
    (mine, _user), _other = own_and_other(app)
    number = confirmation_of(app, mine, 10_000_000)
    both.login("demo-user")
    filed = submit(both, ENDPOINT, reserved(number, amount="1,000.00"))
    assert status_of(app, filed) == Status.COMPLETED
    assert limits.remaining(read(app, Confirmation, number=number)) == 9_900_000
