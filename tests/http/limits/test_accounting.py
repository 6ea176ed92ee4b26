"""個別保証枠 accounting (DOMAIN.md §10, nexi/limits.py): approval against the 残高, earmarks at
申込む and their release or use, partial releases, expiry, the JPY rounding rules, and — by a
property-based test — that after any sequence of them the buyer's amounts are the sums of what its
確認 and policies store, 残高 never goes below 0 and nothing is left behind once all is released."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nexi import db, limits, register
from nexi.models import ConfirmationState, Earmark, EarmarkState, StaffUser
from tests.support import contracts

pytestmark = pytest.mark.usefixtures("empty_contract_book")  # written against an empty contract book

RATE = Decimal("150.00")
APPROVED = date(2026, 4, 15)


@pytest.fixture
def book(app):
    """A request context on the demo data, rolled back afterwards."""
    with app.test_request_context():
        yield
        db.session().rollback()


def approve(buyer, customer_id, amount, *, rate=RATE, number=None):
    approve.serial = getattr(approve, "serial", 0) + 1
    return limits.approve(
        number=number or f"K2026{approve.serial:06d}", customer_id=customer_id, buyer_id=buyer.id,
        application_id=None, product="01", currency="USD", decimals=2, amount=amount, rate=rate,
        approved_on=APPROVED,
    )  # fmt: skip


def test_yen_is_rounded_down_from_minor_units():
    assert limits.yen(23765433, 2, Decimal("150.00")) == 35648149  # 237,654.33 × 150 = 35,648,149.5
    assert limits.yen(23765433, 2, Decimal("152.35")) == 36206637
    assert limits.yen(1000, 0, Decimal("1")) == 1000


def test_an_approval_reserves_its_yen_and_is_valid_for_three_months(book):
    (customer, _user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(100_000_000)
    confirmation = approve(buyer, customer, 10_000_000)  # USD 100,000.00
    assert (confirmation.amount_jpy, confirmation.reserved_jpy) == (15_000_000, 15_000_000)
    assert confirmation.valid_until == date(2026, 7, 14)  # add_months(2026-04-15, 3) − 1 day (C.5)
    assert confirmation.state == ConfirmationState.CONFIRMED
    held = limits.amounts(buyer)
    assert (held.limit, held.reserved, held.used, held.balance) == (100_000_000, 15_000_000, 0, 85_000_000)


def test_an_approval_beyond_the_balance_changes_nothing(book):
    (customer, _user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(15_000_000)
    approve(buyer, customer, 6_000_000)  # ¥9,000,000
    with pytest.raises(limits.LimitError):
        approve(buyer, customer, 4_000_001)  # ¥6,000,001.5 → 6,000,001 > 6,000,000
    approve(buyer, customer, 4_000_000)  # exactly the rest
    assert limits.amounts(buyer).balance == 0


def test_an_earmark_takes_from_the_remaining_and_goes_back_on_withdrawal(book):
    (customer, user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(100_000_000)
    confirmation = approve(buyer, customer, 10_000_000)
    filed = contracts.application(customer, user)
    mark = limits.earmark(confirmation.id, filed.id, 4_000_000, 2, on=APPROVED)
    assert (mark.amount_jpy, confirmation.reserved_jpy, limits.remaining(confirmation)) == (
        6_000_000,
        9_000_000,
        6_000_000,
    )
    assert confirmation.state == ConfirmationState.PART_USED
    assert limits.amounts(buyer).reserved == 15_000_000  # the earmark is still reserved
    with pytest.raises(limits.LimitError):
        limits.earmark(confirmation.id, contracts.application(customer, user).id, 6_000_001, 2, on=APPROVED)
    limits.release(filed.id)
    assert (mark.state, confirmation.reserved_jpy, limits.remaining(confirmation)) == (
        EarmarkState.RELEASED,
        15_000_000,
        10_000_000,
    )
    assert confirmation.state == ConfirmationState.CONFIRMED


def test_an_expired_confirmation_takes_no_earmark_and_returns_its_reservation(book):
    (customer, user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(100_000_000)
    confirmation = approve(buyer, customer, 10_000_000)
    filed = contracts.application(customer, user)
    limits.earmark(confirmation.id, filed.id, 2_000_000, 2, on=date(2026, 7, 14))  # its last day
    with pytest.raises(limits.LimitError):
        limits.earmark(confirmation.id, contracts.application(customer, user).id, 1, 2, on=date(2026, 7, 15))
    assert limits.expire(date(2026, 7, 15)) == 1 and limits.expire(date(2026, 7, 15)) == 0  # idempotent
    assert (confirmation.state, confirmation.reserved_jpy) == (ConfirmationState.EXPIRED, 0)
    assert limits.amounts(buyer).reserved == 3_000_000  # the earmark stays with its application
    limits.release(filed.id)  # 不承認 after expiry: back to the 残高, not to the 確認
    assert confirmation.reserved_jpy == 0 and limits.amounts(buyer).reserved == 0


def test_completion_turns_the_earmark_into_use_and_settlements_release_it(book):
    (customer, user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(100_000_000)
    confirmation = approve(buyer, customer, 10_000_000)
    filed = contracts.application(customer, user)
    limits.earmark(confirmation.id, filed.id, 10_000_000, 2, on=APPROVED)
    policy = contracts.policy(customer, buyer)
    limits.use(filed.id, policy)
    assert (policy.used_jpy, policy.credit_outstanding, confirmation.state) == (
        15_000_000,
        10_000_000,
        ConfirmationState.USED,
    )
    held = limits.amounts(buyer)
    assert (held.reserved, held.used) == (0, 15_000_000)
    limits.release_use(policy.id, 333_333, 2)  # USD 3,333.33 × 150 = 499,999.5 → 499,999
    assert policy.used_jpy == 15_000_000 - 499_999
    limits.release_use(policy.id, None, 2)  # the rest: nothing left behind
    assert (policy.used_jpy, policy.credit_outstanding) == (0, 0)
    with pytest.raises(limits.LimitError):
        limits.release_use(policy.id, 1, 2)


def test_giving_back_part_and_all_of_a_confirmation(book):
    (customer, _user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(100_000_000)
    confirmation = approve(buyer, customer, 10_000_001, rate=Decimal("1.5"))  # ¥150,000.015 → 150,000
    limits.give_back(confirmation.id, 1, 2)  # ¥0.015 → 0
    assert confirmation.reserved_jpy == 150_000
    with pytest.raises(limits.LimitError):
        limits.give_back(confirmation.id, 10_000_001, 2)
    limits.give_back(confirmation.id, None, 2)
    assert (confirmation.state, confirmation.reserved_jpy) == (ConfirmationState.RETURNED, 0)
    with pytest.raises(limits.LimitError):
        limits.give_back(confirmation.id, None, 2)


def test_a_limit_may_not_be_lowered_below_what_is_held(book):
    """S.4: 設定額 never below 使用額 + 予約額, so lowering it beside an approval never leaves 残高 < 0."""
    (customer, _user), *_ = contracts.customers(1)
    buyer = contracts.buyer_with_limit(100_000_000)
    approve(buyer, customer, 10_000_000)  # ¥15,000,000 reserved
    staff = db.session().scalars(select(StaffUser)).first()
    with pytest.raises(ValueError, match="設定額が使用額・予約額の合計を下回ります"):
        register.set_limit(buyer, 14_999_999, staff=staff)
    register.set_limit(buyer, 15_000_000, staff=staff)
    assert limits.amounts(buyer).balance == 0


def test_own_amounts_are_one_customers_only(book):
    (first, first_user), (second, _second_user) = contracts.customers(2)
    buyer = contracts.buyer_with_limit(100_000_000)
    mine = approve(buyer, first, 1_000_000)
    approve(buyer, second, 2_000_000)
    filed = contracts.application(first, first_user)
    limits.earmark(mine.id, filed.id, 1_000_000, 2, on=APPROVED)
    limits.use(filed.id, contracts.policy(first, buyer))
    assert limits.own_amounts(buyer.id, first) == (0, 1_500_000)
    assert limits.own_amounts(buyer.id, second) == (3_000_000, 0)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["approve", "earmark", "release", "use", "give_back", "settle", "expire"]),
        st.integers(min_value=1, max_value=3_000_000),
        st.integers(min_value=0, max_value=5),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPERATIONS)
def test_any_sequence_keeps_the_sums_and_a_balance_never_below_zero(app, operations):
    with app.test_request_context():
        try:
            _run(operations)
        finally:
            db.session().rollback()


def _run(operations):
    (first, first_user), (second, second_user) = contracts.customers(2)
    buyer = contracts.buyer_with_limit(50_000_000)
    confirmations, filed, policies = [], [], []
    day = APPROVED
    for operation, amount, pick in operations:
        try:
            if operation == "approve":
                owner = first if pick % 2 else second
                confirmations.append(approve(buyer, owner, amount, rate=Decimal("150.37")))
            elif operation == "earmark" and confirmations:
                confirmation = confirmations[pick % len(confirmations)]
                user = first_user if confirmation.customer_id == first else second_user
                application = contracts.application(confirmation.customer_id, user)
                limits.earmark(confirmation.id, application.id, amount, 2, on=day)
                filed.append(application)
            elif operation == "release" and filed:
                limits.release(filed.pop(pick % len(filed)).id)
            elif operation == "use" and filed:
                application = filed.pop(pick % len(filed))
                policy = contracts.policy(application.customer_id, buyer)
                limits.use(application.id, policy)
                policies.append(policy)
            elif operation == "give_back" and confirmations:
                limits.give_back(confirmations[pick % len(confirmations)].id, amount if pick % 3 else None, 2)
            elif operation == "settle" and policies:
                limits.release_use(policies[pick % len(policies)].id, amount if pick % 3 else None, 2)
            elif operation == "expire":
                day = date(2026, 7, 15) if pick == 5 else day
                limits.expire(day)
        except limits.LimitError:
            pass
        db.session().flush()
        held = limits.amounts(buyer)
        assert held.balance >= 0
        stored_reserved = sum(c.reserved_jpy for c in confirmations if c.state in ("確認済", "一部使用"))
        assert held.used == sum(p.used_jpy for p in policies)
        assert held.reserved >= stored_reserved
        for confirmation in confirmations:
            assert 0 <= confirmation.reserved_jpy <= confirmation.amount_jpy
            assert limits.remaining(confirmation) >= 0 and confirmation.earmarked >= 0
            if confirmation.state in ("確認済", "一部使用") and not confirmation.returned:
                # yen are only moved, never made or lost: 予約残円 + earmarked + used = 確認額円
                marks = db.session().scalars(select(Earmark).where(Earmark.confirmation_id == confirmation.id))
                moved = sum(mark.amount_jpy for mark in marks if mark.state != EarmarkState.RELEASED)
                assert confirmation.reserved_jpy + moved == confirmation.amount_jpy
        for policy in policies:
            assert 0 <= policy.used_jpy and 0 <= policy.credit_outstanding
    for application in filed:  # everything ends: nothing is left behind
        limits.release(application.id)
    for confirmation in confirmations:
        if confirmation.state in ("確認済", "一部使用"):
            limits.give_back(confirmation.id, None, 2)
    for policy in policies:
        limits.release_use(policy.id, None, 2)
    held = limits.amounts(buyer)
    assert (held.reserved, held.used, held.balance) == (0, 0, 50_000_000)
