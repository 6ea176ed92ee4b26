"""マスタ管理 (S.9): 新しい版の追加, a new key (通貨の追加, 商品区分の追加) and 版の編集 — 入力 → 確認,
then the key's detail (masters.py) with what was done. The rules of a version not yet in effect
and of the key shown are those of masters.py, whose helpers these views share."""

from datetime import timedelta

from flask import request
from flask_login import current_user

from nexi import master_versions as mv
from nexi.blueprints.staff import bp
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.master_forms import DATE_TAKEN, KEY_TAKEN, form_class, values_of
from nexi.blueprints.staff.masters import (
    CONFIRM,
    DETAIL,
    GONE,
    HOME,
    INPUT,
    LIST,
    before_rows,
    detail_shown,
    found_key,
    heading_of,
    jp,
    lost,
    master_named,
    posted_future_version,
    refused,
    shown_arg,
    to_list,
)
from nexi.clock import today
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import confirm_rows, multidict
from nexi.rendering import add_message, render_screen

# --- 新しい版の追加, a new key, and 編集: 入力 → 確認 → the detail --------------------------------------


@bp.post("/masters/new")
@guarded
@manager_only
def master_new():
    """新しい版の追加 (入力) for the key shown, filled in with its current version's values."""
    master, key = detail_shown()
    found = found_key(master, key) if master else None
    if found is None:
        return to_list(master)
    if not master.editable(found.base):
        add_message(master.not_editable, level="warning")
        return show(DETAIL, master=master.name, key=key)
    values = values_of(master, found.base, with_date=False)
    return show(INPUT, master=master.name, key=key, version_id=None, shown=None, values=values)


@bp.post("/masters/new-key")
@guarded
@manager_only
def master_add_key():
    """A key not yet in the master (通貨の追加, 商品区分の追加) with its first version (入力)."""
    master = master_named(shown_arg(LIST, "master"))
    if master is None or not master.new_keys:
        return to_list(master)
    return show(INPUT, master=master.name, key=None, version_id=None, shown=None, values={})


@bp.post("/masters/edit")
@guarded
@manager_only
def master_edit():
    """版の編集 (入力) of a version the detail shows, not yet in effect."""
    master, key, version, refusal = posted_future_version()
    if refusal is not None:
        return refusal
    return show(
        INPUT,
        master=master.name,
        key=key,
        version_id=version.id,
        shown=mv.snapshot(master, version),
        values=values_of(master, version, with_date=True),
    )


def _takes(master: mv.Master | None, key) -> bool:
    """Whether a 入力 / 確認 state names a master (and, for a new key, one that takes new keys)."""
    return master is not None and (key is not None or bool(master.new_keys))


def _editing() -> dict | None:
    """The arguments of the current 入力 or 確認 screen (its master known)."""
    current = state()
    if current.screen not in (INPUT, CONFIRM):
        return None
    args = current.screen_args or {}
    if not _takes(master_named(args.get("master")), args.get("key")):
        return None
    keys = ("master", "key", "version_id", "shown")
    return {name: args.get(name) for name in keys} | {"values": args.get("values") or {}}


def _form(master: mv.Master, editing: dict, values: dict | None = None):
    """The screen's form from `values` (else the request), with what its rules check against:
    the master's keys (a new key), the key's other versions' dates."""
    new_key = editing["key"] is None
    cls = form_class(master, new_key=new_key)
    form = cls(formdata=multidict(values)) if values is not None else cls()
    if new_key:
        form.known = frozenset(found.key for found in mv.keys(master))
    else:
        found = found_key(master, editing["key"])
        versions = found.versions if found else []
        form.taken = frozenset(v.valid_from for v in versions if v.id != editing["version_id"])
    return form


def _title(master: mv.Master, key, version_id) -> str:
    if key is None:
        return master.new_keys
    return "版の編集" if version_id is not None else "新しい版の追加"


def _key_heading(master: mv.Master, key) -> list[tuple[str, str]] | None:
    """The key's heading on 入力 / 確認 / 削除 (None for a new key); gone: ScreenGone."""
    if key is None:
        return None
    found = found_key(master, key)
    if found is None:
        raise ScreenGone
    return heading_of(master, found)


@screen(INPUT)
def input_screen(master: str, key, version_id, shown, values: dict, errors=None):
    require_manager()
    declared = master_named(master)
    if not _takes(declared, key):
        raise ScreenGone
    form = form_class(declared, new_key=key is None)(formdata=multidict(values))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/master_input.html",
        form=form,
        master=declared,
        heading=_key_heading(declared, key),
        title=_title(declared, key, version_id),
        editing=version_id is not None,
        tomorrow=jp(today() + timedelta(days=1)),
    )


def _back_to_key(master: mv.Master, key):
    return show(DETAIL, master=master.name, key=key) if key is not None else to_list(master)


@bp.post("/masters/check")
@guarded
@manager_only
def master_check():
    """入力 checked, then its 確認 (or 「戻る」: the key's detail, or the list for a new key)."""
    editing = _editing()
    if editing is None or state().screen != INPUT:
        return show(HOME)
    master = master_named(editing["master"])
    if request.form.get("action") == "back":
        return _back_to_key(master, editing["key"])
    if editing["version_id"] is not None:
        refusal = refused(master, editing["key"], mv.version(master, editing["version_id"]))
        if refusal is not None:
            return refusal
    form = _form(master, editing)
    if not form.validate():
        return show(INPUT, **editing | {"values": form.data_for_state(), "errors": form.errors_for_state()})
    return show(CONFIRM, **editing | {"values": form.data_for_state()})


@screen(CONFIRM)
def confirm_screen(master: str, key, version_id, shown, values: dict):
    require_manager()
    declared = master_named(master)
    if not _takes(declared, key):
        raise ScreenGone
    return render_screen(
        "staff/master_confirm.html",
        rows=confirm_rows(form_class(declared, new_key=key is None)(formdata=multidict(values))),
        before=before_rows(declared, shown),
        master=declared,
        heading=_key_heading(declared, key),
        title=_title(declared, key, version_id),
        editing=version_id is not None,
    )


def _record(master: mv.Master, key, form) -> dict | None:
    """The new version's columns: what was entered and, for a key's new version, its key, fixed
    and hidden values copied from its versions (None: the key is gone, or takes no versions)."""
    record = form.record()
    if key is None:
        return record
    found = found_key(master, key)
    if found is None or not master.editable(found.base):
        return None
    copied = (*(c.name for c in (*master.keys, *master.fixed)), *master.hidden)
    return record | {name: getattr(found.base, name) for name in copied}


@bp.post("/masters/save")
@guarded
@manager_only
def master_save():
    """確認: 「登録する」 / 「保存する」 writes the version, 「修正する」 goes back to 入力."""
    editing = _editing()
    if editing is None or state().screen != CONFIRM:
        return show(HOME)
    action = request.form.get("action")
    if action == "back":
        return show(INPUT, **editing)
    if action != "submit":
        return show(CONFIRM, **editing)
    master, key, version_id = master_named(editing["master"]), editing["key"], editing["version_id"]
    if version_id is not None:
        refusal = refused(master, key, mv.version(master, version_id))
        if refusal is not None:
            return refusal
    form = _form(master, editing, editing["values"])
    if not form.validate():  # the rules again: the day may have moved, a version been added
        return show(INPUT, **editing | {"errors": form.errors_for_state()})
    staff = current_user.staff
    if version_id is not None:
        return _saved_change(master, key, version_id, editing, form, staff)
    record = _record(master, key, form)
    if record is None:
        add_message(GONE, level="warning")
        return to_list(master)
    added = mv.add_version(master, record, staff=staff)
    if added is None:  # the same key and 適用開始日, added meanwhile
        if key is None:
            first = master.keys[0]
            taken = {first.name: [KEY_TAKEN.format(label=first.entry_label or first.label)]}
        else:
            taken = {"valid_from": [DATE_TAKEN]}
        return show(INPUT, **editing | {"errors": taken})
    what = f"{master.keys[0].label}を登録しました" if key is None else "新しい版を追加しました"
    add_message(f"{what}（適用開始日 {jp(added.valid_from)}）。", level="success")
    return show(DETAIL, master=master.name, key=list(master.key_of(added)))


def _saved_change(master: mv.Master, key: list, version_id: int, editing: dict, form, staff):
    result = mv.change_version(master, version_id, editing["shown"], form.record(), staff=staff)
    if result == mv.TAKEN:
        return show(INPUT, **editing | {"errors": {"valid_from": [DATE_TAKEN]}})
    if result == mv.STALE:
        return lost(master, key, version_id, "保存")
    add_message(f"版の変更を保存しました（適用開始日 {jp(form.valid_from.data)}）。", level="success")
    return show(DETAIL, master=master.name, key=key)
