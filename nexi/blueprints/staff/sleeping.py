"""The sleeping-buyer cycle on the console (S.5), for 管理担当 only: the dormant buyers (7-5) to
choose from, 公開 of a batch with its 解除申請期限 (the buyers become スリーピング候補 and a draft
お知らせ lists them), the batches published, and after a batch's deadline 削除の実行 of its
candidates without a 完了 B05 (those with one pending are skipped). nexi/register.py writes the
changes and their audit entries; run-daily removes the same way where NEXI_SLEEPING_AUTO_REMOVE is on.

Every view checks the role (`manager_only`) and every screen too (`require_manager`). The buyers
published are those the confirmation showed, still dormant; a batch acted on is the one shown.
"""

from datetime import date

from flask import current_app, request
from flask_login import current_user

from nexi import masters, register
from nexi.blueprints.staff import bp, buyer_queries, menu
from nexi.blueprints.staff.buyer_forms import PublishForm
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.clock import today
from nexi.forms import bounded_int
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.buyers.completion import japanese_day
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

DORMANT, CONFIRM = "staff.sleeping", "staff.sleeping_confirm"
BATCHES, BATCH, REMOVE = "staff.sleeping_batches", "staff.sleeping_batch", "staff.sleeping_remove_confirm"
NONE_CHOSEN = "公開するバイヤーにチェックを入れてください"
NONE_LEFT = "選択したバイヤーは、すでにスリーピング候補でないか、最近の取引があるため公開しませんでした。"
NOT_YET = "解除申請期限（{day}）を過ぎるまで、削除は実行できません。"
NOTHING = "このバッチに削除の対象となるスリーピング候補はありません。"

# The confirmation lists this many of the buyers to publish (all of them go into the batch): a
# first run may find thousands, and the page stays a capped list.
CONFIRM_SHOWN = 200

menu.add(MANAGER, DORMANT, "スリーピング候補の抽出・公開", role=MANAGER, order=30)
menu.add(MANAGER, BATCHES, "スリーピング候補の公開履歴・削除の実行", role=MANAGER, order=31)


def _shown(name: str, key: str):
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _page() -> int:
    return bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1


def _defaults() -> dict:
    return {"scope": "selected", "release_deadline": register.default_release_deadline().isoformat()}


# --- スリーピング候補の抽出 → 公開 ------------------------------------------------------------------


@bp.post("/sleeping")
@guarded
@manager_only
def sleeping():
    """スリーピング候補の抽出: the buyers without activity for NEXI_SLEEPING_MONTHS."""
    return show(DORMANT, page=1, values=_defaults())


@bp.post("/sleeping/page")
@guarded
@manager_only
def sleeping_page():
    values = _shown(DORMANT, "values") or _defaults()
    return show(DORMANT, page=_page(), values=values)


@screen(DORMANT)
def dormant_screen(page: int, values: dict, errors: dict | None = None, chosen: list | None = None):
    require_manager()
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page, pages = buyer_queries.dormant(page, size)
    form = PublishForm(formdata=multidict(values))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/sleeping.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        chosen=set(chosen or []),
        threshold=register.dormancy_threshold(),
        months=current_app.config["NEXI_SLEEPING_MONTHS"],
        countries=masters.countries(),
    )


@bp.post("/sleeping/check")
@guarded
@manager_only
def sleeping_check():
    """The buyers chosen and the deadline checked, then the confirmation of 公開."""
    page = _shown(DORMANT, "page")
    if page is None:
        return show(DORMANT, page=1, values=_defaults())
    form = PublishForm()
    values = form.data_for_state()
    posted = [bounded_int(value, 1) for value in request.form.getlist("buyer")]
    chosen = [buyer_id for buyer_id in posted if buyer_id is not None]
    valid = form.validate()
    if valid and form.scope.data == "selected" and not chosen:
        form.scope.errors = [NONE_CHOSEN]
        valid = False
    if not valid:
        return show(DORMANT, page=page, values=values, errors=form.errors_for_state(), chosen=chosen)
    # Only buyers that are dormant now: an id the list did not offer finds nothing.
    ids = buyer_queries.dormant_ids(None if form.scope.data == "all" else chosen)
    if not ids:
        add_message(NONE_LEFT, level="warning")
        return show(DORMANT, page=page, values=values)
    return show(CONFIRM, ids=ids, deadline=form.release_deadline.data.isoformat(), page=page, values=values)


@screen(CONFIRM)
def confirm_screen(ids: list, deadline: str, page: int, values: dict):
    require_manager()
    return render_screen(
        "staff/sleeping_confirm.html",
        rows=buyer_queries.buyers(ids[:CONFIRM_SHOWN]),
        total=len(ids),
        deadline=date.fromisoformat(deadline),
        countries=masters.countries(),
    )


@bp.post("/sleeping/publish")
@guarded
@manager_only
def sleeping_publish():
    """「公開する」: the batch, its candidates and its draft お知らせ (or 「戻る」 to the list)."""
    current = state()
    args = current.screen_args or {}
    if current.screen != CONFIRM:
        return show(DORMANT, page=1, values=_defaults())
    if request.form.get("action") != "submit":
        return show(DORMANT, page=args.get("page", 1), values=args.get("values") or _defaults())
    deadline = date.fromisoformat(args["deadline"])
    if deadline <= today():  # the day turned while the confirmation was open
        errors = {"release_deadline": ["解除申請期限は明日以降の日付を入力してください"]}
        return show(DORMANT, page=args.get("page", 1), values=args.get("values") or _defaults(), errors=errors)
    try:
        batch = register.publish(args.get("ids") or [], deadline, staff=current_user.staff)
    except register.Stale:
        add_message(NONE_LEFT, level="warning")
        return show(DORMANT, page=1, values=_defaults())
    add_message(
        f"{batch.buyer_count}件のバイヤーをスリーピング候補として公開しました（解除申請期限 {japanese_day(deadline)}）。"
        "お知らせの下書きを作成しました。「お知らせ管理」で内容を確認して公開してください。",
        level="success",
    )
    return show(BATCH, batch_id=batch.id, page=1)


# --- 公開履歴 → バッチ → 削除の実行 ------------------------------------------------------------------


@bp.post("/sleeping/batches")
@guarded
@manager_only
def sleeping_batches():
    """スリーピング候補の公開履歴: every batch, newest first."""
    return show(BATCHES, page=1)


@bp.post("/sleeping/batches/page")
@guarded
@manager_only
def sleeping_batches_page():
    return show(BATCHES, page=_page())


@screen(BATCHES)
def batches_screen(page: int = 1):
    require_manager()
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page, pages = buyer_queries.batches(page, size)
    return render_screen("staff/sleeping_batches.html", rows=rows, total=total, page=page, pages=pages, today=today())


@bp.post("/sleeping/batch")
@guarded
@manager_only
def sleeping_batch():
    """公開バッチの詳細 (of a batch the list offers)."""
    batch_id = bounded_int(request.form.get("batch"), 1)
    if batch_id is None or buyer_queries.batch(batch_id) is None:
        return show(BATCHES, page=1)
    return show(BATCH, batch_id=batch_id, page=1)


@bp.post("/sleeping/batch/page")
@guarded
@manager_only
def sleeping_batch_page():
    batch_id = _shown(BATCH, "batch_id")
    if batch_id is None:
        return show(BATCHES, page=1)
    return show(BATCH, batch_id=batch_id, page=_page())


def _batch(batch_id):
    found = buyer_queries.batch(batch_id)
    if found is None:
        raise ScreenGone
    return found


@screen(BATCH)
def batch_screen(batch_id: int, page: int = 1):
    require_manager()
    batch, remaining = _batch(batch_id)
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page, pages = buyer_queries.batch_buyers(batch.id, page, size)
    return render_screen(
        "staff/sleeping_batch.html",
        batch=batch,
        remaining=remaining,
        removable=register.removable(batch) and remaining > 0,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        countries=masters.countries(),
    )


@bp.post("/sleeping/remove")
@guarded
@manager_only
def sleeping_remove():
    """削除の実行 (確認) of the batch shown, or of the one whose button the list offers: only
    after its 解除申請期限."""
    current = state()
    if current.screen == BATCHES:
        batch_id = bounded_int(request.form.get("batch"), 1)
    else:
        batch_id = _shown(BATCH, "batch_id")
    found = buyer_queries.batch(batch_id)
    if found is None:
        return show(BATCHES, page=1)
    batch, remaining = found
    if not register.removable(batch):
        add_message(NOT_YET.format(day=japanese_day(batch.release_deadline)), level="warning")
        return show(BATCH, batch_id=batch.id, page=1)
    if not remaining:
        add_message(NOTHING, level="warning")
        return show(BATCH, batch_id=batch.id, page=1)
    return show(REMOVE, batch_id=batch.id)


@screen(REMOVE)
def remove_screen(batch_id: int):
    require_manager()
    batch, remaining = _batch(batch_id)
    return render_screen("staff/sleeping_remove_confirm.html", batch=batch, remaining=remaining)


@bp.post("/sleeping/remove/apply")
@guarded
@manager_only
def sleeping_remove_apply():
    """「削除を実行する」 (or 「戻る」 to the batch)."""
    batch_id = _shown(REMOVE, "batch_id")
    found = buyer_queries.batch(batch_id)
    if found is None:
        return show(BATCHES, page=1)
    batch, _remaining = found
    if request.form.get("action") != "apply":
        return show(BATCH, batch_id=batch.id, page=1)
    if not register.removable(batch):
        add_message(NOT_YET.format(day=japanese_day(batch.release_deadline)), level="warning")
        return show(BATCH, batch_id=batch.id, page=1)
    removed, skipped = register.remove(batch, staff=current_user.staff)
    message = f"{removed}件のスリーピング候補を海外商社名簿から削除しました。"
    if skipped:
        message += f"解除申請（B05）の審査中の{skipped}件は削除せず、スリーピング候補のままにしました。"
    add_message(message, level="success")
    return show(BATCH, batch_id=batch.id, page=1)
