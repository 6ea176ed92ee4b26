"""マスタ管理 (S.9) for 管理担当 only: the masters of M.2–M.4 and the §6 tariff and weights, each
as versions with 適用開始日 (国・地域, M.1, has its own screens: countries.py). マスタ管理 lists the
masters; a master's list shows each key (通貨, 格付, 商品区分, 区分・カテゴリー, the one row of
weights) with its version valid today and the next one; a key's detail shows every version, with
新しい版を追加 and 編集 / 削除 of a version not yet in effect — each 入力 → 確認 (the 入力 and 確認
of a version: master_edits.py), then the detail again with what was done. nexi/master_versions.py
declares the masters (the screens are the same for all five) and writes the versions with their
audit entries.

A version whose 適用開始日 ≤ today (the business clock) is never edited or deleted: the screens do
not offer it, the views refuse it when it is posted all the same, and the write checks it once
more, so a version that took effect after its screen was shown is left as it is.

Every view checks the role (`manager_only`) and every screen too (`require_manager`). The key
acted on is the one the current screen shows (its state); a version posted from a screen is taken
only when that screen is the current one and shows it.
"""

from datetime import date
from types import SimpleNamespace

from flask import current_app, request
from flask_login import current_user

from nexi import master_versions as mv
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.master_forms import form_class, values_of
from nexi.clock import today
from nexi.forms import bounded_int
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import confirm_rows, multidict
from nexi.rendering import add_message, render_screen

HOME, LIST, DETAIL = "staff.masters", "staff.master_list", "staff.master_detail"
INPUT, CONFIRM, DELETE = "staff.master_input", "staff.master_confirm", "staff.master_delete"
GONE = "指定された版は見つかりません。"
IN_EFFECT = (
    "適用開始日を迎えた版（適用中・終了した版）は編集・削除できません。値を変えるときは新しい版を追加してください。"
)
STALE = "この版は、表示したあとに他の職員が変更または削除したため、{what}しませんでした。最新の内容を確認してください。"

menu.add(MANAGER, HOME, "マスタ管理（換算レート・格付係数・商品係数・基準料率）", role=MANAGER, order=41)


def shown_arg(name: str, key: str):
    """The argument `key` of the current screen when it is `name`, else None."""
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def master_named(name) -> mv.Master | None:
    return mv.MASTERS.get(name) if isinstance(name, str) else None


def jp(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def found_key(master: mv.Master, key) -> mv.Key | None:
    """The key of a screen's state (a list: JSON) with its versions, or None."""
    if not isinstance(key, list) or len(key) != len(master.keys):
        return None
    return mv.one_key(master, tuple(key))


def heading_of(master: mv.Master, found: mv.Key) -> list[tuple[str, str]]:
    """(label, value) of what names a key on its screens: its key and fixed columns."""
    base = found.base
    return [(column.label, column.shown(getattr(base, column.name))) for column in (*master.keys, *master.fixed)]


# --- マスタ管理 and a master's list --------------------------------------------------------------


@bp.post("/masters")
@guarded
@manager_only
def masters():
    """マスタ管理: the masters staff maintain as versions."""
    return show(HOME)


@screen(HOME)
def home_screen():
    require_manager()
    return render_screen("staff/masters.html", masters=list(mv.MASTERS.values()))


@bp.post("/masters/list")
@guarded
@manager_only
def master_list():
    """A master's list (of マスタ管理's masters, or back from a key's screens)."""
    master = master_named(request.form.get("master"))
    if master is None:
        return show(HOME)
    return show(LIST, master=master.name, page=1)


@bp.post("/masters/page")
@guarded
@manager_only
def master_page():
    """A page of the master's list shown."""
    master = master_named(shown_arg(LIST, "master"))
    if master is None:
        return show(HOME)
    return show(LIST, master=master.name, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(master: str, page: int = 1):
    require_manager()
    declared = master_named(master)
    if declared is None:
        raise ScreenGone
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows = mv.keys(declared)
    pages = max(1, -(-len(rows) // size))
    page = min(max(page, 1), pages)
    return render_screen(
        "staff/master_list.html",
        master=declared,
        rows=rows[(page - 1) * size : page * size],
        total=len(rows),
        page=page,
        pages=pages,
    )


# --- A key's detail ----------------------------------------------------------------------------------


@bp.post("/masters/detail")
@guarded
@manager_only
def master_detail():
    """A key's detail (of a key the list shows, posted as one of its versions)."""
    master = master_named(shown_arg(LIST, "master"))
    if master is None:
        return show(HOME)
    version = mv.version(master, bounded_int(request.form.get("version"), 1))
    if version is None:
        return show(LIST, master=master.name, page=shown_arg(LIST, "page") or 1)
    return show(DETAIL, master=master.name, key=list(master.key_of(version)))


@screen(DETAIL)
def detail_screen(master: str, key: list):
    require_manager()
    declared = master_named(master)
    found = found_key(declared, key) if declared else None
    if found is None:
        raise ScreenGone
    return render_screen(
        "staff/master.html",
        master=declared,
        found=found,
        heading=heading_of(declared, found),
        versions=list(reversed(found.versions)),  # the newest first: the scheduled ones on top
        today=today(),
    )


def detail_shown() -> tuple[mv.Master | None, list | None]:
    master, key = master_named(shown_arg(DETAIL, "master")), shown_arg(DETAIL, "key")
    return (master, key) if master is not None and isinstance(key, list) else (None, None)


def to_list(master: mv.Master | None):
    return show(LIST, master=master.name, page=1) if master is not None else show(HOME)


def refused(master: mv.Master, key: list, version) -> object | None:
    """The detail again, with the reason, when `version` cannot be edited or deleted."""
    if version is None or list(master.key_of(version)) != key:
        add_message(GONE, level="warning")
        return show(DETAIL, master=master.name, key=key)
    if version.valid_from <= today():
        add_message(IN_EFFECT, level="warning")
        return show(DETAIL, master=master.name, key=key)
    return None


def posted_future_version():
    """(master, key, version, None) of a version posted from the detail shown that may still be
    edited or deleted; else (…, the screen to show instead: the list, or the detail with why)."""
    master, key = detail_shown()
    if master is None:
        return None, None, None, show(HOME)
    version = mv.version(master, bounded_int(request.form.get("version"), 1))
    return master, key, version, refused(master, key, version)


def before_rows(master: mv.Master, shown: dict | None) -> list | None:
    """確認's 変更前 column of an edit (and 削除's rows): the values the version held when shown."""
    if shown is None:
        return None
    version = SimpleNamespace(**shown | {"valid_from": date.fromisoformat(shown["valid_from"])})
    return confirm_rows(
        form_class(master, new_key=False)(formdata=multidict(values_of(master, version, with_date=True)))
    )


def lost(master: mv.Master, key: list, version_id: int, what: str):
    """A write that found the version no longer as shown: why, on the key's detail."""
    version = mv.version(master, version_id)
    took_effect = version is not None and version.valid_from <= today()
    add_message(IN_EFFECT if took_effect else STALE.format(what=what), level="warning")
    if found_key(master, key) is None:
        return to_list(master)
    return show(DETAIL, master=master.name, key=key)


# --- 削除 of a version not yet in effect, confirmed ------------------------------------------------


@bp.post("/masters/delete")
@guarded
@manager_only
def master_delete():
    """版の削除 (確認) of a version the detail shows, not yet in effect."""
    master, key, version, refusal = posted_future_version()
    if refusal is not None:
        return refusal
    return show(DELETE, master=master.name, key=key, version_id=version.id, shown=mv.snapshot(master, version))


@screen(DELETE)
def delete_screen(master: str, key: list, version_id: int, shown: dict):
    require_manager()
    declared = master_named(master)
    if declared is None:
        raise ScreenGone
    found = found_key(declared, key)
    if found is None:
        raise ScreenGone
    return render_screen(
        "staff/master_delete.html",
        rows=before_rows(declared, shown),
        master=declared,
        heading=heading_of(declared, found),
        only=len(found.versions) == 1,  # a new key's only version: the key goes too
    )


@bp.post("/masters/delete/apply")
@guarded
@manager_only
def master_delete_apply():
    """The confirmed 削除 (「削除する」), or back to the key (「戻る」)."""
    master = master_named(shown_arg(DELETE, "master"))
    key, version_id, shown = (shown_arg(DELETE, name) for name in ("key", "version_id", "shown"))
    if master is None or not isinstance(version_id, int) or not isinstance(shown, dict):
        return show(HOME)
    if request.form.get("action") != "apply":
        return show(DETAIL, master=master.name, key=key)
    if not mv.delete_version(master, version_id, shown, staff=current_user.staff):
        return lost(master, key, version_id, "削除")
    add_message(f"適用開始日が{jp(date.fromisoformat(shown['valid_from']))}の版を削除しました。", level="success")
    if found_key(master, key) is None:
        return to_list(master)
    return show(DETAIL, master=master.name, key=key)
