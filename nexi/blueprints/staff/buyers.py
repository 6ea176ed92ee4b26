"""海外商社名簿 on the console (S.4), for 管理担当 only: バイヤー検索 of the whole register (and its
CSV), a buyer's detail with its rating history, 直接登録, and on the buyer shown 格付の変更,
設定額の変更 and 削除 — each 入力 → 確認, then the detail again with what was done. nexi/register.py
writes the changes and their audit entries (before / after).

Every view checks the role (`manager_only`) and every screen too (`require_manager`). A change is
for the buyer the current screen shows (its state), never an id posted with the action.
"""

from flask import current_app, request
from flask_login import current_user

from nexi import masters, register
from nexi.blueprints.staff import bp, buyer_queries, menu
from nexi.blueprints.staff.buyer_forms import (
    AcknowledgeForm,
    BuyerAddForm,
    BuyerSearchForm,
    DeleteForm,
    LimitForm,
    RatingForm,
    add_warnings,
)
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.status import downloads
from nexi.clock import today
from nexi.forms import bounded_int
from nexi.models import BuyerStatus
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, readonly, screen, show, state
from nexi.procedures.state import confirm_rows, multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "staff.buyers", "staff.buyer"
CHANGE, CHANGE_CONFIRM = "staff.buyer_change", "staff.buyer_change_confirm"
ADD, ADD_CONFIRM = "staff.buyer_add", "staff.buyer_add_confirm"
ACTIONS = {"rate": "格付の変更", "limit": "設定額の変更", "delete": "削除"}
FORMS = {"rate": RatingForm, "limit": LimitForm, "delete": DeleteForm}
DONE = {
    "rate": "格付を変更しました（格付の履歴に記録しました）。",
    "limit": "個別保証枠の設定額を変更しました。",
    "delete": "海外商社名簿から削除しました。",
}
GONE = "指定された海外商社は見つかりません。"
STALE = "この海外商社は、表示したあとに削除または変更されたため、変更しませんでした。内容を確認してください。"
FLOOR = "設定額は使用額と予約額の合計（{amount:,}円）以上で入力してください"
NO_LIMIT = "格付{rating}の海外商社には個別保証枠を設定しません。必要なときは格付を変更してください。"

menu.add(MANAGER, LIST, "海外商社名簿（バイヤー検索・直接登録）", role=MANAGER, order=20)


def _shown(name: str, key: str = "buyer_id"):
    """The argument `key` of the current screen when it is `name`, else None."""
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _buyer(buyer_id):
    buyer = buyer_queries.get(buyer_id)
    if buyer is None:
        raise ScreenGone
    return buyer


def _empty_criteria() -> dict:
    return {"code": "", "name": "", "country": "", "rating": "", "status": ""}


# --- バイヤー検索 -----------------------------------------------------------------------------------


@bp.post("/buyers")
@guarded
@manager_only
def buyers():
    """バイヤー検索: the whole register, by バイヤーコード."""
    return show(LIST, criteria=_empty_criteria(), page=1)


@bp.post("/buyers/search")
@guarded
@manager_only
def buyer_search():
    form = BuyerSearchForm()
    if not form.validate():
        kept = _shown(LIST, "criteria") or _empty_criteria()
        return show(LIST, criteria=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria(), page=1)


@bp.post("/buyers/page")
@guarded
@manager_only
def buyer_page():
    criteria = _shown(LIST, "criteria") or _empty_criteria()
    return show(LIST, criteria=criteria, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_manager()
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page, pages = buyer_queries.search(criteria, page, size)
    form = BuyerSearchForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/buyers.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        countries=masters.countries(),
    )


@bp.post("/buyers/csv")
@readonly
@manager_only
def buyer_csv():
    """バイヤー検索のCSV (C.7): every buyer the current search finds, 設定額 included (staff only)."""
    criteria = _shown(LIST, "criteria") or _empty_criteria()
    return downloads.table_csv(buyer_queries.CSV_COLUMNS, buyer_queries.csv_lines(criteria), "buyers.csv")


# --- バイヤー詳細 -----------------------------------------------------------------------------------


@bp.post("/buyers/detail")
@guarded
@manager_only
def buyer():
    """バイヤー詳細 (of a buyer the list or another buyer's detail offers)."""
    buyer_id = bounded_int(request.form.get("buyer"), 1)
    if buyer_id is None or buyer_queries.get(buyer_id) is None:
        add_message(GONE, level="warning")
        return show(LIST, criteria=_empty_criteria(), page=1)
    return show(DETAIL, buyer_id=buyer_id)


@screen(DETAIL)
def detail_screen(buyer_id: int):
    require_manager()
    buyer = _buyer(buyer_id)
    head, linked = buyer_queries.relatives(buyer)
    return render_screen(
        "staff/buyer.html",
        buyer=buyer,
        head=head,
        linked=linked,
        history=buyer_queries.history(buyer),
        countries=masters.countries(),
        needs_limit=buyer.rating in register.NEEDS_LIMIT,
        deleted=buyer.status == BuyerStatus.DELETED,
    )


# --- 格付の変更, 設定額の変更, 削除: 入力 → 確認 → the detail --------------------------------------------


def _defaults(buyer, action: str) -> dict:
    if action == "rate":
        limit = "" if buyer.limit_amount is None else str(buyer.limit_amount)
        return {"rating": buyer.rating, "rated_on": today().isoformat(), "limit_amount": limit}
    if action == "limit":
        return {"limit_amount": "" if buyer.limit_amount is None else str(buyer.limit_amount)}
    return {}


def _refusal(buyer, action: str) -> str | None:
    """Why the action is not offered for this buyer, or None."""
    if buyer.status == BuyerStatus.DELETED:
        return "削除済みの海外商社は変更できません。"
    if action == "limit" and buyer.rating not in register.NEEDS_LIMIT:
        return NO_LIMIT.format(rating=buyer.rating)
    return None


@bp.post("/buyers/change")
@guarded
@manager_only
def buyer_change():
    """格付の変更 / 設定額の変更 / 削除 (入力) of the buyer shown."""
    buyer_id, action = _shown(DETAIL), request.form.get("action")
    buyer = buyer_queries.get(buyer_id)
    if buyer is None or action not in ACTIONS:
        return show(LIST, criteria=_empty_criteria(), page=1)
    refused = _refusal(buyer, action)
    if refused:
        add_message(refused, level="warning")
        return show(DETAIL, buyer_id=buyer.id)
    # The buyer as it is now goes with the change: applied only if no one changed it meanwhile.
    return show(
        CHANGE, buyer_id=buyer.id, action=action, values=_defaults(buyer, action), shown=register.version(buyer)
    )


def _changing():
    """(buyer, action, values, shown: the buyer's version when the change began) of the current
    入力 or 確認 screen, or None."""
    current = state()
    if current.screen not in (CHANGE, CHANGE_CONFIRM):
        return None
    args = current.screen_args or {}
    buyer = buyer_queries.get(args.get("buyer_id"))
    if buyer is None or args.get("action") not in ACTIONS:
        return None
    return buyer, args["action"], args.get("values") or {}, args.get("shown")


def _floor_problem(form, buyer) -> bool:
    """設定額 never below 使用額 + 予約額 (S.4): the message goes next to the amount."""
    floor = register.committed(buyer)
    if form.limit_amount.data is not None and form.limit_amount.data < floor:
        form.limit_amount.errors = [FLOOR.format(amount=floor)]
        return True
    return False


def _checked(form, buyer, action: str) -> bool:
    if not form.validate():
        return False
    if action == "limit" or (action == "rate" and form.rating.data in register.NEEDS_LIMIT):
        return not _floor_problem(form, buyer)
    return True


@screen(CHANGE)
def change_screen(buyer_id: int, action: str, values: dict, errors: dict | None = None, shown: dict | None = None):
    require_manager()
    buyer = _buyer(buyer_id)
    form = FORMS[action](formdata=multidict(values))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/buyer_change.html",
        form=form,
        buyer=buyer,
        action=action,
        label=ACTIONS[action],
        committed=register.committed(buyer),
        countries=masters.countries(),
    )


@bp.post("/buyers/change/check")
@guarded
@manager_only
def buyer_change_check():
    """The input checked, then its confirmation (or 「戻る」 to the buyer)."""
    changing = _changing()
    if changing is None or state().screen != CHANGE:
        return show(LIST, criteria=_empty_criteria(), page=1)
    buyer, action, _values, shown = changing
    if request.form.get("action") == "back":
        return show(DETAIL, buyer_id=buyer.id)
    form = FORMS[action]()
    values = form.data_for_state()
    if not _checked(form, buyer, action):
        errors = form.errors_for_state()
        return show(CHANGE, buyer_id=buyer.id, action=action, values=values, errors=errors, shown=shown)
    return show(CHANGE_CONFIRM, buyer_id=buyer.id, action=action, values=values, shown=shown)


@screen(CHANGE_CONFIRM)
def change_confirm_screen(buyer_id: int, action: str, values: dict, shown: dict | None = None):
    require_manager()
    buyer = _buyer(buyer_id)
    form = FORMS[action](formdata=multidict(values))
    return render_screen(
        "staff/buyer_change_confirm.html",
        buyer=buyer,
        action=action,
        label=ACTIONS[action],
        rows=confirm_rows(form),
        countries=masters.countries(),
    )


@bp.post("/buyers/change/apply")
@guarded
@manager_only
def buyer_change_apply():
    """「実行する」 applies the change (checked again), or 「修正する」 goes back to the input."""
    changing = _changing()
    if changing is None or state().screen != CHANGE_CONFIRM:
        return show(LIST, criteria=_empty_criteria(), page=1)
    buyer, action, values, shown = changing
    if request.form.get("action") != "apply":
        return show(CHANGE, buyer_id=buyer.id, action=action, values=values, shown=shown)
    form = FORMS[action](formdata=multidict(values))
    refused = _refusal(buyer, action)
    if refused:
        add_message(refused, level="warning")
        return show(DETAIL, buyer_id=buyer.id)
    if shown is not None and register.version(buyer) != shown:  # changed by someone else since 入力
        add_message(STALE, level="warning")
        return show(DETAIL, buyer_id=buyer.id)
    if not _checked(form, buyer, action):  # 使用額 or 予約額 may have grown meanwhile
        errors = form.errors_for_state()
        return show(CHANGE, buyer_id=buyer.id, action=action, values=values, errors=errors, shown=shown)
    staff = current_user.staff
    try:
        if action == "rate":
            register.rerate(
                buyer, form.rating.data, form.rated_on.data, form.reason.data, form.limit_amount.data, staff=staff
            )
        elif action == "limit":
            register.set_limit(buyer, form.limit_amount.data, staff=staff)
        else:
            register.delete(buyer, form.reason.data, staff=staff)
    except register.Stale:
        add_message(STALE, level="warning")
        return show(DETAIL, buyer_id=buyer.id)
    except ValueError:  # 使用額 or 予約額 grew after the check (an approval): judged again under the lock
        _floor_problem(form, buyer)
        errors = form.errors_for_state()
        return show(CHANGE, buyer_id=buyer.id, action=action, values=values, errors=errors, shown=shown)
    add_message(DONE[action], level="success")
    return show(DETAIL, buyer_id=buyer.id)


# --- 直接登録: 入力 → 確認 → the new buyer's detail --------------------------------------------------


@bp.post("/buyers/add")
@guarded
@manager_only
def buyer_add():
    """直接登録 (入力): a buyer NEXI registers itself (a request by phone or on paper)."""
    return show(ADD, values={"office_type": "head", "rated_on": today().isoformat()})


@screen(ADD)
def add_screen(values: dict, errors: dict | None = None):
    require_manager()
    form = BuyerAddForm(formdata=multidict(values))
    form.restore_errors(errors or {})
    return render_screen("staff/buyer_add.html", form=form)


@bp.post("/buyers/add/check")
@guarded
@manager_only
def buyer_add_check():
    """直接登録: the input checked, then its confirmation (or 「戻る」 to the search)."""
    if state().screen != ADD:
        return show(LIST, criteria=_empty_criteria(), page=1)
    if request.form.get("action") == "back":
        return show(LIST, criteria=_empty_criteria(), page=1)
    form = BuyerAddForm()
    values = form.data_for_state()
    if not form.validate():
        return show(ADD, values=values, errors=form.errors_for_state())
    return show(ADD_CONFIRM, values=values)


@screen(ADD_CONFIRM)
def add_confirm_screen(values: dict, errors: dict | None = None):
    require_manager()
    warnings = add_warnings(values)
    form = AcknowledgeForm(formdata=None) if warnings else None
    if form is not None:
        form.restore_errors(errors or {})
    rows = confirm_rows(BuyerAddForm(formdata=multidict(values)))
    return render_screen("staff/buyer_add_confirm.html", rows=rows, warnings=warnings, form=form)


@bp.post("/buyers/add/submit")
@guarded
@manager_only
def buyer_add_submit():
    """直接登録: 「登録する」 registers the buyer with the next code of its country (「修正する」: back)."""
    values = _shown(ADD_CONFIRM, "values")
    if values is None:
        return show(LIST, criteria=_empty_criteria(), page=1)
    if request.form.get("action") != "submit":
        return show(ADD, values=values)
    form = BuyerAddForm(formdata=multidict(values))
    if not form.validate():  # the head office may have been deleted meanwhile
        return show(ADD, values=values, errors=form.errors_for_state())
    if add_warnings(values):
        acknowledged = AcknowledgeForm()
        if not acknowledged.validate():
            return show(ADD_CONFIRM, values=values, errors=acknowledged.errors_for_state())
    buyer = register.register_direct(form.columns(), staff=current_user.staff)
    add_message(f"バイヤーコード {buyer.code} で海外商社名簿に登録しました。", level="success")
    return show(DETAIL, buyer_id=buyer.id)
