"""A buyer's 個別保証枠 as the database holds it — its amounts, 確認, earmarks and the policies they
cover — read as plain values that compare equal when nothing moved (DOMAIN.md §10), for the
property tests that drive the procedures over it (tests/http/limits/test_accounting_procedures.py)."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlmodel import col, select

from nexi import db, limits
from nexi.models import Buyer, Confirmation, Earmark, Instalment, Policy
from nexi.models.contract import OPEN_CONFIRMATION


class Held(NamedTuple):
    """A 確認 as stored (amounts in USD cents, yen for *_jpy)."""

    number: str
    state: str
    amount: int
    amount_jpy: int
    reserved_jpy: int  # 予約残円
    earmarked: int
    used: int
    returned: int
    valid_until: date

    @property
    def remaining(self) -> int:  # 残額
        return self.amount - self.earmarked - self.used - self.returned


class Mark(NamedTuple):
    """An earmark as stored: the 確認 it draws on, its state and amount (and its yen)."""

    id: int
    confirmation: str  # its 確認管理番号
    state: str
    amount: int
    amount_jpy: int


class Covered(NamedTuple):
    """A policy as stored, with the sums of its 決済スケジュール."""

    number: str
    state: str
    confirmation: str | None
    used_jpy: int  # 使用額円
    credit_outstanding: int
    contract_amount: int
    first_shipment_on: date
    settled: int
    outstanding: int  # of its open 決済期限


@dataclass(frozen=True)
class Book:
    """What the database holds of the buyer's 個別保証枠, as plain values (equal when nothing moved)."""

    limit: int
    reserved: int  # 予約額, as limits.amounts sums it
    used: int  # 使用額
    confirmations: tuple[Held, ...]
    marks: tuple[Mark, ...]
    policies: tuple[Covered, ...]

    @property
    def balance(self) -> int:  # 残高
        return self.limit - self.reserved - self.used

    def open_confirmations(self, on: date | None = None) -> list[Held]:
        """確認済 / 一部使用, and (given `on`) within their 有効期限 on that day."""
        return [
            row for row in self.confirmations
            if row.state in OPEN_CONFIRMATION and (on is None or row.valid_until >= on)
        ]  # fmt: skip


def read_book(app, code: str) -> Book:
    """The book of the buyer with register code `code`."""
    with app.app_context():
        session = db.session()
        buyer = session.exec(select(Buyer).where(Buyer.code == code)).one()
        held = limits.amounts(buyer)
        confirmations = session.exec(
            select(Confirmation).where(Confirmation.buyer_id == buyer.id).order_by(Confirmation.id)
        ).all()
        numbers = {row.id: row.number for row in confirmations}
        marks = session.exec(select(Earmark).where(col(Earmark.confirmation_id).in_(numbers)).order_by(Earmark.id))
        rows = session.exec(select(Policy).where(Policy.payer_id == buyer.id).order_by(Policy.id)).all()
        schedule = session.exec(select(Instalment).where(col(Instalment.policy_id).in_([row.id for row in rows])))
        sums: dict[int, tuple[int, int]] = {}
        for item in schedule:
            settled, outstanding = sums.get(item.policy_id, (0, 0))
            sums[item.policy_id] = (settled + item.settled, outstanding + item.amount - item.settled)
        return Book(
            limit=held.limit, reserved=held.reserved, used=held.used,
            confirmations=tuple(
                Held(row.number, str(row.state), row.amount, row.amount_jpy, row.reserved_jpy, row.earmarked,
                     row.used, row.returned, row.valid_until)
                for row in confirmations
            ),
            marks=tuple(Mark(m.id, numbers[m.confirmation_id], str(m.state), m.amount, m.amount_jpy) for m in marks),
            policies=tuple(
                Covered(row.number, str(row.state), numbers.get(row.confirmation_id), row.used_jpy,
                        row.credit_outstanding, row.contract_amount, row.first_shipment_on, *sums.get(row.id, (0, 0)))
                for row in rows
            ),
        )  # fmt: skip
