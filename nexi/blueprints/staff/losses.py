"""事故の状況 on the console (S.9), for 審査担当: the 事故 of every customer (searched by 事故番号,
保険利用者コード or 状況, paged), a 事故's detail, and on the 事故 shown 「請求済にする」 (from 受理 or
請求可能, with the 請求日) and 「支払済にする」 (from 請求済, with the 支払日 and 支払保険金額) — each
入力 (on the detail) → 確認 → the detail again with what was done.

審査担当, not 管理担当: claims are case work, as the review of applications is (S.1); the masters
and limits of S.6 / S.9 are the 管理担当's. Every view checks the role (`reviewer_only`) and every
screen too (`require_reviewer`). An action is for the 事故 the current screen shows (its state),
taken on the version that screen showed (posted with it, as the review does): one taken meanwhile
by someone else refuses it with 「他の担当者が先に処理しました」 (nexi/blueprints/staff/loss_queries.py).
"""

from flask import current_app, request
from flask_login import current_user

from nexi.blueprints.staff import bp, loss_queries, menu
from nexi.blueprints.staff.console import require_reviewer, reviewer_only
from nexi.blueprints.staff.loss_forms import ClaimForm, LossSearchForm, PayForm
from nexi.clock import today
from nexi.forms import bounded_int
from nexi.models.staff import REVIEWER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import confirm_rows, multidict
from nexi.rendering import add_message, render_screen
from nexi.review import RACED

LIST, DETAIL, CONFIRM = "staff.losses", "staff.loss", "staff.loss_confirm"
FORMS = {"claim": ClaimForm, "pay": PayForm}
GONE = "指定された事故は見つかりません。"
WRONG_STATE = "状況が「{state}」の事故は「{label}」ことはできません。最新の状況を表示しています。"
DONE = {"claim": "事故 {number} を請求済にしました。", "pay": "事故 {number} を支払済にしました。"}

menu.add(REVIEWER, LIST, "事故の状況（請求済・支払済）", role=REVIEWER, order=20)


def _args(name: str) -> dict | None:
    """The arguments of the current screen when it is `name`, else None."""
    current = state()
    return dict(current.screen_args or {}) if current.screen == name else None


def _empty() -> dict:
    return {"number": "", "customer_code": "", "state": ""}


def _to_list(back: dict | None = None):
    back = back or {}
    return show(LIST, criteria=back.get("criteria") or _empty(), page=back.get("page", 1))


def _found(loss_id):
    found = loss_queries.get(loss_id)
    if found is None:
        raise ScreenGone
    return found


# --- 事故の一覧 -------------------------------------------------------------------------------------


@bp.post("/losses")
@guarded
@reviewer_only
def losses():
    """事故の状況 (S.9): the 事故 of every customer, newest 事故番号 first."""
    return _to_list()


@bp.post("/losses/search")
@guarded
@reviewer_only
def loss_search():
    form = LossSearchForm()
    if not form.validate():
        kept = (_args(LIST) or {}).get("criteria") or _empty()
        return show(LIST, criteria=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria(), page=1)


@bp.post("/losses/page")
@guarded
@reviewer_only
def loss_page():
    criteria = (_args(LIST) or {}).get("criteria") or _empty()
    return show(LIST, criteria=criteria, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_reviewer()
    rows, total, page, pages = loss_queries.search(criteria, page, current_app.config["NEXI_PAGE_SIZE"])
    form = LossSearchForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen("staff/losses.html", form=form, rows=rows, total=total, page=page, pages=pages)


# --- 事故の詳細 and its actions: 入力 (on the detail) → 確認 → the detail ---------------------------------


@bp.post("/losses/detail")
@guarded
@reviewer_only
def loss():
    """事故の詳細 (of a 事故 the list offers)."""
    listed = _args(LIST) or {}
    found = loss_queries.get(bounded_int(request.form.get("loss"), 1))
    if found is None:
        add_message(GONE, level="warning")
        return _to_list(listed)
    back = {"criteria": listed.get("criteria") or _empty(), "page": listed.get("page", 1)}
    return show(DETAIL, loss_id=found.loss.id, back=back)


@bp.post("/losses/back")
@guarded
@reviewer_only
def loss_back():
    """「事故の一覧へ戻る」: the list as the detail was opened from it."""
    return _to_list((_args(DETAIL) or _args(CONFIRM) or {}).get("back"))


def _defaults(key: str) -> dict:
    return {"claimed_on": today().isoformat()} if key == "claim" else {"paid_on": today().isoformat()}


@screen(DETAIL)
def detail_screen(loss_id: int, back: dict | None = None, values: dict | None = None, errors: dict | None = None):
    require_reviewer()
    found = _found(loss_id)
    action = loss_queries.offered(found.loss)
    form = None
    if action is not None:
        form = FORMS[action.key](formdata=multidict(values if values is not None else _defaults(action.key)))
        form.restore_errors(errors or {})
    return render_screen("staff/loss.html", found=found, action=action, form=form)


@bp.post("/losses/action")
@guarded
@reviewer_only
def loss_action():
    """「確認へ進む」 on the detail: the action offered, checked against the 事故 as it is now."""
    args = _args(DETAIL)
    found = loss_queries.get((args or {}).get("loss_id"))
    if found is None:
        add_message(GONE, level="warning")
        return _to_list((args or {}).get("back"))
    loss, back = found.loss, args.get("back")
    action = loss_queries.ACTIONS.get(request.form.get("action"))
    version = bounded_int(request.form.get("version"), 0, 2**31 - 1)
    if action is None or version is None:
        return show(DETAIL, loss_id=loss.id, back=back)
    if version != loss.version:  # changed since the detail was shown: by another staff member, the daily job
        add_message(RACED, level="warning")
        return show(DETAIL, loss_id=loss.id, back=back)
    if loss.state not in action.sources:
        add_message(WRONG_STATE.format(state=loss.state, label=action.label), level="warning")
        return show(DETAIL, loss_id=loss.id, back=back)
    form = FORMS[action.key]()
    form.loss = loss
    values = form.data_for_state()
    if not form.validate():
        return show(DETAIL, loss_id=loss.id, back=back, values=values, errors=form.errors_for_state())
    return show(CONFIRM, loss_id=loss.id, action=action.key, values=values, loss_state=loss.state, version=version,
                back=back)  # fmt: skip


@screen(CONFIRM)
def confirm_screen(loss_id: int, action: str, values: dict, loss_state: str, version: int, back: dict | None = None):
    require_reviewer()
    if action not in FORMS:
        raise ScreenGone
    found = _found(loss_id)
    rows = confirm_rows(FORMS[action](formdata=multidict(values)))
    return render_screen("staff/loss_confirm.html", found=found, action=loss_queries.ACTIONS[action], rows=rows)


@bp.post("/losses/apply")
@guarded
@reviewer_only
def loss_apply():
    """「実行する」 sets the 状況 (its input checked again), or 「修正する」 goes back to the detail."""
    args = _args(CONFIRM)
    if args is None or args.get("action") not in FORMS:
        return _to_list()
    found, back = loss_queries.get(args.get("loss_id")), args.get("back")
    if found is None:
        add_message(GONE, level="warning")
        return _to_list(back)
    loss, values = found.loss, args.get("values") or {}
    if request.form.get("action") != "apply":
        return show(DETAIL, loss_id=loss.id, back=back, values=values)
    action = loss_queries.ACTIONS[args["action"]]
    form = FORMS[action.key](formdata=multidict(values))
    form.loss = loss
    if not form.validate():  # the day moved on, or the 事故 changed, since 確認
        return show(DETAIL, loss_id=loss.id, back=back, values=values, errors=form.errors_for_state())
    day = form.claimed_on.data if action.key == "claim" else form.paid_on.data
    paid = form.paid_jpy.data if action.key == "pay" else None
    try:
        loss_queries.apply(loss, action, args.get("loss_state"), args.get("version"), current_user.staff, on=day,
                           paid_jpy=paid)  # fmt: skip
    except loss_queries.Conflict as conflict:
        add_message(str(conflict), level="warning")
        return show(DETAIL, loss_id=loss.id, back=back)
    add_message(DONE[action.key].format(number=loss.number), level="success")
    return show(DETAIL, loss_id=loss.id, back=back)
