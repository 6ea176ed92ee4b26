"""個別保証枠 on the console (S.6), for 管理担当: 個別保証枠の状況 (every buyer with a 個別保証枠 and its
設定額, 使用額, 予約額 and 残高, searched by バイヤーコード, 名称, 国), a buyer's 個別保証枠 with every
customer's 確認 on it and the policies holding its 使用額, and 予約の期限切れ処理 run by hand (確認 →
実行; the daily job, `flask run-daily`, does the same). These buyer-wide amounts are staff only (C.4.1):
no customer screen shows them.

Every view checks the role (`manager_only`) and every screen too (`require_manager`): limits are the
管理担当's area (S.1), and the console marks each action with one role (tests/http/staff/test_roles.py).
The buyer acted on is the one the current screen shows (its state), except the one a list offers.
"""

from flask import current_app, request
from flask_login import current_user

from nexi import limits, masters
from nexi.audit import audit
from nexi.blueprints.staff import bp, limit_queries, menu
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.limit_forms import LimitSearchForm
from nexi.clock import today
from nexi.forms import bounded_int
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL, EXPIRE = "staff.limits", "staff.limit", "staff.limit_expire"
BUYER_DETAIL = "staff.buyer"  # the register's buyer detail (buyers.py), which links here
GONE = "指定された海外商社は見つかりません。"
EXPIRED = "{count}件の確認を期限切れにしました（予約残円は個別保証枠の残高に戻しました）。"
NONE_EXPIRED = "期限切れにする確認はありませんでした。"

menu.add(MANAGER, LIST, "個別保証枠の状況", role=MANAGER, order=22)
menu.add(MANAGER, EXPIRE, "予約の期限切れ処理", role=MANAGER, order=23)


def _shown(name: str, key: str):
    """The argument `key` of the current screen when it is `name`, else None."""
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _page() -> int:
    return bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1


def _empty_criteria() -> dict:
    return {"code": "", "name": "", "country": ""}


def _to_list():
    return show(LIST, criteria=_empty_criteria(), page=1)


# --- 個別保証枠の状況 -------------------------------------------------------------------------------


@bp.post("/limits", endpoint="limits")
@guarded
@manager_only
def limits_list():
    """個別保証枠の状況 (S.6): every buyer with a 個別保証枠, by バイヤーコード."""
    return _to_list()


@bp.post("/limits/search")
@guarded
@manager_only
def limit_search():
    form = LimitSearchForm()
    if not form.validate():
        kept = _shown(LIST, "criteria") or _empty_criteria()
        return show(LIST, criteria=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria(), page=1)


@bp.post("/limits/page")
@guarded
@manager_only
def limit_list_page():
    return show(LIST, criteria=_shown(LIST, "criteria") or _empty_criteria(), page=_page())


@screen(LIST)
def list_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_manager()
    rows, total, page, pages = limit_queries.search(criteria, page, current_app.config["NEXI_PAGE_SIZE"])
    form = LimitSearchForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/limits.html", form=form, rows=rows, total=total, page=page, pages=pages, countries=masters.countries()
    )


# --- a buyer's 個別保証枠 -----------------------------------------------------------------------------


def _back() -> dict:
    """Where 「戻る」 of the detail leads: the buyer detail or the list it was opened from."""
    current = state()
    args = current.screen_args or {}
    if current.screen == BUYER_DETAIL:
        return {"buyer_id": args.get("buyer_id")}
    if current.screen == LIST:
        return {"criteria": args.get("criteria") or _empty_criteria(), "page": args.get("page", 1)}
    if current.screen == DETAIL:
        return args.get("back") or {}
    return {}


@bp.post("/limits/buyer")
@guarded
@manager_only
def limit():
    """個別保証枠の詳細 of the buyer the list (or the buyer detail) offers."""
    buyer_id = bounded_int(request.form.get("buyer"), 1)
    if limit_queries.buyer(buyer_id) is None:
        add_message(GONE, level="warning")
        return _to_list()
    return show(DETAIL, buyer_id=buyer_id, page=1, policy_page=1, back=_back())


def _detail_args() -> dict | None:
    current = state()
    return dict(current.screen_args or {}) if current.screen == DETAIL else None


@bp.post("/limits/buyer/confirmations")
@guarded
@manager_only
def limit_confirmations_page():
    args = _detail_args()
    if args is None:
        return _to_list()
    return show(DETAIL, **(args | {"page": _page()}))


@bp.post("/limits/buyer/policies")
@guarded
@manager_only
def limit_policies_page():
    args = _detail_args()
    if args is None:
        return _to_list()
    return show(DETAIL, **(args | {"policy_page": _page()}))


@bp.post("/limits/buyer/back")
@guarded
@manager_only
def limit_back():
    """「戻る」: to the buyer detail or the list the detail was opened from."""
    back = (_detail_args() or {}).get("back") or {}
    if back.get("buyer_id"):
        return show(BUYER_DETAIL, buyer_id=back["buyer_id"])
    return show(LIST, criteria=back.get("criteria") or _empty_criteria(), page=back.get("page", 1))


@screen(DETAIL)
def detail_screen(buyer_id: int, page: int = 1, policy_page: int = 1, back: dict | None = None):
    require_manager()
    found = limit_queries.buyer(buyer_id)
    if found is None:
        raise ScreenGone
    buyer, held = found
    size = current_app.config["NEXI_PAGE_SIZE"]
    confirmations, confirmation_total, page, pages = limit_queries.confirmations(buyer.id, page, size)
    policies, policy_total, policy_page, policy_pages = limit_queries.policies(buyer.id, policy_page, size)
    return render_screen(
        "staff/limit.html",
        buyer=buyer,
        held=held,
        confirmations=confirmations,
        confirmation_total=confirmation_total,
        page=page,
        pages=pages,
        policies=policies,
        policy_total=policy_total,
        policy_page=policy_page,
        policy_pages=policy_pages,
        countries=masters.countries(),
        today=today(),
        back_label="バイヤー詳細へ戻る" if (back or {}).get("buyer_id") else "個別保証枠の状況へ戻る",
    )


# --- 予約の期限切れ処理: 確認 → 実行 ----------------------------------------------------------------------


@bp.post("/limits/expire")
@guarded
@manager_only
def limit_expire():
    """予約の期限切れ処理（確認）: what the daily job does, run now."""
    return show(EXPIRE)


@screen(EXPIRE)
def expire_screen():
    require_manager()
    day = today()
    return render_screen("staff/limit_expire.html", count=limit_queries.expirable(day), today=day)


@bp.post("/limits/expire/run")
@guarded
@manager_only
def limit_expire_run():
    """「期限切れ処理を実行する」 (or 「戻る」 to the list): open 確認 past their 有効期限 become 期限切れ."""
    if state().screen != EXPIRE:
        return _to_list()
    if request.form.get("action") != "apply":
        return _to_list()
    count = limits.expire(today())
    audit("staff.limits.expired", staff=current_user.staff, after={"count": count})
    add_message(EXPIRED.format(count=count) if count else NONE_EXPIRED, level="success" if count else "info")
    return _to_list()
