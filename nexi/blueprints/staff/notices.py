"""お知らせ管理 (S.7), for 管理担当 only: every notice (drafts and withdrawn ones too), a new one or
a change (入力 → 確認 → saved as 下書き or to publish), 公開 of a draft and 掲載取消, each confirmed
and audited with the values before and after (nexi/notices.py writes them).

Every view checks the role (`manager_only`) and every screen too (`require_manager`). The notice
acted on is the one the current screen shows; from the list, a posted id is taken only when the
list is the current screen, bounded and found. A change saves over exactly the version the
screens showed: saved or withdrawn meanwhile by someone else, nothing is written and the staff
member is told so.
"""

from flask import current_app, request
from flask_login import current_user

from nexi import notices
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.notice_forms import NoticeForm
from nexi.clock import JST, now
from nexi.forms import bounded_int
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL, EDIT, CONFIRM = "staff.notices", "staff.notice", "staff.notice_edit", "staff.notice_confirm"
ACT, DONE = "staff.notice_act", "staff.notice_done"
ACTIONS = {"publish": "公開", "withdraw": "掲載取消"}
# How a notice is saved from 確認: a new notice or a draft either way, a published one as it is.
SAVES = {"draft": "下書きとして保存する", "publish": "掲載する"}
GONE = "指定されたお知らせは見つかりません。"
WITHDRAWN = "掲載を取り消したお知らせは編集できません。"
CHANGED = (
    "このお知らせは、表示したあとに他の職員が変更したか掲載を取り消したため、保存しませんでした。"
    "最新の内容を確認してから、もう一度操作してください。"
)
DONE_MESSAGES = {
    "created": "お知らせを登録しました。",
    "drafted": "お知らせを下書きとして保存しました（お客様には表示されません）。",
    "updated": "お知らせの変更を保存しました。",
    "published_edit": "お知らせの変更を保存して公開しました。",
    "publish": "お知らせを公開しました。",
    "withdraw": "お知らせの掲載を取り消しました。お客様の画面には表示されなくなります。",
}

menu.add(MANAGER, "staff.notice_list", "お知らせ管理", role=MANAGER, order=60)


def _shown(name: str, key: str = "notice_id"):
    """The argument `key` of the current screen when it is `name`, else None."""
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _notice(notice_id):
    notice = notices.get(notice_id)
    if notice is None:
        raise ScreenGone
    return notice


def _target():
    """The notice an action is for: on the list, the one whose button was posted (bounded, found);
    on a notice's own screen (詳細, 完了), that notice; elsewhere none."""
    current = state()
    if current.screen == LIST:
        notice_id = bounded_int(request.form.get("notice"), 1)
        return notices.get(notice_id) if notice_id is not None else None
    if current.screen in (DETAIL, DONE):
        return notices.get((current.screen_args or {}).get("notice_id"))
    return None


def _values(notice) -> dict:
    """The form's values of a saved notice, its times in JST as they are typed."""

    def typed(moment):
        return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M") if moment else ""

    return {
        "title": notice.title,
        "body": notice.body,
        "category": notice.category,
        "publish_at": typed(notice.publish_at),
        "expire_at": typed(notice.expire_at),
    }


# --- 一覧 and 詳細 -----------------------------------------------------------------------------


@bp.post("/notices")
@guarded
@manager_only
def notice_list():
    """お知らせ管理: every notice, newest 掲載開始 first."""
    return show(LIST, page=1)


@bp.post("/notices/page")
@guarded
@manager_only
def notice_page():
    """A page of the notices."""
    return show(LIST, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(page: int = 1):
    require_manager()
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page = notices.all_notices(page, size)
    moment = now()
    return render_screen(
        "staff/notices.html",
        rows=rows,
        statuses={row.id: notices.status(row, moment) for row in rows},
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        first=(page - 1) * size + 1,
        draft=notices.DRAFT,
    )


@bp.post("/notices/detail")
@guarded
@manager_only
def notice_detail():
    """お知らせ詳細 (of a notice the list shows)."""
    notice = _target()
    if notice is None:
        return show(LIST, page=_shown(LIST, "page") or 1)
    return show(DETAIL, notice_id=notice.id)


@screen(DETAIL)
def detail_screen(notice_id: int):
    require_manager()
    notice = _notice(notice_id)
    return render_screen("staff/notice.html", notice=notice, status=notices.status(notice, now()))


# --- 登録 and 編集: 入力 → 確認 → 完了 ------------------------------------------------------------


@bp.post("/notices/new")
@guarded
@manager_only
def notice_new():
    """お知らせの登録 (入力): 掲載開始日時 filled with the current time."""
    start = now().astimezone(JST).strftime("%Y-%m-%d %H:%M")
    return show(EDIT, notice_id=None, values={"publish_at": start}, version=None)


@bp.post("/notices/edit")
@guarded
@manager_only
def notice_edit():
    """お知らせの編集 (入力), the saved values filled in; not for a withdrawn notice."""
    notice = _target()
    if notice is None:
        add_message(GONE, level="warning")
        return show(LIST, page=1)
    if notice.withdrawn_at is not None:
        add_message(WITHDRAWN, level="warning")
        return show(DETAIL, notice_id=notice.id)
    return show(EDIT, notice_id=notice.id, values=_values(notice), version=notices.version(notice))


def _editing() -> dict | None:
    """The arguments of the current 入力 or 確認 screen (the notice, its version, the values)."""
    current = state()
    if current.screen not in (EDIT, CONFIRM):
        return None
    args = current.screen_args or {}
    return {"notice_id": args.get("notice_id"), "version": args.get("version"), "values": args.get("values") or {}}


def _editable(editing: dict):
    """The notice being changed (None for a new one); ScreenGone when it is gone or withdrawn."""
    if editing["notice_id"] is None:
        return None
    notice = _notice(editing["notice_id"])
    if notice.withdrawn_at is not None:
        raise ScreenGone
    return notice


@screen(EDIT)
def edit_screen(notice_id: int | None, values: dict, version: str | None, errors: dict | None = None):
    require_manager()
    notice = _editable({"notice_id": notice_id})
    form = NoticeForm(formdata=multidict(values))
    form.restore_errors(errors or {})
    return render_screen("staff/notice_edit.html", form=form, notice=notice)


@bp.post("/notices/check")
@guarded
@manager_only
def notice_check():
    """入力 checked, then its 確認 (or 「戻る」: the list, or the notice being changed)."""
    editing = _editing()
    if editing is None or state().screen != EDIT:
        return show(LIST, page=1)
    if request.form.get("action") == "back":
        if editing["notice_id"] is None:
            return show(LIST, page=1)
        return show(DETAIL, notice_id=editing["notice_id"])
    form = NoticeForm()
    if not form.validate():
        return show(EDIT, **editing | {"values": form.data_for_state(), "errors": form.errors_for_state()})
    return show(CONFIRM, **editing | {"values": form.data_for_state()})


def _saves(notice) -> dict[str, str]:
    """The ways 確認 offers to save: a new notice or a draft as 下書き or to publish; a notice
    already published stays published."""
    if notice is None or notice.draft:
        return SAVES
    return {"save": "変更を保存する"}


@screen(CONFIRM)
def confirm_screen(notice_id: int | None, values: dict, version: str | None):
    require_manager()
    notice = _editable({"notice_id": notice_id})
    form = NoticeForm(formdata=multidict(values))
    return render_screen("staff/notice_confirm.html", rows=form.shown(), notice=notice, saves=_saves(notice))


@bp.post("/notices/save")
@guarded
@manager_only
def notice_save():
    """確認: 「下書きとして保存する」, 「掲載する」 or 「変更を保存する」 saves, 「修正する」 goes back."""
    editing = _editing()
    if editing is None or state().screen != CONFIRM:
        return show(LIST, page=1)
    action = request.form.get("action")
    if action == "back":
        return show(EDIT, **editing)
    notice = _editable(editing)
    if action not in _saves(notice):
        return show(CONFIRM, **editing)
    form = NoticeForm(formdata=multidict(editing["values"]))
    if not form.validate():  # the rules again, on what 確認 showed
        return show(EDIT, **editing | {"errors": form.errors_for_state()})
    draft, was_draft = action == "draft", notice is not None and notice.draft
    saved = notices.save(
        form.record(),
        staff=current_user.staff,
        draft=draft,
        notice_id=editing["notice_id"],
        shown=editing["version"],
    )
    if saved is None:
        add_message(CHANGED, level="warning")
        return show(DETAIL, notice_id=editing["notice_id"])
    if draft:
        done = "drafted"
    elif notice is None:
        done = "created"
    else:
        done = "published_edit" if was_draft else "updated"
    return show(DONE, notice_id=saved, action=done)


# --- 公開 and 掲載取消, confirmed ------------------------------------------------------------------


def _offered(notice, action: str) -> bool:
    if notice.withdrawn_at is not None:
        return False
    return action == "withdraw" or (action == "publish" and notice.draft)


@bp.post("/notices/action")
@guarded
@manager_only
def notice_action():
    """公開 or 掲載取消 of the notice shown (or of a draft the list shows), to confirm."""
    notice, action = _target(), request.form.get("action")
    if notice is None:
        return show(LIST, page=1)
    if action not in ACTIONS or not _offered(notice, action):
        return show(DETAIL, notice_id=notice.id)
    return show(ACT, notice_id=notice.id, action=action, version=notices.version(notice))


@screen(ACT)
def act_screen(notice_id: int, action: str, version: str | None = None):
    require_manager()
    notice = _notice(notice_id)
    return render_screen(
        "staff/notice_act.html",
        notice=notice,
        status=notices.status(notice, now()),
        action=action,
        label=ACTIONS[action],
    )


@bp.post("/notices/apply")
@guarded
@manager_only
def notice_apply():
    """The confirmed 公開 or 掲載取消 (「実行する」), or back to the notice (「戻る」)."""
    notice_id, action = _shown(ACT), _shown(ACT, "action")
    if not isinstance(notice_id, int) or action not in ACTIONS:
        return show(LIST, page=1)
    if request.form.get("action") != "apply":
        return show(DETAIL, notice_id=notice_id)
    if action == "publish":  # the draft the confirmation showed, not one saved again since
        done = notices.publish(notice_id, staff=current_user.staff, shown=_shown(ACT, "version"))
    else:
        done = notices.withdraw(notice_id, staff=current_user.staff)
    if not done:
        add_message(CHANGED, level="warning")
        return show(DETAIL, notice_id=notice_id)
    return show(DONE, notice_id=notice_id, action=action)


@screen(DONE)
def done_screen(notice_id: int, action: str):
    require_manager()
    notice = _notice(notice_id)
    return render_screen(
        "staff/notice_done.html",
        notice=notice,
        status=notices.status(notice, now()),
        message=DONE_MESSAGES.get(action, ""),
        action=action,
    )
