"""Answers and fixtures for the tests of 8章 企業総合保険特約 (DOMAIN.md 8-1 … 8-3): the demo
customer サンプル精機 holds 特約 T{year}00001 for the calendar year with 企総登録 304-000102 (EE,
¥200,000,000 set on 1 January), 105-000201 (EM, no limit) and 111-000301 (EA, no limit)."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Application, Buyer, Customer, RegistrationState, Rider, RiderBuyer, RiderDepartment
from tests.http.insurance.helpers import complete  # noqa: F401  (受付 and 完了 by demo-reviewer)
from tests.support.procedures import submit, walk  # noqa: F401

K01, K02, K03 = "comprehensive.registration", "comprehensive.limit_increase", "comprehensive.registration_change"
CONFIRM = "（申込内容確認）"
OWN, OTHER = "123456789", "987654321"


def customer_id(app, code: str = OWN) -> int:
    with app.app_context():
        return db.session().exec(select(Customer.id).where(Customer.code == code)).one()


def demo_rider(app) -> Rider:
    with app.app_context():
        return db.session().exec(select(Rider).where(Rider.customer_id == customer_id(app))).first()


@pytest.fixture
def day(app, monkeypatch):
    """A business day inside the demo 特約's 特約期間 (its calendar year): 20 April."""
    year = demo_rider(app).starts_on.year
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{year}-04-20T10:00:00")
    return year


def at(app, monkeypatch, moment: str) -> None:
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{moment}T10:00:00")


def buyer_id(code: str) -> int:
    return db.session().exec(select(Buyer.id).where(Buyer.code == code)).one()


def add_rider(app, number: str, starts: str, ends: str, rows=(), *, customer: str = OWN) -> None:
    """A 特約 of the customer with 企総登録 rows (code, limit, limit_set_on, increases)."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        owner = customer_id(app, customer)
        rider = Rider(number=number, customer_id=owner, starts_on=date.fromisoformat(starts),
                      ends_on=date.fromisoformat(ends), created_at=moment, updated_at=moment)  # fmt: skip
        db.session().add(rider)
        db.session().flush()
        for code, limit, set_on, increases in rows:
            db.session().add(RiderBuyer(rider_id=rider.id, customer_id=owner, buyer_id=buyer_id(code),
                                        destination=code[:3], settlement_method="送金", max_usance_days=90,
                                        limit_jpy=limit, limit_set_on=date.fromisoformat(set_on) if set_on else None,
                                        increases=increases, created_at=moment, updated_at=moment))  # fmt: skip
        db.session().commit()


def registration(app, code: str, number: str | None = None) -> RiderBuyer | None:
    """The 企総登録 of the buyer under the 特約 (default: the demo one), in whatever state."""
    with app.app_context():
        number = number or demo_rider(app).number
        return db.session().exec(
            select(RiderBuyer).join(Rider, Rider.id == RiderBuyer.rider_id)
            .where(Rider.number == number, RiderBuyer.buyer_id == buyer_id(code))
        ).first()  # fmt: skip


def change_registration(app, code: str, number: str | None = None, **values) -> None:
    with app.app_context():
        row = registration(app, code, number)
        row = db.session().get(RiderBuyer, row.id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session().add(row)
        db.session().commit()


def remove_departments(app, number: str, keep: str) -> None:
    with app.app_context():
        rider = db.session().exec(select(Rider).where(Rider.number == number)).one()
        for row in db.session().exec(select(RiderDepartment).where(RiderDepartment.rider_id == rider.id)):
            db.session().delete(row)
        from nexi.models import Department

        kept = db.session().exec(select(Department).where(Department.code == keep)).one()
        db.session().add(RiderDepartment(rider_id=rider.id, department_id=kept.id))
        db.session().commit()


def record(app, number: str) -> Application:
    with app.app_context():
        return db.session().exec(select(Application).where(Application.number == number)).one()


def errors_of(page) -> str:
    return " ".join(page.texts(".field-error, .error-message, .error-summary"))


def k01(rider: str = "", buyer=None, terms=None) -> dict:
    """K01 answers: 304-000101 (EA, not under the 特約) to 304 by 送金, 90 days, ¥500,000,000 a year."""
    return {
        "buyer": {"rider_number": rider, "department": "", "buyer_code": "304-000101",
                  "destination": "304"} | (buyer or {}),
        "terms": {"settlement_method": "送金", "usance_days": "90", "lc_bank_code": "",
                  "annual_amount": "500,000,000", "desired_limit": "100,000,000", "note": ""} | (terms or {}),
    }  # fmt: skip


def k02(rider: str = "", code: str = "304-000102", **increase) -> dict:
    return {
        "target": {"rider_number": rider, "buyer_code": code},
        "increase": {"requested_limit": "300,000,000", "recent_amount": "", "reason": "取引の拡大のため"} | increase,
    }


def k03(rider: str = "", code: str = "304-000102", kind: str = "変更", **content) -> dict:
    target = {"target": {"rider_number": rider, "buyer_code": code, "kind": kind}}
    if kind == "削除":
        return target | {"delete": {"reason": "取引を終了したため"} | content}
    return target | {"change": {"new_destination": "", "new_settlement_method": "", "new_usance_days": ""} | content}


REMOVED = RegistrationState.REMOVED
