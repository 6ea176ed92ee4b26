"""The customer's own 確認 and policies as L02 and L03 offer and read them (C.4: every query is
scoped by the 保険利用者, so another customer's row is never offered, and a posted number of
one is not among the choices and is refused). Rows read once per request and customer (`g`), so
a screen that builds several forms asks the database once."""

from datetime import date

from flask import g, has_request_context
from sqlalchemy import select
from sqlmodel import col

from nexi import db, limits, losses, masters, policies
from nexi.clock import today
from nexi.models import Buyer, Confirmation, Instalment, Policy, PolicyState
from nexi.models.contract import OPEN_CONFIRMATION


def _cached(key: tuple, load):
    if not has_request_context():
        return load()
    store = g.setdefault("own_contract_rows", {})
    if key not in store:
        store[key] = load()
    return store[key]


def forget() -> None:
    """After a change (a 完了): what the request read before is read again when next asked."""
    if has_request_context():
        g.pop("own_contract_rows", None)


def japanese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def money(amount: int, currency: str) -> str:
    """Minor units as 「USD 12,345.67」."""
    return f"{currency} {masters.money(amount, currency)}"  # exact: no float for 16-digit amounts


def policy_key(policy: Policy) -> str:
    """証券番号・枝番 as the answers keep it: 14 digits, 「-」, 2 digits."""
    return f"{policy.number}-{policy.branch}"


# --- 確認 -------------------------------------------------------------------------------------------


def confirmation(customer_id: int, number: str | None) -> Confirmation | None:
    """The customer's own 確認 by its 確認管理番号, in whatever state (for reading an answer)."""
    if not number:
        return None
    return _cached(
        ("confirmation", customer_id, number),
        lambda: (
            db.session()
            .scalars(
                select(Confirmation).where(
                    col(Confirmation.customer_id) == customer_id, col(Confirmation.number) == number
                )
            )
            .first()
        ),
    )


def returnable_confirmations(customer_id: int) -> list[tuple[Confirmation, str]]:
    """L02 予約分 (10-2): the customer's 確認 in 確認済 or 一部使用, within their 有効期限, with a 残額
    to give back; with their buyer's code and name, in one statement."""

    def load():
        rows = db.session().execute(
            select(Confirmation, Buyer.code, Buyer.name_en)
            .join(Buyer, col(Buyer.id) == Confirmation.buyer_id)
            .where(
                col(Confirmation.customer_id) == customer_id,
                col(Confirmation.state).in_(OPEN_CONFIRMATION),
                col(Confirmation.valid_until) >= today(),
            )
            .order_by(col(Confirmation.number))
        )
        return [(row, f"{code} {name}") for row, code, name in rows if limits.remaining(row) > 0]

    return _cached(("returnable", customer_id), load)


def confirmation_choices(form) -> list[tuple[str, str]]:
    return [
        (
            row.number,
            f"{row.number}（{buyer}、残額 {money(limits.remaining(row), row.currency)}、"
            f"有効期限 {japanese_day(row.valid_until)}）",
        )
        for row, buyer in returnable_confirmations(form.context.customer.id)
    ]


# --- policies ---------------------------------------------------------------------------------------


def policy(customer_id: int, key: str | None) -> Policy | None:
    """The customer's own policy by 「証券番号-枝番」, in whatever state (for reading an answer)."""
    number, _, branch = (key or "").partition("-")
    if not number or not branch:
        return None
    return _cached(
        ("policy", customer_id, key),
        lambda: (
            db.session()
            .scalars(
                select(Policy).where(
                    col(Policy.customer_id) == customer_id, col(Policy.number) == number, col(Policy.branch) == branch
                )
            )
            .first()
        ),
    )


def _policy_label(policy: Policy, payer: str, amount: str) -> str:
    return f"{policy_key(policy)}（支払人 {payer}、{amount}）"


def policies_using_limit(customer_id: int) -> list[tuple[Policy, str]]:
    """L02 使用分 (10-2): the customer's policies holding 使用額 (its credit cover drew on a 確認)."""

    def load():
        rows = db.session().execute(
            select(Policy, Buyer.code, Buyer.name_en)
            .join(Buyer, col(Buyer.id) == Policy.payer_id)
            .where(
                col(Policy.customer_id) == customer_id,
                col(Policy.used_jpy) > 0,
                col(Policy.credit_outstanding) > 0,
                col(Policy.state) != PolicyState.CANCELLED,
            )
            .order_by(col(Policy.number), col(Policy.branch))
        )
        return [(row, f"{code} {name}") for row, code, name in rows]

    return _cached(("using", customer_id), load)


def use_choices(form) -> list[tuple[str, str]]:
    return [
        (
            policy_key(row),
            _policy_label(row, payer, f"信用危険てん補対象の残額 {money(row.credit_outstanding, row.currency)}"),
        )
        for row, payer in policies_using_limit(form.context.customer.id)
    ]


SETTLEABLE = (PolicyState.IN_FORCE, PolicyState.PART_SETTLED, PolicyState.LOSS)


def settleable_policies(customer_id: int) -> list[tuple[Policy, str, list[Instalment]]]:
    """L03 (10-3): the customer's policies in 有効, 一部決済 or 事故 with a 決済期限 still open and
    without a loss notice; each with those 決済期限 in due order, in one statement."""

    def load():
        rows = db.session().execute(
            select(Policy, Buyer.code, Buyer.name_en, Instalment)
            .join(Buyer, col(Buyer.id) == Policy.payer_id)
            .join(Instalment, col(Instalment.policy_id) == Policy.id)
            .where(
                col(Policy.customer_id) == customer_id,
                col(Policy.state).in_(SETTLEABLE),
                col(Instalment.settled) < Instalment.amount,
            )
            .order_by(col(Policy.number), col(Policy.branch), col(Instalment.due_on), col(Instalment.position))
        )
        rows = rows.all()
        noticed = {instalment for _policy, instalment, _kind in losses.noticed({row.id for row, *_ in rows})}
        found: dict[int, tuple[Policy, str, list[Instalment]]] = {}
        for row, code, name, instalment in rows:
            if instalment.id in noticed:
                continue
            found.setdefault(row.id, (row, f"{code} {name}", []))[2].append(instalment)
        return list(found.values())

    return _cached(("settleable", customer_id), load)


def settlement_choices(form) -> list[tuple[str, str]]:
    return [
        (
            policy_key(row),
            _policy_label(row, payer, f"未決済額 {money(sum(map(policies.outstanding, open_rows)), row.currency)}"),
        )
        for row, payer, open_rows in settleable_policies(form.context.customer.id)
    ]


def open_instalments(customer_id: int, key: str | None) -> list[Instalment]:
    """The open 決済期限 without a loss notice of the customer's own settleable policy `key`."""
    return next(
        (rows for row, _payer, rows in settleable_policies(customer_id) if policy_key(row) == key),
        [],
    )
