"""5-3 個別保証枠: every buyer on which the customer holds a 確認 or a policy under 個別保証枠 (the
filter is optional), with 枠あり / 枠なし and the customer's OWN 予約額 and 使用額 in yen; a buyer's
detail with the customer's 確認 and policies on it; the CSV of the rows shown (C.7).

No buyer-wide amount (設定額, 残高) and no other customer's share is ever read here (C.4.1,
nexi/limit_inquiries.py). The filter is the screen's saved argument, as in 5-5.
"""

from flask import request
from flask_login import current_user

from nexi import contract_inquiries, inquiries, limit_inquiries, masters
from nexi.blueprints.inquiry import bp
from nexi.blueprints.inquiry.contract_forms import LimitInquiryForm
from nexi.blueprints.status import downloads
from nexi.limits import remaining
from nexi.navigation import guarded, readonly, screen, show, state
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "inquiry.limits", "inquiry.limit"
GONE = "指定された海外商社の個別保証枠は照会できません。"


def _customer_id() -> int:
    return current_user.customer.id


def _criteria(name: str) -> dict:
    current = state()
    kept = (current.screen_args or {}).get("criteria") if current.screen == name else None
    return kept or limit_inquiries.limit_criteria()


@bp.post("/limits")
@guarded
def limits():
    """5-3 個別保証枠 (from 各種情報照会): every buyer the customer holds something on."""
    return show(LIST, criteria=limit_inquiries.limit_criteria())


@bp.post("/limits/search")
@guarded
def limit_search():
    """5-3 絞り込み."""
    form = LimitInquiryForm()
    if not form.validate():
        return show(LIST, criteria=_criteria(LIST), typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria())


@screen(LIST, pattern=2)
def list_screen(criteria: dict, typed: dict | None = None, errors: dict | None = None):
    rows, capped = limit_inquiries.search_limits(_customer_id(), criteria)
    form = LimitInquiryForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen(
        "inquiry/limits.html",
        form=form,
        rows=rows,
        capped=capped,
        limit=inquiries.LIMIT,
        filtered=any(criteria.values()),
        countries=masters.countries(),
    )


@bp.post("/limits/detail")
@guarded
def limit():
    """5-3 海外商社ごとの詳細."""
    criteria = _criteria(LIST)
    code = request.form.get("buyer")
    if limit_inquiries.find_limit(_customer_id(), code) is None:
        add_message(GONE, level="warning")
        return show(LIST, criteria=criteria)
    return show(DETAIL, code=code, criteria=criteria)


@screen(DETAIL, pattern=2)
def detail_screen(code: str, criteria: dict):
    detail = limit_inquiries.find_limit(_customer_id(), code)
    numbers = {row.id: row.number for row in detail.confirmations} if detail else {}
    return render_screen(
        "inquiry/limit.html",
        detail=detail,
        code=code,
        numbers=numbers,
        remaining=remaining,
        money=contract_inquiries.money,
        products=masters.PRODUCTS,
        countries=masters.countries(),
    )


@bp.post("/limits/back")
@guarded
def limit_back():
    """The detail's 戻る: the list as it was filtered."""
    return show(LIST, criteria=_criteria(DETAIL))


CSV_COLUMNS = ["バイヤーコード", "英文名称", "国", "格付", "個別保証枠", "予約額（円）", "使用額（円）"]


def csv_lines(rows: list[limit_inquiries.OwnLimit]) -> list[list]:
    countries = masters.countries()
    return [
        [
            row.code,
            row.name_en,
            countries[row.country_code].name_ja if row.country_code in countries else row.country_code,
            row.rating,
            row.limit_label,
            row.reserved_jpy,
            row.used_jpy,
        ]
        for row in rows
    ]


@bp.post("/limits/csv")
@readonly
def limit_csv():
    """5-3 CSVダウンロード of the rows the list shows (the customer's own amounts only)."""
    rows, _capped = limit_inquiries.search_limits(_customer_id(), _criteria(LIST))
    return downloads.table_csv(CSV_COLUMNS, csv_lines(rows), "limits.csv")
