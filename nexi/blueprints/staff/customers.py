"""保険利用者 on the console (S.8), for 管理担当 only: 保険利用者一覧 (search by code or name), a
customer's detail (its data, 部門 and Web users), 保険利用者の新規登録 with its first 管理者, and
管理者の追加 to an existing customer (so that a 管理者 can be replaced: the new one first, then the
old one disabled, nexi/blueprints/staff/webusers.py). Each registration is 入力 → 確認 → 完了, and
the 完了 screen shows the generated 仮パスワード once.

Every view checks the role (`manager_only`) and every screen too (`require_manager`). A registration
is for the customer the current screen shows (its state), never an id posted with the action.
"""

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from nexi import customers, db
from nexi.audit import audit
from nexi.auth import otp, passwords
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.accounts import _shown, _shown_once
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.customer_forms import (
    ADMIN_FIELDS,
    AdminForm,
    CustomerAddForm,
    CustomerSearchForm,
    form_from,
    new_admin_values,
    new_customer_values,
)
from nexi.blueprints.users import service
from nexi.forms import bounded_int, display_value
from nexi.models import Customer, Department, Role, WebUser
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "staff.customers", "staff.customer"
ADD, ADD_CONFIRM, ADDED = "staff.customer_add", "staff.customer_add_confirm", "staff.customer_added"
ADMIN_ADD, ADMIN_CONFIRM = "staff.customer_admin_add", "staff.customer_admin_confirm"
GONE = "指定された保険利用者は見つかりません。"
CODE_TAKEN = "この保険利用者コードはすでに登録されています。別のコードを入力してください"
ID_TAKEN = "このWebユーザーIDは既に使われています。別のIDを入力してください"
COLUMNS = tuple(name for name in customers.CHANGEABLE if name not in ("is_sme", "is_agri"))

menu.add(MANAGER, LIST, "保険利用者（検索・新規登録）", role=MANAGER, order=30)


def page_of(query, order, page: int, size: int):
    """(rows of the page, total, page, pages): one query for the page, one for the count."""
    total = db.session().exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = db.session().exec(query.order_by(*order).limit(size).offset((page - 1) * size)).all()
    return list(rows), total, page, pages


def get(customer_id) -> Customer | None:
    return db.session().get(Customer, customer_id) if isinstance(customer_id, int) else None


def _customer(customer_id) -> Customer:
    customer = get(customer_id)
    if customer is None:
        raise ScreenGone
    return customer


def _empty() -> dict:
    return {"code": "", "name": ""}


def _to_list():
    return show(LIST, criteria=_empty(), page=1)


# --- 保険利用者一覧 -------------------------------------------------------------------------------


def _search(criteria: dict, page: int):
    query = select(Customer)
    if criteria.get("code"):
        query = query.where(col(Customer.code).startswith(criteria["code"], autoescape=True))
    if criteria.get("name"):
        typed = criteria["name"]
        query = query.where(
            or_(
                col(Customer.name_ja).contains(typed, autoescape=True),
                func.lower(col(Customer.name_en)).contains(typed.casefold(), autoescape=True),
            )
        )
    return page_of(query, (col(Customer.code),), page, current_app.config["NEXI_PAGE_SIZE"])


@bp.post("/customers", endpoint="customers")
@guarded
@manager_only
def customers_list():
    """保険利用者一覧: every customer, by 保険利用者コード."""
    return _to_list()


@bp.post("/customers/search")
@guarded
@manager_only
def customer_search():
    form = CustomerSearchForm()
    if not form.validate():
        kept = _shown(LIST, "criteria") or _empty()
        return show(LIST, criteria=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria(), page=1)


@bp.post("/customers/page")
@guarded
@manager_only
def customer_page():
    criteria = _shown(LIST, "criteria") or _empty()
    return show(LIST, criteria=criteria, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_manager()
    rows, total, page, pages = _search(criteria, page)
    form = CustomerSearchForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen("staff/customers.html", form=form, rows=rows, total=total, page=page, pages=pages)


# --- 保険利用者詳細 -------------------------------------------------------------------------------


@bp.post("/customers/detail")
@guarded
@manager_only
def customer():
    """保険利用者詳細 (of a customer a list or a Web user's detail offers)."""
    customer_id = bounded_int(request.form.get("customer"), 1)
    if get(customer_id) is None:
        add_message(GONE, level="warning")
        return _to_list()
    return show(DETAIL, customer_id=customer_id)


@screen(DETAIL)
def detail_screen(customer_id: int):
    require_manager()
    found = _customer(customer_id)
    return render_screen(
        "staff/customer.html",
        customer=found,
        departments=customers.departments(found.id),
        users=service.listed(found.id),
        roles=Role,
    )


# --- 保険利用者の新規登録 -------------------------------------------------------------------------


@bp.post("/customers/add")
@guarded
@manager_only
def customer_add():
    """保険利用者の新規登録 (入力): from the 利用申込書 on paper (DOMAIN.md §3)."""
    return show(ADD, values=new_customer_values())


@screen(ADD)
def add_screen(values: dict, errors: dict | None = None):
    require_manager()
    form = form_from(CustomerAddForm, values)
    form.restore_errors(errors or {})
    return render_screen("staff/customer_add.html", form=form)


def _taken(form) -> bool:
    """The code or the ID registered already: the message goes next to the field."""
    if form.code.data and db.session().exec(select(Customer.id).where(Customer.code == form.code.data)).first():
        form.code.errors = [*form.code.errors, CODE_TAKEN]
    if form.login_id.data and service.id_taken(form.login_id.data):
        form.login_id.errors = [*form.login_id.errors, ID_TAKEN]
    return bool(form.code.errors or form.login_id.errors)


@bp.post("/customers/add/check")
@guarded
@manager_only
def customer_add_check():
    """保険利用者の新規登録: the input checked, then its confirmation; 「行数を反映」 shows as many 部門
    rows as 部門数; 「戻る」 goes back to the list."""
    if _shown(ADD, "values") is None:
        return _to_list()
    action = request.form.get("action")
    if action == "back":
        return _to_list()
    form = CustomerAddForm()
    values = form.data_for_state()
    if action == "rows":
        return show(ADD, values=values)
    valid = form.validate()
    if _taken(form) or not valid:
        return show(ADD, values=values, errors=form.errors_for_state())
    return show(ADD_CONFIRM, values=values)


def _summary(form) -> list[tuple[str, list[tuple[str, str]]]]:
    """確認's lists, one per section of the form: (heading, [(label, value)])."""
    return [
        (heading, [(form[name].label.text, display_value(form[name])) for name in names])
        for heading, names in form.sections
    ]


@screen(ADD_CONFIRM)
def add_confirm_screen(values: dict):
    require_manager()
    return render_screen("staff/customer_add_confirm.html", sections=_summary(form_from(CustomerAddForm, values)))


def snapshot(found: Customer, departments: list[Department]) -> dict:
    """What an audit entry records of a customer."""
    return {
        "code": found.code,
        **{name: getattr(found, name) for name in customers.CHANGEABLE},
        "departments": [{"code": d.code, "name": d.name} for d in departments],
    }


def _admin_values(form) -> dict:
    return {name: form[name].data for name in ADMIN_FIELDS} | {"role": Role.ADMIN.value}


def _create(form) -> tuple[Customer, WebUser, str]:
    """The customer, its 部門 and its first 管理者 with a generated 仮パスワード, all or nothing:
    a code or an ID taken meanwhile (another staff member's registration) leaves nothing behind."""
    session, staff = db.session(), current_user.staff
    password = passwords.generate(form.login_id.data)
    with session.begin_nested():
        found = Customer(
            code=form.code.data,
            **{name: form[name].data or "" for name in COLUMNS},
            is_sme=form.is_sme.data == "yes",
            is_agri=form.is_agri.data == "yes",
        )
        session.add(found)
        session.flush()
        departments = [
            Department(customer_id=found.id, code=entry.form.code.data, name=entry.form.name.data)
            for entry in form.departments.entries
        ]
        session.add_all(departments)
        audit("staff.customers.created", staff=staff, target=found.id, before=None, after=snapshot(found, departments))
        user = service.add(_admin_values(form), None, password, customer_id=found.id, by=staff)
    return found, user, password


@bp.post("/customers/add/submit")
@guarded
@manager_only
def customer_add_submit():
    """保険利用者の新規登録: 「登録する」 registers the customer and its 管理者 (「修正する」: back)."""
    values = _shown(ADD_CONFIRM, "values")
    if values is None:
        return _to_list()
    if request.form.get("action") != "submit":
        return show(ADD, values=values)
    form = form_from(CustomerAddForm, values)
    valid = form.validate()
    if _taken(form) or not valid:  # registered meanwhile by someone else
        return show(ADD, values=values, errors=form.errors_for_state())
    try:
        found, user, password = _create(form)
    except (IntegrityError, service.Refused):
        add_message("登録できませんでした。保険利用者コードとWebユーザーIDを確認してください。", level="warning")
        return show(ADD, values=values)
    return show(ADDED, customer_id=found.id, user_id=user.id, first=True, sealed=otp.seal(password))


@screen(ADDED)
def added_screen(customer_id: int, user_id: int, first: bool = True, sealed: str | None = None):
    require_manager()
    found = _customer(customer_id)
    user = db.session().get(WebUser, user_id) if isinstance(user_id, int) else None
    if user is None or user.customer_id != found.id:
        raise ScreenGone
    return render_screen(
        "staff/customer_added.html",
        customer=found,
        user=user,
        first=first,
        generated=True,
        password=_shown_once(sealed),
        days=passwords.temporary_days(),
    )


# --- 管理者の追加 (an existing customer) ------------------------------------------------------------


@bp.post("/customers/admin")
@guarded
@manager_only
def customer_admin_add():
    """管理者の追加 (入力) to the customer shown."""
    found = get(_shown(DETAIL, "customer_id"))
    if found is None:
        return _to_list()
    try:
        service.room_for_one(found.id)
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show(DETAIL, customer_id=found.id)
    return show(ADMIN_ADD, customer_id=found.id, values=new_admin_values())


@screen(ADMIN_ADD)
def admin_add_screen(customer_id: int, values: dict, errors: dict | None = None):
    require_manager()
    form = form_from(AdminForm, values)
    form.restore_errors(errors or {})
    return render_screen("staff/customer_admin_add.html", form=form, customer=_customer(customer_id))


@bp.post("/customers/admin/check")
@guarded
@manager_only
def customer_admin_check():
    """管理者の追加: the input checked, then its confirmation (「戻る」: the customer)."""
    found = get(_shown(ADMIN_ADD, "customer_id"))
    if found is None:
        return _to_list()
    if request.form.get("action") == "back":
        return show(DETAIL, customer_id=found.id)
    form = AdminForm()
    values = form.data_for_state()
    valid = form.validate()
    if form.login_id.data and service.id_taken(form.login_id.data):
        form.login_id.errors = [*form.login_id.errors, ID_TAKEN]
    if not valid or form.login_id.errors:
        return show(ADMIN_ADD, customer_id=found.id, values=values, errors=form.errors_for_state())
    return show(ADMIN_CONFIRM, customer_id=found.id, values=values)


@screen(ADMIN_CONFIRM)
def admin_confirm_screen(customer_id: int, values: dict):
    require_manager()
    return render_screen(
        "staff/customer_admin_confirm.html",
        customer=_customer(customer_id),
        sections=_summary(form_from(AdminForm, values)),
    )


@bp.post("/customers/admin/submit")
@guarded
@manager_only
def customer_admin_submit():
    """管理者の追加: 「登録する」 adds the 管理者 with a generated 仮パスワード (「修正する」: back)."""
    found, values = get(_shown(ADMIN_CONFIRM, "customer_id")), _shown(ADMIN_CONFIRM, "values")
    if found is None or values is None:
        return _to_list()
    if request.form.get("action") != "submit":
        return show(ADMIN_ADD, customer_id=found.id, values=values)
    form = form_from(AdminForm, values)
    if not form.validate():
        return show(ADMIN_ADD, customer_id=found.id, values=values, errors=form.errors_for_state())
    password = passwords.generate(form.login_id.data)
    try:
        with db.session().begin_nested():
            user = service.add(_admin_values(form), None, password, customer_id=found.id, by=current_user.staff)
    except service.Refused as refused:  # the ID taken, or the customer full, meanwhile
        add_message(str(refused), level="warning")
        return show(ADMIN_ADD, customer_id=found.id, values=values)
    except IntegrityError:
        return show(ADMIN_ADD, customer_id=found.id, values=values, errors={"login_id": [ID_TAKEN]})
    return show(ADDED, customer_id=found.id, user_id=user.id, first=False, sealed=otp.seal(password))
