"""The customer's own 特約 and 企総登録 as K01–K03 offer and read them (DOMAIN.md §8, C.4: every
query is scoped by the 保険利用者, so another customer's 特約番号 is never offered, and a posted one
is not among the choices and is refused). Rows read once per request and customer (`g`), so a
screen that builds several forms asks the database once."""

from datetime import date

from flask import g, has_request_context
from sqlalchemy import or_
from sqlmodel import col, func, select
from wtforms import ValidationError

from nexi import db, fields, registrations
from nexi.clock import today
from nexi.forms import NexiForm
from nexi.models import Buyer, Department, Policy, PolicyState, RegistrationState, Rider, RiderBuyer, RiderDepartment
from nexi.procedures.buyers.rules import Registered, find
from nexi.procedures.insurance.change_forms import LazyChoiceField

B01_HINT = "未登録の海外商社は、先に「海外商社新規登録」（海外商社（バイヤー）に関する手続き）で登録してください"
OPEN_POLICY = (PolicyState.IN_FORCE, PolicyState.PART_SETTLED)


def _cached(key: tuple, load):
    if not has_request_context():
        return load()
    store = g.setdefault("own_rider_rows", {})
    if key not in store:
        store[key] = load()
    return store[key]


def forget() -> None:
    """After a 完了: what the request read before is read again when next asked."""
    if has_request_context():
        g.pop("own_rider_rows", None)


def japanese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yen(amount: int | None) -> str:
    """A 支払限度額 as the customer reads it; None or 0 = no limit (8-1)."""
    return f"{amount:,}円" if amount else "なし"


def key(rider_number: str | None, buyer_code: str | None) -> str | None:
    """The target of a "one pending per registration" rule: 特約番号 and バイヤーコード (within the
    20 characters a target key holds)."""
    if not rider_number or not buyer_code:
        return None
    return f"{rider_number}:{buyer_code.replace('-', '')}"[:20]


# --- 特約 -------------------------------------------------------------------------------------------


def riders(customer_id: int) -> list[Rider]:
    """The customer's 特約 whose 特約期間 includes today (有効, or 更新手続中)."""
    return _cached(("riders", customer_id), lambda: registrations.riders_in_force(customer_id))


def rider(customer_id: int | None, number: str | None) -> Rider | None:
    if customer_id is None or not number:
        return None
    return next((row for row in riders(customer_id) if row.number == number), None)


def _rider_choices(form) -> list[tuple[str, str]]:
    return [
        (row.number, f"{row.number}（特約期間 {row.starts_on:%Y/%m/%d}〜{row.ends_on:%Y/%m/%d}）")
        for row in riders(form.context.customer.id)
    ]


def rider_field():
    """特約番号: one of the customer's 有効 企業総合 特約."""
    return LazyChoiceField(
        "特約番号",
        validators=fields._presence("特約番号", True, None, choose=True),
        thing="特約番号",
        options=_rider_choices,
        show=str,
        description="貴社の有効な企業総合保険特約から選択してください。",
    )


def initial(step: str):
    """The only 特約 in force is chosen already."""

    def prefill(context) -> dict:
        found = riders(context.customer.id)
        return {step: {"rider_number": found[0].number}} if len(found) == 1 else {}

    return prefill


def departments(customer_id: int) -> list[tuple[str, str, str]]:
    """(特約番号, 部門コード, 部門名) of the 部門 the customer's 特約 in force cover (one statement)."""

    def load():
        day = today()
        rows = db.session().exec(
            select(Rider.number, Department.code, Department.name)
            .join(RiderDepartment, col(RiderDepartment.rider_id) == Rider.id)
            .join(Department, col(Department.id) == RiderDepartment.department_id)
            .where(col(Rider.customer_id) == customer_id, col(Department.customer_id) == customer_id)
            .where(
                col(Rider.state).in_(registrations.RIDER_LIVE), col(Rider.starts_on) <= day, col(Rider.ends_on) >= day
            )
            .order_by(col(Rider.number), col(Department.code))
        )
        return [tuple(row) for row in rows]

    return _cached(("departments", customer_id), load)


def _department_choices(form) -> list[tuple[str, str]]:
    seen = {}
    for _number, code, name in departments(form.context.customer.id):
        seen.setdefault(code, f"{code} {name}")
    return list(seen.items())


def department_field():
    """部門: one the 特約 covers (RiderDepartment), optional."""
    return LazyChoiceField(
        "部門",
        validators=fields._presence("部門", False, None, choose=True),
        thing="部門",
        options=_department_choices,
        show=str,
        description="特約の対象の部門から選択してください（任意）。",
    )


# --- 企総登録 ----------------------------------------------------------------------------------------


def registered(customer_id: int | None, rider_number: str | None, buyer_code: str | None):
    """(特約, buyer, 企総登録) of the customer's 有効 企総登録 of that buyer under that 特約, or None
    (one statement)."""
    if customer_id is None or not rider_number or not buyer_code:
        return None

    def load():
        return (
            db.session()
            .exec(
                select(Rider, Buyer, RiderBuyer)
                .join(RiderBuyer, col(RiderBuyer.rider_id) == Rider.id)
                .join(Buyer, col(Buyer.id) == RiderBuyer.buyer_id)
                .where(col(Rider.customer_id) == customer_id, col(RiderBuyer.customer_id) == customer_id)
                .where(col(Rider.number) == rider_number, col(Buyer.code) == buyer_code)
                .where(col(RiderBuyer.state) == RegistrationState.IN_FORCE)
            )
            .first()
        )

    return _cached(("registered", customer_id, rider_number, buyer_code), load)


def registration_of(form):
    """The 企総登録 the answers name (the 対象 step of K02 / K03), or None."""
    customer = getattr(form.context, "customer", None)
    values = form.answers or {}
    found = registered(customer.id if customer else None, values.get("rider_number"), values.get("buyer_code"))
    return found[2] if found else None


def open_policies(customer_id: int, rider_id: int, buyer_id: int) -> int:
    """How many of the customer's policies on the payer are open (有効 / 一部決済): those under
    the 特約, and those that name no 特約 (8-3: a deletion then warns)."""
    return (
        db.session()
        .exec(
            select(func.count())
            .select_from(Policy)
            .where(col(Policy.customer_id) == customer_id, col(Policy.payer_id) == buyer_id)
            .where(col(Policy.state).in_(OPEN_POLICY))
            .where(or_(col(Policy.rider_id) == rider_id, col(Policy.rider_id).is_(None)))
        )
        .one()
    )


def snapshot(row: RiderBuyer) -> dict:
    """A 企総登録 as the audit log keeps it (before / after a 完了)."""
    return {
        "rider_id": row.rider_id,
        "buyer_id": row.buyer_id,
        "destination": row.destination,
        "settlement_method": row.settlement_method,
        "max_usance_days": row.max_usance_days,
        "limit_jpy": row.limit_jpy,
        "limit_set_on": row.limit_set_on.isoformat() if row.limit_set_on else None,
        "increases": row.increases,
        "state": row.state,
        "version": row.version,
    }


class TargetForm(NexiForm):
    """K02 / K03 対象の企総登録: the 特約 and a buyer 企総登録 under it."""

    sections = [("対象の企総登録", ["rider_number", "buyer_code"])]
    rider_number = rider_field()
    buyer_code = fields.buyer_code("バイヤーコード", extra=[Registered("バイヤーコード")])

    def validate_buyer_code(self, field):
        customer = getattr(self.context, "customer", None)
        if not field.data or field.errors or customer is None or not self.rider_number.data:
            return
        if registered(customer.id, self.rider_number.data, field.data) is None:
            raise ValidationError(f"バイヤーコード「{field.data}」はこの特約に企総登録されていません")


def target_key(values: dict) -> str | None:
    return key(values.get("rider_number"), values.get("buyer_code"))


def describe(values: dict) -> tuple[str, str | None]:
    """対象: 特約番号 and the buyer, by its registered name."""
    code, number = values.get("buyer_code") or "", values.get("rider_number") or ""
    buyer = find(code, include_deleted=True)
    return f"{number} {code} {buyer.name_en if buyer else ''}".strip(), key(number, code)
