"""5-4 事故: the customer's own 事故 (every one at first; searched by 事故番号, 証券番号 or 状況), a
事故's detail with its 入金累計 and 猶予 history, and the CSV of the rows shown (C.7).

As in 5-3, the criteria are the screen's saved arguments (a refresh shows the same result) and the
detail keeps them for its 戻る. Every read takes the logged-in 保険利用者 (nexi/loss_inquiries.py),
so another customer's 事故 is never found.
"""

from flask import request
from flask_login import current_user

from nexi import inquiries, loss_inquiries, masters
from nexi.blueprints.inquiry import bp
from nexi.blueprints.inquiry.loss_forms import LossInquiryForm
from nexi.blueprints.status import downloads
from nexi.navigation import guarded, readonly, screen, show, state
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "inquiry.losses", "inquiry.loss"
GONE = "指定された事故は見つかりません。検索し直してください。"


def _customer_id() -> int:
    return current_user.customer.id


def _criteria(name: str) -> dict:
    current = state()
    kept = (current.screen_args or {}).get("criteria") if current.screen == name else None
    return kept or loss_inquiries.loss_criteria()


@bp.post("/losses")
@guarded
def losses():
    """5-4 事故 (from 各種情報照会): every 事故 of the customer."""
    return show(LIST, criteria=loss_inquiries.loss_criteria())


@bp.post("/losses/search")
@guarded
def loss_search():
    """5-4 検索: keep what was typed; search with it when it is valid."""
    form = LossInquiryForm()
    if not form.validate():
        return show(LIST, criteria=_criteria(LIST), typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria())


@screen(LIST, pattern=2)
def list_screen(criteria: dict, typed: dict | None = None, errors: dict | None = None):
    rows, capped = loss_inquiries.search_losses(_customer_id(), criteria)
    form = LossInquiryForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen(
        "inquiry/losses.html",
        form=form,
        rows=rows,
        capped=capped,
        limit=inquiries.LIMIT,
        filtered=any(criteria.values()),
    )


@bp.post("/losses/detail")
@guarded
def loss():
    """5-4 事故の詳細 (of a row of the result)."""
    criteria = _criteria(LIST)
    number = request.form.get("loss")
    if loss_inquiries.find_loss(_customer_id(), number) is None:
        add_message(GONE, level="warning")
        return show(LIST, criteria=criteria)
    return show(DETAIL, number=number, criteria=criteria)


@screen(DETAIL, pattern=2)
def detail_screen(number: str, criteria: dict):
    return render_screen("inquiry/loss.html", detail=loss_inquiries.find_loss(_customer_id(), number), number=number)


@bp.post("/losses/back")
@guarded
def loss_back():
    """The detail's 戻る: the result it was opened from."""
    return show(LIST, criteria=_criteria(DETAIL))


CSV_COLUMNS = [
    "事故番号",
    "証券番号-枝番",
    "通知区分",
    "事故確定日／決済期限",
    "通貨",
    "損失見込額",
    "入金累計",
    "未回収残額",
    "全額回収",
    "請求開始日",
    "請求期限",
    "猶予",
    "状況",
    "期限超過",
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def csv_lines(rows: list[loss_inquiries.LossRow]) -> list[list]:
    """Amounts in the policy currency without its code (the 通貨 column names it)."""
    money = masters.money
    lines = []
    for row in rows:
        loss = row.loss
        lines.append(
            [
                loss.number, row.policy_key, loss.kind, _day(row.anchor), loss.currency,
                money(loss.expected_loss, loss.currency), money(loss.received, loss.currency),
                money(loss.outstanding, loss.currency), "全額回収" if row.recovered else "",
                _day(loss.claim_from), _day(loss.claim_until), "猶予あり" if row.extended else "", loss.state,
                "期限超過" if loss.late else "",
            ]
        )  # fmt: skip
    return lines


@bp.post("/losses/csv")
@readonly
def loss_csv():
    """5-4 CSVダウンロード of the rows the list shows (at most inquiries.LIMIT)."""
    rows, _capped = loss_inquiries.search_losses(_customer_id(), _criteria(LIST))
    return downloads.table_csv(CSV_COLUMNS, csv_lines(rows), "losses.csv")
