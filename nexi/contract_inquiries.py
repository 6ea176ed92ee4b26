"""What 5-2 保険契約 reads: the customer's own policies (customer-owned data, C.4.1). Every statement
here takes the customer's id and is scoped by it, so another customer's policy is never found, not
even by its exact 証券番号. The list is one statement capped at LIMIT rows (§5); 5-3 個別保証枠 is
nexi/limit_inquiries.py.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from nexi import applications, db, masters, registrations
from nexi import losses as loss_notices
from nexi.blanket_inquiries import search_blankets, summarise_blankets
from nexi.inquiries import LIMIT, buyer_ids
from nexi.models import (
    Application,
    Buyer,
    Confirmation,
    Department,
    Instalment,
    Loss,
    NoticeKind,
    Policy,
    PolicyChange,
    PolicyState,
    Rider,
)

STATES = tuple(state.value for state in (PolicyState.IN_FORCE, PolicyState.PART_SETTLED, PolicyState.SETTLED,
                                          PolicyState.LOSS, PolicyState.CANCELLED))  # fmt: skip


money = masters.money  # the screens of 5-2 and 5-3 format amounts with it


def insured(value: int | None, rate: Decimal | None) -> int | None:
    """保険金額 = 保険価額 × 付保率, in minor units rounded down (what the policy stores: its 保険価額
    and 付保率 per risk)."""
    if value is None or rate is None:
        return None
    return int((Decimal(value) * rate / 100).to_integral_value(rounding=ROUND_FLOOR))


# --- 5-2 保険契約 -----------------------------------------------------------------------------------


def policy_criteria(
    number: str = "", product: str = "", buyer: str = "", state: str = "", period_from: str = "", period_to: str = ""
) -> dict:
    """The criteria as the navigation state keeps them (strings; dates in ISO form)."""
    return {"number": number or "", "product": product or "", "buyer": buyer or "", "state": state or "",
            "period_from": period_from or "", "period_to": period_to or ""}  # fmt: skip


@dataclass(frozen=True)
class PolicyRow:
    """A policy as the 5-2 list shows it, with its 契約相手方 and 最終決済期限."""

    policy: Policy
    counterparty_code: str
    counterparty_name: str
    last_due: date | None
    rider_number: str | None = None  # 企業総合 (04): the 特約 it was declared under
    blanket = False

    @property
    def key(self) -> str:
        return f"{self.policy.number}-{self.policy.branch}"

    @property
    def product_name(self) -> str:
        return masters.PRODUCTS.get(self.policy.product, self.policy.product)

    @property
    def holder(self) -> str | None:
        """設備財・消費財 (02, 03): the 組合 as 保険契約者 (9-4); 企業総合 (04): its 特約番号."""
        if self.policy.product in (registrations.EQUIPMENT, registrations.CONSUMER) and self.policy.association:
            return f"保険契約者 {registrations.association_name(self.policy.association)}"
        if self.policy.product == registrations.COMPREHENSIVE and self.rider_number:
            return f"特約番号 {self.rider_number}"
        return None

    def amount(self, value: int | None) -> str:
        return money(value, self.policy.currency)

    @property
    def insured_pre(self) -> tuple[int | None, int | None] | None:
        """(非常, 信用) 保険金額 船前, or None without 船前 cover."""
        policy = self.policy
        if not policy.cover_pre:
            return None
        return insured(policy.value_pre, policy.pre_political), insured(policy.value_pre, policy.pre_commercial)

    @property
    def insured_post(self) -> tuple[int | None, int | None]:
        policy = self.policy
        return insured(policy.value_post, policy.post_political), insured(policy.value_post, policy.post_commercial)

    def _pair(self, pair: tuple[int | None, int | None] | None) -> str:
        return "—" if pair is None else f"非常 {self.amount(pair[0])}／信用 {self.amount(pair[1])}"

    @property
    def insured_pre_text(self) -> str:
        """保険金額 船前 as the list shows it (「—」 without 船前 cover)."""
        return self._pair(self.insured_pre)

    @property
    def insured_post_text(self) -> str:
        return self._pair(self.insured_post)


def _policies(customer_id: int, criteria: dict):
    counterparty = aliased(Buyer)
    last_due = (
        select(func.max(Instalment.due_on))
        .where(col(Instalment.policy_id) == col(Policy.id))
        .correlate(Policy)
        .scalar_subquery()
    )
    query = (
        select(Policy, counterparty.code, counterparty.name_en, last_due.label("last_due"), Rider.number)
        .join(counterparty, col(counterparty.id) == col(Policy.counterparty_id))
        .outerjoin(Rider, (col(Rider.id) == col(Policy.rider_id)) & (col(Rider.customer_id) == customer_id))
        .where(col(Policy.customer_id) == customer_id)
    )
    number, _, branch = (criteria.get("number") or "").partition("-")
    if number:
        query = query.where(col(Policy.number) == number)
    if branch:
        query = query.where(col(Policy.branch) == branch)
    if criteria.get("product"):
        query = query.where(col(Policy.product) == criteria["product"])
    if criteria.get("buyer"):
        ids = buyer_ids(criteria["buyer"])
        query = query.where(or_(col(Policy.counterparty_id).in_(ids), col(Policy.payer_id).in_(ids)))
    if criteria.get("state"):
        query = query.where(col(Policy.state) == criteria["state"])
    # 保険期間 From/To: the policies whose 保険期間 (保険責任開始日 … its end) overlaps them
    if criteria.get("period_from"):
        query = query.where(col(Policy.period_to) >= date.fromisoformat(criteria["period_from"]))
    if criteria.get("period_to"):
        query = query.where(col(Policy.liability_from) <= date.fromisoformat(criteria["period_to"]))
    return query


def search_policies(customer_id: int, criteria: dict) -> tuple[list, bool]:
    """(the customer's policies and 簡易通知型 包括保険契約 found, by 証券番号-枝番 descending, at most
    LIMIT; whether more matched): one statement for each, one for the shown contracts' shipments."""
    rows = (
        db.session()
        .execute(
            _policies(customer_id, criteria)
            .order_by(col(Policy.number).desc(), col(Policy.branch).desc())
            .limit(LIMIT + 1)
        )
        .all()
    )
    found = [PolicyRow(*row) for row in rows] + search_blankets(customer_id, criteria, LIMIT + 1)
    found.sort(key=lambda row: row.key, reverse=True)
    shown = found[:LIMIT]
    summarise_blankets(customer_id, [row for row in shown if row.blanket])
    return shown, len(found) > LIMIT


@dataclass(frozen=True)
class Party:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class PolicyDetail:
    row: PolicyRow
    payer: Party
    guarantor: Party | None
    lc_bank: Party | None
    confirmation_number: str | None  # the customer's own 確認 its credit cover came from
    department: str | None
    instalments: list[Instalment]
    losses: set[int]  # ids of the 決済期限 with a loss notice
    claims: list[Loss]  # its 事故: of the pre-shipment cover first, then of each 決済期限 in due order
    changes: list[PolicyChange]
    related: list[Application]

    @property
    def policy(self) -> Policy:
        return self.row.policy

    @property
    def settled_total(self) -> int:
        return sum(instalment.settled for instalment in self.instalments)


def _party(code, name) -> Party | None:
    return Party(code, name) if code is not None else None


def find_policy(customer_id: int, key: str | None) -> PolicyDetail | None:
    """The customer's own policy 「証券番号-枝番」 with all the detail shows (None: none of its own).

    Three statements whatever its rows: the policy with its parties, its 決済期限 (each with its loss
    notice and 事故) and the 事故 of its pre-shipment cover, its 変更履歴
    and the related Web申込 the user may see (C.4)."""
    number, _, branch = (key or "").partition("-")
    if not (number.isdigit() and len(number) == 14 and branch.isdigit() and len(branch) == 2):
        return None
    counterparty, payer, guarantor, bank = (aliased(Buyer) for _ in range(4))
    # the 事故 of each 決済期限 and of the pre-shipment cover (at most one of each: 11-1)
    post_loss, pre_loss, extra_loss = (aliased(Loss) for _ in range(3))
    found = (
        db.session()
        .execute(
            select(
                Policy,
                counterparty.code,
                counterparty.name_en,
                payer.code,
                payer.name_en,
                guarantor.code,
                guarantor.name_en,
                bank.code,
                bank.name_en,
                Confirmation.number,
                Department.name,
                Instalment,
                Rider.number,
                loss_notices.instalment_noticed().label("noticed"),
                post_loss,
                pre_loss,
                extra_loss,
            )  # fmt: skip
            .join(counterparty, col(counterparty.id) == col(Policy.counterparty_id))
            .join(payer, col(payer.id) == col(Policy.payer_id))
            .outerjoin(guarantor, col(guarantor.id) == col(Policy.guarantor_id))
            .outerjoin(bank, col(bank.id) == col(Policy.lc_bank_id))
            .outerjoin(
                Confirmation,
                (col(Confirmation.id) == col(Policy.confirmation_id)) & (col(Confirmation.customer_id) == customer_id),
            )
            .outerjoin(
                Department,
                (col(Department.id) == col(Policy.department_id)) & (col(Department.customer_id) == customer_id),
            )
            .outerjoin(Rider, (col(Rider.id) == col(Policy.rider_id)) & (col(Rider.customer_id) == customer_id))
            # its 決済期限 in due order, as policies.instalments_of reads them: one row each
            .outerjoin(Instalment, col(Instalment.policy_id) == col(Policy.id))
            .outerjoin(post_loss, col(post_loss.instalment_id) == col(Instalment.id))
            .outerjoin(pre_loss, (col(pre_loss.policy_id) == col(Policy.id)) & (col(pre_loss.kind) == NoticeKind.PRE))
            .outerjoin(
                extra_loss, (col(extra_loss.policy_id) == col(Policy.id)) & (col(extra_loss.kind) == NoticeKind.EXTRA)
            )
            .where(col(Policy.customer_id) == customer_id, col(Policy.number) == number, col(Policy.branch) == branch)
            .order_by(col(Instalment.due_on), col(Instalment.position))
        )
        .all()
    )
    if not found:
        return None
    policy, cp_code, cp_name, payer_code, payer_name, g_code, g_name, b_code, b_name, confirmation, department = found[
        0
    ][:11]
    rider, _noticed, _post, pre, extra = found[0][12:]
    instalments = [row[11] for row in found if row[11] is not None]
    losses = {row[11].id for row in found if row[11] is not None and row[13]}
    claims = [loss for loss in (pre, extra, *(row[14] for row in found)) if loss is not None]
    changes = list(
        db.session().scalars(
            select(PolicyChange).where(col(PolicyChange.policy_id) == policy.id).order_by(col(PolicyChange.at))
        )
    )
    # the IA1 that created it, and every Web申込 about it (IA2, L02, L03 …: their 対象 is its 証券番号)
    about = or_(
        col(Application.id) == policy.application_id,
        col(Application.target_key).in_([number, f"{number}-{branch}"]),
    )
    related = list(
        db.session().scalars(
            select(Application)
            .where(*applications.scope(), about)
            .order_by(col(Application.updated_at).desc(), col(Application.number).desc())
            .limit(LIMIT)
        )
    )
    last_due = max((row.due_on for row in instalments), default=None)
    return PolicyDetail(
        row=PolicyRow(policy, cp_code, cp_name, last_due, rider),
        payer=Party(payer_code, payer_name),
        guarantor=_party(g_code, g_name),
        lc_bank=_party(b_code, b_name),
        confirmation_number=confirmation,
        department=department,
        instalments=instalments,
        losses=losses,
        claims=claims,
        changes=changes,
        related=related,
    )
