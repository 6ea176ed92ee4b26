"""5-1 海外商社情報: the public register searched by code, name or country, a buyer's detail, and the
CSV of the rows shown (C.7).

The criteria are the screen's saved arguments (a refresh searches again and shows the same result);
the detail keeps them too, so that its 戻る shows the same result again. Only the public fields of
C.4.1 are read (nexi/inquiries.py).
"""

from flask import request

from nexi import db, inquiries, masters
from nexi.blueprints.inquiry import bp
from nexi.blueprints.inquiry.forms import BuyerInquiryForm
from nexi.blueprints.status import downloads
from nexi.fields import BUYER_CODE
from nexi.navigation import guarded, readonly, screen, show, state
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "inquiry.buyers", "inquiry.buyer"
GONE = "指定された海外商社は見つかりません。検索し直してください。"


def _criteria(name: str) -> dict | None:
    """The criteria of the current screen when it is `name` (None: not searched yet)."""
    current = state()
    return (current.screen_args or {}).get("criteria") if current.screen == name else None


def _show_list(criteria: dict | None, **more):
    """The search screen; without criteria (not searched yet) its state has none at all, as the
    screens that read another screen's criteria expect (a download posted from here)."""
    return show(LIST, **({"criteria": criteria} if criteria else {}), **more)


@bp.post("/buyers")
@guarded
def buyers():
    """5-1 海外商社情報 (from 各種情報照会): the search, no result yet."""
    return _show_list(None)


@bp.post("/buyers/search")
@guarded
def buyer_search():
    """5-1 検索: keep what was typed; search with it when it is valid."""
    form = BuyerInquiryForm()
    if not form.validate():
        kept = _criteria(LIST)
        return _show_list(kept, typed=form.data_for_state(), errors=form.errors_for_state())
    return _show_list(form.criteria())


@screen(LIST, pattern=2)
def list_screen(criteria: dict | None = None, typed: dict | None = None, errors: dict | None = None):
    db.done_writing()  # a scan of the register: on SQLite, outside the write lock
    rows, capped = inquiries.search_buyers(criteria) if criteria else ([], False)
    form = BuyerInquiryForm(formdata=multidict(typed if typed is not None else criteria or {}))
    form.restore_errors(errors or {})
    return render_screen(
        "inquiry/buyers.html",
        form=form,
        searched=criteria is not None,
        rows=rows,
        capped=capped,
        limit=inquiries.LIMIT,
        countries=masters.countries(),
    )


@bp.post("/buyers/detail")
@guarded
def buyer():
    """5-1 海外商社の詳細 (of a row of the result)."""
    criteria = _criteria(LIST)
    code = request.form.get("buyer")
    found = None
    if criteria and isinstance(code, str) and BUYER_CODE.fullmatch(code):
        found = inquiries.find_buyer(criteria, code)
    if found is None:
        add_message(GONE, level="warning")
        return _show_list(criteria)
    return show(DETAIL, code=found.code, criteria=criteria)


@screen(DETAIL, pattern=2)
def detail_screen(code: str, criteria: dict):
    # a buyer the search no longer finds (deleted since, say) is said so, with the way back
    found = inquiries.find_buyer(criteria, code)
    return render_screen("inquiry/buyer.html", buyer=found, code=code, countries=masters.countries())


@bp.post("/buyers/back")
@guarded
def buyer_back():
    """The detail's 戻る: the result it was opened from."""
    return _show_list(_criteria(DETAIL))


CSV_COLUMNS = [
    "バイヤーコード",
    "英文名称",
    "別名",
    "国コード",
    "国",
    "都市",
    "本店/支店",
    "本店コード",
    "格付",
    "格付適用日",
    "信用危険てん補",
    "個別保証枠",
    "解除申請期限",
    "状態",
    "削除日",
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def csv_lines(rows: list[inquiries.PublicBuyer]) -> list[list]:
    countries = masters.countries()
    return [
        [
            buyer.code,
            buyer.name_en,
            buyer.alias,
            buyer.country_code,
            countries[buyer.country_code].name_ja if buyer.country_code in countries else "",
            buyer.city,
            (buyer.relation or "支店") if buyer.head_code else "本店",
            buyer.head_code or "",
            buyer.rating,
            _day(buyer.rated_on),
            buyer.cover,
            buyer.limit_label or "",
            _day(buyer.release_deadline) if buyer.sleeping else "",
            buyer.status_label,
            _day(buyer.deleted_on) if buyer.deleted else "",
        ]
        for buyer in rows
    ]


@bp.post("/buyers/csv")
@readonly
def buyer_csv():
    """5-1 CSVダウンロード of the rows the result shows (at most inquiries.LIMIT)."""
    criteria = _criteria(LIST)
    rows = inquiries.search_buyers(criteria)[0] if criteria else []
    return downloads.table_csv(CSV_COLUMNS, csv_lines(rows), "buyers.csv")
