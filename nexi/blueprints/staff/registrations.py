"""登録情報 of a customer on the console (S.6, §8, 9-4), for 管理担当 only: what NEXI registers so
that the 包括 products can be used — 組合員資格 (added, removed), the 企業総合保険特約 (特約番号 as NEXI
numbered it, 特約期間, the customer's own 部門) with its 企総登録 (added, 支払限度額 changed, deleted),
and the 簡易通知型包括保険契約 (its 証券番号 assigned on 登録) with its 簡易包括登録.

Reached from the customer's detail. Every view checks the role (`manager_only`), every screen too
(`require_manager`). A row id posted with an action is looked up under the customer the current
screen shows (its state), with the version the screen showed. registration_queries.py writes.
"""

from decimal import Decimal

from flask import request
from flask_login import current_user

from nexi import masters
from nexi.blueprints.staff import bp
from nexi.blueprints.staff import registration_queries as queries
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.registration_forms import NUMBER_TAKEN, LimitForm, contract_form, row_form
from nexi.forms import bounded_int
from nexi.models import BlanketState, RegistrationState, RiderState
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import multidict
from nexi.registrations import ASSOCIATIONS, association_name
from nexi.rendering import add_message, render_screen

CUSTOMER, CUSTOMERS = "staff.customer", "staff.customers"  # customers.py
OVERVIEW, REMOVE = "staff.registrations", "staff.registration_remove"
ADD = "staff.registration_add"
CONTRACTS = {"rider": "staff.registration_rider", "blanket": "staff.registration_blanket"}  # one screen
ROW_ADD, LIMIT = "staff.registration_row_add", "staff.registration_limit"
MINE = {OVERVIEW, REMOVE, ADD, ROW_ADD, LIMIT, *CONTRACTS.values()}
ADDED = {"membership": "組合員資格", "rider": "企業総合保険特約", "blanket": "簡易通知型包括保険契約"}
KINDS = {"membership": "組合員資格", "rider_buyer": "企総登録", "blanket_row": "簡易包括登録"}

MEMBER_TAKEN = "この組合の組合員資格（同じ保険種別）はすでに登録されています"
RIDER_TAKEN = "この海外商社はこの特約にすでに企総登録されています"
BLANKET_TAKEN = "この海外商社と仕向国はこの包括保険契約にすでに簡易包括登録されています"
STALE = "この登録は、表示したあとに変更または削除されたため、変更しませんでした。内容を確認してください。"
GONE = "指定された登録は見つかりません。"
ENDED = "満了・解約した契約には登録できません。"


def _args() -> dict:
    current = state()
    return dict(current.screen_args or {}) if current.screen in MINE else {}


def _customer_id() -> int | None:
    """The customer of the screen shown: one of these screens, or the customer's detail."""
    current = state()
    found = (current.screen_args or {}).get("customer_id") if current.screen in {*MINE, CUSTOMER} else None
    return found if isinstance(found, int) else None


def _customer(customer_id):
    found = queries.customer(customer_id)
    if found is None:
        raise ScreenGone
    return found


def _overview(customer_id: int | None = None):
    customer_id = customer_id or _customer_id()
    if customer_id is None:
        return show(CUSTOMERS, criteria={"code": "", "name": ""}, page=1)
    return show(OVERVIEW, customer_id=customer_id)


# --- 登録情報 (the customer's registrations) ------------------------------------------------------


@bp.post("/registrations", endpoint="registrations")
@guarded
@manager_only
def registrations():
    """登録情報 of the customer shown (its detail, or one of these screens: 「登録情報へ戻る」)."""
    return _overview()


@screen(OVERVIEW)
def overview_screen(customer_id: int):
    require_manager()
    found = queries.with_memberships(customer_id)
    if found is None:
        raise ScreenGone
    customer, memberships = found
    return render_screen("staff/registrations/overview.html", customer=customer, memberships=memberships,
                         riders=queries.riders(customer.id), rider_departments=queries.rider_departments(customer.id),
                         contracts=queries.contracts(customer.id), association_name=association_name)  # fmt: skip


def _form_screen(template: str, form, customer_id: int, errors: dict | None, **extra):
    require_manager()
    form.restore_errors(errors or {})
    return render_screen(template, form=form, customer=_customer(customer_id), **extra)


# --- 削除 of a membership, a 企総登録 or a 簡易包括登録: 確認 → 実行 -----------------------------------


def _posted_row():
    """(kind, row, buyer, version) of the row a screen posted, under its customer; the version the
    screen showed (posted with the button) must still be the row's."""
    kind, customer_id = request.form.get("kind"), _customer_id()
    found = queries.row_of(kind, customer_id, bounded_int(request.form.get("row"), 1)) if customer_id else None
    if found is None:
        add_message(GONE, level="warning")
        return None
    row, buyer = found
    version = bounded_int(request.form.get("version"), 0, 2**32)
    if version != queries.version_of(kind, row) or getattr(row, "state", RegistrationState.IN_FORCE) != "有効":
        add_message(STALE, level="warning")
        return None
    return kind, row, buyer, version


def _contract(customer_id: int, kind: str, parent_id: int):
    return show(CONTRACTS[kind], customer_id=customer_id, kind=kind, parent_id=parent_id)


def _parent_screen(kind: str, row):
    """The screen a row is listed on: its 特約 / contract, or 登録情報."""
    under = queries.parent_of(kind, row)
    if under is None:
        return show(OVERVIEW, customer_id=row.customer_id)
    return _contract(row.customer_id, under[0], under[1])


def _back_to_shown():
    """After a refused action: the 特約 / contract shown again, or 登録情報."""
    if state().screen in CONTRACTS.values():
        return show(state().screen, **_args())
    return _overview()


@bp.post("/registrations/remove")
@guarded
@manager_only
def registration_remove():
    """削除 (確認) of the row the screen lists."""
    posted = _posted_row()
    if posted is None:
        return _back_to_shown()
    kind, row, _buyer, version = posted
    return show(REMOVE, customer_id=row.customer_id, kind=kind, row_id=row.id, version=version)


@screen(REMOVE)
def remove_screen(customer_id: int, kind: str, row_id: int, version: int):
    require_manager()
    found = queries.row_of(kind, customer_id, row_id)
    if found is None:
        raise ScreenGone
    row, buyer = found
    return render_screen("staff/registrations/remove.html", customer=_customer(customer_id), kind=kind,
                         label=KINDS[kind], row=row, buyer=buyer, association_name=association_name,
                         countries=masters.countries())  # fmt: skip


@bp.post("/registrations/remove/apply")
@guarded
@manager_only
def registration_remove_apply():
    """「削除する」 (the row as 確認 showed it), or 「戻る」."""
    args = _args()
    found = queries.row_of(args.get("kind"), args.get("customer_id"), args.get("row_id")) if args else None
    if state().screen != REMOVE or found is None:
        return _overview()
    kind, (row, _buyer) = args["kind"], found
    if request.form.get("action") != "apply":
        return _parent_screen(kind, row)
    staff = current_user.staff
    try:
        if kind == "membership":
            queries.remove_membership(row, staff=staff)
        else:
            queries.delete_row(kind, row, args.get("version"), staff=staff)
    except queries.Stale:
        add_message(STALE, level="warning")
        return _parent_screen(kind, row)
    add_message(f"{KINDS[kind]}を削除しました。", level="success")
    return _parent_screen(kind, row)


# --- 登録 of a 組合員資格, a 特約 or a 包括保険契約; a 特約's or contract's detail -------------------------


@bp.post("/registrations/add")
@guarded
@manager_only
def registration_add():
    """組合員資格の追加 / 企業総合保険特約 / 簡易通知型包括保険契約の登録 (入力), for the customer shown."""
    customer_id, kind = _customer_id(), request.form.get("kind")
    if customer_id is None or kind not in ADDED:
        return _overview()
    return show(ADD, customer_id=customer_id, kind=kind, values={})


@screen(ADD)
def add_screen(customer_id: int, kind: str, values: dict, errors: dict | None = None):
    if kind not in ADDED:
        raise ScreenGone
    form = contract_form(kind, customer_id, multidict(values))
    return _form_screen("staff/registrations/add.html", form, customer_id, errors, kind=kind,
                        label=ADDED[kind])  # fmt: skip


def _register(kind: str, customer_id: int, form):
    """What a valid form registers (Taken: registered already, or the 特約番号 meanwhile)."""
    staff = current_user.staff
    if kind == "membership":
        found = queries.add_membership(customer_id, form.product.data, form.association.data, form.joined_on.data,
                                       staff=staff)  # fmt: skip
        add_message(f"組合員資格（{ASSOCIATIONS[form.association.data]}）を登録しました。", level="success")
        return found
    if kind == "blanket":
        values = {name: form[name].data for name in ("starts_on", "ends_on")}
        rates = {name: Decimal(form[name].data) for name in ("post_political", "post_commercial")}
        found = queries.add_blanket(customer_id, values | rates, staff=staff)
        add_message(f"簡易通知型包括保険契約を登録しました。保険証券番号は {found.number} です。", level="success")
        return found
    starts_on, ends_on = form.period()
    departments = [int(key) for key in form.departments.data or []]
    found = queries.add_rider(customer_id, form.number.data, starts_on, ends_on, departments, staff=staff)
    add_message(f"企業総合保険特約 {found.number} を登録しました。", level="success")
    return found


@bp.post("/registrations/add/submit")
@guarded
@manager_only
def registration_add_submit():
    """「登録する」 registers it (checked: 特約番号's format and uniqueness, the 期間, the customer's
    own 部門; a membership held already), or 「戻る」."""
    args = _args()
    customer_id, kind = args.get("customer_id"), args.get("kind")
    if state().screen != ADD or kind not in ADDED or request.form.get("action") == "back":
        return _overview(customer_id)
    form = contract_form(kind, customer_id, request.form)
    values = form.data_for_state()
    if form.validate():
        try:
            found = _register(kind, customer_id, form)
        except queries.Taken:
            if kind == "membership":
                form.association.errors = [MEMBER_TAKEN]
            else:
                form.number.errors = [NUMBER_TAKEN]  # registered meanwhile
        else:
            return _overview(customer_id) if kind == "membership" else _contract(customer_id, kind, found.id)
    return show(ADD, customer_id=customer_id, kind=kind, values=values, errors=form.errors_for_state())


@bp.post("/registrations/contract")
@guarded
@manager_only
def registration_contract():
    """A 特約 or 包括保険契約 of the customer shown, with what is registered under it."""
    customer_id, kind = _customer_id(), request.form.get("kind")
    found = queries.parent(kind, customer_id, bounded_int(request.form.get("contract"), 1))
    if found is None:
        add_message(GONE, level="warning")
        return _overview()
    return _contract(customer_id, kind, found.id)


def _open(kind: str, found) -> bool:
    """Whether rows may still be registered under it (not 満了 / 解約)."""
    return found.state != RiderState.EXPIRED if kind == "rider" else found.state == BlanketState.IN_FORCE


@screen(CONTRACTS["rider"])
@screen(CONTRACTS["blanket"])
def contract_screen(customer_id: int, kind: str, parent_id: int):
    require_manager()
    shown = queries.parent_with_customer(kind, customer_id, parent_id)
    if shown is None:
        raise ScreenGone
    found, customer = shown
    departments = queries.rider_departments(customer_id, found.id).get(found.id, []) if kind == "rider" else []
    return render_screen(f"staff/registrations/{kind}.html", customer=customer, kind=kind,
                         contract=found, departments=departments, rows=queries.rows_under(kind, found.id),
                         row_kind=queries.ROW_KIND[kind], version_of=queries.version_of,
                         countries=masters.countries(), open=_open(kind, found))  # fmt: skip


# --- 企総登録 / 簡易包括登録の追加 ----------------------------------------------------------------------


def _parent_shown():
    args = _args()
    kind = args.get("kind")
    return args.get("customer_id"), kind, queries.parent(kind, args.get("customer_id"), args.get("parent_id"))


@bp.post("/registrations/row/add")
@guarded
@manager_only
def registration_row_add():
    """企総登録 / 簡易包括登録の追加 (入力) under the 特約 / contract shown."""
    customer_id, kind, found = _parent_shown()
    if state().screen not in CONTRACTS.values() or found is None:
        return _overview()
    if not _open(kind, found):
        add_message(ENDED, level="warning")
        return _contract(customer_id, kind, found.id)
    return show(ROW_ADD, customer_id=customer_id, kind=kind, parent_id=found.id, values={})


@screen(ROW_ADD)
def row_add_screen(customer_id: int, kind: str, parent_id: int, values: dict, errors: dict | None = None):
    found = queries.parent(kind, customer_id, parent_id)
    if found is None:
        raise ScreenGone
    return _form_screen("staff/registrations/row_add.html", row_form(kind, multidict(values)), customer_id, errors,
                        kind=kind, contract=found, label=KINDS[queries.ROW_KIND[kind]])  # fmt: skip


@bp.post("/registrations/row/submit")
@guarded
@manager_only
def registration_row_submit():
    """「登録する」 adds the row (the buyer registered, not 削除, not yet under it), or 「戻る」."""
    customer_id, kind, found = _parent_shown()
    if state().screen != ROW_ADD or found is None:
        return _overview(customer_id)
    if request.form.get("action") == "back" or not _open(kind, found):
        return _contract(customer_id, kind, found.id)
    form = row_form(kind)
    values = form.data_for_state()
    if form.validate():
        buyer, staff = form.found, current_user.staff
        try:
            if kind == "rider":
                queries.add_rider_buyer(found, buyer, form.data, staff=staff)
            else:
                queries.add_blanket_row(found, buyer, form.country.data, form.limit_jpy.data, staff=staff)
        except queries.Taken:
            form.buyer.errors = [RIDER_TAKEN if kind == "rider" else BLANKET_TAKEN]
        else:
            add_message(f"{buyer.code} を{KINDS[queries.ROW_KIND[kind]]}しました。", level="success")
            return _contract(customer_id, kind, found.id)
    return show(ROW_ADD, customer_id=customer_id, kind=kind, parent_id=found.id, values=values,
                errors=form.errors_for_state())  # fmt: skip


# --- 保険金支払限度額の変更 (a 企総登録 or a 簡易包括登録) --------------------------------------------------


@bp.post("/registrations/limit")
@guarded
@manager_only
def registration_limit():
    """保険金支払限度額の変更 (入力) of the row the screen lists."""
    posted = _posted_row()
    if posted is None or posted[0] == "membership":
        return _back_to_shown()
    kind, row, _buyer, version = posted
    values = {"limit_jpy": "" if row.limit_jpy is None else str(row.limit_jpy)}
    return show(LIMIT, customer_id=row.customer_id, kind=kind, row_id=row.id, version=version, values=values)


@screen(LIMIT)
def limit_screen(customer_id: int, kind: str, row_id: int, version: int, values: dict, errors: dict | None = None):
    found = queries.row_of(kind, customer_id, row_id) if kind != "membership" else None
    if found is None:
        raise ScreenGone
    row, buyer = found
    form = LimitForm(formdata=multidict(values))
    return _form_screen("staff/registrations/limit.html", form, customer_id, errors, kind=kind, label=KINDS[kind],
                        row=row, buyer=buyer, countries=masters.countries())  # fmt: skip


@bp.post("/registrations/limit/submit")
@guarded
@manager_only
def registration_limit_submit():
    """「変更する」 sets the limit on the row as the screen showed it (blank: no limit), or 「戻る」."""
    args = _args()
    kind = args.get("kind")
    found = queries.row_of(kind, args.get("customer_id"), args.get("row_id")) if state().screen == LIMIT else None
    if found is None or kind == "membership":
        return _overview()
    row, _buyer = found
    if request.form.get("action") == "back":
        return _parent_screen(kind, row)
    form = LimitForm()
    if not form.validate():
        return show(LIMIT, **(args | {"values": form.data_for_state(), "errors": form.errors_for_state()}))
    try:
        queries.set_limit(kind, row, args.get("version"), form.limit_jpy.data, staff=current_user.staff)
    except queries.Stale:
        add_message(STALE, level="warning")
        return _parent_screen(kind, row)
    add_message("保険金支払限度額を変更しました。", level="success")
    return _parent_screen(kind, row)
