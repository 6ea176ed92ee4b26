"""5-2 保険契約: the customer's own policies searched by 証券番号, 保険種別, バイヤーコード/名称, 状態 or
保険期間, a policy's detail, and the CSV of the rows shown (C.7).

As in 5-1, the criteria are the screen's saved arguments (a refresh searches again and shows the
same result) and the detail keeps them for its 戻る. Every read takes the logged-in 保険利用者
(nexi/contract_inquiries.py), so another customer's policy is never found.
"""

from flask import request
from flask_login import current_user

from nexi import blanket_inquiries, contract_inquiries, inquiries, masters
from nexi.blueprints.inquiry import bp
from nexi.blueprints.inquiry.contract_forms import PolicyInquiryForm
from nexi.blueprints.status import downloads
from nexi.navigation import guarded, readonly, screen, show, state
from nexi.procedures.registry import CATALOGUE
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL, BLANKET = "inquiry.policies", "inquiry.policy", "inquiry.blanket"
GONE = "指定された保険契約は見つかりません。検索し直してください。"


def _customer_id() -> int:
    return current_user.customer.id


def _criteria(name: str) -> dict | None:
    current = state()
    return (current.screen_args or {}).get("criteria") if current.screen == name else None


def _show_list(criteria: dict | None, **more):
    return show(LIST, **({"criteria": criteria} if criteria else {}), **more)


@bp.post("/policies")
@guarded
def policies():
    """5-2 保険契約 (from 各種情報照会): the search, no result yet."""
    return _show_list(None)


@bp.post("/policies/search")
@guarded
def policy_search():
    """5-2 検索: keep what was typed; search with it when it is valid."""
    form = PolicyInquiryForm()
    if not form.validate():
        return _show_list(_criteria(LIST), typed=form.data_for_state(), errors=form.errors_for_state())
    return _show_list(form.criteria())


@screen(LIST, pattern=2)
def list_screen(criteria: dict | None = None, typed: dict | None = None, errors: dict | None = None):
    found = contract_inquiries.search_policies(_customer_id(), criteria) if criteria else ([], False)
    form = PolicyInquiryForm(formdata=multidict(typed if typed is not None else criteria or {}))
    form.restore_errors(errors or {})
    return render_screen(
        "inquiry/policies.html",
        form=form,
        searched=criteria is not None,
        rows=found[0],
        capped=found[1],
        limit=inquiries.LIMIT,
        countries=masters.countries(),
    )


@bp.post("/policies/detail")
@guarded
def policy():
    """5-2 保険契約の詳細 (of a row of the result)."""
    criteria = _criteria(LIST)
    key = request.form.get("policy")
    blanket = criteria and blanket_inquiries.find_blanket(_customer_id(), key) is not None
    if not criteria or not (blanket or contract_inquiries.find_policy(_customer_id(), key) is not None):
        add_message(GONE, level="warning")
        return _show_list(criteria)
    return show(BLANKET if blanket else DETAIL, key=key, criteria=criteria)


@screen(DETAIL, pattern=2)
def detail_screen(key: str, criteria: dict):
    return render_screen(
        "inquiry/policy.html",
        detail=contract_inquiries.find_policy(_customer_id(), key),
        key=key,
        countries=masters.countries(),
        catalogue=CATALOGUE,
    )


@screen(BLANKET, pattern=2)
def blanket_screen(key: str, criteria: dict):
    """A 簡易通知型 包括保険契約 with its 簡易包括登録 and recorded shipments (9-4)."""
    return render_screen(
        "inquiry/blanket.html",
        detail=blanket_inquiries.find_blanket(_customer_id(), key),
        key=key,
        countries=masters.countries(),
        catalogue=CATALOGUE,
    )


@bp.post("/policies/back")
@guarded
def policy_back():
    """The detail's 戻る: the result it was opened from."""
    return _show_list(_criteria(DETAIL) or _criteria(BLANKET))


CSV_COLUMNS = [
    "証券番号-枝番",
    "保険種別",
    "契約相手方コード",
    "契約相手方",
    "仕向国",
    "通貨",
    "契約金額",
    "保険金額（船前・非常危険）",
    "保険金額（船前・信用危険）",
    "保険金額（船後・非常危険）",
    "保険金額（船後・信用危険）",
    "保険期間（開始）",
    "保険期間（終了）",
    "最終決済期限",
    "保険料（円）",
    "状態",
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def _blanket_line(row: blanket_inquiries.BlanketRow) -> list:
    """A 包括保険契約 in the columns of a policy: what it has (保険期間, 最終決済期限 of its shipments)."""
    contract = row.contract
    return [row.key, row.product_name, *[""] * 9, _day(contract.starts_on), _day(contract.ends_on),
            _day(row.last_due), "", contract.state]  # fmt: skip


def csv_lines(rows: list) -> list[list]:
    countries = masters.countries()
    lines = []
    for row in rows:
        if row.blanket:
            lines.append(_blanket_line(row))
            continue
        policy = row.policy
        pre = row.insured_pre or (None, None)
        post = row.insured_post
        lines.append(
            [
                row.key,
                row.product_name,
                row.counterparty_code,
                row.counterparty_name,
                countries[policy.destination].name_ja if policy.destination in countries else policy.destination,
                policy.currency,
                row.amount(policy.contract_amount),
                *("" if value is None else row.amount(value) for value in (*pre, *post)),
                _day(policy.liability_from),
                _day(policy.period_to),
                _day(row.last_due or policy.period_to),
                policy.premium_jpy,
                policy.state,
            ]
        )
    return lines


@bp.post("/policies/csv")
@readonly
def policy_csv():
    """5-2 CSVダウンロード of the rows the result shows (at most inquiries.LIMIT)."""
    criteria = _criteria(LIST)
    rows = contract_inquiries.search_policies(_customer_id(), criteria)[0] if criteria else []
    return downloads.table_csv(CSV_COLUMNS, csv_lines(rows), "policies.csv")
