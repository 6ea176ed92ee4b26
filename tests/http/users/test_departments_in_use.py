"""U01's 部門 change (3-5) applied to a 保険利用者 whose policies name a 部門 (9-1): a 部門 that stays
keeps its row, renamed if asked; one that goes leaves its policies without a 部門, never a failed
完了 (the policy table refers to the 部門 rows)."""

from datetime import date

from sqlmodel import select

from nexi import customers, db
from nexi.models import Department, Policy, RiderDepartment
from tests.support import contracts


def test_a_department_change_keeps_the_rows_that_stay_and_frees_the_policies_of_those_that_go(app):
    with app.test_request_context():
        (customer_id, _user), *_ = contracts.customers(1)
        first, second, *_ = customers.departments(customer_id)
        buyer = contracts.buyer_with_limit(100_000_000)
        staying, leaving = contracts.policy(customer_id, buyer), contracts.policy(customer_id, buyer)
        staying.department_id, leaving.department_id = first.id, second.id
        db.session().flush()
        rows = [{"code": first.code, "name": "新しい部門名"}, {"code": "NEW01", "name": "新設部門"}]
        customers.record(customer_id, date(2000, 1, 1), {"departments": rows})
        customers.apply_due(customer_id)
        db.session().flush()
        found = {d.code: d for d in db.session().exec(select(Department).where(Department.customer_id == customer_id))}
        assert set(found) == {first.code, "NEW01"}
        assert (found[first.code].id, found[first.code].name) == (first.id, "新しい部門名")
        assert db.session().get(Policy, staying.id).department_id == first.id
        assert db.session().get(Policy, leaving.id).department_id is None
        # the demo 特約 covered every 部門: it keeps the one that stays and loses the one that went
        covered = db.session().exec(select(RiderDepartment.department_id)).all()
        assert first.id in covered and second.id not in covered
        db.session().rollback()
