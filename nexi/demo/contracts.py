"""Demo contract book (DOMAIN.md §9, §10): 確認 of 株式会社サンプル精機 on EE–EF buyers in every 状況,
its policies in every 状態 but 事故 with their 決済期限, each with the Web申込 it came from (L01,
IA1), and one 確認 of 東和トレーディング on the same buyer, so that isolation can be seen.

Every amount moves through nexi/limits.py and nexi/policies.py (approve, earmark, use, settle,
give_back, release_use, expire) as the procedures move them, never written by hand, so the
buyer-wide 予約額 / 使用額 the staff console shows are the sums of these rows. Dates count back
from the business today; numbers come from the sequences the procedures use (C.6).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import select

from nexi import db, limits, masters, policies
from nexi.clock import JST, today
from nexi.demo import losses as demo_losses
from nexi.models import (
    Application,
    ApplicationEvent,
    Buyer,
    Customer,
    Department,
    Instalment,
    Policy,
    PolicyChange,
    PolicyState,
    Status,
    WebUser,
)
from nexi.procedures.insurance.checks import japanese, reference_premium
from nexi.sequences import next_value

LIABILITY_DAYS = 5  # 9-4 個別, as the IA1 完了 proposes it


@dataclass(frozen=True)
class Confirmed:
    """A 確認 and the L01 it came from: approved `days_ago`, for `amount` of `requested`."""

    customer: int  # index in accounts.CUSTOMERS
    login: str
    buyer: str
    destination: str
    currency: str
    requested: str
    amount: str
    days_ago: int
    usance: int = 90
    method: str = "送金"


@dataclass(frozen=True)
class Insured:
    """An IA1 申込 of the demo customer, submitted `days_ago` and (unless `pending`) completed by
    NEXI three days later; `schedule` = (決済期限 in days from today, amount, settled days ago)."""

    login: str
    payer: str
    destination: str
    currency: str
    amount: str
    goods: str
    days_ago: int
    schedule: list[tuple[int, str, int | None]] = field(default_factory=list)
    confirmation: str | None = None  # key of CONFIRMATIONS its credit cover draws on
    contract_no: str = ""
    # 部門: none, as nexi/customers.py's U01 完了 still replaces the 部門 rows a policy would refer to
    department: str = ""
    pending: bool = False  # still 申込済: its earmark is an open 予約
    cancelled: int | None = None  # 解約 (9-5) that many days ago
    loss: int | None = None  # an A01 on its first 決済期限 filed that many days ago and accepted (事故)


CONFIRMATIONS = {
    # 確認済: nothing used yet
    "acme": Confirmed(0, "demo-user", "304-000101", "304", "USD", "250,000.00", "200,000.00", 20),
    # 一部使用: one policy (有効) and one IA1 still 申込済 draw on it
    "rheinland": Confirmed(0, "demo-admin", "213-000401", "213", "EUR", "500,000.00", "500,000.00", 45),
    # 使用済: all of it went to one policy (一部決済)
    "huaxin": Confirmed(0, "demo-user", "105-000201", "105", "USD", "80,000.00", "80,000.00", 80),
    # 期限切れ: half of it went to a policy (決済済), the rest lapsed
    "acme-old": Confirmed(0, "demo-admin", "304-000101", "304", "USD", "60,000.00", "60,000.00", 130),
    # 枠戻し済: the deal fell through and all of it was given back (L02)
    "pacific": Confirmed(0, "demo-admin", "304-000102", "304", "USD", "150,000.00", "150,000.00", 35),
    # 東和トレーディング's own 確認 on the same buyer as "acme": neither sees the other's (C.4.1)
    "towa": Confirmed(1, "other-admin", "304-000101", "304", "USD", "100,000.00", "100,000.00", 15),
}

POLICIES = [
    # 有効: shipped soon, nothing due yet
    Insured("demo-admin", "213-000401", "213", "EUR", "150,000.00", "工作機械用精密部品", 30,
            [(60, "75,000.00", None), (90, "75,000.00", None)], "rheinland", "SS-EU-031"),
    # 一部決済: the first 決済期限 was paid (L03), the second is open
    Insured("demo-user", "105-000201", "105", "USD", "80,000.00", "産業用センサー", 75,
            [(-10, "40,000.00", 12), (25, "40,000.00", None)], "huaxin", "SS-CN-118"),
    # 決済済: both 決済期限 paid
    Insured("demo-admin", "304-000101", "304", "USD", "30,000.00", "精密測定器", 125,
            [(-45, "15,000.00", 46), (-15, "15,000.00", 15)], "acme-old", "SS-US-077"),
    # 解約: political risk only (no 確認), cancelled by a 変更 (9-5 解約) 20 days ago
    Insured("demo-admin", "111-000301", "111", "JPY", "12,000,000", "金型", 60, [(70, "12,000,000", None)],
            None, "SS-TH-052", cancelled=20),
    # 事故: its 決済期限 passed unpaid, the A01 filed within 45 days was accepted (nexi/demo/losses.py)
    Insured("demo-user", "111-000301", "111", "JPY", "8,000,000", "産業用ポンプ", 190, [(-100, "8,000,000", None)],
            None, "SS-TH-060", loss=60),
    # 申込済 and still under review: its earmark keeps part of "rheinland" 予約
    Insured("demo-user", "213-000401", "213", "EUR", "120,000.00", "工作機械用精密部品", 2,
            [(100, "120,000.00", None)], "rheinland", "SS-EU-044", pending=True),
]  # fmt: skip


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JST)


def _minor(text: str, decimals: int) -> int:
    return int(Decimal(text.replace(",", "")).scaleb(decimals))


def _rate(currency: str, day: date) -> Decimal:
    """The M.2 換算レート on `day` (today's when the master starts later)."""
    found = masters.currencies(day).get(currency) or masters.currencies()[currency]
    return found.rate


def _application(customer: Customer, user: WebUser, code: str, values: dict, target: str, key: str,
                 created: datetime, steps: list[tuple[datetime, str]], result: dict | None = None) -> Application:  # fmt: skip
    """A Web申込 with its 状況履歴: 一時保存 at `created`, then each (moment, status) of `steps`
    (申込済 by the customer, the rest by NEXI)."""
    day = created.astimezone(JST).strftime("%Y%m%d")
    submitted = steps[0][0]
    last, status = steps[-1]
    application = Application(
        number=f"W{day}{next_value(f'web:{day}'):06d}", customer_id=customer.id, user_id=user.id, procedure=code,
        status=status, data={"values": values, "files": {}}, target=target, target_key=key, created_at=created,
        saved_at=created, submitted_at=submitted, listed_at=submitted, updated_at=last, result=result or {},
        version=len(steps),
    )  # fmt: skip
    session = db.session()
    session.add(application)
    session.flush()
    session.add(ApplicationEvent(application_id=application.id, at=created, status=Status.DRAFT, user_id=user.id))
    for at, step in steps:
        by_nexi = step != Status.SUBMITTED
        session.add(
            ApplicationEvent(
                application_id=application.id, at=at, status=step, by_nexi=by_nexi,
                user_id=None if by_nexi else user.id,
            )
        )  # fmt: skip
    return application


def _confirm(item: Confirmed, customers, users, buyers) -> tuple:
    """The L01 completed on the approval day and its 確認 (limits.approve against the 残高)."""
    approved_on = today() - timedelta(days=item.days_ago)
    buyer = buyers[item.buyer]
    decimals = masters.decimals(item.currency)
    values = {
        "request": {
            "buyer_code": item.buyer, "product": "01", "currency": item.currency, "amount": item.requested,
            "planned_on": (approved_on + timedelta(days=14)).isoformat(), "usance_days": str(item.usance),
            "settlement_method": item.method, "destination": item.destination, "note": "",
        }
    }  # fmt: skip
    created = _moment(approved_on - timedelta(days=3), 10)
    application = _application(
        customers[item.customer], users[item.login], "L01", values, f"{item.buyer} {buyer.name_en}", item.buyer,
        created, [(created + timedelta(minutes=15), Status.SUBMITTED),
                  (_moment(approved_on - timedelta(days=2), 9, 30), Status.REVIEWING),
                  (_moment(approved_on, 15), Status.COMPLETED)],
    )  # fmt: skip
    confirmation = limits.approve(
        number=f"K{approved_on.year}{next_value(f'confirmation:{approved_on.year}'):06d}",
        customer_id=application.customer_id, buyer_id=buyer.id, application_id=application.id, product="01",
        currency=item.currency, decimals=decimals, amount=_minor(item.amount, decimals),
        rate=_rate(item.currency, approved_on), approved_on=approved_on,
    )  # fmt: skip
    confirmation.updated_at = _moment(approved_on, 15)
    application.result = {
        "確認管理番号": confirmation.number,
        "確認額": f"{item.currency} {item.amount}",
        "有効期限": japanese(confirmation.valid_until),
    }
    return confirmation, decimals


def _ia1_values(item: Insured, customer: Customer, user: WebUser, number: str | None, submitted: date) -> dict:
    """What a customer's IA1 answers hold (nexi/procedures/insurance/common.py), as typed."""
    first_shipment = submitted + timedelta(days=12)
    schedule = [{"due_on": (today() + timedelta(days=due)).isoformat(), "amount": amount}
                for due, amount, _settled in item.schedule]  # fmt: skip
    equal = len({row["amount"] for row in schedule}) == 1
    return {
        "contract": {
            "insured": customer.code, "department": item.department, "contract_type": "11",
            "contract_no": item.contract_no, "contracted_on": (submitted - timedelta(days=6)).isoformat(),
            "effective_on": "", "counterparty_code": item.payer, "counterparty_name": "", "payer_code": "",
            "guarantor_code": "", "shipment_country": "", "buyer_code_intermediary": "",
            "destination": item.destination,
        },
        "money": {
            "goods": item.goods, "commodity": "一般", "currency": item.currency, "contract_amount": item.amount,
            "advance": "", "cover": ["post"], "fob": "", "first_shipment_on": first_shipment.isoformat(),
            "last_shipment_on": (first_shipment + timedelta(days=10)).isoformat(), "settlement_method": "送金",
            "lc_bank_code": "", "lc_confirmed": [], "settlement_form": "1" if equal else "3",
            "settlement_count": str(len(schedule)), "schedule": schedule, "usance_days": "90",
            "foreign_currency_rider": [],
        },
        "cover": {
            "pre_political": "", "pre_commercial": "", "post_political": "97.5",
            "post_commercial": "90" if number else "0", "confirmation_number": number or "", "approval_number": "",
            "approval_on": "", "contact_name": user.name, "contact_phone": user.phone, "contact_email": user.email,
        },
    }  # fmt: skip


def _insure(item: Insured, customer: Customer, users, buyers, departments, held: dict) -> None:
    """The IA1 as its 申込む and NEXI's 完了 leave it: the earmark on the quoted 確認, then (unless
    pending) the policy with its 決済期限, the earmark turned into 使用額 and the settlements."""
    user = users[item.login]
    submitted_on = today() - timedelta(days=item.days_ago)
    confirmation, decimals = held.get(item.confirmation, (None, masters.decimals(item.currency)))
    values = _ia1_values(item, customer, user, confirmation.number if confirmation else None, submitted_on)
    answers = {name: value for step in values.values() for name, value in step.items()}
    created = _moment(submitted_on, 9, 40)
    completed = _moment(submitted_on + timedelta(days=3), 16)
    steps = [(_moment(submitted_on, 10, 5), Status.SUBMITTED)]
    if not item.pending:
        steps += [(_moment(submitted_on + timedelta(days=1), 10), Status.REVIEWING), (completed, Status.COMPLETED)]
    payer = buyers[item.payer]
    application = _application(
        customer, user, "IA1", values, f"{item.payer} {payer.name_en}", item.payer, created, steps
    )
    value_post = _minor(item.amount, decimals)
    if confirmation is not None:
        limits.earmark(confirmation.id, application.id, value_post, decimals, on=submitted_on)
    if item.pending:
        return
    completed_on = completed.date()
    found = reference_premium(answers, "01")  # today's tables: the demo's days may predate the masters
    premium = found.total if found else 0
    liability_from = submitted_on + timedelta(days=LIABILITY_DAYS)
    instalments = [(today() + timedelta(days=due), _minor(amount, decimals)) for due, amount, _ in item.schedule]
    policy = Policy(
        number=f"01{completed_on.year}{next_value(f'policy:01:{completed_on.year}'):08d}",
        customer_id=customer.id, application_id=application.id, product="01",
        department_id=departments.get(item.department), contract_type="11", contract_no=item.contract_no,
        contracted_on=date.fromisoformat(answers["contracted_on"]), counterparty_id=payer.id, payer_id=payer.id,
        destination=item.destination, goods=item.goods, commodity="一般", currency=item.currency,
        contract_amount=value_post, first_shipment_on=date.fromisoformat(answers["first_shipment_on"]),
        last_shipment_on=date.fromisoformat(answers["last_shipment_on"]), settlement_method="送金", usance_days=90,
        post_political=Decimal(answers["post_political"]), post_commercial=Decimal(answers["post_commercial"]),
        value_post=value_post, premium_jpy=premium, liability_from=liability_from,
        period_to=max(due for due, _ in instalments), created_at=completed, updated_at=completed,
    )  # fmt: skip
    session = db.session()
    session.add(policy)
    session.flush()
    session.add_all(
        Instalment(policy_id=policy.id, position=position, due_on=due, amount=amount)
        for position, (due, amount) in enumerate(instalments, start=1)
    )
    session.flush()
    limits.use(application.id, policy)
    application.result = {
        "保険証券番号": policy.number,
        "枝番": policy.branch,
        "保険料": f"{premium:,}円",
        "保険責任開始日": japanese(liability_from),
    }
    last = completed
    for position, (_due, amount, settled) in enumerate(item.schedule, start=1):
        if settled is not None:  # a 決済通知 (L03) of that 決済期限 in full
            paid_on = today() - timedelta(days=settled)
            policies.settle(policy.id, _minor(amount, decimals), paid_on, position)
            last = max(last, _moment(paid_on, 11))
    if item.cancelled is not None:
        _cancel(policy, today() - timedelta(days=item.cancelled))
        last = _moment(today() - timedelta(days=item.cancelled), 14)
    if item.loss is not None:
        last = demo_losses.accepted(policy, customer, user, today() - timedelta(days=item.loss), _application)
    policy.updated_at = last


def _cancel(policy: Policy, on: date) -> None:
    """9-5 解約: the policy → 解約, whatever 使用額 it held released, with its 変更履歴 entry."""
    policy.state = PolicyState.CANCELLED
    limits.release_use(policy.id, None, masters.decimals(policy.currency) or 0)
    refund = -(policy.premium_jpy // 2)
    db.session().add(
        PolicyChange(
            policy_id=policy.id, at=_moment(on, 14), kinds="解約", before={"状態": PolicyState.IN_FORCE},
            after={"状態": PolicyState.CANCELLED, "解約日": on.isoformat()}, premium_change_jpy=refund,
        )
    )  # fmt: skip


def seed(customers: list[Customer], users: dict[str, WebUser]) -> None:
    session = db.session()
    codes = {item.buyer for item in CONFIRMATIONS.values()} | {item.payer for item in POLICIES}
    buyers = {row.code: row for row in session.exec(select(Buyer).where(Buyer.code.in_(codes)))}
    departments = dict(
        session.exec(select(Department.code, Department.id).where(Department.customer_id == customers[0].id)).all()
    )
    # in the order of their days, so that each year's numbers follow the calendar (C.6)
    oldest_first = sorted(CONFIRMATIONS.items(), key=lambda pair: -pair[1].days_ago)
    held = {key: _confirm(item, customers, users, buyers) for key, item in oldest_first}
    for item in sorted(POLICIES, key=lambda policy: -policy.days_ago):
        _insure(item, customers[0], users, buyers, departments, held)
    pacific, decimals = held["pacific"]
    limits.give_back(pacific.id, None, decimals)  # L02 予約分, 全部
    pacific.updated_at = _moment(today() - timedelta(days=10), 15)
    limits.expire(today())  # the daily job: "acme-old" is past its 有効期限
    old = held["acme-old"][0]
    old.updated_at = _moment(old.valid_until + timedelta(days=1), 0, 5)
    session.flush()
