"""国・地域マスタ (S.9, M.1), for 管理担当 only: 国・地域一覧 (each country's version valid today,
searched by code or name), a country's detail with all its versions, 新しい版の登録 (or a new
country's first version) and 編集 / 削除 of a version not yet in effect — each 入力 → 確認, then
the detail again with what was done. nexi/masters.py writes the versions with their audit entries
(before / after) and drops this process's copy of the countries, so customers see a version from
its 適用開始日 on.

A version whose 適用開始日 ≤ today (the business clock) is never edited or deleted: the screens do
not offer it, the views refuse it when it is posted all the same, and the write checks it once
more, so a version that took effect after its screen was shown is left as it is.

Every view checks the role (`manager_only`) and every screen too (`require_manager`). The country
acted on is the one the current screen shows (its state); a code or a version posted from a
screen is taken only when that screen is the current one and shows it.
"""

import re
from datetime import date, timedelta
from types import SimpleNamespace

from flask import current_app, request
from flask_login import current_user

from nexi import masters
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.country_forms import (
    CODE_TAKEN,
    DATE_TAKEN,
    CountrySearchForm,
    CountryVersionForm,
    NewCountryForm,
    values_of,
)
from nexi.clock import today
from nexi.forms import bounded_int
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.state import confirm_rows, multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "staff.countries", "staff.country"
INPUT, CONFIRM, DELETE = "staff.country_input", "staff.country_confirm", "staff.country_delete"
GONE = "指定された国・地域または版は見つかりません。"
IN_EFFECT = (
    "適用開始日を迎えた版（適用中・過去の版）は編集・削除できません。内容を変えるときは新しい版を登録してください。"
)
STALE = "この版は、表示したあとに他の職員が変更または削除したため、{what}しませんでした。最新の内容を確認してください。"
CODE = re.compile(r"\d{3}")

menu.add(MANAGER, LIST, "国・地域マスタ", role=MANAGER, order=40)


def _shown(name: str, key: str):
    """The argument `key` of the current screen when it is `name`, else None."""
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _jp(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _first_list():
    return show(LIST, keyword="", page=1)


# --- 国・地域一覧 -----------------------------------------------------------------------------------


@bp.post("/countries")
@guarded
@manager_only
def countries():
    """国・地域一覧: every country of M.1, by code."""
    return _first_list()


@bp.post("/countries/search")
@guarded
@manager_only
def country_search():
    """国・地域一覧, searched by code or name."""
    form = CountrySearchForm()
    if not form.validate():
        kept = _shown(LIST, "keyword") or ""
        return show(LIST, keyword=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, keyword=form.keyword.data or "", page=1)


@bp.post("/countries/page")
@guarded
@manager_only
def country_page():
    """A page of 国・地域一覧, with the search kept."""
    keyword = _shown(LIST, "keyword") or ""
    return show(LIST, keyword=keyword, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(keyword: str = "", page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_manager()
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows = masters.country_list(keyword)
    pages = max(1, -(-len(rows) // size))
    page = min(max(page, 1), pages)
    form = CountrySearchForm(formdata=multidict(typed if typed is not None else {"keyword": keyword}))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/countries.html",
        form=form,
        rows=rows[(page - 1) * size : page * size],
        total=len(rows),
        page=page,
        pages=pages,
        keyword=keyword,
    )


# --- 国・地域の詳細 ---------------------------------------------------------------------------------


@bp.post("/countries/detail")
@guarded
@manager_only
def country():
    """国・地域の詳細 (of a country the list shows)."""
    code = request.form.get("country") or ""
    if state().screen != LIST or not CODE.fullmatch(code) or not masters.versions(code):
        return _first_list()
    return show(DETAIL, code=code)


@screen(DETAIL)
def detail_screen(code: str):
    require_manager()
    versions = masters.versions(code)
    if not versions:
        raise ScreenGone
    current = masters.valid_version(versions)
    return render_screen(
        "staff/country.html",
        code=code,
        versions=list(reversed(versions)),  # the newest first: the scheduled ones on top
        current=current,
        heading=current or versions[0],
        today=today(),
    )


# --- 新しい版の登録 and 編集: 入力 → 確認 → the detail ----------------------------------------------


@bp.post("/countries/new-country")
@guarded
@manager_only
def country_add():
    """国・地域の新規登録 (入力): a code not yet in M.1, with its first version."""
    return show(INPUT, code=None, version_id=None, shown=None, values={})


@bp.post("/countries/new")
@guarded
@manager_only
def country_new():
    """新しい版の登録 (入力) for the country shown, filled in with its current version's values."""
    code = _shown(DETAIL, "code")
    versions = masters.versions(code) if isinstance(code, str) else []
    if not versions:
        return _first_list()
    base = masters.valid_version(versions) or versions[-1]  # a country not yet in effect: its latest version
    return show(INPUT, code=code, version_id=None, shown=None, values=values_of(base, with_date=False))


def _posted_future_version():
    """(code, version, None) of a version posted from the detail shown that may still be edited
    or deleted; else (code or None, None, the screen to show instead: the list, or the detail
    with the reason)."""
    code = _shown(DETAIL, "code")
    if code is None:
        return None, None, _first_list()
    version = masters.country_version(bounded_int(request.form.get("version"), 1))
    version = version if version is not None and version.code == code else None
    return code, version, _refused(code, version)


def _refused(code: str, version) -> object | None:
    """The detail again, with the reason, when `version` cannot be edited or deleted."""
    if version is None:
        add_message(GONE, level="warning")
        return show(DETAIL, code=code)
    if version.valid_from <= today():
        add_message(IN_EFFECT, level="warning")
        return show(DETAIL, code=code)
    return None


@bp.post("/countries/edit")
@guarded
@manager_only
def country_edit():
    """版の編集 (入力) of a version the detail shows, not yet in effect."""
    code, version, refused = _posted_future_version()
    if refused is not None:
        return refused
    snapshot = masters.country_snapshot(version)
    return show(INPUT, code=code, version_id=version.id, shown=snapshot, values=values_of(version, with_date=True))


def _editing() -> dict | None:
    """The arguments of the current 入力 or 確認 screen."""
    current = state()
    if current.screen not in (INPUT, CONFIRM):
        return None
    args = current.screen_args or {}
    keys = ("code", "version_id", "shown")
    return {key: args.get(key) for key in keys} | {"values": args.get("values") or {}}


def _form(editing: dict, values: dict | None = None):
    """The form of the screen (a new country's has its code), from `values` (else the request),
    with what its rules check against: the codes in M.1, the country's other versions' dates."""
    form_class = NewCountryForm if editing["code"] is None else CountryVersionForm
    form = form_class(formdata=multidict(values)) if values is not None else form_class()
    if editing["code"] is None:
        form.known = frozenset(version.code for version in masters.every_version())
    else:
        versions = masters.versions(editing["code"])
        form.taken = frozenset(v.valid_from for v in versions if v.id != editing["version_id"])
    return form


def _title(code: str | None, version_id: int | None) -> str:
    if code is None:
        return "国・地域の新規登録"
    return "版の編集" if version_id is not None else "新しい版の登録"


def _name_of(code: str | None) -> str | None:
    """The country's name as today's version has it (for the screen's heading)."""
    if code is None:
        return None
    versions = masters.versions(code)
    if not versions:
        raise ScreenGone
    return (masters.valid_version(versions) or versions[0]).name_ja


@screen(INPUT)
def input_screen(code: str | None, version_id: int | None, shown: dict | None, values: dict, errors=None):
    require_manager()
    form = (NewCountryForm if code is None else CountryVersionForm)(formdata=multidict(values))
    form.restore_errors(errors or {})
    return render_screen(
        "staff/country_input.html",
        form=form,
        code=code,
        name=_name_of(code),
        title=_title(code, version_id),
        editing=version_id is not None,
        tomorrow=_jp(today() + timedelta(days=1)),
    )


@bp.post("/countries/check")
@guarded
@manager_only
def country_check():
    """入力 checked, then its 確認 (or 「戻る」: the country, or the list for a new one)."""
    editing = _editing()
    if editing is None or state().screen != INPUT:
        return _first_list()
    if request.form.get("action") == "back":
        return show(DETAIL, code=editing["code"]) if editing["code"] else _first_list()
    if editing["version_id"] is not None:
        refused = _refused(editing["code"], masters.country_version(editing["version_id"]))
        if refused is not None:
            return refused
    form = _form(editing)
    if not form.validate():
        return show(INPUT, **editing | {"values": form.data_for_state(), "errors": form.errors_for_state()})
    return show(CONFIRM, **editing | {"values": form.data_for_state()})


def _before_rows(shown: dict | None, form_class) -> list | None:
    """確認's 変更前 column of an edit: the values the version held when 編集 began."""
    if shown is None:
        return None
    version = SimpleNamespace(**shown | {"valid_from": date.fromisoformat(shown["valid_from"])})
    return confirm_rows(form_class(formdata=multidict(values_of(version, with_date=True))))


@screen(CONFIRM)
def confirm_screen(code: str | None, version_id: int | None, shown: dict | None, values: dict):
    require_manager()
    form_class = NewCountryForm if code is None else CountryVersionForm
    rows = confirm_rows(form_class(formdata=multidict(values)))
    return render_screen(
        "staff/country_confirm.html",
        rows=rows,
        before=_before_rows(shown, form_class),
        code=code,
        name=_name_of(code),
        title=_title(code, version_id),
        editing=version_id is not None,
    )


@bp.post("/countries/save")
@guarded
@manager_only
def country_save():
    """確認: 「登録する」 / 「保存する」 writes the version, 「修正する」 goes back to 入力."""
    editing = _editing()
    if editing is None or state().screen != CONFIRM:
        return _first_list()
    action = request.form.get("action")
    if action == "back":
        return show(INPUT, **editing)
    if action != "submit":
        return show(CONFIRM, **editing)
    code, version_id = editing["code"], editing["version_id"]
    if version_id is not None:
        refused = _refused(code, masters.country_version(version_id))
        if refused is not None:
            return refused
    form = _form(editing, editing["values"])
    if not form.validate():  # the rules again: the day may have moved, a version been added
        return show(INPUT, **editing | {"errors": form.errors_for_state()})
    staff = current_user.staff
    if version_id is None:
        record = form.record() | ({"code": code} if code else {})
        added = masters.add_country_version(record, staff=staff)
        if added is None:  # the same code and 適用開始日, added meanwhile
            taken = {"code": [CODE_TAKEN]} if code is None else {"valid_from": [DATE_TAKEN]}
            return show(INPUT, **editing | {"errors": taken})
        first = "国・地域を登録しました" if code is None else "新しい版を登録しました"
        add_message(f"{first}（適用開始日 {_jp(added.valid_from)}）。", level="success")
        return show(DETAIL, code=added.code)
    result = masters.change_country_version(version_id, editing["shown"], form.record() | {"code": code}, staff=staff)
    if result == masters.TAKEN:
        return show(INPUT, **editing | {"errors": {"valid_from": [DATE_TAKEN]}})
    if result == masters.STALE:
        return _lost(code, version_id, "保存")
    add_message(f"版の変更を保存しました（適用開始日 {_jp(form.valid_from.data)}）。", level="success")
    return show(DETAIL, code=code)


def _lost(code: str, version_id: int, what: str):
    """A write that found the version no longer as shown: why, on the country's detail."""
    version = masters.country_version(version_id)
    took_effect = version is not None and version.valid_from <= today()
    add_message(IN_EFFECT if took_effect else STALE.format(what=what), level="warning")
    if not masters.versions(code):
        return _first_list()
    return show(DETAIL, code=code)


# --- 削除 of a version not yet in effect, confirmed ----------------------------------------------


@bp.post("/countries/delete")
@guarded
@manager_only
def country_delete():
    """版の削除 (確認) of a version the detail shows, not yet in effect."""
    code, version, refused = _posted_future_version()
    if refused is not None:
        return refused
    return show(DELETE, code=code, version_id=version.id, shown=masters.country_snapshot(version))


@screen(DELETE)
def delete_screen(code: str, version_id: int, shown: dict):
    require_manager()
    return render_screen(
        "staff/country_delete.html",
        rows=_before_rows(shown, CountryVersionForm),
        code=code,
        name=_name_of(code),
        only=len(masters.versions(code)) == 1,  # a new country's only version: the country goes too
    )


@bp.post("/countries/delete/apply")
@guarded
@manager_only
def country_delete_apply():
    """The confirmed 削除 (「削除する」), or back to the country (「戻る」)."""
    code, version_id, shown = (_shown(DELETE, key) for key in ("code", "version_id", "shown"))
    if not isinstance(version_id, int) or not isinstance(shown, dict):
        return _first_list()
    if request.form.get("action") != "apply":
        return show(DETAIL, code=code)
    if not masters.delete_country_version(version_id, shown, staff=current_user.staff):
        return _lost(code, version_id, "削除")
    add_message(f"適用開始日が{_jp(date.fromisoformat(shown['valid_from']))}の版を削除しました。", level="success")
    if not masters.versions(code):
        return _first_list()
    return show(DETAIL, code=code)
