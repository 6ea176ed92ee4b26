"""3章 3-4 保険利用者情報照会 (⑯ 「保険利用者情報照会」): the company's data, read-only."""

from flask_login import current_user
from sqlmodel import col, select

from nexi import db
from nexi.blueprints.users import bp, service
from nexi.models import Customer, Department, Role
from nexi.navigation import guarded, screen, show
from nexi.rendering import render_screen


@bp.post("/company")
@guarded
def company():
    """3-4 保険利用者情報照会."""
    return show("users.company")


@screen("users.company")
def company_screen():
    customer = db.session().get(Customer, current_user.customer.id)
    departments = (
        db.session()
        .exec(select(Department).where(col(Department.customer_id) == customer.id).order_by(col(Department.code)))
        .all()
    )
    is_admin = current_user.user.is_admin
    return render_screen(
        "users/company.html",
        customer=customer,
        departments=departments,
        users=service.listed() if is_admin else None,
        is_admin=is_admin,
        roles=Role,
    )
